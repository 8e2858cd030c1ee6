package pgstore

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/passforge/passforge/webservice"
)

// Register registers a device for a pass (see webservice.Store). It is one statement that takes its locks
// in the store's order, pass before device: the pass row FOR KEY SHARE (a DeletePass in progress makes it
// wait and then find no pass; an UpdatePass does not), then the device row, upserted with its new push token
// (so a concurrent Unregister of the same device waits and then sees this registration), then the
// registration, upserted with a fresh time.
func (s *Store) Register(ctx context.Context, r webservice.Registration) (bool, error) {
	if r.DeviceLibraryIdentifier == "" {
		return false, errors.New("pgstore: register: deviceLibraryIdentifier is empty")
	}
	if r.PushToken == "" {
		return false, errors.New("pgstore: register: push token is empty")
	}
	var created bool
	err := s.pool.QueryRow(ctx, `
		WITH pass AS (
			SELECT id FROM passforge_passes WHERE pass_type_id = $3 AND serial_number = $4 FOR KEY SHARE
		), device AS (
			INSERT INTO passforge_devices (device_library_id, push_token)
			SELECT $1, $2 FROM pass
			ON CONFLICT (device_library_id) DO UPDATE SET push_token = excluded.push_token
			RETURNING id
		)
		INSERT INTO passforge_registrations (device_id, pass_id, registered)
		SELECT device.id, pass.id, clock_timestamp() FROM device, pass
		ON CONFLICT (device_id, pass_id) DO UPDATE SET registered = excluded.registered
		RETURNING xmax = 0`,
		r.DeviceLibraryIdentifier, r.PushToken, r.PassTypeIdentifier, r.SerialNumber,
	).Scan(&created)
	// No row: the pass does not exist. A foreign key violation: it was deleted while we registered.
	if noRows(err) || isCode(err, foreignKeyViolation) {
		return false, notFound("register", r.PassTypeIdentifier, r.SerialNumber)
	}
	if err != nil {
		return false, wrap("register", err)
	}
	return created, nil
}

// Unregister removes a device's registration for a pass, and the device when nothing is left. The three
// statements go as one batch, which PostgreSQL runs as one transaction; the first locks the device row so
// that a concurrent Register of the device is either finished (and seen by the last statement) or waits.
func (s *Store) Unregister(ctx context.Context, deviceID, passTypeID, serial string) (bool, error) {
	b := &pgx.Batch{}
	b.Queue(`SELECT id FROM passforge_devices WHERE device_library_id = $1 FOR UPDATE`, deviceID)
	b.Queue(`
		DELETE FROM passforge_registrations r
		USING passforge_devices d, passforge_passes p
		WHERE d.device_library_id = $1 AND r.device_id = d.id AND p.id = r.pass_id
			AND p.pass_type_id = $2 AND p.serial_number = $3`, deviceID, passTypeID, serial)
	b.Queue(`
		DELETE FROM passforge_devices d WHERE d.device_library_id = $1
		AND NOT EXISTS (SELECT 1 FROM passforge_registrations r WHERE r.device_id = d.id)`, deviceID)
	affected, err := s.execBatch(ctx, b)
	if err != nil {
		return false, wrap("unregister", err)
	}
	return affected[1] > 0, nil
}

// UpdatedSince returns the serials of the device's registered passes of a type with a tag greater than
// since, and the greatest such tag. A since greater than the sequence has ever handed out was not issued by
// this store and counts as 0 (everything registered).
func (s *Store) UpdatedSince(ctx context.Context, deviceID, passTypeID string, since int64) ([]string, int64, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT p.serial_number, p.tag
		FROM passforge_devices d
		JOIN passforge_registrations r ON r.device_id = d.id
		JOIN passforge_passes p ON p.id = r.pass_id
		WHERE d.device_library_id = $1 AND p.pass_type_id = $2
			AND p.tag > (CASE WHEN $3 > (SELECT last_value FROM passforge_tags) THEN 0 ELSE $3 END)
		ORDER BY p.serial_number`, deviceID, passTypeID, since)
	if err != nil {
		return nil, 0, wrap("updated since", err)
	}
	var serials []string
	var latest int64
	var serial string
	var tag int64
	_, err = pgx.ForEachRow(rows, []any{&serial, &tag}, func() error {
		serials = append(serials, serial)
		latest = max(latest, tag)
		return nil
	})
	if err != nil {
		return nil, 0, wrap("updated since", err)
	}
	return serials, latest, nil
}

// PushTokens returns the distinct push tokens registered for the pass, sorted.
func (s *Store) PushTokens(ctx context.Context, passTypeID, serial string) ([]string, error) {
	var tokens []string
	err := s.pool.QueryRow(ctx, `
		SELECT array(
			SELECT DISTINCT d.push_token
			FROM passforge_registrations r JOIN passforge_devices d ON d.id = r.device_id
			WHERE r.pass_id = p.id ORDER BY 1)
		FROM passforge_passes p WHERE p.pass_type_id = $1 AND p.serial_number = $2`, passTypeID, serial,
	).Scan(&tokens)
	if noRows(err) {
		return nil, notFound("push tokens", passTypeID, serial)
	}
	if err != nil {
		return nil, wrap("push tokens", err)
	}
	if len(tokens) == 0 {
		return nil, nil
	}
	return tokens, nil
}

// Registrations returns the registrations of the pass, sorted by device.
func (s *Store) Registrations(ctx context.Context, passTypeID, serial string) ([]webservice.Registration, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT d.device_library_id, d.push_token, r.registered
		FROM passforge_passes p
		LEFT JOIN passforge_registrations r ON r.pass_id = p.id
		LEFT JOIN passforge_devices d ON d.id = r.device_id
		WHERE p.pass_type_id = $1 AND p.serial_number = $2
		ORDER BY d.device_library_id`, passTypeID, serial)
	if err != nil {
		return nil, wrap("registrations", err)
	}
	var regs []webservice.Registration
	found := false
	var device, token *string
	var registered *time.Time
	_, err = pgx.ForEachRow(rows, []any{&device, &token, &registered}, func() error {
		found = true
		if device != nil {
			regs = append(regs, webservice.Registration{
				DeviceLibraryIdentifier: *device, PushToken: *token,
				PassTypeIdentifier: passTypeID, SerialNumber: serial, Registered: registered.UTC(),
			})
		}
		return nil
	})
	if err != nil {
		return nil, wrap("registrations", err)
	}
	if !found {
		return nil, notFound("registrations", passTypeID, serial)
	}
	return regs, nil
}

// RemoveUnregistered deletes the registrations of the devices holding pushToken made before before, and
// the devices left without any, in one transaction (one batch).
func (s *Store) RemoveUnregistered(ctx context.Context, pushToken string, before time.Time) (int, error) {
	b := &pgx.Batch{}
	b.Queue(`SELECT id FROM passforge_devices WHERE push_token = $1 ORDER BY id FOR UPDATE`, pushToken)
	b.Queue(`
		DELETE FROM passforge_registrations r USING passforge_devices d
		WHERE d.push_token = $1 AND r.device_id = d.id AND r.registered < $2`, pushToken, before)
	b.Queue(`
		DELETE FROM passforge_devices d WHERE d.push_token = $1
		AND NOT EXISTS (SELECT 1 FROM passforge_registrations r WHERE r.device_id = d.id)`, pushToken)
	affected, err := s.execBatch(ctx, b)
	if err != nil {
		return 0, wrap("remove unregistered", err)
	}
	return int(affected[1]), nil
}

// execBatch sends b and runs each of its statements for its effect, in order, returning the rows each one
// affected (for a SELECT, the rows it returned). It stops at the first statement that fails and returns
// that error; otherwise the error of closing the batch.
func (s *Store) execBatch(ctx context.Context, b *pgx.Batch) ([]int64, error) {
	br := s.pool.SendBatch(ctx, b)
	affected := make([]int64, 0, b.Len())
	var err error
	for range b.Len() {
		var tag pgconn.CommandTag
		if tag, err = br.Exec(); err != nil {
			break
		}
		affected = append(affected, tag.RowsAffected())
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return affected, err
}

// Counts returns the numbers of passes, devices and registrations.
func (s *Store) Counts(ctx context.Context) (webservice.Counts, error) {
	var c webservice.Counts
	err := s.pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM passforge_passes),
		(SELECT count(*) FROM passforge_devices),
		(SELECT count(*) FROM passforge_registrations)`).Scan(&c.Passes, &c.Devices, &c.Registrations)
	if err != nil {
		return webservice.Counts{}, wrap("counts", err)
	}
	return c, nil
}

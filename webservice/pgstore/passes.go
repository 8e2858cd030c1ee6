package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/passforge/passforge/webservice"
)

// checkPass validates what CreatePass and UpdatePass need.
func checkPass(p *webservice.Pass) error {
	switch {
	case p.PassTypeIdentifier == "":
		return errors.New("passTypeIdentifier is empty")
	case p.SerialNumber == "":
		return errors.New("serialNumber is empty")
	case len(p.AuthTokenHash) != 32:
		return fmt.Errorf("auth token hash is %d bytes, want 32 (SHA-256, see webservice.HashToken)", len(p.AuthTokenHash))
	}
	return nil
}

// nonNil turns nil into an empty slice: pgx would store nil as NULL.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// CreatePass stores a new pass and sets its Tag, Modified and Created. A duplicate gives
// webservice.ErrExists.
func (s *Store) CreatePass(ctx context.Context, p *webservice.Pass) error {
	if p == nil {
		return errors.New("pgstore: create pass: nil pass")
	}
	if err := checkPass(p); err != nil {
		return fmt.Errorf("pgstore: create pass: %w", err)
	}
	// The tag is taken under the tag lock, held until this statement's transaction commits.
	var modified, created time.Time
	var tag int64
	err := s.pool.QueryRow(ctx, `
		WITH tag_lock AS MATERIALIZED (SELECT pg_advisory_xact_lock($6))
		INSERT INTO passforge_passes
			(pass_type_id, serial_number, auth_token_hash, data, app_data, tag, modified, created)
		SELECT $1, $2, $3, $4, $5, nextval('passforge_tags'), date_trunc('second', now()), now()
		FROM tag_lock
		RETURNING tag, modified, created`,
		p.PassTypeIdentifier, p.SerialNumber, p.AuthTokenHash, nonNil(p.Data), nonNil(p.AppData), s.tagLock,
	).Scan(&tag, &modified, &created)
	if isCode(err, uniqueViolation) {
		return fmt.Errorf("pgstore: create pass %s/%s: %w", p.PassTypeIdentifier, p.SerialNumber, webservice.ErrExists)
	}
	if err != nil {
		return wrap("create pass", err)
	}
	p.Tag, p.Modified, p.Created = tag, modified.UTC(), created.UTC()
	return nil
}

const passColumns = `id, pass_type_id, serial_number, auth_token_hash, data, app_data, tag, modified, created`

func scanPass(row pgx.Row) (id int64, p *webservice.Pass, err error) {
	p = new(webservice.Pass)
	err = row.Scan(&id, &p.PassTypeIdentifier, &p.SerialNumber, &p.AuthTokenHash, &p.Data, &p.AppData,
		&p.Tag, &p.Modified, &p.Created)
	if err != nil {
		return 0, nil, err
	}
	p.Modified, p.Created = p.Modified.UTC(), p.Created.UTC()
	return id, p, nil
}

// notFound is the error for an unknown pass.
func notFound(op, passTypeID, serial string) error {
	return fmt.Errorf("pgstore: %s: pass %s/%s: %w", op, passTypeID, serial, webservice.ErrNotFound)
}

// Pass returns the pass, or webservice.ErrNotFound.
func (s *Store) Pass(ctx context.Context, passTypeID, serial string) (*webservice.Pass, error) {
	_, p, err := scanPass(s.pool.QueryRow(ctx,
		`SELECT `+passColumns+` FROM passforge_passes WHERE pass_type_id = $1 AND serial_number = $2`,
		passTypeID, serial))
	if noRows(err) {
		return nil, notFound("pass", passTypeID, serial)
	}
	if err != nil {
		return nil, wrap("pass", err)
	}
	return p, nil
}

// UpdatePass changes a pass in one transaction (see webservice.Store). The row is locked with FOR NO KEY
// UPDATE: concurrent updates of the pass wait for each other, while registrations of the pass (whose
// foreign key takes a KEY SHARE lock on it) do not wait for the update function.
func (s *Store) UpdatePass(ctx context.Context, passTypeID, serial string, opts *webservice.UpdateOptions, fn func(*webservice.Pass) error) (*webservice.UpdateResult, error) {
	if opts == nil {
		opts = &webservice.UpdateOptions{}
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, wrap("update pass", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // a no-op after Commit

	id, p, err := scanPass(tx.QueryRow(ctx,
		`SELECT `+passColumns+` FROM passforge_passes WHERE pass_type_id = $1 AND serial_number = $2
		FOR NO KEY UPDATE`, passTypeID, serial))
	if noRows(err) {
		return nil, notFound("update pass", passTypeID, serial)
	}
	if err != nil {
		return nil, wrap("update pass", err)
	}
	if fn != nil {
		changed := *p
		if err := fn(&changed); err != nil {
			return nil, err
		}
		p.Data, p.AppData, p.AuthTokenHash = changed.Data, changed.AppData, changed.AuthTokenHash
		if err := checkPass(p); err != nil {
			return nil, fmt.Errorf("pgstore: update pass %s/%s: %w", passTypeID, serial, err)
		}
	}

	rows, err := tx.Query(ctx, `
		SELECT DISTINCT d.push_token
		FROM passforge_registrations r JOIN passforge_devices d ON d.id = r.device_id
		WHERE r.pass_id = $1 ORDER BY 1`, id)
	if err != nil {
		return nil, wrap("update pass", err)
	}
	tokens, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, wrap("update pass", err)
	}
	res := &webservice.UpdateResult{Pass: p, PushTokens: tokens}
	if opts.Enqueue && len(tokens) > 0 {
		tag, err := tx.Exec(ctx, `
			INSERT INTO passforge_outbox (pass_id, push_token, created, next_attempt)
			SELECT $1, token, now(), now() FROM unnest($2::text[]) AS token`, id, tokens)
		if err != nil {
			return nil, wrap("update pass: enqueue pushes", err)
		}
		res.Queued = int(tag.RowsAffected())
	}

	// Last: the new tag, under the tag lock that this transaction holds until it commits.
	err = tx.QueryRow(ctx, `
		WITH tag_lock AS MATERIALIZED (SELECT pg_advisory_xact_lock($5))
		UPDATE passforge_passes p
		SET data = $2, app_data = $3, auth_token_hash = $4, tag = nextval('passforge_tags'),
			modified = greatest(date_trunc('second', now()), p.modified + interval '1 second')
		FROM tag_lock
		WHERE p.id = $1
		RETURNING p.tag, p.modified`,
		id, nonNil(p.Data), nonNil(p.AppData), p.AuthTokenHash, s.tagLock,
	).Scan(&p.Tag, &p.Modified)
	if err != nil {
		return nil, wrap("update pass", err)
	}
	p.Modified = p.Modified.UTC()
	if err := tx.Commit(ctx); err != nil {
		return nil, wrap("update pass: commit", err)
	}
	return res, nil
}

// DeletePass deletes a pass with its registrations and outbox entries (foreign keys cascade), and the
// devices left without registrations, in one transaction. Locks are taken in the store's order, pass
// before devices: the pass FOR UPDATE first (registrations in flight finish, new ones wait and then find no
// pass), then the pass's devices, so that a device registering for another pass at this moment is either
// done (and kept, as it has a registration left) or waits until the device's fate is settled.
func (s *Store) DeletePass(ctx context.Context, passTypeID, serial string) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return wrap("delete pass", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // a no-op after Commit

	var id int64
	err = tx.QueryRow(ctx, `SELECT id FROM passforge_passes WHERE pass_type_id = $1 AND serial_number = $2 FOR UPDATE`,
		passTypeID, serial).Scan(&id)
	if noRows(err) {
		return notFound("delete pass", passTypeID, serial)
	}
	if err != nil {
		return wrap("delete pass", err)
	}
	rows, err := tx.Query(ctx, `
		SELECT d.id FROM passforge_devices d JOIN passforge_registrations r ON r.device_id = d.id
		WHERE r.pass_id = $1 ORDER BY d.id FOR UPDATE OF d`, id)
	if err != nil {
		return wrap("delete pass", err)
	}
	devices, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return wrap("delete pass", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM passforge_passes WHERE id = $1`, id); err != nil {
		return wrap("delete pass", err)
	}
	if len(devices) > 0 {
		_, err = tx.Exec(ctx, `
			DELETE FROM passforge_devices d WHERE d.id = ANY($1)
			AND NOT EXISTS (SELECT 1 FROM passforge_registrations r WHERE r.device_id = d.id)`, devices)
		if err != nil {
			return wrap("delete pass", err)
		}
	}
	return wrap("delete pass: commit", tx.Commit(ctx))
}

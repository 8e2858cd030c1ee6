package pgstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/passforge/passforge/webservice"
)

// Claim leases up to limit due outbox entries to owner until now+lease, oldest first. Rows another
// claimer has locked are skipped (FOR UPDATE SKIP LOCKED), so concurrent claimers neither wait for each
// other nor get the same entry.
func (s *Store) Claim(ctx context.Context, owner string, limit int, lease time.Duration) ([]webservice.OutboxEntry, error) {
	if limit <= 0 {
		return nil, nil
	}
	if owner == "" {
		return nil, errors.New("pgstore: claim: owner is empty")
	}
	if lease <= 0 {
		return nil, fmt.Errorf("pgstore: claim: lease %v is not positive", lease)
	}
	rows, err := s.pool.Query(ctx, `
		WITH due AS (
			SELECT id FROM passforge_outbox
			WHERE next_attempt <= now() AND (lease_until IS NULL OR lease_until <= now())
			ORDER BY id
			LIMIT $2
			FOR UPDATE SKIP LOCKED
		)
		UPDATE passforge_outbox o
		SET lease_owner = $1, lease_until = now() + $3 * interval '1 microsecond'
		FROM due, passforge_passes p
		WHERE o.id = due.id AND p.id = o.pass_id
		RETURNING o.id, o.push_token, p.pass_type_id, p.serial_number, o.attempts, o.last_error, o.created,
			o.next_attempt, o.lease_owner, o.lease_until`,
		owner, limit, lease.Microseconds())
	if err != nil {
		return nil, wrap("claim", err)
	}
	entries, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (webservice.OutboxEntry, error) {
		var e webservice.OutboxEntry
		err := row.Scan(&e.ID, &e.PushToken, &e.PassTypeIdentifier, &e.SerialNumber, &e.Attempts, &e.LastError,
			&e.Created, &e.NextAttempt, &e.LeaseOwner, &e.LeaseUntil)
		e.Created, e.NextAttempt, e.LeaseUntil = e.Created.UTC(), e.NextAttempt.UTC(), e.LeaseUntil.UTC()
		return e, err
	})
	if err != nil {
		return nil, wrap("claim", err)
	}
	// UPDATE ... RETURNING has no order of its own; ids grow with insertion.
	slices.SortFunc(entries, func(a, b webservice.OutboxEntry) int { return cmpInt64(a.ID, b.ID) })
	return entries, nil
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Complete deletes a delivered outbox entry.
func (s *Store) Complete(ctx context.Context, id int64) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM passforge_outbox WHERE id = $1`, id)
	if err != nil {
		return wrap("complete", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("pgstore: complete: outbox entry %d: %w", id, webservice.ErrNotFound)
	}
	return nil
}

// Retry releases an entry's lease, counts the failed attempt and makes the entry claimable at next.
func (s *Store) Retry(ctx context.Context, id int64, next time.Time, lastError string) error {
	tag, err := s.pool.Exec(ctx, `
		UPDATE passforge_outbox
		SET lease_owner = '', lease_until = NULL, attempts = attempts + 1, last_error = $2, next_attempt = $3
		WHERE id = $1`, id, lastError, next)
	if err != nil {
		return wrap("retry", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("pgstore: retry: outbox entry %d: %w", id, webservice.ErrNotFound)
	}
	return nil
}

// OutboxDepth returns the number of outbox entries not yet completed.
func (s *Store) OutboxDepth(ctx context.Context) (int64, error) {
	var n int64
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM passforge_outbox`).Scan(&n); err != nil {
		return 0, wrap("outbox depth", err)
	}
	return n, nil
}

// Setting returns the value stored under key, or webservice.ErrNotFound.
func (s *Store) Setting(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := s.pool.QueryRow(ctx, `SELECT value FROM passforge_settings WHERE key = $1`, key).Scan(&v)
	if noRows(err) {
		return nil, fmt.Errorf("pgstore: setting %q: %w", key, webservice.ErrNotFound)
	}
	if err != nil {
		return nil, wrap("setting", err)
	}
	return v, nil
}

// PutSettingIfAbsent stores value under key unless the key has a value, and returns the stored value.
// The insert waits for a concurrent insert of the same key to finish; the read that follows is a new
// statement and sees whichever value won.
func (s *Store) PutSettingIfAbsent(ctx context.Context, key string, value []byte) ([]byte, error) {
	_, err := s.pool.Exec(ctx, `INSERT INTO passforge_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
		key, nonNil(value))
	if err != nil {
		return nil, wrap("put setting", err)
	}
	v, err := s.Setting(ctx, key)
	if errors.Is(err, webservice.ErrNotFound) {
		// Only a concurrent delete could do this; the store has none.
		return nil, fmt.Errorf("pgstore: put setting %q: vanished after insert", key)
	}
	return v, err
}

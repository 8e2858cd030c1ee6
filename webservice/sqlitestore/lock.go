package sqlitestore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// migrationLock is a goose lock.Locker kept in a row of the database itself,
// so that processes opening the same file at once apply migrations one after
// the other. A lock left by a process that died lapses after lockTTL.
type migrationLock struct {
	owner string
}

const lockTTL = time.Minute

func randomOwner() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Lock waits until this process holds the migration lock or ctx ends.
func (l *migrationLock) Lock(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS passforge_migration_lock (
		id INTEGER PRIMARY KEY CHECK (id = 1), owner TEXT NOT NULL, expires INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("sqlitestore: migration lock: %w", err)
	}
	wait := 5 * time.Millisecond
	for {
		now := time.Now()
		res, err := db.ExecContext(ctx, `INSERT INTO passforge_migration_lock (id, owner, expires) VALUES (1, ?1, ?2)
			ON CONFLICT (id) DO UPDATE SET owner = ?1, expires = ?2 WHERE expires < ?3`,
			l.owner, now.Add(lockTTL).UnixMicro(), now.UnixMicro())
		if err != nil {
			return fmt.Errorf("sqlitestore: migration lock: %w", err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 1 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("sqlitestore: waiting for the migration lock: %w", ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, 200*time.Millisecond)
	}
}

// Unlock releases the lock if this process holds it.
func (l *migrationLock) Unlock(ctx context.Context, db *sql.DB) error {
	res, err := db.ExecContext(ctx, `DELETE FROM passforge_migration_lock WHERE id = 1 AND owner = ?`, l.owner)
	if err != nil {
		return fmt.Errorf("sqlitestore: migration unlock: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n != 1 {
		return errors.New("sqlitestore: migration unlock: the lock was no longer held")
	}
	return nil
}

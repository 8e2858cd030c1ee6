package pgstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/passforge/passforge/webservice"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationTable is goose's history table.
const migrationTable = "passforge_schema_version"

// Store is a webservice.Store on PostgreSQL. It is safe for concurrent use, and several Stores (in one
// process or in several) may share one database.
type Store struct {
	pool    *pgxpool.Pool
	ownPool bool
	// tagLock is the advisory lock key that orders tag assignment with commits (see the package doc).
	tagLock int64
}

var _ webservice.Store = (*Store)(nil)

// Option configures the pool Open makes. Besides WithMaxConns and WithMinConns, any function that adjusts
// a *pgxpool.Config (timeouts, a tracer, TLS) is an Option; an error it returns is returned by Open.
type Option func(*pgxpool.Config) error

// WithMaxConns sets the largest number of connections the store's pool opens. If not given, pgxpool's
// default applies (the greater of 4 and the number of CPUs).
func WithMaxConns(n int32) Option {
	return func(c *pgxpool.Config) error {
		if n < 1 {
			return fmt.Errorf("pgstore: WithMaxConns(%d): need at least one connection", n)
		}
		c.MaxConns = n
		if c.MinConns > n {
			c.MinConns = n
		}
		return nil
	}
}

// WithMinConns sets the number of connections the pool keeps open when idle. If not given, zero.
func WithMinConns(n int32) Option {
	return func(c *pgxpool.Config) error {
		if n < 0 {
			return fmt.Errorf("pgstore: WithMinConns(%d): negative", n)
		}
		c.MinConns = n
		return nil
	}
}

// Open connects to the PostgreSQL database at connString (a postgres:// URL or a keyword/value string as
// pgx accepts, pool settings such as pool_max_conns included), applies the schema migrations and returns
// the store. Close closes its pool.
func Open(ctx context.Context, connString string, opts ...Option) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		// pgx's parse errors leave passwords out.
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(cfg); err != nil {
			return nil, err
		}
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	s, err := newStore(ctx, pool)
	if err != nil {
		pool.Close()
		return nil, err
	}
	s.ownPool = true
	return s, nil
}

// New returns a store on the caller's pool after applying the schema migrations. The pool stays the
// caller's: Close does not close it. Migrating needs one connection of the pool for a moment.
func New(ctx context.Context, pool *pgxpool.Pool) (*Store, error) {
	if pool == nil {
		return nil, errors.New("pgstore: New: nil pool")
	}
	return newStore(ctx, pool)
}

func newStore(ctx context.Context, pool *pgxpool.Pool) (*Store, error) {
	var database string
	var schema *string
	if err := pool.QueryRow(ctx, "SELECT current_database(), current_schema()").Scan(&database, &schema); err != nil {
		return nil, fmt.Errorf("pgstore: connect: %w", err)
	}
	if schema == nil {
		return nil, errors.New("pgstore: no schema of the connection's search_path exists; create it or fix search_path")
	}
	if err := migrate(ctx, pool, lockKey("migrate", database, *schema)); err != nil {
		return nil, err
	}
	return &Store{pool: pool, tagLock: lockKey("tags", database, *schema)}, nil
}

// lockKey derives an advisory lock key for one purpose in one schema, so stores in different schemas of a
// database do not wait for each other.
func lockKey(purpose, database, schema string) int64 {
	h := fnv.New64a()
	for _, s := range []string{"passforge/pgstore", purpose, database, schema} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return int64(h.Sum64())
}

// migrate applies the embedded migrations under a session advisory lock.
func migrate(ctx context.Context, pool *pgxpool.Pool, key int64) error {
	locker, err := lock.NewPostgresSessionLocker(
		lock.WithLockID(key),
		// Poll every second for up to 5 minutes: a second instance starting next to the first waits about
		// as long as the first takes to migrate.
		lock.WithLockTimeout(1, 300),
		lock.WithUnlockTimeout(1, 60),
	)
	if err != nil {
		return fmt.Errorf("pgstore: migrate: %w", err)
	}
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	provider, err := goose.NewProvider(goose.DialectPostgres, db, mustSub(migrations, "migrations"),
		goose.WithSessionLocker(locker),
		goose.WithTableName(migrationTable),
		goose.WithDisableGlobalRegistry(true),
	)
	if err != nil {
		return fmt.Errorf("pgstore: migrate: %w", err)
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("pgstore: migrate: %w", err)
	}
	return nil
}

// Close closes the pool if Open made it; a pool given to New stays open.
func (s *Store) Close() error {
	if s.ownPool {
		s.pool.Close()
	}
	return nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("pgstore: ping: %w", err)
	}
	return nil
}

// wrap adds the package and operation to a database error; nil stays nil.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("pgstore: %s: %w", op, err)
}

// isCode reports whether err is a PostgreSQL error with the given SQLSTATE.
func isCode(err error, code string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == code
}

// SQLSTATE codes the store branches on.
const (
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
)

// noRows reports whether err says a query returned no row.
func noRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

// mustSub returns the migrations folder of the embedded files; the path is a constant, so an error is a
// programming mistake caught by every test.
func mustSub(fsys embed.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic("pgstore: embedded migrations: " + err.Error())
	}
	return sub
}

package sqlitestore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/passforge/passforge/webservice"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Options configure Open. A nil *Options is the same as the zero value.
type Options struct {
	// Readers is the size of the reader connection pool. If zero,
	// max(4, GOMAXPROCS).
	Readers int
	// BusyTimeout is how long a connection waits for a lock held by another
	// connection or process before failing. If zero, 10 seconds.
	BusyTimeout time.Duration
	// Durable makes every commit wait for the disk (synchronous=FULL). If
	// false, synchronous=NORMAL: in WAL mode a power loss may drop the last
	// commits but never corrupts the database, and commits are several
	// times faster.
	Durable bool
	// Now is the clock for Modified, registration and outbox times. If nil,
	// time.Now.
	Now func() time.Time
	// MmapBytes is how much of the file reader connections memory-map
	// (SQLite's mmap_size), which spares a system call per page read. If
	// zero, 1 GiB; negative disables it.
	MmapBytes int64
	// CacheBytes bounds the in-memory cache of signed versions that Pass
	// serves without reading the blob again (a version never changes, so the
	// cache is never stale, even with several processes). If zero, 32 MiB;
	// negative disables it.
	CacheBytes int
}

// Store is a webservice.Store in one SQLite database file.
type Store struct {
	path   string
	writer *sql.DB
	reader *sql.DB
	now    func() time.Time

	// Prepared once: the hot reads of the web service (modernc.org/sqlite
	// parses a statement on every unprepared query).
	getPassStmt      *sql.Stmt
	passDataStmt     *sql.Stmt
	updatedSinceStmt *sql.Stmt
	cache            *versionCache
	// Statements of the register path, prepared on the writer connection.
	writeStmts map[string]*sql.Stmt
}

// Statements prepared on the writer connection (registration is the write
// devices make most).
var writeQueries = map[string]string{
	"passID": `SELECT id FROM passes WHERE pass_type_id = ? AND serial = ?`,
	"upsertDevice": `INSERT INTO devices (library_id, push_token) VALUES (?, ?)
		ON CONFLICT (library_id) DO UPDATE SET push_token = excluded.push_token RETURNING id`,
	"insertRegistration": `INSERT INTO registrations (device_id, pass_id, registered) VALUES (?, ?, ?)
		ON CONFLICT (device_id, pass_id) DO NOTHING`,
	"touchRegistration": `UPDATE registrations SET registered = ? WHERE device_id = ? AND pass_id = ?`,
}

// stmt returns the named writer statement bound to tx.
func (s *Store) stmt(ctx context.Context, tx *sql.Tx, name string) *sql.Stmt {
	return tx.StmtContext(ctx, s.writeStmts[name])
}

var _ webservice.Store = (*Store)(nil)

// Open opens (creating it if needed) the SQLite database at path and applies
// the embedded schema migrations. Several processes may open the same file
// at once: migrations run under a lock held in the database itself.
func Open(ctx context.Context, path string, opts *Options) (*Store, error) {
	if opts == nil {
		opts = &Options{}
	}
	if path == "" {
		return nil, errors.New("sqlitestore: empty database path")
	}
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("sqlitestore: database path %q contains '?' or '#'", path)
	}
	busy := opts.BusyTimeout
	if busy <= 0 {
		busy = 10 * time.Second
	}
	readers := opts.Readers
	if readers <= 0 {
		readers = max(4, runtime.GOMAXPROCS(0))
	}
	sync := "NORMAL"
	if opts.Durable {
		sync = "FULL"
	}
	base := fmt.Sprintf("file:%s?_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(%s)",
		strings.ReplaceAll(path, "%", "%25"), busy.Milliseconds(), sync)

	if err := migrate(ctx, base+"&_txlock=immediate"); err != nil {
		return nil, err
	}

	writer, err := sql.Open("sqlite", base+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)

	mmap := opts.MmapBytes
	switch {
	case mmap == 0:
		mmap = 1 << 30
	case mmap < 0:
		mmap = 0
	}
	reader, err := sql.Open("sqlite", fmt.Sprintf("%s&_pragma=query_only(1)&_pragma=mmap_size(%d)", base, mmap))
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	reader.SetMaxOpenConns(readers)
	reader.SetMaxIdleConns(readers)
	reader.SetConnMaxIdleTime(0)
	reader.SetConnMaxLifetime(0)

	s := &Store{path: path, writer: writer, reader: reader, now: opts.Now}
	if s.now == nil {
		s.now = time.Now
	}
	switch {
	case opts.CacheBytes == 0:
		s.cache = newVersionCache(32 << 20)
	case opts.CacheBytes > 0:
		s.cache = newVersionCache(opts.CacheBytes)
	}
	if s.getPassStmt, err = reader.PrepareContext(ctx, passMetaQuery); err == nil {
		if s.passDataStmt, err = reader.PrepareContext(ctx, `SELECT data FROM passes WHERE id = ? AND tag = ?`); err == nil {
			s.updatedSinceStmt, err = reader.PrepareContext(ctx, updatedSinceQuery)
		}
	}
	s.writeStmts = map[string]*sql.Stmt{}
	for name, q := range writeQueries {
		if err != nil {
			break
		}
		s.writeStmts[name], err = writer.PrepareContext(ctx, q)
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlitestore: prepare: %w", err)
	}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// migrate applies the embedded migrations with goose under a lock row, so two
// processes opening a new file at once apply each migration exactly once.
func migrate(ctx context.Context, dsn string) error {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("sqlitestore: open for migration: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(2) // goose holds one connection, the locker uses another
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return fmt.Errorf("sqlitestore: migrations: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, sub,
		goose.WithDisableGlobalRegistry(true),
		goose.WithLocker(&migrationLock{owner: randomOwner()}))
	if err != nil {
		return fmt.Errorf("sqlitestore: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("sqlitestore: apply migrations: %w", err)
	}
	return nil
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// Ping checks that both the writer and a reader connection answer.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.writer.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlitestore: ping: %w", err)
	}
	if err := s.reader.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlitestore: ping: %w", err)
	}
	return nil
}

// Close closes the database connections.
func (s *Store) Close() error {
	for _, st := range []*sql.Stmt{s.getPassStmt, s.passDataStmt, s.updatedSinceStmt} {
		if st != nil {
			st.Close()
		}
	}
	for _, st := range s.writeStmts {
		if st != nil {
			st.Close()
		}
	}
	err1 := s.reader.Close()
	err2 := s.writer.Close()
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf("sqlitestore: close: %w", err)
	}
	return nil
}

// write runs fn in one BEGIN IMMEDIATE transaction on the writer connection.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlitestore: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlitestore: commit: %w", err)
	}
	return nil
}

func dbErr(op string, err error) error {
	return fmt.Errorf("sqlitestore: %s: %w", op, err)
}

// nextTag bumps the tag sequence inside tx and returns the new value.
func nextTag(ctx context.Context, tx *sql.Tx) (int64, error) {
	var tag int64
	err := tx.QueryRowContext(ctx, `UPDATE tag_sequence SET value = value + 1 WHERE id = 1 RETURNING value`).Scan(&tag)
	if err != nil {
		return 0, dbErr("next tag", err)
	}
	return tag, nil
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// CreatePass stores a new pass; see webservice.Store.
func (s *Store) CreatePass(ctx context.Context, p *webservice.Pass) error {
	if err := checkNewPass(p); err != nil {
		return err
	}
	now := s.now()
	modified := now.Truncate(time.Second)
	return s.write(ctx, func(tx *sql.Tx) error {
		var exists int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM passes WHERE pass_type_id = ? AND serial = ?`,
			p.PassTypeIdentifier, p.SerialNumber).Scan(&exists)
		if err == nil {
			return fmt.Errorf("sqlitestore: pass %s/%s: %w", p.PassTypeIdentifier, p.SerialNumber, webservice.ErrExists)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return dbErr("create pass", err)
		}
		tag, err := nextTag(ctx, tx)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO passes (pass_type_id, serial, auth_hash, data, app_data, tag, modified, created)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			p.PassTypeIdentifier, p.SerialNumber, p.AuthTokenHash, nonNil(p.Data), nonNil(p.AppData),
			tag, modified.Unix(), now.UnixMicro())
		if err != nil {
			return dbErr("create pass", err)
		}
		p.Tag = tag
		p.Modified = time.Unix(modified.Unix(), 0).UTC()
		p.Created = time.UnixMicro(now.UnixMicro()).UTC()
		return nil
	})
}

func checkNewPass(p *webservice.Pass) error {
	switch {
	case p == nil:
		return errors.New("sqlitestore: nil pass")
	case p.PassTypeIdentifier == "":
		return errors.New("sqlitestore: pass without passTypeIdentifier")
	case p.SerialNumber == "":
		return errors.New("sqlitestore: pass without serialNumber")
	case len(p.AuthTokenHash) != 32:
		return fmt.Errorf("sqlitestore: pass %s/%s: AuthTokenHash is %d bytes, want the 32 of a SHA-256",
			p.PassTypeIdentifier, p.SerialNumber, len(p.AuthTokenHash))
	}
	return nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

const passColumns = `id, pass_type_id, serial, auth_hash, data, app_data, tag, modified, created`

func scanPass(row *sql.Row) (int64, *webservice.Pass, error) {
	var (
		id                 int64
		p                  webservice.Pass
		modified, created  int64
		hash, data, appDat []byte
	)
	if err := row.Scan(&id, &p.PassTypeIdentifier, &p.SerialNumber, &hash, &data, &appDat, &p.Tag, &modified, &created); err != nil {
		return 0, nil, err
	}
	p.AuthTokenHash, p.Data, p.AppData = hash, data, appDat
	p.Modified = time.Unix(modified, 0).UTC()
	p.Created = time.UnixMicro(created).UTC()
	return id, &p, nil
}

const getPassQuery = `SELECT ` + passColumns + ` FROM passes WHERE pass_type_id = ? AND serial = ?`

type rowQuerier interface {
	QueryRowContext(ctx context.Context, args ...any) *sql.Row
}

// txRow adapts a transaction to rowQuerier for getPassQuery.
type txRow struct{ tx *sql.Tx }

func (t txRow) QueryRowContext(ctx context.Context, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, getPassQuery, args...)
}

func getPass(ctx context.Context, q rowQuerier, passTypeID, serial string) (int64, *webservice.Pass, error) {
	id, p, err := scanPass(q.QueryRowContext(ctx, passTypeID, serial))
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, fmt.Errorf("sqlitestore: pass %s/%s: %w", passTypeID, serial, webservice.ErrNotFound)
	}
	if err != nil {
		return 0, nil, dbErr("get pass", err)
	}
	return id, p, nil
}

// passMetaQuery reads a pass without its signed version, which Pass takes
// from the cache or reads separately.
const passMetaQuery = `SELECT id, pass_type_id, serial, auth_hash, app_data, tag, modified, created, length(data)
	FROM passes WHERE pass_type_id = ? AND serial = ?`

// Pass returns a pass; see webservice.Store. The signed version comes from
// the version cache when this version was read before.
func (s *Store) Pass(ctx context.Context, passTypeID, serial string) (*webservice.Pass, error) {
	for range 5 {
		var (
			id, modified, created, size int64
			p                           webservice.Pass
			hash, appData               []byte
		)
		err := s.getPassStmt.QueryRowContext(ctx, passTypeID, serial).Scan(&id, &p.PassTypeIdentifier, &p.SerialNumber,
			&hash, &appData, &p.Tag, &modified, &created, &size)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("sqlitestore: pass %s/%s: %w", passTypeID, serial, webservice.ErrNotFound)
		}
		if err != nil {
			return nil, dbErr("get pass", err)
		}
		p.AuthTokenHash, p.AppData = hash, nonNil(appData)
		p.Modified = time.Unix(modified, 0).UTC()
		p.Created = time.UnixMicro(created).UTC()
		if size == 0 {
			p.Data = []byte{}
			return &p, nil
		}
		if data, ok := s.cache.get(id, p.Tag); ok {
			p.Data = data
			return &p, nil
		}
		var data []byte
		err = s.passDataStmt.QueryRowContext(ctx, id, p.Tag).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			continue // updated between the two reads: read the new version
		}
		if err != nil {
			return nil, dbErr("get pass", err)
		}
		s.cache.put(id, p.Tag, data)
		p.Data = data
		return &p, nil
	}
	// Five updates in a row between two reads: read both in one statement.
	_, p, err := getPass(ctx, txRowDB{s.reader}, passTypeID, serial)
	return p, err
}

// txRowDB adapts the reader pool to rowQuerier for getPassQuery.
type txRowDB struct{ db *sql.DB }

func (t txRowDB) QueryRowContext(ctx context.Context, args ...any) *sql.Row {
	return t.db.QueryRowContext(ctx, getPassQuery, args...)
}

// UpdatePass changes a pass in one transaction; see webservice.Store.
func (s *Store) UpdatePass(ctx context.Context, passTypeID, serial string, opts *webservice.UpdateOptions, fn func(*webservice.Pass) error) (*webservice.UpdateResult, error) {
	if opts == nil {
		opts = &webservice.UpdateOptions{}
	}
	var res *webservice.UpdateResult
	err := s.write(ctx, func(tx *sql.Tx) error {
		id, cur, err := getPass(ctx, txRow{tx}, passTypeID, serial)
		if err != nil {
			return err
		}
		next := *cur
		next.AuthTokenHash = append([]byte(nil), cur.AuthTokenHash...)
		if fn != nil {
			if err := fn(&next); err != nil {
				return err
			}
		}
		if len(next.AuthTokenHash) != 32 {
			return fmt.Errorf("sqlitestore: pass %s/%s: AuthTokenHash is %d bytes, want the 32 of a SHA-256",
				passTypeID, serial, len(next.AuthTokenHash))
		}
		tag, err := nextTag(ctx, tx)
		if err != nil {
			return err
		}
		now := s.now()
		modified := now.Truncate(time.Second).Unix()
		if prev := cur.Modified.Unix(); modified <= prev {
			modified = prev + 1
		}
		_, err = tx.ExecContext(ctx, `UPDATE passes SET auth_hash = ?, data = ?, app_data = ?, tag = ?, modified = ? WHERE id = ?`,
			next.AuthTokenHash, nonNil(next.Data), nonNil(next.AppData), tag, modified, id)
		if err != nil {
			return dbErr("update pass", err)
		}
		tokens, err := pushTokens(ctx, tx, id)
		if err != nil {
			return err
		}
		queued := 0
		if opts.Enqueue && len(tokens) > 0 {
			r, err := tx.ExecContext(ctx, `INSERT INTO outbox (pass_id, push_token, created, next_attempt)
				SELECT DISTINCT ?, d.push_token, ?, ? FROM registrations r JOIN devices d ON d.id = r.device_id WHERE r.pass_id = ?`,
				id, now.UnixMicro(), now.UnixMicro(), id)
			if err != nil {
				return dbErr("enqueue pushes", err)
			}
			n, err := r.RowsAffected()
			if err != nil {
				return dbErr("enqueue pushes", err)
			}
			queued = int(n)
		}
		out := &webservice.Pass{
			PassTypeIdentifier: cur.PassTypeIdentifier,
			SerialNumber:       cur.SerialNumber,
			AuthTokenHash:      next.AuthTokenHash,
			Data:               nonNil(next.Data),
			AppData:            nonNil(next.AppData),
			Tag:                tag,
			Modified:           time.Unix(modified, 0).UTC(),
			Created:            cur.Created,
		}
		res = &webservice.UpdateResult{Pass: out, PushTokens: tokens, Queued: queued}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func pushTokens(ctx context.Context, q querier, passID int64) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT d.push_token FROM registrations r JOIN devices d ON d.id = r.device_id
		WHERE r.pass_id = ? ORDER BY d.push_token`, passID)
	if err != nil {
		return nil, dbErr("push tokens", err)
	}
	defer rows.Close()
	tokens := []string{}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, dbErr("push tokens", err)
		}
		tokens = append(tokens, t)
	}
	if err := rows.Err(); err != nil {
		return nil, dbErr("push tokens", err)
	}
	return tokens, nil
}

// DeletePass deletes a pass with its registrations and outbox entries; see
// webservice.Store.
func (s *Store) DeletePass(ctx context.Context, passTypeID, serial string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM passes WHERE pass_type_id = ? AND serial = ?`, passTypeID, serial).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("sqlitestore: pass %s/%s: %w", passTypeID, serial, webservice.ErrNotFound)
		}
		if err != nil {
			return dbErr("delete pass", err)
		}
		if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS orphan_candidates (id INTEGER PRIMARY KEY)`); err != nil {
			return dbErr("delete pass", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM temp.orphan_candidates`); err != nil {
			return dbErr("delete pass", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO temp.orphan_candidates (id) SELECT device_id FROM registrations WHERE pass_id = ?`, id); err != nil {
			return dbErr("delete pass", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM passes WHERE id = ?`, id); err != nil {
			return dbErr("delete pass", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM devices WHERE id IN (SELECT id FROM temp.orphan_candidates)
			AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.device_id = devices.id)`); err != nil {
			return dbErr("delete pass", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM temp.orphan_candidates`); err != nil {
			return dbErr("delete pass", err)
		}
		return nil
	})
}

// Register registers a device for a pass; see webservice.Store.
func (s *Store) Register(ctx context.Context, r webservice.Registration) (bool, error) {
	if r.DeviceLibraryIdentifier == "" || r.PushToken == "" {
		return false, errors.New("sqlitestore: registration without device library identifier or push token")
	}
	now := s.now().UnixMicro()
	created := false
	err := s.write(ctx, func(tx *sql.Tx) error {
		var passID int64
		err := s.stmt(ctx, tx, "passID").QueryRowContext(ctx, r.PassTypeIdentifier, r.SerialNumber).Scan(&passID)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("sqlitestore: pass %s/%s: %w", r.PassTypeIdentifier, r.SerialNumber, webservice.ErrNotFound)
		}
		if err != nil {
			return dbErr("register", err)
		}
		var deviceID int64
		err = s.stmt(ctx, tx, "upsertDevice").QueryRowContext(ctx, r.DeviceLibraryIdentifier, r.PushToken).Scan(&deviceID)
		if err != nil {
			return dbErr("register", err)
		}
		res, err := s.stmt(ctx, tx, "insertRegistration").ExecContext(ctx, deviceID, passID, now)
		if err != nil {
			return dbErr("register", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return dbErr("register", err)
		}
		created = n == 1
		if !created {
			if _, err := s.stmt(ctx, tx, "touchRegistration").ExecContext(ctx, now, deviceID, passID); err != nil {
				return dbErr("register", err)
			}
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	return created, nil
}

// Unregister removes a registration; see webservice.Store.
func (s *Store) Unregister(ctx context.Context, deviceID, passTypeID, serial string) (bool, error) {
	removed := false
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM registrations
			WHERE device_id = (SELECT id FROM devices WHERE library_id = ?)
			AND pass_id = (SELECT id FROM passes WHERE pass_type_id = ? AND serial = ?)`, deviceID, passTypeID, serial)
		if err != nil {
			return dbErr("unregister", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return dbErr("unregister", err)
		}
		removed = n > 0
		if _, err := tx.ExecContext(ctx, `DELETE FROM devices WHERE library_id = ?
			AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.device_id = devices.id)`, deviceID); err != nil {
			return dbErr("unregister", err)
		}
		return nil
	})
	return removed, err
}

// updatedSinceQuery walks device → its registrations → their passes; CROSS
// JOIN fixes that order (SQLite's planner, without statistics, may otherwise
// scan every pass of the type).
const updatedSinceQuery = `SELECT p.serial, p.tag FROM devices d
	CROSS JOIN registrations r ON r.device_id = d.id
	CROSS JOIN passes p ON p.id = r.pass_id
	WHERE d.library_id = ?1 AND p.pass_type_id = ?2
	AND p.tag > (CASE WHEN ?3 > (SELECT value FROM tag_sequence WHERE id = 1) THEN 0 ELSE ?3 END)`

// UpdatedSince lists the device's passes changed after a tag; see
// webservice.Store. One statement reads a consistent snapshot, and the single
// writer commits tags in order, so no smaller tag can appear later.
func (s *Store) UpdatedSince(ctx context.Context, deviceID, passTypeID string, since int64) ([]string, int64, error) {
	if since < 0 {
		since = 0
	}
	rows, err := s.updatedSinceStmt.QueryContext(ctx, deviceID, passTypeID, since)
	if err != nil {
		return nil, 0, dbErr("updated since", err)
	}
	defer rows.Close()
	var (
		serials []string
		latest  int64
	)
	for rows.Next() {
		var (
			serial string
			tag    int64
		)
		if err := rows.Scan(&serial, &tag); err != nil {
			return nil, 0, dbErr("updated since", err)
		}
		serials = append(serials, serial)
		latest = max(latest, tag)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, dbErr("updated since", err)
	}
	slices.Sort(serials) // here rather than ORDER BY: SQLite's sorter costs more than the query
	return serials, latest, nil
}

// PushTokens returns the push tokens registered for a pass; see
// webservice.Store.
func (s *Store) PushTokens(ctx context.Context, passTypeID, serial string) ([]string, error) {
	var id int64
	err := s.reader.QueryRowContext(ctx, `SELECT id FROM passes WHERE pass_type_id = ? AND serial = ?`, passTypeID, serial).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlitestore: pass %s/%s: %w", passTypeID, serial, webservice.ErrNotFound)
	}
	if err != nil {
		return nil, dbErr("push tokens", err)
	}
	return pushTokens(ctx, s.reader, id)
}

// Registrations returns the registrations of a pass; see webservice.Store.
func (s *Store) Registrations(ctx context.Context, passTypeID, serial string) ([]webservice.Registration, error) {
	var id int64
	err := s.reader.QueryRowContext(ctx, `SELECT id FROM passes WHERE pass_type_id = ? AND serial = ?`, passTypeID, serial).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlitestore: pass %s/%s: %w", passTypeID, serial, webservice.ErrNotFound)
	}
	if err != nil {
		return nil, dbErr("registrations", err)
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT d.library_id, d.push_token, r.registered FROM registrations r
		JOIN devices d ON d.id = r.device_id WHERE r.pass_id = ? ORDER BY d.library_id`, id)
	if err != nil {
		return nil, dbErr("registrations", err)
	}
	defer rows.Close()
	regs := []webservice.Registration{}
	for rows.Next() {
		reg := webservice.Registration{PassTypeIdentifier: passTypeID, SerialNumber: serial}
		var at int64
		if err := rows.Scan(&reg.DeviceLibraryIdentifier, &reg.PushToken, &at); err != nil {
			return nil, dbErr("registrations", err)
		}
		reg.Registered = time.UnixMicro(at).UTC()
		regs = append(regs, reg)
	}
	if err := rows.Err(); err != nil {
		return nil, dbErr("registrations", err)
	}
	return regs, nil
}

// RemoveUnregistered applies an APNs 410; see webservice.Store.
func (s *Store) RemoveUnregistered(ctx context.Context, pushToken string, before time.Time) (int, error) {
	removed := 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM registrations
			WHERE device_id IN (SELECT id FROM devices WHERE push_token = ?) AND registered < ?`, pushToken, before.UnixMicro())
		if err != nil {
			return dbErr("remove unregistered", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return dbErr("remove unregistered", err)
		}
		removed = int(n)
		if _, err := tx.ExecContext(ctx, `DELETE FROM devices WHERE push_token = ?
			AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.device_id = devices.id)`, pushToken); err != nil {
			return dbErr("remove unregistered", err)
		}
		return nil
	})
	return removed, err
}

// Claim leases due outbox entries; see webservice.Store. The single writer
// connection (and BEGIN IMMEDIATE across processes) makes claims exclusive.
func (s *Store) Claim(ctx context.Context, owner string, limit int, lease time.Duration) ([]webservice.OutboxEntry, error) {
	if limit <= 0 {
		return nil, nil
	}
	if owner == "" {
		return nil, errors.New("sqlitestore: claim without an owner")
	}
	now := s.now()
	until := now.Add(lease)
	var entries []webservice.OutboxEntry
	err := s.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT o.id, o.push_token, p.pass_type_id, p.serial, o.attempts, o.last_error, o.created, o.next_attempt
			FROM outbox o JOIN passes p ON p.id = o.pass_id
			WHERE o.next_attempt <= ?1 AND o.lease_until <= ?1 ORDER BY o.id LIMIT ?2`, now.UnixMicro(), limit)
		if err != nil {
			return dbErr("claim", err)
		}
		entries = entries[:0]
		for rows.Next() {
			var (
				e             webservice.OutboxEntry
				created, next int64
			)
			if err := rows.Scan(&e.ID, &e.PushToken, &e.PassTypeIdentifier, &e.SerialNumber, &e.Attempts, &e.LastError, &created, &next); err != nil {
				rows.Close()
				return dbErr("claim", err)
			}
			e.Created = time.UnixMicro(created).UTC()
			e.NextAttempt = time.UnixMicro(next).UTC()
			e.LeaseOwner = owner
			e.LeaseUntil = time.UnixMicro(until.UnixMicro()).UTC()
			entries = append(entries, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return dbErr("claim", err)
		}
		for _, e := range entries {
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id = ?`,
				owner, until.UnixMicro(), e.ID); err != nil {
				return dbErr("claim", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return entries, nil
}

// Complete deletes a delivered outbox entry; see webservice.Store.
func (s *Store) Complete(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE id = ?`, id)
		if err != nil {
			return dbErr("complete", err)
		}
		return oneRow(res, "complete", id)
	})
}

func oneRow(res sql.Result, op string, id int64) error {
	n, err := res.RowsAffected()
	if err != nil {
		return dbErr(op, err)
	}
	if n == 0 {
		return fmt.Errorf("sqlitestore: %s: outbox entry %d: %w", op, id, webservice.ErrNotFound)
	}
	return nil
}

// Retry releases an entry for a later attempt; see webservice.Store.
func (s *Store) Retry(ctx context.Context, id int64, next time.Time, lastError string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt = ?,
			lease_owner = '', lease_until = 0 WHERE id = ?`, lastError, next.UnixMicro(), id)
		if err != nil {
			return dbErr("retry", err)
		}
		return oneRow(res, "retry", id)
	})
}

// OutboxDepth counts the pending outbox entries; see webservice.Store.
func (s *Store) OutboxDepth(ctx context.Context) (int64, error) {
	var n int64
	if err := s.reader.QueryRowContext(ctx, `SELECT count(*) FROM outbox`).Scan(&n); err != nil {
		return 0, dbErr("outbox depth", err)
	}
	return n, nil
}

// Counts returns the numbers of passes, devices and registrations; see
// webservice.Store.
func (s *Store) Counts(ctx context.Context) (webservice.Counts, error) {
	var c webservice.Counts
	err := s.reader.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM passes), (SELECT count(*) FROM devices),
		(SELECT count(*) FROM registrations)`).Scan(&c.Passes, &c.Devices, &c.Registrations)
	if err != nil {
		return webservice.Counts{}, dbErr("counts", err)
	}
	return c, nil
}

// Setting returns a stored setting; see webservice.Store.
func (s *Store) Setting(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := s.reader.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlitestore: setting %q: %w", key, webservice.ErrNotFound)
	}
	if err != nil {
		return nil, dbErr("setting", err)
	}
	return nonNil(v), nil
}

// PutSettingIfAbsent stores a setting unless it exists; see
// webservice.Store.
func (s *Store) PutSettingIfAbsent(ctx context.Context, key string, value []byte) ([]byte, error) {
	var stored []byte
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
			key, nonNil(value)); err != nil {
			return dbErr("put setting", err)
		}
		if err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&stored); err != nil {
			return dbErr("put setting", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return nonNil(stored), nil
}

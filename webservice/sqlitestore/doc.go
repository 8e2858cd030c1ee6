// Package sqlitestore is the embedded default webservice.Store: one SQLite
// database file through modernc.org/sqlite (pure Go, no cgo).
//
// The database runs in WAL mode with a busy timeout. All writes go through
// one writer connection in BEGIN IMMEDIATE transactions, so update tags (a
// counter row bumped in the writing transaction) commit in order; reads use
// a pool of query-only connections that never block the writer. The schema
// is embedded and versioned, applied at Open with pressly/goose under a lock
// row in the database, so several processes may open a new file at once.
package sqlitestore

// Package pgstore is a webservice.Store on PostgreSQL, for services that run several instances or keep
// large fleets of passes up to date. It uses github.com/jackc/pgx/v5 with a connection pool the caller can
// size (Open with WithMaxConns) or bring (New).
//
// # Schema
//
// Open and New apply the store's embedded, versioned schema migrations (pressly/goose) before returning.
// A session-level advisory lock, keyed by database and schema, makes instances that start at the same time
// take turns: the first migrates, the others find the work done. Every table, the tag sequence and the
// migration history are named passforge_*, in the first schema of the connection's search_path; to keep the
// store in a schema of its own, create the schema and add search_path=NAME to the connection URL.
//
// # Update tags
//
// Tags come from the SEQUENCE passforge_tags. A sequence alone is not enough: a transaction could take tag
// 5, another tag 6 and commit first, and a device told "latest is 6" would never see the pass with tag 5.
// So every write that takes a tag does so as its last step under a transaction-level advisory lock held
// until commit: tags become visible in the order they were taken, and UpdatedSince can never report a latest
// tag while a smaller one is still uncommitted. The lock covers only that final statement and the commit,
// not the caller's update function.
//
// # Outbox
//
// UpdatePass with UpdateOptions.Enqueue inserts the outbox entries in the same transaction as the update.
// Claim leases entries with SELECT ... FOR UPDATE SKIP LOCKED, so instances claiming at once never block
// each other nor get the same entry; a lease held by an instance that died lapses and the entry is claimed
// again.
//
// Times the store sets (Modified, Created, registration times, outbox times) come from the database's clock,
// so several instances agree on them. Errors from the database are wrapped, so errors.As still finds the
// *pgconn.PgError with its SQLSTATE code.
package pgstore

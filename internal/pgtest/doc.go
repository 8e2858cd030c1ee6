// Package pgtest gives each test its own empty PostgreSQL schema in the database named by the
// PASSFORGE_TEST_POSTGRES environment variable (a postgres:// URL), so tests that use PostgreSQL can run
// in parallel without seeing each other's rows.
//
// Without the variable a test is skipped with a message saying how to run it; with it, a server that
// cannot be reached fails the test: a store test never passes by not running. The CI script .ci/run
// starts a throwaway server and sets the variable; for development, .ci/pg.sh start prints a URL.
package pgtest

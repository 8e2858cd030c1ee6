package pgtest

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestURLGivesAnIsolatedSchema(t *testing.T) {
	ctx := context.Background()
	a, b := URL(t), URL(t)
	require.NotEqual(t, a, b)

	connA, err := pgx.Connect(ctx, a)
	require.NoError(t, err)
	defer connA.Close(ctx)
	connB, err := pgx.Connect(ctx, b)
	require.NoError(t, err)
	defer connB.Close(ctx)

	_, err = connA.Exec(ctx, "CREATE TABLE t (v int); INSERT INTO t VALUES (1)")
	require.NoError(t, err)
	_, err = connB.Exec(ctx, "CREATE TABLE t (v int)")
	require.NoError(t, err, "the same table name in another test's schema must not clash")

	var n int
	require.NoError(t, connB.QueryRow(ctx, "SELECT count(*) FROM t").Scan(&n))
	assert.Equal(t, 0, n)
	var schema string
	require.NoError(t, connA.QueryRow(ctx, "SELECT current_schema()").Scan(&schema))
	assert.Regexp(t, `^pftest_[0-9a-f]{16}$`, schema)
}

func TestNewSchemaDrop(t *testing.T) {
	base := URL(t) // skips without the variable; any URL into the database will do as a base
	ctx := context.Background()
	u, drop, err := NewSchema(ctx, base)
	require.NoError(t, err)
	conn, err := pgx.Connect(ctx, u)
	require.NoError(t, err)
	defer conn.Close(ctx)
	var schema string
	require.NoError(t, conn.QueryRow(ctx, "SELECT current_schema()").Scan(&schema))
	require.NoError(t, drop(ctx))
	var exists bool
	require.NoError(t, conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", schema).Scan(&exists))
	assert.False(t, exists)
}

func TestNewSchemaUnreachableServer(t *testing.T) {
	// A port that was just free: nothing listens there.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, _, err = NewSchema(ctx, "postgres://nobody:hunter2@"+addr+"/db?sslmode=disable")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pgtest: connect")
	assert.NotContains(t, err.Error(), "hunter2", "the password must not appear in the error")
}

func TestWithSearchPath(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"postgres://u@h:5432/d?sslmode=disable", "postgres://u@h:5432/d?search_path=s&sslmode=disable"},
		{"postgresql://u@h/d", "postgresql://u@h/d?search_path=s"},
		{"host=h dbname=d", "host=h dbname=d search_path=s"},
	} {
		got, err := withSearchPath(tc.in, "s")
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got)
		_, err = pgx.ParseConfig(got)
		require.NoError(t, err, got)
	}
	_, err := withSearchPath("host=h search_path=x", "s")
	require.ErrorContains(t, err, "already sets search_path")
}

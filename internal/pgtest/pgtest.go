package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvVar is the environment variable holding the connection URL of the test database.
const EnvVar = "PASSFORGE_TEST_POSTGRES"

// connectTimeout bounds how long a test waits for an unreachable server before it fails.
const connectTimeout = 15 * time.Second

// URL returns a connection URL for a new, empty schema in the test database; the URL sets search_path to
// that schema, so everything created through it lands there. The schema is dropped when the test ends.
// Without PASSFORGE_TEST_POSTGRES the test is skipped; when the server cannot be reached it fails.
func URL(t testing.TB) string {
	t.Helper()
	base := Base(t)
	ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
	defer cancel()
	u, drop, err := NewSchema(ctx, base)
	if err != nil {
		t.Fatalf("pgtest: %s names a server this test cannot use: %v", EnvVar, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
		defer cancel()
		if err := drop(ctx); err != nil {
			t.Errorf("pgtest: %v", err)
		}
	})
	return u
}

// Base returns PASSFORGE_TEST_POSTGRES, or skips the test with a message saying how to set it. A test
// whose subtests call URL can call Base first, so that it reports itself skipped rather than passed.
func Base(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvVar)
	if base == "" {
		t.Skipf("pgtest: %s is not set; set it to a postgres:// URL (bash .ci/pg.sh start prints one) to run the PostgreSQL tests", EnvVar)
	}
	return base
}

// NewSchema creates a schema with a random name in the database that base points at and returns a URL
// for it (base with search_path set to the new schema) and a function that drops the schema with
// everything in it. base is a postgres:// or postgresql:// URL, or a keyword/value connection string.
func NewSchema(ctx context.Context, base string) (schemaURL string, drop func(context.Context) error, err error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, fmt.Errorf("pgtest: %w", err)
	}
	schema := "pftest_" + hex.EncodeToString(b[:])
	schemaURL, err = withSearchPath(base, schema)
	if err != nil {
		return "", nil, err
	}
	if err := exec(ctx, base, "CREATE SCHEMA "+schema); err != nil {
		return "", nil, err
	}
	drop = func(ctx context.Context) error {
		return exec(ctx, base, "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
	}
	return schemaURL, drop, nil
}

// exec runs one statement on a connection of its own.
func exec(ctx context.Context, connString, sql string) error {
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		return fmt.Errorf("pgtest: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("pgtest: %s: %w", strings.Fields(sql)[0]+" "+strings.Fields(sql)[1], err)
	}
	return nil
}

// withSearchPath returns connString with its search_path set to schema.
func withSearchPath(connString, schema string) (string, error) {
	if strings.HasPrefix(connString, "postgres://") || strings.HasPrefix(connString, "postgresql://") {
		u, err := url.Parse(connString)
		if err != nil {
			// url.Error would repeat the URL, password included.
			return "", errors.New("pgtest: " + EnvVar + " is not a valid URL")
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	if strings.Contains(connString, "search_path=") {
		return "", errors.New("pgtest: " + EnvVar + " already sets search_path; leave it out, each test gets its own schema")
	}
	return strings.TrimSpace(connString) + " search_path=" + schema, nil
}

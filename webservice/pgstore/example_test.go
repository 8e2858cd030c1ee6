package pgstore_test

import (
	"context"
	"log"
	"os"

	"github.com/passforge/passforge/webservice/pgstore"
)

// Open a store for several service instances sharing one database: each instance opens it the same way,
// the first to start applies the schema, and the pool is sized for the instance's load. The tables live in
// the schema "wallet" (create it first) named by search_path.
func ExampleOpen() {
	ctx := context.Background()
	store, err := pgstore.Open(ctx, os.Getenv("DATABASE_URL")+"?search_path=wallet", pgstore.WithMaxConns(20))
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	if err := store.Ping(ctx); err != nil {
		log.Fatal(err)
	}
	// Hand store to the webservice handler or the server package as their webservice.Store.
}

package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"log"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"testing/fstest"

	"github.com/passforge/passforge/server"
	"github.com/passforge/passforge/template"
	"github.com/passforge/passforge/webservice/sqlitestore"
)

// ExampleNew embeds the update service in an application: a design, a
// SQLite store, a signing identity and the public URL make a Server, whose
// handler is mounted next to the application's own routes and whose Run
// sends the pushes (none here: without a Pusher the outbox keeps them).
func ExampleNew() {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	dir, err := os.MkdirTemp("", "passforge-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	design, err := template.Load(exampleDesign())
	if err != nil {
		log.Fatal(err)
	}
	store, err := sqlitestore.Open(ctx, filepath.Join(dir, "passforge.db"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	// A development identity kept in the store; use sign.LoadP12 for Wallet.
	dev, err := server.DevelopmentIdentity(ctx, store, design.PassTypeIdentifier(), design.TeamIdentifier())
	if err != nil {
		log.Fatal(err)
	}
	srv, err := server.New(ctx, server.Config{
		Template:   design,
		Identity:   dev.Identity,
		Store:      store,
		PublicURL:  "https://passes.example.com/wallet",
		AdminToken: "change-me-to-32-random-characters", // from the environment or a secret store
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", srv.Handler()) // /wallet/v1/..., /wallet/download/..., /api/v1/..., /healthz, /metrics
	go srv.Run(ctx)                //nolint:errcheck // the push worker, until stop

	// The application issues and updates passes in Go (or through /api/v1).
	info, err := srv.Issue(ctx, "M-0001", server.Values{"name": json.RawMessage(`"Jane Appleseed"`)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.SerialNumber, "tag", info.LastUpdated, "webServiceURL", srv.WebServiceURL())
	info, err = srv.Update(ctx, "M-0001", server.Values{"points": json.RawMessage(`150`)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.SerialNumber, "tag", info.LastUpdated, "pushes queued", *info.PushesQueued)
	// Output:
	// M-0001 tag 1 webServiceURL https://passes.example.com/wallet/
	// M-0001 tag 2 pushes queued 0
}

func exampleDesign() fstest.MapFS {
	var icon bytes.Buffer
	if err := png.Encode(&icon, image.NewGray(image.Rect(0, 0, 29, 29))); err != nil {
		log.Fatal(err)
	}
	return fstest.MapFS{
		"icon.png": {Data: icon.Bytes()},
		"pass.json": {Data: []byte(`{
  "formatVersion": 1,
  "passTypeIdentifier": "pass.com.example.members",
  "teamIdentifier": "ABCDE12345",
  "organizationName": "Example Coffee",
  "description": "Example Coffee card",
  "storeCard": {
    "headerFields": [{"key": "points", "label": "POINTS", "value": 0}],
    "secondaryFields": [{"key": "member", "label": "MEMBER", "value": "{{name}}"}]
  }
}`)},
	}
}

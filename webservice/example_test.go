package webservice_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/passforge/passforge/webservice"
	"github.com/passforge/passforge/webservice/sqlitestore"
)

// ExampleNewHandler mounts the web service under /passes/ of an application
// (the passes' webServiceURL is https://example.com/passes/), plays the part
// of Wallet registering a device, and changes the pass.
func ExampleNewHandler() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "passforge-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	store, err := sqlitestore.Open(ctx, filepath.Join(dir, "passes.db"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	// A pass issued with authenticationToken "a-long-random-token-per-pass":
	// the store keeps its hash and the signed .pkpass (from sign.Write).
	err = store.CreatePass(ctx, &webservice.Pass{
		PassTypeIdentifier: "pass.com.example.ticket",
		SerialNumber:       "T-0001",
		AuthTokenHash:      webservice.HashToken("a-long-random-token-per-pass"),
		Data:               []byte("signed .pkpass bytes"),
	})
	if err != nil {
		log.Fatal(err)
	}

	ws, err := webservice.NewHandler(store, &webservice.Options{Hooks: webservice.Hooks{
		Registered: func(_ context.Context, r webservice.Registration, created bool) {
			fmt.Println("registered", r.SerialNumber, "new:", created)
		},
	}})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/passes/", http.StripPrefix("/passes", ws))
	srv := httptest.NewServer(mux) // in production: an http.Server with TLS
	defer srv.Close()

	// What Wallet does when the pass is added.
	req, err := http.NewRequest(http.MethodPost,
		srv.URL+"/passes/v1/devices/6b1f0c2d9e/registrations/pass.com.example.ticket/T-0001",
		strings.NewReader(`{"pushToken":"`+strings.Repeat("ab", 32)+`"}`))
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set("Authorization", "ApplePass a-long-random-token-per-pass")
	res, err := srv.Client().Do(req)
	if err != nil {
		log.Fatal(err)
	}
	res.Body.Close()
	fmt.Println(res.Status)

	// The application changed the pass: a new update tag, and the push
	// tokens to notify (package push sends them).
	tokens, err := ws.PassChanged(ctx, "pass.com.example.ticket", "T-0001", func(p *webservice.Pass) error {
		p.Data = []byte("signed .pkpass bytes, version 2")
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(tokens), "device to notify")
	// Output:
	// registered T-0001 new: true
	// 201 Created
	// 1 device to notify
}

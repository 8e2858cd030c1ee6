package wallettest_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
	"github.com/passforge/passforge/webservice"
	"github.com/passforge/passforge/webservice/sqlitestore"
	"github.com/passforge/passforge/webservice/wallettest"
)

// ExampleCheck checks a pass web service the way a Wallet device uses it:
// here the webservice handler on SQLite, over HTTPS on loopback. In a test of
// your own service, give Check a pass your service issued.
func ExampleCheck() {
	pkpass, client, stop := exampleService()
	defer stop()

	rep, err := wallettest.Check(context.Background(), pkpass, &wallettest.Options{Client: client})
	if err != nil {
		log.Fatal(err) // the pass is unreadable or names no web service
	}
	for _, r := range rep.Failed() {
		fmt.Printf("FAIL %s: %s\n", r.Name, r.Detail)
	}
	fmt.Println("every check passed:", rep.OK())
	// Output:
	// every check passed: true
}

// exampleService starts the webservice handler on a SQLite store over HTTPS
// and issues one pass; it returns the pass, a client that trusts the server
// and a function that stops it all.
func exampleService() (pkpass []byte, client *http.Client, stop func()) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "wallettest-example")
	if err != nil {
		log.Fatal(err)
	}
	store, err := sqlitestore.Open(ctx, filepath.Join(dir, "passes.db"), nil)
	if err != nil {
		log.Fatal(err)
	}
	ws, err := webservice.NewHandler(store, &webservice.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/passes/", ws)
	srv := httptest.NewTLSServer(mux)

	dev, err := sign.NewDevelopmentIdentity("pass.com.example.coffee", "ABCDE12345")
	if err != nil {
		log.Fatal(err)
	}
	p := &pass.Pass{
		FormatVersion: 1, PassTypeIdentifier: "pass.com.example.coffee", TeamIdentifier: "ABCDE12345",
		SerialNumber: "0001", OrganizationName: "Example Coffee", Description: "Example Coffee card",
		WebServiceURL: srv.URL + "/passes/", AuthenticationToken: "a-long-random-token-per-pass",
		StoreCard: &pass.PassFields{PrimaryFields: []pass.Field{{Key: "balance", Label: "Balance", Value: pass.String("12 stamps")}}},
	}
	var icon bytes.Buffer
	if err := png.Encode(&icon, image.NewGray(image.Rect(0, 0, 29, 29))); err != nil {
		log.Fatal(err)
	}
	assets := &pass.Assets{}
	if err := assets.Set("icon.png", icon.Bytes()); err != nil {
		log.Fatal(err)
	}
	var out bytes.Buffer
	if err := sign.Write(&out, p, assets, dev.Identity, nil); err != nil {
		log.Fatal(err)
	}
	err = store.CreatePass(ctx, &webservice.Pass{PassTypeIdentifier: p.PassTypeIdentifier, SerialNumber: p.SerialNumber,
		AuthTokenHash: webservice.HashToken(p.AuthenticationToken), Data: out.Bytes()})
	if err != nil {
		log.Fatal(err)
	}
	return out.Bytes(), srv.Client(), func() {
		srv.Close()
		store.Close()
		os.RemoveAll(dir)
	}
}

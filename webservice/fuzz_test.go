package webservice_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/passforge/passforge/webservice"
	"github.com/passforge/passforge/webservice/sqlitestore"
)

// FuzzHandler sends arbitrary methods, paths, Authorization headers and
// bodies: the handler never panics, never fails with a 5xx on a healthy
// store, and only answers with the protocol's status codes.
func FuzzHandler(f *testing.F) {
	ctx := context.Background()
	store, err := sqlitestore.Open(ctx, filepath.Join(f.TempDir(), "fuzz.db"), nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { store.Close() })
	if err := store.CreatePass(ctx, &webservice.Pass{PassTypeIdentifier: ptype, SerialNumber: "F1",
		AuthTokenHash: webservice.HashToken(token), Data: []byte("pk")}); err != nil {
		f.Fatal(err)
	}
	h, err := webservice.NewHandler(store, &webservice.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		LogBurst: 1 << 30, LogRate: 1 << 30})
	if err != nil {
		f.Fatal(err)
	}
	methods := []string{http.MethodGet, http.MethodPost, http.MethodDelete, http.MethodPut, http.MethodHead, "BREW"}
	f.Add(uint8(1), "/v1/devices/"+dev1+"/registrations/"+ptype+"/F1", "ApplePass "+token, []byte(`{"pushToken":"`+push1+`"}`))
	f.Add(uint8(0), "/v1/devices/"+dev1+"/registrations/"+ptype+"?passesUpdatedSince=1", "", []byte(nil))
	f.Add(uint8(0), "/v1/passes/"+ptype+"/F1", "applepass "+token, []byte(nil))
	f.Add(uint8(1), "/v1/log", "", []byte(`{"logs":["a\nb"]}`))
	f.Add(uint8(1), "/v1/passes/"+ptype+"/F1/personalize", "", []byte(`{}`))
	f.Add(uint8(2), "//x/v1/devices/%2F/registrations/a/b", "ApplePass", []byte("{"))
	allowed := map[int]bool{200: true, 201: true, 204: true, 304: true, 400: true, 401: true, 404: true, 405: true, 413: true, 429: true}
	f.Fuzz(func(t *testing.T, m uint8, path, auth string, body []byte) {
		u, err := url.Parse("http://example.com/" + path)
		if err != nil {
			return
		}
		req := &http.Request{Method: methods[int(m)%len(methods)], URL: u, Header: http.Header{},
			Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Host: "example.com"}
		req = req.WithContext(ctx)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if !allowed[w.Code] {
			t.Fatalf("%s %q: status %d: %s", req.Method, path, w.Code, w.Body.Bytes())
		}
		if w.Code == http.StatusMethodNotAllowed && w.Header().Get("Allow") == "" {
			t.Fatalf("405 without Allow for %q", path)
		}
	})
}

// FuzzParseTag: any passesUpdatedSince value parses to a tag >= 0, and a
// tag this service renders reads back as itself.
func FuzzParseTag(f *testing.F) {
	for _, s := range []string{"", "0", "1", "9223372036854775807", "-1", "+1", "1e9", "٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := webservice.ParseTag(s)
		if n < 0 {
			t.Fatalf("ParseTag(%q) = %d", s, n)
		}
		if n > 0 && webservice.ParseTag(webservice.FormatTag(n)) != n {
			t.Fatalf("round trip of %d", n)
		}
	})
}

package server

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/passforge/passforge/internal/syncbuf"
	"github.com/passforge/passforge/sign"
	"github.com/passforge/passforge/template"
	"github.com/passforge/passforge/webservice"
	"github.com/passforge/passforge/webservice/sqlitestore"
	"github.com/stretchr/testify/require"
)

const (
	testPassTypeID = "pass.com.example.server"
	testTeamID     = "ABCDE12345"
	testAdminToken = "admin-token-0123456789abcdef"
)

// devID is one development identity per test binary: RSA key generation is
// slow under -race.
var devID = sync.OnceValue(func() *sign.DevelopmentIdentity {
	d, err := sign.NewDevelopmentIdentity(testPassTypeID, testTeamID)
	if err != nil {
		panic(err)
	}
	return d
})

const designJSON = `{
  "formatVersion": 1,
  "passTypeIdentifier": "pass.com.example.server",
  "teamIdentifier": "ABCDE12345",
  "organizationName": "Example Coffee",
  "description": "Example Coffee membership",
  "serialNumber": "DESIGN",
  "foregroundColor": "rgb(255, 255, 255)",
  "backgroundColor": "rgb(60, 65, 76)",
  "barcodes": [{"format": "PKBarcodeFormatQR", "message": "DESIGN", "messageEncoding": "iso-8859-1"}],
  "storeCard": {
    "headerFields": [{"key": "points", "label": "POINTS", "value": 0, "changeMessage": "You have %@ points"}],
    "secondaryFields": [{"key": "member", "label": "MEMBER", "value": "{{name}}"}],
    "auxiliaryFields": [{"key": "tier", "label": "TIER", "value": "Green"}]
  }
}`

func testPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 7), uint8(y * 3), 90, 255})
		}
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

func testTemplate(t testing.TB) *template.Template {
	t.Helper()
	tp, err := template.Load(fstest.MapFS{
		"pass.json":   {Data: []byte(designJSON)},
		"icon.png":    {Data: testPNG(t, 29, 29)},
		"icon@2x.png": {Data: testPNG(t, 58, 58)},
	})
	require.NoError(t, err)
	return tp
}

// harness is a Server on a fresh SQLite store behind a real loopback HTTP
// server.
type harness struct {
	t     testing.TB
	srv   *Server
	http  *httptest.Server
	store webservice.Store
	logs  *syncbuf.Buffer
}

func newHarness(t testing.TB, edit func(*Config)) *harness {
	t.Helper()
	st, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "passforge.db"), nil)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	return newHarnessOn(t, st, edit)
}

// newHarnessOn is newHarness on the store st.
func newHarnessOn(t testing.TB, st webservice.Store, edit func(*Config)) *harness {
	t.Helper()
	ctx := context.Background()
	h := &harness{t: t, store: st, logs: &syncbuf.Buffer{}}
	h.http = httptest.NewUnstartedServer(nil)
	cfg := Config{
		Template:   testTemplate(t),
		Identity:   devID().Identity,
		Store:      st,
		PublicURL:  "http://" + h.http.Listener.Addr().String() + "/wallet",
		AdminToken: testAdminToken,
		Logger:     slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if edit != nil {
		edit(&cfg)
	}
	var err error
	h.srv, err = New(ctx, cfg)
	require.NoError(t, err)
	h.http.Config.Handler = h.srv.Handler()
	h.http.Start()
	t.Cleanup(h.http.Close)
	return h
}

// do sends an admin request with the admin token and returns the answer and
// its body.
func (h *harness) do(method, path, body string) (*http.Response, []byte) {
	h.t.Helper()
	return h.doAuth(method, path, body, "Bearer "+testAdminToken)
}

func (h *harness) doAuth(method, path, body, auth string) (*http.Response, []byte) {
	h.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, h.http.URL+path, r)
	require.NoError(h.t, err)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(h.t, err)
	return resp, b
}

// apiErr decodes an admin API error body.
type apiErrBody struct {
	Error struct {
		Code     string    `json:"code"`
		Message  string    `json:"message"`
		Problems []Problem `json:"problems"`
	} `json:"error"`
}

func decodeErr(t testing.TB, b []byte) apiErrBody {
	t.Helper()
	var e apiErrBody
	require.NoError(t, json.Unmarshal(b, &e), "body %s", b)
	require.NotEmpty(t, e.Error.Code, "body %s", b)
	require.NotEmpty(t, e.Error.Message, "body %s", b)
	return e
}

func decodeInfo(t testing.TB, b []byte) PassInfo {
	t.Helper()
	var p PassInfo
	require.NoError(t, json.Unmarshal(b, &p), "body %s", b)
	return p
}

// verifyPkpass reads and verifies a .pkpass against the development CA.
func verifyPkpass(t testing.TB, data []byte) *sign.Package {
	t.Helper()
	return verifyPkpassWith(t, data, devID().CA)
}

// verifyPkpassWith reads and verifies a .pkpass against ca.
func verifyPkpassWith(t testing.TB, data []byte, ca *x509.Certificate) *sign.Package {
	t.Helper()
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	pkg, err := sign.ReadBytes(data, &sign.VerifyOptions{Roots: roots})
	require.NoError(t, err)
	return pkg
}

package main

// Tests of 'passforge check-service': against the real webservice handler in this process (passing, and
// failing with the broken rule named), and end to end against 'passforge serve' on SQLite and PostgreSQL with
// a curl to the admin API as --update-cmd and the fake APNs of --apns-listen.

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/passforge/passforge/internal/pgtest"
	"github.com/passforge/passforge/internal/syncbuf"
	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
	"github.com/passforge/passforge/webservice"
	"github.com/passforge/passforge/webservice/sqlitestore"
	"github.com/passforge/passforge/webservice/wallettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func init() {
	e2eCases["check-service"] = []e2eCase{
		{[]string{"-h"}, exitOK, "Usage: passforge check-service", ""},
		{[]string{"ada.pkpass"}, exitProblems, "not updatable", ""},
		{[]string{"notzip.pkpass"}, exitProblems, "cannot read the pass", ""},
		{[]string{"--floor", "ada.pkpass"}, exitUsage, "--duration and --floor go with --devices N", ""},
	}
	e2eJSONCases["check-service"] = struct {
		args []string
		code int
		keys []string
	}{[]string{"--json", "ada.pkpass"}, exitProblems, []string{"ok", "error", "checks"}}
}

// csService is the real webservice handler on SQLite over HTTPS on loopback, plus a test-only /admin/update
// endpoint that re-signs the pass with more points, for --update-cmd.
type csService struct {
	t      *testing.T
	dir    string
	srv    *httptest.Server
	store  *sqlitestore.Store
	h      *webservice.Handler
	dev    *sign.DevelopmentIdentity
	points atomic.Int64
	pkpass string // the file of the issued pass
	caFile string // the HTTPS server's certificate, for --ca
	roots  string // the development CA, for --roots
}

const csPassType = "pass.com.example.checkservice"

func newCSService(t *testing.T, wrap func(http.Handler) http.Handler) *csService {
	t.Helper()
	s := &csService{t: t, dir: t.TempDir()}
	var err error
	s.dev, err = sign.NewDevelopmentIdentity(csPassType, "CHECK12345")
	require.NoError(t, err)
	s.store, err = sqlitestore.Open(t.Context(), filepath.Join(s.dir, "ws.db"), nil)
	require.NoError(t, err)
	t.Cleanup(func() { s.store.Close() })
	s.h, err = webservice.NewHandler(s.store, &webservice.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	var ws http.Handler = s.h
	if wrap != nil {
		ws = wrap(ws)
	}
	mux := http.NewServeMux()
	mux.Handle("/passes/", ws)
	mux.HandleFunc("POST /admin/update", func(w http.ResponseWriter, r *http.Request) {
		data := s.sign(int(s.points.Add(10)))
		if _, err := s.h.PassChanged(r.Context(), csPassType, "C-1", func(p *webservice.Pass) error { p.Data = data; return nil }); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	s.srv = httptest.NewTLSServer(mux)
	t.Cleanup(s.srv.Close)
	s.points.Store(100)
	data := s.sign(100)
	require.NoError(t, s.store.CreatePass(t.Context(), &webservice.Pass{PassTypeIdentifier: csPassType, SerialNumber: "C-1",
		AuthTokenHash: webservice.HashToken("checkservice-token-0123456789"), Data: data}))
	s.pkpass = filepath.Join(s.dir, "c1.pkpass")
	require.NoError(t, os.WriteFile(s.pkpass, data, 0o644))
	s.caFile = filepath.Join(s.dir, "https-ca.pem")
	require.NoError(t, os.WriteFile(s.caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.srv.Certificate().Raw}), 0o644))
	s.roots = filepath.Join(s.dir, "dev-ca.pem")
	require.NoError(t, os.WriteFile(s.roots, s.dev.CAPEM(), 0o644))
	return s
}

func (s *csService) sign(points int) []byte {
	s.t.Helper()
	p := &pass.Pass{
		FormatVersion: 1, PassTypeIdentifier: csPassType, TeamIdentifier: "CHECK12345", SerialNumber: "C-1",
		OrganizationName: "Example Coffee", Description: "Example Coffee card",
		WebServiceURL: s.srv.URL + "/passes/", AuthenticationToken: "checkservice-token-0123456789",
		StoreCard: &pass.PassFields{PrimaryFields: []pass.Field{{Key: "points", Label: "Points", Value: pass.String(strconv.Itoa(points))}}},
	}
	img := image.NewNRGBA(image.Rect(0, 0, 29, 29))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	img.SetNRGBA(3, 3, color.NRGBA{A: 255})
	var icon bytes.Buffer
	require.NoError(s.t, png.Encode(&icon, img))
	a := &pass.Assets{}
	require.NoError(s.t, a.Set("icon.png", icon.Bytes()))
	var out bytes.Buffer
	require.NoError(s.t, sign.Write(&out, p, a, s.dev.Identity, nil))
	return out.Bytes()
}

// checkService runs the command in this process.
func checkService(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"check-service"}, args...), strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestCheckServiceAgainstHandler(t *testing.T) {
	s := newCSService(t, nil)
	code, stdout, stderr := checkService("--ca", s.caFile, "--roots", s.roots, s.pkpass)
	require.Equal(t, exitOK, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
	assert.Contains(t, stdout, "checking C-1 at "+s.srv.URL+"/passes/")
	assert.Regexp(t, `(?m)^ok    serials: lastUpdated is a JSON string +lastUpdated "\d+"$`, stdout)
	assert.Regexp(t, `(?m)^ok    pass: If-Modified-Since the current version is 304 +304$`, stdout)
	assert.NotContains(t, stdout, "FAIL")
	assert.Regexp(t, `\d+ checks: \d+ passed, 0 failed`, stdout)

	// An update through the admin endpoint, and a load run next to the floor.
	code, stdout, stderr = checkService("--ca", s.caFile, "--update-cmd", "curl -sSf -X POST --cacert "+s.caFile+" "+s.srv.URL+"/admin/update",
		"--devices", "3", "--duration", "300ms", "--floor", s.pkpass)
	require.Equal(t, exitOK, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
	assert.Regexp(t, `(?m)^ok    update: the tag moved forward +"\d+" → "\d+"$`, stdout)
	assert.Regexp(t, `(?m)^ok    update: the pass changed `, stdout)
	assert.Regexp(t, `(?m)^load:  3 devices for .*requests/s, p50 .*, p99 .*, 0 errors$`, stdout)
	assert.Regexp(t, `(?m)^floor: 3 devices for .*requests/s`, stdout)

	// --json: one object on the standard output, the summary on stderr.
	code, stdout, stderr = checkService("--json", "--ca", s.caFile, "--devices", "2", "--duration", "200ms", s.pkpass)
	require.Equal(t, exitOK, code, "stderr:\n%s", stderr)
	var rep struct {
		OK     bool                `json:"ok"`
		Checks []wallettest.Result `json:"checks"`
		Load   struct {
			Requests int64   `json:"requests"`
			Errors   int64   `json:"errors"`
			P50      float64 `json:"p50Ms"`
			P99      float64 `json:"p99Ms"`
			RPS      float64 `json:"requestsPerSecond"`
		} `json:"load"`
	}
	require.Equal(t, 1, strings.Count(stdout, "\n"), stdout)
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	assert.True(t, rep.OK)
	assert.GreaterOrEqual(t, len(rep.Checks), 28)
	assert.Positive(t, rep.Load.Requests)
	assert.Positive(t, rep.Load.RPS)
	assert.Zero(t, rep.Load.Errors)
	assert.Contains(t, stderr, "0 failed")

	// An update command that fails, or changes nothing.
	code, stdout, _ = checkService("--ca", s.caFile, "--update-cmd", "exit 3", s.pkpass)
	assert.Equal(t, exitProblems, code)
	assert.Regexp(t, `(?m)^FAIL  update: the update ran +--update-cmd exited with status 3$`, stdout)
	code, stdout, _ = checkService("--ca", s.caFile, "--update-cmd", "true", s.pkpass)
	assert.Equal(t, exitProblems, code)
	assert.Regexp(t, `(?m)^FAIL  update: the tag moved forward `, stdout)
	assert.Regexp(t, `(?m)^FAIL  update: the pass changed `, stdout)
}

func TestCheckServiceNamesBrokenRules(t *testing.T) {
	tagField := regexp.MustCompile(`"lastUpdated":"(\d+)"`)
	s := newCSService(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			switch {
			case r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/devices/") && rec.Code == http.StatusOK:
				body = tagField.ReplaceAll(body, []byte(`"lastUpdated":$1`)) // a number, not a string
			case rec.Code == http.StatusUnauthorized:
				// A hostile error body: terminal escapes must not reach the terminal.
				rec.Code = http.StatusForbidden
				rec.Header().Set("Content-Type", "text/plain")
				body = []byte("\x1b[2J\x1b[31mdenied\r\nFAKE ok line")
			}
			rec.Header().Del("Last-Modified")
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Del("Content-Length")
			w.WriteHeader(rec.Code)
			_, _ = w.Write(body)
		})
	})
	code, stdout, stderr := checkService("--ca", s.caFile, s.pkpass)
	require.Equal(t, exitProblems, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
	assert.Regexp(t, `(?m)^FAIL  serials: lastUpdated is a JSON string +lastUpdated is \d+, not a JSON string`, stdout)
	assert.Regexp(t, `(?m)^FAIL  pass: Last-Modified present +no Last-Modified header`, stdout)
	assert.Regexp(t, `(?m)^FAIL  register: wrong token is 401 +got 403 \\x1b\[2J\\x1b\[31mdenied\\r\\nFAKE ok line, want 401$`, stdout)
	assert.NotContains(t, stdout, "\x1b")
	assert.NotContains(t, stdout, "\r")
	assert.Regexp(t, `\d+ checks: \d+ passed, [1-9]\d* failed`, stdout)
	assert.NotContains(t, stdout+stderr, "checkservice-token-0123456789", "the pass's token is never printed")

	// --json names the same failures.
	code, stdout, _ = checkService("--json", "--ca", s.caFile, s.pkpass)
	require.Equal(t, exitProblems, code)
	var rep struct {
		OK     bool                `json:"ok"`
		Checks []wallettest.Result `json:"checks"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep), stdout)
	assert.False(t, rep.OK)
	failed := map[string]bool{}
	for _, c := range rep.Checks {
		if !c.OK {
			failed[c.Name] = true
		}
	}
	assert.True(t, failed[wallettest.CheckSerialsTagString])
	assert.True(t, failed[wallettest.CheckPassLastModified])
	assert.True(t, failed[wallettest.CheckRegisterWrongToken])
	assert.False(t, failed[wallettest.CheckRegisterNew])
}

func TestCheckServiceUsage(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		code int
		out  string
	}{
		{nil, exitUsage, "want exactly one PASS.pkpass, got 0"},
		{[]string{"a.pkpass", "b.pkpass"}, exitUsage, "want exactly one PASS.pkpass, got 2"},
		{[]string{"--apns-listen", "127.0.0.1:0", "--update-cmd", "true", "x.pkpass"}, exitUsage, "--apns-listen needs --apns-cert and --apns-key"},
		{[]string{"--apns-cert", "c.pem", "x.pkpass"}, exitUsage, "--apns-cert and --apns-key go with --apns-listen"},
		{[]string{"--apns-listen", "127.0.0.1:0", "--apns-cert", "c.pem", "--apns-key", "k.pem", "x.pkpass"}, exitUsage, "give --update-cmd too"},
		{[]string{"--duration", "1s", "x.pkpass"}, exitUsage, "--duration and --floor go with --devices N"},
		{[]string{"--devices", "-1", "x.pkpass"}, exitUsage, "--devices must be at least 1"},
		{[]string{"--devices", "2", "--duration", "0s", "x.pkpass"}, exitUsage, "must be positive"},
		{[]string{"--nope", "x.pkpass"}, exitUsage, "flag provided but not defined: -nope"},
		{[]string{filepath.Join(dir, "missing.pkpass")}, exitProblems, "missing.pkpass"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, stdout, stderr := checkService(c.args...)
			assert.Equal(t, c.code, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
			assert.Contains(t, stderr, c.out)
			assert.Empty(t, stdout)
		})
	}
	code, stdout, stderr := checkService("-h")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, stdout, "Usage: passforge check-service")
	assert.Empty(t, stderr)
}

// localhostCert writes a self-signed server certificate for localhost and 127.0.0.1, valid for an hour, to
// dir/name.pem and its key to dir/name-key.pem: the fake APNs of check-service presents it (and serve
// trusts it with --apns-ca), and serve's own TLS test serves with it.
func localhostCert(t *testing.T, dir, name string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	certFile, keyFile = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+"-key.pem")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600))
	return certFile, keyFile
}

// freeAddr returns a loopback address no one listens on (for --apns-listen, which must be known before serve
// starts).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// checkServeEndToEnd runs check-service (the binary) against a running serve on db: every check, an update
// through the admin API with curl whose push must reach --apns-listen, and a load run next to the floor.
func checkServeEndToEnd(t *testing.T, db string) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatalf("curl is needed for --update-cmd: %v", err)
	}
	dir := t.TempDir()
	design := serveDesign(t, dir)
	cert, key := localhostCert(t, dir, "apns")
	apnsAddr := freeAddr(t)
	p := startServe(t, dir, "--template", design, "--dev", "--db", db, "--apns", "https://"+apnsAddr, "--apns-ca", cert)
	info := p.adminInfo("POST", "/api/v1/passes", `{"serialNumber": "CS-1", "values": {"name": "Jane", "points": 10}}`, http.StatusCreated)
	pk := filepath.Join(dir, "cs1.pkpass")
	require.NoError(t, os.WriteFile(pk, download(t, info.DownloadURL), 0o644))

	update := `curl -sS -f -o /dev/null -X PATCH -H "Authorization: Bearer $` + envAdminToken + `" -d '{"values": {"points": 20}}' ` +
		p.url + "/api/v1/passes/CS-1"
	code, stdout, stderr := pf(t, dir, "check-service", "--update-cmd", update, "--apns-listen", apnsAddr, "--apns-cert", cert,
		"--apns-key", key, "--push-timeout", "30s", "--devices", "4", "--duration", "2s", "--floor", "cs1.pkpass")
	require.Equal(t, exitOK, code, "stdout:\n%s\nstderr:\n%s\nserve stderr:\n%s", stdout, stderr, p.stderr)
	assert.NotContains(t, stdout, "FAIL")
	assert.Regexp(t, `(?m)^ok    update: a push arrived for the device `, stdout)
	assert.Regexp(t, `(?m)^ok    update: the tag moved forward `, stdout)
	assert.Regexp(t, `(?m)^ok    pass: served pass is a valid signed \.pkpass +signed by Pass Type ID: `+regexp.QuoteMeta(servePassTypeID)+`$`, stdout)
	assert.Regexp(t, `(?m)^load:  4 devices .* 0 errors$`, stdout)
	w := newWallet(t, "x", "y", download(t, info.DownloadURL))
	assert.NotContains(t, stdout+stderr, w.Target.AuthenticationToken, "the pass's token is never printed")
	assert.NotContains(t, stdout+stderr, serveTestToken, "the admin token is never printed")
	for _, l := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(l, "load:") || strings.HasPrefix(l, "floor:") || strings.HasPrefix(l, "the service answers") {
			t.Log(l)
		}
	}
	// The devices left nothing behind.
	got := p.adminInfo("GET", "/api/v1/passes/CS-1", "", http.StatusOK)
	require.NotNil(t, got.Registrations)
	assert.Zero(t, *got.Registrations)
	assert.Equal(t, exitOK, p.stop())
}

func TestCheckServiceServeSQLite(t *testing.T) {
	checkServeEndToEnd(t, "sqlite:"+filepath.Join(t.TempDir(), "passforge.db"))
}

func TestCheckServiceServePostgres(t *testing.T) {
	checkServeEndToEnd(t, pgtest.URL(t))
}

// The fake APNs refuses to start on an address in use, before any check runs.
func TestCheckServiceAPNsAddressInUse(t *testing.T) {
	s := newCSService(t, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	cert, key := localhostCert(t, t.TempDir(), "apns")
	code, stdout, stderr := checkService("--ca", s.caFile, "--update-cmd", "true", "--apns-listen", ln.Addr().String(),
		"--apns-cert", cert, "--apns-key", key, s.pkpass)
	assert.Equal(t, exitProblems, code)
	assert.Contains(t, stderr, "--apns-listen "+ln.Addr().String())
	assert.Empty(t, stdout)
}

// benchServe starts 'passforge serve' on db for a benchmark, issues one pass and returns its .pkpass; the
// process is stopped when the benchmark ends.
func benchServe(b *testing.B, dir, db string) []byte {
	b.Helper()
	design := serveDesign(b, dir)
	cmd := exec.Command(passforgeBin, "serve", "--addr", "127.0.0.1:0", "--template", design, "--dev", "--apns", "off", "--db", db)
	cmd.Dir = dir
	out := &syncbuf.Buffer{}
	cmd.Stdout, cmd.Stderr = out, io.Discard
	require.NoError(b, cmd.Start())
	b.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	var base string
	for deadline := time.Now().Add(serveStartTimeout); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := listenLine.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
			break
		}
	}
	require.NotEmpty(b, base, "serve did not start:\n%s", out)
	req, err := http.NewRequest(http.MethodPost, base+"/api/v1/passes", strings.NewReader(`{"serialNumber": "B-1", "values": {"name": "Jane"}}`))
	require.NoError(b, err)
	req.Header.Set("Authorization", "Bearer "+serveTestToken)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(b, err)
	var info serveInfo
	require.NoError(b, json.NewDecoder(resp.Body).Decode(&info))
	resp.Body.Close()
	require.Equal(b, http.StatusCreated, resp.StatusCode)
	resp, err = http.Get(info.DownloadURL)
	require.NoError(b, err)
	defer resp.Body.Close()
	pk, err := io.ReadAll(resp.Body)
	require.NoError(b, err)
	return pk
}

// envFloorServer makes TestFloorServerProcess serve wallettest.FloorHandler: the benchmark's floor runs in a
// process of its own, as serve does, rather than inside the process generating the load.
const envFloorServer = "PASSFORGE_TEST_FLOOR_SERVER"

// TestFloorServerProcess is the floor server of BenchmarkServePolls when run as a child with envFloorServer
// set; otherwise it checks, in this process, that the floor answers a poll and a conditional fetch as the
// protocol allows.
func TestFloorServerProcess(t *testing.T) {
	if os.Getenv(envFloorServer) != "1" {
		srv := httptest.NewServer(wallettest.FloorHandler())
		defer srv.Close()
		d := wallettest.NewDevice(wallettest.Target{WebServiceURL: srv.URL, AuthenticationToken: "floor-token-0123456789",
			PassTypeIdentifier: "pass.x", SerialNumber: "1"}, srv.Client())
		r, err := d.Serials(t.Context(), "1")
		require.NoError(t, err)
		assert.Equal(t, http.StatusNoContent, r.Status)
		r, err = d.Pass(t.Context(), time.Now())
		require.NoError(t, err)
		assert.Equal(t, http.StatusNotModified, r.Status)
		return
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	fmt.Printf("floor listening on http://%s\n", ln.Addr())
	srv := &http.Server{Handler: wallettest.FloorHandler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); srv.Close() }() // ends when the parent closes stdin
	_ = srv.Serve(ln)
}

var floorLine = regexp.MustCompile(`floor listening on (http://\S+)`)

// startFloorProcess runs TestFloorServerProcess as a child process and returns its URL.
func startFloorProcess(b *testing.B) string {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFloorServerProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), envFloorServer+"=1")
	out := &syncbuf.Buffer{}
	cmd.Stdout = out
	stdin, err := cmd.StdinPipe()
	require.NoError(b, err)
	require.NoError(b, cmd.Start())
	b.Cleanup(func() {
		stdin.Close()
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	for deadline := time.Now().Add(serveStartTimeout); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := floorLine.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
	}
	b.Fatalf("the floor server did not start:\n%s", out)
	return ""
}

// BenchmarkServePolls measures device polls (the list request with the tag the device holds: 204) against
// 'passforge serve' as a separate process, on SQLite and (with PASSFORGE_TEST_POSTGRES) PostgreSQL, next to
// wallettest.FloorHandler on plain net/http in a process of its own, in the same run; each of
// GOMAXPROCS×4 goroutines is a device:
//
//	go test -run '^$' -bench ServePolls -benchtime 5s ./cmd/passforge/
func BenchmarkServePolls(b *testing.B) {
	targets := map[string]wallettest.Target{}
	sqlite := b.TempDir()
	tg, err := wallettest.ReadTarget(benchServe(b, sqlite, "sqlite:"+filepath.Join(sqlite, "bench.db")))
	require.NoError(b, err)
	targets["serve-sqlite"] = *tg
	names := []string{"serve-sqlite"}
	if os.Getenv(pgtest.EnvVar) != "" {
		tg, err := wallettest.ReadTarget(benchServe(b, b.TempDir(), pgtest.URL(b)))
		require.NoError(b, err)
		targets["serve-postgres"] = *tg
		names = append(names, "serve-postgres")
	}
	ftg := *tg
	ftg.WebServiceURL = startFloorProcess(b) + "/"
	targets["floor"] = ftg
	names = append(names, "floor")

	for _, name := range names {
		b.Run(name, func(b *testing.B) {
			tr := http.DefaultTransport.(*http.Transport).Clone()
			tr.MaxIdleConnsPerHost = 64
			defer tr.CloseIdleConnections()
			client := &http.Client{Transport: tr}
			b.SetParallelism(4)
			b.RunParallel(func(pb *testing.PB) {
				d := wallettest.NewDevice(targets[name], client)
				if r, err := d.Register(b.Context()); err != nil || (r.Status != http.StatusCreated && r.Status != http.StatusOK) {
					b.Errorf("register: %v %v", r, err)
					return
				}
				defer d.Unregister(context.Background()) //nolint:errcheck // best effort
				if _, err := d.Sync(b.Context()); err != nil {
					b.Error(err)
					return
				}
				for pb.Next() {
					r, err := d.Serials(b.Context(), d.Tag)
					if err != nil || r.Status != http.StatusNoContent {
						b.Errorf("poll: %v %v", r, err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "polls/s")
		})
	}
}

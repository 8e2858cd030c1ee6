package main

// End-to-end tests of 'passforge serve': the binary TestMain built runs as a subprocess on a loopback port,
// simulated devices talk plain HTTP to its web service, and pushtest plays APNs.

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/passforge/passforge/internal/pgtest"
	"github.com/passforge/passforge/internal/syncbuf"
	"github.com/passforge/passforge/push/pushtest"
	"github.com/passforge/passforge/server"
	"github.com/passforge/passforge/sign"
	"github.com/passforge/passforge/webservice"
	"github.com/passforge/passforge/webservice/pgstore"
	"github.com/passforge/passforge/webservice/sqlitestore"
	"github.com/passforge/passforge/webservice/wallettest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	serveTestToken    = "serve-e2e-admin-token-0123456789"
	servePassTypeID   = "pass.com.example.serve"
	serveTeamID       = "SERVE12345"
	serveStartTimeout = 60 * time.Second
)

func init() {
	// The end-to-end cases of every command (e2e_test.go) run serve with the environment of the tests.
	e2eCases["serve"] = []e2eCase{
		{[]string{"-h"}, exitOK, "", ""},
		{[]string{"--template", "missing.pass", "--dev"}, exitProblems, "--template missing.pass", ""},
		{[]string{"--template", "design.pass", "--dev", "--db", "sqlite:no/such/folder/x.db"}, exitProblems, "cannot open the database", ""},
		{[]string{"--template", "design.pass", "--dev", "--apns", "nowhere"}, exitUsage, "--apns", ""},
	}
	e2eJSONCases["serve"] = struct {
		args []string
		code int
		keys []string
	}{[]string{"--json", "--template", "missing.pass", "--dev"}, exitProblems, []string{"error", "exitCode"}}
	os.Setenv(envAdminToken, serveTestToken)
}

func servePNG(t testing.TB, size int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 5), uint8(y * 5), 120, 255})
		}
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// serveDesign writes a store card design with a {{name}} placeholder and a points field into dir/card.pass.
func serveDesign(t testing.TB, dir string) string {
	t.Helper()
	design := filepath.Join(dir, "card.pass")
	require.NoError(t, os.MkdirAll(design, 0o755))
	passJSON := `{
  "formatVersion": 1,
  "passTypeIdentifier": "` + servePassTypeID + `",
  "teamIdentifier": "` + serveTeamID + `",
  "organizationName": "Example Coffee",
  "description": "Example Coffee card",
  "serialNumber": "DESIGN",
  "storeCard": {
    "headerFields": [{"key": "points", "label": "POINTS", "value": 0, "changeMessage": "You have %@ points"}],
    "secondaryFields": [{"key": "member", "label": "MEMBER", "value": "{{name}}"}]
  }
}`
	require.NoError(t, os.WriteFile(filepath.Join(design, "pass.json"), []byte(passJSON), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(design, "icon.png"), servePNG(t, 29), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(design, "icon@2x.png"), servePNG(t, 58), 0o644))
	return design
}

// serveProc is a running 'passforge serve'.
type serveProc struct {
	t              *testing.T
	cmd            *exec.Cmd
	url            string // where it listens, http://127.0.0.1:PORT
	wsURL          string // the webServiceURL it printed
	stdout, stderr *syncbuf.Buffer
	done           chan struct{}
	exit           int
}

var listenLine = regexp.MustCompile(`listening on (https?://\S+) `)
var wsLine = regexp.MustCompile(`(?m)^webServiceURL: (\S+)$`)

// startServe starts the binary in dir with args (and --addr 127.0.0.1:0) and waits until it listens.
func startServe(t *testing.T, dir string, args ...string) *serveProc {
	t.Helper()
	p := &serveProc{t: t, stdout: &syncbuf.Buffer{}, stderr: &syncbuf.Buffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(passforgeBin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	p.cmd.Dir = dir
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	p.cmd.Env = append(os.Environ(), envAdminToken+"="+serveTestToken)
	require.NoError(t, p.cmd.Start())
	go func() {
		err := p.cmd.Wait()
		p.exit = 0
		if ee, ok := err.(*exec.ExitError); ok {
			p.exit = ee.ExitCode()
		} else if err != nil {
			p.exit = -1
		}
		close(p.done)
	}()
	t.Cleanup(func() { p.kill() })
	deadline := time.Now().Add(serveStartTimeout)
	for time.Now().Before(deadline) {
		if m := listenLine.FindStringSubmatch(p.stdout.String()); m != nil {
			p.url = m[1]
			if w := wsLine.FindStringSubmatch(p.stdout.String()); w != nil {
				p.wsURL = w[1]
				return p
			}
		}
		select {
		case <-p.done:
			t.Fatalf("serve exited with %d before listening\nstdout:\n%s\nstderr:\n%s", p.exit, p.stdout, p.stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not listen within %s\nstdout:\n%s\nstderr:\n%s", serveStartTimeout, p.stdout, p.stderr)
	return nil
}

// stop sends SIGTERM and returns the exit status.
func (p *serveProc) stop() int {
	p.t.Helper()
	require.NoError(p.t, p.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case <-p.done:
	case <-time.After(60 * time.Second):
		p.t.Fatalf("serve did not stop after SIGTERM\nstderr:\n%s", p.stderr)
	}
	return p.exit
}

// kill ends the process at once (SIGKILL), as a crash would.
func (p *serveProc) kill() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Kill()
	<-p.done
}

// admin sends an admin API request.
func (p *serveProc) admin(method, path, body string) (int, []byte) {
	p.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, p.url+path, r)
	require.NoError(p.t, err)
	req.Header.Set("Authorization", "Bearer "+serveTestToken)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(p.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(p.t, err)
	return resp.StatusCode, b
}

type serveInfo struct {
	SerialNumber       string `json:"serialNumber"`
	PassTypeIdentifier string `json:"passTypeIdentifier"`
	LastUpdated        string `json:"lastUpdated"`
	DownloadURL        string `json:"downloadURL"`
	Voided             bool   `json:"voided"`
	Registrations      *int   `json:"registrations"`
	PushesQueued       *int   `json:"pushesQueued"`
}

func (p *serveProc) adminInfo(method, path, body string, want int) serveInfo {
	p.t.Helper()
	code, b := p.admin(method, path, body)
	require.Equal(p.t, want, code, "%s %s: %s\nstderr:\n%s", method, path, b, p.stderr)
	var info serveInfo
	require.NoError(p.t, json.Unmarshal(b, &info), "%s", b)
	return info
}

// wallet is a wallettest.Device that fails its test when no HTTP answer comes and checks each answer as the
// serve tests expect it.
type wallet struct {
	wallettest.Device
	t testing.TB
}

// newWallet reads a downloaded .pkpass as Wallet does: webServiceURL, authenticationToken, type and serial.
func newWallet(t testing.TB, id, pushToken string, pkpass []byte) *wallet {
	t.Helper()
	target, err := wallettest.ReadTarget(pkpass)
	require.NoError(t, err)
	d := wallettest.NewDevice(*target, nil)
	d.ID, d.PushToken = id, pushToken
	return &wallet{Device: *d, t: t}
}

// register registers the device for its pass and returns the status.
func (w *wallet) register() int {
	w.t.Helper()
	r, err := w.Register(w.t.Context())
	require.NoError(w.t, err)
	return r.Status
}

// poll returns the serials changed since the tag the device holds (nil for 204) and keeps the new tag.
func (w *wallet) poll() []string {
	w.t.Helper()
	serials, err := w.Poll(w.t.Context())
	require.NoError(w.t, err)
	return serials
}

// fetch gets the pass with If-Modified-Since of the version it holds; it
// returns the status (200 or 304) and keeps a new version.
func (w *wallet) fetch() int {
	w.t.Helper()
	r, err := w.Fetch(w.t.Context())
	require.NoError(w.t, err)
	if r.Status == http.StatusOK {
		require.Equal(w.t, "application/vnd.apple.pkpass", r.Header.Get("Content-Type"))
	}
	return r.Status
}

// points reads the points field of the pass the device holds.
func (w *wallet) points() string {
	w.t.Helper()
	pkg, _ := sign.ReadBytes(w.Data, nil)
	require.NotNil(w.t, pkg)
	for _, f := range pkg.Pass.StoreCard.HeaderFields {
		if f.Key == "points" {
			b, err := json.Marshal(f.Value)
			require.NoError(w.t, err)
			return string(b)
		}
	}
	w.t.Fatal("no points field")
	return ""
}

func servePushToken(b byte) string {
	return strings.Repeat(fmt.Sprintf("%02x", b), 32)
}

// apnsServer starts pushtest and writes its CA for --apns-ca.
func apnsServer(t *testing.T, dir string) (*pushtest.Server, []string) {
	t.Helper()
	apns, err := pushtest.NewServer()
	require.NoError(t, err)
	t.Cleanup(apns.Close)
	ca := filepath.Join(dir, "apns-ca.pem")
	require.NoError(t, os.WriteFile(ca, apns.CAPEM(), 0o644))
	return apns, []string{"--apns", apns.URL, "--apns-ca", ca}
}

// download fetches the downloadURL without the admin token.
func download(t *testing.T, u string) []byte {
	t.Helper()
	resp, err := http.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return b
}

// devCA opens the database as another process would and returns the development CA serve keeps there, to
// verify its passes.
func devCA(t *testing.T, store webservice.Store) *x509.CertPool {
	t.Helper()
	dev, err := server.DevelopmentIdentity(t.Context(), store, servePassTypeID, serveTeamID)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(dev.CA)
	return pool
}

func TestServeUsage(t *testing.T) {
	dir := t.TempDir()
	design := serveDesign(t, dir)
	noToken := func(args ...string) (int, string) {
		cmd := exec.Command(passforgeBin, append([]string{"serve"}, args...)...)
		cmd.Dir = dir
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, envAdminToken+"=") {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		ee, ok := err.(*exec.ExitError)
		require.True(t, ok, "%v", err)
		return ee.ExitCode(), stderr.String()
	}
	code, stderr := noToken("--template", design, "--dev")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, envAdminToken+" is not set")

	for _, c := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--dev"}, exitUsage, "want --template"},
		{[]string{"--template", design, "--dev", "--apns", "http://insecure:1"}, exitUsage, "--apns"},
		{[]string{"--template", design, "--dev", "--db", "mysql://x"}, exitUsage, "want sqlite:PATH or a postgres:// URL"},
		{[]string{"--template", design, "--dev", "--tls-cert", "c.pem"}, exitUsage, "--tls-cert and --tls-key go together"},
		{[]string{"--template", design, "--dev", "--public-url", "ftp://x"}, exitUsage, "--public-url"},
		{[]string{"--template", design, "--dev", "--p12", "x.p12"}, exitUsage, "choose exactly one identity"},
		{[]string{"--template", design, "--dev", "--apns-ca", "ca.pem"}, exitUsage, "--apns-ca goes with"},
		{[]string{"--template", design, "--dev", "--log-level", "loud"}, exitUsage, "--log-level"},
		{[]string{"--template", design, "--p12", "missing.p12"}, exitProblems, "missing.p12"},
		{[]string{"--template", filepath.Join(dir, "nope.pass"), "--dev"}, exitProblems, "--template"},
		{[]string{"--template", design, "--dev", "--db", "sqlite:" + filepath.Join(dir, "no", "such", "x.db")}, exitProblems, "cannot open the database"},
		{[]string{"--template", design, "--dev", "--db", "postgres://nobody:secret-pw@127.0.0.1:1/x?connect_timeout=2"}, exitProblems, "cannot open the database"},
		{[]string{"--template", design, "--dev", "--tls-cert", "c.pem", "--tls-key", "k.pem"}, exitProblems, "--tls-cert c.pem"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, stdout, stderr := pf(t, dir, append([]string{"serve"}, c.args...)...)
			assert.Equal(t, c.code, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
			assert.Contains(t, stderr, c.out)
			assert.NotContains(t, stderr, "secret-pw", "no password in a message")
			assert.NotContains(t, stderr+stdout, serveTestToken)
		})
	}
	// An address in use is a runtime failure.
	p := startServe(t, dir, "--template", design, "--dev", "--apns", "off", "--db", "sqlite:"+filepath.Join(dir, "a.db"))
	addr := strings.TrimPrefix(p.url, "http://")
	code, _, stderr = pf(t, dir, "serve", "--template", design, "--dev", "--apns", "off", "--db", "sqlite:"+filepath.Join(dir, "b.db"), "--addr", addr)
	assert.Equal(t, exitProblems, code)
	assert.Contains(t, stderr, "--addr "+addr)
	assert.Equal(t, exitOK, p.stop())
}

// serveLiveUpdate runs the whole loop against a running serve: issue, download, register, two updates within
// one second, the pushes arrive, the device polls and fetches the new version.
func serveLiveUpdate(t *testing.T, p *serveProc, apns *pushtest.Server, serial string, token string) *wallet {
	t.Helper()
	info := p.adminInfo("POST", "/api/v1/passes", `{"serialNumber": "`+serial+`", "values": {"name": "Jane", "points": 100}}`, http.StatusCreated)
	assert.Equal(t, servePassTypeID, info.PassTypeIdentifier)
	w := newWallet(t, "device-"+serial, token, download(t, info.DownloadURL))
	assert.Equal(t, p.wsURL, w.Target.WebServiceURL)
	require.Equal(t, http.StatusCreated, w.register())
	require.Equal(t, []string{serial}, w.poll())
	require.Equal(t, http.StatusOK, w.fetch())
	first, firstTag := w.Modified, w.Tag
	assert.Equal(t, "100", w.points())
	assert.Equal(t, http.StatusNotModified, w.fetch())

	// Two updates within one second, the device fetching between them: each version is newer than the last,
	// though HTTP dates have whole seconds.
	before := len(apns.RequestsFor(token))
	for i, pts := range []string{"150", "175"} {
		up := p.adminInfo("PATCH", "/api/v1/passes/"+serial, `{"values": {"points": `+pts+`}}`, http.StatusOK)
		require.NotNil(t, up.PushesQueued)
		assert.Equal(t, 1, *up.PushesQueued)
		require.Eventually(t, func() bool { return len(apns.RequestsFor(token)) >= before+i+1 }, 20*time.Second, 20*time.Millisecond,
			"the push arrives\nstderr:\n%s", p.stderr)
		req := apns.RequestsFor(token)[before+i]
		assert.Equal(t, servePassTypeID, req.Header.Get("apns-topic"))
		assert.JSONEq(t, `{}`, string(req.Body))
		prevTag, prevModified := w.Tag, w.Modified
		assert.Equal(t, []string{serial}, w.poll())
		assert.Greater(t, webservice.ParseTag(w.Tag), webservice.ParseTag(prevTag), "the tag moved forward")
		assert.Equal(t, http.StatusOK, w.fetch(), "the device holding the older version gets the new one")
		assert.True(t, w.Modified.After(prevModified), "Last-Modified %s after %s", w.Modified, prevModified)
		assert.Equal(t, pts, w.points())
	}
	assert.True(t, w.Modified.After(first))
	assert.Greater(t, webservice.ParseTag(w.Tag), webservice.ParseTag(firstTag))
	assert.Equal(t, http.StatusNotModified, w.fetch())
	assert.Nil(t, w.poll())
	return w
}

func TestServeSQLite(t *testing.T) {
	dir := t.TempDir()
	design := serveDesign(t, dir)
	apns, apnsFlags := apnsServer(t, dir)
	db := "sqlite:" + filepath.Join(dir, "passforge.db")
	args := append([]string{"--template", design, "--dev", "--db", db, "--log-level", "debug"}, apnsFlags...)
	p := startServe(t, dir, args...)
	assert.Contains(t, p.stderr.String(), "not https")
	token := servePushToken(0xa1)
	w := serveLiveUpdate(t, p, apns, "S-1", token)
	signer := verifiedSigner(t, w.Data, db)

	code, body := p.admin("GET", "/healthz", "")
	assert.Equal(t, http.StatusOK, code, "%s", body)
	code, body = p.admin("GET", "/metrics", "")
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, string(body), "passforge_registrations 1")
	assert.Contains(t, string(body), `passforge_pushes_total{outcome="delivered"} 2`)

	assert.Equal(t, exitOK, p.stop(), "stderr:\n%s", p.stderr)
	assert.Contains(t, p.stderr.String(), "msg=request method=POST endpoint=webservice_register status=201")
	assert.NotContains(t, p.stderr.String(), serveTestToken)
	assert.NotContains(t, p.stderr.String(), w.Target.AuthenticationToken)

	// After a restart at the same address: the registration is still there, the same signer signs, the device
	// keeps updating.
	p = startServe(t, dir, append(args, "--addr", strings.TrimPrefix(p.url, "http://"))...)
	info := p.adminInfo("GET", "/api/v1/passes/S-1", "", http.StatusOK)
	require.NotNil(t, info.Registrations)
	assert.Equal(t, 1, *info.Registrations)
	before := len(apns.RequestsFor(token))
	p.adminInfo("PATCH", "/api/v1/passes/S-1", `{"values": {"points": 200}}`, http.StatusOK)
	require.Eventually(t, func() bool { return len(apns.RequestsFor(token)) > before }, 20*time.Second, 20*time.Millisecond)
	assert.Equal(t, []string{"S-1"}, w.poll())
	assert.Equal(t, http.StatusOK, w.fetch())
	assert.Equal(t, "200", w.points())
	assert.True(t, signer.Equal(verifiedSigner(t, w.Data, db)), "passes keep one signer across restarts")
	assert.Equal(t, exitOK, p.stop())
}

// verifiedSigner verifies a pass against the development CA kept in the database and returns its signer.
func verifiedSigner(t *testing.T, pkpass []byte, db string) *x509.Certificate {
	t.Helper()
	var store webservice.Store
	var err error
	if path, ok := strings.CutPrefix(db, "sqlite:"); ok {
		store, err = sqlitestore.Open(t.Context(), path, nil)
	} else {
		store, err = pgstore.Open(t.Context(), db)
	}
	require.NoError(t, err)
	defer store.Close()
	pkg, err := sign.ReadBytes(pkpass, &sign.VerifyOptions{Roots: devCA(t, store)})
	require.NoError(t, err)
	require.NotEmpty(t, pkg.Chain)
	return pkg.Chain[0]
}

// TestServeTLS serves HTTPS with --tls-cert and --tls-key: the passes' webServiceURL and download links are https.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	design := serveDesign(t, dir)
	certFile, _ := localhostCert(t, dir, "tls")
	certPEM, err := os.ReadFile(certFile)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(certPEM))
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}

	p := startServe(t, dir, "--template", design, "--dev", "--apns", "off", "--db", "sqlite:"+filepath.Join(dir, "tls.db"),
		"--tls-cert", "tls.pem", "--tls-key", "tls-key.pem")
	require.True(t, strings.HasPrefix(p.url, "https://127.0.0.1:"), p.url)
	assert.True(t, strings.HasPrefix(p.wsURL, "https://localhost:"), p.wsURL)
	assert.NotContains(t, p.stderr.String(), "not https")
	resp, err := client.Get(p.url + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	req, err := http.NewRequest("POST", p.url+"/api/v1/passes", strings.NewReader(`{"values": {"name": "Tls"}}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+serveTestToken)
	resp, err = client.Do(req)
	require.NoError(t, err)
	var info serveInfo
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&info))
	resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.True(t, strings.HasPrefix(info.DownloadURL, p.wsURL+"download/"), info.DownloadURL)
	resp, err = client.Get(strings.Replace(info.DownloadURL, "https://localhost:", "https://127.0.0.1:", 1))
	require.NoError(t, err)
	pkpass, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, p.wsURL, newWallet(t, "tls-device", servePushToken(7), pkpass).Target.WebServiceURL)
	// Plain HTTP to the TLS port gets nowhere.
	if resp, err := http.Get(strings.Replace(p.url, "https://", "http://", 1) + "/healthz"); err == nil {
		resp.Body.Close()
		assert.NotEqual(t, http.StatusOK, resp.StatusCode)
	}
	assert.Equal(t, exitOK, p.stop())
}

// TestServeCrashBetweenUpdateAndPush kills the service (SIGKILL) after an update was stored and before its
// push went out: the restarted service sends it.
func TestServeCrashBetweenUpdateAndPush(t *testing.T) {
	dir := t.TempDir()
	design := serveDesign(t, dir)
	apns, apnsFlags := apnsServer(t, dir)
	db := "sqlite:" + filepath.Join(dir, "passforge.db")
	base := []string{"--template", design, "--dev", "--db", db}

	for _, c := range []struct {
		name  string
		first []string // APNs of the instance that crashes
	}{
		{"outbox kept with APNs off", []string{"--apns", "off"}},
		{"APNs unreachable", []string{"--apns", "https://127.0.0.1:1", "--apns-ca", filepath.Join(dir, "apns-ca.pem")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			serial := "C-" + strings.ReplaceAll(c.name, " ", "-")
			token := servePushToken(byte(len(c.name)))
			p := startServe(t, dir, append(base, c.first...)...)
			p.adminInfo("POST", "/api/v1/passes", `{"serialNumber": "`+serial+`", "values": {"name": "Crash"}}`, http.StatusCreated)
			code, pkpass := p.admin("GET", "/api/v1/passes/"+serial+"/pkpass", "")
			require.Equal(t, http.StatusOK, code)
			w := newWallet(t, "device-"+serial, token, pkpass)
			require.Equal(t, http.StatusCreated, w.register())
			up := p.adminInfo("PATCH", "/api/v1/passes/"+serial, `{"values": {"points": 5}}`, http.StatusOK)
			assert.Equal(t, 1, *up.PushesQueued)
			if c.first[1] != "off" {
				// Killed after a failed attempt, while the entry waits for its retry: the restart sends it at
				// once. (A kill during an attempt leaves a lease that lapses within 30 s; TestServePostgres
				// covers that.)
				require.Eventually(t, func() bool { return strings.Contains(p.stderr.String(), "will retry") }, 20*time.Second,
					20*time.Millisecond, "stderr:\n%s", p.stderr)
			}
			p.kill()
			assert.Empty(t, apns.RequestsFor(token), "nothing reached APNs before the crash")

			p = startServe(t, dir, append(append(base, apnsFlags...), "--addr", strings.TrimPrefix(p.url, "http://"))...)
			require.Eventually(t, func() bool { return len(apns.RequestsFor(token)) == 1 }, 15*time.Second, 20*time.Millisecond,
				"the restarted service sends the pending push at once\nstderr:\n%s", p.stderr)
			assert.Equal(t, []string{serial}, w.poll())
			assert.Equal(t, http.StatusOK, w.fetch())
			assert.Equal(t, "5", w.points())
			assert.Equal(t, exitOK, p.stop())
		})
	}
}

func TestServePostgres(t *testing.T) {
	db := pgtest.URL(t)
	dir := t.TempDir()
	design := serveDesign(t, dir)
	apns, apnsFlags := apnsServer(t, dir)
	args := append([]string{"--template", design, "--dev", "--db", db}, apnsFlags...)

	a := startServe(t, dir, args...)
	token := servePushToken(0xb2)
	w := serveLiveUpdate(t, a, apns, "P-1", token)
	signer := verifiedSigner(t, w.Data, db)

	// A second instance on the same database is the same service: the same signer and secret (its download
	// links and tokens work), any instance serves any device.
	b := startServe(t, dir, append(args, "--public-url", a.wsURL)...)
	infoB := b.adminInfo("GET", "/api/v1/passes/P-1", "", http.StatusOK)
	assert.Equal(t, 1, *infoB.Registrations)
	w2 := newWallet(t, "device-two", servePushToken(0xc3), download(t, infoB.DownloadURL))
	assert.Equal(t, a.wsURL, w2.Target.WebServiceURL, "both instances sign passes with the public URL")
	w2.Target.WebServiceURL = strings.Replace(w2.Target.WebServiceURL, strings.TrimPrefix(a.url, "http://127.0.0.1"), strings.TrimPrefix(b.url, "http://127.0.0.1"), 1)
	require.Equal(t, http.StatusCreated, w2.register())

	// Updates through both: each push is sent once.
	before1, before2 := len(apns.RequestsFor(token)), len(apns.RequestsFor(w2.PushToken))
	for i := range 6 {
		p := a
		if i%2 == 1 {
			p = b
		}
		p.adminInfo("PATCH", "/api/v1/passes/P-1", fmt.Sprintf(`{"values": {"points": %d}}`, 300+i), http.StatusOK)
	}
	require.Eventually(t, func() bool {
		return len(apns.RequestsFor(token)) >= before1+6 && len(apns.RequestsFor(w2.PushToken)) >= before2+6
	}, 30*time.Second, 20*time.Millisecond)
	time.Sleep(2 * time.Second) // time for a duplicate to show up
	assert.Equal(t, before1+6, len(apns.RequestsFor(token)), "each outbox entry sent once")
	assert.Equal(t, before2+6, len(apns.RequestsFor(w2.PushToken)), "each outbox entry sent once")
	w2.Target.WebServiceURL = a.wsURL
	assert.Equal(t, []string{"P-1"}, w2.poll())
	assert.Equal(t, http.StatusOK, w2.fetch())
	assert.Equal(t, "305", w2.points())
	assert.True(t, signer.Equal(verifiedSigner(t, w2.Data, db)))

	// An instance dies with a push in flight (APNs hangs): the other sends it once the lease lapses.
	slow := servePushToken(0xd4)
	apns.Script(slow, pushtest.Response{Delay: time.Minute})
	w3 := newWallet(t, "device-three", slow, download(t, infoB.DownloadURL))
	require.Equal(t, http.StatusCreated, w3.register())
	assert.Equal(t, exitOK, b.stop())
	arrived := apns.Count()
	a.adminInfo("PATCH", "/api/v1/passes/P-1", `{"values": {"points": 400}}`, http.StatusOK)
	require.Eventually(t, func() bool { return apns.Count() >= arrived+3 }, 20*time.Second, 20*time.Millisecond, "three pushes reach APNs")
	a.kill()
	// pushtest logs the hanging request when its connection goes away.
	require.Eventually(t, func() bool { return len(apns.RequestsFor(slow)) == 1 }, 20*time.Second, 20*time.Millisecond)
	b = startServe(t, dir, append(args, "--public-url", a.wsURL)...)
	require.Eventually(t, func() bool { return len(apns.RequestsFor(slow)) == 2 }, 60*time.Second, 100*time.Millisecond,
		"the push of the dead instance is sent again after its lease lapses\nstderr:\n%s", b.stderr)
	// Nothing was lost with the instances: the three registrations are there.
	final := b.adminInfo("GET", "/api/v1/passes/P-1", "", http.StatusOK)
	require.NotNil(t, final.Registrations)
	assert.Equal(t, 3, *final.Registrations)
	assert.Equal(t, exitOK, b.stop())
}

package webservice_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passforge/passforge/internal/syncbuf"
	"github.com/passforge/passforge/sign"
	"github.com/passforge/passforge/webservice"
	"github.com/passforge/passforge/webservice/sqlitestore"
)

const (
	ptype = "pass.com.example.handler"
	token = "s3cr3t-token-0123456789"
	dev1  = "0123456789abcdef0123456789abcdef"
	dev2  = "fedcba9876543210fedcba9876543210"
)

var (
	push1 = strings.Repeat("a1", 32)
	push2 = strings.Repeat("b2", 32)
)

type env struct {
	t     *testing.T
	store *sqlitestore.Store
	h     *webservice.Handler
	srv   *httptest.Server
	base  string // the webServiceURL, without a trailing slash
	logs  *syncbuf.Buffer
}

func newStore(t *testing.T) *sqlitestore.Store {
	t.Helper()
	s, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "ws.db"), nil)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

// newEnv serves a handler over real loopback HTTP. mount decides how it is
// mounted: "" at the root, "strip" under http.StripPrefix("/passes"), "mux"
// behind a ServeMux pattern "/passes/".
func newEnv(t *testing.T, opts *webservice.Options, mount string) *env {
	t.Helper()
	e := &env{t: t, store: newStore(t), logs: &syncbuf.Buffer{}}
	if opts == nil {
		opts = &webservice.Options{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(e.logs, nil))
	}
	h, err := webservice.NewHandler(e.store, opts)
	require.NoError(t, err)
	e.h = h
	var root http.Handler = h
	prefix := ""
	switch mount {
	case "strip":
		mux := http.NewServeMux()
		mux.Handle("/passes/", http.StripPrefix("/passes", h))
		root, prefix = mux, "/passes"
	case "mux":
		mux := http.NewServeMux()
		mux.Handle("/passes/", h)
		root, prefix = mux, "/passes"
	}
	e.srv = httptest.NewServer(root)
	t.Cleanup(e.srv.Close)
	e.base = e.srv.URL + prefix
	return e
}

func (e *env) newPass(serial string, data []byte) *webservice.Pass {
	e.t.Helper()
	p := &webservice.Pass{PassTypeIdentifier: ptype, SerialNumber: serial, AuthTokenHash: webservice.HashToken(token), Data: data}
	require.NoError(e.t, e.store.CreatePass(context.Background(), p))
	return p
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (e *env) do(method, path, auth string, body io.Reader, hdr map[string]string) resp {
	e.t.Helper()
	req, err := http.NewRequest(method, e.base+path, body)
	require.NoError(e.t, err)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := e.srv.Client().Do(req)
	require.NoError(e.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(e.t, err)
	return resp{res.StatusCode, res.Header, b}
}

func regPath(device, serial string) string {
	return "/v1/devices/" + device + "/registrations/" + ptype + "/" + serial
}

func pushBody(tok string) io.Reader { return strings.NewReader(`{"pushToken":"` + tok + `"}`) }

func (e *env) register(device, serial, push string) resp {
	e.t.Helper()
	return e.do(http.MethodPost, regPath(device, serial), "ApplePass "+token, pushBody(push), map[string]string{"Content-Type": "application/json"})
}

func (e *env) list(device, since string) resp {
	e.t.Helper()
	q := ""
	if since != "" {
		q = "?passesUpdatedSince=" + since
	}
	return e.do(http.MethodGet, "/v1/devices/"+device+"/registrations/"+ptype+q, "", nil, nil)
}

func decodeList(t *testing.T, r resp) (serials []string, tag string) {
	t.Helper()
	require.Equal(t, http.StatusOK, r.status, "body %s", r.body)
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	var raw map[string]any
	require.NoError(t, json.Unmarshal(r.body, &raw))
	last, ok := raw["lastUpdated"].(string)
	require.True(t, ok, "lastUpdated must be a JSON string: %s", r.body)
	require.Regexp(t, `^[0-9]+$`, last)
	var body struct {
		SerialNumbers []string `json:"serialNumbers"`
	}
	require.NoError(t, json.Unmarshal(r.body, &body))
	return body.SerialNumbers, last
}

func TestRegisterAndReRegister(t *testing.T) {
	var mu sync.Mutex
	var events []string
	opts := &webservice.Options{Hooks: webservice.Hooks{
		Registered: func(_ context.Context, r webservice.Registration, created bool) {
			mu.Lock()
			defer mu.Unlock()
			events = append(events, fmt.Sprintf("%s %s %s %v", r.DeviceLibraryIdentifier, r.SerialNumber, r.PushToken[:4], created))
		},
	}}
	e := newEnv(t, opts, "")
	e.newPass("R1", []byte("pk"))

	r := e.register(dev1, "R1", push1)
	assert.Equal(t, http.StatusCreated, r.status, "new registration: %s", r.body)
	r = e.register(dev1, "R1", push1)
	assert.Equal(t, http.StatusOK, r.status, "same registration again")
	r = e.register(dev1, "R1", strings.ToUpper(push2))
	assert.Equal(t, http.StatusOK, r.status, "re-registration with a new push token")

	tokens, err := e.store.PushTokens(context.Background(), ptype, "R1")
	require.NoError(t, err)
	assert.Equal(t, []string{push2}, tokens, "the new token replaced the old one (stored lower case)")
	c, err := e.store.Counts(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(1), c.Registrations)
	mu.Lock()
	assert.Equal(t, []string{dev1 + " R1 a1a1 true", dev1 + " R1 a1a1 false", dev1 + " R1 b2b2 false"}, events)
	mu.Unlock()
}

func TestAuthorizationFailuresAreAllAlike(t *testing.T) {
	e := newEnv(t, nil, "")
	e.newPass("A1", []byte("pk"))

	// Accepted forms: the scheme in any case, extra spaces before the token.
	for _, auth := range []string{"ApplePass " + token, "applepass " + token, "APPLEPASS " + token, "ApplePass   " + token} {
		r := e.do(http.MethodGet, "/v1/passes/"+ptype+"/A1", auth, nil, nil)
		assert.Equal(t, http.StatusOK, r.status, "auth %q", auth)
	}

	cases := []struct{ name, serial, auth string }{
		{"no header", "A1", ""},
		{"wrong token", "A1", "ApplePass wrong-token-0123456789"},
		{"token prefix", "A1", "ApplePass " + token[:10]},
		{"token with suffix", "A1", "ApplePass " + token + "x"},
		{"token only", "A1", token},
		{"bearer scheme", "A1", "Bearer " + token},
		{"scheme only", "A1", "ApplePass"},
		{"scheme and space", "A1", "ApplePass "},
		{"scheme glued", "A1", "ApplePass" + token},
		{"two tokens", "A1", "ApplePass " + token + " " + token},
		{"unknown pass, right token", "nope", "ApplePass " + token},
		{"unknown pass, no header", "nope", ""},
	}
	var bodies [][]byte
	for _, tc := range cases {
		for _, req := range []struct{ method, path string }{
			{http.MethodGet, "/v1/passes/" + ptype + "/" + tc.serial},
			{http.MethodPost, regPath(dev1, tc.serial)},
			{http.MethodDelete, regPath(dev1, tc.serial)},
		} {
			var body io.Reader
			if req.method == http.MethodPost {
				body = pushBody(push1)
			}
			r := e.do(req.method, req.path, tc.auth, body, nil)
			assert.Equal(t, http.StatusUnauthorized, r.status, "%s: %s %s", tc.name, req.method, req.path)
			assert.Equal(t, "ApplePass", r.header.Get("WWW-Authenticate"))
			bodies = append(bodies, r.body)
		}
	}
	for _, b := range bodies {
		assert.Equal(t, bodies[0], b, "every 401 looks the same, whether the pass exists or not")
	}
	assert.NotContains(t, string(bodies[0]), token)
	c, err := e.store.Counts(context.Background())
	require.NoError(t, err)
	assert.Zero(t, c.Registrations, "no failed request registered anything")
}

func TestRegisterHostileBodies(t *testing.T) {
	e := newEnv(t, nil, "")
	e.newPass("B1", []byte("pk"))
	big := `{"pushToken":"` + push1 + `","pad":"` + strings.Repeat("x", webservice.MaxRegisterBody) + `"}`
	cases := []struct {
		name   string
		body   string
		status int
	}{
		{"empty", "", http.StatusBadRequest},
		{"malformed", `{"pushToken":`, http.StatusBadRequest},
		{"not an object", `"` + push1 + `"`, http.StatusBadRequest},
		{"array", `[{"pushToken":"` + push1 + `"}]`, http.StatusBadRequest},
		{"null", `null`, http.StatusBadRequest},
		{"no pushToken", `{}`, http.StatusBadRequest},
		{"pushToken number", `{"pushToken":123}`, http.StatusBadRequest},
		{"pushToken null", `{"pushToken":null}`, http.StatusBadRequest},
		{"pushToken not hex", `{"pushToken":"` + strings.Repeat("zz", 32) + `"}`, http.StatusBadRequest},
		{"pushToken with space", `{"pushToken":"` + push1[:30] + ` ` + push1[:31] + `"}`, http.StatusBadRequest},
		{"pushToken too short", `{"pushToken":"abcd"}`, http.StatusBadRequest},
		{"pushToken too long", `{"pushToken":"` + strings.Repeat("ab", webservice.MaxPushTokenLen) + `"}`, http.StatusBadRequest},
		{"pushToken odd length", `{"pushToken":"` + push1 + `a"}`, http.StatusBadRequest},
		{"trailing data", `{"pushToken":"` + push1 + `"} {}`, http.StatusBadRequest},
		{"trailing garbage", `{"pushToken":"` + push1 + `"}x`, http.StatusBadRequest},
		{"too large", big, http.StatusRequestEntityTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do(http.MethodPost, regPath(dev1, "B1"), "ApplePass "+token, strings.NewReader(tc.body), nil)
			assert.Equal(t, tc.status, r.status, "body %s", r.body)
			assert.Contains(t, string(r.body), `"error"`)
			assert.Equal(t, "application/json", r.header.Get("Content-Type"))
		})
	}
	t.Run("too large without Content-Length", func(t *testing.T) {
		// A chunked body is cut at the limit while it is read.
		pr, pw := io.Pipe()
		go func() {
			_, _ = pw.Write([]byte(big))
			pw.Close()
		}()
		r := e.do(http.MethodPost, regPath(dev1, "B1"), "ApplePass "+token, pr, nil)
		assert.Equal(t, http.StatusRequestEntityTooLarge, r.status)
	})
	c, err := e.store.Counts(context.Background())
	require.NoError(t, err)
	assert.Zero(t, c.Registrations)
	// Unknown fields are ignored; an upper-case token is fine.
	r := e.do(http.MethodPost, regPath(dev1, "B1"), "ApplePass "+token,
		strings.NewReader(`{"pushToken":"`+strings.ToUpper(push1)+`","other":[1,2]}`), nil)
	assert.Equal(t, http.StatusCreated, r.status, "%s", r.body)
}

func TestHostileIdentifiers(t *testing.T) {
	e := newEnv(t, nil, "")
	e.newPass("H1", []byte("pk"))
	long := strings.Repeat("a", webservice.MaxDeviceIDLen+1)
	longSerial := strings.Repeat("s", webservice.MaxSerialLen+1)
	longType := "pass." + strings.Repeat("t", webservice.MaxPassTypeIDLen)
	cases := []struct{ name, method, path string }{
		{"device with space", http.MethodPost, "/v1/devices/a%20b/registrations/" + ptype + "/H1"},
		{"device with quote", http.MethodPost, "/v1/devices/a%22b/registrations/" + ptype + "/H1"},
		{"device non-ASCII", http.MethodPost, "/v1/devices/%C3%A4/registrations/" + ptype + "/H1"},
		{"device with newline", http.MethodDelete, "/v1/devices/a%0Ab/registrations/" + ptype + "/H1"},
		{"device too long", http.MethodPost, "/v1/devices/" + long + "/registrations/" + ptype + "/H1"},
		{"device too long (list)", http.MethodGet, "/v1/devices/" + long + "/registrations/" + ptype},
		{"device with NUL (list)", http.MethodGet, "/v1/devices/ab%00/registrations/" + ptype},
		{"type with slash", http.MethodGet, "/v1/passes/pass.a%2Fb/H1"},
		{"type with space", http.MethodGet, "/v1/devices/" + dev1 + "/registrations/pass%20x"},
		{"type too long", http.MethodGet, "/v1/passes/" + longType + "/H1"},
		{"serial with newline", http.MethodGet, "/v1/passes/" + ptype + "/H%0A1"},
		{"serial with ESC", http.MethodPost, regPath(dev1, "H%1B1")},
		{"serial with DEL", http.MethodGet, "/v1/passes/" + ptype + "/H%7F"},
		{"serial invalid UTF-8", http.MethodGet, "/v1/passes/" + ptype + "/%FF%FE"},
		{"serial too long", http.MethodGet, "/v1/passes/" + ptype + "/" + longSerial},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body io.Reader
			if tc.method == http.MethodPost {
				body = pushBody(push1)
			}
			r := e.do(tc.method, tc.path, "ApplePass "+token, body, nil)
			assert.Equal(t, http.StatusBadRequest, r.status, "body %s", r.body)
		})
	}
}

func TestUnregister(t *testing.T) {
	var mu sync.Mutex
	var gone []string
	opts := &webservice.Options{Hooks: webservice.Hooks{
		Unregistered: func(_ context.Context, device, passTypeID, serial string) {
			mu.Lock()
			defer mu.Unlock()
			gone = append(gone, device+" "+passTypeID+" "+serial)
		},
	}}
	e := newEnv(t, opts, "")
	e.newPass("U1", []byte("pk"))
	e.newPass("U2", []byte("pk"))
	require.Equal(t, http.StatusCreated, e.register(dev1, "U1", push1).status)
	require.Equal(t, http.StatusCreated, e.register(dev1, "U2", push1).status)

	r := e.do(http.MethodDelete, regPath(dev1, "U1"), "ApplePass "+token, nil, nil)
	assert.Equal(t, http.StatusOK, r.status)
	c, err := e.store.Counts(context.Background())
	require.NoError(t, err)
	assert.Equal(t, webservice.Counts{Passes: 2, Devices: 1, Registrations: 1}, c)

	r = e.do(http.MethodDelete, regPath(dev1, "U2"), "ApplePass "+token, nil, nil)
	assert.Equal(t, http.StatusOK, r.status)
	c, err = e.store.Counts(context.Background())
	require.NoError(t, err)
	assert.Equal(t, webservice.Counts{Passes: 2}, c, "the last unregistration removed the device")

	r = e.do(http.MethodDelete, regPath(dev1, "U2"), "ApplePass "+token, nil, nil)
	assert.Equal(t, http.StatusOK, r.status, "unregistering twice is 200")
	assert.Equal(t, http.StatusNoContent, e.list(dev1, "").status, "nothing registered any more")
	mu.Lock()
	assert.Equal(t, []string{dev1 + " " + ptype + " U1", dev1 + " " + ptype + " U2"}, gone, "the hook runs once per removed registration")
	mu.Unlock()
}

func TestListSerials(t *testing.T) {
	e := newEnv(t, nil, "")
	ctx := context.Background()
	for _, s := range []string{"L2", "L1", "L3"} {
		e.newPass(s, []byte("pk"))
	}
	assert.Equal(t, http.StatusNoContent, e.list(dev1, "").status, "an unknown device has nothing")
	for _, s := range []string{"L1", "L2", "L3"} {
		require.Equal(t, http.StatusCreated, e.register(dev1, s, push1).status)
	}
	require.Equal(t, http.StatusCreated, e.register(dev2, "L3", push2).status)

	serials, tag := decodeList(t, e.list(dev1, ""))
	assert.Equal(t, []string{"L1", "L2", "L3"}, serials, "no tag: every registered pass")
	assert.Equal(t, http.StatusNoContent, e.list(dev1, tag).status, "nothing changed since that tag")

	// A device holding a tag from before an update sees the pass.
	tokens, err := e.h.PassChanged(ctx, ptype, "L3", func(p *webservice.Pass) error {
		p.Data = []byte("pk v2")
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []string{push1, push2}, tokens, "PassChanged returns the push tokens to notify")
	serials, tag2 := decodeList(t, e.list(dev1, tag))
	assert.Equal(t, []string{"L3"}, serials)
	assert.NotEqual(t, tag, tag2)
	serials, _ = decodeList(t, e.list(dev2, tag))
	assert.Equal(t, []string{"L3"}, serials, "every device registered for the pass sees it")

	_, err = e.h.PassChanged(ctx, ptype, "L1", nil)
	require.NoError(t, err)
	_, err = e.h.PassChanged(ctx, ptype, "L3", nil)
	require.NoError(t, err)
	serials, tag3 := decodeList(t, e.list(dev1, tag))
	assert.Equal(t, []string{"L1", "L3"}, serials, "every pass changed since the held tag, not only the newest")
	serials, _ = decodeList(t, e.list(dev1, tag2))
	assert.Equal(t, []string{"L1", "L3"}, serials)
	assert.Equal(t, http.StatusNoContent, e.list(dev1, tag3).status)

	// Tags this service never issued mean "everything registered".
	for _, bad := range []string{"abc", "1e5", "-1", "0", "12.5", "%2B1", "99999999999999999999", "999999999", "1%20"} {
		serials, _ := decodeList(t, e.list(dev1, bad))
		assert.Equal(t, []string{"L1", "L2", "L3"}, serials, "tag %q", bad)
	}
	// Empty tag value: the same as none.
	serials, _ = decodeList(t, e.list(dev1, ""))
	assert.Len(t, serials, 3)
	r := e.do(http.MethodGet, "/v1/devices/"+dev1+"/registrations/"+ptype+"?passesUpdatedSince=", "", nil, nil)
	assert.Equal(t, http.StatusOK, r.status)

	// Another pass type: nothing; an Authorization header is not needed nor checked.
	r = e.do(http.MethodGet, "/v1/devices/"+dev1+"/registrations/pass.other", "", nil, nil)
	assert.Equal(t, http.StatusNoContent, r.status)
	assert.Empty(t, r.body)
	r = e.do(http.MethodGet, "/v1/devices/"+dev1+"/registrations/"+ptype, "ApplePass junk", nil, nil)
	assert.Equal(t, http.StatusOK, r.status)
}

func TestLatestPass(t *testing.T) {
	e := newEnv(t, nil, "")
	ctx := context.Background()
	p := e.newPass("G1", []byte("PK\x03\x04 signed pass"))
	path := "/v1/passes/" + ptype + "/G1"
	auth := "ApplePass " + token

	r := e.do(http.MethodGet, path, auth, nil, nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "application/vnd.apple.pkpass", r.header.Get("Content-Type"))
	assert.Equal(t, []byte("PK\x03\x04 signed pass"), r.body)
	lm := r.header.Get("Last-Modified")
	assert.Equal(t, p.Modified.UTC().Format(http.TimeFormat), lm, "Last-Modified is the version's time, not the request's")

	r = e.do(http.MethodGet, path, auth, nil, map[string]string{"If-Modified-Since": lm})
	assert.Equal(t, http.StatusNotModified, r.status)
	assert.Empty(t, r.body)
	assert.Equal(t, lm, r.header.Get("Last-Modified"))
	later := p.Modified.Add(time.Hour).UTC().Format(http.TimeFormat)
	r = e.do(http.MethodGet, path, auth, nil, map[string]string{"If-Modified-Since": later})
	assert.Equal(t, http.StatusNotModified, r.status)

	earlier := p.Modified.Add(-time.Second).UTC().Format(http.TimeFormat)
	r = e.do(http.MethodGet, path, auth, nil, map[string]string{"If-Modified-Since": earlier})
	assert.Equal(t, http.StatusOK, r.status)
	for _, junk := range []string{"yesterday", "1351981923", strings.Repeat("x", 500)} {
		r = e.do(http.MethodGet, path, auth, nil, map[string]string{"If-Modified-Since": junk})
		assert.Equal(t, http.StatusOK, r.status, "an unparseable If-Modified-Since is ignored: %q", junk)
	}

	// An update within the same second still moves Last-Modified forward, so
	// a device holding the old date gets the new version.
	_, err := e.h.PassChanged(ctx, ptype, "G1", func(p *webservice.Pass) error {
		p.Data = []byte("PK v2")
		return nil
	})
	require.NoError(t, err)
	r = e.do(http.MethodGet, path, auth, nil, map[string]string{"If-Modified-Since": lm})
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, []byte("PK v2"), r.body)
	assert.NotEqual(t, lm, r.header.Get("Last-Modified"))

	r = e.do(http.MethodHead, path, auth, nil, nil)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Empty(t, r.body)
	assert.Equal(t, "application/vnd.apple.pkpass", r.header.Get("Content-Type"))

	// A pass without a stored version and no Render: 500 and a log line, no leak.
	e.newPass("G2", nil)
	r = e.do(http.MethodGet, "/v1/passes/"+ptype+"/G2", auth, nil, nil)
	assert.Equal(t, http.StatusInternalServerError, r.status)
	assert.Contains(t, e.logs.String(), "no signed version")
	assert.NotContains(t, e.logs.String(), token)
}

func TestRender(t *testing.T) {
	var calls int
	opts := &webservice.Options{Render: func(_ context.Context, p *webservice.Pass) ([]byte, error) {
		calls++
		if p.SerialNumber == "broken" {
			return nil, errors.New("template missing")
		}
		return []byte("built " + p.SerialNumber), nil
	}}
	e := newEnv(t, opts, "")
	e.newPass("OnDemand", nil)
	e.newPass("Stored", []byte("stored"))
	e.newPass("broken", nil)
	r := e.do(http.MethodGet, "/v1/passes/"+ptype+"/OnDemand", "ApplePass "+token, nil, nil)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "built OnDemand", string(r.body))
	r = e.do(http.MethodGet, "/v1/passes/"+ptype+"/Stored", "ApplePass "+token, nil, nil)
	assert.Equal(t, "stored", string(r.body))
	assert.Equal(t, 1, calls, "stored versions are served as they are")
	r = e.do(http.MethodGet, "/v1/passes/"+ptype+"/broken", "ApplePass "+token, nil, nil)
	assert.Equal(t, http.StatusInternalServerError, r.status)
	assert.Contains(t, e.logs.String(), "template missing")
	assert.NotContains(t, string(r.body), "template missing", "internal errors stay in the log")
}

func TestDeviceLog(t *testing.T) {
	var got [][]string
	var mu sync.Mutex
	opts := &webservice.Options{LogBurst: 3, LogRate: 0.001, MaxLogMessages: 2, Hooks: webservice.Hooks{
		Logs: func(_ context.Context, msgs []string) {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, msgs)
		},
	}}
	e := newEnv(t, opts, "")
	hostile := "Register task failed\n\x1b[31mlevel=ERROR msg=forged\u202e"
	body, err := json.Marshal(map[string][]string{"logs": {hostile, "second", "third"}})
	require.NoError(t, err)
	r := e.do(http.MethodPost, "/v1/log", "", bytes.NewReader(body), nil)
	assert.Equal(t, http.StatusOK, r.status, "%s", r.body)
	out := e.logs.String()
	assert.Equal(t, 3, strings.Count(out, "\n"), "two messages and one dropped-count line, each on one line: %q", out)
	assert.Contains(t, out, `Register task failed\\n\\x1b[31mlevel=ERROR msg=forged\\u202e`, "control characters are escaped")
	assert.NotContains(t, out, "\x1b")
	assert.Contains(t, out, "dropped=1")
	mu.Lock()
	assert.Equal(t, [][]string{{hostile, "second"}}, got, "the hook gets the accepted messages")
	mu.Unlock()

	// The burst of 3 allows two more requests, then the limit answers 429
	// before reading the body.
	for range 2 {
		r = e.do(http.MethodPost, "/v1/log", "", strings.NewReader(`{"logs":["x"]}`), nil)
		assert.Equal(t, http.StatusOK, r.status)
	}
	r = e.do(http.MethodPost, "/v1/log", "", strings.NewReader(`{"logs":["x"]}`), nil)
	assert.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Equal(t, "1", r.header.Get("Retry-After"))

	plain := newEnv(t, nil, "")
	for _, bad := range []string{`{"logs": "x"}`, `{"nolog": []}`, `{"logs": [1]}`, `{"logs": [`, `[]`, ``} {
		r = plain.do(http.MethodPost, "/v1/log", "", strings.NewReader(bad), nil)
		assert.Equal(t, http.StatusBadRequest, r.status, "%s", bad)
	}
	r = e.do(http.MethodGet, "/v1/log", "", nil, nil)
	assert.Equal(t, http.StatusMethodNotAllowed, r.status)
	assert.Equal(t, "POST", r.header.Get("Allow"))
}

func TestDeviceLogBodyLimit(t *testing.T) {
	e := newEnv(t, nil, "")
	huge := `{"logs":["` + strings.Repeat("A", webservice.MaxLogBody) + `"]}`
	r := e.do(http.MethodPost, "/v1/log", "", strings.NewReader(huge), nil)
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.status)
	long := `{"logs":["` + strings.Repeat("B", 10000) + `"]}`
	r = e.do(http.MethodPost, "/v1/log", "", strings.NewReader(long), nil)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Less(t, len(e.logs.String()), webservice.MaxLogMessageLen+400, "one message is cut before it is logged")
}

func TestPersonalize(t *testing.T) {
	dev, err := sign.NewDevelopmentIdentity(ptype, "TEAM123456")
	require.NoError(t, err)
	var mu sync.Mutex
	var seen []webservice.Personalization
	fail := false
	opts := &webservice.Options{Identity: dev.Identity, Hooks: webservice.Hooks{
		Personalize: func(_ context.Context, p webservice.Personalization) error {
			mu.Lock()
			defer mu.Unlock()
			if fail {
				return errors.New("crm down")
			}
			seen = append(seen, p)
			return nil
		},
	}}
	e := newEnv(t, opts, "")
	e.newPass("P1", []byte("pk"))
	path := "/v1/passes/" + ptype + "/P1/personalize"
	body := `{"personalizationToken":"tok-abc-123","requiredPersonalizationInfo":{"fullName":"Ada Lovelace",
		"emailAddress":"ada@example.com","postalCode":"N1","isoCountryCode":"GB","phoneNumber":"+44 1"}}`

	r := e.do(http.MethodPost, path, "", strings.NewReader(body), nil)
	require.Equal(t, http.StatusOK, r.status, "%s", r.body)
	assert.Equal(t, "application/octet-stream", r.header.Get("Content-Type"))
	info, err := sign.VerifySignature(r.body, []byte("tok-abc-123"))
	require.NoError(t, err, "the body is a detached PKCS#7 signature over the token")
	require.NotNil(t, info)
	mu.Lock()
	require.Len(t, seen, 1)
	assert.Equal(t, webservice.Personalization{PassTypeIdentifier: ptype, SerialNumber: "P1", Token: "tok-abc-123",
		Info: webservice.PersonalizationInfo{FullName: "Ada Lovelace", EmailAddress: "ada@example.com", PostalCode: "N1",
			ISOCountryCode: "GB", PhoneNumber: "+44 1"}}, seen[0])
	mu.Unlock()
	_, err = sign.VerifySignature(r.body, []byte("another token"))
	assert.Error(t, err)

	r = e.do(http.MethodPost, path, "ApplePass "+token, strings.NewReader(body), nil)
	assert.Equal(t, http.StatusOK, r.status, "the pass's own token is accepted")
	r = e.do(http.MethodPost, path, "ApplePass wrong-token-123456", strings.NewReader(body), nil)
	assert.Equal(t, http.StatusUnauthorized, r.status, "a wrong token is refused")
	r = e.do(http.MethodPost, "/v1/passes/"+ptype+"/missing/personalize", "", strings.NewReader(body), nil)
	assert.Equal(t, http.StatusNotFound, r.status)
	for _, bad := range []string{
		`{}`,
		`{"personalizationToken":"","requiredPersonalizationInfo":{}}`,
		`{"personalizationToken":"t"}`,
		`{"personalizationToken":7,"requiredPersonalizationInfo":{}}`,
		`{"personalizationToken":"` + strings.Repeat("t", webservice.MaxPersonalizationTokenLen+1) + `","requiredPersonalizationInfo":{}}`,
		`not json`,
	} {
		r = e.do(http.MethodPost, path, "", strings.NewReader(bad), nil)
		assert.Equal(t, http.StatusBadRequest, r.status, "%s", bad)
	}
	r = e.do(http.MethodPost, path, "", strings.NewReader(`{"personalizationToken":"`+strings.Repeat("x", webservice.MaxPersonalizeBody)+`"}`), nil)
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.status)

	mu.Lock()
	fail = true
	mu.Unlock()
	r = e.do(http.MethodPost, path, "", strings.NewReader(body), nil)
	assert.Equal(t, http.StatusInternalServerError, r.status, "no signed token when the application failed")
	assert.NotContains(t, string(r.body), "crm down")

	// Without the hook the endpoint does not exist.
	plain := newEnv(t, nil, "")
	plain.newPass("P1", []byte("pk"))
	r = plain.do(http.MethodPost, path, "", strings.NewReader(body), nil)
	assert.Equal(t, http.StatusNotFound, r.status)
}

func TestRoutingAndMethods(t *testing.T) {
	for _, mount := range []string{"", "strip", "mux"} {
		t.Run("mount="+mount, func(t *testing.T) {
			e := newEnv(t, nil, mount)
			e.newPass("a/b c", []byte("slash serial"))
			e.newPass("M1", []byte("pk"))
			auth := "ApplePass " + token
			// Serial numbers with reserved characters arrive percent-encoded.
			r := e.do(http.MethodGet, "/v1/passes/"+ptype+"/a%2Fb%20c", auth, nil, nil)
			assert.Equal(t, http.StatusOK, r.status)
			assert.Equal(t, "slash serial", string(r.body))
			// webServiceURL with a trailing slash: Wallet asks for ".../passes//v1/...".
			r = e.do(http.MethodGet, "//v1/passes/"+ptype+"/M1", auth, nil, nil)
			assert.Equal(t, http.StatusOK, r.status, "doubled slash")
			r = e.do(http.MethodGet, "/v1/passes/"+ptype+"/M1/", auth, nil, nil)
			assert.Equal(t, http.StatusOK, r.status, "trailing slash")
			assert.Equal(t, http.StatusCreated, e.register(dev1, "M1", push1).status)
			serials, _ := decodeList(t, e.list(dev1, ""))
			assert.Equal(t, []string{"M1"}, serials)
			r = e.do(http.MethodPost, "/v1/log", "", strings.NewReader(`{"logs":[]}`), nil)
			assert.Equal(t, http.StatusOK, r.status)

			for _, tc := range []struct{ method, path, allow string }{
				{http.MethodGet, regPath(dev1, "M1"), "POST, DELETE"},
				{http.MethodPut, regPath(dev1, "M1"), "POST, DELETE"},
				{http.MethodPost, "/v1/devices/" + dev1 + "/registrations/" + ptype, "GET, HEAD"},
				{http.MethodDelete, "/v1/passes/" + ptype + "/M1", "GET, HEAD"},
				{http.MethodGet, "/v1/passes/" + ptype + "/M1/personalize", "POST"},
				{http.MethodPatch, "/v1/log", "POST"},
				{http.MethodOptions, "/v1/log", "POST"},
			} {
				r := e.do(tc.method, tc.path, auth, nil, nil)
				assert.Equal(t, http.StatusMethodNotAllowed, r.status, "%s %s", tc.method, tc.path)
				assert.Equal(t, tc.allow, r.header.Get("Allow"), "%s %s", tc.method, tc.path)
			}
			for _, p := range []string{"/", "/v1", "/v1/", "/v2/log", "/v1/logs", "/v1/passes/" + ptype,
				"/v1/passes/" + ptype + "/M1/extra", "/v1/devices/" + dev1, "/v1/devices/" + dev1 + "/registrations",
				"/v1/devices/" + dev1 + "/registrations/" + ptype + "/M1/x", "/v1/devices/" + dev1 + "/other/" + ptype + "/M1"} {
				r := e.do(http.MethodGet, p, auth, nil, nil)
				assert.Equal(t, http.StatusNotFound, r.status, "path %s", p)
			}
		})
	}
}

// TestWebServiceURLWithoutTrailingSlash covers a webServiceURL such as
// https://example.com/passbook when Wallet appends "v1/..." without a slash.
func TestWebServiceURLWithoutTrailingSlash(t *testing.T) {
	e := newEnv(t, nil, "")
	e.newPass("N1", []byte("pk"))
	r := e.do(http.MethodGet, "/passbookv1/passes/"+ptype+"/N1", "ApplePass "+token, nil, nil)
	assert.Equal(t, http.StatusOK, r.status)
	r = e.do(http.MethodPost, "/passbookv1/log", "", strings.NewReader(`{"logs":["x"]}`), nil)
	assert.Equal(t, http.StatusOK, r.status)
}

func TestNewHandlerErrors(t *testing.T) {
	_, err := webservice.NewHandler(nil, nil)
	require.ErrorContains(t, err, "webservice: nil store")
	s := newStore(t)
	_, err = webservice.NewHandler(s, &webservice.Options{Hooks: webservice.Hooks{
		Personalize: func(context.Context, webservice.Personalization) error { return nil },
	}})
	require.ErrorContains(t, err, "Identity")
	_, err = webservice.NewHandler(s, &webservice.Options{LogRate: -1})
	require.Error(t, err)
	h, err := webservice.NewHandler(s, nil)
	require.NoError(t, err)
	_, err = h.PassChanged(context.Background(), ptype, "missing", nil)
	require.ErrorIs(t, err, webservice.ErrNotFound)
}

func TestParseTag(t *testing.T) {
	for in, want := range map[string]int64{
		"": 0, "1": 1, "42": 42, "0042": 42, "9223372036854775807": 9223372036854775807,
		"9223372036854775808": 0, "-1": 0, "+1": 0, " 1": 0, "1.0": 0, "0x10": 0, "abc": 0, "１": 0,
	} {
		assert.Equal(t, want, webservice.ParseTag(in), "ParseTag(%q)", in)
	}
	assert.Equal(t, "123", webservice.FormatTag(123))
	assert.Len(t, webservice.HashToken("x"), 32)
}

func TestPassRedactsItself(t *testing.T) {
	p := &webservice.Pass{PassTypeIdentifier: ptype, SerialNumber: "S1", AuthTokenHash: webservice.HashToken(token),
		Data: []byte("authenticationToken " + token), AppData: []byte(`{"email":"ada@example.com"}`), Tag: 7}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{p, *p} {
			out := fmt.Sprintf(format, v)
			assert.NotContains(t, out, token, format)
			assert.NotContains(t, out, "ada@example.com", format)
			assert.NotContains(t, out, fmt.Sprintf("%x", p.AuthTokenHash), format)
			assert.Contains(t, out, "S1")
		}
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("pass", "pass", p)
	assert.NotContains(t, buf.String(), token)
	assert.NotContains(t, buf.String(), "ada@example.com")
	assert.Contains(t, buf.String(), `"serialNumber":"S1"`)
}

// TestConcurrentRegistrationsOverHTTP: many devices register at once over
// loopback HTTP; every one gets 201 and none is lost, and each device then
// lists its pass.
func TestConcurrentRegistrationsOverHTTP(t *testing.T) {
	e := newEnv(t, nil, "strip")
	for i := range 5 {
		e.newPass(fmt.Sprintf("C%d", i), []byte("pk"))
	}
	const n = 300
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := http.NewRequest(http.MethodPost, e.base+regPath(fmt.Sprintf("dev%04d", i), fmt.Sprintf("C%d", i%5)),
				pushBody(fmt.Sprintf("%064x", i+1)))
			if err != nil {
				statuses <- -1
				return
			}
			req.Header.Set("Authorization", "ApplePass "+token)
			res, err := e.srv.Client().Do(req)
			if err != nil {
				statuses <- -1
				return
			}
			res.Body.Close()
			statuses <- res.StatusCode
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		require.Equal(t, http.StatusCreated, s)
	}
	c, err := e.store.Counts(context.Background())
	require.NoError(t, err)
	assert.Equal(t, webservice.Counts{Passes: 5, Devices: n, Registrations: n}, c)
	for _, i := range []int{0, 123, n - 1} {
		serials, _ := decodeList(t, e.list(fmt.Sprintf("dev%04d", i), ""))
		assert.Equal(t, []string{fmt.Sprintf("C%d", i%5)}, serials)
	}
	r := e.do(http.MethodHead, "/v1/devices/dev0000/registrations/"+ptype, "", nil, nil)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Empty(t, r.body)
}

package wallettest_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
	"github.com/passforge/passforge/webservice"
	"github.com/passforge/passforge/webservice/sqlitestore"
	"github.com/passforge/passforge/webservice/wallettest"
)

const (
	testPassType = "pass.com.example.wallettest"
	testTeam     = "WALLET1234"
	testToken    = "wallettest-token-0123456789abcdef"
)

var devOnce = sync.OnceValues(func() (*sign.DevelopmentIdentity, error) {
	return sign.NewDevelopmentIdentity(testPassType, testTeam)
})

func iconPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 29, 29))
	for y := range 29 {
		for x := range 29 {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x * 8), uint8(y * 8), 90, 255})
		}
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

// service is the real webservice handler on a SQLite store, over real TLS on
// loopback, mounted under /passes/ (webServiceURL ends in /passes/).
type service struct {
	t      testing.TB
	store  *sqlitestore.Store
	h      *webservice.Handler
	srv    *httptest.Server
	wsURL  string
	dev    *sign.DevelopmentIdentity
	tokens []string // push tokens returned by the last PassChanged
	mu     sync.Mutex
}

func newService(t testing.TB, wrap func(http.Handler) http.Handler) *service {
	t.Helper()
	dev, err := devOnce()
	require.NoError(t, err)
	st, err := sqlitestore.Open(context.Background(), filepath.Join(t.TempDir(), "ws.db"), nil)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	h, err := webservice.NewHandler(st, &webservice.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), LogRate: 1e6, LogBurst: 1e6})
	require.NoError(t, err)
	s := &service{t: t, store: st, h: h, dev: dev}
	var root http.Handler = h
	if wrap != nil {
		root = wrap(h)
	}
	mux := http.NewServeMux()
	mux.Handle("/passes/", root)
	s.srv = httptest.NewTLSServer(mux)
	t.Cleanup(s.srv.Close)
	s.wsURL = s.srv.URL + "/passes/"
	return s
}

// pkpass signs a version of the pass serial with points.
func (s *service) pkpass(serial string, points int) []byte {
	s.t.Helper()
	p := &pass.Pass{
		FormatVersion:       1,
		PassTypeIdentifier:  testPassType,
		TeamIdentifier:      testTeam,
		SerialNumber:        serial,
		OrganizationName:    "Example Coffee",
		Description:         "Example Coffee card",
		WebServiceURL:       s.wsURL,
		AuthenticationToken: testToken,
		StoreCard: &pass.PassFields{
			PrimaryFields: []pass.Field{{Key: "points", Label: "Points", Value: pass.String(strconv.Itoa(points))}},
		},
	}
	a := &pass.Assets{}
	require.NoError(s.t, a.Set("icon.png", iconPNG(s.t)))
	var out bytes.Buffer
	require.NoError(s.t, sign.Write(&out, p, a, s.dev.Identity, nil))
	return out.Bytes()
}

// issue stores a new pass and returns its .pkpass.
func (s *service) issue(serial string) []byte {
	s.t.Helper()
	b := s.pkpass(serial, 100)
	require.NoError(s.t, s.store.CreatePass(context.Background(), &webservice.Pass{
		PassTypeIdentifier: testPassType, SerialNumber: serial, AuthTokenHash: webservice.HashToken(testToken), Data: b}))
	return b
}

// update re-signs the pass with new points through Handler.PassChanged.
func (s *service) update(serial string, points int) func(context.Context) error {
	return func(ctx context.Context) error {
		b := s.pkpass(serial, points)
		tokens, err := s.h.PassChanged(ctx, testPassType, serial, func(p *webservice.Pass) error {
			p.Data = b
			return nil
		})
		s.mu.Lock()
		s.tokens = tokens
		s.mu.Unlock()
		return err
	}
}

// waitPush stands in for a push listener: the update must have returned the
// device's push token to notify.
func (s *service) waitPush(_ context.Context, token string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, tk := range s.tokens {
		if tk == token {
			return nil
		}
	}
	return fmt.Errorf("no push for %s… among %d token(s)", token[:8], len(s.tokens))
}

func (s *service) opts() *wallettest.Options {
	roots := x509.NewCertPool()
	roots.AddCert(s.dev.CA)
	return &wallettest.Options{Client: s.srv.Client(), Roots: roots}
}

func requireAllPass(t *testing.T, rep *wallettest.Report) {
	t.Helper()
	for _, r := range rep.Results {
		assert.True(t, r.OK, "%s: %s", r.Name, r.Detail)
	}
	require.True(t, rep.OK())
}

func TestCheckRealHandler(t *testing.T) {
	s := newService(t, nil)
	pk := s.issue("S-1")
	rep, err := wallettest.Check(t.Context(), pk, s.opts())
	require.NoError(t, err)
	requireAllPass(t, rep)
	assert.GreaterOrEqual(t, len(rep.Results), 28)
	// The device unregistered: nothing is left behind.
	regs, err := s.store.Registrations(t.Context(), testPassType, "S-1")
	require.NoError(t, err)
	assert.Empty(t, regs)

	// Without Roots, the served pass is accepted because the pass given was
	// signed by the same certificate.
	rep, err = wallettest.Check(t.Context(), pk, &wallettest.Options{Client: s.srv.Client()})
	require.NoError(t, err)
	requireAllPass(t, rep)
}

func TestCheckUpdateRealHandler(t *testing.T) {
	s := newService(t, nil)
	pk := s.issue("S-2")
	rep, err := wallettest.CheckUpdate(t.Context(), pk, s.update("S-2", 150),
		&wallettest.UpdateOptions{Options: *s.opts(), WaitPush: s.waitPush})
	require.NoError(t, err)
	requireAllPass(t, rep)
	r, ok := rep.Result(wallettest.CheckUpdatePush)
	require.True(t, ok)
	assert.True(t, r.OK)

	// An update function that changes nothing: the rules it breaks are named.
	rep, err = wallettest.CheckUpdate(t.Context(), pk, func(context.Context) error { return nil }, &wallettest.UpdateOptions{Options: *s.opts()})
	require.NoError(t, err)
	assertFailsAmong(t, rep, wallettest.CheckUpdateListed, wallettest.CheckUpdateTagForward, wallettest.CheckUpdateFetch, wallettest.CheckUpdateChanged)
	for _, name := range []string{wallettest.CheckUpdateRegister, wallettest.CheckUpdatePollBefore, wallettest.CheckUpdateFetchBefore, wallettest.CheckUpdateRan} {
		r, _ := rep.Result(name)
		assert.True(t, r.OK, name)
	}

	// A push that never comes.
	rep, err = wallettest.CheckUpdate(t.Context(), pk, s.update("S-2", 175), &wallettest.UpdateOptions{Options: *s.opts(),
		WaitPush: func(context.Context, string) error { return fmt.Errorf("no push within 1s") }})
	require.NoError(t, err)
	assertFails(t, rep, wallettest.CheckUpdatePush)

	// An update that fails stops the check there.
	rep, err = wallettest.CheckUpdate(t.Context(), pk, func(context.Context) error { return fmt.Errorf("admin API: 500") }, &wallettest.UpdateOptions{Options: *s.opts()})
	require.NoError(t, err)
	assertFails(t, rep, wallettest.CheckUpdateRan)
	_, ok = rep.Result(wallettest.CheckUpdateListed)
	assert.False(t, ok)
}

// assertFailsAmong asserts that the named checks failed, among others.
func assertFailsAmong(t *testing.T, rep *wallettest.Report, names ...string) {
	t.Helper()
	for _, name := range names {
		r, ok := rep.Result(name)
		require.True(t, ok, "check %q ran", name)
		assert.False(t, r.OK, "%s must fail", name)
		assert.NotEmpty(t, r.Detail)
	}
}

// assertFails asserts that exactly the named checks failed.
func assertFails(t *testing.T, rep *wallettest.Report, names ...string) {
	t.Helper()
	var failed []string
	for _, r := range rep.Failed() {
		failed = append(failed, r.Name)
		assert.NotEmpty(t, r.Detail, "%s says why", r.Name)
	}
	assert.ElementsMatch(t, names, failed, "failed checks: %v", rep.Failed())
}

func TestReadTarget(t *testing.T) {
	s := newService(t, nil)
	tg, err := wallettest.ReadTarget(s.pkpass("R-1", 1))
	require.NoError(t, err)
	assert.Equal(t, s.wsURL, tg.WebServiceURL)
	assert.Equal(t, "R-1", tg.SerialNumber)
	assert.Equal(t, testPassType, tg.PassTypeIdentifier)
	assert.Equal(t, testToken, tg.AuthenticationToken)
	require.NotNil(t, tg.Signer)

	_, err = wallettest.ReadTarget([]byte("not a zip"))
	assert.ErrorContains(t, err, "wallettest: cannot read the pass")
	_, err = wallettest.Check(t.Context(), nil, nil)
	assert.ErrorContains(t, err, "wallettest: cannot read the pass")

	// A pass without a web service cannot be checked.
	p := &pass.Pass{FormatVersion: 1, PassTypeIdentifier: testPassType, TeamIdentifier: testTeam, SerialNumber: "N-1",
		OrganizationName: "Example", Description: "Example", Generic: &pass.PassFields{}}
	a := &pass.Assets{}
	require.NoError(t, a.Set("icon.png", iconPNG(t)))
	var out bytes.Buffer
	require.NoError(t, sign.Write(&out, p, a, s.dev.Identity, nil))
	_, err = wallettest.ReadTarget(out.Bytes())
	assert.ErrorContains(t, err, "pass.json has no webServiceURL, authenticationToken")
}

func TestCheckUnreachable(t *testing.T) {
	s := newService(t, nil)
	pk := s.issue("U-1")
	s.srv.Close()
	rep, err := wallettest.Check(t.Context(), pk, s.opts())
	require.NoError(t, err)
	assert.False(t, rep.OK())
	for _, r := range rep.Results {
		assert.False(t, r.OK, r.Name)
	}
	r, _ := rep.Result(wallettest.CheckRegisterNew)
	assert.Contains(t, r.Detail, "no answer")
}

// rewrite runs h into a recorder and lets edit change the answer.
func rewrite(h http.Handler, edit func(r *http.Request, rec *httptest.ResponseRecorder)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		edit(r, rec)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

var tagField = regexp.MustCompile(`"lastUpdated":"(\d+)"`)

func isList(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/devices/")
}

func isPassGet(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/v1/passes/")
}

// TestCheckBrokenHandlers runs Check and CheckUpdate against handlers that
// each break one rule of the protocol: the rule is named among the failures.
func TestCheckBrokenHandlers(t *testing.T) {
	cases := []struct {
		name string
		wrap func(http.Handler) http.Handler
		// fails are checks that must fail (others may fail as a consequence).
		fails []string
	}{
		{"numeric lastUpdated", func(h http.Handler) http.Handler {
			return rewrite(h, func(r *http.Request, rec *httptest.ResponseRecorder) {
				if isList(r) && rec.Code == http.StatusOK {
					b := tagField.ReplaceAll(rec.Body.Bytes(), []byte(`"lastUpdated":$1`))
					rec.Body = bytes.NewBuffer(b)
				}
			})
		}, []string{wallettest.CheckSerialsTagString, wallettest.CheckUpdatePollBefore}},
		{"no Last-Modified", func(h http.Handler) http.Handler {
			return rewrite(h, func(r *http.Request, rec *httptest.ResponseRecorder) { rec.Header().Del("Last-Modified") })
		}, []string{wallettest.CheckPassLastModified, wallettest.CheckUpdateLastModified}},
		{"200 for a wrong token", func(h http.Handler) http.Handler {
			return rewrite(h, func(r *http.Request, rec *httptest.ResponseRecorder) {
				if rec.Code == http.StatusUnauthorized && r.Header.Get("Authorization") != "" {
					rec.Code = http.StatusOK
				}
			})
		}, []string{wallettest.CheckRegisterWrongToken, wallettest.CheckPassWrongToken, wallettest.CheckUnregisterWrongToken}},
		{"ignores If-Modified-Since", func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				r.Header.Del("If-Modified-Since")
				h.ServeHTTP(w, r)
			})
		}, []string{wallettest.CheckPassNotModified, wallettest.CheckUpdateNotModified}},
		{"304 to an older If-Modified-Since", func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if isPassGet(r) && r.Header.Get("If-Modified-Since") != "" {
					w.WriteHeader(http.StatusNotModified)
					return
				}
				h.ServeHTTP(w, r)
			})
		}, []string{wallettest.CheckPassOlder, wallettest.CheckUpdateFetch}},
		{"200 with an empty list instead of 204", func(h http.Handler) http.Handler {
			return rewrite(h, func(r *http.Request, rec *httptest.ResponseRecorder) {
				if isList(r) && rec.Code == http.StatusNoContent {
					rec.Code = http.StatusOK
					rec.Header().Set("Content-Type", "application/json")
					rec.Body = bytes.NewBufferString(`{"serialNumbers":[],"lastUpdated":"1"}`)
				}
			})
		}, []string{wallettest.CheckSerialsUnchanged, wallettest.CheckSerialsUnknownDevice, wallettest.CheckUnregisterGone, wallettest.CheckUpdateUnchanged}},
		{"tag moving backwards", func(h http.Handler) http.Handler {
			// Tags are mirrored (N - tag) both ways: consistent, but each
			// newer version gets a smaller tag.
			const n = 1_000_000
			inner := rewrite(h, func(r *http.Request, rec *httptest.ResponseRecorder) {
				if isList(r) && rec.Code == http.StatusOK {
					b := tagField.ReplaceAllFunc(rec.Body.Bytes(), func(m []byte) []byte {
						v, _ := strconv.Atoi(string(tagField.FindSubmatch(m)[1]))
						return []byte(`"lastUpdated":"` + strconv.Itoa(n-v) + `"`)
					})
					rec.Body = bytes.NewBuffer(b)
				}
			})
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if s := r.URL.Query().Get("passesUpdatedSince"); s != "" {
					v, _ := strconv.Atoi(s)
					q := r.URL.Query()
					q.Set("passesUpdatedSince", strconv.Itoa(n-v))
					r.URL.RawQuery = q.Encode()
				}
				inner.ServeHTTP(w, r)
			})
		}, []string{wallettest.CheckUpdateTagForward}},
		{"Last-Modified not moving forward", func(h http.Handler) http.Handler {
			fixed := time.Now().UTC().Add(-time.Hour).Format(http.TimeFormat)
			return rewrite(h, func(r *http.Request, rec *httptest.ResponseRecorder) {
				if isPassGet(r) && rec.Code == http.StatusOK {
					rec.Header().Set("Last-Modified", fixed)
				}
			})
		}, []string{wallettest.CheckUpdateLastModified}},
		{"list without Content-Type", func(h http.Handler) http.Handler {
			return rewrite(h, func(r *http.Request, rec *httptest.ResponseRecorder) {
				if isList(r) {
					rec.Header().Set("Content-Type", "text/plain")
				}
			})
		}, []string{wallettest.CheckSerialsContentType}},
		{"pass served as octet-stream", func(h http.Handler) http.Handler {
			return rewrite(h, func(r *http.Request, rec *httptest.ResponseRecorder) {
				if isPassGet(r) && rec.Code == http.StatusOK {
					rec.Header().Set("Content-Type", "application/octet-stream")
				}
			})
		}, []string{wallettest.CheckPassFetch, wallettest.CheckUpdateFetch}},
		{"corrupted pass", func(h http.Handler) http.Handler {
			return rewrite(h, func(r *http.Request, rec *httptest.ResponseRecorder) {
				if isPassGet(r) && rec.Code == http.StatusOK {
					b := rec.Body.Bytes()
					b[len(b)/2] ^= 0xff
				}
			})
		}, []string{wallettest.CheckPassValid, wallettest.CheckUpdateValid}},
		{"201 for every registration", func(h http.Handler) http.Handler {
			return rewrite(h, func(r *http.Request, rec *httptest.ResponseRecorder) {
				if r.Method == http.MethodPost && rec.Code == http.StatusOK && strings.Contains(r.URL.Path, "/registrations/") {
					rec.Code = http.StatusCreated
				}
			})
		}, []string{wallettest.CheckRegisterAgain}},
		{"malformed bodies accepted", func(h http.Handler) http.Handler {
			return rewrite(h, func(r *http.Request, rec *httptest.ResponseRecorder) {
				if rec.Code == http.StatusBadRequest {
					rec.Code = http.StatusOK
				}
			})
		}, []string{wallettest.CheckRegisterMalformed, wallettest.CheckLogMalformed}},
		{"any method", func(h http.Handler) http.Handler {
			return rewrite(h, func(r *http.Request, rec *httptest.ResponseRecorder) {
				if rec.Code == http.StatusMethodNotAllowed {
					rec.Code = http.StatusOK
				}
			})
		}, []string{wallettest.CheckRegistrationMethod, wallettest.CheckPassMethod}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newService(t, c.wrap)
			pk := s.issue("B-1")
			check, err := wallettest.Check(t.Context(), pk, s.opts())
			require.NoError(t, err)
			up, err := wallettest.CheckUpdate(t.Context(), pk, s.update("B-1", 200), &wallettest.UpdateOptions{Options: *s.opts()})
			require.NoError(t, err)
			all := append(append([]wallettest.Result(nil), check.Results...), up.Results...)
			for _, name := range c.fails {
				found := false
				for _, r := range all {
					if r.Name == name {
						found = true
						assert.False(t, r.OK, "%s must fail", name)
						assert.NotEmpty(t, r.Detail)
						t.Logf("%s: %s", r.Name, r.Detail)
					}
				}
				assert.True(t, found, "check %q ran", name)
			}
		})
	}
}

// TestCheckUnregisterKeepsOtherDevices: a service whose unregister removes
// every device's registration of the pass fails the rule that says so.
func TestCheckUnregisterKeepsOtherDevices(t *testing.T) {
	var s *service
	s = newService(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h.ServeHTTP(w, r)
			if r.Method != http.MethodDelete {
				return
			}
			regs, err := s.store.Registrations(r.Context(), testPassType, "K-1")
			if err != nil {
				return
			}
			for _, reg := range regs {
				_, _ = s.store.Unregister(r.Context(), reg.DeviceLibraryIdentifier, testPassType, "K-1")
			}
		})
	})
	rep, err := wallettest.Check(t.Context(), s.issue("K-1"), s.opts())
	require.NoError(t, err)
	assertFails(t, rep, wallettest.CheckUnregisterOthersKept)
	r, _ := rep.Result(wallettest.CheckUnregisterOthersKept)
	assert.Contains(t, r.Detail, "got 204, want 200")
}

// registeredDevice issues the pass serial on s and returns a device that
// holds it and has registered for its updates.
func registeredDevice(t *testing.T, s *service, serial string) *wallettest.Device {
	t.Helper()
	tg, err := wallettest.ReadTarget(s.issue(serial))
	require.NoError(t, err)
	d := wallettest.NewDevice(*tg, s.srv.Client())
	r, err := d.Register(t.Context())
	require.NoError(t, err)
	require.Equal(t, http.StatusCreated, r.Status)
	return d
}

// TestDeviceSync follows one device through updates the way Wallet does
// after each push.
func TestDeviceSync(t *testing.T) {
	s := newService(t, nil)
	d := registeredDevice(t, s, "D-1")

	updated, err := d.Sync(t.Context())
	require.NoError(t, err)
	require.True(t, updated, "the first sync fetches the pass")
	firstTag, firstModified := d.Tag, d.Modified
	assert.NotEmpty(t, firstTag)
	pkg, err := sign.ReadBytes(d.Data, &sign.VerifyOptions{Roots: s.opts().Roots})
	require.NoError(t, err)
	assert.Equal(t, "100", pkg.Pass.StoreCard.PrimaryFields[0].Value.String())

	updated, err = d.Sync(t.Context())
	require.NoError(t, err)
	assert.False(t, updated, "nothing changed")
	assert.Equal(t, firstTag, d.Tag)

	// Two updates within a second: each is fetched.
	for _, pts := range []int{150, 175} {
		require.NoError(t, s.update("D-1", pts)(t.Context()))
		updated, err = d.Sync(t.Context())
		require.NoError(t, err)
		require.True(t, updated)
		pkg, err := sign.ReadBytes(d.Data, &sign.VerifyOptions{Roots: s.opts().Roots})
		require.NoError(t, err)
		assert.Equal(t, strconv.Itoa(pts), pkg.Pass.StoreCard.PrimaryFields[0].Value.String())
	}
	assert.True(t, d.Modified.After(firstModified))

	// A service that sends lastUpdated as a number is an error.
	b := newService(t, func(h http.Handler) http.Handler {
		return rewrite(h, func(r *http.Request, rec *httptest.ResponseRecorder) {
			if isList(r) && rec.Code == http.StatusOK {
				rec.Body = bytes.NewBuffer(tagField.ReplaceAll(rec.Body.Bytes(), []byte(`"lastUpdated":$1`)))
			}
		})
	})
	d = registeredDevice(t, b, "D-2")
	_, err = d.Sync(t.Context())
	assert.ErrorContains(t, err, "wallettest: list serials: lastUpdated is")
}

// TestDevicePollFetch steps a device through the two halves of Sync: Poll
// keeps the tag and Fetch keeps the version, each only when the answer says
// so.
func TestDevicePollFetch(t *testing.T) {
	s := newService(t, nil)
	d := registeredDevice(t, s, "P-1")

	serials, err := d.Poll(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []string{"P-1"}, serials)
	require.NotEmpty(t, d.Tag)
	firstTag := d.Tag
	serials, err = d.Poll(t.Context())
	require.NoError(t, err)
	assert.Nil(t, serials, "nothing changed since the tag: 204")
	assert.Equal(t, firstTag, d.Tag, "a 204 keeps the tag")

	r, err := d.Fetch(t.Context())
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, r.Status)
	require.False(t, d.Modified.IsZero())
	assert.Equal(t, r.Body, d.Data)
	first, firstData := d.Modified, d.Data
	r, err = d.Fetch(t.Context())
	require.NoError(t, err)
	assert.Equal(t, http.StatusNotModified, r.Status)
	assert.Equal(t, first, d.Modified, "a 304 keeps the version")
	assert.Equal(t, firstData, d.Data)

	require.NoError(t, s.update("P-1", 150)(t.Context()))
	serials, err = d.Poll(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []string{"P-1"}, serials)
	assert.NotEqual(t, firstTag, d.Tag)
	r, err = d.Fetch(t.Context())
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, r.Status)
	assert.True(t, d.Modified.After(first))

	// A device whose token is wrong gets 401: an error naming the status.
	wrong := *d
	wrong.Target.AuthenticationToken = "not-the-token"
	wrong.Modified = time.Time{}
	_, err = wrong.Fetch(t.Context())
	assert.ErrorContains(t, err, "wallettest: fetch the pass: got 401")
}

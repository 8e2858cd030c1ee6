package pushtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const tok = "aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899"

func newServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	s, err := NewServer(opts...)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

func post(t *testing.T, c *http.Client, url string, header map[string]string, body string) (*http.Response, string, error) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("apns-topic", "pass.com.example.test")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b), nil
}

func TestScriptAndLog(t *testing.T) {
	s := newServer(t)
	at := time.UnixMilli(1700000000123)
	s.Script(tok, Unregistered(at), BadDeviceToken(), DeviceTokenNotForTopic(), Forbidden(""),
		TooManyRequests(), InternalServerError(), ServiceUnavailable(), Forbidden("BadCertificate"))
	want := []struct {
		status int
		body   string
	}{
		{410, `{"reason":"Unregistered","timestamp":1700000000123}`},
		{400, `{"reason":"BadDeviceToken"}`},
		{400, `{"reason":"DeviceTokenNotForTopic"}`},
		{403, `{"reason":"Forbidden"}`},
		{429, `{"reason":"TooManyRequests"}`},
		{500, `{"reason":"InternalServerError"}`},
		{503, `{"reason":"ServiceUnavailable"}`},
		{403, `{"reason":"BadCertificate"}`},
		{200, ``}, // script used up: the default
	}
	c := s.Client()
	for i, w := range want {
		resp, body, err := post(t, c, s.URL+"/3/device/"+tok, map[string]string{"apns-id": fmt.Sprintf("00000000-0000-4000-8000-00000000000%d", i)}, "{}")
		require.NoError(t, err)
		assert.Equal(t, 2, resp.ProtoMajor, "HTTP/2")
		assert.Equal(t, w.status, resp.StatusCode, "step %d", i)
		assert.Equal(t, w.body, body, "step %d", i)
		assert.Equal(t, fmt.Sprintf("00000000-0000-4000-8000-00000000000%d", i), resp.Header.Get("apns-id"), "apns-id echoed")
	}
	reqs := s.RequestsFor(tok)
	require.Len(t, reqs, len(want))
	assert.Equal(t, "CN=pushtest client", reqs[0].ClientSubject)
	assert.Equal(t, "{}", string(reqs[0].Body))
	assert.Equal(t, "pass.com.example.test", reqs[0].Header.Get("apns-topic"))
	assert.Equal(t, 410, reqs[0].Status)
	assert.Equal(t, "Unregistered", reqs[0].Reason)
	assert.Equal(t, len(want), s.Count())

	s.SetDefault(ServiceUnavailable())
	resp, _, err := post(t, c, s.URL+"/3/device/other", nil, "{}")
	require.NoError(t, err)
	assert.Equal(t, 503, resp.StatusCode)
}

func TestAppleRules(t *testing.T) {
	s := newServer(t)
	c := s.Client()
	for _, tc := range []struct {
		name, method, path, body string
		noTopic                  bool
		status                   int
		reason                   string
	}{
		{"GET", http.MethodGet, "/3/device/" + tok, "", false, 405, "MethodNotAllowed"},
		{"bad path", http.MethodPost, "/2/device/" + tok, "{}", false, 404, "BadPath"},
		{"no token", http.MethodPost, "/3/device/", "{}", false, 400, "MissingDeviceToken"},
		{"no topic", http.MethodPost, "/3/device/" + tok, "{}", true, 400, "MissingTopic"},
		{"empty body", http.MethodPost, "/3/device/" + tok, "", false, 400, "PayloadEmpty"},
		{"too large", http.MethodPost, "/3/device/" + tok, "{\"a\":\"" + strings.Repeat("x", 4096) + "\"}", false, 413, "PayloadTooLarge"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, s.URL+tc.path, strings.NewReader(tc.body))
			require.NoError(t, err)
			if !tc.noTopic {
				req.Header.Set("apns-topic", "pass.x")
			}
			resp, err := c.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			var body struct{ Reason string }
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, tc.reason, body.Reason)
		})
	}
}

func TestClientCertificateRequired(t *testing.T) {
	s := newServer(t)
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.CertPool()}, ForceAttemptHTTP2: true}}
	_, _, err := post(t, c, s.URL+"/3/device/"+tok, nil, "{}")
	require.Error(t, err, "no client certificate: the handshake fails")
	assert.Equal(t, 0, s.Count())

	// WithClientCAs verifies the chain: the throwaway client certificate is not issued by pool.
	other := x509.NewCertPool()
	s2 := newServer(t, WithClientCAs(other))
	_, _, err = post(t, s2.Client(), s2.URL+"/3/device/"+tok, nil, "{}")
	require.Error(t, err)
	assert.Contains(t, string(s2.CAPEM()), "BEGIN CERTIFICATE")
}

func TestDelayGoAwayDrop(t *testing.T) {
	s := newServer(t)
	c := s.Client()
	s.Script(tok, Delay(50*time.Millisecond, OK()), GoAway(), Drop())

	start := time.Now()
	resp, _, err := post(t, c, s.URL+"/3/device/"+tok, nil, "{}")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)
	assert.Equal(t, 1, s.Conns())

	resp, _, err = post(t, c, s.URL+"/3/device/"+tok, nil, "{}")
	require.NoError(t, err, "GoAway answers first")
	assert.Equal(t, 200, resp.StatusCode)
	// The next request needs a new connection: the old one went away.
	require.Eventually(t, func() bool {
		_, _, err := post(t, c, s.URL+"/3/device/other", nil, "{}")
		return err == nil && s.Conns() == 2
	}, 5*time.Second, 20*time.Millisecond)

	_, _, err = post(t, c, s.URL+"/3/device/"+tok, nil, "{}")
	require.Error(t, err, "Drop closes the connection without an answer")
	reqs := s.RequestsFor(tok)
	require.Len(t, reqs, 3)
	assert.Equal(t, 0, reqs[2].Status)
	assert.Equal(t, "drop the connection", Drop().String())
	assert.Equal(t, "410 Unregistered", Unregistered(time.Now()).String())
}

func TestMaxConcurrentStreams(t *testing.T) {
	s := newServer(t, WithMaxConcurrentStreams(3))
	s.SetDefault(Delay(100*time.Millisecond, OK()))
	// A client of the standard library, which opens another connection
	// rather than exceed a connection's MAX_CONCURRENT_STREAMS.
	tr := s.Client().Transport.(*http.Transport).Clone()
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	_, _, err := post(t, c, s.URL+"/3/device/"+tok, nil, "{}") // connected, SETTINGS seen
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, _, err := post(t, c, fmt.Sprintf("%s/3/device/%s%d", s.URL, tok, i), nil, "{}")
			if assert.NoError(t, err) {
				assert.Equal(t, 200, resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 3, s.MaxConcurrent(), "three streams per connection at most, all used")
	assert.Equal(t, 11, s.Count())
	assert.GreaterOrEqual(t, s.Conns(), 2, "the server announced three streams: ten at once need more connections")
	_, err = NewServer(WithMaxConcurrentStreams(0))
	require.Error(t, err)
}

func TestTokenMode(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	s := newServer(t, WithTokenKey("KEY1234567", "TEAM123456", &key.PublicKey))
	jwt := func(kid, iss string, iat time.Time, k *ecdsa.PrivateKey) string {
		enc := base64.RawURLEncoding.EncodeToString
		h := enc([]byte(`{"alg":"ES256","kid":"` + kid + `"}`))
		c := enc([]byte(fmt.Sprintf(`{"iss":%q,"iat":%d}`, iss, iat.Unix())))
		d := sha256.Sum256([]byte(h + "." + c))
		r, ss, err := ecdsa.Sign(rand.Reader, k, d[:])
		require.NoError(t, err)
		sig := make([]byte, 64)
		r.FillBytes(sig[:32])
		ss.FillBytes(sig[32:])
		return "bearer " + h + "." + c + "." + enc(sig)
	}
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	now := time.Now()
	for _, tc := range []struct {
		name, auth string
		status     int
		reason     string
	}{
		{"valid", jwt("KEY1234567", "TEAM123456", now, key), 200, ""},
		{"missing", "", 403, "MissingProviderToken"},
		{"garbage", "bearer abc", 403, "InvalidProviderToken"},
		{"wrong key", jwt("KEY1234567", "TEAM123456", now, other), 403, "InvalidProviderToken"},
		{"wrong team", jwt("KEY1234567", "OTHER", now, key), 403, "InvalidProviderToken"},
		{"wrong kid", jwt("KEY7654321", "TEAM123456", now, key), 403, "UnrelatedKeyIdInToken"},
		{"expired", jwt("KEY1234567", "TEAM123456", now.Add(-61*time.Minute), key), 403, "ExpiredProviderToken"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{}
			if tc.auth != "" {
				h["authorization"] = tc.auth
			}
			resp, body, err := post(t, s.Client(), s.URL+"/3/device/"+tok, h, "{}")
			require.NoError(t, err)
			assert.Equal(t, tc.status, resp.StatusCode)
			if tc.reason != "" {
				assert.JSONEq(t, `{"reason":"`+tc.reason+`"}`, body)
			}
		})
	}
}

package client

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
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// keyPart is the tail of testKey: a credential echoed with a JSON escape on its first letters
// ("\u0070mk_...") still contains it.
const keyPart = "s3cr3tKEY0123456789"

var printVerbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x"}

// assertNoKey fails when any fmt verb of any of vs shows the credential.
func assertNoKey(t *testing.T, what string, vs ...any) {
	t.Helper()
	for _, v := range vs {
		for _, verb := range printVerbs {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, strings.ToLower(out), strings.ToLower(keyPart), "%s: %s of %T", what, verb, v)
			assert.NotContains(t, out, fmt.Sprintf("%x", keyPart), "%s: %s of %T", what, verb, v)
		}
	}
}

func TestPrintingAClientShowsNoCredential(t *testing.T) {
	for name, auth := range map[string]Option{
		"bearer":  WithBearerToken(testKey),
		"api key": WithAPIKey("X-API-Key", testKey),
	} {
		t.Run(name, func(t *testing.T) {
			c, err := New(WithBaseURL("https://api.example.com/v1"), auth)
			require.NoError(t, err)
			assertNoKey(t, "client", c, *c, []*Client{c}, struct{ C *Client }{c})
			assert.Contains(t, fmt.Sprintf("%+v", c), "api.example.com", "the rest of the client still shows")
			var logs bytes.Buffer
			for _, h := range []slog.Handler{slog.NewTextHandler(&logs, nil), slog.NewJSONHandler(&logs, nil)} {
				slog.New(h).Info("client", "c", c, "v", *c)
			}
			assert.NotContains(t, logs.String(), keyPart)
		})
	}
}

// echoServer is a careless API that puts the credential it got into every field of its error: the JSON
// envelope (plain and with escapes), the request id, other headers and the Retry-After of a 429.
func echoServer(t *testing.T, code int, retryAfter string) *server {
	return newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		k := r.Header.Get("X-API-Key")
		if k == "" {
			k = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		}
		escaped := `\u0070` + strings.TrimPrefix(k, "p") // "pmk_..." spelled with a JSON escape
		body := `{"error":{"type":"` + k + `","code":"` + escaped + `","message":"bad key ` + k + `","param":"` + k + `"},` +
			`"detail":"` + escaped + `","request_id":"` + k + `"}`
		hdr := []string{"X-Request-Id", "req_" + k, "X-Echo", k, "Set-Cookie", "k=" + k, "X-" + k, "1"}
		if retryAfter != "" {
			hdr = append(hdr, "Retry-After", retryAfter)
		}
		status(code, body, hdr...)(w)
	})
}

func TestEchoedCredentialIsRedactedEverywhere(t *testing.T) {
	for _, tc := range []struct {
		name       string
		code       int
		retryAfter string
		auth       Option
		check      func(t *testing.T, err error)
	}{
		{"500 retried, api key", 500, "", WithAPIKey("X-API-Key", testKey), func(t *testing.T, err error) {
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 4, apiErr.Attempts)
		}},
		{"400, bearer", 400, "", WithBearerToken(testKey), nil},
		{"429 with a long Retry-After: RateLimitError", 429, "3600", WithAPIKey("X-API-Key", testKey), func(t *testing.T, err error) {
			var rl *RateLimitError
			require.ErrorAs(t, err, &rl)
			assertNoKey(t, "RateLimitError", rl, *rl)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			text := slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})
			js := slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})
			s := echoServer(t, tc.code, tc.retryAfter)
			var retries []RetryEvent
			for _, h := range []slog.Handler{text, js} {
				c, _ := newTestClient(t, s.URL, tc.auth, WithLogger(slog.New(h)),
					WithRetryHook(func(_ context.Context, ev RetryEvent) { retries = append(retries, ev) }))
				resp, err := c.Do(context.Background(), &Request{Path: "/v1/passes"}, nil)
				require.Error(t, err)
				if tc.check != nil {
					tc.check(t, err)
				}
				assertNoKey(t, "error", err, err.Error())
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assertNoKey(t, "APIError", apiErr, *apiErr, apiErr.Error(), apiErr.Header, string(apiErr.Body))
				for _, f := range []string{apiErr.Type, apiErr.Code, apiErr.Message, apiErr.Param, apiErr.RequestID} {
					assert.Contains(t, f, "[REDACTED]", "every echoed field is redacted, not dropped")
				}
				for u := errors.Unwrap(err); u != nil; u = errors.Unwrap(u) {
					assertNoKey(t, "wrapped error", u)
				}
				assertNoKey(t, "response", resp, *resp, resp.Header, string(resp.Body), resp.RequestID)
				assert.Contains(t, string(apiErr.Body), `"detail":"[REDACTED]"`, "escaped spellings are redacted too")
			}
			for _, ev := range retries {
				assertNoKey(t, "retry event", ev, ev.Err)
			}
			require.NotEmpty(t, logs.String())
			assert.Contains(t, logs.String(), "request_id")
			assert.NotContains(t, logs.String(), keyPart)
		})
	}
}

func TestRedactedErrorPrintsNoCredential(t *testing.T) {
	c, _ := newTestClient(t, refusedURL(t))
	_, err := c.Do(context.Background(), &Request{Path: "/v1/passes/" + testKey}, nil)
	require.Error(t, err)
	assertNoKey(t, "transport error", err)
	for u := errors.Unwrap(err); u != nil; u = errors.Unwrap(u) {
		if _, ok := u.(*redactedError); ok {
			assertNoKey(t, "redactedError", u)
		}
	}
}

func TestRequestSecretsAreRedactedToo(t *testing.T) {
	const token = "cust/tok+en=SECRETCUSTOMER"
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		tok := r.URL.Query().Get("token")
		status(404, `{"message":"no customer `+tok+`","code":"`+url.QueryEscape(tok)+`"}`, "X-Request-Id", tok)(w)
	})
	var logs bytes.Buffer
	c, _ := newTestClient(t, s.URL, WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	resp, err := c.Do(context.Background(), &Request{Path: "/v1/customers", Query: url.Values{"token": {token}}, Secrets: []string{token}}, nil)
	require.ErrorIs(t, err, ErrNotFound)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	for _, out := range []string{fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", *apiErr), string(apiErr.Body), fmt.Sprint(resp.Header), resp.RequestID, logs.String()} {
		assert.NotContains(t, out, "SECRETCUSTOMER")
	}
	assert.Equal(t, "no customer [REDACTED]", apiErr.Message)
	assert.Equal(t, "[REDACTED]", apiErr.Code, "the query-escaped spelling is redacted too")

	// A transport error's URL shows the query: the token is redacted there as well.
	c2, _ := newTestClient(t, refusedURL(t), WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
	_, err = c2.Do(context.Background(), &Request{Path: "/v1/customers", Query: url.Values{"token": {token}}, Secrets: []string{token}}, nil)
	require.Error(t, err)
	assert.NotContains(t, fmt.Sprintf("%+v", err), "SECRETCUSTOMER")
}

// FuzzErrorResponseRedaction sends error responses built from the fuzzer's body and header (every "@" is
// replaced by the credential, "%" by its first letter as a JSON escape) over loopback HTTP and checks that
// the credential shows in no field of the error, the Response or the log.
func FuzzErrorResponseRedaction(f *testing.F) {
	f.Add(uint16(400), []byte(`{"error":{"type":"@","code":"@","message":"@","param":"@"}}`), "@")
	f.Add(uint16(429), []byte(`{"message":"%mk_test_s3cr3tKEY0123456789","detail":"a\/@"}`), "req_@")
	f.Add(uint16(503), []byte(`@`), "")
	f.Add(uint16(500), []byte(`{"errors":[{"field":"@"}],"@":1}`), "x@y")
	type spec struct {
		code      int
		body, hdr string
	}
	var resp atomic.Pointer[spec]
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sp := resp.Load()
		w.Header().Set("X-Request-Id", sp.hdr)
		w.Header().Set("X-Echo-"+sp.hdr, "1")
		w.WriteHeader(sp.code)
		_, _ = io.WriteString(w, sp.body)
	}))
	defer s.Close()
	f.Fuzz(func(t *testing.T, code uint16, body []byte, hdr string) {
		expanded := strings.ReplaceAll(strings.ReplaceAll(string(body), "@", testKey), "%", `\u0070`)
		hv := strings.Map(func(r rune) rune {
			if r < 0x21 || r > 0x7e || r == ':' {
				return -1
			}
			return r
		}, strings.ReplaceAll(hdr, "@", testKey))
		resp.Store(&spec{code: 400 + int(code)%200, body: expanded, hdr: hv})
		var logs bytes.Buffer
		c, err := New(WithBaseURL(s.URL), WithAPIKey("X-API-Key", testKey), WithRetryPolicy(RetryPolicy{MaxAttempts: 1}),
			WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
		if err != nil {
			t.Fatal(err)
		}
		r, err := c.Do(context.Background(), &Request{Path: "/v1/x"}, nil)
		var apiErr *APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("want an *APIError, got %v", err)
		}
		seen := []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", *apiErr), string(apiErr.Body),
			fmt.Sprint(apiErr.Header), fmt.Sprint(r.Header), string(r.Body), r.RequestID, logs.String(),
			apiErr.Type, apiErr.Code, apiErr.Message, apiErr.Param, apiErr.RequestID}
		var decoded any
		if json.Unmarshal(apiErr.Body, &decoded) == nil {
			seen = append(seen, fmt.Sprintf("%#v", decoded))
		}
		for _, s := range seen {
			if strings.Contains(strings.ToLower(s), strings.ToLower(keyPart)) {
				t.Fatalf("credential in %q (body %q, header %q)", s, expanded, hv)
			}
		}
	})
}

func TestClientLoggerRedactsEveryAttribute(t *testing.T) {
	// A safety net under the client's own care: whatever a record of the client carries, at any level, the
	// credential is replaced.
	var logs bytes.Buffer
	c, _ := newTestClient(t, "https://api.example.com", WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	for _, l := range []slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError} {
		c.logger.Log(context.Background(), l, "m "+testKey, "s", testKey, "err", errors.New(testKey), slog.Group("g", "x", testKey))
	}
	assert.NotContains(t, logs.String(), keyPart)
	assert.Equal(t, 4, strings.Count(logs.String(), `"msg":"m [REDACTED]"`))
}

func TestSuccessfulResponseHeadersAreRedacted(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		status(200, `{"id":"p_1"}`, "X-Echo", r.Header.Get("X-API-Key"), "X-Request-Id", "req_"+r.Header.Get("X-API-Key"))(w)
	})
	c, _ := newTestClient(t, s.URL, WithAPIKey("X-API-Key", testKey))
	var v struct{ ID string }
	resp, err := c.Do(context.Background(), &Request{Path: "/v1/passes/p_1"}, &v)
	require.NoError(t, err)
	assert.Equal(t, "p_1", v.ID)
	assertNoKey(t, "response", resp, resp.Header, resp.RequestID)
	assert.Equal(t, "[REDACTED]", resp.Header.Get("X-Echo"))
	assert.Equal(t, `{"id":"p_1"}`, string(resp.Body), "a 2xx body is the caller's data, kept as sent")
}

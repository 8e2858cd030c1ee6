package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testKey = "pmk_test_s3cr3tKEY0123456789"

// fakeClock records sleeps and advances time instantly.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 4, 16, 12, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sleeps = append(f.sleeps, d)
	f.now = f.now.Add(d)
	return nil
}

func (f *fakeClock) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// recorded is one request as seen by the test server.
type recorded struct {
	Method, Path, Query string
	Header              http.Header
	Body                []byte
}

// server is an httptest server that answers with a scripted handler and
// records every request.
type server struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []recorded
}

func newServer(t *testing.T, h func(w http.ResponseWriter, r *http.Request, n int)) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, recorded{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body})
		n := len(s.reqs)
		s.mu.Unlock()
		h(w, r, n)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) requests() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recorded(nil), s.reqs...)
}

// newTestClient returns a client for s with a fake clock and zero jitter.
func newTestClient(t *testing.T, baseURL string, opts ...Option) (*Client, *fakeClock) {
	t.Helper()
	clk := newFakeClock()
	base := []Option{
		WithBaseURL(baseURL),
		WithBearerToken(testKey),
		WithClock(clk),
		WithRetryPolicy(RetryPolicy{Jitter: func() float64 { return 0 }}),
	}
	c, err := New(append(base, opts...)...)
	require.NoError(t, err)
	return c, clk
}

func status(code int, body string, hdr ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	}
}

func TestNewValidatesOptions(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
		want string
	}{
		{"no base URL", nil, "no base URL"},
		{"bad scheme", []Option{WithBaseURL("ftp://x")}, "scheme must be http or https"},
		{"no host", []Option{WithBaseURL("https:///v1")}, "no host"},
		{"user info", []Option{WithBaseURL("https://u:p@api.example.com")}, "user info"},
		{"query", []Option{WithBaseURL("https://api.example.com?x=1")}, "query and fragment"},
		{"empty bearer", []Option{WithBaseURL("https://a"), WithBearerToken(" ")}, "bearer token: empty"},
		{"bearer newline", []Option{WithBaseURL("https://a"), WithBearerToken("ab\ncd")}, "control character"},
		{"bad key header", []Option{WithBaseURL("https://a"), WithAPIKey("X API Key", "k")}, "not a valid header name"},
		{"empty key", []Option{WithBaseURL("https://a"), WithAPIKey("X-API-Key", "")}, "API key: empty"},
		{"nil http client", []Option{WithBaseURL("https://a"), WithHTTPClient(nil)}, "nil *http.Client"},
		{"zero timeout", []Option{WithBaseURL("https://a"), WithTimeout(0)}, "not positive"},
		{"empty user agent", []Option{WithBaseURL("https://a"), WithUserAgent("")}, "user agent"},
		{"negative attempts", []Option{WithBaseURL("https://a"), WithRetryPolicy(RetryPolicy{MaxAttempts: -1})}, "MaxAttempts -1"},
		{"base over max", []Option{WithBaseURL("https://a"), WithRetryPolicy(RetryPolicy{BaseDelay: time.Minute, MaxDelay: time.Second})}, "exceeds MaxDelay"},
		{"nil logger", []Option{WithBaseURL("https://a"), WithLogger(nil)}, "nil *slog.Logger"},
		{"nil clock", []Option{WithBaseURL("https://a"), WithClock(nil)}, "nil Clock"},
		{"bad idempotency header", []Option{WithBaseURL("https://a"), WithIdempotencyHeader("Idem Key")}, "idempotency header"},
		{"nil decoder", []Option{WithBaseURL("https://a"), WithErrorDecoder(nil)}, "nil ErrorDecoder"},
		{"managed header", []Option{WithBaseURL("https://a"), WithHeader("Authorization", "x")}, "set by the client"},
		{"nil hook", []Option{WithBaseURL("https://a"), WithRetryHook(nil)}, "nil retry hook"},
		{"max response", []Option{WithBaseURL("https://a"), WithMaxResponseBytes(0)}, "max response bytes"},
		{"request id headers", []Option{WithBaseURL("https://a"), WithRequestIDHeader()}, "no request id header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.opts...)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "client: "), err.Error())
		})
	}
}

func TestNewErrorsNeverContainSecret(t *testing.T) {
	_, err := New(WithBaseURL("https://a"), WithBearerToken("sec ret"))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "sec ret")
	_, err = New(WithBaseURL("https://a"), WithAPIKey("X-API-Key", "sec\nret"))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "sec\nret")
}

func TestHeadersAndURL(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		status(200, `{"id":"pass_1"}`)(w)
	})
	tests := []struct {
		name       string
		opts       []Option
		authHeader string
		authValue  string
	}{
		{"bearer", []Option{WithBearerToken(testKey)}, "Authorization", "Bearer " + testKey},
		{"api key", []Option{WithAPIKey("x-api-key", testKey)}, "X-Api-Key", testKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := append([]Option{WithBaseURL(s.URL + "/api/v1/"), WithUserAgent("passforge-test/1"),
				WithHeader("X-Extra", "1")}, tt.opts...)
			c, err := New(opts...)
			require.NoError(t, err)
			var out struct{ ID string }
			resp, err := c.Do(context.Background(), &Request{
				Method: http.MethodPost, Path: "/passes/a%2Fb",
				Query:  map[string][]string{"limit": {"10"}},
				Body:   map[string]string{"template_id": "tmpl_1"},
				Header: http.Header{"X-Custom": {"yes"}},
			}, &out)
			require.NoError(t, err)
			assert.Equal(t, "pass_1", out.ID)
			assert.Equal(t, 200, resp.StatusCode)
			assert.Equal(t, 1, resp.Attempts)
			assert.JSONEq(t, `{"id":"pass_1"}`, string(resp.Body))
			reqs := s.requests()
			got := reqs[len(reqs)-1]
			assert.Equal(t, "POST", got.Method)
			assert.Equal(t, "/api/v1/passes/a/b", got.Path)
			assert.Equal(t, "limit=10", got.Query)
			assert.Equal(t, tt.authValue, got.Header.Get(tt.authHeader))
			assert.Equal(t, "passforge-test/1", got.Header.Get("User-Agent"))
			assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
			assert.Equal(t, "application/json", got.Header.Get("Accept"))
			assert.Equal(t, "1", got.Header.Get("X-Extra"))
			assert.Equal(t, "yes", got.Header.Get("X-Custom"))
			assert.Empty(t, got.Header.Get("Idempotency-Key"), "no idempotency header configured")
			assert.JSONEq(t, `{"template_id":"tmpl_1"}`, string(got.Body))
		})
	}
}

func TestRequestValidation(t *testing.T) {
	c, _ := newTestClient(t, "https://api.example.com")
	tests := []struct {
		name string
		req  *Request
		want string
	}{
		{"nil", nil, "nil *Request"},
		{"relative path", &Request{Path: "v1/passes"}, `must start with "/"`},
		{"query in path", &Request{Path: "/v1/passes?limit=1"}, "Request.Query"},
		{"dot dot", &Request{Path: "/v1/passes/../admin"}, `".."`},
		{"space", &Request{Path: "/v1/pa sses"}, "space or control"},
		{"two bodies", &Request{Method: "POST", Path: "/x", Body: 1, RawBody: []byte{1}, ContentType: "a/b"}, "more than one"},
		{"raw without type", &Request{Method: "POST", Path: "/x", RawBody: []byte{1}}, "without ContentType"},
		{"bad json", &Request{Method: "POST", Path: "/x", Body: func() {}}, "encoding JSON body"},
		{"key without header", &Request{Method: "POST", Path: "/x", IdempotencyKey: "k"}, "no idempotency header"},
		{"wanted key without header", &Request{Method: "PUT", Path: "/x", WantIdempotencyKey: true}, "no idempotency header"},
		{"bad method", &Request{Method: "GE T", Path: "/x"}, "invalid method"},
		{"bad header", &Request{Path: "/x", Header: http.Header{"X-A": {"a\r\nb"}}}, "header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.Do(context.Background(), tt.req, nil)
			require.Error(t, err)
			assert.Nil(t, resp)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestRetryOnRetryableStatuses(t *testing.T) {
	for _, code := range []int{408, 429, 500, 502, 503, 504} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n < 3 {
					status(code, `{"message":"try again"}`)(w)
					return
				}
				status(200, `{"ok":true}`)(w)
			})
			c, clk := newTestClient(t, s.URL)
			resp, err := c.Do(context.Background(), &Request{Path: "/v1/passes"}, nil)
			require.NoError(t, err)
			assert.Equal(t, 3, resp.Attempts)
			assert.Len(t, s.requests(), 3)
			// zero jitter: half of 500 ms, then half of 1 s
			assert.Equal(t, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond}, clk.Sleeps())
		})
	}
}

func TestNoRetryOnOtherStatuses(t *testing.T) {
	for _, code := range []int{400, 401, 402, 403, 404, 409, 422, 501} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				status(code, `{"message":"no"}`)(w)
			})
			c, clk := newTestClient(t, s.URL)
			resp, err := c.Do(context.Background(), &Request{Path: "/v1/passes"}, nil)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, code, apiErr.StatusCode)
			assert.Equal(t, 1, apiErr.Attempts)
			assert.Equal(t, 1, resp.Attempts)
			assert.Equal(t, code, resp.StatusCode)
			assert.Len(t, s.requests(), 1)
			assert.Empty(t, clk.Sleeps())
		})
	}
}

func TestRetriesExhausted(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		status(503, `{"message":"down"}`, "X-Request-Id", fmt.Sprintf("req_%d", n))(w)
	})
	c, clk := newTestClient(t, s.URL, WithRetryPolicy(RetryPolicy{
		MaxAttempts: 5, BaseDelay: time.Second, MaxDelay: 3 * time.Second,
		Jitter: func() float64 { return 0.5 },
	}))
	resp, err := c.Do(context.Background(), &Request{Path: "/v1/passes"}, nil)
	require.ErrorIs(t, err, ErrServer)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 5, apiErr.Attempts)
	assert.Equal(t, "req_5", apiErr.RequestID)
	assert.Equal(t, "down", apiErr.Message)
	assert.Equal(t, 5, resp.Attempts)
	// 1s, 2s, 3s (capped), 3s with jitter 0.5: d/2 + 0.5·d/2 = 0.75·d
	assert.Equal(t, []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond,
		2250 * time.Millisecond, 2250 * time.Millisecond}, clk.Sleeps())
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		name   string
		n      int
		jitter float64
		want   time.Duration
	}{
		{"first no jitter", 1, 0, 250 * time.Millisecond},
		{"first full jitter", 1, 0.999999999, 500 * time.Millisecond},
		{"third", 3, 0, time.Second},
		{"capped", 30, 0, 15 * time.Second},
		{"huge n capped", 1000, 1, 30 * time.Second},
		{"negative jitter clamped", 2, -3, 500 * time.Millisecond},
		{"jitter above one clamped", 2, 7, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := RetryPolicy{Jitter: func() float64 { return tt.jitter }}.withDefaults()
			assert.InDelta(t, float64(tt.want), float64(p.backoff(tt.n)), float64(time.Microsecond))
		})
	}
}

func TestRetryAfter(t *testing.T) {
	clkNow := newFakeClock().Now()
	tests := []struct {
		name  string
		value string
		want  time.Duration
	}{
		{"seconds", "7", 7 * time.Second},
		{"zero", "0", 0},
		{"http date", clkNow.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n == 1 {
					status(429, `{"error":"Too Many Requests","message":"Retry after the indicated delay"}`, "Retry-After", tt.value)(w)
					return
				}
				status(200, `{}`)(w)
			})
			c, clk := newTestClient(t, s.URL)
			resp, err := c.Do(context.Background(), &Request{Path: "/v1/passes"}, nil)
			require.NoError(t, err)
			assert.Equal(t, 2, resp.Attempts)
			assert.Equal(t, []time.Duration{tt.want}, clk.Sleeps())
		})
	}
}

func TestRetryAfterOverCapIsRateLimitError(t *testing.T) {
	clkNow := newFakeClock().Now()
	for _, value := range []string{"120", clkNow.Add(2 * time.Hour).Format(http.TimeFormat)} {
		t.Run(value, func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				status(429, `{"message":"slow down"}`, "Retry-After", value)(w)
			})
			c, clk := newTestClient(t, s.URL, WithRetryPolicy(RetryPolicy{MaxRetryAfter: time.Minute}))
			resp, err := c.Do(context.Background(), &Request{Path: "/v1/passes"}, nil)
			var rl *RateLimitError
			require.ErrorAs(t, err, &rl)
			assert.ErrorIs(t, err, ErrRateLimited)
			assert.Greater(t, rl.RetryAfter, time.Minute)
			assert.Equal(t, clkNow.Add(rl.RetryAfter), rl.RetryAt)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 429, apiErr.StatusCode)
			assert.Equal(t, rl.RetryAfter, apiErr.RetryAfter)
			assert.Equal(t, 1, resp.Attempts)
			assert.Empty(t, clk.Sleeps(), "a capped wait is not slept")
			assert.Contains(t, err.Error(), "retry after")
		})
	}
}

func TestLongRetryAfterOnUnkeyedWriteIsRateLimitError(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		status(429, `{"message":"cooldown"}`, "Retry-After", "3600")(w)
	})
	c, _ := newTestClient(t, s.URL)
	_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/v1/checkin"}, nil)
	var rl *RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, time.Hour, rl.RetryAfter)
	assert.Len(t, s.requests(), 1)

	s2 := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		status(429, `{"message":"cooldown"}`, "Retry-After", "2")(w)
	})
	c2, _ := newTestClient(t, s2.URL)
	_, err = c2.Do(context.Background(), &Request{Method: "POST", Path: "/v1/checkin"}, nil)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.NotErrorAs(t, err, &rl)
	assert.Equal(t, 2*time.Second, apiErr.RetryAfter, "a short wait is reported on the APIError")
	assert.ErrorIs(t, err, ErrRateLimited)
	assert.Len(t, s2.requests(), DefaultMaxAttempts, "a 429 was not processed: the write is sent again after the wait")
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 4, 16, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"  5 ", 5 * time.Second, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"99999999999999", maxRetryAfterSeconds * time.Second, true},
		{"Thu, 16 Apr 2026 12:01:00 GMT", time.Minute, true},
		{"Thu, 16 Apr 2026 11:00:00 GMT", 0, true},
		{"Thursday, 16-Apr-26 12:00:10 GMT", 10 * time.Second, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseRetryAfter(tt.in, now)
			assert.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestUnkeyedWritesAreNotRetriedOnceSent(t *testing.T) {
	// 500, 502, 504 and 408 may come after the write took effect: an un-keyed write is never sent twice then.
	for _, code := range []int{408, 500, 502, 504} {
		for _, method := range []string{"POST", "PATCH", "PUT", "DELETE"} {
			t.Run(fmt.Sprint(method, " ", code), func(t *testing.T) {
				s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
					status(code, `{"message":"busy"}`, "Retry-After", "1")(w)
				})
				c, clk := newTestClient(t, s.URL)
				resp, err := c.Do(context.Background(), &Request{Method: method, Path: "/v1/passes", Body: map[string]int{"a": 1}}, nil)
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, code, apiErr.StatusCode)
				assert.Equal(t, 1, resp.Attempts)
				assert.Len(t, s.requests(), 1, "a write is never sent twice without a key")
				assert.Empty(t, clk.Sleeps())
			})
		}
	}
}

func TestUnkeyedWritesAreRetriedOn429And503(t *testing.T) {
	// 429 and 503 say the request was not processed: Passinstance asks clients to retry them after
	// Retry-After, and doing so cannot apply a write twice.
	for _, code := range []int{429, 503} {
		for _, method := range []string{"POST", "PATCH", "PUT", "DELETE"} {
			t.Run(fmt.Sprint(method, " ", code), func(t *testing.T) {
				s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
					if n < 3 {
						status(code, `{"error":"Too Many Requests","message":"Retry after the indicated delay"}`, "Retry-After", "2")(w)
						return
					}
					status(201, `{"id":"p_1"}`)(w)
				})
				c, clk := newTestClient(t, s.URL)
				var v struct{ ID string }
				resp, err := c.Do(context.Background(), &Request{Method: method, Path: "/v1/passes", Body: map[string]int{"a": 1}}, &v)
				require.NoError(t, err)
				assert.Equal(t, "p_1", v.ID)
				assert.Equal(t, 3, resp.Attempts)
				assert.Empty(t, resp.IdempotencyKey, "the client has no idempotency header")
				reqs := s.requests()
				require.Len(t, reqs, 3)
				assert.Equal(t, reqs[0].Body, reqs[2].Body, "the same body is sent again")
				assert.Equal(t, []time.Duration{2 * time.Second, 2 * time.Second}, clk.Sleeps(), "Retry-After is honoured")
			})
		}
	}
	t.Run("without Retry-After: backoff", func(t *testing.T) {
		s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
			status(503, `{"message":"maintenance"}`)(w)
		})
		c, clk := newTestClient(t, s.URL)
		resp, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/v1/passes", Body: map[string]int{"a": 1}}, nil)
		require.ErrorIs(t, err, ErrServer)
		assert.Equal(t, DefaultMaxAttempts, resp.Attempts)
		assert.Equal(t, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second}, clk.Sleeps())
	})
}

func TestIdempotentMarkedWritesAreRetried(t *testing.T) {
	for _, method := range []string{"PUT", "DELETE"} {
		t.Run(method, func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n == 1 {
					status(502, ``)(w)
					return
				}
				status(200, `{}`)(w)
			})
			c, _ := newTestClient(t, s.URL)
			resp, err := c.Do(context.Background(), &Request{Method: method, Path: "/v1/x", Idempotent: true}, nil)
			require.NoError(t, err)
			assert.Equal(t, 2, resp.Attempts)
		})
	}
}

func TestIdempotencyKeySameOnEveryAttempt(t *testing.T) {
	for _, method := range []string{"POST", "PATCH"} {
		t.Run(method, func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n < 3 {
					status(500, `{"error":{"type":"api_error","message":"boom"}}`)(w)
					return
				}
				status(200, `{"id":"pass_1"}`)(w)
			})
			keys := 0
			c, _ := newTestClient(t, s.URL, WithIdempotencyHeader("Idempotency-Key"),
				WithIdempotencyKeyFunc(func() (string, error) { keys++; return fmt.Sprintf("key-%d", keys), nil }))
			resp, err := c.Do(context.Background(), &Request{Method: method, Path: "/v1/passes", Body: map[string]string{"a": "b"}}, nil)
			require.NoError(t, err)
			assert.Equal(t, 3, resp.Attempts)
			assert.Equal(t, "key-1", resp.IdempotencyKey)
			assert.Equal(t, 1, keys, "one key per call")
			reqs := s.requests()
			require.Len(t, reqs, 3)
			for _, r := range reqs {
				assert.Equal(t, "key-1", r.Header.Get("Idempotency-Key"))
				assert.JSONEq(t, `{"a":"b"}`, string(r.Body), "the body is re-sent unchanged")
			}
		})
	}
}

func TestIdempotencyKeyChoices(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) { status(200, `{}`)(w) })
	c, _ := newTestClient(t, s.URL, WithIdempotencyHeader("Idempotency-Key"))
	tests := []struct {
		name    string
		req     Request
		wantKey string // "" none, "*" any generated UUID
	}{
		{"generated for POST", Request{Method: "POST", Path: "/x"}, "*"},
		{"generated for PATCH", Request{Method: "PATCH", Path: "/x"}, "*"},
		{"none for GET", Request{Path: "/x"}, ""},
		{"none for DELETE", Request{Method: "DELETE", Path: "/x"}, ""},
		{"caller key", Request{Method: "POST", Path: "/x", IdempotencyKey: "order-42"}, "order-42"},
		{"caller key on DELETE", Request{Method: "DELETE", Path: "/x", IdempotencyKey: "del-1"}, "del-1"},
		{"opted out", Request{Method: "POST", Path: "/x", NoIdempotencyKey: true}, ""},
		{"wanted on PUT", Request{Method: "PUT", Path: "/x", WantIdempotencyKey: true}, "*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.Do(context.Background(), &tt.req, nil)
			require.NoError(t, err)
			reqs := s.requests()
			got := reqs[len(reqs)-1].Header.Get("Idempotency-Key")
			switch tt.wantKey {
			case "*":
				assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, got)
			default:
				assert.Equal(t, tt.wantKey, got)
			}
			assert.Equal(t, got, resp.IdempotencyKey)
		})
	}
}

func TestWantAndNoIdempotencyKeyConflict(t *testing.T) {
	c, _ := newTestClient(t, "https://api.example.com", WithIdempotencyHeader("Idempotency-Key"))
	_, err := c.Do(context.Background(), &Request{Method: "PUT", Path: "/x", WantIdempotencyKey: true, NoIdempotencyKey: true}, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "both WantIdempotencyKey and NoIdempotencyKey")
}

func TestKeyGeneratorError(t *testing.T) {
	c, _ := newTestClient(t, "https://api.example.com", WithIdempotencyHeader("Idempotency-Key"),
		WithIdempotencyKeyFunc(func() (string, error) { return "", errors.New("no entropy") }))
	_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/x"}, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no entropy")
}

// refusedURL returns a URL on which nothing listens.
func refusedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return "http://" + addr
}

func TestUnkeyedWriteRetriedWhenNeverSent(t *testing.T) {
	c, clk := newTestClient(t, refusedURL(t))
	resp, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/v1/passes", Body: map[string]int{}}, nil)
	require.Error(t, err)
	assert.True(t, isDialError(err), "connection refused is a dial error: %v", err)
	assert.Equal(t, DefaultMaxAttempts, resp.Attempts, "a request that never reached the server is retried")
	assert.Len(t, clk.Sleeps(), DefaultMaxAttempts-1)
	assert.True(t, strings.HasPrefix(err.Error(), "client: POST /v1/passes: attempt 4: "), err.Error())
}

func TestUnkeyedWriteNotRetriedAfterConnectionDrop(t *testing.T) {
	var hits atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.ReadAll(r.Body)
		hj, ok := w.(http.Hijacker)
		require.True(t, ok)
		conn, _, err := hj.Hijack()
		require.NoError(t, err)
		_ = conn.Close() // the server got the request, then the connection died
	}))
	t.Cleanup(ts.Close)

	t.Run("unkeyed POST", func(t *testing.T) {
		hits.Store(0)
		c, _ := newTestClient(t, ts.URL)
		resp, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/v1/passes", Body: map[string]int{}}, nil)
		require.Error(t, err)
		assert.Equal(t, 1, resp.Attempts)
		assert.EqualValues(t, 1, hits.Load())
	})
	t.Run("keyed POST", func(t *testing.T) {
		hits.Store(0)
		c, _ := newTestClient(t, ts.URL, WithIdempotencyHeader("Idempotency-Key"))
		resp, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/v1/passes", Body: map[string]int{}}, nil)
		require.Error(t, err)
		assert.Equal(t, DefaultMaxAttempts, resp.Attempts)
		assert.EqualValues(t, DefaultMaxAttempts, hits.Load())
	})
	t.Run("GET", func(t *testing.T) {
		hits.Store(0)
		c, _ := newTestClient(t, ts.URL)
		resp, err := c.Do(context.Background(), &Request{Path: "/v1/passes"}, nil)
		require.Error(t, err)
		assert.Equal(t, DefaultMaxAttempts, resp.Attempts)
	})
}

func TestPerAttemptTimeoutIsRetried(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			<-r.Context().Done() // hang until the client gives up on this attempt
			return
		}
		status(200, `{"ok":true}`)(w)
	})
	c, _ := newTestClient(t, s.URL, WithTimeout(50*time.Millisecond))
	resp, err := c.Do(context.Background(), &Request{Path: "/v1/passes"}, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
}

// blockingClock blocks every sleep until ctx ends.
type blockingClock struct{ fakeClock }

func (b *blockingClock) Sleep(ctx context.Context, d time.Duration) error {
	<-ctx.Done()
	return ctx.Err()
}

func TestCancelDuringBackoff(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		status(500, `{"message":"boom"}`)(w)
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk := &blockingClock{fakeClock: *newFakeClock()}
	c, err := New(WithBaseURL(s.URL), WithClock(clk),
		WithRetryHook(func(context.Context, RetryEvent) { cancel() }))
	require.NoError(t, err)
	resp, err := c.Do(ctx, &Request{Path: "/v1/passes"}, nil)
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, err, ErrServer, "the last attempt's error is kept")
	assert.Equal(t, 1, resp.Attempts)
	assert.Len(t, s.requests(), 1)
}

func TestSystemClockSleepEndsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- systemClock{}.Sleep(ctx, time.Hour) }()
	cancel()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
	case <-time.After(10 * time.Second):
		t.Fatal("Sleep did not end with its context")
	}
	require.NoError(t, systemClock{}.Sleep(context.Background(), time.Millisecond))
	require.NoError(t, systemClock{}.Sleep(context.Background(), 0))
	assert.WithinDuration(t, time.Now(), systemClock{}.Now(), time.Minute)
}

func TestAPIErrorSentinels(t *testing.T) {
	all := []error{ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict, ErrIdempotencyConflict,
		ErrPaymentRequired, ErrRateLimited, ErrValidation, ErrServer}
	tests := []struct {
		status int
		kind   error
		want   []error
	}{
		{400, nil, []error{ErrValidation}},
		{401, nil, []error{ErrUnauthorized}},
		{402, nil, []error{ErrPaymentRequired}},
		{403, nil, []error{ErrForbidden}},
		{404, nil, []error{ErrNotFound}},
		{409, nil, []error{ErrConflict}},
		{409, ErrIdempotencyConflict, []error{ErrConflict, ErrIdempotencyConflict}},
		{422, nil, []error{ErrValidation}},
		{429, nil, []error{ErrRateLimited}},
		{500, nil, []error{ErrServer}},
		{503, nil, []error{ErrServer}},
		{418, nil, nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d %v", tt.status, tt.kind), func(t *testing.T) {
			e := &APIError{StatusCode: tt.status, Kind: tt.kind}
			for _, s := range all {
				want := false
				for _, w := range tt.want {
					want = want || w == s
				}
				assert.Equal(t, want, errors.Is(e, s), "errors.Is(%d, %v)", tt.status, s)
			}
			assert.False(t, errors.Is(e, nil))
		})
	}
}

func TestDecodeGenericError(t *testing.T) {
	tests := []struct {
		name string
		body string
		want APIError
	}{
		{"passmint envelope", `{"error":{"type":"invalid_request_error","code":null,"message":"template_id is required","param":"template_id"}}`,
			APIError{Type: "invalid_request_error", Message: "template_id is required", Param: "template_id"}},
		{"string error with message", `{"error":"Too Many Requests","message":"Retry after the indicated delay"}`,
			APIError{Type: "Too Many Requests", Message: "Retry after the indicated delay"}},
		{"string error only", `{"error":"Unauthorized"}`, APIError{Message: "Unauthorized"}},
		{"success false", `{"success":false,"message":"Member not found","code":"MEMBER_NOT_FOUND"}`,
			APIError{Message: "Member not found", Code: "MEMBER_NOT_FOUND"}},
		{"message only", `{"message":"error"}`, APIError{Message: "error"}},
		{"numeric code", `{"error":{"code":1234,"message":"x"}}`, APIError{Code: "1234", Message: "x"}},
		{"plain text", `Service Unavailable`, APIError{Message: "Service Unavailable"}},
		{"html ignored", `<html><body>bad gateway</body></html>`, APIError{}},
		{"empty", ``, APIError{}},
		{"broken json", `{"error":`, APIError{}},
		{"array", `[1,2]`, APIError{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &APIError{Body: []byte(tt.body)}
			DecodeGenericError(e)
			assert.Equal(t, tt.want.Type, e.Type)
			assert.Equal(t, tt.want.Code, e.Code)
			assert.Equal(t, tt.want.Message, e.Message)
			assert.Equal(t, tt.want.Param, e.Param)
		})
	}
}

func TestAPIErrorMessage(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		status(400, `{"error":{"type":"invalid_request_error","code":"missing","message":"template_id is required","param":"template_id"}}`,
			"X-Request-Id", "req_9")(w)
	})
	c, _ := newTestClient(t, s.URL)
	_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/v1/passes", Body: map[string]string{}}, nil)
	require.ErrorIs(t, err, ErrValidation)
	assert.Equal(t, "client: POST /v1/passes: status 400 invalid_request_error (code missing): template_id is required [param template_id] (request id req_9)", err.Error())
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, string(apiErr.Body), "template_id is required")
	assert.Equal(t, "req_9", apiErr.RequestID)
	assert.Equal(t, "application/json", apiErr.Header.Get("Content-Type"))
}

func TestCustomErrorDecoder(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		status(409, `{"error":{"type":"idempotency_error","message":"key reused"}}`)(w)
	})
	c, _ := newTestClient(t, s.URL, WithErrorDecoder(func(e *APIError) {
		DecodeGenericError(e)
		if e.Type == "idempotency_error" {
			e.Kind = ErrIdempotencyConflict
		}
	}))
	_, err := c.Do(context.Background(), &Request{Path: "/v1/passes"}, nil)
	assert.ErrorIs(t, err, ErrIdempotencyConflict)
	assert.ErrorIs(t, err, ErrConflict)
	assert.NotErrorIs(t, err, ErrServer)
}

func TestEmptyErrorBodyGetsStatusText(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) { status(404, ``)(w) })
	c, _ := newTestClient(t, s.URL)
	_, err := c.Do(context.Background(), &Request{Path: "/v1/passes/pass_x"}, nil)
	require.ErrorIs(t, err, ErrNotFound)
	assert.Equal(t, "client: GET /v1/passes/pass_x: status 404: Not Found", err.Error())
}

func TestSecretsNeverInErrorsOrLogs(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		// a careless server echoes the credential it got
		status(500, `{"message":"bad key `+r.Header.Get("X-API-Key")+`"}`)(w)
	})
	for _, base := range []string{s.URL, refusedURL(t)} {
		c, err := New(WithBaseURL(base), WithAPIKey("X-API-Key", testKey), WithLogger(logger),
			WithClock(newFakeClock()))
		require.NoError(t, err)
		var hooked []string
		c.hooks.retry = append(c.hooks.retry, func(_ context.Context, ev RetryEvent) { hooked = append(hooked, ev.Err.Error()) })
		_, err = c.Do(context.Background(), &Request{Path: "/v1/passes/" + testKey}, nil)
		require.Error(t, err)
		assert.NotContains(t, err.Error(), testKey)
		assert.Contains(t, err.Error(), "[REDACTED]")
		for _, h := range hooked {
			assert.NotContains(t, h, testKey)
		}
	}
	require.NotEmpty(t, logs.String())
	assert.NotContains(t, logs.String(), testKey)
	assert.Contains(t, logs.String(), `"msg":"client: retrying"`)
}

func TestResponseMetadata(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		status(200, `{"id":"x"}`, "X-RateLimit-Limit", "100", "X-RateLimit-Remaining", "42",
			"X-RateLimit-Reset", "1776340860", "Request-Id", "req_abc")(w)
	})
	c, _ := newTestClient(t, s.URL)
	resp, err := c.Do(context.Background(), &Request{Path: "/v1/passes/x"}, nil)
	require.NoError(t, err)
	assert.Equal(t, RateLimit{Limit: 100, Remaining: 42, Reset: time.Unix(1776340860, 0)}, resp.RateLimit)
	assert.Equal(t, "req_abc", resp.RequestID)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "100", resp.Header.Get("X-RateLimit-Limit"))

	c2, _ := newTestClient(t, s.URL, WithRequestIDHeader("X-Trace"))
	resp, err = c2.Do(context.Background(), &Request{Path: "/v1/passes/x"}, nil)
	require.NoError(t, err)
	assert.Empty(t, resp.RequestID)
}

func TestParseRateLimit(t *testing.T) {
	now := time.Date(2026, 4, 16, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		hdr  http.Header
		want RateLimit
	}{
		{"absent", http.Header{}, RateLimit{Limit: -1, Remaining: -1}},
		{"seconds from now", http.Header{"X-Ratelimit-Limit": {"10"}, "X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"30"}},
			RateLimit{Limit: 10, Remaining: 0, Reset: now.Add(30 * time.Second)}},
		{"unix", http.Header{"X-Ratelimit-Reset": {"1776340860"}}, RateLimit{Limit: -1, Remaining: -1, Reset: time.Unix(1776340860, 0)}},
		{"http date", http.Header{"X-Ratelimit-Reset": {"Thu, 16 Apr 2026 12:01:00 GMT"}}, RateLimit{Limit: -1, Remaining: -1, Reset: now.Add(time.Minute)}},
		{"garbage", http.Header{"X-Ratelimit-Limit": {"ten"}, "X-Ratelimit-Remaining": {"-3"}, "X-Ratelimit-Reset": {"later"}}, RateLimit{Limit: -1, Remaining: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseRateLimit(tt.hdr, now)
			assert.Equal(t, tt.want.Limit, got.Limit)
			assert.Equal(t, tt.want.Remaining, got.Remaining)
			assert.True(t, tt.want.Reset.Equal(got.Reset), "reset %v, want %v", got.Reset, tt.want.Reset)
		})
	}
}

func TestDecodeErrorAndEmptyBodies(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch r.URL.Path {
		case "/bad":
			status(200, `{"id":`)(w)
		case "/empty":
			w.WriteHeader(204)
		}
	})
	c, _ := newTestClient(t, s.URL)
	var v struct{ ID string }
	_, err := c.Do(context.Background(), &Request{Path: "/bad"}, &v)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "client: GET /bad: decoding response")
	resp, err := c.Do(context.Background(), &Request{Method: "DELETE", Path: "/empty"}, &v)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	assert.Empty(t, resp.Body)
}

func TestResponseTooLarge(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		status(200, `{"data":"`+strings.Repeat("x", 2000)+`"}`)(w)
	})
	c, _ := newTestClient(t, s.URL, WithMaxResponseBytes(1000))
	resp, err := c.Do(context.Background(), &Request{Path: "/v1/passes"}, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "more than 1000 bytes")
	assert.Equal(t, 1, resp.Attempts, "an oversized body is not retried")
}

func TestStream(t *testing.T) {
	payload := bytes.Repeat([]byte("PK\x03\x04pkpass"), 10000)
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			status(503, `{"message":"warming up"}`)(w)
			return
		}
		if r.URL.Path == "/missing" {
			status(404, `{"message":"no pass"}`)(w)
			return
		}
		w.Header().Set("Content-Type", "application/vnd.apple.pkpass")
		_, _ = w.Write(payload)
	})
	c, _ := newTestClient(t, s.URL)
	var buf bytes.Buffer
	resp, err := c.Stream(context.Background(), &Request{Path: "/models/1/passes/p1",
		Header: http.Header{"Accept": {"application/vnd.apple.pkpass"}}}, &buf)
	require.NoError(t, err)
	assert.Equal(t, payload, buf.Bytes())
	assert.Nil(t, resp.Body)
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, "application/vnd.apple.pkpass", s.requests()[1].Header.Get("Accept"))

	buf.Reset()
	_, err = c.Stream(context.Background(), &Request{Path: "/missing"}, &buf)
	require.ErrorIs(t, err, ErrNotFound)
	assert.Zero(t, buf.Len(), "error bodies are not written to w")

	_, err = c.Stream(context.Background(), &Request{Path: "/x"}, nil)
	require.Error(t, err)
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestStreamWriterErrorNotRetried(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) { _, _ = io.WriteString(w, "data") })
	c, _ := newTestClient(t, s.URL)
	resp, err := c.Stream(context.Background(), &Request{Path: "/x"}, failingWriter{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "disk full")
	assert.Equal(t, 1, resp.Attempts)
}

func TestRawBodyAndMultipartResent(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\nfake")
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n%2 == 1 {
			status(500, `{}`)(w)
			return
		}
		status(200, `{"hex":"89b9"}`)(w)
	})
	c, _ := newTestClient(t, s.URL)

	var out struct{ Hex string }
	resp, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/v2/images", RawBody: png,
		ContentType: "image/png", Idempotent: true}, &out)
	require.NoError(t, err)
	assert.Equal(t, "89b9", out.Hex)
	assert.Equal(t, 2, resp.Attempts)
	reqs := s.requests()
	for _, r := range reqs[:2] {
		assert.Equal(t, "image/png", r.Header.Get("Content-Type"))
		assert.Equal(t, png, r.Body)
	}

	_, err = c.Do(context.Background(), &Request{Method: "POST", Path: "/upload", Idempotent: true, Multipart: &Multipart{
		Fields: []FormField{{Name: "kind", Value: "logo"}},
		Files:  []FormFile{{FieldName: "file", FileName: "logo.png", ContentType: "image/png", Data: png}},
	}}, nil)
	require.NoError(t, err)
	reqs = s.requests()[2:]
	require.Len(t, reqs, 2)
	assert.Equal(t, reqs[0].Body, reqs[1].Body)
	hreq, err := http.NewRequest("POST", "/", bytes.NewReader(reqs[1].Body))
	require.NoError(t, err)
	hreq.Header.Set("Content-Type", reqs[1].Header.Get("Content-Type"))
	require.NoError(t, hreq.ParseMultipartForm(1<<20))
	assert.Equal(t, "logo", hreq.FormValue("kind"))
	f, fh, err := hreq.FormFile("file")
	require.NoError(t, err)
	defer f.Close()
	got, _ := io.ReadAll(f)
	assert.Equal(t, png, got)
	assert.Equal(t, "logo.png", fh.Filename)
	assert.Equal(t, "image/png", fh.Header.Get("Content-Type"))

	_, err = c.Do(context.Background(), &Request{Method: "POST", Path: "/upload", Multipart: &Multipart{
		Files: []FormFile{{Data: png}}}}, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "empty field name")
}

func TestHooks(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			status(502, ``)(w)
			return
		}
		status(200, `{}`)(w)
	})
	var events []string
	c, _ := newTestClient(t, s.URL,
		WithRequestHook(func(_ context.Context, ev RequestEvent) {
			ev.Request.Header.Set("X-Trace", "t1")
			events = append(events, fmt.Sprintf("request %d", ev.Attempt))
		}),
		WithResponseHook(func(_ context.Context, ev ResponseEvent) {
			events = append(events, fmt.Sprintf("response %d %d", ev.Attempt, ev.Response.StatusCode))
		}),
		WithRetryHook(func(_ context.Context, ev RetryEvent) {
			events = append(events, fmt.Sprintf("retry %d %v %s %s", ev.Attempt, ev.Wait, ev.Method, ev.Path))
		}))
	_, err := c.Do(context.Background(), &Request{Path: "/v1/x"}, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"request 1", "response 1 502", "retry 1 250ms GET /v1/x", "request 2", "response 2 200"}, events)
	assert.Equal(t, "t1", s.requests()[1].Header.Get("X-Trace"))
}

func TestRedirectDropsAPIKeyAcrossHosts(t *testing.T) {
	other := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) { status(200, `{}`)(w) })
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.URL.Path == "/same" {
			http.Redirect(w, r, "/target", http.StatusFound)
			return
		}
		if r.URL.Path == "/target" {
			status(200, `{}`)(w)
			return
		}
		// another host: 127.0.0.1 vs localhost differ in Host
		http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+"/elsewhere", http.StatusFound)
	})
	c, _ := newTestClient(t, s.URL, WithAPIKey("X-API-Key", testKey))
	_, err := c.Do(context.Background(), &Request{Path: "/same"}, nil)
	require.NoError(t, err)
	assert.Equal(t, testKey, s.requests()[1].Header.Get("X-API-Key"), "same host keeps the key")
	_, err = c.Do(context.Background(), &Request{Path: "/away"}, nil)
	require.NoError(t, err)
	got := other.requests()
	require.Len(t, got, 1)
	assert.Empty(t, got[0].Header.Get("X-API-Key"), "another host never sees the key")
}

func TestNilContext(t *testing.T) {
	c, _ := newTestClient(t, "https://api.example.com")
	//lint:ignore SA1012 testing the nil check
	_, err := c.Do(nil, &Request{Path: "/x"}, nil) //nolint:staticcheck
	require.Error(t, err)
}

func TestBaseURLCopy(t *testing.T) {
	c, _ := newTestClient(t, "https://api.passlite.io/api/v1/")
	u := c.BaseURL()
	assert.Equal(t, "https://api.passlite.io/api/v1", u.String())
	u.Host = "evil"
	assert.Equal(t, "api.passlite.io", c.BaseURL().Host)
}

func TestConcurrentUse(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) { status(200, `{"n":1}`)(w) })
	c, _ := newTestClient(t, s.URL, WithIdempotencyHeader("Idempotency-Key"))
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var v map[string]int
			_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/x", Body: i}, &v)
			assert.NoError(t, err)
			assert.Equal(t, 1, v["n"])
		}()
	}
	wg.Wait()
	keys := map[string]bool{}
	for _, r := range s.requests() {
		keys[r.Header.Get("Idempotency-Key")] = true
	}
	assert.Len(t, keys, 16, "every call gets its own key")
}

func FuzzDecodeGenericError(f *testing.F) {
	for _, seed := range []string{`{"error":{"type":"t","message":"m"}}`, `{"error":"x","message":"y"}`,
		`{"message":"error"}`, `plain`, ``, `{"error":[1]}`, `{"code":{"a":1}}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		e := &APIError{StatusCode: 400, Body: body}
		DecodeGenericError(e)
		_ = e.Error()
		_, _ = json.Marshal(e.Message)
	})
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, seed := range []string{"0", "120", "Thu, 16 Apr 2026 12:01:00 GMT", "-5", "9999999999999999999", "x"} {
		f.Add(seed)
	}
	now := time.Date(2026, 4, 16, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := parseRetryAfter(v, now)
		if ok && d < 0 {
			t.Fatalf("negative wait %v for %q", d, v)
		}
		_ = parseRateLimit(http.Header{"X-Ratelimit-Reset": {v}}, now)
	})
}

func TestResponseForgetsEarlierAttempt(t *testing.T) {
	var calls atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			status(503, `{}`, "X-Request-Id", "req_1", "X-RateLimit-Limit", "5")(w)
			return
		}
		hj, _ := w.(http.Hijacker)
		conn, _, err := hj.Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}))
	t.Cleanup(ts.Close)
	c, _ := newTestClient(t, ts.URL, WithRetryPolicy(RetryPolicy{MaxAttempts: 2}))
	resp, err := c.Do(context.Background(), &Request{Path: "/x"}, nil)
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrServer, "the last attempt failed without a response")
	assert.Equal(t, 2, resp.Attempts)
	assert.Zero(t, resp.StatusCode)
	assert.Empty(t, resp.RequestID)
	assert.Equal(t, -1, resp.RateLimit.Limit)
}

func BenchmarkDo(b *testing.B) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("X-RateLimit-Remaining", "99")
		_, _ = io.WriteString(w, `{"object":"pass","id":"pass_1","field_values":{"seat":"A1"}}`)
	}))
	defer ts.Close()
	c, err := New(WithBaseURL(ts.URL), WithBearerToken(testKey), WithIdempotencyHeader("Idempotency-Key"))
	require.NoError(b, err)
	req := &Request{Method: "POST", Path: "/v1/passes", Body: map[string]string{"template_id": "tmpl_1"}}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var v struct{ ID string }
		if _, err := c.Do(ctx, req, &v); err != nil {
			b.Fatal(err)
		}
	}
}

func TestRateLimitResetWithoutRetryAfter(t *testing.T) {
	reset := newFakeClock().Now().Add(12 * time.Second)
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			status(429, `{"message":"slow down"}`, "X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))(w)
			return
		}
		status(200, `{}`)(w)
	})
	c, clk := newTestClient(t, s.URL)
	resp, err := c.Do(context.Background(), &Request{Path: "/v1/passes"}, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, []time.Duration{12 * time.Second}, clk.Sleeps(), "waits for the window to reset, not a short backoff")
}

func TestFinalErrorIsNotRetried(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		status(429, `{"message":"already checked in"}`)(w)
	})
	final := func(e *APIError) {
		DecodeGenericError(e)
		e.Final = strings.Contains(e.Message, "already checked in")
	}
	c, clk := newTestClient(t, s.URL, WithErrorDecoder(final))
	_, err := c.Do(context.Background(), &Request{Path: "/v1/passes"}, nil)
	require.ErrorIs(t, err, ErrRateLimited)
	assert.Len(t, s.requests(), 1, "a final error is returned at once")
	assert.Empty(t, clk.Sleeps())
}

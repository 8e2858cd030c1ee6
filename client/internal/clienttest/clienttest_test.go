package clienttest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newEcho starts a Server that answers "route <n>" unless overridden.
func newEcho(t *testing.T) *Server {
	var s *Server
	s = NewServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("X-Request-Id", fmt.Sprintf("req_%d", n))
		if s.Overridden(w, r, n) {
			return
		}
		_, _ = fmt.Fprintf(w, "route %d", n)
	})
	return s
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.Header.Get("X-Request-Id") + " " + string(b)
}

func TestServerRecordsAndOverrides(t *testing.T) {
	s := newEcho(t)
	assert.Empty(t, s.Requests())

	assert.Equal(t, "req_1 route 1", get(t, s.URL+"/v1/passes/a%2Fb?limit=2"))
	s.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
		if r.Method != http.MethodPost {
			return false
		}
		w.WriteHeader(http.StatusTeapot)
		_, _ = fmt.Fprintf(w, "override %d", n)
		return true
	})
	resp, err := http.Post(s.URL+"/v1/passes", "application/json", strings.NewReader(`{"a":1}`))
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusTeapot, resp.StatusCode)
	assert.Equal(t, "req_2", resp.Header.Get("X-Request-Id"), "headers set before the override stay")
	assert.Equal(t, "override 2", string(b))
	assert.Equal(t, "req_3 route 3", get(t, s.URL+"/x"), "an override returning false lets the handler answer")
	s.SetOverride(nil)
	resp, err = http.Post(s.URL+"/v1/passes", "application/json", nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	reqs := s.Requests()
	require.Len(t, reqs, 4)
	assert.Equal(t, Request{Method: "GET", Path: "/v1/passes/a%2Fb", RawQuery: "limit=2", Header: reqs[0].Header}, reqs[0])
	assert.Equal(t, `{"a":1}`, reqs[1].Body)
	assert.Equal(t, "application/json", reqs[1].Header.Get("Content-Type"))
	assert.Equal(t, reqs[3], s.Last(t))

	reqs[0].Method = "changed"
	assert.Equal(t, "GET", s.Requests()[0].Method, "Requests returns a copy")
}

func TestServerConcurrentRequests(t *testing.T) {
	s := newEcho(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			get(t, s.URL)
		}()
	}
	s.SetOverride(func(http.ResponseWriter, *http.Request, int) bool { return false })
	wg.Wait()
	assert.Len(t, s.Requests(), 8)
}

func TestNoSleep(t *testing.T) {
	at := time.Date(2026, 4, 16, 12, 0, 0, 0, time.UTC)
	c := NoSleep{At: at}
	assert.Equal(t, at, c.Now())
	assert.NoError(t, c.Sleep(context.Background(), time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, c.Sleep(ctx, time.Hour), context.Canceled)
}

// recorder is a testing.TB that collects failures instead of failing.
type recorder struct {
	testing.TB
	failures []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

func TestWantAssert(t *testing.T) {
	h := http.Header{}
	h.Set("Authorization", "Bearer k")
	h.Set("Content-Type", "application/json")
	got := Request{Method: "POST", Path: "/v1/passes", RawQuery: "a=1", Header: h, Body: `{"x": 1, "y": [2]}`}
	ok := Want{
		Method: "POST", Path: "/v1/passes", RawQuery: "a=1",
		Header: map[string]string{"Authorization": "Bearer k", "Idempotency-Key": ""},
		JSON:   `{"y":[2],"x":1}`,
	}
	tests := []struct {
		name  string
		want  func(w *Want)
		got   func(r *Request)
		fails []string // substrings, one per expected failure
	}{
		{name: "match"},
		{name: "method", want: func(w *Want) { w.Method = "PATCH" }, fails: []string{"method"}},
		{name: "path and query", want: func(w *Want) { w.Path, w.RawQuery = "/v1/x", "" }, fails: []string{"path", "query"}},
		{name: "header value", want: func(w *Want) { w.Header = map[string]string{"Authorization": "Bearer other"} }, fails: []string{"header Authorization"}},
		{name: "header should be absent", want: func(w *Want) { w.Header = map[string]string{"Authorization": ""} }, fails: []string{"header Authorization should be absent"}},
		{name: "json differs", want: func(w *Want) { w.JSON = `{"x":2}` }, fails: []string{"body"}},
		{name: "body not expected", want: func(w *Want) { w.JSON = "" }, fails: []string{"body", "Content-Type of a request without body"}},
		{name: "no content type", got: func(r *Request) { r.Header = http.Header{"Authorization": {"Bearer k"}} }, fails: []string{"Content-Type"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, g := ok, got
			if tt.want != nil {
				tt.want(&w)
			}
			if tt.got != nil {
				tt.got(&g)
			}
			rec := &recorder{TB: t}
			w.Assert(rec, g)
			require.Len(t, rec.failures, len(tt.fails), "%q", rec.failures)
			for i, f := range tt.fails {
				assert.Contains(t, rec.failures[i], f)
			}
		})
	}
}

type hiding struct{ Name, secret string }

func (h hiding) String() string   { return "hiding " + h.Name }
func (h hiding) GoString() string { return h.String() }
func (h hiding) LogValue() slog.Value {
	return slog.StringValue(h.String())
}

func TestAssertHidden(t *testing.T) {
	const secret = "SECRETKEY"
	r := &recorder{TB: t}
	AssertHidden(r, secret, "visible", hiding{"visible", secret}, &hiding{"visible", secret})
	assert.Empty(t, r.failures, "a value that prints no secret passes")

	r = &recorder{TB: t}
	AssertHidden(r, secret, "", struct{ Key string }{secret})
	assert.Len(t, r.failures, 2, "a printed secret fails, and so does its hex spelling (%x)")

	r = &recorder{TB: t}
	AssertHidden(r, secret, "", struct{ Key string }{fmt.Sprintf("%x", secret)})
	assert.Len(t, r.failures, 1, "the hex spelling alone fails")

	r = &recorder{TB: t}
	AssertHidden(r, secret, "missing", hiding{"visible", secret})
	assert.Len(t, r.failures, 1, "a value that does not show what it should fails")

	assert.Contains(t, Printed(hiding{"x", secret}), `msg=m v="hiding x"`, "a text log record is part of the output")
	assert.Contains(t, Printed(hiding{"x", secret}), `"v":"hiding x"`, "and a JSON one")
	assert.NotContains(t, Printed([]hiding{{"x", secret}}), `"msg":"m"`, "a slice is not logged as JSON")
}

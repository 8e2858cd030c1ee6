package clienttest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Request is one request a Server received.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path is the escaped path (URL.EscapedPath), so an id with a slash
	// shows as %2F.
	Path string
	// RawQuery is the query without the "?".
	RawQuery string
	// Header is a copy of the request headers.
	Header http.Header
	// Body is the whole request body.
	Body string
}

// Handler answers one request; n counts the requests the server has
// received, the first being 1.
type Handler func(w http.ResponseWriter, r *http.Request, n int)

// Override answers a request instead of the server's handler when it
// returns true; returning false lets the handler answer.
type Override func(w http.ResponseWriter, r *http.Request, n int) bool

// Server is an httptest.Server that records every request before its
// handler answers it. It is safe for concurrent requests.
type Server struct {
	*httptest.Server

	handler  Handler
	mu       sync.Mutex
	requests []Request
	override Override
}

// NewServer starts a Server that answers with h and is closed when the
// test ends.
func NewServer(t testing.TB, h Handler) *Server {
	t.Helper()
	s := &Server{handler: h}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// serve records r and hands it to the handler.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.requests = append(s.requests, Request{
		Method: r.Method, Path: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery,
		Header: r.Header.Clone(), Body: string(body),
	})
	n := len(s.requests)
	s.mu.Unlock()
	s.handler(w, r, n)
}

// SetOverride makes Overridden run o; nil removes the override.
func (s *Server) SetOverride(o Override) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.override = o
}

// Overridden runs the override set with SetOverride, if any, and reports
// whether it answered the request. A handler calls it after setting the
// headers every response carries and before its own routes.
func (s *Server) Overridden(w http.ResponseWriter, r *http.Request, n int) bool {
	s.mu.Lock()
	o := s.override
	s.mu.Unlock()
	return o != nil && o(w, r, n)
}

// Requests returns a copy of the requests received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Last returns the latest request; the test fails if there is none.
func (s *Server) Last(t testing.TB) Request {
	t.Helper()
	reqs := s.Requests()
	require.NotEmpty(t, reqs, "no request reached the server")
	return reqs[len(reqs)-1]
}

// NoSleep is a clock (it implements client.Clock) that stands still at At
// and whose Sleep returns at once, with the context's error if it is done,
// so retries and backoff run without waiting.
type NoSleep struct {
	// At is the time Now returns.
	At time.Time
}

// Now returns c.At.
func (c NoSleep) Now() time.Time { return c.At }

// Sleep returns ctx.Err() without waiting.
func (NoSleep) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// Want describes the request a client should have sent.
type Want struct {
	// Method is the expected HTTP method.
	Method string
	// Path is the expected escaped path.
	Path string
	// RawQuery is the expected query; "" expects none.
	RawQuery string
	// Header maps header names to their expected values; an empty value
	// expects the header to be absent. Headers not named are not checked.
	Header map[string]string
	// JSON is the expected body, compared as JSON, sent with Content-Type
	// application/json. If empty, the request must have no body and no
	// Content-Type.
	JSON string
}

// Assert checks got against w with assert, so every difference is
// reported.
func (w Want) Assert(t testing.TB, got Request) {
	t.Helper()
	assert.Equal(t, w.Method, got.Method, "method")
	assert.Equal(t, w.Path, got.Path, "path")
	assert.Equal(t, w.RawQuery, got.RawQuery, "query")
	AssertHeader(t, got.Header, w.Header)
	if w.JSON == "" {
		assert.Empty(t, got.Body, "body")
		assert.Empty(t, got.Header.Get("Content-Type"), "Content-Type of a request without body")
		return
	}
	assert.Equal(t, "application/json", got.Header.Get("Content-Type"), "Content-Type")
	assert.JSONEq(t, w.JSON, got.Body, "body")
}

// AssertHeader checks that h has the value want gives each named header;
// an empty value expects the header to be absent.
func AssertHeader(t testing.TB, h http.Header, want map[string]string) {
	t.Helper()
	names := make([]string, 0, len(want))
	for name := range want {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if v := want[name]; v == "" {
			assert.Empty(t, h.Get(name), "header %s should be absent", name)
		} else {
			assert.Equal(t, v, h.Get(name), "header %s", name)
		}
	}
}

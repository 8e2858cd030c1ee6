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
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/passforge/passforge/internal/secret"
)

// Do sends req, retrying as the RetryPolicy allows, and decodes a 2xx JSON
// response body into v unless v is nil or the body is empty. The raw body
// is also in Response.Body.
//
// A response outside 2xx ends in an *APIError (or a *RateLimitError when
// the server asked for a wait longer than RetryPolicy.MaxRetryAfter). The
// *Response is non-nil whenever an attempt was made, also with an error.
func (c *Client) Do(ctx context.Context, req *Request, v any) (*Response, error) {
	return c.do(ctx, req, v, nil)
}

// Stream sends req like Do and copies a 2xx response body to w without
// buffering it, for downloads such as a .pkpass file. Attempts are retried
// only until response headers arrive: once bytes were written to w, an
// error ends the call. Response.Body stays nil after a 2xx response.
func (c *Client) Stream(ctx context.Context, req *Request, w io.Writer) (*Response, error) {
	if w == nil {
		return nil, errors.New("client: Stream: nil io.Writer")
	}
	return c.do(ctx, req, nil, w)
}

// prepared is a Request validated and encoded once for all attempts.
type prepared struct {
	method, path string // path is redacted: safe for errors and logs
	url          string
	body         []byte
	hasBody      bool
	contentType  string
	header       http.Header
	key          string
	repeatable   bool // safe to send again after it reached the server
	red          redactor
}

// prepare validates req and encodes its body.
func (c *Client) prepare(req *Request) (*prepared, error) {
	if req == nil {
		return nil, errors.New("client: nil *Request")
	}
	p := &prepared{method: req.Method, red: redactor{c.secret}}
	for _, sec := range req.Secrets {
		if sec != "" {
			p.red = append(p.red, secret.New(sec))
			if esc := url.QueryEscape(sec); esc != sec {
				p.red = append(p.red, secret.New(esc))
			}
		}
	}
	p.path = p.red.str(req.Path)
	if p.method == "" {
		p.method = http.MethodGet
	}
	if !validHeaderName(p.method) {
		return nil, fmt.Errorf("client: invalid method %q", p.method)
	}
	if err := checkPath(req.Path); err != nil {
		return nil, fmt.Errorf("client: %s %q: %w", p.method, p.path, err)
	}
	where := p.method + " " + p.path
	bodies := 0
	if req.Body != nil {
		bodies++
		b, err := json.Marshal(req.Body)
		if err != nil {
			return nil, fmt.Errorf("client: %s: encoding JSON body: %w", where, err)
		}
		p.body, p.hasBody, p.contentType = b, true, "application/json"
	}
	if req.RawBody != nil {
		bodies++
		if req.ContentType == "" {
			return nil, fmt.Errorf("client: %s: RawBody without ContentType", where)
		}
		p.body, p.hasBody, p.contentType = req.RawBody, true, req.ContentType
	}
	if req.Multipart != nil {
		bodies++
		b, ct, err := req.Multipart.encode()
		if err != nil {
			return nil, fmt.Errorf("client: %s: %w", where, err)
		}
		p.body, p.hasBody, p.contentType = b, true, ct
	}
	if bodies > 1 {
		return nil, fmt.Errorf("client: %s: more than one of Body, RawBody and Multipart is set", where)
	}
	if strings.ContainsAny(p.contentType, "\r\n") {
		return nil, fmt.Errorf("client: %s: ContentType contains a line break", where)
	}

	p.header = c.header.Clone()
	for k, vs := range req.Header {
		for _, v := range vs {
			if strings.ContainsAny(v, "\r\n") || !validHeaderName(k) {
				return nil, fmt.Errorf("client: %s: header %q is invalid", where, k)
			}
		}
		p.header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}

	switch {
	case req.IdempotencyKey != "":
		if c.idempotencyKey == "" {
			return nil, fmt.Errorf("client: %s: IdempotencyKey given but the client has no idempotency header", where)
		}
		if strings.ContainsAny(req.IdempotencyKey, "\r\n") {
			return nil, fmt.Errorf("client: %s: IdempotencyKey contains a line break", where)
		}
		p.key = req.IdempotencyKey
	case req.WantIdempotencyKey && c.idempotencyKey == "":
		return nil, fmt.Errorf("client: %s: WantIdempotencyKey but the client has no idempotency header", where)
	case req.WantIdempotencyKey && req.NoIdempotencyKey:
		return nil, fmt.Errorf("client: %s: both WantIdempotencyKey and NoIdempotencyKey are set", where)
	case c.idempotencyKey != "" && (req.WantIdempotencyKey ||
		!req.NoIdempotencyKey && (p.method == http.MethodPost || p.method == http.MethodPatch)):
		k, err := c.newKey()
		if err != nil {
			return nil, fmt.Errorf("client: %s: %w", where, err)
		}
		p.key = k
	}
	p.repeatable = safeMethod(p.method) || req.Idempotent || p.key != ""

	p.url = c.baseURL.String() + req.Path
	if len(req.Query) > 0 {
		p.url += "?" + req.Query.Encode()
	}
	return p, nil
}

// checkPath enforces the Request.Path rules.
func checkPath(path string) error {
	if !strings.HasPrefix(path, "/") {
		return errors.New(`path must start with "/"`)
	}
	if strings.ContainsAny(path, "?#") {
		return errors.New("path must not contain a query or fragment; use Request.Query")
	}
	for i := 0; i < len(path); i++ {
		if path[i] < 0x21 || path[i] == 0x7f {
			return fmt.Errorf("path has a space or control character at byte %d", i)
		}
	}
	for _, seg := range strings.Split(path[1:], "/") {
		if seg == "." || seg == ".." {
			return errors.New(`path must not contain "." or ".." segments`)
		}
	}
	return nil
}

// outcome is the result of one attempt.
type outcome struct {
	err           error
	transient     bool // the failure may go away on its own
	reached       bool // the request may have reached the server
	retryAfter    time.Duration
	hasRetryAfter bool
	apiErr        *APIError
}

// do runs the attempt loop shared by Do and Stream.
func (c *Client) do(ctx context.Context, req *Request, v any, w io.Writer) (*Response, error) {
	if ctx == nil {
		return nil, errors.New("client: nil context.Context")
	}
	p, err := c.prepare(req)
	if err != nil {
		return nil, err
	}
	resp := &Response{IdempotencyKey: p.key}
	for attempt := 1; ; attempt++ {
		resp.Attempts = attempt
		out := c.attempt(ctx, p, attempt, v, w, resp)
		if out.apiErr != nil {
			out.apiErr.Attempts = attempt
		}
		if out.err == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			return resp, p.red.err(fmt.Errorf("client: %s %s: %w (attempt %d: %w)", p.method, p.path, ctx.Err(), attempt, out.err))
		}
		if out.transient && out.hasRetryAfter && out.retryAfter > c.retry.MaxRetryAfter {
			// Too long to sleep here, retryable or not: hand the wait to
			// the caller.
			return resp, &RateLimitError{RetryAfter: out.retryAfter, RetryAt: c.clock.Now().Add(out.retryAfter), Err: out.apiErr}
		}
		if !out.transient || (out.reached && !p.repeatable && !notProcessed(out.apiErr)) || attempt >= c.retry.MaxAttempts {
			return resp, p.red.err(out.err)
		}
		wait := c.retry.backoff(attempt)
		if out.hasRetryAfter {
			wait = out.retryAfter
		}
		ev := RetryEvent{Method: p.method, Path: p.path, Attempt: attempt, Wait: wait, Err: p.red.err(out.err)}
		for _, h := range c.hooks.retry {
			h(ctx, ev)
		}
		c.logger.LogAttrs(ctx, slog.LevelWarn, "client: retrying",
			slog.String("method", p.method), slog.String("path", p.path),
			slog.Int("attempt", attempt), slog.Duration("wait", wait),
			slog.String("error", ev.Err.Error()))
		if err := c.clock.Sleep(ctx, wait); err != nil {
			return resp, p.red.err(fmt.Errorf("client: %s %s: waiting %v to retry: %w (attempt %d: %w)",
				p.method, p.path, wait, err, attempt, out.err))
		}
	}
}

// attempt sends p once and fills resp from the response.
func (c *Client) attempt(ctx context.Context, p *prepared, n int, v any, w io.Writer, resp *Response) outcome {
	// Forget the previous attempt: after a transport error the Response
	// must not show an earlier attempt's status.
	resp.StatusCode, resp.Header, resp.RequestID, resp.Body = 0, nil, "", nil
	resp.RateLimit = RateLimit{Limit: -1, Remaining: -1}

	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var gotConn atomic.Bool
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
		GotConn:      func(httptrace.GotConnInfo) { gotConn.Store(true) },
		WroteHeaders: func() { gotConn.Store(true) },
	})
	var body io.Reader
	if p.hasBody {
		body = bytes.NewReader(p.body)
	}
	hreq, err := http.NewRequestWithContext(actx, p.method, p.url, body)
	if err != nil {
		return outcome{err: fmt.Errorf("client: %s %s: %w", p.method, p.path, err)}
	}
	for k, vs := range p.header {
		hreq.Header[k] = append([]string(nil), vs...)
	}
	if hreq.Header.Get("Accept") == "" {
		hreq.Header.Set("Accept", "application/json")
	}
	hreq.Header.Set("User-Agent", c.userAgent)
	if p.hasBody {
		hreq.Header.Set("Content-Type", p.contentType)
	}
	if c.authHeader != "" {
		hreq.Header.Set(c.authHeader, c.authValue.Reveal())
	}
	if p.key != "" {
		hreq.Header.Set(c.idempotencyKey, p.key)
	}
	for _, h := range c.hooks.request {
		h(ctx, RequestEvent{Attempt: n, Request: hreq})
	}

	start := c.clock.Now()
	hresp, err := c.httpClient.Do(hreq)
	dur := c.clock.Now().Sub(start)
	for _, h := range c.hooks.response {
		h(ctx, ResponseEvent{Attempt: n, Request: hreq, Response: hresp, Err: p.red.err(err), Duration: dur})
	}
	if err != nil {
		reached := gotConn.Load() && !isDialError(err)
		err = p.red.err(fmt.Errorf("client: %s %s: attempt %d: %w", p.method, p.path, n, err))
		c.logger.LogAttrs(ctx, slog.LevelDebug, "client: attempt failed",
			slog.String("method", p.method), slog.String("path", p.path), slog.Int("attempt", n),
			slog.Duration("duration", dur), slog.Bool("reached_server", reached), slog.String("error", err.Error()))
		return outcome{err: err, transient: true, reached: reached}
	}
	defer hresp.Body.Close()

	now := c.clock.Now()
	resp.StatusCode = hresp.StatusCode
	resp.Header = p.red.header(hresp.Header) // a copy only when a header echoes the credential
	resp.RequestID = p.red.str(c.requestID(hresp.Header))
	resp.RateLimit = parseRateLimit(hresp.Header, now)
	c.logger.LogAttrs(ctx, slog.LevelDebug, "client: attempt",
		slog.String("method", p.method), slog.String("path", p.path), slog.Int("attempt", n),
		slog.Int("status", hresp.StatusCode), slog.Duration("duration", dur),
		slog.String("request_id", resp.RequestID))

	if hresp.StatusCode >= 200 && hresp.StatusCode <= 299 {
		if w != nil {
			if _, err := io.Copy(w, hresp.Body); err != nil {
				return outcome{err: fmt.Errorf("client: %s %s: copying response body: %w", p.method, p.path, err)}
			}
			return outcome{}
		}
		b, err := readLimited(hresp.Body, c.maxResponse)
		if err != nil {
			// The server answered, so a write took effect; only a
			// repeatable request may try again.
			return outcome{err: fmt.Errorf("client: %s %s: reading response body: %w", p.method, p.path, err),
				transient: !errors.Is(err, errBodyTooLarge), reached: true}
		}
		resp.Body = b
		if v != nil && hresp.StatusCode != http.StatusNoContent && len(bytes.TrimSpace(b)) > 0 {
			if err := json.Unmarshal(b, v); err != nil {
				return outcome{err: fmt.Errorf("client: %s %s: decoding response: %w", p.method, p.path, err)}
			}
		}
		return outcome{}
	}

	b, _ := readLimited(hresp.Body, c.maxResponse) // a truncated body still names the error
	// A server may echo the credential back anywhere in an error: redact the body and headers before
	// anything (the error, the Response, a decoder, a log) sees them.
	b = p.red.json(b)
	resp.Body = b
	apiErr := &APIError{
		Method: p.method, Path: p.path, StatusCode: hresp.StatusCode,
		RequestID: resp.RequestID, Header: resp.Header, Body: b,
	}
	ra, raOK := parseRetryAfter(hresp.Header.Get("Retry-After"), now)
	if !raOK && hresp.StatusCode == http.StatusTooManyRequests && resp.RateLimit.Reset.After(now) {
		// No Retry-After, but the window's reset time says when the
		// next request can succeed: waiting for it beats a short backoff
		// that would land inside the same window.
		ra, raOK = resp.RateLimit.Reset.Sub(now), true
	}
	if raOK {
		apiErr.RetryAfter = ra
	}
	c.decodeError(apiErr)
	if apiErr.Message == "" {
		apiErr.Message = http.StatusText(hresp.StatusCode)
	}
	// Decoders unescape JSON strings: redact what they found again.
	apiErr.Type, apiErr.Code = p.red.str(apiErr.Type), p.red.str(apiErr.Code)
	apiErr.Message, apiErr.Param = p.red.str(apiErr.Message), p.red.str(apiErr.Param)
	apiErr.RequestID = p.red.str(apiErr.RequestID)
	return outcome{err: apiErr, apiErr: apiErr, transient: retryableStatus(hresp.StatusCode) && !apiErr.Final, reached: true,
		retryAfter: ra, hasRetryAfter: raOK}
}

// notProcessed reports whether a response says the server did not process the request at all, so that
// sending it again cannot apply a write twice: 429 (rate limited before processing) and 503 (not accepting
// requests). 500, 502, 504 and 408 give no such promise: the write may have taken effect.
func notProcessed(e *APIError) bool {
	return e != nil && (e.StatusCode == http.StatusTooManyRequests || e.StatusCode == http.StatusServiceUnavailable)
}

// requestID returns the first non-empty request id header.
func (c *Client) requestID(h http.Header) string {
	for _, name := range c.requestIDHeaders {
		if v := h.Get(name); v != "" {
			return v
		}
	}
	return ""
}

// isDialError reports whether err happened while connecting, so no byte of
// the request was sent.
func isDialError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// errBodyTooLarge marks a body over the client's limit.
var errBodyTooLarge = errors.New("client: response body too large")

// readLimited reads r up to limit bytes. A longer body returns the first
// limit bytes and an error wrapping errBodyTooLarge.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return b, err
	}
	if int64(len(b)) > limit {
		return b[:limit], fmt.Errorf("%w: more than %d bytes", errBodyTooLarge, limit)
	}
	return b, nil
}

// redactor removes the credentials of one call (the client's own and Request.Secrets) from what a server
// or the transport returned.
type redactor []secret.String

// str returns s with every credential replaced.
func (r redactor) str(s string) string { return secret.RedactAll(s, r...) }

// json returns b with every credential replaced, also where JSON escapes spell it.
func (r redactor) json(b []byte) []byte {
	for _, s := range r {
		b = s.RedactJSON(b)
	}
	return b
}

// header returns h, or a copy of h with every credential replaced in names (matched without regard to case:
// net/http re-cases names) and values when h holds one.
func (r redactor) header(h http.Header) http.Header {
	fold := func(k string) string {
		for _, s := range r {
			k = s.RedactFold(k)
		}
		return k
	}
	found := false
	for k, vs := range h {
		found = found || fold(k) != k
		for _, v := range vs {
			found = found || r.str(v) != v
		}
	}
	if !found {
		return h
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		rk := fold(k)
		for _, v := range vs {
			out[rk] = append(out[rk], r.str(v))
		}
	}
	return out
}

// err hides the credentials in err's message while keeping the chain for errors.Is and errors.As.
func (r redactor) err(err error) error {
	if err == nil {
		return nil
	}
	if msg := err.Error(); r.str(msg) == msg {
		return err
	}
	return &redactedError{err: err, secrets: r}
}

// redactedError is an error whose message had the credential removed.
type redactedError struct {
	err     error
	secrets redactor
}

// Error returns the wrapped message with the credentials replaced.
func (e *redactedError) Error() string { return e.secrets.str(e.err.Error()) }

// GoString shows the redacted message for %#v, instead of the fields.
func (e *redactedError) GoString() string {
	return "&client.redactedError{" + strconv.Quote(e.Error()) + "}"
}

// Unwrap returns the original error.
func (e *redactedError) Unwrap() error { return e.err }

package client

import (
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"time"

	"github.com/passforge/passforge/internal/secret"
)

// Defaults of a Client, used where no Option sets a value.
const (
	// DefaultTimeout bounds each attempt: connecting, sending and reading
	// the whole response.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxResponseBytes caps a response body the client buffers
	// (Do and error bodies; Stream copies without a cap).
	DefaultMaxResponseBytes = 16 << 20
	// DefaultUserAgent is sent when no WithUserAgent option is given.
	DefaultUserAgent = "passforge-client"
)

// Client sends requests to one hosted API: it adds authentication, retries
// with backoff, idempotency keys, error decoding and rate-limit information.
// A Client is safe for concurrent use. Create one with New.
type Client struct {
	baseURL          *url.URL
	authHeader       string        // header carrying the credential, "" for none
	authValue        secret.String // full header value, e.g. "Bearer pmk_test_x"
	secret           secret.String // the bare credential, redacted from errors and logs
	httpClient       *http.Client
	timeout          time.Duration
	userAgent        string
	retry            RetryPolicy
	logger           *slog.Logger
	hooks            hooks
	clock            Clock
	idempotencyKey   string // header name, "" when the provider has none
	newKey           func() (string, error)
	decodeError      ErrorDecoder
	requestIDHeaders []string
	header           http.Header
	maxResponse      int64
}

// Option configures a Client in New. Options validate their arguments;
// later options override earlier ones, so provider packages put their
// defaults first and the caller's options after them.
type Option func(*Client) error

// New returns a Client configured by opts. WithBaseURL is required.
func New(opts ...Option) (*Client, error) {
	c := &Client{
		httpClient:       http.DefaultClient,
		timeout:          DefaultTimeout,
		userAgent:        DefaultUserAgent,
		logger:           slog.New(slog.DiscardHandler),
		clock:            systemClock{},
		newKey:           newUUID,
		decodeError:      DecodeGenericError,
		requestIDHeaders: []string{"X-Request-Id", "Request-Id"},
		header:           http.Header{},
		maxResponse:      DefaultMaxResponseBytes,
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.baseURL == nil {
		return nil, errors.New("client: no base URL (use WithBaseURL)")
	}
	c.retry = c.retry.withDefaults()
	c.httpClient = c.guardRedirects(c.httpClient)
	// Records are built from redacted values; the handler is a safety net for any that is not.
	c.logger = slog.New(secret.NewHandler(c.logger.Handler(), c.secret))
	return c, nil
}

// Format prints the client's base URL and the name of its credential header, never the credential, for
// every verb, so that a Client in a log line or a %+v dump of a struct that holds one is safe.
func (c Client) Format(f fmt.State, verb rune) {
	base := ""
	if c.baseURL != nil {
		base = c.baseURL.Redacted()
	}
	auth := "none"
	if c.authHeader != "" {
		auth = c.authHeader + ": " + secret.Redacted
	}
	fmt.Fprintf(f, "client.Client{baseURL: %q, auth: %q}", base, auth)
}

// LogValue implements slog.LogValuer: a Client logs its base URL and credential header name.
func (c Client) LogValue() slog.Value {
	base := ""
	if c.baseURL != nil {
		base = c.baseURL.Redacted()
	}
	return slog.GroupValue(slog.String("base_url", base), slog.String("auth_header", c.authHeader))
}

// BaseURL returns a copy of the base URL the client sends requests to.
func (c *Client) BaseURL() *url.URL {
	u := *c.baseURL
	return &u
}

// WithBaseURL sets the absolute http or https URL that request paths are
// appended to, such as "https://api.passlite.io/api/v1". A trailing slash
// is ignored; query, fragment and user info are rejected.
func WithBaseURL(raw string) Option {
	return func(c *Client) error {
		u, err := url.Parse(raw)
		if err != nil {
			return fmt.Errorf("client: base URL: %w", err)
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			return fmt.Errorf("client: base URL %q: scheme must be http or https", u.Redacted())
		}
		if u.Host == "" {
			return fmt.Errorf("client: base URL %q: no host", u.Redacted())
		}
		if u.User != nil {
			return fmt.Errorf("client: base URL %q: user info is not allowed; use an auth option", u.Redacted())
		}
		if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
			return fmt.Errorf("client: base URL %q: query and fragment are not allowed", u.Redacted())
		}
		u.Path = strings.TrimSuffix(u.Path, "/")
		u.RawPath = strings.TrimSuffix(u.RawPath, "/")
		c.baseURL = u
		return nil
	}
}

// WithBearerToken authenticates every request with
// "Authorization: Bearer <token>". It replaces any earlier auth option.
func WithBearerToken(token string) Option {
	return func(c *Client) error {
		if err := checkSecret(token); err != nil {
			return fmt.Errorf("client: bearer token: %w", err)
		}
		c.authHeader, c.authValue, c.secret = "Authorization", secret.New("Bearer "+token), secret.New(token)
		return nil
	}
}

// WithAPIKey authenticates every request with the key in the named header,
// such as "X-API-Key" (PassLite, Passinstance, RemyPass) or "x-api-key"
// (Pass2U); header names are case-insensitive in HTTP. It replaces any
// earlier auth option. The key is dropped when a redirect leaves the host.
func WithAPIKey(header, key string) Option {
	return func(c *Client) error {
		if !validHeaderName(header) {
			return fmt.Errorf("client: API key header name %q is not a valid header name", header)
		}
		if err := checkSecret(key); err != nil {
			return fmt.Errorf("client: API key: %w", err)
		}
		c.authHeader, c.authValue, c.secret = textproto.CanonicalMIMEHeaderKey(header), secret.New(key), secret.New(key)
		return nil
	}
}

// checkSecret rejects credentials that cannot be sent in a header. The
// error never contains the credential.
func checkSecret(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("empty")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] == 0x7f {
			return fmt.Errorf("contains a space or control character at byte %d", i)
		}
	}
	return nil
}

// validHeaderName reports whether s is an RFC 9110 token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", ch) >= 0:
		default:
			return false
		}
	}
	return true
}

// WithHTTPClient sets the *http.Client that sends requests. If not given,
// http.DefaultClient. The client is copied, not modified: the copy drops
// the credential on redirects to another host.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("client: nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithTimeout bounds each attempt, from connecting to reading the whole
// response (for Stream: the whole copy). If not given, DefaultTimeout.
// The call as a whole is bounded by its context.
func WithTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("client: timeout %v is not positive", d)
		}
		c.timeout = d
		return nil
	}
}

// WithUserAgent sets the User-Agent header. If not given, DefaultUserAgent.
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		if strings.TrimSpace(ua) == "" || strings.ContainsAny(ua, "\r\n") {
			return fmt.Errorf("client: user agent %q is empty or contains a line break", ua)
		}
		c.userAgent = ua
		return nil
	}
}

// WithRetryPolicy sets the retry policy; zero fields take their defaults.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *Client) error {
		if err := p.validate(); err != nil {
			return err
		}
		c.retry = p
		return nil
	}
}

// WithLogger sets the logger. Attempts are logged at Debug, retries at
// Warn; records carry method, path, attempt, status, duration and request
// id, never headers or credentials: the client's records pass through a
// handler that replaces its credential in every attribute. If not given,
// nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		if l == nil {
			return errors.New("client: nil *slog.Logger")
		}
		c.logger = l
		return nil
	}
}

// WithNow sets the clock the client reads: Retry-After dates, rate-limit
// resets and request durations. If not given, time.Now. It is the way every
// passforge package takes a clock (a func() time.Time called Now). Sleeps
// between attempts still go through the Clock (WithClock, by default real
// timers); options apply in order, so a later WithClock replaces this one.
func WithNow(now func() time.Time) Option {
	return func(c *Client) error {
		if now == nil {
			return errors.New("client: nil Now func")
		}
		c.clock = nowClock{now: now, sleeper: c.clock}
		return nil
	}
}

// WithClock sets the clock used for backoff sleeps, Retry-After dates and
// rate-limit resets: both what the client reads and how it waits, which lets
// tests run retries without waiting. If not given, the system clock. To set
// only the time read, use WithNow. Per-attempt timeouts use the context
// package and are not driven by the clock.
func WithClock(clk Clock) Option {
	return func(c *Client) error {
		if clk == nil {
			return errors.New("client: nil Clock")
		}
		c.clock = clk
		return nil
	}
}

// WithIdempotencyHeader names the header that carries idempotency keys,
// such as Passmint's "Idempotency-Key". With it, the client generates one
// key per POST and PATCH call (unless the Request brings its own) and sends
// the same key on every attempt, which makes those writes retryable.
// An empty name means the provider has no keys, which is the default.
func WithIdempotencyHeader(name string) Option {
	return func(c *Client) error {
		if name != "" && !validHeaderName(name) {
			return fmt.Errorf("client: idempotency header name %q is not a valid header name", name)
		}
		c.idempotencyKey = textproto.CanonicalMIMEHeaderKey(name)
		return nil
	}
}

// WithIdempotencyKeyFunc sets the generator of idempotency keys. If not
// given, random version 4 UUIDs from crypto/rand.
func WithIdempotencyKeyFunc(f func() (string, error)) Option {
	return func(c *Client) error {
		if f == nil {
			return errors.New("client: nil idempotency key function")
		}
		c.newKey = f
		return nil
	}
}

// WithErrorDecoder sets the provider's ErrorDecoder. If not given,
// DecodeGenericError.
func WithErrorDecoder(d ErrorDecoder) Option {
	return func(c *Client) error {
		if d == nil {
			return errors.New("client: nil ErrorDecoder")
		}
		c.decodeError = d
		return nil
	}
}

// WithRequestIDHeader names the response headers that carry the
// provider's request id, tried in order. If not given, "X-Request-Id" and
// "Request-Id".
func WithRequestIDHeader(names ...string) Option {
	return func(c *Client) error {
		if len(names) == 0 {
			return errors.New("client: no request id header names")
		}
		for _, n := range names {
			if !validHeaderName(n) {
				return fmt.Errorf("client: request id header name %q is not a valid header name", n)
			}
		}
		c.requestIDHeaders = append([]string(nil), names...)
		return nil
	}
}

// WithHeader adds a header sent with every request, such as a fixed
// "Accept". Auth, idempotency and Content-Type headers are set by the
// client and cannot be set here.
func WithHeader(name, value string) Option {
	return func(c *Client) error {
		if !validHeaderName(name) {
			return fmt.Errorf("client: header name %q is not a valid header name", name)
		}
		if strings.ContainsAny(value, "\r\n") {
			return fmt.Errorf("client: header %s: value contains a line break", name)
		}
		switch textproto.CanonicalMIMEHeaderKey(name) {
		case "Authorization", "Content-Type", "Content-Length", "Host":
			return fmt.Errorf("client: header %s is set by the client", name)
		}
		c.header.Add(name, value)
		return nil
	}
}

// WithMaxResponseBytes caps the response bodies the client buffers. If not
// given, DefaultMaxResponseBytes (16 MiB).
func WithMaxResponseBytes(n int64) Option {
	return func(c *Client) error {
		if n <= 0 {
			return fmt.Errorf("client: max response bytes %d is not positive", n)
		}
		c.maxResponse = n
		return nil
	}
}

// guardRedirects returns a copy of hc whose redirect policy removes the
// credential header when a redirect leaves the original host. Go already
// drops Authorization on such redirects but not custom headers like
// X-API-Key.
func (c *Client) guardRedirects(hc *http.Client) *http.Client {
	cp := *hc
	next := hc.CheckRedirect
	header := c.authHeader
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if header != "" && len(via) > 0 && req.URL.Host != via[0].URL.Host {
			req.Header.Del(header)
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("client: stopped after 10 redirects")
		}
		return nil
	}
	return &cp
}

// newUUID returns a random RFC 9562 version 4 UUID.
func newUUID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("client: generating idempotency key: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]), nil
}

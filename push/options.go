package push

import (
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"
)

// The APNs endpoints. Pass updates work only in Production.
const (
	// Production is APNs' production endpoint, the default.
	Production = "https://api.push.apple.com"
	// ProductionAlt is the production endpoint on port 2197, for networks
	// that block outgoing 443 to Apple.
	ProductionAlt = "https://api.push.apple.com:2197"
	// Sandbox is APNs' development endpoint.
	Sandbox = "https://api.sandbox.push.apple.com"
)

// Defaults of the options.
const (
	// DefaultConnections is the number of HTTP/2 connections (WithConnections).
	DefaultConnections = 2
	// DefaultMaxInFlight bounds the requests of a fan-out in flight (WithMaxInFlight).
	DefaultMaxInFlight = 500
	// DefaultExpiration is how far ahead apns-expiration is set (WithExpiration).
	DefaultExpiration = 12 * time.Hour
	// DefaultTimeout bounds each request (WithTimeout).
	DefaultTimeout = 30 * time.Second
	// DefaultRetries is the number of retries after 429, 5xx or a lost connection (WithRetry).
	DefaultRetries = 3
	// DefaultBackoff is the wait before the first retry, doubled for each next one (WithRetry).
	DefaultBackoff = 500 * time.Millisecond
	// DefaultMaxBackoff caps the wait between retries (WithRetry).
	DefaultMaxBackoff = 30 * time.Second
	// DefaultReadIdle is how long a connection may go without a frame before a PING (WithHealthCheck).
	DefaultReadIdle = 15 * time.Minute
	// DefaultPingTimeout is how long a PING may go unanswered before the connection is closed (WithHealthCheck).
	DefaultPingTimeout = 15 * time.Second
	// DefaultTokenRefresh is how often the provider token is renewed (WithTokenRefresh).
	DefaultTokenRefresh = 40 * time.Minute
)

// Option configures a Client. Options validate their arguments: New returns
// the first option's error.
type Option func(*config) error

type config struct {
	url                  string
	roots                *x509.CertPool
	topic                string
	tokenKey             []byte
	keyID, teamID        string
	tokenRefresh         time.Duration
	conns, inFlight      int
	expiration           time.Duration
	timeout              time.Duration
	retries              int
	backoff, maxBackoff  time.Duration
	readIdle, pingTimout time.Duration
	now                  func() time.Time
	logger               *slog.Logger
	hooks                Hooks
}

// Hooks are optional functions the Client calls; they may be called from
// several goroutines at once and must return quickly.
type Hooks struct {
	// Result is called with the result of every push.
	Result func(Result)
	// Retry is called before a push is retried: the token, the attempt
	// about to be made (2 for the first retry), the wait before it and the
	// error that caused it.
	Retry func(token string, attempt int, wait time.Duration, err error)
	// Connect is called after each attempt to open a connection to APNs,
	// with its address and error (nil on success).
	Connect func(addr string, err error)
}

// WithSandbox sends to the development environment instead of production.
// Pass updates work only in production; use it for app tokens of tests.
func WithSandbox() Option { return WithURL(Sandbox) }

// WithURL sends to rawURL, https://HOST[:PORT] (port 443 if none): one of
// the endpoint constants or a test server such as pushtest's.
func WithURL(rawURL string) Option {
	return func(c *config) error {
		u, err := url.Parse(rawURL)
		if err != nil {
			return fmt.Errorf("push: APNs URL: %w", err)
		}
		if u.Scheme != "https" || u.Host == "" || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.User != nil {
			return fmt.Errorf("push: APNs URL %q: want https://HOST[:PORT]", rawURL)
		}
		c.url = "https://" + u.Host
		return nil
	}
}

// WithRootCAs trusts pool instead of the system roots for the APNs server's
// certificate (for a test server: pushtest.Server.CertPool).
func WithRootCAs(pool *x509.CertPool) Option {
	return func(c *config) error {
		if pool == nil {
			return errors.New("push: nil root CA pool")
		}
		c.roots = pool
		return nil
	}
}

// WithTopic sets the topic used when a push names none. With a certificate
// it must be the certificate's pass type identifier, which is also the
// default.
func WithTopic(topic string) Option {
	return func(c *config) error {
		if topic == "" {
			return errors.New("push: empty topic")
		}
		c.topic = topic
		return nil
	}
}

// WithTokenKey authenticates with a provider token (an ES256 JWT) made from
// the .p8 key p8PEM with key ID keyID and team ID teamID, instead of (or as
// well as) the certificate. Apple documents only certificates for passes;
// tokens are reported to work for pass type IDs of the key's own team. The
// JWT is reused and renewed every 40 minutes (WithTokenRefresh).
func WithTokenKey(p8PEM []byte, keyID, teamID string) Option {
	return func(c *config) error {
		if len(p8PEM) == 0 || keyID == "" || teamID == "" {
			return errors.New("push: token authentication needs a .p8 key, a key ID and a team ID")
		}
		c.tokenKey, c.keyID, c.teamID = p8PEM, keyID, teamID
		return nil
	}
}

// WithTokenRefresh sets how often the provider token is renewed: at least
// 20 minutes (APNs answers 429 TooManyProviderTokenUpdates to more frequent
// renewals) and less than 60 (older tokens are expired). If not set, 40
// minutes.
func WithTokenRefresh(d time.Duration) Option {
	return func(c *config) error {
		if d < 20*time.Minute || d >= 60*time.Minute {
			return fmt.Errorf("push: token refresh %v: want at least 20 and under 60 minutes", d)
		}
		c.tokenRefresh = d
		return nil
	}
}

// WithConnections sets how many HTTP/2 connections the client opens to APNs
// (1 to 64). If not set, 2.
func WithConnections(n int) Option {
	return func(c *config) error {
		if n < 1 || n > 64 {
			return fmt.Errorf("push: %d connections: want 1 to 64", n)
		}
		c.conns = n
		return nil
	}
}

// WithMaxInFlight bounds the requests of a fan-out in flight at once, over
// all connections (1 to 100000). Each connection also keeps to the
// MAX_CONCURRENT_STREAMS APNs announces. If not set, 500.
func WithMaxInFlight(n int) Option {
	return func(c *config) error {
		if n < 1 || n > 100000 {
			return fmt.Errorf("push: %d requests in flight: want 1 to 100000", n)
		}
		c.inFlight = n
		return nil
	}
}

// WithExpiration sets how long APNs keeps trying to deliver a notification
// (apns-expiration = now + d; APNs keeps only the last one per device and
// topic). 0 means one attempt, no storage. If not set, 12 hours.
func WithExpiration(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 || d > 30*24*time.Hour {
			return fmt.Errorf("push: expiration %v: want 0 to 30 days", d)
		}
		c.expiration = d
		return nil
	}
}

// WithTimeout bounds each request, from sending to APNs' answer. If not
// set, 30 seconds.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("push: timeout %v: want more than 0", d)
		}
		c.timeout = d
		return nil
	}
}

// WithRetry sets how a push answered with 429 or 5xx, or lost with its
// connection, is retried: up to retries more times (0 to 10), waiting about
// base, 2×base, 4×base ... (at most maxWait, with random jitter) between
// attempts. If not set: 3 retries, 500 ms, 30 s.
func WithRetry(retries int, base, maxWait time.Duration) Option {
	return func(c *config) error {
		if retries < 0 || retries > 10 {
			return fmt.Errorf("push: %d retries: want 0 to 10", retries)
		}
		if base <= 0 || maxWait < base {
			return fmt.Errorf("push: retry waits %v to %v: want 0 < base <= max", base, maxWait)
		}
		c.retries, c.backoff, c.maxBackoff = retries, base, maxWait
		return nil
	}
}

// WithHealthCheck sets the HTTP/2 health check of each connection: a PING
// after readIdle without any frame from APNs, and the connection closed
// when the PING is not answered within pingTimeout. If not set, 15 minutes
// and 15 seconds.
func WithHealthCheck(readIdle, pingTimeout time.Duration) Option {
	return func(c *config) error {
		if readIdle <= 0 || pingTimeout <= 0 {
			return fmt.Errorf("push: health check %v/%v: want durations above 0", readIdle, pingTimeout)
		}
		c.readIdle, c.pingTimout = readIdle, pingTimeout
		return nil
	}
}

// WithNow sets the function the client reads the time from (certificate
// expiry, apns-expiration, provider token age). If not set, time.Now.
func WithNow(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("push: nil clock")
		}
		c.now = now
		return nil
	}
}

// WithLogger logs to l: each result at debug level, retries and
// reconnections at info, certificate expiry warnings and configuration
// errors at warn and error. If not set, slog.Default().
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("push: nil logger")
		}
		c.logger = l
		return nil
	}
}

// WithHooks sets functions called on results, retries and connections.
func WithHooks(h Hooks) Option {
	return func(c *config) error {
		c.hooks = h
		return nil
	}
}

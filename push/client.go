package push

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/passforge/passforge/sign"
)

// expiryWarning is how long before its certificate expires the client warns.
const expiryWarning = 30 * 24 * time.Hour

// maxAnswer bounds the body of an APNs answer that is read.
const maxAnswer = 4096

// Client sends "pass changed" notifications to APNs over a small pool of
// HTTP/2 connections. It is safe for concurrent use; make one per identity
// and keep it for the life of the program.
type Client struct {
	id         *sign.Identity
	certTopic  string // the certificate's pass type identifier, "" without one
	topic      string // the default topic
	base       *url.URL
	addr       string // host:port
	tlsConfig  *tls.Config
	token      *providerToken
	inFlight   int
	expiration time.Duration
	timeout    time.Duration
	retries    int
	backoff    time.Duration
	maxBackoff time.Duration
	readIdle   time.Duration
	pingTO     time.Duration
	now        func() time.Time
	log        *slog.Logger
	hooks      Hooks

	slots  []*slot
	rr     atomic.Uint32
	closed atomic.Bool
}

// slot is one connection of the pool: an http.Transport of the standard
// library limited to one HTTP/2 connection, which it dials when first
// needed and again after the connection breaks or APNs sends GOAWAY.
type slot struct {
	// tr is the slot's transport, read without a lock on every request and
	// replaced (under mu) when its connection must not be used again.
	tr       atomic.Pointer[http.Transport]
	mu       sync.Mutex
	inflight atomic.Int32
	// dialMu serializes the dials of the slot's transports.
	dialMu sync.Mutex
	dials  int
	// dialErr is the error of the last dial, kept for dialErrFor so that
	// the requests queued behind a failed dial fail at once instead of
	// each dialling (and timing out) in turn.
	dialErr  error
	dialedAt time.Time
	// conns holds the connection each transport of the slot dialled last
	// (under dialMu), for Close.
	conns map[*http.Transport]net.Conn

	// useMu guards active and freed.
	useMu sync.Mutex
	// active counts the requests in flight on each connection.
	active map[net.Conn]int
	// freed is closed (and replaced) whenever a request on the slot ends.
	freed chan struct{}
}

// errConnFull is the dial error with which a slot refuses a second
// connection while its connection still has requests in flight: the
// standard transport (in Go 1.25) dials another connection when the
// server's MAX_CONCURRENT_STREAMS is reached, and the request waits for a
// free stream instead.
var errConnFull = errors.New("push: every stream of the connection is in use")

// maxFullPause bounds the pause of a request waiting for a free stream
// between its tries.
const maxFullPause = 50 * time.Millisecond

// use adds d to the requests in flight on conn; when one ends, the
// requests waiting for a free stream try again.
func (s *slot) use(conn net.Conn, d int) {
	s.useMu.Lock()
	defer s.useMu.Unlock()
	s.active[conn] += d
	if s.active[conn] <= 0 {
		delete(s.active, conn)
	}
	if d < 0 {
		close(s.freed)
		s.freed = make(chan struct{})
	}
}

// freedChan returns the channel closed when the next request on s ends.
func (s *slot) freedChan() <-chan struct{} {
	s.useMu.Lock()
	defer s.useMu.Unlock()
	return s.freed
}

// dialTimeout bounds a TLS dial (or WithTimeout, if longer).
const dialTimeout = 15 * time.Second

// dialErrFor is how long a failed dial answers for its slot.
const dialErrFor = time.Second

// New returns a client that authenticates with identity's Pass Type ID
// certificate (mutual TLS; the key may be any crypto.Signer, such as a key
// in an HSM) and pushes to APNs production unless an option says otherwise.
// identity may be nil only WithTokenKey, and WithTopic is then required.
//
// New fails when the certificate has expired (ErrCertificateExpired) and
// logs a warning when it expires within 30 days. Connections are opened
// on the first push.
func New(identity *sign.Identity, opts ...Option) (*Client, error) {
	cfg := config{
		url: Production, conns: DefaultConnections, inFlight: DefaultMaxInFlight,
		expiration: DefaultExpiration, timeout: DefaultTimeout, retries: DefaultRetries,
		backoff: DefaultBackoff, maxBackoff: DefaultMaxBackoff, readIdle: DefaultReadIdle,
		pingTimout: DefaultPingTimeout, tokenRefresh: DefaultTokenRefresh, now: time.Now,
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.logger == nil {
		cfg.logger = slog.Default()
	}
	base, err := url.Parse(cfg.url)
	if err != nil {
		return nil, fmt.Errorf("push: APNs URL: %w", err)
	}
	c := &Client{
		id: identity, topic: cfg.topic, base: base, inFlight: cfg.inFlight,
		expiration: cfg.expiration, timeout: cfg.timeout, retries: cfg.retries,
		backoff: cfg.backoff, maxBackoff: cfg.maxBackoff, readIdle: cfg.readIdle,
		pingTO: cfg.pingTimout, now: cfg.now, log: cfg.logger, hooks: cfg.hooks,
	}
	c.addr = base.Host
	if base.Port() == "" {
		c.addr = net.JoinHostPort(base.Hostname(), "443")
	}
	c.tlsConfig = &tls.Config{
		RootCAs:    cfg.roots,
		ServerName: base.Hostname(),
		NextProtos: []string{"h2"},
		MinVersion: tls.VersionTLS12,
	}
	if cfg.tokenKey != nil {
		if c.token, err = newProviderToken(cfg.tokenKey, cfg.keyID, cfg.teamID, cfg.tokenRefresh); err != nil {
			return nil, err
		}
	}
	switch {
	case identity != nil:
		if identity.Certificate == nil || identity.Signer == nil {
			return nil, errors.New("push: the identity has no certificate or no private key")
		}
		c.certTopic = identity.PassTypeIdentifier()
		if c.certTopic == "" {
			return nil, fmt.Errorf("push: certificate %q has no pass type identifier (subject UID)", identity.Certificate.Subject.CommonName)
		}
		chain := [][]byte{identity.Certificate.Raw}
		for _, ic := range identity.Chain {
			if ic != nil {
				chain = append(chain, ic.Raw)
			}
		}
		c.tlsConfig.Certificates = []tls.Certificate{{Certificate: chain, PrivateKey: identity.Signer, Leaf: identity.Certificate}}
		if c.topic == "" {
			c.topic = c.certTopic
		} else if c.topic != c.certTopic {
			return nil, fmt.Errorf("%w: topic %q, certificate %q", ErrTopicMismatch, c.topic, c.certTopic)
		}
		if err := c.checkCertificate(); err != nil {
			return nil, err
		}
		if left := identity.Certificate.NotAfter.Sub(c.now()); left < expiryWarning {
			c.log.Warn("push: certificate expires soon", "subject", identity.Certificate.Subject.CommonName,
				"notAfter", identity.Certificate.NotAfter.UTC().Format(time.RFC3339), "daysLeft", int(left.Hours()/24))
		}
	case c.token == nil:
		return nil, errors.New("push: no identity: give a Pass Type ID identity or WithTokenKey")
	case c.topic == "":
		return nil, errors.New("push: token authentication without a certificate needs WithTopic")
	}
	c.slots = make([]*slot, cfg.conns)
	for i := range c.slots {
		s := &slot{conns: map[*http.Transport]net.Conn{}, active: map[net.Conn]int{}, freed: make(chan struct{})}
		s.tr.Store(c.newTransport(s))
		c.slots[i] = s
	}
	return c, nil
}

// checkCertificate returns an error wrapping ErrCertificateExpired once the
// identity's certificate has expired.
func (c *Client) checkCertificate() error {
	if c.id == nil {
		return nil
	}
	if na := c.id.Certificate.NotAfter; c.now().After(na) {
		return fmt.Errorf("%w: %q expired on %s; renew the Pass Type ID certificate", ErrCertificateExpired,
			c.id.Certificate.Subject.CommonName, na.UTC().Format(time.RFC3339))
	}
	return nil
}

// Topic returns the topic used when a push names none: the certificate's
// pass type identifier unless WithTopic set another.
func (c *Client) Topic() string { return c.topic }

// URL returns the APNs endpoint the client pushes to.
func (c *Client) URL() string { return c.base.String() }

// resolveTopic returns the topic to send for topic ("" = default), checked
// against the certificate.
func (c *Client) resolveTopic(topic string) (string, error) {
	if topic == "" {
		return c.topic, nil
	}
	if c.certTopic != "" && c.token == nil && topic != c.certTopic {
		return "", fmt.Errorf("%w: topic %q, certificate %q", ErrTopicMismatch, topic, c.certTopic)
	}
	return topic, nil
}

// Push sends one "pass changed" notification to token with topic (the pass
// type identifier; "" for the client's topic) and returns its result. The
// error is the result's Err: nil when delivered. Answers 429 and 5xx and
// lost connections are retried; see Result and the sentinel errors for the
// rest. The outbox worker of a pass server calls Push once per entry.
func (c *Client) Push(ctx context.Context, token, topic string) (Result, error) {
	r := Result{Token: token, Topic: topic}
	if err := c.precheck(&r); err != nil {
		r.Err = err
		c.report(r)
		return r, err
	}
	r = c.send(ctx, r)
	c.report(r)
	return r, r.Err
}

// precheck fills r's normalized token and topic, or returns why nothing may
// be sent.
func (c *Client) precheck(r *Result) error {
	if c.closed.Load() {
		return ErrClosed
	}
	if err := CheckToken(r.Token); err != nil {
		return err
	}
	r.Token = normalizeToken(r.Token)
	topic, err := c.resolveTopic(r.Topic)
	if err != nil {
		return err
	}
	r.Topic = topic
	return c.checkCertificate()
}

// report logs r and calls the Result hook.
func (c *Client) report(r Result) {
	if c.hooks.Result != nil {
		c.hooks.Result(r)
	}
	if r.Outcome == Delivered {
		if c.log.Enabled(context.Background(), slog.LevelDebug) {
			c.log.Debug("push: delivered", "token", r.Token, "topic", r.Topic, "apnsId", r.APNsID)
		}
		return
	}
	if c.log.Enabled(context.Background(), slog.LevelDebug) {
		c.log.Debug("push: not delivered", "token", r.Token, "topic", r.Topic, "outcome", r.Outcome.String(),
			"status", r.Status, "reason", r.Reason, "error", r.Err)
	}
}

// answer is the result of one request.
type answer struct {
	status    int
	reason    string
	apnsID    string
	timestamp time.Time
	err       error // the request failed without an answer
	connLost  bool  // ... because its connection broke or went away
}

// send pushes r.Token until it is delivered, refused, or its retries run out.
func (c *Client) send(ctx context.Context, r Result) Result {
	connRetried, jwtRenewed := false, false
	retries := 0
	var stale string
	for {
		r.Attempts++
		a := c.once(ctx, r.Token, r.Topic, &stale)
		r.Status, r.Reason, r.APNsID, r.Timestamp = a.status, a.reason, a.apnsID, a.timestamp
		var cause error
		switch {
		case a.err != nil && ctx.Err() != nil:
			r.Outcome, r.Err = Failed, fmt.Errorf("push: %w", errors.Join(ctx.Err(), a.err))
			if r.Attempts == 1 && a.status == 0 && errors.Is(a.err, errNotStarted) {
				r.Outcome, r.Err = NotSent, errors.Join(ErrNotSent, ctx.Err())
			}
			return r
		case a.err != nil && errors.Is(a.err, ErrConfiguration):
			r.Outcome, r.Err = Failed, a.err
			return r
		case a.err != nil:
			if a.connLost && !connRetried {
				// The connection broke or went away under the request: once,
				// at once, on a fresh connection.
				connRetried = true
				c.retryHook(r.Token, r.Attempts+1, 0, a.err)
				continue
			}
			cause = a.err
		case a.status == http.StatusOK:
			r.Outcome, r.Err = Delivered, nil
			return r
		case a.status == http.StatusForbidden && a.reason == "ExpiredProviderToken" && c.token != nil && !jwtRenewed:
			jwtRenewed = true
			if _, err := c.token.expired(stale, c.now()); err != nil {
				r.Outcome, r.Err = Failed, err
				return r
			}
			continue
		default:
			kind, retry := classify(a.status, a.reason)
			apnsErr := &Error{Status: a.status, Reason: a.reason, Timestamp: a.timestamp, APNsID: a.apnsID, kind: kind}
			if !retry {
				r.Err = apnsErr
				switch kind {
				case ErrUnregistered, ErrBadDeviceToken:
					r.Outcome = Unregistered
				default:
					r.Outcome = Failed
				}
				return r
			}
			cause = apnsErr
		}
		if retries >= c.retries {
			r.Outcome = Failed
			r.Err = fmt.Errorf("%w after %d attempts: %w", ErrTemporary, r.Attempts, cause)
			if errors.Is(cause, ErrTemporary) {
				r.Err = fmt.Errorf("push: %d attempts: %w", r.Attempts, cause)
			}
			return r
		}
		retries++
		wait := c.backoffFor(retries)
		c.retryHook(r.Token, r.Attempts+1, wait, cause)
		if err := sleep(ctx, wait); err != nil {
			r.Outcome, r.Err = Failed, fmt.Errorf("push: %w (while waiting to retry after: %w)", err, cause)
			return r
		}
	}
}

func (c *Client) retryHook(token string, attempt int, wait time.Duration, err error) {
	c.log.Info("push: retrying", "token", token, "attempt", attempt, "wait", wait, "error", err)
	if c.hooks.Retry != nil {
		c.hooks.Retry(token, attempt, wait, err)
	}
}

// backoffFor returns the wait before retry n (1, 2, ...): base×2^(n-1), at
// most maxBackoff, with jitter down to half of it.
func (c *Client) backoffFor(n int) time.Duration {
	d := c.backoff << (n - 1)
	if d <= 0 || d > c.maxBackoff {
		d = c.maxBackoff
	}
	half := d / 2
	return half + mrand.N(half+1)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// errNotStarted marks a request that failed before anything was written.
var errNotStarted = errors.New("push: request not started")

// body is the payload of every pass notification: an empty JSON dictionary.
const body = "{}"

// once sends one request and reads the answer. *jwtOut is set to the
// provider token sent, if any.
func (c *Client) once(ctx context.Context, token, topic string, jwtOut *string) answer {
	s := c.pick()
	s.inflight.Add(1)
	defer s.inflight.Add(-1)
	if c.closed.Load() {
		return answer{err: ErrClosed}
	}
	id := newUUID()
	h := http.Header{
		"Apns-Topic":      {topic},
		"Apns-Push-Type":  {"background"},
		"Apns-Priority":   {"5"},
		"Apns-Expiration": {c.expirationHeader()},
		"Apns-Id":         {id},
		"User-Agent":      {"passforge-push"},
	}
	if c.token != nil {
		jwt, err := c.token.get(c.now())
		if err != nil {
			return answer{err: err}
		}
		*jwtOut = jwt
		h["Authorization"] = []string{"bearer " + jwt}
	}
	u := *c.base
	u.Path = "/3/device/" + token
	rctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	// wrote tells a request that reached APNs from one that was still
	// waiting for its connection (or a free stream) when it ended.
	var wrote atomic.Bool
	// used is the connection the request went on, counted in s.active
	// until the request ends.
	var (
		usedMu sync.Mutex
		used   net.Conn
	)
	defer func() {
		usedMu.Lock()
		defer usedMu.Unlock()
		if used != nil {
			s.use(used, -1)
			used = nil
		}
	}()
	rctx = httptrace.WithClientTrace(rctx, &httptrace.ClientTrace{
		WroteHeaders: func() { wrote.Store(true) },
		GotConn: func(info httptrace.GotConnInfo) {
			usedMu.Lock()
			defer usedMu.Unlock()
			if used != nil {
				s.use(used, -1)
			}
			used = info.Conn
			s.use(used, 1)
		},
	})
	newBody := func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(body)), nil }
	var (
		tr   *http.Transport
		resp *http.Response
		err  error
	)
	pause := time.Millisecond
	poll := time.NewTimer(time.Hour)
	defer poll.Stop()
	for {
		freed := s.freedChan()
		tr = s.tr.Load()
		req := (&http.Request{
			Method: http.MethodPost, URL: &u, Host: c.base.Host, Header: h,
			Proto: "HTTP/2.0", ProtoMajor: 2,
			Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)),
			// The transport may send the request again on another connection
			// when APNs refused it unprocessed (GOAWAY, REFUSED_STREAM).
			GetBody: newBody,
		}).WithContext(rctx)
		resp, err = tr.RoundTrip(req)
		if err == nil || !errors.Is(err, errConnFull) {
			break
		}
		// Every stream is in use: wait until a request of the slot ends. A
		// request the transport retried (GOAWAY, REFUSED_STREAM) is on no
		// connection any more, and must not count as keeping one busy.
		usedMu.Lock()
		if used != nil {
			s.use(used, -1)
			used = nil
		}
		usedMu.Unlock()
		// Until the server's SETTINGS arrive, the transport takes a new
		// connection for 100 streams: the request also tries again after a
		// short, growing pause.
		poll.Reset(pause)
		pause = min(2*pause, maxFullPause)
		select {
		case <-freed:
			continue
		case <-poll.C:
			continue
		case <-rctx.Done():
			err = rctx.Err()
		}
		break
	}
	if err != nil {
		var de *dialFailure
		switch {
		case errors.As(err, &de):
			if ctx.Err() != nil {
				return answer{err: fmt.Errorf("%w: %w", errNotStarted, de.err)}
			}
			return answer{err: de.err}
		case ctx.Err() != nil && !wrote.Load():
			return answer{err: fmt.Errorf("%w: %w", errNotStarted, err)}
		case ctx.Err() != nil:
			return answer{apnsID: id, err: err}
		case rctx.Err() != nil:
			// No answer in time: retried with backoff. The connection stays;
			// if it is dead, its health check closes it.
			return answer{apnsID: id, err: fmt.Errorf("push: no answer within %v: %w", c.timeout, err)}
		case isStreamError(err):
			// This stream failed, not the connection.
			return answer{apnsID: id, err: fmt.Errorf("push: %w", err)}
		case c.closed.Load():
			return answer{apnsID: id, err: fmt.Errorf("push: %w", errors.Join(ErrClosed, err))}
		}
		// The connection broke or went away (GOAWAY) under the request.
		c.discard(s, tr)
		return answer{apnsID: id, err: fmt.Errorf("push: %w", err), connLost: true}
	}
	a := answer{status: resp.StatusCode, apnsID: id}
	if got := resp.Header.Get("apns-id"); got != "" {
		a.apnsID = printable(got, 64)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Reason    string `json:"reason"`
			Timestamp int64  `json:"timestamp"`
		}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
		resp.Body.Close()
		if json.Unmarshal(b, &e) == nil {
			a.reason = printable(e.Reason, 64)
			if e.Timestamp > 0 {
				a.timestamp = time.UnixMilli(e.Timestamp)
			}
		}
		if resp.StatusCode == http.StatusServiceUnavailable || a.reason == "IdleTimeout" {
			// Apple: retry on a new connection.
			c.discard(s, tr)
		}
	} else {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxAnswer))
		resp.Body.Close()
	}
	return a
}

// isStreamError reports whether err is an HTTP/2 stream error other than
// REFUSED_STREAM: the request failed, not its connection. The standard
// library does not export its HTTP/2 error types; their text starts with
// "stream error:" and names the error code.
func isStreamError(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "stream error: ") && !strings.Contains(msg, "REFUSED_STREAM")
}

// printable returns s cut to n bytes with every byte that is not printable
// ASCII replaced by '?': APNs' reasons and IDs are plain ASCII, and whatever
// server answers must not put terminal escapes into logs and output.
func printable(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] < 0x20 || b[j] > 0x7e {
					b[j] = '?'
				}
			}
			return string(b)
		}
	}
	return s
}

func (c *Client) expirationHeader() string {
	if c.expiration == 0 {
		return "0"
	}
	return strconv.FormatInt(c.now().Add(c.expiration).Unix(), 10)
}

// pick returns the connection slot with the fewest requests in flight,
// starting the search at the next slot in turn.
func (c *Client) pick() *slot {
	n := len(c.slots)
	start := int(c.rr.Add(1)) % n
	best := c.slots[start]
	bestLoad := best.inflight.Load()
	for i := 1; i < n && bestLoad > 0; i++ {
		s := c.slots[(start+i)%n]
		if l := s.inflight.Load(); l < bestLoad {
			best, bestLoad = s, l
		}
	}
	return best
}

// newTransport returns a transport for s: HTTP/2 over TLS only, at most one
// connection (which keeps to the MAX_CONCURRENT_STREAMS APNs announces:
// requests beyond it wait for a free stream), health-checked with PINGs.
func (c *Client) newTransport(s *slot) *http.Transport {
	var protos http.Protocols
	protos.SetHTTP2(true)
	tr := &http.Transport{
		TLSClientConfig:    c.tlsConfig.Clone(), // the transport adds to its NextProtos
		ForceAttemptHTTP2:  true,
		Protocols:          &protos,
		MaxConnsPerHost:    1,
		DisableCompression: true,
		HTTP2: &http.HTTP2Config{
			SendPingTimeout: c.readIdle,
			PingTimeout:     c.pingTO,
		},
	}
	tr.DialTLSContext = func(ctx context.Context, _, _ string) (net.Conn, error) { return c.dial(ctx, s, tr) }
	return tr
}

// discard replaces s's transport, if it is still tr, by a new one, so that
// the next request dials afresh; tr's connection finishes the requests in
// flight on it and is closed once idle.
func (c *Client) discard(s *slot, tr *http.Transport) {
	s.mu.Lock()
	replaced := s.tr.Load() == tr && !c.closed.Load()
	if replaced {
		s.tr.Store(c.newTransport(s))
	}
	s.mu.Unlock()
	if !replaced {
		return
	}
	tr.CloseIdleConnections()
	// Every request on tr ends within the request timeout; then its
	// connection is idle and is closed.
	time.AfterFunc(c.timeout+time.Second, func() {
		tr.CloseIdleConnections()
		s.dialMu.Lock()
		conn := s.conns[tr]
		delete(s.conns, tr)
		s.dialMu.Unlock()
		if conn != nil {
			conn.Close()
		}
	})
}

// dialFailure marks the error of a dial (already wrapped by dialError) as
// it comes back through the transport.
type dialFailure struct{ err error }

func (d *dialFailure) Error() string { return d.err.Error() }
func (d *dialFailure) Unwrap() error { return d.err }

// dial opens a TLS connection for s's transport (a fresh DNS lookup each
// time, as Apple asks) and checks that it speaks HTTP/2.
func (c *Client) dial(ctx context.Context, s *slot, tr *http.Transport) (net.Conn, error) {
	s.dialMu.Lock()
	defer s.dialMu.Unlock()
	if c.closed.Load() {
		return nil, &dialFailure{ErrClosed}
	}
	if s.dialErr != nil && time.Since(s.dialedAt) < dialErrFor {
		return nil, &dialFailure{s.dialErr}
	}
	if old := s.conns[tr]; old != nil {
		s.useMu.Lock()
		busy := s.active[old] > 0
		s.useMu.Unlock()
		if busy {
			return nil, errConnFull
		}
	}
	if s.dials > 0 {
		c.log.Info("push: reconnecting", "addr", c.addr)
	}
	s.dials++
	conn, err := c.dialTLS(ctx)
	if c.hooks.Connect != nil {
		c.hooks.Connect(c.addr, err)
	}
	s.dialErr, s.dialedAt = err, time.Now()
	if err != nil {
		return nil, &dialFailure{err}
	}
	s.conns[tr] = conn
	return conn, nil
}

// dialTLS opens a TLS connection to APNs and checks that it negotiated h2.
func (c *Client) dialTLS(ctx context.Context) (net.Conn, error) {
	dctx, cancel := context.WithTimeout(ctx, max(c.timeout, dialTimeout))
	defer cancel()
	d := &tls.Dialer{NetDialer: &net.Dialer{KeepAlive: 30 * time.Second}, Config: c.tlsConfig}
	raw, err := d.DialContext(dctx, "tcp", c.addr)
	if err != nil {
		return nil, c.dialError(err)
	}
	if p := raw.(*tls.Conn).ConnectionState().NegotiatedProtocol; p != "h2" {
		raw.Close()
		return nil, fmt.Errorf("push: %s does not speak HTTP/2 (ALPN %q)", c.addr, p)
	}
	return raw, nil
}

// dialError wraps the errors that no retry can fix (the server refused the
// certificate, or its own certificate is not trusted) in ErrConfiguration.
func (c *Client) dialError(err error) error {
	var alert tls.AlertError
	var verr *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	if errors.As(err, &alert) || errors.As(err, &verr) || errors.As(err, &unknown) || errors.As(err, &hostErr) || errors.As(err, &invalid) ||
		strings.Contains(err.Error(), "remote error: tls:") {
		return fmt.Errorf("%w: TLS with %s: %w", ErrConfiguration, c.addr, err)
	}
	return fmt.Errorf("push: connecting to %s: %w", c.addr, err)
}

// Close closes every connection; requests in flight fail and later pushes
// return ErrClosed.
func (c *Client) Close() error {
	c.closed.Store(true)
	for _, s := range c.slots {
		s.tr.Load().CloseIdleConnections()
		s.dialMu.Lock()
		for tr, conn := range s.conns {
			conn.Close() // requests in flight on it fail
			delete(s.conns, tr)
		}
		s.dialMu.Unlock()
	}
	return nil
}

// String describes the client without secrets.
func (c *Client) String() string {
	auth := "certificate"
	if c.token != nil {
		auth = "token " + c.token.String()
		if c.id != nil {
			auth = "certificate + " + auth
		}
	}
	return fmt.Sprintf("push.Client{url: %s, topic: %s, auth: %s, connections: %d}", c.base, c.topic, auth, len(c.slots))
}

// GoString is String, for %#v.
func (c *Client) GoString() string { return c.String() }

// Format prints String for every verb, so that no verb prints the private
// key of the identity or the provider token.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

// LogValue logs the client without secrets.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:36], b[10:16])
	return string(out[:])
}

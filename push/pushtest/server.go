package pushtest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// maxPayload is the largest body APNs accepts.
const maxPayload = 4096

// Request is one request the server received.
type Request struct {
	// Time is when the request arrived.
	Time time.Time
	// Token is the device token from the path /3/device/<token>.
	Token string
	// Method and Path are the request's :method and :path.
	Method, Path string
	// Header holds the request headers (apns-topic, apns-push-type, ...).
	Header http.Header
	// Body is the request body, such as {} for a pass update.
	Body []byte
	// ClientSubject is the subject of the client certificate, or "" when
	// the client presented none.
	ClientSubject string
	// Conn numbers the connection the request came on, from 1 in the
	// order the server accepted them.
	Conn int
	// Status is the status the server answered, 0 when it dropped the
	// connection instead.
	Status int
	// Reason is the reason in the answer's JSON body, "" for a 200.
	Reason string
}

// Server is a fake APNs on a loopback port, speaking HTTP/2 over TLS.
type Server struct {
	// URL is the base URL of the server, https://127.0.0.1:PORT.
	URL string

	ln        net.Listener
	ca        *x509.Certificate
	caKey     *ecdsa.PrivateKey
	tlsConfig *tls.Config
	logOff    bool
	token     *tokenVerifier
	now       func() time.Time

	maxStreams atomic.Int32
	count      atomic.Int64
	nconns     atomic.Int32
	maxSeen    atomic.Int32

	mu       sync.Mutex
	scripts  map[string][]Response
	def      Response
	requests []Request
	conns    map[*conn]struct{}
	closed   bool
	client   *http.Client

	wg sync.WaitGroup
}

// conn is one accepted connection and the http.Server serving only it, so
// that a GoAway step can shut down that connection alone.
type conn struct {
	raw    net.Conn
	srv    *http.Server
	n      int
	active atomic.Int32
}

// Option configures a Server.
type Option func(*Server) error

// WithMaxConcurrentStreams sets the SETTINGS_MAX_CONCURRENT_STREAMS the
// server advertises on each connection. If not set, 1000, as APNs does for
// certificate connections.
func WithMaxConcurrentStreams(n int) Option {
	return func(s *Server) error {
		if n < 1 || n > 1<<20 {
			return fmt.Errorf("pushtest: max concurrent streams %d out of range 1..%d", n, 1<<20)
		}
		s.maxStreams.Store(int32(n))
		return nil
	}
}

// WithClientCAs makes the server verify the client certificate's chain
// against pool, as APNs does against Apple's CAs. Without it any client
// certificate is accepted (and recorded).
func WithClientCAs(pool *x509.CertPool) Option {
	return func(s *Server) error {
		if pool == nil {
			return errors.New("pushtest: nil client CA pool")
		}
		s.tlsConfig.ClientCAs = pool
		s.tlsConfig.ClientAuth = tls.RequireAndVerifyClientCert
		return nil
	}
}

// WithTokenKey puts the server in token mode: a client certificate becomes
// optional and every request must carry "authorization: bearer <JWT>" signed
// with ES256 by the key whose public half is pub, with kid keyID and iss
// teamID, issued less than an hour ago. Otherwise the server answers 403
// MissingProviderToken, InvalidProviderToken or ExpiredProviderToken.
func WithTokenKey(keyID, teamID string, pub *ecdsa.PublicKey) Option {
	return func(s *Server) error {
		if keyID == "" || teamID == "" || pub == nil {
			return errors.New("pushtest: token mode needs a key ID, a team ID and a public key")
		}
		s.token = &tokenVerifier{keyID: keyID, teamID: teamID, pub: pub}
		if s.tlsConfig.ClientAuth == tls.RequireAnyClientCert {
			s.tlsConfig.ClientAuth = tls.RequestClientCert
		}
		return nil
	}
}

// WithNow sets the clock that provider tokens' ages are checked
// against (for tests that move the client's clock too). If not set,
// time.Now.
func WithNow(now func() time.Time) Option {
	return func(s *Server) error {
		if now == nil {
			return errors.New("pushtest: nil clock")
		}
		s.now = now
		return nil
	}
}

// WithoutLog stops the server from keeping each request (for benchmarks
// with many requests); Count still counts them.
func WithoutLog() Option {
	return func(s *Server) error {
		s.logOff = true
		return nil
	}
}

// NewServer starts a fake APNs on a loopback port. Close it when done.
func NewServer(opts ...Option) (*Server, error) {
	s := &Server{scripts: map[string][]Response{}, conns: map[*conn]struct{}{}, now: time.Now}
	s.maxStreams.Store(1000)
	if err := s.makeCertificates(); err != nil {
		return nil, err
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(s); err != nil {
			return nil, err
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("pushtest: listen on loopback: %w", err)
	}
	s.ln = ln
	s.URL = "https://" + ln.Addr().String()
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

func (s *Server) makeCertificates() error {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fmt.Errorf("pushtest: %w", err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "pushtest CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return fmt.Errorf("pushtest: %w", err)
	}
	s.ca, _ = x509.ParseCertificate(caDER)
	s.caKey = caKey
	leaf, err := s.issue(pkix.Name{CommonName: "api.push.apple.com (pushtest)"}, x509.ExtKeyUsageServerAuth)
	if err != nil {
		return err
	}
	s.tlsConfig = &tls.Config{
		Certificates: []tls.Certificate{leaf},
		ClientAuth:   tls.RequireAnyClientCert,
		MinVersion:   tls.VersionTLS12,
		NextProtos:   []string{"h2"},
	}
	return nil
}

// issue returns a certificate for name signed by the server's CA, valid for
// the loopback addresses.
func (s *Server) issue(name pkix.Name, usage x509.ExtKeyUsage) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("pushtest: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      name,
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
		DNSNames:     []string{"localhost", "api.push.apple.com", "api.sandbox.push.apple.com"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, s.ca, &key.PublicKey, s.caKey)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("pushtest: %w", err)
	}
	leaf, _ := x509.ParseCertificate(der)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

func serial() *big.Int {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	b[0] &= 0x7f
	return new(big.Int).SetBytes(b)
}

// CertPool returns a pool holding the CA that issued the server's
// certificate, for the RootCAs of the client under test.
func (s *Server) CertPool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(s.ca)
	return p
}

// CAPEM returns the CA that issued the server's certificate in PEM form, for
// tools that take a CA file (passforge push --apns-ca).
func (s *Server) CAPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.ca.Raw})
}

// Client returns an HTTP/2 client that trusts the server and presents a
// throwaway client certificate (subject CN "pushtest client").
func (s *Server) Client() *http.Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.client == nil {
		cert, err := s.issue(pkix.Name{CommonName: "pushtest client"}, x509.ExtKeyUsageClientAuth)
		tc := &tls.Config{RootCAs: s.CertPool(), MinVersion: tls.VersionTLS12}
		if err == nil {
			tc.Certificates = []tls.Certificate{cert}
		}
		s.client = &http.Client{Transport: &http.Transport{TLSClientConfig: tc, ForceAttemptHTTP2: true}}
	}
	return s.client
}

// SetMaxConcurrentStreams changes the SETTINGS_MAX_CONCURRENT_STREAMS that
// connections accepted from now on advertise. n below 1 is taken as 1.
func (s *Server) SetMaxConcurrentStreams(n int) {
	s.maxStreams.Store(int32(max(1, min(n, 1<<20))))
}

// Script appends steps to the script of token: each request to token takes
// the next step; when none is left it gets the default answer.
func (s *Server) Script(token string, steps ...Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scripts[token] = append(s.scripts[token], steps...)
}

// SetDefault sets the answer to requests whose token has no script step
// left. The initial default is OK().
func (s *Server) SetDefault(r Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.def = r
}

// Requests returns a copy of the log of every request received so far, in
// the order they arrived (nil with WithoutLog).
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// RequestsFor returns the logged requests for token.
func (s *Server) RequestsFor(token string) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Token == token {
			out = append(out, r)
		}
	}
	return out
}

// Count returns the number of requests received so far.
func (s *Server) Count() int { return int(s.count.Load()) }

// Conns returns the number of connections accepted so far.
func (s *Server) Conns() int { return int(s.nconns.Load()) }

// MaxConcurrent returns the most requests the server has seen in flight at
// once on a single connection.
func (s *Server) MaxConcurrent() int { return int(s.maxSeen.Load()) }

// Close stops the server and closes every connection.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	s.ln.Close()
	for _, c := range conns {
		c.srv.Close()
		c.raw.Close()
	}
	s.wg.Wait()
	if s.client != nil {
		s.client.CloseIdleConnections()
	}
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		raw, err := s.ln.Accept()
		if err != nil {
			return
		}
		c := &conn{raw: raw, n: int(s.nconns.Add(1))}
		l := &oneConnListener{c: raw, done: make(chan struct{})}
		var protos http.Protocols
		protos.SetHTTP2(true)
		c.srv = &http.Server{
			ConnState: func(_ net.Conn, st http.ConnState) {
				if st == http.StateClosed {
					l.Close() // the client hung up: let ServeTLS return
				}
			},
			Handler:   http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serve(c, w, r) }),
			TLSConfig: s.tlsConfig.Clone(), // ServeTLS changes the server's config: one per connection
			Protocols: &protos,
			HTTP2:     &http.HTTP2Config{MaxConcurrentStreams: int(s.maxStreams.Load())},
			ErrorLog:  log.New(io.Discard, "", 0),
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			raw.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			_ = c.srv.ServeTLS(l, "", "")
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
		}()
	}
}

// oneConnListener hands one connection to an http.Server, then blocks
// until closed.
type oneConnListener struct {
	c         net.Conn
	taken     bool
	mu        sync.Mutex
	done      chan struct{}
	closeOnce sync.Once
}

func (l *oneConnListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	if !l.taken {
		l.taken = true
		l.mu.Unlock()
		return l.c, nil
	}
	l.mu.Unlock()
	<-l.done
	return nil, net.ErrClosed
}

func (l *oneConnListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return nil
}

func (l *oneConnListener) Addr() net.Addr { return l.c.LocalAddr() }

// next returns the answer for token: the next step of its script, or the
// default.
func (s *Server) next(token string) Response {
	s.mu.Lock()
	defer s.mu.Unlock()
	if steps := s.scripts[token]; len(steps) > 0 {
		s.scripts[token] = steps[1:]
		return steps[0]
	}
	return s.def
}

func (s *Server) serve(c *conn, w http.ResponseWriter, r *http.Request) {
	n := c.active.Add(1)
	defer c.active.Add(-1)
	for {
		seen := s.maxSeen.Load()
		if n <= seen || s.maxSeen.CompareAndSwap(seen, n) {
			break
		}
	}
	s.count.Add(1)
	body, err := io.ReadAll(io.LimitReader(r.Body, maxPayload+1))
	if err != nil {
		return // the stream was reset
	}
	req := Request{Time: time.Now(), Method: r.Method, Path: r.URL.Path, Body: body, Conn: c.n}
	if token, ok := strings.CutPrefix(r.URL.Path, "/3/device/"); ok {
		req.Token = token
	}
	if !s.logOff {
		req.Header = r.Header.Clone()
	}
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		req.ClientSubject = r.TLS.PeerCertificates[0].Subject.String()
	}

	resp, checked := s.check(r, req, body)
	if !checked {
		resp = s.next(req.Token)
	}
	if resp.Delay > 0 {
		t := time.NewTimer(resp.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
	}
	if resp.Drop {
		s.log(req)
		c.raw.Close()
		return
	}
	status := resp.Status
	if status == 0 {
		status = http.StatusOK
	}
	req.Status, req.Reason = status, resp.Reason
	s.log(req)

	id := r.Header.Get("apns-id")
	if id == "" {
		id = newUUID()
	}
	w.Header().Set("apns-id", id)
	if status == http.StatusOK {
		w.WriteHeader(status)
	} else {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(errorBody(resp))
	}
	if resp.GoAway {
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		go c.srv.Shutdown(context.Background()) //nolint:errcheck // the connection closes either way
	}
}

// check answers the requests APNs refuses whatever the token's script says;
// ok is false when the request is well-formed.
func (s *Server) check(r *http.Request, req Request, body []byte) (Response, bool) {
	switch {
	case r.Method != http.MethodPost:
		return Response{Status: http.StatusMethodNotAllowed, Reason: "MethodNotAllowed"}, true
	case !strings.HasPrefix(req.Path, "/3/device/"):
		return Response{Status: http.StatusNotFound, Reason: "BadPath"}, true
	case req.Token == "":
		return Response{Status: http.StatusBadRequest, Reason: "MissingDeviceToken"}, true
	case r.Header.Get("apns-topic") == "":
		return Response{Status: http.StatusBadRequest, Reason: "MissingTopic"}, true
	case len(body) == 0:
		return Response{Status: http.StatusBadRequest, Reason: "PayloadEmpty"}, true
	case len(body) > maxPayload:
		return Response{Status: http.StatusRequestEntityTooLarge, Reason: "PayloadTooLarge"}, true
	}
	if s.token != nil {
		if reason := s.token.check(r.Header.Get("authorization"), s.now()); reason != "" {
			return Response{Status: http.StatusForbidden, Reason: reason}, true
		}
	}
	return Response{}, false
}

func (s *Server) log(req Request) {
	if s.logOff {
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.mu.Unlock()
}

func errorBody(r Response) []byte {
	type body struct {
		Reason    string `json:"reason"`
		Timestamp int64  `json:"timestamp,omitempty"`
	}
	b := body{Reason: r.Reason}
	if !r.Timestamp.IsZero() {
		b.Timestamp = r.Timestamp.UnixMilli()
	}
	out, _ := json.Marshal(b)
	return out
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// Response is one step of a token's script: how the server answers one
// request. The zero value answers 200.
type Response struct {
	// Status is the HTTP status; 0 means 200.
	Status int
	// Reason is Apple's reason string, sent as {"reason": ...} with any
	// status other than 200.
	Reason string
	// Timestamp, if set, is sent as the body's "timestamp" in milliseconds
	// (APNs sends it with 410).
	Timestamp time.Time
	// Delay is how long the server waits before answering (or dropping).
	Delay time.Duration
	// GoAway makes the server close the connection gracefully after
	// answering: an HTTP/2 GOAWAY (NO_ERROR; unlike APNs, without a JSON
	// reason in its debug data), then the requests already started are
	// finished and the connection is closed.
	GoAway bool
	// Drop makes the server close the TCP connection instead of answering,
	// failing every request in flight on it.
	Drop bool
}

// String describes the step, for test failure messages.
func (r Response) String() string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(max(r.Status, 200)))
	if r.Reason != "" {
		b.WriteString(" " + r.Reason)
	}
	if r.Delay > 0 {
		b.WriteString(" after " + r.Delay.String())
	}
	if r.GoAway {
		b.WriteString(" then GOAWAY")
	}
	if r.Drop {
		b = strings.Builder{}
		b.WriteString("drop the connection")
	}
	return b.String()
}

// OK answers 200 with an empty body.
func OK() Response { return Response{} }

// Unregistered answers 410 Unregistered with Apple's timestamp at (the time
// the token stopped being valid for the topic).
func Unregistered(at time.Time) Response {
	return Response{Status: http.StatusGone, Reason: "Unregistered", Timestamp: at}
}

// BadDeviceToken answers 400 BadDeviceToken.
func BadDeviceToken() Response {
	return Response{Status: http.StatusBadRequest, Reason: "BadDeviceToken"}
}

// DeviceTokenNotForTopic answers 400 DeviceTokenNotForTopic.
func DeviceTokenNotForTopic() Response {
	return Response{Status: http.StatusBadRequest, Reason: "DeviceTokenNotForTopic"}
}

// Forbidden answers 403 with reason, such as BadCertificate,
// BadCertificateEnvironment or ExpiredProviderToken; "" means Forbidden.
func Forbidden(reason string) Response {
	if reason == "" {
		reason = "Forbidden"
	}
	return Response{Status: http.StatusForbidden, Reason: reason}
}

// TooManyRequests answers 429 TooManyRequests.
func TooManyRequests() Response {
	return Response{Status: http.StatusTooManyRequests, Reason: "TooManyRequests"}
}

// InternalServerError answers 500 InternalServerError.
func InternalServerError() Response {
	return Response{Status: http.StatusInternalServerError, Reason: "InternalServerError"}
}

// ServiceUnavailable answers 503 ServiceUnavailable.
func ServiceUnavailable() Response {
	return Response{Status: http.StatusServiceUnavailable, Reason: "ServiceUnavailable"}
}

// Delay answers r after waiting d.
func Delay(d time.Duration, r Response) Response {
	r.Delay = d
	return r
}

// GoAway answers 200, then closes the connection gracefully with GOAWAY.
func GoAway() Response { return Response{GoAway: true} }

// Drop closes the connection without answering.
func Drop() Response { return Response{Drop: true} }

package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/passforge/passforge/sign"
	"github.com/passforge/passforge/template"
	"github.com/passforge/passforge/webservice"
)

// Defaults of Config.
const (
	// DefaultDownloadTTL is how long a downloadURL stays valid.
	DefaultDownloadTTL = 7 * 24 * time.Hour
	// DefaultLease is how long a claimed outbox entry is held by one
	// instance before another may send it.
	DefaultLease = 30 * time.Second
	// DefaultPollInterval is how often the push worker looks for outbox
	// entries written by other instances (or due for a retry).
	DefaultPollInterval = time.Second
	// DefaultPushTimeout bounds one push attempt.
	DefaultPushTimeout = 10 * time.Second
	// DefaultMaxBackoff bounds the wait between two attempts of one push.
	DefaultMaxBackoff = 5 * time.Minute
)

// settingSecret is the store setting that holds the service secret.
const settingSecret = "server/secret"

// Config is what a Server composes. Template, Identity, Store, PublicURL and
// AdminToken are required.
type Config struct {
	// Template is the pass design every pass is issued from.
	Template *template.Template
	// Identity signs the passes; its certificate must be for the
	// template's passTypeIdentifier and teamIdentifier.
	Identity *sign.Identity
	// Store keeps passes, registrations, the push outbox and the service's
	// settings. The Server does not close it.
	Store webservice.Store
	// PublicURL is the absolute URL devices reach the service at, such as
	// https://passes.example.com or https://example.com/wallet. The
	// webServiceURL of every pass is PublicURL (with a trailing slash); the
	// web service and the download links are served under its path. An
	// http URL is accepted for tests and local trials (Wallet itself
	// requires https); Warnings reports it.
	PublicURL string
	// AdminToken authenticates the admin API (Authorization: Bearer).
	// Required.
	AdminToken Secret
	// Pusher sends the pushes of the outbox. If nil, nothing is sent and
	// the outbox keeps every entry (APNs "off").
	Pusher Pusher
	// Logger receives the service's structured logs. If nil,
	// slog.Default().
	Logger *slog.Logger
	// SignOptions are the options of every signature (digest). May be nil.
	SignOptions *sign.Options
	// DownloadTTL is how long a downloadURL stays valid. If zero,
	// DefaultDownloadTTL.
	DownloadTTL time.Duration
	// Lease is how long a claimed outbox entry is held. If zero,
	// DefaultLease.
	Lease time.Duration
	// PollInterval is how often the worker looks for due outbox entries.
	// If zero, DefaultPollInterval.
	PollInterval time.Duration
	// PushTimeout bounds one push attempt; it must be shorter than Lease.
	// If zero, DefaultPushTimeout.
	PushTimeout time.Duration
	// MaxBackoff bounds the wait before retrying a push. If zero,
	// DefaultMaxBackoff.
	MaxBackoff time.Duration
	// Workers is the number of pushes sent at the same time. If zero, 16.
	Workers int
	// Owner names this instance in outbox leases. If empty, the host name,
	// the process id and a random suffix.
	Owner string
}

// Server is the pass update service. Make one with New; serve its Handler
// and call Run for the push worker. It is safe for concurrent use.
type Server struct {
	cfg      Config
	tp       *template.Template
	id       *sign.Identity
	store    webservice.Store
	log      *slog.Logger
	ptid     string
	wsURL    string // webServiceURL of the passes, ends in "/"
	prefix   string // path of PublicURL without its trailing slash ("" for the root)
	insecure bool   // PublicURL is http
	keys     keys
	metrics  *metrics
	ws       http.Handler
	wake     chan struct{}
	warnings []string
	now      func() time.Time
	signOpts sign.Options
	random   io.Reader
}

// New checks cfg, loads (or creates, once for every instance of the store)
// the service secret, and returns the Server.
func New(ctx context.Context, cfg Config) (*Server, error) {
	switch {
	case cfg.Template == nil:
		return nil, errors.New("server: no template")
	case cfg.Identity == nil:
		return nil, errors.New("server: no signing identity")
	case cfg.Store == nil:
		return nil, errors.New("server: no store")
	case cfg.AdminToken == "":
		return nil, errors.New("server: no admin token: the admin API would be open to anyone")
	}
	if n := len(cfg.AdminToken); n < 16 {
		return nil, fmt.Errorf("server: the admin token has %d characters; use at least 16 random ones", n)
	}
	ptid, team := cfg.Template.PassTypeIdentifier(), cfg.Template.TeamIdentifier()
	if ptid == "" || team == "" {
		return nil, errors.New("server: the template has no passTypeIdentifier or teamIdentifier")
	}
	if got := cfg.Identity.PassTypeIdentifier(); got != ptid {
		return nil, fmt.Errorf("server: the identity's certificate is for pass type %q, the template's passTypeIdentifier is %q", got, ptid)
	}
	if got := cfg.Identity.TeamIdentifier(); got != team {
		return nil, fmt.Errorf("server: the identity's certificate is for team %q, the template's teamIdentifier is %q", got, team)
	}
	u, err := url.Parse(cfg.PublicURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("server: public URL %q: want an absolute http(s) URL without query, fragment or credentials", cfg.PublicURL)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.DownloadTTL <= 0 {
		cfg.DownloadTTL = DefaultDownloadTTL
	}
	if cfg.Lease <= 0 {
		cfg.Lease = DefaultLease
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.PushTimeout <= 0 {
		cfg.PushTimeout = DefaultPushTimeout
	}
	if cfg.PushTimeout >= cfg.Lease {
		return nil, fmt.Errorf("server: the push timeout (%s) must be shorter than the lease (%s), or an entry could be sent twice", cfg.PushTimeout, cfg.Lease)
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = DefaultMaxBackoff
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 16
	}
	if cfg.Owner == "" {
		host, _ := os.Hostname()
		var b [4]byte
		_, _ = rand.Read(b[:])
		cfg.Owner = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
	}
	s := &Server{
		cfg:    cfg,
		tp:     cfg.Template,
		id:     cfg.Identity,
		store:  cfg.Store,
		log:    cfg.Logger,
		ptid:   ptid,
		prefix: strings.TrimRight(u.EscapedPath(), "/"),
		wake:   make(chan struct{}, 1),
		now:    time.Now,
		random: rand.Reader,
	}
	if cfg.SignOptions != nil {
		s.signOpts = *cfg.SignOptions
	}
	s.signOpts.AllowInvalid = false
	u.Path, u.RawPath = "", ""
	s.wsURL = u.String() + s.prefix + "/"
	if u.Scheme != "https" {
		s.insecure = true
		s.warnings = append(s.warnings, fmt.Sprintf("the public URL %s is not https: Wallet only talks to https web services (use http for tests and local trials)", s.wsURL))
	}
	for _, n := range cfg.Identity.Check(time.Now()) {
		s.warnings = append(s.warnings, n.String())
	}

	secret, err := newSecret()
	if err != nil {
		return nil, err
	}
	stored, err := cfg.Store.PutSettingIfAbsent(ctx, settingSecret, secret)
	if err != nil {
		return nil, fmt.Errorf("server: loading the service secret from the store: %w", err)
	}
	if len(stored) < secretSize {
		return nil, fmt.Errorf("server: the service secret in the store has %d bytes, want %d", len(stored), secretSize)
	}
	s.keys = deriveKeys(stored)
	s.metrics = newMetrics(s)
	if s.ws, err = s.newWebService(); err != nil {
		return nil, err
	}
	return s, nil
}

// WebServiceURL returns the webServiceURL of the passes the Server issues.
func (s *Server) WebServiceURL() string { return s.wsURL }

// PassTypeIdentifier returns the passTypeIdentifier of the passes.
func (s *Server) PassTypeIdentifier() string { return s.ptid }

// Warnings returns what the Server found questionable in its Config (an
// http public URL, a certificate that expires soon), one sentence each.
func (s *Server) Warnings() []string { return s.warnings }

// Handler returns the http.Handler of the whole service: the web service,
// the admin API, the download links, /healthz and /metrics.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// appData is what the Server keeps in webservice.Pass.AppData.
type appData struct {
	Values Values `json:"values"`
	Voided bool   `json:"voided,omitempty"`
	// Nonce makes the pass's derived authenticationToken unique.
	Nonce string `json:"nonce"`
}

func decodeAppData(b []byte) (*appData, error) {
	var d appData
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("server: the stored data of the pass does not decode: %w", err)
	}
	if d.Values == nil {
		d.Values = Values{}
	}
	return &d, nil
}

package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/passforge/passforge/push"
	"github.com/passforge/passforge/server"
	"github.com/passforge/passforge/sign"
	"github.com/passforge/passforge/webservice"
	"github.com/passforge/passforge/webservice/pgstore"
	"github.com/passforge/passforge/webservice/sqlitestore"
)

func init() {
	register(&command{
		name:    "serve",
		summary: "run the pass update service: web service, admin API, push outbox",
		run:     runServe,
	})
}

// envAdminToken holds the bearer token of the admin API.
const envAdminToken = "PASSFORGE_ADMIN_TOKEN"

const serveUsage = `Usage: passforge serve --template DIR|FILE.pkpass [--p12 FILE | --cert PEM --key PEM | --dev] [--wwdr PEM]
                       [--db sqlite:PATH|postgres://...] [--addr HOST:PORT] [--public-url URL]
                       [--tls-cert PEM --tls-key PEM] [--apns production|sandbox|off|https://HOST:PORT]
                       [--apns-ca PEM] [--log-level debug|info|warn|error] [--sha1] [--json]

Runs the pass update service for the passes of one template: the Apple
Wallet web service (devices register, poll and fetch new versions), an
admin API under /api/v1 to issue, update and void passes, signed download
links, /healthz and /metrics. Each change is signed once and stored with a
new update tag; the registered devices are told through an APNs push
outbox written in the same transaction, so a crash loses no notification.

The admin API takes "Authorization: Bearer $` + envAdminToken + `"; the
service refuses to start without that variable (16 characters or more).

--db is sqlite:PATH (default sqlite:passforge.db) or a postgres:// URL;
several instances may share one PostgreSQL database. --public-url is the
URL devices reach (the webServiceURL of the passes is derived from it;
default http://localhost:PORT, https with --tls-cert); Wallet needs https.
--dev signs with a development identity made once and kept in the
database, so passes keep one signer across restarts (Wallet does not
accept it). --apns off sends nothing and keeps the outbox; a URL points at
a test server, whose CA --apns-ca adds. Logs go to the standard error
(--log-level debug adds a line per request); with --json the startup report
is one JSON object and the logs are JSON.

Stop it with SIGTERM or SIGINT: it stops accepting, finishes the requests
and pushes in flight and closes the database.

Exit status: 0 after a graceful stop, 1 when the service cannot start (an
unusable identity, template or database, an address in use) or fails,
2 on usage errors.

Example:
  PASSFORGE_ADMIN_TOKEN=change-me-to-32-random-chars passforge serve --template card.pass --dev --apns off
  curl -H "Authorization: Bearer $PASSFORGE_ADMIN_TOKEN" -d '{"values": {"name": "Jane"}}' localhost:8080/api/v1/passes
  passforge serve --template card.pass --p12 pass.p12 --db postgres://passforge@db/passforge --public-url https://passes.example.com

Flags:
`

// serveConfig is what the flags of serve ask for.
type serveConfig struct {
	identity        *identityFlags
	signing         *signFlags
	template        string
	db              string
	addr            string
	publicURL       string
	tlsCert, tlsKey string
	apns, apnsCA    string
	json            bool
	logLevel        slog.Level
	adminToken      server.Secret
	shutdownTimeout time.Duration
}

func runServe(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve", serveUsage, stderr)
	c := &serveConfig{shutdownTimeout: 30 * time.Second}
	c.identity = addIdentityFlags(fs)
	c.signing = addSignFlags(fs, false)
	fs.StringVar(&c.template, "template", "", "the design: a pass folder or a .pkpass (required)")
	fs.StringVar(&c.db, "db", "sqlite:passforge.db", "the database: sqlite:PATH or a postgres:// URL")
	fs.StringVar(&c.addr, "addr", ":8080", "the address to listen on, HOST:PORT")
	fs.StringVar(&c.publicURL, "public-url", "", "the URL devices reach the service at (default http://localhost:PORT, https with --tls-cert)")
	fs.StringVar(&c.tlsCert, "tls-cert", "", "serve HTTPS with this PEM certificate (and chain); needs --tls-key")
	fs.StringVar(&c.tlsKey, "tls-key", "", "the PEM private key of --tls-cert")
	fs.StringVar(&c.apns, "apns", "production", "where pushes go: production, sandbox, off (keep the outbox) or https://HOST:PORT")
	fs.StringVar(&c.apnsCA, "apns-ca", "", "PEM file of a CA to trust for an --apns URL (a test server)")
	fs.BoolVar(&c.json, "json", false, "print the startup report as one JSON object and log in JSON")
	logLevel := fs.String("log-level", "info", "the least important log lines shown: debug (a line per request), info, warn or error")
	rest, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	usageErr := func(format string, a ...any) int {
		if c.json {
			_ = printJSONLine(stdout, map[string]any{"error": fmt.Sprintf(format, a...), "exitCode": exitUsage})
		}
		return usageError(fs, format, a...)
	}
	c.adminToken = server.Secret(os.Getenv(envAdminToken))
	switch {
	case len(rest) > 0:
		return usageErr("unexpected arguments: %s", strings.Join(rest, " "))
	case c.template == "":
		return usageErr("want --template DIR or --template FILE.pkpass")
	case (c.tlsCert == "") != (c.tlsKey == ""):
		return usageErr("--tls-cert and --tls-key go together")
	case c.adminToken == "":
		return usageErr("$%s is not set: the admin API needs a bearer token (16 characters or more)", envAdminToken)
	case len(c.adminToken) < 16:
		return usageErr("$%s has %d characters: use 16 or more random ones", envAdminToken, len(c.adminToken))
	case c.apnsCA != "" && !strings.HasPrefix(c.apns, "https://"):
		return usageErr("--apns-ca goes with --apns https://HOST:PORT")
	}
	if err := c.logLevel.UnmarshalText([]byte(*logLevel)); err != nil || strings.ContainsAny(*logLevel, "+-") {
		return usageErr("--log-level %q: want debug, info, warn or error", *logLevel)
	}
	if err := checkAPNsFlag(c.apns); err != nil {
		return usageErr("%v", err)
	}
	if _, err := storeKind(c.db); err != nil {
		return usageErr("%v", err)
	}
	if c.publicURL != "" {
		if u, err := url.Parse(c.publicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return usageErr("--public-url %q: want an absolute http(s) URL such as https://passes.example.com", c.publicURL)
		}
	}
	if c.identity.dev && (c.identity.p12 != "" || c.identity.cert != "" || c.identity.key != "") {
		return usageErr("choose exactly one identity: --p12 FILE, --cert PEM --key PEM, or --dev")
	}
	if c.identity.dev && c.identity.wwdr != "" {
		return usageErr("--wwdr cannot be combined with --dev")
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second signal while draining ends the process at once
	}()
	return serve(ctx, c, stdout, stderr)
}

// printJSONLine writes v as one line of JSON.
func printJSONLine(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// checkAPNsFlag accepts production, sandbox, off and https URLs.
func checkAPNsFlag(v string) error {
	switch v {
	case "production", "sandbox", "off":
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "https" || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return fmt.Errorf("--apns %q: want production, sandbox, off or https://HOST:PORT", v)
	}
	return nil
}

// storeKind returns "sqlite" or "postgres" for a --db value.
func storeKind(db string) (string, error) {
	switch {
	case strings.HasPrefix(db, "sqlite:"):
		if strings.TrimPrefix(db, "sqlite:") == "" {
			return "", errors.New("--db sqlite: needs a file path, as in sqlite:passforge.db")
		}
		return "sqlite", nil
	case strings.HasPrefix(db, "postgres://"), strings.HasPrefix(db, "postgresql://"):
		return "postgres", nil
	}
	return "", fmt.Errorf("--db %q: want sqlite:PATH or a postgres:// URL", redactDB(db))
}

// redactDB hides the password of a database URL.
func redactDB(db string) string {
	if u, err := url.Parse(db); err == nil && u.User != nil {
		return u.Redacted()
	}
	return db
}

// openStore opens the database of --db.
func openStore(ctx context.Context, db string) (webservice.Store, error) {
	kind, err := storeKind(db)
	if err != nil {
		return nil, err
	}
	if kind == "sqlite" {
		return sqlitestore.Open(ctx, strings.TrimPrefix(db, "sqlite:"), nil)
	}
	return pgstore.Open(ctx, db)
}

// newAPNs returns the push client of --apns, adapted for the outbox, or nil
// for --apns off. The outbox retries durably, so the client gives up early.
func newAPNs(apns, caFile string, id *sign.Identity, log *slog.Logger) (server.Pusher, *push.Client, error) {
	if apns == "off" {
		return nil, nil, nil
	}
	opts := []push.Option{
		push.WithLogger(log),
		push.WithTimeout(4 * time.Second),
		push.WithRetry(1, 500*time.Millisecond, 2*time.Second),
	}
	switch apns {
	case "production":
	case "sandbox":
		opts = append(opts, push.WithSandbox())
	default:
		opts = append(opts, push.WithURL(apns))
	}
	if caFile != "" {
		data, err := readIdentityFile("--apns-ca", caFile)
		if err != nil {
			return nil, nil, err
		}
		certs, err := sign.ParseCertificatesPEM(data)
		if err != nil || len(certs) == 0 {
			return nil, nil, fmt.Errorf("--apns-ca %s: no PEM certificate in it", caFile)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		for _, c := range certs {
			pool.AddCert(c)
		}
		opts = append(opts, push.WithRootCAs(pool))
	}
	c, err := push.New(id, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("--apns %s: %w", apns, err)
	}
	return server.PushClient(c), c, nil
}

// serve runs the service until ctx is done and returns the exit status.
func serve(ctx context.Context, c *serveConfig, stdout, stderr io.Writer) int {
	hopts := &slog.HandlerOptions{Level: c.logLevel}
	var handler slog.Handler = slog.NewTextHandler(stderr, hopts)
	if c.json {
		handler = slog.NewJSONHandler(stderr, hopts)
	}
	log := slog.New(handler)
	fail := func(err error) int {
		if c.json {
			_ = printJSONLine(stdout, map[string]any{"error": err.Error(), "exitCode": exitProblems})
		}
		return failure(stderr, "serve", err)
	}

	tp, err := openDesign(c.template, stderr)
	if err != nil {
		return fail(fmt.Errorf("--template %s: %w", c.template, err))
	}
	var tlsCert tls.Certificate
	if c.tlsCert != "" {
		if tlsCert, err = tls.LoadX509KeyPair(c.tlsCert, c.tlsKey); err != nil {
			return fail(fmt.Errorf("--tls-cert %s --tls-key %s: %w", c.tlsCert, c.tlsKey, err))
		}
	}
	openCtx, cancel := context.WithTimeout(ctx, time.Minute)
	store, err := openStore(openCtx, c.db)
	cancel()
	if err != nil {
		return fail(fmt.Errorf("cannot open the database %s: %w", redactDB(c.db), err))
	}
	defer store.Close()

	var id *sign.Identity
	if c.identity.dev {
		dev, err := server.DevelopmentIdentity(ctx, store, tp.PassTypeIdentifier(), tp.TeamIdentifier())
		if err != nil {
			return fail(fmt.Errorf("--dev: %w", err))
		}
		id = dev.Identity
		log.Warn("signing with the development identity kept in the database: Wallet does not accept these passes")
		if c.apns == "production" || c.apns == "sandbox" {
			log.Warn("APNs refuses the development certificate: pushes will fail; use --apns off or a test server's URL")
		}
	} else {
		var code int
		var ok bool
		if id, code, ok = loadIdentity(c.identity, tp.PassTypeIdentifier(), tp.TeamIdentifier(), "serve", stderr); !ok {
			if c.json {
				_ = printJSONLine(stdout, map[string]any{"error": "the identity cannot be loaded", "exitCode": code})
			}
			return code
		}
	}
	pusher, apnsClient, err := newAPNs(c.apns, c.apnsCA, id, log)
	if err != nil {
		return fail(err)
	}
	if apnsClient != nil {
		defer apnsClient.Close()
	}

	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fail(fmt.Errorf("--addr %s: %w", c.addr, err))
	}
	defer ln.Close()
	scheme := "http"
	if c.tlsCert != "" {
		scheme = "https"
	}
	public := c.publicURL
	if public == "" {
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		public = scheme + "://localhost:" + port
	}
	opts := c.signing.options()
	srv, err := server.New(ctx, server.Config{
		Template:    tp,
		Identity:    id,
		Store:       store,
		PublicURL:   public,
		AdminToken:  c.adminToken,
		Pusher:      pusher,
		Logger:      log,
		SignOptions: opts,
	})
	if err != nil {
		return fail(err)
	}
	for _, w := range srv.Warnings() {
		log.Warn(w)
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(handler, slog.LevelWarn),
	}
	if c.tlsCert != "" {
		hs.TLSConfig = &tls.Config{Certificates: []tls.Certificate{tlsCert}, MinVersion: tls.VersionTLS12}
		ln = tls.NewListener(ln, hs.TLSConfig)
	}

	listen := scheme + "://" + ln.Addr().String()
	if c.json {
		_ = printJSONLine(stdout, map[string]any{
			"listen":             listen,
			"publicURL":          public,
			"webServiceURL":      srv.WebServiceURL(),
			"passTypeIdentifier": srv.PassTypeIdentifier(),
			"database":           redactDB(c.db),
			"apns":               c.apns,
		})
	} else {
		fmt.Fprintf(stdout, "passforge serve: listening on %s (admin API %s/api/v1, health /healthz, metrics /metrics)\n", listen, listen)
		fmt.Fprintf(stdout, "webServiceURL: %s\n", srv.WebServiceURL())
	}

	workerCtx, stopWorker := context.WithCancel(context.Background())
	workerDone := make(chan error, 1)
	go func() { workerDone <- srv.Run(workerCtx) }()
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()

	status := exitOK
	select {
	case <-ctx.Done():
		log.Info("shutting down: finishing the requests and pushes in flight")
	case err := <-serveErr:
		log.Error("the HTTP server failed", "error", err)
		status = exitProblems
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), c.shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		log.Error("shutting down the HTTP server", "error", err)
		status = exitProblems
	}
	stopWorker()
	if err := <-workerDone; err != nil {
		log.Error("the push worker failed", "error", err)
		status = exitProblems
	}
	if err := store.Close(); err != nil {
		log.Error("closing the database", "error", err)
		status = exitProblems
	}
	if status == exitOK {
		log.Info("stopped")
	}
	return status
}

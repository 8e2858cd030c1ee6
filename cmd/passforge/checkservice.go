package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/passforge/passforge/internal/termsafe"
	"github.com/passforge/passforge/push/pushtest"
	"github.com/passforge/passforge/webservice/wallettest"
)

func init() {
	register(&command{
		name:    "check-service",
		summary: "check a pass web service against the Wallet protocol, as simulated devices",
		run:     runCheckService,
	})
}

const checkServiceUsage = `Usage: passforge check-service [--update-cmd CMD] [--apns-listen ADDR --apns-cert PEM --apns-key PEM]
                               [--devices N [--duration D] [--floor]] [--ca PEM] [--roots PEM] [--json] PASS.pkpass

Plays a Wallet device against the web service named by the pass's
webServiceURL, with its authenticationToken: registers (201), registers again
(200, also with a new push token), registers a second device (which must keep
its registration when the first unregisters), lists serial numbers with and without passesUpdatedSince (lastUpdated
a JSON string, 204 when nothing changed), fetches the pass with and without
If-Modified-Since (Last-Modified present and honoured), posts logs,
unregisters, and tries a wrong or missing token, an unknown serial, a
malformed body and a wrong method. The served pass must be a valid signed
.pkpass with the same identifiers, signed by the same certificate as
PASS.pkpass (or chaining to --roots). It prints one line per check, pass or
fail and why; text from the service is escaped.

--update-cmd runs CMD with sh -c between two polls (for example a curl to the
service's admin API that changes the pass) and checks that the pass is listed
as changed, its tag moved forward and a new version is served. With
--apns-listen, a fake APNs (push/pushtest) listens at ADDR over TLS with the
certificate --apns-cert/--apns-key, and the push for the device must arrive
within --push-timeout; start the service with --apns https://ADDR and
--apns-ca set to that certificate's CA.

--devices N runs N devices polling at once for --duration (list since the
tag they hold, then fetch with If-Modified-Since) and reports requests/s and
p50/p99 latency; --floor measures a bare net/http handler on this machine the
same way, to read the figures against.

Exit status: 0 when every check passes, 1 when one fails (or the pass cannot
be read), 2 on usage errors.

Example:
  passforge check-service jane.pkpass
  passforge check-service --update-cmd 'curl -s -X PATCH -H "Authorization: Bearer $PASSFORGE_ADMIN_TOKEN" -d "{\"values\":{\"points\":5}}" http://127.0.0.1:8080/api/v1/passes/S-1' jane.pkpass
  passforge check-service --devices 50 --duration 10s --floor jane.pkpass

Flags:
`

// checkServiceFlags are the flags of check-service.
type checkServiceFlags struct {
	updateCmd                      string
	apnsListen, apnsCert, apnsKey  string
	pushTimeout, duration, timeout time.Duration
	devices                        int
	floor, asJSON                  bool
	ca, roots                      string
}

// checkServiceReport is the --json output: one object on one line.
type checkServiceReport struct {
	File   string                  `json:"file"`
	OK     bool                    `json:"ok"`
	Error  string                  `json:"error,omitempty"`
	Checks []wallettest.Result     `json:"checks"`
	Load   *checkServiceLoadReport `json:"load,omitempty"`
	Floor  *checkServiceLoadReport `json:"floor,omitempty"`
}

// checkServiceLoadReport is a wallettest.LoadReport with its durations in
// milliseconds.
type checkServiceLoadReport struct {
	*wallettest.LoadReport
	DurationMS float64 `json:"durationMs"`
	P50MS      float64 `json:"p50Ms"`
	P99MS      float64 `json:"p99Ms"`
	MaxMS      float64 `json:"maxMs"`
}

func loadJSON(r *wallettest.LoadReport) *checkServiceLoadReport {
	if r == nil {
		return nil
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return &checkServiceLoadReport{LoadReport: r, DurationMS: ms(r.Duration), P50MS: ms(r.P50), P99MS: ms(r.P99), MaxMS: ms(r.Max)}
}

func runCheckService(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("check-service", checkServiceUsage, stderr)
	var f checkServiceFlags
	fs.StringVar(&f.updateCmd, "update-cmd", "", "a shell command (sh -c) that changes the pass, run between two polls")
	fs.StringVar(&f.apnsListen, "apns-listen", "", "HOST:PORT where a fake APNs listens for the service's push (needs --apns-cert and --apns-key)")
	fs.StringVar(&f.apnsCert, "apns-cert", "", "PEM certificate of the fake APNs (valid for the --apns-listen host)")
	fs.StringVar(&f.apnsKey, "apns-key", "", "PEM private key of --apns-cert")
	fs.DurationVar(&f.pushTimeout, "push-timeout", 30*time.Second, "how long to wait for the push after --update-cmd")
	fs.IntVar(&f.devices, "devices", 0, "run N devices polling at once and report requests/s and latency")
	fs.DurationVar(&f.duration, "duration", 10*time.Second, "how long the --devices poll")
	fs.BoolVar(&f.floor, "floor", false, "with --devices, measure a bare net/http handler the same way")
	fs.DurationVar(&f.timeout, "timeout", 30*time.Second, "timeout of each request")
	fs.StringVar(&f.ca, "ca", "", "PEM file of a CA to trust for the web service's HTTPS (besides the system's)")
	roots := addRootsFlag(fs)
	fs.BoolVar(&f.asJSON, "json", false, "print one JSON object instead of the table")
	files, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	f.roots = *roots
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	switch {
	case len(files) != 1:
		return usageError(fs, "want exactly one PASS.pkpass, got %d", len(files))
	case f.apnsListen != "" && (f.apnsCert == "" || f.apnsKey == ""):
		return usageError(fs, "--apns-listen needs --apns-cert and --apns-key (the certificate the service is told to trust with --apns-ca)")
	case f.apnsListen == "" && (f.apnsCert != "" || f.apnsKey != ""):
		return usageError(fs, "--apns-cert and --apns-key go with --apns-listen")
	case f.apnsListen != "" && f.updateCmd == "":
		return usageError(fs, "--apns-listen waits for the push of an update: give --update-cmd too")
	case f.devices < 0:
		return usageError(fs, "--devices must be at least 1")
	case f.devices == 0 && (set["duration"] || f.floor):
		return usageError(fs, "--duration and --floor go with --devices N")
	case f.duration <= 0 || f.pushTimeout <= 0 || f.timeout <= 0:
		return usageError(fs, "--duration, --push-timeout and --timeout must be positive")
	}
	name := files[0]
	rep := checkServiceReport{File: name, Checks: []wallettest.Result{}}
	fail := func(err error) int {
		if f.asJSON {
			rep.Error = err.Error()
			_ = printJSONLine(stdout, rep)
			return exitProblems
		}
		return failure(stderr, "check-service", err)
	}

	data, err := readLimited(name)
	if err != nil {
		return fail(err)
	}
	target, err := wallettest.ReadTarget(data)
	if err != nil {
		return fail(fmt.Errorf("%s: %w", name, err))
	}
	client, err := checkServiceClient(f.ca, f.timeout, max(f.devices, 1))
	if err != nil {
		return fail(err)
	}
	opts := wallettest.Options{Client: client}
	if f.roots != "" {
		vo, err := verifyOptions(f.roots)
		if err != nil {
			return fail(err)
		}
		opts.Roots = vo.Roots
	}
	var apns *fakeAPNs
	if f.apnsListen != "" {
		apns, err = startFakeAPNs(f.apnsListen, f.apnsCert, f.apnsKey)
		if err != nil {
			return fail(err)
		}
		defer apns.Close()
	}
	if !f.asJSON {
		fmt.Fprintf(stdout, "checking %s at %s\n", termsafe.Escape(target.SerialNumber), termsafe.Escape(target.WebServiceURL))
	}

	// Ctrl-C stops the checks; the devices still unregister.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	report := wallettest.CheckTarget(ctx, *target, &opts)
	rep.Checks = append(rep.Checks, report.Results...)
	if f.updateCmd != "" {
		uo := &wallettest.UpdateOptions{Options: opts}
		if apns != nil {
			uo.WaitPush = func(ctx context.Context, token string) error {
				return apns.wait(ctx, token, target.PassTypeIdentifier, f.pushTimeout)
			}
		}
		up := wallettest.CheckUpdateTarget(ctx, *target, func(ctx context.Context) error {
			return runUpdateCmd(ctx, f.updateCmd, stderr)
		}, uo)
		rep.Checks = append(rep.Checks, up.Results...)
	}
	ok := true
	for _, c := range rep.Checks {
		ok = ok && c.OK
	}
	if !f.asJSON {
		printChecks(stdout, rep.Checks)
	}

	if f.devices > 0 {
		lr, err := wallettest.Load(ctx, *target, &wallettest.LoadOptions{Client: client, Devices: f.devices, Duration: f.duration})
		if err != nil {
			ok = false
			rep.Error = err.Error()
			if !f.asJSON {
				fmt.Fprintf(stdout, "load: %s\n", termsafe.Escape(err.Error()))
			}
		} else {
			rep.Load = loadJSON(lr)
			ok = ok && lr.Errors == 0
			if !f.asJSON {
				fmt.Fprintf(stdout, "load:  %s\n", lr)
				if lr.FirstError != "" {
					fmt.Fprintf(stdout, "       first error: %s\n", termsafe.Escape(lr.FirstError))
				}
			}
		}
		if f.floor {
			fr, err := measureFloor(ctx, *target, f.devices, f.duration)
			if err != nil {
				return fail(err)
			}
			rep.Floor = loadJSON(fr)
			if !f.asJSON {
				fmt.Fprintf(stdout, "floor: %s (bare net/http on loopback)\n", fr)
				if lr != nil && fr.RequestsPerSecond > 0 {
					fmt.Fprintf(stdout, "the service answers %.0f%% of the floor's requests/s\n", 100*lr.RequestsPerSecond/fr.RequestsPerSecond)
				}
			}
		}
	}

	rep.OK = ok
	if f.asJSON {
		if err := printJSONLine(stdout, rep); err != nil {
			return failure(stderr, "check-service", err)
		}
	}
	failed := 0
	for _, c := range rep.Checks {
		if !c.OK {
			failed++
		}
	}
	summary := fmt.Sprintf("%d checks: %d passed, %d failed", len(rep.Checks), len(rep.Checks)-failed, failed)
	if f.asJSON {
		fmt.Fprintln(stderr, summary)
	} else {
		fmt.Fprintln(stdout, summary)
	}
	if !ok {
		return exitProblems
	}
	return exitOK
}

// readLimited reads a .pkpass of at most maxPkpassFile bytes.
func readLimited(name string) ([]byte, error) {
	fh, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxPkpassFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > maxPkpassFile {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, maxPkpassFile)
	}
	return data, nil
}

// printChecks prints the table of checks, text from the service escaped.
func printChecks(w io.Writer, checks []wallettest.Result) {
	width := 0
	for _, c := range checks {
		width = max(width, len(c.Name))
	}
	for _, c := range checks {
		res := "ok  "
		if !c.OK {
			res = "FAIL"
		}
		fmt.Fprintf(w, "%s  %-*s  %s\n", res, width, c.Name, termsafe.Escape(c.Detail))
	}
}

// checkServiceClient returns the devices' HTTP client: system roots plus the
// --ca file, one idle connection per device.
func checkServiceClient(caFile string, timeout time.Duration, devices int) (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = devices
	tr.MaxIdleConns = devices
	if caFile != "" {
		data, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("--ca: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(data) {
			return nil, fmt.Errorf("--ca %s: no PEM certificate in it", caFile)
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{Transport: tr, Timeout: timeout}, nil
}

// runUpdateCmd runs the --update-cmd with sh -c; its output goes to stderr,
// so that the standard output keeps only the report.
func runUpdateCmd(ctx context.Context, command string, stderr io.Writer) error {
	cmd := exec.CommandContext(ctx, "sh", "-c", command)
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return fmt.Errorf("--update-cmd exited with status %d", ee.ExitCode())
		}
		return fmt.Errorf("--update-cmd: %w", err)
	}
	return nil
}

// measureFloor runs the same load against wallettest.FloorHandler on a
// loopback port of this process (plain HTTP, or HTTPS when the service is).
func measureFloor(ctx context.Context, t wallettest.Target, devices int, d time.Duration) (*wallettest.LoadReport, error) {
	srv := httptest.NewUnstartedServer(wallettest.FloorHandler())
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	var client *http.Client
	if strings.HasPrefix(t.WebServiceURL, "https:") {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	defer srv.Close()
	client = srv.Client()
	tr := client.Transport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost, tr.MaxIdleConns = devices, devices
	defer tr.CloseIdleConnections()
	t.WebServiceURL = srv.URL + "/passes/"
	return wallettest.Load(ctx, t, &wallettest.LoadOptions{Client: &http.Client{Transport: tr}, Devices: devices, Duration: d})
}

// fakeAPNs is pushtest behind a TLS front at the --apns-listen address with
// the certificate the service trusts: pushtest picks its own port and CA, so
// the front forwards each HTTP/2 request to it and records which client
// certificate the service presented.
type fakeAPNs struct {
	apns *pushtest.Server
	srv  *http.Server
	ln   net.Listener
	mu   sync.Mutex
	subj map[string]string // push token -> client certificate subject
}

func startFakeAPNs(addr, certFile, keyFile string) (*fakeAPNs, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("--apns-cert/--apns-key: %w", err)
	}
	apns, err := pushtest.NewServer()
	if err != nil {
		return nil, err
	}
	target, _ := url.Parse(apns.URL)
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.Out.Host = target.Host
		},
		Transport: apns.Client().Transport,
		ErrorLog:  log.New(io.Discard, "", 0),
	}
	f := &fakeAPNs{apns: apns, subj: map[string]string{}}
	f.srv = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if tok, ok := strings.CutPrefix(r.URL.Path, "/3/device/"); ok && r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
				f.mu.Lock()
				f.subj[tok] = r.TLS.PeerCertificates[0].Subject.String()
				f.mu.Unlock()
			}
			proxy.ServeHTTP(w, r)
		}),
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}, ClientAuth: tls.RequestClientCert, MinVersion: tls.VersionTLS12,
			NextProtos: []string{"h2", "http/1.1"}},
		ErrorLog:          log.New(io.Discard, "", 0),
		ReadHeaderTimeout: 10 * time.Second,
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		apns.Close()
		return nil, fmt.Errorf("--apns-listen %s: %w", addr, err)
	}
	f.ln = ln
	go func() { _ = f.srv.ServeTLS(ln, "", "") }()
	return f, nil
}

// wait returns nil once a push for token with topic arrived, or an error
// after timeout.
func (f *fakeAPNs) wait(ctx context.Context, token, topic string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		for _, r := range f.apns.RequestsFor(token) {
			if r.Header.Get("apns-topic") != topic {
				return fmt.Errorf("a push arrived with apns-topic %q, want the pass type %q", r.Header.Get("apns-topic"), topic)
			}
			var body map[string]any
			if json.Unmarshal(r.Body, &body) != nil || len(body) != 0 {
				return fmt.Errorf("a push arrived with body %q, want {}", clipText(string(r.Body), 64))
			}
			f.mu.Lock()
			subj := f.subj[token]
			f.mu.Unlock()
			if subj == "" && r.Header.Get("authorization") == "" {
				return errors.New("a push arrived without a client certificate or a provider token")
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("no push to the device's token within %s (%d push(es) to other tokens)", timeout, f.apns.Count())
		case <-tick.C:
		}
	}
}

func clipText(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// Close stops the front and pushtest.
func (f *fakeAPNs) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = f.srv.Shutdown(ctx)
	f.apns.Close()
}

// Command webhook-receiver is a small HTTP server that receives the webhook
// deliveries of Passmint, PassLite and RemyPass with the webhook package:
// each delivery is verified (signature, timestamp, body size), parsed into a
// typed event, checked against replays and only then dispatched.
//
// Run it with the secrets the providers gave you when you created the
// webhooks (several secrets per provider, comma-separated, while rotating):
//
//	PASSMINT_WEBHOOK_SECRET=whsec_… PASSLITE_WEBHOOK_SECRET=… REMYPASS_WEBHOOK_SECRET=… \
//	    go run ./examples/webhook-receiver -addr 127.0.0.1:8080
//
// and point the providers (through a tunnel or reverse proxy that
// terminates TLS) at /webhooks/passmint, /webhooks/passlite and
// /webhooks/remypass. Or check the whole path without any provider:
//
//	go run ./examples/webhook-receiver -selftest
//
// which starts the server on 127.0.0.1:0, sends it one signed delivery per
// provider, a replay and a forgery, prints one line per result and exits 0
// when each was treated as it should be.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/passforge/passforge/webhook"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// provider is one webhook sender this program receives from.
type provider struct {
	name   string         // in paths and output
	env    string         // the environment variable holding its secret(s)
	scheme webhook.Scheme // how it signs
}

// providers lists the senders this program receives from.
func providers() []provider {
	return []provider{
		{"passmint", "PASSMINT_WEBHOOK_SECRET", webhook.Passmint()},
		{"passlite", "PASSLITE_WEBHOOK_SECRET", webhook.PassLite()},
		{"remypass", "REMYPASS_WEBHOOK_SECRET", webhook.RemyPass()},
	}
}

const usage = `usage: webhook-receiver [-addr host:port] [-selftest]

Receives Passmint, PassLite and RemyPass webhooks on
/webhooks/passmint, /webhooks/passlite and /webhooks/remypass.
Secrets come from PASSMINT_WEBHOOK_SECRET, PASSLITE_WEBHOOK_SECRET and
REMYPASS_WEBHOOK_SECRET (comma-separated to accept several while rotating);
providers without a secret are not served.

Example:
  PASSMINT_WEBHOOK_SECRET=whsec_… go run ./examples/webhook-receiver -addr 127.0.0.1:8080
  go run ./examples/webhook-receiver -selftest

Flags:
`

// run is the whole program; getenv, stdout and stderr are parameters so
// that tests run it in-process.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("webhook-receiver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	addr := fs.String("addr", "127.0.0.1:8080", "the localhost `address` to listen on")
	selftest := fs.Bool("selftest", false, "serve on 127.0.0.1:0, send signed, replayed and forged deliveries to it, print the results")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "webhook-receiver: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *selftest {
		return runSelfTest(stdout, stderr)
	}
	if err := checkLoopback(*addr); err != nil {
		fmt.Fprintf(stderr, "webhook-receiver: %v\n", err)
		return 2
	}
	secrets := map[string][]string{}
	for _, p := range providers() {
		if v := getenv(p.env); v != "" {
			secrets[p.name] = strings.Split(v, ",")
		}
	}
	if len(secrets) == 0 {
		fmt.Fprintln(stderr, "webhook-receiver: set at least one of PASSMINT_WEBHOOK_SECRET, PASSLITE_WEBHOOK_SECRET, REMYPASS_WEBHOOK_SECRET (or use -selftest)")
		return 2
	}
	out := log.New(stdout, "", log.LstdFlags)
	errLog := log.New(stderr, "", log.LstdFlags)
	mux, err := newMux(secrets, func(p string, e *webhook.Event) error {
		// A real receiver would queue or store the event here; an error
		// makes the provider retry the delivery later.
		out.Printf("%s: %s (id %q)", p, e.Type, e.ID)
		return nil
	}, errLog)
	if err != nil {
		fmt.Fprintf(stderr, "webhook-receiver: %v\n", err)
		return 1
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "webhook-receiver: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	for _, p := range providers() {
		if secrets[p.name] != nil {
			out.Printf("receiving %s webhooks on http://%s/webhooks/%s", p.name, ln.Addr(), p.name)
		}
	}
	if err := serve(ctx, ln, mux); err != nil {
		fmt.Fprintf(stderr, "webhook-receiver: %v\n", err)
		return 1
	}
	return 0
}

// checkLoopback refuses to listen beyond this machine: the example has no
// TLS, so it belongs behind a proxy that terminates it.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-addr %q: listen on a loopback address (127.0.0.1, ::1, localhost) and put a TLS proxy in front", addr)
}

// newMux returns the routes /webhooks/<provider> for each provider with
// secrets. onEvent is called once per new event; errLog is told why
// deliveries were rejected (never with a secret in it).
func newMux(secrets map[string][]string, onEvent func(provider string, e *webhook.Event) error, errLog *log.Logger) (*http.ServeMux, error) {
	mux := http.NewServeMux()
	for _, p := range providers() {
		if secrets[p.name] == nil {
			continue
		}
		v, err := webhook.NewVerifier(p.scheme, secrets[p.name])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.env, err)
		}
		h, err := webhook.NewHandler(v, webhook.WithErrorLog(func(r *http.Request, err error) {
			errLog.Printf("%s %s: %v", r.Method, r.URL.Path, err)
		}))
		if err != nil {
			return nil, err
		}
		name := p.name
		// Every event type goes to onEvent, including types the provider
		// adds later; a real receiver would register h.On per type it cares about.
		h.OnOther(func(ctx context.Context, e *webhook.Event) error { return onEvent(name, e) })
		mux.Handle("POST /webhooks/"+p.name, h)
	}
	return mux, nil
}

// serve runs an HTTP server on ln until ctx is done, then shuts it down.
func serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// delivery is one request of the self-test and what should happen to it.
type delivery struct {
	label        string
	req          *http.Request
	wantStatus   int
	wantDispatch bool
}

// runSelfTest serves on 127.0.0.1:0 with fresh random secrets and sends it
// one signed delivery per provider, a replay and a forgery.
func runSelfTest(stdout, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintf(stderr, "webhook-receiver: selftest: %v\n", err)
		return 1
	}
	secrets := map[string][]string{}
	for _, p := range providers() {
		secrets[p.name] = []string{randomSecret()}
	}
	var mu sync.Mutex
	var dispatched []string
	mux, err := newMux(secrets, func(p string, e *webhook.Event) error {
		mu.Lock()
		defer mu.Unlock()
		dispatched = append(dispatched, p+" "+string(e.Type))
		return nil
	}, log.New(stderr, "webhook-receiver: ", 0))
	if err != nil {
		return fail(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, mux) }()
	defer func() { stop(); <-done }()

	deliveries, err := selfTestDeliveries(ctx, "http://"+ln.Addr().String(), secrets)
	if err != nil {
		return fail(err)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	failed := 0
	for _, d := range deliveries {
		mu.Lock()
		before := len(dispatched)
		mu.Unlock()
		resp, err := client.Do(d.req)
		if err != nil {
			return fail(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		mu.Lock()
		didDispatch := len(dispatched) > before
		mu.Unlock()

		outcome := "rejected"
		switch {
		case resp.StatusCode == http.StatusOK && didDispatch:
			outcome = "dispatched"
		case resp.StatusCode == http.StatusOK:
			outcome = "acknowledged, not dispatched again"
		}
		mark := "ok"
		if resp.StatusCode != d.wantStatus || didDispatch != d.wantDispatch {
			mark, failed = "UNEXPECTED", failed+1
		}
		fmt.Fprintf(stdout, "%-28s %s: %s [%s]\n", d.label, resp.Status, outcome, mark)
	}
	if failed > 0 {
		fmt.Fprintf(stdout, "selftest FAILED: %d of %d deliveries were not treated as expected\n", failed, len(deliveries))
		return 1
	}
	fmt.Fprintf(stdout, "selftest passed: %d deliveries, %d dispatched\n", len(deliveries), len(dispatched))
	return 0
}

// selfTestDeliveries builds the self-test's requests with the webhook
// package's signing helpers, as the providers would send them.
func selfTestDeliveries(ctx context.Context, base string, secrets map[string][]string) ([]delivery, error) {
	now := time.Now()
	ts := now.UTC().Format(time.RFC3339)
	type spec struct {
		provider webhook.Scheme
		secret   string
		body     string
		opts     *webhook.SignOptions
	}
	specs := map[string]spec{
		"passmint": {webhook.Passmint(), secrets["passmint"][0],
			`{"id":"evt_selftest1","object":"pass_event","type":"pass.installed","pass_id":"pass_1","created_at":"` + ts + `","data":{}}`, nil},
		"passlite": {webhook.PassLite(), secrets["passlite"][0],
			`{"event":"pass.redeemed","timestamp":"` + ts + `","data":{"id":"pass_2","serial_number":"PL-00042","status":"active"}}`, nil},
		"remypass": {webhook.RemyPass(), secrets["remypass"][0],
			`{"id":"del_selftest3","event":"pass.created","timestamp":"` + ts + `","data":{"memberId":"m_3"}}`,
			&webhook.SignOptions{ID: "del_selftest3", Event: "pass.created"}},
	}
	build := func(name, secret string) (*http.Request, error) {
		sp := specs[name]
		s, err := webhook.NewSigner(sp.provider, secret)
		if err != nil {
			return nil, err
		}
		return s.NewRequest(ctx, base+"/webhooks/"+name, []byte(sp.body), now, sp.opts)
	}
	var out []delivery
	for _, p := range providers() {
		r, err := build(p.name, specs[p.name].secret)
		if err != nil {
			return nil, err
		}
		out = append(out, delivery{p.name + " " + eventName(specs[p.name].body), r, http.StatusOK, true})
	}
	replay, err := build("passmint", specs["passmint"].secret) // the same bytes and signature again
	if err != nil {
		return nil, err
	}
	out = append(out, delivery{"passmint replay", replay, http.StatusOK, false})
	forged, err := build("passlite", randomSecret()) // signed with a secret the server does not have
	if err != nil {
		return nil, err
	}
	out = append(out, delivery{"passlite forged", forged, http.StatusBadRequest, false})
	return out, nil
}

// eventName picks the event type out of a self-test body, for the output.
func eventName(body string) string {
	for _, key := range []string{`"type":"`, `"event":"`} {
		if _, rest, ok := strings.Cut(body, key); ok {
			name, _, _ := strings.Cut(rest, `"`)
			return name
		}
	}
	return "?"
}

func randomSecret() string {
	var b [24]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return "whsec_" + hex.EncodeToString(b[:])
}

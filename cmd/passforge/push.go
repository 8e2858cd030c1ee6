package main

import (
	"bufio"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/passforge/passforge/push"
)

func init() {
	register(&command{
		name:    "push",
		summary: "tell Wallet that passes changed: an APNs push to each device token",
		run:     runPush,
	})
}

const pushUsage = `Usage: passforge push [--p12 FILE | --cert PEM --key PEM | --dev] [--wwdr PEM] [--topic ID]
                      [--apns production|sandbox|https://HOST:PORT] [--apns-ca PEM]
                      [--tokens FILE|-] [--connections N] [--json] [TOKEN...]

Sends the "pass changed" notification (APNs, empty {} payload, topic = the pass
type identifier) to each device token given as an argument or, one per line,
in --tokens FILE ("-" reads the standard input; blank lines and lines starting
with # are skipped). The device then asks the pass's web service what changed.

The identity is the Pass Type ID certificate that signs the passes: --p12
(password from $PASSFORGE_P12_PASSWORD) or --cert and --key. The topic is its
pass type identifier unless --topic names it; with --dev (a throwaway identity
that only a test server accepts) the topic is pass.com.example.passforge
unless --topic says otherwise. --apns picks the endpoint: production (the
default, and the only one that delivers pass updates), sandbox, or the URL of
a test server, whose CA --apns-ca adds to the trusted roots.

Every token must be hex of a plausible length; a malformed token is a usage
error and nothing is sent. Duplicate tokens are pushed once. Each token gets a
line on the standard output (with --json, one JSON object per token: token,
outcome, status, reason, apnsId, unregistered, and error when not delivered).
Outcomes: delivered; unregistered (APNs answered 410 or BadDeviceToken: delete
the registration); failed (refused, or retries ran out); not-sent (a
configuration error such as DeviceTokenNotForTopic or a 403 stopped the run
first, or it was interrupted). A progress bar (on a terminal) and a summary
go to the standard error.

Exit status: 0 when every token was delivered or reported unregistered, 1
when any failed or was not sent, 2 on usage errors (including a malformed
token).

Examples:
  passforge push --p12 pass.p12 --tokens tokens.txt
  passforge push --dev --apns https://127.0.0.1:8443 --apns-ca test-ca.pem --json "$TOKEN"
  printf '%s\n' "$TOKEN1" "$TOKEN2" | passforge push --cert cert.pem --key key.pem --tokens -

Flags:
`

// maxTokenLine bounds a line of --tokens.
const maxTokenLine = 4096

// pushLine is one --json output line.
type pushLine struct {
	Token        string `json:"token"`
	Outcome      string `json:"outcome"`
	Status       int    `json:"status"`
	Reason       string `json:"reason"`
	APNsID       string `json:"apnsId"`
	Unregistered bool   `json:"unregistered"`
	Timestamp    string `json:"timestamp,omitempty"`
	Error        string `json:"error,omitempty"`
}

func runPush(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("push", pushUsage, stderr)
	idf := addIdentityFlags(fs)
	topic := fs.String("topic", "", "the apns-topic: the pass type identifier (default: the certificate's)")
	apns := fs.String("apns", "production", "APNs endpoint: production, sandbox or https://HOST:PORT")
	apnsCA := fs.String("apns-ca", "", "PEM file of an extra CA to trust for the APNs server (a test server)")
	tokensFile := fs.String("tokens", "", "file of device tokens, one per line (- for the standard input)")
	conns := fs.Int("connections", push.DefaultConnections, "HTTP/2 connections to APNs")
	asJSON := fs.Bool("json", false, "print one JSON object per token")
	positional, code, done := parseFlags(fs, args)
	if done {
		return code
	}

	tokens, err := pushTokens(positional, *tokensFile, stdin)
	if err != nil {
		return usageError(fs, "%v", err)
	}
	if len(tokens) == 0 {
		return usageError(fs, "no device tokens: give them as arguments or with --tokens FILE")
	}
	opts := []push.Option{push.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))}
	switch *apns {
	case "production", "":
	case "sandbox":
		opts = append(opts, push.WithSandbox())
	default:
		u, err := url.Parse(*apns)
		if err != nil || u.Scheme != "https" || u.Host == "" || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.User != nil {
			return usageError(fs, "--apns %q: want production, sandbox or https://HOST:PORT", *apns)
		}
		opts = append(opts, push.WithURL(*apns))
	}
	if *conns < 1 || *conns > 64 {
		return usageError(fs, "--connections %d: want 1 to 64", *conns)
	}
	opts = append(opts, push.WithConnections(*conns))
	if *apnsCA != "" {
		pool, err := pushRoots(*apnsCA)
		if err != nil {
			return failure(stderr, "push", err)
		}
		opts = append(opts, push.WithRootCAs(pool))
	}
	devTopic := *topic
	if devTopic == "" {
		devTopic = newDefaultPassTypeID
	}
	id, code, ok := loadIdentity(idf, devTopic, newDefaultTeamID, "push", stderr)
	if !ok {
		return code
	}
	if *topic != "" {
		opts = append(opts, push.WithTopic(*topic))
	}
	client, err := push.New(id, opts...)
	if err != nil {
		if errors.Is(err, push.ErrTopicMismatch) {
			return usageError(fs, "--topic %s: the certificate is for %s", *topic, id.PassTypeIdentifier())
		}
		return failure(stderr, "push", err)
	}
	defer client.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	out := bufio.NewWriter(stdout)
	defer out.Flush()
	bar := &pushProgress{w: commandStderrWriter(stderr), on: isTerminal(commandStderrWriter(stderr)), total: len(tokens), start: time.Now()}
	enc := json.NewEncoder(out)
	var writeErr error
	start := time.Now()
	sum, runErr := client.PushAll(ctx, push.ToTopic("", slices.Values(tokens)), func(r push.Result) {
		bar.update(r)
		if writeErr != nil {
			return
		}
		if *asJSON {
			writeErr = enc.Encode(pushJSON(r))
		} else {
			_, writeErr = fmt.Fprintln(out, pushText(r))
		}
	})
	bar.clear()
	if err := out.Flush(); err != nil && writeErr == nil {
		writeErr = err
	}
	elapsed := time.Since(start)
	fmt.Fprintf(stderr, "passforge push: %d delivered, %d unregistered, %d failed, %d not sent", sum.Delivered, sum.Unregistered, sum.Failed, sum.NotSent)
	if sum.Duplicates > 0 {
		fmt.Fprintf(stderr, " (%d duplicate tokens skipped)", sum.Duplicates)
	}
	fmt.Fprintf(stderr, " in %.1fs via %s, topic %s\n", elapsed.Seconds(), client.URL(), client.Topic())
	if runErr != nil {
		fmt.Fprintf(stderr, "passforge push: stopped: %s\n", pushSafe(strings.ReplaceAll(runErr.Error(), "\n", "; ")))
	}
	if writeErr != nil {
		fmt.Fprintf(stderr, "passforge push: writing the standard output: %v\n", writeErr)
		return exitProblems
	}
	if sum.Failed > 0 || sum.NotSent > 0 || runErr != nil {
		return exitProblems
	}
	return exitOK
}

// pushTokens returns the tokens of the arguments and of the --tokens file, in
// order, each checked; an error names the token that is malformed and where.
func pushTokens(args []string, file string, stdin io.Reader) ([]string, error) {
	var tokens []string
	for i, a := range args {
		if err := push.CheckToken(a); err != nil {
			return nil, fmt.Errorf("argument %d %q: %w", i+1, clip(a), err)
		}
		tokens = append(tokens, a)
	}
	if file == "" {
		return tokens, nil
	}
	var r io.Reader
	name := file
	if file == "-" {
		r, name = stdin, "the standard input"
	} else {
		f, err := os.Open(file)
		if err != nil {
			return nil, fmt.Errorf("--tokens: %w", err)
		}
		defer f.Close()
		r = f
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 256), maxTokenLine)
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if err := push.CheckToken(t); err != nil {
			return nil, fmt.Errorf("--tokens %s, line %d %q: %w", name, line, clip(t), err)
		}
		tokens = append(tokens, t)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("--tokens %s after line %d: %w", name, line, err)
	}
	return tokens, nil
}

// clip shortens untrusted text for an error message and escapes it.
func clip(s string) string {
	if len(s) > 80 {
		s = s[:80] + "..."
	}
	return strings.ToValidUTF8(s, "?")
}

// pushRoots returns the system roots plus the CAs of the PEM file name.
func pushRoots(name string) (*x509.CertPool, error) {
	data, err := readIdentityFile("--apns-ca", name)
	if err != nil {
		return nil, err
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("--apns-ca %s: no PEM certificate in it", name)
	}
	return pool, nil
}

func pushJSON(r push.Result) pushLine {
	l := pushLine{Token: r.Token, Outcome: r.Outcome.String(), Status: r.Status, Reason: r.Reason, APNsID: r.APNsID, Unregistered: r.ShouldUnregister()}
	if !r.Timestamp.IsZero() {
		l.Timestamp = r.Timestamp.UTC().Format(time.RFC3339Nano)
	}
	if r.Err != nil {
		l.Error = r.Err.Error()
	}
	return l
}

func pushText(r push.Result) string {
	var b strings.Builder
	b.WriteString(r.Token + " " + r.Outcome.String())
	if r.Status != 0 {
		fmt.Fprintf(&b, " %d", r.Status)
	}
	if r.Reason != "" {
		b.WriteString(" " + r.Reason)
	}
	if r.APNsID != "" && r.Status != 0 {
		b.WriteString(" apns-id " + r.APNsID)
	}
	if r.Outcome != push.Delivered && r.Err != nil {
		b.WriteString(": " + pushSafe(strings.ReplaceAll(r.Err.Error(), "\n", "; ")))
	}
	return b.String()
}

// pushSafe escapes control and bidirectional formatting characters in text
// that came from the network (such as a TLS error naming a server's
// certificate) before it reaches a terminal.
func pushSafe(s string) string {
	if !strings.ContainsFunc(s, unsafeRune) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unsafeRune(r) {
			fmt.Fprintf(&b, "\\u%04x", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == utf8.RuneError
}

// commandStderrWriter returns the writer under run's stderr wrapper, to tell
// whether it is a terminal.
func commandStderrWriter(w io.Writer) io.Writer {
	if cs, ok := w.(*commandStderr); ok {
		return cs.Writer
	}
	return w
}

// pushProgress draws a one-line progress bar on a terminal and nothing
// otherwise.
type pushProgress struct {
	w                io.Writer
	on               bool
	total, done, bad int
	start, last      time.Time
	drawn            bool
}

func (p *pushProgress) update(r push.Result) {
	p.done++
	if r.Outcome != push.Delivered && r.Outcome != push.Unregistered {
		p.bad++
	}
	if !p.on {
		return
	}
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond && p.done != p.total {
		return
	}
	p.last = now
	const width = 30
	frac := float64(p.done) / float64(max(p.total, 1))
	full := int(frac * width)
	fmt.Fprintf(p.w, "\r[%s%s] %3.0f%% %d/%d pushed, %d not delivered, %.0f/s ",
		strings.Repeat("#", full), strings.Repeat("-", width-full), 100*frac, p.done, p.total, p.bad,
		float64(p.done)/now.Sub(p.start).Seconds())
	p.drawn = true
}

func (p *pushProgress) clear() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

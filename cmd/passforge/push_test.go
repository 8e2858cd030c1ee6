package main

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passforge/passforge/push/pushtest"
	"github.com/passforge/passforge/sign"
)

// pushFixture is a fake APNs and the flags that point passforge push at it.
type pushFixture struct {
	srv  *pushtest.Server
	dir  string
	args []string // --apns URL --apns-ca FILE
}

func newPushFixture(t *testing.T, opts ...pushtest.Option) *pushFixture {
	t.Helper()
	srv, err := pushtest.NewServer(opts...)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	ca := filepath.Join(dir, "apns-ca.pem")
	require.NoError(t, os.WriteFile(ca, srv.CAPEM(), 0o644))
	return &pushFixture{srv: srv, dir: dir, args: []string{"--apns", srv.URL, "--apns-ca", ca}}
}

func (f *pushFixture) run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(append([]string{"push"}, args...), strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func pushToken(i int) string { return fmt.Sprintf("%064x", 0xabc000+i) }

// pushLines decodes the --json output.
func pushLines(t *testing.T, stdout string) map[string]pushLine {
	t.Helper()
	out := map[string]pushLine{}
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var pl pushLine
		require.NoError(t, json.Unmarshal([]byte(l), &pl), "each line is a JSON object: %q", l)
		var raw map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &raw))
		for _, k := range []string{"token", "outcome", "status", "reason", "apnsId", "unregistered"} {
			assert.Contains(t, raw, k)
		}
		out[pl.Token] = pl
	}
	return out
}

func TestPushCommandDelivers(t *testing.T) {
	f := newPushFixture(t)
	code, stdout, stderr := f.run(t, "", append(f.args, "--dev", "--json", pushToken(1), strings.ToUpper(pushToken(2)), pushToken(1))...)
	require.Equal(t, exitOK, code, "stderr: %s", stderr)
	lines := pushLines(t, stdout)
	require.Len(t, lines, 2, "duplicates pushed once")
	for _, tok := range []string{pushToken(1), pushToken(2)} {
		l := lines[tok]
		assert.Equal(t, "delivered", l.Outcome)
		assert.Equal(t, 200, l.Status)
		assert.NotEmpty(t, l.APNsID)
		assert.False(t, l.Unregistered)
		assert.Empty(t, l.Error)
	}
	assert.Contains(t, stderr, "2 delivered, 0 unregistered, 0 failed, 0 not sent (1 duplicate tokens skipped)")
	assert.Contains(t, stderr, "topic pass.com.example.passforge")
	assert.NotContains(t, stderr, "\r", "no progress bar when stderr is not a terminal")
	reqs := f.srv.Requests()
	require.Len(t, reqs, 2)
	for _, r := range reqs {
		assert.Equal(t, "pass.com.example.passforge", r.Header.Get("apns-topic"))
		assert.Equal(t, "{}", string(r.Body))
		assert.Contains(t, r.ClientSubject, "CN=Pass Type ID: pass.com.example.passforge")
	}

	// --topic with --dev makes the identity for that topic; text output, one line per token.
	code, stdout, stderr = f.run(t, "", append(f.args, "--dev", "--topic", "pass.com.example.other", pushToken(3))...)
	require.Equal(t, exitOK, code, stderr)
	assert.Regexp(t, `^`+pushToken(3)+` delivered 200 apns-id [0-9a-f-]{36}\n$`, stdout)
	assert.Equal(t, "pass.com.example.other", f.srv.RequestsFor(pushToken(3))[0].Header.Get("apns-topic"))
}

func TestPushCommandOutcomes(t *testing.T) {
	f := newPushFixture(t)
	at := time.UnixMilli(1767225600000)
	f.srv.Script(pushToken(1), pushtest.Unregistered(at))
	f.srv.Script(pushToken(2), pushtest.BadDeviceToken())
	code, stdout, stderr := f.run(t, "", append(f.args, "--dev", "--json", pushToken(1), pushToken(2), pushToken(3))...)
	require.Equal(t, exitOK, code, "unregistered tokens are a success: the caller deletes them\n%s", stderr)
	lines := pushLines(t, stdout)
	assert.Equal(t, pushLine{Token: pushToken(1), Outcome: "unregistered", Status: 410, Reason: "Unregistered", APNsID: lines[pushToken(1)].APNsID,
		Unregistered: true, Timestamp: "2026-01-01T00:00:00Z", Error: lines[pushToken(1)].Error}, lines[pushToken(1)])
	assert.Equal(t, "unregistered", lines[pushToken(2)].Outcome)
	assert.Equal(t, 400, lines[pushToken(2)].Status)
	assert.Equal(t, "BadDeviceToken", lines[pushToken(2)].Reason)
	assert.True(t, lines[pushToken(2)].Unregistered)
	assert.Equal(t, "delivered", lines[pushToken(3)].Outcome)
	assert.Contains(t, stderr, "1 delivered, 2 unregistered, 0 failed, 0 not sent")

	// A 403 fails the token: exit 1.
	f.srv.Script(pushToken(4), pushtest.Forbidden("BadCertificate"))
	code, stdout, stderr = f.run(t, "", append(f.args, "--dev", "--json", pushToken(4))...)
	require.Equal(t, exitProblems, code)
	l := pushLines(t, stdout)[pushToken(4)]
	assert.Equal(t, "failed", l.Outcome)
	assert.Equal(t, 403, l.Status)
	assert.Contains(t, l.Error, "BadCertificate")
	assert.Contains(t, stderr, "stopped: push: APNs answered 403 BadCertificate")
}

func TestPushCommandConfigurationErrorStops(t *testing.T) {
	f := newPushFixture(t)
	f.srv.SetDefault(pushtest.Delay(time.Second, pushtest.OK()))
	var file strings.Builder
	file.WriteString("# tokens of pass 0001\n\n")
	const n = 600 // more than the 500 requests in flight at once
	for i := range n {
		fmt.Fprintln(&file, pushToken(i))
	}
	f.srv.Script(pushToken(0), pushtest.DeviceTokenNotForTopic())
	code, stdout, stderr := f.run(t, file.String(), append(f.args, "--dev", "--json", "--connections", "1", "--tokens", "-")...)
	require.Equal(t, exitProblems, code, stderr)
	lines := pushLines(t, stdout)
	require.Len(t, lines, n, "every token is reported")
	first := lines[pushToken(0)]
	assert.Equal(t, "failed", first.Outcome)
	assert.Equal(t, "DeviceTokenNotForTopic", first.Reason)
	count := map[string]int{}
	for _, l := range lines {
		count[l.Outcome]++
		if l.Outcome == "not-sent" {
			assert.Equal(t, 0, l.Status)
			assert.Contains(t, l.Error, "DeviceTokenNotForTopic", "not-sent with the error that stopped the run")
		}
	}
	assert.Equal(t, 1, count["failed"])
	assert.GreaterOrEqual(t, count["not-sent"], n-500, "nothing sent after the error: %v", count)
	assert.Equal(t, n, count["delivered"]+count["failed"]+count["not-sent"])
	assert.Equal(t, n-count["not-sent"], f.srv.Count(), "not-sent tokens never reached APNs")
	assert.Contains(t, stderr, fmt.Sprintf("%d delivered, 0 unregistered, 1 failed, %d not sent", count["delivered"], count["not-sent"]))
	assert.Contains(t, stderr, "stopped: push: APNs answered 400 DeviceTokenNotForTopic")
}

func TestPushCommandUsage(t *testing.T) {
	f := newPushFixture(t)
	tokFile := filepath.Join(f.dir, "tokens.txt")
	require.NoError(t, os.WriteFile(tokFile, []byte(pushToken(1)+"\n"+pushToken(2)+"\nnot-a-token\n"), 0o644))
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"malformed argument", []string{"--dev", pushToken(1), "12345"}, `argument 2 "12345": push: invalid device token`},
		{"malformed line", []string{"--dev", "--tokens", tokFile}, `line 3 "not-a-token": push: invalid device token`},
		{"no tokens", []string{"--dev"}, "no device tokens"},
		{"bad --apns", []string{"--dev", "--apns", "http://example.com", pushToken(1)}, `--apns "http://example.com"`},
		{"two identities", []string{"--dev", "--p12", "x.p12", pushToken(1)}, "choose exactly one identity"},
		{"no identity", []string{pushToken(1)}, "choose exactly one identity"},
		{"bad --connections", []string{"--dev", "--connections", "0", pushToken(1)}, "--connections 0"},
		{"unknown flag", []string{"--frobnicate"}, "passforge push: flag provided but not defined: -frobnicate\nRun 'passforge push -h' for usage.\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if tc.name != "bad --apns" {
				args = append(append([]string{}, f.args...), args...)
			}
			code, stdout, stderr := f.run(t, "", args...)
			assert.Equal(t, exitUsage, code, stderr)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tc.want)
		})
	}
	assert.Equal(t, 0, f.srv.Count(), "nothing sent on a usage error")

	code, stdout, stderr := f.run(t, "", "-h")
	assert.Equal(t, exitOK, code)
	assert.Empty(t, stderr)
	assert.Contains(t, stdout, "Usage: passforge push")
	assert.Contains(t, stdout, "--apns-ca")

	code, _, stderr = f.run(t, "", append(f.args, "--dev", "--tokens", filepath.Join(f.dir, "missing.txt"))...)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "missing.txt")

	// An --apns-ca without a certificate is a failure to load a file.
	bad := filepath.Join(f.dir, "bad.pem")
	require.NoError(t, os.WriteFile(bad, []byte("nothing"), 0o644))
	code, _, stderr = f.run(t, "", "--dev", "--apns", f.srv.URL, "--apns-ca", bad, pushToken(1))
	assert.Equal(t, exitProblems, code)
	assert.Contains(t, stderr, "no PEM certificate")
}

func TestPushCommandCertificateIdentity(t *testing.T) {
	f := newPushFixture(t)
	dev, err := sign.NewDevelopmentIdentity("pass.com.example.cert", "TEAM123456")
	require.NoError(t, err)
	certFile, keyFile := filepath.Join(f.dir, "cert.pem"), filepath.Join(f.dir, "key.pem")
	der, err := x509.MarshalPKCS8PrivateKey(dev.Signer)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: dev.Certificate.Raw}), 0o644))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600))

	code, stdout, stderr := f.run(t, "", append(f.args, "--cert", certFile, "--key", keyFile, "--json", pushToken(1))...)
	require.Equal(t, exitOK, code, stderr)
	assert.Equal(t, "delivered", pushLines(t, stdout)[pushToken(1)].Outcome)
	assert.Equal(t, "pass.com.example.cert", f.srv.Requests()[0].Header.Get("apns-topic"), "the topic is the certificate's")

	code, _, stderr = f.run(t, "", append(f.args, "--cert", certFile, "--key", keyFile, "--topic", "pass.com.example.other", pushToken(1))...)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "the certificate is for pass.com.example.cert")
	assert.NotContains(t, stderr, "PRIVATE KEY")
	assert.Equal(t, 1, f.srv.Count())
}

func TestPushSafe(t *testing.T) {
	assert.Equal(t, "plain text: ok", pushSafe("plain text: ok"))
	assert.Equal(t, `a\u001b[2Kb\u202ec\u0007`, pushSafe("a\x1b[2Kb\u202ec\a"))
}

// identityWithoutSigning names the commands that take the identity flags but sign nothing, so that --sha1 (a
// signature digest) would be a flag that does nothing: push authenticates to APNs with the identity.
var identityWithoutSigning = map[string]bool{"push": true}

// addPushE2ECases starts a fake APNs for the whole test binary and adds push's cases to the end-to-end tables,
// which need a server whose address is known before the tests run. The returned function stops it.
func addPushE2ECases(dir string) (stop func(), err error) {
	srv, err := pushtest.NewServer()
	if err != nil {
		return nil, err
	}
	ca := filepath.Join(dir, "e2e-apns-ca.pem")
	if err := os.WriteFile(ca, srv.CAPEM(), 0o644); err != nil {
		srv.Close()
		return nil, err
	}
	srv.Script(pushToken(0xe2e1), pushtest.Forbidden("BadCertificate"))
	apns := []string{"--dev", "--apns", srv.URL, "--apns-ca", ca}
	e2eCases["push"] = []e2eCase{
		{append(append([]string{}, apns...), pushToken(0xe2e0)), exitOK, "delivered", ""},
		{append(append([]string{}, apns...), pushToken(0xe2e1)), exitProblems, "BadCertificate", ""},
		{[]string{"--dev", "12"}, exitUsage, "12", ""},
	}
	e2eJSONCases["push"] = struct {
		args []string
		code int
		keys []string
	}{append(append([]string{"--json"}, apns...), pushToken(0xe2e2)), exitOK,
		[]string{"token", "outcome", "status", "reason", "apnsId", "unregistered"}}
	return srv.Close, nil
}

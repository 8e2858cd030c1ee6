package main

import (
	"bytes"
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/passforge/passforge/webhook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The self-test runs the whole program in-process: a server on 127.0.0.1:0
// receiving signed, replayed and forged deliveries.
func TestSelfTest(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"-selftest"}, noEnv, &stdout, &stderr)
	require.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
	want := strings.Join([]string{
		"passmint pass.installed      200 OK: dispatched [ok]",
		"passlite pass.redeemed       200 OK: dispatched [ok]",
		"remypass pass.created        200 OK: dispatched [ok]",
		"passmint replay              200 OK: acknowledged, not dispatched again [ok]",
		"passlite forged              400 Bad Request: rejected [ok]",
		"selftest passed: 5 deliveries, 3 dispatched",
		"",
	}, "\n")
	assert.Equal(t, want, stdout.String())
	// The server logs why the forgery was rejected, and nothing secret.
	assert.Contains(t, stderr.String(), "POST /webhooks/passlite: webhook: no matching signature")
	assert.NotContains(t, stderr.String(), "whsec_")
}

func noEnv(string) string { return "" }

func TestFlags(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		code   int
		stderr string
	}{
		{"help", []string{"-h"}, nil, 0, "Example:"},
		{"unknown flag", []string{"-nope"}, nil, 2, "flag provided but not defined"},
		{"extra argument", []string{"extra"}, nil, 2, `unexpected argument "extra"`},
		{"no secrets", []string{"-addr", "127.0.0.1:0"}, nil, 2, "set at least one of"},
		{"public address", []string{"-addr", "0.0.0.0:8080"}, map[string]string{"PASSLITE_WEBHOOK_SECRET": "s"}, 2, "loopback"},
		{"bad address", []string{"-addr", "nonsense"}, map[string]string{"PASSLITE_WEBHOOK_SECRET": "s"}, 2, "-addr"},
		{"empty secret in rotation list", []string{"-addr", "127.0.0.1:0"}, map[string]string{"PASSMINT_WEBHOOK_SECRET": "whsec_a,"}, 1, "PASSMINT_WEBHOOK_SECRET: webhook: no secret (scheme passmint, secret 1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, func(k string) string { return tt.env[k] }, &stdout, &stderr)
			assert.Equal(t, tt.code, code)
			assert.Contains(t, stderr.String(), tt.stderr)
			assert.NotContains(t, stderr.String(), "whsec_a")
		})
	}
	for _, ok := range []string{"localhost:1", "127.0.0.2:80", "[::1]:80"} {
		assert.NoError(t, checkLoopback(ok), ok)
	}
}

// The routes of the normal mode, with rotated secrets for Passmint.
func TestMux(t *testing.T) {
	var got []string
	var logBuf bytes.Buffer
	mux, err := newMux(map[string][]string{"passmint": {"whsec_new", "whsec_old"}},
		func(p string, e *webhook.Event) error { got = append(got, p+" "+string(e.Type)+" "+e.ID); return nil },
		log.New(&logBuf, "", 0))
	require.NoError(t, err)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	signer, err := webhook.NewSigner(webhook.Passmint(), "whsec_old")
	require.NoError(t, err)
	body := []byte(`{"id":"evt_9","type":"pass.voided"}`)
	req, err := signer.NewRequest(context.Background(), srv.URL+"/webhooks/passmint", body, time.Now(), nil)
	require.NoError(t, err)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, []string{"passmint pass.voided evt_9"}, got)

	// Providers without a secret are not served.
	resp, err = srv.Client().Post(srv.URL+"/webhooks/passlite", "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

// The server stops cleanly when its context ends.
func TestServeShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, http.NotFoundHandler()) }()
	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not return")
	}
}

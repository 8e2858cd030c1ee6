package main

import (
	"bytes"
	"crypto/x509"
	"io"
	"log"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passforge/passforge/sign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func noEnv(string) string { return "" }

var fixed = struct {
	once  sync.Once
	dev   *sign.DevelopmentIdentity
	err   error
	roots *x509.CertPool
}{}

// devIdentity returns one development identity shared by the tests (key
// generation is the slow part).
func devIdentity(t *testing.T) (*sign.DevelopmentIdentity, *x509.CertPool) {
	t.Helper()
	fixed.once.Do(func() {
		fixed.dev, fixed.err = sign.NewDevelopmentIdentity(devPassTypeID, devTeamID)
		if fixed.err == nil {
			fixed.roots = x509.NewCertPool()
			fixed.roots.AddCert(fixed.dev.CA)
		}
	})
	require.NoError(t, fixed.err)
	return fixed.dev, fixed.roots
}

// signedAt is the fixed clock of the handler: a whole second inside the
// development certificate's validity.
var signedAt = time.Now().UTC().Truncate(time.Second)

// newServer serves a Handler with a fixed clock; logs go to the returned buffer.
func newServer(t *testing.T) (*httptest.Server, *x509.CertPool, *bytes.Buffer) {
	t.Helper()
	dev, roots := devIdentity(t)
	var logs bytes.Buffer
	h, err := NewHandler(dev.Identity, dev.CAPEM(), log.New(&logs, "", 0))
	require.NoError(t, err)
	h.now = func() time.Time { return signedAt.Add(300 * time.Millisecond) }
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, roots, &logs
}

func TestIssuesAVerifiedPass(t *testing.T) {
	srv, roots, logs := newServer(t)
	tests := []struct {
		name, path     string
		serial, holder string
	}{
		{"serial and name", "/passes/M-0001?name=Jane+Doe", "M-0001", "Jane Doe"},
		{"serial only", "/passes/abc.DEF_9", "abc.DEF_9", "Guest"},
		{"unicode name", "/passes/M-0002?name=" + url.QueryEscape("Zoë Åberg"), "M-0002", "Zoë Åberg"},
		{"new serial", "/passes?name=Ann", "", "Ann"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Get(srv.URL + tt.path)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, resp.StatusCode, string(body))

			assert.Equal(t, sign.MIMEType, resp.Header.Get("Content-Type"))
			assert.Equal(t, "application/vnd.apple.pkpass", resp.Header.Get("Content-Type"))
			assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
			lastModified, err := http.ParseTime(resp.Header.Get("Last-Modified"))
			require.NoError(t, err)
			assert.Equal(t, signedAt, lastModified.UTC(), "Last-Modified is the signing time")
			assert.Equal(t, int64(len(body)), resp.ContentLength)

			pkg, err := sign.ReadBytes(body, &sign.VerifyOptions{Roots: roots})
			require.NoError(t, err)
			serial := pkg.Pass.SerialNumber
			if tt.serial != "" {
				assert.Equal(t, tt.serial, serial)
			} else {
				assert.Regexp(t, `^M-[0-9a-f]{12}$`, serial)
			}
			assert.Equal(t, tt.holder, pkg.Pass.StoreCard.PrimaryFields[0].Value.String())
			require.Len(t, pkg.Pass.Barcodes, 1)
			assert.Equal(t, serial, pkg.Pass.Barcodes[0].Message)
			assert.Equal(t, signedAt, pkg.Signature.SigningTime.UTC())

			disp, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
			require.NoError(t, err)
			assert.Equal(t, "attachment", disp)
			assert.Equal(t, serial+".pkpass", params["filename"])
		})
	}
	assert.Empty(t, logs.String())
}

func TestHeadHasTheHeadersWithoutTheBody(t *testing.T) {
	srv, _, _ := newServer(t)
	resp, err := http.Head(srv.URL + "/passes/M-0001")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, sign.MIMEType, resp.Header.Get("Content-Type"))
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	assert.Greater(t, resp.ContentLength, int64(1000))
	assert.Empty(t, body)
}

func TestRejectsBadRequests(t *testing.T) {
	srv, _, logs := newServer(t)
	tests := []struct {
		name, method, path string
		status             int
		want               string
	}{
		{"POST", http.MethodPost, "/passes/M-0001", http.StatusMethodNotAllowed, "method not allowed"},
		{"DELETE", http.MethodDelete, "/passes", http.StatusMethodNotAllowed, "method not allowed"},
		{"PUT ca", http.MethodPut, "/ca.pem", http.StatusMethodNotAllowed, "method not allowed"},
		{"serial with a space", http.MethodGet, "/passes/M%200001", http.StatusBadRequest, "bad serial number"},
		{"serial with a slash", http.MethodGet, "/passes/M%2F0001", http.StatusBadRequest, "bad serial number"},
		{"serial too long", http.MethodGet, "/passes/" + strings.Repeat("A", maxSerialLen+1), http.StatusBadRequest, "bad serial number"},
		{"serial with a NUL", http.MethodGet, "/passes/M%000001", http.StatusBadRequest, "bad serial number"},
		{"empty name", http.MethodGet, "/passes/M-0001?name=", http.StatusBadRequest, "bad name: empty"},
		{"name too long", http.MethodGet, "/passes/M-0001?name=" + strings.Repeat("x", maxNameLen+1), http.StatusBadRequest, "longer than 64"},
		{"name with a newline", http.MethodGet, "/passes/M-0001?name=a%0Ab", http.StatusBadRequest, "unprintable character U+000A"},
		{"name not UTF-8", http.MethodGet, "/passes/M-0001?name=%FF", http.StatusBadRequest, "not UTF-8"},
		{"unknown path", http.MethodGet, "/nothing", http.StatusNotFound, "404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, srv.URL+tt.path, nil)
			require.NoError(t, err)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Contains(t, string(body), tt.want)
			assert.NotEqual(t, sign.MIMEType, resp.Header.Get("Content-Type"))
			if tt.status == http.StatusMethodNotAllowed {
				assert.Equal(t, "GET, HEAD", resp.Header.Get("Allow"))
			}
		})
	}
	assert.Empty(t, logs.String(), "client errors are not logged")
}

func TestServerSideFailureIs500AndLogged(t *testing.T) {
	srv, _, logs := newServer(t)
	// A clock past the certificate's validity makes signing fail.
	h := srv.Config.Handler.(*Handler)
	h.now = func() time.Time { return time.Now().AddDate(50, 0, 0) }
	resp, err := http.Get(srv.URL + "/passes/M-0001")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	assert.Equal(t, "cannot issue the pass\n", string(body), "the cause stays out of the response")
	assert.Contains(t, logs.String(), "issuing M-0001: ")
}

func TestServesTheCA(t *testing.T) {
	srv, _, _ := newServer(t)
	dev, _ := devIdentity(t)
	resp, err := http.Get(srv.URL + "/ca.pem")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, dev.CAPEM(), body)
}

func TestRunSelftest(t *testing.T) {
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run([]string{"-selftest"}, noEnv, &stdout, &stderr), stderr.String())
	assert.Regexp(t, `^selftest ok: GET /passes/SELFTEST-0001 -> 200 application/vnd\.apple\.pkpass, \d+ bytes, serial SELFTEST-0001 for "Self Test", signature and chain verified\n$`, stdout.String())
	assert.Empty(t, stderr.String())
}

func TestRunUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"help", []string{"-h"}, 0, "usage: serve-pkpass"},
		{"bad flag", []string{"-nope"}, 2, "flag provided but not defined"},
		{"stray argument", []string{"extra"}, 2, `unexpected argument "extra"`},
		{"missing p12", []string{"-p12", "/nonexistent/id.p12", "-selftest"}, 1, "serve-pkpass: open /nonexistent/id.p12"},
		{"address in use or bad", []string{"-addr", "256.0.0.1:0"}, 1, "serve-pkpass: listen tcp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			assert.Equal(t, tt.code, run(tt.args, noEnv, &stdout, &stderr))
			assert.Contains(t, stderr.String(), tt.want)
		})
	}
}

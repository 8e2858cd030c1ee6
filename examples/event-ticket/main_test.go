package main

import (
	"archive/zip"
	"bytes"
	"crypto/x509"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var built struct {
	once     sync.Once
	dir, out string
	code     int
	stderr   string
}

// build runs the example once into a temporary folder shared by the tests
// and returns the folder and the output.
func build(t *testing.T) (dir, stdout string) {
	t.Helper()
	built.once.Do(func() {
		d, err := os.MkdirTemp("", "event-ticket-test-")
		require.NoError(t, err)
		var out, errOut bytes.Buffer
		built.dir, built.code = d, run([]string{"-out", d}, &out, &errOut)
		built.out, built.stderr = out.String(), errOut.String()
	})
	require.Equal(t, 0, built.code, built.stderr)
	require.Empty(t, built.stderr)
	return built.dir, built.out
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

func TestEventTicket(t *testing.T) {
	dir, out := build(t)

	// The summary, and no validation warning: the pass meets every poster
	// requirement the validator knows.
	assert.NotContains(t, out, "warning")
	for _, re := range []string{
		`(?m)^wrote .*event-ticket\.pkpass \(\d+ bytes, 14 files\)$`,
		`(?m)^  ticket:    The Night Owls, eventTicket, serial EVT-2027-0621-A-12$`,
		`(?m)^  layouts:   posterEventTicket then eventTicket$`,
		`(?m)^  event:     PKEventTypeLivePerformance, Le Grand Rex, Grande Salle \(Paris\), 2027-06-21T20:00:00`,
		`(?m)^  entry:     NFC \(requiresAuthentication true\), no barcode$`,
		`(?m)^  languages: en, fr; fr description "Billet pour The Night Owls au Grand Rex"$`,
		`(?m)^  verified:  manifest, signature, chain to the development CA and identifiers OK`,
	} {
		assert.Regexp(t, regexp.MustCompile(re), out)
	}

	// The pass verifies against the CA written beside it.
	data, err := os.ReadFile(filepath.Join(dir, "event-ticket.pkpass"))
	require.NoError(t, err)
	caPEM, err := os.ReadFile(filepath.Join(dir, "event-ticket-ca.pem"))
	require.NoError(t, err)
	certs, err := sign.ParseCertificatesPEM(caPEM)
	require.NoError(t, err)
	roots := x509.NewCertPool()
	for _, c := range certs {
		roots.AddCert(c)
	}
	pkg, err := sign.ReadBytes(data, &sign.VerifyOptions{Roots: roots})
	require.NoError(t, err)
	// Apple's roots do not vouch for the development identity.
	_, err = sign.ReadBytes(data, nil)
	assert.ErrorIs(t, err, sign.ErrChain)

	p := pkg.Pass
	assert.Equal(t, []pass.StyleScheme{pass.StyleSchemePosterEventTicket, pass.StyleSchemeEventTicket}, p.PreferredStyleSchemes)
	require.NotNil(t, p.EventTicket)
	assert.NotEmpty(t, p.EventTicket.PrimaryFields, "legacy fields are kept")
	assert.NotEmpty(t, p.EventTicket.SecondaryFields)
	assert.NotEmpty(t, p.EventTicket.AuxiliaryFields)
	require.NotNil(t, p.NFC)
	assert.True(t, p.NFC.RequiresAuthentication)
	assert.Empty(t, p.Barcodes)
	require.NotNil(t, p.Semantics)
	for key, v := range map[string]string{"eventName": p.Semantics.EventName, "venueName": p.Semantics.VenueName,
		"venueRegionName": p.Semantics.VenueRegionName, "venueRoom": p.Semantics.VenueRoom} {
		assert.NotEmpty(t, v, "semantics.%s", key)
	}
	assert.NotEmpty(t, p.Semantics.PerformerNames, "a live performance needs performerNames")
	assert.NoError(t, p.Validate(pkg.Assets), "the pass read back validates without errors or warnings")

	for _, name := range []string{"background@2x.png", "artwork@2x.png", "primaryLogo@2x.png", "icon.png",
		"en.lproj/pass.strings", "fr.lproj/pass.strings", "en.lproj/secondaryLogo@2x.png", "fr.lproj/secondaryLogo@2x.png"} {
		assert.Contains(t, pkg.Files, name)
	}
	en, _ := pkg.Assets.Get("en.lproj/secondaryLogo@2x.png")
	fr, _ := pkg.Assets.Get("fr.lproj/secondaryLogo@2x.png")
	assert.NotEqual(t, en, fr, "the localized image differs by language")

	// Every localizable key used in pass.json has a translation in both languages.
	var raw map[string]any
	require.NoError(t, json.Unmarshal(pkg.PassJSON, &raw))
	keys := []string{p.Description}
	for _, group := range [][]pass.Field{p.EventTicket.PrimaryFields, p.EventTicket.SecondaryFields, p.EventTicket.AuxiliaryFields, p.EventTicket.BackFields} {
		for _, f := range group {
			keys = append(keys, f.Label)
		}
	}
	keys = append(keys, "TERMS_TEXT", "ENTRANCE_NEARBY")
	for _, lang := range []string{"en", "fr"} {
		s, err := pkg.Assets.Strings(lang)
		require.NoError(t, err)
		for _, k := range keys {
			assert.NotEmpty(t, s[k], "%s.lproj/pass.strings has %s", lang, k)
		}
	}
}

func TestEventTicketOpenSSLVerifies(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	require.NoError(t, err, "openssl is needed to check interoperability")
	dir, _ := build(t)
	data, err := os.ReadFile(filepath.Join(dir, "event-ticket.pkpass"))
	require.NoError(t, err)
	tmp := t.TempDir()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	for _, f := range zr.File {
		if f.Name == "manifest.json" || f.Name == "signature" {
			rc, err := f.Open()
			require.NoError(t, err)
			b, err := io.ReadAll(rc)
			rc.Close()
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(tmp, f.Name), b, 0o600))
		}
	}
	for _, name := range []string{"manifest.json", "signature"} {
		require.FileExists(t, filepath.Join(tmp, name))
	}
	out, err := exec.Command(openssl, "cms", "-verify", "-binary", "-inform", "DER", "-in", filepath.Join(tmp, "signature"),
		"-content", filepath.Join(tmp, "manifest.json"), "-CAfile", filepath.Join(dir, "event-ticket-ca.pem"),
		"-purpose", "any", "-out", os.DevNull).CombinedOutput()
	require.NoError(t, err, string(out))
}

func TestEventTicketUsageAndFailures(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"help", []string{"-h"}, 0, "usage: event-ticket"},
		{"unknown flag", []string{"-nope"}, 2, "flag provided but not defined"},
		{"stray argument", []string{"extra"}, 2, `unexpected argument "extra"`},
		{"out is a file", []string{"-out", file}, 1, "event-ticket: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			assert.Equal(t, tt.code, run(tt.args, &stdout, &stderr))
			assert.Contains(t, stderr.String(), tt.want)
		})
	}
}

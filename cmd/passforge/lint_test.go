package main

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
)

// lintTestPass returns a store card without problems.
func lintTestPass() *pass.Pass {
	return &pass.Pass{
		FormatVersion:      1,
		PassTypeIdentifier: "pass.com.example.coffee",
		SerialNumber:       "0001",
		TeamIdentifier:     "A1B2C3D4E5",
		OrganizationName:   "Example Coffee",
		Description:        "Example Coffee loyalty card",
		Barcodes:           []pass.Barcode{{Format: pass.BarcodeFormatQR, Message: "0001", MessageEncoding: "iso-8859-1"}},
		StoreCard: &pass.PassFields{
			PrimaryFields: []pass.Field{{Key: "balance", Label: "Balance", Value: pass.Number(12.5), CurrencyCode: "USD"}},
		},
	}
}

func lintPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))))
	return b.Bytes()
}

// writePassJSON writes p as dir/pass.json and returns the file name.
func writePassJSON(t *testing.T, dir string, p *pass.Pass) string {
	t.Helper()
	data, err := json.Marshal(p)
	require.NoError(t, err)
	name := filepath.Join(dir, "pass.json")
	require.NoError(t, os.WriteFile(name, data, 0o644))
	return name
}

func TestLintUsage(t *testing.T) {
	dir := t.TempDir()
	file := writePassJSON(t, dir, lintTestPass())
	runCLICases(t, "lint", []cliCase{
		{"help", []string{"-h"}, exitOK, "Example:"},
		{"no path", nil, exitUsage, "want exactly one PATH, got 0"},
		{"two paths", []string{file, file}, exitUsage, "want exactly one PATH, got 2"},
		{"unknown flag", []string{"--colour", file}, exitUsage, "flag provided but not defined"},
		{"missing roots file", []string{"--roots", filepath.Join(dir, "nope.pem"), file}, exitProblems, "--roots"},
		{"rules with a path", []string{"--rules", file}, exitUsage, "--rules takes no PATH"},
		{"roots file without certificates", []string{"--roots", file, file}, exitProblems, "--roots"},
	}, nil)
}

func TestLintPassJSON(t *testing.T) {
	dir := t.TempDir()
	good := writePassJSON(t, t.TempDir(), lintTestPass())

	bad := lintTestPass()
	bad.FormatVersion = 2
	bad.TeamIdentifier = "abc"
	badFile := writePassJSON(t, dir, bad)

	warnOnly := lintTestPass()
	warnOnly.TeamIdentifier = "abc"
	warnFile := writePassJSON(t, t.TempDir(), warnOnly)

	t.Run("valid", func(t *testing.T) {
		code, out, stderr := runCommand(t, "lint", good)
		assert.Equal(t, exitOK, code, stderr)
		assert.Equal(t, good+": no problems\n", out)
	})
	t.Run("errors", func(t *testing.T) {
		code, out, _ := runCommand(t, "lint", badFile)
		assert.Equal(t, exitProblems, code)
		assert.Contains(t, out, "error   formatVersion: formatVersion is 2; Wallet only supports 1 [format-version]\n        hint: Set formatVersion to 1.\n")
		assert.Contains(t, out, "warning teamIdentifier: ")
		assert.Contains(t, out, "1 error, 1 warning; Wallet rejects the pass")
	})
	t.Run("warnings only", func(t *testing.T) {
		code, out, _ := runCommand(t, "lint", warnFile)
		assert.Equal(t, exitOK, code)
		assert.Contains(t, out, "[team-identifier]")
		assert.Contains(t, out, "1 warning; Wallet accepts the pass")
	})
	for _, args := range [][]string{{"--json", badFile}, {badFile, "--json"}, {"-json", "--", badFile}} {
		t.Run("json "+strings.Join(args, " "), func(t *testing.T) {
			code, out, _ := runCommand(t, "lint", args...)
			assert.Equal(t, exitProblems, code)
			var got []map[string]string
			require.NoError(t, json.Unmarshal([]byte(out), &got), out)
			require.Len(t, got, 2)
			assert.Equal(t, map[string]string{"severity": "error", "rule": "format-version", "path": "formatVersion",
				"message": "formatVersion is 2; Wallet only supports 1", "hint": "Set formatVersion to 1."}, got[0])
			assert.Equal(t, "warning", got[1]["severity"])
		})
	}
	t.Run("json without problems", func(t *testing.T) {
		code, out, _ := runCommand(t, "lint", "--json", good)
		assert.Equal(t, exitOK, code)
		assert.JSONEq(t, "[]", out)
	})
	t.Run("unreadable", func(t *testing.T) {
		code, _, stderr := runCommand(t, "lint", filepath.Join(dir, "missing.json"))
		assert.Equal(t, exitProblems, code)
		assert.Contains(t, stderr, "passforge lint: ")
		assert.Contains(t, stderr, "missing.json")
	})
	t.Run("not JSON", func(t *testing.T) {
		name := filepath.Join(dir, "broken.json")
		require.NoError(t, os.WriteFile(name, []byte(`{"formatVersion": [`), 0o644))
		code, out, stderr := runCommand(t, "lint", name)
		assert.Equal(t, exitProblems, code)
		assert.Empty(t, out)
		assert.Contains(t, stderr, "broken.json")
	})
}

func TestLintFolder(t *testing.T) {
	dir := t.TempDir()
	writePassJSON(t, dir, lintTestPass())

	code, out, _ := runCommand(t, "lint", dir)
	assert.Equal(t, exitProblems, code, "a folder without icon.png is rejected")
	assert.Contains(t, out, "error   icon.png: ")
	assert.Contains(t, out, "[icon]")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "icon.png"), lintPNG(t, 29, 29), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".DS_Store"), []byte("junk"), 0o644))
	code, out, stderr := runCommand(t, "lint", dir)
	assert.Equal(t, exitOK, code, stderr)
	assert.Equal(t, dir+": no problems\n", out)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "thumbnail.png"), lintPNG(t, 90, 90), 0o644))
	code, out, _ = runCommand(t, "lint", "--json", dir)
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, `"rule": "image-role"`)
	assert.Contains(t, out, `"path": "thumbnail.png"`)
}

func TestLintPkpass(t *testing.T) {
	p := lintTestPass()
	id, err := sign.NewDevelopmentIdentity(p.PassTypeIdentifier, p.TeamIdentifier)
	require.NoError(t, err)
	a := &pass.Assets{}
	require.NoError(t, a.SetImage(pass.ImageIcon, 1, lintPNG(t, 29, 29)))
	require.NoError(t, a.SetImage(pass.ImageThumbnail, 1, lintPNG(t, 90, 90)))
	var pkpass bytes.Buffer
	require.NoError(t, sign.Write(&pkpass, p, a, id.Identity, nil))

	dir := t.TempDir()
	file := filepath.Join(dir, "coffee.pkpass")
	require.NoError(t, os.WriteFile(file, pkpass.Bytes(), 0o644))
	roots := filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(roots, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: id.CA.Raw}), 0o644))

	t.Run("trusted", func(t *testing.T) {
		code, out, stderr := runCommand(t, "lint", "--roots", roots, file)
		assert.Equal(t, exitOK, code, stderr)
		assert.Contains(t, out, "warning thumbnail.png: ")
		assert.NotContains(t, out, "[pkpass]")
	})
	t.Run("untrusted chain", func(t *testing.T) {
		code, out, _ := runCommand(t, "lint", file)
		assert.Equal(t, exitProblems, code)
		assert.Contains(t, out, "[pkpass]")
		assert.Contains(t, out, "warning thumbnail.png: ", "the pass itself is still validated")
	})
	t.Run("not a zip", func(t *testing.T) {
		name := filepath.Join(dir, "junk.pkpass")
		require.NoError(t, os.WriteFile(name, []byte("not a zip"), 0o644))
		code, out, _ := runCommand(t, "lint", "--json", name)
		assert.Equal(t, exitProblems, code)
		var got []map[string]string
		require.NoError(t, json.Unmarshal([]byte(out), &got), out)
		require.NotEmpty(t, got)
		assert.Equal(t, "pkpass", got[0]["rule"])
	})
}

func TestLintRules(t *testing.T) {
	code, out, _ := runCommand(t, "lint", "--rules")
	assert.Equal(t, exitOK, code)
	for _, r := range pass.Rules() {
		assert.Contains(t, out, r.ID+"\n    "+r.Description+"\n    hint: "+r.Hint+"\n")
	}

	code, out, _ = runCommand(t, "lint", "--rules", "--json")
	assert.Equal(t, exitOK, code)
	var got []pass.Rule
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, pass.Rules(), got)
}

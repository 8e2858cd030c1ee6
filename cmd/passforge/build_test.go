package main

import (
	"crypto/x509"
	"encoding/json"
	"image/color"
	"os"
	"path/filepath"
	"testing"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newDesign scaffolds a template of style with passforge new and returns its folder.
func newDesign(t *testing.T, style string, extra ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), style+".pass")
	code, _, stderr := runCLI(t, append(append([]string{"new", "--style", style}, extra...), dir)...)
	require.Equal(t, exitOK, code, stderr)
	return dir
}

// readPass reads and verifies the .pkpass name against the PEM roots in rootsFile.
func readPass(t *testing.T, name, rootsFile string) *pass.Pass {
	t.Helper()
	roots, err := loadRootsPEM(rootsFile)
	require.NoError(t, err)
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	pkg := bulkVerifyPool(t, data, roots)
	return pkg.Pass
}

// bulkVerifyPool reads and verifies a .pkpass against roots.
func bulkVerifyPool(t *testing.T, data []byte, roots *x509.CertPool) *sign.Package {
	t.Helper()
	pkg, err := sign.ReadBytes(data, &sign.VerifyOptions{Roots: roots})
	require.NoError(t, err)
	return pkg
}

func TestBuildWithSet(t *testing.T) {
	design := newDesign(t, "storeCard")
	out := filepath.Join(t.TempDir(), "jane.pkpass")
	code, stdout, stderr := runCLI(t, "build", "--template", design, "--dev", "--set", "serialNumber=M-42",
		"--set", "name=Jane Appleseed", "--set", "balance=12.5", "--set", "barcodeMessage=M-42", "-o", out)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "wrote "+out)
	caFile := filepath.Join(filepath.Dir(out), "jane-ca.pem")
	assert.Contains(t, stdout, "passforge verify --roots "+caFile+" "+out)

	p := readPass(t, out, caFile)
	assert.Equal(t, "M-42", p.SerialNumber)
	assert.Equal(t, "Jane Appleseed", p.StoreCard.SecondaryFields[0].Value.String())
	assert.Equal(t, "Issued to Jane Appleseed. Replace this text with your terms and conditions.", p.StoreCard.BackFields[0].Value.String())
	f, ok := p.StoreCard.PrimaryFields[0].Value.Float64()
	require.True(t, ok, "the design's number stays a number")
	assert.Equal(t, 12.5, f)
	assert.Equal(t, "M-42", p.Barcodes[0].Message)
}

func TestBuildWithValuesFileAndJSON(t *testing.T) {
	dir := t.TempDir()
	values := filepath.Join(dir, "ticket.json")
	require.NoError(t, os.WriteFile(values, []byte(`{
  "serialNumber": "T-7",
  "placeholders": {"name": "Ada Lovelace"},
  "fields": {"seat": "Row 1, Seat 1"},
  "backgroundColor": "rgb(10, 20, 30)"
}`), 0o644))
	cert, key, wwdr, roots := bulkIdentityFiles(t)
	design := newDesign(t, "eventTicket", "--pass-type-id", bulkPassTypeID, "--team-id", bulkTeamID)
	out := filepath.Join(dir, "ticket.pkpass")
	code, stdout, stderr := runCLI(t, "build", "--template", design, "--cert", cert, "--key", key, "--wwdr", wwdr,
		"--values", values, "--json", "-o", out)
	require.Equal(t, exitOK, code, stderr)
	var report writtenReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &report))
	fi, err := os.Stat(out)
	require.NoError(t, err)
	assert.Equal(t, writtenReport{File: out, SerialNumber: "T-7", PassTypeIdentifier: bulkPassTypeID, TeamIdentifier: bulkTeamID,
		Signer: bulkDev().Certificate.Subject.CommonName, Bytes: fi.Size()}, report)

	p := readPass(t, out, roots)
	assert.Equal(t, "Ada Lovelace", p.EventTicket.SecondaryFields[0].Value.String())
	assert.Equal(t, "Row 1, Seat 1", p.EventTicket.AuxiliaryFields[0].Value.String())
	assert.Equal(t, pass.Color("rgb(10, 20, 30)"), p.BackgroundColor)
}

func TestBuildPerPassImage(t *testing.T) {
	design := newDesign(t, "generic")
	dir := t.TempDir()
	photo := filepath.Join(dir, "photo.png")
	data, err := placeholderPNG(pass.ImageThumbnail, 60, 80, color.NRGBA{1, 2, 3, 0xff})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(photo, data, 0o644))
	out := filepath.Join(dir, "member.pkpass")
	code, _, stderr := runCLI(t, "build", "--template", design, "--dev", "--set", "serialNumber=1", "--set", "name=Grace",
		"--set", "thumbnail.png="+photo, "-o", out)
	require.Equal(t, exitOK, code, stderr)
	roots, err := loadRootsPEM(filepath.Join(dir, "member-ca.pem"))
	require.NoError(t, err)
	raw, err := os.ReadFile(out)
	require.NoError(t, err)
	pkg := bulkVerifyPool(t, raw, roots)
	got, ok := pkg.Assets.Image(pass.ImageThumbnail, 1)
	require.True(t, ok)
	assert.Equal(t, data, got)
}

func TestBuildProblemsWriteNothing(t *testing.T) {
	design := newDesign(t, "coupon")
	dir := t.TempDir()
	unknownKey := filepath.Join(dir, "unknown.json")
	require.NoError(t, os.WriteFile(unknownKey, []byte(`{"serialNumber": "1", "colour": "red"}`), 0o644))
	noSerial := filepath.Join(dir, "noserial.json")
	require.NoError(t, os.WriteFile(noSerial, []byte(`{"placeholders": {"name": "x"}}`), 0o644))
	empty := filepath.Join(dir, "empty.json")
	require.NoError(t, os.WriteFile(empty, nil, 0o644))
	truncated := filepath.Join(dir, "truncated.json")
	require.NoError(t, os.WriteFile(truncated, []byte(`{"serialNumber": "1"`), 0o644))
	missingPlaceholder := filepath.Join(dir, "noname.json")
	require.NoError(t, os.WriteFile(missingPlaceholder, []byte(`{"serialNumber": "1"}`), 0o644))
	cert, key, _, _ := bulkIdentityFiles(t) // issued for another pass type
	for _, tc := range []struct {
		name string
		args []string
		err  string
	}{
		{"unknown key in values", []string{"--dev", "--values", unknownKey}, `unknown field "colour"`},
		{"no serial in values", []string{"--dev", "--values", noSerial}, "serial"},
		{"missing placeholder in values", []string{"--dev", "--values", missingPlaceholder}, "{{name}}"},
		{"values file empty", []string{"--dev", "--values", empty}, "empty.json: the file is empty or ends early; want one JSON object"},
		{"values file truncated", []string{"--dev", "--values", truncated}, "truncated.json: the file is empty or ends early"},
		{"image file missing", []string{"--dev", "--set", "serialNumber=1", "--set", "name=x", "--set", "thumbnail.png=" + filepath.Join(dir, "nope.png")},
			"--set thumbnail.png: stat " + filepath.Join(dir, "nope.png") + ": no such file or directory"},
		{"image is a folder", []string{"--dev", "--set", "serialNumber=1", "--set", "name=x", "--set", "thumbnail.png=" + dir},
			"--set thumbnail.png: " + dir + " is a folder, not a PNG file"},
		{"output is a folder", []string{"--dev", "--set", "serialNumber=1", "--set", "name=x", "-o", dir}, "it is a folder, not a file"},
		{"values file missing", []string{"--dev", "--values", filepath.Join(dir, "nope.json")}, "--values"},
		{"invalid colour", []string{"--dev", "--set", "serialNumber=1", "--set", "name=x", "--set", "backgroundColor=blue"}, "backgroundColor"},
		{"unknown field", []string{"--dev", "--set", "serialNumber=1", "--set", "name=x", "--set", "nosuchfield=1"}, "nosuchfield"},
		{"identity of another pass type", []string{"--cert", cert, "--key", key, "--set", "serialNumber=1", "--set", "name=x"}, "pass.com.example.bulk"},
		{"template missing", []string{"--dev", "--set", "serialNumber=1", "--template", filepath.Join(dir, "nope.pass")}, "nope.pass"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.pkpass")
			code, stdout, stderr := runCLI(t, append([]string{"build", "--template", design, "-o", out}, tc.args...)...)
			assert.Equal(t, exitProblems, code, stdout+stderr)
			assert.Contains(t, stderr, tc.err)
			entries, err := os.ReadDir(filepath.Dir(out))
			require.NoError(t, err)
			assert.Empty(t, entries, "nothing is written, not even a temporary file")
		})
	}
}

func TestBuildUsage(t *testing.T) {
	design := newDesign(t, "storeCard")
	out := filepath.Join(t.TempDir(), "out.pkpass")
	runCLICases(t, "build", []cliCase{
		{"help", []string{"-h"}, exitOK, "Example:"},
		{"no template", []string{"--dev", "--set", "serialNumber=1", "-o", out}, exitUsage, "want --template DIR and -o OUT.pkpass"},
		{"no output", []string{"--dev", "--template", design, "--set", "serialNumber=1"}, exitUsage, "want --template DIR and -o OUT.pkpass"},
		{"no values", []string{"--dev", "--template", design, "-o", out}, exitUsage, "want --values FILE.json or --set serialNumber="},
		{"values and set", []string{"--dev", "--template", design, "-o", out, "--values", "v.json", "--set", "serialNumber=1"}, exitUsage, "not both"},
		{"no serial", []string{"--dev", "--template", design, "-o", out, "--set", "name=x"}, exitUsage, "want --set serialNumber="},
		{"missing placeholder", []string{"--dev", "--template", design, "-o", out, "--set", "serialNumber=1"}, exitUsage, "--set name=..."},
		{"set without equals", []string{"--set", "serialNumber"}, exitUsage, "want KEY=VALUE"},
		{"set twice", []string{"--set", "a=1", "--set", "a=2"}, exitUsage, "a is set twice"},
		{"stray argument", []string{"--dev", "--template", design, "-o", out, "--set", "serialNumber=1", "extra"}, exitUsage, "unexpected arguments: extra"},
		{"no identity", []string{"--template", design, "-o", out, "--set", "serialNumber=1", "--set", "name=x"}, exitUsage, "choose exactly one identity"},
		{"two identities", []string{"--dev", "--p12", "x.p12", "--template", design, "-o", out, "--set", "serialNumber=1", "--set", "name=x"}, exitUsage, "choose exactly one identity"},
		{"unknown flag", []string{"--colour", "red"}, exitUsage, "flag provided but not defined"},
	}, func(t *testing.T) { assert.NoFileExists(t, out) })
}

func TestBuildFromPkpassTemplate(t *testing.T) {
	design := newDesign(t, "storeCard")
	dir := t.TempDir()
	first := filepath.Join(dir, "first.pkpass")
	code, _, stderr := runCLI(t, "build", "--template", design, "--dev", "--set", "serialNumber=1", "--set", "name=Ada", "-o", first)
	require.Equal(t, exitOK, code, stderr)
	// The .pkpass is a design too: its placeholders are filled, so only the serial is needed.
	second := filepath.Join(dir, "second.pkpass")
	code, stdout, stderr := runCLI(t, "build", "--template", first, "--dev", "--set", "serialNumber=2", "--set", "level=Platinum", "-o", second)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "serial 2")
	p := readPass(t, second, filepath.Join(dir, "second-ca.pem"))
	assert.Equal(t, "Ada", p.StoreCard.SecondaryFields[0].Value.String())
	assert.Equal(t, "Platinum", p.StoreCard.AuxiliaryFields[0].Value.String())
}

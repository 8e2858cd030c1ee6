package main

import (
	"archive/zip"
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/passforge/passforge/sign"
	"github.com/passforge/passforge/template"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const bulkPassTypeID, bulkTeamID = "pass.com.example.bulk", "BULKTEAM12"

// bulkDev is the development identity of the bulk and bench tests.
var bulkDev = sync.OnceValue(func() *sign.DevelopmentIdentity {
	d, err := sign.NewDevelopmentIdentity(bulkPassTypeID, bulkTeamID)
	if err != nil {
		panic(err)
	}
	return d
})

// bulkDesign writes a store card design with a {{name}} placeholder and a
// barcode, and returns its folder.
func bulkDesign(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "members.pass")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	pj := map[string]any{
		"formatVersion": 1, "passTypeIdentifier": bulkPassTypeID, "teamIdentifier": bulkTeamID, "serialNumber": "DESIGN",
		"organizationName": "Bulk Coffee", "description": "Membership of {{name}}",
		"barcodes": []any{map[string]any{"format": "PKBarcodeFormatQR", "message": "DESIGN", "messageEncoding": "iso-8859-1"}},
		"storeCard": map[string]any{
			"primaryFields":   []any{map[string]any{"key": "points", "label": "Points", "value": 0}},
			"secondaryFields": []any{map[string]any{"key": "member", "label": "Member", "value": "{{name}}"}},
		},
	}
	b, err := json.Marshal(pj)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "pass.json"), b, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "icon.png"), testIcon(t), 0o644))
	return dir
}

// bulkIdentityFiles writes the development identity as PEM files: the
// certificate, the key, the intermediate and the root.
func bulkIdentityFiles(t *testing.T) (cert, key, wwdr, roots string) {
	t.Helper()
	d := bulkDev()
	dir := t.TempDir()
	keyDER, err := x509.MarshalPKCS8PrivateKey(d.Signer)
	require.NoError(t, err)
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, data, 0o600))
		return p
	}
	var chain []byte
	for _, c := range d.Chain {
		chain = append(chain, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return write("signer.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: d.Certificate.Raw})),
		write("signer.key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})),
		write("wwdr.pem", chain), write("roots.pem", d.CAPEM())
}

func bulkVerify(t *testing.T, data []byte, rootsPEM []byte) *sign.Package {
	t.Helper()
	roots := x509.NewCertPool()
	require.True(t, roots.AppendCertsFromPEM(rootsPEM))
	pkg, err := sign.ReadBytes(data, &sign.VerifyOptions{Roots: roots})
	require.NoError(t, err)
	return pkg
}

func TestBulkCSVToFolder(t *testing.T) {
	design := bulkDesign(t)
	cert, key, wwdr, roots := bulkIdentityFiles(t)
	vdir := t.TempDir()
	csv := filepath.Join(vdir, "members.csv")
	require.NoError(t, os.WriteFile(csv, []byte("serialNumber,name,points,barcodeMessage\n"+
		"M-1,Ada,10,QR-1\n"+
		"M-2,Grace,not a number,QR-2\n"+
		",Nobody,3,QR-3\n"+
		"M/4,Linus,4,QR-4\n"), 0o644))
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := runCLI(t, "bulk", "--template", design, "--cert", cert, "--key", key, "--wwdr", wwdr,
		"--values", csv, "-o", out, "--workers", "2")
	assert.Equal(t, exitProblems, code, "failed rows make the exit status 1")
	assert.Contains(t, stdout, "issued 2 passes into "+out)
	assert.Contains(t, stdout, "2 rows failed")
	assert.Contains(t, stderr, `row 2: csv line 3: column "points"`)
	assert.Contains(t, stderr, "row 3: missing value: serialNumber is required")
	assert.NotContains(t, stderr, "\r", "no progress bar when stderr is not a terminal")
	assert.NotContains(t, stderr, "barcode message", "the CSV sets barcodeMessage")

	rootsPEM, err := os.ReadFile(roots)
	require.NoError(t, err)
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{"M%2F4.pkpass", "M-1.pkpass"}, names)
	data, err := os.ReadFile(filepath.Join(out, "M-1.pkpass"))
	require.NoError(t, err)
	pkg := bulkVerify(t, data, rootsPEM)
	assert.Equal(t, "Ada", pkg.Pass.StoreCard.SecondaryFields[0].Value.String())
	assert.Equal(t, "Membership of Ada", pkg.Pass.Description)
	assert.Equal(t, "10", pkg.Pass.StoreCard.PrimaryFields[0].Value.String())
	assert.Equal(t, "QR-1", pkg.Pass.Barcodes[0].Message)
}

func TestBulkJSONLFormats(t *testing.T) {
	design := bulkDesign(t)
	jsonl := filepath.Join(t.TempDir(), "members.jsonl")
	var lines []string
	for _, n := range []string{"A", "B", "C"} {
		lines = append(lines, `{"serialNumber":"J-`+n+`","placeholders":{"name":"`+n+`"},"fields":{"points":7}}`)
	}
	require.NoError(t, os.WriteFile(jsonl, []byte(strings.Join(lines, "\n")+"\n"), 0o644))

	t.Run("zip", func(t *testing.T) {
		out := t.TempDir()
		code, stdout, stderr := runCLI(t, "bulk", "--template", design, "--dev", "--values", jsonl, "-o", out, "--format", "zip")
		require.Equal(t, exitOK, code, stderr)
		assert.Contains(t, stdout, "issued 3 passes into "+filepath.Join(out, "passes.zip"))
		assert.Contains(t, stdout, "passforge verify --roots "+filepath.Join(out, "dev-ca.pem"))
		rootsPEM, err := os.ReadFile(filepath.Join(out, "dev-ca.pem"))
		require.NoError(t, err)
		zr, err := zip.OpenReader(filepath.Join(out, "passes.zip"))
		require.NoError(t, err)
		defer zr.Close()
		require.Len(t, zr.File, 3)
		for _, f := range zr.File {
			rc, err := f.Open()
			require.NoError(t, err)
			var b bytes.Buffer
			_, err = b.ReadFrom(rc)
			require.NoError(t, err)
			bulkVerify(t, b.Bytes(), rootsPEM)
		}
		entries, err := os.ReadDir(out)
		require.NoError(t, err)
		assert.Len(t, entries, 2, "passes.zip and dev-ca.pem, no temporary file")
	})
	t.Run("zip named by -o", func(t *testing.T) {
		// -o passes.zip is the zip file itself, not a folder passes.zip/ holding another passes.zip; without
		// --format, a .zip name asks for the zip format.
		for _, format := range [][]string{{"--format", "zip"}, nil} {
			dir := t.TempDir()
			out := filepath.Join(dir, "sub", "passes.zip")
			args := append([]string{"bulk", "--template", design, "--dev", "--values", jsonl, "-o", out}, format...)
			code, stdout, stderr := runCLI(t, args...)
			require.Equal(t, exitOK, code, stderr)
			assert.Contains(t, stdout, "issued 3 passes into "+out+" ")
			fi, err := os.Stat(out)
			require.NoError(t, err)
			require.True(t, fi.Mode().IsRegular(), "%s is a file", out)
			zr, err := zip.OpenReader(out)
			require.NoError(t, err)
			assert.Len(t, zr.File, 3)
			require.NoError(t, zr.Close())
			entries, err := os.ReadDir(filepath.Dir(out))
			require.NoError(t, err)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			assert.ElementsMatch(t, []string{"passes.zip", "passes-ca.pem"}, names, "the zip and its development CA, no temporary file")
		}
		code, _, stderr := runCLI(t, "bulk", "--template", design, "--dev", "--values", jsonl, "-o", filepath.Join(t.TempDir(), "p.ZIP"), "--format", "dir")
		assert.Equal(t, exitUsage, code)
		assert.Contains(t, stderr, "names a .zip file")
	})
	t.Run("bundles", func(t *testing.T) {
		out := t.TempDir()
		code, _, stderr := runCLI(t, "bulk", "--template", design, "--dev", "--values", jsonl, "-o", out, "--format", "bundles")
		require.Equal(t, exitOK, code, stderr)
		data, err := os.ReadFile(filepath.Join(out, "passes-00001.pkpasses"))
		require.NoError(t, err)
		passes, err := sign.ReadBundle(bytes.NewReader(data), int64(len(data)))
		require.NoError(t, err)
		assert.Len(t, passes, 3)
	})
}

func TestBulkUsage(t *testing.T) {
	design := bulkDesign(t)
	csv := filepath.Join(t.TempDir(), "v.csv")
	require.NoError(t, os.WriteFile(csv, []byte("serialNumber,nope\nA,b\n"), 0o644))
	runCLICases(t, "bulk", []cliCase{
		{"help", []string{"-h"}, exitOK, "Example:"},
		{"no flags", nil, exitUsage, "want --template DIR, --values FILE and -o OUTDIR"},
		{"bad format", []string{"--template", design, "--dev", "--values", csv, "-o", "x", "--format", "tar"}, exitUsage, "--format is dir, zip or bundles"},
		{"bad extension", []string{"--template", design, "--dev", "--values", "v.txt", "-o", "x"}, exitUsage, ".csv or .jsonl"},
		{"no identity", []string{"--template", design, "--values", csv, "-o", t.TempDir()}, exitUsage, "choose exactly one identity"},
		{"no workers", []string{"--template", design, "--dev", "--values", csv, "-o", t.TempDir(), "--workers", "0"}, exitUsage, "--workers must be from 1 to 256"},
		{"too many workers", []string{"--template", design, "--dev", "--values", csv, "-o", t.TempDir(), "--workers", "100000000"}, exitUsage, "--workers must be from 1 to 256"},
		{"unknown column", []string{"--template", design, "--dev", "--values", csv, "-o", t.TempDir()}, exitProblems, `column "nope" is not a field key`},
		{"missing template", []string{"--template", filepath.Join(design, "nope"), "--dev", "--values", csv, "-o", t.TempDir()}, exitProblems, "template:"},
	}, nil)
}

func TestBench(t *testing.T) {
	design := bulkDesign(t)
	cert, key, wwdr, _ := bulkIdentityFiles(t)
	prof := filepath.Join(t.TempDir(), "cpu.out")
	code, stdout, stderr := runCLI(t, "bench", "-template", design, "-cert", cert, "-key", key, "-wwdr", wwdr,
		"-n", "6", "-workers", "2", "-field", "member", "-cpuprofile", prof)
	require.Equal(t, exitOK, code, stderr)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	assert.Regexp(t, `^passes/s: [0-9]+\.[0-9]$`, lines[len(lines)-1])
	assert.Contains(t, stdout, "issued 6 passes")
	assert.FileExists(t, prof)

	// The spelling of the comparison script (one dash) and the documented one (two) are the same flags.
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "mem.pprof")
	code, stdout, stderr = runCLI(t, "bench", "--template", design, "--dev", "-n", "3", "--workers", "1",
		"--cpuprofile", cpu, "--memprofile", mem, "--json")
	require.Equal(t, exitOK, code, stderr)
	var r benchReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &r), stdout)
	assert.Equal(t, 3, r.Passes)
	assert.Equal(t, 1, r.Workers)
	assert.Equal(t, design, r.Template)
	assert.Positive(t, r.BytesPerPass)
	assert.Positive(t, r.PassesPerSecond)
	assert.InDelta(t, float64(r.Passes)/r.ElapsedSeconds, r.PassesPerSecond, 1e-6)
	assert.Equal(t, cpu, r.CPUProfile)
	for _, f := range []string{cpu, mem} {
		fi, err := os.Stat(f)
		require.NoError(t, err)
		assert.Positive(t, fi.Size(), f)
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "the two profiles, no temporary file")

	// A profile that cannot be written leaves nothing behind and is a failure.
	code, _, stderr = runCLI(t, "bench", "--template", design, "--dev", "-n", "1", "--memprofile", filepath.Join(dir, "missing", "mem.pprof"))
	assert.Equal(t, exitProblems, code)
	assert.Contains(t, stderr, "passforge bench: --memprofile:")
	assert.NoDirExists(t, filepath.Join(dir, "missing"))

	code, _, stderr = runCLI(t, "bench", "-template", design, "-dev", "-n", "2", "-field", "nope")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stderr, `the design has no "nope" field`)

	code, _, stderr = runCLI(t, "bench", "-template", design, "-dev", "-n", "0")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "-n must be at least 1")
	code, stdout, stderr = runCLI(t, "bench", "-h")
	assert.Equal(t, exitOK, code)
	assert.Empty(t, stderr)
	assert.Contains(t, stdout, "passforge bench --template storecard.pass")
}

func TestBulkJSON(t *testing.T) {
	design := bulkDesign(t)
	dir := t.TempDir()
	csv := filepath.Join(dir, "members.csv")
	require.NoError(t, os.WriteFile(csv, []byte("serialNumber,name,backgroundColor\nM-1,Ada,\nM-2,Grace,blue\nM-3,Linus,\n"), 0o644))
	out := filepath.Join(dir, "out")
	code, stdout, stderr := runCLI(t, "bulk", "--template", design, "--dev", "--values", csv, "-o", out, "--json")
	assert.Equal(t, exitProblems, code, stderr)
	assert.NotContains(t, stderr, "row 2", "with --json the failed rows are in the report")
	var r bulkReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &r), stdout)
	assert.Equal(t, out, r.Output)
	assert.Equal(t, "dir", r.Format)
	assert.Equal(t, 2, r.Issued)
	assert.Equal(t, 1, r.Failed)
	assert.Zero(t, r.MoreFailures)
	require.Len(t, r.Failures, 1)
	assert.Equal(t, 2, r.Failures[0].Row)
	assert.Equal(t, "M-2", r.Failures[0].SerialNumber)
	assert.Contains(t, r.Failures[0].Error, "backgroundColor")
	assert.Equal(t, filepath.Join(out, "dev-ca.pem"), r.DevelopmentCA)
	assert.Empty(t, r.Error)
	rootsPEM, err := os.ReadFile(r.DevelopmentCA)
	require.NoError(t, err)
	data, err := os.ReadFile(filepath.Join(out, "M-3.pkpass"))
	require.NoError(t, err)
	assert.Equal(t, "M-3", bulkVerify(t, data, rootsPEM).Pass.SerialNumber)

	// Every row issued: exit 0, an empty list of failures (not null).
	require.NoError(t, os.WriteFile(csv, []byte("serialNumber,name\nZ-1,Ada\n"), 0o644))
	code, stdout, stderr = runCLI(t, "bulk", "--template", design, "--dev", "--values", csv, "-o", filepath.Join(dir, "zip"), "--format", "zip", "--json")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, `"failures": []`)
	require.NoError(t, json.Unmarshal([]byte(stdout), &r))
	assert.Equal(t, filepath.Join(dir, "zip", "passes.zip"), r.Output)
	assert.FileExists(t, r.Output)
}

func TestBulkProgressBar(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "v.csv")
	require.NoError(t, os.WriteFile(csv, []byte("serialNumber,name\nA,a\n\nB,b\nC,c"), 0o644))
	assert.Equal(t, 3, countRecords(csv, true))
	assert.Equal(t, 4, countRecords(csv, false))
	assert.Equal(t, 0, countRecords(filepath.Join(dir, "missing.csv"), true))

	var out bytes.Buffer
	bar := &progressBar{w: &out, on: true, total: 4}
	bar.update(template.Progress{Issued: 1, Failed: 1})
	bar.finish()
	assert.Contains(t, out.String(), "\r[###############---------------]  50% 1 issued, 1 failed")
	assert.True(t, strings.HasSuffix(out.String(), "\r\033[K"), "the bar is erased at the end")

	out.Reset()
	off := newProgressBar(&out, &countingReader{}, 10)
	off.update(template.Progress{Issued: 1})
	off.finish()
	assert.Empty(t, out.String(), "no bar when the output is not a terminal")
}

// TestBulkWarnsOfOneBarcodeForAll checks that a CSV without barcodeMessage, for a design whose barcode message is
// fixed, is warned that every pass gets the same barcode.
func TestBulkWarnsOfOneBarcodeForAll(t *testing.T) {
	design := bulkDesign(t)
	csv := filepath.Join(t.TempDir(), "members.csv")
	require.NoError(t, os.WriteFile(csv, []byte("serialNumber,name\nM-1,Ada\nM-2,Grace\n"), 0o644))
	code, _, stderr := runCLI(t, "bulk", "--template", design, "--dev", "--values", csv, "-o", t.TempDir())
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stderr, `warning: every pass gets the design's barcode message "DESIGN"; add a barcodeMessage column`)

	// A barcode message with a placeholder differs per pass: no warning.
	perPass := newDesign(t, "storeCard")
	pj := filepath.Join(perPass, "pass.json")
	data, err := os.ReadFile(pj)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(pj, bytes.Replace(data, []byte(`"message": "0001"`), []byte(`"message": "M-{{name}}"`), 1), 0o644))
	code, _, stderr = runCLI(t, "bulk", "--template", perPass, "--dev", "--values", csv, "-o", t.TempDir())
	require.Equal(t, exitOK, code, stderr)
	assert.NotContains(t, stderr, "barcode message")
}

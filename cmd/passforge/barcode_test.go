package main

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBarcodeCommandPNG(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "ticket.png")
	code, stdout, stderr := runCommand(t, "barcode", "--format", "qr", "--size", "300x300", "-o", out, "https://example.com/t/42")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "wrote "+out+" (PKBarcodeFormatQR PNG")

	f, err := os.Open(out)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	assert.Equal(t, 300, img.Bounds().Dx())
	assert.Equal(t, 300, img.Bounds().Dy())
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	require.NoError(t, err)
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	require.NoError(t, err)
	assert.Equal(t, "https://example.com/t/42", res.GetText())
}

func TestBarcodeCommandSVGAndOptions(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string // in the output file
	}{
		{"svg", []string{"--format", "ean13", "--svg", "-o", "p.svg", "400638133393"}, `<svg xmlns="http://www.w3.org/2000/svg"`},
		{"apple name and encoding", []string{"--format", "PKBarcodeFormatAztec", "--encoding", "utf-8", "--svg", "-o", "a.svg", "Привет"}, "<path"},
		{"flags after the message", []string{"ABC-123", "--format", "code128", "-o", "c.png", "--size", "400"}, "\x89PNG"},
		{"message after --", []string{"--format", "code39", "-o", "d.png", "--", "-CODE39-"}, "\x89PNG"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string(nil), tt.args...)
			for i, a := range args {
				if i > 0 && args[i-1] == "-o" {
					args[i] = filepath.Join(dir, a)
				}
			}
			code, _, stderr := runCommand(t, "barcode", args...)
			require.Equal(t, exitOK, code, stderr)
			for i, a := range args {
				if i > 0 && args[i-1] == "-o" {
					data, err := os.ReadFile(a)
					require.NoError(t, err)
					assert.Contains(t, string(data), tt.want)
				}
			}
		})
	}
}

func TestBarcodeCommandStdout(t *testing.T) {
	code, stdout, stderr := runCommand(t, "barcode", "--format", "itf", "-o", "-", "12345678")
	require.Equal(t, exitOK, code, stderr)
	_, err := png.Decode(strings.NewReader(stdout))
	require.NoError(t, err)
}

func TestBarcodeCommandErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"message too long", []string{"--format", "aztec", "-o", "OUT", strings.Repeat("\u00ff", 2000)}, exitProblems, "too long for an Aztec code: 2000 bytes, at most 1885"},
		{"ean13 letters", []string{"--format", "ean13", "-o", "OUT", "40063813339A"}, exitProblems, "character 'A' at offset 11 is not allowed in EAN-13"},
		{"unencodable", []string{"--format", "qr", "--encoding", "us-ascii", "-o", "OUT", "café"}, exitProblems, "character 'é' at offset 3 cannot be encoded in us-ascii"},
		{"too small", []string{"--format", "qr", "--size", "10x10", "-o", "OUT", "hello"}, exitProblems, "needs at least"},
		{"unknown encoding", []string{"--format", "qr", "--encoding", "klingon", "-o", "OUT", "x"}, exitUsage, `unknown message encoding "klingon"`},
		{"unknown format", []string{"--format", "datamatrix", "-o", "OUT", "x"}, exitUsage, `unknown barcode format "datamatrix"`},
		{"bad size", []string{"--format", "qr", "--size", "0x10", "-o", "OUT", "x"}, exitUsage, `--size: "0x10" is not a size in pixels`},
		{"huge size", []string{"--format", "qr", "--size", "99999x99999", "-o", "OUT", "x"}, exitUsage, "--size"},
		{"no output", []string{"--format", "qr", "x"}, exitUsage, "want --format, -o OUT and exactly one MESSAGE"},
		{"no format", []string{"-o", "OUT", "x"}, exitUsage, "want --format"},
		{"two messages", []string{"--format", "qr", "-o", "OUT", "x", "y"}, exitUsage, "exactly one MESSAGE"},
		{"bad flag", []string{"--colour", "red"}, exitUsage, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			args := append([]string(nil), tt.args...)
			for i, a := range args {
				if a == "OUT" {
					args[i] = filepath.Join(dir, "out.png")
				}
			}
			code, stdout, stderr := runCommand(t, "barcode", args...)
			assert.Equal(t, tt.code, code)
			assert.Contains(t, stderr, tt.want)
			assert.Empty(t, stdout)
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Empty(t, entries, "nothing written, no temporary file left")
		})
	}
}

func TestBarcodeCommandWriteFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "missing", "x.png")
	code, _, stderr := runCommand(t, "barcode", "--format", "qr", "-o", out, "hello")
	assert.Equal(t, exitProblems, code)
	assert.Contains(t, stderr, "passforge barcode:")
	_, err := os.Stat(out)
	assert.True(t, os.IsNotExist(err))
}

func TestBarcodeCommandHelp(t *testing.T) {
	code, stdout, _ := runCommand(t, "barcode", "-h")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, stdout, "Usage: passforge barcode --format")
	assert.Contains(t, stdout, "passforge barcode --format qr --size 600x600 -o ticket.png")
	assert.Contains(t, stdout, "-encoding")
}

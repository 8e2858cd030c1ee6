package main

import (
	"archive/zip"
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
)

// previewPass returns a small valid store card with an icon, a logo and a French localization.
func previewPass(t *testing.T) (*pass.Pass, *pass.Assets) {
	t.Helper()
	p := &pass.Pass{FormatVersion: 1, PassTypeIdentifier: "pass.com.example.coffee", SerialNumber: "S-1",
		TeamIdentifier: "A1B2C3D4E5", OrganizationName: "Bean There", Description: "Coffee card",
		LogoText: "Bean There", BackgroundColor: pass.RGB(90, 55, 35), ForegroundColor: pass.RGB(255, 255, 255),
		StoreCard: &pass.PassFields{PrimaryFields: []pass.Field{{Key: "balance", Label: "BALANCE", Value: pass.Number(21.75), CurrencyCode: "USD"}}},
		Barcodes:  []pass.Barcode{{Format: pass.BarcodeFormatQR, Message: "S-1", MessageEncoding: "iso-8859-1"}}}
	a := &pass.Assets{}
	for s := 1; s <= 3; s++ {
		img := image.NewNRGBA(image.Rect(0, 0, 29*s, 29*s))
		for i := range img.Pix {
			img.Pix[i] = 0xff
		}
		img.SetNRGBA(0, 0, color.NRGBA{R: 200, A: 255})
		var buf bytes.Buffer
		require.NoError(t, png.Encode(&buf, img))
		require.NoError(t, a.SetImage(pass.ImageIcon, s, buf.Bytes()))
	}
	require.NoError(t, a.SetStrings("fr", pass.Strings{"BALANCE": "SOLDE"}))
	return p, a
}

// writeFolder writes the pass as a pass folder under dir and returns its path.
func writeFolder(t *testing.T, dir string, p *pass.Pass, a *pass.Assets) string {
	t.Helper()
	folder := filepath.Join(dir, "Coffee.pass")
	data, err := p.MarshalJSON()
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(folder, "fr.lproj"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(folder, "pass.json"), data, 0o644))
	for _, name := range a.Names() {
		b, _ := a.Get(name)
		require.NoError(t, os.WriteFile(filepath.Join(folder, filepath.FromSlash(name)), b, 0o644))
	}
	return folder
}

// tamper rewrites the serial number inside the stored pass.json of a .pkpass, keeping its length, and returns the
// new archive bytes.
func tamper(t *testing.T, pkpass []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(pkpass), int64(len(pkpass)))
	require.NoError(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		body, err := io.ReadAll(rc)
		require.NoError(t, err)
		rc.Close()
		if f.Name == "pass.json" {
			body = bytes.Replace(body, []byte(`"S-1"`), []byte(`"S-2"`), 1)
		}
		w, err := zw.Create(f.Name)
		require.NoError(t, err)
		_, err = w.Write(body)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return out.Bytes()
}

func decodePNGFile(t *testing.T, name string) image.Image {
	t.Helper()
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	img, err := png.Decode(bytes.NewReader(data))
	require.NoError(t, err)
	return img
}

func TestPreviewCommandInputs(t *testing.T) {
	dir := t.TempDir()
	p, a := previewPass(t)
	folder := writeFolder(t, dir, p, a)

	dev, err := sign.NewDevelopmentIdentity(p.PassTypeIdentifier, p.TeamIdentifier)
	require.NoError(t, err)
	var pk bytes.Buffer
	require.NoError(t, sign.Write(&pk, p, a, dev.Identity, nil))
	pkpass := filepath.Join(dir, "Coffee.pkpass")
	require.NoError(t, os.WriteFile(pkpass, pk.Bytes(), 0o644))

	// A pass.json under another name is drawn without images.
	data, err := os.ReadFile(filepath.Join(folder, "pass.json"))
	require.NoError(t, err)
	other := filepath.Join(dir, "coffee.json")
	require.NoError(t, os.WriteFile(other, data, 0o644))
	// A .pkpass whose pass.json was changed after signing: the digest no longer matches, which is a warning.
	tampered := filepath.Join(dir, "Tampered.pkpass")
	require.NoError(t, os.WriteFile(tampered, tamper(t, pk.Bytes()), 0o644))
	caFile := filepath.Join(dir, "dev-ca.pem")
	require.NoError(t, os.WriteFile(caFile, dev.CAPEM(), 0o644))

	tests := []struct {
		name    string
		args    []string
		size    image.Point
		warning string // in stderr
	}{
		{"pass.json under another name", []string{"--scale", "1", other}, image.Pt(320, 420), ""},
		{"tampered pkpass", []string{"--scale", "1", tampered}, image.Pt(320, 420), "file digest does not match"},
		{"folder default @2x", []string{folder}, image.Pt(640, 840), ""},
		{"pass.json @1x", []string{"--scale", "1", filepath.Join(folder, "pass.json")}, image.Pt(320, 420), ""},
		{"pkpass @3x with a development signature", []string{"--scale", "3", pkpass}, image.Pt(960, 1260), "warning: "},
		{"pkpass with its development roots trusted", []string{"--roots", caFile, "--scale", "1", pkpass}, image.Pt(320, 420), ""},
		{"localized", []string{"--lang", "fr", folder}, image.Pt(640, 840), ""},
		{"missing localization", []string{"--lang", "de", folder}, image.Pt(640, 840), "no de.lproj localization"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, "front"+string(rune('a'+i))+".png")
			code, stdout, stderr := runCommand(t, "preview", append([]string{"-o", out}, tt.args...)...)
			require.Equal(t, exitOK, code, stderr)
			assert.Contains(t, stdout, "wrote "+out+" (storeCard, ")
			if tt.warning != "" {
				assert.Contains(t, stderr, tt.warning)
			} else {
				assert.Empty(t, stderr)
			}
			assert.Equal(t, tt.size, decodePNGFile(t, out).Bounds().Size())
		})
	}

	// The localized picture differs from the default one (SOLDE instead of BALANCE).
	enFile, frFile := filepath.Join(dir, "en.png"), filepath.Join(dir, "fr.png")
	code, _, stderr := runCommand(t, "preview", "-o", enFile, folder)
	require.Equal(t, exitOK, code, stderr)
	code, _, stderr = runCommand(t, "preview", "--lang", "fr", "-o", frFile, folder)
	require.Equal(t, exitOK, code, stderr)
	en, fr := decodePNGFile(t, enFile), decodePNGFile(t, frFile)
	assert.NotEqual(t, en.(*image.NRGBA).Pix, fr.(*image.NRGBA).Pix)

	// The standard output.
	var outb, errb bytes.Buffer
	code = run([]string{"preview", "-o", "-", "--scale", "1", folder}, strings.NewReader(""), &outb, &errb)
	require.Equal(t, exitOK, code, errb.String())
	img, err := png.Decode(&outb)
	require.NoError(t, err)
	assert.Equal(t, image.Pt(320, 420), img.Bounds().Size())
}

func TestPreviewCommandErrors(t *testing.T) {
	dir := t.TempDir()
	p, a := previewPass(t)
	folder := writeFolder(t, dir, p, a)
	noStyle := filepath.Join(dir, "nostyle.json")
	require.NoError(t, os.WriteFile(noStyle, []byte(`{"formatVersion": 1, "serialNumber": "1"}`), 0o644))
	badColor := filepath.Join(dir, "badcolor.json")
	require.NoError(t, os.WriteFile(badColor, []byte(`{"formatVersion": 1, "backgroundColor": "purple", "generic": {}}`), 0o644))
	notZip := filepath.Join(dir, "broken.pkpass")
	require.NoError(t, os.WriteFile(notZip, []byte("PK\x03\x04 not really a zip"), 0o644))
	out := filepath.Join(dir, "front.png")
	emptyFolder := filepath.Join(dir, "empty.pass")
	require.NoError(t, os.Mkdir(emptyFolder, 0o755))
	brokenFolder := filepath.Join(dir, "broken.pass")
	require.NoError(t, os.Mkdir(brokenFolder, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(brokenFolder, "pass.json"), []byte(`{"formatVersion":`), 0o644))

	runCLICases(t, "preview", []cliCase{
		{"folder without pass.json", []string{"-o", out, emptyFolder}, exitProblems, "passforge preview: " + emptyFolder + ": pass: reading pass.json"},
		{"broken pass.json in a folder", []string{"-o", out, filepath.Join(brokenFolder, "pass.json")}, exitProblems, "passforge preview: " + brokenFolder + ": pass:"},
		{"output is a folder", []string{"-o", emptyFolder, folder}, exitProblems, "cannot write " + emptyFolder + ": it is a folder, not a file"},
		{"no pass", []string{"-o", out}, exitUsage, "want -o OUT and exactly one PASS"},
		{"no output", []string{folder}, exitUsage, "want -o OUT"},
		{"bad scale", []string{"--scale", "4", "-o", out, folder}, exitUsage, "--scale 4"},
		{"unknown flag", []string{"--size", "3", "-o", out, folder}, exitUsage, "flag provided but not defined"},
		{"missing file", []string{"-o", out, filepath.Join(dir, "nope.pkpass")}, exitProblems, "nope.pkpass"},
		{"no style", []string{"-o", out, noStyle}, exitProblems, "no style key"},
		{"bad colour", []string{"-o", out, badColor}, exitProblems, "backgroundColor"},
		{"broken pkpass", []string{"-o", out, notZip}, exitProblems, "broken.pkpass"},
		{"unwritable output", []string{"-o", filepath.Join(dir, "no", "such", "dir.png"), folder}, exitProblems, "passforge preview: "},
	}, func(t *testing.T) { assert.NoFileExists(t, out, "no output file is left behind") })
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		assert.False(t, strings.Contains(e.Name(), ".tmp-"), "temporary file %s left behind", e.Name())
	}
}

func TestPreviewCommandHelp(t *testing.T) {
	code, stdout, _ := runCommand(t, "preview", "-h")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, stdout, "passforge preview -o front.png Coffee.pkpass")
}

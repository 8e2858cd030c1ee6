package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/pem"
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

// hostileText holds what a hostile pass puts in its strings: a carriage return, ANSI sequences (erase line,
// colour, set window title), a C1 control, a right-to-left override and a line break.
const hostileText = "Coffee\r\x1b[2K\x1b[32m\x1b]0;title\x07\u009b31m\u202egnp.exe\nnext"

// hostilePkpass writes a .pkpass signed by a development identity whose pass.json strings hold hostileText
// and whose manifest, rewritten after signing, lists a key that forges a verify success line for the file
// (a carriage return, an erase-line sequence, then "NAME: OK (...)"). It returns the file and the CA's PEM.
func hostilePkpass(t *testing.T) (file, roots string) {
	t.Helper()
	dir := t.TempDir()
	file = filepath.Join(dir, "hostile.pkpass")
	p := lintTestPass()
	p.OrganizationName = hostileText
	p.Description = hostileText
	p.StoreCard.PrimaryFields = append(p.StoreCard.PrimaryFields, pass.Field{Key: "k\x1b[31m", Label: hostileText, Value: pass.String(hostileText)})
	p.Barcodes[0].Message = hostileText
	id, err := sign.NewDevelopmentIdentity(p.PassTypeIdentifier, p.TeamIdentifier)
	require.NoError(t, err)
	a := &pass.Assets{}
	require.NoError(t, a.SetImage(pass.ImageIcon, 1, lintPNG(t, 29, 29)))
	var signed bytes.Buffer
	require.NoError(t, sign.Write(&signed, p, a, id.Identity, &sign.Options{AllowInvalid: true}))

	zr, err := zip.NewReader(bytes.NewReader(signed.Bytes()), int64(signed.Len()))
	require.NoError(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		require.NoError(t, err)
		if f.Name == sign.ManifestName {
			var m map[string]string
			require.NoError(t, json.Unmarshal(data, &m))
			m["icon.png\r\x1b[2K"+file+": OK (pass.com.example.coffee, serial 0001, signed by \"Apple\" at 2026-01-01T00:00:00Z)\x1b[8m"] = strings.Repeat("0", 40)
			m["x\n"+file+": OK (forged)"] = strings.Repeat("0", 40)
			data, err = json.Marshal(m)
			require.NoError(t, err)
		}
		w, err := zw.Create(f.Name)
		require.NoError(t, err)
		_, err = w.Write(data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	require.NoError(t, os.WriteFile(file, out.Bytes(), 0o644))
	roots = filepath.Join(dir, "ca.pem")
	require.NoError(t, os.WriteFile(roots, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: id.CA.Raw}), 0o644))
	return file, roots
}

// assertTerminalSafe fails when out holds a rune a terminal acts on or hides, or a line that claims file
// verified.
func assertTerminalSafe(t *testing.T, what, file, out string) {
	t.Helper()
	for _, bad := range []string{"\r", "\x1b", "\x07", "\u009b", "\u202e"} {
		assert.NotContains(t, out, bad, "%s: %q reached the terminal:\n%s", what, bad, out)
	}
	for _, line := range strings.Split(out, "\n") {
		assert.False(t, strings.HasPrefix(line, file+": OK"), "%s: a forged success line:\n%s", what, out)
	}
}

func TestUntrustedTextIsEscapedOnTheTerminal(t *testing.T) {
	file, roots := hostilePkpass(t)
	for _, args := range [][]string{
		{"verify", file},
		{"verify", "--roots", roots, file},
		{"verify", "--json", "--roots", roots, file},
		{"inspect", file},
		{"inspect", "--roots", roots, file},
		{"inspect", "--json", file},
		{"lint", file},
		{"lint", "--roots", roots, file},
		{"lint", "--json", file},
	} {
		code, stdout, stderr := runCLI(t, args...)
		what := strings.Join(args, " ")
		assertTerminalSafe(t, what, file, stdout+stderr)
		if args[0] == "verify" {
			assert.Equal(t, exitProblems, code, what)
		}
		if strings.Contains(what, "--json") {
			var v any
			require.NoError(t, json.Unmarshal([]byte(stdout), &v), "%s: still JSON", what)
			// The ESC byte is kept, escaped: by the JSON encoder (\u001b) or, inside
			// a library error that quotes the name it reports, by Go quoting (\x1b).
			assert.True(t, strings.Contains(stdout, `\u001b`) || strings.Contains(stdout, `\\x1b`),
				"%s: the values are kept, escaped:\n%s", what, stdout)
			if args[0] == "inspect" {
				assert.Contains(t, stdout, `\u009b31m\u202egnp.exe`, "%s: C1 controls and bidi overrides too", what)
			}
		} else {
			assert.Contains(t, stdout+stderr, `\r`, "%s: the escapes are visible", what)
		}
	}
	// The escaped text still tells the reader what is there.
	_, stdout, _ := runCLI(t, "inspect", "--roots", roots, file)
	assert.Contains(t, stdout, `Organization: Coffee\r\x1b[2K\x1b[32m\x1b]0;title\x07\u009b31m\u202egnp.exe\nnext`)
	_, stdout, _ = runCLI(t, "verify", file)
	assert.Contains(t, stdout, `icon.png\r\x1b[2K`+file+`: OK (pass.com.example.coffee`)
}

func TestErrorsAreEscaped(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "evil\r\x1b[2Kname\u202e.pkpass")
	require.NoError(t, os.WriteFile(name, []byte("not a zip"), 0o644))
	for _, cmd := range []string{"verify", "inspect", "lint"} {
		_, stdout, stderr := runCLI(t, cmd, name)
		assertTerminalSafe(t, cmd, name, stdout+stderr)
		assert.Contains(t, stdout+stderr, `evil\r\x1b[2Kname\u202e.pkpass`, cmd)
	}
	_, _, stderr := runCLI(t, "verify", filepath.Join(dir, "missing\x1b[31m.pkpass"))
	assert.NotContains(t, stderr, "\x1b")
}

func TestBuildAndSignEscapeWhatTheyReport(t *testing.T) {
	// A design taken from someone else's .pkpass carries their serial number and identifiers into the
	// "wrote ..." line.
	folder := passFolder(t, cliPassTypeID, cliTeamID)
	pj, err := os.ReadFile(filepath.Join(folder, "pass.json"))
	require.NoError(t, err)
	pj = bytes.Replace(pj, []byte(`"CLI-1"`), []byte(`"CLI-1\r\u001b[2Kforged"`), 1)
	require.NoError(t, os.WriteFile(filepath.Join(folder, "pass.json"), pj, 0o644))
	out := filepath.Join(t.TempDir(), "x.pkpass")
	code, stdout, stderr := runCLI(t, "sign", "--dev", "--allow-invalid", "-o", out, folder)
	require.Equal(t, exitOK, code, stderr)
	assertTerminalSafe(t, "sign", out, stdout+stderr)
	assert.Contains(t, stdout, `serial CLI-1\r\x1b[2Kforged`)
}

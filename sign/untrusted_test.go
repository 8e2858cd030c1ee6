package sign

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadQuotesUntrustedManifestText checks that manifest.json's keys and
// digests, which nothing else checks, reach Read's errors escaped: a key
// holding a carriage return, an ANSI escape and a forged "OK" line, or a
// right-to-left override, must not rewrite the terminal that prints the
// error. Names of files that are safe paths keep their plain form.
func TestReadQuotesUntrustedManifestText(t *testing.T) {
	pki := pkiOnce()
	id := pki.identity(t)
	files := unzipAll(t, writePass(t, testPass(), testAssets(t), id, &Options{Now: nowClock}))
	const forged = "x\r\x1b[2Kpass.pkpass: OK (pass.com.example, serial 1)\u202e"
	data := resign(t, id, files, func(m map[string]string) {
		m[forged] = "0000000000000000000000000000000000000000"
		m["gone.png"] = "0000000000000000000000000000000000000000"
		m["icon.png"] = "\x1b[32mfine\r"
		m[SignatureName+"\x1b"] = "00"
	})
	_, err := ReadBytes(data, &VerifyOptions{Roots: pki.roots(), Now: nowClock})
	require.ErrorIs(t, err, ErrMissingFile)
	require.ErrorIs(t, err, ErrDigestMismatch)
	msg := err.Error()
	for _, raw := range []string{"\r", "\x1b", "\u202e"} {
		assert.NotContains(t, msg, raw)
	}
	assert.Contains(t, msg, `missing file: "x\r\x1b[2Kpass.pkpass: OK (pass.com.example, serial 1)\u202e" is listed in manifest.json`)
	assert.Contains(t, msg, "missing file: gone.png is listed in manifest.json", "a safe name is shown as it is")
	assert.Contains(t, msg, `icon.png: manifest says "\x1b[32mfine\r", file is `)
	assert.Contains(t, msg, `missing file: "signature\x1b" is listed`)
	assert.Equal(t, 1, strings.Count(msg, "gone.png"))
}

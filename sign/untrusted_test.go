package sign

import (
	"fmt"
	"runtime"
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

// TestReadBoundsManifestEntries checks that a manifest.json listing more
// files than an archive may hold is refused with one error, before its keys
// are kept: a 3 MB .pkpass whose 16 MiB manifest lists 1,290,000 names cost
// verify 540 MB and 7 s (a map of every name, then one "missing file" error
// for each). Here 50,000 names.
func TestReadBoundsManifestEntries(t *testing.T) {
	pki := pkiOnce()
	id := pki.identity(t)
	files := unzipAll(t, writePass(t, testPass(), testAssets(t), id, &Options{Now: nowClock}))
	var m strings.Builder
	m.WriteString("{")
	for i := range 50_000 {
		fmt.Fprintf(&m, "%q:%q,", fmt.Sprintf("f%07d.png", i), "0000000000000000000000000000000000000000")
	}
	m.WriteString(`"x":""}`)
	data := rezip(t, mutate(files, ManifestName, func([]byte) []byte { return []byte(m.String()) }))

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	pkg, err := ReadBytes(data, &VerifyOptions{Roots: pki.roots(), Now: nowClock})
	runtime.ReadMemStats(&after)
	require.ErrorIs(t, err, ErrManifest)
	assert.Contains(t, err.Error(), "bad manifest.json: lists more than 500 files, at most the 500 an archive may hold")
	assert.NotErrorIs(t, err, ErrMissingFile, "no error per listed name")
	assert.Nil(t, pkg.Manifest)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<20), "bytes allocated by Read")

	// Up to the limit, the manifest is read as before: the missing names are listed.
	few := `{"a.png":"00","b.png":"00"}`
	data = rezip(t, mutate(files, ManifestName, func([]byte) []byte { return []byte(few) }))
	_, err = ReadBytes(data, &VerifyOptions{Roots: pki.roots(), Now: nowClock, MaxEntries: 20})
	require.ErrorIs(t, err, ErrMissingFile)
	assert.Contains(t, err.Error(), "missing file: a.png is listed in manifest.json")

	for bad, want := range map[string]string{
		`["a"]`:             "bad manifest.json: not a JSON object",
		`{"a.png":1}`:       "cannot unmarshal number",
		`{"a.png":"00"} {}`: "after the object",
		`{"a.png":"00"`:     "ends before its object closes",
		`{"a.png":"0`:       "unexpected EOF",
		``:                  "bad manifest.json: empty",
		` null`:             "bad manifest.json: not a JSON object",
	} {
		data = rezip(t, mutate(files, ManifestName, func([]byte) []byte { return []byte(bad) }))
		_, err = ReadBytes(data, &VerifyOptions{Roots: pki.roots(), Now: nowClock})
		require.ErrorIs(t, err, ErrManifest, bad)
		assert.Contains(t, err.Error(), want, bad)
	}
}

package sign

import (
	"archive/zip"
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unsafeNames are entry names that must be refused by the writer and the
// reader, with the reason the error must give.
var unsafeNames = []struct{ name, why string }{
	{"C:/x", "starts with a drive letter"},
	{"c:x.png", "starts with a drive letter"},
	{"fr.lproj/Z:/logo.png", "contains a colon"},
	{"icon\u202e.png", "contains the invisible format character U+202E"},
	{"gnp.\u202eicon.png", "contains the invisible format character U+202E"},
	{"logo\u200b.png", "contains the invisible format character U+200B"},
	{"\ufeffpass.json", "contains the invisible format character U+FEFF"},
	{"a\u2066b.png", "contains the invisible format character U+2066"},
	{"line\u2028break.png", "contains the separator U+2028"},
	{"c1\u0085.png", "contains a control character"},
	{"bad\xffname.png", "is not valid UTF-8 (byte 0xff at offset 3)"},
	{"trunc\xe2\x82.png", "is not valid UTF-8 (byte 0xe2 at offset 5)"},
	{"icon\u3164.png", "contains the invisible character U+3164"},
	{"fr.lproj /logo.png", "has an element that ends with white space"},
}

func TestCheckEntryNameRefuses(t *testing.T) {
	for _, tc := range unsafeNames {
		t.Run(tc.why, func(t *testing.T) {
			err := checkEntryName(tc.name)
			require.ErrorIs(t, err, ErrUnsafePath)
			assert.Contains(t, err.Error(), tc.why)
			_, err = PrepareEntry(tc.name, []byte("x"))
			require.ErrorIs(t, err, ErrUnsafePath, "the writer refuses it too")
			err = WriteBundle(&bytes.Buffer{}, []BundlePass{{Name: tc.name + ".pkpass", Data: []byte("x")}})
			require.ErrorIs(t, err, ErrUnsafePath, "and the bundle writer")
		})
	}
	for _, ok := range []string{"icon.png", "fr.lproj/pass.strings", "zh-Hans.lproj/logo@2x.png", "fr.lproj/côté.png", "ja.lproj/ロゴ.png"} {
		assert.NoError(t, checkEntryName(ok), ok)
	}
}

func TestReadRefusesUnsafeNames(t *testing.T) {
	pki := pkiOnce()
	good := writePass(t, testPass(), testAssets(t), pki.identity(t), &Options{Now: nowClock})
	files := unzipAll(t, good)
	for _, tc := range unsafeNames {
		t.Run(tc.why, func(t *testing.T) {
			data := rezip(t, append(append([]zipFile{}, files...), zipFile{tc.name, []byte("x"), zip.Store}))
			_, err := ReadBytes(data, &VerifyOptions{Roots: pki.roots()})
			require.ErrorIs(t, err, ErrUnsafePath)
			assert.Contains(t, err.Error(), tc.why)
		})
	}
}

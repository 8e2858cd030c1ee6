package zipwrite

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"io"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func deflate(t *testing.T, data []byte) []byte {
	var b bytes.Buffer
	fw, err := flate.NewWriter(&b, flate.DefaultCompression)
	require.NoError(t, err)
	_, err = fw.Write(data)
	require.NoError(t, err)
	require.NoError(t, fw.Close())
	return b.Bytes()
}

func TestWriter(t *testing.T) {
	text := bytes.Repeat([]byte("Punkte und Prämien. "), 40)
	var buf bytes.Buffer
	w := NewWriter(&buf)
	require.NoError(t, w.Raw("de.lproj/pass.strings", zip.Deflate, crc32.ChecksumIEEE(text), uint64(len(text)), deflate(t, text)))
	require.NoError(t, w.Stored("fr.lproj/côté.png", []byte("x")))
	require.NoError(t, w.Stored("icon.png", []byte("\x89PNG")))
	require.NoError(t, w.Close())

	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	want := [][]byte{text, []byte("x"), []byte("\x89PNG")}
	require.Len(t, zr.File, 3)
	for i, f := range zr.File {
		assert.Equal(t, time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC), f.Modified.UTC(), "a valid MS-DOS date")
		assert.Equal(t, "-rw-r--r--", f.Mode().String())
		assert.Equal(t, uint16(20), f.ReaderVersion)
		assert.Equal(t, uint16(3<<8|20), f.CreatorVersion)
		assert.Zero(t, f.Flags&0x8, "no data descriptor")
		rc, err := f.Open()
		require.NoError(t, err)
		got, err := io.ReadAll(rc)
		require.NoError(t, err, "CRC and sizes check out")
		assert.Equal(t, want[i], got)
	}
	assert.Zero(t, zr.File[0].Flags&flagUTF8)
	assert.Equal(t, uint16(flagUTF8), zr.File[1].Flags&flagUTF8)
	assert.False(t, zr.File[1].NonUTF8)

	var again bytes.Buffer
	w = NewWriter(&again)
	require.NoError(t, w.Raw("de.lproj/pass.strings", zip.Deflate, crc32.ChecksumIEEE(text), uint64(len(text)), deflate(t, text)))
	require.NoError(t, w.Stored("fr.lproj/côté.png", []byte("x")))
	require.NoError(t, w.Stored("icon.png", []byte("\x89PNG")))
	require.NoError(t, w.Close())
	assert.Equal(t, buf.Bytes(), again.Bytes(), "same entries, same bytes")
}

func TestWriterRefusesZip64(t *testing.T) {
	w := NewWriter(io.Discard)
	require.ErrorIs(t, w.Raw("big", zip.Deflate, 0, 1<<32, []byte("x")), ErrTooLarge)
}

type failAfter struct{ n int }

func (f *failAfter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriterErrors(t *testing.T) {
	for _, after := range []int{0, 10, 100} {
		w := NewWriter(&failAfter{n: after})
		err := w.Stored("a.txt", bytes.Repeat([]byte("x"), 5000))
		if err == nil {
			err = w.Close()
		}
		require.Error(t, err, "after %d bytes", after)
	}
}

func TestUnsafeName(t *testing.T) {
	for name, why := range map[string]string{
		"C:/x":                    "starts with a drive letter (an absolute Windows path)",
		"a/Z:/b":                  "contains a colon (a Windows drive or stream separator)",
		"icon\u202e.png":          "contains the invisible format character U+202E",
		"bad\xffname":             "is not valid UTF-8 (byte 0xff at offset 3); entry names must be UTF-8",
		"../x":                    "has an empty, '.' or '..' element",
		"c1\u0085":                "contains a control character",
		"":                        "is empty",
		"icon\u3164.png":          "contains the invisible character U+3164",
		"\u115f.png":              "contains the invisible character U+115F",
		"logo\u034f.png":          "contains the invisible character U+034F",
		"icon.png ":               "has an element that ends with white space",
		"fr.lproj/\u00a0logo.png": "has an element that starts with white space",
		" ":                       "has an element that starts with white space",
	} {
		assert.Equal(t, why, UnsafeName(name), "%q", name)
		err := NewWriter(io.Discard).Stored(name, []byte("x"))
		require.Error(t, err, "the writer refuses %q", name)
		assert.Contains(t, err.Error(), why)
	}
	for _, ok := range []string{"icon.png", "fr.lproj/côté.png", "ja.lproj/ロゴ@2x.png", "my logo.png", "ko.lproj/로고.png"} {
		assert.Empty(t, UnsafeName(ok), ok)
	}
}

// FuzzUnsafeName checks that every name UnsafeName accepts is a local,
// clean, UTF-8 path without control or invisible characters, and that the
// writer writes it so that archive/zip reads it back.
func FuzzUnsafeName(f *testing.F) {
	for _, s := range []string{"icon.png", "C:/x", "a/../b", "fr.lproj/côté.png", "x\u202e", "\xff", "a//b", "./a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if UnsafeName(name) != "" {
			return
		}
		if !utf8.ValidString(name) || !filepath.IsLocal(name) || path.Clean(name) != name || strings.ContainsAny(name, `\:`) {
			t.Fatalf("accepted %q", name)
		}
		for _, r := range name {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) {
				t.Fatalf("accepted %q holding %U", name, r)
			}
		}
		var buf bytes.Buffer
		w := NewWriter(&buf)
		if err := w.Stored(name, []byte("x")); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil || len(zr.File) != 1 || zr.File[0].Name != name {
			t.Fatalf("%q did not read back: %v", name, err)
		}
	})
}

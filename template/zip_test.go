package template

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/passforge/passforge/sign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// onlyWriter hides the *bytes.Buffer, so that writeZip takes its buffered
// path.
type onlyWriter struct{ w io.Writer }

func (o onlyWriter) Write(p []byte) (int, error) { return o.w.Write(p) }

type failingWriter struct{ after int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.after -= len(p); f.after < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriteZip(t *testing.T) {
	text := bytes.Repeat([]byte("Punkte und Prämien. "), 40)
	deflated, err := sign.PrepareEntry("de.lproj/pass.strings", text)
	require.NoError(t, err)
	require.Equal(t, zip.Deflate, deflated.Method)
	png := storedEntry("icon.png", []byte("\x89PNG\r\n\x1a\nnot really"))
	utf := storedEntry("fr.lproj/côté.png", []byte("x"))
	entries := []*sign.Entry{&deflated, &utf, &png}

	for name, w := range map[string]func(*bytes.Buffer) io.Writer{
		"buffer":   func(b *bytes.Buffer) io.Writer { return b },
		"buffered": func(b *bytes.Buffer) io.Writer { return onlyWriter{b} },
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, writeZip(w(&buf), entries))
			zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
			require.NoError(t, err)
			require.Len(t, zr.File, 3)
			want := [][]byte{text, []byte("x"), []byte("\x89PNG\r\n\x1a\nnot really")}
			for i, f := range zr.File {
				assert.Equal(t, entries[i].Name, f.Name)
				assert.Equal(t, "-rw-r--r--", f.Mode().String())
				assert.Equal(t, time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC), f.Modified.UTC())
				assert.False(t, f.NonUTF8)
				rc, err := f.Open()
				require.NoError(t, err)
				got, err := io.ReadAll(rc)
				require.NoError(t, err, "the CRC and sizes check out")
				assert.Equal(t, want[i], got)
			}
			assert.Equal(t, uint16(zipFlagUTF8), zr.File[1].Flags&zipFlagUTF8)
		})
	}
	t.Run("writer error", func(t *testing.T) {
		for _, after := range []int{0, 10, 40, 200} {
			err := writeZip(&failingWriter{after: after}, entries)
			require.Error(t, err)
		}
		tp := loadDesign(t)
		err := tp.Issue(&failingWriter{after: 100}, member("F-1", "a"), devID().Identity, nil)
		require.Error(t, err)
		assert.Contains(t, err.Error(), `template: pass "F-1": writing the archive: disk full`)
	})
}

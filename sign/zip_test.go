package sign

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// archiveTime is the modification time archive/zip reads for dosDate.
var archiveTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

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

// zipTestEntries are a deflated, a stored non-ASCII and a stored PNG entry.
func zipTestEntries(t *testing.T) ([]*Entry, [][]byte) {
	text := bytes.Repeat([]byte("Punkte und Prämien. "), 40)
	deflated, err := PrepareEntry("de.lproj/pass.strings", text)
	require.NoError(t, err)
	require.Equal(t, zip.Deflate, deflated.Method)
	png := prepare("icon.png", []byte("\x89PNG\r\n\x1a\nnot really"), true)
	utf := prepare("fr.lproj/côté.png", []byte("x"), true)
	return []*Entry{&deflated, &utf, &png}, [][]byte{text, []byte("x"), []byte("\x89PNG\r\n\x1a\nnot really")}
}

func TestWriteZip(t *testing.T) {
	entries, want := zipTestEntries(t)
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
			for i, f := range zr.File {
				assert.Equal(t, entries[i].Name, f.Name)
				assert.Equal(t, "-rw-r--r--", f.Mode().String())
				assert.Equal(t, archiveTime, f.Modified.UTC())
				assert.False(t, f.NonUTF8)
				rc, err := f.Open()
				require.NoError(t, err)
				got, err := io.ReadAll(rc)
				require.NoError(t, err, "the CRC and sizes check out")
				assert.Equal(t, want[i], got)
			}
			assert.Equal(t, uint16(0x800), zr.File[1].Flags&0x800, "UTF-8 flag")
		})
	}
	t.Run("writer error", func(t *testing.T) {
		for _, after := range []int{0, 10, 40, 200} {
			err := writeZip(&failingWriter{after: after}, entries)
			require.Error(t, err)
		}
	})
}

// TestWriteZipMatchesArchiveZip pins the bytes writeZip writes to what
// archive/zip's CreateRaw writes for headers spelled out here: version 2.0
// (which deflate needs per APPNOTE 4.4.3), the UTF-8 flag for non-ASCII
// names, mode 0644 and the date 1980-01-01. The golden .pkpass depends on
// them.
func TestWriteZipMatchesArchiveZip(t *testing.T) {
	entries, _ := zipTestEntries(t)
	var want bytes.Buffer
	zw := zip.NewWriter(&want)
	for _, e := range entries {
		fh := &zip.FileHeader{Name: e.Name, Method: e.Method, CRC32: e.CRC32, CompressedSize64: uint64(len(e.Data)),
			UncompressedSize64: e.Size, ReaderVersion: 20, CreatorVersion: 20}
		//lint:ignore SA1019 the test pins the raw DOS date writeZip writes, which only ModifiedDate sets exactly
		fh.ModifiedDate = dosDate
		if e.Name != strings.ToValidUTF8(e.Name, "") || strings.IndexFunc(e.Name, func(r rune) bool { return r >= 0x80 }) >= 0 {
			fh.Flags = 0x800
		}
		fh.SetMode(0o644)
		fw, err := zw.CreateRaw(fh)
		require.NoError(t, err)
		_, err = fw.Write(e.Data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	var got bytes.Buffer
	require.NoError(t, writeZip(&got, entries))
	assert.Equal(t, want.Bytes(), got.Bytes())
}

func TestWriteEntriesWriterError(t *testing.T) {
	id := pkiOnce().identity(t)
	pj, err := PrepareDynamicEntry(PassJSONName, []byte(`{"passTypeIdentifier":"`+testPassTypeID+`","teamIdentifier":"`+testTeamID+`"}`))
	require.NoError(t, err)
	s, err := NewSigner(id, nil)
	require.NoError(t, err)
	err = s.WriteEntries(&failingWriter{after: 100}, []Entry{pj}, time.Now())
	require.Error(t, err)
	assert.Equal(t, "sign: writing the archive: disk full", err.Error())
}

// BenchmarkWriteZip is the zip part of a pass alone: the store card's
// prepared files plus pass.json, manifest.json and signature sized entries,
// streamed to a buffer.
func BenchmarkWriteZip(b *testing.B) {
	static, pj := benchEntries(b)
	pe := prepare(PassJSONName, pj, true)
	me := prepare(ManifestName, bytes.Repeat([]byte("m"), 600), true)
	se := prepare(SignatureName, bytes.Repeat([]byte{0x30}, 3300), true)
	entries := []*Entry{&me, &pe, &se}
	for i := range static {
		entries = append(entries, &static[i])
	}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := writeZip(&buf, entries); err != nil {
			b.Fatal(err)
		}
	}
}

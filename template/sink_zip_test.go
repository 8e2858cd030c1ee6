package template

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"testing"
	"time"

	"github.com/passforge/passforge/sign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkZipHeaders checks the header conventions every zip passforge writes
// follows: a valid MS-DOS date (1980-01-01 00:00; ZipSink wrote 1980-00-00),
// mode 0644, version 2.0, no data descriptor, and the same bytes in the
// local header as in the central directory.
func checkZipHeaders(t *testing.T, data []byte, want map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	require.Len(t, zr.File, len(want))
	le := binary.LittleEndian
	for _, f := range zr.File {
		assert.Equal(t, uint16(1<<5|1), f.ModifiedDate, "%s: MS-DOS date 1980-01-01", f.Name)
		assert.Zero(t, f.ModifiedTime, f.Name)
		assert.Equal(t, time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC), f.Modified.UTC(), f.Name)
		assert.Equal(t, "-rw-r--r--", f.Mode().String(), f.Name)
		assert.Equal(t, uint16(20), f.ReaderVersion, f.Name)
		assert.Zero(t, f.Flags&0x8, "%s: no data descriptor", f.Name)
		off, err := f.DataOffset()
		require.NoError(t, err)
		local := data[off-int64(30+len(f.Name)) : off]
		assert.Equal(t, uint32(0x04034b50), le.Uint32(local), f.Name)
		assert.Equal(t, f.ModifiedDate, le.Uint16(local[12:]), "%s: local header date", f.Name)
		rc, err := f.Open()
		require.NoError(t, err)
		got, err := io.ReadAll(rc)
		require.NoError(t, err)
		assert.Equal(t, want[f.Name], got, f.Name)
	}
}

func TestZipSinkWritesValidDates(t *testing.T) {
	var buf bytes.Buffer
	s := NewZipSink(&buf)
	want := map[string][]byte{"a.pkpass": []byte("first pass"), "b.pkpass": []byte("second")}
	require.NoError(t, s.Put(context.Background(), "a.pkpass", want["a.pkpass"]))
	require.NoError(t, s.Put(context.Background(), "b.pkpass", want["b.pkpass"]))
	require.NoError(t, s.Close())
	checkZipHeaders(t, buf.Bytes(), want)
}

func TestBundleAndPassZipHeaders(t *testing.T) {
	var buf bytes.Buffer
	want := map[string][]byte{"a.pkpass": []byte("first pass")}
	require.NoError(t, sign.WriteBundle(&buf, []sign.BundlePass{{Name: "a.pkpass", Data: want["a.pkpass"]}}))
	checkZipHeaders(t, buf.Bytes(), want)
}

// TestZipSinkRefusesUnsafeNames checks that a zip of passes cannot carry a
// name that extracts to a Windows drive or shows as another name: serial
// numbers, which name the passes, often come from a CSV.
func TestZipSinkRefusesUnsafeNames(t *testing.T) {
	for _, name := range []string{"C:x.pkpass", "gnp\u202e.pkpass", "a\u200b.pkpass", "bad\xff.pkpass"} {
		var buf bytes.Buffer
		s := NewZipSink(&buf)
		err := s.Put(context.Background(), name, []byte("x"))
		require.Error(t, err, "%q", name)
		assert.Contains(t, err.Error(), "template: zip: ")
		require.NoError(t, s.Close())
		zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		require.NoError(t, err)
		assert.Empty(t, zr.File, "nothing written for %q", name)
	}
}

package sign

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingReaderAt records the bytes read and the lowest offset read.
type countingReaderAt struct {
	r      *bytes.Reader
	mu     sync.Mutex
	n      int64
	lowest int64
}

func newCountingReaderAt(b []byte) *countingReaderAt {
	return &countingReaderAt{r: bytes.NewReader(b), lowest: int64(len(b))}
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	c.mu.Lock()
	c.n += int64(len(p))
	c.lowest = min(c.lowest, off)
	c.mu.Unlock()
	return c.r.ReadAt(p, off)
}

// manyEntriesZip returns a zip of n one-byte entries.
func manyEntriesZip(t testing.TB, n int) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i := range n {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("f%07d.txt", i), Method: zip.Store})
		require.NoError(t, err)
		_, err = w.Write([]byte("x"))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return b.Bytes()
}

// eocd returns the offset of the end-of-central-directory record of data.
func eocd(t testing.TB, data []byte) int {
	i := bytes.LastIndex(data, []byte("PK\x05\x06"))
	require.GreaterOrEqual(t, i, 0)
	return i
}

// TestReadRefusesOnDeclaredCount checks that an archive declaring more
// entries than the limit is refused from its end record alone, without
// reading the central directory.
func TestReadRefusesOnDeclaredCount(t *testing.T) {
	data := manyEntriesZip(t, 2000)
	r := newCountingReaderAt(data)
	pkg, err := Read(r, int64(len(data)), nil)
	assert.Nil(t, pkg)
	require.ErrorIs(t, err, ErrLimit)
	require.ErrorIs(t, err, ErrArchive)
	assert.Contains(t, err.Error(), "declares 2000 entries, at most 500")
	end := int64(eocd(t, data))
	assert.GreaterOrEqual(t, r.lowest, end-65557, "only the tail holding the end record was read")
	assert.LessOrEqual(t, r.n, int64(66<<10))
}

// TestReadRefusesLyingDirectory checks archives whose end record
// understates the central directory: archive/zip reads headers until a bad
// one, whatever the record says.
func TestReadRefusesLyingDirectory(t *testing.T) {
	data := manyEntriesZip(t, 2000)
	end := eocd(t, data)
	le := binary.LittleEndian
	dirSize := le.Uint32(data[end+12:])

	lyingCount := bytes.Clone(data)
	le.PutUint16(lyingCount[end+8:], 5)
	le.PutUint16(lyingCount[end+10:], 5)
	_, err := ReadBytes(lyingCount, nil)
	require.ErrorIs(t, err, ErrArchive)
	assert.Contains(t, err.Error(), "central directory holds more than the 5 entries its end record declares")

	lyingSize := bytes.Clone(lyingCount)
	le.PutUint32(lyingSize[end+12:], 5*(46+12))
	_, err = ReadBytes(lyingSize, nil)
	require.ErrorIs(t, err, ErrArchive)
	assert.Contains(t, err.Error(), "central directory")

	huge := bytes.Clone(data)
	le.PutUint16(huge[end+8:], 400)
	le.PutUint16(huge[end+10:], 400)
	le.PutUint32(huge[end+12:], 0x7fffffff)
	_, err = ReadBytes(huge, nil)
	require.ErrorIs(t, err, ErrLimit)
	assert.Contains(t, err.Error(), "central directory of 2147483647 bytes")
	_ = dirSize
}

// zerosBomb returns a zip of n entries of size zero bytes each, deflated.
func zerosBomb(t testing.TB, n, size int) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	zeros := make([]byte, size)
	for i := range n {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("z%03d.txt", i), Method: zip.Deflate})
		require.NoError(t, err)
		_, err = w.Write(zeros)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return b.Bytes()
}

// TestReadRefusesManySmallBombs checks the total and the compression ratio
// across the whole archive: entries of 1 MiB of zeros each stay under the
// per-file threshold but not under the archive's.
func TestReadRefusesManySmallBombs(t *testing.T) {
	for _, tc := range []struct {
		entries int
		want    string
	}{
		{69, "files declare 72351744 bytes in total, at most 33554432"},
		{25, "a compression ratio over 100"},
	} {
		t.Run(fmt.Sprint(tc.entries), func(t *testing.T) {
			data := zerosBomb(t, tc.entries, 1<<20)
			require.Less(t, len(data), 100<<10)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := ReadBytes(data, nil)
			runtime.ReadMemStats(&after)
			require.ErrorIs(t, err, ErrLimit)
			assert.Contains(t, err.Error(), tc.want)
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20), "refused before expanding anything")
		})
	}
}

// rawEntry is one entry written with CreateRaw: its header says what the
// test wants, whatever the data.
type rawEntry struct {
	name         string
	method       uint16
	data         []byte // stored bytes (compressed for Deflate)
	crc          uint32
	usize, csize uint64
}

func rawZip(t testing.TB, entries ...rawEntry) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: e.name, Method: e.method, CRC32: e.crc,
			CompressedSize64: e.csize, UncompressedSize64: e.usize})
		require.NoError(t, err)
		_, err = w.Write(e.data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return b.Bytes()
}

func deflated(t testing.TB, data []byte) []byte {
	var b bytes.Buffer
	fw, err := flate.NewWriter(&b, flate.BestCompression)
	require.NoError(t, err)
	_, err = fw.Write(data)
	require.NoError(t, err)
	require.NoError(t, fw.Close())
	return b.Bytes()
}

// TestReadDeclaredSizeErrors checks that an entry whose header declares
// another size than its data expands to is named, with what is wrong.
func TestReadDeclaredSizeErrors(t *testing.T) {
	plain := bytes.Repeat([]byte("wallet "), 300)
	z := deflated(t, plain)
	sum := crc32.ChecksumIEEE(plain)
	for _, tc := range []struct {
		name  string
		entry rawEntry
		want  string
	}{
		{"declares fewer bytes", rawEntry{"strip.txt", zip.Deflate, z, sum, 10, uint64(len(z))},
			`"strip.txt" expands to more than the 10 bytes its header declares: its declared size is wrong`},
		{"declares more bytes", rawEntry{"strip.txt", zip.Deflate, z, sum, uint64(len(plain)) + 5, uint64(len(z))},
			fmt.Sprintf(`"strip.txt" expands to %d bytes, its header declares %d: its declared size is wrong`, len(plain), len(plain)+5)},
		{"stored sizes differ", rawEntry{"a.txt", zip.Store, plain, sum, uint64(len(plain)) - 1, uint64(len(plain))},
			fmt.Sprintf(`"a.txt" is stored but declares %d bytes compressed and %d uncompressed`, len(plain), len(plain)-1)},
		{"bad CRC", rawEntry{"a.txt", zip.Store, plain, sum ^ 1, uint64(len(plain)), uint64(len(plain))},
			`"a.txt": CRC-32 mismatch`},
		{"truncated deflate", rawEntry{"a.txt", zip.Deflate, z[:len(z)/2], sum, uint64(len(plain)), uint64(len(z) / 2)},
			`"a.txt": compressed data ends early`},
		{"unknown method", rawEntry{"a.txt", 12, plain, sum, uint64(len(plain)), uint64(len(plain))},
			`"a.txt": compression method 12 is not supported`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadBytes(rawZip(t, tc.entry), nil)
			require.ErrorIs(t, err, ErrArchive)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "not a valid zip file")
		})
	}
}

// FuzzOpenZip checks the strict zip reader against archive/zip: it never
// panics, and whatever it reads, archive/zip reads the same way.
func FuzzOpenZip(f *testing.F) {
	f.Add(manyEntriesZip(f, 3))
	f.Add(zerosBomb(f, 2, 3000))
	f.Add(rawZip(f, rawEntry{"a.txt", zip.Store, []byte("abc"), crc32.ChecksumIEEE([]byte("abc")), 3, 3}))
	var z64 bytes.Buffer
	zw := zip.NewWriter(&z64)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "big.txt", Method: zip.Deflate, UncompressedSize64: 1 << 33})
	_, _ = w.Write([]byte("abc"))
	_ = zw.Close()
	f.Add(z64.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		z, err := openZip(bytes.NewReader(data), int64(len(data)), 50)
		if err != nil {
			return
		}
		zr, zerr := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if zerr != nil {
			t.Fatalf("openZip accepted what archive/zip refuses (%v)", zerr)
		}
		if len(zr.File) != len(z.entries) {
			t.Fatalf("openZip read %d entries, archive/zip %d", len(z.entries), len(zr.File))
		}
		for i := range z.entries {
			e := &z.entries[i]
			if e.name != zr.File[i].Name {
				t.Fatalf("entry %d: %q, archive/zip %q", i, e.name, zr.File[i].Name)
			}
			if e.usize > 1<<20 {
				continue
			}
			got, err := z.read(e)
			if err != nil {
				continue
			}
			rc, err := zr.File[i].Open()
			if err != nil {
				t.Fatalf("entry %q: read by openZip, archive/zip cannot open it: %v", e.name, err)
			}
			want, err := io.ReadAll(io.LimitReader(rc, 2<<20))
			if err != nil {
				t.Fatalf("entry %q: read by openZip, archive/zip fails: %v", e.name, err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("entry %q: openZip and archive/zip read different bytes", e.name)
			}
		}
	})
}

// TestReadZipToolArchives checks that the strict reader reads what Info-ZIP
// writes, to a file (extra fields) and to a pipe (data descriptors), with a
// folder entry: a .pkpass rezipped by hand must still verify.
func TestReadZipToolArchives(t *testing.T) {
	zipCmd, err := exec.LookPath("zip")
	if err != nil {
		t.Skip("the zip command is not installed; FuzzOpenZip compares the reader with archive/zip instead")
	}
	pki := pkiOnce()
	good := writePass(t, testPass(), testAssets(t), pki.identity(t), &Options{Now: nowClock})
	dir := t.TempDir()
	var names []string
	for _, f := range unzipAll(t, good) {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(f.name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, f.name), f.data, 0o644))
		names = append(names, f.name)
	}
	for name, args := range map[string][]string{
		"file": {"-q", "-r", filepath.Join(t.TempDir(), "out.zip"), "."},
		"pipe": {"-q", "-r", "-", "."},
	} {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(zipCmd, args...)
			cmd.Dir = dir
			out, err := cmd.Output()
			require.NoError(t, err)
			if name == "file" {
				out, err = os.ReadFile(args[2])
				require.NoError(t, err)
			}
			pkg, err := ReadBytes(out, &VerifyOptions{Roots: pki.roots(), Now: nowClock})
			require.NoError(t, err)
			assert.ElementsMatch(t, names, pkg.Files)
		})
	}
}

// TestReadBoundsHeldBytes checks that the bytes Read holds are bounded by
// the default total well under the 64 MB a verify, inspect or lint may
// spend: files that compress badly pass the ratio check, so only the total
// bounds them.
func TestReadBoundsHeldBytes(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	chunk := fixedBytes(7, 12<<20)
	for i := range 3 {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("strip%d.png", i), Method: zip.Store})
		require.NoError(t, err)
		_, err = w.Write(chunk)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := ReadBytes(b.Bytes(), nil)
	runtime.ReadMemStats(&after)
	require.ErrorIs(t, err, ErrLimit)
	assert.Contains(t, err.Error(), fmt.Sprintf("files declare %d bytes in total, at most %d", 3*len(chunk), DefaultMaxTotalSize))
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20))
	assert.LessOrEqual(t, DefaultMaxTotalSize, 32<<20)
}

// TestWriteRefusesWhatReadRefuses checks that the writer does not sign an
// archive whose files exceed the total Read accepts by default.
func TestWriteRefusesWhatReadRefuses(t *testing.T) {
	id := pkiOnce().identity(t)
	pj, err := PrepareDynamicEntry(PassJSONName, []byte(`{"passTypeIdentifier":"`+testPassTypeID+`","teamIdentifier":"`+testTeamID+`"}`))
	require.NoError(t, err)
	entries := []Entry{pj}
	chunk := make([]byte, 12<<20)
	for i := range 3 {
		e, err := PrepareEntry(fmt.Sprintf("strip%d.png", i), chunk)
		require.NoError(t, err)
		entries = append(entries, e)
	}
	var out bytes.Buffer
	err = WriteEntries(&out, entries, id, &Options{Now: nowClock})
	require.ErrorIs(t, err, ErrLimit)
	assert.Contains(t, err.Error(), "over the 33554432 bytes Read accepts")
	assert.Zero(t, out.Len())
}

// toZip64 rewrites a small zip's end as a zip64 one: a zip64 end record and
// its locator, and an end record whose fields say "see zip64". count, if
// not negative, replaces the entry count the zip64 record declares.
func toZip64(t testing.TB, data []byte, count int64) []byte {
	end := eocd(t, data)
	le := binary.LittleEndian
	n := uint64(le.Uint16(data[end+10:]))
	if count >= 0 {
		n = uint64(count)
	}
	dirSize, dirOffset := le.Uint32(data[end+12:]), le.Uint32(data[end+16:])
	out := bytes.Clone(data[:end])
	at := uint64(len(out))
	out = le.AppendUint32(out, zip64EndSig)
	out = le.AppendUint64(out, zip64EndLen-12)
	out = le.AppendUint16(out, 45)
	out = le.AppendUint16(out, 45)
	out = le.AppendUint32(out, 0)
	out = le.AppendUint32(out, 0)
	out = le.AppendUint64(out, n)
	out = le.AppendUint64(out, n)
	out = le.AppendUint64(out, uint64(dirSize))
	out = le.AppendUint64(out, uint64(dirOffset))
	out = le.AppendUint32(out, zip64LocatorSig)
	out = le.AppendUint32(out, 0)
	out = le.AppendUint64(out, at)
	out = le.AppendUint32(out, 1)
	out = le.AppendUint32(out, zipEndSig)
	out = le.AppendUint16(out, 0)
	out = le.AppendUint16(out, 0)
	out = le.AppendUint16(out, 0xffff)
	out = le.AppendUint16(out, 0xffff)
	out = le.AppendUint32(out, 0xffffffff)
	out = le.AppendUint32(out, 0xffffffff)
	out = le.AppendUint16(out, 0)
	return out
}

func TestOpenZip64(t *testing.T) {
	data := toZip64(t, manyEntriesZip(t, 3), -1)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err, "archive/zip reads the rewritten archive")
	require.Len(t, zr.File, 3)
	z, err := openZip(bytes.NewReader(data), int64(len(data)), 10)
	require.NoError(t, err)
	require.Len(t, z.entries, 3)
	got, err := z.read(&z.entries[2])
	require.NoError(t, err)
	assert.Equal(t, "x", string(got))
	assert.Equal(t, "f0000002.txt", z.entries[2].name)

	million := toZip64(t, manyEntriesZip(t, 3), 1_000_000)
	r := newCountingReaderAt(million)
	_, err = openZip(r, int64(len(million)), 500)
	require.ErrorIs(t, err, ErrLimit)
	assert.Contains(t, err.Error(), "declares 1000000 entries, at most 500")
}

// TestReadDeclaredTotalDoesNotWrap checks the sum of declared sizes against
// wrapping: four zip64 entries declaring 2^62 bytes each add up to 2^64,
// which is 0 in a uint64, and so passed the total and ratio checks. With a
// per-file limit raised past them, Read then tried to allocate 2^62 bytes.
func TestReadDeclaredTotalDoesNotWrap(t *testing.T) {
	z := deflated(t, []byte("x"))
	var entries []rawEntry
	for i := range 4 {
		entries = append(entries, rawEntry{fmt.Sprintf("f%d.png", i), zip.Deflate, z, crc32.ChecksumIEEE([]byte("x")), 1 << 62, uint64(len(z))})
	}
	data := rawZip(t, entries...)
	var pkg *Package
	var err error
	require.NotPanics(t, func() { pkg, err = ReadBytes(data, &VerifyOptions{MaxFileSize: 1 << 62}) })
	require.ErrorIs(t, err, ErrLimit)
	assert.Contains(t, err.Error(), "in total, at most 33554432")
	require.NotNil(t, pkg)
	assert.Empty(t, pkg.Files)
}

// TestOverRatio checks the ratio test without the product wrapping around:
// a limit raised near math.MaxInt64 allows any ratio.
func TestOverRatio(t *testing.T) {
	assert.True(t, overRatio(101, 1, 100))
	assert.False(t, overRatio(100, 1, 100))
	assert.False(t, overRatio(1<<62, 4, 1<<62+1), "(2^62+1)*4 wraps to 4 in a uint64")
	assert.False(t, overRatio(1<<62, 5, math.MaxInt64))
	assert.True(t, overRatio(1<<62, 0, math.MaxInt64), "nothing compressed expands to something")
}

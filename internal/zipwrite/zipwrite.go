package zipwrite

import (
	"archive/zip"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"unicode/utf8"
)

// DOSDate is the MS-DOS date of every entry: 1980-01-01, the MS-DOS epoch
// (year-1980 in bits 9-15, month in bits 5-8, day in bits 0-4). A zero date
// would say 1980-00-00, which is not a date.
const DOSDate = 0<<9 | 1<<5 | 1

// Fields of every header.
const (
	version20   = 20    // version needed to extract: 2.0, which deflate needs (APPNOTE 4.4.3)
	creatorUnix = 3     // made on Unix, so the mode below is read
	flagUTF8    = 0x800 // the name is UTF-8
	fileMode    = 0o644 // rw-r--r--
	maxUint32   = 1<<32 - 1
)

// ErrTooLarge is returned for an entry or archive that would need zip64
// records: passes and their files are far smaller than 4 GiB.
var ErrTooLarge = errors.New("zipwrite: entry or archive larger than 4 GiB")

// Writer writes a zip archive to an io.Writer, entry by entry.
type Writer struct {
	zw      *zip.Writer
	cw      countWriter
	entries int
}

// NewWriter returns a Writer writing to w. Close finishes the archive; it
// does not close w.
func NewWriter(w io.Writer) *Writer {
	zw := &Writer{cw: countWriter{w: w}}
	zw.zw = zip.NewWriter(&zw.cw)
	return zw
}

// Raw adds the entry name whose data is already encoded with method
// (zip.Store or zip.Deflate), of size bytes and CRC-32 crc uncompressed. It
// refuses a name UnsafeName refuses: no zip passforge writes can hold one.
func (w *Writer) Raw(name string, method uint16, crc uint32, size uint64, data []byte) error {
	if why := UnsafeName(name); why != "" {
		return fmt.Errorf("zipwrite: %q %s", name, why)
	}
	if size > maxUint32 || uint64(len(data)) > maxUint32 || w.cw.n > maxUint32 || w.entries >= 0xffff {
		return ErrTooLarge
	}
	fh := &zip.FileHeader{
		Name:               name,
		Method:             method,
		CRC32:              crc,
		CompressedSize64:   uint64(len(data)),
		UncompressedSize64: size,
		ReaderVersion:      version20,
		CreatorVersion:     creatorUnix<<8 | version20,
		ExternalAttrs:      (0o100000 | fileMode) << 16, // a regular file
	}
	//lint:ignore SA1019 the MS-DOS fields are the only way to a fixed date without an extra field; CreateRaw ignores Modified
	fh.ModifiedDate = DOSDate
	for i := 0; i < len(name); i++ {
		if name[i] >= utf8.RuneSelf { // valid UTF-8: UnsafeName checked
			fh.Flags = flagUTF8
			break
		}
	}
	fw, err := w.zw.CreateRaw(fh)
	if err != nil {
		return fmt.Errorf("zipwrite: %s: %w", name, err)
	}
	if _, err := fw.Write(data); err != nil {
		return err
	}
	w.entries++
	return nil
}

// Stored adds data, stored (not compressed), as the entry name.
func (w *Writer) Stored(name string, data []byte) error {
	return w.Raw(name, zip.Store, crc32.ChecksumIEEE(data), uint64(len(data)), data)
}

// Close writes the central directory and flushes the archive.
func (w *Writer) Close() error {
	if w.cw.n > maxUint32 {
		return ErrTooLarge
	}
	return w.zw.Close()
}

// countWriter counts the bytes written, so that Raw refuses offsets zip64
// would be needed for.
type countWriter struct {
	w io.Writer
	n uint64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += uint64(n)
	return n, err
}

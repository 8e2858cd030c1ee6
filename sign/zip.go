package sign

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"sync"
	"unicode/utf8"
)

// A minimal zip writer for prepared entries: local headers, the prepared
// bytes as they are, the central directory, the same bytes archive/zip's
// CreateRaw writes for these headers (the golden file checks it).
// archive/zip's Writer costs a bufio.Writer, a header and a directory record
// allocation per entry and a copy of every header through its buffer; per
// pass that is measurable next to the copy of the static files. Entries are
// at most 4 GiB (pass assets are far smaller), so no zip64 records are
// needed.

const (
	zipLocalHeaderLen   = 30
	zipCentralHeaderLen = 46
	zipEndLen           = 22
	zipVersion20        = 20
	zipCreatorUnix      = 3
	zipFlagUTF8         = 0x800
	zipFileMode         = 0o100644 // a regular file, rw-r--r--
)

var errZipTooLarge = errors.New("zip entry or archive larger than 4 GiB")

var zipBufioPool = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 64<<10) }}

// writeZip writes entries, in the order given, as a zip archive to w, every
// entry dated 1980-01-01 with mode 0644.
func writeZip(w io.Writer, entries []*Entry) error {
	if _, ok := w.(*bytes.Buffer); !ok {
		bw := zipBufioPool.Get().(*bufio.Writer)
		bw.Reset(w)
		defer func() {
			bw.Reset(nil)
			zipBufioPool.Put(bw)
		}()
		if err := writeZipEntries(bw, entries); err != nil {
			return err
		}
		return bw.Flush()
	}
	return writeZipEntries(w, entries)
}

// writeZipEntries is writeZip to a buffered writer.
func writeZipEntries(w io.Writer, entries []*Entry) error {
	dirLen := 0
	for _, e := range entries {
		dirLen += zipCentralHeaderLen + len(e.Name)
	}
	dir := make([]byte, 0, dirLen+zipEndLen)
	var hdr [zipLocalHeaderLen]byte
	var off uint64
	for _, e := range entries {
		if uint64(len(e.Data)) > math.MaxUint32 || e.Size > math.MaxUint32 || off > math.MaxUint32 || len(e.Name) > math.MaxUint16 {
			return errZipTooLarge
		}
		var flags uint16
		if !isASCII(e.Name) && utf8.ValidString(e.Name) {
			flags = zipFlagUTF8
		}
		le := binary.LittleEndian
		b := hdr[:]
		le.PutUint32(b[0:], 0x04034b50)
		le.PutUint16(b[4:], zipVersion20)
		le.PutUint16(b[6:], flags)
		le.PutUint16(b[8:], e.Method)
		le.PutUint16(b[10:], 0) // time 00:00
		le.PutUint16(b[12:], dosDate)
		le.PutUint32(b[14:], e.CRC32)
		le.PutUint32(b[18:], uint32(len(e.Data)))
		le.PutUint32(b[22:], uint32(e.Size))
		le.PutUint16(b[26:], uint16(len(e.Name)))
		le.PutUint16(b[28:], 0)
		if _, err := w.Write(b); err != nil {
			return err
		}
		if _, err := io.WriteString(w, e.Name); err != nil {
			return err
		}
		if _, err := w.Write(e.Data); err != nil {
			return err
		}

		dir = le.AppendUint32(dir, 0x02014b50)
		dir = le.AppendUint16(dir, zipCreatorUnix<<8|zipVersion20)
		dir = le.AppendUint16(dir, zipVersion20)
		dir = le.AppendUint16(dir, flags)
		dir = le.AppendUint16(dir, e.Method)
		dir = le.AppendUint16(dir, 0)
		dir = le.AppendUint16(dir, dosDate)
		dir = le.AppendUint32(dir, e.CRC32)
		dir = le.AppendUint32(dir, uint32(len(e.Data)))
		dir = le.AppendUint32(dir, uint32(e.Size))
		dir = le.AppendUint16(dir, uint16(len(e.Name)))
		dir = le.AppendUint16(dir, 0) // extra
		dir = le.AppendUint16(dir, 0) // comment
		dir = le.AppendUint16(dir, 0) // disk
		dir = le.AppendUint16(dir, 0) // internal attributes
		dir = le.AppendUint32(dir, zipFileMode<<16)
		dir = le.AppendUint32(dir, uint32(off))
		dir = append(dir, e.Name...)
		off += zipLocalHeaderLen + uint64(len(e.Name)) + uint64(len(e.Data))
	}
	if off > math.MaxUint32 || len(entries) > math.MaxUint16 {
		return errZipTooLarge
	}
	le := binary.LittleEndian
	dir = le.AppendUint32(dir, 0x06054b50)
	dir = le.AppendUint16(dir, 0)
	dir = le.AppendUint16(dir, 0)
	dir = le.AppendUint16(dir, uint16(len(entries)))
	dir = le.AppendUint16(dir, uint16(len(entries)))
	dir = le.AppendUint32(dir, uint32(dirLen))
	dir = le.AppendUint32(dir, uint32(off))
	dir = le.AppendUint16(dir, 0)
	_, err := w.Write(dir)
	return err
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

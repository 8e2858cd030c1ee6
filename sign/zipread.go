package sign

import (
	"bufio"
	"cmp"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
	"sync"
)

// A strict zip reader for untrusted archives, with memory bounded before
// anything is parsed. archive/zip reads every central directory header it
// finds, whatever the end record declares, before a caller can count them:
// a 102 MB archive of 1,000,000 entries cost 225 MB and 4 s before Read
// refused it. openZip reads the end record (and the zip64 one) first,
// refuses on the declared entry count and directory size, then parses
// exactly the declared entries in exactly the declared bytes. It also
// refuses what archive/zip tolerates and an attacker uses: entries that
// overlap (one compressed stream counted many times), local headers that
// disagree with the central directory, encrypted entries, spanned archives,
// and methods other than store and deflate (the two Wallet reads).

// Sizes and signatures of the zip records openZip reads (APPNOTE 4.3).
const (
	zipEndSig          = 0x06054b50
	zip64EndSig        = 0x06064b50
	zip64LocatorSig    = 0x07064b50
	zipCentralSig      = 0x02014b50
	zipLocalSig        = 0x04034b50
	zipDescriptorSig   = 0x08074b50
	zip64LocatorLen    = 20
	zip64EndLen        = 56
	zipMaxCommentLen   = 0xffff
	zipFlagEncrypted   = 0x1
	zipFlagDescriptor  = 0x8
	zipMethodStore     = 0
	zipMethodDeflate   = 8
	zip64ExtraID       = 0x0001
	zipDirBytesPerFile = zipCentralHeaderLen + 255 + 1024 // a header, a 255-byte name, extra fields and comment
)

// zipEntry is one file of an archive read by openZip.
type zipEntry struct {
	name         string
	method       uint16
	flags        uint16
	crc32        uint32
	csize, usize uint64
	offset       int64 // of the local header
	dataOffset   int64 // of the stored bytes
	end          int64 // after the stored bytes and the data descriptor
}

// zipArchive is an archive whose directory openZip read and checked.
type zipArchive struct {
	r       io.ReaderAt
	entries []zipEntry
}

// zipLimitError marks the errors of openZip that are limits, not format
// errors, so that the caller reports them with ErrLimit.
type zipLimitError struct{ msg string }

func (e *zipLimitError) Error() string { return e.msg }

// Is makes errors.Is(err, ErrLimit) true.
func (e *zipLimitError) Is(target error) bool { return target == ErrLimit }

// openZip reads the directory of the zip archive of size bytes in r. It
// refuses archives declaring more than maxEntries entries or a central
// directory larger than maxEntries*zipDirBytesPerFile bytes before reading
// the directory, so that its memory is bounded by maxEntries.
func openZip(r io.ReaderAt, size int64, maxEntries int) (*zipArchive, error) {
	le := binary.LittleEndian
	// The end record is the last 22 bytes plus a comment of up to 64 KiB.
	tailLen := min(size, zipEndLen+zipMaxCommentLen)
	if size < zipEndLen {
		return nil, errors.New("not a zip file: too short for an end-of-central-directory record")
	}
	tail := make([]byte, tailLen)
	if _, err := r.ReadAt(tail, size-tailLen); err != nil && err != io.EOF {
		return nil, fmt.Errorf("reading the archive: %w", err)
	}
	endAt := -1
	for i := len(tail) - zipEndLen; i >= 0; i-- {
		if le.Uint32(tail[i:]) == zipEndSig && i+zipEndLen+int(le.Uint16(tail[i+20:])) <= len(tail) {
			endAt = i
			break
		}
	}
	if endAt < 0 {
		return nil, errors.New("not a zip file: no end-of-central-directory record")
	}
	end := tail[endAt:]
	endOffset := size - tailLen + int64(endAt)
	disk, dirDisk := le.Uint16(end[4:]), le.Uint16(end[6:])
	count, total := uint64(le.Uint16(end[8:])), uint64(le.Uint16(end[10:]))
	dirSize, dirOffset := uint64(le.Uint32(end[12:])), uint64(le.Uint32(end[16:]))
	dirEnd := endOffset // the central directory ends where the next record starts
	if count == 0xffff || total == 0xffff || dirSize == 0xffffffff || dirOffset == 0xffffffff {
		if endOffset < zip64LocatorLen+zip64EndLen {
			return nil, errors.New("zip64 end-of-central-directory locator missing")
		}
		var loc [zip64LocatorLen]byte
		if _, err := r.ReadAt(loc[:], endOffset-zip64LocatorLen); err != nil {
			return nil, fmt.Errorf("reading the zip64 locator: %w", err)
		}
		if le.Uint32(loc[:]) != zip64LocatorSig {
			return nil, errors.New("zip64 end-of-central-directory locator missing")
		}
		at := le.Uint64(loc[8:])
		if at > uint64(endOffset-zip64LocatorLen-zip64EndLen) {
			return nil, fmt.Errorf("zip64 end record offset %d outside the archive", at)
		}
		var rec [zip64EndLen]byte
		if _, err := r.ReadAt(rec[:], int64(at)); err != nil {
			return nil, fmt.Errorf("reading the zip64 end record: %w", err)
		}
		if le.Uint32(rec[:]) != zip64EndSig {
			return nil, errors.New("zip64 end record missing where its locator points")
		}
		disk, dirDisk = uint16(min(le.Uint32(rec[16:]), 0xffff)), uint16(min(le.Uint32(rec[20:]), 0xffff))
		count, total = le.Uint64(rec[24:]), le.Uint64(rec[32:])
		dirSize, dirOffset = le.Uint64(rec[40:]), le.Uint64(rec[48:])
		dirEnd = int64(at)
	}
	if disk != 0 || dirDisk != 0 || count != total {
		return nil, errors.New("the archive spans several disks")
	}
	if count > uint64(maxEntries) {
		return nil, &zipLimitError{fmt.Sprintf("%v: the archive declares %d entries, at most %d", ErrLimit, total, maxEntries)}
	}
	if maxDir := uint64(min(maxEntries, 1<<40)) * zipDirBytesPerFile; dirSize > maxDir {
		return nil, &zipLimitError{fmt.Sprintf("%v: central directory of %d bytes, at most %d for %d entries", ErrLimit, dirSize, maxDir, maxEntries)}
	}
	if dirSize > uint64(dirEnd) || dirSize < count*zipCentralHeaderLen {
		return nil, fmt.Errorf("central directory of %d bytes cannot hold the %d entries its end record declares", dirSize, count)
	}
	dirStart := dirEnd - int64(dirSize)
	if dirOffset != uint64(dirStart) {
		return nil, fmt.Errorf("central directory is at offset %d, its end record says %d", dirStart, dirOffset)
	}

	dir := make([]byte, dirSize)
	if _, err := r.ReadAt(dir, dirStart); err != nil {
		return nil, fmt.Errorf("reading the central directory: %w", err)
	}
	z := &zipArchive{r: r, entries: make([]zipEntry, 0, count)}
	p := dir
	for i := uint64(0); i < count; i++ {
		if len(p) < zipCentralHeaderLen || le.Uint32(p) != zipCentralSig {
			return nil, fmt.Errorf("central directory ends before the %d entries its end record declares", count)
		}
		e := zipEntry{
			flags:  le.Uint16(p[8:]),
			method: le.Uint16(p[10:]),
			crc32:  le.Uint32(p[16:]),
			csize:  uint64(le.Uint32(p[20:])),
			usize:  uint64(le.Uint32(p[24:])),
			offset: int64(le.Uint32(p[42:])),
		}
		n, m, k := int(le.Uint16(p[28:])), int(le.Uint16(p[30:])), int(le.Uint16(p[32:]))
		if len(p) < zipCentralHeaderLen+n+m+k {
			return nil, fmt.Errorf("central directory ends before the %d entries its end record declares", count)
		}
		e.name = string(p[zipCentralHeaderLen : zipCentralHeaderLen+n])
		if err := e.zip64(p[zipCentralHeaderLen+n : zipCentralHeaderLen+n+m]); err != nil {
			return nil, err
		}
		p = p[zipCentralHeaderLen+n+m+k:]
		z.entries = append(z.entries, e)
	}
	if len(p) > 0 {
		return nil, fmt.Errorf("central directory holds more than the %d entries its end record declares", count)
	}
	if err := z.checkLocal(dirStart); err != nil {
		return nil, err
	}
	return z, nil
}

// zip64 reads the sizes and offset the zip64 extra field holds in place of
// the 32-bit fields set to 0xffffffff.
func (e *zipEntry) zip64(extra []byte) error {
	if e.usize != 0xffffffff && e.csize != 0xffffffff && e.offset != 0xffffffff {
		return nil
	}
	le := binary.LittleEndian
	for len(extra) >= 4 {
		id, n := le.Uint16(extra), int(le.Uint16(extra[2:]))
		if len(extra) < 4+n {
			break
		}
		if id == zip64ExtraID {
			f := extra[4 : 4+n]
			next := func(v *uint64) bool {
				if len(f) < 8 {
					return false
				}
				*v, f = le.Uint64(f), f[8:]
				return true
			}
			ok := true
			if e.usize == 0xffffffff {
				ok = ok && next(&e.usize)
			}
			if e.csize == 0xffffffff {
				ok = ok && next(&e.csize)
			}
			if e.offset == 0xffffffff {
				var off uint64
				ok = ok && next(&off)
				if off > 1<<62 {
					ok = false
				}
				e.offset = int64(off)
			}
			if !ok {
				return fmt.Errorf("entry %q: zip64 extra field too short", e.name)
			}
			return nil
		}
		extra = extra[4+n:]
	}
	return fmt.Errorf("entry %q: zip64 sizes without a zip64 extra field", e.name)
}

// checkLocal checks every entry's method, flags and sizes, reads its local
// header, and checks that the entries lie one after the other before the
// central directory at dirStart, without overlapping.
func (z *zipArchive) checkLocal(dirStart int64) error {
	le := binary.LittleEndian
	var hdr [zipLocalHeaderLen]byte
	for i := range z.entries {
		e := &z.entries[i]
		switch {
		case e.flags&zipFlagEncrypted != 0:
			return fmt.Errorf("entry %q is encrypted", e.name)
		case e.method != zipMethodStore && e.method != zipMethodDeflate:
			return fmt.Errorf("entry %q: compression method %d is not supported (Wallet reads stored and deflated entries)", e.name, e.method)
		case e.method == zipMethodStore && e.csize != e.usize:
			return fmt.Errorf("entry %q is stored but declares %d bytes compressed and %d uncompressed: its declared size is wrong", e.name, e.csize, e.usize)
		case e.offset > dirStart-zipLocalHeaderLen:
			return fmt.Errorf("entry %q: local header offset %d outside the archive", e.name, e.offset)
		}
		if _, err := z.r.ReadAt(hdr[:], e.offset); err != nil {
			return fmt.Errorf("entry %q: reading its local header: %w", e.name, err)
		}
		if le.Uint32(hdr[:]) != zipLocalSig {
			return fmt.Errorf("entry %q: no local header at offset %d", e.name, e.offset)
		}
		n, m := int64(le.Uint16(hdr[26:])), int64(le.Uint16(hdr[28:]))
		e.dataOffset = e.offset + zipLocalHeaderLen + n + m
		if e.dataOffset > dirStart || e.csize > uint64(dirStart-e.dataOffset) {
			return fmt.Errorf("entry %q: %d compressed bytes at offset %d run past the central directory", e.name, e.csize, e.dataOffset)
		}
		if n != int64(len(e.name)) {
			return fmt.Errorf("entry %q: its local header names another file", e.name)
		}
		name := make([]byte, n)
		if _, err := z.r.ReadAt(name, e.offset+zipLocalHeaderLen); err != nil {
			return fmt.Errorf("entry %q: reading its local header: %w", e.name, err)
		}
		if string(name) != e.name {
			return fmt.Errorf("entry %q: its local header names another file (%q)", e.name, name)
		}
		lmethod, lcrc := le.Uint16(hdr[8:]), le.Uint32(hdr[14:])
		lcsize, lusize := le.Uint32(hdr[18:]), le.Uint32(hdr[22:])
		if lmethod != e.method {
			return fmt.Errorf("entry %q: its local header says compression method %d, the central directory %d", e.name, lmethod, e.method)
		}
		lflags := le.Uint16(hdr[6:])
		if lflags&zipFlagDescriptor != e.flags&zipFlagDescriptor {
			return fmt.Errorf("entry %q: its local header and the central directory disagree on a data descriptor", e.name)
		}
		e.end = e.dataOffset + int64(e.csize)
		if e.flags&zipFlagDescriptor == 0 {
			if lcsize != 0xffffffff && lusize != 0xffffffff &&
				(lcrc != e.crc32 || uint64(lcsize) != e.csize || uint64(lusize) != e.usize) {
				return fmt.Errorf("entry %q: its local header declares other sizes or CRC-32 than the central directory", e.name)
			}
			continue
		}
		// The data descriptor after the data: an optional signature, then
		// the CRC-32 (and sizes, 32 or 64 bits, which readers ignore).
		var dd [16]byte
		ddLen := min(int64(len(dd)), dirStart-e.end)
		if ddLen < 12 {
			return fmt.Errorf("entry %q: its data descriptor runs past the central directory", e.name)
		}
		if _, err := z.r.ReadAt(dd[:ddLen], e.end); err != nil {
			return fmt.Errorf("entry %q: reading its data descriptor: %w", e.name, err)
		}
		crc, used := le.Uint32(dd[:]), int64(12)
		if crc == zipDescriptorSig {
			if ddLen < 16 {
				return fmt.Errorf("entry %q: its data descriptor runs past the central directory", e.name)
			}
			crc, used = le.Uint32(dd[4:]), 16
		}
		if crc != e.crc32 {
			return fmt.Errorf("entry %q: its data descriptor declares another CRC-32 than the central directory", e.name)
		}
		e.end += used
	}
	order := make([]*zipEntry, len(z.entries))
	for i := range z.entries {
		order[i] = &z.entries[i]
	}
	slices.SortFunc(order, func(a, b *zipEntry) int { return cmp.Compare(a.offset, b.offset) })
	for i := 1; i < len(order); i++ {
		if prev := order[i-1]; prev.end > order[i].offset {
			return fmt.Errorf("entries %q and %q overlap", prev.name, order[i].name)
		}
	}
	return nil
}

// read returns the uncompressed bytes of e. It allocates e.usize bytes
// (the caller bounds the declared sizes beforehand), reads no more than
// e.csize compressed bytes, and checks that the data expands to exactly
// e.usize bytes with the declared CRC-32.
func (z *zipArchive) read(e *zipEntry) ([]byte, error) {
	src := io.NewSectionReader(z.r, e.dataOffset, int64(e.csize))
	buf := make([]byte, e.usize)
	if e.method == zipMethodStore {
		if _, err := io.ReadFull(src, buf); err != nil {
			return nil, fmt.Errorf("%q: reading: %w", e.name, err)
		}
	} else {
		br := bufioReaders.Get().(*bufio.Reader)
		br.Reset(src)
		fr := flateReaders.Get().(io.ReadCloser)
		_ = fr.(flate.Resetter).Reset(br, nil) // cannot fail without a dictionary
		defer func() {
			br.Reset(nil)
			bufioReaders.Put(br)
			flateReaders.Put(fr)
		}()
		n, err := io.ReadFull(fr, buf)
		switch {
		case err == io.EOF || (err == io.ErrUnexpectedEOF && inflateEnded(fr)):
			return nil, fmt.Errorf("%q expands to %d bytes, its header declares %d: its declared size is wrong", e.name, n, e.usize)
		case err == io.ErrUnexpectedEOF:
			return nil, fmt.Errorf("%q: compressed data ends early (truncated, or its compressed size is wrong)", e.name)
		case err != nil:
			return nil, fmt.Errorf("%q: corrupt deflate data: %v", e.name, err)
		}
		var probe [1]byte
		switch k, err := fr.Read(probe[:]); {
		case k > 0:
			return nil, fmt.Errorf("%q expands to more than the %d bytes its header declares: its declared size is wrong", e.name, e.usize)
		case err == io.ErrUnexpectedEOF:
			return nil, fmt.Errorf("%q: compressed data ends early (truncated, or its compressed size is wrong)", e.name)
		case err != nil && err != io.EOF:
			return nil, fmt.Errorf("%q: corrupt deflate data: %v", e.name, err)
		}
	}
	if crc32.ChecksumIEEE(buf) != e.crc32 {
		return nil, fmt.Errorf("%q: CRC-32 mismatch: the data is corrupt", e.name)
	}
	return buf, nil
}

// Decompressors and their input buffers are reused across entries and
// archives, as archive/zip does: each costs about 40 KB to make.
var (
	flateReaders = sync.Pool{New: func() any { return flate.NewReader(nil) }}
	bufioReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 4096) }}
)

// inflateEnded reports whether a flate reader that returned
// io.ErrUnexpectedEOF from io.ReadFull had in fact reached the end of its
// stream (io.ReadFull turns a short read ending in io.EOF into
// io.ErrUnexpectedEOF).
func inflateEnded(fr io.Reader) bool {
	var probe [1]byte
	_, err := fr.Read(probe[:])
	return err == io.EOF
}

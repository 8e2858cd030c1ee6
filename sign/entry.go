package sign

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"strings"
	"sync"

	"github.com/passforge/passforge/internal/zipwrite"
)

// Archive names with a fixed meaning in a .pkpass.
const (
	// PassJSONName is the pass.json file.
	PassJSONName = "pass.json"
	// ManifestName is the manifest.json file, which the writer builds.
	ManifestName = "manifest.json"
	// SignatureName is the detached PKCS#7 signature file, which the writer builds.
	SignatureName = "signature"
)

// Entry is one file of a pass, hashed and compressed once, ready to be copied
// into any number of archives by WriteEntries. Build it with PrepareEntry
// (or PrepareDynamicEntry for a file of one archive);
// templates prepare their static files once and only pass.json per pass.
// An Entry is immutable after PrepareEntry and safe to share between
// goroutines.
type Entry struct {
	// Name is the archive path, such as "icon@2x.png" or "fr.lproj/pass.strings".
	Name string
	// SHA1 is the SHA-1 of the uncompressed bytes, listed in manifest.json.
	SHA1 [sha1.Size]byte
	// CRC32 is the zip CRC-32 (IEEE) of the uncompressed bytes.
	CRC32 uint32
	// Size is the uncompressed size in bytes.
	Size uint64
	// Method is zip.Store or zip.Deflate.
	Method uint16
	// Data holds the bytes as stored in the archive (compressed for
	// zip.Deflate).
	Data []byte

	plain []byte // the uncompressed bytes when PrepareEntry made the entry
}

// SHA1Hex returns the lowercase hex SHA-1 listed for the entry in manifest.json.
func (e *Entry) SHA1Hex() string { return hex.EncodeToString(e.SHA1[:]) }

var flateWriters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.DefaultCompression) // cannot fail for a valid level
	return w
}}

// PrepareEntry hashes data and encodes it for the archive, for a file
// copied into many archives (a template's design): PNG images (by extension
// or signature) are stored as they are, other files are deflated unless that
// does not make them smaller. name must be a safe relative path and not
// manifest.json or signature, which the writer makes.
func PrepareEntry(name string, data []byte) (Entry, error) {
	return prepareChecked(name, data, false)
}

// PrepareDynamicEntry is PrepareEntry for a file made for one archive only,
// such as the pass.json or the member photo of one pass: files under 8 KiB
// are stored too, because deflating costs more time than its bytes save
// when the result is not reused. Signer.WriteEntries stores manifest.json
// and the signature by the same rule.
func PrepareDynamicEntry(name string, data []byte) (Entry, error) {
	return prepareChecked(name, data, true)
}

func prepareChecked(name string, data []byte, dynamic bool) (Entry, error) {
	if err := checkEntryName(name); err != nil {
		return Entry{}, err
	}
	if name == ManifestName || name == SignatureName {
		return Entry{}, fmt.Errorf("sign: entry %q is made by the writer", name)
	}
	return prepare(name, data, dynamic), nil
}

// dynamicStoredSize is the size under which files made for one archive are
// stored.
const dynamicStoredSize = 8 << 10

// prepare makes the entry of data. This is the one place that decides
// between stored and deflated: PNG images and files under 64 bytes are
// stored, and so are dynamic files (made for one archive) under
// dynamicStoredSize; the others are deflated when that makes them smaller.
func prepare(name string, data []byte, dynamic bool) Entry {
	e := Entry{Name: name, SHA1: sha1.Sum(data), CRC32: crc32.ChecksumIEEE(data), Size: uint64(len(data)), Method: zip.Store, Data: data, plain: data}
	if isPNG(name, data) || len(data) < 64 || dynamic && len(data) < dynamicStoredSize {
		return e
	}
	var buf bytes.Buffer
	buf.Grow(len(data)/2 + 64)
	fw := flateWriters.Get().(*flate.Writer)
	fw.Reset(&buf)
	_, _ = fw.Write(data) // writes to a bytes.Buffer cannot fail
	_ = fw.Close()
	flateWriters.Put(fw)
	if buf.Len() < len(data) {
		e.Method, e.Data = zip.Deflate, buf.Bytes()
	}
	return e
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

func isPNG(name string, data []byte) bool {
	return strings.HasSuffix(strings.ToLower(name), ".png") || bytes.HasPrefix(data, pngSignature)
}

// checkEntryName rejects names that could escape the pass folder, that
// Wallet would not read, or that would show as something else on a screen
// (zipwrite.UnsafeName says which): names that are not valid UTF-8; absolute
// paths, drive letters ("C:/x") and colons; "..", "." and empty elements;
// backslashes; control characters; invisible format characters such as
// U+202E; line or paragraph separators; and names over 255 bytes.
func checkEntryName(name string) error {
	if why := zipwrite.UnsafeName(name); why != "" {
		return fmt.Errorf("%w: %q %s", ErrUnsafePath, name, why)
	}
	return nil
}

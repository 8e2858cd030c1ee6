package sign

import (
	"bytes"
	"crypto/sha1"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/passforge/passforge/internal/zipwrite"
	"github.com/passforge/passforge/pass"
)

// Default limits of VerifyOptions.
const (
	// DefaultMaxEntries is the default maximum number of archive entries.
	DefaultMaxEntries = 500
	// DefaultMaxFileSize is the default maximum uncompressed size of one
	// file: pass.MaxAssetFileSize (16 MiB).
	DefaultMaxFileSize = pass.MaxAssetFileSize
	// DefaultMaxTotalSize is the default maximum uncompressed size of all
	// files (32 MiB): twice the largest file, ten times a large poster
	// pass, and what keeps Read, which holds every file, and the verify,
	// inspect and lint commands under 64 MB of memory for any input. The
	// writer refuses archives over it.
	DefaultMaxTotalSize = 32 << 20
	// DefaultMaxRatio is the default maximum compression ratio of the
	// archive, and of each file, when they expand to more than 1 MiB.
	DefaultMaxRatio = 100
)

// ratioFloor is the uncompressed size from which MaxRatio applies: small
// files of repeated text legitimately compress better than 100:1.
const ratioFloor = 1 << 20

// VerifyOptions tune Read. A nil *VerifyOptions means the defaults: trust
// Apple Root CA, check the chain now, default limits.
type VerifyOptions struct {
	// Roots are the trust anchors of the signer chain. If nil, Apple Root CA.
	// Whatever the roots, the chain may use the certificates the signature
	// carries and the embedded Apple WWDR G4 and Apple Root CA as
	// intermediates (they add candidates, not trust). Links signed with
	// SHA-1 (Apple WWDR G1 under Apple Root CA, on passes signed before 2022)
	// are checked by hand, since crypto/x509 refuses them; their issuer must
	// then be carried by the signature or be an embedded certificate.
	Roots *x509.CertPool
	// At is the time the certificate chain is checked at. If zero, Now().
	At time.Time
	// AtSigningTime checks the chain at the signature's signingTime
	// attribute instead (for old passes whose certificates have since
	// expired). It falls back to At or Now() when the attribute is absent.
	AtSigningTime bool
	// Now returns the current time. If nil, time.Now.
	Now func() time.Time
	// MaxEntries caps the number of archive entries. If zero,
	// DefaultMaxEntries. Read refuses an archive declaring more from its end
	// record alone, and its central directory may take at most about 1.3 KB
	// per entry, so the memory spent on the directory is bounded by it.
	MaxEntries int
	// MaxFileSize caps a file's uncompressed size. If zero, DefaultMaxFileSize.
	MaxFileSize int64
	// MaxTotalSize caps the sum of uncompressed sizes, as declared before
	// anything is expanded and as read. If zero, DefaultMaxTotalSize.
	MaxTotalSize int64
	// MaxRatio caps the compression ratio of the whole archive and of each
	// file once they expand to more than 1 MiB. If zero, DefaultMaxRatio.
	MaxRatio int
}

func (o *VerifyOptions) limits() (entries int, file, total int64, ratio int) {
	entries, file, total, ratio = DefaultMaxEntries, DefaultMaxFileSize, DefaultMaxTotalSize, DefaultMaxRatio
	if o == nil {
		return
	}
	if o.MaxEntries > 0 {
		entries = o.MaxEntries
	}
	if o.MaxFileSize > 0 {
		file = o.MaxFileSize
	}
	if o.MaxTotalSize > 0 {
		total = o.MaxTotalSize
	}
	if o.MaxRatio > 0 {
		ratio = o.MaxRatio
	}
	return
}

// Package is a .pkpass read by Read: its pass, assets, manifest and
// signature, as far as they could be read.
type Package struct {
	// Pass is pass.json as read by pass.Parse; nil when unreadable.
	Pass *pass.Pass
	// PassJSON holds the raw pass.json bytes; nil when absent.
	PassJSON []byte
	// Assets holds every other file, manifest.json and signature excluded.
	Assets *pass.Assets
	// Manifest maps archive paths to the SHA-1 hex listed in manifest.json.
	Manifest map[string]string
	// ManifestJSON holds the raw manifest.json bytes; nil when absent.
	ManifestJSON []byte
	// SignatureDER holds the raw signature bytes; nil when absent.
	SignatureDER []byte
	// Signature describes the signature when it verified against
	// manifest.json; nil otherwise.
	Signature *SignatureInfo
	// Chain is the verified certificate chain, signer first; nil when it did
	// not verify.
	Chain []*x509.Certificate
	// VerifiedAt is the time the chain was checked at.
	VerifiedAt time.Time
	// Files lists the archive's file names, sorted.
	Files []string
}

// ReadBytes is Read over a byte slice.
func ReadBytes(b []byte, opts *VerifyOptions) (*Package, error) {
	return Read(bytes.NewReader(b), int64(len(b)), opts)
}

// Read reads and verifies a .pkpass of size bytes from r: zip limits and safe
// paths; every file listed in manifest.json with the right SHA-1, none missing
// and none extra; pass.json through pass.Parse; the detached signature over
// manifest.json (signers by issuer and serial number or by subject key
// identifier, SHA-1 or SHA-256); the signer chain to opts.Roots (Apple Root
// CA by default) at the chosen time; and the signer certificate's UID and OU
// against passTypeIdentifier and teamIdentifier.
//
// The memory it spends is bounded before anything is expanded: it reads the
// archive's end record first and refuses an archive declaring more than
// MaxEntries entries, or a larger central directory, before parsing the
// directory; it checks the declared total and the compression ratio across
// the whole archive before expanding any file; and it holds each file to its
// declared size and CRC-32 while reading it. Entry names must be safe paths
// of valid UTF-8 without drive letters, control or invisible format
// characters.
//
// It returns the package as far as it could be read and, when anything is
// wrong, a *VerifyError listing every problem; each wraps a sentinel such as
// ErrDigestMismatch or ErrChain. The package is nil only when the archive
// cannot be opened at all.
func Read(r io.ReaderAt, size int64, opts *VerifyOptions) (*Package, error) {
	v := &VerifyError{}
	add := func(err error) { v.Problems = append(v.Problems, err) }
	maxEntries, maxFile, maxTotal, maxRatio := opts.limits()

	if r == nil {
		add(fmt.Errorf("%w: nil reader", ErrArchive))
		return nil, v
	}
	zr, err := openZip(r, size, maxEntries)
	if err != nil {
		add(fmt.Errorf("%w: %w", ErrArchive, err))
		return nil, v
	}
	pkg := &Package{Assets: &pass.Assets{}}
	// Bound what the archive declares before expanding anything: the total
	// and the compression ratio across all entries, so that many entries
	// each under the per-file limit cannot add up to a bomb. read then
	// holds every entry to its declared size.
	// The sum saturates at 2^63 (each addend is at most 2^62), so it cannot
	// wrap: four zip64 entries declaring 2^62 bytes each used to add up to 0.
	var declared, compressed uint64
	for _, f := range zr.entries {
		declared = min(declared+min(f.usize, 1<<62), 1<<63)
		compressed += f.csize // each lies within the archive: no wrap
	}
	if declared > uint64(maxTotal) {
		add(fmt.Errorf("%w: %w: files declare %d bytes in total, at most %d", ErrArchive, ErrLimit, declared, maxTotal))
		return pkg, v
	}
	if declared > ratioFloor && overRatio(declared, compressed, maxRatio) {
		add(fmt.Errorf("%w: %w: files expand from %d to %d bytes, a compression ratio over %d", ErrArchive, ErrLimit, compressed, declared, maxRatio))
		return pkg, v
	}
	files := map[string][]byte{}
	for i := range zr.entries {
		f := &zr.entries[i]
		name := f.name
		if strings.HasSuffix(name, "/") && f.usize == 0 {
			continue // directory entries carry no data
		}
		if err := checkEntryName(name); err != nil {
			add(fmt.Errorf("%w: %w", ErrArchive, err))
			continue
		}
		if _, dup := files[name]; dup {
			add(fmt.Errorf("%w: %s: duplicate entry", ErrArchive, name))
			continue
		}
		if f.usize > uint64(maxFile) {
			add(fmt.Errorf("%w: %w: %s: %d bytes, at most %d", ErrArchive, ErrLimit, name, f.usize, maxFile))
			continue
		}
		if f.usize > ratioFloor && overRatio(f.usize, f.csize, maxRatio) {
			add(fmt.Errorf("%w: %w: %s: compression ratio over %d", ErrArchive, ErrLimit, name, maxRatio))
			continue
		}
		data, err := zr.read(f)
		if err != nil {
			add(fmt.Errorf("%w: entry %w", ErrArchive, err))
			continue
		}
		files[name] = data
		pkg.Files = append(pkg.Files, name)
	}
	slices.Sort(pkg.Files)

	pkg.PassJSON = files[PassJSONName]
	pkg.ManifestJSON = files[ManifestName]
	pkg.SignatureDER = files[SignatureName]
	if pkg.PassJSON == nil {
		add(fmt.Errorf("%w: pass.json", ErrMissingFile))
	} else if p, err := pass.Parse(pkg.PassJSON); err != nil {
		add(fmt.Errorf("%w: %w", ErrPassJSON, err))
	} else {
		pkg.Pass = p
	}
	for _, name := range pkg.Files {
		if name == PassJSONName || name == ManifestName || name == SignatureName {
			continue
		}
		if err := pkg.Assets.Set(name, files[name]); err != nil {
			add(fmt.Errorf("%w: %s: %w", ErrArchive, name, err))
		}
	}

	checkManifest(pkg, files, maxEntries, add)
	checkSignature(pkg, opts, add)

	if len(v.Problems) > 0 {
		return pkg, v
	}
	return pkg, nil
}

func checkManifest(pkg *Package, files map[string][]byte, maxEntries int, add func(error)) {
	if pkg.ManifestJSON == nil {
		add(fmt.Errorf("%w: manifest.json", ErrMissingFile))
		return
	}
	m, err := decodeManifest(pkg.ManifestJSON, maxEntries)
	if err != nil {
		add(fmt.Errorf("%w: %v", ErrManifest, err))
		return
	}
	pkg.Manifest = m
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		want := m[name]
		data, ok := files[name]
		switch {
		case name == ManifestName || name == SignatureName:
			add(fmt.Errorf("%w: lists %s", ErrManifest, shownName(name)))
		case !ok:
			add(fmt.Errorf("%w: %s is listed in manifest.json", ErrMissingFile, shownName(name)))
		default:
			sum := sha1.Sum(data)
			got := hex.EncodeToString(sum[:])
			if !strings.EqualFold(want, got) {
				add(fmt.Errorf("%w: %s: manifest says %s, file is %s", ErrDigestMismatch, shownName(name), shownDigest(want), got))
			}
		}
	}
	for _, name := range pkg.Files {
		if name == ManifestName || name == SignatureName {
			continue
		}
		if _, ok := m[name]; !ok {
			add(fmt.Errorf("%w: %s", ErrExtraFile, name))
		}
	}
}

// decodeManifest reads manifest.json as json.Unmarshal into a
// map[string]string would (the last of a repeated key wins), but refuses it
// as soon as it lists more than maxEntries names: an archive holds at most
// maxEntries files, and a 16 MiB manifest of 1,290,000 short names cost
// hundreds of megabytes as a map, then one error per name.
func decodeManifest(data []byte, maxEntries int) (map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err == io.EOF {
		return nil, errors.New("empty")
	} else if err != nil {
		return nil, err
	} else if tok != json.Delim('{') {
		return nil, errors.New("not a JSON object")
	}
	m := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string) // a key is always a string
		var digest string
		if err := dec.Decode(&digest); err != nil {
			return nil, err
		}
		m[key] = digest
		if len(m) > maxEntries {
			return nil, fmt.Errorf("lists more than %d files, at most the %d an archive may hold", maxEntries, maxEntries)
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		if err == io.EOF {
			err = errors.New("ends before its object closes")
		}
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("holds more after the object")
	}
	return m, nil
}

// overRatio reports whether expanded bytes are more than ratio times
// compressed, without the product wrapping around for large limits.
func overRatio(expanded, compressed uint64, ratio int) bool {
	hi, lo := bits.Mul64(uint64(ratio), compressed)
	return hi == 0 && expanded > lo
}

// shownName returns a name from manifest.json for an error: as it is when it
// is a safe entry name (the names of the archive's files are checked; the
// manifest's keys are not), quoted with Go escapes otherwise, so that a key
// holding a carriage return, an ANSI escape or a bidirectional override
// cannot rewrite the terminal that prints the error.
func shownName(name string) string {
	if zipwrite.UnsafeName(name) == "" {
		return name
	}
	return strconv.Quote(name)
}

// shownDigest returns a digest from manifest.json for an error: as it is when
// it holds only hexadecimal digits, quoted with Go escapes otherwise.
func shownDigest(d string) string {
	for _, c := range d {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return strconv.Quote(d)
		}
	}
	return d
}

func checkSignature(pkg *Package, opts *VerifyOptions, add func(error)) {
	if pkg.SignatureDER == nil {
		add(fmt.Errorf("%w: signature", ErrMissingFile))
		return
	}
	if pkg.ManifestJSON == nil {
		return // already reported
	}
	info, err := VerifySignature(pkg.SignatureDER, pkg.ManifestJSON)
	if err != nil {
		add(err)
		return
	}
	pkg.Signature = info
	if info.SigningTime.IsZero() {
		add(fmt.Errorf("%w: no signingTime attribute (Wallet requires a signing date)", ErrSignature))
	}
	now := time.Now
	var roots *x509.CertPool
	var at time.Time
	if opts != nil {
		if opts.Now != nil {
			now = opts.Now
		}
		roots, at = opts.Roots, opts.At
	}
	if at.IsZero() {
		at = now()
	}
	if opts != nil && opts.AtSigningTime && !info.SigningTime.IsZero() {
		at = info.SigningTime
	}
	if roots == nil {
		roots = AppleRoots()
	}
	pkg.VerifiedAt = at
	chain, err := verifyChain(info.Signer, info.Certificates, roots, at, chainCandidates())
	if err != nil {
		var inv x509.CertificateInvalidError
		var verr *ValidityError
		if errors.As(err, &verr) {
			add(fmt.Errorf("%w: %w", ErrChain, verr))
		} else if errors.As(err, &inv) && inv.Reason == x509.Expired {
			add(fmt.Errorf("%w: %w", ErrChain, checkValidityOrErr(inv.Cert, at, err)))
		} else if opts == nil || opts.Roots == nil {
			add(fmt.Errorf("%w: does not chain to Apple Root CA (give other roots to verify development passes): %v", ErrChain, err))
		} else {
			add(fmt.Errorf("%w: %v", ErrChain, err))
		}
	} else {
		pkg.Chain = chain
	}
	if pkg.Pass != nil {
		if err := compareIdentifiers(pkg.Pass.PassTypeIdentifier, pkg.Pass.TeamIdentifier, info.Signer); err != nil {
			add(err)
		}
	}
}

// checkValidityOrErr returns the *ValidityError of c at at, or err when c is
// valid then (the chain failed for another time-related reason).
func checkValidityOrErr(c *x509.Certificate, at time.Time, err error) error {
	if c != nil {
		if verr := checkValidity(c, at); verr != nil {
			return verr
		}
	}
	return err
}

// oidApple is Apple's arc (1.2.840.113635); Pass Type ID and WWDR
// certificates carry extensions under it that Wallet understands.
var oidApple = asn1.ObjectIdentifier{1, 2, 840, 113635}

// tolerateAppleExtensions returns c, or a shallow copy of it whose critical
// extensions under Apple's arc no longer count as unhandled, so that
// crypto/x509 does not reject a chain Wallet accepts. Other unknown critical
// extensions still fail verification.
func tolerateAppleExtensions(c *x509.Certificate) *x509.Certificate {
	var keep []asn1.ObjectIdentifier
	for _, oid := range c.UnhandledCriticalExtensions {
		if len(oid) <= len(oidApple) || !oid[:len(oidApple)].Equal(oidApple) {
			keep = append(keep, oid)
		}
	}
	if len(keep) == len(c.UnhandledCriticalExtensions) {
		return c
	}
	cp := *c
	cp.UnhandledCriticalExtensions = keep
	return &cp
}

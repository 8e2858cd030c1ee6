package sign

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/passforge/passforge/pass"
)

// MIME types of passes and bundles, for Content-Type headers.
const (
	// MIMEType is the media type of a .pkpass file.
	MIMEType = "application/vnd.apple.pkpass"
	// BundleMIMEType is the media type of a .pkpasses bundle.
	BundleMIMEType = "application/vnd.apple.pkpasses"
)

// Options tune signing. A nil *Options means the defaults.
type Options struct {
	// Digest is the CMS digest algorithm of the signature. If zero,
	// crypto.SHA256; crypto.SHA1 is accepted for old readers. The manifest
	// itself always lists SHA-1 digests, as Apple requires.
	Digest crypto.Hash
	// Now returns the signing time. If nil, time.Now. The signer
	// certificate must be valid at that time.
	Now func() time.Time
	// AllowInvalid signs a pass even when pass.Validate reports errors. It
	// does not skip the identifier check. Write only.
	AllowInvalid bool
}

func (o *Options) now() time.Time {
	if o == nil || o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

func (o *Options) digest() crypto.Hash {
	if o == nil || o.Digest == 0 {
		return crypto.SHA256
	}
	return o.Digest
}

// ManifestJSON returns the manifest.json bytes for entries: a JSON object of
// archive path to lowercase hex SHA-1, keys sorted. Entries named
// manifest.json or signature are left out.
func ManifestJSON(entries []Entry) []byte {
	sorted := make([]*Entry, 0, len(entries))
	for i := range entries {
		if entries[i].Name != ManifestName && entries[i].Name != SignatureName {
			sorted = append(sorted, &entries[i])
		}
	}
	slices.SortFunc(sorted, func(a, b *Entry) int { return strings.Compare(a.Name, b.Name) })
	return manifestJSON(sorted)
}

func manifestJSON(sorted []*Entry) []byte {
	n := 2
	for _, e := range sorted {
		n += len(e.Name) + 2*len(e.SHA1) + 8
	}
	b := make([]byte, 0, n)
	b = append(b, '{')
	for i, e := range sorted {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, e.Name)
		b = append(b, ':', '"')
		b = hex.AppendEncode(b, e.SHA1[:])
		b = append(b, '"')
	}
	return append(b, '}')
}

func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			q, _ := json.Marshal(s) // strings always marshal
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// WriteEntries writes a signed .pkpass holding entries to w: it builds
// manifest.json from the entries' SHA-1s, signs it with id, and streams the
// zip with every entry (manifest.json and signature included) sorted by name,
// copying the prepared bytes without recompressing them. manifest.json and
// the signature are deflated when that makes them smaller (the smallest
// archive, for passes written one at a time; Signer.WriteEntries stores them,
// for bulk issuance). The same entries, identity and signing time give the
// same bytes.
//
// Before signing it checks that a pass.json entry exists, that its
// passTypeIdentifier and teamIdentifier match id (ErrIdentifierMismatch) and
// that the certificate is valid at the signing time (ErrExpired,
// ErrNotYetValid). It does not run pass.Validate: Write does.
func WriteEntries(w io.Writer, entries []Entry, id *Identity, opts *Options) error {
	if id == nil || id.Certificate == nil || id.Signer == nil {
		return fmt.Errorf("sign: writing a pass needs an identity with a certificate and a signer")
	}
	s, err := newSigner(id, opts.digest())
	if err != nil {
		return err
	}
	return s.writeEntries(w, entries, opts.now(), false)
}

// WriteEntries is the package's WriteEntries with the Signer's identity,
// digest and prepared signature, signed at at, for bulk issuance:
// manifest.json and the signature are made for this archive alone and,
// under 8 KiB, stored rather than deflated (as PrepareDynamicEntry decides).
// It makes the checks of WriteEntries (pass.json present, its identifiers,
// the certificate's validity at at, no duplicate names).
func (s *Signer) WriteEntries(w io.Writer, entries []Entry, at time.Time) error {
	if s == nil || s.id == nil {
		return errNoSigner
	}
	return s.writeEntries(w, entries, at, true)
}

// writeEntries checks, signs and writes entries; dynamic says whether
// manifest.json and the signature are prepared as dynamic entries.
func (s *Signer) writeEntries(w io.Writer, entries []Entry, at time.Time, dynamic bool) error {
	sorted := make([]*Entry, 0, len(entries)+2)
	var passJSON *Entry
	for i := range entries {
		e := &entries[i]
		if e.Name == ManifestName || e.Name == SignatureName {
			return fmt.Errorf("sign: entry %q is made by the writer", e.Name)
		}
		if e.Name == PassJSONName {
			passJSON = e
		}
		sorted = append(sorted, e)
	}
	if passJSON == nil {
		return fmt.Errorf("%w: pass.json", ErrMissingFile)
	}
	var total uint64
	for _, e := range sorted {
		total += e.Size
	}
	if total > DefaultMaxTotalSize {
		return fmt.Errorf("%w: the files total %d bytes, over the %d bytes Read accepts", ErrLimit, total, DefaultMaxTotalSize)
	}
	byName := func(a, b *Entry) int { return strings.Compare(a.Name, b.Name) }
	if !slices.IsSortedFunc(sorted, byName) {
		slices.SortFunc(sorted, byName)
	}
	for i := 1; i < len(sorted); i++ {
		if sorted[i].Name == sorted[i-1].Name {
			return fmt.Errorf("sign: duplicate entry %q", sorted[i].Name)
		}
	}
	if err := checkIdentifiers(passJSON, s.id); err != nil {
		return err
	}
	if err := checkValidity(s.id.Certificate, at); err != nil {
		return fmt.Errorf("sign: signer certificate: %w", err)
	}
	manifest := manifestJSON(sorted)
	sig, err := s.Sign(manifest, at)
	if err != nil {
		return err
	}
	me, se := prepare(ManifestName, manifest, dynamic), prepare(SignatureName, sig, dynamic)
	// Insert manifest.json and signature at their sorted places.
	for _, e := range []*Entry{&me, &se} {
		i, _ := slices.BinarySearchFunc(sorted, e.Name, func(a *Entry, name string) int { return strings.Compare(a.Name, name) })
		sorted = slices.Insert(sorted, i, e)
	}
	if err := writeZip(w, sorted); err != nil {
		return fmt.Errorf("sign: writing the archive: %w", err)
	}
	return nil
}

func checkIdentifiers(passJSON *Entry, id *Identity) error {
	raw := passJSON.plain
	if raw == nil && passJSON.Method == zip.Store {
		raw = passJSON.Data
	} else if raw == nil {
		var err error
		if raw, err = inflate(passJSON.Data, passJSON.Size); err != nil {
			return fmt.Errorf("sign: pass.json entry: %w", err)
		}
	}
	if err := checkPassJSONText(raw); err != nil {
		return err
	}
	passTypeID, teamID, err := readIdentifiers(raw)
	if err != nil {
		return err
	}
	return compareIdentifiers(passTypeID, teamID, id.Certificate)
}

// checkPassJSONText refuses a pass.json holding invalid UTF-8, which Wallet
// rejects, naming its JSON path (pass.Parse finds it). It also refuses the
// \ufffd escape encoding/json writes in place of invalid UTF-8 in a Go
// string (a U+FFFD of valid text is written as it is): text that was not
// UTF-8 before it was encoded, such as a Latin-1 CSV value, would show as
// U+FFFD on the pass.
func checkPassJSONText(raw []byte) error {
	if !utf8.Valid(raw) {
		if _, err := pass.Parse(raw); err != nil {
			return fmt.Errorf("%w: %w", ErrPassJSON, err)
		}
		return fmt.Errorf("%w: invalid UTF-8; Wallet rejects a pass.json that is not UTF-8", ErrPassJSON)
	}
	at := replacementEscape(raw)
	if at < 0 {
		return nil
	}
	// Locate the escape: with an invalid byte in its place, Parse names the path.
	probe := append(append(append(make([]byte, 0, len(raw)), raw[:at]...), 0xff), raw[at+len(`\ufffd`):]...)
	var pe *pass.ParseError
	if _, err := pass.Parse(probe); errors.As(err, &pe) && pe.Path != "" {
		return fmt.Errorf("%w: %s: the text was not valid UTF-8 before it was encoded (it holds the \\ufffd escape encoding/json writes in place of invalid bytes)", ErrPassJSON, pe.Path)
	}
	return fmt.Errorf("%w: the text was not valid UTF-8 before it was encoded (it holds the \\ufffd escape encoding/json writes in place of invalid bytes)", ErrPassJSON)
}

// replacementEscape returns the offset of the first \ufffd escape in the
// JSON b (not an escaped backslash followed by "ufffd"), or -1.
func replacementEscape(b []byte) int {
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte(`\ufffd`))
		if j < 0 {
			return -1
		}
		j += i
		k := j
		for k > 0 && b[k-1] == '\\' {
			k--
		}
		if (j-k)%2 == 0 {
			return j
		}
		i = j + 1
	}
}

// compareIdentifiers checks pass.json's passTypeIdentifier and teamIdentifier
// against the certificate's UID and OU.
func compareIdentifiers(passTypeIdentifier, teamIdentifier string, cert *x509.Certificate) error {
	var diffs []string
	if uid := passTypeID(cert); passTypeIdentifier != uid {
		diffs = append(diffs, fmt.Sprintf("passTypeIdentifier %q, certificate UID %q", passTypeIdentifier, uid))
	}
	if ou := teamID(cert); teamIdentifier != ou {
		diffs = append(diffs, fmt.Sprintf("teamIdentifier %q, certificate OU %q", teamIdentifier, ou))
	}
	if len(diffs) > 0 {
		return fmt.Errorf("%w: %s", ErrIdentifierMismatch, strings.Join(diffs, "; "))
	}
	return nil
}

// inflate decompresses a raw deflate stream of a known size.
func inflate(data []byte, size uint64) ([]byte, error) {
	fr := flate.NewReader(bytes.NewReader(data))
	defer fr.Close()
	return readExactly(fr, size)
}

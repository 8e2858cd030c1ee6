package template

import (
	"archive/zip"
	"crypto"
	"crypto/rand"
	"crypto/sha1"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/passforge/passforge/sign"
)

// The per-pass writer. sign.WriteEntries deflates manifest.json and the
// signature and builds the PKCS#7 container with go.mozilla.org/pkcs7 on
// every call; for a template both are measurable next to the RSA operation:
// deflating the small files was about 14% of a pass on the store card, and
// the container adds 40–150 µs of CPU (depending on machine load) to a
// 1.1–1.9 ms RSA-2048 signature (BenchmarkSignatureVsRSA), two thirds of it
// in pkcs7's (*SignedData).Finish, which marshals the whole SignedData
// (certificates included) with reflection-based encoding/asn1. Here the
// per-pass files are stored, and the signature is patched into a DER
// skeleton made once per identity: only the messageDigest and signingTime
// attributes and the signature value change from pass to pass (within noise
// of the bare signature).

// dosDate is the MS-DOS date of every entry, 1980-01-01 as in package sign,
// so that the same input gives the same bytes.
const dosDate = 0<<9 | 1<<5 | 1

// storedEntry prepares a per-pass file stored without compression: it is
// small, and deflating small files costs more than it saves.
func storedEntry(name string, data []byte) sign.Entry {
	e := unlistedEntry(name, data)
	e.SHA1 = sha1.Sum(data)
	return e
}

// unlistedEntry is storedEntry for manifest.json and the signature, which
// the manifest does not list: they need no SHA-1.
func unlistedEntry(name string, data []byte) sign.Entry {
	return sign.Entry{Name: name, CRC32: crc32.ChecksumIEEE(data), Size: uint64(len(data)), Method: zip.Store, Data: data}
}

// write signs entries (sorted by name, without manifest.json and signature)
// with id and streams the .pkpass to w.
func (t *Template) write(w io.Writer, serial, passTypeID, teamID string, entries []sign.Entry, id *sign.Identity, opts *sign.Options) error {
	if id == nil || id.Certificate == nil || id.Signer == nil {
		return errors.New("template: issuing a pass needs an identity with a certificate and a signer")
	}
	if uid, ou := id.PassTypeIdentifier(), id.TeamIdentifier(); passTypeID != uid || teamID != ou {
		return fmt.Errorf("template: pass %q: %w: passTypeIdentifier %q and teamIdentifier %q, certificate UID %q and OU %q",
			serial, sign.ErrIdentifierMismatch, passTypeID, teamID, uid, ou)
	}
	at := time.Now()
	var digest crypto.Hash
	if opts != nil {
		if opts.Now != nil {
			at = opts.Now()
		}
		digest = opts.Digest
	}
	if digest == 0 {
		digest = crypto.SHA256
	}
	if c := id.Certificate; at.After(c.NotAfter) || at.Before(c.NotBefore) {
		sentinel := sign.ErrExpired
		if at.Before(c.NotBefore) {
			sentinel = sign.ErrNotYetValid
		}
		return fmt.Errorf("template: signer certificate %q is valid from %s to %s, not at %s: %w",
			c.Subject.CommonName, c.NotBefore.Format(time.RFC3339), c.NotAfter.Format(time.RFC3339), at.Format(time.RFC3339), sentinel)
	}
	manifest := sign.ManifestJSON(entries)
	sig, err := t.signature(manifest, id, digest, at)
	if err != nil {
		return fmt.Errorf("template: pass %q: %w", serial, err)
	}
	me, se := unlistedEntry(sign.ManifestName, manifest), unlistedEntry(sign.SignatureName, sig)
	// Insert manifest.json and signature at their sorted places.
	all := make([]*sign.Entry, 0, len(entries)+2)
	extra := []*sign.Entry{&me, &se} // sorted: "manifest.json" < "signature"
	for i := range entries {
		for len(extra) > 0 && extra[0].Name < entries[i].Name {
			all, extra = append(all, extra[0]), extra[1:]
		}
		all = append(all, &entries[i])
	}
	all = append(all, extra...)
	if err := writeZip(w, all); err != nil {
		return fmt.Errorf("template: pass %q: writing the archive: %w", serial, err)
	}
	return nil
}

// skeleton is a DER PKCS#7 signature made by sign.Signature for one identity
// and digest, with the offsets of what changes per pass.
type skeleton struct {
	der         []byte
	attrs       int // offset of the [0] IMPLICIT signed attributes tag
	attrsEnd    int
	md, mdEnd   int // messageDigest value bytes
	st, stEnd   int // signingTime element (tag included)
	sig, sigEnd int // encryptedDigest value bytes
	unsupported bool
}

type skeletonKey struct {
	id     *sign.Identity
	digest crypto.Hash
	chain  int
}

// signature returns the detached PKCS#7 signature of manifest, the same
// structure sign.Signature makes, with one private-key operation.
func (t *Template) signature(manifest []byte, id *sign.Identity, digest crypto.Hash, at time.Time) ([]byte, error) {
	key := skeletonKey{id: id, digest: digest, chain: len(id.Chain)}
	v, ok := t.skeletons.Load(key)
	if !ok {
		v, _ = t.skeletons.LoadOrStore(key, newSkeleton(id, digest, at))
	}
	sk := v.(*skeleton)
	if sk.unsupported {
		return sign.Signature(manifest, id, digest, at)
	}
	st, err := encodeSigningTime(at)
	if err != nil || len(st) != sk.stEnd-sk.st || !digest.Available() {
		return sign.Signature(manifest, id, digest, at)
	}
	out := slices.Clone(sk.der)
	h := digest.New()
	h.Write(manifest)
	if got := h.Sum(out[sk.md:sk.md]); len(got) != sk.mdEnd-sk.md {
		return sign.Signature(manifest, id, digest, at)
	}
	copy(out[sk.st:sk.stEnd], st)
	// The signature covers the attributes encoded as a SET OF.
	out[sk.attrs] = 0x31
	ah := digest.New()
	ah.Write(out[sk.attrs:sk.attrsEnd])
	out[sk.attrs] = 0xa0
	sig, err := id.Signer.Sign(rand.Reader, ah.Sum(nil), digest)
	if err != nil {
		return nil, fmt.Errorf("signing with the %q key: %w", id.Certificate.Subject.CommonName, err)
	}
	if len(sig) != sk.sigEnd-sk.sig {
		// ECDSA signatures vary in length: build the container anew.
		return sign.Signature(manifest, id, digest, at)
	}
	copy(out[sk.sig:sk.sigEnd], sig)
	return out, nil
}

// encodeSigningTime encodes t as CMS requires: UTCTime for 1950–2049,
// GeneralizedTime otherwise, in UTC with seconds.
func encodeSigningTime(t time.Time) ([]byte, error) {
	t = t.UTC().Truncate(time.Second)
	if t.Year() >= 1950 && t.Year() < 2050 {
		return asn1.Marshal(t)
	}
	return asn1.MarshalWithParams(t, "generalized")
}

var (
	oidMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidSigningTime   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
)

// newSkeleton makes a signature with sign.Signature and locates its
// variable parts. When the structure is not the expected one, the skeleton
// is marked unsupported and every pass uses sign.Signature.
func newSkeleton(id *sign.Identity, digest crypto.Hash, at time.Time) *skeleton {
	der, err := sign.Signature([]byte("{}"), id, digest, at)
	if err != nil {
		return &skeleton{unsupported: true}
	}
	sk, err := locate(der)
	if err != nil {
		return &skeleton{unsupported: true}
	}
	return sk
}

// element is one DER element: its tag byte and where it and its content
// start and end in the whole encoding.
type element struct {
	tag              byte
	start, body, end int
}

// parseElement reads the element at off in b.
func parseElement(b []byte, off int) (element, error) {
	if off+2 > len(b) {
		return element{}, errors.New("truncated DER")
	}
	e := element{tag: b[off], start: off}
	l := int(b[off+1])
	p := off + 2
	if l&0x80 != 0 {
		n := l & 0x7f
		if n == 0 || n > 3 || p+n > len(b) {
			return element{}, errors.New("unsupported DER length")
		}
		l = 0
		for i := 0; i < n; i++ {
			l = l<<8 | int(b[p+i])
		}
		p += n
	}
	if p+l > len(b) {
		return element{}, errors.New("truncated DER")
	}
	e.body, e.end = p, p+l
	return e, nil
}

// children returns the elements inside e.
func children(b []byte, e element) ([]element, error) {
	var out []element
	for off := e.body; off < e.end; {
		c, err := parseElement(b, off)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
		off = c.end
	}
	return out, nil
}

// locate finds the signed attributes, messageDigest, signingTime and
// signature value of the single SignerInfo of a DER SignedData.
func locate(der []byte) (*skeleton, error) {
	bad := func(what string) (*skeleton, error) {
		return nil, fmt.Errorf("unexpected signature structure: %s", what)
	}
	root, err := parseElement(der, 0)
	if err != nil || root.tag != 0x30 || root.end != len(der) {
		return bad("ContentInfo")
	}
	ci, err := children(der, root)
	if err != nil || len(ci) != 2 || ci[1].tag != 0xa0 {
		return bad("ContentInfo content")
	}
	sdWrap, err := children(der, ci[1])
	if err != nil || len(sdWrap) != 1 || sdWrap[0].tag != 0x30 {
		return bad("SignedData")
	}
	sd, err := children(der, sdWrap[0])
	if err != nil || len(sd) == 0 || sd[len(sd)-1].tag != 0x31 {
		return bad("SignerInfos")
	}
	sis, err := children(der, sd[len(sd)-1])
	if err != nil || len(sis) != 1 || sis[0].tag != 0x30 {
		return bad("one SignerInfo")
	}
	si, err := children(der, sis[0])
	if err != nil || len(si) != 6 || si[3].tag != 0xa0 || si[5].tag != 0x04 {
		return bad("SignerInfo fields")
	}
	sk := &skeleton{der: der, attrs: si[3].start, attrsEnd: si[3].end, sig: si[5].body, sigEnd: si[5].end}
	attrs, err := children(der, si[3])
	if err != nil {
		return bad("signed attributes")
	}
	for _, a := range attrs {
		parts, err := children(der, a)
		if err != nil || len(parts) != 2 || parts[0].tag != 0x06 || parts[1].tag != 0x31 {
			return bad("attribute")
		}
		var oid asn1.ObjectIdentifier
		if _, err := asn1.Unmarshal(der[parts[0].start:parts[0].end], &oid); err != nil {
			return bad("attribute type")
		}
		vals, err := children(der, parts[1])
		if err != nil || len(vals) != 1 {
			return bad("attribute value")
		}
		switch {
		case oid.Equal(oidMessageDigest) && vals[0].tag == 0x04:
			sk.md, sk.mdEnd = vals[0].body, vals[0].end
		case oid.Equal(oidSigningTime):
			sk.st, sk.stEnd = vals[0].start, vals[0].end
		}
	}
	if sk.mdEnd == 0 || sk.stEnd == 0 {
		return bad("messageDigest and signingTime attributes")
	}
	return sk, nil
}

// mergeEntries merges the per-pass entries into the static ones (both
// sorted by name), the per-pass ones replacing static ones of the same name.
func mergeEntries(static, dynamic []sign.Entry) []sign.Entry {
	slices.SortFunc(dynamic, func(a, b sign.Entry) int { return strings.Compare(a.Name, b.Name) })
	out := make([]sign.Entry, 0, len(static)+len(dynamic))
	i, j := 0, 0
	for i < len(static) || j < len(dynamic) {
		switch {
		case j == len(dynamic) || (i < len(static) && static[i].Name < dynamic[j].Name):
			out = append(out, static[i])
			i++
		case i < len(static) && static[i].Name == dynamic[j].Name:
			i++ // replaced
		default:
			out = append(out, dynamic[j])
			j++
		}
	}
	return out
}

package template

import (
	"crypto"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/passforge/passforge/sign"
)

// The per-pass writer is sign's prepared Signer: its WriteEntries stores
// manifest.json and the signature (deflating small files was about 14% of a
// pass on the store card) and patches each signature into a DER skeleton
// made once per identity, instead of building the container with
// go.mozilla.org/pkcs7 (40–150 µs of CPU next to a 1.1–1.9 ms RSA-2048
// signature, BenchmarkSignatureVsRSA). The template keeps one Signer per
// identity and digest.

// signerKey identifies a cached *sign.Signer.
type signerKey struct {
	id     *sign.Identity
	digest crypto.Hash
	chain  int
}

// signer returns the template's Signer for id and digest, made on first use.
func (t *Template) signer(id *sign.Identity, digest crypto.Hash) (*sign.Signer, error) {
	key := signerKey{id: id, digest: digest, chain: len(id.Chain)}
	if v, ok := t.signers.Load(key); ok {
		return v.(*sign.Signer), nil
	}
	s, err := sign.NewSigner(id, &sign.SignerOptions{Digest: digest})
	if err != nil {
		return nil, err
	}
	v, _ := t.signers.LoadOrStore(key, s)
	return v.(*sign.Signer), nil
}

// write signs entries (sorted by name, without manifest.json and signature)
// with id and streams the .pkpass to w.
func (t *Template) write(w io.Writer, serial string, entries []sign.Entry, id *sign.Identity, opts *sign.Options) error {
	if id == nil || id.Certificate == nil || id.Signer == nil {
		return errors.New("template: issuing a pass needs an identity with a certificate and a signer")
	}
	at := time.Now()
	var digest crypto.Hash
	if opts != nil {
		if opts.Now != nil {
			at = opts.Now()
		}
		digest = opts.Digest
	}
	s, err := t.signer(id, digest)
	if err != nil {
		return fmt.Errorf("template: pass %q: %w", serial, err)
	}
	if err := s.WriteEntries(w, entries, at); err != nil {
		if verr := (*sign.ValidityError)(nil); errors.As(err, &verr) {
			return fmt.Errorf("template: signer certificate %q: %w", verr.Subject, verr)
		}
		return fmt.Errorf("template: pass %q: %w", serial, err)
	}
	return nil
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

package template

import (
	"container/list"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/passforge/passforge/sign"
)

// The per-pass writer is sign's prepared Signer: its WriteEntries stores
// manifest.json and the signature (deflating small files was about 14% of a
// pass on the store card) and patches each signature into a DER skeleton
// made once per identity, instead of building the container for every
// signature (BenchmarkSignatureVsRSA). The template keeps the Signers of the
// identities used most recently (maxCachedSigners), keyed by what they sign
// with: the certificate, the chain and the digest.

// maxCachedSigners bounds the Signers a template keeps. One is a few
// kilobytes; a service signing for many teams churns through the oldest.
const maxCachedSigners = 64

// signerKey identifies a cached *sign.Signer by content: a SHA-256 over the
// signer certificate and each chain certificate (each length-prefixed), and
// the digest. Replacing an intermediate in Identity.Chain, or the
// certificate, gives another key; two identities holding the same
// certificates share a Signer (their keys match their certificate).
type signerKey struct {
	fingerprint [sha256.Size]byte
	digest      crypto.Hash
}

func keyOf(id *sign.Identity, digest crypto.Hash) signerKey {
	h := sha256.New()
	var n [8]byte
	for _, c := range append([]*x509.Certificate{id.Certificate}, id.Chain...) {
		var raw []byte
		if c != nil {
			raw = c.Raw
		}
		binary.BigEndian.PutUint64(n[:], uint64(len(raw)))
		h.Write(n[:])
		h.Write(raw)
	}
	k := signerKey{digest: digest}
	h.Sum(k.fingerprint[:0])
	return k
}

// signerCache is a small least-recently-used cache of Signers. The zero
// value is an empty cache; it is safe for concurrent use.
type signerCache struct {
	mu      sync.Mutex
	entries map[signerKey]*list.Element // of *cachedSigner
	order   list.List                   // most recently used first
}

type cachedSigner struct {
	key    signerKey
	signer *sign.Signer
}

func (c *signerCache) get(k signerKey) *sign.Signer {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok {
		return nil
	}
	c.order.MoveToFront(e)
	return e.Value.(*cachedSigner).signer
}

// put keeps s for k and returns it. When another goroutine put a Signer for
// k with the same crypto.Signer first, put returns that one instead; one
// holding another crypto.Signer is replaced.
func (c *signerCache) put(k signerKey, s *sign.Signer) *sign.Signer {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[k]; ok {
		c.order.MoveToFront(e)
		cached := e.Value.(*cachedSigner)
		if sameKey(cached.signer.Identity().Signer, s.Identity().Signer) {
			return cached.signer
		}
		cached.signer = s
		return s
	}
	if c.entries == nil {
		c.entries = map[signerKey]*list.Element{}
	}
	c.entries[k] = c.order.PushFront(&cachedSigner{key: k, signer: s})
	for c.order.Len() > maxCachedSigners {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.entries, oldest.Value.(*cachedSigner).key)
	}
	return s
}

func (c *signerCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// signer returns the template's Signer for id and digest, made on first use.
// The key names only certificates, which are public: a cached Signer is used
// only when it also holds id's crypto.Signer, otherwise a new one replaces it,
// so that an identity never signs with another identity's key. The Signer is
// made from a copy of id (its own Chain slice), so that later edits of id do
// not change what the cached Signer embeds for other identities.
func (t *Template) signer(id *sign.Identity, digest crypto.Hash) (*sign.Signer, error) {
	key := keyOf(id, digest)
	if s := t.signers.get(key); s != nil && sameKey(s.Identity().Signer, id.Signer) {
		return s, nil
	}
	snapshot := *id
	snapshot.Chain = slices.Clone(id.Chain)
	s, err := sign.NewSigner(&snapshot, &sign.SignerOptions{Digest: digest})
	if err != nil {
		return nil, err
	}
	return t.signers.put(key, s), nil
}

// sameKey reports whether a and b are the same crypto.Signer value. Values
// that cannot be compared (a struct holding a slice, say) are never the same:
// such identities get a new Signer for each pass.
func sameKey(a, b crypto.Signer) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	if !va.IsValid() || !vb.IsValid() || va.Type() != vb.Type() || !va.Comparable() || !vb.Comparable() {
		return false
	}
	return va.Equal(vb)
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

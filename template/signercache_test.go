package template

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"runtime"
	"testing"
	"time"

	"github.com/passforge/passforge/sign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ecdsaPKI issues ECDSA identities (fast to generate) under one CA, with intermediates made on demand.
type ecdsaPKI struct {
	t     testing.TB
	ca    *x509.Certificate
	caKey *ecdsa.PrivateKey
	n     int64
}

func newECDSAPKI(t testing.TB) *ecdsaPKI {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	p := &ecdsaPKI{t: t, caKey: key}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Cache Root"}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	p.ca = p.issue(tmpl, tmpl, &key.PublicKey)
	return p
}

func (p *ecdsaPKI) issue(tmpl, parent *x509.Certificate, pub any) *x509.Certificate {
	p.n++
	tmpl.SerialNumber = big.NewInt(p.n)
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, p.caKey)
	require.NoError(p.t, err)
	c, err := x509.ParseCertificate(der)
	require.NoError(p.t, err)
	return c
}

// intermediate returns a new CA certificate named name (signed by the root, sharing its key).
func (p *ecdsaPKI) intermediate(name string) *x509.Certificate {
	return p.issue(&x509.Certificate{Subject: pkix.Name{CommonName: name}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}, p.ca, &p.caKey.PublicKey)
}

// identity returns a new identity with its own key and chain.
func (p *ecdsaPKI) identity(chain ...*x509.Certificate) *sign.Identity {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(p.t, err)
	return p.identityWithKey(key, chain...)
}

// identityWithKey returns an identity for key.
func (p *ecdsaPKI) identityWithKey(key crypto.Signer, chain ...*x509.Certificate) *sign.Identity {
	leaf := p.issue(sign.PassCertificateTemplate(testPassTypeID, testTeamID, "Example", time.Now().Add(-time.Hour), time.Now().Add(time.Hour)),
		p.ca, key.Public())
	id, err := sign.NewIdentity(key, leaf, chain...)
	require.NoError(p.t, err)
	return id
}

// TestSignerCacheIsBounded checks that a template used with many identities keeps a bounded number of signers
// (it kept one per identity forever: +32 MiB after 14,000 identities).
func TestSignerCacheIsBounded(t *testing.T) {
	tp := loadDesign(t)
	p := newECDSAPKI(t)
	inter := p.intermediate("Cache WWDR")
	first := p.identity(inter)
	s0, err := tp.signer(first, crypto.SHA256)
	require.NoError(t, err)
	for i := range 3 * maxCachedSigners {
		_, err := tp.signer(p.identity(inter), crypto.SHA256)
		require.NoError(t, err, "identity %d", i)
		require.LessOrEqual(t, tp.signers.len(), maxCachedSigners)
	}
	assert.Equal(t, maxCachedSigners, tp.signers.len())
	again, err := tp.signer(first, crypto.SHA256)
	require.NoError(t, err)
	assert.NotSame(t, s0, again, "the least recently used signer was evicted")

	// The identity in use stays cached while others come and go.
	busy := p.identity(inter)
	b0, err := tp.signer(busy, crypto.SHA256)
	require.NoError(t, err)
	for range 2 * maxCachedSigners {
		_, err := tp.signer(p.identity(inter), crypto.SHA256)
		require.NoError(t, err)
		b, err := tp.signer(busy, crypto.SHA256)
		require.NoError(t, err)
		require.Same(t, b0, b)
	}
}

// TestSignerCacheKeyedByContent checks that replacing an intermediate of Identity.Chain by another (same length)
// makes the next pass carry the new one: the cache was keyed by the identity's pointer and the chain's length.
func TestSignerCacheKeyedByContent(t *testing.T) {
	tp := loadDesign(t)
	p := newECDSAPKI(t)
	oldInter, newInter := p.intermediate("Old WWDR"), p.intermediate("New WWDR")
	// RSA: its signer is a DER skeleton made once, certificates included.
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	id := p.identityWithKey(key, oldInter)
	carried := func() []string {
		data, err := tp.IssueBytes(member("C-1", "Ada"), id, nil)
		require.NoError(t, err)
		roots := x509.NewCertPool()
		roots.AddCert(p.ca)
		pkg, err := sign.ReadBytes(data, &sign.VerifyOptions{Roots: roots})
		require.NoError(t, err)
		var names []string
		for _, c := range pkg.Signature.Certificates {
			names = append(names, c.Subject.CommonName)
		}
		return names
	}
	assert.Contains(t, carried(), "Old WWDR")
	id.Chain[0] = newInter
	got := carried()
	assert.Contains(t, got, "New WWDR")
	assert.NotContains(t, got, "Old WWDR")

	// Two identities with the same content share one signer.
	twin := *id
	a, err := tp.signer(id, crypto.SHA256)
	require.NoError(t, err)
	b, err := tp.signer(&twin, crypto.SHA256)
	require.NoError(t, err)
	assert.Same(t, a, b)
	c, err := tp.signer(id, crypto.SHA1)
	require.NoError(t, err)
	assert.NotSame(t, a, c)
	assert.Equal(t, fmt.Sprint(crypto.SHA1), fmt.Sprint(c.Digest()))
}

// BenchmarkSignerLookup measures the per-pass cost of finding the cached Signer (hashing the certificates).
func BenchmarkSignerLookup(b *testing.B) {
	tp := loadDesign(b)
	id := devID().Identity
	_, err := tp.signer(id, crypto.SHA256)
	require.NoError(b, err)
	for b.Loop() {
		if _, err := tp.signer(id, crypto.SHA256); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignerCacheRetainedHeap reports the heap a template keeps after signers were made for 14,000
// identities (one RSA key, a certificate each), the figure of issue 12 (+32 MiB before the cache was bounded).
func BenchmarkSignerCacheRetainedHeap(b *testing.B) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(b, err)
	caT := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Heap CA"}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caT, caT, &caKey.PublicKey, caKey)
	require.NoError(b, err)
	ca, err := x509.ParseCertificate(caDER)
	require.NoError(b, err)
	key := devID().Signer
	for b.Loop() {
		tp := loadDesign(b)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := range 14000 {
			tmpl := sign.PassCertificateTemplate(testPassTypeID, testTeamID, "Example", time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
			tmpl.SerialNumber = big.NewInt(int64(i + 2))
			der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
			require.NoError(b, err)
			leaf, err := x509.ParseCertificate(der)
			require.NoError(b, err)
			id, err := sign.NewIdentity(key, leaf, ca)
			require.NoError(b, err)
			_, err = tp.signer(id, crypto.SHA256)
			require.NoError(b, err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), "retained-MiB")
		runtime.KeepAlive(tp)
	}
}

// countingSigner is a crypto.Signer that counts the signatures it makes.
type countingSigner struct {
	crypto.Signer
	n int
}

func (c *countingSigner) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	c.n++
	return c.Signer.Sign(r, digest, opts)
}

// TestSignerCacheSignsWithTheCallersKey checks that a cached Signer is only shared by identities holding the same
// crypto.Signer: the cache is keyed by the certificates, which are public, so an identity carrying a cached
// certificate with another key (a new handle to a hardware key, or a key that does not match at all) used to sign
// with the first identity's key.
func TestSignerCacheSignsWithTheCallersKey(t *testing.T) {
	tp := loadDesign(t)
	p := newECDSAPKI(t)
	inter := p.intermediate("Key WWDR")
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	first := p.identityWithKey(key, inter)
	roots := x509.NewCertPool()
	roots.AddCert(p.ca)
	_, err = tp.IssueBytes(member("K-1", "Ada"), first, nil)
	require.NoError(t, err)

	// The same key through another handle: that handle signs.
	handle := &countingSigner{Signer: key}
	second := &sign.Identity{Certificate: first.Certificate, Signer: handle, Chain: first.Chain}
	data, err := tp.IssueBytes(member("K-2", "Ada"), second, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, handle.n, "the identity's own crypto.Signer made the signature")
	_, err = sign.ReadBytes(data, &sign.VerifyOptions{Roots: roots})
	require.NoError(t, err)

	// A key that does not match the certificate cannot borrow the cached one: the pass does not verify.
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	forged := &sign.Identity{Certificate: first.Certificate, Signer: other, Chain: first.Chain}
	if data, err := tp.IssueBytes(member("K-3", "Eve"), forged, nil); err == nil {
		_, err = sign.ReadBytes(data, &sign.VerifyOptions{Roots: roots})
		require.ErrorIs(t, err, sign.ErrSignature)
	}

	// The first identity still gets its own (cached) Signer.
	a, err := tp.signer(first, crypto.SHA256)
	require.NoError(t, err)
	b, err := tp.signer(first, crypto.SHA256)
	require.NoError(t, err)
	assert.Same(t, a, b)
}

// TestSignerCacheKeepsACopyOfTheChain checks that a cached Signer does not follow later edits of the Identity it
// was made from: after id.Chain[0] is replaced, another identity with the old chain must still carry the old
// intermediate (an ECDSA Signer builds the container from the identity at every signature).
func TestSignerCacheKeepsACopyOfTheChain(t *testing.T) {
	tp := loadDesign(t)
	p := newECDSAPKI(t)
	oldInter, newInter := p.intermediate("Old WWDR"), p.intermediate("New WWDR")
	id := p.identity(oldInter)
	roots := x509.NewCertPool()
	roots.AddCert(p.ca)
	carried := func(id *sign.Identity) []string {
		data, err := tp.IssueBytes(member("C-1", "Ada"), id, nil)
		require.NoError(t, err)
		pkg, err := sign.ReadBytes(data, &sign.VerifyOptions{Roots: roots})
		require.NoError(t, err)
		var names []string
		for _, c := range pkg.Signature.Certificates {
			names = append(names, c.Subject.CommonName)
		}
		return names
	}
	require.Contains(t, carried(id), "Old WWDR")
	twin := &sign.Identity{Certificate: id.Certificate, Signer: id.Signer, Chain: []*x509.Certificate{oldInter}}
	id.Chain[0] = newInter
	require.Contains(t, carried(id), "New WWDR")
	got := carried(twin)
	assert.Contains(t, got, "Old WWDR")
	assert.NotContains(t, got, "New WWDR")
}

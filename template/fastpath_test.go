package template

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/passforge/passforge/sign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSignerSignatureMatchesSign(t *testing.T) {
	tp := loadDesign(t)
	id := devID().Identity
	for _, digest := range []crypto.Hash{crypto.SHA256, crypto.SHA1} {
		t.Run(digest.String(), func(t *testing.T) {
			for i, at := range []time.Time{time.Now(), time.Now().Add(-30 * time.Minute).Truncate(time.Second)} {
				manifest := []byte(`{"icon.png":"` + string(rune('a'+i)) + `"}`)
				s, err := tp.signer(id, digest)
				require.NoError(t, err)
				got, err := s.Sign(manifest, at)
				require.NoError(t, err)
				want, err := sign.Signature(manifest, id, digest, at)
				require.NoError(t, err)
				// RSA PKCS#1 v1.5 is deterministic: the template's prepared
				// signer must make the very bytes of sign.Signature.
				assert.Equal(t, want, got)
				info, err := sign.VerifySignature(got, manifest)
				require.NoError(t, err)
				assert.Equal(t, digest, info.Digest)
				assert.WithinDuration(t, at, info.SigningTime, time.Second)
			}
		})
	}
}

func TestIssueDeterministic(t *testing.T) {
	tp := loadDesign(t)
	at := time.Now().Add(-time.Minute)
	opts := &sign.Options{Now: func() time.Time { return at }}
	a, err := tp.IssueBytes(member("D-1", "Ada"), devID().Identity, opts)
	require.NoError(t, err)
	b, err := tp.IssueBytes(member("D-1", "Ada"), devID().Identity, opts)
	require.NoError(t, err)
	assert.Equal(t, a, b, "same values, identity and signing time give the same bytes")
	pkg := verify(t, a)
	assert.Equal(t, at.UTC().Truncate(time.Second), pkg.Signature.SigningTime.UTC())
	assert.Equal(t, []string{"fr.lproj/pass.strings", "icon.png", "icon@2x.png", "logo.png", "logo@2x.png", "manifest.json", "pass.json", "signature"}, pkg.Files)
}

func TestIssueCertificateValidity(t *testing.T) {
	tp := loadDesign(t)
	for _, tt := range []struct {
		name string
		at   time.Time
		is   error
	}{
		{"expired", time.Now().AddDate(2, 0, 0), sign.ErrExpired},
		{"not yet valid", time.Now().AddDate(0, 0, -2), sign.ErrNotYetValid},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tp.IssueBytes(member("X-1", "a"), devID().Identity, &sign.Options{Now: func() time.Time { return tt.at }})
			require.ErrorIs(t, err, tt.is)
			assert.Regexp(t, `^template: signer certificate "`, err.Error())
		})
	}
}

// TestIssueECDSA covers the fallback to sign.Signature for signatures whose
// length varies.
func TestIssueECDSA(t *testing.T) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	now := time.Now()
	caT := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ECDSA Test CA"}, NotBefore: now.Add(-time.Hour),
		NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caT, caT, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	ca, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	leafT := sign.PassCertificateTemplate(testPassTypeID, testTeamID, "Example", now.Add(-time.Hour), now.Add(time.Hour))
	leafDER, err := x509.CreateCertificate(rand.Reader, leafT, ca, &leafKey.PublicKey, caKey)
	require.NoError(t, err)
	leaf, err := x509.ParseCertificate(leafDER)
	require.NoError(t, err)
	id, err := sign.NewIdentity(leafKey, leaf, ca)
	require.NoError(t, err)

	tp := loadDesign(t)
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	for i := range 3 {
		data, err := tp.IssueBytes(member("EC-"+string(rune('0'+i)), "Ec"), id, nil)
		require.NoError(t, err)
		pkg, err := sign.ReadBytes(data, &sign.VerifyOptions{Roots: roots})
		require.NoError(t, err)
		assert.Equal(t, "EC-"+string(rune('0'+i)), pkg.Pass.SerialNumber)
	}
}

// failingWriter fails once more than after bytes were written.
type failingWriter struct{ after int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.after -= len(p); f.after < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestIssueWriterError(t *testing.T) {
	tp := loadDesign(t)
	err := tp.Issue(&failingWriter{after: 100}, member("F-1", "a"), devID().Identity, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `template: pass "F-1": sign: writing the archive: disk full`)
}

func TestSignerCachedPerIdentityAndDigest(t *testing.T) {
	tp := loadDesign(t)
	id := devID().Identity
	a, err := tp.signer(id, crypto.SHA256)
	require.NoError(t, err)
	b, err := tp.signer(id, crypto.SHA256)
	require.NoError(t, err)
	assert.Same(t, a, b)
	c, err := tp.signer(id, crypto.SHA1)
	require.NoError(t, err)
	assert.NotSame(t, a, c)
	assert.Equal(t, crypto.SHA1, c.Digest())
	_, err = tp.IssueBytes(member("M-1", "a"), id, &sign.Options{Digest: crypto.MD5})
	require.Error(t, err)
	assert.Regexp(t, `^template: pass "M-1": sign: unsupported signature digest`, err.Error())
}

func TestMergeEntries(t *testing.T) {
	e := func(n string) sign.Entry { return sign.Entry{Name: n} }
	got := mergeEntries([]sign.Entry{e("a.png"), e("icon.png"), e("z.png")}, []sign.Entry{e("pass.json"), e("icon.png"), e("b.png")})
	var names []string
	for _, x := range got {
		names = append(names, x.Name)
	}
	assert.Equal(t, []string{"a.png", "b.png", "icon.png", "pass.json", "z.png"}, names)
}

package sign

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"
)

// forgedUnderG4 returns a Pass Type ID certificate for key that names Apple
// WWDR G4 as its issuer, with G4's key identifier as authority key id, but
// is signed by another key: it was not issued by G4.
func forgedUnderG4(t *testing.T, p *testPKI) *x509.Certificate {
	t.Helper()
	g4 := AppleWWDRG4()
	fakeKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	parent := &x509.Certificate{RawSubject: g4.RawSubject, Subject: g4.Subject, SubjectKeyId: g4.SubjectKeyId}
	tmpl := PassCertificateTemplate(testPassTypeID, testTeamID, "Example Inc.", time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
	c, err := createCert(tmpl, parent, &p.leafKey.PublicKey, fakeKey)
	require.NoError(t, err)
	require.Equal(t, g4.RawSubject, c.RawIssuer)
	require.Equal(t, g4.SubjectKeyId, c.AuthorityKeyId)
	return c
}

// TestDefaultChainOnlyWhenG4IssuedTheCertificate checks that the embedded
// WWDR G4 becomes the chain only of a certificate it issued: a certificate
// that merely names it (issuer and key identifier) gets no chain.
func TestDefaultChainOnlyWhenG4IssuedTheCertificate(t *testing.T) {
	p := pkiOnce()
	forged := forgedUnderG4(t, p)
	t.Run("LoadPEM", func(t *testing.T) {
		id, err := LoadPEM(certPEM(forged), keyPEM(t, p.leafKey), nil)
		require.NoError(t, err)
		assert.Empty(t, id.Chain)
	})
	t.Run("NewIdentity", func(t *testing.T) {
		id, err := NewIdentity(p.leafKey, forged)
		require.NoError(t, err)
		assert.Empty(t, id.Chain)
	})
	t.Run("LoadDER", func(t *testing.T) {
		id, err := LoadDER(forged.Raw, keyPEMDER(t, p))
		require.NoError(t, err)
		assert.Empty(t, id.Chain)
	})
	// The same check accepts a real issuer: WWDR G4 was issued by Apple Root CA.
	assert.True(t, issuedBy(AppleWWDRG4(), AppleRootCA()))
	assert.False(t, issuedBy(forged, AppleWWDRG4()))
	assert.False(t, issuedBy(AppleRootCA(), AppleWWDRG4()))
	// A certificate the file's intermediate issued keeps that intermediate.
	leaf := p.leaf(t, p.leafKey, testPassTypeID, testTeamID, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
	id, err := LoadPEM(certPEM(leaf, p.inter), keyPEM(t, p.leafKey), nil)
	require.NoError(t, err)
	require.Len(t, id.Chain, 1)
	assert.True(t, id.Chain[0].Equal(p.inter))
}

func keyPEMDER(t *testing.T, p *testPKI) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(p.leafKey)
	require.NoError(t, err)
	return der
}

// unrelatedCerts returns n self-issued CA certificates that issued nothing of
// the test PKI, plus one intermediate with the test intermediate's name but
// another key (a wrong intermediate).
func unrelatedCerts(t testing.TB, p *testPKI, n int) []*x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	var out []*x509.Certificate
	for i := range n {
		tmpl := &x509.Certificate{SerialNumber: randomSerial(), Subject: pkix.Name{CommonName: fmt.Sprintf("Unrelated CA %d", i)},
			NotBefore: time.Now().AddDate(-3, 0, 0), NotAfter: time.Now().AddDate(-1, 0, 0), IsCA: true, BasicConstraintsValid: true}
		c, err := createCert(tmpl, tmpl, &key.PublicKey, key)
		require.NoError(t, err)
		out = append(out, c)
	}
	wrong := &x509.Certificate{SerialNumber: randomSerial(), Subject: p.inter.Subject, NotBefore: time.Now().AddDate(-1, 0, 0),
		NotAfter: time.Now().AddDate(1, 0, 0), IsCA: true, BasicConstraintsValid: true, SubjectKeyId: []byte{1, 2, 3, 4}}
	c, err := createCert(wrong, p.root, &key.PublicKey, p.rootKey)
	require.NoError(t, err)
	return append(out, c)
}

// TestLoadKeepsOnlyTheSignersChain checks that the certificates of a .p12 or
// PEM file that are not part of the signer's chain are not embedded in
// signatures, and are reported in one line.
func TestLoadKeepsOnlyTheSignersChain(t *testing.T) {
	p := pkiOnce()
	leaf := p.leaf(t, p.leafKey, testPassTypeID, testTeamID, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
	extra := unrelatedCerts(t, p, 40)
	all := append(append([]*x509.Certificate{extra[0], extra[len(extra)-1], leaf}, extra[1:len(extra)-1]...), p.root, p.inter)

	check := func(t *testing.T, id *Identity) {
		require.Len(t, id.Chain, 1)
		assert.True(t, id.Chain[0].Equal(p.inter), "the intermediate that issued the leaf, not the one with its name")
		assert.Len(t, id.Ignored, len(extra))
		w := id.IgnoredWarning()
		assert.Equal(t, `sign: left out 41 certificates of the file that are not part of the signer's chain (first: "Unrelated CA 0")`, w)
		assert.Empty(t, id.Check(time.Now()), "the expired unrelated certificates are not checked: they are not used")

		sig, err := Signature([]byte(`{}`), id, 0, time.Now())
		require.NoError(t, err)
		info, err := VerifySignature(sig, []byte(`{}`))
		require.NoError(t, err)
		assert.Len(t, info.Certificates, 2, "signer and intermediate only")
		assert.Less(t, len(sig), 3000)
	}
	t.Run("PEM", func(t *testing.T) {
		id, err := LoadPEM(certPEM(all...), keyPEM(t, p.leafKey), nil)
		require.NoError(t, err)
		check(t, id)
	})
	t.Run("p12", func(t *testing.T) {
		for kind, data := range p12Files(t, "pw", true, all...) {
			t.Run(kind, func(t *testing.T) {
				id, err := LoadP12(data, "pw")
				require.NoError(t, err)
				check(t, id)
			})
		}
	})
	t.Run("one ignored", func(t *testing.T) {
		id, err := LoadPEM(certPEM(leaf, extra[3], p.inter), keyPEM(t, p.leafKey), nil)
		require.NoError(t, err)
		assert.Equal(t, `sign: left out 1 certificate of the file that is not part of the signer's chain (first: "Unrelated CA 3")`, id.IgnoredWarning())
	})
	t.Run("duplicates and order", func(t *testing.T) {
		id, err := LoadPEM(certPEM(p.inter, leaf, p.inter, p.root), keyPEM(t, p.leafKey), nil)
		require.NoError(t, err)
		require.Len(t, id.Chain, 1)
		assert.Empty(t, id.Ignored)
	})
	assert.False(t, strings.Contains((&Identity{}).IgnoredWarning(), "left out"))
}

// TestLoadP12SaysWhatTheFileIsNot checks the errors of files that are not a
// .p12 or are damaged: what is wrong and what to do, without a Go struct dump.
func TestLoadP12SaysWhatTheFileIsNot(t *testing.T) {
	p := pkiOnce()
	leaf := p.leaf(t, p.leafKey, testPassTypeID, testTeamID, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
	good, err := encodeTestP12(p, leaf, "pw")
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"text", []byte("not a p12 at all\n"), "sign: not a PKCS#12 file; export the certificate with its key from Keychain Access"},
		{"PEM", certPEM(leaf), "sign: not a PKCS#12 file; export the certificate with its key from Keychain Access (this file holds PEM text)"},
		{"DER certificate", leaf.Raw, "sign: not a PKCS#12 file; export the certificate with its key from Keychain Access (this file is a certificate without its private key)"},
		{"empty", nil, "sign: not a PKCS#12 file; export the certificate with its key from Keychain Access"},
		{"truncated", good[:len(good)/2], "sign: not a PKCS#12 file; export the certificate with its key from Keychain Access"},
		{"damaged inside", damage(good), "sign: the .p12 file is damaged: its contents do not parse"},
		{"BER", indefiniteBER(t, good, 1), "sign: the .p12 file uses indefinite lengths (BER), which passforge cannot read; " +
			"export it again, or convert it with openssl pkcs12 -export (it writes DER)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadP12(tc.data, "pw")
			require.EqualError(t, err, tc.want)
			if strings.HasPrefix(tc.want, "sign: not a PKCS#12") {
				require.ErrorIs(t, err, ErrNotP12)
			}
		})
	}
}

// damage changes the tag of the MAC's digest algorithm OID, keeping the
// outer structure of a .p12: the file is a .p12 whose contents do not parse.
func damage(p12 []byte) []byte {
	b := append([]byte(nil), p12...)
	for _, oid := range [][]byte{{0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01}, {0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a}} {
		if i := bytes.LastIndex(b, oid); i > 0 {
			b[i] = 0x13
			return b
		}
	}
	panic("no MAC digest OID in the test .p12")
}

// TestVerifyChainWithCustomRootsKeepsEmbeddedCandidates checks that roots
// given by the caller add to the intermediates the chain walk may use (the
// ones the library embeds, in Read: Apple WWDR G4 and Apple Root CA) instead of
// replacing them: a pass carrying the wrong intermediate, or a SHA-1
// intermediate (like WWDR G1) without its root, still verifies when the
// embedded certificates complete its chain. extra stands for the embedded
// certificates, which no test can issue from.
func TestVerifyChainWithCustomRootsKeepsEmbeddedCandidates(t *testing.T) {
	p := pkiOnce()
	leaf := p.leaf(t, p.leafKey, testPassTypeID, testTeamID, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
	wrong := unrelatedCerts(t, p, 1)
	now := time.Now()

	t.Run("wrong intermediate carried", func(t *testing.T) {
		chain, err := verifyChain(leaf, []*x509.Certificate{leaf, wrong[1]}, p.roots(), now, []*x509.Certificate{p.inter})
		require.NoError(t, err)
		require.Len(t, chain, 3)
		assert.True(t, chain[1].Equal(p.inter))
		_, err = verifyChain(leaf, []*x509.Certificate{leaf, wrong[1]}, p.roots(), now, nil)
		require.Error(t, err, "without the candidate the chain is incomplete")
	})
	t.Run("SHA-1 intermediate without its root", func(t *testing.T) {
		l := legacyPKI(t)
		now := time.Now()
		chain, err := verifyChain(l.leaf, []*x509.Certificate{l.leaf, l.wwdr}, l.pool(), now, []*x509.Certificate{AppleWWDRG4(), l.root})
		require.NoError(t, err)
		require.Len(t, chain, 3)
		assert.True(t, chain[2].Equal(l.root))
		// The candidates add no trust: other roots still refuse the chain.
		_, err = verifyChain(l.leaf, []*x509.Certificate{l.leaf, l.wwdr}, p.roots(), now, []*x509.Certificate{l.root})
		require.Error(t, err)
		_, err = verifyChain(l.leaf, []*x509.Certificate{l.leaf, l.wwdr}, l.pool(), now, nil)
		require.Error(t, err)
	})
	t.Run("Read passes the embedded certificates", func(t *testing.T) {
		extra := chainCandidates()
		require.Len(t, extra, 2)
		assert.Same(t, AppleWWDRG4(), extra[0])
		assert.Same(t, AppleRootCA(), extra[1])
	})
}

// legacy is a PKI whose intermediate is signed with SHA-1, like Apple WWDR G1
// under Apple Root CA, made with openssl (crypto/x509 no longer signs with
// SHA-1).
type legacy struct {
	root, wwdr, leaf *x509.Certificate
	// dir holds the PEM files openssl wrote: root, wwdr and leaf, each as
	// name.pem and name.key.
	dir string
}

// file returns the contents of one of l's PEM files, such as "leaf.key".
func (l legacy) file(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(l.dir, name))
	require.NoError(t, err)
	return b
}

func (l legacy) pool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(l.root)
	return pool
}

func legacyPKI(t *testing.T) legacy {
	t.Helper()
	dir := t.TempDir()
	o := func(args ...string) { runOpenSSL(t, args...) }
	p := func(n string) string { return filepath.Join(dir, n) }
	require.NoError(t, os.WriteFile(p("ca.ext"), []byte("basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"), 0o600))
	o("req", "-x509", "-sha1", "-newkey", "rsa:2048", "-nodes", "-keyout", p("root.key"), "-out", p("root.pem"), "-days", "3650",
		"-subj", "/CN=Legacy Root CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
	o("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", p("wwdr.key"), "-out", p("wwdr.csr"), "-subj", "/CN=Legacy WWDR")
	o("x509", "-req", "-sha1", "-in", p("wwdr.csr"), "-CA", p("root.pem"), "-CAkey", p("root.key"), "-set_serial", "2",
		"-out", p("wwdr.pem"), "-days", "3650", "-extfile", p("ca.ext"))
	o("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", p("leaf.key"), "-out", p("leaf.csr"),
		"-subj", "/UID="+testPassTypeID+"/CN=Pass Type ID: "+testPassTypeID+"/OU="+testTeamID+"/O=Example Inc./C=US")
	o("x509", "-req", "-sha256", "-in", p("leaf.csr"), "-CA", p("wwdr.pem"), "-CAkey", p("wwdr.key"), "-set_serial", "3",
		"-out", p("leaf.pem"), "-days", "365")
	l := legacy{dir: dir}
	for _, c := range []struct {
		name string
		cert **x509.Certificate
	}{{"root.pem", &l.root}, {"wwdr.pem", &l.wwdr}, {"leaf.pem", &l.leaf}} {
		certs, err := ParseCertificatesPEM(l.file(t, c.name))
		require.NoError(t, err)
		*c.cert = certs[0]
	}
	require.Equal(t, x509.SHA1WithRSA, l.wwdr.SignatureAlgorithm)
	return l
}

// TestExpiredSinceSigning checks the lines that tell a pass whose certificate
// expired after it was signed (Wallet installs it: it judges the chain at the
// signing time) from one signed while the certificate was valid.
func TestExpiredSinceSigning(t *testing.T) {
	p := pkiOnce()
	now := time.Now().UTC().Truncate(time.Second)
	expired := p.leaf(t, p.leafKey, testPassTypeID, testTeamID, now.AddDate(-2, 0, 0), now.AddDate(-1, 0, 0))
	id, err := NewIdentity(p.leafKey, expired, p.inter)
	require.NoError(t, err)
	signedAt := now.AddDate(-1, -6, 0)
	data := writePass(t, testPass(), testAssets(t), id, &Options{Now: func() time.Time { return signedAt }})

	pkg, err := ReadBytes(data, &VerifyOptions{Roots: p.roots(), AtSigningTime: true, Now: func() time.Time { return now }})
	require.NoError(t, err)
	assert.Equal(t, []string{fmt.Sprintf("certificate %q expired on %s; passes signed before then still install",
		expired.Subject.CommonName, expired.NotAfter.UTC().Format(time.RFC3339))}, pkg.ExpiredSinceSigning(now))
	assert.Empty(t, pkg.ExpiredSinceSigning(signedAt), "nothing had expired at the signing time")

	valid := writePass(t, testPass(), testAssets(t), p.identity(t), nil)
	pkg, err = ReadBytes(valid, &VerifyOptions{Roots: p.roots(), AtSigningTime: true})
	require.NoError(t, err)
	assert.Empty(t, pkg.ExpiredSinceSigning(now))
	assert.Empty(t, (*Package)(nil).ExpiredSinceSigning(now))
}

// TestAppleCertificateAsDownloaded checks the files of the README's path for a real certificate as a new user has
// them: Apple's download is a DER .cer, which LoadPEM (passforge sign --cert) takes as it is, and a .cer given
// where a .p12 is expected says it lacks the key.
func TestAppleCertificateAsDownloaded(t *testing.T) {
	p := pkiOnce()
	leaf := p.leaf(t, p.leafKey, testPassTypeID, testTeamID, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
	id, err := LoadPEM(leaf.Raw, keyPEM(t, p.leafKey), nil)
	require.NoError(t, err)
	assert.True(t, id.Certificate.Equal(leaf))

	_, err = LoadPEM([]byte("neither PEM nor DER"), keyPEM(t, p.leafKey), nil)
	require.ErrorIs(t, err, ErrNoCertificate)

	_, err = LoadP12(leaf.Raw, "")
	require.ErrorIs(t, err, ErrNotP12)
	assert.EqualError(t, err, "sign: not a PKCS#12 file; export the certificate with its key from Keychain Access"+
		" (this file is a certificate without its private key)")
}

// TestLoadP12RefusesExcessiveIterations checks that a .p12 asking for millions of key-derivation iterations (in
// its MAC, its shrouded key bag or its encrypted certificates) is refused before any of them run: go-pkcs12 has no
// bound, and a file asking for 2^31 kept the loader busy for minutes.
func TestLoadP12RefusesExcessiveIterations(t *testing.T) {
	id, _ := goldenIdentity(t)
	data, err := pkcs12.Modern.WithIterations(0x10000).Encode(id.Signer, id.Certificate, id.Chain, "pw")
	require.NoError(t, err)
	_, err = LoadP12(data, "pw")
	require.NoError(t, err, "65,536 iterations are fine")
	count := []byte{0x02, 0x03, 0x01, 0x00, 0x00} // INTEGER 65536
	n := bytes.Count(data, count)
	require.GreaterOrEqual(t, n, 3, "MAC, key bag and certificate bag each carry the count")
	for i := range n {
		patched := bytes.Clone(data)
		at := 0
		for range i + 1 {
			at += bytes.Index(patched[at:], count) + 1
		}
		copy(patched[at-1:], []byte{0x02, 0x03, 0x7f, 0xff, 0xff}) // 8,388,607
		_, err := LoadP12(patched, "pw")
		require.EqualError(t, err, "sign: the .p12 file asks for 8388607 key-derivation iterations, more than the 1000000 passforge allows; export it again", "occurrence %d", i)
	}
}

// TestChainWarning checks the line that tells an identity without any intermediate (Wallet needs the issuer of
// the Pass Type ID certificate in the signature) from one with its chain.
func TestChainWarning(t *testing.T) {
	p := pkiOnce()
	forged := forgedUnderG4(t, p)
	id, err := LoadPEM(certPEM(forged), keyPEM(t, p.leafKey), nil)
	require.NoError(t, err)
	assert.Equal(t, `sign: no intermediate certificate to include: Apple WWDR G4 did not issue "Pass Type ID: pass.com.example.test" and the file holds none of its issuers; Wallet needs the issuer in the signature`, id.ChainWarning())
	assert.Empty(t, p.identity(t).ChainWarning())
	assert.Empty(t, (*Identity)(nil).ChainWarning())
}

package sign

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"
)

func TestEmbeddedAppleCertificatesFingerprints(t *testing.T) {
	// The fingerprints published in shared/apple-certs/README.md.
	want := map[string]string{
		"WWDR G4":       "EA:47:57:88:55:38:DD:8C:B5:9F:F4:55:6F:67:60:87:D8:3C:85:E7:09:02:C1:22:E4:2C:08:08:B5:BC:E1:4C",
		"Apple Root CA": "B0:B1:73:0E:CB:C7:FF:45:05:14:2C:49:F1:29:5E:6E:DA:6B:CA:ED:7E:2C:68:C5:BE:91:B5:A1:10:01:F0:24",
	}
	got := map[string]*x509.Certificate{"WWDR G4": AppleWWDRG4(), "Apple Root CA": AppleRootCA()}
	for name, fp := range want {
		t.Run(name, func(t *testing.T) {
			sum := sha256.Sum256(got[name].Raw)
			assert.Equal(t, strings.ReplaceAll(fp, ":", ""), strings.ToUpper(hex.EncodeToString(sum[:])))
		})
	}
	assert.NoError(t, AppleWWDRG4().CheckSignatureFrom(AppleRootCA()))
	_, err := AppleWWDRG4().Verify(x509.VerifyOptions{Roots: AppleRoots(), CurrentTime: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	assert.NoError(t, err)
}

func TestNewIdentity(t *testing.T) {
	p := pkiOnce()
	good := p.leaf(t, p.leafKey, testPassTypeID, testTeamID, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
	noUID := p.leaf(t, p.leafKey, "", testTeamID, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
	noOU := p.leaf(t, p.leafKey, testPassTypeID, "", time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))

	id, err := NewIdentity(p.leafKey, good)
	require.NoError(t, err)
	assert.Equal(t, testPassTypeID, id.PassTypeIdentifier())
	assert.Equal(t, testTeamID, id.TeamIdentifier())
	assert.Equal(t, good.NotAfter, id.NotAfter())
	assert.Empty(t, id.Chain, "WWDR G4 did not issue the test certificate: no default chain")

	for _, tc := range []struct {
		name   string
		signer crypto.Signer
		cert   *x509.Certificate
		want   error
	}{
		{"key mismatch", p.otherKey, good, ErrKeyMismatch},
		{"no UID", p.leafKey, noUID, ErrNotPassTypeID},
		{"no OU", p.leafKey, noOU, ErrNotPassTypeID},
		{"CA certificate", p.interKey, p.inter, ErrNotPassTypeID},
		{"no certificate", p.leafKey, nil, ErrNoCertificate},
		{"no key", nil, good, ErrNoPrivateKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewIdentity(tc.signer, tc.cert)
			require.ErrorIs(t, err, tc.want)
		})
	}
}

// opaqueSigner hides the key type, like an HSM or KMS signer.
type opaqueSigner struct{ inner crypto.Signer }

func (s opaqueSigner) Public() crypto.PublicKey { return s.inner.Public() }
func (s opaqueSigner) Sign(r io.Reader, d []byte, o crypto.SignerOpts) ([]byte, error) {
	return s.inner.Sign(r, d, o)
}

func TestAnyCryptoSigner(t *testing.T) {
	p := pkiOnce()
	c := p.leaf(t, p.leafKey, testPassTypeID, testTeamID, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
	id, err := NewIdentity(opaqueSigner{p.leafKey}, c, p.inter)
	require.NoError(t, err)
	manifest := []byte(`{"pass.json":"00"}`)
	sig, err := Signature(manifest, id, 0, time.Now())
	require.NoError(t, err)
	info, err := VerifySignature(sig, manifest)
	require.NoError(t, err)
	assert.True(t, info.Signer.Equal(c))

	// An ECDSA Pass Type ID key works too.
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ec := p.leaf(t, ek, testPassTypeID, testTeamID, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
	eid, err := NewIdentity(opaqueSigner{ek}, ec, p.inter)
	require.NoError(t, err)
	sig, err = Signature(manifest, eid, crypto.SHA256, time.Now())
	require.NoError(t, err)
	_, err = VerifySignature(sig, manifest)
	require.NoError(t, err)
}

func TestIdentityCheck(t *testing.T) {
	p := pkiOnce()
	now := time.Now()
	soon := p.leaf(t, p.leafKey, testPassTypeID, testTeamID, now.Add(-time.Hour), now.Add(10*24*time.Hour))
	id, err := NewIdentity(p.leafKey, soon, p.inter)
	require.NoError(t, err)
	notes := id.Check(now)
	require.Len(t, notes, 1)
	assert.NoError(t, notes[0].Err)
	assert.Contains(t, notes[0].String(), "expires on")

	notes = id.Check(now.Add(20 * 24 * time.Hour))
	require.Len(t, notes, 1)
	require.ErrorIs(t, notes[0].Err, ErrExpired)

	notes = id.Check(now.Add(-48 * time.Hour))
	require.ErrorIs(t, notes[0].Err, ErrNotYetValid)

	// A chain certificate (here the embedded WWDR G4) is checked too. Every
	// date of this part derives from the test's own clock, set a year before
	// WWDR G4 expires, so the test holds whatever the machine's date is.
	clock := AppleWWDRG4().NotAfter.AddDate(-1, 0, 0)
	long := p.leaf(t, p.leafKey, testPassTypeID, testTeamID, clock.Add(-time.Hour), clock.AddDate(10, 0, 0))
	wid := &Identity{Certificate: long, Signer: p.leafKey, Chain: []*x509.Certificate{AppleWWDRG4()}}
	assert.Empty(t, wid.Check(clock))
	notes = wid.Check(AppleWWDRG4().NotAfter.Add(-10 * 24 * time.Hour))
	require.Len(t, notes, 1)
	assert.Contains(t, notes[0].Subject, "Worldwide Developer Relations")
	assert.NoError(t, notes[0].Err)
	notes = wid.Check(AppleWWDRG4().NotAfter.Add(time.Hour))
	require.Len(t, notes, 1)
	require.ErrorIs(t, notes[0].Err, ErrExpired)
}

// p12Files writes a certificate chain and key as PEM and converts them with
// the openssl CLI into legacy and modern .p12 files.
func p12Files(t *testing.T, password string, withKey bool, certs ...*x509.Certificate) map[string][]byte {
	t.Helper()
	p := pkiOnce()
	dir := t.TempDir()
	f := writeFiles(t, dir, map[string][]byte{"certs.pem": certPEM(certs...), "key.pem": keyPEM(t, p.leafKey)})
	out := map[string][]byte{}
	for name, extra := range map[string][]string{
		"legacy": {"-legacy", "-certpbe", "PBE-SHA1-3DES", "-keypbe", "PBE-SHA1-3DES", "-macalg", "sha1"},
		"modern": nil,
	} {
		target := filepath.Join(dir, name+".p12")
		args := []string{"pkcs12", "-export", "-in", f["certs.pem"], "-out", target, "-passout", "pass:" + password}
		if withKey {
			args = append(args, "-inkey", f["key.pem"])
		} else {
			args = append(args, "-nokeys")
		}
		runOpenSSL(t, append(args, extra...)...)
		b, err := os.ReadFile(target)
		require.NoError(t, err)
		out[name] = b
	}
	return out
}

func TestLoadP12(t *testing.T) {
	p := pkiOnce()
	leaf := p.leaf(t, p.leafKey, testPassTypeID, testTeamID, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
	const password = "s3cret-Pa55word"

	t.Run("single certificate", func(t *testing.T) {
		for kind, data := range p12Files(t, password, true, leaf) {
			t.Run(kind, func(t *testing.T) {
				id, err := LoadP12(data, password)
				require.NoError(t, err)
				assert.True(t, id.Certificate.Equal(leaf))
				assert.Equal(t, testPassTypeID, id.PassTypeIdentifier())
				assert.Empty(t, id.Chain, "WWDR G4 did not issue the test certificate")
				assert.Empty(t, id.Ignored)
			})
		}
	})
	t.Run("several certificates", func(t *testing.T) {
		// The intermediate first: the loader must pick the leaf by its key.
		for kind, data := range p12Files(t, password, true, leaf, p.inter, p.root) {
			t.Run(kind, func(t *testing.T) {
				id, err := LoadP12(data, password)
				require.NoError(t, err)
				assert.True(t, id.Certificate.Equal(leaf))
				require.Len(t, id.Chain, 1, "the intermediate; the root is left out, verifiers hold it")
				assert.True(t, id.Chain[0].Equal(p.inter))
				assert.Empty(t, id.Ignored)
				assert.Empty(t, id.IgnoredWarning())
			})
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		for kind, data := range p12Files(t, password, true, leaf) {
			t.Run(kind, func(t *testing.T) {
				_, err := LoadP12(data, "not the password")
				require.ErrorIs(t, err, ErrWrongPassword)
				assert.NotContains(t, err.Error(), password)
				assert.NotContains(t, err.Error(), "not the password")
			})
		}
	})
	t.Run("no private key", func(t *testing.T) {
		for kind, data := range p12Files(t, password, false, leaf) {
			t.Run(kind, func(t *testing.T) {
				_, err := LoadP12(data, password)
				require.ErrorIs(t, err, ErrNoPrivateKey)
			})
		}
	})
	t.Run("key does not match", func(t *testing.T) {
		// openssl refuses to pair a key with a foreign certificate, so this
		// file is made in Go.
		other := p.leaf(t, p.otherKey, testPassTypeID, testTeamID, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
		data, err := pkcs12.Modern.Encode(p.leafKey, other, nil, password)
		require.NoError(t, err)
		_, err = LoadP12(data, password)
		require.ErrorIs(t, err, ErrKeyMismatch)
	})
	t.Run("not a Pass Type ID certificate", func(t *testing.T) {
		plain := p.leaf(t, p.leafKey, "", "", time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
		for kind, data := range p12Files(t, password, true, plain) {
			t.Run(kind, func(t *testing.T) {
				_, err := LoadP12(data, password)
				require.ErrorIs(t, err, ErrNotPassTypeID)
			})
		}
	})
	t.Run("garbage", func(t *testing.T) {
		_, err := LoadP12([]byte("not a p12"), password)
		require.Error(t, err)
		assert.True(t, strings.HasPrefix(err.Error(), "sign: "), err.Error())
	})
}

func TestLoadPEM(t *testing.T) {
	p := pkiOnce()
	leaf := p.leaf(t, p.leafKey, testPassTypeID, testTeamID, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
	dir := t.TempDir()
	const password = "pem-pa55"
	f := writeFiles(t, dir, map[string][]byte{"key.pem": keyPEM(t, p.leafKey)})
	enc := filepath.Join(dir, "enc.pem")
	runOpenSSL(t, "pkcs8", "-topk8", "-in", f["key.pem"], "-out", enc, "-v2", "aes-256-cbc", "-passout", "pass:"+password)
	encPEM, err := os.ReadFile(enc)
	require.NoError(t, err)
	enc3 := filepath.Join(dir, "enc3.pem")
	runOpenSSL(t, "pkcs8", "-topk8", "-in", f["key.pem"], "-out", enc3, "-v2", "des3", "-v2prf", "hmacWithSHA1", "-passout", "pass:"+password)
	enc3PEM, err := os.ReadFile(enc3)
	require.NoError(t, err)
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(p.leafKey)})
	//lint:ignore SA1019 the test needs a legacy encrypted key to read
	legacyBlock, err := x509.EncryptPEMBlock(rand.Reader, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(p.leafKey), []byte(password), x509.PEMCipherAES256)
	require.NoError(t, err)
	legacy := pem.EncodeToMemory(legacyBlock)

	for _, tc := range []struct {
		name     string
		cert     []byte
		key      []byte
		password string
		want     error
		chainLen int
	}{
		{"PKCS#8", certPEM(leaf), keyPEM(t, p.leafKey), "", nil, 0},
		{"PKCS#1", certPEM(leaf), pkcs1, "", nil, 0},
		{"one file with chain", append(certPEM(leaf, p.inter), pkcs1...), nil, "", nil, 1},
		{"encrypted PKCS#8 AES", certPEM(leaf), encPEM, password, nil, 0},
		{"encrypted PKCS#8 3DES", certPEM(leaf), enc3PEM, password, nil, 0},
		{"legacy encrypted PEM", certPEM(leaf), legacy, password, nil, 0},
		{"encrypted PKCS#8 wrong password", certPEM(leaf), encPEM, "nope", ErrWrongPassword, 0},
		{"legacy encrypted wrong password", certPEM(leaf), legacy, "nope", ErrWrongPassword, 0},
		{"no key", certPEM(leaf), certPEM(leaf), "", ErrNoPrivateKey, 0},
		{"no certificate", keyPEM(t, p.leafKey), keyPEM(t, p.leafKey), "", ErrNoCertificate, 0},
		{"mismatch", certPEM(leaf), keyPEM(t, p.otherKey), "", ErrKeyMismatch, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := tc.key
			if key == nil {
				key = tc.cert
			}
			id, err := LoadPEM(tc.cert, key, []byte(tc.password))
			if tc.want != nil {
				require.ErrorIs(t, err, tc.want)
				if tc.password != "" {
					assert.NotContains(t, err.Error(), tc.password)
				}
				return
			}
			require.NoError(t, err)
			assert.True(t, id.Certificate.Equal(leaf))
			assert.Len(t, id.Chain, tc.chainLen)
		})
	}
}

func TestLoadDER(t *testing.T) {
	p := pkiOnce()
	leaf := p.leaf(t, p.leafKey, testPassTypeID, testTeamID, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
	id, err := LoadDER(leaf.Raw, x509.MarshalPKCS1PrivateKey(p.leafKey))
	require.NoError(t, err)
	assert.Equal(t, testTeamID, id.TeamIdentifier())
	_, err = LoadDER(leaf.Raw, []byte{1, 2, 3})
	require.Error(t, err)
	_, err = LoadDER([]byte{1, 2, 3}, x509.MarshalPKCS1PrivateKey(p.leafKey))
	require.Error(t, err)
}

func TestDevelopmentIdentity(t *testing.T) {
	dev, err := NewDevelopmentIdentity(testPassTypeID, testTeamID)
	require.NoError(t, err)
	assert.Equal(t, testPassTypeID, dev.PassTypeIdentifier())
	assert.Equal(t, testTeamID, dev.TeamIdentifier())
	pool := x509.NewCertPool()
	pool.AddCert(dev.CA)
	inter := x509.NewCertPool()
	inter.AddCert(dev.Chain[0])
	_, err = dev.Certificate.Verify(x509.VerifyOptions{Roots: pool, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	require.NoError(t, err)
	_, err = dev.Certificate.Verify(x509.VerifyOptions{Roots: AppleRoots(), Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	require.Error(t, err, "a development identity must not chain to Apple")
	assert.Regexp(t, regexp.MustCompile(`^-----BEGIN CERTIFICATE-----`), string(dev.CAPEM()))
	_, err = NewDevelopmentIdentity("", testTeamID)
	require.Error(t, err)
}

// FuzzLoadP12 checks that LoadP12 never panics or hangs and keeps the password out of its errors. Its seeds use
// the committed golden key: generating RSA keys in every fuzz worker, under coverage instrumentation, took most of
// a two-minute run.
func FuzzLoadP12(f *testing.F) {
	id, root := goldenIdentity(f)
	f.Add([]byte{0x30, 0x03, 0x02, 0x01, 0x03}, "")
	f.Add([]byte("garbage"), "x")
	for _, enc := range []*pkcs12.Encoder{pkcs12.Modern, pkcs12.LegacyRC2, pkcs12.LegacyDES} {
		b, err := enc.Encode(id.Signer, id.Certificate, []*x509.Certificate{id.Chain[0], root}, "pw")
		require.NoError(f, err)
		f.Add(b, "pw")
		f.Add(b[:len(b)/2], "pw")
	}
	f.Fuzz(func(t *testing.T, data []byte, password string) {
		id, err := LoadP12(data, password)
		if err == nil {
			require.NotNil(t, id.Certificate)
			return
		}
		if password != "" && len(password) > 3 {
			assert.NotContains(t, err.Error(), password)
		}
		assert.True(t, strings.HasPrefix(err.Error(), "sign: "), err.Error())
		_ = errors.Unwrap(err)
	})
}

func TestIdentityFromPartsPicksLeafByKey(t *testing.T) {
	p := pkiOnce()
	leaf := p.leaf(t, p.leafKey, testPassTypeID, testTeamID, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
	id, err := identityFromParts(p.leafKey, []*x509.Certificate{p.root, p.inter, leaf})
	require.NoError(t, err)
	assert.True(t, id.Certificate.Equal(leaf))
	require.Len(t, id.Chain, 1)
	assert.True(t, id.Chain[0].Equal(p.inter), "the chain is the leaf's issuer, whatever the order")

	// An ECDSA key in SEC 1 form loads from PEM too.
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalECPrivateKey(ek)
	require.NoError(t, err)
	ec := p.leaf(t, ek, testPassTypeID, testTeamID, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
	id, err = LoadPEM(certPEM(ec), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), nil)
	require.NoError(t, err)
	assert.True(t, id.Certificate.Equal(ec))
}

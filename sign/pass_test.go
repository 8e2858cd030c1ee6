package sign

import (
	"archive/zip"
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"flag"
	"image"
	"image/png"
	"io"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passforge/passforge/pass"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var fixedTime = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return fixedTime }

// testNow is a fixed clock inside the validity of the test PKI.
var testNow = time.Now().UTC().Truncate(time.Second)

func nowClock() time.Time { return testNow }

// testPNG returns a noisy w×h PNG: noise keeps it from compressing, like a
// real photo.
func testPNG(t testing.TB, w, h int, seed uint64) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	for i := 0; i < len(img.Pix); i += 4 {
		x, y := (i/4)%w, (i/4)/w
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(x*7), uint8(y*3), uint8(r.Uint32()), 255
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

func testPass() *pass.Pass {
	return &pass.Pass{
		FormatVersion:      1,
		PassTypeIdentifier: testPassTypeID,
		SerialNumber:       "SN-0001",
		TeamIdentifier:     testTeamID,
		OrganizationName:   "Example Coffee",
		Description:        "Example Coffee loyalty card",
		BackgroundColor:    pass.RGB(60, 65, 76),
		ForegroundColor:    pass.RGB(255, 255, 255),
		LabelColor:         pass.RGB(200, 200, 200),
		StoreCard: &pass.PassFields{
			PrimaryFields:   []pass.Field{{Key: "balance", Label: "Balance", Value: pass.Number(21.5), CurrencyCode: "USD"}},
			SecondaryFields: []pass.Field{{Key: "member", Label: "Member", Value: pass.String("Jane Appleseed")}},
			BackFields:      []pass.Field{{Key: "terms", Label: "Terms", Value: pass.String("Rewards expire after one year.")}},
		},
		Barcodes: []pass.Barcode{{Format: pass.BarcodeFormatQR, Message: "SN-0001", MessageEncoding: "iso-8859-1", AltText: "SN-0001"}},
	}
}

var testImages = sync.OnceValue(func() map[string][]byte {
	out := map[string][]byte{}
	for i, f := range []struct {
		name string
		w, h int
	}{{"icon.png", 29, 29}, {"icon@2x.png", 58, 58}, {"logo.png", 160, 50}, {"strip.png", 375, 123}} {
		out[f.name] = testPNG(&testing.T{}, f.w, f.h, uint64(i+1))
	}
	return out
})

func testAssets(t testing.TB) *pass.Assets {
	t.Helper()
	a := &pass.Assets{}
	for name, data := range testImages() {
		require.NoError(t, a.Set(name, data))
	}
	require.NoError(t, a.Set("fr.lproj/pass.strings", []byte("\"Balance\" = \"Solde\";\n\"Member\" = \"Membre\";\n\"Terms\" = \"Conditions\";\n")))
	return a
}

func writePass(t testing.TB, p *pass.Pass, a *pass.Assets, id *Identity, opts *Options) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, Write(&b, p, a, id, opts))
	return b.Bytes()
}

func TestWriteAndRead(t *testing.T) {
	pki := pkiOnce()
	id := pki.identity(t)
	a := testAssets(t)
	data := writePass(t, testPass(), a, id, &Options{Now: nowClock})

	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		switch {
		case strings.HasSuffix(f.Name, ".png"):
			assert.Equal(t, zip.Store, f.Method, "%s is stored", f.Name)
		case f.Name == "pass.json", f.Name == "manifest.json", strings.HasSuffix(f.Name, ".strings"):
			assert.Equal(t, zip.Deflate, f.Method, "%s is deflated", f.Name)
		}
		assert.True(t, f.Modified.Equal(archiveTime), "%s has the fixed time, not %s", f.Name, f.Modified)
	}
	assert.Equal(t, []string{"fr.lproj/pass.strings", "icon.png", "icon@2x.png", "logo.png", "manifest.json", "pass.json", "signature", "strip.png"}, names)

	pkg, err := ReadBytes(data, &VerifyOptions{Roots: pki.roots()})
	require.NoError(t, err)
	assert.Equal(t, "SN-0001", pkg.Pass.SerialNumber)
	assert.Equal(t, pass.StyleStoreCard, pkg.Pass.Style())
	assert.Equal(t, a.Names(), pkg.Assets.Names())
	for _, n := range a.Names() {
		want, _ := a.Get(n)
		got, _ := pkg.Assets.Get(n)
		assert.Equal(t, want, got, n)
	}
	assert.Len(t, pkg.Manifest, 6)
	assert.Contains(t, pkg.Manifest, "fr.lproj/pass.strings")
	assert.Equal(t, testNow, pkg.Signature.SigningTime)
	assert.Equal(t, crypto.SHA256, pkg.Signature.Digest)
	require.Len(t, pkg.Chain, 3)
	assert.True(t, pkg.Chain[2].Equal(pki.root))

	// openssl accepts the signature over manifest.json.
	dir := t.TempDir()
	f := writeFiles(t, dir, map[string][]byte{"manifest.json": pkg.ManifestJSON, "signature": pkg.SignatureDER, "root.pem": certPEM(pki.root)})
	out := runOpenSSL(t, "cms", "-verify", "-binary", "-inform", "DER", "-in", f["signature"], "-content", f["manifest.json"],
		"-CAfile", f["root.pem"], "-purpose", "any", "-out", filepath.Join(dir, "out"))
	assert.Contains(t, string(out), "Verification successful")

	// SHA-1 on request.
	sha1Data := writePass(t, testPass(), a, id, &Options{Now: nowClock, Digest: crypto.SHA1})
	pkg, err = ReadBytes(sha1Data, &VerifyOptions{Roots: pki.roots()})
	require.NoError(t, err)
	assert.Equal(t, crypto.SHA1, pkg.Signature.Digest)
}

func TestWriteIsDeterministic(t *testing.T) {
	pki := pkiOnce()
	id := pki.identity(t)
	a := testAssets(t)
	one := writePass(t, testPass(), a, id, &Options{Now: nowClock})
	two := writePass(t, testPass(), a.Clone(), id, &Options{Now: nowClock})
	assert.Equal(t, one, two)
	later := writePass(t, testPass(), a, id, &Options{Now: func() time.Time { return testNow.Add(time.Second) }})
	assert.NotEqual(t, one, later, "the signing time comes from the clock")
}

// goldenIdentity is a deterministic identity: one committed RSA test key
// (not a secret: it signs nothing but this test) for a self-issued root, an
// intermediate and a leaf with fixed serials and dates. RSA PKCS#1 v1.5
// signatures are deterministic, so the whole .pkpass is.
func goldenIdentity(t testing.TB) (*Identity, *x509.Certificate) {
	t.Helper()
	b, err := os.ReadFile("testdata/golden-test-key.pem")
	require.NoError(t, err)
	block, _ := pem.Decode(b)
	require.NotNil(t, block)
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		k, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	}
	require.NoError(t, err)
	key := k.(*rsa.PrivateKey)
	nb, na := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2045, 1, 1, 0, 0, 0, 0, time.UTC)
	// The CA certificates name their subject key identifier themselves: Go
	// derives a default one from the key with SHA-1 before Go 1.25 and with
	// SHA-256 after (GODEBUG x509sha256skid), which would change the golden
	// bytes with the toolchain. This is the SHA-1 form (RFC 5280 method 1).
	skid := sha1.Sum(x509.MarshalPKCS1PublicKey(&key.PublicKey))
	rootT := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Golden Root"}, NotBefore: nb, NotAfter: na,
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign, SubjectKeyId: skid[:]}
	root, err := createCert(rootT, rootT, &key.PublicKey, key)
	require.NoError(t, err)
	interT := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Golden WWDR", OrganizationalUnit: []string{"G4"}},
		NotBefore: nb, NotAfter: na, IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign, SubjectKeyId: skid[:]}
	inter, err := createCert(interT, root, &key.PublicKey, key)
	require.NoError(t, err)
	leafT := PassCertificateTemplate(testPassTypeID, testTeamID, "Example Inc.", nb, na)
	leafT.SerialNumber = big.NewInt(3)
	leaf, err := createCert(leafT, inter, &key.PublicKey, key)
	require.NoError(t, err)
	id, err := NewIdentity(key, leaf, inter)
	require.NoError(t, err)
	return id, root
}

// goldenPassJSON is fixed bytes, so that the golden file checks this
// package's output (zip, manifest, signature) and not pass's JSON encoder.
const goldenPassJSON = `{"formatVersion":1,"passTypeIdentifier":"pass.com.example.test","serialNumber":"SN-0001",` +
	`"teamIdentifier":"ABCDE12345","organizationName":"Example Coffee","description":"Example Coffee loyalty card",` +
	`"storeCard":{"primaryFields":[{"key":"balance","label":"Balance","value":"12 stamps"}]}}`

// fixedBytes returns n bytes that start like a PNG, from a simple generator
// whose output no library version can change.
func fixedBytes(seed uint32, n int) []byte {
	b := append([]byte{}, pngSignature...)
	for x := seed; len(b) < n; {
		x = x*1664525 + 1013904223
		b = append(b, byte(x>>24))
	}
	return b
}

func TestGoldenPkpass(t *testing.T) {
	id, root := goldenIdentity(t)
	var entries []Entry
	for _, f := range []struct {
		name string
		data []byte
	}{
		{"pass.json", []byte(goldenPassJSON)},
		{"icon.png", fixedBytes(1, 900)},
		{"icon@2x.png", fixedBytes(2, 2500)},
		{"fr.lproj/pass.strings", []byte("\"Balance\" = \"Solde\";\n")},
	} {
		e, err := PrepareEntry(f.name, f.data)
		require.NoError(t, err)
		entries = append(entries, e)
	}
	var b bytes.Buffer
	require.NoError(t, WriteEntries(&b, entries, id, &Options{Now: fixedClock}))
	got := b.Bytes()
	golden := filepath.Join("testdata", "golden.pkpass")
	if *update {
		require.NoError(t, os.WriteFile(golden, got, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test ./sign -run Golden -update to create it")
	assert.True(t, bytes.Equal(want, got), "output differs from %s (run with -update after an intended change)", golden)

	pool := x509.NewCertPool()
	pool.AddCert(root)
	pkg, err := ReadBytes(want, &VerifyOptions{Roots: pool, Now: fixedClock})
	require.NoError(t, err)
	assert.Equal(t, fixedTime, pkg.Signature.SigningTime)
	assert.Equal(t, goldenPassJSON, string(pkg.PassJSON))
}

func TestWriteRefuses(t *testing.T) {
	pki := pkiOnce()
	id := pki.identity(t)
	now := time.Now()
	expired, err := NewIdentity(pki.leafKey, pki.leaf(t, pki.leafKey, testPassTypeID, testTeamID, now.AddDate(-2, 0, 0), now.AddDate(-1, 0, 0)), pki.inter)
	require.NoError(t, err)
	future, err := NewIdentity(pki.leafKey, pki.leaf(t, pki.leafKey, testPassTypeID, testTeamID, now.AddDate(0, 0, 1), now.AddDate(1, 0, 0)), pki.inter)
	require.NoError(t, err)
	wrongTeam := testPass()
	wrongTeam.TeamIdentifier = "ZZZZZ99999"
	wrongType := testPass()
	wrongType.PassTypeIdentifier = "pass.com.example.other"
	invalid := testPass()
	invalid.SerialNumber = ""

	for _, tc := range []struct {
		name string
		p    *pass.Pass
		a    *pass.Assets
		id   *Identity
		opts *Options
		want error
	}{
		{"team identifier mismatch", wrongTeam, testAssets(t), id, nil, ErrIdentifierMismatch},
		{"pass type identifier mismatch", wrongType, testAssets(t), id, nil, ErrIdentifierMismatch},
		{"invalid pass", invalid, testAssets(t), id, nil, ErrInvalidPass},
		{"no icon", testPass(), nil, id, nil, ErrInvalidPass},
		{"expired certificate", testPass(), testAssets(t), expired, nil, ErrExpired},
		{"certificate not yet valid", testPass(), testAssets(t), future, nil, ErrNotYetValid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			err := Write(&b, tc.p, tc.a, tc.id, tc.opts)
			require.ErrorIs(t, err, tc.want)
			assert.Zero(t, b.Len(), "nothing written on refusal")
			if tc.want == ErrInvalidPass {
				var verr *pass.ValidationError
				require.ErrorAs(t, err, &verr)
			}
		})
	}

	t.Run("AllowInvalid overrides validation only", func(t *testing.T) {
		var b bytes.Buffer
		require.NoError(t, Write(&b, invalid, testAssets(t), id, &Options{AllowInvalid: true}))
		require.ErrorIs(t, Write(io.Discard, wrongTeam, testAssets(t), id, &Options{AllowInvalid: true}), ErrIdentifierMismatch)
	})
}

func TestWriteEntries(t *testing.T) {
	pki := pkiOnce()
	id := pki.identity(t)
	pj, err := testPass().MarshalJSON()
	require.NoError(t, err)
	var entries []Entry
	for name, data := range map[string][]byte{"pass.json": pj, "icon.png": testPNG(t, 29, 29, 1)} {
		e, err := PrepareEntry(name, data)
		require.NoError(t, err)
		entries = append(entries, e)
	}
	var b bytes.Buffer
	require.NoError(t, WriteEntries(&b, entries, id, &Options{Now: nowClock}))
	_, err = ReadBytes(b.Bytes(), &VerifyOptions{Roots: pki.roots()})
	require.NoError(t, err)

	// An entry built by hand (no cached plain bytes) is inflated for the
	// identifier check.
	hand := entries
	for i := range hand {
		hand[i].plain = nil
	}
	require.NoError(t, WriteEntries(io.Discard, hand, id, nil))

	for _, name := range []string{"manifest.json", "signature", "../x", "/abs", "a\\b", "", "a//b"} {
		_, err := PrepareEntry(name, []byte("x"))
		require.Error(t, err, name)
	}
	require.ErrorIs(t, WriteEntries(io.Discard, entries[:0], id, nil), ErrMissingFile)
	require.Error(t, WriteEntries(io.Discard, append(entries, entries[0]), id, nil), "duplicates")

	m := ManifestJSON(entries)
	var parsed map[string]string
	require.NoError(t, json.Unmarshal(m, &parsed))
	assert.Len(t, parsed, 2)
	assert.Equal(t, entries[0].SHA1Hex(), parsed[entries[0].Name])
}

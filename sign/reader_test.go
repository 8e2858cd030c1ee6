package sign

import (
	"archive/zip"
	"bytes"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type zipFile struct {
	name   string
	data   []byte
	method uint16
}

func unzipAll(t testing.TB, data []byte) []zipFile {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	var out []zipFile
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		out = append(out, zipFile{f.Name, b, f.Method})
	}
	return out
}

func rezip(t testing.TB, files []zipFile) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: f.method})
		require.NoError(t, err)
		_, err = w.Write(f.data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return b.Bytes()
}

func mutate(files []zipFile, name string, fn func([]byte) []byte) []zipFile {
	out := make([]zipFile, 0, len(files))
	for _, f := range files {
		if f.name == name {
			if fn == nil {
				continue
			}
			f.data = fn(bytes.Clone(f.data))
		}
		out = append(out, f)
	}
	return out
}

func TestReadProblems(t *testing.T) {
	pki := pkiOnce()
	id := pki.identity(t)
	good := writePass(t, testPass(), testAssets(t), id, &Options{Now: nowClock})
	files := unzipAll(t, good)
	roots := &VerifyOptions{Roots: pki.roots()}

	// A pass signed by a certificate for another team.
	otherTeam, err := NewIdentity(pki.leafKey, pki.leaf(t, pki.leafKey, testPassTypeID, "OTHER00000", time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0)), pki.inter)
	require.NoError(t, err)

	var mixed []zipFile // our pass.json, manifest and files, but another certificate's signature over the same manifest
	for _, f := range files {
		if f.name == SignatureName {
			sig, err := Signature(fileData(files, ManifestName), otherTeam, 0, time.Now())
			require.NoError(t, err)
			f.data = sig
		}
		mixed = append(mixed, f)
	}

	// A pass signed in the past by a certificate that has since expired.
	past := time.Now().AddDate(-2, 0, 0)
	old, err := NewIdentity(pki.leafKey, pki.leaf(t, pki.leafKey, testPassTypeID, testTeamID, past.Add(-time.Hour), past.AddDate(1, 0, 0)), pki.inter)
	require.NoError(t, err)
	expired := writePass(t, testPass(), testAssets(t), old, &Options{Now: func() time.Time { return past }})

	// The extra file is added to the zip but not to the manifest.
	extra := append(append([]zipFile{}, files...), zipFile{"thumbnail.png", testPNG(t, 10, 10, 9), zip.Store})
	// The manifest lists a file that is not in the zip: re-sign a manifest
	// with an extra entry so that only the coverage is wrong.
	missing := resign(t, id, files, func(m map[string]string) { m["background.png"] = strings.Repeat("ab", 20) })

	bomb := append(append([]zipFile{}, files...), zipFile{"zeros.txt", make([]byte, 4<<20), zip.Deflate})

	for _, tc := range []struct {
		name string
		data []byte
		opts *VerifyOptions
		want []error
	}{
		{"tampered file", rezip(t, mutate(files, "icon.png", func(b []byte) []byte { b[len(b)-5] ^= 1; return b })), roots, []error{ErrDigestMismatch}},
		{"tampered pass.json", rezip(t, mutate(files, "pass.json", func(b []byte) []byte { return bytes.Replace(b, []byte("SN-0001"), []byte("SN-0002"), 1) })), roots, []error{ErrDigestMismatch}},
		{"tampered manifest", rezip(t, mutate(files, "manifest.json", func(b []byte) []byte { return append(b, ' ') })), roots, []error{ErrSignature}},
		{"file not in manifest", rezip(t, extra), roots, []error{ErrExtraFile}},
		{"manifest entry without file", missing, roots, []error{ErrMissingFile}},
		{"no manifest", rezip(t, mutate(files, "manifest.json", nil)), roots, []error{ErrMissingFile}},
		{"no signature", rezip(t, mutate(files, "signature", nil)), roots, []error{ErrMissingFile}},
		{"no pass.json", rezip(t, mutate(files, "pass.json", nil)), roots, []error{ErrMissingFile}},
		{"corrupt signature DER", rezip(t, mutate(files, "signature", func(b []byte) []byte { return b[:len(b)/3] })), roots, []error{ErrSignature}},
		{"corrupt manifest JSON", rezip(t, mutate(files, "manifest.json", func([]byte) []byte { return []byte("{") })), roots, []error{ErrManifest}},
		{"bad pass.json", rezip(t, mutate(files, "pass.json", func([]byte) []byte { return []byte("[1,2]") })), roots, []error{ErrPassJSON}},
		{"untrusted root (Apple by default)", good, nil, []error{ErrChain}},
		{"wrong certificate", rezip(t, mixed), roots, []error{ErrIdentifierMismatch}},
		{"expired certificate", expired, roots, []error{ErrChain, ErrExpired}},
		{"zip bomb", rezip(t, bomb), roots, []error{ErrLimit, ErrArchive}},
		{"too many entries", good, &VerifyOptions{Roots: pki.roots(), MaxEntries: 3}, []error{ErrLimit}},
		{"file too large", good, &VerifyOptions{Roots: pki.roots(), MaxFileSize: 1000}, []error{ErrLimit}},
		{"path traversal", rezip(t, append(append([]zipFile{}, files...), zipFile{"../../etc/passwd", []byte("x"), zip.Store})), roots, []error{ErrUnsafePath}},
		{"absolute path", rezip(t, append(append([]zipFile{}, files...), zipFile{"/etc/passwd", []byte("x"), zip.Store})), roots, []error{ErrUnsafePath}},
		{"backslash path", rezip(t, append(append([]zipFile{}, files...), zipFile{"..\\evil", []byte("x"), zip.Store})), roots, []error{ErrUnsafePath}},
		{"duplicate entry", rezip(t, append(append([]zipFile{}, files...), files[0])), roots, []error{ErrArchive}},
		{"not a zip", []byte("PK but not really"), roots, []error{ErrArchive}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pkg, err := ReadBytes(tc.data, tc.opts)
			require.Error(t, err)
			var verr *VerifyError
			require.ErrorAs(t, err, &verr)
			for _, w := range tc.want {
				assert.ErrorIs(t, err, w)
			}
			for _, p := range verr.Problems {
				assert.True(t, strings.HasPrefix(p.Error(), "sign: "), p.Error())
			}
			if tc.name != "not a zip" && tc.name != "too many entries" {
				require.NotNil(t, pkg)
			}
		})
	}

	t.Run("expired certificate checked at signing time", func(t *testing.T) {
		pkg, err := ReadBytes(expired, &VerifyOptions{Roots: pki.roots(), AtSigningTime: true})
		require.NoError(t, err)
		assert.WithinDuration(t, past, pkg.VerifiedAt, time.Second)
		_, err = ReadBytes(expired, &VerifyOptions{Roots: pki.roots(), At: past.Add(time.Hour)})
		require.NoError(t, err)
	})
	t.Run("directory entries and stored or deflated files are fine", func(t *testing.T) {
		var withDirs []zipFile
		for _, f := range files {
			f.method = zip.Deflate
			withDirs = append(withDirs, f)
		}
		withDirs = append([]zipFile{{"fr.lproj/", nil, zip.Store}}, withDirs...)
		_, err := ReadBytes(rezip(t, withDirs), roots)
		require.NoError(t, err)
	})
}

func fileData(files []zipFile, name string) []byte {
	for _, f := range files {
		if f.name == name {
			return f.data
		}
	}
	return nil
}

// resign rewrites the manifest with edit and signs it again.
func resign(t testing.TB, id *Identity, files []zipFile, edit func(map[string]string)) []byte {
	t.Helper()
	m := map[string]string{}
	for _, f := range files {
		if f.name != ManifestName && f.name != SignatureName {
			sum := sha1.Sum(f.data)
			m[f.name] = hex.EncodeToString(sum[:])
		}
	}
	edit(m)
	manifest, err := json.Marshal(m)
	require.NoError(t, err)
	sig, err := Signature(manifest, id, 0, time.Now())
	require.NoError(t, err)
	out := mutate(files, ManifestName, func([]byte) []byte { return manifest })
	out = mutate(out, SignatureName, func([]byte) []byte { return sig })
	return rezip(t, out)
}

func TestVerifyErrorShape(t *testing.T) {
	e := &VerifyError{Problems: []error{errors.Join(ErrChain), ErrExtraFile}}
	assert.ErrorIs(t, e, ErrChain)
	assert.ErrorIs(t, e, ErrExtraFile)
	assert.NotErrorIs(t, e, ErrSignature)
	assert.Equal(t, "sign: untrusted certificate chain\nsign: file not in manifest", e.Error())
}

func TestBundle(t *testing.T) {
	pki := pkiOnce()
	id := pki.identity(t)
	one := writePass(t, testPass(), testAssets(t), id, nil)
	var b bytes.Buffer
	require.NoError(t, WriteBundle(&b, []BundlePass{{Data: one}, {Name: "second.pkpass", Data: one}}))
	got, err := ReadBundle(bytes.NewReader(b.Bytes()), int64(b.Len()))
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "pass1.pkpass", got[0].Name)
	assert.Equal(t, "second.pkpass", got[1].Name)
	_, err = ReadBytes(got[1].Data, &VerifyOptions{Roots: pki.roots()})
	require.NoError(t, err)

	eleven := make([]BundlePass, 11)
	for i := range eleven {
		eleven[i].Data = []byte("x")
	}
	require.ErrorIs(t, WriteBundle(&bytes.Buffer{}, eleven), ErrBundleLimit)
	big := make([]byte, MaxBundleSize/2+1)
	require.ErrorIs(t, WriteBundle(&bytes.Buffer{}, []BundlePass{{Data: big}, {Data: big}}), ErrBundleLimit)
	require.Error(t, WriteBundle(&bytes.Buffer{}, nil))
	require.Error(t, WriteBundle(&bytes.Buffer{}, []BundlePass{{Name: "x.zip", Data: one}}))
	require.Error(t, WriteBundle(&bytes.Buffer{}, []BundlePass{{Name: "a.pkpass", Data: one}, {Name: "a.pkpass", Data: one}}))

	var many bytes.Buffer
	zw := zip.NewWriter(&many)
	for i := 0; i < 11; i++ {
		w, err := zw.Create(strings.Repeat("p", i+1) + ".pkpass")
		require.NoError(t, err)
		_, _ = w.Write([]byte("x"))
	}
	require.NoError(t, zw.Close())
	_, err = ReadBundle(bytes.NewReader(many.Bytes()), int64(many.Len()))
	require.ErrorIs(t, err, ErrBundleLimit)
	assert.Equal(t, "application/vnd.apple.pkpass", MIMEType)
	assert.Equal(t, "application/vnd.apple.pkpasses", BundleMIMEType)
}

func FuzzRead(f *testing.F) {
	pki := pkiOnce()
	id := pki.identity(f)
	good := writePass(f, testPass(), testAssets(f), id, nil)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(good[len(good)/2:])
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	opts := &VerifyOptions{Roots: pki.roots(), MaxTotalSize: 8 << 20, MaxFileSize: 4 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		pkg, err := ReadBytes(data, opts)
		if err != nil {
			var verr *VerifyError
			require.ErrorAs(t, err, &verr)
			require.NotEmpty(t, verr.Problems)
			for _, r := range err.Error() {
				if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029') {
					t.Fatalf("the error shows %U raw (verify prints it): %q", r, err)
				}
			}
			return
		}
		require.NotNil(t, pkg.Pass)
		require.NotNil(t, pkg.Signature)
	})
}

func TestReadToleratesAppleCriticalExtensions(t *testing.T) {
	pki := pkiOnce()
	mk := func(oid asn1.ObjectIdentifier) *Identity {
		tmpl := PassCertificateTemplate(testPassTypeID, testTeamID, "Example Inc.", time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
		tmpl.ExtraExtensions = []pkix.Extension{{Id: oid, Critical: true, Value: []byte{0x0c, 0x02, 'h', 'i'}}}
		c, err := createCert(tmpl, pki.inter, &pki.leafKey.PublicKey, pki.interKey)
		require.NoError(t, err)
		id, err := NewIdentity(pki.leafKey, c, pki.inter)
		require.NoError(t, err)
		return id
	}
	apple := writePass(t, testPass(), testAssets(t), mk(asn1.ObjectIdentifier{1, 2, 840, 113635, 100, 6, 1, 16}), nil)
	_, err := ReadBytes(apple, &VerifyOptions{Roots: pki.roots()})
	require.NoError(t, err)

	other := writePass(t, testPass(), testAssets(t), mk(asn1.ObjectIdentifier{1, 2, 3, 4}), nil)
	_, err = ReadBytes(other, &VerifyOptions{Roots: pki.roots()})
	require.ErrorIs(t, err, ErrChain)
}

// TestReadLegacySHA1Chain checks a pass whose intermediate is signed with
// SHA-1 by its root, like Apple WWDR G1 under Apple Root CA: crypto/x509
// refuses such chains, the reader must still accept them.
func TestReadLegacySHA1Chain(t *testing.T) {
	l := legacyPKI(t)
	id, err := LoadPEM(append(l.file(t, "leaf.pem"), l.file(t, "wwdr.pem")...), l.file(t, "leaf.key"), nil)
	require.NoError(t, err)
	require.Equal(t, x509.SHA1WithRSA, id.Chain[0].SignatureAlgorithm)
	pool := l.pool()

	// The walk finds SHA-1 issuers among the signature's certificates (and,
	// with the default roots, the embedded Apple certificates): here the
	// root travels in the signature, as Apple Root CA is known to the reader.
	id.Chain = append(id.Chain, l.root)
	data := writePass(t, testPass(), testAssets(t), id, nil)
	pkg, err := ReadBytes(data, &VerifyOptions{Roots: pool})
	require.NoError(t, err)
	require.Len(t, pkg.Chain, 3)
	assert.True(t, pkg.Chain[2].Equal(l.root))

	// The walk still enforces validity and trust.
	_, err = ReadBytes(data, &VerifyOptions{Roots: pool, At: time.Now().AddDate(20, 0, 0)})
	require.ErrorIs(t, err, ErrExpired)
	_, err = ReadBytes(data, &VerifyOptions{Roots: pkiOnce().roots()})
	require.ErrorIs(t, err, ErrChain)
}

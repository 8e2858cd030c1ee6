package sign

import (
	"archive/zip"
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSignerMatchesFullPath(t *testing.T) {
	id := pkiOnce().identity(t)
	for _, digest := range []crypto.Hash{0, crypto.SHA256, crypto.SHA1, crypto.SHA384} {
		name := digest.String()
		if digest == 0 {
			name = "default"
		}
		t.Run(name, func(t *testing.T) {
			s, err := NewSigner(id, &SignerOptions{Digest: digest})
			require.NoError(t, err)
			require.NotNil(t, s.sk, "an RSA key has a skeleton")
			full, err := newSigner(id, digest)
			require.NoError(t, err)
			for i, at := range []time.Time{
				time.Now(),
				time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC),
				time.Date(2049, 12, 31, 23, 59, 59, 0, time.UTC),
				time.Date(2050, 1, 1, 0, 0, 0, 0, time.UTC), // GeneralizedTime: the full path
				time.Date(1949, 12, 31, 0, 0, 0, 0, time.FixedZone("", 3600)),
			} {
				manifest := []byte(`{"icon.png":"` + string(rune('a'+i)) + `"}`)
				got, err := s.Sign(manifest, at)
				require.NoError(t, err)
				// RSA PKCS#1 v1.5 is deterministic: the patched skeleton
				// must be the very bytes of the container built for it.
				want, err := full.Sign(manifest, at)
				require.NoError(t, err)
				assert.Equal(t, want, got, "signing time %s", at)
				info, err := VerifySignature(got, manifest)
				require.NoError(t, err)
				assert.Equal(t, s.Digest(), info.Digest)
				assert.True(t, at.Truncate(time.Second).Equal(info.SigningTime), "signing time %s, read %s", at, info.SigningTime)
			}
			assert.Same(t, id, s.Identity())
		})
	}
}

// countingSigner counts private-key operations and can append a byte to the
// signature, as a signer of an unexpected length.
type countingSigner struct {
	inner  crypto.Signer
	calls  atomic.Int32
	longer bool
}

func (c *countingSigner) Public() crypto.PublicKey { return c.inner.Public() }
func (c *countingSigner) Sign(r io.Reader, d []byte, o crypto.SignerOpts) ([]byte, error) {
	c.calls.Add(1)
	sig, err := c.inner.Sign(r, d, o)
	if c.longer {
		sig = append(sig, 0)
	}
	return sig, err
}

func TestSignerOneKeyOperation(t *testing.T) {
	p := pkiOnce()
	cert := p.identity(t).Certificate
	for _, longer := range []bool{false, true} {
		cs := &countingSigner{inner: p.leafKey, longer: longer}
		id, err := NewIdentity(cs, cert, p.inter)
		require.NoError(t, err)
		s, err := NewSigner(id, nil)
		require.NoError(t, err)
		assert.Zero(t, cs.calls.Load(), "NewSigner signs nothing")
		manifest := []byte(`{"pass.json":"00"}`)
		sig, err := s.Sign(manifest, time.Now())
		require.NoError(t, err)
		assert.Equal(t, int32(1), cs.calls.Load(), "longer %v", longer)
		sk, err := locate(sig)
		require.NoError(t, err)
		wantLen := 256
		if longer {
			wantLen++
		}
		assert.Equal(t, wantLen, sk.sigEnd-sk.sig, "the container holds the value the signer returned")
	}
}

func TestSignerECDSA(t *testing.T) {
	p := pkiOnce()
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	id, err := NewIdentity(ek, p.leaf(t, ek, testPassTypeID, testTeamID, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0)), p.inter)
	require.NoError(t, err)
	s, err := NewSigner(id, nil)
	require.NoError(t, err)
	assert.Nil(t, s.sk, "ECDSA signatures vary in length: the full path")
	for i := range 3 {
		manifest := []byte{'{', '"', byte('a' + i), '"', '}'}
		sig, err := s.Sign(manifest, time.Now())
		require.NoError(t, err)
		_, err = VerifySignature(sig, manifest)
		require.NoError(t, err)
	}
}

func TestNewSignerRejects(t *testing.T) {
	id := pkiOnce().identity(t)
	for _, tc := range []struct {
		name string
		id   *Identity
		opts *SignerOptions
		msg  string
	}{
		{"nil identity", nil, nil, "sign: signature needs an identity"},
		{"no signer", &Identity{Certificate: id.Certificate}, nil, "sign: signature needs an identity"},
		{"MD5", id, &SignerOptions{Digest: crypto.MD5}, "sign: unsupported signature digest MD5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewSigner(tc.id, tc.opts)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
}

func TestSignerZeroValue(t *testing.T) {
	var s Signer
	_, err := s.Sign([]byte("{}"), time.Now())
	require.ErrorIs(t, err, errNoSigner)
	require.ErrorIs(t, s.WriteEntries(io.Discard, nil, time.Now()), errNoSigner)
}

func TestSignerConcurrent(t *testing.T) {
	s, err := NewSigner(pkiOnce().identity(t), nil)
	require.NoError(t, err)
	at := time.Now()
	want, err := s.Sign([]byte("{}"), at)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := s.Sign([]byte("{}"), at)
			assert.NoError(t, err)
			assert.True(t, bytes.Equal(want, got))
		}()
	}
	wg.Wait()
}

func TestLocateRejectsOtherStructures(t *testing.T) {
	for _, der := range [][]byte{nil, {0x30}, {0x30, 0x00}, {0x30, 0x03, 0x02, 0x01, 0x01}, bytes.Repeat([]byte{0x30, 0x84}, 4)} {
		_, err := locate(der)
		require.Error(t, err)
	}
}

// readZip returns the method and the bytes of every file of a zip archive,
// read with archive/zip.
func readZip(t *testing.T, data []byte) (map[string]uint16, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	methods, files := map[string]uint16{}, map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		files[f.Name], err = io.ReadAll(rc)
		require.NoError(t, err, "%s: CRC and sizes check out", f.Name)
		methods[f.Name] = f.Method
	}
	return methods, files
}

func TestSignerWriteEntries(t *testing.T) {
	pki := pkiOnce()
	id := pki.identity(t)
	pj, err := testPass().MarshalJSON()
	require.NoError(t, err)
	strs := bytes.Repeat([]byte("\"Balance\" = \"Solde\";\n"), 20)
	var static []Entry
	for name, data := range map[string][]byte{"icon.png": testPNG(t, 29, 29, 1), "fr.lproj/pass.strings": strs} {
		e, err := PrepareEntry(name, data)
		require.NoError(t, err)
		static = append(static, e)
	}
	dyn, err := PrepareDynamicEntry(PassJSONName, pj)
	require.NoError(t, err)
	deflated, err := PrepareEntry(PassJSONName, pj)
	require.NoError(t, err)
	require.Equal(t, zip.Deflate, deflated.Method, "the same file prepared once for many archives is deflated")

	s, err := NewSigner(id, nil)
	require.NoError(t, err)
	at := nowClock()
	var fast, slow bytes.Buffer
	// Unsorted input is sorted by the writer.
	require.NoError(t, s.WriteEntries(&fast, append([]Entry{dyn}, static...), at))
	require.NoError(t, WriteEntries(&slow, append([]Entry{deflated}, static...), id, &Options{Now: func() time.Time { return at }}))

	methods, files := readZip(t, fast.Bytes())
	assert.Equal(t, map[string]uint16{"fr.lproj/pass.strings": zip.Deflate, "icon.png": zip.Store, "manifest.json": zip.Store,
		"pass.json": zip.Store, "signature": zip.Store}, methods)
	slowMethods, slowFiles := readZip(t, slow.Bytes())
	assert.Equal(t, zip.Deflate, slowMethods[ManifestName], "WriteEntries deflates manifest.json")
	assert.Equal(t, slowFiles, files, "the same files, signature included")

	pkg, err := ReadBytes(fast.Bytes(), &VerifyOptions{Roots: pki.roots()})
	require.NoError(t, err)
	assert.Equal(t, at.Truncate(time.Second), pkg.Signature.SigningTime.Truncate(time.Second))

	t.Run("refuses", func(t *testing.T) {
		other, err := PrepareDynamicEntry(PassJSONName, []byte(`{"passTypeIdentifier":"pass.other","teamIdentifier":"`+testTeamID+`"}`))
		require.NoError(t, err)
		for _, tc := range []struct {
			name    string
			entries []Entry
			at      time.Time
			is      error
		}{
			{"no pass.json", static, at, ErrMissingFile},
			{"identifiers", append([]Entry{other}, static...), at, ErrIdentifierMismatch},
			{"expired", append([]Entry{dyn}, static...), at.AddDate(3, 0, 0), ErrExpired},
			{"not yet valid", append([]Entry{dyn}, static...), at.AddDate(-1, 0, 0), ErrNotYetValid},
			{"duplicate", append([]Entry{dyn, dyn}, static...), at, nil},
			{"manifest.json", append([]Entry{dyn, {Name: ManifestName}}, static...), at, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var buf bytes.Buffer
				err := s.WriteEntries(&buf, tc.entries, tc.at)
				require.Error(t, err)
				if tc.is != nil {
					require.ErrorIs(t, err, tc.is)
				}
				assert.Regexp(t, `^sign: `, err.Error())
				assert.Zero(t, buf.Len(), "nothing written")
			})
		}
	})
}

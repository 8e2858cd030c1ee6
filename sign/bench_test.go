package sign

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"io"
	"os"
	"testing"
	"time"

	"github.com/passforge/passforge/pass"
	"github.com/stretchr/testify/require"
)

// benchStoreCard is the storecard.pass design of shared/bench (about 500 KB
// of PNGs) when present, otherwise generated noisy PNGs of about that size.
func benchStoreCard(b *testing.B) (*pass.Pass, *pass.Assets) {
	b.Helper()
	if _, err := os.Stat("../../shared/bench/storecard.pass/pass.json"); err == nil {
		p, a, err := pass.Load(os.DirFS("../../shared/bench/storecard.pass"))
		require.NoError(b, err)
		p.PassTypeIdentifier, p.TeamIdentifier = testPassTypeID, testTeamID
		return p, a
	}
	a := &pass.Assets{}
	for i, f := range []struct {
		name string
		w, h int
	}{{"icon.png", 29, 29}, {"icon@2x.png", 58, 58}, {"icon@3x.png", 87, 87}, {"logo.png", 160, 50}, {"logo@2x.png", 320, 100},
		{"logo@3x.png", 480, 150}, {"strip.png", 375, 123}, {"strip@2x.png", 750, 246}, {"strip@3x.png", 1125, 369}} {
		require.NoError(b, a.Set(f.name, testPNG(b, f.w, f.h, uint64(i+1))))
	}
	return testPass(), a
}

// BenchmarkWrite signs and writes one realistic store card from scratch:
// pass.json encoding, hashing and zipping every file, one RSA-2048 signature.
func BenchmarkWrite(b *testing.B) {
	p, a := benchStoreCard(b)
	id := pkiOnce().identity(b)
	var size int64
	for _, n := range a.Names() {
		d, _ := a.Get(n)
		size += int64(len(d))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, p, a, id, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// benchEntries returns the store card's files prepared once and its
// pass.json.
func benchEntries(b *testing.B) ([]Entry, []byte) {
	p, a := benchStoreCard(b)
	static := make([]Entry, 0, a.Len()+1)
	for _, n := range a.Names() {
		d, _ := a.Get(n)
		e, err := PrepareEntry(n, d)
		require.NoError(b, err)
		static = append(static, e)
	}
	pj, err := p.MarshalJSON()
	require.NoError(b, err)
	return static, pj
}

// BenchmarkWriteEntries is the template fast path: the static files are
// prepared once; per pass only pass.json is prepared, then the manifest is
// built, signed and the zip streamed.
func BenchmarkWriteEntries(b *testing.B) {
	static, pj := benchEntries(b)
	id := pkiOnce().identity(b)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		e, err := PrepareEntry(PassJSONName, pj)
		if err != nil {
			b.Fatal(err)
		}
		entries := append(static[:len(static):len(static)], e)
		buf.Reset()
		if err := WriteEntries(&buf, entries, id, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRead reads and fully verifies one store card.
func BenchmarkRead(b *testing.B) {
	p, a := benchStoreCard(b)
	pki := pkiOnce()
	var buf bytes.Buffer
	require.NoError(b, Write(&buf, p, a, pki.identity(b), nil))
	data := buf.Bytes()
	opts := &VerifyOptions{Roots: pki.roots()}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadBytes(data, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRSASign is the floor: one bare RSA-2048 PKCS#1 v1.5 signature.
func BenchmarkRSASign(b *testing.B) {
	key := pkiOnce().leafKey
	digest := sha256.Sum256([]byte("manifest"))
	for b.Loop() {
		if _, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignerWriteEntries is BenchmarkWriteEntries with a prepared
// Signer: the container is patched, and pass.json, manifest.json and the
// signature are stored.
func BenchmarkSignerWriteEntries(b *testing.B) {
	static, pj := benchEntries(b)
	s, err := NewSigner(pkiOnce().identity(b), nil)
	require.NoError(b, err)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		e, err := PrepareDynamicEntry(PassJSONName, pj)
		if err != nil {
			b.Fatal(err)
		}
		entries := append(static[:len(static):len(static)], e)
		buf.Reset()
		if err := s.WriteEntries(&buf, entries, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignatureVsRSA alternates a bare RSA-2048 signature, Signature
// (the container built for the one signature) and a prepared Signer (the
// skeleton patched), so that all three see the same machine load, and
// reports what each adds to the bare signature in wall-clock µs
// ("container-extra-µs", "skeleton-extra-µs").
func BenchmarkSignatureVsRSA(b *testing.B) {
	id := pkiOnce().identity(b)
	key := pkiOnce().leafKey
	s, err := NewSigner(id, nil)
	require.NoError(b, err)
	digest := sha256.Sum256([]byte("signed attributes"))
	manifest := []byte(`{"icon.png":"0123456789abcdef0123456789abcdef01234567","pass.json":"0123456789abcdef0123456789abcdef01234567"}`)
	var bare, full, patched time.Duration
	n := 0
	for b.Loop() {
		t0 := time.Now()
		if _, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:]); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := Signature(manifest, id, crypto.SHA256, t1); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if _, err := s.Sign(manifest, t2); err != nil {
			b.Fatal(err)
		}
		t3 := time.Now()
		bare, full, patched = bare+t1.Sub(t0), full+t2.Sub(t1), patched+t3.Sub(t2)
		n++
	}
	b.ReportMetric(float64(bare.Microseconds())/float64(n), "rsa-µs")
	b.ReportMetric(float64((full-bare).Microseconds())/float64(n), "container-extra-µs")
	b.ReportMetric(float64((patched-bare).Microseconds())/float64(n), "skeleton-extra-µs")
}

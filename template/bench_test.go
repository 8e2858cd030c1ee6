package template

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"image"
	"image/color"
	"image/png"
	mrand "math/rand/v2"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
	"github.com/stretchr/testify/require"
)

// storeCardPath is the shared benchmark design (about 520 KB of images),
// read in place when it exists.
const storeCardPath = "../../shared/bench/storecard.pass"

type benchSetup struct {
	tp  *Template
	dev *sign.DevelopmentIdentity
	src string
}

var benchOnce sync.Map // *testing.B is not comparable across runs: key by name

// benchTemplate returns the store card design and an RSA-2048 development
// identity for it: shared/bench/storecard.pass when present, otherwise a
// generated design of about the same size.
func benchTemplate(b *testing.B) benchSetup {
	b.Helper()
	if s, ok := benchOnce.Load("setup"); ok {
		return s.(benchSetup)
	}
	var s benchSetup
	var err error
	if _, statErr := os.Stat(storeCardPath + "/pass.json"); statErr == nil {
		s.tp, err = Open(storeCardPath)
		s.src = storeCardPath
	} else {
		s.tp, err = New(generatedStoreCard(b))
		s.src = "generated"
	}
	require.NoError(b, err)
	require.NotNil(b, s.tp.splice, "the bench design is encoded by splicing")
	s.dev, err = sign.NewDevelopmentIdentity(s.tp.PassTypeIdentifier(), s.tp.TeamIdentifier())
	require.NoError(b, err)
	benchOnce.Store("setup", s)
	return s
}

// generatedStoreCard is a store card with images of the sizes and stored
// bytes of shared/bench/storecard.pass (about 520 KB).
func generatedStoreCard(b testing.TB) (*pass.Pass, *pass.Assets) {
	p, err := pass.Parse([]byte(`{"formatVersion": 1, "passTypeIdentifier": "pass.com.example.test", "teamIdentifier": "ABCDE12345",
  "organizationName": "Example Coffee", "description": "Example Coffee loyalty card", "serialNumber": "TEMPLATE",
  "logoText": "Example Coffee", "foregroundColor": "rgb(255, 255, 255)", "backgroundColor": "rgb(60, 65, 76)", "labelColor": "rgb(200, 200, 200)",
  "barcodes": [{"format": "PKBarcodeFormatQR", "message": "TEMPLATE", "messageEncoding": "iso-8859-1"}],
  "storeCard": {"headerFields": [{"key": "points", "label": "POINTS", "value": 0}],
    "primaryFields": [{"key": "balance", "label": "BALANCE", "value": 0, "currencyCode": "USD"}],
    "secondaryFields": [{"key": "member", "label": "MEMBER", "value": "Name"}],
    "auxiliaryFields": [{"key": "tier", "label": "TIER", "value": "Gold"}],
    "backFields": [{"key": "terms", "label": "TERMS", "value": "Points expire after one year."}]}}`))
	require.NoError(b, err)
	a := &pass.Assets{}
	for i, f := range []struct {
		name       string
		w, h, size int
	}{{"icon.png", 29, 29, 787}, {"icon@2x.png", 58, 58, 2546}, {"icon@3x.png", 87, 87, 5385},
		{"logo.png", 160, 50, 5661}, {"logo@2x.png", 320, 100, 21180}, {"logo@3x.png", 480, 150, 46590},
		{"strip.png", 375, 144, 30254}, {"strip@2x.png", 750, 288, 117708}, {"strip@3x.png", 1125, 432, 275028}} {
		require.NoError(b, a.Set(f.name, sizedPNG(b, f.w, f.h, f.size, uint64(i+1))))
	}
	return p, a
}

// sizedPNG returns a w×h PNG of roughly size bytes: that many bytes of
// noise, the rest flat.
func sizedPNG(b testing.TB, w, h, size int, seed uint64) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	r := mrand.New(mrand.NewPCG(seed, seed))
	noisy := size / 3
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{60, 65, 76, 255}
			if y*w+x < noisy {
				c = color.NRGBA{uint8(r.Uint32()), uint8(r.Uint32()), uint8(r.Uint32()), 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	require.NoError(b, png.Encode(&buf, img))
	return buf.Bytes()
}

// benchValues are the values of pass i, as in shared/bench/anchors: a
// distinct serial, one member field and a barcode message.
func benchValues(i int) *Values {
	return &Values{SerialNumber: fmt.Sprintf("SN-%d", i), Fields: map[string]pass.Value{"member": pass.String(fmt.Sprintf("Member %d", i))},
		BarcodeMessage: fmt.Sprintf("MEMBER-%d", i)}
}

// BenchmarkIssue issues one pass from the store card design into a reused
// buffer, on one goroutine: values applied, pass.json validated and
// encoded, manifest, one RSA-2048 signature, zip. Compare its ns/op with
// BenchmarkRSASignPKCS1v15 of the same run: the target is ≥ 90% of the
// bare signature's rate.
func BenchmarkIssue(b *testing.B) {
	s := benchTemplate(b)
	b.Logf("design: %s", s.src)
	var buf bytes.Buffer
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := s.tp.Issue(&buf, benchValues(i), s.dev.Identity, nil); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.SetBytes(int64(buf.Len()))
}

// BenchmarkRSASignPKCS1v15 is the floor of BenchmarkIssue: one bare
// RSA-2048 PKCS#1 v1.5 signature with the same key.
func BenchmarkRSASignPKCS1v15(b *testing.B) {
	s := benchTemplate(b)
	key := s.dev.Signer.(*rsa.PrivateKey)
	digest := sha256.Sum256([]byte("signed attributes"))
	for b.Loop() {
		if _, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuild is BenchmarkIssue without signing and zipping: the
// per-pass work the template adds around the RSA operation.
func BenchmarkBuild(b *testing.B) {
	s := benchTemplate(b)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := s.tp.entries(benchValues(i), false); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkBulk issues b.N passes with Bulk on every core into a counting
// sink and reports passes/s.
func BenchmarkBulk(b *testing.B) {
	s := benchTemplate(b)
	b.ReportAllocs()
	b.ResetTimer()
	sum, err := s.tp.Bulk(context.Background(), func(yield func(*Values, error) bool) {
		for i := range b.N {
			if !yield(benchValues(i), nil) {
				return
			}
		}
	}, s.dev.Identity, &CountSink{}, nil)
	require.NoError(b, err)
	require.Equal(b, b.N, sum.Issued)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "passes/s")
}

// BenchmarkIssueVsRSA alternates one bare RSA signature and one issued pass
// in every iteration, so that both see the same machine load, and reports
// the issuance rate as a percentage of the bare signature rate: "%-of-rsa"
// from wall time and, on Linux, "%-of-rsa-cpu" from the thread's CPU time,
// which the load of other processes does not skew. The target is ≥ 90.
func BenchmarkIssueVsRSA(b *testing.B) {
	s := benchTemplate(b)
	key := s.dev.Signer.(*rsa.PrivateKey)
	digest := sha256.Sum256([]byte("signed attributes"))
	var buf bytes.Buffer
	var inRSA, inIssue, cpuRSA, cpuIssue time.Duration
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	_, haveCPU := threadCPU()
	i := 0
	for b.Loop() {
		c0, _ := threadCPU()
		t0 := time.Now()
		if _, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:]); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		c1, _ := threadCPU()
		buf.Reset()
		if err := s.tp.Issue(&buf, benchValues(i), s.dev.Identity, nil); err != nil {
			b.Fatal(err)
		}
		c2, _ := threadCPU()
		inIssue += time.Since(t1)
		inRSA += t1.Sub(t0)
		cpuRSA += c1 - c0
		cpuIssue += c2 - c1
		i++
	}
	b.ReportMetric(100*float64(inRSA)/float64(inIssue), "%-of-rsa")
	if haveCPU {
		b.ReportMetric(100*float64(cpuRSA)/float64(cpuIssue), "%-of-rsa-cpu")
	}
	b.ReportMetric(float64(inIssue.Nanoseconds())/float64(i), "issue-ns/op")
	b.ReportMetric(float64(inRSA.Nanoseconds())/float64(i), "rsa-ns/op")
}

// BenchmarkSignatureVsRSA alternates a bare RSA signature, sign.Signature
// (the PKCS#7 container built on every call) and
// the template's sign.Signer (a skeleton patched per signature), and reports what each adds to the bare
// signature, in thread CPU µs on Linux ("container-extra-µs", "skeleton-extra-µs").
func BenchmarkSignatureVsRSA(b *testing.B) {
	s := benchTemplate(b)
	key := s.dev.Signer.(*rsa.PrivateKey)
	digest := sha256.Sum256([]byte("signed attributes"))
	manifest := []byte(`{"icon.png":"0123456789abcdef0123456789abcdef01234567","pass.json":"0123456789abcdef0123456789abcdef01234567"}`)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if _, ok := threadCPU(); !ok {
		b.Skip("thread CPU time is only measured on Linux")
	}
	signer, err := s.tp.signer(s.dev.Identity, crypto.SHA256)
	require.NoError(b, err)
	var bare, container, skel time.Duration
	n := 0
	for b.Loop() {
		c0, _ := threadCPU()
		if _, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:]); err != nil {
			b.Fatal(err)
		}
		c1, _ := threadCPU()
		if _, err := sign.Signature(manifest, s.dev.Identity, crypto.SHA256, time.Now()); err != nil {
			b.Fatal(err)
		}
		c2, _ := threadCPU()
		if _, err := signer.Sign(manifest, time.Now()); err != nil {
			b.Fatal(err)
		}
		c3, _ := threadCPU()
		bare, container, skel = bare+c1-c0, container+c2-c1, skel+c3-c2
		n++
	}
	b.ReportMetric(float64(bare.Microseconds())/float64(n), "rsa-µs")
	b.ReportMetric(float64((container-bare).Microseconds())/float64(n), "container-extra-µs")
	b.ReportMetric(float64((skel-bare).Microseconds())/float64(n), "skeleton-extra-µs")
}

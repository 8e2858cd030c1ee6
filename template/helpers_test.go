package template

import (
	"bytes"
	"crypto/x509"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/passforge/passforge/sign"
	"github.com/stretchr/testify/require"
)

const (
	testPassTypeID = "pass.com.example.members"
	testTeamID     = "ABCDE12345"
)

// devID is one development identity per test binary: RSA key generation is
// slow under -race.
var devID = sync.OnceValue(func() *sign.DevelopmentIdentity {
	d, err := sign.NewDevelopmentIdentity(testPassTypeID, testTeamID)
	if err != nil {
		panic(err)
	}
	return d
})

// testPNG returns a w×h PNG; noisy images do not compress, like photos.
func testPNG(t testing.TB, w, h int, seed uint64, noisy bool) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{uint8(x * 7), uint8(y * 3), uint8(seed), 255}
			if noisy {
				c = color.NRGBA{uint8(r.Uint32()), uint8(r.Uint32()), uint8(r.Uint32()), 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// designJSON is a store card with placeholders in a field value, a label
// and userInfo, and fields set by key.
const designJSON = `{
  "formatVersion": 1,
  "passTypeIdentifier": "pass.com.example.members",
  "teamIdentifier": "ABCDE12345",
  "organizationName": "Example Coffee",
  "description": "Example Coffee membership for {{holder_name}}",
  "serialNumber": "DESIGN",
  "logoText": "Example Coffee",
  "foregroundColor": "rgb(255, 255, 255)",
  "backgroundColor": "rgb(60, 65, 76)",
  "barcodes": [{"format": "PKBarcodeFormatQR", "message": "DESIGN", "messageEncoding": "iso-8859-1"}],
  "userInfo": {"member": "{{holder_name}}"},
  "storeCard": {
    "headerFields": [{"key": "points", "label": "POINTS", "value": 0}],
    "primaryFields": [{"key": "balance", "label": "BALANCE", "value": 0, "currencyCode": "USD"}],
    "secondaryFields": [{"key": "member", "label": "MEMBER", "value": "{{holder_name}}"}],
    "auxiliaryFields": [{"key": "tier", "label": "TIER", "value": "Gold"}],
    "backFields": [{"key": "terms", "label": "TERMS", "value": "Points expire after one year."}]
  }
}`

// designFS is the test design as an fs.FS: pass.json, icon and logo at two
// scales, and a French pass.strings with a placeholder.
func designFS(t testing.TB) fstest.MapFS {
	t.Helper()
	return fstest.MapFS{
		"pass.json":             {Data: []byte(designJSON)},
		"icon.png":              {Data: testPNG(t, 29, 29, 1, false)},
		"icon@2x.png":           {Data: testPNG(t, 58, 58, 2, false)},
		"logo.png":              {Data: testPNG(t, 160, 50, 3, false)},
		"logo@2x.png":           {Data: testPNG(t, 320, 100, 4, false)},
		"fr.lproj/pass.strings": {Data: []byte("\"MEMBER\" = \"MEMBRE {{holder_name}}\";\n\"POINTS\" = \"POINTS\";\n")},
	}
}

func loadDesign(t testing.TB) *Template {
	t.Helper()
	tp, err := Load(designFS(t))
	require.NoError(t, err)
	return tp
}

// verify reads and verifies a .pkpass against the development CA.
func verify(t testing.TB, data []byte) *sign.Package {
	t.Helper()
	roots := x509.NewCertPool()
	roots.AddCert(devID().CA)
	pkg, err := sign.ReadBytes(data, &sign.VerifyOptions{Roots: roots})
	require.NoError(t, err)
	return pkg
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return tm
}

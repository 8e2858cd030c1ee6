package sign_test

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"log"
	"time"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
)

// Example signs a store card with a development identity, then reads and
// verifies it against the development CA.
func Example() {
	dev, err := sign.NewDevelopmentIdentity("pass.com.example.coffee", "ABCDE12345")
	if err != nil {
		log.Fatal(err)
	}
	p := &pass.Pass{
		FormatVersion:      1,
		PassTypeIdentifier: dev.PassTypeIdentifier(),
		TeamIdentifier:     dev.TeamIdentifier(),
		SerialNumber:       "0001",
		OrganizationName:   "Example Coffee",
		Description:        "Example Coffee card",
		StoreCard: &pass.PassFields{
			PrimaryFields: []pass.Field{{Key: "balance", Label: "Balance", Value: pass.String("12 stamps")}},
		},
	}
	assets := &pass.Assets{}
	if err := assets.Set("icon.png", iconPNG); err != nil {
		log.Fatal(err)
	}

	var out bytes.Buffer
	if err := sign.Write(&out, p, assets, dev.Identity, nil); err != nil {
		log.Fatal(err)
	}

	roots := x509.NewCertPool()
	roots.AddCert(dev.CA)
	pkg, err := sign.ReadBytes(out.Bytes(), &sign.VerifyOptions{Roots: roots})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pkg.Files)
	fmt.Println(pkg.Pass.SerialNumber, pkg.Signature.Signer.Subject.CommonName)
	fmt.Println(time.Since(pkg.Signature.SigningTime) < time.Minute)
	// Output:
	// [icon.png manifest.json pass.json signature]
	// 0001 Pass Type ID: pass.com.example.coffee
	// true
}

// iconPNG is a plain 29×29 icon (icon.png is 29 points at 1x).
var iconPNG = func() []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 29, 29))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.NRGBA{R: 200, G: 120, B: 40, A: 255}), image.Point{}, draw.Src)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}()

// ExampleSigner issues many passes with one prepared Signer: the static
// files are prepared once, and per pass only pass.json is prepared (stored,
// as a file of one archive) before the Signer signs and writes the archive.
func ExampleSigner() {
	dev, err := sign.NewDevelopmentIdentity("pass.com.example.coffee", "ABCDE12345")
	if err != nil {
		log.Fatal(err)
	}
	s, err := sign.NewSigner(dev.Identity, nil)
	if err != nil {
		log.Fatal(err)
	}
	icon, err := sign.PrepareEntry("icon.png", iconPNG)
	if err != nil {
		log.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(dev.CA)
	for _, serial := range []string{"0001", "0002"} {
		passJSON := fmt.Sprintf(`{"formatVersion":1,"passTypeIdentifier":%q,"teamIdentifier":%q,"serialNumber":%q,`+
			`"organizationName":"Example Coffee","description":"Example Coffee card","storeCard":{}}`,
			dev.PassTypeIdentifier(), dev.TeamIdentifier(), serial)
		pj, err := sign.PrepareDynamicEntry(sign.PassJSONName, []byte(passJSON))
		if err != nil {
			log.Fatal(err)
		}
		var out bytes.Buffer
		if err := s.WriteEntries(&out, []sign.Entry{icon, pj}, time.Now()); err != nil {
			log.Fatal(err)
		}
		pkg, err := sign.ReadBytes(out.Bytes(), &sign.VerifyOptions{Roots: roots})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(pkg.Pass.SerialNumber, pkg.Files, pkg.Signature.Digest)
	}
	// Output:
	// 0001 [icon.png manifest.json pass.json signature] SHA-256
	// 0002 [icon.png manifest.json pass.json signature] SHA-256
}

package template_test

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"image"
	"image/png"
	"log"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
	"github.com/passforge/passforge/template"
)

// exampleIcon is a blank 29×29 PNG.
func exampleIcon() []byte {
	var b bytes.Buffer
	_ = png.Encode(&b, image.NewGray(image.Rect(0, 0, 29, 29)))
	return b.Bytes()
}

// exampleDesign is a store card whose member field holds a placeholder.
func exampleDesign() (*pass.Pass, *pass.Assets) {
	p := &pass.Pass{
		FormatVersion: 1, PassTypeIdentifier: "pass.com.example.coffee", TeamIdentifier: "ABCDE12345",
		OrganizationName: "Example Coffee", Description: "Example Coffee card",
		Barcodes: []pass.Barcode{{Format: pass.BarcodeFormatQR, Message: "-", MessageEncoding: "iso-8859-1"}},
		StoreCard: &pass.PassFields{
			PrimaryFields:   []pass.Field{{Key: "balance", Label: "BALANCE", Value: pass.Int(0), CurrencyCode: "USD"}},
			SecondaryFields: []pass.Field{{Key: "member", Label: "MEMBER", Value: pass.String("{{first}} {{last}}")}},
		},
	}
	a := &pass.Assets{}
	if err := a.SetImage(pass.ImageIcon, 1, exampleIcon()); err != nil {
		log.Fatal(err)
	}
	return p, a
}

// Build applies values to the design without signing: placeholders, fields
// by key and the barcode.
func ExampleTemplate_Build() {
	tp, err := template.New(exampleDesign())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("placeholders:", tp.Placeholders())
	p, _, err := tp.Build(&template.Values{
		SerialNumber:   "M-0001",
		Placeholders:   map[string]string{"first": "Ada", "last": "Lovelace"},
		Fields:         map[string]pass.Value{"balance": pass.Number(12.5)},
		BarcodeMessage: "MEMBER-0001",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.SerialNumber, p.StoreCard.SecondaryFields[0].Value, p.StoreCard.PrimaryFields[0].Value, p.Barcodes[0].Message)

	_, _, err = tp.Build(&template.Values{SerialNumber: "M-0002", Placeholders: map[string]string{"first": "Grace"}})
	fmt.Println(err)
	// Output:
	// placeholders: [first last]
	// M-0001 Ada Lovelace 12.5 MEMBER-0001
	// template: pass "M-0002": no value for placeholder {{last}} (used at storeCard.secondaryFields[0].value)
}

// Issue signs one pass; here with a development identity, verified against
// its CA.
func ExampleTemplate_Issue() {
	tp, err := template.New(exampleDesign())
	if err != nil {
		log.Fatal(err)
	}
	dev, err := sign.NewDevelopmentIdentity(tp.PassTypeIdentifier(), tp.TeamIdentifier())
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	err = tp.Issue(&buf, &template.Values{SerialNumber: "M-0001", Placeholders: map[string]string{"first": "Ada", "last": "Lovelace"}},
		dev.Identity, nil)
	if err != nil {
		log.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(dev.CA)
	pkg, err := sign.ReadBytes(buf.Bytes(), &sign.VerifyOptions{Roots: roots})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pkg.Pass.SerialNumber, pkg.Files)
	// Output:
	// M-0001 [icon.png manifest.json pass.json signature]
}

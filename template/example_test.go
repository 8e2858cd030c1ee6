package template_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"image"
	"image/png"
	"log"
	"maps"
	"slices"
	"sync"
	"testing/fstest"

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

// Load reads a design in the .pass layout from any fs.FS: a folder
// (os.DirFS("Coffee.pass")), an embed.FS, or here a fstest.MapFS.
func ExampleLoad() {
	design := fstest.MapFS{
		"pass.json": {Data: []byte(`{"formatVersion": 1, "passTypeIdentifier": "pass.com.example.coffee",
			"teamIdentifier": "ABCDE12345", "organizationName": "Example Coffee", "description": "Example Coffee card",
			"storeCard": {"primaryFields": [{"key": "member", "label": "MEMBER", "value": "{{holder_name}}"}]}}`)},
		"icon.png":              {Data: exampleIcon()},
		"fr.lproj/pass.strings": {Data: []byte(`"MEMBER" = "MEMBRE";`)},
	}
	tp, err := template.Load(design)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("placeholders:", tp.Placeholders())
	fmt.Println("fields:", tp.FieldKeys())
	fmt.Println("files:", tp.Files())

	// A design that Wallet would reject is refused at load, with every problem.
	delete(design, "icon.png")
	_, err = template.Load(design)
	fmt.Println(errors.Is(err, template.ErrInvalidDesign))
	// Output:
	// placeholders: [holder_name]
	// fields: [member]
	// files: [fr.lproj/pass.strings icon.png]
	// true
}

// memorySink keeps the passes of a batch in memory. Put is called from
// several goroutines at once and must copy data.
type memorySink struct {
	mu     sync.Mutex
	passes map[string][]byte
}

func (s *memorySink) Put(ctx context.Context, name string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.passes[name] = bytes.Clone(data)
	return nil
}

func (s *memorySink) Close() error { return nil }

// Bulk issues a batch on every core into a Sink (DirSink, ZipSink,
// BundleSink or your own); an item that fails is reported and skipped.
func ExampleTemplate_Bulk() {
	tp, err := template.New(exampleDesign())
	if err != nil {
		log.Fatal(err)
	}
	dev, err := sign.NewDevelopmentIdentity(tp.PassTypeIdentifier(), tp.TeamIdentifier())
	if err != nil {
		log.Fatal(err)
	}
	members := []*template.Values{
		{SerialNumber: "M-1", Placeholders: map[string]string{"first": "Ada", "last": "Lovelace"}},
		{SerialNumber: "M-2", Placeholders: map[string]string{"first": "Grace", "last": "Hopper"}},
		{SerialNumber: "M-3", Placeholders: map[string]string{"first": "Alan"}}, // no {{last}}
	}
	sink := &memorySink{passes: map[string][]byte{}}
	sum, err := tp.Bulk(context.Background(), template.FromSlice(members), dev.Identity, sink, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("issued:", sum.Issued, "failed:", sum.Failed)
	for _, f := range sum.Failures {
		fmt.Println(f.SerialNumber, errors.Is(f.Err, template.ErrMissingValue))
	}
	fmt.Println(slices.Sorted(maps.Keys(sink.passes)))
	// Output:
	// issued: 2 failed: 1
	// M-3 true
	// [M-1.pkpass M-2.pkpass]
}

// ValuesFromMap turns one row of untyped data (a CSV record, a JSON object,
// a form) into Values with the rules of a CSV row: field keys are converted
// like the design's value, placeholders filled, fixed names such as
// barcodeMessage set.
func ExampleTemplate_ValuesFromMap() {
	tp, err := template.New(exampleDesign())
	if err != nil {
		log.Fatal(err)
	}
	v, err := tp.ValuesFromMap(map[string]string{
		"serialNumber": "M-0001", "first": "Ada", "last": "Lovelace", "balance": "12.50", "barcodeMessage": "MEMBER-0001",
	}, nil)
	if err != nil {
		log.Fatal(err)
	}
	p, _, err := tp.Build(v)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.SerialNumber, p.StoreCard.SecondaryFields[0].Value, p.StoreCard.PrimaryFields[0].Value.IsNumber(), p.Barcodes[0].Message)

	_, err = tp.ValuesFromMap(map[string]string{"serialNumber": "M-0002", "first": "Grace", "last": "Hopper", "nickname": "Amazing"}, nil)
	fmt.Println(err != nil)
	// Output:
	// M-0001 Ada Lovelace true MEMBER-0001
	// true
}

// Command template-bulk turns a CSV of members into a folder of signed
// store cards, one .pkpass per member, with the template package.
//
// The design is made once, in code: a store card whose member field and
// description hold the {{holder_name}} placeholder, whose points and tier
// fields are filled by key, and whose barcode gets each member's message.
// Every CSV column names one of those (see template.CSVReader). The passes
// are signed with a development identity generated on the spot; its CA is
// saved as dev-ca.pem so that they can be verified. Wallet does not accept
// development passes: sign with your Pass Type ID certificate for that
// (passforge bulk --p12 ...).
//
//	go run ./examples/template-bulk                  # members.csv → passes/
//	go run ./examples/template-bulk -values my.csv -out out
//	passforge verify --roots passes/dev-ca.pem passes/M-0001.pkpass
package main

import (
	"bytes"
	"context"
	_ "embed"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
	"github.com/passforge/passforge/template"
)

// members.csv ships with the example, so that it runs as is.
//
//go:embed members.csv
var membersCSV []byte

const (
	passTypeID = "pass.com.example.members"
	teamID     = "ABCDE12345"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("template-bulk", flag.ContinueOnError)
	fs.SetOutput(stderr)
	values := fs.String("values", "", "the members CSV (default: the bundled members.csv)")
	out := fs.String("out", "passes", "the folder to write the passes to")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := issue(*values, *out, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "template-bulk:", err)
		return 1
	}
	return 0
}

func issue(valuesPath, out string, stdout, stderr io.Writer) error {
	// 1. The design, made once. Its problems are reported here, not per pass.
	tp, err := template.New(design())
	if err != nil {
		return err
	}

	// 2. A throwaway signing identity (a real one: sign.LoadP12).
	dev, err := sign.NewDevelopmentIdentity(passTypeID, teamID)
	if err != nil {
		return err
	}

	// 3. The values: one pass per CSV row, columns checked against the design.
	var csvData io.Reader = bytes.NewReader(membersCSV)
	var files = os.DirFS(".")
	if valuesPath != "" {
		f, err := os.Open(valuesPath)
		if err != nil {
			return err
		}
		defer f.Close()
		csvData, files = f, os.DirFS(filepath.Dir(valuesPath))
	}
	rows, err := template.NewCSVReader(csvData, tp, &template.CSVOptions{Files: files})
	if err != nil {
		return err
	}

	// 4. Issue on every core into the folder; a bad row does not stop the batch.
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	sum, err := tp.Bulk(context.Background(), rows.All(), dev.Identity, &template.DirSink{Dir: out}, &template.BulkOptions{
		OnFailure: func(f template.Failure) { fmt.Fprintf(stderr, "row %d: %v\n", f.Index+1, f.Err) },
	})
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "dev-ca.pem"), dev.CAPEM(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "issued %d passes into %s (%d failed)\n", sum.Issued, out, sum.Failed)
	fmt.Fprintf(stdout, "verify one with: passforge verify --roots %s %s\n",
		filepath.Join(out, "dev-ca.pem"), filepath.Join(out, template.FileName("M-0001")))
	if sum.Failed > 0 {
		return fmt.Errorf("%d rows failed", sum.Failed)
	}
	return nil
}

// design returns the store card design and its icon.
func design() (*pass.Pass, *pass.Assets) {
	p := &pass.Pass{
		FormatVersion:      1,
		PassTypeIdentifier: passTypeID,
		TeamIdentifier:     teamID,
		OrganizationName:   "Example Coffee",
		Description:        "Example Coffee membership of {{holder_name}}",
		LogoText:           "Example Coffee",
		ForegroundColor:    pass.RGB(255, 255, 255),
		BackgroundColor:    pass.RGB(60, 65, 76),
		LabelColor:         pass.RGB(200, 200, 200),
		Barcodes:           []pass.Barcode{{Format: pass.BarcodeFormatQR, Message: "MEMBER", MessageEncoding: "iso-8859-1"}},
		StoreCard: &pass.PassFields{
			HeaderFields:    []pass.Field{{Key: "points", Label: "POINTS", Value: pass.Int(0)}},
			SecondaryFields: []pass.Field{{Key: "member", Label: "MEMBER", Value: pass.String("{{holder_name}}")}},
			AuxiliaryFields: []pass.Field{{Key: "tier", Label: "TIER", Value: pass.String("Bronze")}},
			BackFields:      []pass.Field{{Key: "terms", Label: "TERMS", Value: pass.String("Points expire after one year.")}},
		},
	}
	a := &pass.Assets{}
	for scale := 1; scale <= 3; scale++ {
		if err := a.SetImage(pass.ImageIcon, scale, icon(29*scale)); err != nil {
			panic(err) // a generated PNG with a fixed name cannot be refused
		}
	}
	return p, a
}

// icon draws a square coffee-coloured icon of size pixels.
func icon(size int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := range size {
		for x := range size {
			c := color.NRGBA{111, 78, 55, 255}
			if dx, dy := x-size/2, y-size/2; dx*dx+dy*dy < size*size/9 {
				c = color.NRGBA{245, 235, 220, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img) // encoding to memory cannot fail
	return b.Bytes()
}

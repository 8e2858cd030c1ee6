// Command quickstart builds an Apple Wallet store card in code, validates it,
// signs it, writes demo.pkpass, then reads it back, verifies it and prints a
// summary.
//
// By default it signs with a development identity generated on the spot and
// also writes its CA as demo-ca.pem. Wallet does not accept such passes, but
// openssl and passforge can verify them:
//
//	go run ./examples/quickstart
//	passforge verify --roots demo-ca.pem demo.pkpass
//
// To sign with your real Pass Type ID certificate, pass a .p12 exported from
// Keychain (or set PASSFORGE_P12) and its password in PASSFORGE_P12_PASSWORD:
//
//	PASSFORGE_P12_PASSWORD=... go run ./examples/quickstart -p12 Certificates.p12
package main

import (
	"bytes"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
)

// Identifiers of the development identity. A real .p12 brings its own.
const (
	devPassTypeID = "pass.com.example.quickstart"
	devTeamID     = "ABCDE12345"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.SetOutput(stderr)
	outDir := fs.String("out", ".", "folder to write demo.pkpass (and demo-ca.pem) into")
	p12 := fs.String("p12", getenv("PASSFORGE_P12"), "sign with this .p12 (password from $PASSFORGE_P12_PASSWORD); default: a development identity")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if err := quickstart(*outDir, *p12, getenv("PASSFORGE_P12_PASSWORD"), stdout); err != nil {
		fmt.Fprintln(stderr, "quickstart:", err)
		return 1
	}
	return 0
}

func quickstart(outDir, p12File, p12Password string, stdout io.Writer) error {
	// 1. The signing identity.
	var id *sign.Identity
	var devCA *x509.Certificate
	if p12File != "" {
		data, err := os.ReadFile(p12File)
		if err != nil {
			return err
		}
		if id, err = sign.LoadP12(data, p12Password); err != nil {
			return fmt.Errorf("%s: %w", p12File, err)
		}
	} else {
		dev, err := sign.NewDevelopmentIdentity(devPassTypeID, devTeamID)
		if err != nil {
			return err
		}
		id, devCA = dev.Identity, dev.CA
	}
	for _, n := range id.Check(time.Now()) {
		fmt.Fprintln(stdout, "warning:", n)
	}

	// 2. The pass, built in code.
	p := &pass.Pass{
		FormatVersion:      1,
		PassTypeIdentifier: id.PassTypeIdentifier(),
		TeamIdentifier:     id.TeamIdentifier(),
		SerialNumber:       "QS-0001",
		OrganizationName:   "Quickstart Coffee",
		Description:        "Quickstart Coffee loyalty card",
		LogoText:           "Quickstart Coffee",
		BackgroundColor:    pass.RGB(102, 51, 0),
		ForegroundColor:    pass.RGB(255, 255, 255),
		LabelColor:         pass.RGB(255, 214, 153),
		StoreCard: &pass.PassFields{
			PrimaryFields:   []pass.Field{{Key: "stamps", Label: "Stamps", Value: pass.Int(7)}},
			SecondaryFields: []pass.Field{{Key: "member", Label: "Member", Value: pass.String("Jane Appleseed")}},
			AuxiliaryFields: []pass.Field{{Key: "reward", Label: "Next reward", Value: pass.String("Free coffee at 10")}},
			BackFields:      []pass.Field{{Key: "terms", Label: "Terms", Value: pass.String("One stamp per drink. Stamps expire after a year.")}},
		},
		Barcodes: []pass.Barcode{{Format: pass.BarcodeFormatQR, Message: "QS-0001", MessageEncoding: "iso-8859-1", AltText: "QS-0001"}},
	}
	assets := &pass.Assets{}
	for _, img := range []struct {
		name string
		w, h int
	}{{"icon.png", 29, 29}, {"icon@2x.png", 58, 58}, {"icon@3x.png", 87, 87}, {"logo.png", 50, 50}, {"logo@2x.png", 100, 100}} {
		data, err := drawPNG(img.w, img.h)
		if err != nil {
			return err
		}
		if err := assets.Set(img.name, data); err != nil {
			return err
		}
	}
	if err := assets.SetStrings("fr", pass.Strings{"Stamps": "Tampons", "Member": "Membre", "Next reward": "Prochaine récompense", "Terms": "Conditions"}); err != nil {
		return err
	}

	// 3. Validate: errors would refuse to sign; warnings are worth reading.
	if err := p.Validate(assets); err != nil {
		var verr *pass.ValidationError
		if !errors.As(err, &verr) || verr.HasErrors() {
			return err
		}
		for _, w := range verr.Warnings() {
			fmt.Fprintln(stdout, w.String())
		}
	}

	// 4. Sign and write, never leaving a partial file behind.
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sign.Write(&buf, p, assets, id, nil); err != nil {
		return err
	}
	pkpassPath := filepath.Join(outDir, "demo.pkpass")
	if err := writeFile(pkpassPath, buf.Bytes()); err != nil {
		return err
	}
	var roots *x509.CertPool // nil: Apple Root CA
	caPath := filepath.Join(outDir, "demo-ca.pem")
	if devCA != nil {
		if err := writeFile(caPath, (&sign.DevelopmentIdentity{CA: devCA}).CAPEM()); err != nil {
			return err
		}
		roots = x509.NewCertPool()
		roots.AddCert(devCA)
	}

	// 5. Read it back and verify it, as a server receiving it would.
	data, err := os.ReadFile(pkpassPath)
	if err != nil {
		return err
	}
	pkg, err := sign.ReadBytes(data, &sign.VerifyOptions{Roots: roots})
	if err != nil {
		return fmt.Errorf("verifying %s: %w", pkpassPath, err)
	}

	fmt.Fprintf(stdout, "wrote %s (%d bytes, %d files)\n", pkpassPath, len(data), len(pkg.Files))
	fmt.Fprintf(stdout, "  pass:      %s %s, serial %s (%s)\n", pkg.Pass.OrganizationName, pkg.Pass.Style(), pkg.Pass.SerialNumber, pkg.Pass.PassTypeIdentifier)
	fmt.Fprintf(stdout, "  signed by: %s, team %s, %s at %s\n", pkg.Signature.Signer.Subject.CommonName, id.TeamIdentifier(),
		pkg.Signature.Digest, pkg.Signature.SigningTime.UTC().Format(time.RFC3339))
	fmt.Fprintf(stdout, "  verified:  manifest, signature, chain and identifiers OK\n")
	if devCA != nil {
		fmt.Fprintf(stdout, "wrote %s: this is a development identity, which Wallet does not accept.\n", caPath)
		fmt.Fprintf(stdout, "check it with: passforge verify --roots %s %s\n", caPath, pkpassPath)
	}
	return nil
}

// drawPNG draws a simple coffee-coloured square with a lighter disc.
func drawPNG(w, h int) ([]byte, error) {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.NRGBA{R: 102, G: 51, A: 255}), image.Point{}, draw.Src)
	cx, cy, r := w/2, h/2, min(w, h)/3
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r {
				img.SetNRGBA(x, y, color.NRGBA{R: 255, G: 214, B: 153, A: 255})
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeFile writes data through a temporary file and a rename.
func writeFile(name string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), name)
}

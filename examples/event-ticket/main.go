// Command event-ticket builds a poster event ticket (iOS 18+) in code,
// localized in English and French, validates it, signs it with a development
// identity, writes event-ticket.pkpass, then reads it back, verifies it and
// prints a summary:
//
//	go run ./examples/event-ticket -out /tmp
//	passforge verify --roots /tmp/event-ticket-ca.pem /tmp/event-ticket.pkpass
//
// A poster ticket asks for the poster layout in preferredStyleSchemes and
// keeps the eventTicket style with its legacy fields, which older devices and
// Apple Watch show. Wallet draws the poster only when the pass has the
// required semantic tags (eventName, venueName, venueRegionName, venueRoom,
// and performerNames for a live performance), nfc, a background or artwork
// image and a primaryLogo; without them it falls back to the legacy ticket.
//
// Wallet does not accept passes signed by the development identity; sign with
// your Pass Type ID certificate for real devices (see examples/quickstart).
package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
)

// Identifiers of the development identity.
const (
	passTypeID = "pass.com.example.events"
	teamID     = "ABCDE12345"
	serial     = "EVT-2027-0621-A-12"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run parses args, builds the ticket and returns the exit code (0 done, 1
// failure, 2 bad usage).
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("event-ticket", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: event-ticket [-out DIR]")
		fmt.Fprintln(stderr, "example: event-ticket -out /tmp && passforge verify --roots /tmp/event-ticket-ca.pem /tmp/event-ticket.pkpass")
		fs.PrintDefaults()
	}
	outDir := fs.String("out", ".", "folder to write event-ticket.pkpass and event-ticket-ca.pem into")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "event-ticket: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if err := eventTicket(*outDir, stdout); err != nil {
		fmt.Fprintln(stderr, "event-ticket:", err)
		return 1
	}
	return 0
}

func eventTicket(outDir string, stdout io.Writer) error {
	// 0. The output folder first, so a bad -out fails before any work.
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}

	// 1. A development identity: a throwaway CA and Pass Type ID certificate.
	dev, err := sign.NewDevelopmentIdentity(passTypeID, teamID)
	if err != nil {
		return err
	}

	// 2. The pass. Localizable strings (labels, description, values) are keys
	// of the pass.strings files added below.
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.FixedZone("CEST", 2*60*60) // no tzdata on this system
	}
	start := time.Date(2027, time.June, 21, 20, 0, 0, 0, paris)
	end := start.Add(3 * time.Hour)
	nfcKey, err := nfcPublicKey()
	if err != nil {
		return err
	}
	p := &pass.Pass{
		FormatVersion:         1,
		PassTypeIdentifier:    dev.PassTypeIdentifier(),
		TeamIdentifier:        dev.TeamIdentifier(),
		SerialNumber:          serial,
		OrganizationName:      "Fête de la Musique Live",
		Description:           "TICKET_DESCRIPTION",
		LogoText:              "Fête Live", // legacy layout only
		EventLogoText:         "FESTIVAL",  // poster layout (iOS 18.1+)
		BackgroundColor:       pass.RGB(24, 16, 64),
		ForegroundColor:       pass.RGB(255, 255, 255),
		LabelColor:            pass.RGB(255, 196, 0),
		FooterBackgroundColor: pass.RGB(255, 196, 0),
		GroupingIdentifier:    "fete-2027",
		// The poster layout first, then the legacy event ticket.
		PreferredStyleSchemes: []pass.StyleScheme{pass.StyleSchemePosterEventTicket, pass.StyleSchemeEventTicket},
		// The legacy fields: older devices and Apple Watch show them, and Wallet
		// refuses the whole pass if they are invalid.
		EventTicket: &pass.PassFields{
			PrimaryFields: []pass.Field{{Key: "event", Label: "EVENT", Value: pass.String("The Night Owls")}},
			SecondaryFields: []pass.Field{
				{Key: "venue", Label: "VENUE", Value: pass.String("Le Grand Rex")},
				{Key: "doors", Label: "DOORS", Value: pass.DateValue(start.Add(-time.Hour)), DateStyle: pass.DateStyleMedium, TimeStyle: pass.DateStyleShort},
			},
			AuxiliaryFields: []pass.Field{
				{Key: "section", Label: "SECTION", Value: pass.String("Orchestre")},
				{Key: "row", Label: "ROW", Value: pass.String("A")},
				{Key: "seat", Label: "SEAT", Value: pass.String("12")},
			},
			BackFields: []pass.Field{{Key: "terms", Label: "TERMS", Value: pass.String("TERMS_TEXT")}},
		},
		// Poster tickets are NFC-entry tickets; the barcode-free pass relies on it.
		NFC: &pass.NFC{Message: serial, EncryptionPublicKey: nfcKey, RequiresAuthentication: true},
		Semantics: &pass.Semantics{
			EventName:       "The Night Owls",
			EventType:       pass.EventTypeLivePerformance,
			PerformerNames:  []string{"The Night Owls"},
			EventStartDate:  pass.NewDate(start),
			EventEndDate:    pass.NewDate(end),
			VenueName:       "Le Grand Rex",
			VenueRegionName: "Paris",
			VenueRoom:       "Grande Salle",
			VenueLocation:   &pass.SemanticLocation{Latitude: 48.8707, Longitude: 2.3477},
			AdmissionLevel:  "Orchestre",
			AttendeeName:    "Camille Martin",
			Seats:           []pass.Seat{{SeatSection: "Orchestre", SeatRow: "A", SeatNumber: "12"}},
		},
		RelevantDates: []pass.RelevantDate{{StartDate: pass.NewDate(start.Add(-2 * time.Hour)), EndDate: pass.NewDate(end)}},
		Locations:     []pass.Location{{Latitude: 48.8707, Longitude: 2.3477, RelevantText: "ENTRANCE_NEARBY"}},
	}

	// 3. Images, drawn in code: the poster background (legacy tickets blur it),
	// the iOS 27 artwork, the poster's primaryLogo, the legacy logo and the
	// icon. The poster's secondaryLogo, the sponsor's mark, is localized: an
	// image in en.lproj and another in fr.lproj.
	assets := &pass.Assets{}
	images := []struct {
		role  pass.ImageRole
		scale int
		w, h  int
		draw  func(w, h int) image.Image
	}{
		{pass.ImageIcon, 1, 38, 38, badge}, {pass.ImageIcon, 2, 76, 76, badge}, {pass.ImageIcon, 3, 114, 114, badge},
		{pass.ImageLogo, 2, 100, 100, badge},
		{pass.ImagePrimaryLogo, 2, 252, 60, wordmark(color.NRGBA{255, 196, 0, 255})},
		{pass.ImageBackground, 2, 690, 1010, poster},
		{pass.ImageArtwork, 2, 716, 896, poster},
	}
	for _, img := range images {
		b, err := encodePNG(img.draw(img.w, img.h))
		if err != nil {
			return err
		}
		if err := assets.SetImage(img.role, img.scale, b); err != nil {
			return err
		}
	}
	for lang, c := range map[string]color.NRGBA{"en": {255, 196, 0, 255}, "fr": {0, 85, 164, 255}} {
		b, err := encodePNG(wordmark(c)(270, 24))
		if err != nil {
			return err
		}
		if err := assets.SetLocalizedImage(lang, pass.ImageSecondaryLogo, 2, b); err != nil {
			return err
		}
	}

	// 4. The two languages. Wallet picks the device's language, else the
	// first of the pass's languages.
	localizations := map[string]pass.Strings{
		"en": {
			"TICKET_DESCRIPTION": "Ticket for The Night Owls at Le Grand Rex",
			"EVENT":              "Event", "VENUE": "Venue", "DOORS": "Doors", "SECTION": "Section", "ROW": "Row", "SEAT": "Seat",
			"TERMS":           "Terms",
			"TERMS_TEXT":      "Admits one. Entry by NFC: hold your iPhone near the reader. No re-entry.",
			"ENTRANCE_NEARBY": "Le Grand Rex is nearby: have your ticket ready.",
		},
		"fr": {
			"TICKET_DESCRIPTION": "Billet pour The Night Owls au Grand Rex",
			"EVENT":              "Concert", "VENUE": "Salle", "DOORS": "Ouverture", "SECTION": "Catégorie", "ROW": "Rang", "SEAT": "Place",
			"TERMS":           "Conditions",
			"TERMS_TEXT":      "Valable pour une personne. Entrée par NFC : approchez votre iPhone du lecteur. Pas de sortie définitive.",
			"ENTRANCE_NEARBY": "Le Grand Rex est tout près : préparez votre billet.",
		},
	}
	for _, lang := range []string{"en", "fr"} {
		if err := assets.SetStrings(lang, localizations[lang]); err != nil {
			return err
		}
	}

	// 5. Validate: errors would stop signing; warnings say what Wallet would
	// ignore or where it would fall back to the legacy layout.
	if err := p.Validate(assets); err != nil {
		var verr *pass.ValidationError
		if !errors.As(err, &verr) || verr.HasErrors() {
			return err
		}
		for _, w := range verr.Warnings() {
			fmt.Fprintln(stdout, w.String())
		}
	}

	// 6. Sign and write through a temporary file, so no half-written pass is
	// ever left behind; then the CA that verifies it.
	var buf bytes.Buffer
	if err := sign.Write(&buf, p, assets, dev.Identity, nil); err != nil {
		return err
	}
	pkpassPath := filepath.Join(outDir, "event-ticket.pkpass")
	caPath := filepath.Join(outDir, "event-ticket-ca.pem")
	if err := writeFile(pkpassPath, buf.Bytes()); err != nil {
		return err
	}
	if err := writeFile(caPath, dev.CAPEM()); err != nil {
		return err
	}

	// 7. Read it back and verify it against the development CA.
	data, err := os.ReadFile(pkpassPath)
	if err != nil {
		return err
	}
	roots := x509.NewCertPool()
	roots.AddCert(dev.CA)
	pkg, err := sign.ReadBytes(data, &sign.VerifyOptions{Roots: roots})
	if err != nil {
		return fmt.Errorf("verifying %s: %w", pkpassPath, err)
	}
	fr, err := pkg.Assets.Strings("fr")
	if err != nil {
		return fmt.Errorf("reading fr.lproj/pass.strings of %s: %w", pkpassPath, err)
	}

	got := pkg.Pass
	fmt.Fprintf(stdout, "wrote %s (%d bytes, %d files)\n", pkpassPath, len(data), len(pkg.Files))
	fmt.Fprintf(stdout, "  ticket:    %s, %s, serial %s\n", got.Semantics.EventName, got.Style(), got.SerialNumber)
	fmt.Fprintf(stdout, "  layouts:   %s\n", joinSchemes(got.PreferredStyleSchemes))
	fmt.Fprintf(stdout, "  event:     %s, %s, %s (%s), %s\n", got.Semantics.EventType, got.Semantics.VenueName, got.Semantics.VenueRoom,
		got.Semantics.VenueRegionName, got.Semantics.EventStartDate)
	fmt.Fprintf(stdout, "  entry:     NFC (requiresAuthentication %t), no barcode\n", got.NFC != nil && got.NFC.RequiresAuthentication)
	fmt.Fprintf(stdout, "  languages: %s; fr description %q\n", strings.Join(pkg.Assets.Languages(), ", "), fr["TICKET_DESCRIPTION"])
	fmt.Fprintf(stdout, "  images:    %s\n", strings.Join(imageNames(pkg.Files), ", "))
	fmt.Fprintf(stdout, "  verified:  manifest, signature, chain to the development CA and identifiers OK (signed %s)\n",
		pkg.Signature.SigningTime.UTC().Format(time.RFC3339))
	fmt.Fprintf(stdout, "wrote %s: a development CA; Wallet accepts only passes signed with an Apple-issued certificate.\n", caPath)
	return nil
}

// nfcPublicKey returns a fresh P-256 public key as base64 SubjectPublicKeyInfo,
// the form of nfc.encryptionPublicKey. A real ticket uses the key of the NFC
// terminals' operator.
func nfcPublicKey() (string, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", err
	}
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(der), nil
}

// poster draws a night-sky gradient with a spotlight and a stage.
func poster(w, h int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	cx, cy, r := w/2, h/3, w/3
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			t := float64(y) / float64(h)
			c := color.NRGBA{uint8(24 + 80*t), uint8(16 + 20*t), uint8(64 + 100*t), 255}
			if dx, dy := x-cx, y-cy; dx*dx+dy*dy <= r*r {
				c = color.NRGBA{255, 196, 0, 255}
			}
			if y > h*4/5 {
				c = color.NRGBA{12, 8, 32, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// badge draws a yellow disc on the pass's dark blue.
func badge(w, h int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	cx, cy, r := w/2, h/2, min(w, h)*2/5
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{24, 16, 64, 255}
			if dx, dy := x-cx, y-cy; dx*dx+dy*dy <= r*r {
				c = color.NRGBA{255, 196, 0, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// wordmark returns a drawer of three bars in c on a transparent ground, a
// stand-in for a logotype.
func wordmark(c color.NRGBA) func(w, h int) image.Image {
	return func(w, h int) image.Image {
		img := image.NewNRGBA(image.Rect(0, 0, w, h))
		for y := h / 5; y < h*4/5; y++ {
			for x := 0; x < w; x++ {
				if (x*3/w)%2 == 0 || y < h*2/5 {
					img.SetNRGBA(x, y, c)
				}
			}
		}
		return img
	}
}

func encodePNG(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func joinSchemes(s []pass.StyleScheme) string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = string(v)
	}
	return strings.Join(out, " then ")
}

func imageNames(files []string) []string {
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, ".png") {
			out = append(out, f)
		}
	}
	return out
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

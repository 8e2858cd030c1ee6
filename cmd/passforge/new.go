package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/template"
)

func init() {
	register(&command{
		name:    "new",
		summary: "scaffold a template folder for a pass style, ready to lint and build",
		run:     runNew,
	})
}

const newUsage = `Usage: passforge new [--style STYLE] [--pass-type-id ID] [--team-id ID] [--json] DIR

Creates the template folder DIR for a pass of STYLE (storeCard, eventTicket,
coupon, boardingPass, generic or posterGeneric; default storeCard): a pass.json
with sample fields, colours, a QR code and a {{name}} placeholder that
'passforge build' fills per pass; placeholder icon and logo images (and the
strip, thumbnail or artwork the style shows) at @1x, @2x and @3x in Apple's
sizes; and en.lproj/pass.strings. The folder passes 'passforge lint --template'
with no errors. Replace the images and edit pass.json, then build passes from it.

--pass-type-id and --team-id are the passTypeIdentifier and teamIdentifier of
your Pass Type ID certificate; the defaults are examples that only a --dev
identity signs. DIR must not exist or be empty; nothing is left behind when
the folder cannot be written.

Exit status: 0 when DIR was created, 1 when it could not be (DIR not empty,
write error), 2 on usage errors.

Example:
  passforge new --style eventTicket --pass-type-id pass.com.example.tickets --team-id A1B2C3D4E5 ticket.pass
  passforge build --template ticket.pass --dev --set serialNumber=T-0001 --set name="Jane Appleseed" -o jane.pkpass

Flags:
`

// teamIDPattern matches an Apple Team ID.
var teamIDPattern = regexp.MustCompile(`^[A-Z0-9]{10}$`)

// newStyles are the styles passforge new scaffolds, in the order they are listed.
var newStyles = []string{"storeCard", "eventTicket", "coupon", "boardingPass", "generic", "posterGeneric"}

// Default identifiers of a scaffolded pass: examples that a development identity signs.
const (
	newDefaultPassTypeID = "pass.com.example.passforge"
	newDefaultTeamID     = "A1B2C3D4E5"
)

func runNew(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("new", newUsage, stderr)
	style := fs.String("style", "storeCard", "the pass style: "+strings.Join(newStyles, ", "))
	passTypeID := fs.String("pass-type-id", newDefaultPassTypeID, "passTypeIdentifier, the UID of your Pass Type ID certificate")
	teamID := fs.String("team-id", newDefaultTeamID, "teamIdentifier, the OU of your Pass Type ID certificate")
	asJSON := fs.Bool("json", false, "print what was created as JSON")
	dirs, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	usageErr := func(format string, a ...any) int { return usageError(fs, format, a...) }
	if len(dirs) != 1 {
		return usageErr("want exactly one DIR, got %d", len(dirs))
	}
	dir := dirs[0]
	if !teamIDPattern.MatchString(*teamID) {
		return usageErr("--team-id %q: want the 10-character Team ID of your Apple developer account, such as %s", *teamID, newDefaultTeamID)
	}
	p, assets, err := scaffold(*style, *passTypeID, *teamID)
	if err != nil {
		var ve *pass.ValidationError
		if errors.As(err, &ve) {
			printProblems(stderr, ve)
			return usageErr("--pass-type-id %q and --team-id %q do not make a valid pass", *passTypeID, *teamID)
		}
		return usageErr("%v", err)
	}
	if err := checkEmptyDir(dir); err != nil {
		return failure(stderr, "new", err)
	}
	// What build will ask for: the placeholders, as the template package finds them.
	tp, err := template.New(p, assets)
	if err != nil {
		return failure(stderr, "new", err)
	}
	files, err := writeScaffold(dir, p, assets)
	if err != nil {
		return failure(stderr, "new", err)
	}
	if *asJSON {
		if err := printJSON(stdout, newReport{dir, *style, p.PassTypeIdentifier, p.TeamIdentifier, tp.Placeholders(), files}); err != nil {
			return failure(stderr, "new", err)
		}
		return exitOK
	}
	fmt.Fprintf(stdout, "created %s: a %s template (%s, team %s) with %d files\n", dir, *style, p.PassTypeIdentifier, p.TeamIdentifier, len(files))
	sets := ""
	for _, name := range tp.Placeholders() {
		sets += fmt.Sprintf(" --set %s=%q", name, "Jane Appleseed")
	}
	fmt.Fprintf(stdout, "next:\n  passforge lint --template %s\n  passforge build --template %s --dev --set serialNumber=0001%s -o jane.pkpass\n", dir, dir, sets)
	return exitOK
}

// newReport describes the template folder new created; --json prints it as is.
type newReport struct {
	Dir                string `json:"dir"`
	Style              string `json:"style"`
	PassTypeIdentifier string `json:"passTypeIdentifier"`
	TeamIdentifier     string `json:"teamIdentifier"`
	// Placeholders are the {{name}}s that build asks a value for.
	Placeholders []string `json:"placeholders"`
	// Files are the files written, relative to Dir.
	Files []string `json:"files"`
}

// checkEmptyDir returns an error unless dir does not exist or is an empty folder.
func checkEmptyDir(dir string) error {
	fi, err := os.Stat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s exists and is not a folder", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is not empty; choose a new folder", dir)
	}
	return nil
}

// writeScaffold writes pass.json and the assets into dir so that a failure leaves nothing behind: a new dir is
// written as a temporary folder beside it and renamed into place; an existing (empty) dir, which may be the
// working folder, is filled in place and emptied again on failure. It returns the names of the files written.
func writeScaffold(dir string, p *pass.Pass, assets *pass.Assets) (files []string, err error) {
	passJSON, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, passJSON, "", "  "); err != nil {
		return nil, err
	}
	indented.WriteByte('\n')

	target, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	work := target
	_, statErr := os.Stat(target)
	exists := statErr == nil
	if !exists {
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return nil, err
		}
		if work, err = os.MkdirTemp(filepath.Dir(target), "."+filepath.Base(target)+".tmp-*"); err != nil {
			return nil, err
		}
		if err := os.Chmod(work, 0o755); err != nil {
			os.Remove(work)
			return nil, err
		}
	}
	defer func() {
		if err == nil {
			return
		}
		if !exists {
			os.RemoveAll(work)
			return
		}
		entries, _ := os.ReadDir(work)
		for _, e := range entries {
			os.RemoveAll(filepath.Join(work, e.Name()))
		}
	}()
	write := func(name string, data []byte) error {
		full := filepath.Join(work, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		return os.WriteFile(full, data, 0o644)
	}
	if err = write(pass.PassJSONName, indented.Bytes()); err != nil {
		return nil, err
	}
	files = append(files, pass.PassJSONName)
	for _, name := range assets.Names() {
		data, _ := assets.Get(name)
		if err = write(name, data); err != nil {
			return nil, err
		}
		files = append(files, name)
	}
	if !exists {
		if err = os.Rename(work, target); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// scaffold returns the sample pass and files of style, checked with pass.Validate: err is a
// *pass.ValidationError when the identifiers make the pass invalid.
func scaffold(style, passTypeID, teamID string) (*pass.Pass, *pass.Assets, error) {
	p := &pass.Pass{
		FormatVersion:      1,
		PassTypeIdentifier: passTypeID,
		TeamIdentifier:     teamID,
		SerialNumber:       "0001",
		OrganizationName:   "Example Co.",
		LogoText:           "Example Co.",
		BackgroundColor:    pass.RGB(0x1f, 0x3a, 0x5f),
		ForegroundColor:    pass.RGB(0xff, 0xff, 0xff),
		LabelColor:         pass.RGB(0xc8, 0xd6, 0xe5),
		Barcodes: []pass.Barcode{{
			Format:          pass.BarcodeFormatQR,
			Message:         "0001",
			MessageEncoding: "iso-8859-1",
			AltText:         "0001",
		}},
	}
	back := []pass.Field{{Key: "terms", Label: "Terms", Value: pass.String("Issued to {{name}}. Replace this text with your terms and conditions.")}}
	accent := color.NRGBA{0xf2, 0xa9, 0x00, 0xff}
	a := &pass.Assets{}
	extra := map[pass.ImageRole][2]int{} // role → size at 1x in points, besides icon and logo
	switch style {
	case "storeCard":
		p.Description = "Example Co. loyalty card"
		p.StoreCard = &pass.PassFields{
			HeaderFields:    []pass.Field{{Key: "points", Label: "Points", Value: pass.Int(120)}},
			PrimaryFields:   []pass.Field{{Key: "balance", Label: "Balance", Value: pass.Number(25), CurrencyCode: "USD"}},
			SecondaryFields: []pass.Field{{Key: "member", Label: "Member", Value: pass.String("{{name}}")}},
			AuxiliaryFields: []pass.Field{{Key: "level", Label: "Level", Value: pass.String("Gold")}},
			BackFields:      back,
		}
		extra[pass.ImageStrip] = [2]int{375, 144}
	case "eventTicket":
		p.Description = "Example Co. event ticket"
		p.EventTicket = &pass.PassFields{
			HeaderFields:    []pass.Field{{Key: "gate", Label: "Gate", Value: pass.String("B")}},
			PrimaryFields:   []pass.Field{{Key: "event", Label: "Event", Value: pass.String("Example Live")}},
			SecondaryFields: []pass.Field{{Key: "member", Label: "Attendee", Value: pass.String("{{name}}")}},
			AuxiliaryFields: []pass.Field{{Key: "seat", Label: "Seat", Value: pass.String("Row 4, Seat 12")}},
			BackFields:      back,
		}
		extra[pass.ImageThumbnail] = [2]int{90, 90}
	case "coupon":
		p.Description = "Example Co. coupon"
		p.Coupon = &pass.PassFields{
			PrimaryFields:   []pass.Field{{Key: "offer", Label: "Any drink", Value: pass.String("20% off")}},
			SecondaryFields: []pass.Field{{Key: "member", Label: "For", Value: pass.String("{{name}}")}},
			BackFields:      back,
		}
		extra[pass.ImageStrip] = [2]int{375, 144}
	case "boardingPass":
		p.Description = "Example Co. boarding pass"
		p.BoardingPass = &pass.PassFields{
			TransitType:     pass.TransitTypeAir,
			HeaderFields:    []pass.Field{{Key: "flight", Label: "Flight", Value: pass.String("EX 123")}},
			PrimaryFields:   []pass.Field{{Key: "origin", Label: "San Francisco", Value: pass.String("SFO")}, {Key: "destination", Label: "New York", Value: pass.String("JFK")}},
			SecondaryFields: []pass.Field{{Key: "member", Label: "Passenger", Value: pass.String("{{name}}")}},
			AuxiliaryFields: []pass.Field{{Key: "gate", Label: "Gate", Value: pass.String("A7")}, {Key: "seat", Label: "Seat", Value: pass.String("12A")}},
			BackFields:      back,
		}
		p.Barcodes[0].Format = pass.BarcodeFormatPDF417
	case "generic":
		p.Description = "Example Co. membership card"
		p.Generic = &pass.PassFields{
			PrimaryFields:   []pass.Field{{Key: "member", Label: "Member", Value: pass.String("{{name}}")}},
			SecondaryFields: []pass.Field{{Key: "level", Label: "Level", Value: pass.String("Gold")}},
			BackFields:      back,
		}
		extra[pass.ImageThumbnail] = [2]int{90, 90}
	case "posterGeneric":
		// posterGeneric (iOS 27) ships with a legacy generic fallback for older systems; field keys are unique
		// across both.
		p.Description = "Example Co. membership card"
		p.Generic = &pass.PassFields{
			PrimaryFields:   []pass.Field{{Key: "member", Label: "Member", Value: pass.String("{{name}}")}},
			SecondaryFields: []pass.Field{{Key: "level", Label: "Level", Value: pass.String("Gold")}},
			BackFields:      back,
		}
		p.PosterGeneric = &pass.PassFields{
			HeaderFields:  []pass.Field{{Key: "poster_level", Label: "Level", Value: pass.String("Gold")}},
			PrimaryFields: []pass.Field{{Key: "poster_member", Label: "Member", Value: pass.String("{{name}}")}},
			FooterFields:  []pass.Field{{Key: "poster_points", Label: "Points", Value: pass.Int(120)}},
		}
		extra[pass.ImageThumbnail] = [2]int{90, 90}
		extra[pass.ImagePrimaryLogo] = [2]int{126, 30}
		extra[pass.ImageArtwork] = [2]int{358, 448}
	default:
		return nil, nil, fmt.Errorf("--style %q: want one of %s", style, strings.Join(newStyles, ", "))
	}

	images := map[pass.ImageRole][2]int{pass.ImageIcon: {38, 38}, pass.ImageLogo: {160, 50}}
	for r, s := range extra {
		images[r] = s
	}
	for role, size := range images {
		for scale := 1; scale <= 3; scale++ {
			data, err := placeholderPNG(role, size[0]*scale, size[1]*scale, accent)
			if err != nil {
				return nil, nil, err
			}
			if err := a.SetImage(role, scale, data); err != nil {
				return nil, nil, err
			}
		}
	}
	// Wallet looks the strings of pass.json up in <lang>.lproj/pass.strings; add a folder per language.
	strs := pass.Strings{p.Description: p.Description, "Terms": "Terms"}
	if err := a.SetStrings("en", strs); err != nil {
		return nil, nil, err
	}
	// Checked as a design: the {{name}} placeholder is filled per pass, so it is no problem here.
	var ve *pass.ValidationError
	if _, err := template.New(p, a); errors.As(err, &ve) {
		return nil, nil, ve
	} else if err != nil {
		return nil, nil, err
	}
	return p, a, nil
}

// placeholderPNG draws a flat placeholder image of w×h pixels for role: the icon is a filled square with a
// white disc, the logo a disc on a transparent background (room for logoText), the strip a plain panel, the other
// roles a two-tone panel with a disc. The image is paletted and drawn a row span at a time, so even an @3x artwork takes little time
// and a few kilobytes.
func placeholderPNG(role pass.ImageRole, w, h int, accent color.NRGBA) ([]byte, error) {
	const (
		transparent = iota
		dark
		white
		accentIndex
		light
	)
	palette := color.Palette{color.NRGBA{}, color.NRGBA{0x1f, 0x3a, 0x5f, 0xff}, color.NRGBA{0xff, 0xff, 0xff, 0xff}, accent,
		color.NRGBA{0x2b, 0x4d, 0x78, 0xff}}
	img := image.NewPaletted(image.Rect(0, 0, w, h), palette)
	// The disc: centre (cx, cy), radius r, colour disc; the background above and below the split row.
	var cx, cy, r int
	var top, bottom, disc uint8
	switch role {
	case pass.ImageIcon:
		cx, cy, r, top, bottom, disc = w/2, h/2, w/4, accentIndex, accentIndex, white
	case pass.ImageLogo, pass.ImagePrimaryLogo:
		cx, cy, r, top, bottom, disc = h/2, h/2, h*2/5, transparent, transparent, accentIndex
	default:
		cx, cy, r, top, bottom, disc = w/2, h/3, min(w, h)/5, dark, accentIndex, white
	}
	split := h * 2 / 3
	if role == pass.ImageStrip {
		// The strip lies behind the primary fields: a calm panel with a thin accent line at the bottom.
		r, top, bottom, split = -1, light, accentIndex, h-max(h/24, 1)
	}
	fill := func(row []uint8, c uint8) {
		if len(row) == 0 {
			return
		}
		row[0] = c
		for n := 1; n < len(row); n *= 2 {
			copy(row[n:], row[:n])
		}
	}
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+w]
		bg := top
		if y >= split {
			bg = bottom
		}
		fill(row, bg)
		if dy := y - cy; r >= 0 && dy*dy <= r*r {
			dx := int(math.Sqrt(float64(r*r - dy*dy)))
			fill(row[max(cx-dx, 0):min(cx+dx+1, w)], disc)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

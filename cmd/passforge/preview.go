package main

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/preview"
	"github.com/passforge/passforge/sign"
)

func init() {
	register(&command{
		name:    "preview",
		summary: "draw the front of a pass as a PNG picture",
		run:     runPreview,
	})
}

const previewUsage = `Usage: passforge preview [--lang xx] [--scale 1|2|3] [--roots PEM] [--json] -o front.png PASS

Draws the front of PASS as Wallet lays it out for its style (colours, logo,
fields, strip, thumbnail and background images, barcode) and writes it to
front.png ("-" for the standard output). PASS is a .pkpass file, a pass
folder, or a pass.json file (images are read from the folder it is in when
it is named pass.json).

A .pkpass is read and verified, but a signature or certificate problem (a
development signature, an expired certificate) is only a warning here: the
preview is drawn all the same; --roots trusts the roots of a development
identity (as for verify) so that its passes draw without warnings. --lang
shows the texts and images of that localization (the xx of xx.lproj).
--scale is the pixels per point: the picture is 320x420 points, 640x840
pixels at the default --scale 2.
--json prints what was written as JSON (not with -o -, where the standard
output is the picture).

Exit status: 0 when the picture was written, 1 when the pass cannot be read
or drawn or the file cannot be written, 2 on usage errors. No partial file
is ever left behind.

Examples:
  passforge preview -o front.png Coffee.pkpass
  passforge preview --roots demo-ca.pem -o demo.png demo.pkpass
  passforge preview --lang fr --scale 3 -o front@3x.png Coffee.pass
  passforge preview -o - Coffee.pass/pass.json > front.png

Flags:
`

func runPreview(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("preview", previewUsage, stderr)
	lang := fs.String("lang", "", "the localization to show (the xx of xx.lproj); default: the texts in pass.json")
	scale := fs.Int("scale", 2, "pixels per point: 1, 2 or 3")
	out := fs.String("o", "", `the PNG file to write, or "-" for the standard output (required)`)
	rootsFile := addRootsFlag(fs)
	asJSON := fs.Bool("json", false, "print what was written as JSON")
	positional, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	switch {
	case len(positional) != 1 || *out == "":
		return usageError(fs, "want -o OUT and exactly one PASS")
	case *scale < 1 || *scale > 3:
		return usageError(fs, "--scale %d: want 1, 2 or 3", *scale)
	case *asJSON && *out == "-":
		return usageError(fs, "--json needs -o FILE: with -o - the standard output is the picture")
	}
	fail := func(err error) int { return failure(stderr, "preview", err) }
	opts, err := verifyOptions(*rootsFile)
	if err != nil {
		return fail(err)
	}
	p, a, warnings, err := readPreviewInput(positional[0], opts)
	for _, w := range warnings {
		fmt.Fprintf(stderr, "warning: %s\n", safe(fmt.Sprint(w)))
	}
	if err != nil {
		return fail(err)
	}
	if *lang != "" && !hasLanguage(a, *lang) {
		fmt.Fprintf(stderr, "warning: %s has no %s.lproj localization; showing the texts of pass.json\n", positional[0], *lang)
	}
	img, err := preview.Render(p, a, &preview.Options{Scale: *scale, Language: *lang})
	if err != nil {
		return fail(fmt.Errorf("%s: %w", positional[0], err))
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return fail(fmt.Errorf("encoding PNG: %w", err))
	}
	if err := writeOutput(*out, stdout, buf.Bytes()); err != nil {
		return fail(err)
	}
	if *out == "-" {
		return exitOK
	}
	b := img.Bounds()
	r := previewReport{File: *out, Style: previewStyle(p), Width: b.Dx(), Height: b.Dy(), Scale: *scale, Language: *lang, Bytes: buf.Len()}
	if *asJSON {
		if err := printJSON(stdout, r); err != nil {
			return fail(err)
		}
		return exitOK
	}
	fmt.Fprintf(stdout, "wrote %s (%s, %dx%d px, @%dx)\n", r.File, r.Style, r.Width, r.Height, r.Scale)
	return exitOK
}

// previewReport describes the picture preview wrote; --json prints it as is.
type previewReport struct {
	File string `json:"file"`
	// Style is the pass style drawn, such as storeCard or posterGeneric.
	Style string `json:"style"`
	// Width and Height are in pixels.
	Width  int `json:"width"`
	Height int `json:"height"`
	// Scale is the pixels per point.
	Scale int `json:"scale"`
	// Language is the localization shown, empty for the texts of pass.json.
	Language string `json:"language,omitempty"`
	Bytes    int    `json:"bytes"`
}

// readPreviewInput reads a .pkpass, a pass folder or a pass.json. Verification problems of a .pkpass are
// returned as warnings, not as an error.
func readPreviewInput(name string, opts *sign.VerifyOptions) (*pass.Pass, *pass.Assets, []error, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return nil, nil, nil, err
	}
	if fi.IsDir() {
		p, a, err := pass.Load(os.DirFS(name))
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		return p, a, nil, nil
	}
	if isZip, err := hasZipMagic(name); err != nil {
		return nil, nil, nil, err
	} else if isZip || filepath.Ext(name) == ".pkpass" {
		pkg, err := readPkpass(name, opts)
		var verr *sign.VerifyError
		switch {
		case err != nil && !errors.As(err, &verr):
			return nil, nil, nil, fmt.Errorf("%s: %w", name, err)
		case pkg == nil || pkg.Pass == nil:
			if err == nil {
				err = errors.New("no readable pass.json")
			}
			return nil, nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		var warnings []error
		if verr != nil {
			warnings = append(warnings, verr.Problems...)
		}
		return pkg.Pass, pkg.Assets, warnings, nil
	}
	if filepath.Base(name) == pass.PassJSONName {
		p, a, err := pass.Load(os.DirFS(filepath.Dir(name)))
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %w", filepath.Dir(name), err)
		}
		return p, a, nil, nil
	}
	if fi.Size() > pass.MaxPassJSONSize {
		return nil, nil, nil, fmt.Errorf("%s is larger than %d bytes", name, pass.MaxPassJSONSize)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, nil, err
	}
	p, err := pass.Parse(data)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	return p, &pass.Assets{}, nil, nil
}

// hasZipMagic reports whether the file starts like a zip archive.
func hasZipMagic(name string) (bool, error) {
	f, err := os.Open(name)
	if err != nil {
		return false, err
	}
	defer f.Close()
	var magic [4]byte
	n, err := io.ReadFull(f, magic[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return false, err
	}
	return n == 4 && string(magic[:]) == "PK\x03\x04", nil
}

// hasLanguage reports whether the assets hold the localization lang.
func hasLanguage(a *pass.Assets, lang string) bool {
	for _, l := range a.Languages() {
		if l == lang {
			return true
		}
	}
	return false
}

// previewStyle names the style drawn, for the summary line.
func previewStyle(p *pass.Pass) string {
	if p.HasPosterGeneric() {
		return string(pass.StylePosterGeneric)
	}
	return string(p.Style())
}

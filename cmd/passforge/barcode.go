package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/passforge/passforge/barcode"
)

func init() {
	register(&command{
		name:    "barcode",
		summary: "draw a Wallet barcode as a PNG or SVG image",
		run:     runBarcode,
	})
}

const barcodeUsage = `Usage: passforge barcode --format qr|pdf417|aztec|code128|code39|codabar|ean13|itf [--encoding E] [--size WxH] [--svg] [--json] -o OUT MESSAGE

Draws MESSAGE as the barcode Wallet shows for a pass, encoded with the
messageEncoding E (default iso-8859-1), with the quiet zone the symbology
needs, and writes it to OUT as a PNG (or an SVG with --svg; OUT "-" is the
standard output). --format also takes Apple's names (PKBarcodeFormatQR...).
--size WxH is the image size in pixels, quiet zone included (W alone keeps
the symbol's proportions); without it each module is a few pixels. The
message is checked with the rules pass validation uses (capacity, character
set, EAN-13 check digit) and nothing is written when it fails them.
--json prints what was written as JSON (not with -o -, where the standard
output is the image).

Exit status: 0 when the image was written, 1 when the message cannot be drawn
or the file cannot be written, 2 on usage errors.

Examples:
  passforge barcode --format qr --size 600x600 -o ticket.png "https://example.com/t/42"
  passforge barcode --format ean13 --svg -o product.svg 400638133393
  passforge barcode --format aztec --encoding utf-8 -o boarding.png -- "-M1DOE/JOHN"

Flags:
`

func runBarcode(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("barcode", barcodeUsage, stderr)
	format := fs.String("format", "", "barcode format: qr, pdf417, aztec, code128, code39, codabar, ean13 or itf (required)")
	encoding := fs.String("encoding", barcode.DefaultEncoding, "messageEncoding: an IANA character set such as iso-8859-1, utf-8 or utf-16")
	size := fs.String("size", "", "image size in pixels, WxH or W (default: a few pixels a module)")
	svg := fs.Bool("svg", false, "write an SVG instead of a PNG")
	out := fs.String("o", "", `the image file to write, or "-" for the standard output (required)`)
	asJSON := fs.Bool("json", false, "print what was written as JSON")
	positional, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	switch {
	case len(positional) != 1 || *out == "" || *format == "":
		return usageError(fs, "want --format, -o OUT and exactly one MESSAGE")
	case *asJSON && *out == "-":
		return usageError(fs, "--json needs -o FILE: with -o - the standard output is the image")
	}
	message := positional[0]
	f, err := barcode.ParseFormat(*format)
	if err != nil {
		return usageError(fs, "--format: %v", err)
	}
	opts := &barcode.Options{Encoding: *encoding}
	if *size != "" {
		if opts.Width, opts.Height, err = parseBarcodeSize(*size); err != nil {
			return usageError(fs, "--size: %v", err)
		}
	}

	sym, err := barcode.Encode(f, message, opts)
	if err != nil {
		fmt.Fprintf(stderr, "passforge barcode: %s\n", errorText(err))
		if errors.Is(err, barcode.ErrUnknownEncoding) {
			return exitUsage
		}
		return exitProblems
	}
	var buf bytes.Buffer
	if *svg {
		err = sym.WriteSVG(&buf, opts)
	} else {
		err = sym.WritePNG(&buf, opts)
		if strings.HasSuffix(strings.ToLower(*out), ".svg") {
			fmt.Fprintf(stderr, "warning: writing a PNG to %s; use --svg for an SVG\n", *out)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "passforge barcode: %s\n", errorText(err))
		return exitProblems
	}
	if err := writeOutput(*out, stdout, buf.Bytes()); err != nil {
		return failure(stderr, "barcode", err)
	}
	if *out == "-" {
		return exitOK
	}
	r := barcodeReport{File: *out, Format: f, Image: "png", Bytes: buf.Len()}
	if *svg {
		r.Image = "svg"
	}
	r.Columns, r.Rows = sym.Size()
	if *asJSON {
		if err := printJSON(stdout, r); err != nil {
			return failure(stderr, "barcode", err)
		}
		return exitOK
	}
	fmt.Fprintf(stdout, "wrote %s (%s %s, %dx%d modules, %d bytes)\n", r.File, f, strings.ToUpper(r.Image), r.Columns, r.Rows, r.Bytes)
	return exitOK
}

// barcodeReport describes the image barcode wrote; --json prints it as is.
type barcodeReport struct {
	File string `json:"file"`
	// Format is Apple's name of the symbology, such as PKBarcodeFormatQR.
	Format string `json:"format"`
	// Image is "png" or "svg".
	Image   string `json:"image"`
	Columns int    `json:"columns"`
	Rows    int    `json:"rows"`
	Bytes   int    `json:"bytes"`
}

// parseBarcodeSize parses "WxH" or "W" into positive pixel sizes; a missing
// height is returned as zero.
func parseBarcodeSize(s string) (w, h int, err error) {
	ws, hs, hasH := strings.Cut(strings.ToLower(s), "x")
	parse := func(v string) (int, error) {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 || n > barcode.MaxDimension {
			return 0, fmt.Errorf("%q is not a size in pixels (WxH, each from 1 to %d)", s, barcode.MaxDimension)
		}
		return n, nil
	}
	if w, err = parse(ws); err != nil {
		return 0, 0, err
	}
	if hasH {
		if h, err = parse(hs); err != nil {
			return 0, 0, err
		}
	}
	return w, h, nil
}

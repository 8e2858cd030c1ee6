package barcode

import (
	"errors"
	"fmt"
	"image/color"
	"strings"

	bb "github.com/boombuler/barcode"
	"github.com/boombuler/barcode/aztec"
	"github.com/boombuler/barcode/codabar"
	"github.com/boombuler/barcode/code128"
	"github.com/boombuler/barcode/code39"
	"github.com/boombuler/barcode/ean"
	"github.com/boombuler/barcode/pdf417"
	"github.com/boombuler/barcode/qr"
	"github.com/boombuler/barcode/twooffive"

	"github.com/passforge/passforge/internal/barcodespec"
)

// Wallet's barcode formats, as written in the format key of pass.json.
const (
	FormatQR      = barcodespec.FormatQR      // PKBarcodeFormatQR
	FormatPDF417  = barcodespec.FormatPDF417  // PKBarcodeFormatPDF417
	FormatAztec   = barcodespec.FormatAztec   // PKBarcodeFormatAztec
	FormatCode128 = barcodespec.FormatCode128 // PKBarcodeFormatCode128
	FormatCode39  = barcodespec.FormatCode39  // PKBarcodeFormatCode39 (iOS 27+)
	FormatCodabar = barcodespec.FormatCodabar // PKBarcodeFormatCodabar (iOS 27+)
	FormatEAN13   = barcodespec.FormatEAN13   // PKBarcodeFormatEAN13 (iOS 27+)
	FormatI2of5   = barcodespec.FormatI2of5   // PKBarcodeFormatI2of5 (iOS 27+)
)

// DefaultEncoding is the messageEncoding used when Options.Encoding is empty.
const DefaultEncoding = "iso-8859-1"

// Errors callers may branch on. Problems with the message also come as
// *CapacityError or *EncodingError, and all of them match ErrInvalidMessage.
var (
	// ErrUnknownFormat is wrapped when the format is not a PKBarcodeFormat name.
	ErrUnknownFormat = barcodespec.ErrUnknownFormat
	// ErrUnknownEncoding is wrapped when the messageEncoding is not supported.
	ErrUnknownEncoding = barcodespec.ErrUnknownEncoding
	// ErrInvalidMessage is matched when the message cannot be drawn in the
	// format: unencodable characters, character set, length, check digit or
	// capacity.
	ErrInvalidMessage = barcodespec.ErrInvalidMessage
	// ErrTooSmall is wrapped when the requested Width and Height leave less
	// than one pixel per module.
	ErrTooSmall = errors.New("barcode: image too small for the symbol")
)

// CapacityError reports a message too long for the largest symbol of its
// format; see errors.As.
type CapacityError = barcodespec.CapacityError

// EncodingError reports a message character the messageEncoding cannot
// represent; see errors.As.
type EncodingError = barcodespec.EncodingError

// Formats returns every format Wallet knows, the four legacy ones first.
func Formats() []string { return barcodespec.Formats() }

// shortNames maps the command-line names of the formats to Apple's names.
var shortNames = map[string]string{
	"qr": FormatQR, "pdf417": FormatPDF417, "aztec": FormatAztec, "code128": FormatCode128,
	"code39": FormatCode39, "codabar": FormatCodabar, "ean13": FormatEAN13, "itf": FormatI2of5,
	"i2of5": FormatI2of5,
}

// ParseFormat returns Apple's format name for name, which is either that name
// ("PKBarcodeFormatQR") or a short one, without regard to case: qr, pdf417,
// aztec, code128, code39, codabar, ean13, itf (or i2of5).
func ParseFormat(name string) (string, error) {
	if barcodespec.KnownFormat(name) {
		return name, nil
	}
	if f, ok := shortNames[strings.ToLower(name)]; ok {
		return f, nil
	}
	return "", fmt.Errorf("barcode: %w %q (want qr, pdf417, aztec, code128, code39, codabar, ean13 or itf)", ErrUnknownFormat, name)
}

// Options are the per-call settings of Encode, Render, WritePNG and WriteSVG.
// A nil *Options is the same as a zero Options.
type Options struct {
	// Encoding is the barcode's messageEncoding, an IANA character set name.
	// If empty, iso-8859-1.
	Encoding string
	// Width and Height are the size of the image in pixels, quiet zone
	// included. If both are zero, the size follows from ModuleSize. If one is
	// zero, it follows from the other and the symbol's proportions. The
	// symbol is drawn at the largest whole number of pixels per module that
	// fits and centred; one-dimensional bars fill the whole height.
	Width, Height int
	// ModuleSize is the size in pixels of one module when Width and Height
	// are zero. If zero, 4 for QR and Aztec codes, 2 for PDF417 and the
	// one-dimensional codes.
	ModuleSize int
	// QuietZone is the margin around the symbol in modules (left and right
	// only for one-dimensional codes). If zero, the minimum the symbology
	// needs (see the package documentation); if negative, none. At most
	// MaxQuietZone.
	QuietZone int
	// Foreground is the colour of the bars and dark modules. If nil, black.
	Foreground color.Color
	// Background is the colour of the spaces and the quiet zone. If nil,
	// white; color.Transparent gives a transparent background.
	Background color.Color
}

func (o *Options) orZero() *Options {
	if o == nil {
		return &Options{}
	}
	return o
}

// Symbol is an encoded barcode: a grid of dark and light modules, before it
// is drawn at a size. Symbols come from Encode; the zero Symbol is empty and
// drawing it returns an error.
type Symbol struct {
	format string
	data   []byte
	cols   int
	rows   int
	dark   []bool // rows*cols, row-major
	// rowHeight is the height of a row in modules (PDF417: 3; others: 1).
	rowHeight int
	// qzLeft, qzRight and qzVertical are the default quiet zones in modules.
	qzLeft, qzRight, qzVertical int
	linear                      bool
}

// Format returns the symbol's PKBarcodeFormat name.
func (s *Symbol) Format() string { return s.format }

// Data returns the bytes encoded in the symbol: the message in its
// messageEncoding (for EAN-13, with the check digit; for Codabar, with the
// start and stop characters).
func (s *Symbol) Data() []byte { return append([]byte(nil), s.data...) }

// Size returns the symbol's size in modules, without quiet zone: the number of
// columns and of rows (1 for one-dimensional codes).
func (s *Symbol) Size() (cols, rows int) { return s.cols, s.rows }

// Linear reports whether the symbol is a one-dimensional (bar) code.
func (s *Symbol) Linear() bool { return s.linear }

// Dark reports whether the module at column x and row y is dark. Positions
// outside the symbol are light.
func (s *Symbol) Dark(x, y int) bool {
	if x < 0 || y < 0 || x >= s.cols || y >= s.rows {
		return false
	}
	return s.dark[y*s.cols+x]
}

// Encode checks message against the rules of format (see ParseFormat for
// names), encodes it with opts.Encoding and returns the symbol's modules.
func Encode(format, message string, opts *Options) (*Symbol, error) {
	opts = opts.orZero()
	if f, ok := shortNames[strings.ToLower(format)]; ok && !barcodespec.KnownFormat(format) {
		format = f
	}
	encoding := opts.Encoding
	if encoding == "" {
		encoding = DefaultEncoding
	}
	if err := barcodespec.Check(format, message, encoding); err != nil {
		if errors.Is(err, ErrUnknownFormat) || errors.Is(err, ErrUnknownEncoding) {
			return nil, fmt.Errorf("barcode: %w", err)
		}
		return nil, fmt.Errorf("barcode: %s message: %w", format, err)
	}
	data, err := barcodespec.Encode(message, encoding)
	if err != nil { // unreachable after Check, kept so no error is lost
		return nil, fmt.Errorf("barcode: %s message: %w", format, err)
	}
	s := &Symbol{format: format, data: data, rowHeight: 1}
	var code bb.Barcode
	switch format {
	case FormatQR:
		code, err = qr.Encode(string(data), qr.M, qr.Auto)
		if err != nil {
			code, err = qr.Encode(string(data), qr.L, qr.Auto)
		}
		s.qzLeft, s.qzRight, s.qzVertical = 4, 4, 4
	case FormatAztec:
		code, err = aztec.Encode(data, 23, aztec.DEFAULT_LAYERS)
		s.qzLeft, s.qzRight, s.qzVertical = 1, 1, 1
	case FormatPDF417:
		code, err = encodePDF417(data)
		s.qzLeft, s.qzRight, s.qzVertical = 2, 2, 2
		s.rowHeight = 3
	case FormatCode128:
		code, err = code128.Encode(string(data))
		s.qzLeft, s.qzRight, s.linear = 10, 10, true
	case FormatCode39:
		code, err = code39.Encode(string(data), false, false)
		s.qzLeft, s.qzRight, s.linear = 10, 10, true
	case FormatCodabar:
		framed := []byte("A" + string(data) + "A")
		if start := barcodespec.CodabarGuard(rune(data[0])); start != 0 {
			framed = append([]byte(nil), data...)
			framed[0], framed[len(framed)-1] = start, barcodespec.CodabarGuard(rune(data[len(data)-1]))
		}
		s.data = framed
		code, err = codabar.Encode(string(framed))
		s.qzLeft, s.qzRight, s.linear = 10, 10, true
	case FormatEAN13:
		code, err = ean.Encode(string(data))
		if err == nil {
			s.data = []byte(code.Content())
		}
		s.qzLeft, s.qzRight, s.linear = 11, 7, true
	case FormatI2of5:
		code, err = twooffive.Encode(string(data), true)
		s.qzLeft, s.qzRight, s.linear = 10, 10, true
	}
	if err != nil {
		// The rules in barcodespec mirror the encoders, so this means a
		// disagreement between the two; report it with the encoder's words.
		return nil, fmt.Errorf("barcode: %s message: encoder failed: %v", format, err)
	}
	s.fill(code)
	return s, nil
}

// encodePDF417 uses the error-correction level ISO/IEC 15438 recommends for
// the number of data codewords, lowered (not below 2) until the symbol fits.
func encodePDF417(data []byte) (bb.Barcode, error) {
	n := barcodespec.PDF417DataCodewords(data)
	level := 2
	switch {
	case n > 320:
		level = 5
	case n > 160:
		level = 4
	case n > 40:
		level = 3
	}
	for level > 2 && n+1+(2<<level) > 900 {
		level--
	}
	return pdf417.Encode(string(data), byte(level))
}

// fill copies the modules of a boombuler barcode into s.
func (s *Symbol) fill(code bb.Barcode) {
	b := code.Bounds()
	s.cols = b.Dx()
	step := 1
	if s.format == FormatPDF417 {
		step = 2 // boombuler draws each PDF417 row two pixels high
	}
	s.rows = b.Dy() / step
	if s.linear {
		s.rows = 1
	}
	s.dark = make([]bool, s.cols*s.rows)
	for y := 0; y < s.rows; y++ {
		for x := 0; x < s.cols; x++ {
			s.dark[y*s.cols+x] = isDark(code.At(b.Min.X+x, b.Min.Y+y*step))
		}
	}
}

func isDark(c color.Color) bool {
	r, g, b, a := c.RGBA()
	return a > 0x8000 && r+g+b < 3*0x8000
}

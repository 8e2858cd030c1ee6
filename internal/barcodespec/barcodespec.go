package barcodespec

import (
	"fmt"
	"strings"
)

// Wallet's barcode format names, as used in the format key of pass.json.
const (
	FormatQR      = "PKBarcodeFormatQR"
	FormatPDF417  = "PKBarcodeFormatPDF417"
	FormatAztec   = "PKBarcodeFormatAztec"
	FormatCode128 = "PKBarcodeFormatCode128"
	FormatCode39  = "PKBarcodeFormatCode39"  // iOS 27+
	FormatCodabar = "PKBarcodeFormatCodabar" // iOS 27+
	FormatEAN13   = "PKBarcodeFormatEAN13"   // iOS 27+
	FormatI2of5   = "PKBarcodeFormatI2of5"   // iOS 27+, Interleaved 2 of 5
)

// Formats lists every format Wallet knows, the four legacy ones first.
func Formats() []string {
	return []string{FormatQR, FormatPDF417, FormatAztec, FormatCode128, FormatCode39, FormatCodabar, FormatEAN13, FormatI2of5}
}

// Max1DLength is the most characters a one-dimensional code (Code 128, Code
// 39, Codabar, Interleaved 2 of 5) may hold: a practical limit beyond which
// the symbol no longer fits a phone screen at a scannable module width.
const Max1DLength = 80

// KnownFormat reports whether format is one of Wallet's PKBarcodeFormat names
// (compared exactly, as Wallet does).
func KnownFormat(format string) bool {
	switch format {
	case FormatQR, FormatPDF417, FormatAztec, FormatCode128, FormatCode39, FormatCodabar, FormatEAN13, FormatI2of5:
		return true
	}
	return false
}

// IsIOS27Format reports whether format is one of the formats added in iOS 27
// (Code 39, Codabar, EAN-13, Interleaved 2 of 5). Older systems do not show
// them, so a pass that uses one needs a fallback (QR, PDF417, Aztec or Code
// 128) later in its barcodes array.
func IsIOS27Format(format string) bool {
	switch format {
	case FormatCode39, FormatCodabar, FormatEAN13, FormatI2of5:
		return true
	}
	return false
}

// symbolName is the name of a format in running text.
func symbolName(format string) string {
	switch format {
	case FormatQR:
		return "a QR code"
	case FormatPDF417:
		return "a PDF417 code"
	case FormatAztec:
		return "an Aztec code"
	case FormatCode128:
		return "Code 128"
	case FormatCode39:
		return "Code 39"
	case FormatCodabar:
		return "Codabar"
	case FormatEAN13:
		return "EAN-13"
	case FormatI2of5:
		return "Interleaved 2 of 5"
	}
	return format
}

// Check reports whether a barcode with this format, message and
// messageEncoding can be drawn. It returns nil or the first problem found:
// an unknown format (wrapping ErrUnknownFormat) or encoding (wrapping
// ErrUnknownEncoding), an empty message, a character the encoding cannot
// represent (*EncodingError), a message too long for the largest symbol
// (*CapacityError), or a message outside the symbology's character set,
// length or check-digit rules. Every problem with the message matches
// ErrInvalidMessage.
//
// The rules per format:
//   - QR, Aztec, PDF417: any bytes, up to the capacity listed in the package
//     documentation.
//   - Code 128: ASCII (0–127), at most 80 characters.
//   - Code 39: 0–9, A–Z, space and - . $ / + %, at most 80 characters.
//   - Codabar: 0–9 and - $ : / . +, optionally between start and stop
//     characters A–D (both or neither; a–d and the alternative names T, N, *
//     and E are accepted too), at most 80 characters.
//   - EAN-13: 12 digits, or 13 digits whose last is the correct check digit.
//   - Interleaved 2 of 5: an even number of digits, at most 80.
//
// The one-dimensional formats need an ASCII-compatible encoding (not UTF-16).
func Check(format, message, encoding string) error {
	if !KnownFormat(format) {
		return unknownFormat(format)
	}
	cs, err := lookupCharset(encoding)
	if err != nil {
		return err
	}
	if message == "" {
		return invalidf("message is empty")
	}
	data, err := cs.encodeString(message)
	if err != nil {
		return err
	}
	switch format {
	case FormatQR:
		return checkQR(data)
	case FormatAztec:
		return checkAztec(data)
	case FormatPDF417:
		return checkPDF417(data)
	}
	// One-dimensional codes: the symbol holds ASCII characters.
	if !cs.asciiCompatible {
		return invalidf("%s needs an ASCII-compatible messageEncoding such as iso-8859-1, not %s", symbolName(format), cs.name)
	}
	switch format {
	case FormatCode128:
		return check1D(format, message, "ASCII characters", func(r rune) bool { return r <= 0x7f })
	case FormatCode39:
		return check1D(format, message, "0-9, A-Z, space and - . $ / + %", isCode39)
	case FormatCodabar:
		return checkCodabar(message)
	case FormatEAN13:
		return checkEAN13(message)
	default: // FormatI2of5
		if err := check1D(format, message, "digits", isDigit); err != nil {
			return err
		}
		if len(message)%2 != 0 {
			return invalidf("Interleaved 2 of 5 needs an even number of digits, got %d", len(message))
		}
		return nil
	}
}

func unknownFormat(format string) error {
	return fmt.Errorf("%w %q (want one of %s)", ErrUnknownFormat, format, strings.Join(Formats(), ", "))
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isCode39(r rune) bool {
	return isDigit(r) || (r >= 'A' && r <= 'Z') || strings.ContainsRune(" -.$/+%", r)
}

func isCodabarData(r rune) bool { return isDigit(r) || strings.ContainsRune("-$:/.+", r) }

// isCodabarGuard reports whether r is a Codabar start or stop character: A–D,
// or their lower-case forms, or the alternative names T, N, * and E.
func isCodabarGuard(r rune) bool { return strings.ContainsRune("ABCDabcdTNEtne*", r) }

// CodabarGuard returns the start or stop character A–D that r stands for
// (a–d and the alternative names T, N, *, E map to A, B, C, D), or 0 when r is
// not one.
func CodabarGuard(r rune) byte {
	switch r {
	case 'A', 'a', 'T', 't':
		return 'A'
	case 'B', 'b', 'N', 'n':
		return 'B'
	case 'C', 'c', '*':
		return 'C'
	case 'D', 'd', 'E', 'e':
		return 'D'
	}
	return 0
}

// check1D checks the character set and the length of a one-dimensional code.
func check1D(format, message, allowed string, ok func(rune) bool) error {
	n := 0
	for _, r := range message {
		if !ok(r) {
			return invalidf("character %q at offset %d is not allowed in %s (only %s)", r, n, symbolName(format), allowed)
		}
		n++
	}
	if n > Max1DLength {
		return &CapacityError{Format: format, Size: n, Max: Max1DLength, Unit: "characters"}
	}
	return nil
}

// checkCodabar accepts data characters, optionally framed by start and stop
// characters A–D.
func checkCodabar(message string) error {
	framed := isCodabarGuard(rune(message[0])) || isCodabarGuard(rune(message[len(message)-1]))
	if framed {
		if len(message) < 2 || !isCodabarGuard(rune(message[0])) || !isCodabarGuard(rune(message[len(message)-1])) {
			return invalidf("Codabar start and stop characters (A-D, or T, N, *, E) must both be present, at the first and last offset")
		}
		message = message[1 : len(message)-1]
	}
	off := 0
	if framed {
		off = 1
	}
	for i, r := range message {
		if !isCodabarData(r) {
			return invalidf("character %q at offset %d is not allowed in Codabar (only 0-9 and - $ : / . +, with A-D only as start and stop characters)", r, i+off)
		}
	}
	if len(message)+2*off > Max1DLength {
		return &CapacityError{Format: FormatCodabar, Size: len(message) + 2*off, Max: Max1DLength, Unit: "characters"}
	}
	return nil
}

// checkEAN13 accepts 12 digits, or 13 digits with a correct check digit.
func checkEAN13(message string) error {
	for i, r := range message {
		if !isDigit(r) {
			return invalidf("character %q at offset %d is not allowed in EAN-13 (only digits)", r, i)
		}
	}
	if len(message) != 12 && len(message) != 13 {
		return invalidf("EAN-13 needs 12 digits, or 13 with the check digit; got %d", len(message))
	}
	want := EAN13CheckDigit(message[:12])
	if len(message) == 13 && message[12] != want {
		return invalidf("EAN-13 check digit is %c but the first 12 digits give %c", message[12], want)
	}
	return nil
}

// EAN13CheckDigit returns the check digit ('0'–'9') of the first 12 digits of
// an EAN-13 number. digits must hold at least 12 ASCII digits.
func EAN13CheckDigit(digits string) byte {
	sum := 0
	for i := 0; i < 12; i++ {
		d := int(digits[i] - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

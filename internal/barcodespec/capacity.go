package barcodespec

import (
	"fmt"
	"math/big"
)

// QR code capacity of version 40 at error-correction level L, per mode.
const (
	qrMaxDigits       = 7089
	qrMaxAlphanumeric = 4296
	qrMaxBytes        = 2953
)

// isQRAlphanumeric reports whether b is in the QR alphanumeric character set.
func isQRAlphanumeric(b byte) bool {
	return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || b == ' ' || b == '$' || b == '%' ||
		b == '*' || b == '+' || b == '-' || b == '.' || b == '/' || b == ':'
}

// checkQR mirrors the renderer's mode choice: numeric when every byte is a
// digit, alphanumeric when every byte is in that set, bytes otherwise.
func checkQR(data []byte) error {
	digits, alnum := true, true
	for _, b := range data {
		digits = digits && b >= '0' && b <= '9'
		alnum = alnum && isQRAlphanumeric(b)
	}
	switch {
	case digits:
		if len(data) > qrMaxDigits {
			return &CapacityError{Format: FormatQR, Size: len(data), Max: qrMaxDigits, Unit: "digits"}
		}
	case alnum:
		if len(data) > qrMaxAlphanumeric {
			return &CapacityError{Format: FormatQR, Size: len(data), Max: qrMaxAlphanumeric, Unit: "characters",
				Hint: "upper-case letters, digits, space and $ % * + - . / :"}
		}
	default:
		if len(data) > qrMaxBytes {
			return &CapacityError{Format: FormatQR, Size: len(data), Max: qrMaxBytes, Unit: "bytes"}
		}
	}
	return nil
}

// PDF417 as drawn by the renderer: at most 30 rows of 30 data columns (900
// codewords, including the length descriptor and error correction) at
// error-correction level 2 (8 codewords).
const (
	pdf417MaxCodewords = 30 * 30
	pdf417MinECC       = 8
)

// PDF417MaxDataCodewords is the most data codewords a PDF417 symbol drawn by
// the barcode package holds: 900 codewords less the length descriptor and the
// 8 error-correction codewords of level 2.
const PDF417MaxDataCodewords = pdf417MaxCodewords - 1 - pdf417MinECC

// checkPDF417 counts the data codewords the renderer's high-level encoder
// produces.
func checkPDF417(data []byte) error {
	n := PDF417DataCodewords(data)
	if n <= PDF417MaxDataCodewords {
		return nil
	}
	return &CapacityError{Format: FormatPDF417, Size: n, Max: PDF417MaxDataCodewords, Unit: "data codewords",
		Hint: fmt.Sprintf("%d bytes; 1068 bytes of binary data, about 1780 characters of text or 2610 digits fit", len(data))}
}

// PDF417 high-level encoding, counted the way github.com/boombuler/barcode's
// pdf417 encoder encodes: numeric compaction for runs of 13 or more digits
// (or a message of digits only), text compaction for runs of 5 or more text
// characters, byte compaction for the rest.
const pdf417MinNumeric = 13

func pdf417DigitRun(b []byte) int {
	n := 0
	for n < len(b) && b[n] >= '0' && b[n] <= '9' {
		n++
	}
	return n
}

func pdf417IsText(b byte) bool { return b == '\t' || b == '\n' || b == '\r' || (b >= 32 && b <= 126) }

func pdf417TextRun(b []byte) int {
	n := 0
	for i := range b {
		d := pdf417DigitRun(b[i:])
		if d >= pdf417MinNumeric || (d == 0 && !pdf417IsText(b[i])) {
			break
		}
		n++
	}
	return n
}

func pdf417BinaryRun(b []byte) int {
	n := 0
	for i := range b {
		if pdf417DigitRun(b[i:]) >= pdf417MinNumeric || pdf417TextRun(b[i:]) > 5 {
			break
		}
		n++
	}
	return n
}

// pdf417NumericWords counts the codewords of numeric compaction: each group
// of up to 44 digits, prefixed with 1, written in base 900.
func pdf417NumericWords(digits []byte) int {
	n := 0
	var v, q, r big.Int
	base := big.NewInt(900)
	for len(digits) > 0 {
		k := min(len(digits), 44)
		v.SetString("1"+string(digits[:k]), 10)
		for v.Sign() > 0 {
			q.QuoRem(&v, base, &r)
			v.Set(&q)
			n++
		}
		digits = digits[k:]
	}
	return n
}

// PDF417 text compaction sub-modes.
const (
	pdfUpper = iota
	pdfLower
	pdfMixed
	pdfPunct
)

var (
	pdfMixedSet = "0123456789&\r\t,:#-.$/+%*=^ "
	pdfPunctSet = ";<>@[\\]_`~!\r\t,:\n-.$/\"|*()?{}'"
)

func pdfIsMixed(b byte) bool { return containsByte(pdfMixedSet, b) }
func pdfIsPunct(b byte) bool { return containsByte(pdfPunctSet, b) }
func containsByte(s string, b byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == b {
			return true
		}
	}
	return false
}

// pdf417TextWords counts the codewords of text compaction of text starting in
// sub-mode mode, and returns the sub-mode it ends in.
func pdf417TextWords(text []byte, mode int) (int, int) {
	upper := func(b byte) bool { return b == ' ' || (b >= 'A' && b <= 'Z') }
	lower := func(b byte) bool { return b == ' ' || (b >= 'a' && b <= 'z') }
	values := 0
	for i := 0; i < len(text); {
		b := text[i]
		switch mode {
		case pdfUpper:
			switch {
			case upper(b):
				values++
			case lower(b):
				mode = pdfLower
				values++
				continue
			case pdfIsMixed(b):
				mode = pdfMixed
				values++
				continue
			default:
				values += 2
			}
		case pdfLower:
			switch {
			case lower(b):
				values++
			case upper(b):
				values += 2
			case pdfIsMixed(b):
				mode = pdfMixed
				values++
				continue
			default:
				values += 2
			}
		case pdfMixed:
			switch {
			case pdfIsMixed(b):
				values++
			case upper(b):
				mode = pdfUpper
				values++
				continue
			case lower(b):
				mode = pdfLower
				values++
				continue
			default:
				if i+1 < len(text) && pdfIsPunct(text[i+1]) {
					mode = pdfPunct
					values++
					continue
				}
				values += 2
			}
		default: // pdfPunct
			if pdfIsPunct(b) {
				values++
			} else {
				mode = pdfUpper
				values++
				continue
			}
		}
		i++
	}
	return (values + 1) / 2, mode
}

// PDF417DataCodewords returns the number of data codewords (before the length
// descriptor, padding and error correction) the barcode package's PDF417
// encoder produces for data.
func PDF417DataCodewords(data []byte) int {
	const (
		encText = iota
		encNumeric
		encBinary
	)
	enc, sub, n := encText, pdfUpper, 0
	for len(data) > 0 {
		if d := pdf417DigitRun(data); d >= pdf417MinNumeric || d == len(data) {
			n += 1 + pdf417NumericWords(data[:d])
			enc, sub = encNumeric, pdfUpper
			data = data[d:]
			continue
		}
		if t := pdf417TextRun(data); t >= 5 || t == len(data) {
			if enc != encText {
				n++
				enc, sub = encText, pdfUpper
			}
			var words int
			words, sub = pdf417TextWords(data[:t], sub)
			n += words
			data = data[t:]
			continue
		}
		b := max(pdf417BinaryRun(data), 1)
		if b != 1 || enc != encText {
			enc, sub = encBinary, pdfUpper
		}
		n += 1 + 5*(b/6) + b%6
		data = data[b:]
	}
	return n
}

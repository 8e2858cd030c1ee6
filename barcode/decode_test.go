package barcode

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zaztec "github.com/makiuchi-d/gozxing/aztec"
	"github.com/makiuchi-d/gozxing/oned"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decode reads img back with gozxing, as a phone's scanner would, and
// returns the bytes in the symbol.
func decode(t *testing.T, format string, img image.Image, dataLen int) []byte {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	require.NoError(t, err)
	hints := map[gozxing.DecodeHintType]interface{}{}
	var reader gozxing.Reader
	switch format {
	case FormatQR:
		reader = qrcode.NewQRCodeReader()
		hints[gozxing.DecodeHintType_PURE_BARCODE] = true
	case FormatAztec:
		reader = zaztec.NewAztecReader()
		hints[gozxing.DecodeHintType_PURE_BARCODE] = true
	case FormatCode128:
		reader = oned.NewCode128Reader()
	case FormatCode39:
		reader = oned.NewCode39Reader()
	case FormatCodabar:
		reader = oned.NewCodaBarReader()
		hints[gozxing.DecodeHintType_RETURN_CODABAR_START_END] = true
	case FormatEAN13:
		reader = oned.NewEAN13Reader()
	case FormatI2of5:
		reader = oned.NewITFReader()
		hints[gozxing.DecodeHintType_ALLOWED_LENGTHS] = []int{dataLen}
	default:
		t.Fatalf("no decoder for %s", format)
	}
	res, err := reader.Decode(bmp, hints)
	require.NoError(t, err, "decoding %s", format)
	switch format {
	case FormatQR:
		// Byte-mode segments carry the exact bytes; numeric and alphanumeric
		// segments are ASCII text.
		if segs, ok := res.GetResultMetadata()[gozxing.ResultMetadataType_BYTE_SEGMENTS].([][]byte); ok && len(segs) > 0 {
			return bytes.Join(segs, nil)
		}
		return []byte(res.GetText())
	case FormatAztec:
		// gozxing decodes Aztec bytes as ISO-8859-1: one rune a byte.
		var out []byte
		for _, r := range res.GetText() {
			require.LessOrEqual(t, r, rune(0xff))
			out = append(out, byte(r))
		}
		return out
	}
	return []byte(res.GetText())
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, format, message, encoding string
		want                            []byte // nil: the message in its encoding
	}{
		{"qr url", FormatQR, "https://example.com/tickets/4F2A?seat=12B", "", nil},
		{"qr latin1", FormatQR, "Grüße, Señor Müller", "", []byte("Gr\xfc\xdfe, Se\xf1or M\xfcller")},
		{"qr utf-8", FormatQR, "東京 🎟️ 2026", "utf-8", []byte("東京 🎟️ 2026")},
		{"qr utf-16", FormatQR, "Zoë", "utf-16", []byte{0xff, 0xfe, 'Z', 0, 'o', 0, 0xeb, 0}},
		{"qr windows-1252", FormatQR, "“€5”", "windows-1252", []byte{0x93, 0x80, '5', 0x94}},
		{"qr digits", FormatQR, "0123456789012345678901234567890123456789", "", nil},
		{"qr alphanumeric", FormatQR, "HTTPS://EXAMPLE.COM/A-B", "", nil},
		{"aztec text", FormatAztec, "TICKET 1234 / Gate B", "", nil},
		{"aztec latin1", FormatAztec, "Café crème brûlée", "latin1", []byte("Caf\xe9 cr\xe8me br\xfbl\xe9e")},
		{"aztec utf-8", FormatAztec, "Привет", "utf-8", []byte("Привет")},
		{"aztec long", FormatAztec, strings.Repeat("M1DOE/JOHN EABC123 ", 20), "", nil},
		{"code128", FormatCode128, "ABC-123456", "", nil},
		{"code128 lower and digits", FormatCode128, "ticket 00012345 ok", "", nil},
		{"code39", FormatCode39, "CODE 39-$/+%.", "", nil},
		{"codabar bare", FormatCodabar, "40156-$:/.+", "", []byte("A40156-$:/.+A")},
		{"codabar framed", FormatCodabar, "C1234D", "", nil},
		{"codabar alternative guards", FormatCodabar, "t1234e", "", []byte("A1234D")},
		{"ean13 12 digits", FormatEAN13, "400638133393", "", []byte("4006381333931")},
		{"ean13 13 digits", FormatEAN13, "9780201379624", "", nil},
		{"itf", FormatI2of5, "12345678", "", nil},
		{"itf long", FormatI2of5, "0012345678901234", "us-ascii", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := &Options{Encoding: tt.encoding}
			var buf bytes.Buffer
			require.NoError(t, WritePNG(&buf, tt.format, tt.message, opts))
			img, err := png.Decode(&buf)
			require.NoError(t, err)
			want := tt.want
			if want == nil {
				want = []byte(tt.message)
			}
			assert.Equal(t, want, decode(t, tt.format, img, len(want)))

			// The same symbol drawn at a requested size decodes too.
			img, err = Render(tt.format, tt.message, &Options{Encoding: tt.encoding, Width: 480, Height: 480})
			require.NoError(t, err)
			assert.Equal(t, image.Rect(0, 0, 480, 480), img.Bounds())
			if tt.name != "aztec long" { // 480 px leaves under 4 px a module for gozxing's sampler
				assert.Equal(t, want, decode(t, tt.format, img, len(want)))
			}
		})
	}
}

// TestRoundTripAtCapacity decodes the largest symbols of the 2-D formats
// gozxing reads.
func TestRoundTripAtCapacity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, format, message string
	}{
		{"qr bytes", FormatQR, strings.Repeat("é", 2953)},
		{"qr digits", FormatQR, strings.Repeat("0123456789", 708) + "012345678"},
		{"aztec bytes", FormatAztec, strings.Repeat("\u00ff", 1885)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := Encode(tt.format, tt.message, nil)
			require.NoError(t, err)
			img, err := s.Image(&Options{ModuleSize: 3})
			require.NoError(t, err)
			assert.Equal(t, s.Data(), decode(t, tt.format, img, 0))
		})
	}
}

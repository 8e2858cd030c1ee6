package barcode

import (
	"bytes"
	"errors"
	"flag"
	"image"
	"image/color"
	"image/png"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/boombuler/barcode/aztec"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passforge/passforge/internal/barcodespec"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestParseFormat(t *testing.T) {
	tests := map[string]string{
		"qr": FormatQR, "QR": FormatQR, "pdf417": FormatPDF417, "aztec": FormatAztec, "code128": FormatCode128,
		"code39": FormatCode39, "codabar": FormatCodabar, "ean13": FormatEAN13, "itf": FormatI2of5, "I2of5": FormatI2of5,
		"PKBarcodeFormatAztec": FormatAztec,
	}
	for in, want := range tests {
		got, err := ParseFormat(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	_, err := ParseFormat("datamatrix")
	assert.ErrorIs(t, err, ErrUnknownFormat)
	assert.EqualError(t, err, `barcode: unknown barcode format "datamatrix" (want qr, pdf417, aztec, code128, code39, codabar, ean13 or itf)`)
}

func TestEncodeErrors(t *testing.T) {
	tests := []struct {
		name, format, message, encoding string
		want                            string
		is                              error
	}{
		{"aztec too long", FormatAztec, strings.Repeat("\u00ff", 2000), "", "barcode: PKBarcodeFormatAztec message: too long for an Aztec code: 2000 bytes, at most 1885", ErrInvalidMessage},
		{"qr too long", FormatQR, strings.Repeat("a", 3000), "", "barcode: PKBarcodeFormatQR message: too long for a QR code: 3000 bytes, at most 2953", ErrInvalidMessage},
		{"pdf417 too long", FormatPDF417, strings.Repeat("\x01", 1100), "", "barcode: PKBarcodeFormatPDF417 message: too long for a PDF417 code: 918 data codewords, at most 891", ErrInvalidMessage},
		{"ean13 letters", FormatEAN13, "4006381ABC393", "", "barcode: PKBarcodeFormatEAN13 message: character 'A' at offset 7 is not allowed in EAN-13 (only digits)", ErrInvalidMessage},
		{"ean13 check digit", FormatEAN13, "4006381333932", "", "barcode: PKBarcodeFormatEAN13 message: EAN-13 check digit is 2 but the first 12 digits give 1", ErrInvalidMessage},
		{"unencodable", FormatQR, "東京", "", "barcode: PKBarcodeFormatQR message: character '東' at offset 0 cannot be encoded in iso-8859-1", ErrInvalidMessage},
		{"unknown encoding", FormatQR, "x", "ebcdic", `barcode: unknown message encoding "ebcdic"`, ErrUnknownEncoding},
		{"unknown format", "PKBarcodeFormatDataMatrix", "x", "", `barcode: unknown barcode format "PKBarcodeFormatDataMatrix"`, ErrUnknownFormat},
		{"itf odd", FormatI2of5, "123", "", "barcode: PKBarcodeFormatI2of5 message: Interleaved 2 of 5 needs an even number of digits, got 3", ErrInvalidMessage},
		{"code39 lower", FormatCode39, "abc", "", "is not allowed in Code 39", ErrInvalidMessage},
		{"empty", FormatCode128, "", "", "barcode: PKBarcodeFormatCode128 message: message is empty", ErrInvalidMessage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := WritePNG(&buf, tt.format, tt.message, &Options{Encoding: tt.encoding})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.ErrorIs(t, err, tt.is)
			assert.Zero(t, buf.Len(), "nothing is written on error")
		})
	}
	var ce *CapacityError
	require.ErrorAs(t, WriteSVG(&bytes.Buffer{}, FormatAztec, strings.Repeat("\u00ff", 2000), nil), &ce)
	assert.Equal(t, 1885, ce.Max)
}

// TestCheckAgreesWithEncoders draws, for every format, messages at the limits
// barcodespec enforces and random messages it accepts: whatever Check
// accepts, the encoders must draw.
func TestCheckAgreesWithEncoders(t *testing.T) {
	t.Parallel()
	rnd := rand.New(rand.NewSource(1))
	bin := func(n int, b byte) string { return strings.Repeat(string(rune(b)), n) }
	limits := []struct{ format, message string }{
		// QR's byte and digit limits are drawn and decoded in TestRoundTripAtCapacity.
		{FormatQR, strings.Repeat("Z", 4296)},
		{FormatAztec, bin(1885, 0xff)},
		{FormatAztec, bin(1885, 0x00)},
		{FormatAztec, strings.Repeat("A", 3244)},
		{FormatAztec, strings.Repeat("0123456789", 406)[:4054]},
		{FormatAztec, strings.Repeat(". ", 3242)},
		{FormatPDF417, bin(1068, 0xff)},
		{FormatPDF417, strings.Repeat("A", 1780)},
		{FormatPDF417, strings.Repeat("7", 2600)},
		{FormatCode128, strings.Repeat("\x00", 80)},
		{FormatCode128, strings.Repeat("12", 40)},
		{FormatCode39, strings.Repeat("%", 80)},
		{FormatCodabar, "A" + strings.Repeat("+", 78) + "D"},
		{FormatCodabar, strings.Repeat(":", 78)},
		{FormatI2of5, strings.Repeat("90", 40)},
	}
	for _, l := range limits {
		require.NoError(t, barcodespec.Check(l.format, l.message, DefaultEncoding), "%s %d", l.format, len(l.message))
		_, err := Encode(l.format, l.message, nil)
		require.NoError(t, err, "%s at its limit (%d characters)", l.format, len(l.message))
	}
	alphabets := []string{"0123456789", "ABCDEFGHIJKLMNOPQRSTUVWXYZ -.$/+%", "abcxyz!@#\t\n", "\x00\x01\x7f\x80\xfe\xff", "-$:/.+"}
	for i := 0; i < 96; i++ {
		format := Formats()[i%8]
		n := 1 + rnd.Intn(600)
		if i%8 >= 3 {
			n = 1 + rnd.Intn(90)
		}
		var sb strings.Builder
		for sb.Len() < n {
			a := alphabets[rnd.Intn(len(alphabets))]
			if i%3 == 0 {
				a = alphabets[i%len(alphabets)]
			}
			sb.WriteRune(rune(a[rnd.Intn(len(a))]))
		}
		msg := sb.String()
		if barcodespec.Check(format, msg, DefaultEncoding) != nil {
			continue
		}
		_, err := Encode(format, msg, nil)
		require.NoError(t, err, "%s %q", format, msg)
	}
}

// TestAztecCapacityIsExact checks, for messages of several kinds, that the
// longest prefix barcodespec accepts is exactly the longest the Aztec encoder
// draws.
func TestAztecCapacityIsExact(t *testing.T) {
	t.Parallel()
	rnd := rand.New(rand.NewSource(7))
	random := make([]byte, 2200)
	for i := range random {
		random[i] = byte(rnd.Intn(256))
	}
	kinds := map[string][]byte{
		"random bytes": random,
		"url":          []byte(strings.Repeat("https://example.com/t?id=Z9&x=", 100)),
		"mixed":        []byte(strings.Repeat("aB1.\r\n@, :", 400)),
	}
	for name, data := range kinds {
		t.Run(name, func(t *testing.T) {
			msg := latin1(data)
			var ce *CapacityError
			require.ErrorAs(t, barcodespec.Check(FormatAztec, msg, DefaultEncoding), &ce, "the sample must overflow the largest symbol")
			n := ce.Max
			require.Greater(t, n, 1800)
			_, err := aztec.Encode(data[:n], 23, aztec.DEFAULT_LAYERS)
			assert.NoError(t, err, "the encoder draws the %d bytes Check accepts", n)
			_, err = aztec.Encode(data[:n+1], 23, aztec.DEFAULT_LAYERS)
			assert.Error(t, err, "the encoder cannot draw one byte more")
			assert.NoError(t, barcodespec.Check(FormatAztec, latin1(data[:n]), DefaultEncoding))
			assert.Error(t, barcodespec.Check(FormatAztec, latin1(data[:n+1]), DefaultEncoding))
		})
	}
}

// latin1 returns the string whose ISO-8859-1 encoding is b.
func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

func TestLayout(t *testing.T) {
	t.Run("default size has the quiet zone", func(t *testing.T) {
		s, err := Encode(FormatQR, "HELLO", nil)
		require.NoError(t, err)
		cols, rows := s.Size()
		assert.Equal(t, 21, cols)
		assert.Equal(t, 21, rows)
		img, err := s.Image(nil)
		require.NoError(t, err)
		assert.Equal(t, image.Rect(0, 0, (21+8)*4, (21+8)*4), img.Bounds())
		assertLightBorder(t, img, 16)
		// The top-left finder pattern starts right after the quiet zone.
		assert.Equal(t, uint8(1), img.ColorIndexAt(16, 16))
		assert.Equal(t, uint8(0), img.ColorIndexAt(15, 16))
	})
	t.Run("requested size is exact and centred", func(t *testing.T) {
		img, err := Render(FormatAztec, "TICKET", &Options{Width: 301, Height: 200})
		require.NoError(t, err)
		assert.Equal(t, image.Rect(0, 0, 301, 200), img.Bounds())
		s, _ := Encode(FormatAztec, "TICKET", nil)
		n, _ := s.Size() // 15 modules + 2 quiet: 200/17 = 11 px a module
		p := img.(*image.Paletted)
		left := (301 - (n+2)*11) / 2
		top := (200 - (n+2)*11) / 2
		assertLightBorder(t, p, min(left, top)+11)
		assert.Equal(t, s.Dark(0, 0), p.ColorIndexAt(left+11, top+11) == 1)
	})
	t.Run("one side given keeps the proportions", func(t *testing.T) {
		img, err := Render(FormatQR, "HELLO", &Options{Width: 290})
		require.NoError(t, err)
		assert.Equal(t, image.Rect(0, 0, 290, 290), img.Bounds())
		img, err = Render(FormatPDF417, "HELLO WORLD", &Options{Height: 100})
		require.NoError(t, err)
		assert.Equal(t, 100, img.Bounds().Dy())
		assert.Greater(t, img.Bounds().Dx(), 100)
	})
	t.Run("linear bars fill the height", func(t *testing.T) {
		img, err := Render(FormatEAN13, "400638133393", &Options{Width: 226, Height: 80})
		require.NoError(t, err)
		p := img.(*image.Paletted)
		// 95 modules + 11 + 7 quiet = 113 modules: 2 px each.
		assert.Equal(t, uint8(0), p.ColorIndexAt(21, 0), "left quiet zone")
		assert.Equal(t, uint8(1), p.ColorIndexAt(22, 0), "first guard bar")
		assert.Equal(t, uint8(1), p.ColorIndexAt(22, 79))
		assert.Equal(t, uint8(0), p.ColorIndexAt(24, 40), "guard space")
	})
	t.Run("quiet zone option", func(t *testing.T) {
		img, err := Render(FormatQR, "HELLO", &Options{QuietZone: -1, ModuleSize: 1})
		require.NoError(t, err)
		assert.Equal(t, 21, img.Bounds().Dx())
		img, err = Render(FormatQR, "HELLO", &Options{QuietZone: 10, ModuleSize: 1})
		require.NoError(t, err)
		assert.Equal(t, 41, img.Bounds().Dx())
		img, err = Render(FormatCode128, "HELLO", &Options{QuietZone: 1, ModuleSize: 1})
		require.NoError(t, err)
		s, _ := Encode(FormatCode128, "HELLO", nil)
		n, _ := s.Size()
		assert.Equal(t, n+2, img.Bounds().Dx())
	})
	t.Run("too small", func(t *testing.T) {
		_, err := Render(FormatQR, "HELLO", &Options{Width: 20, Height: 20})
		assert.ErrorIs(t, err, ErrTooSmall)
		assert.Contains(t, err.Error(), "PKBarcodeFormatQR needs at least 29x29 pixels")
		_, err = Render(FormatCode128, "HELLO", &Options{Width: 50, Height: 50})
		assert.ErrorIs(t, err, ErrTooSmall)
	})
	t.Run("bounded", func(t *testing.T) {
		_, err := Render(FormatQR, "HELLO", &Options{Width: 1 << 20, Height: 1 << 20})
		assert.ErrorContains(t, err, "exceeds the limit")
		_, err = Render(FormatQR, "HELLO", &Options{ModuleSize: 1 << 30})
		assert.Error(t, err)
		_, err = Render(FormatQR, "HELLO", &Options{Width: -1})
		assert.ErrorContains(t, err, "negative size")
		_, err = Render(FormatQR, "HELLO", &Options{QuietZone: 1 << 40})
		assert.ErrorContains(t, err, "quiet zone of 1099511627776 modules exceeds the limit of 100")
	})
	t.Run("colours", func(t *testing.T) {
		red := color.NRGBA{R: 0xc0, A: 0xff}
		img, err := Render(FormatQR, "HELLO", &Options{Foreground: red, Background: color.Transparent})
		require.NoError(t, err)
		_, _, _, a := img.At(0, 0).RGBA()
		assert.Zero(t, a, "transparent quiet zone")
		assert.Equal(t, color.NRGBAModel.Convert(red), color.NRGBAModel.Convert(img.At(16, 16)))
	})
}

// assertLightBorder checks that a band of width px around img is background.
func assertLightBorder(t *testing.T, img *image.Paletted, px int) {
	t.Helper()
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if x < px || y < px || x >= b.Max.X-px || y >= b.Max.Y-px {
				if img.ColorIndexAt(x, y) != 0 {
					t.Fatalf("dark pixel at (%d,%d) inside the %d px quiet zone", x, y, px)
				}
			}
		}
	}
}

// svgRun matches one dark run of the SVG path.
var svgRun = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v(\d+)h-(\d+)z`)

// TestSVG checks the SVG of every format against golden files and against
// the symbol's modules.
func TestSVG(t *testing.T) {
	samples := map[string]string{
		FormatQR: "https://example.com/t/1", FormatPDF417: "PASSFORGE 1234", FormatAztec: "TICKET-42",
		FormatCode128: "ABC-123", FormatCode39: "CODE39", FormatCodabar: "A1234B", FormatEAN13: "400638133393",
		FormatI2of5: "123456",
	}
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, WriteSVG(&buf, format, samples[format], nil))
			golden := filepath.Join("testdata", strings.TrimPrefix(format, "PKBarcodeFormat")+".svg")
			if *update {
				require.NoError(t, os.MkdirAll("testdata", 0o755))
				require.NoError(t, os.WriteFile(golden, buf.Bytes(), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -update to create the golden files")
			assert.Equal(t, string(want), buf.String())

			// Rasterize the path at one unit a module and compare with the symbol.
			s, err := Encode(format, samples[format], nil)
			require.NoError(t, err)
			cols, rows := s.Size()
			l, _, v := s.quietZones(&Options{})
			rowH := s.rowHeight
			if s.Linear() {
				rowH = max(50, (cols+l+l)*15/100)
				if format == FormatEAN13 {
					rowH = max(50, (cols+18)*15/100)
				}
			}
			got := make([]bool, cols*rows)
			for _, m := range svgRun.FindAllStringSubmatch(buf.String(), -1) {
				x, _ := strconv.Atoi(m[1])
				y, _ := strconv.Atoi(m[2])
				w, _ := strconv.Atoi(m[3])
				h, _ := strconv.Atoi(m[4])
				require.Equal(t, rowH, h)
				require.Equal(t, 0, (y-v)%rowH)
				for i := 0; i < w; i++ {
					got[(y-v)/rowH*cols+x-l+i] = true
				}
			}
			assert.Equal(t, s.dark, got)
			assert.True(t, strings.HasPrefix(buf.String(), `<svg xmlns="http://www.w3.org/2000/svg" width=`))
		})
	}
	t.Run("size and colours", func(t *testing.T) {
		var buf bytes.Buffer
		require.NoError(t, WriteSVG(&buf, FormatQR, "HI", &Options{Width: 300, Height: 200, Foreground: color.NRGBA{R: 0x11, G: 0x22, B: 0x33, A: 0x80}, Background: color.Transparent}))
		svg := buf.String()
		assert.Contains(t, svg, `width="300" height="200" viewBox="-7.25 0 43.5 29"`)
		assert.Contains(t, svg, `fill="#112233" fill-opacity="0.502"`)
		assert.NotContains(t, svg, "<rect")
	})
}

// TestPDF417Structure checks what gozxing cannot decode: every row of a
// PDF417 symbol starts with the start pattern, ends with the stop pattern,
// and holds codewords of 17 modules, 4 bars and 4 spaces, from the cluster
// of its row (0, 3, 6 in turn).
func TestPDF417Structure(t *testing.T) {
	for _, msg := range []string{"PASSFORGE", "M1DOE/JOHN EABC123 SFOJFKAA 0123 123Y012A0001 100", strings.Repeat("é\x01", 300), strings.Repeat("1", 500)} {
		s, err := Encode(FormatPDF417, msg, nil)
		require.NoError(t, err)
		cols, rows := s.Size()
		require.Equal(t, 0, (cols-1)%17, "width is 17 modules a codeword plus one")
		dataCols := (cols-1)/17 - 4
		assert.GreaterOrEqual(t, dataCols, 2)
		assert.LessOrEqual(t, dataCols, 30)
		assert.GreaterOrEqual(t, rows, 3)
		assert.LessOrEqual(t, rows, 30)
		assert.GreaterOrEqual(t, dataCols*rows, barcodespec.PDF417DataCodewords(s.Data())+1+8)
		row := func(y int) string {
			var sb strings.Builder
			for x := 0; x < cols; x++ {
				if s.Dark(x, y) {
					sb.WriteByte('1')
				} else {
					sb.WriteByte('0')
				}
			}
			return sb.String()
		}
		for y := 0; y < rows; y++ {
			r := row(y)
			require.True(t, strings.HasPrefix(r, "11111111010101000"), "row %d start pattern", y)
			require.True(t, strings.HasSuffix(r, "111111101000101001"), "row %d stop pattern", y)
			for c := 1; c < (cols-1)/17-1; c++ {
				cw := r[c*17 : c*17+17]
				widths := runs(cw)
				require.Len(t, widths, 8, "row %d codeword %d: %s", y, c, cw)
				require.Equal(t, byte('1'), cw[0])
				cluster := ((widths[0] - widths[2] + widths[4] - widths[6]) + 9) % 9
				assert.Equal(t, (y%3)*3, cluster, "row %d codeword %d", y, c)
			}
		}
	}
}

// runs returns the lengths of the runs of equal characters in s.
func runs(s string) []int {
	var out []int
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] == s[i] {
			j++
		}
		out = append(out, j-i)
		i = j
	}
	return out
}

func TestSymbolAccessors(t *testing.T) {
	s, err := Encode("ean13", "400638133393", nil)
	require.NoError(t, err)
	assert.Equal(t, FormatEAN13, s.Format())
	assert.Equal(t, []byte("4006381333931"), s.Data())
	assert.True(t, s.Linear())
	cols, rows := s.Size()
	assert.Equal(t, 95, cols)
	assert.Equal(t, 1, rows)
	assert.True(t, s.Dark(0, 0))
	assert.False(t, s.Dark(1, 0))
	assert.False(t, s.Dark(-1, 0))
	assert.False(t, s.Dark(95, 0))
	d := s.Data()
	d[0] = 'x'
	assert.Equal(t, byte('4'), s.Data()[0], "Data returns a copy")

	var zero Symbol
	_, err = zero.Image(nil)
	assert.EqualError(t, err, "barcode: empty symbol; create symbols with Encode")
	assert.Error(t, zero.WriteSVG(io.Discard, nil))
	assert.False(t, zero.Dark(0, 0))
}

func FuzzEncode(f *testing.F) {
	f.Add(0, "https://example.com", "")
	f.Add(1, "PASSFORGE 12345678901234 \xff", "utf-8")
	f.Add(2, "Grüße", "latin1")
	f.Add(3, "ABC\t123", "us-ascii")
	f.Add(4, "CODE39", "")
	f.Add(5, "A1234B", "")
	f.Add(6, "4006381333931", "")
	f.Add(7, "1234", "windows-1252")
	f.Fuzz(func(t *testing.T, fi int, message, encoding string) {
		formats := Formats()
		format := formats[((fi%8)+8)%8]
		if len(message) > 4000 {
			return
		}
		checkEncoding := encoding
		if checkEncoding == "" {
			checkEncoding = DefaultEncoding
		}
		checkErr := barcodespec.Check(format, message, checkEncoding)
		s, err := Encode(format, message, &Options{Encoding: encoding})
		if (checkErr == nil) != (err == nil) {
			t.Fatalf("Check says %v but Encode says %v", checkErr, err)
		}
		if err != nil {
			if !errors.Is(err, ErrInvalidMessage) && !errors.Is(err, ErrUnknownEncoding) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := s.WritePNG(&buf, &Options{ModuleSize: 1}); err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(&buf); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzRender draws symbols at arbitrary sizes: an image of exactly the
// requested size or an error, never a panic or an unbounded allocation.
func FuzzRender(f *testing.F) {
	f.Add(0, 300, 300, 0, 0)
	f.Add(1, 0, 100, 0, 2)
	f.Add(3, 226, 0, 0, -1)
	f.Add(6, 0, 0, 7, 30)
	f.Add(7, 1, 1, 0, 0)
	f.Add(2, 8192, 1, 0, 100)
	messages := []string{"HTTPS://EXAMPLE.COM", "PDF417 TEST", "AZTEC", "Code 128", "CODE39", "A123B", "400638133393", "1234"}
	f.Fuzz(func(t *testing.T, fi, w, h, module, qz int) {
		i := ((fi % 8) + 8) % 8
		s, err := Encode(Formats()[i], messages[i], nil)
		if err != nil {
			t.Fatal(err)
		}
		opts := &Options{Width: w, Height: h, ModuleSize: module, QuietZone: qz}
		img, err := s.Image(opts)
		if err != nil {
			return
		}
		b := img.Bounds()
		if b.Dx() > MaxDimension || b.Dy() > MaxDimension || b.Dx() < 1 || b.Dy() < 1 {
			t.Fatalf("image of %v for %+v", b, opts)
		}
		if (w > 0 && b.Dx() != w) || (h > 0 && b.Dy() != h) {
			t.Fatalf("asked %dx%d, got %v", w, h, b)
		}
		if b.Dx()*b.Dy() <= 1<<20 {
			if err := s.WriteSVG(io.Discard, opts); err != nil {
				t.Fatalf("PNG drawn but SVG failed: %v", err)
			}
		}
	})
}

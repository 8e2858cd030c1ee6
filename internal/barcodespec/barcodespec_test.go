package barcodespec

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKnownFormat(t *testing.T) {
	for _, f := range Formats() {
		assert.True(t, KnownFormat(f), f)
	}
	for _, f := range []string{"", "QR", "pkbarcodeformatqr", "PKBarcodeFormatQR ", "PKBarcodeFormatEAN8", "PKBarcodeFormatDataMatrix"} {
		assert.False(t, KnownFormat(f), f)
	}
}

func TestIsIOS27Format(t *testing.T) {
	tests := map[string]bool{
		FormatQR: false, FormatPDF417: false, FormatAztec: false, FormatCode128: false,
		FormatCode39: true, FormatCodabar: true, FormatEAN13: true, FormatI2of5: true,
		"PKBarcodeFormatUnknown": false,
	}
	for f, want := range tests {
		assert.Equal(t, want, IsIOS27Format(f), f)
	}
}

func TestKnownEncoding(t *testing.T) {
	tests := []struct {
		name      string
		canonical string
	}{
		{"iso-8859-1", "iso-8859-1"},
		{"ISO-8859-1", "iso-8859-1"},
		{"ISO_8859-1", "iso-8859-1"},
		{"latin1", "iso-8859-1"},
		{"CP819", "iso-8859-1"},
		{"utf-8", "utf-8"},
		{"UTF8", "utf-8"},
		{"us-ascii", "us-ascii"},
		{"ASCII", "us-ascii"},
		{"ANSI_X3.4-1968", "us-ascii"},
		{"utf-16", "utf-16"},
		{"UTF-16LE", "utf-16le"},
		{"utf-16be", "utf-16be"},
		{"windows-1252", "windows-1252"},
		{"cp1252", "windows-1252"},
		{"ISO-8859-15", "iso-8859-15"},
		{"latin9", "iso-8859-15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.True(t, KnownEncoding(tt.name))
			got, ok := CanonicalEncoding(tt.name)
			require.True(t, ok)
			assert.Equal(t, tt.canonical, got)
		})
	}
	for _, name := range []string{"", "utf", "utf-7", "shift_jis", "ebcdic", " utf-8", "iso-8859-2", "utf-32"} {
		assert.False(t, KnownEncoding(name), name)
		_, ok := CanonicalEncoding(name)
		assert.False(t, ok, name)
	}
}

func TestEncode(t *testing.T) {
	tests := []struct {
		message, encoding string
		want              []byte
	}{
		{"ABC 123", "iso-8859-1", []byte("ABC 123")},
		{"café", "iso-8859-1", []byte{'c', 'a', 'f', 0xe9}},
		{"café", "utf-8", []byte("café")},
		{"ÿ\u0085", "latin1", []byte{0xff, 0x85}},
		{"€5", "windows-1252", []byte{0x80, '5'}},
		{"“ok”—Ÿ", "cp1252", []byte{0x93, 'o', 'k', 0x94, 0x97, 0x9f}},
		{"é", "windows-1252", []byte{0xe9}},
		{"€Šž", "iso-8859-15", []byte{0xa4, 0xa6, 0xb8}},
		{"é", "iso-8859-15", []byte{0xe9}},
		{"hi", "us-ascii", []byte("hi")},
		{"Aé", "utf-16be", []byte{0, 'A', 0, 0xe9}},
		{"Aé", "utf-16le", []byte{'A', 0, 0xe9, 0}},
		{"A", "utf-16", []byte{0xff, 0xfe, 'A', 0}},
		{"😀", "utf-16be", []byte{0xd8, 0x3d, 0xde, 0x00}},
		{"", "utf-16", []byte{0xff, 0xfe}},
	}
	for _, tt := range tests {
		t.Run(tt.encoding+"/"+tt.message, func(t *testing.T) {
			got, err := Encode(tt.message, tt.encoding)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestEncodeErrors(t *testing.T) {
	tests := []struct {
		message, encoding string
		want              string
		char              rune
		offset            int
	}{
		{"café", "us-ascii", "character 'é' at offset 3 cannot be encoded in us-ascii", 'é', 3},
		{"€", "iso-8859-1", "character '€' at offset 0 cannot be encoded in iso-8859-1", '€', 0},
		{"a¤", "iso-8859-15", "character '¤' at offset 1 cannot be encoded in iso-8859-15", '¤', 1},
		{"a\u0081", "windows-1252", `character '\u0081' at offset 1 cannot be encoded in windows-1252`, 0x81, 1},
		{"日本", "ISO-8859-1", "character '日' at offset 0 cannot be encoded in iso-8859-1", '日', 0},
	}
	for _, tt := range tests {
		t.Run(tt.encoding+"/"+tt.message, func(t *testing.T) {
			_, err := Encode(tt.message, tt.encoding)
			require.Error(t, err)
			assert.EqualError(t, err, tt.want)
			var ee *EncodingError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, tt.char, ee.Char)
			assert.Equal(t, tt.offset, ee.Offset)
			assert.ErrorIs(t, err, ErrInvalidMessage)
		})
	}

	t.Run("invalid UTF-8", func(t *testing.T) {
		_, err := Encode("ab\xffc", "utf-8")
		var ee *EncodingError
		require.ErrorAs(t, err, &ee)
		assert.True(t, ee.Invalid)
		assert.Equal(t, 2, ee.Offset)
		assert.EqualError(t, err, "invalid UTF-8 at character offset 2")
	})
	t.Run("unknown encoding", func(t *testing.T) {
		_, err := Encode("a", "klingon")
		assert.ErrorIs(t, err, ErrUnknownEncoding)
		assert.NotErrorIs(t, err, ErrInvalidMessage)
		assert.Contains(t, err.Error(), `"klingon"`)
		_, err = Encode("a", "")
		assert.ErrorIs(t, err, ErrUnknownEncoding)
		assert.Contains(t, err.Error(), "messageEncoding is empty")
	})
}

func TestCheck(t *testing.T) {
	const latin1 = "iso-8859-1"
	tests := []struct {
		name                      string
		format, message, encoding string
		wantErr                   string // substring; empty means valid
		sentinel                  error
	}{
		{"qr ascii", FormatQR, "https://example.com/ticket/42", latin1, "", nil},
		{"qr latin1", FormatQR, "Grüße", latin1, "", nil},
		{"qr utf-16", FormatQR, "日本語", "utf-16", "", nil},
		{"qr utf-8 emoji", FormatQR, "🎟️ 42", "utf-8", "", nil},
		{"qr unencodable", FormatQR, "日本語", latin1, "character '日' at offset 0 cannot be encoded in iso-8859-1", ErrInvalidMessage},
		{"empty message", FormatQR, "", latin1, "message is empty", ErrInvalidMessage},
		{"unknown format", "PKBarcodeFormatDataMatrix", "x", latin1, `unknown barcode format "PKBarcodeFormatDataMatrix"`, ErrUnknownFormat},
		{"unknown encoding", FormatQR, "x", "utf-7", `unknown message encoding "utf-7"`, ErrUnknownEncoding},
		{"aztec", FormatAztec, "TICKET-1234", latin1, "", nil},
		{"pdf417", FormatPDF417, "M1DOE/JOHN EABC123 SFOJFKAA 0123 123Y012A0001 100", latin1, "", nil},

		{"code128 ascii", FormatCode128, "ABC-123 xyz\t!", latin1, "", nil},
		{"code128 non-ascii", FormatCode128, "café", latin1, "character 'é' at offset 3 is not allowed in Code 128 (only ASCII characters)", ErrInvalidMessage},
		{"code128 utf-16", FormatCode128, "ABC", "utf-16", "Code 128 needs an ASCII-compatible messageEncoding such as iso-8859-1, not utf-16", ErrInvalidMessage},
		{"code128 80", FormatCode128, strings.Repeat("a", 80), latin1, "", nil},
		{"code128 81", FormatCode128, strings.Repeat("a", 81), latin1, "too long for Code 128: 81 characters, at most 80", ErrInvalidMessage},

		{"code39", FormatCode39, "CODE 39-$/+%.", latin1, "", nil},
		{"code39 lower", FormatCode39, "Code39", latin1, "character 'o' at offset 1 is not allowed in Code 39", ErrInvalidMessage},
		{"code39 star", FormatCode39, "A*B", latin1, "character '*' at offset 1 is not allowed in Code 39", ErrInvalidMessage},
		{"code39 81", FormatCode39, strings.Repeat("9", 81), latin1, "too long for Code 39", ErrInvalidMessage},

		{"codabar bare", FormatCodabar, "40156-$:/.+", latin1, "", nil},
		{"codabar framed", FormatCodabar, "A40156B", latin1, "", nil},
		{"codabar framed empty", FormatCodabar, "AD", latin1, "", nil},
		{"codabar lower-case guards", FormatCodabar, "a123d", latin1, "", nil},
		{"codabar alternative guards", FormatCodabar, "T123*", latin1, "", nil},
		{"codabar alternative stop only", FormatCodabar, "123E", latin1, "start and stop characters (A-D, or T, N, *, E) must both be present", ErrInvalidMessage},
		{"codabar start only", FormatCodabar, "A40156", latin1, "start and stop characters (A-D, or T, N, *, E) must both be present", ErrInvalidMessage},
		{"codabar single guard", FormatCodabar, "C", latin1, "start and stop characters (A-D, or T, N, *, E) must both be present", ErrInvalidMessage},
		{"codabar inner guard", FormatCodabar, "A12B34A", latin1, "character 'B' at offset 3 is not allowed in Codabar", ErrInvalidMessage},
		{"codabar letter", FormatCodabar, "12x4", latin1, "character 'x' at offset 2 is not allowed in Codabar", ErrInvalidMessage},
		{"codabar 81", FormatCodabar, "A" + strings.Repeat("1", 79) + "A", latin1, "too long for Codabar: 81 characters", ErrInvalidMessage},

		{"ean13 12 digits", FormatEAN13, "400638133393", latin1, "", nil},
		{"ean13 13 digits", FormatEAN13, "4006381333931", latin1, "", nil},
		{"ean13 check zero", FormatEAN13, "9780201379624", latin1, "", nil},
		{"ean13 wrong check", FormatEAN13, "4006381333932", latin1, "EAN-13 check digit is 2 but the first 12 digits give 1", ErrInvalidMessage},
		{"ean13 letters", FormatEAN13, "40063813339A", latin1, "character 'A' at offset 11 is not allowed in EAN-13 (only digits)", ErrInvalidMessage},
		{"ean13 short", FormatEAN13, "12345678", latin1, "EAN-13 needs 12 digits, or 13 with the check digit; got 8", ErrInvalidMessage},
		{"ean13 long", FormatEAN13, "40063813339310", latin1, "got 14", ErrInvalidMessage},

		{"itf", FormatI2of5, "12345678", latin1, "", nil},
		{"itf odd", FormatI2of5, "1234567", latin1, "Interleaved 2 of 5 needs an even number of digits, got 7", ErrInvalidMessage},
		{"itf letter", FormatI2of5, "12A4", latin1, "character 'A' at offset 2 is not allowed in Interleaved 2 of 5 (only digits)", ErrInvalidMessage},
		{"itf 80", FormatI2of5, strings.Repeat("12", 40), latin1, "", nil},
		{"itf 82", FormatI2of5, strings.Repeat("12", 41), latin1, "too long for Interleaved 2 of 5: 82 characters, at most 80", ErrInvalidMessage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.format, tt.message, tt.encoding)
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.ErrorIs(t, err, tt.sentinel)
		})
	}
}

func TestCheckCapacity(t *testing.T) {
	const latin1 = "iso-8859-1"
	bin := func(n int) string { return strings.Repeat("\u00ff", n) }
	tests := []struct {
		name          string
		format        string
		fits, tooLong string
		max           int
		unit          string
	}{
		{"qr bytes", FormatQR, bin(2953), bin(2954), 2953, "bytes"},
		{"qr lower-case text", FormatQR, strings.Repeat("a", 2953), strings.Repeat("a", 2954), 2953, "bytes"},
		{"qr digits", FormatQR, strings.Repeat("7", 7089), strings.Repeat("7", 7090), 7089, "digits"},
		{"qr alphanumeric", FormatQR, strings.Repeat("A", 4296), strings.Repeat("A", 4297), 4296, "characters"},
		// Aztec limits measured with the renderer itself (the barcode package
		// checks the agreement on random messages too).
		{"aztec 0xff", FormatAztec, bin(1885), bin(1886), 1885, "bytes"},
		{"aztec 0x00", FormatAztec, strings.Repeat("\x00", 1885), strings.Repeat("\x00", 1886), 1885, "bytes"},
		{"aztec 0xfe", FormatAztec, strings.Repeat("\u00fe", 2025), strings.Repeat("\u00fe", 2026), 2025, "bytes"},
		{"aztec upper", FormatAztec, strings.Repeat("A", 3244), strings.Repeat("A", 3245), 3244, "bytes"},
		{"aztec DEL", FormatAztec, strings.Repeat("\x7f", 3243), strings.Repeat("\x7f", 3244), 3243, "bytes"},
		{"aztec long", FormatAztec, strings.Repeat("A", 3244), strings.Repeat("A", 20000), 3244, "bytes"},
		{"pdf417 bytes", FormatPDF417, bin(1068), bin(1069), PDF417MaxDataCodewords, "data codewords"},
		{"pdf417 text", FormatPDF417, strings.Repeat("A", 1780), strings.Repeat("A", 1784), PDF417MaxDataCodewords, "data codewords"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, Check(tt.format, tt.fits, latin1))
			err := Check(tt.format, tt.tooLong, latin1)
			var ce *CapacityError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tt.format, ce.Format)
			assert.Equal(t, tt.max, ce.Max)
			assert.Equal(t, tt.unit, ce.Unit)
			assert.Greater(t, ce.Size, ce.Max)
			assert.ErrorIs(t, err, ErrInvalidMessage)
			assert.True(t, strings.HasPrefix(err.Error(), "too long for "), err.Error())
		})
	}
}

func TestPDF417DataCodewords(t *testing.T) {
	tests := []struct {
		data string
		want int
	}{
		{"1", 2},                        // latch + one numeric codeword
		{"1234567890123", 1 + 5},        // 13 digits: numeric compaction
		{"ABCDE", 3},                    // 5 upper-case letters: 3 codewords, no latch (text is the start mode)
		{"abcde", 3},                    // lower latch + 5 letters = 6 values
		{"\xff", 2},                     // shift to byte + byte
		{"\xff\xfe", 3},                 // latch to byte + 2 bytes
		{"\x01\x02\x03\x04\x05\x06", 6}, // latch + one six-pack of 5 codewords
		{"A\xffBCDEF", 2 + 2 + 3},       // text run "A" is too short: bytes "A\xff", then text
	}
	for _, tt := range tests {
		t.Run(tt.data, func(t *testing.T) {
			assert.Equal(t, tt.want, PDF417DataCodewords([]byte(tt.data)))
		})
	}
}

func TestCodabarGuard(t *testing.T) {
	for in, want := range map[rune]byte{'A': 'A', 't': 'A', 'b': 'B', 'N': 'B', '*': 'C', 'c': 'C', 'E': 'D', 'd': 'D', '1': 0, 'X': 0} {
		assert.Equal(t, want, CodabarGuard(in), string(in))
	}
}

func TestEAN13CheckDigit(t *testing.T) {
	for in, want := range map[string]byte{"400638133393": '1', "978020137962": '4', "590123412345": '7', "000000000000": '0'} {
		assert.Equal(t, want, EAN13CheckDigit(in), in)
	}
}

func TestErrorsAreDistinct(t *testing.T) {
	err := Check("nope", "", "nope")
	assert.ErrorIs(t, err, ErrUnknownFormat, "format is checked first")
	err = Check(FormatQR, "", "nope")
	assert.ErrorIs(t, err, ErrUnknownEncoding, "then the encoding")
	assert.False(t, errors.Is(err, ErrUnknownFormat))
}

func FuzzCheck(f *testing.F) {
	f.Add(0, "https://example.com", "iso-8859-1")
	f.Add(1, "M1DOE/JOHN 12345678901234567 ABC\xff", "utf-8")
	f.Add(2, "Grüße", "latin1")
	f.Add(3, "ABC\t123", "us-ascii")
	f.Add(4, "CODE39", "utf-16")
	f.Add(5, "A1234B", "iso-8859-1")
	f.Add(6, "4006381333931", "iso-8859-1")
	f.Add(7, "1234", "windows-1252")
	formats := Formats()
	f.Fuzz(func(t *testing.T, fi int, message, encoding string) {
		format := "PKBarcodeFormatNone"
		if fi >= 0 && fi < len(formats) {
			format = formats[fi]
		}
		err := Check(format, message, encoding)
		if err == nil {
			data, encErr := Encode(message, encoding)
			if encErr != nil {
				t.Fatalf("Check accepted %q in %q but Encode failed: %v", message, encoding, encErr)
			}
			if len(data) == 0 {
				t.Fatalf("Check accepted an empty message")
			}
			return
		}
		if err.Error() == "" {
			t.Fatal("empty error message")
		}
		if !errors.Is(err, ErrUnknownFormat) && !errors.Is(err, ErrUnknownEncoding) && !errors.Is(err, ErrInvalidMessage) {
			t.Fatalf("error matches no sentinel: %v", err)
		}
	})
}

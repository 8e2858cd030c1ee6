package barcode

import (
	"io"
	"strings"
	"testing"
)

// benchMessages are typical pass payloads for each format.
var benchMessages = map[string]string{
	FormatQR:      "https://example.com/passes/pass.com.example.ticket/4F2A9C1E-77B0-4D9A-9E0F-2B6C1D3E5F70",
	FormatPDF417:  "M1DOE/JOHN            EABC123 SFOJFKAA 0123 123Y012A0001 100",
	FormatAztec:   "M1DOE/JOHN            EABC123 SFOJFKAA 0123 123Y012A0001 100",
	FormatCode128: "TICKET-000123456789",
	FormatCode39:  "MEMBER 0012345",
	FormatCodabar: "A40156789012B",
	FormatEAN13:   "400638133393",
	FormatI2of5:   "00123456789012",
}

func BenchmarkRender(b *testing.B) {
	for _, format := range Formats() {
		b.Run(strings.TrimPrefix(format, "PKBarcodeFormat"), func(b *testing.B) {
			opts := &Options{Width: 600, Height: 600}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := Render(format, benchMessages[format], opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkWritePNG(b *testing.B) {
	opts := &Options{Width: 600, Height: 600}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := WritePNG(io.Discard, FormatQR, benchMessages[FormatQR], opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteSVG(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := WriteSVG(io.Discard, FormatQR, benchMessages[FormatQR], nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImage measures drawing alone, for a symbol encoded once.
func BenchmarkImage(b *testing.B) {
	s, err := Encode(FormatQR, benchMessages[FormatQR], nil)
	if err != nil {
		b.Fatal(err)
	}
	opts := &Options{Width: 600, Height: 600}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := s.Image(opts); err != nil {
			b.Fatal(err)
		}
	}
}

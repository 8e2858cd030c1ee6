package barcodespec

import (
	"strings"
	"testing"
)

// BenchmarkCheck measures the rules pass.Validate runs for every barcode,
// with typical pass payloads.
func BenchmarkCheck(b *testing.B) {
	boarding := "M1DOE/JOHN            EABC123 SFOJFKAA 0123 123Y012A0001 100"
	cases := []struct{ name, format, message string }{
		{"QR", FormatQR, "https://example.com/passes/pass.com.example.ticket/4F2A9C1E-77B0-4D9A-9E0F-2B6C1D3E5F70"},
		{"PDF417", FormatPDF417, boarding},
		{"Aztec", FormatAztec, boarding},
		{"AztecLong", FormatAztec, strings.Repeat(boarding, 20)},
		{"Code128", FormatCode128, "TICKET-000123456789"},
		{"EAN13", FormatEAN13, "4006381333931"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := Check(c.format, c.message, "iso-8859-1"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package barcodespec_test

import (
	"fmt"

	"github.com/passforge/passforge/internal/barcodespec"
)

func ExampleCheck() {
	fmt.Println(barcodespec.Check("PKBarcodeFormatQR", "Grüße aus Köln", "iso-8859-1"))
	fmt.Println(barcodespec.Check("PKBarcodeFormatQR", "東京", "iso-8859-1"))
	fmt.Println(barcodespec.Check("PKBarcodeFormatEAN13", "4006381333932", "iso-8859-1"))
	// Output:
	// <nil>
	// character '東' at offset 0 cannot be encoded in iso-8859-1
	// EAN-13 check digit is 2 but the first 12 digits give 1
}

func ExampleEncode() {
	b, err := barcodespec.Encode("café", "iso-8859-1")
	fmt.Printf("% x %v\n", b, err)
	// Output: 63 61 66 e9 <nil>
}

package barcode_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/passforge/passforge/barcode"
)

func ExampleRender() {
	img, err := barcode.Render("PKBarcodeFormatQR", "https://example.com/t/42", &barcode.Options{Width: 300, Height: 300})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(img.Bounds())
	// Output: (0,0)-(300,300)
}

func ExampleEncode() {
	s, err := barcode.Encode("PKBarcodeFormatEAN13", "400638133393", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	cols, rows := s.Size()
	fmt.Printf("%s: %d modules, %d row, data %s\n", s.Format(), cols, rows, s.Data())
	// Output: PKBarcodeFormatEAN13: 95 modules, 1 row, data 4006381333931
}

func ExampleWritePNG_errors() {
	var buf bytes.Buffer
	err := barcode.WritePNG(&buf, "PKBarcodeFormatAztec", strings.Repeat("\u00ff", 2000), nil)
	var ce *barcode.CapacityError
	fmt.Println(errors.As(err, &ce), ce.Max, buf.Len())
	fmt.Println(err)
	err = barcode.WritePNG(&buf, "PKBarcodeFormatEAN13", "4006381ABC393", nil)
	fmt.Println(err)
	// Output:
	// true 1885 0
	// barcode: PKBarcodeFormatAztec message: too long for an Aztec code: 2000 bytes, at most 1885 (for this content)
	// barcode: PKBarcodeFormatEAN13 message: character 'A' at offset 7 is not allowed in EAN-13 (only digits)
}

func ExampleWriteSVG() {
	var buf bytes.Buffer
	if err := barcode.WriteSVG(&buf, "PKBarcodeFormatCode128", "ABC-123", &barcode.Options{Width: 400, Height: 100}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.SplitN(buf.String(), "\n", 2)[0])
	// Output: <svg xmlns="http://www.w3.org/2000/svg" width="400" height="100" viewBox="0 0 132 50" preserveAspectRatio="none" shape-rendering="crispEdges">
}

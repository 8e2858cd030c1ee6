package preview_test

import (
	"fmt"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/preview"
)

func ExampleRender() {
	p := &pass.Pass{
		FormatVersion: 1, PassTypeIdentifier: "pass.com.example.coffee", SerialNumber: "S-1",
		TeamIdentifier: "A1B2C3D4E5", OrganizationName: "Bean There", Description: "Coffee card",
		LogoText: "Bean There", BackgroundColor: pass.RGB(90, 55, 35), ForegroundColor: pass.RGB(255, 255, 255),
		StoreCard: &pass.PassFields{
			PrimaryFields: []pass.Field{{Key: "balance", Label: "BALANCE", Value: pass.Number(21.75), CurrencyCode: "USD"}},
		},
		Barcodes: []pass.Barcode{{Format: pass.BarcodeFormatQR, Message: "S-1", MessageEncoding: "iso-8859-1"}},
	}
	img, err := preview.Render(p, nil, nil) // @2x by default
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(img.Bounds().Size())
	// Output: (640,840)
}

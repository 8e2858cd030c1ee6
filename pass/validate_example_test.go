package pass_test

import (
	"errors"
	"fmt"

	"github.com/passforge/passforge/pass"
)

// ExamplePass_Validate validates a store card with a few mistakes and prints every problem with its JSON path.
func ExamplePass_Validate() {
	p := &pass.Pass{
		FormatVersion:       1,
		PassTypeIdentifier:  "pass.com.example.coffee",
		SerialNumber:        "0001",
		TeamIdentifier:      "A1B2C3D4E5",
		OrganizationName:    "Example Coffee",
		Description:         "Example Coffee loyalty card",
		WebServiceURL:       "http://example.com/passes",
		AuthenticationToken: "0123456789abcdef",
		Barcodes: []pass.Barcode{
			{Format: pass.BarcodeFormatQR, Message: "0001", MessageEncoding: "latin-1-ish"},
		},
		StoreCard: &pass.PassFields{
			PrimaryFields: []pass.Field{
				{Key: "balance", Label: "Balance", Value: pass.String("12.50"), CurrencyCode: "USD"},
			},
		},
	}
	err := p.Validate(nil)
	var ve *pass.ValidationError
	if errors.As(err, &ve) {
		for _, problem := range ve.Problems {
			fmt.Println(problem)
		}
		fmt.Println("rejected by Wallet:", ve.HasErrors())
	}
	// Output:
	// error: storeCard.primaryFields[0].value: the field has a number formatter but its value "12.50" is a string, not a JSON number (an error in primaryFields) (field-number)
	// warning: barcodes[0].messageEncoding: unknown messageEncoding "latin-1-ish"; use an IANA name such as iso-8859-1 or utf-8 (barcode-encoding)
	// error: webServiceURL: webServiceURL "http://example.com/passes" is not an absolute https URL (web-service-https)
	// rejected by Wallet: true
}

// ExampleRuleByID looks up the description and the hint of a rule reported by Validate.
func ExampleRuleByID() {
	r, _ := pass.RuleByID("change-message")
	fmt.Println(r.Description)
	fmt.Println(r.Hint)
	// Output:
	// changeMessage must contain exactly one %@ and no other format codes.
	// Write e.g. "Gate changed to %@"; escape a literal percent sign as %%.
}

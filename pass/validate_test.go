package pass

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// validStoreCard returns a store card that passes every pass.json rule.
func validStoreCard() *Pass {
	return &Pass{
		FormatVersion:      1,
		PassTypeIdentifier: "pass.com.example.coffee",
		SerialNumber:       "0001",
		TeamIdentifier:     "A1B2C3D4E5",
		OrganizationName:   "Example Coffee",
		Description:        "Example Coffee loyalty card",
		BackgroundColor:    RGB(60, 65, 76),
		Barcodes:           []Barcode{{Format: BarcodeFormatQR, Message: "0001", MessageEncoding: "iso-8859-1"}},
		StoreCard: &PassFields{
			PrimaryFields: []Field{{Key: "balance", Label: "Balance", Value: Number(12.5), CurrencyCode: "USD"}},
		},
	}
}

func TestValidateValidPass(t *testing.T) {
	require.NoError(t, validStoreCard().Validate(nil))
}

func TestValidateNilPass(t *testing.T) {
	var p *Pass
	err := p.Validate(nil)
	var ve *ValidationError
	require.True(t, errors.As(err, &ve))
	require.True(t, ve.HasErrors())
}

package template

import (
	"testing"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIssueRefusesInvalidUTF8 checks that a value that is not UTF-8 (a
// Latin-1 CSV, say) is refused with its JSON path rather than issued as
// U+FFFD, on the spliced fast path and the full encoder alike.
func TestIssueRefusesInvalidUTF8(t *testing.T) {
	tp := loadDesign(t)
	paths := map[string]string{"placeholder": "description", "field": "storeCard.auxiliaryFields[0].value",
		"serial": "serialNumber", "full encoder": "barcodes[0].message"}
	for name, v := range map[string]*Values{
		"placeholder": {SerialNumber: "U-1", Placeholders: map[string]string{"holder_name": "Ren\xe9e"}},
		"field":       {SerialNumber: "U-2", Placeholders: map[string]string{"holder_name": "Ada"}, Fields: map[string]pass.Value{"tier": pass.String("Or\xe9")}},
		"serial":      {SerialNumber: "U-\xe9", Placeholders: map[string]string{"holder_name": "Ada"}},
		"full encoder": {SerialNumber: "U-4", Placeholders: map[string]string{"holder_name": "Ada"}, WebServiceURL: "https://example.com/p",
			AuthenticationToken: "0123456789abcdef0123", BarcodeMessage: "M\xe9"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := tp.IssueBytes(v, devID().Identity, nil)
			require.ErrorIs(t, err, sign.ErrPassJSON)
			assert.Contains(t, err.Error(), "the text was not valid UTF-8 before it was encoded")
			assert.Contains(t, err.Error(), paths[name]+": the text")
		})
	}
}

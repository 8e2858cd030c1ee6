package pass

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
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

// TestValidateGoldenPasses validates the round-trip golden passes of every style: realistic passes must not be
// rejected by a false positive.
func TestValidateGoldenPasses(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, name := range files {
		t.Run(filepath.Base(name), func(t *testing.T) {
			data, err := os.ReadFile(name)
			require.NoError(t, err)
			p, err := Parse(data)
			require.NoError(t, err)
			var ve *ValidationError
			if err := p.Validate(nil); errors.As(err, &ve) {
				assert.False(t, ve.HasErrors(), "%v", err)
			}
		})
	}
}

// TestValidateDeterministic checks that the same pass and files always give the same problems in the same order.
func TestValidateDeterministic(t *testing.T) {
	p := validStoreCard()
	p.FormatVersion = 3
	p.StoreCard.BackFields = []Field{{Key: "balance", Value: String("x"), TextAlignment: TextAlignmentLeft}}
	a := valAssets(t)
	for _, role := range []ImageRole{ImageLogo, ImageStrip, ImageThumbnail, ImageBackground} {
		valSet(t, a, ImageFileName(role, 1), valPNG(t, 20, 20))
		valSet(t, a, ImageFileName(role, 2), valPNG(t, 30, 30))
		valSet(t, a, ImageFileName(role, 3), valPNG(t, 70, 70))
	}
	valSet(t, a, "fr.lproj/logo.png", valPNG(t, 20, 20))
	first := problemsOf(t, p.Validate(a))
	require.Greater(t, len(first), 10)
	for range 20 {
		assert.Equal(t, first, problemsOf(t, p.Validate(a)))
	}
	// pass.json problems come first, then files by path.
	seenFile := false
	for _, pr := range first {
		isFile := strings.Contains(pr.Path, ".png")
		assert.False(t, seenFile && !isFile, "pass.json problem %s after a file problem", pr)
		seenFile = seenFile || isFile
	}
}

func TestProblemString(t *testing.T) {
	assert.Equal(t, "error: the pass has no style key (style)", Problem{Message: "the pass has no style key", Rule: "style"}.String())
	assert.Equal(t, "warning: logo.png: too big", Problem{Path: "logo.png", Message: "too big", Severity: SeverityWarning}.String())
}

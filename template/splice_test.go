package template

import (
	"bytes"
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/passforge/passforge/pass"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// spliceDesign is the test design without the placeholder in userInfo,
// which turns the splice off.
func spliceDesign(t *testing.T) *Template {
	t.Helper()
	fsys := designFS(t)
	design := bytes.Replace([]byte(designJSON), []byte(`"userInfo": {"member": "{{holder_name}}"},`),
		[]byte(`"userInfo": {"member": "fixed"}, "barcode": {"format": "PKBarcodeFormatQR", "message": "LEGACY", "messageEncoding": "iso-8859-1"},`), 1)
	design = bytes.Replace(design, []byte(`"logoText": "Example Coffee"`), []byte(`"logoText": "{{holder_name}} & co"`), 1)
	fsys["pass.json"] = &fstest.MapFile{Data: design}
	tp, err := Load(fsys)
	require.NoError(t, err)
	require.NotNil(t, tp.splice)
	return tp
}

func TestSpliceMatchesMarshalJSON(t *testing.T) {
	tp := spliceDesign(t)
	tricky := []string{"Ada", `Quote " and \ backslash`, "<b>&amp;</b>", "café ☕ 𝄞", "line\nbreak\ttab", "\u2028\u2029", "\x01ctl", "x"}
	for i, s := range tricky {
		v := &Values{SerialNumber: "S-" + s, Placeholders: map[string]string{"holder_name": s}, BarcodeMessage: "B" + s}
		if i%2 == 0 {
			v.Fields = map[string]pass.Value{"balance": pass.Number(float64(i) + 0.25), "tier": pass.String(s), "points": pass.Int(int64(i))}
		}
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			p, _, err := tp.apply(v)
			require.NoError(t, err)
			got := tp.splice.render(p)
			require.NotNil(t, got)
			want, err := p.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got))
		})
	}
	t.Run("issued pass", func(t *testing.T) {
		data, err := tp.IssueBytes(&Values{SerialNumber: "S-9", Placeholders: map[string]string{"holder_name": "Zoë"}, BarcodeMessage: "Q9"}, devID().Identity, nil)
		require.NoError(t, err)
		pkg := verify(t, data)
		assert.Equal(t, "Zoë", pkg.Pass.StoreCard.SecondaryFields[0].Value.String())
		assert.Equal(t, "Q9", pkg.Pass.Barcode.Message)
		assert.Equal(t, "Q9", pkg.Pass.Barcodes[0].Message)
		assert.Equal(t, "Zoë & co", pkg.Pass.LogoText)
	})
	t.Run("fallbacks", func(t *testing.T) {
		assert.False(t, spliceable(&Values{SerialNumber: "a", BarcodeAltText: "alt"}))
		assert.False(t, spliceable(&Values{SerialNumber: "a", Voided: true}))
		assert.True(t, spliceable(&Values{SerialNumber: "a", Images: map[string][]byte{"thumbnail.png": nil}}))
		p, _, err := tp.apply(&Values{SerialNumber: "E-1", Placeholders: map[string]string{"holder_name": ""}})
		require.NoError(t, err)
		assert.Nil(t, tp.splice.render(p), "an empty string may be an omitted key: MarshalJSON decides")
	})
	t.Run("raw placeholders turn it off", func(t *testing.T) {
		assert.Nil(t, loadDesign(t).splice)
	})
}

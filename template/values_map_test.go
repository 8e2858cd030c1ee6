package template

import (
	"testing"
	"testing/fstest"

	"github.com/passforge/passforge/pass"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValuesFromMap(t *testing.T) {
	tp := loadDesign(t)
	v, err := tp.ValuesFromMap(map[string]string{
		"serialNumber":   "M-1",
		"holder_name":    "Ada Lovelace",
		"points":         "1200",
		"balance":        "12.50",
		"barcodeMessage": "M-1",
		"expirationDate": "2027-12-31T23:59:00Z",
		"voided":         "false",
		"fr:POINTS":      "PTS",
		"tier":           "", // an empty value leaves the design as it is
	}, nil)
	require.NoError(t, err)
	assert.Equal(t, "M-1", v.SerialNumber)
	assert.Equal(t, map[string]string{"holder_name": "Ada Lovelace"}, v.Placeholders)
	assert.Equal(t, pass.Int(1200), v.Fields["points"], "converted like the design's value: a number")
	assert.Equal(t, "12.50", v.Fields["balance"].String())
	assert.True(t, v.Fields["balance"].IsNumber())
	assert.NotContains(t, v.Fields, "tier")
	assert.Equal(t, "M-1", v.BarcodeMessage)
	assert.Equal(t, "2027-12-31T23:59:00Z", v.ExpirationDate.String())
	assert.Equal(t, pass.Strings{"POINTS": "PTS"}, v.Localized["fr"])

	// The values build a valid pass.
	p, _, err := tp.Build(v)
	require.NoError(t, err)
	assert.Equal(t, "M-1", p.SerialNumber)

	// Images come from files.
	png := testPNG(t, 90, 90, 7, false)
	v, err = tp.ValuesFromMap(map[string]string{"serialNumber": "M-2", "holder_name": "Grace", "thumbnail.png": "photos/grace.png"},
		fstest.MapFS{"photos/grace.png": {Data: png}})
	require.NoError(t, err)
	assert.Equal(t, png, v.Images["thumbnail.png"])
}

func TestValuesFromMapErrors(t *testing.T) {
	tp := loadDesign(t)
	for name, tc := range map[string]struct {
		m    map[string]string
		want []string
	}{
		"unknown key":         {map[string]string{"serialNumber": "1", "holder_name": "A", "nickname": "x"}, []string{`"nickname"`, "not a field key"}},
		"no serial number":    {map[string]string{"holder_name": "A"}, []string{"serialNumber"}},
		"missing placeholder": {map[string]string{"serialNumber": "1"}, []string{"{{holder_name}}"}},
		"bad number":          {map[string]string{"serialNumber": "1", "holder_name": "A", "points": "many"}, []string{`"points"`}},
		"bad date":            {map[string]string{"serialNumber": "1", "holder_name": "A", "expirationDate": "soon"}, []string{`"expirationDate"`}},
		"image without files": {map[string]string{"serialNumber": "1", "holder_name": "A", "thumbnail.png": "a.png"}, []string{`"thumbnail.png"`}},
		"nil map":             {nil, []string{"serialNumber"}},
	} {
		t.Run(name, func(t *testing.T) {
			v, err := tp.ValuesFromMap(tc.m, nil)
			require.Error(t, err)
			assert.Nil(t, v)
			assert.Regexp(t, "^template: ", err.Error())
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
	var none *Template
	_, err := none.ValuesFromMap(map[string]string{"serialNumber": "1"}, nil)
	assert.Error(t, err)
}

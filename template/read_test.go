package template

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/passforge/passforge/pass"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func collect(t *testing.T, seq func(func(*Values, error) bool)) ([]*Values, []error) {
	t.Helper()
	var vs []*Values
	var errs []error
	for v, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		vs = append(vs, v)
	}
	return vs, errs
}

func TestCSVReader(t *testing.T) {
	tp := loadDesign(t)
	thumb := testPNG(t, 90, 90, 3, false)
	files := fstest.MapFS{"photos/ada.png": {Data: thumb}}
	in := "\ufeffserialNumber,holder_name,balance,member,barcodeMessage,expirationDate,voided,fr:TIER,thumbnail.png,userInfo\n" +
		"M-1,Ada,12.50,,QR-1,2027-01-31T23:59:00Z,true,NIVEAU,photos/ada.png,\"{\"\"id\"\":1}\"\n" +
		"M-2,Grace,,Grace H.,,,,,,\n" +
		"M-3,Bad,twelve,,,,,,,\n" +
		"M-4,Short\n" +
		"M-5,x,,,,,maybe,,,\n"
	r, err := NewCSVReader(strings.NewReader(in), tp, &CSVOptions{Files: files})
	require.NoError(t, err)
	assert.Equal(t, "serialNumber", r.Columns()[0])
	vs, errs := collect(t, r.All())
	require.Len(t, vs, 2)
	require.Len(t, errs, 3)
	assert.Contains(t, errs[0].Error(), `csv line 4: column "balance": template: field "balance"`)
	assert.Contains(t, errs[1].Error(), "wrong number of fields")
	assert.Contains(t, errs[2].Error(), `csv line 6: column "voided": want true or false`)

	v := vs[0]
	assert.Equal(t, "M-1", v.SerialNumber)
	assert.Equal(t, "Ada", v.Placeholders["holder_name"])
	assert.True(t, v.Fields["balance"].IsNumber())
	_, set := v.Fields["member"]
	assert.False(t, set, "an empty cell leaves the design's value")
	assert.Equal(t, "QR-1", v.BarcodeMessage)
	assert.Equal(t, 2027, v.ExpirationDate.Year())
	assert.True(t, v.Voided)
	assert.Equal(t, pass.Strings{"TIER": "NIVEAU"}, v.Localized["fr"])
	assert.Equal(t, thumb, v.Images["thumbnail.png"])
	assert.JSONEq(t, `{"id":1}`, string(v.UserInfo))
	assert.Equal(t, "Grace H.", vs[1].Fields["member"].String())

	data, err := tp.IssueBytes(v, devID().Identity, nil)
	require.NoError(t, err)
	pkg := verify(t, data)
	assert.Equal(t, "QR-1", pkg.Pass.Barcodes[0].Message)
	assert.True(t, pkg.Pass.Voided)
}

func TestCSVHeaderErrors(t *testing.T) {
	tp := loadDesign(t)
	tests := []struct{ name, in, want string }{
		{"empty", "", "no header row"},
		{"unknown column", "serialNumber,holder_name,nope\n", `column "nope" is not a field key (balance, member, points, terms, tier) or placeholder (holder_name)`},
		{"no serial", "holder_name\n", "no serialNumber column"},
		{"placeholder missing", "serialNumber\n", "no column for placeholder {{holder_name}}"},
		{"duplicate", "serialNumber,holder_name,holder_name\n", `column "holder_name" appears twice`},
		{"images without folder", "serialNumber,holder_name,thumbnail.png\n", "no folder to read them from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewCSVReader(strings.NewReader(tt.in), tp, nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Regexp(t, `^template: `, err.Error())
		})
	}
	t.Run("image outside the folder", func(t *testing.T) {
		r, err := NewCSVReader(strings.NewReader("serialNumber,holder_name,thumbnail.png\nI-1,a,../etc/passwd\n"), tp, &CSVOptions{Files: fstest.MapFS{}})
		require.NoError(t, err)
		_, errs := collect(t, r.All())
		require.Len(t, errs, 1)
		assert.Contains(t, errs[0].Error(), "must be relative")
	})
	t.Run("line too long", func(t *testing.T) {
		in := "serialNumber,holder_name\nA,b\n" + strings.Repeat("x", 5000)
		r, err := NewCSVReader(strings.NewReader(in), tp, &CSVOptions{MaxRecordSize: 4096})
		require.NoError(t, err)
		vs, errs := collect(t, r.All())
		require.Len(t, vs, 1)
		require.Len(t, errs, 1)
		assert.Contains(t, errs[0].Error(), "a line is longer than 4096 bytes")
	})
}

func TestReadJSONL(t *testing.T) {
	in := `{"serialNumber":"J-1","placeholders":{"holder_name":"Ada"},"fields":{"balance":12.5,"member":"Ada L."},"barcodeMessage":"Q1","expirationDate":"2027-01-31T23:59:00Z"}

{"serialNumber":"J-2","bogus":1}
not json
{"serialNumber":"J-3","placeholders":{"holder_name":"x"}} {"serialNumber":"J-4"}
{"serialNumber":"J-5","placeholders":{"holder_name":"Grace"},"localized":{"fr":{"TIER":"NIVEAU"}},"voided":true}
`
	vs, errs := collect(t, ReadJSONL(strings.NewReader(in), nil))
	require.Len(t, vs, 2)
	require.Len(t, errs, 3)
	assert.Contains(t, errs[0].Error(), `jsonl line 3: json: unknown field "bogus"`)
	assert.Contains(t, errs[1].Error(), "jsonl line 4")
	assert.Contains(t, errs[2].Error(), "jsonl line 5: more than one JSON value")
	assert.Equal(t, "J-1", vs[0].SerialNumber)
	assert.True(t, vs[0].Fields["balance"].IsNumber())
	assert.Equal(t, "Ada L.", vs[0].Fields["member"].String())
	assert.Equal(t, 2027, vs[0].ExpirationDate.Year())
	assert.True(t, vs[1].Voided)

	tp := loadDesign(t)
	data, err := tp.IssueBytes(vs[0], devID().Identity, nil)
	require.NoError(t, err)
	assert.Equal(t, "Ada L.", verify(t, data).Pass.StoreCard.SecondaryFields[0].Value.String())

	t.Run("line too long", func(t *testing.T) {
		_, errs := collect(t, ReadJSONL(strings.NewReader(`{"serialNumber":"A"}`+"\n"+strings.Repeat(" ", 5000)), &JSONLOptions{MaxRecordSize: 4096}))
		require.Len(t, errs, 1)
		assert.Contains(t, errs[0].Error(), "token too long")
	})
}

func FuzzCSVReader(f *testing.F) {
	f.Add([]byte("serialNumber,holder_name,balance\nA,b,1\n"))
	f.Add([]byte("serialNumber,holder_name,fr:TIER,voided\n\"A\nB\",\"x\"\"y\",N,true\nC,d,e\n"))
	f.Add([]byte("serialNumber,holder_name,expirationDate,userInfo\nA,,2027-01-01T00:00Z,{\n"))
	tp := loadDesign(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewCSVReader(bytes.NewReader(data), tp, &CSVOptions{MaxRecordSize: 1 << 16})
		if err != nil {
			return
		}
		for v, err := range r.All() {
			if err == nil && v == nil {
				t.Fatal("nil values without an error")
			}
		}
	})
}

func FuzzReadJSONL(f *testing.F) {
	f.Add([]byte(`{"serialNumber":"A","fields":{"x":1}}` + "\n\n{}\n"))
	f.Add([]byte(`{"serialNumber":"A","images":{"thumbnail.png":"AAAA"},"localized":{"fr":{"a":"b"}}}`))
	f.Add([]byte("[1,2]\nnull\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for v, err := range ReadJSONL(bytes.NewReader(data), &JSONLOptions{MaxRecordSize: 1 << 16}) {
			if err == nil && v == nil {
				t.Fatal("nil values without an error")
			}
		}
	})
}

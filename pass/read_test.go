package pass

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// minimal is a valid pass.json prefix; tests append keys to it.
const minimal = `"formatVersion":1,"passTypeIdentifier":"pass.com.example.test","serialNumber":"1",` +
	`"teamIdentifier":"A1B2C3D4E5","organizationName":"Example","description":"Example"`

func obj(keys string) []byte {
	if keys == "" {
		return []byte("{" + minimal + "}")
	}
	return []byte("{" + minimal + "," + keys + "}")
}

func TestParseQuirkyBoardingPass(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "read", "quirky-boarding-pass.json"))
	require.NoError(t, err)
	require.False(t, json.Valid(data), "the file has a trailing comma, as Apple's own sample boarding pass does")

	p, err := Parse(data)
	require.NoError(t, err)
	assert.Equal(t, StyleBoardingPass, p.Style())
	assert.Equal(t, TransitTypeAir, p.BoardingPass.TransitType)
	require.Len(t, p.BoardingPass.AuxiliaryFields, 4)
	assert.Equal(t, "12 Example Street, Unit 3, Springfield", p.BoardingPass.BackFields[1].Value.String())
	assert.Equal(t, time.Date(2026, 3, 14, 16, 15, 0, 0, time.UTC), p.RelevantDate.UTC(), "date without seconds")
	require.NotNil(t, p.Barcode)
	assert.Equal(t, BarcodeFormatPDF417, p.Barcode.Format)
	assert.Equal(t, -111.9780556, p.Locations[0].Longitude)
	assert.Nil(t, p.Extra)

	out, err := json.Marshal(p)
	require.NoError(t, err)
	back, err := Parse(out)
	require.NoError(t, err)
	again, err := json.Marshal(back)
	require.NoError(t, err)
	assert.Equal(t, string(out), string(again))
}

func TestParseTrailingCommas(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want func(*testing.T, *Pass)
	}{
		{"object", `{` + minimal + `,}`, func(t *testing.T, p *Pass) { assert.Equal(t, "1", p.SerialNumber) }},
		{"array and nested object", `{` + minimal + `,"generic":{"primaryFields":[{"key":"a","value":"b",},{"key":"c","value":1,}, ],},}`,
			func(t *testing.T, p *Pass) { assert.Len(t, p.Generic.PrimaryFields, 2) }},
		{"newlines before the bracket", "{" + minimal + ",\n\t\"barcodes\":[{\"format\":\"PKBarcodeFormatQR\",\"message\":\"m\",\"messageEncoding\":\"utf-8\"},\r\n]\n,\n}",
			func(t *testing.T, p *Pass) { assert.Len(t, p.Barcodes, 1) }},
		{"commas inside strings untouched", `{` + minimal + `,"logoText":"a,}b,]c\",}","userInfo":{"s":"x, ]"},}`,
			func(t *testing.T, p *Pass) {
				assert.Equal(t, `a,}b,]c",}`, p.LogoText)
				assert.JSONEq(t, `{"s":"x, ]"}`, string(p.UserInfo))
			}},
		{"escaped backslash before quote", `{` + minimal + `,"logoText":"a\\",}`, func(t *testing.T, p *Pass) { assert.Equal(t, `a\`, p.LogoText) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse([]byte(tt.in))
			require.NoError(t, err)
			tt.want(t, p)
		})
	}
}

func TestParseCoercions(t *testing.T) {
	tests := []struct {
		name string
		keys string
		want func(*testing.T, *Pass)
	}{
		{"number serialNumber keeps its text", `"serialNumber":12345678901234567890`, func(t *testing.T, p *Pass) { assert.Equal(t, "12345678901234567890", p.SerialNumber) }},
		{"string formatVersion", `"formatVersion":"1"`, func(t *testing.T, p *Pass) { assert.Equal(t, 1, p.FormatVersion) }},
		{"float formatVersion", `"formatVersion":1.0`, func(t *testing.T, p *Pass) { assert.Equal(t, 1, p.FormatVersion) }},
		{"string maxDistance", `"maxDistance":" 100 "`, func(t *testing.T, p *Pass) { assert.Equal(t, 100.0, p.MaxDistance) }},
		{"string store identifiers", `"associatedStoreIdentifiers":["123",456]`, func(t *testing.T, p *Pass) { assert.Equal(t, []int64{123, 456}, p.AssociatedStoreIdentifiers) }},
		{"string booleans", `"voided":"true","sharingProhibited":1,"suppressStripShine":"false"`, func(t *testing.T, p *Pass) {
			assert.True(t, p.Voided)
			assert.True(t, p.SharingProhibited)
			require.NotNil(t, p.SuppressStripShine)
			assert.False(t, *p.SuppressStripShine)
		}},
		{"string location numbers", `"locations":[{"latitude":"48.85","longitude":"2.35","altitude":"35"}]`, func(t *testing.T, p *Pass) {
			assert.Equal(t, 48.85, p.Locations[0].Latitude)
			assert.Equal(t, 35.0, *p.Locations[0].Altitude)
		}},
		{"string beacon major", `"beacons":[{"proximityUUID":"E2C56DB5-DFFB-48D2-B060-D0F5A71096E0","major":"5","minor":7}]`, func(t *testing.T, p *Pass) {
			assert.Equal(t, 5, *p.Beacons[0].Major)
			assert.Equal(t, 7, *p.Beacons[0].Minor)
		}},
		{"number semantic amount", `"semantics":{"balance":{"amount":12.50,"currencyCode":"EUR"},"flightNumber":"451","duration":"3600"}`, func(t *testing.T, p *Pass) {
			assert.Equal(t, "12.50", p.Semantics.Balance.Amount)
			assert.Equal(t, int64(451), *p.Semantics.FlightNumber)
			assert.Equal(t, 3600.0, *p.Semantics.Duration)
		}},
		{"number field key and label", `"generic":{"primaryFields":[{"key":7,"label":2026,"value":"x","row":"1"}]}`, func(t *testing.T, p *Pass) {
			f := p.Generic.PrimaryFields[0]
			assert.Equal(t, "7", f.Key)
			assert.Equal(t, "2026", f.Label)
			assert.Equal(t, 1, *f.Row)
		}},
		{"field values stay typed", `"generic":{"primaryFields":[{"key":"a","value":12.50},{"key":"b","value":"12.50"},{"key":"c","value":-1e3}]}`, func(t *testing.T, p *Pass) {
			fs := p.Generic.PrimaryFields
			assert.True(t, fs[0].Value.IsNumber())
			assert.Equal(t, "12.50", fs[0].Value.String())
			assert.True(t, fs[1].Value.IsString())
			f, ok := fs[2].Value.Float64()
			assert.True(t, ok)
			assert.Equal(t, -1000.0, f)
		}},
		{"null means absent", `"logoText":null,"storeCard":null,"barcodes":null,"relevantDate":null`, func(t *testing.T, p *Pass) {
			assert.Empty(t, p.LogoText)
			assert.Nil(t, p.StoreCard)
			assert.Nil(t, p.Barcodes)
			assert.True(t, p.RelevantDate.IsZero())
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(obj(tt.keys))
			require.NoError(t, err)
			tt.want(t, p)
		})
	}
}

func TestParseDates(t *testing.T) {
	tests := []struct {
		in    string
		want  time.Time
		raw   bool
		write string
	}{
		{"2026-05-07T10:30-05:00", time.Date(2026, 5, 7, 15, 30, 0, 0, time.UTC), false, "2026-05-07T10:30:00-05:00"},
		{"2026-05-07T10:30:45-05:00", time.Date(2026, 5, 7, 15, 30, 45, 0, time.UTC), false, "2026-05-07T10:30:45-05:00"},
		{"2023-08-10T19:30:00.000Z", time.Date(2023, 8, 10, 19, 30, 0, 0, time.UTC), false, "2023-08-10T19:30:00Z"},
		{"2026-05-07T10:30+0200", time.Date(2026, 5, 7, 8, 30, 0, 0, time.UTC), false, "2026-05-07T10:30:00+02:00"},
		{"2026-05-07T10:30", time.Time{}, true, "2026-05-07T10:30"},
		{"tomorrow", time.Time{}, true, "tomorrow"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := Parse(obj(`"expirationDate":"` + tt.in + `"`))
			require.NoError(t, err)
			if tt.raw {
				assert.False(t, p.ExpirationDate.Valid())
				assert.Equal(t, tt.in, p.ExpirationDate.Raw())
			} else {
				assert.True(t, tt.want.Equal(p.ExpirationDate.Time), "got %v", p.ExpirationDate.Time)
			}
			out, err := json.Marshal(p)
			require.NoError(t, err)
			assert.Contains(t, string(out), `"expirationDate":"`+tt.write+`"`)
		})
	}
}

func TestParseBOM(t *testing.T) {
	p, err := Parse(append([]byte{0xEF, 0xBB, 0xBF}, obj("")...))
	require.NoError(t, err)
	assert.Equal(t, "1", p.SerialNumber)

	_, err = Parse(append([]byte{0xFF, 0xFE}, obj("")...))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "UTF-16")
}

// TestParseKeepsUnknownKeys reads a pass with unknown keys at several levels and checks that writing it back
// loses nothing.
func TestParseKeepsUnknownKeys(t *testing.T) {
	in := obj(`"futureKey":{"nested":[1,2,{"deep":true}]},` +
		`"storeCard":{"primaryFields":[{"key":"k","value":"v","futureFieldKey":"x","semantics":{"futureTag":1,"seats":[{"seatNumber":"1","futureSeatKey":[]}]}}],"futureStyleKey":3},` +
		`"barcodes":[{"format":"PKBarcodeFormatQR","message":"m","messageEncoding":"iso-8859-1","futureBarcodeKey":null}],` +
		`"nfc":{"message":"m","futureNFCKey":"z"},` +
		`"upcomingPassInformation":[{"identifier":"e1","name":"E","type":"event","images":{"headerImage":{"URLs":[{"URL":"https://x/y.png","SHA256":"ab","futureURLKey":1}]},"futureImagesKey":0}}],` +
		`"Description":"case-different keys are unknown keys"`)
	p, err := Parse(in)
	require.NoError(t, err)
	assert.Equal(t, json.RawMessage(`{"nested":[1,2,{"deep":true}]}`), p.Extra["futureKey"])
	assert.Equal(t, json.RawMessage(`"case-different keys are unknown keys"`), p.Extra["Description"])
	assert.Equal(t, "Example", p.Description)
	assert.Equal(t, json.RawMessage(`3`), p.StoreCard.Extra["futureStyleKey"])
	assert.Equal(t, json.RawMessage(`"x"`), p.StoreCard.PrimaryFields[0].Extra["futureFieldKey"])
	assert.Equal(t, json.RawMessage(`[]`), p.StoreCard.PrimaryFields[0].Semantics.Seats[0].Extra["futureSeatKey"])

	out, err := json.Marshal(p)
	require.NoError(t, err)
	assert.JSONEq(t, string(in), string(out))
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"field value object", obj(`"storeCard":{"primaryFields":[{"key":"k","value":{}}]}`), "pass: storeCard.primaryFields[0].value: want a string, a number or a date string, not an object"},
		{"formatVersion word", obj(`"formatVersion":"one"`), `pass: formatVersion: want a number, not the string "one"`},
		{"formatVersion fraction", obj(`"formatVersion":1.5`), "pass: formatVersion: want an integer, not 1.5"},
		{"beacon major overflow", obj(`"beacons":[{"proximityUUID":"u","major":1e300}]`), "pass: beacons[0].major: integer 1e300 does not fit in 64 bits"},
		{"float out of range", obj(`"maxDistance":1e999`), "pass: maxDistance: number 1e999 is out of range"},
		{"style not an object", obj(`"storeCard":[]`), "pass: storeCard: want an object, not an array"},
		{"barcodes not an array", obj(`"barcodes":{"format":"PKBarcodeFormatQR"}`), "pass: barcodes: want an array, not an object"},
		{"latitude word", obj(`"locations":[{"latitude":0,"longitude":0},{"latitude":"north","longitude":0}]`), `pass: locations[1].latitude: want a number, not the string "north"`},
		{"date number", obj(`"semantics":{"eventStartDate":20260507}`), "pass: semantics.eventStartDate: want a date string such as 2026-05-07T10:30:00-05:00, not a number"},
		{"string for bool", obj(`"voided":"maybe"`), `pass: voided: want true or false, not "maybe"`},
		{"object for string", obj(`"logoText":{"en":"x"}`), "pass: logoText: want a string, not an object"},
		{"bool for string", obj(`"logoText":true`), "pass: logoText: want a string, not a boolean"},
		{"syntax error", []byte("{\n  \"formatVersion\": 1,\n  \"serialNumber\": x\n}"), "pass: line 3, column 19: invalid character 'x' looking for beginning of value"},
		{"unterminated", []byte(`{"formatVersion": 1`), "pass: line 1, column 19: unexpected end of JSON input"},
		{"top-level array", []byte(`[1]`), "pass: pass.json must be a JSON object, not an array"},
		{"top-level null", []byte(`null`), "pass: pass.json must be a JSON object, not null"},
		{"empty", []byte(" \n"), "pass: empty input; pass.json must be a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(tt.in)
			require.Error(t, err)
			assert.Nil(t, p)
			assert.Equal(t, tt.want, err.Error())
			var pe *ParseError
			assert.True(t, errors.As(err, &pe), "a *ParseError")
		})
	}
}

func TestParseLimits(t *testing.T) {
	t.Run("too large", func(t *testing.T) {
		big := obj(`"logoText":"` + strings.Repeat("a", MaxPassJSONSize) + `"`)
		_, err := Parse(big)
		require.ErrorIs(t, err, ErrTooLarge)
		assert.Contains(t, err.Error(), "the limit is 4194304")
	})
	t.Run("too deep", func(t *testing.T) {
		deep := obj(`"userInfo":` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000))
		_, err := Parse(deep)
		require.ErrorIs(t, err, ErrTooDeep)
		assert.Contains(t, err.Error(), "line 1, column")
	})
	t.Run("deep but within the limit", func(t *testing.T) {
		n := MaxPassJSONDepth - 1
		p, err := Parse(obj(`"userInfo":` + strings.Repeat("[", n) + strings.Repeat("]", n)))
		require.NoError(t, err)
		assert.Len(t, p.UserInfo, 2*n)
	})
	t.Run("many unknown keys", func(t *testing.T) {
		var b bytes.Buffer
		b.WriteString("{" + minimal)
		for i := 0; b.Len() < 512<<10; i++ {
			b.WriteString(`,"k` + strings.Repeat("x", 40) + string(rune('a'+i%26)) + itoa(i) + `":1`)
		}
		b.WriteString("}")
		p, err := Parse(b.Bytes())
		require.NoError(t, err)
		assert.Greater(t, len(p.Extra), 10000)
	})
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

func TestUnmarshalJSONIsLenientToo(t *testing.T) {
	var p Pass
	require.NoError(t, json.Unmarshal(obj(`"formatVersion":"1","serialNumber":42,"x":1`), &p))
	assert.Equal(t, 1, p.FormatVersion)
	assert.Equal(t, "42", p.SerialNumber)
	assert.Equal(t, json.RawMessage(`1`), p.Extra["x"])

	// Unmarshalling again replaces, rather than merges, the previous content.
	require.NoError(t, json.Unmarshal([]byte(`{"serialNumber":"7"}`), &p))
	assert.Equal(t, 0, p.FormatVersion)
	assert.Nil(t, p.Extra)

	var f Field
	err := json.Unmarshal([]byte(`{"key":"k","value":[1]}`), &f)
	require.Error(t, err)
	assert.Equal(t, "pass: value: want a string, a number or a date string, not an array", err.Error())
}

// FuzzParse checks that Parse never panics and that whatever it accepts writes, parses and writes again to the
// same bytes.
func FuzzParse(f *testing.F) {
	for _, p := range goldenPasses() {
		b, err := json.Marshal(p)
		require.NoError(f, err)
		f.Add(b)
	}
	sample, err := os.ReadFile(filepath.Join("testdata", "read", "quirky-boarding-pass.json"))
	require.NoError(f, err)
	f.Add(sample)
	f.Add(obj(`"expirationDate":"0001-01-01T00:00Z","relevantDates":[null,{"date":""}],"x":{"a":[1,]}`))
	f.Add([]byte(`{"generic":{"primaryFields":[{"key":1e5,"value":null,"attributedValue":-0}]},"semantics":{"balance":{"amount":1}}}`))
	f.Add([]byte("\xEF\xBB\xBF{\"locations\":[{\"latitude\":\"1\",\"longitude\":2}],}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			return
		}
		first, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("a parsed pass does not write: %v", err)
		}
		q, err := Parse(first)
		if err != nil {
			t.Fatalf("output does not parse: %v\n%s", err, first)
		}
		second, err := json.Marshal(q)
		if err != nil {
			t.Fatalf("second write failed: %v", err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("unstable:\n%s\n%s", first, second)
		}
	})
}

func TestParseDuplicateKeysLastWins(t *testing.T) {
	p, err := Parse(obj(`"logoText":"first","logoText":"second","x":1,"x":2,"storeCard":{"headerFields":[]},"storeCard":{"primaryFields":[]}`))
	require.NoError(t, err)
	assert.Equal(t, "second", p.LogoText)
	assert.Equal(t, json.RawMessage(`2`), p.Extra["x"])
	assert.Nil(t, p.StoreCard.HeaderFields, "the second storeCard replaces the first")
	assert.NotNil(t, p.StoreCard.PrimaryFields)
}

func TestUnmarshalJSONRejectsInvalidInput(t *testing.T) {
	for _, in := range []string{``, `{`, `{"a"}`, `{"a":}`, `{"key":"k",}`, `[`, `{"a":1}}`, `"\`} {
		t.Run(in, func(t *testing.T) {
			var f Field
			err := f.UnmarshalJSON([]byte(in))
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "pass: "), err.Error())
		})
	}
}

func TestParseEscapedKeysAndStrings(t *testing.T) {
	p, err := Parse(obj(`"logo\u0054ext":"caf\u00e9 \"bar\"","\u00e9t\u00e9":"summer"`))
	require.NoError(t, err)
	assert.Equal(t, `café "bar"`, p.LogoText, "an escaped known key is still the known key")
	assert.Equal(t, json.RawMessage(`"summer"`), p.Extra["été"])
}

func TestParseErrorUnwraps(t *testing.T) {
	_, err := Parse([]byte(`{"a":}`))
	var se *json.SyntaxError
	require.True(t, errors.As(err, &se), "the *json.SyntaxError is reachable")
	var pe *ParseError
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, 1, pe.Line)
	assert.Equal(t, 6, pe.Column)
	assert.Empty(t, pe.Path)
}

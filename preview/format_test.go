package preview

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passforge/passforge/pass"
)

func TestFieldValue(t *testing.T) {
	num := func(text string) pass.Value {
		v, err := pass.NumberText(text)
		require.NoError(t, err)
		return v
	}
	date := pass.String("2026-05-07T22:30:05-05:00")
	tests := []struct {
		name  string
		field pass.Field
		want  string
	}{
		{"string", pass.Field{Value: pass.String("Gate F12")}, "Gate F12"},
		{"number as written", pass.Field{Value: num("12.50")}, "12.50"},
		{"dollars", pass.Field{Value: num("1234.5"), CurrencyCode: "USD"}, "$1,234.50"},
		{"negative euros", pass.Field{Value: num("-3"), CurrencyCode: "EUR"}, "-€3.00"},
		{"yen without decimals", pass.Field{Value: num("1500"), CurrencyCode: "JPY"}, "¥1,500"},
		{"other currency", pass.Field{Value: num("12.5"), CurrencyCode: "CHF"}, "CHF 12.50"},
		{"decimal", pass.Field{Value: num("1234567.891234"), NumberStyle: pass.NumberStyleDecimal}, "1,234,567.891"},
		{"percent", pass.Field{Value: num("0.125"), NumberStyle: pass.NumberStylePercent}, "13%"},
		{"scientific", pass.Field{Value: num("12345"), NumberStyle: pass.NumberStyleScientific}, "1.2345E4"},
		{"scientific small", pass.Field{Value: num("0.00012"), NumberStyle: pass.NumberStyleScientific}, "1.2E-4"},
		{"spell out", pass.Field{Value: num("1234"), NumberStyle: pass.NumberStyleSpellOut}, "one thousand two hundred thirty-four"},
		{"spell out fraction", pass.Field{Value: num("-20.5"), NumberStyle: pass.NumberStyleSpellOut}, "minus twenty point five"},
		{"spell out zero", pass.Field{Value: num("0"), NumberStyle: pass.NumberStyleSpellOut}, "zero"},
		{"spell out millions", pass.Field{Value: num("3000017"), NumberStyle: pass.NumberStyleSpellOut}, "three million seventeen"},
		{"short date", pass.Field{Value: date, DateStyle: pass.DateStyleShort}, "5/7/26"},
		{"medium date", pass.Field{Value: date, DateStyle: pass.DateStyleMedium}, "May 7, 2026"},
		{"long date", pass.Field{Value: date, DateStyle: pass.DateStyleLong}, "May 7, 2026"},
		{"full date", pass.Field{Value: date, DateStyle: pass.DateStyleFull}, "Thursday, May 7, 2026"},
		{"short time", pass.Field{Value: date, TimeStyle: pass.DateStyleShort}, "10:30 PM"},
		{"medium time", pass.Field{Value: date, TimeStyle: pass.DateStyleMedium}, "10:30:05 PM"},
		{"long time", pass.Field{Value: date, TimeStyle: pass.DateStyleLong}, "10:30:05 PM GMT-5"},
		{"date and time", pass.Field{Value: date, DateStyle: pass.DateStyleMedium, TimeStyle: pass.DateStyleShort}, "May 7, 2026 at 10:30 PM"},
		{"none and short", pass.Field{Value: date, DateStyle: pass.DateStyleNone, TimeStyle: pass.DateStyleShort}, "10:30 PM"},
		{"relative only", pass.Field{Value: date, IsRelative: true}, "May 7, 2026 at 10:30 PM"},
		{"not a date", pass.Field{Value: pass.String("soon"), DateStyle: pass.DateStyleShort}, "soon"},
		{"attributed value", pass.Field{Value: pass.String("x"), AttributedValue: pass.String("See <a href='https://example.com'>terms</a> &amp; more")}, "See terms & more"},
	}
	r := &renderer{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, r.fieldValue(tt.field))
		})
	}
}

func TestFieldValueZonesAndLocalization(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	r := &renderer{loc: tokyo, strings: pass.Strings{"tier.gold": "Or"}}
	f := pass.Field{Value: pass.String("2026-05-07T22:30:00-05:00"), DateStyle: pass.DateStyleShort, TimeStyle: pass.DateStyleLong}
	assert.Equal(t, "5/8/26 at 12:30:00 PM GMT+9", r.fieldValue(f), "shown in Options.Location")
	f.IgnoresTimeZone = true
	assert.Equal(t, "5/7/26 at 10:30:00 PM GMT-5", r.fieldValue(f), "ignoresTimeZone keeps the value's zone")
	assert.Equal(t, "Or", r.fieldValue(pass.Field{Value: pass.String("tier.gold")}))
	assert.Equal(t, "tier.silver", r.fieldValue(pass.Field{Value: pass.String("tier.silver")}))
	r.now = time.Date(2026, 5, 7, 9, 0, 0, 0, time.FixedZone("", -5*3600))
	rel := pass.Field{Value: pass.String("2026-05-07T22:30:00-05:00"), IsRelative: true, TimeStyle: pass.DateStyleShort, IgnoresTimeZone: true}
	assert.Equal(t, "Today at 10:30 PM", r.fieldValue(rel))
	rel.TimeStyle = pass.DateStyleNone
	rel.DateStyle = pass.DateStyleMedium
	r.now = r.now.AddDate(0, 0, 1)
	assert.Equal(t, "Yesterday", r.fieldValue(rel))
	r.now = r.now.AddDate(0, 0, -2)
	assert.Equal(t, "Tomorrow", r.fieldValue(rel))
	r.now = r.now.AddDate(0, 0, -5)
	assert.Equal(t, "May 7, 2026", r.fieldValue(rel), "further away: in full")
	india := time.FixedZone("IST", 5*3600+1800)
	assert.Equal(t, "GMT+5:30", zoneName(time.Date(2026, 1, 1, 0, 0, 0, 0, india)))
	assert.Equal(t, "GMT", zoneName(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
}

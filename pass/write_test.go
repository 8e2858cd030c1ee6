package pass

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The -update flag rewrites the golden files. It is registered only when no other test file of the package has
// registered it already (this file sorts after the others, so their package-level flag.Bool runs first).
var _ = func() bool {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata")
	}
	return true
}()

// updating reports whether the test run was started with -update.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// golden compares got with testdata/name, or rewrites the file under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", name)
	if updating() {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(file, got, 0o644))
	}
	want, err := os.ReadFile(file)
	require.NoError(t, err, "golden file missing; run go test ./pass -run %s -update", t.Name())
	assert.Equal(t, string(want), string(got))
}

// indent pretty-prints compact JSON for the golden files (two spaces, trailing newline).
func indent(t *testing.T, compact []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, json.Indent(&b, compact, "", "  "))
	b.WriteByte('\n')
	return b.Bytes()
}

func ptr[T any](v T) *T { return &v }

var (
	chicago = time.FixedZone("", -5*3600)
	paris   = time.FixedZone("", 2*3600)
)

// base returns a pass with the standard keys set.
func base(serial string) Pass {
	return Pass{
		FormatVersion:      1,
		PassTypeIdentifier: "pass.com.example.test",
		SerialNumber:       serial,
		TeamIdentifier:     "A1B2C3D4E5",
		OrganizationName:   "Example Inc.",
		Description:        "Example pass",
		BackgroundColor:    RGB(20, 40, 60),
		ForegroundColor:    RGB(255, 255, 255),
		LabelColor:         RGB(200, 200, 200),
	}
}

func qr(msg string) []Barcode {
	return []Barcode{{Format: BarcodeFormatQR, Message: msg, MessageEncoding: "iso-8859-1", AltText: msg}}
}

// goldenPasses builds, in code, one pass per golden file.
func goldenPasses() map[string]*Pass {
	out := map[string]*Pass{}

	bp := base("BP-0001")
	bp.Description = "Boarding pass"
	bp.RelevantDates = []RelevantDate{{StartDate: NewDate(time.Date(2026, 5, 7, 9, 0, 0, 0, chicago)), EndDate: NewDate(time.Date(2026, 5, 7, 11, 0, 0, 0, chicago))}}
	bp.Locations = []Location{{Latitude: 37.6189722, Longitude: -122.3748889, RelevantText: "Gate F12"}}
	bp.Barcodes = []Barcode{{Format: BarcodeFormatPDF417, Message: "SFOJFK APPLESEED LH451", MessageEncoding: "iso-8859-1"}}
	bp.BoardingPass = &PassFields{
		TransitType:     TransitTypeAir,
		HeaderFields:    []Field{{Key: "gate", Label: "Gate", Value: String("F12"), ChangeMessage: "Gate changed to %@"}},
		PrimaryFields:   []Field{{Key: "origin", Label: "San Francisco", Value: String("SFO")}, {Key: "destination", Label: "New York", Value: String("JFK")}},
		SecondaryFields: []Field{{Key: "passenger", Label: "Passenger", Value: String("John Appleseed")}},
		AuxiliaryFields: []Field{{Key: "departs", Label: "Departs", Value: DateValue(time.Date(2026, 5, 7, 10, 30, 0, 0, chicago)), DateStyle: DateStyleNone, TimeStyle: DateStyleShort}, {Key: "seat", Label: "Seat", Value: String("7A"), TextAlignment: TextAlignmentRight}},
		BackFields:      []Field{{Key: "terms", Label: "Terms", Value: String("See <a href='https://example.com/terms'>terms</a> & conditions."), DataDetectorTypes: []DataDetectorType{}}},
	}
	bp.GroupingIdentifier = "LH451-2026-05-07"
	out["boarding-pass.json"] = &bp

	cp := base("CP-0001")
	cp.Description = "Coupon"
	cp.ExpirationDate = NewDate(time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC))
	cp.Barcodes = qr("COUPON-20")
	cp.Coupon = &PassFields{
		PrimaryFields:   []Field{{Key: "offer", Label: "Any coffee", Value: Int(20), NumberStyle: NumberStylePercent}},
		SecondaryFields: []Field{{Key: "expires", Label: "Expires", Value: DateValue(time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC)), DateStyle: DateStyleShort, IsRelative: true}},
		BackFields:      []Field{{Key: "details", Label: "Details", Value: String("One per customer."), DataDetectorTypes: []DataDetectorType{DataDetectorTypeLink}}},
	}
	cp.SuppressStripShine = ptr(true)
	out["coupon.json"] = &cp

	et := base("ET-0001")
	et.Description = "Event ticket"
	et.RelevantDate = NewDate(time.Date(2026, 7, 1, 19, 30, 0, 0, paris))
	et.Beacons = []Beacon{{ProximityUUID: "E2C56DB5-DFFB-48D2-B060-D0F5A71096E0", Major: ptr(1), Minor: ptr(0), RelevantText: "Welcome"}}
	et.MaxDistance = 100
	et.Barcodes = qr("ET-0001")
	et.EventTicket = &PassFields{
		PrimaryFields:   []Field{{Key: "event", Label: "Event", Value: String("Summer Concert")}},
		SecondaryFields: []Field{{Key: "loc", Label: "Location", Value: String("Main Hall")}},
		AuxiliaryFields: []Field{{Key: "section", Label: "Section", Value: String("B"), Row: ptr(0)}, {Key: "row", Label: "Row", Value: Int(12), Row: ptr(1)}},
	}
	et.GroupingIdentifier = "summer-2026"
	out["event-ticket.json"] = &et

	gn := base("GN-0001")
	gn.Description = "Generic pass"
	gn.Barcodes = qr("GN-0001")
	gn.Generic = &PassFields{
		PrimaryFields:   []Field{{Key: "member", Label: "Member", Value: String("Jane Doe")}},
		SecondaryFields: []Field{{Key: "since", Label: "Member since", Value: DateValue(time.Date(2020, 1, 15, 0, 0, 0, 0, time.UTC)), DateStyle: DateStyleMedium, IgnoresTimeZone: true}},
		BackFields:      []Field{{Key: "phone", Label: "Phone", Value: String("+1 555 0100"), Extra: map[string]json.RawMessage{"x-note": json.RawMessage(`"kept"`)}}},
	}
	gn.AssociatedStoreIdentifiers = []int64{123456789}
	gn.AppLaunchURL = "example://open"
	gn.UserInfo = json.RawMessage(`{"customer":42}`)
	gn.Extra = map[string]json.RawMessage{"zCustomKey": json.RawMessage(`{"b":1,"a":[true,null]}`), "aCustomKey": json.RawMessage(`"first"`)}
	out["generic.json"] = &gn

	sc := base("SC-0001")
	sc.Description = "Store card"
	sc.LogoText = "Coffee"
	sc.Barcodes = qr("SC-0001")
	sc.WebServiceURL = "https://example.com/passes/"
	sc.AuthenticationToken = "0123456789abcdef0123"
	sc.StoreCard = &PassFields{
		HeaderFields:    []Field{{Key: "points", Label: "Points", Value: Int(1200), NumberStyle: NumberStyleDecimal}},
		PrimaryFields:   []Field{{Key: "balance", Label: "Balance", Value: mustNumber("21.75"), CurrencyCode: "USD"}},
		SecondaryFields: []Field{{Key: "level", Label: "Level", Value: String("Gold"), AttributedValue: String("<a href='https://example.com/gold'>Gold</a>")}},
	}
	sc.Semantics = &Semantics{Balance: &CurrencyAmount{Amount: "21.75", CurrencyCode: "USD"}}
	out["store-card.json"] = &sc

	pe := base("PE-0001")
	pe.Description = "Poster event ticket"
	pe.PreferredStyleSchemes = []StyleScheme{StyleSchemePosterEventTicket, StyleSchemeEventTicket}
	pe.EventLogoText = "Stadium"
	pe.FooterBackgroundColor = RGB(10, 10, 10)
	pe.UseAutomaticColors = true
	pe.NFC = &NFC{Message: "PE-0001", EncryptionPublicKey: "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE844XTfWx56bFQkDdsKHI5n4XWuhZ3oIMcEf2AhF8Kqfe6aj2O75+fkPlpMlk2He/dwhlbIMCBh0hU0OfhLwd5w==", RequiresAuthentication: true}
	pe.RelevantDates = []RelevantDate{{Date: NewDate(time.Date(2026, 9, 12, 18, 0, 0, 0, time.UTC))}}
	pe.EventTicket = &PassFields{
		PrimaryFields:   []Field{{Key: "game", Label: "Game", Value: String("Lions vs Bears")}},
		SecondaryFields: []Field{{Key: "seat", Label: "Seat", Value: String("112-F-7")}},
	}
	pe.Semantics = &Semantics{
		EventName: "Lions vs Bears", EventType: EventTypeSports,
		EventStartDate: NewDate(time.Date(2026, 9, 12, 19, 0, 0, 0, time.UTC)),
		VenueName:      "City Stadium", VenueRegionName: "Springfield", VenueRoom: "Main field",
		VenueLocation:        &SemanticLocation{Latitude: 40.7, Longitude: -74},
		HomeTeamAbbreviation: "LIO", AwayTeamAbbreviation: "BEA",
		Seats:             []Seat{{SeatSection: "112", SeatRow: "F", SeatNumber: "7", SeatSectionColor: RGB(200, 0, 0)}},
		TailgatingAllowed: ptr(false),
	}
	pe.AccessibilityURL = "https://example.com/access"
	pe.AuxiliaryStoreIdentifiers = []int64{987654321}
	out["poster-event-ticket.json"] = &pe

	sb := base("SB-0001")
	sb.Description = "Semantic boarding pass"
	sb.PreferredStyleSchemes = []StyleScheme{StyleSchemeSemanticBoardingPass, StyleSchemeBoardingPass}
	sb.Barcodes = []Barcode{{Format: BarcodeFormatAztec, Message: "M1DOE/JANE EABC123 SFOJFKUA 0451", MessageEncoding: "iso-8859-1"}}
	sb.BoardingPass = &PassFields{
		TransitType:   TransitTypeAir,
		PrimaryFields: []Field{{Key: "from", Label: "San Francisco", Value: String("SFO")}, {Key: "to", Label: "New York", Value: String("JFK")}},
	}
	sb.Semantics = &Semantics{
		AirlineCode: "UA", FlightNumber: ptr(int64(451)),
		DepartureAirportCode: "SFO", DepartureCityName: "San Francisco", DepartureLocationTimeZone: "America/Los_Angeles",
		DestinationAirportCode: "JFK", DestinationCityName: "New York", DestinationLocationTimeZone: "America/New_York",
		OriginalDepartureDate:             NewDate(time.Date(2026, 5, 7, 17, 30, 0, 0, time.UTC)),
		OriginalBoardingDate:              NewDate(time.Date(2026, 5, 7, 16, 50, 0, 0, time.UTC)),
		OriginalArrivalDate:               NewDate(time.Date(2026, 5, 8, 2, 5, 0, 0, time.UTC)),
		PassengerName:                     &PersonNameComponents{GivenName: "Jane", FamilyName: "Doe"},
		PassengerCapabilities:             []PassengerCapability{PassengerCapabilityPriorityBoarding},
		DepartureLocationSecurityPrograms: []SecurityProgram{SecurityProgramTSAPreCheck},
		Seats:                             []Seat{{SeatNumber: "7A"}},
	}
	sb.ChangeSeatURL = "https://example.com/seat"
	out["semantic-boarding-pass.json"] = &sb

	pg := base("PG-0001")
	pg.Description = "Poster generic membership"
	pg.Barcodes = qr("PG-0001")
	pg.Generic = &PassFields{PrimaryFields: []Field{{Key: "member", Label: "Member", Value: String("Jane Doe")}}}
	pg.PosterGeneric = &PassFields{
		HeaderFields:  []Field{{Key: "tier", Label: "Tier", Value: String("Gold")}},
		PrimaryFields: []Field{{Key: "name", Label: "Name", Value: String("Jane Doe")}},
		FooterFields:  []Field{{Key: "no", Label: "Number", Value: String("0042")}, {Key: "exp", Label: "Expires", Value: DateValue(time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)), DateStyle: DateStyleShort}},
		BackFields:    []Field{{Key: "help", Label: "Help", Value: String("Call us")}},
	}
	pg.FeaturedActions = []FeaturedAction{{Identifier: "benefits", Type: "membershipBenefits", URL: "https://example.com/benefits"}, {Identifier: "call", Type: "call", URL: "tel:+15550100"}}
	out["poster-generic.json"] = &pg
	return out
}

func mustNumber(s string) Value {
	v, err := NumberText(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestGoldenRoundTrip(t *testing.T) {
	for name, p := range goldenPasses() {
		t.Run(name, func(t *testing.T) {
			built, err := json.Marshal(p)
			require.NoError(t, err)
			golden(t, name, indent(t, built))

			// Parse the golden file and write it again: the same bytes.
			file, err := os.ReadFile(filepath.Join("testdata", name))
			require.NoError(t, err)
			read, err := Parse(file)
			require.NoError(t, err)
			again, err := json.Marshal(read)
			require.NoError(t, err)
			assert.Equal(t, string(built), string(again))
			assert.Equal(t, string(file), string(indent(t, again)), "parse golden → write == golden")
			assert.Equal(t, p.Style(), read.Style())

			// The golden passes are examples of valid passes: Validate finds no errors (the unknown keys kept
			// on purpose are warnings).
			var verr *ValidationError
			if err := read.Validate(nil); errors.As(err, &verr) {
				assert.False(t, verr.HasErrors(), "%v", err)
			} else {
				assert.NoError(t, err)
			}
		})
	}
}

func TestMarshalMatchesJSONMarshal(t *testing.T) {
	for name, p := range goldenPasses() {
		t.Run(name, func(t *testing.T) {
			direct, err := p.MarshalJSON()
			require.NoError(t, err)
			viaPointer, err := json.Marshal(p)
			require.NoError(t, err)
			viaValue, err := json.Marshal(*p)
			require.NoError(t, err)
			assert.Equal(t, string(direct), string(viaPointer))
			assert.Equal(t, string(direct), string(viaValue))
			for range 3 {
				b, err := p.MarshalJSON()
				require.NoError(t, err)
				require.Equal(t, direct, b, "marshalling is deterministic")
			}
		})
	}
}

func TestMarshalKeyOrder(t *testing.T) {
	p := base("1")
	p.StoreCard = &PassFields{PrimaryFields: []Field{{Key: "k", Value: String("v")}}}
	p.Extra = map[string]json.RawMessage{"b": json.RawMessage(`2`), "a": json.RawMessage(` { "x" : 1 } `)}
	b, err := json.Marshal(&p)
	require.NoError(t, err)
	assert.Equal(t, `{"formatVersion":1,"passTypeIdentifier":"pass.com.example.test","serialNumber":"1",`+
		`"teamIdentifier":"A1B2C3D4E5","organizationName":"Example Inc.","description":"Example pass",`+
		`"storeCard":{"primaryFields":[{"key":"k","value":"v"}]},"backgroundColor":"rgb(20, 40, 60)",`+
		`"foregroundColor":"rgb(255, 255, 255)","labelColor":"rgb(200, 200, 200)","a":{"x":1},"b":2}`, string(b))
}

func TestMarshalUnsetKeysAbsent(t *testing.T) {
	b, err := json.Marshal(Field{Key: "k"})
	require.NoError(t, err)
	assert.Equal(t, `{"key":"k","value":""}`, string(b))
	b, err = json.Marshal(Field{Key: "k", Value: Int(3), DataDetectorTypes: []DataDetectorType{}, Row: ptr(0)})
	require.NoError(t, err)
	assert.Equal(t, `{"key":"k","value":3,"dataDetectorTypes":[],"row":0}`, string(b), "empty non-nil dataDetectorTypes and row 0 are written")
	b, err = json.Marshal(Semantics{})
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(b))
}

func TestMarshalDatesAndColours(t *testing.T) {
	tests := []struct {
		name string
		in   RelevantDate
		want string
	}{
		{"utc", RelevantDate{Date: NewDate(time.Date(2026, 5, 7, 10, 30, 0, 0, time.UTC))}, `{"date":"2026-05-07T10:30:00Z"}`},
		{"offset", RelevantDate{Date: NewDate(time.Date(2026, 5, 7, 10, 30, 15, 999, chicago))}, `{"date":"2026-05-07T10:30:15-05:00"}`},
		{"interval", RelevantDate{StartDate: NewDate(time.Date(2026, 5, 7, 10, 0, 0, 0, paris)), EndDate: NewDate(time.Date(2026, 5, 7, 12, 0, 0, 0, paris))}, `{"startDate":"2026-05-07T10:00:00+02:00","endDate":"2026-05-07T12:00:00+02:00"}`},
		{"raw kept", RelevantDate{Date: readDate("next tuesday")}, `{"date":"next tuesday"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
		})
	}
	b, err := json.Marshal(Seat{SeatSectionColor: "#f00"})
	require.NoError(t, err)
	assert.Equal(t, `{"seatSectionColor":"rgb(255, 0, 0)"}`, string(b))
}

func TestMarshalExtraErrors(t *testing.T) {
	tests := []struct {
		name  string
		extra map[string]json.RawMessage
		want  string
	}{
		{"known key", map[string]json.RawMessage{"key": json.RawMessage(`"x"`)}, `Extra key "key" of Field is a known key`},
		{"invalid JSON", map[string]json.RawMessage{"x": json.RawMessage(`{nope`)}, `Extra key "x" of Field is not valid JSON`},
		{"empty", map[string]json.RawMessage{"x": nil}, `Extra key "x" of Field holds no JSON value`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base("1")
			p.Generic = &PassFields{BackFields: []Field{{Key: "k", Extra: tt.extra}}}
			_, err := json.Marshal(&p)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestEveryDictionaryKeepsExtra walks every struct type reachable from Pass and Personalization and checks that
// it has an Extra map, a value-receiver MarshalJSON and a pointer-receiver UnmarshalJSON, so unknown keys
// survive at every level.
func TestEveryDictionaryKeepsExtra(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] || t == valueType || t == dateType {
			return
		}
		seen[t] = true
		for i := 0; i < t.NumField(); i++ {
			walk(t.Field(i).Type)
		}
	}
	walk(reflect.TypeFor[Pass]())
	walk(reflect.TypeFor[Personalization]())
	require.GreaterOrEqual(t, len(seen), 20)
	for typ := range seen {
		t.Run(typ.Name(), func(t *testing.T) {
			f, ok := typ.FieldByName("Extra")
			require.True(t, ok, "%s has no Extra", typ)
			assert.Equal(t, extraType, f.Type)
			assert.True(t, typ.Implements(marshalerType), "%s: value-receiver MarshalJSON", typ)
			assert.True(t, reflect.PointerTo(typ).Implements(reflect.TypeFor[json.Unmarshaler]()), "%s: UnmarshalJSON", typ)
			// An unknown key survives a round trip through this type alone.
			v := reflect.New(typ)
			require.NoError(t, json.Unmarshal([]byte(`{"zzUnknown":[1,{"a":null}]}`), v.Interface()))
			b, err := json.Marshal(v.Elem().Interface())
			require.NoError(t, err)
			assert.Contains(t, string(b), `"zzUnknown":[1,{"a":null}]`)
		})
	}
}

func TestAppendFloatMatchesEncodingJSON(t *testing.T) {
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 37.6189722, -122.3748889, 1e-6, 1e-7, 123456789, 1e20, 1e21, 1.5e300, -2.5e-300, 5e-324} {
		want, err := json.Marshal(f)
		require.NoError(t, err)
		got, err := appendFloat(nil, f, 64)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), "%g", f)
	}
	_, err := json.Marshal(Location{Latitude: math.NaN()})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "latitude: unsupported value: NaN")
}

func TestMarshalRequiredArrayNeverNull(t *testing.T) {
	b, err := json.Marshal(Personalization{Description: "d"})
	require.NoError(t, err)
	assert.Equal(t, `{"requiredPersonalizationFields":[],"description":"d"}`, string(b))
}

func TestMarshalDateWithSecondsOffset(t *testing.T) {
	lmt := time.FixedZone("LMT", -(4*3600 + 56*60 + 2))
	d := NewDate(time.Date(1880, 1, 1, 12, 0, 0, 0, lmt))
	b, err := json.Marshal(RelevantDate{Date: d})
	require.NoError(t, err)
	assert.Equal(t, `{"date":"1880-01-01T16:56:02Z"}`, string(b), "the instant is kept")

	var r RelevantDate
	require.NoError(t, json.Unmarshal([]byte(`{"date":"0001-01-01T00:00:00Z"}`), &r))
	assert.Equal(t, "0001-01-01T00:00:00Z", r.Date.Raw(), "the zero time is kept as text rather than read as absent")
}

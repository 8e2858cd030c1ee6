package pass

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// valPNGs caches the images of valPNG: encoding large images is slow under the race detector.
var valPNGs sync.Map // [2]int → []byte

// valPNG returns a w×h PNG image (a gray one, which encodes fast and small).
func valPNG(tb testing.TB, w, h int) []byte {
	tb.Helper()
	if b, ok := valPNGs.Load([2]int{w, h}); ok {
		return b.([]byte)
	}
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	require.NoError(tb, enc.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))))
	valPNGs.Store([2]int{w, h}, b.Bytes())
	return b.Bytes()
}

// valAssets returns assets that pass every file rule for a store card: icon.png and icon@2x.png.
func valAssets(tb testing.TB) *Assets {
	tb.Helper()
	a := &Assets{}
	require.NoError(tb, a.SetImage(ImageIcon, 1, valPNG(tb, 29, 29)))
	require.NoError(tb, a.SetImage(ImageIcon, 2, valPNG(tb, 58, 58)))
	return a
}

func valSet(tb testing.TB, a *Assets, name string, data []byte) {
	tb.Helper()
	require.NoError(tb, a.Set(name, data))
}

// rawDate returns a Date read from JSON text that does not parse (see Date.Raw).
func rawDate(s string) Date {
	var d Date
	if err := d.UnmarshalJSON([]byte(`"` + s + `"`)); err != nil {
		panic(err)
	}
	return d
}

func valInt(i int) *int { return &i }

func valDate(s string) Date {
	t, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return NewDate(t)
}

// eventTicket turns the store card into an event ticket.
func eventTicket(p *Pass) {
	p.EventTicket, p.StoreCard = p.StoreCard, nil
}

// boardingPass turns the store card into an air boarding pass.
func boardingPass(p *Pass) {
	p.BoardingPass, p.StoreCard = p.StoreCard, nil
	p.BoardingPass.TransitType = TransitTypeAir
}

// spki returns the base64 SubjectPublicKeyInfo of a new key on curve.
func spki(tb testing.TB, curve elliptic.Curve) string {
	tb.Helper()
	k, err := ecdsa.GenerateKey(curve, rand.Reader)
	require.NoError(tb, err)
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	require.NoError(tb, err)
	return base64.StdEncoding.EncodeToString(der)
}

// ruleCase is a failing and a passing variant of the valid store card for one rule.
type ruleCase struct {
	name string
	rule string
	// fail breaks the pass (and assets); the problem must be reported at path with sev.
	fail func(p *Pass, a *Assets)
	path string
	sev  Severity
	// pass changes the pass in a close but valid way; the rule must then report nothing.
	pass func(p *Pass, a *Assets)
}

func ruleCases(t *testing.T) []ruleCase {
	p256, p384 := spki(t, elliptic.P256()), spki(t, elliptic.P384())
	ecdhKey, err := ecdh.P256().GenerateKey(rand.Reader)
	require.NoError(t, err)
	ecdhDER, err := x509.MarshalPKIXPublicKey(ecdhKey.PublicKey())
	require.NoError(t, err)
	nothing := func(*Pass, *Assets) {}
	return []ruleCase{
		{"serial number missing", ruleRequiredKey, func(p *Pass, _ *Assets) { p.SerialNumber = " " }, "serialNumber", SeverityError, nothing},
		{"format version missing", ruleRequiredKey, func(p *Pass, _ *Assets) { p.FormatVersion = 0 }, "formatVersion", SeverityError, nothing},
		{"organization name missing", ruleRequiredKey, func(p *Pass, _ *Assets) { p.OrganizationName = "" }, "organizationName", SeverityError, nothing},
		{"description missing", ruleRequiredKey, func(p *Pass, _ *Assets) { p.Description = "" }, "description", SeverityError, nothing},
		{"team identifier missing", ruleRequiredKey, func(p *Pass, _ *Assets) { p.TeamIdentifier = "" }, "teamIdentifier", SeverityError, nothing},
		{"pass type identifier missing", ruleRequiredKey, func(p *Pass, _ *Assets) { p.PassTypeIdentifier = "" }, "passTypeIdentifier", SeverityError, nothing},
		{"barcode message encoding missing", ruleRequiredKey, func(p *Pass, _ *Assets) { p.Barcodes[0].MessageEncoding = "" }, "barcodes[0].messageEncoding", SeverityWarning, nothing},
		{"format version 2", ruleFormatVersion, func(p *Pass, _ *Assets) { p.FormatVersion = 2 }, "formatVersion", SeverityError, nothing},
		{"pass type identifier without pass.", rulePassTypeIdentifier, func(p *Pass, _ *Assets) { p.PassTypeIdentifier = "com.example.coffee" }, "passTypeIdentifier", SeverityError,
			func(p *Pass, _ *Assets) { p.PassTypeIdentifier = "pass.com.example-2.coffee_shop" }},
		{"team identifier lower case", ruleTeamIdentifier, func(p *Pass, _ *Assets) { p.TeamIdentifier = "abcde12345" }, "teamIdentifier", SeverityWarning,
			func(p *Pass, _ *Assets) { p.TeamIdentifier = "ZYXW987654" }},
		{"two legacy styles", ruleStyle, func(p *Pass, _ *Assets) { p.Generic = &PassFields{} }, "generic", SeverityError,
			func(p *Pass, _ *Assets) { p.PosterGeneric = &PassFields{} }},
		{"no style", ruleStyle, func(p *Pass, _ *Assets) { p.StoreCard = nil }, "", SeverityError, nothing},
		{"poster generic alone", ruleStyle, func(p *Pass, _ *Assets) { p.PosterGeneric, p.StoreCard = p.StoreCard, nil }, "posterGeneric", SeverityError, nothing},
		{"boarding pass without transit type", ruleTransitType, func(p *Pass, _ *Assets) { boardingPass(p); p.BoardingPass.TransitType = "" }, "boardingPass.transitType", SeverityError, func(p *Pass, _ *Assets) { boardingPass(p) }},
		{"unknown transit type", ruleTransitType, func(p *Pass, _ *Assets) { boardingPass(p); p.BoardingPass.TransitType = "PKTransitTypeRocket" }, "boardingPass.transitType", SeverityError,
			func(p *Pass, _ *Assets) { boardingPass(p); p.BoardingPass.TransitType = "WLTransitTypeTrain" }},
		{"transit type on a store card", ruleTransitType, func(p *Pass, _ *Assets) { p.StoreCard.TransitType = TransitTypeBus }, "storeCard.transitType", SeverityWarning, nothing},
		{"web service over http", ruleWebServiceHTTPS, func(p *Pass, _ *Assets) {
			p.WebServiceURL, p.AuthenticationToken = "http://example.com/passes", "0123456789abcdef"
		}, "webServiceURL", SeverityError, func(p *Pass, _ *Assets) {
			p.WebServiceURL, p.AuthenticationToken = "https://example.com:8443/passes", "0123456789abcdef"
		}},
		{"short token", ruleAuthenticationToken, func(p *Pass, _ *Assets) {
			p.WebServiceURL, p.AuthenticationToken = "https://example.com/passes", "s3cret"
		}, "authenticationToken", SeverityError, func(p *Pass, _ *Assets) {
			p.WebServiceURL, p.AuthenticationToken = "https://example.com/passes", "0123456789abcdef"
		}},
		{"web service without token", ruleAuthenticationToken, func(p *Pass, _ *Assets) { p.WebServiceURL = "https://example.com/passes" }, "authenticationToken", SeverityError, nothing},
		{"token without web service", ruleAuthenticationToken, func(p *Pass, _ *Assets) { p.AuthenticationToken = "0123456789abcdef" }, "authenticationToken", SeverityError, nothing},
		{"app launch URL without store identifiers", ruleAppLaunchURL, func(p *Pass, _ *Assets) { p.AppLaunchURL = "coffee://card/1" }, "appLaunchURL", SeverityError,
			func(p *Pass, _ *Assets) {
				p.AppLaunchURL, p.AssociatedStoreIdentifiers = "coffee://card/1", []int64{123456789}
			}},
		{"store identifier zero", ruleStoreIdentifiers, func(p *Pass, _ *Assets) { p.AssociatedStoreIdentifiers = []int64{0} }, "associatedStoreIdentifiers[0]", SeverityWarning,
			func(p *Pass, _ *Assets) { p.AssociatedStoreIdentifiers = []int64{284882215} }},
		{"relative URL", ruleURL, func(p *Pass, _ *Assets) { eventTicket(p); p.ParkingInformationURL = "parking" }, "parkingInformationURL", SeverityWarning,
			func(p *Pass, _ *Assets) { eventTicket(p); p.ParkingInformationURL = "https://example.com/parking" }},
		{"contact e-mail without @", ruleURL, func(p *Pass, _ *Assets) { eventTicket(p); p.ContactVenueEmail = "box office" }, "contactVenueEmail", SeverityWarning,
			func(p *Pass, _ *Assets) { eventTicket(p); p.ContactVenueEmail = "boxoffice@example.com" }},
		{"event guide URL on a store card", ruleURL, func(p *Pass, _ *Assets) { p.SellURL = "https://example.com/sell" }, "sellURL", SeverityWarning, nothing},
		{"airline URL on an event ticket", ruleURL, func(p *Pass, _ *Assets) { eventTicket(p); p.TrackBagsURL = "https://example.com/bags" }, "trackBagsURL", SeverityWarning,
			func(p *Pass, _ *Assets) { boardingPass(p); p.TrackBagsURL = "https://example.com/bags" }},
		{"app launch URL without scheme", ruleURL, func(p *Pass, _ *Assets) {
			p.AppLaunchURL, p.AssociatedStoreIdentifiers = "card 1", []int64{123456789}
		}, "appLaunchURL", SeverityWarning, nothing},
		{"auxiliary store identifiers outside a poster event ticket", ruleStoreIdentifiers, func(p *Pass, _ *Assets) {
			p.AuxiliaryStoreIdentifiers = []int64{284882215}
		}, "auxiliaryStoreIdentifiers", SeverityWarning, func(p *Pass, a *Assets) {
			posterTicket(t, p, a, p256)
			p.AuxiliaryStoreIdentifiers = []int64{284882215}
		}},
		{"user info array", ruleUserInfo, func(p *Pass, _ *Assets) { p.UserInfo = json.RawMessage(`[1, 2]`) }, "userInfo", SeverityWarning,
			func(p *Pass, _ *Assets) { p.UserInfo = json.RawMessage(` {"tier": "gold"}`) }},
		{"misspelled top-level key", ruleUnknownKey, func(p *Pass, _ *Assets) {
			p.Extra = map[string]json.RawMessage{"backgroundColour": json.RawMessage(`"red"`)}
		}, "backgroundColour", SeverityWarning, nothing},
		{"private key", ruleUnknownKey, func(p *Pass, _ *Assets) {
			p.Extra = map[string]json.RawMessage{"sharing": json.RawMessage(`{}`)}
		}, "sharing", SeverityWarning, nothing},
		{"unknown field key", ruleUnknownKey, func(p *Pass, _ *Assets) {
			p.StoreCard.PrimaryFields[0].Extra = map[string]json.RawMessage{"colour": json.RawMessage(`1`)}
		}, "storeCard.primaryFields[0].colour", SeverityWarning, nothing},
		{"colour name", ruleColor, func(p *Pass, _ *Assets) { p.BackgroundColor = "blue" }, "backgroundColor", SeverityError,
			func(p *Pass, _ *Assets) { p.BackgroundColor, p.LabelColor = "#369", "rgb(0,0,0)" }},
		{"colour component out of range", ruleColor, func(p *Pass, _ *Assets) { p.ForegroundColor = "rgb(256, 0, 0)" }, "foregroundColor", SeverityError, nothing},
		{"seat section colour", ruleColor, func(p *Pass, _ *Assets) {
			p.Semantics = &Semantics{Seats: []Seat{{SeatSectionColor: "green"}}}
		}, "semantics.seats[0].seatSectionColor", SeverityError, func(p *Pass, _ *Assets) {
			p.Semantics = &Semantics{Seats: []Seat{{SeatSectionColor: RGB(0, 128, 0)}}}
		}},
		{"expiration date without zone", ruleDate, func(p *Pass, _ *Assets) { p.ExpirationDate = rawDate("2026-12-31T23:59") }, "expirationDate", SeverityError,
			func(p *Pass, _ *Assets) { p.ExpirationDate = valDate("2026-12-31T23:59-05:00") }},
		{"semantic date not a date", ruleDate, func(p *Pass, _ *Assets) {
			p.Semantics = &Semantics{EventStartDate: rawDate("tomorrow")}
		}, "semantics.eventStartDate", SeverityError, nothing},
		{"expiration date offset without colon", ruleDateOffset, func(p *Pass, _ *Assets) { p.ExpirationDate = rawDate("2026-12-31T23:59:00+0000") }, "expirationDate", SeverityWarning,
			func(p *Pass, _ *Assets) { p.ExpirationDate = rawDate("2026-12-31T23:59:00+00:00") }},
		{"relevant date offset without colon", ruleDateOffset, func(p *Pass, _ *Assets) {
			p.RelevantDates = []RelevantDate{{StartDate: rawDate("2026-05-07T10:00-0500"), EndDate: rawDate("2026-05-07T12:00-05:00")}}
		}, "relevantDates[0].startDate", SeverityWarning, func(p *Pass, _ *Assets) {
			p.RelevantDates = []RelevantDate{{StartDate: rawDate("2026-05-07T10:00-05:00"), EndDate: rawDate("2026-05-07T12:00Z")}}
		}},
		{"semantic date offset without colon", ruleDateOffset, func(p *Pass, _ *Assets) {
			p.Semantics = &Semantics{EventStartDate: rawDate("2026-05-07T19:30:00+0200")}
		}, "semantics.eventStartDate", SeverityWarning, nothing},
		{"field date offset without colon", ruleDateOffset, func(p *Pass, _ *Assets) {
			p.StoreCard.BackFields = []Field{{Key: "expires", Label: "Expires", Value: String("2026-12-31T23:59:00-0500"), DateStyle: DateStyleMedium}}
		}, "storeCard.backFields[0].value", SeverityWarning, func(p *Pass, _ *Assets) {
			p.StoreCard.BackFields = []Field{{Key: "expires", Label: "Expires", Value: String("2026-12-31T23:59:00-05:00"), DateStyle: DateStyleMedium}}
		}},
		{"placeholder in a field value", ruleUnreplacedPlaceholder, func(p *Pass, _ *Assets) {
			p.StoreCard.SecondaryFields = []Field{{Key: "member", Label: "Member", Value: String("{{holder_name}}")}}
		}, "storeCard.secondaryFields[0].value", SeverityError, func(p *Pass, _ *Assets) {
			p.StoreCard.SecondaryFields = []Field{{Key: "member", Label: "Member", Value: String("{ {holder_name} } {{ }} {{a b}}")}}
		}},
		{"placeholder with spaces in the barcode", ruleUnreplacedPlaceholder, func(p *Pass, _ *Assets) {
			p.Barcodes[0].Message = "M-{{ serial }}"
		}, "barcodes[0].message", SeverityError, nothing},
		{"placeholder in a semantic tag", ruleUnreplacedPlaceholder, func(p *Pass, _ *Assets) {
			p.Semantics = &Semantics{Seats: []Seat{{SeatNumber: "{{seat}}"}}}
		}, "semantics.seats[0].seatNumber", SeverityError, func(p *Pass, _ *Assets) {
			p.Semantics = &Semantics{Seats: []Seat{{SeatNumber: "12A"}}}
		}},
		{"placeholder in userInfo", ruleUnreplacedPlaceholder, func(p *Pass, _ *Assets) {
			p.UserInfo = json.RawMessage(`{"member":{"ids":[1,"{{member.id}}"]}}`)
		}, "userInfo.member.ids[1]", SeverityError, func(p *Pass, _ *Assets) {
			p.UserInfo = json.RawMessage(`{"member":{"ids":[1,"m-1"],"note":"{not {{a placeholder"}}`)
		}},
		{"placeholder in an unknown key", ruleUnreplacedPlaceholder, func(p *Pass, _ *Assets) {
			p.Extra = map[string]json.RawMessage{"x-note": json.RawMessage(`"Hello {{name}}"`)}
		}, "x-note", SeverityError, nothing},
		{"placeholder in a localized string", ruleUnreplacedPlaceholder, func(p *Pass, a *Assets) {
			p.StoreCard.SecondaryFields = []Field{{Key: "member", Label: "member_label", Value: String("Member")}}
			require.NoError(t, a.SetStrings("en", Strings{"member_label": "Member {{tier}}"}))
		}, "en.lproj/pass.strings: member_label", SeverityError, func(p *Pass, a *Assets) {
			p.StoreCard.SecondaryFields = []Field{{Key: "member", Label: "member_label", Value: String("Member")}}
			require.NoError(t, a.SetStrings("en", Strings{"member_label": "Member"}))
		}},
		{"relevant interval without end", ruleRelevantDates, func(p *Pass, _ *Assets) {
			p.RelevantDates = []RelevantDate{{StartDate: valDate("2026-05-07T10:00Z")}}
		}, "relevantDates[0].endDate", SeverityError, func(p *Pass, _ *Assets) {
			p.RelevantDates = []RelevantDate{{StartDate: valDate("2026-05-07T10:00Z"), EndDate: valDate("2026-05-07T12:00Z")}, {Date: valDate("2026-05-08T10:00Z")}}
		}},
		{"relevant interval reversed", ruleRelevantDates, func(p *Pass, _ *Assets) {
			p.RelevantDates = []RelevantDate{{StartDate: valDate("2026-05-07T10:00Z"), EndDate: valDate("2026-05-07T09:00Z")}}
		}, "relevantDates[0].endDate", SeverityError, nothing},
		{"relevant end without start", ruleRelevantDates, func(p *Pass, _ *Assets) {
			p.RelevantDates = []RelevantDate{{EndDate: valDate("2026-05-07T10:00Z")}}
		}, "relevantDates[0].startDate", SeverityError, nothing},
		{"empty relevant date entry", ruleRelevantDates, func(p *Pass, _ *Assets) { p.RelevantDates = []RelevantDate{{}} }, "relevantDates[0]", SeverityError, nothing},
		{"relevant date on a store card", ruleRelevance, func(p *Pass, _ *Assets) { p.RelevantDate = valDate("2026-05-07T10:00Z") }, "relevantDate", SeverityWarning,
			func(p *Pass, _ *Assets) { eventTicket(p); p.RelevantDate = valDate("2026-05-07T10:00Z") }},
		{"latitude out of range", ruleLocations, func(p *Pass, _ *Assets) { p.Locations = []Location{{Latitude: 91, Longitude: 2}} }, "locations[0].latitude", SeverityError,
			func(p *Pass, _ *Assets) { p.Locations = []Location{{Latitude: -90, Longitude: 180}} }},
		{"longitude out of range", ruleLocations, func(p *Pass, _ *Assets) { p.Locations = []Location{{Latitude: 1, Longitude: -181}} }, "locations[0].longitude", SeverityError, nothing},
		{"eleven locations", ruleLocations, func(p *Pass, _ *Assets) { p.Locations = make([]Location, 11) }, "locations", SeverityWarning,
			func(p *Pass, _ *Assets) { p.Locations = make([]Location, 10) }},
		{"beacon UUID", ruleBeacons, func(p *Pass, _ *Assets) { p.Beacons = []Beacon{{ProximityUUID: "E2C56DB5-DFFB-48D2-B060"}} }, "beacons[0].proximityUUID", SeverityError,
			func(p *Pass, _ *Assets) {
				p.Beacons = []Beacon{{ProximityUUID: "e2c56db5-dffb-48d2-b060-d0f5a71096e0", Major: valInt(0), Minor: valInt(65535)}}
			}},
		{"beacon major", ruleBeacons, func(p *Pass, _ *Assets) {
			p.Beacons = []Beacon{{ProximityUUID: "E2C56DB5-DFFB-48D2-B060-D0F5A71096E0", Major: valInt(65536)}}
		}, "beacons[0].major", SeverityError, nothing},
		{"beacon minor", ruleBeacons, func(p *Pass, _ *Assets) {
			p.Beacons = []Beacon{{ProximityUUID: "E2C56DB5-DFFB-48D2-B060-D0F5A71096E0", Minor: valInt(-1)}}
		}, "beacons[0].minor", SeverityError, nothing},
		{"eleven beacons", ruleBeacons, func(p *Pass, _ *Assets) {
			for range 11 {
				p.Beacons = append(p.Beacons, Beacon{ProximityUUID: "E2C56DB5-DFFB-48D2-B060-D0F5A71096E0"})
			}
		}, "beacons", SeverityWarning, nothing},
		{"negative max distance", ruleMaxDistance, func(p *Pass, _ *Assets) { p.MaxDistance = -5 }, "maxDistance", SeverityError,
			func(p *Pass, _ *Assets) { p.MaxDistance = 100 }},
		{"grouping identifier on a store card", ruleGroupingIdentifier, func(p *Pass, _ *Assets) { p.GroupingIdentifier = "trip-1" }, "groupingIdentifier", SeverityWarning,
			func(p *Pass, _ *Assets) { boardingPass(p); p.GroupingIdentifier = "trip-1" }},
		{"poster scheme on a store card", ruleStyleSchemes, func(p *Pass, _ *Assets) {
			p.PreferredStyleSchemes = []StyleScheme{StyleSchemePosterEventTicket}
		}, "preferredStyleSchemes[0]", SeverityWarning, func(p *Pass, _ *Assets) {
			boardingPass(p)
			p.PreferredStyleSchemes = []StyleScheme{StyleSchemeBoardingPass}
		}},
		{"unknown scheme", ruleStyleSchemes, func(p *Pass, _ *Assets) { p.PreferredStyleSchemes = []StyleScheme{"posterStoreCard"} }, "preferredStyleSchemes[0]", SeverityWarning, nothing},
		{"unknown featured action", ruleFeaturedActions, func(p *Pass, _ *Assets) {
			p.FeaturedActions = []FeaturedAction{{Identifier: "a", Type: "dance"}}
		}, "featuredActions[0].type", SeverityWarning, func(p *Pass, _ *Assets) {
			p.FeaturedActions = []FeaturedAction{{Identifier: "a", Type: "call", URL: "tel:+15555550100"}, {Identifier: "b", Type: "shop"}}
		}},
		{"duplicate featured action", ruleFeaturedActions, func(p *Pass, _ *Assets) {
			p.FeaturedActions = []FeaturedAction{{Identifier: "a", Type: "call"}, {Identifier: "a", Type: "shop"}}
		}, "featuredActions[1].identifier", SeverityWarning, nothing},
		{"three featured actions on poster generic", ruleFeaturedActions, func(p *Pass, _ *Assets) {
			p.PosterGeneric = &PassFields{}
			p.FeaturedActions = []FeaturedAction{{Identifier: "a", Type: "call"}, {Identifier: "b", Type: "shop"}, {Identifier: "c", Type: "order"}}
		}, "featuredActions", SeverityWarning, nothing},
		{"field without key", ruleFieldKey, func(p *Pass, _ *Assets) { p.StoreCard.PrimaryFields[0].Key = "" }, "storeCard.primaryFields[0].key", SeverityError, nothing},
		{"duplicate key in back fields", ruleFieldKeyUnique, func(p *Pass, _ *Assets) {
			p.StoreCard.BackFields = []Field{{Key: "balance", Value: String("x")}}
		}, "storeCard.backFields[0].key", SeverityWarning, func(p *Pass, _ *Assets) {
			p.StoreCard.BackFields = []Field{{Key: "terms", Value: String("x")}}
		}},
		{"duplicate of a header field key", ruleFieldKeyUnique, func(p *Pass, _ *Assets) {
			p.StoreCard.BackFields = []Field{{Key: "points", Value: Int(1)}}
			p.StoreCard.HeaderFields = []Field{{Key: "points", Value: Int(1)}}
		}, "storeCard.backFields[0].key", SeverityWarning, nothing},
		{"duplicate key across posterGeneric", ruleFieldKeyUnique, func(p *Pass, _ *Assets) {
			p.PosterGeneric = &PassFields{PrimaryFields: []Field{{Key: "balance", Value: Int(1)}}}
		}, "posterGeneric.primaryFields[0].key", SeverityError, nothing},
		{"field without value", ruleFieldValue, func(p *Pass, _ *Assets) { p.StoreCard.PrimaryFields[0].Value = Value{} }, "storeCard.primaryFields[0].value", SeverityError,
			func(p *Pass, _ *Assets) { p.StoreCard.PrimaryFields[0].Value = String("") }},
		{"two primary fields on a store card", ruleFieldCount, func(p *Pass, _ *Assets) {
			p.StoreCard.PrimaryFields = append(p.StoreCard.PrimaryFields, Field{Key: "b", Value: Int(2)})
		}, "storeCard.primaryFields", SeverityWarning, func(p *Pass, _ *Assets) {
			boardingPass(p)
			p.BoardingPass.PrimaryFields = append(p.BoardingPass.PrimaryFields, Field{Key: "b", Value: Int(2)})
		}},
		{"five secondary and auxiliary fields on a store card", ruleFieldCount, func(p *Pass, _ *Assets) {
			p.StoreCard.SecondaryFields = []Field{{Key: "s1", Value: Int(1)}, {Key: "s2", Value: Int(1)}, {Key: "s3", Value: Int(1)}}
			p.StoreCard.AuxiliaryFields = []Field{{Key: "a1", Value: Int(1)}, {Key: "a2", Value: Int(1)}}
		}, "storeCard.auxiliaryFields", SeverityWarning, func(p *Pass, _ *Assets) {
			p.StoreCard.SecondaryFields = []Field{{Key: "s1", Value: Int(1)}, {Key: "s2", Value: Int(1)}}
			p.StoreCard.AuxiliaryFields = []Field{{Key: "a1", Value: Int(1)}, {Key: "a2", Value: Int(1)}}
		}},
		{"five auxiliary fields in one row of an event ticket", ruleFieldCount, func(p *Pass, _ *Assets) {
			eventTicket(p)
			for _, k := range []string{"a", "b", "c", "d", "e"} {
				p.EventTicket.AuxiliaryFields = append(p.EventTicket.AuxiliaryFields, Field{Key: k, Value: Int(1)})
			}
		}, "eventTicket.auxiliaryFields", SeverityWarning, func(p *Pass, _ *Assets) {
			eventTicket(p)
			for i, k := range []string{"a", "b", "c", "d", "e"} {
				p.EventTicket.AuxiliaryFields = append(p.EventTicket.AuxiliaryFields, Field{Key: k, Value: Int(1), Row: valInt(i % 2)})
			}
		}},
		{"footer fields outside posterGeneric", ruleFieldCount, func(p *Pass, _ *Assets) {
			p.StoreCard.FooterFields = []Field{{Key: "f", Value: Int(1)}}
		}, "storeCard.footerFields", SeverityWarning, func(p *Pass, _ *Assets) {
			p.PosterGeneric = &PassFields{FooterFields: []Field{{Key: "f", Value: Int(1)}, {Key: "g", Value: Int(1)}}}
		}},
		{"change message without placeholder", ruleChangeMessage, func(p *Pass, _ *Assets) { p.StoreCard.PrimaryFields[0].ChangeMessage = "Balance changed" }, "storeCard.primaryFields[0].changeMessage", SeverityError,
			func(p *Pass, _ *Assets) {
				p.StoreCard.PrimaryFields[0].ChangeMessage = "Balance is now %@ (100%% sure)"
			}},
		{"change message with another format code", ruleChangeMessage, func(p *Pass, _ *Assets) { p.StoreCard.PrimaryFields[0].ChangeMessage = "%@ points, %d left" }, "storeCard.primaryFields[0].changeMessage", SeverityError, nothing},
		{"change message with two placeholders", ruleChangeMessage, func(p *Pass, _ *Assets) { p.StoreCard.PrimaryFields[0].ChangeMessage = "%@ then %@" }, "storeCard.primaryFields[0].changeMessage", SeverityError, nothing},
		{"date style on a non-date back field", ruleFieldDate, func(p *Pass, _ *Assets) {
			p.StoreCard.BackFields = []Field{{Key: "d", Value: String("next Tuesday"), DateStyle: DateStyleShort}}
		}, "storeCard.backFields[0].value", SeverityWarning, func(p *Pass, _ *Assets) {
			p.StoreCard.BackFields = []Field{{Key: "d", Value: String("2026-05-07T10:30:00-05:00"), DateStyle: DateStyleShort, TimeStyle: "WLDateStyleNone"}}
		}},
		{"date without zone in a header field", ruleFieldDate, func(p *Pass, _ *Assets) {
			p.StoreCard.HeaderFields = []Field{{Key: "d", Value: String("2026-05-07T10:30"), IsRelative: true}}
		}, "storeCard.headerFields[0].value", SeverityError, nothing},
		{"unknown date style", ruleFieldDate, func(p *Pass, _ *Assets) {
			p.StoreCard.BackFields = []Field{{Key: "d", Value: String("2026-05-07T10:30Z"), DateStyle: "PKDateStyleHuge"}}
		}, "storeCard.backFields[0].dateStyle", SeverityWarning, nothing},
		{"number style on a string", ruleFieldNumber, func(p *Pass, _ *Assets) {
			p.StoreCard.BackFields = []Field{{Key: "n", Value: String("12"), NumberStyle: NumberStyleDecimal}}
		}, "storeCard.backFields[0].value", SeverityWarning, func(p *Pass, _ *Assets) {
			p.StoreCard.BackFields = []Field{{Key: "n", Value: Int(12), NumberStyle: NumberStyleSpellOut}}
		}},
		{"currency on a string in primary fields", ruleFieldNumber, func(p *Pass, _ *Assets) { p.StoreCard.PrimaryFields[0].Value = String("12.50") }, "storeCard.primaryFields[0].value", SeverityError, nothing},
		{"date and number formatters", ruleFieldFormatterMix, func(p *Pass, _ *Assets) {
			p.StoreCard.BackFields = []Field{{Key: "m", Value: Int(1), DateStyle: DateStyleShort, NumberStyle: NumberStyleDecimal}}
		}, "storeCard.backFields[0]", SeverityWarning, nothing},
		{"currency and number style", ruleCurrencyNumberStyle, func(p *Pass, _ *Assets) {
			p.StoreCard.BackFields = []Field{{Key: "c", Value: Int(1), CurrencyCode: "EUR", NumberStyle: NumberStyleDecimal}}
		}, "storeCard.backFields[0].numberStyle", SeverityWarning, nothing},
		{"currency code lower case", ruleCurrencyCode, func(p *Pass, _ *Assets) {
			p.StoreCard.BackFields = []Field{{Key: "c", Value: Int(1), CurrencyCode: "eur"}}
		}, "storeCard.backFields[0].currencyCode", SeverityWarning, nothing},
		{"text alignment on a primary field", ruleTextAlignment, func(p *Pass, _ *Assets) { p.StoreCard.PrimaryFields[0].TextAlignment = TextAlignmentCenter }, "storeCard.primaryFields[0].textAlignment", SeverityError,
			func(p *Pass, _ *Assets) {
				p.StoreCard.SecondaryFields = []Field{{Key: "s", Value: Int(1), TextAlignment: TextAlignmentRight}}
			}},
		{"text alignment on a back field", ruleTextAlignment, func(p *Pass, _ *Assets) {
			p.StoreCard.BackFields = []Field{{Key: "b", Value: Int(1), TextAlignment: TextAlignmentLeft}}
		}, "storeCard.backFields[0].textAlignment", SeverityWarning, nothing},
		{"unknown text alignment", ruleTextAlignment, func(p *Pass, _ *Assets) {
			p.StoreCard.SecondaryFields = []Field{{Key: "s", Value: Int(1), TextAlignment: "PKTextAlignmentJustified"}}
		}, "storeCard.secondaryFields[0].textAlignment", SeverityWarning, nothing},
		{"row on a secondary field", ruleFieldRow, func(p *Pass, _ *Assets) {
			eventTicket(p)
			p.EventTicket.SecondaryFields = []Field{{Key: "s", Value: Int(1), Row: valInt(0)}}
		}, "eventTicket.secondaryFields[0].row", SeverityWarning, func(p *Pass, _ *Assets) {
			eventTicket(p)
			p.EventTicket.AuxiliaryFields = []Field{{Key: "s", Value: Int(1), Row: valInt(1)}}
		}},
		{"row 2 on an auxiliary field", ruleFieldRow, func(p *Pass, _ *Assets) {
			eventTicket(p)
			p.EventTicket.AuxiliaryFields = []Field{{Key: "s", Value: Int(1), Row: valInt(2)}}
		}, "eventTicket.auxiliaryFields[0].row", SeverityError, nothing},
		{"data detectors on a primary field", ruleDataDetectors, func(p *Pass, _ *Assets) {
			p.StoreCard.PrimaryFields[0].DataDetectorTypes = []DataDetectorType{DataDetectorTypeLink}
		}, "storeCard.primaryFields[0].dataDetectorTypes", SeverityWarning, func(p *Pass, _ *Assets) {
			p.StoreCard.BackFields = []Field{{Key: "b", Value: String("x"), DataDetectorTypes: []DataDetectorType{}}}
		}},
		{"unknown data detector", ruleDataDetectors, func(p *Pass, _ *Assets) {
			p.StoreCard.BackFields = []Field{{Key: "b", Value: String("x"), DataDetectorTypes: []DataDetectorType{"PKDataDetectorTypeEmail"}}}
		}, "storeCard.backFields[0].dataDetectorTypes[0]", SeverityWarning, nothing},
		{"bold attributed value", ruleAttributedValue, func(p *Pass, _ *Assets) {
			p.StoreCard.BackFields = []Field{{Key: "b", Value: String("x"), AttributedValue: String("<b>x</b>")}}
		}, "storeCard.backFields[0].attributedValue", SeverityWarning, func(p *Pass, _ *Assets) {
			p.StoreCard.BackFields = []Field{{Key: "b", Value: String("x"), AttributedValue: String("<a href='https://example.com'>x</a>")}}
		}},
		{"unknown barcode format", ruleBarcodeFormat, func(p *Pass, _ *Assets) { p.Barcodes[0].Format = "PKBarcodeFormatDataMatrix" }, "barcodes[0].format", SeverityWarning,
			func(p *Pass, _ *Assets) { p.Barcodes[0].Format = BarcodeFormatAztec }},
		{"unknown legacy barcode format", ruleBarcodeFormat, func(p *Pass, _ *Assets) {
			p.Barcode = &Barcode{Format: "QR", Message: "1", MessageEncoding: "iso-8859-1"}
		}, "barcode.format", SeverityError, func(p *Pass, _ *Assets) {
			p.Barcode = &Barcode{Format: BarcodeFormatPDF417, Message: "1", MessageEncoding: "iso-8859-1"}
		}},
		{"iOS 27 format in the legacy barcode", ruleBarcodeFormat, func(p *Pass, _ *Assets) {
			p.Barcode = &Barcode{Format: BarcodeFormatEAN13, Message: "400638133393", MessageEncoding: "iso-8859-1"}
		}, "barcode.format", SeverityError, nothing},
		{"unknown encoding", ruleBarcodeEncoding, func(p *Pass, _ *Assets) { p.Barcodes[0].MessageEncoding = "klingon" }, "barcodes[0].messageEncoding", SeverityWarning,
			func(p *Pass, _ *Assets) { p.Barcodes[0].MessageEncoding = "UTF-8" }},
		{"message not encodable", ruleBarcodeEncoding, func(p *Pass, _ *Assets) {
			p.Barcodes[0].Message, p.Barcodes[0].MessageEncoding = "café", "us-ascii"
		}, "barcodes[0].message", SeverityWarning, func(p *Pass, _ *Assets) {
			p.Barcodes[0].Message, p.Barcodes[0].MessageEncoding = "café", "iso-8859-1"
		}},
		{"legacy message not encodable", ruleBarcodeEncoding, func(p *Pass, _ *Assets) {
			p.Barcode = &Barcode{Format: BarcodeFormatQR, Message: "日本", MessageEncoding: "iso-8859-1"}
		}, "barcode.message", SeverityError, nothing},
		{"EAN-13 with bad check digit", ruleBarcodeMessage, func(p *Pass, _ *Assets) {
			p.Barcodes = append([]Barcode{{Format: BarcodeFormatEAN13, Message: "4006381333932", MessageEncoding: "iso-8859-1"}}, p.Barcodes...)
		}, "barcodes[0].message", SeverityWarning, func(p *Pass, _ *Assets) {
			p.Barcodes = append([]Barcode{{Format: BarcodeFormatEAN13, Message: "4006381333931", MessageEncoding: "iso-8859-1"}}, p.Barcodes...)
		}},
		{"QR message too long", ruleBarcodeMessage, func(p *Pass, _ *Assets) { p.Barcodes[0].Message = strings.Repeat("é", 3000) }, "barcodes[0].message", SeverityWarning, nothing},
		{"iOS 27 format without fallback", ruleBarcodeFallback, func(p *Pass, _ *Assets) {
			p.Barcodes = []Barcode{{Format: BarcodeFormatCode39, Message: "ABC-123", MessageEncoding: "iso-8859-1"}}
		}, "barcodes[0].format", SeverityWarning, func(p *Pass, _ *Assets) {
			p.Barcodes = append([]Barcode{{Format: BarcodeFormatCode39, Message: "ABC-123", MessageEncoding: "iso-8859-1"}}, p.Barcodes...)
		}},
		{"fallback before the iOS 27 format", ruleBarcodeFallback, func(p *Pass, _ *Assets) {
			p.Barcodes = append(p.Barcodes, Barcode{Format: BarcodeFormatI2of5, Message: "1234", MessageEncoding: "iso-8859-1"})
		}, "barcodes[1].format", SeverityWarning, nothing},
		{"legacy Code128 alone", ruleBarcodeWatch, func(p *Pass, _ *Assets) {
			p.Barcodes = nil
			p.Barcode = &Barcode{Format: BarcodeFormatCode128, Message: "0001", MessageEncoding: "iso-8859-1"}
		}, "barcode.format", SeverityWarning, func(p *Pass, _ *Assets) {
			p.Barcode = &Barcode{Format: BarcodeFormatCode128, Message: "0001", MessageEncoding: "iso-8859-1"}
		}},
		{"only Code128 in barcodes", ruleBarcodeWatch, func(p *Pass, _ *Assets) { p.Barcodes[0].Format = BarcodeFormatCode128 }, "barcodes", SeverityWarning,
			func(p *Pass, _ *Assets) {
				p.Barcodes = append([]Barcode{{Format: BarcodeFormatCode128, Message: "1", MessageEncoding: "iso-8859-1"}}, p.Barcodes...)
			}},
		{"NFC message missing", ruleNFCMessage, func(p *Pass, _ *Assets) { p.NFC = &NFC{EncryptionPublicKey: p256} }, "nfc.message", SeverityError,
			func(p *Pass, _ *Assets) { p.NFC = &NFC{Message: strings.Repeat("x", 64), EncryptionPublicKey: p256} }},
		{"NFC message too long", ruleNFCMessage, func(p *Pass, _ *Assets) { p.NFC = &NFC{Message: strings.Repeat("x", 65), EncryptionPublicKey: p256} }, "nfc.message", SeverityWarning, nothing},
		{"NFC key not base64", ruleNFCPublicKey, func(p *Pass, _ *Assets) { p.NFC = &NFC{Message: "m", EncryptionPublicKey: "not base64!"} }, "nfc.encryptionPublicKey", SeverityError,
			func(p *Pass, _ *Assets) {
				p.NFC = &NFC{Message: "m", EncryptionPublicKey: base64.StdEncoding.EncodeToString(ecdhDER)}
			}},
		{"NFC key on P-384", ruleNFCPublicKey, func(p *Pass, _ *Assets) { p.NFC = &NFC{Message: "m", EncryptionPublicKey: p384} }, "nfc.encryptionPublicKey", SeverityError, nothing},
		{"NFC key not SPKI", ruleNFCPublicKey, func(p *Pass, _ *Assets) {
			p.NFC = &NFC{Message: "m", EncryptionPublicKey: base64.StdEncoding.EncodeToString([]byte("hello"))}
		}, "nfc.encryptionPublicKey", SeverityError, nothing},
		{"NFC key missing", ruleNFCPublicKey, func(p *Pass, _ *Assets) { p.NFC = &NFC{Message: "m"} }, "nfc.encryptionPublicKey", SeverityWarning, nothing},
		{"balance without currency", ruleSemanticAmount, func(p *Pass, _ *Assets) {
			p.Semantics = &Semantics{Balance: &CurrencyAmount{Amount: "12.50"}}
		}, "semantics.balance.currencyCode", SeverityError, func(p *Pass, _ *Assets) {
			p.Semantics = &Semantics{Balance: &CurrencyAmount{Amount: "12.50", CurrencyCode: "USD"}, TotalPrice: &CurrencyAmount{Amount: "-3", CurrencyCode: "EUR"}}
		}},
		{"total price amount not decimal", ruleSemanticAmount, func(p *Pass, _ *Assets) {
			p.StoreCard.PrimaryFields[0].Semantics = &Semantics{TotalPrice: &CurrencyAmount{Amount: "12,50", CurrencyCode: "EUR"}}
		}, "storeCard.primaryFields[0].semantics.totalPrice.amount", SeverityError, nothing},
		{"unknown time zone", ruleSemanticTimeZone, func(p *Pass, _ *Assets) {
			p.Semantics = &Semantics{DepartureLocationTimeZone: "not a zone"}
		}, "semantics.departureLocationTimeZone", SeverityError, func(p *Pass, _ *Assets) {
			p.Semantics = &Semantics{DepartureLocationTimeZone: "America/Chicago", EventStartDateInfo: &EventDateInfo{TimeZone: "Europe/Paris"}}
		}},
		{"event date info time zone", ruleSemanticTimeZone, func(p *Pass, _ *Assets) {
			p.Semantics = &Semantics{EventStartDateInfo: &EventDateInfo{TimeZone: "Local"}}
		}, "semantics.eventStartDateInfo.timeZone", SeverityError, nothing},
		{"unknown event type", ruleSemanticValue, func(p *Pass, _ *Assets) { p.Semantics = &Semantics{EventType: "PKEventTypeParty"} }, "semantics.eventType", SeverityWarning,
			func(p *Pass, _ *Assets) { p.Semantics = &Semantics{EventType: EventTypeSocialGathering} }},
		{"wifi without password", ruleSemanticValue, func(p *Pass, _ *Assets) {
			p.Semantics = &Semantics{WifiAccess: []WifiNetwork{{SSID: "Cafe"}}}
		}, "semantics.wifiAccess[0].password", SeverityError, nothing},
		{"unknown security program", ruleSemanticValue, func(p *Pass, _ *Assets) {
			p.Semantics = &Semantics{PassengerEligibleSecurityPrograms: []SecurityProgram{"PKTransitSecurityProgramFastTrack"}}
		}, "semantics.passengerEligibleSecurityPrograms[0]", SeverityWarning, nothing},
		{"venue latitude", ruleSemanticValue, func(p *Pass, _ *Assets) {
			p.Semantics = &Semantics{VenueLocation: &SemanticLocation{Latitude: 100}}
		}, "semantics.venueLocation.latitude", SeverityError, nothing},
		{"poster event ticket without NFC", rulePosterEventTicket, func(p *Pass, a *Assets) {
			posterTicket(t, p, a, p256)
			p.NFC = nil
		}, "nfc", SeverityWarning, func(p *Pass, a *Assets) { posterTicket(t, p, a, p256) }},
		{"poster event ticket without venue room", rulePosterEventTicket, func(p *Pass, a *Assets) {
			posterTicket(t, p, a, p256)
			p.Semantics.VenueRoom = ""
		}, "semantics.venueRoom", SeverityWarning, nothing},
		{"poster sports ticket without team abbreviations", rulePosterEventTicket, func(p *Pass, a *Assets) {
			posterTicket(t, p, a, p256)
			p.Semantics.EventType = EventTypeSports
		}, "semantics.homeTeamAbbreviation", SeverityWarning, nothing},
		{"poster event ticket without artwork", rulePosterEventTicket, func(p *Pass, a *Assets) {
			posterTicket(t, p, a, p256)
			a.Delete("background@2x.png")
		}, "background.png", SeverityWarning, nothing},
		{"poster-only key on a store card", rulePosterEventTicket, func(p *Pass, _ *Assets) { p.FooterBackgroundColor = RGB(0, 0, 0) }, "footerBackgroundColor", SeverityWarning,
			func(p *Pass, a *Assets) {
				posterTicket(t, p, a, p256)
				p.FooterBackgroundColor, p.UseAutomaticColors, p.EventLogoText = RGB(0, 0, 0), true, "Live"
			}},
		{"semantic boarding pass without airline code", ruleSemanticBoardingPass, func(p *Pass, _ *Assets) {
			semanticBoarding(p)
			p.Semantics.AirlineCode = ""
		}, "semantics.airlineCode", SeverityWarning, func(p *Pass, _ *Assets) { semanticBoarding(p) }},
		{"semantic boarding pass by train", ruleSemanticBoardingPass, func(p *Pass, _ *Assets) {
			semanticBoarding(p)
			p.BoardingPass.TransitType = TransitTypeTrain
		}, "boardingPass.transitType", SeverityWarning, nothing},
		{"upcoming entry type", ruleUpcoming, func(p *Pass, _ *Assets) {
			p.UpcomingPassInformation = []UpcomingPassInformationEntry{{Identifier: "e1", Name: "Day 1", Type: "concert"}}
		}, "upcomingPassInformation[0].type", SeverityError, func(p *Pass, a *Assets) {
			valSet(t, a, "venueMap.png", valPNG(t, 10, 10))
			p.UpcomingPassInformation = []UpcomingPassInformationEntry{{
				Identifier: "e1", Name: "Day 1", Type: "event",
				DateInformation: &UpcomingDateInformation{Date: valDate("2026-05-07T19:00-05:00"), TimeZone: "CST"},
				BackFields:      []Field{{Key: "gate", Label: "Gate", Value: String("A")}},
				Images: &UpcomingImages{
					HeaderImage: &UpcomingImage{URLs: []ImageURLEntry{{URL: "https://example.com/h.png", SHA256: strings.Repeat("ab", 32), Scale: 2, Size: 1000}}},
					VenueMap:    &UpcomingImage{ReuseExisting: true},
				},
			}, {Identifier: "e2", Name: "Day 2", Type: "event"}}
		}},
		{"upcoming duplicate identifier", ruleUpcoming, func(p *Pass, _ *Assets) {
			p.UpcomingPassInformation = []UpcomingPassInformationEntry{{Identifier: "e1", Name: "A", Type: "event"}, {Identifier: "e1", Name: "B", Type: "event"}}
		}, "upcomingPassInformation[1].identifier", SeverityError, nothing},
		{"upcoming field without label", ruleUpcoming, func(p *Pass, _ *Assets) {
			p.UpcomingPassInformation = []UpcomingPassInformationEntry{{Identifier: "e1", Name: "A", Type: "event",
				AdditionalInfoFields: []Field{{Key: "k", Value: String("v")}}}}
		}, "upcomingPassInformation[0].additionalInfoFields[0].label", SeverityError, nothing},
		{"upcoming duplicate field key", ruleFieldKeyUnique, func(p *Pass, _ *Assets) {
			p.UpcomingPassInformation = []UpcomingPassInformationEntry{{Identifier: "e1", Name: "A", Type: "event",
				AdditionalInfoFields: []Field{{Key: "k", Label: "K", Value: String("v")}},
				BackFields:           []Field{{Key: "k", Label: "K", Value: String("v")}}}}
		}, "upcomingPassInformation[0].backFields[0].key", SeverityWarning, func(p *Pass, _ *Assets) {
			p.UpcomingPassInformation = []UpcomingPassInformationEntry{
				{Identifier: "e1", Name: "A", Type: "event", BackFields: []Field{{Key: "k", Label: "K", Value: String("v")}}},
				{Identifier: "e2", Name: "B", Type: "event", BackFields: []Field{{Key: "k", Label: "K", Value: String("v")}}}}
		}},
		{"upcoming header image reused", ruleUpcoming, func(p *Pass, _ *Assets) {
			p.UpcomingPassInformation = []UpcomingPassInformationEntry{{Identifier: "e1", Name: "A", Type: "event",
				Images: &UpcomingImages{HeaderImage: &UpcomingImage{ReuseExisting: true}}}}
		}, "upcomingPassInformation[0].images.headerImage.reuseExisting", SeverityError, nothing},
		{"upcoming venue map reused without venueMap.png", ruleUpcoming, func(p *Pass, _ *Assets) {
			p.UpcomingPassInformation = []UpcomingPassInformationEntry{{Identifier: "e1", Name: "A", Type: "event",
				Images: &UpcomingImages{VenueMap: &UpcomingImage{ReuseExisting: true}}}}
		}, "upcomingPassInformation[0].images.venueMap.reuseExisting", SeverityError, nothing},
		{"upcoming image over http", ruleUpcoming, func(p *Pass, _ *Assets) {
			p.UpcomingPassInformation = []UpcomingPassInformationEntry{{Identifier: "e1", Name: "A", Type: "event",
				Images: &UpcomingImages{HeaderImage: &UpcomingImage{URLs: []ImageURLEntry{{URL: "http://example.com/h.png", SHA256: strings.Repeat("ab", 32)}}}}}}
		}, "upcomingPassInformation[0].images.headerImage.URLs[0].URL", SeverityError, nothing},
		{"upcoming image too big", ruleUpcoming, func(p *Pass, _ *Assets) {
			p.UpcomingPassInformation = []UpcomingPassInformationEntry{{Identifier: "e1", Name: "A", Type: "event",
				Images: &UpcomingImages{HeaderImage: &UpcomingImage{URLs: []ImageURLEntry{{URL: "https://example.com/h.png", SHA256: strings.Repeat("ab", 32), Size: 3 << 20}}}}}}
		}, "upcomingPassInformation[0].images.headerImage.URLs[0].size", SeverityError, nothing},
		{"no icon", ruleIcon, func(_ *Pass, a *Assets) { a.Delete("icon.png"); a.Delete("icon@2x.png") }, "icon.png", SeverityError,
			func(_ *Pass, a *Assets) {
				a.Delete("icon.png")
				a.Delete("icon@2x.png")
				valSet(t, a, "icon@3x.png", valPNG(t, 87, 87))
			}},
		{"thumbnail on a store card", ruleImageRole, func(_ *Pass, a *Assets) { valSet(t, a, "thumbnail@2x.png", valPNG(t, 180, 180)) }, "thumbnail@2x.png", SeverityWarning,
			func(_ *Pass, a *Assets) { valSet(t, a, "strip@2x.png", valPNG(t, 750, 288)) }},
		{"strip and background on an event ticket", ruleImageRole, func(p *Pass, a *Assets) {
			eventTicket(p)
			valSet(t, a, "strip.png", valPNG(t, 375, 98))
			valSet(t, a, "background.png", valPNG(t, 180, 220))
		}, "background.png", SeverityWarning, func(p *Pass, a *Assets) {
			eventTicket(p)
			valSet(t, a, "background.png", valPNG(t, 180, 220))
			valSet(t, a, "thumbnail.png", valPNG(t, 60, 90))
		}},
		{"personalization logo without personalization", ruleImageRole, func(_ *Pass, a *Assets) {
			valSet(t, a, "personalizationLogo.png", valPNG(t, 150, 40))
		}, "personalizationLogo.png", SeverityWarning, nothing},
		{"strip not a PNG", ruleImagePNG, func(_ *Pass, a *Assets) { valSet(t, a, "strip.png", []byte("GIF89a....")) }, "strip.png", SeverityWarning,
			func(_ *Pass, a *Assets) { valSet(t, a, "strip.png", valPNG(t, 375, 144)) }},
		{"icon not a PNG", ruleImagePNG, func(_ *Pass, a *Assets) { valSet(t, a, "icon.png", []byte("\xff\xd8\xff\xe0 JFIF")) }, "icon.png", SeverityError, nothing},
		{"truncated PNG", ruleImagePNG, func(_ *Pass, a *Assets) { valSet(t, a, "logo.png", pngSignature) }, "logo.png", SeverityWarning, nothing},
		{"strip too tall", ruleImageSize, func(_ *Pass, a *Assets) { valSet(t, a, "strip.png", valPNG(t, 375, 200)) }, "strip.png", SeverityWarning,
			func(_ *Pass, a *Assets) {
				valSet(t, a, "strip.png", valPNG(t, 375, 144))
				valSet(t, a, "strip@3x.png", valPNG(t, 1125, 432))
			}},
		{"icon not square", ruleImageSize, func(_ *Pass, a *Assets) { valSet(t, a, "icon@2x.png", valPNG(t, 58, 60)) }, "icon@2x.png", SeverityWarning, nothing},
		{"scale variants disagree", ruleImageSize, func(_ *Pass, a *Assets) {
			valSet(t, a, "logo.png", valPNG(t, 100, 40))
			valSet(t, a, "logo@2x.png", valPNG(t, 160, 40))
		}, "logo@2x.png", SeverityWarning, nothing},
		{"thumbnail aspect ratio", ruleImageSize, func(p *Pass, a *Assets) {
			eventTicket(p)
			valSet(t, a, "thumbnail.png", valPNG(t, 90, 30))
		}, "thumbnail.png", SeverityWarning, nothing},
		{"localization missing a scale", ruleImageLocalized, func(_ *Pass, a *Assets) {
			valSet(t, a, "de.lproj/logo.png", valPNG(t, 100, 40))
			valSet(t, a, "de.lproj/logo@2x.png", valPNG(t, 200, 80))
			valSet(t, a, "fr.lproj/logo.png", valPNG(t, 100, 40))
		}, "fr.lproj/logo@2x.png", SeverityWarning, func(_ *Pass, a *Assets) {
			valSet(t, a, "de.lproj/logo.png", valPNG(t, 100, 40))
			valSet(t, a, "fr.lproj/logo.png", valPNG(t, 100, 40))
		}},
		{"localization missing an image", ruleImageLocalized, func(_ *Pass, a *Assets) {
			valSet(t, a, "de.lproj/logo.png", valPNG(t, 100, 40))
			valSet(t, a, "fr.lproj/pass.strings", Strings{"a": "b"}.Encode())
		}, "fr.lproj/logo.png", SeverityWarning, nothing},
		{"image top level and localized", ruleImageLocalized, func(_ *Pass, a *Assets) {
			valSet(t, a, "logo.png", valPNG(t, 100, 40))
			valSet(t, a, "de.lproj/logo.png", valPNG(t, 100, 40))
		}, "de.lproj/logo.png", SeverityWarning, nothing},
		{"stray file", ruleUnknownFile, func(_ *Pass, a *Assets) { valSet(t, a, "notes.txt", []byte("hi")) }, "notes.txt", SeverityWarning,
			func(_ *Pass, a *Assets) { valSet(t, a, "en.lproj/pass.strings", Strings{"a": "b"}.Encode()) }},
		{"nested folder", ruleUnknownFile, func(_ *Pass, a *Assets) { valSet(t, a, "images/logo.png", valPNG(t, 10, 10)) }, "images/logo.png", SeverityWarning, nothing},
		{"top-level pass.strings", ruleUnknownFile, func(_ *Pass, a *Assets) { valSet(t, a, "pass.strings", Strings{"a": "b"}.Encode()) }, "pass.strings", SeverityWarning, nothing},
		{"strings keys differ", ruleStrings, func(_ *Pass, a *Assets) {
			valSet(t, a, "en.lproj/pass.strings", Strings{"balance": "Balance", "terms": "Terms"}.Encode())
			valSet(t, a, "fr.lproj/pass.strings", Strings{"balance": "Solde"}.Encode())
		}, "fr.lproj/pass.strings", SeverityWarning, func(_ *Pass, a *Assets) {
			valSet(t, a, "en.lproj/pass.strings", Strings{"balance": "Balance", "terms": "Terms"}.Encode())
			valSet(t, a, "fr.lproj/pass.strings", Strings{"balance": "Solde", "terms": "Conditions"}.Encode())
		}},
		{"strings do not parse", ruleStrings, func(_ *Pass, a *Assets) {
			valSet(t, a, "en.lproj/pass.strings", []byte(`"balance" = "Balance"`+"\n"+`"terms" "Terms";`))
		}, "en.lproj/pass.strings", SeverityWarning, nothing},
		{"localization without strings", ruleStrings, func(p *Pass, a *Assets) {
			p.StoreCard.PrimaryFields[0].Label = "balance"
			valSet(t, a, "en.lproj/pass.strings", Strings{"balance": "Balance"}.Encode())
			valSet(t, a, "de.lproj/logo.png", valPNG(t, 100, 40))
		}, "de.lproj/pass.strings", SeverityWarning, nothing},
		{"personalization without fields", rulePersonalization, func(p *Pass, a *Assets) {
			personalizable(t, p, a, p256)
			require.NoError(t, a.SetPersonalization(&Personalization{Description: "Join"}))
		}, "personalization.json:requiredPersonalizationFields", SeverityError, func(p *Pass, a *Assets) { personalizable(t, p, a, p256) }},
		{"personalization field unknown", rulePersonalization, func(p *Pass, a *Assets) {
			personalizable(t, p, a, p256)
			require.NoError(t, a.SetPersonalization(&Personalization{Description: "Join", RequiredPersonalizationFields: []PersonalizationField{"PKPassPersonalizationFieldShoeSize"}}))
		}, "personalization.json:requiredPersonalizationFields[0]", SeverityError, nothing},
		{"personalization without NFC", rulePersonalization, func(p *Pass, a *Assets) {
			personalizable(t, p, a, p256)
			p.NFC = nil
		}, "personalization.json", SeverityWarning, nothing},
		{"personalization without logo", rulePersonalization, func(p *Pass, a *Assets) {
			personalizable(t, p, a, p256)
			a.Delete("personalizationLogo@2x.png")
		}, "personalizationLogo.png", SeverityWarning, nothing},
		{"personalization does not parse", rulePersonalization, func(p *Pass, a *Assets) {
			personalizable(t, p, a, p256)
			valSet(t, a, PersonalizationName, []byte(`{"description": [`))
		}, "personalization.json", SeverityError, nothing},
	}
}

// posterTicket turns the pass into a complete poster event ticket.
func posterTicket(tb testing.TB, p *Pass, a *Assets, key string) {
	eventTicket(p)
	p.PreferredStyleSchemes = []StyleScheme{StyleSchemePosterEventTicket, StyleSchemeEventTicket}
	p.NFC = &NFC{Message: "ticket-1", EncryptionPublicKey: key, RequiresAuthentication: true}
	p.Barcodes = nil
	p.Semantics = &Semantics{EventName: "Concert", VenueName: "Hall", VenueRegionName: "Paris", VenueRoom: "Main"}
	valSet(tb, a, "background@2x.png", valPNG(tb, 690, 1010))
	valSet(tb, a, "primaryLogo@2x.png", valPNG(tb, 252, 60))
}

// semanticBoarding turns the pass into a complete semantic boarding pass.
func semanticBoarding(p *Pass) {
	boardingPass(p)
	p.PreferredStyleSchemes = []StyleScheme{StyleSchemeSemanticBoardingPass, StyleSchemeBoardingPass}
	flight := int64(123)
	p.Semantics = &Semantics{
		AirlineCode: "XA", FlightNumber: &flight,
		DepartureAirportCode: "CDG", DepartureCityName: "Paris", DepartureLocationTimeZone: "Europe/Paris",
		DestinationAirportCode: "JFK", DestinationCityName: "New York", DestinationLocationTimeZone: "America/New_York",
		OriginalDepartureDate: valDate("2026-05-07T10:00+02:00"), OriginalBoardingDate: valDate("2026-05-07T09:30+02:00"),
		OriginalArrivalDate: valDate("2026-05-07T12:30-04:00"), PassengerName: &PersonNameComponents{GivenName: "Ada", FamilyName: "Lovelace"},
	}
}

// personalizable turns the pass into a complete personalizable store card.
func personalizable(tb testing.TB, p *Pass, a *Assets, key string) {
	p.NFC = &NFC{Message: "member", EncryptionPublicKey: key}
	p.WebServiceURL, p.AuthenticationToken = "https://example.com/passes", "0123456789abcdef"
	require.NoError(tb, a.SetPersonalization(&Personalization{
		Description:                   "Join our rewards program",
		RequiredPersonalizationFields: []PersonalizationField{PersonalizationFieldName, PersonalizationFieldEmailAddress},
	}))
	valSet(tb, a, "personalizationLogo@2x.png", valPNG(tb, 300, 80))
}

func problemsOf(t *testing.T, err error) []Problem {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *ValidationError
	require.True(t, errors.As(err, &ve), "Validate returned %T, not *ValidationError", err)
	require.NotEmpty(t, ve.Problems, "a ValidationError has problems")
	return ve.Problems
}

func TestValidateRules(t *testing.T) {
	for _, tc := range ruleCases(t) {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			_, known := RuleByID(tc.rule)
			require.True(t, known, "rule %q is not in Rules", tc.rule)

			p, a := validStoreCard(), valAssets(t)
			tc.fail(p, a)
			problems := problemsOf(t, p.Validate(a))
			found := false
			for _, pr := range problems {
				if pr.Rule == tc.rule && pr.Path == tc.path {
					found = true
					assert.Equal(t, tc.sev, pr.Severity, "severity of %s", pr)
					assert.NotEmpty(t, pr.Message)
					assert.NotContains(t, pr.Message, tc.path+":", "the message repeats the path")
				}
			}
			assert.True(t, found, "no %s problem at %q; got:\n%s", tc.rule, tc.path, problemList(problems))

			p, a = validStoreCard(), valAssets(t)
			tc.pass(p, a)
			for _, pr := range problemsOf(t, p.Validate(a)) {
				assert.NotEqual(t, tc.rule, pr.Rule, "passing variant reported %s", pr)
			}
		})
	}
}

func problemList(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("\t" + p.String() + "\n")
	}
	return b.String()
}

// TestEveryRuleIsTested makes sure each entry of Rules has a failing case in TestValidateRules.
func TestEveryRuleIsTested(t *testing.T) {
	tested := map[string]bool{}
	for _, tc := range ruleCases(t) {
		tested[tc.rule] = true
	}
	ids := map[string]bool{}
	for _, r := range Rules() {
		assert.False(t, ids[r.ID], "rule %q listed twice", r.ID)
		ids[r.ID] = true
		assert.True(t, tested[r.ID], "rule %q has no test case", r.ID)
		assert.NotEmpty(t, r.Description, r.ID)
		assert.NotEmpty(t, r.Hint, r.ID)
		assert.Regexp(t, `^[a-z0-9]+(-[a-z0-9]+)*$`, r.ID)
	}
}

func TestValidateNilAssetsSkipsFiles(t *testing.T) {
	p := validStoreCard()
	require.NoError(t, p.Validate(nil))
	err := p.Validate(&Assets{})
	problems := problemsOf(t, err)
	require.Len(t, problems, 1)
	assert.Equal(t, Problem{Path: "icon.png", Message: problems[0].Message, Rule: ruleIcon, Severity: SeverityError}, problems[0])
}

func TestValidateCompletePasses(t *testing.T) {
	key := spki(t, elliptic.P256())
	for name, build := range map[string]func(p *Pass, a *Assets){
		"store card":             func(*Pass, *Assets) {},
		"poster event ticket":    func(p *Pass, a *Assets) { posterTicket(t, p, a, key) },
		"semantic boarding pass": func(p *Pass, _ *Assets) { semanticBoarding(p) },
		"personalizable":         func(p *Pass, a *Assets) { personalizable(t, p, a, key) },
	} {
		t.Run(name, func(t *testing.T) {
			p, a := validStoreCard(), valAssets(t)
			build(p, a)
			err := p.Validate(a)
			assert.NoError(t, err)
		})
	}
}

func TestValidationErrorMethods(t *testing.T) {
	p := validStoreCard()
	p.FormatVersion = 2
	p.TeamIdentifier = "abc"
	err := p.Validate(nil)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.True(t, ve.HasErrors())
	require.Len(t, ve.Errors(), 1)
	require.Len(t, ve.Warnings(), 1)
	assert.Equal(t, "formatVersion", ve.Errors()[0].Path)
	assert.Equal(t, "teamIdentifier", ve.Warnings()[0].Path)
	assert.Equal(t, "pass: validation found 1 error and 1 warning\n"+
		"\terror: formatVersion: formatVersion is 2; Wallet only supports 1 (format-version)\n"+
		"\twarning: teamIdentifier: teamIdentifier \"abc\" is not a 10-character upper-case alphanumeric Team ID (team-identifier)", err.Error())

	onlyWarnings := &ValidationError{Problems: ve.Warnings()}
	assert.False(t, onlyWarnings.HasErrors())

	data, jerr := json.Marshal(ve)
	require.NoError(t, jerr)
	var back []Problem
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, ve.Problems, back)
	assert.Contains(t, string(data), `"severity":"warning"`)
}

func TestSeverityText(t *testing.T) {
	for _, s := range []Severity{SeverityError, SeverityWarning} {
		b, err := s.MarshalText()
		require.NoError(t, err)
		var back Severity
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, s, back)
	}
	_, err := Severity(7).MarshalText()
	assert.Error(t, err)
	assert.Equal(t, "severity(7)", Severity(7).String())
	var s Severity
	assert.Error(t, s.UnmarshalText([]byte("fatal")))
}

// TestValidateNeverLeaksTheToken checks that the authentication token, a secret, never appears in a problem.
func TestValidateNeverLeaksTheToken(t *testing.T) {
	p := validStoreCard()
	p.AuthenticationToken = "tok3n"
	p.WebServiceURL = "http://user:pa55word@example.com/passes"
	err := p.Validate(nil)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "tok3n")
	assert.NotContains(t, err.Error(), "pa55word")
}

func TestValidTimeZone(t *testing.T) {
	for _, tc := range []struct {
		name          string
		abbreviations bool
		want          bool
	}{
		{"America/Chicago", false, true},
		{"America/Argentina/Buenos_Aires", false, true},
		{"UTC", false, true},
		{"", false, false},
		{"Local", false, false},
		{"../../etc/passwd", false, false},
		{"not a zone", false, false},
		{"CST", true, true},
		{"cst", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, validTimeZone(tc.name, tc.abbreviations))
		})
	}
}

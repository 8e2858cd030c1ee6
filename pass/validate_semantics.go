package pass

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// knownSemanticExtras are semantic keys PassKit knows that this package does not model (spec §5.3): they are
// not reported as unknown.
var knownSemanticExtras = []string{"departureAirportTimeZone", "destinationAirportTimeZone", "eventTimeZone",
	"airPlay", "airplay"}

// semantics checks a semantics dictionary at path (spec §5). PassKit rejects a wrong value type with sev;
// unknown enumeration values and unknown keys are warnings.
func (v *validator) semantics(path string, s *Semantics, sev Severity) {
	for _, d := range []struct {
		key string
		d   Date
	}{
		{"eventStartDate", s.EventStartDate}, {"eventEndDate", s.EventEndDate},
		{"venueOpenDate", s.VenueOpenDate}, {"venueCloseDate", s.VenueCloseDate},
		{"venueDoorsOpenDate", s.VenueDoorsOpenDate}, {"venueGatesOpenDate", s.VenueGatesOpenDate},
		{"venueParkingLotsOpenDate", s.VenueParkingLotsOpenDate}, {"venueBoxOfficeOpenDate", s.VenueBoxOfficeOpenDate},
		{"venueFanZoneOpenDate", s.VenueFanZoneOpenDate},
		{"originalDepartureDate", s.OriginalDepartureDate}, {"originalBoardingDate", s.OriginalBoardingDate},
		{"originalArrivalDate", s.OriginalArrivalDate}, {"currentDepartureDate", s.CurrentDepartureDate},
		{"currentBoardingDate", s.CurrentBoardingDate}, {"currentArrivalDate", s.CurrentArrivalDate},
	} {
		if d.d.Raw() != "" {
			v.date(join(path, d.key), d.d, sev)
		}
	}
	if s.EventStartDate.Valid() && s.EventEndDate.Valid() && s.EventEndDate.Time.Before(s.EventStartDate.Time) {
		v.warnf(join(path, "eventEndDate"), ruleSemanticValue, "eventEndDate %s is before eventStartDate %s", s.EventEndDate, s.EventStartDate)
	}
	switch s.EventType {
	case "", EventTypeGeneric, EventTypeLivePerformance, EventTypeMovie, EventTypeSports, EventTypeConference,
		EventTypeConvention, EventTypeWorkshop, EventTypeSocialGathering:
	default:
		v.warnf(join(path, "eventType"), ruleSemanticValue, "unknown eventType %q", s.EventType)
	}
	if di := s.EventStartDateInfo; di != nil {
		p := join(path, "eventStartDateInfo")
		v.date(join(p, "date"), di.Date, sev)
		if di.TimeZone != "" && !validTimeZone(di.TimeZone, false) {
			v.add(sev, join(p, "timeZone"), ruleSemanticTimeZone, "timeZone %q is not an IANA time zone identifier", di.TimeZone)
		}
		v.unknownKeys(p, di.Extra)
	}
	v.semanticLocation(path, "venueLocation", s.VenueLocation, sev)
	v.semanticLocation(path, "departureLocation", s.DepartureLocation, sev)
	v.semanticLocation(path, "destinationLocation", s.DestinationLocation, sev)
	for _, tz := range []struct{ key, val string }{
		{"departureLocationTimeZone", s.DepartureLocationTimeZone},
		{"destinationLocationTimeZone", s.DestinationLocationTimeZone},
	} {
		if tz.val != "" && !validTimeZone(tz.val, false) {
			v.add(sev, join(path, tz.key), ruleSemanticTimeZone, "%s %q is not an IANA time zone identifier", tz.key, tz.val)
		}
	}
	if s.FlightNumber != nil && *s.FlightNumber < 0 {
		v.warnf(join(path, "flightNumber"), ruleSemanticValue, "flightNumber %d is negative", *s.FlightNumber)
	}
	if s.Duration != nil && *s.Duration < 0 {
		v.warnf(join(path, "duration"), ruleSemanticValue, "duration %g seconds is negative", *s.Duration)
	}
	for _, l := range []struct {
		key string
		val []SecurityProgram
	}{
		{"departureLocationSecurityPrograms", s.DepartureLocationSecurityPrograms},
		{"destinationLocationSecurityPrograms", s.DestinationLocationSecurityPrograms},
		{"passengerEligibleSecurityPrograms", s.PassengerEligibleSecurityPrograms},
	} {
		for i, sp := range l.val {
			switch sp {
			case SecurityProgramTSAPreCheck, SecurityProgramTSAPreCheckTouchlessID, SecurityProgramOSS,
				SecurityProgramITI, SecurityProgramITD, SecurityProgramGlobalEntry, SecurityProgramCLEAR:
			default:
				v.warnf(index(join(path, l.key), i), ruleSemanticValue, "unknown security program %q", sp)
			}
		}
	}
	for i, c := range s.PassengerCapabilities {
		switch c {
		case PassengerCapabilityPreboarding, PassengerCapabilityPriorityBoarding, PassengerCapabilityCarryon,
			PassengerCapabilityPersonalItem, PassengerCapabilityLapInfant:
		default:
			v.warnf(index(join(path, "passengerCapabilities"), i), ruleSemanticValue, "unknown passenger capability %q", c)
		}
	}
	for i, seat := range s.Seats {
		p := index(join(path, "seats"), i)
		v.color(join(p, "seatSectionColor"), seat.SeatSectionColor)
		v.unknownKeys(p, seat.Extra)
	}
	v.currencyAmount(path, "balance", s.Balance, sev)
	v.currencyAmount(path, "totalPrice", s.TotalPrice, sev)
	for i, w := range s.WifiAccess {
		p := index(join(path, "wifiAccess"), i)
		if w.SSID == "" {
			v.add(sev, join(p, "ssid"), ruleSemanticValue, "a WifiNetwork needs an ssid")
		}
		if w.Password == "" {
			v.add(sev, join(p, "password"), ruleSemanticValue, "a WifiNetwork needs a password")
		}
		if w.CaptiveTokenAuthURL != "" && !absoluteURL(w.CaptiveTokenAuthURL) {
			v.warnf(join(p, "captiveTokenAuthURL"), ruleURL, "captiveTokenAuthURL %q is not an absolute URL", w.CaptiveTokenAuthURL)
		}
		v.unknownKeys(p, w.Extra)
	}
	if pn := s.PassengerName; pn != nil {
		v.unknownKeys(join(path, "passengerName"), pn.Extra)
	}
	v.unknownKeys(path, s.Extra, knownSemanticExtras...)
}

func (v *validator) semanticLocation(parent, key string, l *SemanticLocation, sev Severity) {
	if l == nil {
		return
	}
	path := join(parent, key)
	if l.Latitude < -90 || l.Latitude > 90 {
		v.add(sev, join(path, "latitude"), ruleSemanticValue, "latitude %g is outside -90..90", l.Latitude)
	}
	if l.Longitude < -180 || l.Longitude > 180 {
		v.add(sev, join(path, "longitude"), ruleSemanticValue, "longitude %g is outside -180..180", l.Longitude)
	}
	v.unknownKeys(path, l.Extra)
}

// decimalAmount matches the decimal strings a CurrencyAmount amount may hold.
var decimalAmount = regexp.MustCompile(`^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$`)

func (v *validator) currencyAmount(parent, key string, c *CurrencyAmount, sev Severity) {
	if c == nil {
		return
	}
	path := join(parent, key)
	switch {
	case c.Amount == "":
		v.add(sev, join(path, "amount"), ruleSemanticAmount, "a CurrencyAmount needs amount; Wallet rejects it without")
	case !decimalAmount.MatchString(c.Amount):
		v.add(sev, join(path, "amount"), ruleSemanticAmount, "amount %q is not a decimal number such as \"12.50\"", c.Amount)
	}
	switch {
	case c.CurrencyCode == "":
		v.add(sev, join(path, "currencyCode"), ruleSemanticAmount, "a CurrencyAmount needs currencyCode; Wallet rejects it without")
	case !currency3.MatchString(c.CurrencyCode):
		v.warnf(join(path, "currencyCode"), ruleCurrencyCode, "currencyCode %q is not an ISO 4217 code such as USD", c.CurrencyCode)
	}
	v.unknownKeys(path, c.Extra)
}

// zoneDatabase reports whether the time zone database is available (it may be missing on minimal machines).
var zoneDatabase = sync.OnceValue(func() bool {
	_, err := time.LoadLocation("America/New_York")
	return err == nil
})

// ianaZone matches the shape of an IANA time zone identifier ("America/Argentina/Buenos_Aires", "UTC").
var (
	ianaZone     = regexp.MustCompile(`^(?:[A-Z][A-Za-z0-9_+-]*)(?:/[A-Za-z0-9_+-]+){0,2}$`)
	abbreviation = regexp.MustCompile(`^[A-Z]{2,5}$`)
)

// validTimeZone reports whether name is a time zone identifier time.LoadLocation accepts. When the zone
// database is missing, IANA-shaped names are accepted. With abbreviations, names such as "CST" are accepted too
// (PassKit allows them in upcoming dateInformation).
func validTimeZone(name string, abbreviations bool) bool {
	if name == "" || name == "Local" || len(name) > 64 || strings.Contains(name, "..") {
		return false
	}
	if abbreviations && abbreviation.MatchString(name) {
		return true
	}
	if loadsAsZone(name) {
		return true
	}
	return !zoneDatabase() && ianaZone.MatchString(name)
}

// zoneCache remembers which names time.LoadLocation accepts, because it reads the zone database from disk on
// every call and Validate runs once per issued pass. It holds at most maxZoneCache names, so hostile input
// cannot grow it without bound.
var zoneCache struct {
	sync.Mutex
	known map[string]bool
}

const maxZoneCache = 512

func loadsAsZone(name string) bool {
	zoneCache.Lock()
	ok, cached := zoneCache.known[name]
	zoneCache.Unlock()
	if cached {
		return ok
	}
	_, err := time.LoadLocation(name)
	ok = err == nil
	zoneCache.Lock()
	if zoneCache.known == nil || len(zoneCache.known) >= maxZoneCache {
		zoneCache.known = map[string]bool{}
	}
	zoneCache.known[name] = ok
	zoneCache.Unlock()
	return ok
}

// semanticsHas reports whether some semantics dictionary of the pass (at the root or in any field) satisfies has.
func (p *Pass) semanticsHas(has func(*Semantics) bool) bool {
	if p.Semantics != nil && has(p.Semantics) {
		return true
	}
	for _, s := range append(slices.Clone(legacyStyles), StylePosterGeneric) {
		pf := p.Fields(s)
		if pf == nil {
			continue
		}
		for _, g := range pf.groups() {
			for _, f := range g.fields {
				if f.Semantics != nil && has(f.Semantics) {
					return true
				}
			}
		}
	}
	return false
}

// posterEventTicket checks the requirements of a poster event ticket (spec §6.1) when preferredStyleSchemes
// asks for one. Wallet falls back to the legacy layout when one is missing, so they are warnings.
func (v *validator) posterEventTicket() {
	p := v.p
	if !p.hasScheme(StyleSchemePosterEventTicket) {
		for _, k := range []struct {
			key string
			set bool
		}{
			{"footerBackgroundColor", p.FooterBackgroundColor != ""}, {"useAutomaticColors", p.UseAutomaticColors},
			{"suppressHeaderDarkening", p.SuppressHeaderDarkening}, {"eventLogoText", p.EventLogoText != ""},
		} {
			if k.set {
				v.warnf(k.key, rulePosterEventTicket, "%s only applies to poster event tickets (preferredStyleSchemes with posterEventTicket); Wallet ignores it here", k.key)
			}
		}
		return
	}
	const path = "preferredStyleSchemes"
	fallback := "; Wallet shows the legacy event ticket instead of the poster"
	if p.EventTicket == nil {
		v.warnf(path, rulePosterEventTicket, "a poster event ticket needs the eventTicket style key%s", fallback)
	} else if len(p.EventTicket.PrimaryFields)+len(p.EventTicket.SecondaryFields)+len(p.EventTicket.AuxiliaryFields) == 0 {
		v.warnf("eventTicket", rulePosterEventTicket, "keep primary, secondary and auxiliary fields for older devices and Apple Watch")
	}
	if p.NFC == nil {
		v.warnf("nfc", rulePosterEventTicket, "a poster event ticket needs nfc (poster tickets are NFC-entry tickets)%s", fallback)
	} else if !p.NFC.RequiresAuthentication {
		v.warnf("nfc.requiresAuthentication", rulePosterEventTicket, "a poster event ticket should set nfc.requiresAuthentication")
	}
	required := []struct {
		key string
		has func(*Semantics) bool
	}{
		{"eventName", func(s *Semantics) bool { return s.EventName != "" }},
		{"venueName", func(s *Semantics) bool { return s.VenueName != "" }},
		{"venueRegionName", func(s *Semantics) bool { return s.VenueRegionName != "" }},
		{"venueRoom", func(s *Semantics) bool { return s.VenueRoom != "" }},
	}
	if p.semanticsHas(func(s *Semantics) bool { return s.EventType == EventTypeSports }) {
		required = append(required,
			struct {
				key string
				has func(*Semantics) bool
			}{"homeTeamAbbreviation", func(s *Semantics) bool { return s.HomeTeamAbbreviation != "" }},
			struct {
				key string
				has func(*Semantics) bool
			}{"awayTeamAbbreviation", func(s *Semantics) bool { return s.AwayTeamAbbreviation != "" }})
	}
	if p.semanticsHas(func(s *Semantics) bool { return s.EventType == EventTypeLivePerformance }) {
		required = append(required, struct {
			key string
			has func(*Semantics) bool
		}{"performerNames", func(s *Semantics) bool { return len(s.PerformerNames) > 0 }})
	}
	for _, r := range required {
		if !p.semanticsHas(r.has) {
			v.warnf(join("semantics", r.key), rulePosterEventTicket, "a poster event ticket needs the semantic tag %s%s", r.key, fallback)
		}
	}
	if a := v.a; a != nil {
		if !hasImage(a, "", ImageBackground) && !hasImage(a, "", ImageArtwork) {
			v.warnf("background.png", rulePosterEventTicket, "a poster event ticket needs a background or artwork image%s", fallback)
		}
		if !hasImage(a, "", ImagePrimaryLogo) {
			v.warnf("primaryLogo.png", rulePosterEventTicket, "a poster event ticket shows primaryLogo; add primaryLogo.png")
		}
	}
}

// semanticBoardingPass checks the requirements of a semantic boarding pass (spec §6.2) when
// preferredStyleSchemes asks for one.
func (v *validator) semanticBoardingPass() {
	p := v.p
	if !p.hasScheme(StyleSchemeSemanticBoardingPass) {
		return
	}
	fallback := "; Wallet shows the legacy boarding pass instead"
	if p.BoardingPass == nil || p.BoardingPass.TransitType != TransitTypeAir {
		v.warnf("boardingPass.transitType", ruleSemanticBoardingPass, "a semantic boarding pass needs boardingPass with transitType PKTransitTypeAir%s", fallback)
	}
	has := func(key string) func(*Semantics) bool {
		return func(s *Semantics) bool {
			switch key {
			case "airlineCode":
				return s.AirlineCode != ""
			case "flightNumber":
				return s.FlightNumber != nil
			case "departureAirportCode":
				return s.DepartureAirportCode != ""
			case "departureCityName":
				return s.DepartureCityName != ""
			case "departureLocationTimeZone":
				return s.DepartureLocationTimeZone != "" || s.Extra["departureAirportTimeZone"] != nil
			case "destinationAirportCode":
				return s.DestinationAirportCode != ""
			case "destinationCityName":
				return s.DestinationCityName != ""
			case "destinationLocationTimeZone":
				return s.DestinationLocationTimeZone != "" || s.Extra["destinationAirportTimeZone"] != nil
			case "originalDepartureDate":
				return !s.OriginalDepartureDate.IsZero()
			case "originalBoardingDate":
				return !s.OriginalBoardingDate.IsZero()
			case "originalArrivalDate":
				return !s.OriginalArrivalDate.IsZero()
			case "passengerName":
				return s.PassengerName != nil
			}
			return false
		}
	}
	for _, key := range []string{"airlineCode", "flightNumber", "departureAirportCode", "departureCityName",
		"departureLocationTimeZone", "destinationAirportCode", "destinationCityName", "destinationLocationTimeZone",
		"originalDepartureDate", "originalBoardingDate", "originalArrivalDate", "passengerName"} {
		if !p.semanticsHas(has(key)) {
			v.warnf(join("semantics", key), ruleSemanticBoardingPass, "a semantic boarding pass needs the semantic tag %s%s", key, fallback)
		}
	}
}

// upcoming checks upcomingPassInformation (spec §6.3). PassKit rejects the pass for these problems.
func (v *validator) upcoming() {
	p := v.p
	ids := map[string]string{}
	for i, e := range p.UpcomingPassInformation {
		path := index("upcomingPassInformation", i)
		switch {
		case e.Identifier == "":
			v.errorf(join(path, "identifier"), ruleUpcoming, "identifier is missing")
		case ids[e.Identifier] != "":
			v.errorf(join(path, "identifier"), ruleUpcoming, "identifier %q is already used by %s", e.Identifier, ids[e.Identifier])
		default:
			ids[e.Identifier] = path
		}
		if e.Name == "" {
			v.errorf(join(path, "name"), ruleUpcoming, "name is missing")
		}
		if e.Type != "event" {
			v.errorf(join(path, "type"), ruleUpcoming, "type is %q; the only type is \"event\"", e.Type)
		}
		if di := e.DateInformation; di != nil {
			dp := join(path, "dateInformation")
			v.date(join(dp, "date"), di.Date, SeverityError)
			if di.TimeZone != "" && !validTimeZone(di.TimeZone, true) {
				v.errorf(join(dp, "timeZone"), ruleSemanticTimeZone, "timeZone %q is not a time zone identifier", di.TimeZone)
			}
			v.unknownKeys(dp, di.Extra)
		}
		if e.Semantics != nil {
			v.semantics(join(path, "semantics"), e.Semantics, SeverityError)
		}
		keys := map[string]string{} // field keys are unique within an entry
		for _, g := range []fieldGroup{{"additionalInfoFields", e.AdditionalInfoFields}, {"backFields", e.BackFields}} {
			for j, f := range g.fields {
				fp := index(join(path, g.name), j)
				if f.Label == "" {
					v.errorf(join(fp, "label"), ruleUpcoming, "fields of an upcoming entry need a label")
				}
				v.field(fp, g.name, f, keys)
			}
		}
		v.storeIDs(join(path, "auxiliaryStoreIdentifiers"), e.AuxiliaryStoreIdentifiers)
		if u := e.URLs; u != nil {
			up := join(path, "URLs")
			for _, kv := range []struct{ key, val string }{
				{"accessibilityURL", u.AccessibilityURL}, {"addOnURL", u.AddOnURL}, {"bagPolicyURL", u.BagPolicyURL},
				{"contactVenueWebsite", u.ContactVenueWebsite}, {"directionsInformationURL", u.DirectionsInformationURL},
				{"merchandiseURL", u.MerchandiseURL}, {"orderFoodURL", u.OrderFoodURL},
				{"parkingInformationURL", u.ParkingInformationURL}, {"purchaseParkingURL", u.PurchaseParkingURL},
				{"sellURL", u.SellURL}, {"transferURL", u.TransferURL}, {"transitInformationURL", u.TransitInformationURL},
			} {
				if kv.val != "" && !absoluteURL(kv.val) {
					v.warnf(join(up, kv.key), ruleURL, "%s %q is not an absolute URL", kv.key, kv.val)
				}
			}
			v.unknownKeys(up, u.Extra)
		}
		if im := e.Images; im != nil {
			ip := join(path, "images")
			v.upcomingImage(join(ip, "headerImage"), im.HeaderImage, false)
			v.upcomingImage(join(ip, "venueMap"), im.VenueMap, true)
			v.unknownKeys(ip, im.Extra)
		}
		v.unknownKeys(path, e.Extra)
	}
}

var sha256Hex = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)

// maxUpcomingImageSize is the largest remote image of an upcoming entry: 2 MB.
const maxUpcomingImageSize = 2 << 20

func (v *validator) upcomingImage(path string, im *UpcomingImage, venueMap bool) {
	if im == nil {
		return
	}
	if im.ReuseExisting {
		if !venueMap {
			v.errorf(join(path, "reuseExisting"), ruleUpcoming, "reuseExisting is only allowed for venueMap")
		} else if v.a != nil && !hasImage(v.a, "", ImageVenueMap) {
			v.errorf(join(path, "reuseExisting"), ruleUpcoming, "reuseExisting needs venueMap.png in the pass")
		}
	} else if len(im.URLs) == 0 {
		v.errorf(join(path, "URLs"), ruleUpcoming, "an image needs URLs (or reuseExisting for venueMap)")
	}
	for i, u := range im.URLs {
		p := index(join(path, "URLs"), i)
		if !httpURL(u.URL, true) {
			v.errorf(join(p, "URL"), ruleUpcoming, "URL %q is not an absolute https URL", u.URL)
		}
		if !sha256Hex.MatchString(u.SHA256) {
			v.errorf(join(p, "SHA256"), ruleUpcoming, "SHA256 must be the 64 hexadecimal digits of the image's SHA-256")
		}
		if u.Scale < 0 || u.Scale > 3 {
			v.errorf(join(p, "scale"), ruleUpcoming, "scale %d is not 1, 2 or 3", u.Scale)
		}
		if u.Size < 0 || u.Size > maxUpcomingImageSize {
			v.errorf(join(p, "size"), ruleUpcoming, "size %d bytes is outside 0..2 MB", u.Size)
		}
		v.unknownKeys(p, u.Extra)
	}
	v.unknownKeys(path, im.Extra)
}

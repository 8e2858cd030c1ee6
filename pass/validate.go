package pass

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// validator collects the problems of one Validate call.
type validator struct {
	p        *Pass
	a        *Assets
	problems []Problem
}

// add records a problem. Its path is built with join and index, which quote a key that is not printable; a
// path made otherwise (a file name, a top-level key) that still holds such a character is quoted whole.
func (v *validator) add(sev Severity, path, rule, format string, args ...any) {
	v.problems = append(v.problems, Problem{Path: pathKey(path), Message: fmt.Sprintf(format, args...), Rule: rule, Severity: sev})
}

func (v *validator) errorf(path, rule, format string, args ...any) {
	v.add(SeverityError, path, rule, format, args...)
}

func (v *validator) warnf(path, rule, format string, args ...any) {
	v.add(SeverityWarning, path, rule, format, args...)
}

// join builds a JSON path: join("storeCard", "primaryFields") is "storeCard.primaryFields"; an empty parent
// gives the key alone.
func join(parent, key string) string {
	key = pathKey(key)
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// index builds "path[i]".
func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// unknownKeys reports the keys of extra as unknown-key warnings under path, except those in allowed.
func (v *validator) unknownKeys(path string, extra map[string]json.RawMessage, allowed ...string) {
	for _, k := range sortedKeys(extra) {
		if slices.Contains(allowed, k) {
			continue
		}
		v.warnf(join(path, k), ruleUnknownKey, "unknown key %q; Wallet ignores it", k)
	}
}

// privateTopLevelKeys are keys PassKit knows but that are private or reserved to Apple (spec §1.9).
var privateTopLevelKeys = []string{"secondaryBackgroundColor", "cardType", "cardSubtype", "transactionServiceURL",
	"transactionServicePushTopic", "hasStoredValue", "paymentApplications", "associatedPassTypeIdentifiers",
	"systemAppBundleIdentifiers", "barcodeSettings", "sharing", "auxiliaryCapabilities", "dynamicLayerConfiguration",
	"muteReadyForUseNotification", "backFields"}

// Validate checks the pass the way Wallet judges it and returns nil when there is no problem at all, or a
// *ValidationError listing every problem with its JSON path (or file), rule and severity. Errors are what makes
// Wallet reject the pass; warnings are what it ignores or shows badly. In headerFields, primaryFields and
// auxiliaryFields Wallet escalates field warnings to errors, and so does Validate.
//
// Assets holds the pass's other files (images, localizations, personalization.json); with a nil Assets only
// pass.json is checked and the rules that need files (the icon, image roles and sizes, pass.strings) are skipped.
// The certificate rules (passTypeIdentifier and teamIdentifier against the signing certificate) belong to
// package sign.
func (p *Pass) Validate(a *Assets) error {
	if p == nil {
		return &ValidationError{Problems: []Problem{{Message: "the pass is nil", Rule: ruleRequiredKey, Severity: SeverityError}}}
	}
	v := &validator{p: p, a: a}
	v.validatePass()
	if a != nil {
		v.validateAssets()
	}
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: v.problems}
}

func (v *validator) validatePass() {
	p := v.p
	v.standardKeys()
	v.appKeys()
	v.relevance()
	v.styles()
	v.colors()
	if p.GroupingIdentifier != "" {
		if s := p.Style(); s != StyleEventTicket && s != StyleBoardingPass {
			v.warnf("groupingIdentifier", ruleGroupingIdentifier, "groupingIdentifier only groups event tickets and boarding passes; Wallet ignores it on %s", styleName(s))
		}
	}
	v.barcodes()
	v.styleSchemes()
	if p.Semantics != nil {
		v.semantics("semantics", p.Semantics, SeverityError)
	}
	v.featuredActions()
	v.webService()
	v.nfc()
	v.urls()
	v.upcoming()
	v.posterEventTicket()
	v.semanticBoardingPass()
	v.placeholders()
	for _, k := range sortedKeys(p.Extra) {
		if slices.Contains(privateTopLevelKeys, k) {
			v.warnf(join("", k), ruleUnknownKey, "%q is a private PassKit key reserved to Apple; do not emit it", k)
		} else {
			v.warnf(join("", k), ruleUnknownKey, "unknown key %q; Wallet ignores it", k)
		}
	}
}

func styleName(s Style) string {
	if s == "" {
		return "a pass without a style"
	}
	return string(s)
}

// standardKeys checks the keys every pass needs (spec §1.1).
func (v *validator) standardKeys() {
	p := v.p
	switch p.FormatVersion {
	case 1:
	case 0:
		v.errorf("formatVersion", ruleRequiredKey, "formatVersion is missing; set it to 1")
	default:
		v.errorf("formatVersion", ruleFormatVersion, "formatVersion is %d; Wallet only supports 1", p.FormatVersion)
	}
	switch {
	case strings.TrimSpace(p.PassTypeIdentifier) == "":
		v.errorf("passTypeIdentifier", ruleRequiredKey, "passTypeIdentifier is missing")
	case !validPassTypeIdentifier(p.PassTypeIdentifier):
		v.errorf("passTypeIdentifier", rulePassTypeIdentifier, "passTypeIdentifier %q is not a reverse-DNS identifier starting with \"pass.\"", p.PassTypeIdentifier)
	}
	if strings.TrimSpace(p.SerialNumber) == "" {
		v.errorf("serialNumber", ruleRequiredKey, "serialNumber is missing")
	}
	switch {
	case strings.TrimSpace(p.TeamIdentifier) == "":
		v.errorf("teamIdentifier", ruleRequiredKey, "teamIdentifier is missing")
	case !validTeamIdentifier(p.TeamIdentifier):
		v.warnf("teamIdentifier", ruleTeamIdentifier, "teamIdentifier %q is not a 10-character upper-case alphanumeric Team ID", p.TeamIdentifier)
	}
	if strings.TrimSpace(p.OrganizationName) == "" {
		v.errorf("organizationName", ruleRequiredKey, "organizationName is missing")
	}
	if strings.TrimSpace(p.Description) == "" {
		v.errorf("description", ruleRequiredKey, "description is missing")
	}
}

func validPassTypeIdentifier(s string) bool {
	if !strings.HasPrefix(s, "pass.") || len(s) <= len("pass.") {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" {
			return false
		}
		for _, r := range label {
			if !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r == '-' || r == '_') {
				return false
			}
		}
	}
	return true
}

func validTeamIdentifier(s string) bool {
	if len(s) != 10 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// appKeys checks the associated app keys and userInfo (spec §1.2).
func (v *validator) appKeys() {
	p := v.p
	v.storeIDs("associatedStoreIdentifiers", p.AssociatedStoreIdentifiers)
	if p.AppLaunchURL != "" {
		if len(p.AssociatedStoreIdentifiers) == 0 {
			v.errorf("appLaunchURL", ruleAppLaunchURL, "appLaunchURL is set but associatedStoreIdentifiers is empty; Wallet rejects the pass")
		}
		if !absoluteURL(p.AppLaunchURL) {
			v.warnf("appLaunchURL", ruleURL, "appLaunchURL %q is not an absolute URL with a scheme", p.AppLaunchURL)
		}
	}
	v.storeIDs("auxiliaryStoreIdentifiers", p.AuxiliaryStoreIdentifiers)
	if len(p.AuxiliaryStoreIdentifiers) > 0 && !p.hasScheme(StyleSchemePosterEventTicket) {
		v.warnf("auxiliaryStoreIdentifiers", ruleStoreIdentifiers, "auxiliaryStoreIdentifiers are only shown in the event guide of poster event tickets")
	}
	if len(p.UserInfo) > 0 {
		raw := strings.TrimSpace(string(p.UserInfo))
		if !strings.HasPrefix(raw, "{") {
			v.warnf("userInfo", ruleUserInfo, "userInfo is %s; Apple documents it as a JSON dictionary", jsonKind([]byte(raw)))
		}
	}
}

func (v *validator) storeIDs(path string, ids []int64) {
	for i, id := range ids {
		if id <= 0 {
			v.warnf(index(path, i), ruleStoreIdentifiers, "%d is not an App Store identifier", id)
		}
	}
}

// absoluteURL reports whether s parses as a URL with a scheme.
func absoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Host != "" || u.Opaque != "" || u.Path != "")
}

// httpURL reports whether s is an absolute http or https URL with a host.
func httpURL(s string, httpsOnly bool) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return false
	}
	if httpsOnly {
		return u.Scheme == "https"
	}
	return u.Scheme == "https" || u.Scheme == "http"
}

// webService checks webServiceURL and authenticationToken (spec §1.6). The token is a secret: it never appears
// in a message.
func (v *validator) webService() {
	p := v.p
	if p.WebServiceURL != "" && !httpURL(p.WebServiceURL, true) {
		v.errorf("webServiceURL", ruleWebServiceHTTPS, "webServiceURL %q is not an absolute https URL", redactURL(p.WebServiceURL))
	}
	switch {
	case p.WebServiceURL != "" && p.AuthenticationToken == "":
		v.errorf("authenticationToken", ruleAuthenticationToken, "webServiceURL is set without an authenticationToken")
	case p.WebServiceURL == "" && p.AuthenticationToken != "":
		v.errorf("authenticationToken", ruleAuthenticationToken, "authenticationToken is set without a webServiceURL")
	}
	if n := len([]rune(p.AuthenticationToken)); n > 0 && n < 16 {
		v.errorf("authenticationToken", ruleAuthenticationToken, "authenticationToken has %d characters; Wallet needs at least 16", n)
	}
}

// redactURL removes user information (which may hold a password) from a URL for messages.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	if u.User != nil {
		u.User = nil
		return u.String()
	}
	return s
}

// urls checks the poster event ticket and semantic boarding pass URL and contact keys (spec §1.8).
func (v *validator) urls() {
	p := v.p
	eventGuide := []struct{ key, val string }{
		{"accessibilityURL", p.AccessibilityURL}, {"addOnURL", p.AddOnURL}, {"bagPolicyURL", p.BagPolicyURL},
		{"directionsInformationURL", p.DirectionsInformationURL}, {"merchandiseURL", p.MerchandiseURL},
		{"orderFoodURL", p.OrderFoodURL}, {"parkingInformationURL", p.ParkingInformationURL},
		{"purchaseParkingURL", p.PurchaseParkingURL}, {"transitInformationURL", p.TransitInformationURL},
		{"sellURL", p.SellURL}, {"transferURL", p.TransferURL}, {"contactVenueEmail", p.ContactVenueEmail},
		{"contactVenuePhoneNumber", p.ContactVenuePhoneNumber}, {"contactVenueWebsite", p.ContactVenueWebsite},
	}
	airline := []struct{ key, val string }{
		{"changeSeatURL", p.ChangeSeatURL}, {"entertainmentURL", p.EntertainmentURL},
		{"purchaseAdditionalBaggageURL", p.PurchaseAdditionalBaggageURL},
		{"purchaseLoungeAccessURL", p.PurchaseLoungeAccessURL}, {"purchaseWifiURL", p.PurchaseWifiURL},
		{"upgradeURL", p.UpgradeURL}, {"managementURL", p.ManagementURL},
		{"registerServiceAnimalURL", p.RegisterServiceAnimalURL}, {"reportLostBagURL", p.ReportLostBagURL},
		{"requestWheelchairURL", p.RequestWheelchairURL}, {"trackBagsURL", p.TrackBagsURL},
		{"transitProviderEmail", p.TransitProviderEmail}, {"transitProviderPhoneNumber", p.TransitProviderPhoneNumber},
		{"transitProviderWebsiteURL", p.TransitProviderWebsiteURL},
	}
	if p.EventTicket == nil {
		for _, kv := range eventGuide {
			if kv.val != "" {
				v.warnf(kv.key, ruleURL, "%s is shown only in the event guide of poster event tickets; Wallet ignores it on %s", kv.key, styleName(p.Style()))
			}
		}
	}
	if p.BoardingPass == nil {
		for _, kv := range airline {
			if kv.val != "" {
				v.warnf(kv.key, ruleURL, "%s is shown only on semantic boarding passes; Wallet ignores it on %s", kv.key, styleName(p.Style()))
			}
		}
	}
	for _, kv := range []struct{ key, val string }{
		{"accessibilityURL", p.AccessibilityURL}, {"addOnURL", p.AddOnURL}, {"bagPolicyURL", p.BagPolicyURL},
		{"directionsInformationURL", p.DirectionsInformationURL}, {"merchandiseURL", p.MerchandiseURL},
		{"orderFoodURL", p.OrderFoodURL}, {"parkingInformationURL", p.ParkingInformationURL},
		{"purchaseParkingURL", p.PurchaseParkingURL}, {"transitInformationURL", p.TransitInformationURL},
		{"sellURL", p.SellURL}, {"transferURL", p.TransferURL}, {"contactVenueWebsite", p.ContactVenueWebsite},
		{"changeSeatURL", p.ChangeSeatURL}, {"entertainmentURL", p.EntertainmentURL},
		{"purchaseAdditionalBaggageURL", p.PurchaseAdditionalBaggageURL},
		{"purchaseLoungeAccessURL", p.PurchaseLoungeAccessURL}, {"purchaseWifiURL", p.PurchaseWifiURL},
		{"upgradeURL", p.UpgradeURL}, {"managementURL", p.ManagementURL},
		{"registerServiceAnimalURL", p.RegisterServiceAnimalURL}, {"reportLostBagURL", p.ReportLostBagURL},
		{"requestWheelchairURL", p.RequestWheelchairURL}, {"trackBagsURL", p.TrackBagsURL},
		{"transitProviderWebsiteURL", p.TransitProviderWebsiteURL},
	} {
		if kv.val != "" && !absoluteURL(kv.val) {
			v.warnf(kv.key, ruleURL, "%s %q is not an absolute URL; Wallet does not show the link", kv.key, kv.val)
		}
	}
	for _, kv := range []struct{ key, val string }{
		{"contactVenueEmail", p.ContactVenueEmail}, {"transitProviderEmail", p.TransitProviderEmail},
	} {
		if kv.val != "" && !strings.Contains(strings.TrimPrefix(kv.val, "mailto:"), "@") {
			v.warnf(kv.key, ruleURL, "%s %q is not an e-mail address", kv.key, kv.val)
		}
	}
}

// colors checks every colour key (spec §1.5, §12).
func (v *validator) colors() {
	p := v.p
	for _, kv := range []struct {
		key string
		c   Color
	}{
		{"backgroundColor", p.BackgroundColor}, {"foregroundColor", p.ForegroundColor}, {"labelColor", p.LabelColor},
		{"stripColor", p.StripColor}, {"footerBackgroundColor", p.FooterBackgroundColor},
	} {
		v.color(kv.key, kv.c)
	}
}

func (v *validator) color(path string, c Color) {
	if c == "" {
		return
	}
	if _, _, _, err := c.RGB(); err != nil {
		v.errorf(path, ruleColor, "%s", strings.TrimPrefix(err.Error(), "pass: "))
	}
}

// date reports a date that was read but did not parse.
func (v *validator) date(path string, d Date, sev Severity) {
	if d.Raw() != "" {
		_, err := ParseDate(d.Raw())
		msg := "not a W3C date"
		if err != nil {
			msg = strings.TrimPrefix(err.Error(), "pass: ")
		}
		v.add(sev, path, ruleDate, "%s", msg)
	}
}

// dateOffset warns when the date text s, which parses, writes its zone offset as ±hhmm.
func (v *validator) dateOffset(path, s string) {
	if fixed, ok := fixOffset(s); ok {
		v.warnf(path, ruleDateOffset, "date %q has a zone offset without a colon, which Wallet's ISO 8601 parser may reject; write %q", s, fixed)
	}
}

// relevance checks expiration and relevance information (spec §1.3).
func (v *validator) relevance() {
	p := v.p
	v.date("expirationDate", p.ExpirationDate, SeverityError)
	v.date("relevantDate", p.RelevantDate, SeverityError)
	if !p.RelevantDate.IsZero() {
		if s := p.Style(); s == StyleCoupon || s == StyleStoreCard {
			v.warnf("relevantDate", ruleRelevance, "%s passes do not support relevantDate; Wallet uses only locations for them", s)
		}
	}
	for i, rd := range p.RelevantDates {
		path := index("relevantDates", i)
		v.date(join(path, "date"), rd.Date, SeverityError)
		v.date(join(path, "startDate"), rd.StartDate, SeverityError)
		v.date(join(path, "endDate"), rd.EndDate, SeverityError)
		hasDate, hasStart, hasEnd := !rd.Date.IsZero(), !rd.StartDate.IsZero(), !rd.EndDate.IsZero()
		switch {
		case hasStart && !hasEnd:
			v.errorf(join(path, "endDate"), ruleRelevantDates, "startDate needs an endDate")
		case hasEnd && !hasStart:
			v.errorf(join(path, "startDate"), ruleRelevantDates, "endDate needs a startDate")
		case hasStart && hasEnd && rd.StartDate.Valid() && rd.EndDate.Valid() && rd.EndDate.Time.Before(rd.StartDate.Time):
			v.errorf(join(path, "endDate"), ruleRelevantDates, "endDate %s is before startDate %s", rd.EndDate, rd.StartDate)
		case !hasDate && !hasStart:
			v.errorf(path, ruleRelevantDates, "the entry has neither date nor startDate and endDate")
		}
		if hasDate && hasStart {
			v.warnf(path, ruleRelevantDates, "the entry has both date and an interval; give one or the other")
		}
		v.unknownKeys(path, rd.Extra)
	}
	if n := len(p.Locations); n > 10 {
		v.warnf("locations", ruleLocations, "%d locations; Wallet uses at most 10", n)
	}
	for i, l := range p.Locations {
		path := index("locations", i)
		if l.Latitude < -90 || l.Latitude > 90 {
			v.errorf(join(path, "latitude"), ruleLocations, "latitude %g is outside -90..90", l.Latitude)
		}
		if l.Longitude < -180 || l.Longitude > 180 {
			v.errorf(join(path, "longitude"), ruleLocations, "longitude %g is outside -180..180", l.Longitude)
		}
		v.unknownKeys(path, l.Extra)
	}
	if n := len(p.Beacons); n > 10 {
		v.warnf("beacons", ruleBeacons, "%d beacons; Wallet uses at most 10", n)
	}
	for i, b := range p.Beacons {
		path := index("beacons", i)
		if !validUUID(b.ProximityUUID) {
			v.errorf(join(path, "proximityUUID"), ruleBeacons, "proximityUUID %q is not a UUID such as E2C56DB5-DFFB-48D2-B060-D0F5A71096E0", b.ProximityUUID)
		}
		if b.Major != nil && (*b.Major < 0 || *b.Major > 65535) {
			v.errorf(join(path, "major"), ruleBeacons, "major %d is outside 0..65535", *b.Major)
		}
		if b.Minor != nil && (*b.Minor < 0 || *b.Minor > 65535) {
			v.errorf(join(path, "minor"), ruleBeacons, "minor %d is outside 0..65535", *b.Minor)
		}
		v.unknownKeys(path, b.Extra)
	}
	if p.MaxDistance < 0 {
		v.errorf("maxDistance", ruleMaxDistance, "maxDistance %g is not greater than 0", p.MaxDistance)
	}
}

// validUUID reports whether s is a UUID in 8-4-4-4-12 hexadecimal form.
func validUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHex(c) {
				return false
			}
		}
	}
	return true
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// styleSchemes checks preferredStyleSchemes against the style keys (spec §1.5, §6.1, §6.2).
func (v *validator) styleSchemes() {
	p := v.p
	seen := map[StyleScheme]bool{}
	for i, s := range p.PreferredStyleSchemes {
		path := index("preferredStyleSchemes", i)
		if seen[s] {
			v.warnf(path, ruleStyleSchemes, "%q is listed twice", s)
		}
		seen[s] = true
		switch s {
		case StyleSchemePosterEventTicket, StyleSchemeEventTicket:
			if p.EventTicket == nil {
				v.warnf(path, ruleStyleSchemes, "%q needs the eventTicket style key; Wallet ignores it", s)
			}
		case StyleSchemeSemanticBoardingPass, StyleSchemeBoardingPass:
			if p.BoardingPass == nil {
				v.warnf(path, ruleStyleSchemes, "%q needs the boardingPass style key; Wallet ignores it", s)
			}
		default:
			v.warnf(path, ruleStyleSchemes, "unknown style scheme %q (want posterEventTicket, eventTicket, semanticBoardingPass or boardingPass)", s)
		}
	}
}

func (p *Pass) hasScheme(s StyleScheme) bool { return slices.Contains(p.PreferredStyleSchemes, s) }

// featuredActionTypes are the Featured Action types of iOS 27 (spec §6.4).
var featuredActionTypes = []string{"viewSchedule", "watchTrailer", "listenToMusic", "call", "place", "addToBalance",
	"order", "shop", "membershipBenefits", "bookAppointment", "bookCar", "bookFlight", "bookStay", "viewOffersRewards"}

func (v *validator) featuredActions() {
	p := v.p
	if p.PosterGeneric != nil && len(p.FeaturedActions) > 2 {
		v.warnf("featuredActions", ruleFeaturedActions, "%d featured actions; a poster generic pass shows at most 2", len(p.FeaturedActions))
	}
	seen := map[string]bool{}
	for i, fa := range p.FeaturedActions {
		path := index("featuredActions", i)
		switch {
		case fa.Identifier == "":
			v.warnf(join(path, "identifier"), ruleFeaturedActions, "identifier is missing")
		case seen[fa.Identifier]:
			v.warnf(join(path, "identifier"), ruleFeaturedActions, "identifier %q is used by an earlier action", fa.Identifier)
		}
		seen[fa.Identifier] = true
		if !slices.Contains(featuredActionTypes, fa.Type) {
			v.warnf(join(path, "type"), ruleFeaturedActions, "unknown featured action type %q", fa.Type)
		}
		if fa.URL != "" && !absoluteURL(fa.URL) {
			v.warnf(join(path, "url"), ruleFeaturedActions, "url %q is not an absolute URL", fa.URL)
		}
		v.unknownKeys(path, fa.Extra)
	}
}

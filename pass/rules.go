package pass

import "slices"

// Rule describes one check of Validate. Its ID is the Rule of every Problem it finds.
type Rule struct {
	// ID is the stable identifier printed by passforge lint ("required-key").
	ID string `json:"id"`
	// Description says in one line what the rule checks.
	Description string `json:"description"`
	// Hint says in one line what to do about a problem it finds.
	Hint string `json:"hint"`
}

// The rule identifiers, one constant per entry of rules.
const (
	ruleRequiredKey           = "required-key"
	ruleFormatVersion         = "format-version"
	rulePassTypeIdentifier    = "pass-type-identifier"
	ruleTeamIdentifier        = "team-identifier"
	ruleStyle                 = "style"
	ruleTransitType           = "transit-type"
	ruleWebServiceHTTPS       = "web-service-https"
	ruleAuthenticationToken   = "authentication-token"
	ruleAppLaunchURL          = "app-launch-url"
	ruleStoreIdentifiers      = "store-identifiers"
	ruleURL                   = "url"
	ruleUserInfo              = "user-info"
	ruleUnknownKey            = "unknown-key"
	ruleColor                 = "color"
	ruleDate                  = "date"
	ruleDateOffset            = "date-offset"
	ruleRelevantDates         = "relevant-dates"
	ruleRelevance             = "relevance"
	ruleLocations             = "locations"
	ruleBeacons               = "beacons"
	ruleMaxDistance           = "max-distance"
	ruleGroupingIdentifier    = "grouping-identifier"
	ruleStyleSchemes          = "style-schemes"
	ruleFeaturedActions       = "featured-actions"
	ruleFieldKey              = "field-key"
	ruleFieldKeyUnique        = "field-key-unique"
	ruleFieldValue            = "field-value"
	ruleFieldCount            = "field-count"
	ruleChangeMessage         = "change-message"
	ruleFieldDate             = "field-date"
	ruleFieldNumber           = "field-number"
	ruleFieldFormatterMix     = "field-formatter-mix"
	ruleCurrencyNumberStyle   = "currency-number-style"
	ruleCurrencyCode          = "currency-code"
	ruleTextAlignment         = "text-alignment"
	ruleFieldRow              = "field-row"
	ruleDataDetectors         = "data-detectors"
	ruleAttributedValue       = "attributed-value"
	ruleBarcodeFormat         = "barcode-format"
	ruleBarcodeEncoding       = "barcode-encoding"
	ruleBarcodeMessage        = "barcode-message"
	ruleBarcodeFallback       = "barcode-fallback"
	ruleBarcodeWatch          = "barcode-watchos"
	ruleNFCMessage            = "nfc-message"
	ruleNFCPublicKey          = "nfc-public-key"
	ruleSemanticAmount        = "semantic-currency-amount"
	ruleSemanticTimeZone      = "semantic-time-zone"
	ruleSemanticValue         = "semantic-value"
	rulePosterEventTicket     = "poster-event-ticket"
	ruleSemanticBoardingPass  = "semantic-boarding-pass"
	ruleUpcoming              = "upcoming-information"
	ruleIcon                  = "icon"
	ruleImageRole             = "image-role"
	ruleImagePNG              = "image-png"
	ruleImageSize             = "image-size"
	ruleImageLocalized        = "image-localized"
	ruleUnknownFile           = "unknown-file"
	ruleStrings               = "strings"
	rulePersonalization       = "personalization"
	ruleUnreplacedPlaceholder = "unreplaced-placeholder"
)

// Rules returns every rule of Validate with a one-line description and what to do, in the order Validate
// applies them (passforge lint --rules prints them). The slice is a copy: changing it changes nothing.
func Rules() []Rule { return slices.Clone(rules) }

// rules lists every rule of Validate.
var rules = []Rule{
	{ruleRequiredKey, "A standard key (formatVersion, passTypeIdentifier, serialNumber, teamIdentifier, organizationName, description) or a required sub-key is missing or empty.", "Set the key; Wallet rejects a pass without it."},
	{ruleFormatVersion, "formatVersion must be 1.", "Set formatVersion to 1."},
	{rulePassTypeIdentifier, "passTypeIdentifier must be a reverse-DNS identifier starting with \"pass.\".", "Use the Pass Type ID registered in your Apple developer account, e.g. pass.com.example.coffee."},
	{ruleTeamIdentifier, "teamIdentifier should be the 10-character alphanumeric Team ID.", "Copy the Team ID (the OU of your Pass Type ID certificate)."},
	{ruleStyle, "A pass has exactly one legacy style key (boardingPass, coupon, eventTicket, generic, storeCard), optionally plus posterGeneric.", "Keep one legacy style key; add posterGeneric only beside it."},
	{ruleTransitType, "boardingPass needs a valid transitType; no other style may carry one.", "Set boardingPass.transitType to PKTransitTypeAir, Boat, Bus, Generic or Train, and remove it elsewhere."},
	{ruleWebServiceHTTPS, "webServiceURL must be an absolute https URL.", "Serve the pass web service over https and use that URL."},
	{ruleAuthenticationToken, "authenticationToken must be at least 16 characters and is set if and only if webServiceURL is.", "Generate a random token of 16+ characters and set it together with webServiceURL."},
	{ruleAppLaunchURL, "appLaunchURL needs associatedStoreIdentifiers.", "Add the App Store ID of your app to associatedStoreIdentifiers, or remove appLaunchURL."},
	{ruleStoreIdentifiers, "App Store identifiers must be positive numbers.", "Use the numeric App Store (Adam) ID of the app."},
	{ruleURL, "A URL key must hold an absolute URL.", "Write the full URL with its scheme, e.g. https://example.com/parking."},
	{ruleUserInfo, "userInfo should be a JSON object.", "Wrap the data in a JSON object."},
	{ruleUnknownKey, "A key this package does not know; Wallet ignores it (often a misspelling).", "Check the spelling against Apple's key names, or remove the key."},
	{ruleColor, "A colour must be rgb(r, g, b) with components 0-255 (#RRGGBB and #RGB are accepted too).", "Write the colour as rgb(r, g, b)."},
	{ruleDate, "A date must be a W3C date with a time zone, such as 2026-05-07T10:30:00-05:00.", "Add the seconds if you like, but always a Z or ±hh:mm zone."},
	{ruleDateOffset, "A date's zone offset is written ±hhmm without the colon; Wallet's ISO 8601 parser wants ±hh:mm.", "Write the offset with a colon (+00:00, -05:00) or use Z; the message shows the fixed date."},
	{ruleRelevantDates, "Each relevantDates entry is either a date or a startDate with an endDate not before it.", "Give each entry date, or startDate and endDate in order."},
	{ruleRelevance, "The style ignores some relevance information (coupons and store cards ignore relevantDate).", "Use locations for coupons and store cards, or remove the date."},
	{ruleLocations, "At most 10 locations, each with latitude in -90..90 and longitude in -180..180.", "Keep the 10 most useful locations and check the coordinates."},
	{ruleBeacons, "At most 10 beacons, each with a UUID proximityUUID and major/minor in 0..65535.", "Fix the beacon UUID and numbers; keep at most 10 beacons."},
	{ruleMaxDistance, "maxDistance must be greater than 0.", "Set a positive distance in metres, or remove the key."},
	{ruleGroupingIdentifier, "groupingIdentifier only works on event tickets and boarding passes.", "Remove groupingIdentifier from other styles."},
	{ruleStyleSchemes, "preferredStyleSchemes holds known schemes that match the pass style.", "Use posterEventTicket/eventTicket with eventTicket, semanticBoardingPass/boardingPass with boardingPass."},
	{ruleFeaturedActions, "featuredActions entries need a unique identifier, a known type and a valid url; poster generic shows at most 2.", "Give each action a unique identifier and one of Apple's action types."},
	{ruleFieldKey, "Every field needs a non-empty key.", "Give the field a key."},
	{ruleFieldKeyUnique, "Field keys must be unique across every field group of the pass.", "Rename one of the fields with the same key."},
	{ruleFieldValue, "Every field needs a value that is a string or a number.", "Set value to a string, a number or a W3C date string."},
	{ruleFieldCount, "The style shows only so many fields in a group; extra fields are hidden.", "Move the extra fields to backFields or remove them."},
	{ruleChangeMessage, "changeMessage must contain exactly one %@ and no other format codes.", "Write e.g. \"Gate changed to %@\"; escape a literal percent sign as %%."},
	{ruleFieldDate, "A field with dateStyle, timeStyle, isRelative or ignoresTimeZone needs a W3C date value with a time zone.", "Write the value as a date such as 2026-05-07T10:30:00-05:00, or remove the date formatters."},
	{ruleFieldNumber, "A field with numberStyle or currencyCode needs a numeric value.", "Write the value as a JSON number (12.5, not \"12.5\"), or remove the number formatter."},
	{ruleFieldFormatterMix, "A field cannot have both date formatters and number formatters.", "Keep either the date or the number formatting."},
	{ruleCurrencyNumberStyle, "currencyCode and numberStyle must not both be set.", "Remove numberStyle from currency fields."},
	{ruleCurrencyCode, "A currency code must be three upper-case ISO 4217 letters.", "Use a code such as USD or EUR."},
	{ruleTextAlignment, "textAlignment must be a PKTextAlignment value and is invalid on primary and back fields.", "Remove textAlignment from primary and back fields."},
	{ruleFieldRow, "row is 0 or 1 and only on auxiliary fields (event tickets).", "Remove row, or set it to 0 or 1 on an auxiliary field."},
	{ruleDataDetectors, "dataDetectorTypes holds PKDataDetectorType values and only acts on back fields.", "Use PKDataDetectorTypePhoneNumber, Link, Address or CalendarEvent on back fields."},
	{ruleAttributedValue, "attributedValue may only contain <a href='...'> links as HTML.", "Remove other HTML tags from attributedValue."},
	{ruleBarcodeFormat, "A barcode format must be a PKBarcodeFormat Wallet knows; the legacy barcode key only takes QR, PDF417, Aztec and Code128.", "Use PKBarcodeFormatQR, PDF417, Aztec or Code128 (and the iOS 27 formats only in barcodes)."},
	{ruleBarcodeEncoding, "messageEncoding must be an IANA character set Wallet can encode, such as iso-8859-1 or utf-8.", "Set messageEncoding to iso-8859-1, or utf-8 for non-Latin text."},
	{ruleBarcodeMessage, "The barcode message must be encodable in messageEncoding, fit the symbology and use its character set.", "Shorten the message, change its characters, or pick a format that can hold it."},
	{ruleBarcodeFallback, "Code39, Codabar, EAN-13 and I2of5 need iOS 27; barcodes needs a QR, PDF417, Aztec or Code128 fallback after them.", "Add a QR or PDF417 entry after the iOS 27 format in barcodes."},
	{ruleBarcodeWatch, "Apple Watch cannot show Code128; a Code128 barcode alone shows no barcode there.", "Add a QR, PDF417 or Aztec entry to barcodes."},
	{ruleNFCMessage, "nfc.message is required and at most 64 bytes.", "Shorten the NFC payload to 64 bytes."},
	{ruleNFCPublicKey, "nfc.encryptionPublicKey must be a base64 X.509 SubjectPublicKeyInfo of a P-256 key.", "Export the terminal's ECDH P-256 public key as DER SPKI and base64 it."},
	{ruleSemanticAmount, "A semantic CurrencyAmount needs both amount (a decimal string) and currencyCode.", "Set amount like \"12.50\" and currencyCode like \"USD\"."},
	{ruleSemanticTimeZone, "A semantic time zone must be an IANA time zone identifier.", "Use an identifier such as America/Chicago."},
	{ruleSemanticValue, "A semantic tag has a value of the wrong kind or outside its enumeration.", "Use the documented type and values for the tag."},
	{rulePosterEventTicket, "A poster event ticket needs an eventTicket, nfc, the required semantics and a background or artwork image; poster-only keys need one.", "Add the missing item, or Wallet shows the legacy event ticket layout; remove poster-only keys from other passes."},
	{ruleSemanticBoardingPass, "A semantic boarding pass needs boardingPass with PKTransitTypeAir and the 12 required airline tags.", "Add the missing semantic tags, or Wallet shows the legacy boarding pass."},
	{ruleUpcoming, "upcomingPassInformation entries need a unique identifier, a name, type event, labelled fields and valid images.", "Fix the entry as the message says."},
	{ruleIcon, "Every pass needs icon.png (or icon@2x.png / icon@3x.png).", "Add an icon image."},
	{ruleImageRole, "The style does not show an image in this role; Wallet ignores it.", "Remove the image or use a role the style shows."},
	{ruleImagePNG, "An image must be a PNG file.", "Save the image as PNG."},
	{ruleImageSize, "An image should have the dimensions of its role at its scale.", "Resize the image to the size in the message."},
	{ruleImageLocalized, "Every localization holds the same image variants, and an image is not both at the top level and localized.", "Add the missing variants or remove the duplicates."},
	{ruleUnknownFile, "A file Wallet does not use.", "Remove the file; it only makes the pass bigger."},
	{ruleStrings, "pass.strings files parse, hold the same keys in every language, and hold every key pass.json uses.", "Add the missing keys to each language's pass.strings."},
	{rulePersonalization, "personalization.json needs nfc, requiredPersonalizationFields with known values, a description and personalizationLogo.png.", "Fix personalization.json or remove it."},
	{ruleUnreplacedPlaceholder, "A string of pass.json or pass.strings still holds a template placeholder such as {{holder_name}}: the pass would show it to the holder.", "Issue the pass from the design with a value for it (passforge build --template DIR --set NAME=..., or Values.Placeholders in Go), or remove it; lint a design with --template."},
}

// RuleByID returns the rule with the given ID.
func RuleByID(id string) (Rule, bool) {
	for _, r := range rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

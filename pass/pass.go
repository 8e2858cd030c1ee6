package pass

import "encoding/json"

// Pass is the top-level dictionary of a pass.json file. Every key Apple documents through iOS 27 has a typed
// field; keys it does not know are kept in Extra, so reading and writing a pass loses nothing. The zero value is
// an empty pass; set FormatVersion to 1.
type Pass struct {
	// FormatVersion is formatVersion, the version of the file format. It must be 1.
	FormatVersion int `json:"formatVersion"`
	// PassTypeIdentifier is passTypeIdentifier, the pass type identifier registered with Apple
	// ("pass.com.example.coffee"). It must equal the UID of the signing certificate.
	PassTypeIdentifier string `json:"passTypeIdentifier"`
	// SerialNumber is serialNumber, unique within the pass type.
	SerialNumber string `json:"serialNumber"`
	// TeamIdentifier is teamIdentifier, the Team ID of the developer account. It must equal the OU of the
	// signing certificate.
	TeamIdentifier string `json:"teamIdentifier"`
	// OrganizationName is organizationName (localizable), shown on the lock screen and in Mail.
	OrganizationName string `json:"organizationName"`
	// Description is description (localizable), a short description used by accessibility technologies.
	Description string `json:"description"`

	// AssociatedStoreIdentifiers is associatedStoreIdentifiers, the App Store identifiers of related apps.
	AssociatedStoreIdentifiers []int64 `json:"associatedStoreIdentifiers,omitempty"`
	// AppLaunchURL is appLaunchURL, passed to the associated app when it is launched from the pass.
	AppLaunchURL string `json:"appLaunchURL,omitempty"`
	// AuxiliaryStoreIdentifiers is auxiliaryStoreIdentifiers, extra apps shown in a poster event ticket's event
	// guide.
	AuxiliaryStoreIdentifiers []int64 `json:"auxiliaryStoreIdentifiers,omitempty"`
	// UserInfo is userInfo, JSON data for a companion app; Wallet never displays it. Use a JSON object.
	UserInfo json.RawMessage `json:"userInfo,omitempty"`

	// ExpirationDate is expirationDate: after this date Wallet shows the pass as expired and stops showing it on the
	// lock screen. Generic passes do not expire on their own.
	ExpirationDate Date `json:"expirationDate,omitzero"`
	// Voided is voided: the pass is no longer valid (used, refunded, cancelled). Wallet marks it void and stops showing
	// it on the lock screen.
	Voided bool `json:"voided,omitempty"`
	// RelevantDate is relevantDate, deprecated since iOS 18 in favour of RelevantDates but still read.
	RelevantDate Date `json:"relevantDate,omitzero"`
	// RelevantDates is relevantDates (iOS 18+): dates or intervals when the pass is relevant.
	RelevantDates []RelevantDate `json:"relevantDates,omitempty"`
	// Locations is locations: up to 10 places where the pass is relevant.
	Locations []Location `json:"locations,omitempty"`
	// Beacons is beacons: up to 10 iBeacons near which the pass is relevant.
	Beacons []Beacon `json:"beacons,omitempty"`
	// MaxDistance is maxDistance, in metres: the largest distance from a location at which the pass is
	// relevant. If zero, the key is absent and the system default applies.
	MaxDistance float64 `json:"maxDistance,omitempty"`

	// BoardingPass is boardingPass, the boarding pass style; it needs a TransitType.
	BoardingPass *PassFields `json:"boardingPass,omitempty"`
	// Coupon is coupon, the coupon style: a pass for a discount or special offer, with a strip image behind the primary
	// field and at most four secondary and auxiliary fields together on one row.
	Coupon *PassFields `json:"coupon,omitempty"`
	// EventTicket is eventTicket, the event ticket style (also the fallback of a poster event ticket).
	EventTicket *PassFields `json:"eventTicket,omitempty"`
	// Generic is generic, the generic style for any pass that fits no other style (gym or membership cards, claim
	// checks), with an optional thumbnail image beside the fields.
	Generic *PassFields `json:"generic,omitempty"`
	// StoreCard is storeCard, the store card style for loyalty, gift and reward cards, with a strip image behind the
	// primary field (a balance, say); NFC and personalization are offered for it.
	StoreCard *PassFields `json:"storeCard,omitempty"`
	// PosterGeneric is posterGeneric (iOS 27+), shipped together with one legacy style that older systems show.
	PosterGeneric *PassFields `json:"posterGeneric,omitempty"`

	// BackgroundColor is backgroundColor, the colour of the pass's background as rgb(r, g, b). A background image
	// (event tickets) replaces it; if empty, Wallet picks a default.
	BackgroundColor Color `json:"backgroundColor,omitempty"`
	// ForegroundColor is foregroundColor, the colour of field values and logo text as rgb(r, g, b). Ignored by poster
	// event tickets with useAutomaticColors.
	ForegroundColor Color `json:"foregroundColor,omitempty"`
	// LabelColor is labelColor, the colour of field labels as rgb(r, g, b); if empty, Wallet derives one from the other
	// colours.
	LabelColor Color `json:"labelColor,omitempty"`
	// StripColor is stripColor (undocumented; accepted by Wallet), the colour of primary values over a strip.
	StripColor Color `json:"stripColor,omitempty"`
	// FooterBackgroundColor is footerBackgroundColor, the colour of the footer band of a poster event ticket (iOS 18+)
	// as rgb(r, g, b); other passes ignore it.
	FooterBackgroundColor Color `json:"footerBackgroundColor,omitempty"`
	// UseAutomaticColors is useAutomaticColors: poster event tickets derive foreground and label colours.
	UseAutomaticColors bool `json:"useAutomaticColors,omitempty"`
	// SuppressHeaderDarkening is suppressHeaderDarkening: a poster event ticket (iOS 18+) does not darken the top of
	// its artwork behind the header; other passes ignore it.
	SuppressHeaderDarkening bool `json:"suppressHeaderDarkening,omitempty"`
	// SuppressStripShine is suppressStripShine (deprecated: iOS 7 and later never add shine). Nil means absent.
	SuppressStripShine *bool `json:"suppressStripShine,omitempty"`
	// LogoText is logoText (localizable), the text shown next to the logo image at the top of the pass. Poster event
	// tickets do not show it (see eventLogoText).
	LogoText string `json:"logoText,omitempty"`
	// EventLogoText is eventLogoText (localizable), for poster event tickets (iOS 18.1+).
	EventLogoText string `json:"eventLogoText,omitempty"`
	// LogoSymbolName is logoSymbolName, an SF Symbol shown as the logo (Pass Builder only; unconfirmed).
	LogoSymbolName string `json:"logoSymbolName,omitempty"`
	// GroupingIdentifier is groupingIdentifier: passes of the same style, type and identifier are grouped.
	// Event tickets and boarding passes only.
	GroupingIdentifier string `json:"groupingIdentifier,omitempty"`
	// Barcode is barcode, the single barcode of the original format, deprecated since iOS 9 in favour of barcodes; only
	// iOS 8 and earlier read it. It takes QR, PDF417, Aztec and Code128 only, and an invalid one makes Wallet reject
	// the whole pass.
	Barcode *Barcode `json:"barcode,omitempty"`
	// Barcodes is barcodes (iOS 9+): the first one the device can display is shown.
	Barcodes []Barcode `json:"barcodes,omitempty"`
	// PreferredStyleSchemes is preferredStyleSchemes: the layouts Wallet tries in order (posterEventTicket,
	// eventTicket, semanticBoardingPass, boardingPass).
	PreferredStyleSchemes []StyleScheme `json:"preferredStyleSchemes,omitempty"`
	// SharingProhibited is sharingProhibited (iOS 11+): Wallet hides the Share button. It does not stop every other way
	// of sharing the file.
	SharingProhibited bool `json:"sharingProhibited,omitempty"`
	// Semantics is semantics, machine-readable tags about the pass (event, venue, flight, seats, balance) that Siri
	// suggestions, poster event tickets and semantic boarding passes use; see Semantics.
	Semantics *Semantics `json:"semantics,omitempty"`
	// FeaturedActions is featuredActions (iOS 27): action cards shown in Wallet.
	FeaturedActions []FeaturedAction `json:"featuredActions,omitempty"`

	// WebServiceURL is webServiceURL, the https base URL of the pass update web service.
	WebServiceURL string `json:"webServiceURL,omitempty"`
	// AuthenticationToken is authenticationToken (16 characters or more), sent by devices to the web service.
	AuthenticationToken string `json:"authenticationToken,omitempty"`

	// NFC is nfc: the pass is presented over NFC (needs an NFC-enabled certificate).
	NFC *NFC `json:"nfc,omitempty"`

	// Poster event ticket URLs and contacts (iOS 18+), shown in the event guide.

	// AccessibilityURL is accessibilityURL, a page on the venue's accessibility services. Poster event tickets (iOS
	// 18+) show it in the event guide; Wallet ignores it on other passes.
	AccessibilityURL string `json:"accessibilityURL,omitempty"`
	// AddOnURL is addOnURL, where to buy upgrades or add-ons for the event. Poster event tickets (iOS 18+) show it in
	// the event guide; Wallet ignores it on other passes.
	AddOnURL string `json:"addOnURL,omitempty"`
	// BagPolicyURL is bagPolicyURL, the venue's bag policy page. Poster event tickets (iOS 18+) show it in the event
	// guide; Wallet ignores it on other passes.
	BagPolicyURL string `json:"bagPolicyURL,omitempty"`
	// DirectionsInformationURL is directionsInformationURL, directions to the venue. Poster event tickets (iOS 18+)
	// show it in the event guide; Wallet ignores it on other passes.
	DirectionsInformationURL string `json:"directionsInformationURL,omitempty"`
	// MerchandiseURL is merchandiseURL, where to buy merchandise for the event. Poster event tickets (iOS 18+) show it
	// in the event guide; Wallet ignores it on other passes.
	MerchandiseURL string `json:"merchandiseURL,omitempty"`
	// OrderFoodURL is orderFoodURL, where to order food and drinks at the venue. Poster event tickets (iOS 18+) show it
	// in the event guide; Wallet ignores it on other passes.
	OrderFoodURL string `json:"orderFoodURL,omitempty"`
	// ParkingInformationURL is parkingInformationURL, parking information for the venue. Poster event tickets (iOS 18+)
	// show it in the event guide; Wallet ignores it on other passes.
	ParkingInformationURL string `json:"parkingInformationURL,omitempty"`
	// PurchaseParkingURL is purchaseParkingURL, where to buy a parking pass. Poster event tickets (iOS 18+) show it in
	// the event guide; Wallet ignores it on other passes.
	PurchaseParkingURL string `json:"purchaseParkingURL,omitempty"`
	// TransitInformationURL is transitInformationURL, public transport to the venue. Poster event tickets (iOS 18+)
	// show it in the event guide; Wallet ignores it on other passes.
	TransitInformationURL string `json:"transitInformationURL,omitempty"`
	// SellURL is sellURL, where the holder can resell the ticket. Poster event tickets (iOS 18+) show it in the event
	// guide; Wallet ignores it on other passes.
	SellURL string `json:"sellURL,omitempty"`
	// TransferURL is transferURL, where the holder can transfer the ticket to someone else. Poster event tickets (iOS
	// 18+) show it in the event guide; Wallet ignores it on other passes.
	TransferURL string `json:"transferURL,omitempty"`
	// ContactVenueEmail is contactVenueEmail, the venue's e-mail address (Wallet opens it as a mailto: link). Poster
	// event tickets (iOS 18+) show it in the event guide; Wallet ignores it on other passes.
	ContactVenueEmail string `json:"contactVenueEmail,omitempty"`
	// ContactVenuePhoneNumber is contactVenuePhoneNumber, the venue's phone number (Wallet dials it as a tel: link).
	// Poster event tickets (iOS 18+) show it in the event guide; Wallet ignores it on other passes.
	ContactVenuePhoneNumber string `json:"contactVenuePhoneNumber,omitempty"`
	// ContactVenueWebsite is contactVenueWebsite, the venue's website. Poster event tickets (iOS 18+) show it in the
	// event guide; Wallet ignores it on other passes.
	ContactVenueWebsite string `json:"contactVenueWebsite,omitempty"`

	// Semantic (airline) boarding pass URLs and contacts (iOS 26+).

	// ChangeSeatURL is changeSeatURL, where the passenger can change seats. Semantic airline boarding passes (iOS 26+)
	// offer it to the passenger; Wallet ignores it on other passes.
	ChangeSeatURL string `json:"changeSeatURL,omitempty"`
	// EntertainmentURL is entertainmentURL, the in-flight entertainment page. Semantic airline boarding passes (iOS
	// 26+) offer it to the passenger; Wallet ignores it on other passes.
	EntertainmentURL string `json:"entertainmentURL,omitempty"`
	// PurchaseAdditionalBaggageURL is purchaseAdditionalBaggageURL, where to add checked bags. Semantic airline
	// boarding passes (iOS 26+) offer it to the passenger; Wallet ignores it on other passes.
	PurchaseAdditionalBaggageURL string `json:"purchaseAdditionalBaggageURL,omitempty"`
	// PurchaseLoungeAccessURL is purchaseLoungeAccessURL, where to buy lounge access. Semantic airline boarding passes
	// (iOS 26+) offer it to the passenger; Wallet ignores it on other passes.
	PurchaseLoungeAccessURL string `json:"purchaseLoungeAccessURL,omitempty"`
	// PurchaseWifiURL is purchaseWifiURL, where to buy in-flight Wi-Fi. Semantic airline boarding passes (iOS 26+)
	// offer it to the passenger; Wallet ignores it on other passes.
	PurchaseWifiURL string `json:"purchaseWifiURL,omitempty"`
	// UpgradeURL is upgradeURL, where to upgrade the flight (cabin, seat). Semantic airline boarding passes (iOS 26+)
	// offer it to the passenger; Wallet ignores it on other passes.
	UpgradeURL string `json:"upgradeURL,omitempty"`
	// ManagementURL is managementURL, where to manage the booking. Semantic airline boarding passes (iOS 26+) offer it
	// to the passenger; Wallet ignores it on other passes.
	ManagementURL string `json:"managementURL,omitempty"`
	// RegisterServiceAnimalURL is registerServiceAnimalURL, where to register a service animal for the flight. Semantic
	// airline boarding passes (iOS 26+) offer it to the passenger; Wallet ignores it on other passes.
	RegisterServiceAnimalURL string `json:"registerServiceAnimalURL,omitempty"`
	// ReportLostBagURL is reportLostBagURL, where to report a lost bag. Semantic airline boarding passes (iOS 26+)
	// offer it to the passenger; Wallet ignores it on other passes.
	ReportLostBagURL string `json:"reportLostBagURL,omitempty"`
	// RequestWheelchairURL is requestWheelchairURL, where to request wheelchair assistance. Semantic airline boarding
	// passes (iOS 26+) offer it to the passenger; Wallet ignores it on other passes.
	RequestWheelchairURL string `json:"requestWheelchairURL,omitempty"`
	// TrackBagsURL is trackBagsURL, where to track checked bags. Semantic airline boarding passes (iOS 26+) offer it to
	// the passenger; Wallet ignores it on other passes.
	TrackBagsURL string `json:"trackBagsURL,omitempty"`
	// TransitProviderEmail is transitProviderEmail, the airline's e-mail address for the passenger. Semantic airline
	// boarding passes (iOS 26+) offer it to the passenger; Wallet ignores it on other passes.
	TransitProviderEmail string `json:"transitProviderEmail,omitempty"`
	// TransitProviderPhoneNumber is transitProviderPhoneNumber, the airline's phone number for the passenger. Semantic
	// airline boarding passes (iOS 26+) offer it to the passenger; Wallet ignores it on other passes.
	TransitProviderPhoneNumber string `json:"transitProviderPhoneNumber,omitempty"`
	// TransitProviderWebsiteURL is transitProviderWebsiteURL, the airline's website. Semantic airline boarding passes
	// (iOS 26+) offer it to the passenger; Wallet ignores it on other passes.
	TransitProviderWebsiteURL string `json:"transitProviderWebsiteURL,omitempty"`

	// UpcomingPassInformation is upcomingPassInformation (iOS 26+): the events of a multi-event pass.
	UpcomingPassInformation []UpcomingPassInformationEntry `json:"upcomingPassInformation,omitempty"`

	// Extra holds top-level keys this package does not model, as read; they are written back unchanged.
	Extra map[string]json.RawMessage `json:"-"`
}

// RelevantDate is one entry of relevantDates: either a single Date or an interval from StartDate to EndDate.
type RelevantDate struct {
	// Date is date: a moment from which Wallet derives an interval.
	Date Date `json:"date,omitzero"`
	// StartDate is startDate; EndDate is required with it.
	StartDate Date `json:"startDate,omitzero"`
	// EndDate is endDate, the end of the interval in which the pass is relevant (shown on the lock screen and in the
	// Wallet stack); required with startDate and not before it.
	EndDate Date `json:"endDate,omitzero"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// Location is one entry of locations: a place near which Wallet shows the pass on the lock screen, with
// relevantText as the notification text.
type Location struct {
	// Latitude is latitude, the place's latitude in degrees north (-90 to 90); near it Wallet shows the pass on the
	// lock screen. Required.
	Latitude float64 `json:"latitude"`
	// Longitude is longitude, the place's longitude in degrees east (-180 to 180). Required.
	Longitude float64 `json:"longitude"`
	// Altitude is altitude, in metres; nil when absent.
	Altitude *float64 `json:"altitude,omitempty"`
	// RelevantText is relevantText, shown on the lock screen near the location.
	RelevantText string `json:"relevantText,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// Beacon is one entry of beacons: an iBeacon near which Wallet shows the pass on the lock screen.
type Beacon struct {
	// ProximityUUID is proximityUUID, the UUID the iBeacon advertises ("E2C56DB5-DFFB-48D2-B060-D0F5A71096E0"); near
	// such a beacon Wallet shows the pass on the lock screen. Required.
	ProximityUUID string `json:"proximityUUID"`
	// Major is major, the beacon's major number (0-65535), narrowing proximityUUID to a group of beacons; nil matches
	// any major value.
	Major *int `json:"major,omitempty"`
	// Minor is minor, the beacon's minor number (0-65535), narrowing major to one beacon; nil matches any minor value.
	Minor *int `json:"minor,omitempty"`
	// RelevantText is relevantText, shown on the lock screen near the beacon.
	RelevantText string `json:"relevantText,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// NFC is the nfc dictionary: the pass is presented to a contactless terminal (Apple VAS). Signing such a pass
// needs an NFC-enabled Pass Type ID certificate from Apple; poster event tickets require it.
type NFC struct {
	// Message is message, the payload sent to an NFC terminal (64 bytes at most).
	Message string `json:"message"`
	// EncryptionPublicKey is encryptionPublicKey: a base64 X.509 SubjectPublicKeyInfo of a P-256 key.
	EncryptionPublicKey string `json:"encryptionPublicKey,omitempty"`
	// RequiresAuthentication is requiresAuthentication (iOS 13.1+): the holder must authenticate (Face ID, Touch ID or
	// passcode) before the pass is presented over NFC. Set sharingProhibited too, so that older iOS versions cannot be
	// used to bypass it.
	RequiresAuthentication bool `json:"requiresAuthentication,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// FeaturedAction is one entry of featuredActions (iOS 27): an action card Wallet shows with the pass (view the
// schedule, call, order, book…), opening url. The key name comes from Apple's Pass Builder only.
type FeaturedAction struct {
	// Identifier is identifier, the action's own name, unique within the pass (Validate warns about a missing or
	// repeated one).
	Identifier string `json:"identifier"`
	// Type is type, for example "viewSchedule", "call" or "membershipBenefits".
	Type string `json:"type"`
	// URL is url, opened when the action is chosen.
	URL string `json:"url,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// Barcode is a barcode dictionary, in barcode or barcodes: the code Wallet draws on the pass (or on its back
// when the pass also has nfc) for a scanner to read.
type Barcode struct {
	// Format is format, the symbology: PKBarcodeFormatQR, PDF417, Aztec or Code128, and in barcodes since iOS 27
	// Code39, Codabar, EAN13 and I2of5 (give an older format after them). Apple Watch cannot show Code128. Required.
	Format BarcodeFormat `json:"format"`
	// Message is message, the payload the scanner reads, encoded in messageEncoding before it is drawn. Required.
	Message string `json:"message"`
	// MessageEncoding is messageEncoding, an IANA character set name such as "iso-8859-1".
	MessageEncoding string `json:"messageEncoding"`
	// AltText is altText, text shown near the barcode.
	AltText string `json:"altText,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

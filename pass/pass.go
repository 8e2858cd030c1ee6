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

	// ExpirationDate is expirationDate: after it the pass shows as expired.
	ExpirationDate Date `json:"expirationDate,omitzero"`
	// Voided is voided: the pass is no longer valid.
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
	// Coupon is coupon, the coupon style.
	Coupon *PassFields `json:"coupon,omitempty"`
	// EventTicket is eventTicket, the event ticket style (also the fallback of a poster event ticket).
	EventTicket *PassFields `json:"eventTicket,omitempty"`
	// Generic is generic, the generic style.
	Generic *PassFields `json:"generic,omitempty"`
	// StoreCard is storeCard, the store card style.
	StoreCard *PassFields `json:"storeCard,omitempty"`
	// PosterGeneric is posterGeneric (iOS 27+), shipped together with one legacy style that older systems show.
	PosterGeneric *PassFields `json:"posterGeneric,omitempty"`

	// BackgroundColor is backgroundColor.
	BackgroundColor Color `json:"backgroundColor,omitempty"`
	// ForegroundColor is foregroundColor, the colour of field values.
	ForegroundColor Color `json:"foregroundColor,omitempty"`
	// LabelColor is labelColor, the colour of field labels.
	LabelColor Color `json:"labelColor,omitempty"`
	// StripColor is stripColor (undocumented; accepted by Wallet), the colour of primary values over a strip.
	StripColor Color `json:"stripColor,omitempty"`
	// FooterBackgroundColor is footerBackgroundColor, for poster event tickets.
	FooterBackgroundColor Color `json:"footerBackgroundColor,omitempty"`
	// UseAutomaticColors is useAutomaticColors: poster event tickets derive foreground and label colours.
	UseAutomaticColors bool `json:"useAutomaticColors,omitempty"`
	// SuppressHeaderDarkening is suppressHeaderDarkening, for poster event tickets.
	SuppressHeaderDarkening bool `json:"suppressHeaderDarkening,omitempty"`
	// SuppressStripShine is suppressStripShine (deprecated: iOS 7 and later never add shine). Nil means absent.
	SuppressStripShine *bool `json:"suppressStripShine,omitempty"`
	// LogoText is logoText (localizable), shown next to the logo.
	LogoText string `json:"logoText,omitempty"`
	// EventLogoText is eventLogoText (localizable), for poster event tickets (iOS 18.1+).
	EventLogoText string `json:"eventLogoText,omitempty"`
	// LogoSymbolName is logoSymbolName, an SF Symbol shown as the logo (Pass Builder only; unconfirmed).
	LogoSymbolName string `json:"logoSymbolName,omitempty"`
	// GroupingIdentifier is groupingIdentifier: passes of the same style, type and identifier are grouped.
	// Event tickets and boarding passes only.
	GroupingIdentifier string `json:"groupingIdentifier,omitempty"`
	// Barcode is barcode, the legacy single barcode (iOS 8 and earlier).
	Barcode *Barcode `json:"barcode,omitempty"`
	// Barcodes is barcodes (iOS 9+): the first one the device can display is shown.
	Barcodes []Barcode `json:"barcodes,omitempty"`
	// PreferredStyleSchemes is preferredStyleSchemes: the layouts Wallet tries in order (posterEventTicket,
	// eventTicket, semanticBoardingPass, boardingPass).
	PreferredStyleSchemes []StyleScheme `json:"preferredStyleSchemes,omitempty"`
	// SharingProhibited is sharingProhibited: hides the Share button.
	SharingProhibited bool `json:"sharingProhibited,omitempty"`
	// Semantics is semantics: machine-readable metadata about the pass.
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

	// AccessibilityURL is accessibilityURL.
	AccessibilityURL string `json:"accessibilityURL,omitempty"`
	// AddOnURL is addOnURL.
	AddOnURL string `json:"addOnURL,omitempty"`
	// BagPolicyURL is bagPolicyURL.
	BagPolicyURL string `json:"bagPolicyURL,omitempty"`
	// DirectionsInformationURL is directionsInformationURL.
	DirectionsInformationURL string `json:"directionsInformationURL,omitempty"`
	// MerchandiseURL is merchandiseURL.
	MerchandiseURL string `json:"merchandiseURL,omitempty"`
	// OrderFoodURL is orderFoodURL.
	OrderFoodURL string `json:"orderFoodURL,omitempty"`
	// ParkingInformationURL is parkingInformationURL.
	ParkingInformationURL string `json:"parkingInformationURL,omitempty"`
	// PurchaseParkingURL is purchaseParkingURL.
	PurchaseParkingURL string `json:"purchaseParkingURL,omitempty"`
	// TransitInformationURL is transitInformationURL.
	TransitInformationURL string `json:"transitInformationURL,omitempty"`
	// SellURL is sellURL.
	SellURL string `json:"sellURL,omitempty"`
	// TransferURL is transferURL.
	TransferURL string `json:"transferURL,omitempty"`
	// ContactVenueEmail is contactVenueEmail.
	ContactVenueEmail string `json:"contactVenueEmail,omitempty"`
	// ContactVenuePhoneNumber is contactVenuePhoneNumber.
	ContactVenuePhoneNumber string `json:"contactVenuePhoneNumber,omitempty"`
	// ContactVenueWebsite is contactVenueWebsite.
	ContactVenueWebsite string `json:"contactVenueWebsite,omitempty"`

	// Semantic (airline) boarding pass URLs and contacts (iOS 26+).

	// ChangeSeatURL is changeSeatURL.
	ChangeSeatURL string `json:"changeSeatURL,omitempty"`
	// EntertainmentURL is entertainmentURL.
	EntertainmentURL string `json:"entertainmentURL,omitempty"`
	// PurchaseAdditionalBaggageURL is purchaseAdditionalBaggageURL.
	PurchaseAdditionalBaggageURL string `json:"purchaseAdditionalBaggageURL,omitempty"`
	// PurchaseLoungeAccessURL is purchaseLoungeAccessURL.
	PurchaseLoungeAccessURL string `json:"purchaseLoungeAccessURL,omitempty"`
	// PurchaseWifiURL is purchaseWifiURL.
	PurchaseWifiURL string `json:"purchaseWifiURL,omitempty"`
	// UpgradeURL is upgradeURL.
	UpgradeURL string `json:"upgradeURL,omitempty"`
	// ManagementURL is managementURL.
	ManagementURL string `json:"managementURL,omitempty"`
	// RegisterServiceAnimalURL is registerServiceAnimalURL.
	RegisterServiceAnimalURL string `json:"registerServiceAnimalURL,omitempty"`
	// ReportLostBagURL is reportLostBagURL.
	ReportLostBagURL string `json:"reportLostBagURL,omitempty"`
	// RequestWheelchairURL is requestWheelchairURL.
	RequestWheelchairURL string `json:"requestWheelchairURL,omitempty"`
	// TrackBagsURL is trackBagsURL.
	TrackBagsURL string `json:"trackBagsURL,omitempty"`
	// TransitProviderEmail is transitProviderEmail.
	TransitProviderEmail string `json:"transitProviderEmail,omitempty"`
	// TransitProviderPhoneNumber is transitProviderPhoneNumber.
	TransitProviderPhoneNumber string `json:"transitProviderPhoneNumber,omitempty"`
	// TransitProviderWebsiteURL is transitProviderWebsiteURL.
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
	// EndDate is endDate.
	EndDate Date `json:"endDate,omitzero"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// Location is one entry of locations.
type Location struct {
	// Latitude is latitude, in degrees (-90 to 90).
	Latitude float64 `json:"latitude"`
	// Longitude is longitude, in degrees (-180 to 180).
	Longitude float64 `json:"longitude"`
	// Altitude is altitude, in metres; nil when absent.
	Altitude *float64 `json:"altitude,omitempty"`
	// RelevantText is relevantText, shown on the lock screen near the location.
	RelevantText string `json:"relevantText,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// Beacon is one entry of beacons.
type Beacon struct {
	// ProximityUUID is proximityUUID, the beacon's UUID.
	ProximityUUID string `json:"proximityUUID"`
	// Major is major (0-65535); nil matches any major value.
	Major *int `json:"major,omitempty"`
	// Minor is minor (0-65535); nil matches any minor value.
	Minor *int `json:"minor,omitempty"`
	// RelevantText is relevantText, shown on the lock screen near the beacon.
	RelevantText string `json:"relevantText,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// NFC is the nfc dictionary.
type NFC struct {
	// Message is message, the payload sent to an NFC terminal (64 bytes at most).
	Message string `json:"message"`
	// EncryptionPublicKey is encryptionPublicKey: a base64 X.509 SubjectPublicKeyInfo of a P-256 key.
	EncryptionPublicKey string `json:"encryptionPublicKey,omitempty"`
	// RequiresAuthentication is requiresAuthentication (iOS 13.1+).
	RequiresAuthentication bool `json:"requiresAuthentication,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// FeaturedAction is one entry of featuredActions (iOS 27).
type FeaturedAction struct {
	// Identifier is identifier, unique within the pass.
	Identifier string `json:"identifier"`
	// Type is type, for example "viewSchedule", "call" or "membershipBenefits".
	Type string `json:"type"`
	// URL is url, opened when the action is chosen.
	URL string `json:"url,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// Barcode is a barcode dictionary, in barcode or barcodes.
type Barcode struct {
	// Format is format.
	Format BarcodeFormat `json:"format"`
	// Message is message, the payload.
	Message string `json:"message"`
	// MessageEncoding is messageEncoding, an IANA character set name such as "iso-8859-1".
	MessageEncoding string `json:"messageEncoding"`
	// AltText is altText, text shown near the barcode.
	AltText string `json:"altText,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

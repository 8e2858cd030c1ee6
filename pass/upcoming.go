package pass

import "encoding/json"

// UpcomingPassInformationEntry is an entry of upcomingPassInformation (iOS 26+): one event of a multi-event pass.
type UpcomingPassInformationEntry struct {
	// Identifier is identifier, the entry's own name, unique across the entries (Wallet rejects duplicates); keep it
	// stable across updates. Required.
	Identifier string `json:"identifier"`
	// Name is name (localizable), the event's title as the list of upcoming events shows it. Required.
	Name string `json:"name"`
	// Type is type, the kind of entry; the only value Wallet knows is "event". Required.
	Type string `json:"type"`
	// IsActive is isActive: Wallet treats the entry as the currently active one; false by default.
	IsActive bool `json:"isActive,omitempty"`
	// DateInformation is dateInformation; nil shows the entry as to be determined.
	DateInformation *UpcomingDateInformation `json:"dateInformation,omitempty"`
	// Semantics is semantics, for example venueName, venueLocation, performerNames, seats.
	Semantics *Semantics `json:"semantics,omitempty"`
	// AdditionalInfoFields is additionalInfoFields; each field needs a label.
	AdditionalInfoFields []Field `json:"additionalInfoFields,omitempty"`
	// BackFields is backFields; each field needs a label.
	BackFields []Field `json:"backFields,omitempty"`
	// AuxiliaryStoreIdentifiers is auxiliaryStoreIdentifiers, App Store identifiers of apps to suggest in the entry's
	// event guide.
	AuxiliaryStoreIdentifiers []int64 `json:"auxiliaryStoreIdentifiers,omitempty"`
	// URLs is URLs: the entry's event guide links.
	URLs *UpcomingURLs `json:"URLs,omitempty"`
	// Images is images, the entry's pictures: headerImage at the top of its details and venueMap in its event guide.
	Images *UpcomingImages `json:"images,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// UpcomingDateInformation is an upcoming entry's dateInformation: when its event takes place, or that this is
// not known yet.
type UpcomingDateInformation struct {
	// Date is date, when the event starts, a W3C date with a time zone. Without a dateInformation the entry shows as to
	// be determined.
	Date Date `json:"date,omitzero"`
	// TimeZone is timeZone, an IANA time zone identifier.
	TimeZone string `json:"timeZone,omitempty"`
	// IgnoreTimeComponents is ignoreTimeComponents: show only the day of date, not its time.
	IgnoreTimeComponents bool `json:"ignoreTimeComponents,omitempty"`
	// IsAllDay is isAllDay: the event lasts all day; Wallet shows the day without a time.
	IsAllDay bool `json:"isAllDay,omitempty"`
	// IsUnannounced is isUnannounced: the date is not announced yet; Wallet says so instead of showing date.
	IsUnannounced bool `json:"isUnannounced,omitempty"`
	// IsUndetermined is isUndetermined: the date is not decided yet (to be determined); Wallet says so instead of
	// showing date.
	IsUndetermined bool `json:"isUndetermined,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// UpcomingURLs is an upcoming entry's URLs dictionary: the links of its event guide, with the same meaning as
// the pass's own event guide keys.
type UpcomingURLs struct {
	// AccessibilityURL is accessibilityURL, a page on the venue's accessibility services. The entry's event guide shows
	// it, as for the pass's own key.
	AccessibilityURL string `json:"accessibilityURL,omitempty"`
	// AddOnURL is addOnURL, where to buy upgrades or add-ons for this event. The entry's event guide shows it, as for
	// the pass's own key.
	AddOnURL string `json:"addOnURL,omitempty"`
	// BagPolicyURL is bagPolicyURL, the venue's bag policy page. The entry's event guide shows it, as for the pass's
	// own key.
	BagPolicyURL string `json:"bagPolicyURL,omitempty"`
	// ContactVenueEmail is contactVenueEmail, the venue's e-mail address; Wallet turns it into a mailto: link.
	ContactVenueEmail string `json:"contactVenueEmail,omitempty"`
	// ContactVenuePhoneNumber is contactVenuePhoneNumber, the venue's phone number; Wallet turns it into a tel: link.
	ContactVenuePhoneNumber string `json:"contactVenuePhoneNumber,omitempty"`
	// ContactVenueWebsite is contactVenueWebsite, the venue's website. The entry's event guide shows it, as for the
	// pass's own key.
	ContactVenueWebsite string `json:"contactVenueWebsite,omitempty"`
	// DirectionsInformationURL is directionsInformationURL, directions to this event's venue. The entry's event guide
	// shows it, as for the pass's own key.
	DirectionsInformationURL string `json:"directionsInformationURL,omitempty"`
	// MerchandiseURL is merchandiseURL, where to buy merchandise for this event. The entry's event guide shows it, as
	// for the pass's own key.
	MerchandiseURL string `json:"merchandiseURL,omitempty"`
	// OrderFoodURL is orderFoodURL, where to order food and drinks at the venue. The entry's event guide shows it, as
	// for the pass's own key.
	OrderFoodURL string `json:"orderFoodURL,omitempty"`
	// ParkingInformationURL is parkingInformationURL, parking information for the venue. The entry's event guide shows
	// it, as for the pass's own key.
	ParkingInformationURL string `json:"parkingInformationURL,omitempty"`
	// PurchaseParkingURL is purchaseParkingURL, where to buy a parking pass for this event. The entry's event guide
	// shows it, as for the pass's own key.
	PurchaseParkingURL string `json:"purchaseParkingURL,omitempty"`
	// SellURL is sellURL, where the holder can resell the ticket for this event. The entry's event guide shows it, as
	// for the pass's own key.
	SellURL string `json:"sellURL,omitempty"`
	// TransferURL is transferURL, where the holder can transfer the ticket for this event. The entry's event guide
	// shows it, as for the pass's own key.
	TransferURL string `json:"transferURL,omitempty"`
	// TransitInformationURL is transitInformationURL, public transport to the venue. The entry's event guide shows it,
	// as for the pass's own key.
	TransitInformationURL string `json:"transitInformationURL,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// UpcomingImages is an upcoming entry's images dictionary: the pictures Wallet downloads for the entry.
type UpcomingImages struct {
	// HeaderImage is headerImage, the picture at the top of the entry's details, fetched from its URLs (reuseExisting
	// is not allowed here).
	HeaderImage *UpcomingImage `json:"headerImage,omitempty"`
	// VenueMap is venueMap, the map of the venue in the entry's event guide: fetched from its URLs, or with
	// reuseExisting the pass's own venueMap.png.
	VenueMap *UpcomingImage `json:"venueMap,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// UpcomingImage is an image of an upcoming entry: remote URLs, or (venueMap only) the pass's own venueMap.png.
type UpcomingImage struct {
	// URLs is URLs, the image at one or more scales.
	URLs []ImageURLEntry `json:"URLs,omitempty"`
	// ReuseExisting is reuseExisting: use the pass's venueMap image (venueMap only).
	ReuseExisting bool `json:"reuseExisting,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// ImageURLEntry is an ImageURLEntry: one remote image at one scale that Wallet downloads, described by the
// SHA-256 and size of its bytes.
type ImageURLEntry struct {
	// URL is URL, the https address Wallet downloads the image from. Required.
	URL string `json:"URL"`
	// SHA256 is SHA256, the hex SHA-256 of the image bytes.
	SHA256 string `json:"SHA256"`
	// Scale is scale, the screen scale the image is drawn for (1, 2 or 3); if zero, the key is absent and Wallet takes
	// 1.
	Scale int `json:"scale,omitempty"`
	// Size is size, in bytes (2 MB at most).
	Size int64 `json:"size,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// Personalization is the personalization.json file of a personalizable (NFC reward card) pass.
type Personalization struct {
	// RequiredPersonalizationFields is requiredPersonalizationFields, what the sign-up sheet asks the holder for (name,
	// postal code, e-mail address, phone number) and sends to the web service. Required and not empty.
	RequiredPersonalizationFields []PersonalizationField `json:"requiredPersonalizationFields"`
	// Description is description, shown under the logo on the sign-up sheet.
	Description string `json:"description"`
	// TermsAndConditions is termsAndConditions, shown after the user taps Next.
	TermsAndConditions string `json:"termsAndConditions,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// PersonalizationField is an entry of requiredPersonalizationFields.
type PersonalizationField string

// The personalization fields.
const (
	PersonalizationFieldName         PersonalizationField = "PKPassPersonalizationFieldName"
	PersonalizationFieldPostalCode   PersonalizationField = "PKPassPersonalizationFieldPostalCode"
	PersonalizationFieldEmailAddress PersonalizationField = "PKPassPersonalizationFieldEmailAddress"
	PersonalizationFieldPhoneNumber  PersonalizationField = "PKPassPersonalizationFieldPhoneNumber"
)

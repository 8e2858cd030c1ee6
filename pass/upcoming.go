package pass

import "encoding/json"

// UpcomingPassInformationEntry is an entry of upcomingPassInformation (iOS 26+): one event of a multi-event pass.
type UpcomingPassInformationEntry struct {
	// Identifier is identifier, unique across the entries.
	Identifier string `json:"identifier"`
	// Name is name (localizable).
	Name string `json:"name"`
	// Type is type; the only value is "event".
	Type string `json:"type"`
	// IsActive is isActive.
	IsActive bool `json:"isActive,omitempty"`
	// DateInformation is dateInformation; nil shows the entry as to be determined.
	DateInformation *UpcomingDateInformation `json:"dateInformation,omitempty"`
	// Semantics is semantics, for example venueName, venueLocation, performerNames, seats.
	Semantics *Semantics `json:"semantics,omitempty"`
	// AdditionalInfoFields is additionalInfoFields; each field needs a label.
	AdditionalInfoFields []Field `json:"additionalInfoFields,omitempty"`
	// BackFields is backFields; each field needs a label.
	BackFields []Field `json:"backFields,omitempty"`
	// AuxiliaryStoreIdentifiers is auxiliaryStoreIdentifiers.
	AuxiliaryStoreIdentifiers []int64 `json:"auxiliaryStoreIdentifiers,omitempty"`
	// URLs is URLs: the entry's event guide links.
	URLs *UpcomingURLs `json:"URLs,omitempty"`
	// Images is images: headerImage and venueMap.
	Images *UpcomingImages `json:"images,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// UpcomingDateInformation is an upcoming entry's dateInformation.
type UpcomingDateInformation struct {
	// Date is date.
	Date Date `json:"date,omitzero"`
	// TimeZone is timeZone, an IANA time zone identifier.
	TimeZone string `json:"timeZone,omitempty"`
	// IgnoreTimeComponents is ignoreTimeComponents.
	IgnoreTimeComponents bool `json:"ignoreTimeComponents,omitempty"`
	// IsAllDay is isAllDay.
	IsAllDay bool `json:"isAllDay,omitempty"`
	// IsUnannounced is isUnannounced.
	IsUnannounced bool `json:"isUnannounced,omitempty"`
	// IsUndetermined is isUndetermined.
	IsUndetermined bool `json:"isUndetermined,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// UpcomingURLs is an upcoming entry's URLs dictionary.
type UpcomingURLs struct {
	// AccessibilityURL is accessibilityURL.
	AccessibilityURL string `json:"accessibilityURL,omitempty"`
	// AddOnURL is addOnURL.
	AddOnURL string `json:"addOnURL,omitempty"`
	// BagPolicyURL is bagPolicyURL.
	BagPolicyURL string `json:"bagPolicyURL,omitempty"`
	// ContactVenueEmail is contactVenueEmail.
	ContactVenueEmail string `json:"contactVenueEmail,omitempty"`
	// ContactVenuePhoneNumber is contactVenuePhoneNumber.
	ContactVenuePhoneNumber string `json:"contactVenuePhoneNumber,omitempty"`
	// ContactVenueWebsite is contactVenueWebsite.
	ContactVenueWebsite string `json:"contactVenueWebsite,omitempty"`
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
	// SellURL is sellURL.
	SellURL string `json:"sellURL,omitempty"`
	// TransferURL is transferURL.
	TransferURL string `json:"transferURL,omitempty"`
	// TransitInformationURL is transitInformationURL.
	TransitInformationURL string `json:"transitInformationURL,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// UpcomingImages is an upcoming entry's images dictionary.
type UpcomingImages struct {
	// HeaderImage is headerImage.
	HeaderImage *UpcomingImage `json:"headerImage,omitempty"`
	// VenueMap is venueMap.
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

// ImageURLEntry is an ImageURLEntry: one remote image.
type ImageURLEntry struct {
	// URL is URL, an https URL.
	URL string `json:"URL"`
	// SHA256 is SHA256, the hex SHA-256 of the image bytes.
	SHA256 string `json:"SHA256"`
	// Scale is scale; if zero, the key is absent and the scale is 1.
	Scale int `json:"scale,omitempty"`
	// Size is size, in bytes (2 MB at most).
	Size int64 `json:"size,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// Personalization is the personalization.json file of a personalizable (NFC reward card) pass.
type Personalization struct {
	// RequiredPersonalizationFields is requiredPersonalizationFields.
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

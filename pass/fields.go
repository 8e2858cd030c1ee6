package pass

import (
	"encoding/json"
	"slices"
)

// PassFields is the dictionary under a style key (boardingPass, coupon, eventTicket, generic, storeCard,
// posterGeneric): the groups of fields shown on the pass.
type PassFields struct {
	// TransitType is transitType, required on boarding passes and invalid on every other style.
	TransitType TransitType `json:"transitType,omitempty"`
	// HeaderFields is headerFields: visible when passes are stacked.
	HeaderFields []Field `json:"headerFields,omitempty"`
	// PrimaryFields is primaryFields, the most important content, in the largest type on the front: one field on most
	// styles, two on boarding passes (origin and destination), up to four on posterGeneric.
	PrimaryFields []Field `json:"primaryFields,omitempty"`
	// SecondaryFields is secondaryFields, supporting content below the primary fields: up to four (coupons and store
	// cards share four places with auxiliary fields; boarding passes draw them below the auxiliary row).
	SecondaryFields []Field `json:"secondaryFields,omitempty"`
	// AuxiliaryFields is auxiliaryFields, further content below the secondary fields: up to four, five on boarding
	// passes; on event tickets a field with row 1 starts a second row of four.
	AuxiliaryFields []Field `json:"auxiliaryFields,omitempty"`
	// BackFields is backFields, the fields of the pass details (the back of the pass): any number, with links, phone
	// numbers and addresses detected (see dataDetectorTypes). Apple Watch does not show them.
	BackFields []Field `json:"backFields,omitempty"`
	// AdditionalInfoFields is additionalInfoFields (iOS 18+), fields Wallet shows in the Additional Info section below
	// the pass.
	AdditionalInfoFields []Field `json:"additionalInfoFields,omitempty"`
	// FooterFields is footerFields (iOS 27+), up to two fields in the footer of a posterGeneric pass; other styles
	// ignore them.
	FooterFields []Field `json:"footerFields,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// Field is a field dictionary (PassFieldContent): one label and value shown on the pass, in one of the field
// groups of PassFields. Its key is unique across the pass; Wallet formats the value as a date, number or
// currency when the formatter keys say so.
type Field struct {
	// Key is key, unique across every field of the pass.
	Key string `json:"key"`
	// Label is label (localizable), the small text above the value ("BALANCE"); its colour is labelColor. Optional,
	// except in upcomingPassInformation entries.
	Label string `json:"label,omitempty"`
	// Value is value: a string (localizable), a number or a W3C date string.
	Value Value `json:"value"`
	// AttributedValue is attributedValue: overrides Value; the only HTML allowed is <a href='…'>.
	AttributedValue Value `json:"attributedValue,omitzero"`
	// ChangeMessage is changeMessage (localizable): the update notification text, with exactly one %@ for the
	// new value.
	ChangeMessage string `json:"changeMessage,omitempty"`
	// DataDetectorTypes is dataDetectorTypes (back fields). Nil means absent (all detectors); an empty,
	// non-nil slice is written as [] and means none.
	DataDetectorTypes []DataDetectorType `json:"dataDetectorTypes,omitzero"`
	// TextAlignment is textAlignment; invalid on primary and back fields.
	TextAlignment TextAlignment `json:"textAlignment,omitempty"`
	// DateStyle is dateStyle: the value is a date, shown in this style.
	DateStyle DateStyle `json:"dateStyle,omitempty"`
	// TimeStyle is timeStyle: the value is a date, its time shown in this style.
	TimeStyle DateStyle `json:"timeStyle,omitempty"`
	// IgnoresTimeZone is ignoresTimeZone: show the date in its own time zone, not the device's.
	IgnoresTimeZone bool `json:"ignoresTimeZone,omitempty"`
	// IsRelative is isRelative: show the date relative to now.
	IsRelative bool `json:"isRelative,omitempty"`
	// CurrencyCode is currencyCode (ISO 4217): the numeric value is an amount in this currency.
	CurrencyCode string `json:"currencyCode,omitempty"`
	// NumberStyle is numberStyle, how a numeric value is shown: PKNumberStyleDecimal, Percent, Scientific or SpellOut.
	// Needs a JSON number as value; do not combine it with currencyCode.
	NumberStyle NumberStyle `json:"numberStyle,omitempty"`
	// Row is row, 0 or 1, on auxiliary fields of event tickets; nil when absent.
	Row *int `json:"row,omitempty"`
	// Semantics is semantics: per-field semantic tags.
	Semantics *Semantics `json:"semantics,omitempty"`
	// Extra holds keys this package does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// Style names a pass style: the key in pass.json that holds its fields.
type Style string

// The pass styles. StylePosterGeneric is shipped beside one legacy style.
const (
	StyleBoardingPass  Style = "boardingPass"
	StyleCoupon        Style = "coupon"
	StyleEventTicket   Style = "eventTicket"
	StyleGeneric       Style = "generic"
	StyleStoreCard     Style = "storeCard"
	StylePosterGeneric Style = "posterGeneric"
)

// legacyStyles lists the styles of which a pass carries exactly one, in the order Wallet looks for them.
var legacyStyles = []Style{StyleStoreCard, StyleEventTicket, StyleCoupon, StyleBoardingPass, StyleGeneric}

// LegacyStyles returns the styles of which a pass carries exactly one (storeCard, eventTicket, coupon,
// boardingPass, generic), in the order Wallet looks for them. The slice is a copy: changing it changes nothing.
func LegacyStyles() []Style { return slices.Clone(legacyStyles) }

// Fields returns the PassFields under style s, or nil when the pass has none (or is nil).
func (p *Pass) Fields(s Style) *PassFields {
	if p == nil {
		return nil
	}
	switch s {
	case StyleBoardingPass:
		return p.BoardingPass
	case StyleCoupon:
		return p.Coupon
	case StyleEventTicket:
		return p.EventTicket
	case StyleGeneric:
		return p.Generic
	case StyleStoreCard:
		return p.StoreCard
	case StylePosterGeneric:
		return p.PosterGeneric
	}
	return nil
}

// Style returns the legacy style the pass uses (the first present in LegacyStyles order), or "" when it has
// none. A pass with posterGeneric still reports its legacy style here; see HasPosterGeneric.
func (p *Pass) Style() Style {
	for _, s := range legacyStyles {
		if p.Fields(s) != nil {
			return s
		}
	}
	return ""
}

// HasPosterGeneric reports whether the pass carries a posterGeneric dictionary.
func (p *Pass) HasPosterGeneric() bool { return p != nil && p.PosterGeneric != nil }

// TransitType is the transitType of a boarding pass: the icon Wallet draws between origin and destination
// (plane, boat, bus, train or a generic arrow). Required on boarding passes, invalid elsewhere.
type TransitType string

// The transit types.
const (
	TransitTypeAir     TransitType = "PKTransitTypeAir"
	TransitTypeBoat    TransitType = "PKTransitTypeBoat"
	TransitTypeBus     TransitType = "PKTransitTypeBus"
	TransitTypeGeneric TransitType = "PKTransitTypeGeneric"
	TransitTypeTrain   TransitType = "PKTransitTypeTrain"
)

// BarcodeFormat is the format of a barcode (PKBarcodeFormat…): the symbology Wallet draws. The legacy barcode key
// takes only QR, PDF417, Aztec and Code128; the four iOS 27 formats need a fallback entry after them.
type BarcodeFormat string

// The barcode formats. Code39, Codabar, EAN-13 and Interleaved 2 of 5 need iOS 27 and a fallback format.
const (
	BarcodeFormatQR      BarcodeFormat = "PKBarcodeFormatQR"
	BarcodeFormatPDF417  BarcodeFormat = "PKBarcodeFormatPDF417"
	BarcodeFormatAztec   BarcodeFormat = "PKBarcodeFormatAztec"
	BarcodeFormatCode128 BarcodeFormat = "PKBarcodeFormatCode128"
	BarcodeFormatCode39  BarcodeFormat = "PKBarcodeFormatCode39"
	BarcodeFormatCodabar BarcodeFormat = "PKBarcodeFormatCodabar"
	BarcodeFormatEAN13   BarcodeFormat = "PKBarcodeFormatEAN13"
	BarcodeFormatI2of5   BarcodeFormat = "PKBarcodeFormatI2of5"
)

// TextAlignment is a field's textAlignment (PKTextAlignment…), the alignment of its label and value; the
// default is natural (by writing direction). Invalid on primary and back fields.
type TextAlignment string

// The text alignments.
const (
	TextAlignmentLeft    TextAlignment = "PKTextAlignmentLeft"
	TextAlignmentCenter  TextAlignment = "PKTextAlignmentCenter"
	TextAlignmentRight   TextAlignment = "PKTextAlignmentRight"
	TextAlignmentNatural TextAlignment = "PKTextAlignmentNatural"
)

// DateStyle is a field's dateStyle or timeStyle (PKDateStyle…): how much of the date or time Wallet shows,
// from none to full, formatted for the device's locale.
type DateStyle string

// The date and time styles.
const (
	DateStyleNone   DateStyle = "PKDateStyleNone"
	DateStyleShort  DateStyle = "PKDateStyleShort"
	DateStyleMedium DateStyle = "PKDateStyleMedium"
	DateStyleLong   DateStyle = "PKDateStyleLong"
	DateStyleFull   DateStyle = "PKDateStyleFull"
)

// NumberStyle is a field's numberStyle (PKNumberStyle…): how Wallet formats a numeric value for the device's
// locale (decimal, percent, scientific or spelled out).
type NumberStyle string

// The number styles.
const (
	NumberStyleDecimal    NumberStyle = "PKNumberStyleDecimal"
	NumberStylePercent    NumberStyle = "PKNumberStylePercent"
	NumberStyleScientific NumberStyle = "PKNumberStyleScientific"
	NumberStyleSpellOut   NumberStyle = "PKNumberStyleSpellOut"
)

// DataDetectorType is an entry of a field's dataDetectorTypes (PKDataDetectorType…): what Wallet turns into a
// link in a back field (phone numbers, links, addresses, calendar events).
type DataDetectorType string

// The data detector types.
const (
	DataDetectorTypePhoneNumber   DataDetectorType = "PKDataDetectorTypePhoneNumber"
	DataDetectorTypeLink          DataDetectorType = "PKDataDetectorTypeLink"
	DataDetectorTypeAddress       DataDetectorType = "PKDataDetectorTypeAddress"
	DataDetectorTypeCalendarEvent DataDetectorType = "PKDataDetectorTypeCalendarEvent"
)

// StyleScheme is an entry of preferredStyleSchemes: a layout Wallet tries before the legacy one
// (posterEventTicket and eventTicket since iOS 18, semanticBoardingPass and boardingPass since iOS 26).
type StyleScheme string

// The style schemes.
const (
	StyleSchemePosterEventTicket    StyleScheme = "posterEventTicket"
	StyleSchemeEventTicket          StyleScheme = "eventTicket"
	StyleSchemeSemanticBoardingPass StyleScheme = "semanticBoardingPass"
	StyleSchemeBoardingPass         StyleScheme = "boardingPass"
)

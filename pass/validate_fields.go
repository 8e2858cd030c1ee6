package pass

import (
	"regexp"
	"slices"
	"strings"
)

// fieldGroup is one field list of a PassFields.
type fieldGroup struct {
	name   string
	fields []Field
}

func (pf *PassFields) groups() []fieldGroup {
	return []fieldGroup{
		{"headerFields", pf.HeaderFields}, {"primaryFields", pf.PrimaryFields},
		{"secondaryFields", pf.SecondaryFields}, {"auxiliaryFields", pf.AuxiliaryFields},
		{"backFields", pf.BackFields}, {"additionalInfoFields", pf.AdditionalInfoFields},
		{"footerFields", pf.FooterFields},
	}
}

// escalates reports whether Wallet treats field warnings in group as errors (spec §2.4).
func escalates(group string) bool {
	return group == "headerFields" || group == "primaryFields" || group == "auxiliaryFields"
}

// styles checks the style keys, transitType, the fields and their counts (spec §1.4, §2, §3).
func (v *validator) styles() {
	p := v.p
	var legacy []Style
	for _, s := range legacyStyles {
		if p.Fields(s) != nil {
			legacy = append(legacy, s)
		}
	}
	switch {
	case len(legacy) == 0 && p.PosterGeneric != nil:
		v.errorf("posterGeneric", ruleStyle, "posterGeneric needs a legacy style key beside it (generic, storeCard, coupon, eventTicket or boardingPass) for older systems")
	case len(legacy) == 0:
		v.errorf("", ruleStyle, "the pass has no style key; add one of boardingPass, coupon, eventTicket, generic or storeCard")
	case len(legacy) > 1:
		for _, s := range legacy[1:] {
			v.errorf(string(s), ruleStyle, "the pass already has the style %s; a pass has exactly one legacy style key", legacy[0])
		}
	}
	if bp := p.BoardingPass; bp != nil {
		switch {
		case bp.TransitType == "":
			v.errorf("boardingPass.transitType", ruleTransitType, "boardingPass needs a transitType")
		case !validTransitType(bp.TransitType):
			v.errorf("boardingPass.transitType", ruleTransitType, "unknown transitType %q (want PKTransitTypeAir, PKTransitTypeBoat, PKTransitTypeBus, PKTransitTypeGeneric or PKTransitTypeTrain)", bp.TransitType)
		}
	}
	keys := map[string]string{} // field key → path of its first use
	for _, s := range append(slices.Clone(legacyStyles), StylePosterGeneric) {
		pf := p.Fields(s)
		if pf == nil {
			continue
		}
		if s != StyleBoardingPass && pf.TransitType != "" {
			v.warnf(string(s)+".transitType", ruleTransitType, "transitType only applies to boardingPass; Wallet ignores it on %s", s)
		}
		for _, g := range pf.groups() {
			gpath := join(string(s), g.name)
			for i, f := range g.fields {
				v.field(index(gpath, i), g.name, f, keys)
			}
		}
		v.fieldCounts(s, pf)
		v.unknownKeys(string(s), pf.Extra)
	}
}

func validTransitType(t TransitType) bool {
	switch t {
	case TransitTypeAir, TransitTypeBoat, TransitTypeBus, TransitTypeGeneric, TransitTypeTrain:
		return true
	}
	// PassKit also accepts the WLTransitType aliases.
	switch strings.TrimPrefix(string(t), "WL") {
	case "TransitTypeAir", "TransitTypeBoat", "TransitTypeBus", "TransitTypeGeneric", "TransitTypeTrain":
		return strings.HasPrefix(string(t), "WL")
	}
	return false
}

func validDateStyle(s DateStyle) bool {
	name := string(s)
	if strings.HasPrefix(name, "WL") {
		name = "PK" + name[2:]
	}
	switch DateStyle(name) {
	case DateStyleNone, DateStyleShort, DateStyleMedium, DateStyleLong, DateStyleFull:
		return true
	}
	return false
}

// formatCode matches a printf-style format code: %@, %d, %1$@, %%...
var formatCode = regexp.MustCompile(`%(?:[0-9]+\$)?[-+ #0]*[0-9]*(?:\.[0-9]+)?(?:hh|h|ll|l|q|L|z|t|j)?[@%a-zA-Z]`)

// anchorTag matches the only HTML Wallet allows in attributedValue.
var (
	htmlTag   = regexp.MustCompile(`<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)[^>]*>`)
	currency3 = regexp.MustCompile(`^[A-Z]{3}$`)
)

// field checks one field dictionary at path in group (spec §3). keys maps the keys seen so far to their paths.
func (v *validator) field(path, group string, f Field, keys map[string]string) {
	// warn reports a problem Wallet logs as a warning, or rejects the pass for in the escalating groups.
	warn := func(p, rule, format string, args ...any) {
		sev := SeverityWarning
		if escalates(group) {
			sev = SeverityError
			format += " (an error in " + group + ")"
		}
		v.add(sev, p, rule, format, args...)
	}
	switch {
	case f.Key == "":
		v.errorf(join(path, "key"), ruleFieldKey, "the field has no key")
	case keys[f.Key] != "":
		warn(join(path, "key"), ruleFieldKeyUnique, "key %q is already used by %s", f.Key, keys[f.Key])
	default:
		keys[f.Key] = path
	}
	if f.Value.IsZero() {
		v.errorf(join(path, "value"), ruleFieldValue, "the field has no value; use a string, a number or a date string")
	}
	if f.AttributedValue.IsString() {
		for _, m := range htmlTag.FindAllStringSubmatch(f.AttributedValue.String(), -1) {
			if !strings.EqualFold(m[2], "a") {
				warn(join(path, "attributedValue"), ruleAttributedValue, "attributedValue contains <%s%s>; only <a href='...'> links are allowed", m[1], m[2])
				break
			}
		}
	}
	if f.ChangeMessage != "" {
		n, other := 0, ""
		for _, code := range formatCode.FindAllString(f.ChangeMessage, -1) {
			switch code {
			case "%@":
				n++
			case "%%":
			default:
				if other == "" {
					other = code
				}
			}
		}
		switch {
		case other != "":
			v.errorf(join(path, "changeMessage"), ruleChangeMessage, "changeMessage contains the format code %s; only one %%@ is allowed", other)
		case n != 1:
			v.errorf(join(path, "changeMessage"), ruleChangeMessage, "changeMessage contains %d %%@ placeholders; it needs exactly one", n)
		}
	}
	for i, d := range f.DataDetectorTypes {
		switch d {
		case DataDetectorTypePhoneNumber, DataDetectorTypeLink, DataDetectorTypeAddress, DataDetectorTypeCalendarEvent:
		default:
			v.warnf(index(join(path, "dataDetectorTypes"), i), ruleDataDetectors, "unknown data detector %q", d)
		}
	}
	if f.DataDetectorTypes != nil && group != "backFields" {
		v.warnf(join(path, "dataDetectorTypes"), ruleDataDetectors, "dataDetectorTypes only acts on back fields; Wallet ignores it in %s", group)
	}
	switch f.TextAlignment {
	case "":
	case TextAlignmentLeft, TextAlignmentCenter, TextAlignmentRight, TextAlignmentNatural:
		if group == "primaryFields" || group == "backFields" {
			warn(join(path, "textAlignment"), ruleTextAlignment, "textAlignment is not allowed on %s", group)
		}
	default:
		warn(join(path, "textAlignment"), ruleTextAlignment, "unknown textAlignment %q", f.TextAlignment)
	}
	if f.DateStyle != "" && !validDateStyle(f.DateStyle) {
		warn(join(path, "dateStyle"), ruleFieldDate, "unknown dateStyle %q", f.DateStyle)
	}
	if f.TimeStyle != "" && !validDateStyle(f.TimeStyle) {
		warn(join(path, "timeStyle"), ruleFieldDate, "unknown timeStyle %q", f.TimeStyle)
	}
	switch f.NumberStyle {
	case "", NumberStyleDecimal, NumberStylePercent, NumberStyleScientific, NumberStyleSpellOut:
	default:
		warn(join(path, "numberStyle"), ruleFieldNumber, "unknown numberStyle %q", f.NumberStyle)
	}
	dateFmt := f.DateStyle != "" || f.TimeStyle != "" || f.IsRelative || f.IgnoresTimeZone
	numFmt := f.NumberStyle != "" || f.CurrencyCode != ""
	if dateFmt && numFmt {
		warn(path, ruleFieldFormatterMix, "the field has both date formatters (dateStyle, timeStyle, isRelative, ignoresTimeZone) and number formatters (numberStyle, currencyCode)")
	}
	if dateFmt && !f.Value.IsZero() {
		if !f.Value.IsString() {
			warn(join(path, "value"), ruleFieldDate, "the field has date formatters but its value is a number, not a date string")
		} else if _, err := ParseDate(f.Value.String()); err != nil {
			warn(join(path, "value"), ruleFieldDate, "%s", strings.TrimPrefix(err.Error(), "pass: "))
		} else {
			v.dateOffset(join(path, "value"), f.Value.String())
		}
	}
	if numFmt && !f.Value.IsZero() && !f.Value.IsNumber() {
		warn(join(path, "value"), ruleFieldNumber, "the field has a number formatter but its value %q is a string, not a JSON number", f.Value.String())
	}
	if f.CurrencyCode != "" && f.NumberStyle != "" {
		warn(join(path, "numberStyle"), ruleCurrencyNumberStyle, "currencyCode and numberStyle are both set; Wallet ignores numberStyle")
	}
	if f.CurrencyCode != "" && !currency3.MatchString(f.CurrencyCode) {
		warn(join(path, "currencyCode"), ruleCurrencyCode, "currencyCode %q is not an ISO 4217 code such as USD", f.CurrencyCode)
	}
	if f.Row != nil {
		switch {
		case group != "auxiliaryFields":
			warn(join(path, "row"), ruleFieldRow, "row is only allowed on auxiliary fields")
		case *f.Row != 0 && *f.Row != 1:
			warn(join(path, "row"), ruleFieldRow, "row is %d; it must be 0 or 1", *f.Row)
		}
	}
	if f.Semantics != nil {
		v.semantics(join(path, "semantics"), f.Semantics, SeverityError)
	}
	v.unknownKeys(path, f.Extra)
}

// squareBarcode reports whether the barcode Wallet shows first is square (QR or Aztec).
func (p *Pass) squareBarcode() bool {
	switch {
	case len(p.Barcodes) > 0:
		return p.Barcodes[0].Format == BarcodeFormatQR || p.Barcodes[0].Format == BarcodeFormatAztec
	case p.Barcode != nil:
		return p.Barcode.Format == BarcodeFormatQR || p.Barcode.Format == BarcodeFormatAztec
	}
	return false
}

// fieldCounts warns about fields the style cannot show (spec §2.3).
func (v *validator) fieldCounts(s Style, pf *PassFields) {
	max := func(group string, n, limit int, why string) {
		if n > limit {
			v.warnf(join(string(s), group), ruleFieldCount, "%d %s; %s shows at most %d%s, the rest are hidden", n, group, s, limit, why)
		}
	}
	if s == StylePosterGeneric {
		max("headerFields", len(pf.HeaderFields), 1, "")
		max("primaryFields", len(pf.PrimaryFields), 4, "")
		max("footerFields", len(pf.FooterFields), 2, "")
		for _, g := range []fieldGroup{{"secondaryFields", pf.SecondaryFields}, {"auxiliaryFields", pf.AuxiliaryFields}} {
			if len(g.fields) > 0 {
				v.warnf(join(string(s), g.name), ruleFieldCount, "posterGeneric does not show %s; Wallet ignores them", g.name)
			}
		}
		return
	}
	if len(pf.FooterFields) > 0 {
		v.warnf(join(string(s), "footerFields"), ruleFieldCount, "footerFields only exist on posterGeneric; %s does not show them", s)
	}
	max("headerFields", len(pf.HeaderFields), 3, "")
	switch s {
	case StyleBoardingPass:
		max("primaryFields", len(pf.PrimaryFields), 2, "")
		max("secondaryFields", len(pf.SecondaryFields), 4, "")
		max("auxiliaryFields", len(pf.AuxiliaryFields), 5, "")
	case StyleCoupon, StyleStoreCard:
		max("primaryFields", len(pf.PrimaryFields), 1, "")
		max("auxiliaryFields", len(pf.SecondaryFields)+len(pf.AuxiliaryFields), 4, " secondary and auxiliary fields together")
	case StyleGeneric:
		max("primaryFields", len(pf.PrimaryFields), 1, "")
		if v.p.squareBarcode() {
			max("auxiliaryFields", len(pf.SecondaryFields)+len(pf.AuxiliaryFields), 4, " secondary and auxiliary fields together with a square barcode")
		} else {
			max("secondaryFields", len(pf.SecondaryFields), 4, "")
			max("auxiliaryFields", len(pf.AuxiliaryFields), 4, "")
		}
	case StyleEventTicket:
		max("primaryFields", len(pf.PrimaryFields), 1, "")
		max("secondaryFields", len(pf.SecondaryFields), 4, "")
		row0, row1 := 0, 0
		for _, f := range pf.AuxiliaryFields {
			if f.Row != nil && *f.Row == 1 {
				row1++
			} else {
				row0++
			}
		}
		max("auxiliaryFields", row0, 4, " in row 0")
		max("auxiliaryFields", row1, 4, " in row 1")
	}
}

package pass

import "testing"

// BenchmarkValidate measures Validate on a typical store card, pass.json only.
func BenchmarkValidate(b *testing.B) {
	p := validStoreCard()
	p.Semantics = &Semantics{Balance: &CurrencyAmount{Amount: "12.50", CurrencyCode: "USD"}, DepartureLocationTimeZone: "America/Chicago"}
	p.StoreCard.BackFields = []Field{
		{Key: "terms", Label: "Terms", Value: String("Valid at participating stores."), ChangeMessage: "Terms changed: %@"},
		{Key: "expires", Label: "Expires", Value: String("2026-12-31T23:59:00-05:00"), DateStyle: DateStyleMedium},
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := p.Validate(nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidateWithAssets adds icon, logo and strip images at three scales and two localizations.
func BenchmarkValidateWithAssets(b *testing.B) {
	p := validStoreCard()
	a := &Assets{}
	for scale := 1; scale <= 3; scale++ {
		for _, img := range []struct {
			role ImageRole
			w, h int
		}{{ImageIcon, 29, 29}, {ImageLogo, 160, 50}, {ImageStrip, 375, 144}} {
			if err := a.SetImage(img.role, scale, valPNG(b, img.w*scale, img.h*scale)); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, lang := range []string{"en", "fr"} {
		if err := a.SetStrings(lang, Strings{"balance": "Balance", "terms": "Terms"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := p.Validate(a); err != nil {
			b.Fatal(err)
		}
	}
}

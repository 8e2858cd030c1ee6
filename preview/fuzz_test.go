package preview

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/passforge/passforge/pass"
)

// FuzzRender renders any pass.json that pass.Parse accepts, with and without a localization: Render may refuse
// it with an error but must not panic.
func FuzzRender(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "passes", "*.json"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "")
	}
	f.Add([]byte(`{"formatVersion":1,"boardingPass":{"primaryFields":[{"key":"a","value":1e308,"numberStyle":"PKNumberStyleSpellOut"}]}}`), "fr")
	f.Add([]byte(`{"formatVersion":1,"generic":{"headerFields":[{"key":"a","value":"2026-01-01T00:00Z","dateStyle":"PKDateStyleFull","timeStyle":"PKDateStyleFull"}]},"barcode":{"format":"PKBarcodeFormatPDF417","message":"x","messageEncoding":"utf-8"}}`), "")
	a := &pass.Assets{}
	if err := a.SetStrings("fr", pass.Strings{"a": "b"}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, lang string) {
		p, err := pass.Parse(data)
		if err != nil {
			return
		}
		_, _ = Render(p, a, &Options{Scale: 1, Language: lang})
	})
}

package pass

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzValidate feeds arbitrary pass.json, image and pass.strings bytes to Validate: it must never panic, and
// every problem it reports must name a rule of Rules, a severity and a message.
func FuzzValidate(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	img := valPNG(f, 30, 30)
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, img, []byte(`"a" = "b";`))
	}
	f.Add([]byte(`{"formatVersion": 1, "storeCard": {"primaryFields": [{"key": "k", "value": "2026-05-07T10:30", "dateStyle": "PKDateStyleShort", "changeMessage": "%1$@ %d"}]}}`),
		pngSignature, []byte("\xff\xfe\"\x00"))
	f.Add([]byte(`{"barcodes": [{"format": "PKBarcodeFormatEAN13", "message": "12", "messageEncoding": "utf-16"}], "nfc": {"message": "", "encryptionPublicKey": "AAAA"}}`),
		[]byte("not an image"), []byte(`/* only a comment */`))
	known := map[string]bool{}
	for _, r := range Rules() {
		known[r.ID] = true
	}
	f.Fuzz(func(t *testing.T, passJSON, image, stringsFile []byte) {
		p, err := Parse(passJSON)
		if err != nil {
			return
		}
		a := &Assets{}
		_ = a.Set("icon.png", image)
		_ = a.Set("strip@2x.png", image)
		_ = a.Set("fr.lproj/pass.strings", stringsFile)
		_ = a.Set("de.lproj/logo.png", image)
		_ = a.Set(PersonalizationName, passJSON)
		for _, assets := range []*Assets{nil, a} {
			err := p.Validate(assets)
			if err == nil {
				continue
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("Validate returned %v", err)
			}
			for _, pr := range ve.Problems {
				if !known[pr.Rule] || pr.Message == "" || (pr.Severity != SeverityError && pr.Severity != SeverityWarning) {
					t.Fatalf("bad problem %+v", pr)
				}
			}
		}
	})
}

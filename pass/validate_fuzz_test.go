package pass

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unsafeForTerminal returns the first character of s that would act on a terminal instead of showing: a control
// character (C0 but newline and tab, DEL, C1), a format character such as a bidirectional override, or a line or
// paragraph separator. Text from pass.json reaches verify, lint and inspect through paths and messages.
func unsafeForTerminal(s string) (rune, bool) {
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == '\u2028', r == '\u2029':
			return r, true
		}
	}
	return 0, false
}

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
			if r, ok := unsafeForTerminal(err.Error()); ok {
				t.Fatalf("Parse error shows %U raw: %q", r, err)
			}
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
				if r, ok := unsafeForTerminal(pr.Path + " " + pr.Message); ok {
					t.Fatalf("problem shows %U raw: %q %q", r, pr.Path, pr.Message)
				}
			}
		}
	})
}

// TestFuzzValidateSeedsForTerminals runs the terminal check of FuzzValidate on hostile keys and values, so that
// plain `go test` covers it.
func TestFuzzValidateSeedsForTerminals(t *testing.T) {
	for _, in := range []string{
		"{\"\\u001b[31mk\\r\":1,\"storeCard\":{\"primaryFields\":[{\"key\":\"\\u202e\",\"value\":\"x\",\"dateStyle\":\"\\u001b\"}]}}",
		"{\"userInfo\":{\"a\\u2028b\":\"{{x}}\"},\"expirationDate\":\"\\r\"}",
		"{\"formatVersion\":\"\\u001b\"}",
	} {
		p, err := Parse([]byte(in))
		if err != nil {
			_, bad := unsafeForTerminal(err.Error())
			assert.False(t, bad, "%q", err)
			continue
		}
		err = p.Validate(nil)
		require.Error(t, err)
		r, bad := unsafeForTerminal(err.Error())
		assert.False(t, bad, "%U in %q", r, err)
	}
}

package pass_test

import (
	"encoding/json"
	"fmt"
	"testing/fstest"
	"time"

	"github.com/passforge/passforge/pass"
)

// Build a store card in code and print its pass.json. Unset keys are absent, numbers stay numbers and the same
// pass always gives the same bytes.
func ExamplePass_MarshalJSON() {
	p := &pass.Pass{
		FormatVersion:      1,
		PassTypeIdentifier: "pass.com.example.coffee",
		SerialNumber:       "0042",
		TeamIdentifier:     "A1B2C3D4E5",
		OrganizationName:   "Example Coffee",
		Description:        "Example Coffee card",
		BackgroundColor:    pass.RGB(60, 30, 20),
		ExpirationDate:     pass.NewDate(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)),
		StoreCard: &pass.PassFields{
			PrimaryFields: []pass.Field{{Key: "balance", Label: "Balance", Value: pass.Number(21.75), CurrencyCode: "USD"}},
		},
		Barcodes: []pass.Barcode{{Format: pass.BarcodeFormatQR, Message: "0042", MessageEncoding: "iso-8859-1"}},
	}
	out, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(out))
	// Output:
	// {
	//   "formatVersion": 1,
	//   "passTypeIdentifier": "pass.com.example.coffee",
	//   "serialNumber": "0042",
	//   "teamIdentifier": "A1B2C3D4E5",
	//   "organizationName": "Example Coffee",
	//   "description": "Example Coffee card",
	//   "expirationDate": "2027-01-01T00:00:00Z",
	//   "storeCard": {
	//     "primaryFields": [
	//       {
	//         "key": "balance",
	//         "label": "Balance",
	//         "value": 21.75,
	//         "currencyCode": "USD"
	//       }
	//     ]
	//   },
	//   "backgroundColor": "rgb(60, 30, 20)",
	//   "barcodes": [
	//     {
	//       "format": "PKBarcodeFormatQR",
	//       "message": "0042",
	//       "messageEncoding": "iso-8859-1"
	//     }
	//   ]
	// }
}

// Read a real-world pass.json: a trailing comma, a numeric serial number, a date without seconds and a key this
// package does not know are all accepted, and writing it back loses nothing.
func ExampleParse() {
	data := []byte(`{
  "formatVersion": "1",
  "passTypeIdentifier": "pass.com.example.coffee",
  "serialNumber": 42,
  "teamIdentifier": "A1B2C3D4E5",
  "organizationName": "Example Coffee",
  "description": "Example Coffee card",
  "relevantDate": "2026-05-07T10:30-05:00",
  "backgroundColor": "#3C1E14",
  "storeCard": {"primaryFields": [{"key": "balance", "value": 21.75, "currencyCode": "USD"}]},
  "x-internal-id": {"crm": 7},
}`)
	p, err := pass.Parse(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Style(), p.FormatVersion, p.SerialNumber, p.RelevantDate.UTC().Format(time.RFC3339))
	fmt.Println(string(p.Extra["x-internal-id"]))
	out, _ := json.Marshal(p)
	fmt.Println(string(out))

	_, err = pass.Parse([]byte(`{"storeCard": {"primaryFields": [{"key": "k", "value": {}}]}}`))
	fmt.Println(err)
	// Output:
	// storeCard 1 42 2026-05-07T15:30:00Z
	// {"crm":7}
	// {"formatVersion":1,"passTypeIdentifier":"pass.com.example.coffee","serialNumber":"42","teamIdentifier":"A1B2C3D4E5","organizationName":"Example Coffee","description":"Example Coffee card","relevantDate":"2026-05-07T10:30:00-05:00","storeCard":{"primaryFields":[{"key":"balance","value":21.75,"currencyCode":"USD"}]},"backgroundColor":"rgb(60, 30, 20)","x-internal-id":{"crm":7}}
	// pass: storeCard.primaryFields[0].value: want a string, a number or a date string, not an object
}

// Load a pass folder from any fs.FS (here in memory; os.DirFS("Coffee.pass") reads one from disk). Junk such as
// .DS_Store and the old manifest.json and signature are skipped.
func ExampleLoad() {
	folder := fstest.MapFS{
		"pass.json":             {Data: []byte(`{"formatVersion":1,"serialNumber":"1","generic":{}}`)},
		"icon.png":              {Data: []byte("\x89PNG...")},
		"icon@2x.png":           {Data: []byte("\x89PNG...")},
		"fr.lproj/pass.strings": {Data: []byte(`"Balance" = "Solde";`)},
		".DS_Store":             {Data: []byte("junk")},
		"manifest.json":         {Data: []byte(`{}`)},
		"signature":             {Data: []byte("old")},
	}
	p, assets, err := pass.Load(folder)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Style(), assets.Names())
	fr, _ := assets.Strings("fr")
	fmt.Println(fr["Balance"])
	// Output:
	// generic [fr.lproj/pass.strings icon.png icon@2x.png]
	// Solde
}

// Add localized strings and images. pass.strings is written in UTF-16 with a byte order mark when it holds
// non-ASCII text, as Apple asks.
func ExampleAssets_SetStrings() {
	var assets pass.Assets
	_ = assets.SetImage(pass.ImageIcon, 2, []byte("\x89PNG..."))
	_ = assets.SetLocalizedImage("fr", pass.ImageLogo, 2, []byte("\x89PNG..."))
	_ = assets.SetStrings("en", pass.Strings{"Balance": "Balance"})
	_ = assets.SetStrings("fr", pass.Strings{"Balance": "Solde à payer"})

	en, _ := assets.Get("en.lproj/pass.strings")
	fr, _ := assets.Get("fr.lproj/pass.strings")
	fmt.Printf("%s", en)
	fmt.Printf("% x\n", fr[:4])
	fmt.Println(assets.Languages(), assets.Names())
	// Output:
	// "Balance" = "Balance";
	// ff fe 22 00
	// [en fr] [en.lproj/pass.strings fr.lproj/logo@2x.png fr.lproj/pass.strings icon@2x.png]
}

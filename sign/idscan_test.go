package sign

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

var idscanCases = []struct {
	name, in    string
	ok          bool
	ptype, team string
}{
	{"ordinary", `{"formatVersion":1,"passTypeIdentifier":"pass.com.example","serialNumber":"1","teamIdentifier":"ABCDE12345","storeCard":{"primaryFields":[{"key":"a","value":"}]\"x"}]}}`, true, "pass.com.example", "ABCDE12345"},
	{"spaces and nesting first", " {\n \"userInfo\" : {\"a\":[1,2,{\"b\":null}]},\t\"teamIdentifier\" : \"T\" , \"passTypeIdentifier\":\"P\"}\n", true, "P", "T"},
	{"last repeated key wins", `{"teamIdentifier":"A","teamIdentifier":"B","passTypeIdentifier":"P"}`, true, "P", "B"},
	{"missing keys", `{"formatVersion":1}`, true, "", ""},
	{"empty object", `{}`, true, "", ""},
	{"escaped value falls back", `{"passTypeIdentifier":"pass.\u0063om"}`, false, "", ""},
	{"escaped key falls back", `{"pass\u0054ypeIdentifier":"x"}`, false, "", ""},
	{"number value falls back", `{"teamIdentifier":12}`, false, "", ""},
	{"trailing garbage", `{"teamIdentifier":"T"} x`, false, "", ""},
	{"unterminated", `{"teamIdentifier":"T"`, false, "", ""},
	{"not an object", `["teamIdentifier"]`, false, "", ""},
	{"missing colon", `{"teamIdentifier" "T"}`, false, "", ""},
	{"keys match exactly", `{"teamidentifier":"T"}`, true, "", ""},
	{"bad escape elsewhere", `{"x":"\0"}`, false, "", ""},
	{"bad number elsewhere", `{"x":01}`, false, "", ""},
}

func TestScanIdentifiers(t *testing.T) {
	for _, tt := range idscanCases {
		t.Run(tt.name, func(t *testing.T) {
			p, team, ok := scanIdentifiers([]byte(tt.in))
			assert.Equal(t, tt.ok, ok)
			if ok {
				assert.Equal(t, tt.ptype, p)
				assert.Equal(t, tt.team, team)
			}
		})
	}
}

// FuzzScanIdentifiers checks that whenever the scanner answers, encoding/json accepts the same bytes and reads the
// same identifiers from them. The oracle decodes into a map because Wallet matches keys exactly, while
// encoding/json's struct decoding also matches "teamidentifier".
func FuzzScanIdentifiers(f *testing.F) {
	for _, tt := range idscanCases {
		f.Add([]byte(tt.in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, team, ok := scanIdentifiers(data)
		if !ok {
			return
		}
		var top map[string]json.RawMessage
		if err := json.Unmarshal(data, &top); err != nil {
			t.Fatalf("scanner accepted what encoding/json rejects (%v): %q", err, data)
		}
		var wantP, wantTeam string
		if raw, found := top["passTypeIdentifier"]; found {
			if err := json.Unmarshal(raw, &wantP); err != nil {
				t.Fatalf("scanner read a non-string passTypeIdentifier: %q", data)
			}
		}
		if raw, found := top["teamIdentifier"]; found {
			if err := json.Unmarshal(raw, &wantTeam); err != nil {
				t.Fatalf("scanner read a non-string teamIdentifier: %q", data)
			}
		}
		if wantP != p || wantTeam != team {
			t.Fatalf("scanner read %q/%q, encoding/json %q/%q from %q", p, team, wantP, wantTeam, data)
		}
	})
}

package sign

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	{"escaped value is decoded", `{"passTypeIdentifier":"pass.\u0063om"}`, true, "pass.com", ""},
	{"escaped key is decoded", `{"pass\u0054ypeIdentifier":"x"}`, true, "x", ""},
	{"escaped miscased key is another key", `{"passTypeIdentifier":"a","passtypeidentifie\u0072":"b"}`, true, "a", ""},
	{"invalid UTF-8 falls back", "{\"passTypeIdentifier\":\"\xf0\"}", false, "", ""},
	{"invalid UTF-8 elsewhere falls back", "{\"x\":\"\xff\",\"teamIdentifier\":\"T\"}", false, "", ""},
	{"multibyte UTF-8", `{"description":"café ☕","teamIdentifier":"T"}`, true, "", "T"},
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
// same identifiers from them, and that readIdentifiers (the scanner and its fallback) answers only for valid UTF-8
// and agrees with encoding/json too. The oracle decodes into a map because Wallet matches keys exactly, while
// encoding/json's struct decoding also matches "teamidentifier".
func FuzzScanIdentifiers(f *testing.F) {
	for _, tt := range idscanCases {
		f.Add([]byte(tt.in))
	}
	oracle := func(t *testing.T, data []byte) (string, string) {
		var top map[string]json.RawMessage
		if err := json.Unmarshal(data, &top); err != nil {
			t.Fatalf("accepted what encoding/json rejects (%v): %q", err, data)
		}
		var wantP, wantTeam string
		if raw, found := top["passTypeIdentifier"]; found {
			if err := json.Unmarshal(raw, &wantP); err != nil {
				t.Fatalf("read a non-string passTypeIdentifier: %q", data)
			}
		}
		if raw, found := top["teamIdentifier"]; found {
			if err := json.Unmarshal(raw, &wantTeam); err != nil {
				t.Fatalf("read a non-string teamIdentifier: %q", data)
			}
		}
		return wantP, wantTeam
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if p, team, ok := scanIdentifiers(data); ok {
			if !utf8.Valid(data) {
				t.Fatalf("scanner accepted invalid UTF-8: %q", data)
			}
			if wantP, wantTeam := oracle(t, data); wantP != p || wantTeam != team {
				t.Fatalf("scanner read %q/%q, encoding/json %q/%q from %q", p, team, wantP, wantTeam, data)
			}
		}
		p, team, err := readIdentifiers(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "sign: pass.json: ") {
				t.Fatalf("error without its context: %v", err)
			}
			return
		}
		if !utf8.Valid(data) {
			t.Fatalf("readIdentifiers accepted invalid UTF-8: %q", data)
		}
		if wantP, wantTeam := oracle(t, data); wantP != p || wantTeam != team {
			t.Fatalf("readIdentifiers read %q/%q, encoding/json %q/%q from %q", p, team, wantP, wantTeam, data)
		}
	})
}

// TestWriterReadsIdentifiersAsWallet checks that the writer's identifier check cannot be bypassed with keys that
// encoding/json's struct decoding would match (any case, JSON escapes, nesting deeper than the fast scanner
// follows): Wallet and pass.Parse match keys exactly after decoding their escapes, and so must the writer.
func TestWriterReadsIdentifiersAsWallet(t *testing.T) {
	id := pkiOnce().identity(t)
	deep := strings.Repeat("[", 100) + strings.Repeat("]", 100)
	for _, tc := range []struct {
		name, json string
		want       error // nil: the identifiers match the certificate
	}{
		{"plain", `{"passTypeIdentifier":"` + testPassTypeID + `","teamIdentifier":"` + testTeamID + `"}`, nil},
		{"escaped key is the key", `{"pass\u0054ypeIdentifier":"` + testPassTypeID + `","teamIdentifier":"` + testTeamID + `"}`, nil},
		{"escaped value is the value", `{"passTypeIdentifier":"pass.com.example.t\u0065st","teamIdentifier":"` + testTeamID + `"}`, nil},
		{"miscased escaped key is another key", `{"passTypeIdentifier":"pass.other","passtypeidentifie\u0072":"` + testPassTypeID + `","teamIdentifier":"` + testTeamID + `"}`, ErrIdentifierMismatch},
		{"miscased key is another key", `{"teamIdentifier":"OTHER","TEAMIDENTIFIER":"` + testTeamID + `","passTypeIdentifier":"` + testPassTypeID + `"}`, ErrIdentifierMismatch},
		{"miscased key after deep nesting", `{"x":` + deep + `,"passTypeIdentifier":"pass.other","PassTypeIdentifier":"` + testPassTypeID + `","teamIdentifier":"` + testTeamID + `"}`, ErrIdentifierMismatch},
		{"escaped miscased key only", `{"passTypeIdentifie\u0052":"` + testPassTypeID + `","teamIdentifier":"` + testTeamID + `"}`, ErrIdentifierMismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := PrepareDynamicEntry(PassJSONName, []byte(tc.json))
			require.NoError(t, err)
			err = checkIdentifiers(&e, id)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.want)
		})
	}
	t.Run("invalid UTF-8", func(t *testing.T) {
		// encoding/json reads "\xf0" as U+FFFD, Wallet rejects the file: refuse it, naming where.
		e, err := PrepareDynamicEntry(PassJSONName, []byte("{\"passTypeIdentifier\":\""+testPassTypeID+"\",\"teamIdentifier\":\""+testTeamID+"\",\"description\":\"caf\xe9\"}"))
		require.NoError(t, err)
		err = checkIdentifiers(&e, id)
		require.ErrorIs(t, err, ErrPassJSON)
		require.ErrorContains(t, err, "description: holds invalid UTF-8")
	})
}

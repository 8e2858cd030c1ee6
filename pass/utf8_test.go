package pass

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParseRefusesInvalidUTF8 checks that invalid UTF-8 anywhere in
// pass.json is an error naming its JSON path: Wallet's JSON reader rejects
// it, while encoding/json would silently read U+FFFD.
func TestParseRefusesInvalidUTF8(t *testing.T) {
	for _, tc := range []struct {
		name, in, path, msg string
	}{
		{"top-level value", "{\"passTypeIdentifier\":\"\xf0\"}", "passTypeIdentifier", "invalid UTF-8 (byte 0xf0 at offset 0 of the string)"},
		{"nested field value", "{\"storeCard\":{\"primaryFields\":[{\"key\":\"a\",\"value\":\"Caf\xe9\"}]}}", "storeCard.primaryFields[0].value", "invalid UTF-8 (byte 0xe9 at offset 3 of the string)"},
		{"second element", "{\"barcodes\":[{\"message\":\"ok\"},{\"message\":\"x\xc3(\"}]}", "barcodes[1].message", "invalid UTF-8"},
		{"unknown key's value", "{\"myKey\":{\"deep\":[1,\"\xff\"]}}", "myKey.deep[1]", "invalid UTF-8"},
		{"user info", "{\"userInfo\":{\"name\":\"\xed\xa0\x80\"}}", "userInfo.name", "invalid UTF-8 (byte 0xed"},
		{"key", "{\"userInfo\":{\"n\xffme\":1}}", "userInfo", "a key holds invalid UTF-8 (byte 0xff at offset 1 of the key \"n\ufffdme\")"},
		{"after an escape", "{\"description\":\"\\\"q\\\" \xfe\"}", "description", "invalid UTF-8 (byte 0xfe"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse([]byte(tc.in))
			assert.Nil(t, p)
			var pe *ParseError
			require.True(t, errors.As(err, &pe), "want a *ParseError, got %v", err)
			assert.Equal(t, tc.path, pe.Path)
			assert.Contains(t, err.Error(), tc.msg)
			assert.Contains(t, err.Error(), "Wallet rejects")
		})
	}
	for _, ok := range []string{
		`{"description":"Café \ufffd \u00e9 ロゴ"}`,
		"{\"description\":\"\xef\xbf\xbd is the replacement character itself\"}",
	} {
		_, err := Parse([]byte(ok))
		assert.NoError(t, err, ok)
	}
}

package pass

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPathsQuoteUntrustedKeys checks that a key of a hostile pass.json reaches a JSON path (and so every error,
// lint line and inspect report that prints it) quoted when it holds a control character, an ANSI escape or a
// bidirectional override, while ordinary keys, including non-ASCII letters, keep their plain form.
func TestPathsQuoteUntrustedKeys(t *testing.T) {
	_, err := Parse([]byte("{\"userInfo\":{\"\\u001b[31mk\\r\":\"\xff\"}}"))
	var pe *ParseError
	require.True(t, errors.As(err, &pe), "%v", err)
	assert.Equal(t, `userInfo."\x1b[31mk\r"`, pe.Path)
	assert.NotContains(t, err.Error(), "\x1b")
	assert.NotContains(t, err.Error(), "\r")

	p := validStoreCard()
	p.Extra = map[string]json.RawMessage{"ok\u202e.evil": json.RawMessage(`1`)}
	p.UserInfo = []byte(`{"caf\u00e9":"{{name}}","x\u0007":{"y":"{{name}}"}}`)
	var ve *ValidationError
	require.ErrorAs(t, p.Validate(nil), &ve)
	var paths []string
	for _, pr := range ve.Problems {
		paths = append(paths, pr.Path)
	}
	assert.Contains(t, paths, `"ok\u202e.evil"`)
	assert.Contains(t, paths, "userInfo.café")
	assert.Contains(t, paths, `userInfo."x\a".y`)
	for _, raw := range []string{"\u202e", "\a"} {
		assert.NotContains(t, ve.Error(), raw)
	}
}

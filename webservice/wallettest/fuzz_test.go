package wallettest_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passforge/passforge/webservice/wallettest"
)

// FuzzParseSerialNumbers feeds list endpoint bodies a service may send: no
// panic, and a body is accepted only when lastUpdated is a non-empty JSON
// string and serialNumbers an array of strings.
func FuzzParseSerialNumbers(f *testing.F) {
	for _, s := range []string{
		`{"serialNumbers":["001","020"],"lastUpdated":"1351981923"}`,
		`{"serialNumbers":["001"],"lastUpdated":1351981923}`,
		`{"serialNumbers":[],"lastUpdated":""}`,
		`{"serialNumbers":null,"lastUpdated":"1"}`,
		`{"serialNumbers":[1],"lastUpdated":"1"}`,
		`{"lastUpdated":"1"}`,
		`[]`, `null`, ``, `{`, "{\"serialNumbers\":[\"\x1b[2J\"],\"lastUpdated\":\"\\u0000\"}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		sn, err := wallettest.ParseSerialNumbers(body)
		if err != nil {
			assert.Nil(t, sn)
			return
		}
		require.NotEmpty(t, sn.LastUpdated)
		require.NotNil(t, sn.SerialNumbers)
		// Keys are matched exactly, as Wallet does (encoding/json's struct
		// decoding would also match "LastUpdated").
		var raw map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(body, &raw))
		assert.Equal(t, byte('"'), raw["lastUpdated"][0], "lastUpdated accepted only as a string")
	})
}

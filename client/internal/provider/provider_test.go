package provider

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type mode string

var prefixes = []KeyPrefix[mode]{{"k_test_", "test"}, {"k_live_", "live"}}

func TestModeFromKey(t *testing.T) {
	tests := []struct {
		key, want, err string
	}{
		{"k_test_abc", "test", ""},
		{"k_live_abc", "live", ""},
		{"", "", "API key is empty"},
		{"k_test_", "", "API key is only a prefix"},
		{"k_live_", "", "API key is only a prefix"},
		{"K_TEST_abc", "", "API key must start with k_test_ or k_live_"},
		{"sk_secret_value", "", "API key must start with k_test_ or k_live_"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			got, err := ModeFromKey(tt.key, prefixes)
			assert.Equal(t, mode(tt.want), got)
			if tt.err == "" {
				require.NoError(t, err)
				return
			}
			require.EqualError(t, err, tt.err)
			if len(tt.key) > len("k_live_") {
				assert.NotContains(t, err.Error(), tt.key)
			}
		})
	}
}

func TestOrList(t *testing.T) {
	assert.Equal(t, "", orList(nil))
	assert.Equal(t, "a", orList([]string{"a"}))
	assert.Equal(t, "a or b", orList([]string{"a", "b"}))
	assert.Equal(t, "a, b or c", orList([]string{"a", "b", "c"}))
}

func TestSegment(t *testing.T) {
	tests := []struct {
		v, want, err string
	}{
		{"pass_123", "pass_123", ""},
		{"a/b", "a%2Fb", ""},
		{"a b?c", "a%20b%3Fc", ""},
		{"...", "...", ""},
		{"", "", "pass id is empty"},
		{" \t", "", "pass id is empty"},
		{".", "", `pass id "." is not valid`},
		{"..", "", `pass id ".." is not valid`},
	}
	for _, tt := range tests {
		t.Run(tt.v, func(t *testing.T) {
			got, err := Segment("pass id", tt.v)
			if tt.err != "" {
				require.EqualError(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestUnmarshalRaw(t *testing.T) {
	var v struct {
		ID string `json:"id"`
	}
	var raw json.RawMessage
	b := []byte(`{"id":"x","extra":1}`)
	require.NoError(t, UnmarshalRaw(b, &v, &raw))
	assert.Equal(t, "x", v.ID)
	assert.JSONEq(t, string(b), string(raw))
	b[2] = 'X' // raw is a copy, not the caller's buffer
	assert.Equal(t, `{"id":"x","extra":1}`, string(raw))

	raw = nil
	require.Error(t, UnmarshalRaw([]byte(`{"id":1}`), &v, &raw))
	assert.Nil(t, raw)
}

func TestRedactMembers(t *testing.T) {
	out := RedactMembers(json.RawMessage(`{"id":"whk_1","secret":"whsec_abc","x":{"secret":"nested stays"}}`), "secret")
	assert.NotContains(t, string(out), "whsec_abc")
	assert.Contains(t, string(out), `"secret":"[REDACTED]"`)
	assert.Contains(t, string(out), `"id":"whk_1"`)
	assert.Equal(t, `[1]`, string(RedactMembers(json.RawMessage(`[1]`), "secret")))
	assert.Equal(t, `{"a":1}`, string(RedactMembers(json.RawMessage(`{"a":1}`), "secret")))
	assert.Nil(t, RedactMembers(nil, "secret"))
}

type plainHolder struct{ A, B string }

type formatHolder plainHolder

func (h formatHolder) Format(f fmt.State, verb rune) {
	c := plainHolder(h)
	c.B = "x"
	Format(f, verb, c)
}

func TestFormat(t *testing.T) {
	h := formatHolder{A: "a", B: "secret"}
	assert.Equal(t, "{a x}", fmt.Sprintf("%v", h))
	assert.Equal(t, "{A:a B:x}", fmt.Sprintf("%+v", h))
	assert.Equal(t, `provider.plainHolder{A:"a", B:"x"}`, fmt.Sprintf("%#v", h))
	assert.Equal(t, "{A:a B:x}", fmt.Sprintf("%+v", &h))
}

func TestRedactSecret(t *testing.T) {
	orig := json.RawMessage(`{"id":"whk_1","secret":"whsec_abc","note":"was whsec_abc","key":"whsec\u005fabc"}`)
	sec, raw := "whsec_abc", orig
	RedactSecret(&sec, &raw)
	assert.Equal(t, "[REDACTED]", sec)
	assert.NotContains(t, string(raw), "whsec_abc")
	assert.NotContains(t, string(raw), `whsec\u005fabc`, "an escaped spelling is redacted too")
	assert.Contains(t, string(raw), `"secret":"[REDACTED]"`)
	assert.Contains(t, string(raw), `"note":"was [REDACTED]"`)
	assert.Contains(t, string(raw), `"id":"whk_1"`)
	assert.Contains(t, string(orig), "whsec_abc", "the original raw object is not written into")

	sec, raw = "", json.RawMessage(`{"id":"whk_1","secret":"echoed"}`)
	RedactSecret(&sec, &raw)
	assert.Empty(t, sec, "an unset secret stays unset")
	assert.JSONEq(t, `{"id":"whk_1","secret":"[REDACTED]"}`, string(raw), "the secret member is redacted even when the field is empty")
}

func TestLogValue(t *testing.T) {
	assert.Equal(t, "{A:a B:x}", LogValue(plainHolder{A: "a", B: "x"}).String())
}

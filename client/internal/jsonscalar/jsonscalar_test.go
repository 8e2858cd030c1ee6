package jsonscalar

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestText(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want string
	}{
		{"absent", "", ""},
		{"blank", "  \n", ""},
		{"string", `"not_found"`, "not_found"},
		{"string with escapes", `"caf\u00e9 \"x\""`, `café "x"`},
		{"padded string", " \"x\"\n", "x"},
		{"empty string", `""`, ""},
		{"integer", "4001", "4001"},
		{"negative float", "-1.5e3", "-1.5e3"},
		{"true", "true", "true"},
		{"false", "false", "false"},
		{"null", "null", ""},
		{"object", `{"message":"x"}`, ""},
		{"array", `["x"]`, ""},
		{"unterminated string", `"abc`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Text(json.RawMessage(tt.raw)))
		})
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{``, `"x"`, `12`, `null`, `{"a":1}`, `["a"]`, `"\ud800"`, `true`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got := Text(raw)
		// A valid JSON string decodes to exactly what encoding/json reads.
		var s string
		if json.Unmarshal(raw, &s) == nil {
			assert.Equal(t, s, got)
		}
		// Containers and null never turn into text.
		var v any
		if json.Unmarshal(raw, &v) == nil {
			switch v.(type) {
			case nil, map[string]any, []any:
				assert.Empty(t, got)
			}
		}
	})
}

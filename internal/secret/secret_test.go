package secret

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const key = "pmk_live_SUPERSECRET123"

// holder has the credential in an exported and an unexported field: fmt cannot call methods on unexported
// fields, so the type must also be safe when printed by reflection.
type holder struct {
	Name    string
	Public  String
	private String
	raw     Bytes
	Raw     Bytes
}

var verbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %v", "%10v", "%-10s"}

func TestStringRedactsUnderEveryVerb(t *testing.T) {
	s := New(key)
	b := NewBytes([]byte(key))
	h := holder{Name: "n", Public: s, private: s, raw: b, Raw: b}
	for _, v := range []any{s, &s, b, &b, h, &h, []String{s}, map[string]String{"k": s}, []any{h}} {
		for _, verb := range verbs {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, key, "%s of %T", verb, v)
			assert.NotContains(t, out, fmt.Sprintf("%x", key), "%s of %T", verb, v)
			assert.NotContains(t, strings.ToLower(out), strings.ToLower(fmt.Sprintf("%x", key)[:16]), "%s of %T", verb, v)
		}
	}
	assert.Equal(t, Redacted, s.String())
	assert.Equal(t, Redacted, fmt.Sprint(s))
	assert.Equal(t, `secret.String("[REDACTED]")`, fmt.Sprintf("%#v", s))
	assert.Equal(t, `"[REDACTED]"`, fmt.Sprintf("%q", s))
	assert.Equal(t, key, s.Reveal())
	assert.Equal(t, []byte(key), b.Reveal())
}

func TestZeroValues(t *testing.T) {
	var s String
	var b Bytes
	assert.True(t, s.IsZero())
	assert.True(t, b.IsZero())
	assert.Equal(t, "", s.Reveal())
	assert.Nil(t, b.Reveal())
	assert.Equal(t, "", s.String(), "an unset secret says it is empty")
	assert.True(t, New("").IsZero())
	assert.True(t, NewBytes(nil).IsZero())
	assert.False(t, New("x").IsZero())
	assert.Equal(t, "abc", s.Redact("abc"), "an empty secret redacts nothing")
}

func TestNewBytesCopies(t *testing.T) {
	in := []byte("abc")
	b := NewBytes(in)
	in[0] = 'x'
	assert.Equal(t, []byte("abc"), b.Reveal())
}

func TestSlog(t *testing.T) {
	s := New(key)
	b := NewBytes([]byte(key))
	for _, mk := range []func(*bytes.Buffer) slog.Handler{
		func(w *bytes.Buffer) slog.Handler {
			return slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug})
		},
		func(w *bytes.Buffer) slog.Handler {
			return slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug})
		},
	} {
		var buf bytes.Buffer
		l := slog.New(mk(&buf))
		l.Debug("x", "s", s, "b", b, "h", holder{Public: s, private: s, Raw: b}, slog.Any("p", &s))
		l.Error("y", slog.Group("g", "s", s))
		assert.NotContains(t, buf.String(), key)
		assert.Contains(t, buf.String(), Redacted)
	}
}

func TestJSON(t *testing.T) {
	out, err := json.Marshal(holder{Public: New(key), Raw: NewBytes([]byte(key))})
	require.NoError(t, err)
	assert.NotContains(t, string(out), key)
	assert.Contains(t, string(out), `"Public":"[REDACTED]"`)
}

func TestEqual(t *testing.T) {
	s := New(key)
	assert.True(t, s.Equal(key))
	assert.False(t, s.Equal(key+"x"))
	assert.False(t, s.Equal(""))
	assert.False(t, String{}.Equal(""), "an unset secret matches nothing")
	assert.True(t, NewBytes([]byte("k")).Equal([]byte("k")))
	assert.False(t, Bytes{}.Equal(nil))
}

func TestRedact(t *testing.T) {
	s := New(key)
	assert.Equal(t, "a [REDACTED] b [REDACTED]", s.Redact("a "+key+" b "+key))
	assert.Equal(t, "nothing", s.Redact("nothing"))
	assert.Equal(t, "x [REDACTED][REDACTED]", RedactAll("x "+key+"-other", New("-other"), s, String{}))
}

func TestRedactFold(t *testing.T) {
	s := New("Pmk_Live_AbC")
	assert.Equal(t, "X-[REDACTED]: [REDACTED] [REDACTED]", s.RedactFold("X-pmk_live_abc: PMK_LIVE_ABC Pmk_Live_AbC"))
	assert.Equal(t, "pmk_live_ab", s.RedactFold("pmk_live_ab"))
	assert.Equal(t, "x", String{}.RedactFold("x"))
	assert.Equal(t, "é[REDACTED]é", s.RedactFold("épmk_live_abcé"))
}

func TestRedactJSON(t *testing.T) {
	s := New("ab/c<d>")
	for _, tc := range []struct{ name, in string }{
		{"raw", `{"error":{"message":"bad key ab/c<d>"}}`},
		{"escaped slash", `{"code":"ab\/c<d>"}`},
		{"html escapes", `{"code":"ab/c\u003cd\u003e"}`},
		{"unicode escapes", `{"code":"\u0061\u0062\u002f\u0063<d>", "x": 1}`},
		{"key of an object", `{"\u0061b/c<d>": 1}`},
		{"not json", `plain ab/c<d> text`},
		{"broken json", `{"a":"\u0061b/c<d>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := string(s.RedactJSON([]byte(tc.in)))
			assert.NotContains(t, out, "ab/c<d>")
			assert.Contains(t, out, Redacted)
			var v any
			if json.Valid([]byte(tc.in)) {
				require.NoError(t, json.Unmarshal([]byte(out), &v), out)
				dec, _ := json.Marshal(v)
				assert.NotContains(t, string(dec), "ab/c<d>")
			}
		})
	}
	// Input without the secret comes back unchanged, byte for byte.
	in := []byte(`{"a":"\u0041\/"}`)
	assert.Equal(t, in, s.RedactJSON(in))
}

func FuzzRedactJSON(f *testing.F) {
	f.Add([]byte(`{"a":"\u0070mk"}`), "pmk")
	f.Add([]byte(`"\"`), "x")
	f.Add([]byte(`{"k":"a\/b"}`), "a/b")
	f.Fuzz(func(t *testing.T, body []byte, sec string) {
		// A secret that is not valid UTF-8 can be made by the decoder itself (U+FFFD replaces bad bytes).
		if sec == "" || overlapsRedacted(sec) || !utf8.ValidString(sec) {
			return
		}
		s := New(sec)
		out := s.RedactJSON(body)
		if bytes.Contains(out, []byte(sec)) {
			t.Fatalf("secret %q left in %q", sec, out)
		}
		if json.Valid(body) && !canBeOutsideStrings(sec) {
			if !json.Valid(out) {
				t.Fatalf("valid JSON %q became invalid %q", body, out)
			}
			if strings.Contains(unescapeAll(out), sec) {
				t.Fatalf("secret %q decodes from %q", sec, out)
			}
		}
	})
}

// unescapeAll decodes b and returns its strings (object keys included), the way a reader of the value sees
// them, one a line.
func unescapeAll(b []byte) string {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return string(b)
	}
	var sb strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			sb.WriteString(v + "\n")
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for k, e := range v {
				sb.WriteString(k + "\n")
				walk(e)
			}
		}
	}
	walk(v)
	return sb.String()
}

// overlapsRedacted reports whether sec could be formed again across the edge of a Redacted put in its place
// (it starts with an end of "[REDACTED]" or ends with a start of it) or lies within it: no API key does, and
// for such a secret "not in the output" cannot hold.
func overlapsRedacted(sec string) bool {
	if strings.Contains(Redacted, sec) || strings.Contains(`"`+Redacted+`"`, sec) {
		return true
	}
	for i := 1; i < len(Redacted); i++ {
		if strings.HasPrefix(sec, Redacted[i:]) || strings.HasSuffix(sec, Redacted[:i]) {
			return true
		}
	}
	return false
}

// canBeOutsideStrings reports whether sec could occur in valid JSON outside a string literal (in a number,
// a literal, punctuation or whitespace), where replacing it cannot keep the JSON valid, or holds a quote or
// backslash, which ends or escapes a literal.
func canBeOutsideStrings(sec string) bool {
	if strings.ContainsAny(sec, `"\`) {
		return true
	}
	for i := 0; i < len(sec); i++ {
		if !strings.ContainsRune("0123456789+-.eEtruefalsn,:{}[] \t\r\n\"\\", rune(sec[i])) {
			return false
		}
	}
	return true
}

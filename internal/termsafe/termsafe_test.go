package termsafe

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// forged is a manifest key built to make a failing pass look verified: a carriage return back to the start
// of the line, an ANSI sequence that erases it, and a fake success line.
const forged = "icon.png\r\x1b[2K\x1b[32mpass.pkpass: OK (pass.com.example, serial 1)\x1b[0m"

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"icon@2x.png", "icon@2x.png"},
		{"Café – 東京 ✓ 🎟", "Café – 東京 ✓ 🎟"},
		{`back\slash "q"`, `back\slash "q"`},
		{"a\rb\nc\td", `a\rb\nc\td`},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"nul\x00bel\x07del\x7f", `nul\x00bel\x07del\x7f`},
		{"csi\u009b31m", `csi\u009b31m`},
		{"evil\u202egnp.exe", `evil\u202egnp.exe`},
		{"iso\u2066late\u2069 lrm\u200e zw\u200bsp bom\ufeff", `iso\u2066late\u2069 lrm\u200e zw\u200bsp bom\ufeff`},
		{"line\u2028sep", `line\u2028sep`},
		{"tag\U000e0041", `tag\U000e0041`},
		{"bad\xffutf8\xc3", `bad\xffutf8\xc3`},
		{"nbsp\u00a0", `nbsp\u00a0`},
	} {
		assert.Equal(t, tc.want, Escape(tc.in), "%q", tc.in)
		assert.Equal(t, tc.in == tc.want, IsSafe(tc.in), "%q", tc.in)
	}
	out := Escape(forged)
	assert.NotContains(t, out, "\r")
	assert.NotContains(t, out, "\x1b")
	assert.Equal(t, `icon.png\r\x1b[2K\x1b[32mpass.pkpass: OK (pass.com.example, serial 1)\x1b[0m`, out)
}

func TestEscapeReturnsSafeInputUnchanged(t *testing.T) {
	s := "pass.json"
	out := Escape(s)
	assert.Equal(t, s, out)
	assert.Equal(t, 0, int(testing.AllocsPerRun(100, func() { _ = Escape(s) })))
}

func TestQuote(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", `""`},
		{"icon.png", `"icon.png"`},
		{"Café 東京", `"Café 東京"`},
		{`a"b\c`, `"a\"b\\c"`},
		{forged, `"icon.png\r\x1b[2K\x1b[32mpass.pkpass: OK (pass.com.example, serial 1)\x1b[0m"`},
		{"evil\u202egnp", `"evil\u202egnp"`},
		{"bad\xff", `"bad\xff"`},
	} {
		got := Quote(tc.in)
		assert.Equal(t, tc.want, got, "%q", tc.in)
		// Quote is valid Go syntax for the same bytes.
		back, err := strconv.Unquote(got)
		require.NoError(t, err, got)
		assert.Equal(t, tc.in, back)
	}
}

func TestEscapeJSON(t *testing.T) {
	v := map[string]string{"name": forged, "bidi": "a\u202eb\u2066", "c1": "\u009b", "del": "\x7f", "ok": "Café ✓"}
	raw, err := json.MarshalIndent(v, "", "  ")
	require.NoError(t, err)
	out := EscapeJSON(raw)
	for _, r := range string(out) {
		assert.True(t, r == '\n' || r == ' ' || unicode.IsPrint(r), "%q left in %s", r, out)
	}
	var back map[string]string
	require.NoError(t, json.Unmarshal(out, &back))
	assert.Equal(t, v, back, "escaping keeps every value")
	assert.Contains(t, string(out), `a\u202eb\u2066`)
	assert.Contains(t, string(out), "Café ✓")
	assert.Contains(t, string(out), "\n  \"", "the indentation is kept")

	// A rune outside the BMP is written as a surrogate pair.
	out = EscapeJSON([]byte(`"` + "\U000e0041" + `"`))
	assert.Equal(t, `"\udb40\udc41"`, string(out))
	var s string
	require.NoError(t, json.Unmarshal(out, &s))
	assert.Equal(t, "\U000e0041", s)
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{forged, "a\u202eb", "\xff", "東京", `\x1b`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{Escape(s), Quote(s)} {
			if !utf8.ValidString(out) {
				t.Fatalf("output %q of %q is not UTF-8", out, s)
			}
			for _, r := range out {
				if !unicode.IsPrint(r) && r != ' ' {
					t.Fatalf("output %q of %q holds %U", out, s, r)
				}
			}
		}
		if back, err := strconv.Unquote(Quote(s)); err != nil || back != s {
			t.Fatalf("Quote(%q) = %s does not unquote to the input: %q, %v", s, Quote(s), back, err)
		}
		if IsSafe(s) != (Escape(s) == s) {
			t.Fatalf("IsSafe(%q) disagrees with Escape", s)
		}
		if strings.Contains(Escape(s), "\n") {
			t.Fatal("a line break passed")
		}
		b, _ := json.Marshal(s)
		e := EscapeJSON(b)
		var back, want string
		_ = json.Unmarshal(b, &want)
		if err := json.Unmarshal(e, &back); err != nil || back != want {
			t.Fatalf("EscapeJSON(%s) = %s: %q, %v", b, e, back, err)
		}
	})
}

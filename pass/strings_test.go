package pass

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func utf16Bytes(s string, order binary.AppendByteOrder, bom bool) []byte {
	units := utf16.Encode([]rune(s))
	var out []byte
	if bom {
		out = order.AppendUint16(out, 0xFEFF)
	}
	for _, u := range units {
		out = order.AppendUint16(out, u)
	}
	return out
}

func TestStringsEncode(t *testing.T) {
	t.Run("ASCII stays plain", func(t *testing.T) {
		got := Strings{"b": "two", "a": `say "hi"\now` + "\n\t\r\x01"}.Encode()
		assert.Equal(t, `"a" = "say \"hi\"\\now\n\t\r\U0001";`+"\n"+`"b" = "two";`+"\n", string(got))
	})
	t.Run("non-ASCII is UTF-16LE with a BOM", func(t *testing.T) {
		got := Strings{"WELCOME": "Bienvenue à bord 🎫"}.Encode()
		assert.Equal(t, utf16Bytes(`"WELCOME" = "Bienvenue à bord 🎫";`+"\n", binary.LittleEndian, true), got)
	})
	t.Run("empty", func(t *testing.T) {
		assert.Empty(t, Strings{}.Encode())
	})
	t.Run("deterministic", func(t *testing.T) {
		s := Strings{}
		for i := range 100 {
			s["k"+itoa(i)] = "v"
		}
		assert.Equal(t, s.Encode(), s.Encode())
	})
}

func TestStringsRoundTrip(t *testing.T) {
	tests := []Strings{
		{},
		{"k": "v"},
		{"GATE": "Porte", "WELCOME": "Bienvenue à bord", "emoji": "🎫✈️", "cjk": "登機證"},
		{`quote"key`: `back\slash`, "lines": "one\ntwo\r\nthree\tfour", "ctrl": "\x00\x1f\x7f", "": "empty key"},
	}
	for i, s := range tests {
		t.Run(itoa(i), func(t *testing.T) {
			got, err := ParseStrings(s.Encode())
			require.NoError(t, err)
			assert.Equal(t, s, got)
		})
	}
}

func TestParseStrings(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want Strings
	}{
		{"basic", []byte(`"a" = "b";`), Strings{"a": "b"}},
		{"comments and spaces", []byte("/* header\n comment */\n// line comment\n\"a\"\t=\t\"b\" ; // trailing\n\n\"c\"=\"d\";/**/"), Strings{"a": "b", "c": "d"}},
		{"escapes", []byte(`"k" = "\"q\" \\ \n \t \r \' \/ \U00e9 \u00E9 \UD83C\UDFAB \0";`), Strings{"k": "\"q\" \\ \n \t \r ' / é é 🎫 \x00"}},
		{"control escapes", []byte("\"k\" = \"\\a\\b\\f\\v|\\\nnext\";"), Strings{"k": "\a\b\f\v|\nnext"}},
		{"unpaired surrogate", []byte(`"k" = "\UD83Cx";`), Strings{"k": "\uFFFDx"}},
		{"unquoted words", []byte(`greeting = Hello_World-1.0;`), Strings{"greeting": "Hello_World-1.0"}},
		{"key only", []byte(`"Gate";`), Strings{"Gate": "Gate"}},
		{"later entries win", []byte(`"k" = "1"; "k" = "2";`), Strings{"k": "2"}},
		{"multi-line value", []byte("\"k\" = \"a\nb\";"), Strings{"k": "a\nb"}},
		{"UTF-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, `"k" = "é";`...), Strings{"k": "é"}},
		{"UTF-8 without BOM", []byte(`"k" = "é";`), Strings{"k": "é"}},
		{"UTF-16LE with BOM", utf16Bytes(`"k" = "é🎫";`, binary.LittleEndian, true), Strings{"k": "é🎫"}},
		{"UTF-16BE with BOM", utf16Bytes(`"k" = "é🎫";`, binary.BigEndian, true), Strings{"k": "é🎫"}},
		{"UTF-16LE without BOM", utf16Bytes(`"k" = "é";`, binary.LittleEndian, false), Strings{"k": "é"}},
		{"UTF-16BE without BOM", utf16Bytes(`"k" = "é";`, binary.BigEndian, false), Strings{"k": "é"}},
		{"empty", nil, Strings{}},
		{"only comments", []byte("/* nothing */ // here"), Strings{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseStrings(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseStringsErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"missing semicolon", []byte("\"a\" = \"b\";\n\"c\" = \"d\"\n\"e\" = \"f\";"), `pass: pass.strings: line 3: want ; after the entry "c", found '"'`},
		{"missing value", []byte(`"a" = ;`), `pass: pass.strings: line 1: want a quoted value, found ';'`},
		{"unclosed string", []byte("\n\n\"a\" = \"b;\n\n"), `pass: pass.strings: line 3: value string not closed (missing ")`},
		{"unclosed comment", []byte("\"a\" = \"b\";\n/* open\n\n"), `pass: pass.strings: line 2: comment not closed (missing */)`},
		{"bad escape", []byte("\n\"a\" = \"\\q\";"), `pass: pass.strings: line 2: unknown escape sequence \q`},
		{"short unicode escape", []byte(`"a" = "\U12";`), `pass: pass.strings: line 1: \U needs four hexadecimal digits, found "12\";"`},
		{"truncated unicode escape", []byte(`"a" = "\U1`), `pass: pass.strings: line 1: \U needs four hexadecimal digits`},
		{"stray character", []byte(`= "b";`), `pass: pass.strings: line 1: want a quoted key, found '='`},
		{"invalid UTF-8", []byte("\"a\" = \"b\";\n\"c\" = \"\xff\";"), `pass: pass.strings: line 2: invalid UTF-8 (save the file as UTF-8 or UTF-16)`},
		{"odd UTF-16", append(utf16Bytes(`"a"`, binary.LittleEndian, true), 'x'), `pass: pass.strings: UTF-16 text has an odd number of bytes`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseStrings(tt.in)
			require.Error(t, err)
			assert.Nil(t, got)
			assert.Equal(t, tt.want, err.Error())
			var se *StringsError
			assert.True(t, errors.As(err, &se))
		})
	}
	_, err := ParseStrings([]byte(strings.Repeat(" ", MaxStringsSize+1)))
	require.ErrorIs(t, err, ErrTooLarge)
}

// FuzzParseStrings checks that ParseStrings never panics and that whatever it accepts encodes and parses back
// to the same strings.
func FuzzParseStrings(f *testing.F) {
	f.Add([]byte(`"a" = "b";`))
	f.Add([]byte("/* c */\n\"k\" = \"\\U00e9\\n\";\n// x\nkey = value;\n\"only\";"))
	f.Add(Strings{"WELCOME": "Bienvenue à bord 🎫", "q": `"\`}.Encode())
	f.Add(utf16Bytes(`"k" = "v";`, binary.BigEndian, true))
	f.Add([]byte(`"k" = "\UD83C\UDFAB \UDC00";`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseStrings(data)
		if err != nil {
			return
		}
		back, err := ParseStrings(s.Encode())
		if err != nil {
			t.Fatalf("encoded strings do not parse: %v", err)
		}
		// Encode writes invalid UTF-8 as U+FFFD, so compare after the same replacement.
		want := Strings{}
		for k, v := range s {
			want[strings.ToValidUTF8(k, "\uFFFD")] = strings.ToValidUTF8(v, "\uFFFD")
		}
		if len(want) == len(s) {
			assert.Equal(t, want, back)
		}
	})
}

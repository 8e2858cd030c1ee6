package secret

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
)

// Redacted is what a secret prints instead of its content, and what Redact puts in place of a credential.
const Redacted = "[REDACTED]"

// String is a credential held as text. Its zero value holds no credential. The text lives behind a pointer,
// so that fmt, which prints unexported fields by reflection without calling their methods, shows an address
// and never the text. A String is safe to copy and to use from several goroutines.
type String struct{ p *string }

// New returns s as a String; an empty s gives the zero String.
func New(s string) String {
	if s == "" {
		return String{}
	}
	return String{p: &s}
}

// Reveal returns the credential, for the one place that must send or compare it. Never print it.
func (s String) Reveal() string {
	if s.p == nil {
		return ""
	}
	return *s.p
}

// IsZero reports whether s holds no credential.
func (s String) IsZero() bool { return s.p == nil }

// String returns Redacted, or "" when s holds no credential, so that a missing credential still shows.
func (s String) String() string {
	if s.p == nil {
		return ""
	}
	return Redacted
}

// GoString returns the Go syntax of a redacted String, for %#v.
func (s String) GoString() string { return "secret.String(" + strconv.Quote(s.String()) + ")" }

// Format writes the redacted form for every verb: GoString for %#v, a quoted form for %q, String otherwise.
func (s String) Format(f fmt.State, verb rune) { format(f, verb, s.String(), s.GoString()) }

// LogValue implements slog.LogValuer: a log record shows Redacted.
func (s String) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON writes the redacted form as a JSON string, so that encoding a struct that holds a String does
// not leak it.
func (s String) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// Equal reports, in constant time for inputs of equal length, whether s holds exactly v. A zero String equals
// nothing, not even "".
func (s String) Equal(v string) bool {
	if s.p == nil {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(*s.p), []byte(v)) == 1
}

// Redact returns text with every occurrence of the credential replaced by Redacted. A zero String returns
// text unchanged.
func (s String) Redact(text string) string {
	if s.p == nil || !strings.Contains(text, *s.p) {
		return text
	}
	return strings.ReplaceAll(text, *s.p, Redacted)
}

// RedactFold is Redact with ASCII letters matched without regard to case, for text a server may have
// re-cased, such as an HTTP header name (net/http canonicalizes "X-Pmk_live_AbC" to "X-Pmk_live_abc").
func (s String) RedactFold(text string) string {
	if s.p == nil || len(*s.p) > len(text) {
		return text
	}
	sec := *s.p
	var b strings.Builder
	last := 0
	for i := 0; i+len(sec) <= len(text); {
		if !equalFoldASCII(text[i:i+len(sec)], sec) {
			i++
			continue
		}
		b.WriteString(text[last:i])
		b.WriteString(Redacted)
		i += len(sec)
		last = i
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// equalFoldASCII reports whether a and b, of equal length, are equal with ASCII letters folded.
func equalFoldASCII(a, b string) bool {
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// RedactAll returns text with every credential of secrets replaced by Redacted; zero Strings are skipped.
func RedactAll(text string, secrets ...String) string {
	for _, s := range secrets {
		text = s.Redact(text)
	}
	return text
}

// RedactJSON returns b with the credential removed from it both where it appears as is and where it is
// spelled with JSON escapes inside a string literal ("\u0070mk_...", "a\/b"), which a server echoing the
// credential back may do. A string literal with escapes whose decoded value or raw text holds the credential
// is re-encoded with Redacted in its place, so valid JSON stays valid whenever the credential occurs only
// inside strings; b need not be JSON. b is returned unchanged, not copied, when it holds no credential.
func (s String) RedactJSON(b []byte) []byte {
	if s.p == nil {
		return b
	}
	sec := *s.p
	out := b
	if bytes.IndexByte(b, '\\') >= 0 {
		out = redactJSONStrings(b, sec)
	}
	if bytes.Contains(out, []byte(sec)) {
		out = bytes.ReplaceAll(out, []byte(sec), []byte(Redacted))
	}
	return out
}

// redactJSONStrings re-encodes every string literal of b that holds escapes and whose decoded value or raw
// text holds sec, with sec replaced in the decoded value; a literal whose re-encoding would still show sec
// becomes "[REDACTED]" whole. Everything else is copied as is. An unterminated last literal is decoded as if
// it were closed.
func redactJSONStrings(b []byte, sec string) []byte {
	var out []byte
	last := 0 // b[last:] is not yet copied to out
	for i := 0; i < len(b); i++ {
		if b[i] != '"' {
			continue
		}
		j, escaped := i+1, false
		for j < len(b) && b[j] != '"' {
			if b[j] == '\\' {
				escaped = true
				j++
			}
			j++
		}
		end := min(j+1, len(b)) // b[i:end] is the literal, with its closing quote when there is one
		if escaped {
			lit := b[i:end]
			closed := j < len(b)
			if !closed {
				lit = append(append([]byte(nil), b[i:]...), '"')
			}
			var v string
			if json.Unmarshal(lit, &v) == nil && (strings.Contains(v, sec) || bytes.Contains(lit, []byte(sec))) {
				enc, err := json.Marshal(strings.ReplaceAll(v, sec, Redacted))
				if err != nil || bytes.Contains(enc, []byte(sec)) {
					enc = []byte(`"` + Redacted + `"`)
				}
				if !closed {
					enc = enc[:len(enc)-1] // keep the literal unterminated, as it was
				}
				out = append(out, b[last:i]...)
				out = append(out, enc...)
				last = end
			}
		}
		i = end - 1
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// Bytes is a credential held as bytes, such as an HMAC key or a private key's encoding. Its zero value holds
// no credential. Like String, it never prints its content.
type Bytes struct{ p *[]byte }

// NewBytes returns a copy of b as a Bytes; an empty b gives the zero Bytes.
func NewBytes(b []byte) Bytes {
	if len(b) == 0 {
		return Bytes{}
	}
	c := append([]byte(nil), b...)
	return Bytes{p: &c}
}

// Reveal returns the credential, for the one place that must use it. The slice is shared: do not modify it.
func (b Bytes) Reveal() []byte {
	if b.p == nil {
		return nil
	}
	return *b.p
}

// IsZero reports whether b holds no credential.
func (b Bytes) IsZero() bool { return b.p == nil }

// String returns Redacted, or "" when b holds no credential.
func (b Bytes) String() string {
	if b.p == nil {
		return ""
	}
	return Redacted
}

// GoString returns the Go syntax of a redacted Bytes, for %#v.
func (b Bytes) GoString() string { return "secret.Bytes(" + strconv.Quote(b.String()) + ")" }

// Format writes the redacted form for every verb, like String.Format.
func (b Bytes) Format(f fmt.State, verb rune) { format(f, verb, b.String(), b.GoString()) }

// LogValue implements slog.LogValuer: a log record shows Redacted.
func (b Bytes) LogValue() slog.Value { return slog.StringValue(b.String()) }

// MarshalJSON writes the redacted form as a JSON string.
func (b Bytes) MarshalJSON() ([]byte, error) { return json.Marshal(b.String()) }

// Equal reports, in constant time for inputs of equal length, whether b holds exactly v. A zero Bytes equals
// nothing.
func (b Bytes) Equal(v []byte) bool {
	if b.p == nil {
		return false
	}
	return subtle.ConstantTimeCompare(*b.p, v) == 1
}

// format writes the redacted text for verb: goSyntax for %#v, quoted for %q, text otherwise.
func format(f fmt.State, verb rune, text, goSyntax string) {
	switch {
	case verb == 'v' && f.Flag('#'):
		text = goSyntax
	case verb == 'q':
		text = strconv.Quote(text)
	}
	io.WriteString(f, text)
}

var (
	_ fmt.Formatter  = String{}
	_ fmt.GoStringer = String{}
	_ slog.LogValuer = String{}
	_ json.Marshaler = String{}
	_ fmt.Formatter  = Bytes{}
	_ fmt.GoStringer = Bytes{}
	_ slog.LogValuer = Bytes{}
	_ json.Marshaler = Bytes{}
	_ fmt.Stringer   = String{}
	_ fmt.Stringer   = Bytes{}
)

package push

import (
	"encoding/hex"
	"testing"
)

// FuzzCheckToken checks that CheckToken accepts exactly the tokens that are
// an even number of hex digits, 32 to 200 long, and that printable never
// lets a control byte through.
func FuzzCheckToken(f *testing.F) {
	for _, s := range []string{"", "ab", token(1), token(1) + "0", "zz" + token(1)[2:], string(make([]byte, 64))} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, hexErr := hex.DecodeString(s)
		want := hexErr == nil && len(s) >= minTokenHex && len(s) <= maxTokenHex
		if got := CheckToken(s) == nil; got != want {
			t.Fatalf("CheckToken(%q) accepted = %v, want %v", s, got, want)
		}
		p := printable(s, 64)
		if len(p) > 64 {
			t.Fatalf("printable(%q) is %d bytes", s, len(p))
		}
		for i := 0; i < len(p); i++ {
			if p[i] < 0x20 || p[i] > 0x7e {
				t.Fatalf("printable(%q) = %q keeps byte %#x", s, p, p[i])
			}
		}
	})
}

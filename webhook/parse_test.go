package webhook

import (
	"encoding/base64"
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// decodeHex and decodeBase64 agree with the standard library.
func TestDecodeSignatures(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		var want mac
		for i := range want {
			want[i] = byte(r.Uint32())
		}
		var got mac
		ok, full := decodeHex(&got, hex.EncodeToString(want[:]))
		assert.True(t, ok && full)
		assert.Equal(t, want, got)
		ok, full = decodeHex(&got, strings.ToUpper(hex.EncodeToString(want[:])))
		assert.True(t, ok && full)
		assert.Equal(t, want, got)
		ok, full = decodeBase64(&got, base64.StdEncoding.EncodeToString(want[:]))
		assert.True(t, ok && full)
		assert.Equal(t, want, got)
		ok, full = decodeBase64(&got, base64.RawStdEncoding.EncodeToString(want[:]))
		assert.True(t, ok && full)
		assert.Equal(t, want, got)
	}
	for _, tt := range []struct {
		in       string
		ok, full bool
	}{
		{"", true, false},
		{"0", false, false},
		{"00", true, false},
		{"0g", false, false},
		{strings.Repeat("0", 62) + "0G", false, false},
		{strings.Repeat("f", 62) + "F ", false, false},
		{strings.Repeat("0", 66), true, false},
		{strings.Repeat("0", 66) + "x", false, false},
		{strings.Repeat("0", 64), true, true},
	} {
		var m mac
		ok, full := decodeHex(&m, tt.in)
		assert.Equal(t, tt.ok, ok, "%q", tt.in)
		assert.Equal(t, tt.full, full, "%q", tt.in)
	}
	var m mac
	ok, full := decodeBase64(&m, strings.Repeat("A", 200))
	assert.True(t, ok)
	assert.False(t, full)
	ok, _ = decodeBase64(&m, strings.Repeat("*", 200))
	assert.False(t, ok)
}

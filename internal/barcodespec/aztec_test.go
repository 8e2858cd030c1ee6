package barcodespec

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func bitString(bits []bool) string {
	var sb strings.Builder
	for _, b := range bits {
		if b {
			sb.WriteByte('1')
		} else {
			sb.WriteByte('0')
		}
	}
	return sb.String()
}

func bitsOf(s string) []bool {
	var out []bool
	for _, c := range s {
		if c == '0' || c == '1' {
			out = append(out, c == '1')
		}
	}
	return out
}

// TestAztecBits checks the high-level encoding against hand-made encodings
// from the Aztec code tables (ISO/IEC 24778).
func TestAztecBits(t *testing.T) {
	tests := []struct{ data, want string }{
		{"A", "00010"},                    // upper is the start mode
		{"AB ", "00010 00011 00001"},      // upper letters and space
		{"a", "11100 00010"},              // L/L, a
		{"aA", "11100 00010 11100 00010"}, // L/L a, U/S A
		{"1", "11110 0011"},               // D/L, 1 in 4 bits
		{"12", "11110 0011 0100"},         // digits stay in digit mode
		{"\xff", "11111 00001 11111111"},  // B/S, length 1, the byte
		{". ", "00000 00011"},             // P/S, the ". " pair code
		{"\r\n", "00000 00010"},           // P/S, the CR LF pair code
		{"@", "11101 10100"},              // M/L, @
		{"\xe9\xe9", "11111 00010 11101001 11101001"},
	}
	for _, tt := range tests {
		t.Run(tt.data, func(t *testing.T) {
			assert.Equal(t, bitString(bitsOf(tt.want)), bitString(aztecBits([]byte(tt.data))))
		})
	}
}

func TestAztecStuffedLen(t *testing.T) {
	tests := []struct {
		bits     string
		wordSize int
		want     int
	}{
		{"101010 101010", 6, 12},          // no word needs stuffing
		{"111111 111111", 6, 18},          // every word stuffed, and the padded tail
		{"000000 000000", 6, 18},          // zeros too
		{"11111 0 101010", 6, 18},         // five ones are stuffed, so 12 bits need 3 words
		{"10", 12, 12},                    // the tail is padded with ones
		{strings.Repeat("1", 33), 12, 36}, // 11 input bits a word
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, aztecStuffedLen(bitsOf(tt.bits), tt.wordSize), tt.bits)
	}
}

func TestAztecAlwaysFits(t *testing.T) {
	worst := func(n int) int { // bits of the worst case, as in the constant's comment
		bits := 8*n + 21
		return 12*((bits+10)/11) + bits*aztecECCPercent/100 + 11
	}
	total := aztecTotalBitsInLayer(32, false)
	assert.LessOrEqual(t, worst(aztecAlwaysFits), total)
	assert.Greater(t, worst(aztecAlwaysFits+1), total)
	// The bound is reached: runs of 0xFF need the most stuffing.
	ff := []byte(strings.Repeat("\xff", aztecAlwaysFits))
	assert.True(t, aztecBitsFit(aztecBits(ff)))
	assert.False(t, aztecBitsFit(aztecBits(append(ff, 0xff))))
}

func TestAztecFitsSmallSymbols(t *testing.T) {
	assert.True(t, aztecFits([]byte("A")))
	assert.True(t, aztecFits([]byte(strings.Repeat("\xff", 1885))))
	assert.False(t, aztecFits([]byte(strings.Repeat("\xff", 1886))))
	assert.False(t, aztecFits(make([]byte, aztecMaxInput+1)))
}

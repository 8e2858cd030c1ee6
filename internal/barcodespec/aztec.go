package barcodespec

// Aztec capacity, computed exactly: this file follows the high-level encoder
// of github.com/boombuler/barcode/aztec (a port of ZXing's, which finds the
// shortest encoding with upper, lower, digit, mixed and punctuation modes and
// binary shifts), then its bit stuffing and its choice of layers at 23 %
// error correction. A message passes when the renderer can draw it.

// Aztec character modes.
const (
	aztecUpper = iota
	aztecLower
	aztecDigit
	aztecMixed
	aztecPunct
	aztecModes
)

// aztecECCPercent is the error correction the renderer asks for (Apple's
// default for Aztec codes).
const aztecECCPercent = 23

// aztecMaxInput bounds the work on messages that cannot fit any Aztec symbol
// (the largest holds 3832 digits, or about 6400 characters of pairs such as
// ". " that take 5 bits each).
const aztecMaxInput = 8192

// aztecLatch[from][to] is the latch sequence between modes: the number of
// bits in the high half, the bits in the low half.
var aztecLatch = [aztecModes][aztecModes]int{
	aztecUpper: {0, 5<<16 + 28, 5<<16 + 30, 5<<16 + 29, 10<<16 + 29<<5 + 30},
	aztecLower: {9<<16 + 30<<4 + 14, 0, 5<<16 + 30, 5<<16 + 29, 10<<16 + 29<<5 + 30},
	aztecDigit: {4<<16 + 14, 9<<16 + 14<<5 + 28, 0, 9<<16 + 14<<5 + 29, 14<<16 + 14<<10 + 29<<5 + 30},
	aztecMixed: {5<<16 + 29, 5<<16 + 28, 10<<16 + 29<<5 + 30, 0, 5<<16 + 30},
	aztecPunct: {5<<16 + 31, 10<<16 + 31<<5 + 28, 10<<16 + 31<<5 + 30, 10<<16 + 31<<5 + 29, 0},
}

// aztecShift[from][to] is the shift code, or -1 when there is no shift.
var aztecShift = [aztecModes][aztecModes]int{
	aztecUpper: {-1, -1, -1, -1, 0},
	aztecLower: {28, -1, -1, -1, 0},
	aztecDigit: {15, -1, -1, -1, 0},
	aztecMixed: {-1, -1, -1, -1, 0},
	aztecPunct: {-1, -1, -1, -1, -1},
}

// aztecChars[mode][b] is the code of byte b in mode, or 0 when b is not in it.
var aztecChars = func() (m [aztecModes][256]int) {
	m[aztecUpper][' '] = 1
	for c := 'A'; c <= 'Z'; c++ {
		m[aztecUpper][c] = int(c-'A') + 2
	}
	m[aztecLower][' '] = 1
	for c := 'a'; c <= 'z'; c++ {
		m[aztecLower][c] = int(c-'a') + 2
	}
	m[aztecDigit][' '] = 1
	for c := '0'; c <= '9'; c++ {
		m[aztecDigit][c] = int(c-'0') + 2
	}
	m[aztecDigit][','] = 12
	m[aztecDigit]['.'] = 13
	mixed := []int{0, ' ', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 27, 28, 29, 30, 31, '@', '\\', '^', '_', '`', '|', '~', 127}
	for i, v := range mixed {
		m[aztecMixed][v] = i
	}
	// As in the renderer, '\'' appears twice (the later code wins) and '"'
	// is not in the table.
	punct := []int{0, '\r', 0, 0, 0, 0, '!', '\'', '#', '$', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/', ':', ';', '<', '=', '>', '?', '[', ']', '{', '}'}
	for i, v := range punct {
		if v > 0 {
			m[aztecPunct][v] = i
		}
	}
	return m
}()

func aztecModeBits(mode int) int {
	if mode == aztecDigit {
		return 4
	}
	return 5
}

// aztecToken is one element of an encoding, linked to the one before it: a
// code of bits bits, or a binary shift of count bytes from start.
type aztecToken struct {
	prev         *aztecToken
	value, bits  int
	start, count int
}

type aztecState struct {
	mode     int
	tokens   *aztecToken
	bShift   int // bytes in the current binary shift
	bitCount int
}

func (s *aztecState) latchAndAppend(mode, value int) *aztecState {
	bitCount, tokens := s.bitCount, s.tokens
	if mode != s.mode {
		latch := aztecLatch[s.mode][mode]
		tokens = &aztecToken{prev: tokens, value: latch & 0xffff, bits: latch >> 16}
		bitCount += latch >> 16
	}
	tokens = &aztecToken{prev: tokens, value: value, bits: aztecModeBits(mode)}
	return &aztecState{mode: mode, tokens: tokens, bitCount: bitCount + aztecModeBits(mode)}
}

func (s *aztecState) shiftAndAppend(mode, value int) *aztecState {
	tokens := &aztecToken{prev: s.tokens, value: aztecShift[s.mode][mode], bits: aztecModeBits(s.mode)}
	tokens = &aztecToken{prev: tokens, value: value, bits: 5}
	return &aztecState{mode: s.mode, tokens: tokens, bitCount: s.bitCount + aztecModeBits(s.mode) + 5}
}

func (s *aztecState) addBinaryShiftChar(index int) *aztecState {
	tokens, mode, bitCount := s.tokens, s.mode, s.bitCount
	if s.mode == aztecPunct || s.mode == aztecDigit {
		latch := aztecLatch[s.mode][aztecUpper]
		tokens = &aztecToken{prev: tokens, value: latch & 0xffff, bits: latch >> 16}
		bitCount += latch >> 16
		mode = aztecUpper
	}
	delta := 8
	if s.bShift == 0 || s.bShift == 31 {
		delta = 18
	} else if s.bShift == 62 {
		delta = 9
	}
	r := &aztecState{mode: mode, tokens: tokens, bShift: s.bShift + 1, bitCount: bitCount + delta}
	if r.bShift == 2047+31 {
		r = r.endBinaryShift(index + 1)
	}
	return r
}

func (s *aztecState) endBinaryShift(index int) *aztecState {
	if s.bShift == 0 {
		return s
	}
	tokens := &aztecToken{prev: s.tokens, start: index - s.bShift, count: s.bShift}
	return &aztecState{mode: s.mode, tokens: tokens, bitCount: s.bitCount}
}

func (s *aztecState) betterOrEqual(o *aztecState) bool {
	size := s.bitCount + aztecLatch[s.mode][o.mode]>>16
	if o.bShift > 0 && (s.bShift == 0 || s.bShift > o.bShift) {
		size += 10
	}
	return size <= o.bitCount
}

// aztecSimplify appends to result (reusing its memory) the states that no
// other state beats under all circumstances, in the renderer's order.
func aztecSimplify(states, result []*aztecState) []*aztecState {
	result = result[:0]
	for _, n := range states {
		add := true
		k := 0
		for _, o := range result {
			if add && o.betterOrEqual(n) {
				add = false
			}
			if !(add && n.betterOrEqual(o)) {
				result[k] = o
				k++
			}
		}
		result = result[:k]
		if add {
			result = append(result, n)
		}
	}
	return result
}

func aztecUpdateChar(s *aztecState, data []byte, index int, out []*aztecState) []*aztecState {
	ch := data[index]
	inCurrent := aztecChars[s.mode][ch] > 0
	var noBinary *aztecState
	for mode := aztecUpper; mode <= aztecPunct; mode++ {
		code := aztecChars[mode][ch]
		if code == 0 {
			continue
		}
		if noBinary == nil {
			noBinary = s.endBinaryShift(index)
		}
		if !inCurrent || mode == s.mode || mode == aztecDigit {
			out = append(out, noBinary.latchAndAppend(mode, code))
		}
		if !inCurrent && aztecShift[s.mode][mode] >= 0 {
			out = append(out, noBinary.shiftAndAppend(mode, code))
		}
	}
	if s.bShift > 0 || aztecChars[s.mode][ch] == 0 {
		out = append(out, s.addBinaryShiftChar(index))
	}
	return out
}

func aztecUpdatePair(s *aztecState, index, pair int, out []*aztecState) []*aztecState {
	noBinary := s.endBinaryShift(index)
	out = append(out, noBinary.latchAndAppend(aztecPunct, pair))
	if s.mode != aztecPunct {
		out = append(out, noBinary.shiftAndAppend(aztecPunct, pair))
	}
	if pair == 3 || pair == 4 {
		out = append(out, noBinary.latchAndAppend(aztecDigit, 16-pair).latchAndAppend(aztecDigit, 1))
	}
	if s.bShift > 0 {
		out = append(out, s.addBinaryShiftChar(index).addBinaryShiftChar(index+1))
	}
	return out
}

// aztecRun runs the renderer's high-level encoding over data and returns the
// best final state. With record, it also returns the best state after each
// prefix length it reaches (nil where a two-character pair spans the
// boundary): those are exactly the final states of encoding the prefixes.
func aztecRun(data []byte, record bool) (*aztecState, []*aztecState) {
	states := []*aztecState{{mode: aztecUpper}}
	var next, prefixes []*aztecState
	if record {
		prefixes = make([]*aztecState, len(data)+1)
	}
	for i := 0; i < len(data); i++ {
		pair := 0
		if i+1 < len(data) {
			switch cur, next := data[i], data[i+1]; {
			case cur == '\r' && next == '\n':
				pair = 2
			case cur == '.' && next == ' ':
				pair = 3
			case cur == ',' && next == ' ':
				pair = 4
			case cur == ':' && next == ' ':
				pair = 5
			}
		}
		next = next[:0]
		for _, s := range states {
			if pair > 0 {
				next = aztecUpdatePair(s, i, pair, next)
			} else {
				next = aztecUpdateChar(s, data, i, next)
			}
		}
		if pair > 0 {
			i++
		}
		states = aztecSimplify(next, states)
		if record {
			prefixes[i+1] = aztecBest(states)
		}
	}
	return aztecBest(states), prefixes
}

// aztecBest returns the first state with the fewest bits.
func aztecBest(states []*aztecState) *aztecState {
	best := states[0]
	for _, s := range states[1:] {
		if s.bitCount < best.bitCount {
			best = s
		}
	}
	return best
}

// aztecBits returns the bits of the renderer's high-level encoding of data.
func aztecBits(data []byte) []bool {
	best, _ := aztecRun(data, false)
	return aztecStateBits(best, data, len(data))
}

// aztecStateBits writes out the encoding that ends in state s after end
// bytes of data.
func aztecStateBits(s *aztecState, data []byte, end int) []bool {
	s = s.endBinaryShift(end)
	var tokens []*aztecToken
	for t := s.tokens; t != nil; t = t.prev {
		tokens = append(tokens, t)
	}
	bits := make([]bool, 0, s.bitCount)
	add := func(v, n int) {
		for i := n - 1; i >= 0; i-- {
			bits = append(bits, v>>i&1 == 1)
		}
	}
	for i := len(tokens) - 1; i >= 0; i-- {
		t := tokens[i]
		if t.count == 0 {
			add(t.value, t.bits)
			continue
		}
		for j := 0; j < t.count; j++ {
			if j == 0 || (j == 31 && t.count <= 62) {
				add(31, 5) // B/S
				switch {
				case t.count > 62:
					add(t.count-31, 16)
				case j == 0:
					add(min(t.count, 31), 5)
				default:
					add(t.count-31, 5)
				}
			}
			add(int(data[t.start+j]), 8)
		}
	}
	return bits
}

// aztecStuffedLen returns the length of bits after bit stuffing into words of
// wordSize bits: a word whose first wordSize-1 bits are all equal gets the
// opposite bit appended and takes one bit fewer from the input.
func aztecStuffedLen(bits []bool, wordSize int) int {
	n, words := len(bits), 0
	for i := 0; i < n; i += wordSize {
		ones, zeros := 0, 0
		for j := 0; j < wordSize-1; j++ {
			if i+j >= n || bits[i+j] {
				ones++
			} else {
				zeros++
			}
		}
		if ones == wordSize-1 || zeros == wordSize-1 {
			i--
		}
		words++
	}
	return words * wordSize
}

var aztecWordSize = [33]int{4, 6, 6, 8, 8, 8, 8, 8, 8, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12}

func aztecTotalBitsInLayer(layers int, compact bool) int {
	base := 112
	if compact {
		base = 88
	}
	return (base + 16*layers) * layers
}

// aztecAlwaysFits is the length up to which every message fits, whatever its
// bytes: the shortest encoding is never longer than one binary shift (at
// most 8n+21 bits), stuffing adds at most one bit to every 11, and
// 12*ceil((8*1885+21)/11) + (8*1885+21)*23/100 + 11 = 19960 is within the
// 19968 bits of 32 layers. Shorter messages skip the encoding run.
const aztecAlwaysFits = 1885

// aztecFits reports whether the renderer can draw data.
func aztecFits(data []byte) bool {
	if len(data) <= aztecAlwaysFits {
		return true
	}
	return len(data) <= aztecMaxInput && aztecBitsFit(aztecBits(data))
}

// aztecBitsFit reports whether the encoded bits fit a symbol: the renderer
// picks the smallest of the compact (1–4 layers) and full (4–32 layers)
// symbols that holds the stuffed bits and the error-correction words.
func aztecBitsFit(bits []bool) bool {
	ecc := len(bits)*aztecECCPercent/100 + 11
	total := len(bits) + ecc
	wordSize, stuffed := 0, 0
	for i := 0; i <= 32; i++ {
		compact := i <= 3
		layers := i
		if compact {
			layers = i + 1
		}
		capacity := aztecTotalBitsInLayer(layers, compact)
		if total > capacity {
			continue
		}
		if wordSize != aztecWordSize[layers] {
			wordSize = aztecWordSize[layers]
			stuffed = aztecStuffedLen(bits, wordSize)
		}
		if compact && stuffed > wordSize*64 {
			continue
		}
		if stuffed+ecc <= capacity-capacity%wordSize {
			return true
		}
	}
	return false
}

// checkAztec reports a message too long for the largest Aztec symbol, with
// the longest prefix of it that fits (found from one encoding run).
func checkAztec(data []byte) error {
	if aztecFits(data) {
		return nil
	}
	head := data[:min(len(data), aztecMaxInput)]
	_, prefixes := aztecRun(head, true)
	var ends []int
	for end, s := range prefixes {
		if s != nil {
			ends = append(ends, end)
		}
	}
	lo, hi := 0, len(ends)-1 // ends[lo] is known to fit or is the first end
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if aztecBitsFit(aztecStateBits(prefixes[ends[mid]], head, ends[mid])) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	maxFit := 0
	if len(ends) > 0 {
		maxFit = ends[lo]
	}
	return &CapacityError{Format: FormatAztec, Size: len(data), Max: maxFit, Unit: "bytes",
		Hint: "for this content"}
}

package pass

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Color is a colour string as Wallet reads it. RGB builds one; pass.json may hold "rgb(r, g, b)", "#RRGGBB" or
// "#RGB". Colours that parse are written as "rgb(r, g, b)"; others are written back as read and reported by
// Validate. The empty Color is absent.
type Color string

// RGB returns the colour "rgb(r, g, b)".
func RGB(r, g, b uint8) Color { return Color(fmt.Sprintf("rgb(%d, %d, %d)", r, g, b)) }

// RGB parses the colour and returns its components.
func (c Color) RGB() (r, g, b uint8, err error) {
	s := strings.TrimSpace(string(c))
	switch {
	case strings.HasPrefix(s, "#"):
		h := s[1:]
		if len(h) == 3 {
			h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
		}
		if len(h) != 6 {
			return 0, 0, 0, fmt.Errorf("pass: colour %q: want #RRGGBB or #RGB", string(c))
		}
		v, perr := strconv.ParseUint(h, 16, 32)
		if perr != nil {
			return 0, 0, 0, fmt.Errorf("pass: colour %q: invalid hex digits", string(c))
		}
		return uint8(v >> 16), uint8(v >> 8), uint8(v), nil
	case strings.HasPrefix(s, "rgb(") && strings.HasSuffix(s, ")"):
		parts := strings.Split(s[4:len(s)-1], ",")
		if len(parts) != 3 {
			return 0, 0, 0, fmt.Errorf("pass: colour %q: want rgb(r, g, b)", string(c))
		}
		var v [3]uint8
		for i, p := range parts {
			n, perr := strconv.Atoi(strings.TrimSpace(p))
			if perr != nil || n < 0 || n > 255 {
				return 0, 0, 0, fmt.Errorf("pass: colour %q: component %q is not an integer from 0 to 255", string(c), strings.TrimSpace(p))
			}
			v[i] = uint8(n)
		}
		return v[0], v[1], v[2], nil
	}
	return 0, 0, 0, fmt.Errorf("pass: colour %q: want rgb(r, g, b), #RRGGBB or #RGB", string(c))
}

// Valid reports whether the colour parses.
func (c Color) Valid() bool {
	_, _, _, err := c.RGB()
	return err == nil
}

// Normalize returns the colour in "rgb(r, g, b)" form, or c unchanged when it does not parse.
func (c Color) Normalize() Color {
	r, g, b, err := c.RGB()
	if err != nil {
		return c
	}
	return RGB(r, g, b)
}

// MarshalJSON writes the colour in "rgb(r, g, b)" form when it parses, and as is otherwise.
func (c Color) MarshalJSON() ([]byte, error) { return json.Marshal(string(c.Normalize())) }

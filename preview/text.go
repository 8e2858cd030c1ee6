package preview

import (
	"image"
	"image/color"
	"sync"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// The two typefaces, parsed once: the font data ships with golang.org/x/image and cannot fail to parse.
var fonts = sync.OnceValues(func() (*opentype.Font, *opentype.Font) {
	regular, err := opentype.Parse(goregular.TTF)
	if err != nil {
		panic("preview: parsing Go Regular: " + err.Error())
	}
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		panic("preview: parsing Go Bold: " + err.Error())
	}
	return regular, bold
})

// faceKey names a face: a typeface and a size in points.
type faceKey struct {
	bold bool
	size float64
}

// align is the horizontal alignment of a line of text in its box.
type align int

const (
	alignLeft align = iota
	alignCenter
	alignRight
)

// face returns the face for the key at the renderer's scale, cached for the renderer's life.
func (r *renderer) face(bold bool, size float64) font.Face {
	k := faceKey{bold, size}
	if f, ok := r.faces[k]; ok {
		return f
	}
	regular, boldFont := fonts()
	f := regular
	if bold {
		f = boldFont
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size * float64(r.scale), DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic("preview: making a face of the Go fonts: " + err.Error())
	}
	r.faces[k] = face
	return face
}

// textWidth returns the width of s in face, in pixels.
func textWidth(face font.Face, s string) int {
	return font.MeasureString(face, s).Ceil()
}

// fit shortens s with an ellipsis until it is at most width pixels wide in face.
func fit(face font.Face, s string, width int) string {
	if width <= 0 {
		return ""
	}
	// No line of more than maxRunes glyphs fits the pass at 9 points or more: cut long text before measuring.
	const maxRunes = 400
	if n := len(s); n > maxRunes*utf8.UTFMax {
		s = s[:maxRunes*utf8.UTFMax]
	}
	if textWidth(face, s) <= width {
		return s
	}
	runes := []rune(s)
	if len(runes) > maxRunes {
		runes = runes[:maxRunes]
	}
	lo, hi := 0, len(runes)
	for lo < hi { // the longest prefix that fits with the ellipsis
		mid := (lo + hi + 1) / 2
		if textWidth(face, string(runes[:mid])+"…") <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 {
		return ""
	}
	return string(runes[:lo]) + "…"
}

// text draws s in a box from x to x+width (pixels), with its top at y, in the face of size points, aligned,
// shortened to fit. It returns the height of the line in pixels.
func (r *renderer) text(s string, x, y, width int, bold bool, size float64, c color.Color, a align) int {
	face := r.face(bold, size)
	m := face.Metrics()
	lineHeight := (m.Ascent + m.Descent).Ceil()
	s = fit(face, s, width)
	if s == "" {
		return lineHeight
	}
	w := textWidth(face, s)
	switch a {
	case alignCenter:
		x += (width - w) / 2
	case alignRight:
		x += width - w
	}
	d := font.Drawer{Dst: r.img, Src: image.NewUniform(c), Face: face,
		Dot: fixed.Point26_6{X: fixed.I(x), Y: fixed.I(y) + m.Ascent}}
	d.DrawString(s)
	return lineHeight
}

// lineHeight returns the height in pixels of a line of text of size points.
func (r *renderer) lineHeight(bold bool, size float64) int {
	m := r.face(bold, size).Metrics()
	return (m.Ascent + m.Descent).Ceil()
}

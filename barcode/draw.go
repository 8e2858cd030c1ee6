package barcode

import (
	"bufio"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"strconv"
	"strings"
)

// Limits that bound the memory an image takes.
const (
	// MaxDimension is the largest Width or Height, in pixels, that Render,
	// WritePNG and WriteSVG accept (8192 pixels is 27 inches at 300 dpi).
	MaxDimension = 8192
	// MaxQuietZone is the largest Options.QuietZone, in modules.
	MaxQuietZone = 100
)

// layout is where a symbol lands in an image of a given size.
type layout struct {
	width, height int // the whole image, in pixels
	module        int // pixels per module (horizontally; vertically for 2-D codes)
	x0, y0        int // top-left pixel of the symbol, quiet zone excluded
	barHeight     int // one-dimensional codes: height of the bars in pixels
	// Module units of the whole drawing, quiet zone included.
	unitsW, unitsH int
	qzLeft, qzTop  int
}

// quietZones returns the quiet zone in modules on the left, right and top
// (and bottom) for opts.
func (s *Symbol) quietZones(opts *Options) (left, right, vertical int) {
	switch {
	case opts.QuietZone < 0:
		return 0, 0, 0
	case opts.QuietZone > 0:
		if s.linear {
			return opts.QuietZone, opts.QuietZone, 0
		}
		return opts.QuietZone, opts.QuietZone, opts.QuietZone
	}
	return s.qzLeft, s.qzRight, s.qzVertical
}

// defaultModule is the pixel size of a module when no size is requested.
func (s *Symbol) defaultModule(opts *Options) int {
	if opts.ModuleSize > 0 {
		return opts.ModuleSize
	}
	if s.linear || s.format == FormatPDF417 {
		return 2
	}
	return 4
}

// layout computes the image size and the symbol's position for opts.
func (s *Symbol) layout(opts *Options) (layout, error) {
	if s.cols == 0 || s.rows == 0 {
		return layout{}, errors.New("barcode: empty symbol; create symbols with Encode")
	}
	if opts.Width < 0 || opts.Height < 0 || opts.ModuleSize < 0 {
		return layout{}, fmt.Errorf("barcode: negative size %dx%d or module size %d", opts.Width, opts.Height, opts.ModuleSize)
	}
	if opts.ModuleSize > MaxDimension {
		return layout{}, fmt.Errorf("barcode: module size %d exceeds %d pixels", opts.ModuleSize, MaxDimension)
	}
	if opts.QuietZone > MaxQuietZone {
		return layout{}, fmt.Errorf("barcode: quiet zone of %d modules exceeds the limit of %d", opts.QuietZone, MaxQuietZone)
	}
	l, r, v := s.quietZones(opts)
	lay := layout{unitsW: l + s.cols + r, qzLeft: l, qzTop: v}
	if s.linear {
		lay.unitsH = max(50, lay.unitsW*15/100) // ISO/IEC 15417 and friends: at least 15 % of the width
	} else {
		lay.unitsH = 2*v + s.rows*s.rowHeight
	}
	w, h := opts.Width, opts.Height
	switch {
	case w == 0 && h == 0:
		m := s.defaultModule(opts)
		w, h = lay.unitsW*m, lay.unitsH*m
	case h == 0 && s.linear:
		h = lay.unitsH * (w / lay.unitsW)
	case h == 0:
		h = (w*lay.unitsH + lay.unitsW - 1) / lay.unitsW
	case w == 0 && s.linear:
		w = lay.unitsW * s.defaultModule(opts)
	case w == 0:
		w = (h*lay.unitsW + lay.unitsH - 1) / lay.unitsH
	}
	if w > MaxDimension || h > MaxDimension {
		return layout{}, fmt.Errorf("barcode: image of %dx%d pixels exceeds the limit of %d pixels a side", w, h, MaxDimension)
	}
	lay.width, lay.height = w, h
	if s.linear {
		lay.module = w / lay.unitsW
		lay.barHeight = h
	} else {
		lay.module = min(w/lay.unitsW, h/lay.unitsH)
	}
	if lay.module < 1 || h < 1 {
		minH := lay.unitsH
		if s.linear {
			minH = 1
		}
		return layout{}, fmt.Errorf("%w: %s needs at least %dx%d pixels (one a module, quiet zone included), got %dx%d",
			ErrTooSmall, s.format, lay.unitsW, minH, w, h)
	}
	lay.x0 = (w-lay.unitsW*lay.module)/2 + l*lay.module
	if !s.linear {
		lay.y0 = (h-lay.unitsH*lay.module)/2 + v*lay.module
	}
	return lay, nil
}

// colors returns the foreground and background of opts.
func colors(opts *Options) (fg, bg color.Color) {
	fg, bg = opts.Foreground, opts.Background
	if fg == nil {
		fg = color.Black
	}
	if bg == nil {
		bg = color.White
	}
	return fg, bg
}

// Image draws the symbol at the size opts asks for (opts.Encoding is not
// used). The image is an *image.Paletted whose palette is the background
// then the foreground colour.
func (s *Symbol) Image(opts *Options) (*image.Paletted, error) {
	opts = opts.orZero()
	lay, err := s.layout(opts)
	if err != nil {
		return nil, err
	}
	fg, bg := colors(opts)
	img := image.NewPaletted(image.Rect(0, 0, lay.width, lay.height), color.Palette{bg, fg})
	m := lay.module
	if s.linear {
		row := img.Pix[:lay.width]
		for x := 0; x < s.cols; x++ {
			if s.dark[x] {
				px := lay.x0 + x*m
				for i := px; i < px+m; i++ {
					row[i] = 1
				}
			}
		}
		for y := 1; y < lay.height; y++ {
			copy(img.Pix[y*img.Stride:y*img.Stride+lay.width], row)
		}
		return img, nil
	}
	rowPx := m * s.rowHeight
	for y := 0; y < s.rows; y++ {
		top := lay.y0 + y*rowPx
		first := img.Pix[top*img.Stride : top*img.Stride+lay.width]
		for x := 0; x < s.cols; x++ {
			if s.dark[y*s.cols+x] {
				px := lay.x0 + x*m
				for i := px; i < px+m; i++ {
					first[i] = 1
				}
			}
		}
		for dy := 1; dy < rowPx; dy++ {
			copy(img.Pix[(top+dy)*img.Stride:(top+dy)*img.Stride+lay.width], first)
		}
	}
	return img, nil
}

// Render encodes message in format (see Encode) and draws it as opts asks.
func Render(format, message string, opts *Options) (image.Image, error) {
	s, err := Encode(format, message, opts)
	if err != nil {
		return nil, err
	}
	img, err := s.Image(opts)
	if err != nil {
		return nil, err
	}
	return img, nil
}

// WritePNG encodes message in format and writes it to w as a PNG image.
// Nothing is written when the message or the size is invalid.
func WritePNG(w io.Writer, format, message string, opts *Options) error {
	s, err := Encode(format, message, opts)
	if err != nil {
		return err
	}
	return s.WritePNG(w, opts)
}

// WritePNG writes the symbol to w as a PNG image drawn as opts asks.
func (s *Symbol) WritePNG(w io.Writer, opts *Options) error {
	img, err := s.Image(opts)
	if err != nil {
		return err
	}
	if err := png.Encode(w, img); err != nil {
		return fmt.Errorf("barcode: writing PNG: %w", err)
	}
	return nil
}

// WriteSVG encodes message in format and writes it to w as an SVG image.
// Nothing is written when the message or the size is invalid.
func WriteSVG(w io.Writer, format, message string, opts *Options) error {
	s, err := Encode(format, message, opts)
	if err != nil {
		return err
	}
	return s.WriteSVG(w, opts)
}

// WriteSVG writes the symbol to w as an SVG image. Coordinates are in
// modules; the width and height attributes are the pixel size the PNG would
// have, and the drawing scales without loss to any other size.
func (s *Symbol) WriteSVG(w io.Writer, opts *Options) error {
	opts = opts.orZero()
	lay, err := s.layout(opts)
	if err != nil {
		return err
	}
	fg, bg := colors(opts)
	bw := bufio.NewWriter(w)
	var vbX, vbY, vbW, vbH float64
	aspect := "none" // bars stretch to the requested size
	if s.linear {
		vbW, vbH = float64(lay.unitsW), float64(lay.unitsH)
	} else {
		// Extend the view box to the requested proportions so the
		// background covers the whole image.
		scale := min(float64(lay.width)/float64(lay.unitsW), float64(lay.height)/float64(lay.unitsH))
		vbW, vbH = float64(lay.width)/scale, float64(lay.height)/scale
		vbX, vbY = -(vbW-float64(lay.unitsW))/2, -(vbH-float64(lay.unitsH))/2
		aspect = "xMidYMid meet"
	}
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="%s %s %s %s" preserveAspectRatio="%s" shape-rendering="crispEdges">`+"\n",
		lay.width, lay.height, num(vbX), num(vbY), num(vbW), num(vbH), aspect)
	if _, _, _, a := bg.RGBA(); a != 0 {
		fmt.Fprintf(bw, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"%s/>`+"\n",
			num(vbX), num(vbY), num(vbW), num(vbH), hexColor(bg), opacity(bg))
	}
	fmt.Fprintf(bw, `<path fill="%s"%s d="`, hexColor(fg), opacity(fg))
	var d strings.Builder
	rows, rowH, top := s.rows, s.rowHeight, lay.qzTop
	if s.linear {
		rowH = lay.unitsH
	}
	for y := 0; y < rows; y++ {
		for x := 0; x < s.cols; {
			if !s.dark[y*s.cols+x] {
				x++
				continue
			}
			run := 1
			for x+run < s.cols && s.dark[y*s.cols+x+run] {
				run++
			}
			fmt.Fprintf(&d, "M%d %dh%dv%dh-%dz", lay.qzLeft+x, top+y*rowH, run, rowH, run)
			x += run
		}
	}
	bw.WriteString(d.String())
	bw.WriteString("\"/>\n</svg>\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("barcode: writing SVG: %w", err)
	}
	return nil
}

// num formats a view-box coordinate with at most 4 decimals.
func num(f float64) string {
	s := strconv.FormatFloat(f, 'f', 4, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" || s == "" {
		return "0"
	}
	return s
}

func hexColor(c color.Color) string {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return fmt.Sprintf("#%02x%02x%02x", n.R, n.G, n.B)
}

func opacity(c color.Color) string {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	if n.A == 0xff {
		return ""
	}
	return ` fill-opacity="` + num(float64(n.A)/255) + `"`
}

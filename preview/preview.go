package preview

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"time"

	// Images in a pass should be PNG; JPEG and GIF files are drawn too, as Validate reports them anyway.
	_ "image/gif"
	_ "image/jpeg"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"

	"github.com/passforge/passforge/barcode"
	"github.com/passforge/passforge/pass"
)

// The size of a pass front, in points: Render's image is this size times Options.Scale.
const (
	Width  = 320
	Height = 420
)

// MaxImagePixels is the largest image of a pass (width × height) Render decodes; larger ones are an error. The
// largest image Wallet uses, a background at @3x, is about 1.6 million pixels.
const MaxImagePixels = 8_000_000

// ErrNoStyle is wrapped by the error of Render for a pass without a style key (boardingPass, coupon,
// eventTicket, generic, storeCard or posterGeneric).
var ErrNoStyle = errors.New("preview: the pass has no style key")

// Options are the per-call settings of Render and WritePNG. A nil *Options is the same as a zero Options.
type Options struct {
	// Scale is the scale factor of the image: 1, 2 or 3 pixels per point, and the image variant used
	// ("strip@2x.png"). If zero, 2.
	Scale int
	// Language, when not empty, is the localization shown ("fr" for fr.lproj): labels, values, logoText and
	// altText are looked up in its pass.strings, and its localized images are preferred.
	Language string
	// Location is the time zone dates are shown in, as a device there would show them; fields with
	// ignoresTimeZone keep their own zone. If nil, every date is shown in its own zone, so that the picture
	// does not depend on the machine.
	Location *time.Location
	// Now returns the moment the pass is looked at (time.Now for the machine's clock), read once per Render,
	// for fields with isRelative: their dates on the day before, of or after it are shown as "Yesterday",
	// "Today" or "Tomorrow". If nil, such dates are shown in full, so that the picture does not depend on the
	// clock. It takes a func() time.Time like every passforge package that reads the time.
	Now func() time.Time
}

// renderer holds the state of one Render call.
type renderer struct {
	p       *pass.Pass
	a       *pass.Assets
	style   pass.Style
	fields  *pass.PassFields
	scale   int
	lang    string
	strings pass.Strings
	loc     *time.Location
	now     time.Time
	img     *image.RGBA
	faces   map[faceKey]font.Face

	bg, fg, label color.Color
}

// Render draws the front of the pass p with the images and localizations in a (which may be nil) as Wallet lays
// it out for the pass's style, at Width×Height points times opts.Scale pixels. posterGeneric is drawn when the
// pass has it, else its legacy style. It fails for a pass without a style, a colour that does not parse, an
// image that does not decode and a pass.strings file that does not parse; a barcode that cannot be drawn is
// left out (Validate reports it). Render is safe for concurrent use.
func Render(p *pass.Pass, a *pass.Assets, opts *Options) (image.Image, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Scale == 0 {
		o.Scale = 2
	}
	if o.Scale < 1 || o.Scale > 3 {
		return nil, fmt.Errorf("preview: scale %d: want 1, 2 or 3", o.Scale)
	}
	if p == nil {
		return nil, errors.New("preview: nil pass")
	}
	if a == nil {
		a = &pass.Assets{}
	}
	r := &renderer{p: p, a: a, scale: o.Scale, lang: o.Language, loc: o.Location, faces: map[faceKey]font.Face{}}
	if o.Now != nil {
		r.now = o.Now()
	}
	defer func() {
		for _, f := range r.faces {
			f.Close()
		}
	}()
	r.style = p.Style()
	if p.HasPosterGeneric() {
		r.style = pass.StylePosterGeneric
	}
	r.fields = p.Fields(r.style)
	if r.style == "" || r.fields == nil {
		return nil, ErrNoStyle
	}
	if o.Language != "" {
		s, err := a.Strings(o.Language)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return nil, fmt.Errorf("preview: %s: %w", pass.LocalizedName(o.Language, pass.StringsName), err)
		default:
			r.strings = s
		}
	}
	var err error
	if r.bg, err = parseColor("backgroundColor", p.BackgroundColor, color.White); err != nil {
		return nil, err
	}
	if r.fg, err = parseColor("foregroundColor", p.ForegroundColor, color.Black); err != nil {
		return nil, err
	}
	if r.label, err = parseColor("labelColor", p.LabelColor, r.fg); err != nil {
		return nil, err
	}
	r.img = image.NewRGBA(image.Rect(0, 0, Width*r.scale, Height*r.scale))
	draw.Draw(r.img, r.img.Bounds(), image.NewUniform(r.bg), image.Point{}, draw.Src)

	switch r.style {
	case pass.StyleBoardingPass:
		err = r.boardingPass()
	case pass.StyleCoupon, pass.StyleStoreCard:
		err = r.stripCard()
	case pass.StyleEventTicket:
		if r.isPosterEventTicket() {
			err = r.posterEventTicket()
		} else {
			err = r.eventTicket()
		}
	case pass.StyleGeneric:
		err = r.generic()
	case pass.StylePosterGeneric:
		err = r.posterGeneric()
	}
	if err != nil {
		return nil, err
	}
	return roundCorners(r.img, float32(12*r.scale)), nil
}

// WritePNG renders the pass (see Render) and writes it to w as a PNG image. Nothing is written when rendering
// fails.
func WritePNG(w io.Writer, p *pass.Pass, a *pass.Assets, opts *Options) error {
	if w == nil {
		return errors.New("preview: nil writer")
	}
	img, err := Render(p, a, opts)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return fmt.Errorf("preview: encoding PNG: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("preview: writing PNG: %w", err)
	}
	return nil
}

// parseColor parses a pass colour, or returns def when it is absent.
func parseColor(key string, c pass.Color, def color.Color) (color.Color, error) {
	if c == "" {
		return def, nil
	}
	red, green, blue, err := c.RGB()
	if err != nil {
		return nil, fmt.Errorf("preview: %s %q: %w", key, string(c), err)
	}
	return color.NRGBA{R: red, G: green, B: blue, A: 255}, nil
}

// pt converts points to pixels.
func (r *renderer) pt(v int) int { return v * r.scale }

// localize returns the pass.strings text for s in the chosen language, or s.
func (r *renderer) localize(s string) string {
	if t, ok := r.strings[s]; ok {
		return t
	}
	return s
}

// image returns the decoded image of role for the output scale: the localized image first, then the top-level
// one; the variant at the output scale first, then the next larger, then smaller ones. It returns nil when the
// pass has no image in the role.
func (r *renderer) image(role pass.ImageRole) (image.Image, error) {
	order := []int{r.scale}
	for s := r.scale + 1; s <= 3; s++ {
		order = append(order, s)
	}
	for s := r.scale - 1; s >= 1; s-- {
		order = append(order, s)
	}
	langs := []string{""}
	if r.lang != "" {
		langs = []string{r.lang, ""}
	}
	for _, lang := range langs {
		for _, s := range order {
			var data []byte
			var ok bool
			name := pass.ImageFileName(role, s)
			if lang == "" {
				data, ok = r.a.Image(role, s)
			} else {
				data, ok = r.a.LocalizedImage(lang, role, s)
				name = pass.LocalizedName(lang, name)
			}
			if !ok {
				continue
			}
			cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
			if err != nil {
				return nil, fmt.Errorf("preview: %s: %w", name, err)
			}
			if int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
				return nil, fmt.Errorf("preview: %s: %d×%d px is over %d pixels", name, cfg.Width, cfg.Height, MaxImagePixels)
			}
			img, _, err := image.Decode(bytes.NewReader(data))
			if err != nil {
				return nil, fmt.Errorf("preview: %s: %w", name, err)
			}
			if img.Bounds().Empty() {
				continue
			}
			return img, nil
		}
	}
	return nil, nil
}

// drawFit draws img inside the rectangle (pixels), keeping its proportions, aligned horizontally and centred
// vertically. It returns the rectangle it covered.
func (r *renderer) drawFit(img image.Image, rect image.Rectangle, a align) image.Rectangle {
	sb := img.Bounds()
	f := min(float64(rect.Dx())/float64(sb.Dx()), float64(rect.Dy())/float64(sb.Dy()))
	w, h := max(1, int(float64(sb.Dx())*f+0.5)), max(1, int(float64(sb.Dy())*f+0.5))
	x := rect.Min.X
	switch a {
	case alignCenter:
		x += (rect.Dx() - w) / 2
	case alignRight:
		x += rect.Dx() - w
	}
	y := rect.Min.Y + (rect.Dy()-h)/2
	dst := image.Rect(x, y, x+w, y+h)
	draw.CatmullRom.Scale(r.img, dst, img, sb, draw.Over, nil)
	return dst
}

// drawFill draws img over the whole rectangle (pixels), keeping its proportions and cutting off what
// overflows, centred.
func (r *renderer) drawFill(img image.Image, rect image.Rectangle, q draw.Interpolator) {
	sb := img.Bounds()
	f := max(float64(rect.Dx())/float64(sb.Dx()), float64(rect.Dy())/float64(sb.Dy()))
	cw := min(sb.Dx(), max(1, int(float64(rect.Dx())/f+0.5)))
	ch := min(sb.Dy(), max(1, int(float64(rect.Dy())/f+0.5)))
	x0, y0 := sb.Min.X+(sb.Dx()-cw)/2, sb.Min.Y+(sb.Dy()-ch)/2
	crop := image.Rect(x0, y0, x0+cw, y0+ch)
	if crop.Size() == rect.Size() { // the variant for this scale at its size: no scaling
		draw.Draw(r.img, rect, img, crop.Min, draw.Over)
		return
	}
	q.Scale(r.img, rect, img, crop, draw.Over, nil)
}

// drawBlurred draws img over the rectangle, filled and blurred the way Wallet blurs an event ticket's
// background: scaled far down, box-blurred, then scaled back up.
func (r *renderer) drawBlurred(img image.Image, rect image.Rectangle) {
	small := image.NewRGBA(image.Rect(0, 0, max(1, rect.Dx()/12), max(1, rect.Dy()/12)))
	sb := img.Bounds()
	f := max(float64(rect.Dx())/float64(sb.Dx()), float64(rect.Dy())/float64(sb.Dy()))
	cw := min(sb.Dx(), max(1, int(float64(rect.Dx())/f+0.5)))
	ch := min(sb.Dy(), max(1, int(float64(rect.Dy())/f+0.5)))
	x0, y0 := sb.Min.X+(sb.Dx()-cw)/2, sb.Min.Y+(sb.Dy()-ch)/2
	draw.CatmullRom.Scale(small, small.Bounds(), img, image.Rect(x0, y0, x0+cw, y0+ch), draw.Src, nil)
	for range 3 {
		boxBlur(small)
	}
	draw.BiLinear.Scale(r.img, rect, small, small.Bounds(), draw.Over, nil)
}

// boxBlur blurs img in place with a 3×3 box, clamping at the edges.
func boxBlur(img *image.RGBA) {
	b := img.Bounds()
	src := append([]uint8(nil), img.Pix...)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			var sum [4]int
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					px, py := min(max(x+dx, b.Min.X), b.Max.X-1), min(max(y+dy, b.Min.Y), b.Max.Y-1)
					o := img.PixOffset(px, py)
					for c := range sum {
						sum[c] += int(src[o+c])
					}
				}
			}
			o := img.PixOffset(x, y)
			for c := range sum {
				img.Pix[o+c] = uint8(sum[c] / 9)
			}
		}
	}
}

// header draws the logo image, logoText and the headerFields along the top of the pass, in the band from y
// (points) of height h (points), with text in fg and labels in label colour.
func (r *renderer) header(logoRole pass.ImageRole, logoText string, y, h, maxFields int, fg, label color.Color) error {
	m := r.pt(12)
	x := m
	logo, err := r.image(logoRole)
	if err != nil {
		return err
	}
	if logo == nil && logoRole == pass.ImagePrimaryLogo {
		if logo, err = r.image(pass.ImageLogo); err != nil {
			return err
		}
	}
	if logo != nil {
		covered := r.drawFit(logo, image.Rect(m, r.pt(y+8), m+r.pt(160), r.pt(y+h-8)), alignLeft)
		x = covered.Max.X + r.pt(8)
	}
	// Header fields from the right.
	right := r.pt(Width - 12)
	fields := r.fields.HeaderFields
	if len(fields) > maxFields {
		fields = fields[:maxFields]
	}
	for i := len(fields) - 1; i >= 0; i-- {
		f := fields[i]
		lab, val := r.localize(f.Label), r.fieldValue(f)
		w := min(max(textWidth(r.face(false, 9), lab), textWidth(r.face(false, 16), val)), r.pt(110))
		top := r.pt(y + h/2 - 15)
		r.text(lab, right-w, top, w, false, 9, label, alignRight)
		r.text(val, right-w, top+r.lineHeight(false, 9), w, false, 16, fg, alignRight)
		right -= w + r.pt(12)
	}
	if logoText = r.localize(logoText); logoText != "" {
		lh := r.lineHeight(true, 16)
		r.text(logoText, x, r.pt(y+h/2)-lh/2, right-x, true, 16, fg, alignLeft)
	}
	return nil
}

// field draws a field's label above its value in a box from x of width w (pixels) with its top at y (pixels),
// and returns the height it took.
func (r *renderer) field(f pass.Field, x, y, w int, labelSize, valueSize float64, a align, fg, label color.Color) int {
	h := r.text(r.localize(f.Label), x, y, w, false, labelSize, label, a)
	return h + r.text(r.fieldValue(f), x, y+h, w, false, valueSize, fg, a)
}

// valueFirst draws a field's value above its label, as coupons and store cards show their primary field.
func (r *renderer) valueFirst(f pass.Field, x, y, w int, labelSize, valueSize float64, fg, label color.Color) int {
	h := r.text(r.fieldValue(f), x, y, w, false, valueSize, fg, alignLeft)
	return h + r.text(r.localize(f.Label), x, y+h, w, false, labelSize, label, alignLeft)
}

// fieldAlign returns the alignment of the i-th of n fields in a row: textAlignment when set, else the first
// fields left and the last one right.
func fieldAlign(f pass.Field, i, n int) align {
	switch f.TextAlignment {
	case pass.TextAlignmentLeft:
		return alignLeft
	case pass.TextAlignmentCenter:
		return alignCenter
	case pass.TextAlignmentRight:
		return alignRight
	}
	if n > 1 && i == n-1 {
		return alignRight
	}
	return alignLeft
}

// row draws up to limit fields side by side between x0 and x1 (pixels) from y (pixels) and returns the height
// it took (0 for no fields).
func (r *renderer) row(fields []pass.Field, limit, x0, x1, y int, labelSize, valueSize float64, fg, label color.Color) int {
	if len(fields) > limit {
		fields = fields[:limit]
	}
	n := len(fields)
	if n == 0 {
		return 0
	}
	gap := r.pt(8)
	w := (x1 - x0 - gap*(n-1)) / n
	h := 0
	for i, f := range fields {
		h = max(h, r.field(f, x0+i*(w+gap), y, w, labelSize, valueSize, fieldAlign(f, i, n), fg, label))
	}
	return h
}

// barcodeToShow returns the barcode Wallet shows: the first entry of barcodes that can be drawn, else the
// legacy barcode if it can be drawn, else nil.
func (r *renderer) barcodeToShow() (*pass.Barcode, *barcode.Symbol) {
	candidates := make([]*pass.Barcode, 0, len(r.p.Barcodes)+1)
	for i := range r.p.Barcodes {
		candidates = append(candidates, &r.p.Barcodes[i])
	}
	if r.p.Barcode != nil {
		candidates = append(candidates, r.p.Barcode)
	}
	for _, bc := range candidates {
		sym, err := barcode.Encode(string(bc.Format), bc.Message, &barcode.Options{Encoding: bc.MessageEncoding})
		if err == nil {
			return bc, sym
		}
	}
	return nil, nil
}

// drawBarcode draws the barcode in a white rounded box whose bottom is at bottom (points), centred at cx
// (points), with the altText below the code; for a pass with nfc, a "Hold Near Reader" box instead. square is the side of a square code in points. It returns the
// top of the box in points, or bottom when the pass shows no barcode.
func (r *renderer) drawBarcode(cx, bottom, square int) int {
	if r.p.NFC != nil {
		// With NFC, Wallet moves the code to the back of the pass; the front says to hold it near a reader.
		const w, h = 170, 36
		box := image.Rect(r.pt(cx-w/2), r.pt(bottom-h), r.pt(cx+w/2), r.pt(bottom))
		r.fillRounded(box, float32(r.pt(8)), color.White)
		lh := r.lineHeight(true, 13)
		r.text(")))  Hold Near Reader", box.Min.X, box.Min.Y+(box.Dy()-lh)/2, box.Dx(), true, 13, color.Black, alignCenter)
		return bottom - h
	}
	bc, sym := r.barcodeToShow()
	if bc == nil {
		return bottom
	}
	cols, rows := sym.Size()
	var cw, ch int // code size in points
	switch {
	case sym.Linear():
		cw, ch = 240, 56
	case cols > 2*rows: // PDF417
		cw, ch = 250, 70
	default:
		cw, ch = square, square
	}
	pad := 8
	alt := r.localize(bc.AltText)
	altH := 0
	if alt != "" {
		altH = 14
	}
	boxW, boxH := cw+2*pad, ch+2*pad+altH
	box := image.Rect(r.pt(cx-boxW/2), r.pt(bottom-boxH), r.pt(cx+boxW/2), r.pt(bottom))
	r.fillRounded(box, float32(r.pt(5)), color.White)
	code := image.Rect(box.Min.X+r.pt(pad), box.Min.Y+r.pt(pad), box.Min.X+r.pt(pad+cw), box.Min.Y+r.pt(pad+ch))
	img, err := sym.Image(&barcode.Options{Width: code.Dx(), Height: code.Dy(), QuietZone: -1})
	if err != nil {
		// Too many modules for the box at this scale: draw one pixel a module and scale down.
		if img, err = sym.Image(&barcode.Options{ModuleSize: 1, QuietZone: -1}); err == nil {
			r.drawFit(img, code, alignCenter)
		}
	} else {
		draw.Draw(r.img, code, img, image.Point{}, draw.Src)
	}
	if alt != "" {
		r.text(alt, box.Min.X, code.Max.Y+r.pt(2), box.Dx(), false, 10, color.Black, alignCenter)
	}
	return bottom - boxH
}

// isPosterEventTicket reports whether Wallet would show the poster layout of an event ticket: posterEventTicket
// preferred and a background or artwork image present.
func (r *renderer) isPosterEventTicket() bool {
	if len(r.p.PreferredStyleSchemes) == 0 || r.p.PreferredStyleSchemes[0] != pass.StyleSchemePosterEventTicket {
		return false
	}
	return r.hasImage(pass.ImageArtwork) || r.hasImage(pass.ImageBackground)
}

// hasImage reports whether the pass has an image in role, at any scale, top-level or in the chosen language.
func (r *renderer) hasImage(role pass.ImageRole) bool {
	for s := 1; s <= 3; s++ {
		if _, ok := r.a.Image(role, s); ok {
			return true
		}
		if r.lang != "" {
			if _, ok := r.a.LocalizedImage(r.lang, role, s); ok {
				return true
			}
		}
	}
	return false
}

// auxiliaryRows splits auxiliary fields by their row (0 or 1) for event tickets.
func auxiliaryRows(fields []pass.Field) (first, second []pass.Field) {
	for _, f := range fields {
		if f.Row != nil && *f.Row == 1 {
			second = append(second, f)
		} else {
			first = append(first, f)
		}
	}
	return first, second
}

package preview

import (
	"image"
	"image/color"

	"golang.org/x/image/draw"
	"golang.org/x/image/vector"

	"github.com/passforge/passforge/pass"
)

// Layout constants, in points.
const (
	margin       = 12
	headerHeight = 50
	bottomMargin = 14
)

// boardingPass draws a boarding pass: the two primaryFields (origin and destination) with the transit icon
// between them, then auxiliaryFields above secondaryFields, the footer image and the barcode.
func (r *renderer) boardingPass() error {
	if err := r.header(pass.ImageLogo, r.p.LogoText, 0, headerHeight, 3, r.fg, r.label); err != nil {
		return err
	}
	x0, x1 := r.pt(margin), r.pt(Width-margin)
	y := r.pt(headerHeight + 6)
	prim := r.fields.PrimaryFields
	colW := r.pt(125)
	h := 0
	if len(prim) > 0 {
		h = r.field(prim[0], x0, y, colW, 11, 36, alignLeft, r.fg, r.label)
	}
	if len(prim) > 1 {
		h = max(h, r.field(prim[1], x1-colW, y, colW, 11, 36, alignRight, r.fg, r.label))
	}
	if len(prim) > 0 {
		cy := y + r.lineHeight(false, 11) + r.lineHeight(false, 36)/2
		r.transitIcon(r.fields.TransitType, r.pt(Width/2), cy, r.pt(30), r.fg)
	}
	y += h + r.pt(10)
	if h := r.row(r.fields.AuxiliaryFields, 5, x0, x1, y, 9, 14, r.fg, r.label); h > 0 {
		y += h + r.pt(8)
	}
	r.row(r.fields.SecondaryFields, 4, x0, x1, y, 9, 14, r.fg, r.label)
	top := r.drawBarcode(Width/2, Height-bottomMargin, 120)
	footer, err := r.image(pass.ImageFooter)
	if err != nil {
		return err
	}
	if footer != nil {
		r.drawFit(footer, image.Rect(r.pt(17), r.pt(top-8-15), r.pt(Width-17), r.pt(top-8)), alignCenter)
	}
	return nil
}

// stripCard draws a coupon or a store card: the strip image behind the primary field (value above label), the
// secondaryFields and auxiliaryFields on one row, and the barcode.
func (r *renderer) stripCard() error {
	stripH := Width * 144 / 375
	strip, err := r.image(pass.ImageStrip)
	if err != nil {
		return err
	}
	if strip != nil {
		r.drawFill(strip, image.Rect(0, r.pt(headerHeight), r.pt(Width), r.pt(headerHeight+stripH)), draw.CatmullRom)
	}
	if err := r.header(pass.ImageLogo, r.p.LogoText, 0, headerHeight, 3, r.fg, r.label); err != nil {
		return err
	}
	primColor := r.fg
	if strip != nil && r.p.StripColor != "" {
		if primColor, err = parseColor("stripColor", r.p.StripColor, r.fg); err != nil {
			return err
		}
	}
	x0, x1 := r.pt(margin), r.pt(Width-margin)
	if prim := r.fields.PrimaryFields; len(prim) > 0 {
		label := r.label
		if strip != nil && r.p.StripColor != "" {
			label = primColor
		}
		r.valueFirst(prim[0], x0, r.pt(headerHeight+22), x1-x0, 13, 44, primColor, label)
	}
	y := r.pt(headerHeight + stripH + 10)
	fields := append(append([]pass.Field(nil), r.fields.SecondaryFields...), r.fields.AuxiliaryFields...)
	r.row(fields, 4, x0, x1, y, 9, 15, r.fg, r.label)
	r.drawBarcode(Width/2, Height-bottomMargin, 120)
	if r.style == pass.StyleCoupon {
		r.perforate()
	}
	return nil
}

// eventTicket draws a legacy event ticket: a strip behind the primary field, or a blurred background image and
// a thumbnail beside the primary and secondary fields; the auxiliary rows; and the barcode.
func (r *renderer) eventTicket() error {
	strip, err := r.image(pass.ImageStrip)
	if err != nil {
		return err
	}
	var background, thumb image.Image
	if strip == nil {
		if background, err = r.image(pass.ImageBackground); err != nil {
			return err
		}
		if thumb, err = r.image(pass.ImageThumbnail); err != nil {
			return err
		}
	}
	if background != nil {
		r.drawBlurred(background, r.img.Bounds())
	}
	if err := r.header(pass.ImageLogo, r.p.LogoText, 0, headerHeight, 3, r.fg, r.label); err != nil {
		return err
	}
	x0, x1 := r.pt(margin), r.pt(Width-margin)
	var y int
	if strip != nil {
		stripH := Width * 98 / 375
		r.drawFill(strip, image.Rect(0, r.pt(headerHeight), r.pt(Width), r.pt(headerHeight+stripH)), draw.CatmullRom)
		if prim := r.fields.PrimaryFields; len(prim) > 0 {
			fg := r.fg
			if r.p.StripColor != "" {
				if fg, err = parseColor("stripColor", r.p.StripColor, r.fg); err != nil {
					return err
				}
			}
			r.valueFirst(prim[0], x0, r.pt(headerHeight+12), x1-x0, 12, 34, fg, r.label)
		}
		y = r.pt(headerHeight+stripH) + r.pt(10)
		y += r.row(r.fields.SecondaryFields, 4, x0, x1, y, 9, 15, r.fg, r.label) + r.pt(8)
	} else {
		textRight := x1
		if thumb != nil {
			box := image.Rect(x1-r.pt(80), r.pt(headerHeight+6), x1, r.pt(headerHeight+6+80))
			r.drawFit(thumb, box, alignRight)
			textRight = box.Min.X - r.pt(8)
		}
		y = r.pt(headerHeight + 6)
		if prim := r.fields.PrimaryFields; len(prim) > 0 {
			y += r.field(prim[0], x0, y, textRight-x0, 11, 28, alignLeft, r.fg, r.label) + r.pt(8)
		}
		y += r.row(r.fields.SecondaryFields, 4, x0, textRight, y, 9, 15, r.fg, r.label) + r.pt(8)
		y = max(y, r.pt(headerHeight+6+80+8))
	}
	first, second := auxiliaryRows(r.fields.AuxiliaryFields)
	if h := r.row(first, 4, x0, x1, y, 9, 15, r.fg, r.label); h > 0 {
		y += h + r.pt(8)
	}
	r.row(second, 4, x0, x1, y, 9, 15, r.fg, r.label)
	r.drawBarcode(Width/2, Height-bottomMargin, 120)
	r.notch()
	return nil
}

// posterEventTicket draws the poster layout of an event ticket (iOS 18+): the artwork or background image
// unblurred over the whole pass, the primary logo and eventLogoText at the top, and the event's name, venue
// and date with the auxiliary fields (the seating; the secondary fields when there are none) in the footer.
// Poster tickets use NFC, not a barcode.
func (r *renderer) posterEventTicket() error {
	art, err := r.posterArt()
	if err != nil {
		return err
	}
	if art != nil {
		r.drawFill(art, r.img.Bounds(), draw.CatmullRom)
	}
	fg, label := color.Color(color.White), color.Color(color.NRGBA{R: 235, G: 235, B: 235, A: 255})
	if !r.p.UseAutomaticColors && r.p.ForegroundColor != "" {
		fg, label = r.fg, r.label
	}
	if !r.p.SuppressHeaderDarkening {
		r.shade(image.Rect(0, 0, r.pt(Width), r.pt(110)), 170, 0)
	}
	footerTop := Height - 128
	footerFG, footerLabel := fg, label
	if r.p.FooterBackgroundColor != "" {
		c, err := parseColor("footerBackgroundColor", r.p.FooterBackgroundColor, r.bg)
		if err != nil {
			return err
		}
		r.fill(image.Rect(0, r.pt(footerTop), r.pt(Width), r.pt(Height)), c)
		// Wallet picks the footer's text colour for contrast with its background.
		footerFG, footerLabel = color.Color(color.White), color.Color(color.NRGBA{R: 235, G: 235, B: 235, A: 255})
		if luminance(c) > 0.55 {
			footerFG, footerLabel = color.Black, color.NRGBA{R: 60, G: 60, B: 60, A: 255}
		}
	} else {
		r.shade(image.Rect(0, r.pt(footerTop-60), r.pt(Width), r.pt(Height)), 0, 220)
	}
	logoText := r.p.EventLogoText
	if logoText == "" {
		logoText = r.p.LogoText
	}
	if err := r.header(pass.ImagePrimaryLogo, logoText, 0, headerHeight, 1, fg, label); err != nil {
		return err
	}
	x0, x1 := r.pt(margin), r.pt(Width-margin)
	sem := r.p.Semantics
	if sem == nil {
		sem = &pass.Semantics{}
	}
	title := r.localize(sem.EventName)
	if title == "" && len(r.fields.PrimaryFields) > 0 {
		title = r.fieldValue(r.fields.PrimaryFields[0])
	}
	y := r.pt(footerTop + 8)
	y += r.text(title, x0, y, x1-x0, true, 22, footerFG, alignLeft)
	var venue string
	if sem.VenueName != "" {
		venue = r.localize(sem.VenueName)
	}
	if d := sem.EventStartDate; d.Valid() {
		t := d.Time
		if r.loc != nil {
			t = t.In(r.loc)
		}
		if venue != "" {
			venue += " · "
		}
		venue += formatDate(t, pass.DateStyleMedium, pass.DateStyleShort)
	}
	if venue != "" {
		y += r.text(venue, x0, y, x1-x0, false, 12, footerLabel, alignLeft)
	}
	y += r.pt(8)
	// The seating (auxiliary fields) under the event; the secondary fields when there are none.
	fields := r.fields.AuxiliaryFields
	if len(fields) == 0 {
		fields = r.fields.SecondaryFields
	}
	r.row(fields, 4, x0, x1-r.pt(60), y, 9, 14, footerFG, footerLabel)
	logo, err := r.image(pass.ImageSecondaryLogo)
	if err != nil {
		return err
	}
	if logo != nil {
		r.drawFit(logo, image.Rect(x1-r.pt(135), r.pt(Height-12-12), x1, r.pt(Height-12)), alignRight)
	}
	return nil
}

// generic draws a generic pass: the thumbnail beside the primary field, the secondary and auxiliary rows, and
// the barcode.
func (r *renderer) generic() error {
	if err := r.header(pass.ImageLogo, r.p.LogoText, 0, headerHeight, 3, r.fg, r.label); err != nil {
		return err
	}
	thumb, err := r.image(pass.ImageThumbnail)
	if err != nil {
		return err
	}
	x0, x1 := r.pt(margin), r.pt(Width-margin)
	textRight := x1
	if thumb != nil {
		box := image.Rect(x1-r.pt(80), r.pt(headerHeight+6), x1, r.pt(headerHeight+6+80))
		r.drawFit(thumb, box, alignRight)
		textRight = box.Min.X - r.pt(8)
	}
	y := r.pt(headerHeight + 10)
	if prim := r.fields.PrimaryFields; len(prim) > 0 {
		y += r.field(prim[0], x0, y, textRight-x0, 11, 26, alignLeft, r.fg, r.label)
	}
	y = max(y+r.pt(12), r.pt(headerHeight+6+80+10))
	if h := r.row(r.fields.SecondaryFields, 4, x0, x1, y, 9, 15, r.fg, r.label); h > 0 {
		y += h + r.pt(8)
	}
	r.row(r.fields.AuxiliaryFields, 4, x0, x1, y, 9, 15, r.fg, r.label)
	r.drawBarcode(Width/2, Height-bottomMargin, 120)
	return nil
}

// posterGeneric draws a poster generic pass (iOS 27): the artwork over the top of the pass with the logo, one
// header field and up to four primary fields over it, then the footer fields beside a square code.
func (r *renderer) posterGeneric() error {
	art, err := r.posterArt()
	if err != nil {
		return err
	}
	artH := 262
	fg, label := r.fg, r.label
	if art != nil {
		r.drawFill(art, image.Rect(0, 0, r.pt(Width), r.pt(artH)), draw.CatmullRom)
		r.shade(image.Rect(0, 0, r.pt(Width), r.pt(80)), 150, 0)
		r.shade(image.Rect(0, r.pt(artH-160), r.pt(Width), r.pt(artH)), 0, 200)
		// Text over the artwork is white, as Wallet's automatic colours make it over a darkened image.
		fg, label = color.White, color.NRGBA{R: 230, G: 230, B: 230, A: 255}
	}
	if err := r.header(pass.ImagePrimaryLogo, r.p.LogoText, 0, headerHeight, 1, fg, label); err != nil {
		return err
	}
	x0, x1 := r.pt(margin), r.pt(Width-margin)
	prim := r.fields.PrimaryFields
	if len(prim) > 4 {
		prim = prim[:4]
	}
	fieldH := r.lineHeight(false, 10) + r.lineHeight(true, 20)
	y := r.pt(artH-8) - len(prim)*fieldH
	for _, f := range prim {
		h := r.text(r.localize(f.Label), x0, y, x1-x0, false, 10, label, alignLeft)
		r.text(r.fieldValue(f), x0, y+h, x1-x0, true, 20, fg, alignLeft)
		y += fieldH
	}
	footer := r.fields.FooterFields
	if len(footer) > 2 {
		footer = footer[:2]
	}
	_, sym := r.barcodeToShow()
	if sym == nil || (!sym.Linear() && func() bool { c, rows := sym.Size(); return c <= 2*rows }()) {
		// A square code (or none) at the bottom right, the footer fields stacked at its left.
		r.drawBarcode(Width-margin-63, Height-bottomMargin, 110)
		fy := r.pt(artH + 14)
		for _, f := range footer {
			fy += r.field(f, x0, fy, r.pt(Width-2*margin-126-10), 10, 16, alignLeft, r.fg, r.label) + r.pt(8)
		}
		return nil
	}
	r.row(footer, 2, x0, x1, r.pt(artH+10), 10, 16, r.fg, r.label)
	r.drawBarcode(Width/2, Height-bottomMargin, 110)
	return nil
}

// luminance returns the relative luminance of c, from 0 (black) to 1 (white).
func luminance(c color.Color) float64 {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return (0.2126*float64(n.R) + 0.7152*float64(n.G) + 0.0722*float64(n.B)) / 255
}

// cut makes the shapes added to z transparent in the image.
func (r *renderer) cut(z *vector.Rasterizer) {
	b := r.img.Bounds()
	mask := image.NewAlpha(b)
	z.Draw(mask, b, image.Opaque, image.Point{})
	for i, m := range mask.Pix {
		if m == 0 {
			continue
		}
		keep := 255 - uint32(m)
		px := r.img.Pix[4*i : 4*i+4 : 4*i+4]
		for j := range px { // premultiplied: scale every channel
			px[j] = uint8(uint32(px[j]) * keep / 255)
		}
	}
}

// circle adds a circle of radius rad around (cx, cy) (pixels) to z.
func circle(z *vector.Rasterizer, cx, cy, rad float32) {
	const k = 0.5523 // control point distance of a cubic quarter circle
	z.MoveTo(cx+rad, cy)
	z.CubeTo(cx+rad, cy+k*rad, cx+k*rad, cy+rad, cx, cy+rad)
	z.CubeTo(cx-k*rad, cy+rad, cx-rad, cy+k*rad, cx-rad, cy)
	z.CubeTo(cx-rad, cy-k*rad, cx-k*rad, cy-rad, cx, cy-rad)
	z.CubeTo(cx+k*rad, cy-rad, cx+rad, cy-k*rad, cx+rad, cy)
	z.ClosePath()
}

// perforate cuts the scalloped top and bottom edges of a coupon.
func (r *renderer) perforate() {
	b := r.img.Bounds()
	z := vector.NewRasterizer(b.Dx(), b.Dy())
	step := float32(r.pt(12))
	for x := step; x < float32(b.Dx()-r.pt(6)); x += step {
		circle(z, x, 0, float32(r.pt(4)))
		circle(z, x, float32(b.Dy()), float32(r.pt(4)))
	}
	r.cut(z)
}

// notch cuts the semicircle at the top centre of an event ticket.
func (r *renderer) notch() {
	b := r.img.Bounds()
	z := vector.NewRasterizer(b.Dx(), b.Dy())
	circle(z, float32(b.Dx())/2, 0, float32(r.pt(18)))
	r.cut(z)
}

// posterArt returns the image a poster layout shows over the pass: the artwork, or the background image when
// there is no artwork; nil when there is neither.
func (r *renderer) posterArt() (image.Image, error) {
	art, err := r.image(pass.ImageArtwork)
	if err != nil || art != nil {
		return art, err
	}
	return r.image(pass.ImageBackground)
}

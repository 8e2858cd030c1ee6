package preview

import (
	"image"
	"image/color"

	"golang.org/x/image/draw"
	"golang.org/x/image/vector"

	"github.com/passforge/passforge/pass"
)

// roundedRect adds a rounded rectangle (pixels) to the rasterizer.
func roundedRect(z *vector.Rasterizer, r image.Rectangle, radius float32) {
	x0, y0, x1, y1 := float32(r.Min.X), float32(r.Min.Y), float32(r.Max.X), float32(r.Max.Y)
	z.MoveTo(x0+radius, y0)
	z.LineTo(x1-radius, y0)
	z.QuadTo(x1, y0, x1, y0+radius)
	z.LineTo(x1, y1-radius)
	z.QuadTo(x1, y1, x1-radius, y1)
	z.LineTo(x0+radius, y1)
	z.QuadTo(x0, y1, x0, y1-radius)
	z.LineTo(x0, y0+radius)
	z.QuadTo(x0, y0, x0+radius, y0)
	z.ClosePath()
}

// fillRounded paints a rounded rectangle (pixels) in c.
func (r *renderer) fillRounded(rect image.Rectangle, radius float32, c color.Color) {
	z := vector.NewRasterizer(rect.Dx(), rect.Dy())
	roundedRect(z, rect.Sub(rect.Min), radius)
	z.Draw(r.img, rect, image.NewUniform(c), image.Point{})
}

// fill paints a rectangle (pixels) in c, blending it over what is there.
func (r *renderer) fill(rect image.Rectangle, c color.Color) {
	draw.Draw(r.img, rect, image.NewUniform(c), image.Point{}, draw.Over)
}

// shade darkens a rectangle with a vertical gradient of black, from alpha a0 at the top to a1 at the bottom.
func (r *renderer) shade(rect image.Rectangle, a0, a1 uint8) {
	h := rect.Dy()
	for y := 0; y < h; y++ {
		a := int(a0) + (int(a1)-int(a0))*y/max(h-1, 1)
		row := image.Rect(rect.Min.X, rect.Min.Y+y, rect.Max.X, rect.Min.Y+y+1)
		draw.Draw(r.img, row, image.NewUniform(color.NRGBA{A: uint8(a)}), image.Point{}, draw.Over)
	}
}

// roundCorners cuts the corners of img to the card's rounded shape (transparent outside), in place, and returns
// it. Only the four corner squares are rasterized.
func roundCorners(img *image.RGBA, radius float32) *image.RGBA {
	b := img.Bounds()
	n := int(radius) + 1
	for _, corner := range []image.Point{b.Min, {b.Max.X - n, b.Min.Y}, {b.Min.X, b.Max.Y - n}, b.Max.Sub(image.Pt(n, n))} {
		sq := image.Rectangle{Min: corner, Max: corner.Add(image.Pt(n, n))}.Intersect(b)
		z := vector.NewRasterizer(sq.Dx(), sq.Dy())
		roundedRect(z, b.Sub(sq.Min), radius)
		mask := image.NewAlpha(image.Rect(0, 0, sq.Dx(), sq.Dy()))
		z.Draw(mask, mask.Bounds(), image.Opaque, image.Point{})
		for y := 0; y < sq.Dy(); y++ {
			for x := 0; x < sq.Dx(); x++ {
				keep := uint32(mask.Pix[y*mask.Stride+x])
				o := img.PixOffset(sq.Min.X+x, sq.Min.Y+y)
				for j := o; j < o+4; j++ { // premultiplied: scale every channel
					img.Pix[j] = uint8(uint32(img.Pix[j]) * keep / 255)
				}
			}
		}
	}
	return img
}

// transitIcon draws the icon of a transit type centred at (cx, cy), size pixels wide, in c.
func (r *renderer) transitIcon(t pass.TransitType, cx, cy, size int, c color.Color) {
	box := image.Rect(cx-size/2-1, cy-size/2-1, cx+size/2+2, cy+size/2+2)
	z := vector.NewRasterizer(box.Dx(), box.Dy())
	u := float32(size) / 24 // the shapes below are drawn on a 24×24 grid
	ox, oy := float32(cx-box.Min.X)-12*u, float32(cy-box.Min.Y)-12*u
	poly := func(pts ...float32) {
		z.MoveTo(ox+pts[0]*u, oy+pts[1]*u)
		for i := 2; i+1 < len(pts); i += 2 {
			z.LineTo(ox+pts[i]*u, oy+pts[i+1]*u)
		}
		z.ClosePath()
	}
	wheel := func(x, y float32) { poly(x-1.5, y-1.5, x+1.5, y-1.5, x+1.5, y+1.5, x-1.5, y+1.5) }
	switch t {
	case pass.TransitTypeAir: // an aeroplane seen from above, flying right
		poly(2, 10.8, 19, 10.8, 22.5, 12, 19, 13.2, 2, 13.2)
		poly(9, 10.8, 14, 10.8, 8.5, 2.5, 6.5, 2.5)
		poly(9, 13.2, 14, 13.2, 8.5, 21.5, 6.5, 21.5)
		poly(2, 10.8, 4.5, 10.8, 3.5, 6.5, 1.8, 6.5)
		poly(2, 13.2, 4.5, 13.2, 3.5, 17.5, 1.8, 17.5)
	case pass.TransitTypeTrain:
		poly(6, 3, 18, 3, 19, 5, 19, 17, 5, 17, 5, 5)
		poly(7, 17, 9, 17, 6, 22, 4, 22)
		poly(15, 17, 17, 17, 20, 22, 18, 22)
	case pass.TransitTypeBus:
		poly(3, 5, 21, 5, 21, 17, 3, 17)
		wheel(7, 18)
		wheel(17, 18)
	case pass.TransitTypeBoat:
		poly(2, 14, 22, 14, 19, 19, 5, 19)
		poly(12, 3, 12, 13, 5, 13)
		poly(13, 5, 13, 13, 18, 13)
	default: // PKTransitTypeGeneric: an arrow
		poly(2, 10.5, 15, 10.5, 15, 6, 22, 12, 15, 18, 15, 13.5, 2, 13.5)
	}
	z.Draw(r.img, box, image.NewUniform(c), image.Point{})
}

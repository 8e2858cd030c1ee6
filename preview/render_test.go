package preview

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/image/font"

	"github.com/passforge/passforge/pass"
)

func TestRenderScales(t *testing.T) {
	p, a := fixture(t, "generic")
	for _, tt := range []struct {
		scale int
		want  image.Point
	}{{0, image.Pt(640, 840)}, {1, image.Pt(320, 420)}, {2, image.Pt(640, 840)}, {3, image.Pt(960, 1260)}} {
		img, err := Render(p, a, &Options{Scale: tt.scale})
		require.NoError(t, err)
		assert.Equal(t, tt.want, img.Bounds().Size(), "scale %d", tt.scale)
		// Corners are cut round; the centre of the top edge is the pass background.
		_, _, _, alpha := img.At(0, 0).RGBA()
		assert.Zero(t, alpha, "the corner is transparent")
		assert.Equal(t, color.RGBA{245, 245, 240, 255}, img.At(tt.want.X/2, 1))
	}
	img, err := Render(p, a, nil)
	require.NoError(t, err)
	assert.Equal(t, image.Pt(640, 840), img.Bounds().Size())
}

func TestRenderErrors(t *testing.T) {
	p, a := fixture(t, "generic")
	_, err := Render(p, a, &Options{Scale: 4})
	assert.ErrorContains(t, err, "preview: scale 4")
	_, err = Render(nil, a, nil)
	assert.ErrorContains(t, err, "preview: nil pass")
	_, err = Render(&pass.Pass{FormatVersion: 1}, nil, nil)
	assert.ErrorIs(t, err, ErrNoStyle)

	bad := *p
	bad.ForegroundColor = "rgb(300, 0, 0)"
	_, err = Render(&bad, a, nil)
	assert.ErrorContains(t, err, "preview: foregroundColor")

	broken := a.Clone()
	require.NoError(t, broken.SetImage(pass.ImageThumbnail, 2, []byte("\x89PNG\r\n\x1a\nnot really")))
	_, err = Render(p, broken, nil)
	assert.ErrorContains(t, err, "preview: thumbnail@2x.png")

	badStrings := a.Clone()
	require.NoError(t, badStrings.Set("fr.lproj/pass.strings", []byte(`"unterminated = ;`)))
	_, err = Render(p, badStrings, &Options{Language: "fr"})
	assert.ErrorContains(t, err, "preview: fr.lproj/pass.strings")

	var buf bytes.Buffer
	err = WritePNG(&buf, p, a, &Options{Scale: 9})
	require.Error(t, err)
	assert.Zero(t, buf.Len(), "nothing is written on failure")
	require.NoError(t, WritePNG(&buf, p, a, &Options{Scale: 1}))
	assert.True(t, bytes.HasPrefix(buf.Bytes(), []byte("\x89PNG")))

	var failing failWriter
	assert.ErrorContains(t, WritePNG(failing, p, a, &Options{Scale: 1}), "preview: writing PNG")
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// solid returns a PNG of one colour.
func solid(t *testing.T, w, h int, c color.NRGBA) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return encode(t, img)
}

// TestImageVariants checks which scale and localization of an image is drawn.
func TestImageVariants(t *testing.T) {
	red, green, blue := color.NRGBA{255, 0, 0, 255}, color.NRGBA{0, 255, 0, 255}, color.NRGBA{0, 0, 255, 255}
	p := &pass.Pass{FormatVersion: 1, Generic: &pass.PassFields{}}
	a := &pass.Assets{}
	require.NoError(t, a.SetImage(pass.ImageThumbnail, 1, solid(t, 90, 90, red)))
	require.NoError(t, a.SetImage(pass.ImageThumbnail, 2, solid(t, 180, 180, green)))
	require.NoError(t, a.SetLocalizedImage("fr", pass.ImageThumbnail, 3, solid(t, 270, 270, blue)))
	tests := []struct {
		scale int
		lang  string
		want  color.NRGBA
	}{
		{1, "", red},    // the @1x variant
		{2, "", green},  // the @2x variant
		{3, "", green},  // no @3x: the largest smaller one
		{1, "fr", blue}, // the localized image first, at any scale
		{2, "de", green},
	}
	for _, tt := range tests {
		r := &renderer{a: a, p: p, scale: tt.scale, lang: tt.lang}
		img, err := r.image(pass.ImageThumbnail)
		require.NoError(t, err)
		require.NotNil(t, img)
		assert.Equal(t, tt.want, color.NRGBAModel.Convert(img.At(5, 5)), "scale %d lang %q", tt.scale, tt.lang)
	}
	r := &renderer{a: a, p: p, scale: 2}
	img, err := r.image(pass.ImageStrip)
	require.NoError(t, err)
	assert.Nil(t, img)

	// The thumbnail is drawn at the top right of a generic pass.
	out, err := Render(p, a, &Options{Scale: 2, Language: "fr"})
	require.NoError(t, err)
	assert.Equal(t, color.RGBA{0, 0, 255, 255}, out.At(2*(Width-12-40), 2*(headerHeight+6+40)))
}

func TestBarcodeChoice(t *testing.T) {
	qr := pass.Barcode{Format: pass.BarcodeFormatQR, Message: "QR", MessageEncoding: "iso-8859-1"}
	code128 := pass.Barcode{Format: pass.BarcodeFormatCode128, Message: "C128", MessageEncoding: "iso-8859-1"}
	badEAN := pass.Barcode{Format: pass.BarcodeFormatEAN13, Message: "letters", MessageEncoding: "iso-8859-1"}
	unknown := pass.Barcode{Format: "PKBarcodeFormatNope", Message: "x", MessageEncoding: "iso-8859-1"}
	tests := []struct {
		name     string
		barcodes []pass.Barcode
		legacy   *pass.Barcode
		want     string
	}{
		{"first of barcodes", []pass.Barcode{code128, qr}, nil, "C128"},
		{"skips what cannot be drawn", []pass.Barcode{badEAN, unknown, qr}, &code128, "QR"},
		{"legacy barcode last", []pass.Barcode{badEAN}, &code128, "C128"},
		{"none", []pass.Barcode{unknown}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &renderer{p: &pass.Pass{Barcodes: tt.barcodes, Barcode: tt.legacy}}
			bc, sym := r.barcodeToShow()
			if tt.want == "" {
				assert.Nil(t, bc)
				assert.Nil(t, sym)
				return
			}
			require.NotNil(t, bc)
			assert.Equal(t, tt.want, bc.Message)
			assert.Equal(t, []byte(tt.want), sym.Data())
		})
	}
}

// TestTransitIcons checks that each transit type draws a different icon between the primary fields.
func TestTransitIcons(t *testing.T) {
	p, a := fixture(t, "boarding-pass")
	seen := map[string]pass.TransitType{}
	for _, tt := range []pass.TransitType{pass.TransitTypeAir, pass.TransitTypeTrain, pass.TransitTypeBus, pass.TransitTypeBoat, pass.TransitTypeGeneric} {
		q := *p
		fields := *p.BoardingPass
		fields.TransitType = tt
		q.BoardingPass = &fields
		img, err := Render(&q, a, &Options{Scale: 1})
		require.NoError(t, err)
		rgba := img.(*image.RGBA)
		crop := rgba.SubImage(image.Rect(Width/2-20, headerHeight+6, Width/2+20, headerHeight+70)).(*image.RGBA)
		var key bytes.Buffer
		for y := crop.Rect.Min.Y; y < crop.Rect.Max.Y; y++ {
			i := crop.PixOffset(crop.Rect.Min.X, y)
			key.Write(crop.Pix[i : i+4*crop.Rect.Dx()])
		}
		prev, dup := seen[key.String()]
		assert.False(t, dup, "%s draws the same icon as %s", tt, prev)
		seen[key.String()] = tt
	}
}

// TestPosterFooterContrast checks that the text in a poster ticket's footer contrasts with footerBackgroundColor.
func TestPosterFooterContrast(t *testing.T) {
	p, a := fixture(t, "poster-event-ticket")
	for _, tt := range []struct {
		footer   pass.Color
		darkText bool
	}{{pass.RGB(255, 196, 0), true}, {pass.RGB(20, 30, 90), false}} {
		q := *p
		q.FooterBackgroundColor = tt.footer
		img, err := Render(&q, a, &Options{Scale: 1})
		require.NoError(t, err)
		fr, fg, fb, _ := tt.footer.RGB()
		assert.Equal(t, color.RGBA{fr, fg, fb, 255}, img.At(Width-20, Height-60), "the footer band has its colour")
		dark, light := 0, 0
		for y := Height - 120; y < Height-90; y++ { // the event name
			for x := 12; x < 200; x++ {
				l := luminance(img.At(x, y))
				if l < 0.2 {
					dark++
				}
				if l > 0.9 {
					light++
				}
			}
		}
		if tt.darkText {
			assert.Greater(t, dark, 50, "dark text on a light footer")
		} else {
			assert.Greater(t, light, 50, "light text on a dark footer")
		}
	}
}

// TestLongText checks that very long labels and values are shortened with an ellipsis to fit.
func TestLongText(t *testing.T) {
	long := bytes.Repeat([]byte("Wallet "), 200_000) // 1.4 MB
	face := (&renderer{scale: 1, faces: map[faceKey]font.Face{}}).face(false, 12)
	got := fit(face, string(long), 300)
	assert.True(t, strings.HasSuffix(got, "…"))
	assert.LessOrEqual(t, textWidth(face, got), 300)
	assert.Equal(t, "", fit(face, "anything", 0))
	assert.Equal(t, "short", fit(face, "short", 300))

	p := &pass.Pass{FormatVersion: 1, Generic: &pass.PassFields{
		PrimaryFields: []pass.Field{{Key: "a", Label: string(long), Value: pass.String(string(long))}},
	}}
	_, err := Render(p, nil, &Options{Scale: 1})
	require.NoError(t, err)
}

// TestNFC checks that a pass with nfc shows the reader hint instead of its barcode.
func TestNFC(t *testing.T) {
	p, a := fixture(t, "coupon")
	with := *p
	with.NFC = &pass.NFC{Message: "x"}
	plain, err := Render(p, a, &Options{Scale: 1})
	require.NoError(t, err)
	nfc, err := Render(&with, a, &Options{Scale: 1})
	require.NoError(t, err)
	// The centre of the QR code's area: the QR code has dark modules there; the NFC box is white around its text.
	dark := func(img image.Image, r image.Rectangle) int {
		n := 0
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				if luminance(img.At(x, y)) < 0.3 {
					n++
				}
			}
		}
		return n
	}
	codeArea := image.Rect(Width/2-50, Height-bottomMargin-130, Width/2+50, Height-bottomMargin-60)
	assert.Greater(t, dark(plain, codeArea), 1000)
	assert.Zero(t, dark(nfc, codeArea))
	hint := image.Rect(Width/2-85, Height-bottomMargin-36, Width/2+85, Height-bottomMargin)
	assert.Greater(t, dark(nfc, hint), 50)
}

// TestRenderReadsNowOnce checks Options.Now, a func() time.Time as in every passforge package: Render reads it
// once, and an isRelative date on that day is drawn differently ("Today") than with no clock (in full).
func TestRenderReadsNowOnce(t *testing.T) {
	p, a := fixture(t, "generic")
	p.Generic.AuxiliaryFields[0].IsRelative = true
	without, err := Render(p, a, &Options{Scale: 1})
	require.NoError(t, err)
	calls := 0
	now := func() time.Time {
		calls++
		return time.Date(2027, 1, 15, 9, 0, 0, 0, time.UTC)
	}
	today, err := Render(p, a, &Options{Scale: 1, Now: now})
	require.NoError(t, err)
	assert.Equal(t, 1, calls, "Now is read once per Render")
	assert.Positive(t, differing(without, today), "the relative date is drawn as Today")
	farAway := func() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) }
	full, err := Render(p, a, &Options{Scale: 1, Now: farAway})
	require.NoError(t, err)
	assert.Zero(t, differing(without, full), "far from Now, the date is drawn in full as without a clock")
}

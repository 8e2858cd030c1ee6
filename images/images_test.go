package images

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passforge/passforge/pass"
)

// source returns a w×h test image: a red left half and a blue right half.
func source(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{R: 220, A: 255}
			if x >= w/2 {
				c = color.NRGBA{B: 220, A: 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

func TestPrepareSizes(t *testing.T) {
	tests := []struct {
		role  pass.ImageRole
		style pass.Style
		src   image.Point
		mode  Mode
		want  image.Point // @1x size
	}{
		{pass.ImageIcon, pass.StyleGeneric, image.Pt(100, 100), ModeAuto, image.Pt(38, 38)},
		{pass.ImageIcon, pass.StyleGeneric, image.Pt(200, 100), ModeFit, image.Pt(38, 38)}, // padded square
		{pass.ImageLogo, pass.StyleGeneric, image.Pt(200, 100), ModeAuto, image.Pt(100, 50)},
		{pass.ImageLogo, pass.StyleGeneric, image.Pt(320, 40), ModeFit, image.Pt(160, 20)},
		{pass.ImageLogo, pass.StyleGeneric, image.Pt(200, 100), ModeFill, image.Pt(160, 50)},
		{pass.ImagePrimaryLogo, pass.StyleEventTicket, image.Pt(120, 60), ModeAuto, image.Pt(60, 30)},
		{pass.ImageSecondaryLogo, pass.StyleEventTicket, image.Pt(135, 12), ModeAuto, image.Pt(135, 12)},
		{pass.ImageStrip, pass.StyleEventTicket, image.Pt(150, 100), ModeAuto, image.Pt(375, 98)},
		{pass.ImageStrip, pass.StyleCoupon, image.Pt(150, 100), ModeAuto, image.Pt(375, 144)},
		{pass.ImageStrip, pass.StyleStoreCard, image.Pt(150, 100), ModeAuto, image.Pt(375, 144)},
		{pass.ImageStrip, pass.StyleGeneric, image.Pt(150, 100), ModeAuto, image.Pt(375, 123)},
		{pass.ImageStrip, pass.StyleCoupon, image.Pt(150, 100), ModeFit, image.Pt(375, 144)}, // padded
		{pass.ImageThumbnail, pass.StyleGeneric, image.Pt(60, 90), ModeAuto, image.Pt(60, 90)},
		{pass.ImageBackground, pass.StyleEventTicket, image.Pt(100, 100), ModeAuto, image.Pt(180, 220)},
		{pass.ImageArtwork, pass.StylePosterGeneric, image.Pt(100, 100), ModeAuto, image.Pt(358, 448)},
		{pass.ImageFooter, pass.StyleBoardingPass, image.Pt(286, 15), ModeAuto, image.Pt(286, 15)},
		{pass.ImagePersonalizationLogo, pass.StyleStoreCard, image.Pt(150, 40), ModeAuto, image.Pt(150, 40)},
	}
	for _, tt := range tests {
		t.Run(string(tt.role)+"/"+string(tt.style)+"/"+tt.mode.String(), func(t *testing.T) {
			t.Parallel()
			set, err := Prepare(source(tt.src.X, tt.src.Y), tt.role, &Options{Style: tt.style, Mode: tt.mode})
			require.NoError(t, err)
			require.Len(t, set.Images, 3)
			for i, img := range set.Images {
				s := i + 1
				assert.Equal(t, s, img.Scale)
				assert.Equal(t, image.Pt(tt.want.X*s, tt.want.Y*s), img.Image.Bounds().Size(), "@%dx", s)
				cfg, err := png.DecodeConfig(bytes.NewReader(img.PNG))
				require.NoError(t, err)
				assert.Equal(t, tt.want.X*s, cfg.Width)
				assert.Equal(t, tt.want.Y*s, cfg.Height)
			}
		})
	}
}

func TestFitVersusFill(t *testing.T) {
	src := source(400, 100) // 4:1, red then blue
	fit, err := Prepare(src, pass.ImageStrip, &Options{Style: pass.StyleCoupon, Mode: ModeFit})
	require.NoError(t, err)
	fill, err := Prepare(src, pass.ImageStrip, &Options{Style: pass.StyleCoupon, Mode: ModeFill})
	require.NoError(t, err)

	// Fit: 375×144 canvas, the image 375×94 centred, transparent bands above and below.
	f := toNRGBA(fit.Images[0].Image)
	assert.Equal(t, uint8(0), f.NRGBAAt(10, 2).A, "band above the fitted image is transparent")
	assert.Equal(t, uint8(0), f.NRGBAAt(10, 141).A, "band below the fitted image is transparent")
	assert.Equal(t, color.NRGBA{R: 220, A: 255}, f.NRGBAAt(10, 72))
	assert.Equal(t, color.NRGBA{B: 220, A: 255}, f.NRGBAAt(365, 72))

	// Fill: every pixel opaque; the centre crop keeps both halves, split in the middle.
	g := toNRGBA(fill.Images[0].Image)
	for _, p := range []image.Point{{0, 0}, {374, 0}, {0, 143}, {374, 143}} {
		assert.Equal(t, uint8(255), g.NRGBAAt(p.X, p.Y).A, "pixel %v", p)
	}
	assert.Equal(t, color.NRGBA{R: 220, A: 255}, g.NRGBAAt(100, 72))
	assert.Equal(t, color.NRGBA{B: 220, A: 255}, g.NRGBAAt(275, 72))

	// Fit of a logo keeps the proportions without padding.
	logo, err := Prepare(src, pass.ImageLogo, &Options{Mode: ModeFit})
	require.NoError(t, err)
	assert.Equal(t, image.Pt(160, 40), logo.Images[0].Image.Bounds().Size())
}

func TestTooSmallWarnings(t *testing.T) {
	tests := []struct {
		name   string
		src    image.Point
		scales []int
	}{
		{"large enough", image.Pt(480, 150), nil},
		{"enough for @2x", image.Pt(320, 100), []int{3}},
		{"enough for @1x", image.Pt(160, 50), []int{2, 3}},
		{"tiny", image.Pt(16, 5), []int{1, 2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := Prepare(source(tt.src.X, tt.src.Y), pass.ImageLogo, nil)
			require.NoError(t, err)
			var got []int
			for _, w := range set.Warnings {
				got = append(got, w.Scale)
				assert.Equal(t, pass.ImageLogo, w.Role)
				assert.Equal(t, tt.src, w.Source)
				assert.Equal(t, image.Pt(160*w.Scale, 50*w.Scale), w.Need)
				assert.Contains(t, w.Error(), pass.ImageFileName(pass.ImageLogo, w.Scale))
			}
			assert.Equal(t, tt.scales, got)
		})
	}
	set, err := Prepare(source(100, 50), pass.ImageLogo, nil)
	require.NoError(t, err)
	require.Len(t, set.Warnings, 2) // 100×50 fits a 160×50 box at @1x without enlarging
	assert.Equal(t, "images: logo@3x.png: source 100×50 px is enlarged 3.00×; use at least 300×150 px", set.Warnings[1].Error())
}

func TestSetRole(t *testing.T) {
	var a pass.Assets
	warnings, err := SetRole(&a, pass.ImageLogo, encodePNG(t, source(480, 150)), nil)
	require.NoError(t, err)
	assert.Empty(t, warnings)
	assert.Equal(t, []string{"logo.png", "logo@2x.png", "logo@3x.png"}, a.Names())
	data, ok := a.Image(pass.ImageLogo, 2)
	require.True(t, ok)
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	require.NoError(t, err)
	assert.Equal(t, 320, cfg.Width)
	assert.Equal(t, 100, cfg.Height)

	// JPEG and GIF sources, localized.
	var jpg, gf bytes.Buffer
	require.NoError(t, jpeg.Encode(&jpg, source(90, 90), nil))
	require.NoError(t, gif.Encode(&gf, source(300, 300), nil))
	warnings, err = SetRole(&a, pass.ImageThumbnail, jpg.Bytes(), &Options{Lang: "fr"})
	require.NoError(t, err)
	assert.Len(t, warnings, 2)
	_, err = SetRole(&a, pass.ImageIcon, gf.Bytes(), nil)
	require.NoError(t, err)
	_, ok = a.LocalizedImage("fr", pass.ImageThumbnail, 3)
	assert.True(t, ok)
	_, ok = a.Image(pass.ImageIcon, 1)
	assert.True(t, ok)

	// The result is a valid set for pass validation: no image size problems.
	p := &pass.Pass{FormatVersion: 1, PassTypeIdentifier: "pass.com.example.test", SerialNumber: "1",
		TeamIdentifier: "A1B2C3D4E5", OrganizationName: "Example", Description: "Test",
		Generic: &pass.PassFields{PrimaryFields: []pass.Field{{Key: "k", Value: pass.String("v")}}}}
	a.Delete("fr.lproj/thumbnail.png")
	a.Delete("fr.lproj/thumbnail@2x.png")
	a.Delete("fr.lproj/thumbnail@3x.png")
	var verr *pass.ValidationError
	if err := p.Validate(&a); err != nil {
		require.ErrorAs(t, err, &verr)
		assert.Empty(t, verr.Problems, "validation problems: %v", err)
	}
}

func TestErrors(t *testing.T) {
	var a pass.Assets
	_, err := SetRole(&a, pass.ImageLogo, []byte("not an image"), nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "images: ")
	assert.Contains(t, err.Error(), "logo")

	_, err = SetRole(&a, pass.ImageVenueMap, encodePNG(t, source(10, 10)), nil)
	require.ErrorIs(t, err, ErrUnknownRole)
	_, err = SetRole(&a, pass.ImageVenueMap, encodePNG(t, source(600, 400)), &Options{Width: 300, Height: 200})
	require.NoError(t, err)
	_, ok := a.Image(pass.ImageVenueMap, 3)
	assert.True(t, ok)

	_, err = Prepare(source(10, 10), pass.ImageLogo, &Options{Width: -1, Height: 5})
	require.Error(t, err)
	_, err = Prepare(source(10, 10), pass.ImageLogo, &Options{Mode: Mode(9)})
	require.Error(t, err)
	_, err = Prepare(nil, pass.ImageLogo, nil)
	require.Error(t, err)
	_, err = Prepare(image.NewNRGBA(image.Rect(0, 0, 0, 0)), pass.ImageLogo, nil)
	require.Error(t, err)
	_, err = SetRole(nil, pass.ImageLogo, nil, nil)
	require.Error(t, err)
	assert.Equal(t, 3, a.Len(), "failed calls add nothing")

	// A header that claims a huge image is rejected before decoding.
	huge := encodePNG(t, source(1, 1))
	// IHDR width and height are bytes 16..24.
	copy(huge[16:24], []byte{0, 0, 0x40, 0, 0, 0, 0x40, 0})
	binary.BigEndian.PutUint32(huge[29:33], crc32.ChecksumIEEE(huge[12:29]))
	_, err = Decode(bytes.NewReader(huge))
	require.ErrorIs(t, err, ErrTooLarge)
	assert.True(t, errors.Is(err, ErrTooLarge))
}

func FuzzDecode(f *testing.F) {
	f.Add(encodePNG(f, source(4, 3)))
	var g bytes.Buffer
	_ = gif.Encode(&g, source(3, 3), nil)
	f.Add(g.Bytes())
	f.Add([]byte("GIF89a"))
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		b := img.Bounds()
		if int64(b.Dx())*int64(b.Dy()) > 4096 {
			return // keep fuzzing fast
		}
		if _, err := Prepare(img, pass.ImageThumbnail, nil); err != nil {
			t.Fatalf("Prepare of a decoded image: %v", err)
		}
	})
}

func BenchmarkPrepareLogo(b *testing.B) {
	src := source(1200, 400)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Prepare(src, pass.ImageLogo, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func toNRGBA(img image.Image) *image.NRGBA {
	b := img.Bounds()
	out := image.NewNRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			out.Set(x, y, img.At(x, y))
		}
	}
	return out
}

func TestSetRoles(t *testing.T) {
	var a pass.Assets
	require.NoError(t, a.Set("en.lproj/pass.strings", []byte(`"a" = "b";`)))
	warnings, err := SetRoles(&a, map[pass.ImageRole][]byte{
		pass.ImageIcon:  encodePNG(t, source(114, 114)),
		pass.ImageLogo:  encodePNG(t, source(240, 75)),
		pass.ImageStrip: encodePNG(t, source(375, 144)),
	}, &Options{Style: pass.StyleStoreCard})
	require.NoError(t, err)
	assert.Len(t, a.Names(), 10)
	var got []string
	for _, w := range warnings {
		got = append(got, pass.ImageFileName(w.Role, w.Scale))
	}
	assert.Equal(t, []string{"logo@2x.png", "logo@3x.png", "strip@2x.png", "strip@3x.png"}, got, "warnings in role then scale order")

	// One bad source: nothing is stored.
	var b pass.Assets
	_, err = SetRoles(&b, map[pass.ImageRole][]byte{pass.ImageIcon: encodePNG(t, source(38, 38)), pass.ImageLogo: []byte("junk")}, nil)
	require.Error(t, err)
	assert.Zero(t, b.Len())
	_, err = SetRoles(&b, map[pass.ImageRole][]byte{"banner": encodePNG(t, source(38, 38))}, nil)
	assert.ErrorContains(t, err, `"banner" is not an image role`)
	assert.Zero(t, b.Len())
}

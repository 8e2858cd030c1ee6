package preview

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passforge/passforge/pass"
)

var update = flag.Bool("update", false, "rewrite the golden preview PNGs in testdata")

// artwork draws a w×h test picture: a vertical gradient from top to bottom with a sun-like disc.
func artwork(w, h int, top, bottom color.NRGBA, disc color.NRGBA) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	cx, cy, rad := float64(w)*0.7, float64(h)*0.45, float64(min(w, h))*0.28
	for y := 0; y < h; y++ {
		t := float64(y) / float64(max(h-1, 1))
		c := color.NRGBA{
			R: uint8(float64(top.R)*(1-t) + float64(bottom.R)*t),
			G: uint8(float64(top.G)*(1-t) + float64(bottom.G)*t),
			B: uint8(float64(top.B)*(1-t) + float64(bottom.B)*t),
			A: 255,
		}
		for x := 0; x < w; x++ {
			if math.Hypot(float64(x)-cx, float64(y)-cy) < rad {
				img.SetNRGBA(x, y, disc)
			} else {
				img.SetNRGBA(x, y, c)
			}
		}
	}
	return img
}

// mark draws a w×h logo: a filled disc and a bar on a transparent background.
func mark(w, h int, c color.NRGBA) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	rad := float64(h) / 2
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			inDisc := math.Hypot(float64(x)-rad, float64(y)-rad) < rad
			inBar := x > h+h/8 && y > h/3 && y < 2*h/3
			if inDisc || inBar {
				img.SetNRGBA(x, y, c)
			}
		}
	}
	return img
}

func encode(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// setImage stores img for role at scales 1 and 2 (the @2x image twice the size).
func setImage(t testing.TB, a *pass.Assets, role pass.ImageRole, draw func(scale int) image.Image) {
	t.Helper()
	for s := 1; s <= 2; s++ {
		require.NoError(t, a.SetImage(role, s, encode(t, draw(s))))
	}
}

// fixture reads testdata/passes/NAME.json and gives it the images its style shows, drawn in code.
func fixture(t testing.TB, name string) (*pass.Pass, *pass.Assets) {
	t.Helper()
	file := name
	if name == "event-ticket-strip" {
		file = "event-ticket"
	}
	data, err := os.ReadFile(filepath.Join("testdata", "passes", file+".json"))
	require.NoError(t, err)
	p, err := pass.Parse(data)
	require.NoError(t, err)
	a := &pass.Assets{}
	white := color.NRGBA{255, 255, 255, 255}
	setImage(t, a, pass.ImageIcon, func(s int) image.Image { return mark(29*s, 29*s, white) })
	switch name {
	case "boarding-pass":
		setImage(t, a, pass.ImageLogo, func(s int) image.Image { return mark(40*s, 30*s, white) })
		setImage(t, a, pass.ImageFooter, func(s int) image.Image {
			return artwork(286*s, 15*s, color.NRGBA{40, 80, 140, 255}, color.NRGBA{80, 140, 200, 255}, white)
		})
	case "coupon":
		setImage(t, a, pass.ImageLogo, func(s int) image.Image { return mark(40*s, 30*s, color.NRGBA{24, 80, 40, 255}) })
		setImage(t, a, pass.ImageStrip, func(s int) image.Image {
			return artwork(375*s, 144*s, color.NRGBA{70, 160, 80, 255}, color.NRGBA{20, 90, 40, 255}, color.NRGBA{250, 200, 60, 255})
		})
	case "event-ticket":
		setImage(t, a, pass.ImageLogo, func(s int) image.Image { return mark(40*s, 30*s, white) })
		setImage(t, a, pass.ImageBackground, func(s int) image.Image {
			return artwork(180*s, 220*s, color.NRGBA{120, 40, 140, 255}, color.NRGBA{30, 10, 50, 255}, color.NRGBA{240, 120, 60, 255})
		})
		setImage(t, a, pass.ImageThumbnail, func(s int) image.Image {
			return artwork(60*s, 90*s, color.NRGBA{240, 200, 80, 255}, color.NRGBA{200, 60, 60, 255}, white)
		})
	case "event-ticket-strip":
		setImage(t, a, pass.ImageLogo, func(s int) image.Image { return mark(40*s, 30*s, white) })
		setImage(t, a, pass.ImageStrip, func(s int) image.Image {
			return artwork(375*s, 98*s, color.NRGBA{200, 60, 120, 255}, color.NRGBA{60, 20, 70, 255}, color.NRGBA{255, 210, 90, 255})
		})
	case "poster-event-ticket":
		setImage(t, a, pass.ImagePrimaryLogo, func(s int) image.Image { return mark(60*s, 30*s, white) })
		setImage(t, a, pass.ImageArtwork, func(s int) image.Image {
			return artwork(358*s, 448*s, color.NRGBA{250, 130, 60, 255}, color.NRGBA{60, 20, 90, 255}, color.NRGBA{255, 230, 120, 255})
		})
		setImage(t, a, pass.ImageSecondaryLogo, func(s int) image.Image { return mark(60*s, 12*s, white) })
	case "generic":
		setImage(t, a, pass.ImageLogo, func(s int) image.Image { return mark(40*s, 30*s, color.NRGBA{200, 80, 30, 255}) })
		setImage(t, a, pass.ImageThumbnail, func(s int) image.Image {
			return artwork(90*s, 90*s, color.NRGBA{120, 180, 220, 255}, color.NRGBA{40, 90, 140, 255}, color.NRGBA{250, 220, 180, 255})
		})
	case "store-card":
		setImage(t, a, pass.ImageLogo, func(s int) image.Image { return mark(40*s, 30*s, white) })
		setImage(t, a, pass.ImageStrip, func(s int) image.Image {
			return artwork(375*s, 144*s, color.NRGBA{160, 110, 70, 255}, color.NRGBA{60, 35, 20, 255}, color.NRGBA{230, 200, 150, 255})
		})
		require.NoError(t, a.SetStrings("fr", pass.Strings{"BALANCE": "SOLDE", "MEMBER": "MEMBRE", "tier.gold": "Or", "TIER": "NIVEAU"}))
		require.NoError(t, a.SetStrings("en", pass.Strings{"tier.gold": "Gold"}))
	case "poster-generic":
		setImage(t, a, pass.ImageLogo, func(s int) image.Image { return mark(40*s, 30*s, white) })
		setImage(t, a, pass.ImageArtwork, func(s int) image.Image {
			return artwork(358*s, 448*s, color.NRGBA{90, 150, 200, 255}, color.NRGBA{30, 50, 90, 255}, color.NRGBA{240, 240, 230, 255})
		})
	}
	return p, a
}

var goldens = []struct {
	name string
	lang string
}{
	{"boarding-pass", ""},
	{"coupon", ""},
	{"event-ticket", ""},
	{"event-ticket-strip", ""},
	{"poster-event-ticket", ""},
	{"generic", ""},
	{"store-card", "en"},
	{"store-card", "fr"},
	{"poster-generic", ""},
}

// TestGolden renders each style at @1x and compares it with testdata/NAME.png, with a small tolerance for
// rounding differences between platforms; go test -update rewrites the files.
func TestGolden(t *testing.T) {
	for _, g := range goldens {
		file := g.name
		if g.lang != "" {
			file += "." + g.lang
		}
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			p, a := fixture(t, g.name)
			img, err := Render(p, a, &Options{Scale: 1, Language: g.lang})
			require.NoError(t, err)
			require.Equal(t, image.Rect(0, 0, Width, Height), img.Bounds())
			path := filepath.Join("testdata", file+".png")
			if *update {
				require.NoError(t, os.WriteFile(path, encode(t, img), 0o644))
				return
			}
			data, err := os.ReadFile(path)
			require.NoError(t, err, "run go test -update to create the golden file")
			want, err := png.Decode(bytes.NewReader(data))
			require.NoError(t, err)
			assertSimilar(t, want, img)
		})
	}
}

// TestGoldenTolerance checks that the tolerance of the golden comparison still tells two renderings apart: the
// English and French store cards differ only in a few words.
func TestGoldenTolerance(t *testing.T) {
	p, a := fixture(t, "store-card")
	en, err := Render(p, a, &Options{Scale: 1, Language: "en"})
	require.NoError(t, err)
	fr, err := Render(p, a, &Options{Scale: 1, Language: "fr"})
	require.NoError(t, err)
	assert.Greater(t, differing(en, fr), Width*Height/200)
	assert.Zero(t, differing(en, en))
}

// differing counts the pixels that differ by more than 16 in a channel.
func differing(want, got image.Image) int {
	b := want.Bounds()
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if !near(want.At(x, y), got.At(x, y), 16) {
				n++
			}
		}
	}
	return n
}

// assertSimilar fails when more than 0.5 % of the pixels differ by more than 16 in a channel, or the images
// differ in size.
func assertSimilar(t *testing.T, want, got image.Image) {
	t.Helper()
	require.Equal(t, want.Bounds(), got.Bounds())
	b := want.Bounds()
	differ := differing(want, got)
	assert.LessOrEqual(t, differ, b.Dx()*b.Dy()/200, "%d pixels differ from the golden image", differ)
}

// near reports whether two colours differ by at most tol in every channel (fully transparent colours match).
func near(a, b color.Color, tol int) bool {
	x, y := color.NRGBAModel.Convert(a).(color.NRGBA), color.NRGBAModel.Convert(b).(color.NRGBA)
	if x.A == 0 && y.A == 0 {
		return true
	}
	d := func(p, q uint8) bool { return int(p)-int(q) <= tol && int(q)-int(p) <= tol }
	return d(x.R, y.R) && d(x.G, y.G) && d(x.B, y.B) && d(x.A, y.A)
}

func BenchmarkRender(b *testing.B) {
	for _, name := range []string{"boarding-pass", "store-card", "poster-generic"} {
		for _, scale := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s@%dx", name, scale), func(b *testing.B) {
				p, a := fixture(b, name)
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Render(p, a, &Options{Scale: scale}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

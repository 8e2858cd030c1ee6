package images

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"slices"

	// Register the decoders Decode accepts.
	_ "image/gif"
	_ "image/jpeg"

	"golang.org/x/image/draw"

	"github.com/passforge/passforge/pass"
)

// Limits that bound what a hostile source image can make Decode and Prepare allocate.
const (
	// MaxSourceSize is the largest encoded source image Decode reads, in bytes (32 MiB).
	MaxSourceSize = 32 << 20
	// MaxSourcePixels is the largest source image Decode accepts, in pixels (width × height, 50 megapixels).
	MaxSourcePixels = 50_000_000
	// MaxBox is the largest width or height of a role's box at 1x, in points, that Options may ask for.
	MaxBox = 2048
)

// Mode says how a source image is scaled into a role's box.
type Mode int

const (
	// ModeAuto picks the mode Wallet's layout suits: ModeFill for strip, background and artwork images (they are
	// shown edge to edge) and ModeFit for every other role.
	ModeAuto Mode = iota
	// ModeFit scales the image to fit inside the box, keeping its proportions, so nothing is cut off. The PNG has
	// the scaled image's size, except for roles shown at a fixed size (icon, strip, background, artwork), where
	// the image is centred on a transparent canvas of the box's size.
	ModeFit
	// ModeFill scales the image to cover the whole box, keeping its proportions, and cuts off what overflows,
	// centred. The PNG has the box's size.
	ModeFill
)

// String returns "auto", "fit" or "fill".
func (m Mode) String() string {
	switch m {
	case ModeAuto:
		return "auto"
	case ModeFit:
		return "fit"
	case ModeFill:
		return "fill"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// Scales are the scale factors Wallet reads: @1x, @2x and @3x.
var scales = [...]int{1, 2, 3}

// ErrUnknownRole is wrapped by the errors of Prepare and SetRole for a role without a recommended size (such
// as venueMap) when Options give none.
var ErrUnknownRole = errors.New("images: no recommended size for the role")

// ErrTooLarge is wrapped by the error of Decode when the source is over MaxSourceSize bytes or MaxSourcePixels
// pixels.
var ErrTooLarge = errors.New("images: source image too large")

// RecommendedSize returns the size at which Wallet shows an image of role in a pass of style, in points at 1x
// (multiply by the scale for pixels), and whether the role has one. The sizes are Apple's (spec §7): icon
// 38×38, logo 160×50, primaryLogo 126×30, secondaryLogo 135×12, strip 375×98 on event tickets, 375×144 on
// coupons and store cards and 375×123 otherwise, thumbnail 90×90, background 180×220, artwork 358×448, footer
// 286×15 and personalizationLogo 150×40. Logos, thumbnails and footers are shown at most this size.
func RecommendedSize(role pass.ImageRole, style pass.Style) (width, height int, ok bool) {
	switch role {
	case pass.ImageIcon:
		return 38, 38, true
	case pass.ImageLogo:
		return 160, 50, true
	case pass.ImagePrimaryLogo:
		return 126, 30, true
	case pass.ImageSecondaryLogo:
		return 135, 12, true
	case pass.ImageStrip:
		switch style {
		case pass.StyleEventTicket:
			return 375, 98, true
		case pass.StyleCoupon, pass.StyleStoreCard:
			return 375, 144, true
		}
		return 375, 123, true
	case pass.ImageThumbnail:
		return 90, 90, true
	case pass.ImageBackground:
		return 180, 220, true
	case pass.ImageArtwork:
		return 358, 448, true
	case pass.ImageFooter:
		return 286, 15, true
	case pass.ImagePersonalizationLogo:
		return 150, 40, true
	}
	return 0, 0, false
}

// fixedShape reports whether Wallet shows role at exactly its box size, so that ModeFit pads it.
func fixedShape(role pass.ImageRole) bool {
	switch role {
	case pass.ImageIcon, pass.ImageStrip, pass.ImageBackground, pass.ImageArtwork:
		return true
	}
	return false
}

// Options are the per-call settings of Prepare and SetRole. A nil *Options is the same as a zero Options.
type Options struct {
	// Mode is how the source is scaled into the box. If zero (ModeAuto), the role decides.
	Mode Mode
	// Style is the pass style the images are for; it sets the strip's height. If empty, the strip is 375×123.
	Style pass.Style
	// Width and Height override the role's box, in points at 1x; they are needed for roles without a
	// recommended size (venueMap). If both are zero, RecommendedSize. At most MaxBox each.
	Width, Height int
	// Lang, when not empty, makes SetRole add localized images ("fr.lproj/logo.png") instead of top-level ones.
	Lang string
}

// TooSmall is the warning that a source image had to be enlarged for a scale, which makes it look soft on a
// device with that screen scale. It is reported once per scale, by Prepare and SetRole.
type TooSmall struct {
	// Role is the image role.
	Role pass.ImageRole
	// Scale is the scale factor (1, 2 or 3) of the enlarged image.
	Scale int
	// Source is the source image's size in pixels.
	Source image.Point
	// Need is the smallest source size, in pixels, that would not be enlarged at this scale (with the source's
	// proportions).
	Need image.Point
}

// Error returns "images: logo@3x.png: source 200×60 px is enlarged 1.50×; use at least 300×90 px".
func (t *TooSmall) Error() string {
	factor := float64(t.Need.X) / float64(max(t.Source.X, 1))
	return fmt.Sprintf("images: %s: source %d×%d px is enlarged %.2f×; use at least %d×%d px",
		pass.ImageFileName(t.Role, t.Scale), t.Source.X, t.Source.Y, factor, t.Need.X, t.Need.Y)
}

// Image is one scaled image of a Set.
type Image struct {
	// Scale is the scale factor: 1, 2 or 3.
	Scale int
	// Image is the scaled image.
	Image *image.RGBA
	// PNG is the image encoded as PNG.
	PNG []byte
}

// Set is the scaled images of one role, from Prepare.
type Set struct {
	// Role is the image role.
	Role pass.ImageRole
	// Images holds the @1x, @2x and @3x images, in that order.
	Images []Image
	// Warnings holds a *TooSmall for each scale at which the source was enlarged, in scale order.
	Warnings []*TooSmall
}

// Decode reads a source image in any format registered with package image (PNG, JPEG and GIF are), after
// checking its header: at most MaxSourceSize bytes and MaxSourcePixels pixels (errors wrap ErrTooLarge).
func Decode(r io.Reader) (image.Image, error) {
	if r == nil {
		return nil, errors.New("images: reading the source image: nil reader")
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxSourceSize+1))
	if err != nil {
		return nil, fmt.Errorf("images: reading the source image: %w", err)
	}
	if len(data) > MaxSourceSize {
		return nil, fmt.Errorf("images: source image over %d bytes: %w", MaxSourceSize, ErrTooLarge)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("images: decoding the source image header: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("images: source %s image is empty (%d×%d px)", format, cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxSourcePixels {
		return nil, fmt.Errorf("images: source %s image is %d×%d px, over %d pixels: %w",
			format, cfg.Width, cfg.Height, MaxSourcePixels, ErrTooLarge)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("images: decoding the source %s image: %w", format, err)
	}
	return img, nil
}

// box returns the role's box in points at 1x and the mode to use.
func box(role pass.ImageRole, opts *Options) (w, h int, mode Mode, err error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	switch {
	case o.Width != 0 || o.Height != 0:
		if o.Width <= 0 || o.Height <= 0 || o.Width > MaxBox || o.Height > MaxBox {
			return 0, 0, 0, fmt.Errorf("images: %s: box %d×%d pt is out of range (1 to %d each)", role, o.Width, o.Height, MaxBox)
		}
		w, h = o.Width, o.Height
	default:
		var ok bool
		if w, h, ok = RecommendedSize(role, o.Style); !ok {
			return 0, 0, 0, fmt.Errorf("%w %q; give Options.Width and Height", ErrUnknownRole, role)
		}
	}
	mode = o.Mode
	switch mode {
	case ModeAuto:
		mode = ModeFit
		if role == pass.ImageStrip || role == pass.ImageBackground || role == pass.ImageArtwork {
			mode = ModeFill
		}
	case ModeFit, ModeFill:
	default:
		return 0, 0, 0, fmt.Errorf("images: %s: unknown mode %d", role, int(mode))
	}
	return w, h, mode, nil
}

// Prepare scales src to the @1x, @2x and @3x images of role, at its recommended size (or the box in opts) and
// in opts' mode, and encodes each as PNG. Scales at which src had to be enlarged are reported in Set.Warnings;
// they are not errors.
func Prepare(src image.Image, role pass.ImageRole, opts *Options) (*Set, error) {
	if src == nil {
		return nil, fmt.Errorf("images: %s: no source image", role)
	}
	sb := src.Bounds()
	if sb.Dx() <= 0 || sb.Dy() <= 0 {
		return nil, fmt.Errorf("images: %s: source image is empty", role)
	}
	if int64(sb.Dx())*int64(sb.Dy()) > MaxSourcePixels {
		return nil, fmt.Errorf("images: %s: source is %d×%d px, over %d pixels: %w", role, sb.Dx(), sb.Dy(), MaxSourcePixels, ErrTooLarge)
	}
	bw, bh, mode, err := box(role, opts)
	if err != nil {
		return nil, err
	}
	set := &Set{Role: role}
	for _, s := range scales {
		img, factor := scaleInto(src, bw*s, bh*s, mode, fixedShape(role))
		if factor > 1+1e-9 {
			set.Warnings = append(set.Warnings, &TooSmall{
				Role:   role,
				Scale:  s,
				Source: image.Pt(sb.Dx(), sb.Dy()),
				Need:   image.Pt(int(math.Ceil(float64(sb.Dx())*factor-1e-9)), int(math.Ceil(float64(sb.Dy())*factor-1e-9))),
			})
		}
		var buf bytes.Buffer
		if err := (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, img); err != nil {
			return nil, fmt.Errorf("images: %s: encoding PNG: %w", pass.ImageFileName(role, s), err)
		}
		set.Images = append(set.Images, Image{Scale: s, Image: img, PNG: buf.Bytes()})
	}
	return set, nil
}

// scaleInto draws src into a w×h box in mode and returns the image and the scale factor applied to src.
func scaleInto(src image.Image, w, h int, mode Mode, pad bool) (*image.RGBA, float64) {
	sb := src.Bounds()
	sx := float64(w) / float64(sb.Dx())
	sy := float64(h) / float64(sb.Dy())
	if mode == ModeFill {
		f := math.Max(sx, sy)
		// The part of src that covers the box, centred.
		cw := min(sb.Dx(), max(1, int(math.Round(float64(w)/f))))
		ch := min(sb.Dy(), max(1, int(math.Round(float64(h)/f))))
		x0 := sb.Min.X + (sb.Dx()-cw)/2
		y0 := sb.Min.Y + (sb.Dy()-ch)/2
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.CatmullRom.Scale(dst, dst.Bounds(), src, image.Rect(x0, y0, x0+cw, y0+ch), draw.Src, nil)
		return dst, f
	}
	f := math.Min(sx, sy)
	dw := min(w, max(1, int(math.Round(float64(sb.Dx())*f))))
	dh := min(h, max(1, int(math.Round(float64(sb.Dy())*f))))
	r := image.Rect(0, 0, dw, dh)
	canvas := r
	if pad {
		canvas = image.Rect(0, 0, w, h)
		r = r.Add(image.Pt((w-dw)/2, (h-dh)/2))
	}
	dst := image.NewRGBA(canvas)
	draw.Draw(dst, canvas, image.NewUniform(color.Transparent), image.Point{}, draw.Src)
	draw.CatmullRom.Scale(dst, r, src, sb, draw.Src, nil)
	return dst, f
}

// Add stores the set's PNGs in a under the role's file names ("logo.png", "logo@2x.png", "logo@3x.png"), or in
// the localization lang when lang is not empty ("fr.lproj/logo.png"), replacing files of the same name. When it
// fails (an invalid lang, a full set), the files before the failing one are already stored; SetRole checks on a
// copy first and stores nothing in that case.
func (s *Set) Add(a *pass.Assets, lang string) error {
	if a == nil {
		return errors.New("images: nil pass.Assets")
	}
	for _, img := range s.Images {
		var err error
		if lang == "" {
			err = a.SetImage(s.Role, img.Scale, img.PNG)
		} else {
			err = a.SetLocalizedImage(lang, s.Role, img.Scale, img.PNG)
		}
		if err != nil {
			return fmt.Errorf("images: adding %s: %w", pass.ImageFileName(s.Role, img.Scale), err)
		}
	}
	return nil
}

// SetRole decodes the source image data (see Decode), prepares the role's @1x, @2x and @3x PNGs (see Prepare)
// and stores them in a (in the localization opts.Lang when set). It returns the warnings of the sources that
// had to be enlarged; nothing is stored when it returns an error.
func SetRole(a *pass.Assets, role pass.ImageRole, data []byte, opts *Options) ([]*TooSmall, error) {
	if a == nil {
		return nil, errors.New("images: nil pass.Assets")
	}
	src, err := Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w (the %s source)", err, role)
	}
	set, err := Prepare(src, role, opts)
	if err != nil {
		return nil, err
	}
	lang := ""
	if opts != nil {
		lang = opts.Lang
	}
	// Check every name first, so that a failure leaves a unchanged.
	trial := a.Clone()
	if err := set.Add(trial, lang); err != nil {
		return nil, err
	}
	if err := set.Add(a, lang); err != nil {
		return nil, err
	}
	return set.Warnings, nil
}

// SetRoles is SetRole for several roles at once: sources maps each role to its source image data. The roles are
// prepared in pass.ImageRoles() order, and nothing is stored unless every role succeeds. It returns the warnings
// of every role. The same opts apply to every role, so leave Width and Height zero unless all roles share a box.
func SetRoles(a *pass.Assets, sources map[pass.ImageRole][]byte, opts *Options) ([]*TooSmall, error) {
	if a == nil {
		return nil, errors.New("images: nil pass.Assets")
	}
	roles := make([]pass.ImageRole, 0, len(sources))
	for _, role := range pass.ImageRoles() {
		if _, ok := sources[role]; ok {
			roles = append(roles, role)
		}
	}
	if len(roles) != len(sources) {
		for role := range sources {
			if !slices.Contains(roles, role) {
				return nil, fmt.Errorf("images: %q is not an image role", role)
			}
		}
	}
	trial := a.Clone()
	var warnings []*TooSmall
	for _, role := range roles {
		w, err := SetRole(trial, role, sources[role], opts)
		if err != nil {
			return nil, err
		}
		warnings = append(warnings, w...)
	}
	for _, name := range trial.Names() {
		data, _ := trial.Get(name)
		if err := a.Set(name, data); err != nil {
			return nil, fmt.Errorf("images: adding %s: %w", name, err)
		}
	}
	return warnings, nil
}

// Package images prepares the PNG files of a pass from one source image per role.
//
// Wallet wants every image at @1x, @2x and @3x ("logo.png", "logo@2x.png", "logo@3x.png"), each at the size its
// role is shown at (Apple's recommended sizes, spec §7): a user with one logo file should not have to make three.
// Prepare scales a decoded image (PNG, JPEG or GIF; see Decode) to those sizes with golang.org/x/image/draw's
// Catmull-Rom kernel, either fitting it inside the role's box (ModeFit: nothing is cut off) or covering the box
// and cutting off what overflows, centred (ModeFill). Sources that are too small for a scale are still scaled up,
// but each such scale is reported as a *TooSmall warning, since an enlarged image looks soft on the device.
//
// SetRole puts the scaled set into a *pass.Assets under the role's file names, so a template or a pass can be
// given one source per role:
//
//	warnings, err := images.SetRole(assets, pass.ImageLogo, logoFile, &images.Options{Style: p.Style()})
//
// SetRoles does the same for several roles at once (a logo, an icon and a strip from three files), storing
// nothing unless every role succeeds. Options.Lang stores localized images instead ("fr.lproj/logo@2x.png").
// The sizes are within the limits pass.Validate checks, and each scale is the @1x image scaled (a thumbnail keeps
// its source's proportions, which Wallet wants between 2:3 and 3:2).
//
// The package imports pass and golang.org/x/image only.
package images

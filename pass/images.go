package pass

import (
	"slices"
	"strconv"
)

// ImageRole is the base name of a pass image file, which sets where Wallet shows it ("icon", "strip@2x.png").
type ImageRole string

// The image roles.
const (
	ImageIcon                ImageRole = "icon"
	ImageLogo                ImageRole = "logo"
	ImagePrimaryLogo         ImageRole = "primaryLogo"
	ImageSecondaryLogo       ImageRole = "secondaryLogo"
	ImageStrip               ImageRole = "strip"
	ImageThumbnail           ImageRole = "thumbnail"
	ImageBackground          ImageRole = "background"
	ImageArtwork             ImageRole = "artwork"
	ImageFooter              ImageRole = "footer"
	ImagePersonalizationLogo ImageRole = "personalizationLogo"
	ImageVenueMap            ImageRole = "venueMap"
)

// ImageRoles returns every image role, icon first. The slice is a copy: changing it changes nothing.
func ImageRoles() []ImageRole { return slices.Clone(imageRoles) }

// imageRoles lists every image role.
var imageRoles = []ImageRole{ImageIcon, ImageLogo, ImagePrimaryLogo, ImageSecondaryLogo, ImageStrip, ImageThumbnail,
	ImageBackground, ImageArtwork, ImageFooter, ImagePersonalizationLogo, ImageVenueMap}

// ImageFileName returns the file name of role at scale 1, 2 or 3: "logo.png", "logo@2x.png", "logo@3x.png".
func ImageFileName(role ImageRole, scale int) string {
	if scale <= 1 {
		return string(role) + ".png"
	}
	return string(role) + "@" + strconv.Itoa(scale) + "x.png"
}

package pass

import (
	"bytes"
	"fmt"
	"image/png"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// assetFile is an asset name taken apart: "fr.lproj/logo@2x.png" is lang "fr", role "logo", scale 2.
type assetFile struct {
	name  string
	lang  string // "" at the top level
	base  string // the file name without the folder
	role  ImageRole
	scale int // 1, 2 or 3 for an image; 0 otherwise
}

// parseAssetName takes an archive path apart. Images are "<role>[@2x|@3x].png"; ok is false for a name that is
// not a top-level file or a file directly inside a <lang>.lproj folder.
func parseAssetName(name string) (f assetFile, ok bool) {
	f.name = name
	dir, base, nested := strings.Cut(name, "/")
	if nested {
		lang, isLproj := strings.CutSuffix(dir, ".lproj")
		if !isLproj || lang == "" || strings.Contains(base, "/") {
			return f, false
		}
		f.lang = lang
	} else {
		base = dir
	}
	f.base = base
	if stem, isPNG := strings.CutSuffix(base, ".png"); isPNG {
		f.scale = 1
		if i := strings.LastIndexByte(stem, '@'); i >= 0 {
			switch stem[i:] {
			case "@2x":
				f.scale = 2
			case "@3x":
				f.scale = 3
			default:
				return f, true
			}
			stem = stem[:i]
		}
		f.role = ImageRole(stem)
	}
	return f, true
}

// hasImage reports whether a holds an image of role at any scale, in lang ("" for the top level).
func hasImage(a *Assets, lang string, role ImageRole) bool {
	for scale := 1; scale <= 3; scale++ {
		name := ImageFileName(role, scale)
		if lang != "" {
			name = LocalizedName(lang, name)
		}
		if _, ok := a.Get(name); ok {
			return true
		}
	}
	return false
}

// rolesShown returns the image roles Wallet shows for the pass's styles (spec §7).
func (p *Pass) rolesShown() map[ImageRole]bool {
	shown := map[ImageRole]bool{ImageIcon: true}
	add := func(roles ...ImageRole) {
		for _, r := range roles {
			shown[r] = true
		}
	}
	switch p.Style() {
	case StyleBoardingPass:
		add(ImageLogo, ImagePrimaryLogo, ImageFooter)
	case StyleCoupon:
		add(ImageLogo, ImagePrimaryLogo, ImageStrip)
	case StyleEventTicket:
		add(ImageLogo, ImagePrimaryLogo, ImageSecondaryLogo, ImageStrip, ImageThumbnail, ImageBackground, ImageArtwork, ImageVenueMap)
	case StyleGeneric:
		add(ImageLogo, ImageThumbnail)
	case StyleStoreCard:
		add(ImageLogo, ImageStrip)
	}
	if p.PosterGeneric != nil {
		add(ImageLogo, ImagePrimaryLogo, ImageArtwork)
	}
	return shown
}

// imageLimit is the largest size of an image role at 1x, in points (spec §7).
type imageLimit struct {
	w, h int
}

func (p *Pass) imageLimit(role ImageRole) (imageLimit, bool) {
	switch role {
	case ImageLogo:
		return imageLimit{160, 50}, true
	case ImagePrimaryLogo:
		return imageLimit{126, 30}, true
	case ImageSecondaryLogo:
		return imageLimit{135, 12}, true
	case ImageStrip:
		switch p.Style() {
		case StyleEventTicket:
			return imageLimit{375, 98}, true
		case StyleCoupon, StyleStoreCard:
			return imageLimit{375, 144}, true
		}
		return imageLimit{375, 123}, true
	case ImageThumbnail:
		return imageLimit{90, 90}, true
	case ImageBackground:
		return imageLimit{345, 505}, true
	case ImageArtwork:
		return imageLimit{358, 448}, true
	case ImageFooter:
		return imageLimit{286, 15}, true
	case ImagePersonalizationLogo:
		return imageLimit{150, 40}, true
	}
	return imageLimit{}, false
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// validateAssets checks the files of the pass: icon, image roles, PNG data and sizes, localizations, pass.strings
// and personalization.json (spec §7, §8, §9).
func (v *validator) validateAssets() {
	p, a := v.p, v.a
	first := len(v.problems)
	if !hasImage(a, "", ImageIcon) {
		v.errorf("icon.png", ruleIcon, "the pass has no icon.png, icon@2x.png or icon@3x.png; Wallet rejects it")
	}
	shown := p.rolesShown()
	_, hasPersonalization := a.Get(PersonalizationName)
	type dims struct{ w, h int }
	sizes := map[string]dims{} // "lang/role@scale" → pixel size, for the scale consistency check
	for _, name := range a.Names() {
		f, ok := parseAssetName(name)
		switch {
		case !ok:
			v.warnf(name, ruleUnknownFile, "Wallet does not read files in this folder; only top-level files and <lang>.lproj folders count")
			continue
		case f.base == StringsName:
			if f.lang == "" {
				v.warnf(name, ruleUnknownFile, "pass.strings belongs in a <lang>.lproj folder, e.g. en.lproj/pass.strings")
			}
			continue
		case f.base == PersonalizationName:
			if f.lang != "" {
				v.warnf(name, ruleUnknownFile, "personalization.json belongs at the top level of the pass")
			}
			continue
		case f.role == "" || !slices.Contains(imageRoles, f.role):
			v.warnf(name, ruleUnknownFile, "Wallet does not use this file")
			continue
		}
		switch {
		case f.role == ImagePersonalizationLogo:
			if !hasPersonalization {
				v.warnf(name, ruleImageRole, "personalizationLogo is only shown with personalization.json")
			}
		case !shown[f.role]:
			v.warnf(name, ruleImageRole, "%s does not show a %s image; Wallet ignores it", styleName(p.Style()), f.role)
		}
		data, _ := a.Get(name)
		sev := SeverityWarning
		if f.role == ImageIcon {
			sev = SeverityError
		}
		if !bytes.HasPrefix(data, pngSignature) {
			v.add(sev, name, ruleImagePNG, "the file is not a PNG image")
			continue
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			v.add(sev, name, ruleImagePNG, "the PNG header does not decode: %v", err)
			continue
		}
		sizes[f.lang+"/"+string(f.role)+"@"+strconv.Itoa(f.scale)] = dims{cfg.Width, cfg.Height}
		v.imageSize(f, cfg.Width, cfg.Height)
	}
	// Each scale should be the 1x image scaled up.
	for key, d := range sizes {
		base, scaleText, _ := strings.Cut(key, "@")
		scale, _ := strconv.Atoi(scaleText)
		one, ok := sizes[base+"@1"]
		if scale == 1 || !ok {
			continue
		}
		if abs(d.w-one.w*scale) > scale || abs(d.h-one.h*scale) > scale {
			lang, role, _ := strings.Cut(base, "/")
			name := ImageFileName(ImageRole(role), scale)
			if lang != "" {
				name = LocalizedName(lang, name)
			}
			v.warnf(name, ruleImageSize, "the image is %d×%d px, but the 1x image is %d×%d px; at @%dx it should be %d×%d px",
				d.w, d.h, one.w, one.h, scale, one.w*scale, one.h*scale)
		}
	}
	if p.Style() == StyleEventTicket && hasImage(a, "", ImageStrip) {
		for _, r := range []ImageRole{ImageBackground, ImageThumbnail} {
			if hasImage(a, "", r) {
				v.warnf(ImageFileName(r, 1), ruleImageRole, "an event ticket with a strip image does not show a %s image", r)
			}
		}
	}
	v.localizedImages()
	v.strings()
	v.personalization()
	// The problems of files were added in name order, then by the cross-file checks: sort them by path for a
	// stable, readable report after the problems of pass.json.
	files := v.problems[first:]
	sort.SliceStable(files, func(i, j int) bool { return files[i].Path < files[j].Path })
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// imageSize warns when an image is larger than its role allows at its scale.
func (v *validator) imageSize(f assetFile, w, h int) {
	s := f.scale
	if f.role == ImageIcon {
		if w != h || w < 29*s || w > 38*s {
			v.warnf(f.name, ruleImageSize, "the icon is %d×%d px; at @%dx it should be square, %d×%d (29 pt) to %d×%d px (38 pt)", w, h, s, 29*s, 29*s, 38*s, 38*s)
		}
		return
	}
	lim, ok := v.p.imageLimit(f.role)
	if !ok {
		return
	}
	if w > lim.w*s || h > lim.h*s {
		v.warnf(f.name, ruleImageSize, "the image is %d×%d px; a %s image at @%dx is at most %d×%d px, Wallet scales it down", w, h, f.role, s, lim.w*s, lim.h*s)
	}
	if f.role == ImageThumbnail && w > 0 && h > 0 && (2*w > 3*h || 2*h > 3*w) {
		v.warnf(f.name, ruleImageSize, "the thumbnail is %d×%d px; its aspect ratio should be between 2:3 and 3:2", w, h)
	}
}

// localizedImages checks that every localization holds the same image variants, and that no image is both at
// the top level and localized (spec §7).
func (v *validator) localizedImages() {
	a := v.a
	langs := a.Languages()
	if len(langs) == 0 {
		return
	}
	// role → lang → scales present
	present := map[ImageRole]map[string][]int{}
	for _, name := range a.Names() {
		f, ok := parseAssetName(name)
		if !ok || f.lang == "" || f.role == "" || !slices.Contains(imageRoles, f.role) {
			continue
		}
		if present[f.role] == nil {
			present[f.role] = map[string][]int{}
		}
		present[f.role][f.lang] = append(present[f.role][f.lang], f.scale)
		if top := ImageFileName(f.role, f.scale); hasFile(a, top) {
			v.warnf(name, ruleImageLocalized, "%s exists at the top level too; the top-level image overrides the localized one", top)
		}
	}
	roles := make([]string, 0, len(present))
	for r := range present {
		roles = append(roles, string(r))
	}
	sort.Strings(roles)
	for _, r := range roles {
		role := ImageRole(r)
		var union []int
		for _, scales := range present[role] {
			for _, s := range scales {
				if !slices.Contains(union, s) {
					union = append(union, s)
				}
			}
		}
		sort.Ints(union)
		for _, lang := range langs {
			scales, ok := present[role][lang]
			if !ok {
				if !hasImage(a, "", role) {
					v.warnf(LocalizedName(lang, ImageFileName(role, 1)), ruleImageLocalized,
						"other localizations have a %s image but %s.lproj has none and there is no top-level one", role, lang)
				}
				continue
			}
			for _, s := range union {
				if !slices.Contains(scales, s) {
					v.warnf(LocalizedName(lang, ImageFileName(role, s)), ruleImageLocalized,
						"other localizations have %s but %s.lproj does not", ImageFileName(role, s), lang)
				}
			}
		}
	}
}

func hasFile(a *Assets, name string) bool {
	_, ok := a.Get(name)
	return ok
}

// localizableStrings returns the strings of pass.json Wallet looks up in pass.strings (spec §8).
func (p *Pass) localizableStrings() []string {
	out := []string{p.Description, p.OrganizationName, p.LogoText, p.EventLogoText}
	addFields := func(fields []Field) {
		for _, f := range fields {
			out = append(out, f.Label, f.ChangeMessage)
			if f.Value.IsString() {
				out = append(out, f.Value.String())
			}
			if f.AttributedValue.IsString() {
				out = append(out, f.AttributedValue.String())
			}
		}
	}
	for _, s := range append(slices.Clone(legacyStyles), StylePosterGeneric) {
		if pf := p.Fields(s); pf != nil {
			for _, g := range pf.groups() {
				addFields(g.fields)
			}
		}
	}
	for _, e := range p.UpcomingPassInformation {
		out = append(out, e.Name)
		addFields(e.AdditionalInfoFields)
		addFields(e.BackFields)
	}
	return out
}

// strings checks the pass.strings files: they parse, hold the same keys, and every localization can translate
// the keys pass.json uses (spec §8).
func (v *validator) strings() {
	a := v.a
	tables := map[string]Strings{}
	var withStrings []string
	for _, lang := range a.Languages() {
		name := LocalizedName(lang, StringsName)
		if !hasFile(a, name) {
			continue
		}
		s, err := a.Strings(lang)
		if err != nil {
			v.warnf(name, ruleStrings, "the file does not parse, so Wallet shows untranslated text: %s", strings.TrimPrefix(strings.TrimPrefix(err.Error(), "pass: "), name+": "))
			continue
		}
		for _, k := range sortedKeys(s) {
			v.placeholderString(func() string { return name + ": " + k }, s[k])
		}
		tables[lang] = s
		withStrings = append(withStrings, lang)
	}
	if len(tables) == 0 {
		return
	}
	union := map[string]bool{}
	for _, s := range tables {
		for k := range s {
			union[k] = true
		}
	}
	for _, lang := range withStrings {
		var missing []string
		for k := range union {
			if _, ok := tables[lang][k]; !ok {
				missing = append(missing, k)
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			v.warnf(LocalizedName(lang, StringsName), ruleStrings, "%d keys of other localizations are missing: %s", len(missing), quoteList(missing, 5))
		}
	}
	// Localizations without pass.strings cannot translate the keys pass.json uses.
	var used []string
	for _, s := range v.p.localizableStrings() {
		if s != "" && union[s] && !slices.Contains(used, s) {
			used = append(used, s)
		}
	}
	if len(used) == 0 {
		return
	}
	sort.Strings(used)
	for _, lang := range a.Languages() {
		if _, ok := tables[lang]; ok || hasFile(a, LocalizedName(lang, StringsName)) {
			continue
		}
		v.warnf(LocalizedName(lang, StringsName), ruleStrings, "%s.lproj has no pass.strings, so it shows the untranslated keys pass.json uses: %s", lang, quoteList(used, 5))
	}
}

// quoteList formats up to max items as "a", "b", ... and how many more.
func quoteList(items []string, max int) string {
	var b strings.Builder
	for i, s := range items {
		if i == max {
			fmt.Fprintf(&b, " and %d more", len(items)-max)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(s))
	}
	return b.String()
}

// personalization checks personalization.json (spec §9).
func (v *validator) personalization() {
	p, a := v.p, v.a
	if !hasFile(a, PersonalizationName) {
		return
	}
	pz, err := a.Personalization()
	if err != nil {
		msg := strings.TrimPrefix(strings.TrimPrefix(err.Error(), "pass: "), PersonalizationName+": ")
		v.errorf(PersonalizationName, rulePersonalization, "the file does not parse: %s", msg)
		return
	}
	if p.NFC == nil {
		v.warnf(PersonalizationName, rulePersonalization, "personalization needs an NFC pass (nfc); Wallet ignores personalization.json without it")
	}
	if s := p.Style(); s != StyleStoreCard && s != "" {
		v.warnf(PersonalizationName, rulePersonalization, "personalization is for store cards (reward cards), not %s", s)
	}
	if p.WebServiceURL == "" {
		v.warnf(PersonalizationName, rulePersonalization, "personalization needs webServiceURL: Wallet sends the sign-up to its /v1/passes/.../personalize endpoint")
	}
	if len(pz.RequiredPersonalizationFields) == 0 {
		v.errorf(PersonalizationName+":requiredPersonalizationFields", rulePersonalization, "requiredPersonalizationFields is missing or empty")
	}
	for i, f := range pz.RequiredPersonalizationFields {
		switch f {
		case PersonalizationFieldName, PersonalizationFieldPostalCode, PersonalizationFieldEmailAddress, PersonalizationFieldPhoneNumber:
		default:
			v.errorf(index(PersonalizationName+":requiredPersonalizationFields", i), rulePersonalization, "unknown personalization field %q", f)
		}
	}
	if strings.TrimSpace(pz.Description) == "" {
		v.errorf(PersonalizationName+":description", rulePersonalization, "description is missing")
	}
	if !hasImage(a, "", ImagePersonalizationLogo) {
		v.warnf("personalizationLogo.png", rulePersonalization, "a personalizable pass needs personalizationLogo.png (150×40 pt)")
	}
	for _, k := range sortedKeys(pz.Extra) {
		v.warnf(PersonalizationName+":"+pathKey(k), ruleUnknownKey, "unknown key %q; Wallet ignores it", k)
	}
}

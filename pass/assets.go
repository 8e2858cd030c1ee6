package pass

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
)

// Limits of Load and of Assets.Set.
const (
	// MaxAssetFiles is the largest number of files (other than pass.json) Load reads and an Assets holds.
	MaxAssetFiles = 512
	// MaxAssetFileSize is the largest single asset, in bytes (16 MiB).
	MaxAssetFileSize = 16 << 20
	// MaxAssetsSize is the largest total size of the assets Load reads, in bytes (64 MiB).
	MaxAssetsSize = 64 << 20
)

// File names with a fixed meaning in a pass.
const (
	// PassJSONName is the name of the pass.json file.
	PassJSONName = "pass.json"
	// ManifestName is the name of the manifest, written by package sign.
	ManifestName = "manifest.json"
	// SignatureName is the name of the detached signature, written by package sign.
	SignatureName = "signature"
	// PersonalizationName is the name of the personalization.json file.
	PersonalizationName = "personalization.json"
	// StringsName is the name of the strings file inside a <lang>.lproj folder.
	StringsName = "pass.strings"
)

// Assets holds every file of a pass other than pass.json, manifest.json and signature, by its path in the
// archive: "icon.png", "strip@2x.png", "fr.lproj/pass.strings", "fr.lproj/logo.png", "personalization.json".
// The zero value is an empty, usable set. Assets keeps the byte slices it is given and hands them out without
// copying: treat them as read-only. An Assets is not safe for concurrent modification.
type Assets struct {
	files map[string][]byte
	size  int64
}

// ErrInvalidAssetName is wrapped by the error of Assets.Set for a name that cannot be a file of a pass.
var ErrInvalidAssetName = errors.New("pass: invalid asset name")

// checkAssetName validates an archive path for Set.
func checkAssetName(name string) error {
	bad := func(why string) error { return fmt.Errorf("%w %q: %s", ErrInvalidAssetName, name, why) }
	switch {
	case name == "" || name == ".":
		return bad("empty")
	case strings.HasPrefix(name, "/"):
		return bad("absolute paths are not allowed")
	case strings.ContainsRune(name, '\\'):
		return bad("use / to separate folders")
	case !fs.ValidPath(name):
		return bad(`".", ".." and empty path elements are not allowed`)
	case strings.HasSuffix(name, "/"):
		return bad("names a folder")
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return bad("contains a control character")
		}
	}
	switch name {
	case PassJSONName:
		return bad("pass.json is the Pass itself")
	case ManifestName, SignatureName:
		return bad("manifest.json and signature are written when the pass is signed")
	}
	return nil
}

// Set adds or replaces the file name with data. It fails for a name that is empty, absolute, contains "..",
// or is pass.json, manifest.json or signature, and when the set would exceed MaxAssetFiles files or a file
// MaxAssetFileSize bytes.
func (a *Assets) Set(name string, data []byte) error {
	if a == nil {
		return fmt.Errorf("pass: cannot set %s on a nil *Assets", name)
	}
	if err := checkAssetName(name); err != nil {
		return err
	}
	if len(data) > MaxAssetFileSize {
		return fmt.Errorf("%w: %s is %d bytes, the limit is %d", ErrTooLarge, name, len(data), MaxAssetFileSize)
	}
	old, exists := a.files[name]
	if !exists && len(a.files) >= MaxAssetFiles {
		return fmt.Errorf("%w: more than %d files", ErrTooLarge, MaxAssetFiles)
	}
	if a.files == nil {
		a.files = make(map[string][]byte)
	}
	a.size += int64(len(data)) - int64(len(old))
	a.files[name] = data
	return nil
}

// Get returns the file name and true, or nil and false when there is none.
func (a *Assets) Get(name string) ([]byte, bool) {
	if a == nil {
		return nil, false
	}
	data, ok := a.files[name]
	return data, ok
}

// Delete removes the file name, if present.
func (a *Assets) Delete(name string) {
	if a == nil {
		return
	}
	a.size -= int64(len(a.files[name]))
	delete(a.files, name)
}

// Names returns the paths of every file, sorted.
func (a *Assets) Names() []string {
	if a == nil {
		return nil
	}
	names := make([]string, 0, len(a.files))
	for n := range a.files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Len returns the number of files.
func (a *Assets) Len() int {
	if a == nil {
		return 0
	}
	return len(a.files)
}

// Size returns the total size of the files, in bytes.
func (a *Assets) Size() int64 {
	if a == nil {
		return 0
	}
	return a.size
}

// Clone returns a copy of the set. The copy shares the (read-only) file contents but not the set: adding or
// removing files in one does not affect the other.
func (a *Assets) Clone() *Assets {
	c := &Assets{}
	if a == nil || len(a.files) == 0 {
		return c
	}
	c.files = make(map[string][]byte, len(a.files))
	for n, d := range a.files {
		c.files[n] = d
	}
	c.size = a.size
	return c
}

// validScale checks an image scale.
func validScale(scale int) error {
	if scale < 1 || scale > 3 {
		return fmt.Errorf("pass: image scale %d: want 1, 2 or 3", scale)
	}
	return nil
}

// validRole checks an image role: a known role or at least a plain base name.
func validRole(role ImageRole) error {
	r := string(role)
	if r == "" || strings.ContainsAny(r, "/\\@.") {
		return fmt.Errorf("pass: image role %q: want a base name such as %q", r, ImageIcon)
	}
	return nil
}

// validLanguage checks a localization name: letters, digits, "-" and "_" ("en", "pt-BR", "zh-Hans").
func validLanguage(lang string) error {
	if lang == "" || len(lang) > 35 {
		return fmt.Errorf("pass: language %q: want a code such as \"en\", \"pt-BR\" or \"zh-Hans\"", lang)
	}
	for _, r := range lang {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return fmt.Errorf("pass: language %q: want a code such as \"en\", \"pt-BR\" or \"zh-Hans\"", lang)
		}
	}
	return nil
}

// LocalizedName returns the archive path of file in the localization lang: "fr.lproj/pass.strings".
func LocalizedName(lang, file string) string { return lang + ".lproj/" + file }

// SetImage adds the image of role at scale 1, 2 or 3 ("strip@2x.png"). Use ImagePersonalizationLogo for the
// personalizationLogo image of a personalizable pass. The bytes are stored as given; Validate checks them.
func (a *Assets) SetImage(role ImageRole, scale int, png []byte) error {
	if err := validRole(role); err != nil {
		return err
	}
	if err := validScale(scale); err != nil {
		return err
	}
	return a.Set(ImageFileName(role, scale), png)
}

// Image returns the top-level image of role at scale 1, 2 or 3, and whether it exists.
func (a *Assets) Image(role ImageRole, scale int) ([]byte, bool) {
	return a.Get(ImageFileName(role, scale))
}

// SetLocalizedImage adds the image of role at scale to the localization lang ("fr.lproj/logo@2x.png").
func (a *Assets) SetLocalizedImage(lang string, role ImageRole, scale int, png []byte) error {
	if err := validLanguage(lang); err != nil {
		return err
	}
	if err := validRole(role); err != nil {
		return err
	}
	if err := validScale(scale); err != nil {
		return err
	}
	return a.Set(LocalizedName(lang, ImageFileName(role, scale)), png)
}

// LocalizedImage returns the image of role at scale in the localization lang, and whether it exists.
func (a *Assets) LocalizedImage(lang string, role ImageRole, scale int) ([]byte, bool) {
	return a.Get(LocalizedName(lang, ImageFileName(role, scale)))
}

// Languages returns the localizations present (the <lang> of every top-level <lang>.lproj folder), sorted.
func (a *Assets) Languages() []string {
	if a == nil {
		return nil
	}
	seen := map[string]bool{}
	for n := range a.files {
		dir, _, ok := strings.Cut(n, "/")
		if lang, isL := strings.CutSuffix(dir, ".lproj"); ok && isL && lang != "" {
			seen[lang] = true
		}
	}
	langs := make([]string, 0, len(seen))
	for l := range seen {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	return langs
}

// SetStrings writes s as the pass.strings file of the localization lang, in the encoding Wallet reads (see
// Strings.Encode).
func (a *Assets) SetStrings(lang string, s Strings) error {
	if err := validLanguage(lang); err != nil {
		return err
	}
	return a.Set(LocalizedName(lang, StringsName), s.Encode())
}

// Strings reads the pass.strings file of the localization lang. When there is none, the error wraps
// fs.ErrNotExist.
func (a *Assets) Strings(lang string) (Strings, error) {
	name := LocalizedName(lang, StringsName)
	data, ok := a.Get(name)
	if !ok {
		return nil, fmt.Errorf("pass: %s: %w", name, fs.ErrNotExist)
	}
	s, err := ParseStrings(data)
	if err != nil {
		return nil, fmt.Errorf("pass: %s: %w", name, unprefix(err))
	}
	return s, nil
}

// SetPersonalization writes p as personalization.json; nil removes the file. Add the personalizationLogo image
// with SetImage(ImagePersonalizationLogo, scale, png).
func (a *Assets) SetPersonalization(p *Personalization) error {
	if p == nil {
		a.Delete(PersonalizationName)
		return nil
	}
	data, err := p.MarshalJSON()
	if err != nil {
		return err
	}
	return a.Set(PersonalizationName, data)
}

// Personalization reads personalization.json (leniently, like Parse). When there is none, the error wraps
// fs.ErrNotExist.
func (a *Assets) Personalization() (*Personalization, error) {
	data, ok := a.Get(PersonalizationName)
	if !ok {
		return nil, fmt.Errorf("pass: %s: %w", PersonalizationName, fs.ErrNotExist)
	}
	clean, err := prepareJSON(PersonalizationName, data)
	if err != nil {
		return nil, fmt.Errorf("pass: %s: %w", PersonalizationName, unprefix(err))
	}
	p := new(Personalization)
	if err := unmarshalStruct(clean, p); err != nil {
		err = locate(err, clean)
		var pe *ParseError
		if errors.As(err, &pe) {
			pe.File = PersonalizationName
		}
		return nil, err
	}
	return p, nil
}

// isJunk reports whether a file or folder name is operating-system clutter that is never part of a pass:
// dot files (.DS_Store, ._name, .git), __MACOSX, Thumbs.db and desktop.ini.
func isJunk(base string) bool {
	if strings.HasPrefix(base, ".") {
		return true
	}
	switch strings.ToLower(base) {
	case "__macosx", "thumbs.db", "desktop.ini":
		return true
	}
	return false
}

// Load reads a pass folder (the .pass layout: pass.json, images, <lang>.lproj folders, personalization.json)
// from any fs.FS, such as os.DirFS("Coffee.pass"), an embed.FS or a fstest.MapFS. It skips manifest.json and
// signature (they are rewritten when the pass is signed) and operating-system junk (.DS_Store and other dot
// files, __MACOSX, Thumbs.db). pass.json is read with Parse. Reading is bounded: MaxPassJSONSize for pass.json,
// MaxAssetFiles files, MaxAssetFileSize per file and MaxAssetsSize in total (errors wrap ErrTooLarge).
func Load(fsys fs.FS) (*Pass, *Assets, error) {
	if fsys == nil {
		return nil, nil, errors.New("pass: Load: nil fs.FS")
	}
	data, err := readLimited(fsys, PassJSONName, MaxPassJSONSize)
	if err != nil {
		return nil, nil, err
	}
	p, err := Parse(data)
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			pe.File = PassJSONName
			return nil, nil, err
		}
		return nil, nil, fmt.Errorf("pass: %s: %w", PassJSONName, unprefix(err))
	}
	// First list the files and check their declared sizes, so that an oversized folder fails before anything
	// is read; then read them, still bounded in case the file system reports sizes wrongly.
	type entry struct {
		name string
		size int64
	}
	var files []entry
	var declared int64
	err = fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("pass: reading %s: %w", name, unprefix(err))
		}
		if name == "." {
			return nil
		}
		if isJunk(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		switch name {
		case PassJSONName, ManifestName, SignatureName:
			return nil
		}
		// fs.Stat follows a symbolic link (as os.DirFS does when opening), so a link to a regular file is read;
		// anything else is refused.
		info, err := fs.Stat(fsys, name)
		if err != nil {
			return fmt.Errorf("pass: reading %s: %w", name, unprefix(err))
		}
		if !info.Mode().IsRegular() {
			return fmt.Errorf("pass: %s is not a regular file", name)
		}
		if len(files) >= MaxAssetFiles {
			return fmt.Errorf("%w: the pass folder has more than %d files", ErrTooLarge, MaxAssetFiles)
		}
		if info.Size() > MaxAssetFileSize {
			return fmt.Errorf("%w: %s is larger than %d bytes", ErrTooLarge, name, MaxAssetFileSize)
		}
		if declared += info.Size(); declared > MaxAssetsSize {
			return fmt.Errorf("%w: the pass folder's files exceed %d bytes", ErrTooLarge, MaxAssetsSize)
		}
		files = append(files, entry{name, info.Size()})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	assets := &Assets{}
	for _, f := range files {
		b, err := readLimited(fsys, f.name, MaxAssetFileSize)
		if err != nil {
			return nil, nil, err
		}
		if assets.Size()+int64(len(b)) > MaxAssetsSize {
			return nil, nil, fmt.Errorf("%w: the pass folder's files exceed %d bytes", ErrTooLarge, MaxAssetsSize)
		}
		if err := assets.Set(f.name, b); err != nil {
			return nil, nil, err
		}
	}
	return p, assets, nil
}

// readLimited reads the file name of fsys, failing when it is larger than limit bytes (by its declared size,
// before reading, or by what it delivers).
func readLimited(fsys fs.FS, name string, limit int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("pass: reading %s: %w", name, unprefix(err))
	}
	defer f.Close()
	var buf bytes.Buffer
	if info, err := f.Stat(); err == nil {
		if info.Size() > limit {
			return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrTooLarge, name, limit)
		}
		buf.Grow(int(info.Size()) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, fmt.Errorf("pass: reading %s: %w", name, unprefix(err))
	}
	if int64(buf.Len()) > limit {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrTooLarge, name, limit)
	}
	return buf.Bytes(), nil
}

package template

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
)

// Errors callers branch on.
var (
	// ErrMissingValue means the values lack something the design needs: the
	// serialNumber, or a placeholder's value (a *MissingValueError).
	ErrMissingValue = errors.New("template: missing value")
	// ErrUnknownField means the values set a field key, a barcode or a file
	// that the design does not have.
	ErrUnknownField = errors.New("template: not in the design")
	// ErrInvalidDesign means the design itself has validation errors; the
	// *pass.ValidationError is wrapped alongside.
	ErrInvalidDesign = errors.New("template: the design is not valid")
)

// MaxPkpassSize bounds the .pkpass files Open and LoadPkpass read a design
// from.
const MaxPkpassSize = 100 << 20

// designSerial stands in for an empty serialNumber when the design is
// validated at load: every pass gets its own.
const designSerial = "template"

// Template is a reusable pass design: a base pass, its files, and what is
// precomputed for the fast path. Build one with New, Load, LoadPkpass or
// Open. A Template is immutable and safe for concurrent use.
type Template struct {
	base   *pass.Pass
	assets *pass.Assets
	// static holds the prepared entries of every file but pass.json and the
	// files that change per pass, sorted by name.
	static []sign.Entry
	sites  []site
	fields map[string]fieldSite
	// strs holds the parsed pass.strings file of each language that has one.
	strs map[string]*stringsFile
	// dynamic lists the languages whose pass.strings holds placeholders.
	dynamic      []string
	placeholders []string
	warnings     []pass.Problem
	// splice is the design's pass.json cut where passes differ; nil when
	// the design does not allow it (see splice.go).
	splice *splice
	// signers caches the *sign.Signer of the identities used most recently,
	// by certificates and digest; see fastpath.go.
	signers signerCache
}

// stringsFile is a <lang>.lproj/pass.strings file of the design.
type stringsFile struct {
	name    string
	strings pass.Strings
	parts   map[string][]part // the keys whose text holds placeholders
}

// New makes a template of the design p with its files a (nil for none). It
// keeps p and a: do not modify them afterwards. The design is checked with
// pass.Validate, except the strings that hold placeholders and an empty
// serialNumber, which every pass fills; errors are reported as
// ErrInvalidDesign wrapping the *pass.ValidationError, placeholders that do
// not parse as an error naming their path.
func New(p *pass.Pass, a *pass.Assets) (*Template, error) {
	if p == nil {
		return nil, errors.New("template: no pass design")
	}
	if a == nil {
		a = &pass.Assets{}
	}
	t := &Template{base: p, assets: a, strs: map[string]*stringsFile{}}
	sc := &scan{fields: map[string]fieldSite{}}
	sc.walk(reflect.ValueOf(p).Elem(), nil, "")
	t.sites, t.fields = sc.sites, sc.fields
	names := map[string]bool{}
	for _, s := range t.sites {
		for _, pt := range s.parts {
			if pt.name != "" {
				names[pt.name] = true
			}
		}
	}
	for _, lang := range a.Languages() {
		name := pass.LocalizedName(lang, "pass.strings")
		if _, ok := a.Get(name); !ok {
			continue
		}
		strs, err := a.Strings(lang)
		if err != nil {
			return nil, fmt.Errorf("template: %s: %w", name, err)
		}
		sf := &stringsFile{name: name, strings: strs}
		for _, k := range slices.Sorted(maps.Keys(strs)) {
			parts, err := parsePlaceholders(strs[k])
			if err != nil {
				sc.errs = append(sc.errs, fmt.Sprintf("%s: %s: %v", name, k, err))
				continue
			}
			if parts != nil {
				if sf.parts == nil {
					sf.parts = map[string][]part{}
				}
				sf.parts[k] = parts
				for _, pt := range parts {
					if pt.name != "" {
						names[pt.name] = true
					}
				}
			}
		}
		t.strs[lang] = sf
		if sf.parts != nil {
			t.dynamic = append(t.dynamic, lang)
		}
	}
	if len(sc.errs) > 0 {
		return nil, fmt.Errorf("template: placeholders: %s", strings.Join(sc.errs, "; "))
	}
	t.placeholders = slices.Sorted(maps.Keys(names))

	if err := t.validateDesign(); err != nil {
		return nil, err
	}
	dyn := map[string]bool{}
	for _, lang := range t.dynamic {
		dyn[t.strs[lang].name] = true
	}
	for _, name := range a.Names() {
		if dyn[name] {
			continue
		}
		data, _ := a.Get(name)
		e, err := sign.PrepareEntry(name, data)
		if err != nil {
			return nil, fmt.Errorf("template: %s: %w", name, err)
		}
		t.static = append(t.static, e)
	}
	sort.Slice(t.static, func(i, j int) bool { return t.static[i].Name < t.static[j].Name })
	t.splice = t.newSplice()
	return t, nil
}

// validateDesign runs pass.Validate on the design, leaving out problems at
// paths that placeholders fill per pass.
func (t *Template) validateDesign() error {
	p := t.base
	if p.SerialNumber == "" {
		cp := *p
		cp.SerialNumber = designSerial
		p = &cp
	}
	err := p.Validate(t.assets)
	if err == nil {
		return nil
	}
	var ve *pass.ValidationError
	if !errors.As(err, &ve) {
		return fmt.Errorf("template: validating the design: %w", err)
	}
	var kept []pass.Problem
	for _, prob := range ve.Problems {
		if t.filledPerPass(prob.Path) {
			continue
		}
		if prob.Severity == pass.SeverityError {
			kept = append(kept, prob)
		} else {
			t.warnings = append(t.warnings, prob)
		}
	}
	if len(kept) > 0 {
		return fmt.Errorf("%w: %w", ErrInvalidDesign, &pass.ValidationError{Problems: kept})
	}
	return nil
}

// filledPerPass reports whether a problem path lies in a string that
// placeholders fill.
func (t *Template) filledPerPass(p string) bool {
	for _, s := range t.sites {
		if p == s.jsonPath || strings.HasPrefix(p, s.jsonPath+".") || strings.HasPrefix(p, s.jsonPath+"[") {
			return true
		}
	}
	for _, lang := range t.dynamic {
		if strings.HasPrefix(p, t.strs[lang].name) {
			return true
		}
	}
	return false
}

// Load reads a design in the .pass layout (pass.json, images, <lang>.lproj
// folders, personalization.json) from fsys, such as os.DirFS("Coffee.pass"),
// an embed.FS or a fstest.MapFS, and makes a template of it with New.
func Load(fsys fs.FS) (*Template, error) {
	p, a, err := pass.Load(fsys)
	if err != nil {
		return nil, fmt.Errorf("template: %w", err)
	}
	return New(p, a)
}

// LoadPkpass makes a template of the pass in an existing .pkpass of size
// bytes read from r. The archive must be readable (zip limits, safe paths, a
// pass.json that parses); its signature, manifest and certificate chain are
// not required to verify, since every issued pass is signed anew.
func LoadPkpass(r io.ReaderAt, size int64) (*Template, error) {
	if size > MaxPkpassSize {
		return nil, fmt.Errorf("template: .pkpass of %d bytes is larger than %d", size, MaxPkpassSize)
	}
	pkg, err := sign.Read(r, size, nil)
	if pkg == nil {
		return nil, fmt.Errorf("template: reading the .pkpass: %w", err)
	}
	for _, fatal := range []error{sign.ErrArchive, sign.ErrLimit, sign.ErrUnsafePath, sign.ErrPassJSON} {
		if errors.Is(err, fatal) {
			return nil, fmt.Errorf("template: reading the .pkpass: %w", err)
		}
	}
	if pkg.Pass == nil {
		return nil, fmt.Errorf("template: the .pkpass has no readable pass.json")
	}
	return New(pkg.Pass, pkg.Assets)
}

// Open makes a template from path: a folder in the .pass layout or a
// .pkpass file.
func Open(path string) (*Template, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("template: %w", err)
	}
	if fi.IsDir() {
		t, err := Load(os.DirFS(path))
		if err != nil {
			return nil, fmt.Errorf("%w (in %s)", err, path)
		}
		return t, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("template: %w", err)
	}
	defer f.Close()
	t, err := LoadPkpass(f, fi.Size())
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, path)
	}
	return t, nil
}

// PassTypeIdentifier returns the design's passTypeIdentifier, which the
// signing certificate's UID must match.
func (t *Template) PassTypeIdentifier() string {
	if !t.made() {
		return ""
	}
	return t.base.PassTypeIdentifier
}

// errNotMade is the error of the methods of a Template that none of its
// constructors made (a nil or zero-value Template).
var errNotMade = errors.New("template: the Template was not made by New, Load, LoadPkpass or Open")

// made reports whether t was made by a constructor.
func (t *Template) made() bool { return t != nil && t.base != nil }

// TeamIdentifier returns the design's teamIdentifier, which the signing
// certificate's OU must match.
func (t *Template) TeamIdentifier() string {
	if !t.made() {
		return ""
	}
	return t.base.TeamIdentifier
}

// Placeholders returns the names of the design's placeholders, sorted.
func (t *Template) Placeholders() []string {
	if t == nil {
		return nil
	}
	return slices.Clone(t.placeholders)
}

// FieldKeys returns the keys of the design's fields, sorted.
func (t *Template) FieldKeys() []string {
	if t == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(t.fields))
}

// Files returns the names of the design's files other than pass.json, sorted.
func (t *Template) Files() []string {
	if t == nil {
		return nil
	}
	return t.assets.Names()
}

// Warnings returns the validation warnings of the design found at load.
func (t *Template) Warnings() []pass.Problem {
	if t == nil {
		return nil
	}
	return slices.Clone(t.warnings)
}

// FieldValue converts text to a value for the field key, of the kind the
// design's value has: a number when the design's value is a number (text
// must then be a JSON number), a string otherwise. It reports ErrUnknownField
// when the design has no such field.
func (t *Template) FieldValue(key, text string) (pass.Value, error) {
	if !t.made() {
		return pass.Value{}, errNotMade
	}
	fs, ok := t.fields[key]
	if !ok {
		return pass.Value{}, fmt.Errorf("%w: no field with key %q", ErrUnknownField, key)
	}
	if fs.number {
		v, err := pass.NumberText(strings.TrimSpace(text))
		if err != nil {
			return pass.Value{}, fmt.Errorf("template: field %q (%s) is a number: %w", key, fs.jsonPath, err)
		}
		return v, nil
	}
	return pass.String(text), nil
}

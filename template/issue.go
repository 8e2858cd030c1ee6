package template

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
)

// Values are what one pass adds to the design. Only SerialNumber is
// required; the zero value of every other field leaves the design as it is.
// In JSON (one line of a .jsonl file) the keys are the JSON names below.
type Values struct {
	// SerialNumber is serialNumber, unique within the pass type. Required.
	SerialNumber string `json:"serialNumber"`
	// Fields sets the value of fields by key, in any group of the design.
	Fields map[string]pass.Value `json:"fields,omitempty"`
	// Placeholders fills the design's {{name}} placeholders, by name.
	Placeholders map[string]string `json:"placeholders,omitempty"`
	// BarcodeMessage sets message of every barcode of the design (barcodes
	// and the legacy barcode).
	BarcodeMessage string `json:"barcodeMessage,omitempty"`
	// BarcodeAltText sets altText of every barcode of the design.
	BarcodeAltText string `json:"barcodeAltText,omitempty"`
	// BackgroundColor, if not empty, replaces the design's backgroundColor for
	// this pass (rgb(r, g, b)); Validate checks it.
	BackgroundColor pass.Color `json:"backgroundColor,omitempty"`
	// ForegroundColor, if not empty, replaces the design's foregroundColor (the
	// colour of field values) for this pass.
	ForegroundColor pass.Color `json:"foregroundColor,omitempty"`
	// LabelColor, if not empty, replaces the design's labelColor (the colour of
	// field labels) for this pass.
	LabelColor pass.Color `json:"labelColor,omitempty"`
	// ExpirationDate, if not zero, replaces the design's expirationDate: after
	// it Wallet shows this pass as expired.
	ExpirationDate pass.Date `json:"expirationDate,omitzero"`
	// RelevantDate, if not zero, replaces the design's relevantDate (deprecated
	// since iOS 18; prefer RelevantDates).
	RelevantDate pass.Date `json:"relevantDate,omitzero"`
	// RelevantDates, if not nil, replaces the design's relevantDates (iOS
	// 18+): when this pass shows on the lock screen. An empty, non-nil slice
	// removes them.
	RelevantDates []pass.RelevantDate `json:"relevantDates,omitempty"`
	// Voided, if true, marks this pass voided: Wallet shows it as no longer
	// valid. False keeps the design's value.
	Voided bool `json:"voided,omitempty"`
	// Locations, if not nil, replaces the design's locations (at most 10
	// places near which this pass shows on the lock screen). An empty,
	// non-nil slice removes them.
	Locations []pass.Location `json:"locations,omitempty"`
	// UserInfo, if not nil, replaces the design's userInfo: data for your app,
	// never shown; use a JSON object.
	UserInfo json.RawMessage `json:"userInfo,omitempty"`
	// WebServiceURL, if not empty, replaces the design's webServiceURL, the
	// https base URL devices ask for updates of this pass.
	WebServiceURL string `json:"webServiceURL,omitempty"`
	// AuthenticationToken, if not empty, replaces the design's
	// authenticationToken (16 characters or more, secret, one per pass is best);
	// devices send it to the web service.
	AuthenticationToken string `json:"authenticationToken,omitempty"`
	// NFCMessage sets message of the nfc dictionary (added if the design has
	// none).
	NFCMessage string `json:"nfcMessage,omitempty"`
	// Images adds or replaces files of this pass by archive name, such as
	// "thumbnail.png" or "fr.lproj/thumbnail@2x.png" (a member photo).
	Images map[string][]byte `json:"images,omitempty"`
	// Localized adds or replaces entries of <lang>.lproj/pass.strings by
	// language, then by key.
	Localized map[string]pass.Strings `json:"localized,omitempty"`
}

// Build returns the pass and files that v makes of the design, validated:
// errors are sign.ErrInvalidPass wrapping the *pass.ValidationError. The
// pass shares what v does not change with the design: treat it as read-only.
func (t *Template) Build(v *Values) (*pass.Pass, *pass.Assets, error) {
	if !t.made() {
		return nil, nil, errNotMade
	}
	p, files, err := t.apply(v)
	if err != nil {
		return nil, nil, err
	}
	a := t.assets.Clone()
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := a.Set(name, files[name]); err != nil {
			return nil, nil, fmt.Errorf("template: pass %q: %w", v.SerialNumber, err)
		}
	}
	if err := validate(p, a); err != nil {
		return nil, nil, err
	}
	return p, a, nil
}

// Issue signs the pass that v makes of the design with id and writes the
// .pkpass to w. Only pass.json, the per-pass files, manifest.json and the
// signature are made; the design's other files are copied as prepared when
// the template was made. The pass is validated first (pass.json alone when v
// adds no files, with every file otherwise); opts.AllowInvalid signs it
// anyway. Its passTypeIdentifier and teamIdentifier must match id
// (sign.ErrIdentifierMismatch) and the certificate must be valid at the
// signing time (sign.ErrExpired, sign.ErrNotYetValid). opts may be nil.
//
// The signature is the one sign.Signature makes; its DER structure is built
// once per identity and digest and reused, so id must not be modified while
// the template uses it.
func (t *Template) Issue(w io.Writer, v *Values, id *sign.Identity, opts *sign.Options) error {
	if !t.made() {
		return errNotMade
	}
	_, entries, err := t.entries(v, opts != nil && opts.AllowInvalid)
	if err != nil {
		return err
	}
	return t.write(w, v.SerialNumber, entries, id, opts)
}

// IssueBytes is Issue into a new byte slice.
func (t *Template) IssueBytes(v *Values, id *sign.Identity, opts *sign.Options) ([]byte, error) {
	if !t.made() {
		return nil, errNotMade
	}
	var buf bytes.Buffer
	buf.Grow(t.size() + 8<<10)
	if err := t.Issue(&buf, v, id, opts); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// size is the stored size of the static files, a hint for buffers.
func (t *Template) size() int {
	n := 0
	for i := range t.static {
		n += len(t.static[i].Data) + 2*len(t.static[i].Name) + 76
	}
	return n
}

// entries applies v, validates the pass and returns it with its entries,
// sorted by name: the static ones and the per-pass files.
func (t *Template) entries(v *Values, allowInvalid bool) (*pass.Pass, []sign.Entry, error) {
	p, files, err := t.apply(v)
	if err != nil {
		return nil, nil, err
	}
	if len(files) == 0 {
		err = validate(p, nil)
	} else {
		a := t.assets.Clone()
		for _, name := range slices.Sorted(maps.Keys(files)) {
			if err := a.Set(name, files[name]); err != nil {
				return nil, nil, fmt.Errorf("template: pass %q: %w", v.SerialNumber, err)
			}
		}
		err = validate(p, a)
	}
	if err != nil && !allowInvalid {
		return nil, nil, err
	}
	var pj []byte
	if t.splice != nil && spliceable(v) {
		pj = t.splice.render(p)
	}
	if pj == nil {
		if pj, err = p.MarshalJSON(); err != nil {
			return nil, nil, fmt.Errorf("template: pass %q: encoding pass.json: %w", v.SerialNumber, err)
		}
	}
	// Per-pass files are made for one archive: sign stores the small ones.
	dynamic := make([]sign.Entry, 0, 1+len(files))
	e, err := sign.PrepareDynamicEntry(sign.PassJSONName, pj)
	if err != nil {
		return nil, nil, fmt.Errorf("template: pass %q: %w", v.SerialNumber, err)
	}
	dynamic = append(dynamic, e)
	for name, data := range files {
		e, err := sign.PrepareDynamicEntry(name, data)
		if err != nil {
			return nil, nil, fmt.Errorf("template: pass %q: %w", v.SerialNumber, err)
		}
		dynamic = append(dynamic, e)
	}
	return p, mergeEntries(t.static, dynamic), nil
}

// validate runs pass.Validate and reports errors (not warnings).
func validate(p *pass.Pass, a *pass.Assets) error {
	err := p.Validate(a)
	if err == nil {
		return nil
	}
	var ve *pass.ValidationError
	if errors.As(err, &ve) && !ve.HasErrors() {
		return nil
	}
	return fmt.Errorf("template: pass %q: %w: %w", p.SerialNumber, sign.ErrInvalidPass, err)
}

// apply makes the pass of v: a shallow copy of the design in which every
// changed pointer, slice and map is copied first. files holds the per-pass
// files (images and filled or localized pass.strings).
func (t *Template) apply(v *Values) (*pass.Pass, map[string][]byte, error) {
	if v == nil || v.SerialNumber == "" {
		return nil, nil, fmt.Errorf("%w: serialNumber is required", ErrMissingValue)
	}
	cp := *t.base
	p := &cp
	p.SerialNumber = v.SerialNumber
	root := reflect.ValueOf(p).Elem()

	for i := range t.sites {
		s := &t.sites[i]
		filled, missing, ok := "", "", false
		if s.kind == siteRaw {
			filled, missing, ok = fill(s.parts, v.Placeholders, jsonEscape)
		} else {
			filled, missing, ok = fill(s.parts, v.Placeholders, nil)
		}
		if !ok {
			if _, set := v.Fields[fieldKeyAt(t, s.jsonPath)]; set {
				continue // the field's value is replaced below
			}
			return nil, nil, &MissingValueError{SerialNumber: v.SerialNumber, Name: missing, Path: s.jsonPath}
		}
		kind := s.kind
		setPath(root, s.path, func(x reflect.Value) {
			switch kind {
			case siteValue:
				x.Set(reflect.ValueOf(pass.String(filled)))
			case siteRaw:
				x.SetBytes([]byte(filled))
			default:
				x.SetString(filled)
			}
		})
	}
	for _, key := range slices.Sorted(maps.Keys(v.Fields)) {
		fs, ok := t.fields[key]
		if !ok {
			return nil, nil, &unknownError{serial: v.SerialNumber, what: fmt.Sprintf("no field with key %q in the design", key)}
		}
		val := reflect.ValueOf(v.Fields[key])
		setPath(root, fs.path, func(x reflect.Value) { x.Set(val) })
	}
	if v.BarcodeMessage != "" || v.BarcodeAltText != "" {
		if len(p.Barcodes) == 0 && p.Barcode == nil {
			return nil, nil, &unknownError{serial: v.SerialNumber, what: "the values set a barcode and the design has none"}
		}
		set := func(bc *pass.Barcode) {
			if v.BarcodeMessage != "" {
				bc.Message = v.BarcodeMessage
			}
			if v.BarcodeAltText != "" {
				bc.AltText = v.BarcodeAltText
			}
		}
		if len(p.Barcodes) > 0 {
			p.Barcodes = slices.Clone(p.Barcodes)
			for i := range p.Barcodes {
				set(&p.Barcodes[i])
			}
		}
		if p.Barcode != nil {
			bc := *p.Barcode
			set(&bc)
			p.Barcode = &bc
		}
	}
	t.overrides(p, v)

	files, err := t.files(v)
	if err != nil {
		return nil, nil, err
	}
	return p, files, nil
}

// fieldKeyAt returns the key of the field whose value is at jsonPath, or "".
func fieldKeyAt(t *Template, jsonPath string) string {
	if !strings.HasSuffix(jsonPath, ".value") {
		return ""
	}
	for k, fs := range t.fields {
		if fs.jsonPath == jsonPath {
			return k
		}
	}
	return ""
}

// overrides applies the top-level values.
func (t *Template) overrides(p *pass.Pass, v *Values) {
	if v.BackgroundColor != "" {
		p.BackgroundColor = v.BackgroundColor
	}
	if v.ForegroundColor != "" {
		p.ForegroundColor = v.ForegroundColor
	}
	if v.LabelColor != "" {
		p.LabelColor = v.LabelColor
	}
	if !v.ExpirationDate.IsZero() {
		p.ExpirationDate = v.ExpirationDate
	}
	if !v.RelevantDate.IsZero() {
		p.RelevantDate = v.RelevantDate
	}
	if v.RelevantDates != nil {
		p.RelevantDates = v.RelevantDates
	}
	if v.Voided {
		p.Voided = true
	}
	if v.Locations != nil {
		p.Locations = v.Locations
	}
	if v.UserInfo != nil {
		p.UserInfo = v.UserInfo
	}
	if v.WebServiceURL != "" {
		p.WebServiceURL = v.WebServiceURL
	}
	if v.AuthenticationToken != "" {
		p.AuthenticationToken = v.AuthenticationToken
	}
	if v.NFCMessage != "" {
		n := pass.NFC{}
		if p.NFC != nil {
			n = *p.NFC
		}
		n.Message = v.NFCMessage
		p.NFC = &n
	}
}

// files returns the per-pass files of v: its images, and the pass.strings
// files that hold placeholders or that v localizes.
func (t *Template) files(v *Values) (map[string][]byte, error) {
	if len(v.Images) == 0 && len(v.Localized) == 0 && len(t.dynamic) == 0 {
		return nil, nil
	}
	files := make(map[string][]byte, len(v.Images)+len(t.dynamic)+len(v.Localized))
	for name, data := range v.Images {
		if !strings.HasSuffix(strings.ToLower(name), ".png") {
			return nil, &unknownError{serial: v.SerialNumber, what: fmt.Sprintf("per-pass file %q is not a .png image", name)}
		}
		files[name] = data
	}
	langs := slices.Clone(t.dynamic)
	for lang := range v.Localized {
		if !slices.Contains(langs, lang) {
			langs = append(langs, lang)
		}
	}
	for _, lang := range langs {
		out := pass.Strings{}
		name := pass.LocalizedName(lang, "pass.strings")
		if sf, ok := t.strs[lang]; ok {
			maps.Copy(out, sf.strings)
			for _, k := range slices.Sorted(maps.Keys(sf.parts)) {
				if _, set := v.Localized[lang][k]; set {
					continue
				}
				filled, missing, ok := fill(sf.parts[k], v.Placeholders, nil)
				if !ok {
					return nil, &MissingValueError{SerialNumber: v.SerialNumber, Name: missing, Path: name + ": " + k}
				}
				out[k] = filled
			}
		}
		maps.Copy(out, v.Localized[lang])
		files[name] = out.Encode()
	}
	return files, nil
}

// unknownError reports values that name something the design does not have.
// It is an ErrUnknownField.
type unknownError struct {
	serial, what string
}

func (e *unknownError) Error() string {
	return fmt.Sprintf("template: pass %q: %s", e.serial, e.what)
}

func (e *unknownError) Unwrap() error { return ErrUnknownField }

package template

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/passforge/passforge/internal/placeholder"
	"github.com/passforge/passforge/pass"
)

// part is a piece of a string with placeholders: a literal, or a placeholder
// name when name is not empty.
type part struct {
	lit  string
	name string
}

// parsePlaceholders splits s at its {{name}} placeholders. It returns nil
// parts when s holds none. Names are letters, digits, '_', '-' and '.',
// optionally surrounded by spaces inside the braces.
func parsePlaceholders(s string) ([]part, error) {
	if !strings.Contains(s, "{{") {
		return nil, nil
	}
	var parts []part
	rest := s
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			if rest != "" {
				parts = append(parts, part{lit: rest})
			}
			return parts, nil
		}
		if i > 0 {
			parts = append(parts, part{lit: rest[:i]})
		}
		end := strings.Index(rest[i+2:], "}}")
		if end < 0 {
			return nil, fmt.Errorf("unterminated placeholder %q", truncate(rest[i:], 40))
		}
		name := strings.TrimSpace(rest[i+2 : i+2+end])
		if !validPlaceholderName(name) {
			return nil, fmt.Errorf("bad placeholder name %q (letters, digits, '_', '-' and '.' only)", truncate(name, 40))
		}
		parts = append(parts, part{name: name})
		rest = rest[i+2+end+2:]
	}
}

// validPlaceholderName reports whether name is a placeholder name; the syntax
// is shared with pass.Validate, which reports placeholders left unfilled.
func validPlaceholderName(name string) bool { return placeholder.ValidName(name) }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// fill joins parts with the placeholder values in ph; escape, when not nil,
// transforms each value (JSON escaping inside raw JSON). It reports the first
// missing placeholder name.
func fill(parts []part, ph map[string]string, escape func(string) string) (string, string, bool) {
	n := 0
	for _, p := range parts {
		if p.name == "" {
			n += len(p.lit)
			continue
		}
		v, ok := ph[p.name]
		if !ok {
			return "", p.name, false
		}
		n += len(v)
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range parts {
		if p.name == "" {
			b.WriteString(p.lit)
			continue
		}
		v := ph[p.name]
		if escape != nil {
			v = escape(v)
		}
		b.WriteString(v)
	}
	return b.String(), "", true
}

// jsonEscape returns s escaped for the inside of a JSON string.
func jsonEscape(s string) string {
	q, _ := json.Marshal(s) // strings always marshal
	return string(q[1 : len(q)-1])
}

// stepKind is one move along a path into a pass.Pass.
type stepKind uint8

const (
	stepField stepKind = iota // struct field i
	stepElem                  // through a pointer
	stepIndex                 // slice element i
	stepKey                   // map value at key
)

type step struct {
	kind stepKind
	i    int
	key  string
}

// siteKind says how a placeholder site stores its string.
type siteKind uint8

const (
	siteString siteKind = iota // a string kind (string, pass.Color...)
	siteValue                  // a pass.Value holding a string
	siteRaw                    // a json.RawMessage: values are JSON-escaped
)

// site is a string of the design that holds placeholders.
type site struct {
	path     []step
	jsonPath string
	kind     siteKind
	parts    []part
}

var (
	valueType = reflect.TypeFor[pass.Value]()
	rawType   = reflect.TypeFor[json.RawMessage]()
	dateType  = reflect.TypeFor[pass.Date]()
	fieldType = reflect.TypeFor[pass.Field]()
)

// fieldSite is where a field's value lives, by field key.
type fieldSite struct {
	path     []step // to the pass.Value
	jsonPath string
	number   bool // the design's value is a number
}

// scan walks the design and records its placeholder sites and the path to
// every field value by key.
type scan struct {
	sites  []site
	fields map[string]fieldSite
	errs   []string
}

func (s *scan) walk(v reflect.Value, path []step, jp string) {
	t := v.Type()
	switch t {
	case valueType:
		val := v.Interface().(pass.Value)
		if val.IsString() {
			s.add(path, jp, siteValue, val.String())
		}
		return
	case rawType:
		s.add(path, jp, siteRaw, string(v.Bytes()))
		return
	case dateType:
		return
	}
	switch v.Kind() {
	case reflect.String:
		s.add(path, jp, siteString, v.String())
	case reflect.Pointer:
		if !v.IsNil() {
			s.walk(v.Elem(), appendStep(path, step{kind: stepElem}), jp)
		}
	case reflect.Struct:
		if t == fieldType {
			f := v.Interface().(pass.Field)
			if _, dup := s.fields[f.Key]; !dup && f.Key != "" {
				i, _ := t.FieldByName("Value")
				s.fields[f.Key] = fieldSite{
					path:     appendStep(path, step{kind: stepField, i: i.Index[0]}),
					jsonPath: jp + ".value",
					number:   f.Value.IsNumber(),
				}
			}
		}
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "-" {
				name = "" // Extra: its keys are the names
			} else if name == "" {
				name = sf.Name
			}
			s.walk(v.Field(i), appendStep(path, step{kind: stepField, i: i}), joinPath(jp, name))
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return
		}
		for i := 0; i < v.Len(); i++ {
			s.walk(v.Index(i), appendStep(path, step{kind: stepIndex, i: i}), jp+"["+strconv.Itoa(i)+"]")
		}
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return
		}
		keys := make([]string, 0, v.Len())
		for _, k := range v.MapKeys() {
			keys = append(keys, k.String())
		}
		sort.Strings(keys)
		for _, k := range keys {
			s.walk(v.MapIndex(reflect.ValueOf(k).Convert(t.Key())), appendStep(path, step{kind: stepKey, key: k}), joinPath(jp, k))
		}
	}
}

func (s *scan) add(path []step, jp string, kind siteKind, str string) {
	parts, err := parsePlaceholders(str)
	if err != nil {
		s.errs = append(s.errs, jp+": "+err.Error())
		return
	}
	if parts != nil {
		s.sites = append(s.sites, site{path: path, jsonPath: jp, kind: kind, parts: parts})
	}
}

func appendStep(path []step, st step) []step {
	out := make([]step, len(path), len(path)+1)
	copy(out, path)
	return append(out, st)
}

func joinPath(jp, name string) string {
	switch {
	case name == "":
		return jp
	case jp == "":
		return name
	}
	return jp + "." + name
}

// setPath replaces the value at path under v (addressable), copying every
// pointer, slice and map on the way so that the design is never modified:
// v is a shallow copy of the design's pass. set receives an addressable
// value to change.
func setPath(v reflect.Value, path []step, set func(reflect.Value)) {
	if len(path) == 0 {
		set(v)
		return
	}
	st := path[0]
	switch st.kind {
	case stepField:
		setPath(v.Field(st.i), path[1:], set)
	case stepElem:
		cp := reflect.New(v.Type().Elem())
		cp.Elem().Set(v.Elem())
		v.Set(cp)
		setPath(cp.Elem(), path[1:], set)
	case stepIndex:
		cp := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(cp, v)
		v.Set(cp)
		setPath(cp.Index(st.i), path[1:], set)
	case stepKey:
		cp := reflect.MakeMapWithSize(v.Type(), v.Len())
		iter := v.MapRange()
		for iter.Next() {
			cp.SetMapIndex(iter.Key(), iter.Value())
		}
		v.Set(cp)
		key := reflect.ValueOf(st.key).Convert(v.Type().Key())
		elem := reflect.New(v.Type().Elem()).Elem()
		elem.Set(cp.MapIndex(key))
		setPath(elem, path[1:], set)
		cp.SetMapIndex(key, elem)
	}
}

// MissingValueError reports a placeholder of the design that the values do
// not fill.
type MissingValueError struct {
	// SerialNumber is the serialNumber of the pass being issued.
	SerialNumber string
	// Name is the placeholder's name, as in {{Name}}.
	Name string
	// Path is where the placeholder is used: a JSON path into pass.json
	// ("storeCard.secondaryFields[0].value") or a pass.strings file and key
	// ("fr.lproj/pass.strings: member").
	Path string
}

// Error names the placeholder and where it is used.
func (e *MissingValueError) Error() string {
	return fmt.Sprintf("template: pass %q: no value for placeholder {{%s}} (used at %s)", e.SerialNumber, e.Name, e.Path)
}

// Is reports that a *MissingValueError is an ErrMissingValue.
func (e *MissingValueError) Is(target error) bool { return target == ErrMissingValue }

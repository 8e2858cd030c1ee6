package pass

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// This file holds the one reflection-based engine behind every MarshalJSON and UnmarshalJSON of the model's
// dictionaries (the structs with an Extra map): keys in declaration order with Apple's names, unset keys absent,
// then the Extra keys sorted; on reading, exact (case-sensitive) key matches, unknown keys kept in Extra, and the
// lenient coercions described at Parse.

// structField describes one JSON key of a model struct.
type structField struct {
	index     int
	name      string
	quoted    []byte // `"name":`
	omitEmpty bool
	omitZero  bool
	zeroer    bool     // the field's type has an IsZero method
	class     encClass // how appendJSON writes the field
}

// structInfo describes a model struct: its keys in declaration order and the index of its Extra map (-1 if none).
type structInfo struct {
	fields []structField
	byName map[string]int // key → position in fields
	extra  int
}

var (
	structInfoCache sync.Map // reflect.Type → *structInfo
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
	extraType       = reflect.TypeFor[map[string]json.RawMessage]()
	valueType       = reflect.TypeFor[Value]()
	dateType        = reflect.TypeFor[Date]()
	isZeroerType    = reflect.TypeFor[interface{ IsZero() bool }]()
	marshalerType   = reflect.TypeFor[json.Marshaler]()
)

func infoOf(t reflect.Type) *structInfo {
	if si, ok := structInfoCache.Load(t); ok {
		return si.(*structInfo)
	}
	si := &structInfo{byName: map[string]int{}, extra: -1}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		if f.Name == "Extra" && f.Type == extraType {
			si.extra = i
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		q, _ := json.Marshal(name)
		sf := structField{index: i, name: name, quoted: append(q, ':'), zeroer: f.Type.Implements(isZeroerType)}
		for _, o := range strings.Split(opts, ",") {
			switch o {
			case "omitempty":
				sf.omitEmpty = true
			case "omitzero":
				sf.omitZero = true
			}
		}
		sf.class = classOf(f.Type)
		si.byName[name] = len(si.fields)
		si.fields = append(si.fields, sf)
	}
	actual, _ := structInfoCache.LoadOrStore(t, si)
	return actual.(*structInfo)
}

// isEmpty reports whether v is empty in the sense of encoding/json's omitempty.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}

// isZero reports whether v is zero in the sense of encoding/json's omitzero: its IsZero method when it has one
// (zeroer).
func isZero(v reflect.Value, zeroer bool) bool {
	if zeroer {
		if v.CanAddr() { // a pointer boxes without copying the value
			return v.Addr().Interface().(interface{ IsZero() bool }).IsZero()
		}
		return v.Interface().(interface{ IsZero() bool }).IsZero()
	}
	return v.IsZero()
}

// encClass is how appendJSON writes a type; classOf caches it per type.
type encClass uint8

const (
	encOther encClass = iota // through encoding/json
	encRaw                   // json.RawMessage
	encDict                  // a model dictionary (struct with Extra)
	encSelf                  // a type whose MarshalJSON writes compact, escaped JSON (Value, Date, Color)
	encString
	encBool
	encInt
	encUint
	encFloat
	encPointer
	encSlice
)

var classCache sync.Map // reflect.Type → encClass

func classOf(t reflect.Type) encClass {
	if c, ok := classCache.Load(t); ok {
		return c.(encClass)
	}
	c := encOther
	switch {
	case t == rawMessageType:
		c = encRaw
	case t.Kind() == reflect.Pointer:
		c = encPointer
	case t.Kind() == reflect.Struct && infoOf(t).extra >= 0:
		c = encDict
	case t.Implements(marshalerType):
		if t == valueType || t == dateType || t.Kind() == reflect.String {
			c = encSelf
		}
	default:
		switch t.Kind() {
		case reflect.String:
			c = encString
		case reflect.Bool:
			c = encBool
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			c = encInt
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			c = encUint
		case reflect.Float32, reflect.Float64:
			c = encFloat
		case reflect.Slice:
			if t.Elem().Kind() != reflect.Uint8 {
				c = encSlice
			}
		}
	}
	classCache.Store(t, c)
	return c
}

// marshalStruct writes the model struct v (of a type with an Extra map) as a JSON object.
func marshalStruct(v reflect.Value) ([]byte, error) {
	return appendStruct(make([]byte, 0, 512), v)
}

// appendStruct appends the model struct v as a JSON object: known keys in declaration order, then Extra sorted.
func appendStruct(buf []byte, v reflect.Value) ([]byte, error) {
	si := infoOf(v.Type())
	buf = append(buf, '{')
	first := true
	for i := range si.fields {
		f := &si.fields[i]
		fv := v.Field(f.index)
		if (f.omitEmpty && isEmpty(fv)) || (f.omitZero && isZero(fv, f.zeroer)) {
			continue
		}
		if !first {
			buf = append(buf, ',')
		}
		first = false
		buf = append(buf, f.quoted...)
		if f.class == encSlice && fv.IsNil() {
			buf = append(buf, "[]"...) // a required array (no omitempty) is never written as null
			continue
		}
		var err error
		if buf, err = appendClass(buf, fv, f.class); err != nil {
			return nil, fmt.Errorf("pass: %s: %w", f.name, unprefix(err))
		}
	}
	if si.extra >= 0 {
		extra := v.Field(si.extra).Interface().(map[string]json.RawMessage)
		keys := make([]string, 0, len(extra))
		for k := range extra {
			if _, known := si.byName[k]; known {
				return nil, fmt.Errorf("pass: Extra key %q of %s is a known key; set the field instead", k, v.Type().Name())
			}
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !first {
				buf = append(buf, ',')
			}
			first = false
			buf = appendString(buf, k)
			buf = append(buf, ':')
			raw := extra[k]
			if len(bytes.TrimSpace(raw)) == 0 {
				return nil, fmt.Errorf("pass: Extra key %q of %s holds no JSON value", k, v.Type().Name())
			}
			b, err := json.Marshal(raw) // compacts and validates
			if err != nil {
				return nil, fmt.Errorf("pass: Extra key %q of %s is not valid JSON: %w", k, v.Type().Name(), unprefix(err))
			}
			buf = append(buf, b...)
		}
	}
	return append(buf, '}'), nil
}

// appendJSON appends the JSON encoding of v, byte for byte what encoding/json.Marshal writes, without going
// through encoding/json for the model's own types (which would re-compact the output at every level).
func appendJSON(buf []byte, v reflect.Value) ([]byte, error) {
	return appendClass(buf, v, classOf(v.Type()))
}

// appendClass is appendJSON for a value whose class is known.
func appendClass(buf []byte, v reflect.Value, class encClass) ([]byte, error) {
	switch class {
	case encRaw:
		if v.Len() == 0 {
			return append(buf, "null"...), nil
		}
		b, err := json.Marshal(json.RawMessage(v.Bytes())) // compacts and validates
		if err != nil {
			return nil, err
		}
		return append(buf, b...), nil
	case encDict:
		return appendStruct(buf, v)
	case encSelf:
		m := v.Interface
		if v.CanAddr() {
			m = v.Addr().Interface
		}
		b, err := m().(json.Marshaler).MarshalJSON()
		if err != nil {
			return nil, err
		}
		return append(buf, b...), nil
	case encString:
		return appendString(buf, v.String()), nil
	case encBool:
		return strconv.AppendBool(buf, v.Bool()), nil
	case encInt:
		return strconv.AppendInt(buf, v.Int(), 10), nil
	case encUint:
		return strconv.AppendUint(buf, v.Uint(), 10), nil
	case encFloat:
		return appendFloat(buf, v.Float(), v.Type().Bits())
	case encPointer:
		if v.IsNil() {
			return append(buf, "null"...), nil
		}
		return appendJSON(buf, v.Elem())
	case encSlice:
		if v.IsNil() {
			return append(buf, "null"...), nil
		}
		buf = append(buf, '[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				buf = append(buf, ',')
			}
			var err error
			if buf, err = appendJSON(buf, v.Index(i)); err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
		}
		return append(buf, ']'), nil
	}
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return nil, err
	}
	return append(buf, b...), nil
}

// appendFloat writes f as encoding/json does: no exponent for ordinary magnitudes, a short exponent otherwise.
func appendFloat(buf []byte, f float64, bits int) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, fmt.Errorf("unsupported value: %s", strconv.FormatFloat(f, 'g', -1, bits))
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	buf = strconv.AppendFloat(buf, f, format, -1, bits)
	if format == 'e' {
		// Clean up e-09 to e-9, as encoding/json does.
		if n := len(buf); n >= 4 && buf[n-4] == 'e' && buf[n-3] == '-' && buf[n-2] == '0' {
			buf[n-2] = buf[n-1]
			buf = buf[:n-1]
		}
	}
	return buf, nil
}

// appendString appends s as a JSON string, byte-for-byte what encoding/json.Marshal writes.
func appendString(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s)
			return append(buf, b...)
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}

// unprefix removes a leading "pass: " (and the "json: " of encoding/json) so that wrapped messages do not repeat it.
func unprefix(err error) error {
	msg := err.Error()
	for _, p := range []string{"pass: ", "json: "} {
		if strings.HasPrefix(msg, p) {
			return &wrapped{msg: strings.TrimPrefix(msg, p), err: err}
		}
	}
	return err
}

type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.err }

// unmarshalStruct reads the JSON object b into the model struct pointed to by ptr, leniently (see Parse). It is
// the body of every model UnmarshalJSON method.
func unmarshalStruct(b []byte, ptr any) error {
	if err := validJSON(b); err != nil {
		return err
	}
	return decodeValue(b, reflect.ValueOf(ptr).Elem(), "")
}

// The model dictionaries' JSON methods, all delegating to the engine above.

// MarshalJSON writes the pass as pass.json: Apple's key names in declaration order, unset keys absent, then the
// Extra keys sorted. The same pass always gives the same bytes.
func (p Pass) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&p).Elem()) }

// UnmarshalJSON reads pass.json leniently (see Parse, which also strips a BOM and trailing commas and applies
// size limits), keeping unknown keys in Extra.
func (p *Pass) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, p) }

// MarshalJSON writes the entry with Apple's key names, unset keys absent and Extra keys last.
func (r RelevantDate) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&r).Elem()) }

// UnmarshalJSON reads the entry leniently, keeping unknown keys in Extra.
func (r *RelevantDate) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, r) }

// MarshalJSON writes the location with Apple's key names, unset keys absent and Extra keys last.
func (l Location) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&l).Elem()) }

// UnmarshalJSON reads the location leniently, keeping unknown keys in Extra.
func (l *Location) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, l) }

// MarshalJSON writes the beacon with Apple's key names, unset keys absent and Extra keys last.
func (bc Beacon) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&bc).Elem()) }

// UnmarshalJSON reads the beacon leniently, keeping unknown keys in Extra.
func (bc *Beacon) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, bc) }

// MarshalJSON writes the nfc dictionary with Apple's key names, unset keys absent and Extra keys last.
func (n NFC) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&n).Elem()) }

// UnmarshalJSON reads the nfc dictionary leniently, keeping unknown keys in Extra.
func (n *NFC) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, n) }

// MarshalJSON writes the featured action with Apple's key names, unset keys absent and Extra keys last.
func (f FeaturedAction) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&f).Elem())
}

// UnmarshalJSON reads the featured action leniently, keeping unknown keys in Extra.
func (f *FeaturedAction) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, f) }

// MarshalJSON writes the barcode with Apple's key names, unset keys absent and Extra keys last.
func (bc Barcode) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&bc).Elem()) }

// UnmarshalJSON reads the barcode leniently, keeping unknown keys in Extra.
func (bc *Barcode) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, bc) }

// MarshalJSON writes the style dictionary with Apple's key names, unset keys absent and Extra keys last.
func (pf PassFields) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&pf).Elem()) }

// UnmarshalJSON reads the style dictionary leniently, keeping unknown keys in Extra.
func (pf *PassFields) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, pf) }

// MarshalJSON writes the field with Apple's key names, unset keys absent and Extra keys last.
func (f Field) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&f).Elem()) }

// UnmarshalJSON reads the field leniently, keeping unknown keys in Extra.
func (f *Field) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, f) }

// MarshalJSON writes the semantic tags with Apple's key names, unset keys absent and Extra keys last.
func (s Semantics) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&s).Elem()) }

// UnmarshalJSON reads the semantic tags leniently, keeping unknown keys in Extra.
func (s *Semantics) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, s) }

// MarshalJSON writes the amount with Apple's key names and Extra keys last.
func (c CurrencyAmount) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&c).Elem())
}

// UnmarshalJSON reads the amount leniently (a JSON number amount becomes its text), keeping unknown keys.
func (c *CurrencyAmount) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, c) }

// MarshalJSON writes the location with Apple's key names and Extra keys last.
func (l SemanticLocation) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&l).Elem())
}

// UnmarshalJSON reads the location leniently, keeping unknown keys in Extra.
func (l *SemanticLocation) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, l) }

// MarshalJSON writes the name with Apple's key names, unset keys absent and Extra keys last.
func (n PersonNameComponents) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&n).Elem())
}

// UnmarshalJSON reads the name leniently, keeping unknown keys in Extra.
func (n *PersonNameComponents) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, n) }

// MarshalJSON writes the seat with Apple's key names, unset keys absent and Extra keys last.
func (s Seat) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&s).Elem()) }

// UnmarshalJSON reads the seat leniently, keeping unknown keys in Extra.
func (s *Seat) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, s) }

// MarshalJSON writes the date information with Apple's key names, unset keys absent and Extra keys last.
func (e EventDateInfo) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&e).Elem())
}

// UnmarshalJSON reads the date information leniently, keeping unknown keys in Extra.
func (e *EventDateInfo) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, e) }

// MarshalJSON writes the network with Apple's key names, unset keys absent and Extra keys last.
func (w WifiNetwork) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&w).Elem()) }

// UnmarshalJSON reads the network leniently, keeping unknown keys in Extra.
func (w *WifiNetwork) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, w) }

// MarshalJSON writes the entry with Apple's key names, unset keys absent and Extra keys last.
func (u UpcomingPassInformationEntry) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&u).Elem())
}

// UnmarshalJSON reads the entry leniently, keeping unknown keys in Extra.
func (u *UpcomingPassInformationEntry) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, u) }

// MarshalJSON writes the date information with Apple's key names, unset keys absent and Extra keys last.
func (u UpcomingDateInformation) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&u).Elem())
}

// UnmarshalJSON reads the date information leniently, keeping unknown keys in Extra.
func (u *UpcomingDateInformation) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, u) }

// MarshalJSON writes the URLs dictionary with Apple's key names, unset keys absent and Extra keys last.
func (u UpcomingURLs) MarshalJSON() ([]byte, error) { return marshalStruct(reflect.ValueOf(&u).Elem()) }

// UnmarshalJSON reads the URLs dictionary leniently, keeping unknown keys in Extra.
func (u *UpcomingURLs) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, u) }

// MarshalJSON writes the images dictionary with Apple's key names, unset keys absent and Extra keys last.
func (u UpcomingImages) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&u).Elem())
}

// UnmarshalJSON reads the images dictionary leniently, keeping unknown keys in Extra.
func (u *UpcomingImages) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, u) }

// MarshalJSON writes the image with Apple's key names, unset keys absent and Extra keys last.
func (u UpcomingImage) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&u).Elem())
}

// UnmarshalJSON reads the image leniently, keeping unknown keys in Extra.
func (u *UpcomingImage) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, u) }

// MarshalJSON writes the entry with Apple's key names, unset keys absent and Extra keys last.
func (e ImageURLEntry) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&e).Elem())
}

// UnmarshalJSON reads the entry leniently, keeping unknown keys in Extra.
func (e *ImageURLEntry) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, e) }

// MarshalJSON writes personalization.json with Apple's key names, unset keys absent and Extra keys last.
func (p Personalization) MarshalJSON() ([]byte, error) {
	return marshalStruct(reflect.ValueOf(&p).Elem())
}

// UnmarshalJSON reads personalization.json leniently, keeping unknown keys in Extra.
func (p *Personalization) UnmarshalJSON(b []byte) error { return unmarshalStruct(b, p) }

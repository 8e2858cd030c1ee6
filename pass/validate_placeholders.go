package pass

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/passforge/passforge/internal/placeholder"
)

// walkStep is one step of the JSON path of the value being walked: a key, or an index when key is empty.
type walkStep struct {
	key string
	i   int
}

// walker walks every string and date of a pass the way MarshalJSON writes it. It keeps the path as a stack of
// steps and builds the path text only for a problem, so that a clean pass costs no allocation per key.
type walker struct {
	v    *validator
	path []walkStep
}

func (w *walker) push(key string, i int) { w.path = append(w.path, walkStep{key, i}) }
func (w *walker) pop()                   { w.path = w.path[:len(w.path)-1] }

// pathString returns the JSON path of the current value: "storeCard.primaryFields[0].value".
func (w *walker) pathString() string {
	var b strings.Builder
	for _, s := range w.path {
		if s.key == "" {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.i))
			b.WriteByte(']')
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(pathKey(s.key))
	}
	return b.String()
}

// placeholders reports every string of pass.json that still holds a template placeholder ({{name}}, the syntax
// of package template): Wallet would show the braces to the holder. It walks the model the way MarshalJSON
// writes it, Extra and raw JSON (userInfo) included, so the path is the one in the written file. On the way it
// reports every Date read with a ±hhmm offset (the date-offset rule), wherever the model holds one.
func (v *validator) placeholders() {
	w := &walker{v: v, path: make([]walkStep, 0, 8)}
	w.walk(reflect.ValueOf(v.p).Elem())
}

// placeholderString reports s at path when it holds a placeholder.
func (v *validator) placeholderString(path func() string, s string) {
	if !strings.Contains(s, "{{") {
		return
	}
	if text, _, ok := placeholder.First(s); ok {
		v.errorf(path(), ruleUnreplacedPlaceholder, "the string still holds the template placeholder %q; Wallet would show it as written", text)
	}
}

// walk visits rv, which is addressable (the pass is reached through a pointer) except under a map.
func (w *walker) walk(rv reflect.Value) {
	t := rv.Type()
	switch t {
	case valueType:
		val := addrOf[Value](rv)
		if val.kind == valueString {
			w.v.placeholderString(w.pathString, val.text)
		}
		return
	case dateType:
		if d := addrOf[Date](rv); d.compact != "" {
			w.v.dateOffset(w.pathString(), d.compact)
		}
		return // a date that does not parse is reported by the date rule
	case rawMessageType:
		w.raw(rv.Bytes())
		return
	}
	switch rv.Kind() {
	case reflect.String:
		w.v.placeholderString(w.pathString, rv.String())
	case reflect.Pointer:
		if !rv.IsNil() {
			w.walk(rv.Elem())
		}
	case reflect.Struct:
		si := infoOf(t)
		for _, i := range textFieldsOf(t, si) {
			f := &si.fields[i]
			fv := rv.Field(f.index)
			if fv.IsZero() {
				continue
			}
			w.push(f.name, 0)
			w.walk(fv)
			w.pop()
		}
		if si.extra >= 0 {
			extra := rv.Field(si.extra)
			if extra.Len() > 0 {
				m := extra.Interface().(map[string]json.RawMessage)
				for _, k := range sortedKeys(m) {
					w.push(k, 0)
					w.raw(m[k])
					w.pop()
				}
			}
		}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 || t.Elem().Kind() == reflect.Int64 {
			return
		}
		for i := 0; i < rv.Len(); i++ {
			w.push("", i)
			w.walk(rv.Index(i))
			w.pop()
		}
	case reflect.Map:
		if t.Key().Kind() != reflect.String || rv.Len() == 0 {
			return
		}
		keys := make([]string, 0, rv.Len())
		for _, k := range rv.MapKeys() {
			keys = append(keys, k.String())
		}
		sort.Strings(keys)
		for _, k := range keys {
			w.push(k, 0)
			w.walk(rv.MapIndex(reflect.ValueOf(k).Convert(t.Key())))
			w.pop()
		}
	}
}

var textFieldsCache sync.Map // reflect.Type → []int

// textFieldsOf returns the positions in si.fields of the keys of struct type t that can hold text (a string,
// Value, Date or raw JSON, directly or inside), so that walk skips numbers and booleans without looking.
func textFieldsOf(t reflect.Type, si *structInfo) []int {
	if x, ok := textFieldsCache.Load(t); ok {
		return x.([]int)
	}
	var out []int
	for i := range si.fields {
		if holdsText(t.Field(si.fields[i].index).Type, map[reflect.Type]bool{}) {
			out = append(out, i)
		}
	}
	textFieldsCache.Store(t, out)
	return out
}

// holdsText reports whether a value of type t can hold a string; seen stops recursive types.
func holdsText(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == valueType || t == dateType || t == rawMessageType {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.String:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return holdsText(t.Elem(), seen)
	case reflect.Map:
		return t.Key().Kind() == reflect.String && holdsText(t.Elem(), seen)
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if f := t.Field(i); f.IsExported() && holdsText(f.Type, seen) {
				return true
			}
		}
	}
	return false
}

// addrOf returns the T that rv holds, through its address when it has one (no copy to the heap).
func addrOf[T any](rv reflect.Value) *T {
	if rv.CanAddr() {
		return rv.Addr().Interface().(*T)
	}
	x := rv.Interface().(T)
	return &x
}

// raw walks raw JSON (userInfo, unknown keys) for strings with placeholders; it decodes only text that holds
// "{{".
func (w *walker) raw(raw []byte) {
	if !bytes.Contains(raw, []byte("{{")) {
		return
	}
	var x any
	if json.Unmarshal(raw, &x) != nil {
		return // not JSON: the reader or another rule reports it
	}
	w.any(x)
}

func (w *walker) any(x any) {
	switch x := x.(type) {
	case string:
		w.v.placeholderString(w.pathString, x)
	case []any:
		for i, e := range x {
			w.push("", i)
			w.any(e)
			w.pop()
		}
	case map[string]any:
		for _, k := range sortedKeys(x) {
			w.push(k, 0)
			w.any(x[k])
			w.pop()
		}
	}
}

package template

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"

	"github.com/passforge/passforge/pass"
)

// Encoding pass.json is the largest part of a pass after the signature and
// the copy of the static files: pass.Pass.MarshalJSON walks the whole
// struct by reflection. Most passes of a batch differ from the design only
// in a few strings (serialNumber, field values, barcode messages, filled
// placeholders), so the design is encoded once with a marker in each of
// those places and cut there; per pass, the segments are joined with the
// pass's own values. The result is byte for byte what MarshalJSON writes
// (tests compare both); passes that change anything else (top-level
// overrides, altText, an empty string) are encoded with MarshalJSON.

// splice is pass.json of the design cut at the strings that change per pass.
type splice struct {
	segs  [][]byte // len(slots)+1 pieces of the design's pass.json
	slots []slot
	size  int
}

// slot is a JSON string or field value of pass.json that changes per pass.
type slot struct {
	path  []step // from the pass.Pass to the string or pass.Value
	value bool   // a pass.Value, written with its MarshalJSON
}

var stringType = reflect.TypeFor[string]()

// newSplice cuts the design's pass.json, or returns nil when the design has
// placeholders the splice cannot handle (in raw JSON such as userInfo, or in
// typed strings such as colours, which pass.json normalizes).
func (t *Template) newSplice() *splice {
	var marker [8]byte
	if _, err := rand.Read(marker[:]); err != nil {
		return nil
	}
	prefix := "pfslot" + hex.EncodeToString(marker[:]) + "x"
	probe := *t.base
	root := reflect.ValueOf(&probe).Elem()
	var slots []slot
	seen := map[string]bool{}
	add := func(jsonPath string, path []step, value bool) bool {
		if seen[jsonPath] {
			return true
		}
		seen[jsonPath] = true
		name := prefix + strconv.Itoa(len(slots))
		ok := true
		setPath(root, path, func(x reflect.Value) {
			switch {
			case value:
				x.Set(reflect.ValueOf(pass.String(name)))
			case x.Type() == stringType:
				x.SetString(name)
			default:
				ok = false
			}
		})
		slots = append(slots, slot{path: path, value: value})
		return ok
	}
	serial, _ := root.Type().FieldByName("SerialNumber")
	add("serialNumber", []step{{kind: stepField, i: serial.Index[0]}}, false)
	for _, s := range t.sites {
		if s.kind == siteRaw || !add(s.jsonPath, s.path, s.kind == siteValue) {
			return nil
		}
	}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range t.fields {
			if !yield(k) {
				return
			}
		}
	}) {
		fs := t.fields[k]
		add(fs.jsonPath, fs.path, true)
	}
	barcodes, _ := root.Type().FieldByName("Barcodes")
	barcode, _ := root.Type().FieldByName("Barcode")
	message, _ := reflect.TypeFor[pass.Barcode]().FieldByName("Message")
	for i := range t.base.Barcodes {
		add("barcodes["+strconv.Itoa(i)+"].message", []step{{kind: stepField, i: barcodes.Index[0]}, {kind: stepIndex, i: i}, {kind: stepField, i: message.Index[0]}}, false)
	}
	if t.base.Barcode != nil {
		add("barcode.message", []step{{kind: stepField, i: barcode.Index[0]}, {kind: stepElem}, {kind: stepField, i: message.Index[0]}}, false)
	}
	design, err := probe.MarshalJSON()
	if err != nil {
		return nil
	}
	// Find each marker, as a whole JSON string, exactly once.
	type cut struct {
		at, end int
		slot    slot
	}
	cuts := make([]cut, 0, len(slots))
	for i, sl := range slots {
		quoted := []byte(`"` + prefix + strconv.Itoa(i) + `"`)
		at := bytes.Index(design, quoted)
		if at < 0 || bytes.Contains(design[at+1:], quoted) {
			return nil
		}
		cuts = append(cuts, cut{at: at, end: at + len(quoted), slot: sl})
	}
	if bytes.Count(design, []byte(prefix)) != len(slots) {
		return nil
	}
	slices.SortFunc(cuts, func(a, b cut) int { return a.at - b.at })
	sp := &splice{}
	prev := 0
	for _, c := range cuts {
		sp.segs = append(sp.segs, design[prev:c.at])
		sp.slots = append(sp.slots, c.slot)
		prev = c.end
	}
	sp.segs = append(sp.segs, design[prev:])
	for _, s := range sp.segs {
		sp.size += len(s)
	}
	return sp
}

// spliceable reports whether v changes pass.json only in the slots.
func spliceable(v *Values) bool {
	return v.BarcodeAltText == "" && v.BackgroundColor == "" && v.ForegroundColor == "" && v.LabelColor == "" &&
		v.ExpirationDate.IsZero() && v.RelevantDate.IsZero() && v.RelevantDates == nil && !v.Voided && v.Locations == nil &&
		v.UserInfo == nil && v.WebServiceURL == "" && v.AuthenticationToken == "" && v.NFCMessage == ""
}

// render returns pass.json of p, which differs from the design only in the
// slots, or nil when a slot holds an empty string (an omitempty key that
// MarshalJSON would leave out).
func (sp *splice) render(p *pass.Pass) []byte {
	root := reflect.ValueOf(p).Elem()
	out := make([]byte, 0, sp.size+64*len(sp.slots))
	for i, sl := range sp.slots {
		out = append(out, sp.segs[i]...)
		v := getPath(root, sl.path)
		if sl.value {
			val := v.Interface().(pass.Value)
			if val.IsZero() || (val.IsString() && val.String() == "") {
				return nil
			}
			b, err := val.MarshalJSON()
			if err != nil {
				return nil
			}
			out = append(out, b...)
			continue
		}
		s := v.String()
		if s == "" {
			return nil
		}
		out = appendJSONString(out, s)
	}
	return append(out, sp.segs[len(sp.slots)]...)
}

// getPath returns the value at path under v, without copying.
func getPath(v reflect.Value, path []step) reflect.Value {
	for _, st := range path {
		switch st.kind {
		case stepField:
			v = v.Field(st.i)
		case stepElem:
			v = v.Elem()
		case stepIndex:
			v = v.Index(st.i)
		case stepKey:
			v = v.MapIndex(reflect.ValueOf(st.key).Convert(v.Type().Key()))
		}
	}
	return v
}

// appendJSONString appends s as a JSON string, byte for byte what
// encoding/json (and so package pass) writes.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // strings always marshal
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

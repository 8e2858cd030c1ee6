package pass

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits of the lenient reader. They bound what a hostile pass.json can make Parse allocate.
const (
	// MaxPassJSONSize is the largest pass.json Parse and Load accept, in bytes (4 MiB; real passes are a few KB).
	MaxPassJSONSize = 4 << 20
	// MaxPassJSONDepth is the deepest nesting of objects and arrays Parse accepts.
	MaxPassJSONDepth = 64
)

var (
	// ErrTooLarge is wrapped by the errors of Parse, Load, ParseStrings and Assets methods when an input is over
	// one of the package's size or count limits.
	ErrTooLarge = errors.New("pass: input too large")
	// ErrTooDeep is wrapped by the error of Parse when pass.json nests deeper than MaxPassJSONDepth.
	ErrTooDeep = errors.New("pass: JSON nested too deeply")
)

// ParseError is the error of Parse (and of Load and the model's UnmarshalJSON methods) for a pass.json that is
// not valid JSON or holds a value of the wrong type: it names the file, the JSON path and, for syntax errors,
// the line and column.
type ParseError struct {
	// File is the file being read ("pass.json"), or "" when Parse was given bytes.
	File string
	// Path is the JSON path of the offending value ("storeCard.primaryFields[0].value"), or "" for the root
	// and for syntax errors.
	Path string
	// Line and Column locate a syntax error (1-based), or are 0.
	Line, Column int
	// Err is the underlying problem.
	Err error
}

// Error returns "pass: FILE: PATH: line L, column C: problem", leaving out the parts that are unknown.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("pass: ")
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d, column %d: ", e.Line, e.Column)
	}
	b.WriteString(unprefix(e.Err).Error())
	return b.String()
}

// Unwrap returns the underlying problem.
func (e *ParseError) Unwrap() error { return e.Err }

// Parse reads pass.json bytes the way real-world files need, and keeps every key it does not know (at every
// level, in the Extra maps) so that Parse then MarshalJSON loses nothing. It accepts:
//
//   - a UTF-8 byte order mark;
//   - trailing commas before } and ] (Apple's own sample boarding pass has one);
//   - numbers where strings are expected ("serialNumber": 123 reads as "123", keeping the number's text) and
//     numeric strings where numbers are expected ("formatVersion": "1", "maxDistance": "100"); "true"/"false"
//     strings and 0/1 where booleans are expected;
//   - dates with or without seconds, with or without a fraction (see ParseDate); a date that does not parse is
//     kept as read (see Date.Raw) for Validate to report.
//
// Input over MaxPassJSONSize bytes or nested deeper than MaxPassJSONDepth is rejected (errors wrap ErrTooLarge
// and ErrTooDeep). Malformed JSON, invalid UTF-8 (which Wallet rejects) and values of the wrong type give a
// *ParseError naming the JSON path.
func Parse(data []byte) (*Pass, error) {
	clean, err := prepareJSON(PassJSONName, data)
	if err != nil {
		return nil, err
	}
	if t := bytes.TrimLeft(clean, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		if len(t) == 0 {
			return nil, &ParseError{Err: errors.New("empty input; pass.json must be a JSON object")}
		}
		if json.Valid(t) {
			return nil, &ParseError{Err: fmt.Errorf("pass.json must be a JSON object, not %s", jsonKind(t))}
		}
	}
	if err := validJSON(clean); err != nil {
		return nil, err
	}
	if err := checkUTF8(clean); err != nil {
		return nil, err
	}
	p := new(Pass)
	if err := decodeValue(clean, reflect.ValueOf(p).Elem(), ""); err != nil {
		return nil, locate(err, clean)
	}
	return p, nil
}

// prepareJSON checks the limits, drops a UTF-8 BOM and blanks out trailing commas outside strings (replacing
// them by spaces so that error offsets stay right). It returns data itself when nothing needs changing. name is
// the file's name, for errors.
func prepareJSON(name string, data []byte) ([]byte, error) {
	if len(data) > MaxPassJSONSize {
		return nil, fmt.Errorf("%w: %s is %d bytes, the limit is %d", ErrTooLarge, name, len(data), MaxPassJSONSize)
	}
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return nil, &ParseError{Err: fmt.Errorf("%s is UTF-16; Wallet reads UTF-8", name)}
	}
	var out []byte // copy on first change
	depth, line, lineStart := 0, 1, 0
	inString := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '\n':
			line++
			lineStart = i + 1
		case '{', '[':
			depth++
			if depth > MaxPassJSONDepth {
				return nil, fmt.Errorf("%w: line %d, column %d: more than %d nested objects and arrays",
					ErrTooDeep, line, i-lineStart+1, MaxPassJSONDepth)
			}
		case '}', ']':
			depth--
		case ',':
			j := i + 1
			for j < len(data) && isJSONSpace(data[j]) {
				j++
			}
			if j < len(data) && (data[j] == '}' || data[j] == ']') {
				if out == nil {
					out = append([]byte(nil), data...)
				}
				out[i] = ' '
			}
		}
	}
	if out != nil {
		return out, nil
	}
	return data, nil
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// locate turns a JSON syntax error into a *ParseError with a line and column in data.
func locate(err error, data []byte) error {
	var pe *ParseError
	if !errors.As(err, &pe) {
		return err
	}
	var se *json.SyntaxError
	if pe.Line == 0 && errors.As(pe.Err, &se) && pe.Path == "" {
		off := int(se.Offset)
		if off > len(data) {
			off = len(data)
		}
		pe.Line = 1 + bytes.Count(data[:off], []byte{'\n'})
		pe.Column = off - bytes.LastIndexByte(data[:off], '\n')
		if off > 0 && pe.Column > 1 {
			pe.Column-- // Offset counts the byte that failed
		}
	}
	return err
}

// joinKey and joinIndex build JSON paths: "storeCard", "storeCard.primaryFields", "storeCard.primaryFields[0]".
func joinKey(path, key string) string {
	key = pathKey(key)
	if path == "" {
		return key
	}
	return path + "." + key
}

// pathKey returns key as a JSON path shows it: as it is when every character is printable, quoted with Go
// escapes otherwise. Keys come from pass.json, which may be hostile, and paths reach terminals (verify, lint): a
// key holding a carriage return, an ANSI escape or a bidirectional override must not rewrite what is shown.
func pathKey(key string) string {
	ascii := true
	for i := 0; i < len(key); i++ {
		if c := key[i]; c < 0x20 || c == 0x7f {
			return strconv.Quote(key)
		} else if c >= 0x80 {
			ascii = false
		}
	}
	if !ascii {
		for _, r := range key {
			if !strconv.IsPrint(r) {
				return strconv.Quote(key)
			}
		}
	}
	return key
}

func joinIndex(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func typeErr(path string, format string, args ...any) error {
	return &ParseError{Path: path, Err: fmt.Errorf(format, args...)}
}

// decodeValue reads the JSON value b into v, coercing by v's Go type (see Parse). It is the one helper behind
// Parse and every model UnmarshalJSON.
func decodeValue(b []byte, v reflect.Value, path string) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return typeErr(path, "no JSON value")
	}
	t := v.Type()
	if string(b) == "null" {
		v.SetZero()
		return nil
	}
	switch t {
	case rawMessageType:
		var c bytes.Buffer
		if err := json.Compact(&c, b); err != nil {
			return &ParseError{Path: path, Err: err}
		}
		v.SetBytes(c.Bytes())
		return nil
	case valueType:
		return decodeFieldValue(b, v, path)
	case dateType:
		s, ok, err := stringOf(b, path)
		if err != nil {
			return err
		}
		if !ok {
			return typeErr(path, "want a date string such as 2026-05-07T10:30:00-05:00, not %s", jsonKind(b))
		}
		v.Set(reflect.ValueOf(readDate(s)))
		return nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		nv := reflect.New(t.Elem())
		if err := decodeValue(b, nv.Elem(), path); err != nil {
			return err
		}
		v.Set(nv)
		return nil
	case reflect.Struct:
		return decodeStruct(b, v, path)
	case reflect.Slice:
		if b[0] != '[' {
			return typeErr(path, "want an array, not %s", jsonKind(b))
		}
		var items [][]byte
		eachElement(b, func(raw []byte) { items = append(items, raw) })
		s := reflect.MakeSlice(t, len(items), len(items))
		for i, item := range items {
			if err := decodeValue(item, s.Index(i), joinIndex(path, i)); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	case reflect.String:
		s, ok, err := stringOf(b, path)
		if err != nil {
			return err
		}
		if !ok {
			if !isNumberStart(b[0]) {
				return typeErr(path, "want a string, not %s", jsonKind(b))
			}
			s = string(b) // a number where a string was expected: keep its text
		}
		v.SetString(s)
		return nil
	case reflect.Bool:
		switch string(b) {
		case "true", `"true"`, "1", `"1"`:
			v.SetBool(true)
			return nil
		case "false", `"false"`, "0", `"0"`:
			v.SetBool(false)
			return nil
		}
		return typeErr(path, "want true or false, not %s", describe(b))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		text, err := numberText(b, path)
		if err != nil {
			return err
		}
		n, err := strconv.ParseInt(text, 10, t.Bits())
		if err != nil {
			f, ferr := strconv.ParseFloat(text, 64)
			limit := math.Ldexp(1, t.Bits()-1)
			switch {
			case ferr != nil && !errors.Is(ferr, strconv.ErrRange), ferr == nil && f != math.Trunc(f):
				return typeErr(path, "want an integer, not %s", text)
			case ferr != nil || f < -limit || f >= limit:
				return typeErr(path, "integer %s does not fit in %d bits", text, t.Bits())
			}
			n = int64(f)
		}
		v.SetInt(n)
		return nil
	case reflect.Float32, reflect.Float64:
		text, err := numberText(b, path)
		if err != nil {
			return err
		}
		f, err := strconv.ParseFloat(text, t.Bits())
		if err != nil {
			return typeErr(path, "number %s is out of range", text)
		}
		v.SetFloat(f)
		return nil
	}
	return typeErr(path, "cannot read into Go type %s", t)
}

// decodeStruct reads a JSON object into a model struct: exact key matches into the typed fields, everything else
// into Extra. When a key appears twice, the last one wins, as with encoding/json.
func decodeStruct(b []byte, v reflect.Value, path string) error {
	if b[0] != '{' {
		return typeErr(path, "want an object, not %s", jsonKind(b))
	}
	si := infoOf(v.Type())
	v.SetZero()
	var extra map[string]json.RawMessage
	err := eachMember(b, func(key string, raw []byte) error {
		if i, known := si.byName[key]; known {
			f := &si.fields[i]
			return decodeValue(raw, v.Field(f.index), joinKey(path, f.name))
		}
		if si.extra < 0 {
			return nil
		}
		if extra == nil {
			extra = make(map[string]json.RawMessage)
		}
		c := bytes.NewBuffer(make([]byte, 0, len(raw)))
		if err := json.Compact(c, raw); err != nil {
			return &ParseError{Path: joinKey(path, key), Err: err}
		}
		extra[key] = c.Bytes()
		return nil
	})
	if err != nil {
		return err
	}
	if extra != nil {
		v.Field(si.extra).Set(reflect.ValueOf(extra))
	}
	return nil
}

// The scanner below walks JSON that has already been validated (Parse and unmarshalStruct check it first), so
// it only finds the extent of each value; its bounds checks keep it safe on anything else.

func skipSpace(b []byte, i int) int {
	for i < len(b) && isJSONSpace(b[i]) {
		i++
	}
	return i
}

// stringEnd returns the index just after the string that starts at b[i] (a quote).
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// valueEnd returns the index just after the JSON value that starts at b[i].
func valueEnd(b []byte, i int) int {
	if i >= len(b) {
		return len(b)
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = stringEnd(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(b)
	}
	for i < len(b) && !isJSONSpace(b[i]) && b[i] != ',' && b[i] != '}' && b[i] != ']' {
		i++
	}
	return i
}

// eachMember calls fn with each key and raw value of the JSON object b, in order.
func eachMember(b []byte, fn func(key string, raw []byte) error) error {
	i := skipSpace(b, 1)
	for i < len(b) && b[i] == '"' {
		end := stringEnd(b, i)
		key, err := unquote(b[i:end])
		if err != nil {
			return &ParseError{Err: err}
		}
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return &ParseError{Err: errors.New("malformed object")}
		}
		i = skipSpace(b, i+1)
		vend := valueEnd(b, i)
		if vend <= i {
			return &ParseError{Err: errors.New("malformed object")}
		}
		if err := fn(key, b[i:vend]); err != nil {
			return err
		}
		i = skipSpace(b, vend)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	return nil
}

// eachElement calls fn with each raw element of the JSON array b, in order.
func eachElement(b []byte, fn func(raw []byte)) {
	i := skipSpace(b, 1)
	for i < len(b) && b[i] != ']' {
		vend := valueEnd(b, i)
		if vend <= i {
			return
		}
		fn(b[i:vend])
		i = skipSpace(b, vend)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
}

// unquote decodes the JSON string literal q, without encoding/json when it holds no escapes.
func unquote(q []byte) (string, error) {
	if len(q) >= 2 && q[0] == '"' && q[len(q)-1] == '"' {
		inner := q[1 : len(q)-1]
		if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
			return string(inner), nil
		}
	}
	var s string
	err := json.Unmarshal(q, &s)
	return s, err
}

// validJSON reports a syntax error in b as a *ParseError (with the line and column added by locate).
func validJSON(b []byte) error {
	if json.Valid(b) {
		return nil
	}
	var raw json.RawMessage
	err := json.Unmarshal(b, &raw)
	if err == nil {
		err = errors.New("invalid JSON")
	}
	return locate(&ParseError{Err: err}, b)
}

// decodeFieldValue reads a field value: a string or a number, kept exactly as written.
func decodeFieldValue(b []byte, v reflect.Value, path string) error {
	s, ok, err := stringOf(b, path)
	if err != nil {
		return err
	}
	if ok {
		v.Set(reflect.ValueOf(String(s)))
		return nil
	}
	if isNumberStart(b[0]) && isJSONNumber(string(b)) {
		v.Set(reflect.ValueOf(Value{kind: valueNumber, text: string(b)}))
		return nil
	}
	return typeErr(path, "want a string, a number or a date string, not %s", jsonKind(b))
}

// readDate turns date text into a Date, keeping text that does not parse (or that would read as the zero time,
// which means absent) as Raw.
func readDate(s string) Date {
	if t, err := ParseDate(s); err == nil && !t.IsZero() {
		d := Date{Time: t}
		if _, ok := fixOffset(s); ok {
			d.compact = s
		}
		return d
	}
	return Date{raw: s}
}

// stringOf returns the string b holds and true, or false when b is not a JSON string.
func stringOf(b []byte, path string) (string, bool, error) {
	if b[0] != '"' {
		return "", false, nil
	}
	s, err := unquote(b)
	if err != nil {
		return "", false, &ParseError{Path: path, Err: err}
	}
	return s, true, nil
}

// numberText returns the text of a JSON number, or of a string that holds one (leniently, with spaces trimmed).
func numberText(b []byte, path string) (string, error) {
	if isNumberStart(b[0]) {
		return string(b), nil
	}
	s, ok, err := stringOf(b, path)
	if err != nil {
		return "", err
	}
	if ok {
		s = strings.TrimSpace(s)
		if isJSONNumber(s) {
			return s, nil
		}
		return "", typeErr(path, "want a number, not the string %q", truncate(s, 40))
	}
	return "", typeErr(path, "want a number, not %s", jsonKind(b))
}

func isNumberStart(c byte) bool { return c == '-' || (c >= '0' && c <= '9') }

// describe names a JSON value for error messages, quoting short scalars.
func describe(b []byte) string {
	if len(b) <= 40 && b[0] != '{' && b[0] != '[' {
		return string(b)
	}
	return jsonKind(b)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

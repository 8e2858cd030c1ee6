package pass

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Value is a field value: a string, a number or a date (written as a W3C date string). Numbers stay JSON
// numbers, exactly as written, so Wallet can format them with numberStyle or currencyCode. The zero value is
// absent (written as "" where the key is required).
type Value struct {
	kind valueKind
	text string // the string, or the number's JSON text
}

type valueKind uint8

const (
	valueAbsent valueKind = iota
	valueString
	valueNumber
)

// String returns a string value.
func String(s string) Value { return Value{kind: valueString, text: s} }

// Number returns a numeric value. NaN and infinities, which JSON cannot carry, become absent values.
func Number(f float64) Value {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Value{}
	}
	return Value{kind: valueNumber, text: strconv.FormatFloat(f, 'f', -1, 64)}
}

// Int returns an integral numeric value.
func Int(i int64) Value { return Value{kind: valueNumber, text: strconv.FormatInt(i, 10)} }

// DateValue returns a date value: t written as a W3C date string (see Date).
func DateValue(t time.Time) Value { return Value{kind: valueString, text: formatDate(t)} }

// NumberText returns a numeric value from JSON number text such as "12.50"; it fails when text is not a JSON
// number.
func NumberText(text string) (Value, error) {
	if !isJSONNumber(text) {
		return Value{}, fmt.Errorf("pass: %q is not a JSON number", text)
	}
	return Value{kind: valueNumber, text: text}, nil
}

// IsZero reports whether the value is absent.
func (v Value) IsZero() bool { return v.kind == valueAbsent }

// IsNumber reports whether the value is a JSON number.
func (v Value) IsNumber() bool { return v.kind == valueNumber }

// IsString reports whether the value is a JSON string (which may hold a date).
func (v Value) IsString() bool { return v.kind == valueString }

// String returns the value's text: the string itself, or the number as written in JSON.
func (v Value) String() string { return v.text }

// Float64 returns the numeric value and true, or 0 and false when the value is not a number.
func (v Value) Float64() (float64, bool) {
	if v.kind != valueNumber {
		return 0, false
	}
	f, err := strconv.ParseFloat(v.text, 64)
	return f, err == nil
}

// Time parses a string value as a W3C date (see ParseDate).
func (v Value) Time() (time.Time, error) {
	if v.kind != valueString {
		return time.Time{}, errors.New("pass: value is not a date string")
	}
	return ParseDate(v.text)
}

// MarshalJSON writes the value as a JSON string or number; an absent value is written as "".
func (v Value) MarshalJSON() ([]byte, error) {
	if v.kind == valueNumber {
		return []byte(v.text), nil
	}
	return json.Marshal(v.text)
}

// UnmarshalJSON reads a JSON string or number. Any other JSON type is an error.
func (v *Value) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*v = String(s)
		return nil
	case isJSONNumber(string(b)):
		*v = Value{kind: valueNumber, text: string(b)}
		return nil
	case string(b) == "null":
		*v = Value{}
		return nil
	}
	return fmt.Errorf("pass: field value must be a string or a number, not %s", jsonKind(b))
}

func isJSONNumber(s string) bool {
	if s == "" {
		return false
	}
	var n json.Number
	return json.Unmarshal([]byte(s), &n) == nil && s[0] != '"'
}

// jsonKind names the JSON type of the value b for error messages.
func jsonKind(b []byte) string {
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	case '"':
		return "a string"
	}
	return "a number"
}

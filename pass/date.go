package pass

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Date is a W3C date and time with a time zone, as Wallet reads it ("2026-05-07T10:30:00-05:00"). It is written
// in RFC 3339 form with seconds, no fractional seconds, and "Z" or a "±hh:mm" offset. A string that does not
// parse is kept as read (Raw) so that a pass read from a file can be written back unchanged and reported by
// Validate. The zero value is absent.
type Date struct {
	time.Time
	raw string // the text as read, when it did not parse
	// compact is the text as read when it parsed but wrote its offset ±hhmm, without the colon Wallet's
	// ISO 8601 parser wants; Validate warns about it.
	compact string
}

// NewDate returns a Date for t.
func NewDate(t time.Time) Date { return Date{Time: t} }

// IsZero reports whether the date is absent.
func (d Date) IsZero() bool { return d.Time.IsZero() && d.raw == "" }

// Valid reports whether the date holds a parsed time (it may be absent or invalid otherwise).
func (d Date) Valid() bool { return !d.Time.IsZero() }

// Raw returns the text of a date that was read but could not be parsed, or "".
func (d Date) Raw() string { return d.raw }

// String returns the date as it is written to pass.json.
func (d Date) String() string {
	if d.Time.IsZero() {
		return d.raw
	}
	return formatDate(d.Time)
}

// MarshalJSON writes the date as a JSON string.
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a date string. A string that is not a valid W3C date (or that names the zero time, which
// would read as absent) is kept (see Raw); a non-string is an error.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("pass: date must be a string, not %s", jsonKind(b))
	}
	*d = readDate(s)
	return nil
}

// formatDate writes t in the form Wallet parses: RFC 3339, whole seconds, "Z" or "±hh:mm".
func formatDate(t time.Time) string {
	if _, offset := t.Zone(); offset%60 != 0 {
		// RFC 3339 offsets have no seconds (historic local mean time zones do): write the instant in UTC rather
		// than shift it.
		t = t.UTC()
	}
	return t.Truncate(time.Second).Format(time.RFC3339)
}

// dateLayouts are the W3C forms Wallet accepts: minutes, seconds or fractional seconds, and a zone.
var dateLayouts = []string{
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
}

// ParseDate parses a W3C date as Wallet does: "YYYY-MM-DDThh:mm", optional ":ss" and fraction, then a
// mandatory "Z" or "±hh:mm" zone designator ("±hhmm" is accepted too).
func ParseDate(s string) (time.Time, error) {
	in := s
	// Accept a "+hhmm" offset by inserting the colon.
	if fixed, ok := fixOffset(s); ok {
		s = fixed
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999"} {
		if _, err := time.Parse(layout, s); err == nil {
			return time.Time{}, fmt.Errorf("pass: date %q has no time zone (add Z or ±hh:mm)", in)
		}
	}
	return time.Time{}, fmt.Errorf("pass: %q is not a W3C date such as 2026-05-07T10:30:00-05:00", in)
}

// fixOffset returns s with a colon inserted in its ±hhmm zone offset ("2026-05-07T10:30:00+0000" becomes
// "…+00:00"), and false when s does not end in such an offset.
func fixOffset(s string) (string, bool) {
	n := len(s)
	if n <= 5 || (s[n-5] != '+' && s[n-5] != '-') || !strings.Contains(s, "T") {
		return "", false
	}
	for i := n - 4; i < n; i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", false
		}
	}
	return s[:n-2] + ":" + s[n-2:], true
}

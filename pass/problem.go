package pass

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Severity says how Wallet treats a Problem.
type Severity int

// The severities. The zero value is SeverityError.
const (
	// SeverityError marks a problem that makes Wallet reject the pass ("cannot add pass").
	SeverityError Severity = iota
	// SeverityWarning marks a problem that makes Wallet ignore the item or show it badly.
	SeverityWarning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	}
	return "severity(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText writes the severity as "error" or "warning", so that it reads well in JSON.
func (s Severity) MarshalText() ([]byte, error) {
	switch s {
	case SeverityError, SeverityWarning:
		return []byte(s.String()), nil
	}
	return nil, fmt.Errorf("pass: unknown severity %d", int(s))
}

// UnmarshalText reads "error" or "warning".
func (s *Severity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "error":
		*s = SeverityError
	case "warning":
		*s = SeverityWarning
	default:
		return fmt.Errorf("pass: unknown severity %q (want error or warning)", string(b))
	}
	return nil
}

// Problem is one finding of Validate.
type Problem struct {
	// Path locates the problem: a JSON path into pass.json such as "storeCard.primaryFields[0].value" or
	// "barcodes[1].messageEncoding", or the archive path of a file such as "strip@2x.png" or
	// "fr.lproj/pass.strings".
	Path string `json:"path"`
	// Message says what is wrong, in one sentence without the path.
	Message string `json:"message"`
	// Rule is the stable identifier of the rule that found the problem ("required-key", "barcode-encoding"); see
	// Rules for its description and what to do.
	Rule string `json:"rule"`
	// Severity is SeverityError when Wallet rejects the pass and SeverityWarning when it ignores the item or
	// shows it badly.
	Severity Severity `json:"severity"`
}

// String formats the problem as "error: storeCard.primaryFields[0].value: message (rule)".
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Severity.String())
	b.WriteString(": ")
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	if p.Rule != "" {
		b.WriteString(" (")
		b.WriteString(p.Rule)
		b.WriteString(")")
	}
	return b.String()
}

// ValidationError is the error Validate returns: every problem found, in a stable order (the problems of
// pass.json first, grouped by topic, then those of the files sorted by path).
type ValidationError struct {
	// Problems lists every problem found; it is never empty in an error returned by Validate.
	Problems []Problem
}

// Error lists the problems, one a line after a summary line.
func (e *ValidationError) Error() string {
	errs, warns := 0, 0
	for _, p := range e.Problems {
		if p.Severity == SeverityWarning {
			warns++
		} else {
			errs++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "pass: validation found %s and %s", plural(errs, "error"), plural(warns, "warning"))
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		b.WriteString(p.String())
	}
	return b.String()
}

// HasErrors reports whether any problem has SeverityError, that is whether Wallet would reject the pass.
func (e *ValidationError) HasErrors() bool {
	for _, p := range e.Problems {
		if p.Severity != SeverityWarning {
			return true
		}
	}
	return false
}

// Errors returns the problems with SeverityError.
func (e *ValidationError) Errors() []Problem {
	return e.filter(func(s Severity) bool { return s != SeverityWarning })
}

// Warnings returns the problems with SeverityWarning.
func (e *ValidationError) Warnings() []Problem {
	return e.filter(func(s Severity) bool { return s == SeverityWarning })
}

func (e *ValidationError) filter(keep func(Severity) bool) []Problem {
	var out []Problem
	for _, p := range e.Problems {
		if keep(p.Severity) {
			out = append(out, p)
		}
	}
	return out
}

// MarshalJSON writes the problems as a JSON array.
func (e *ValidationError) MarshalJSON() ([]byte, error) {
	if e.Problems == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(e.Problems)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

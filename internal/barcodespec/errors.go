package barcodespec

import (
	"errors"
	"fmt"
)

// Sentinel errors that callers branch on, for example to report the problem
// at the JSON path of format or messageEncoding rather than message.
var (
	// ErrUnknownFormat is wrapped by errors about a format that is not one of
	// Wallet's PKBarcodeFormat names.
	ErrUnknownFormat = errors.New("unknown barcode format")
	// ErrUnknownEncoding is wrapped by errors about a messageEncoding that is
	// not a known IANA character set name.
	ErrUnknownEncoding = errors.New("unknown message encoding")
	// ErrInvalidMessage is matched by every error about the message itself: an
	// empty message, a character the encoding or the symbology cannot
	// represent, a wrong length or check digit, or a message too long for the
	// symbol (*EncodingError and *CapacityError included).
	ErrInvalidMessage = errors.New("invalid barcode message")
)

// EncodingError reports a message character that the messageEncoding cannot
// represent, or a message that is not valid UTF-8.
type EncodingError struct {
	// Encoding is the canonical IANA name of the encoding.
	Encoding string
	// Char is the character that cannot be encoded (zero when Invalid).
	Char rune
	// Offset is the position of the character in the message, counted in
	// characters (runes) from zero.
	Offset int
	// Invalid is true when the message is not valid UTF-8 at Offset.
	Invalid bool
}

// Error describes the character and where it is.
func (e *EncodingError) Error() string {
	if e.Invalid {
		return fmt.Sprintf("invalid UTF-8 at character offset %d", e.Offset)
	}
	return fmt.Sprintf("character %q at offset %d cannot be encoded in %s", e.Char, e.Offset, e.Encoding)
}

// Is makes errors.Is(err, ErrInvalidMessage) true.
func (e *EncodingError) Is(target error) bool { return target == ErrInvalidMessage }

// CapacityError reports a message too long for the largest symbol of its
// format.
type CapacityError struct {
	// Format is the PKBarcodeFormat name.
	Format string
	// Size is how much the message needs, in Unit.
	Size int
	// Max is the most the symbol holds for this kind of message, in Unit.
	Max int
	// Unit names what Size and Max count: "bytes", "characters", "digits" or
	// "data codewords".
	Unit string
	// Hint, when not empty, adds what fits in terms a user understands.
	Hint string
}

// Error states the size and the limit.
func (e *CapacityError) Error() string {
	s := fmt.Sprintf("too long for %s: %d %s, at most %d", symbolName(e.Format), e.Size, e.Unit, e.Max)
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// Is makes errors.Is(err, ErrInvalidMessage) true.
func (e *CapacityError) Is(target error) bool { return target == ErrInvalidMessage }

// messageError is a plain problem with the message (character set, length,
// check digit) that matches ErrInvalidMessage.
type messageError struct{ msg string }

func (e *messageError) Error() string        { return e.msg }
func (e *messageError) Is(target error) bool { return target == ErrInvalidMessage }
func invalidf(format string, args ...any) error {
	return &messageError{msg: fmt.Sprintf(format, args...)}
}

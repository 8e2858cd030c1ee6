package webhook

import (
	"errors"
	"fmt"
	"time"
)

// Errors that callers branch on with errors.Is. Every error returned by a
// Verifier wraps exactly one of the first five; none of them contains a
// secret, a computed signature or any part of the request body.
var (
	// ErrMissingSignature reports a delivery without the scheme's signature header.
	ErrMissingSignature = errors.New("webhook: missing signature")
	// ErrInvalidSignature reports that no signature in the header matches the
	// body under any of the verifier's secrets (including a header that only
	// carries signatures of an unsupported version).
	ErrInvalidSignature = errors.New("webhook: no matching signature")
	// ErrTimestampOutsideTolerance reports a signed timestamp too far in the
	// past or the future.
	ErrTimestampOutsideTolerance = errors.New("webhook: timestamp outside tolerance")
	// ErrBodyTooLarge reports a body longer than the verifier's limit.
	ErrBodyTooLarge = errors.New("webhook: body too large")
	// ErrMalformedHeader reports a signature, timestamp or id header that
	// cannot be parsed, or a required one that is missing.
	ErrMalformedHeader = errors.New("webhook: malformed header")

	// ErrNoSecret reports a verifier or signer without a usable secret; such
	// a verifier rejects every delivery.
	ErrNoSecret = errors.New("webhook: no secret")
	// ErrMalformedPayload reports a verified body that is not the JSON
	// envelope the scheme's provider sends.
	ErrMalformedPayload = errors.New("webhook: malformed payload")
	// ErrDuplicate is returned by a ReplayStore when a key was already
	// processed within its retention window.
	ErrDuplicate = errors.New("webhook: duplicate delivery")
	// ErrInProgress is returned by a ReplayStore when a key is claimed by a
	// delivery that is still being processed.
	ErrInProgress = errors.New("webhook: delivery in progress")
)

// HeaderError describes a missing or malformed header. It unwraps to
// ErrMissingSignature or ErrMalformedHeader. It never quotes the header value.
type HeaderError struct {
	// Header is the canonical name of the header, such as "Passmint-Signature".
	Header string
	// Reason says what is wrong with it.
	Reason string
	// Err is ErrMissingSignature or ErrMalformedHeader.
	Err error
}

// Error implements error.
func (e *HeaderError) Error() string {
	return "webhook: header " + e.Header + ": " + e.Reason
}

// Unwrap returns the sentinel the error stands for.
func (e *HeaderError) Unwrap() error { return e.Err }

// TimestampError reports a signed timestamp outside the tolerance window. It
// unwraps to ErrTimestampOutsideTolerance.
type TimestampError struct {
	// Source names where the timestamp came from: a header name, or the
	// payload's JSON key such as "timestamp".
	Source string
	// Timestamp is the signed time of the delivery.
	Timestamp time.Time
	// Now is the verifier's clock at the time of the check.
	Now time.Time
	// Tolerance is the allowed difference in either direction.
	Tolerance time.Duration
}

// Error implements error.
func (e *TimestampError) Error() string {
	d := e.Now.Sub(e.Timestamp)
	when := "old"
	if d < 0 {
		d, when = -d, "in the future"
	}
	return fmt.Sprintf("webhook: %s: timestamp %s is %s %s (tolerance %s)",
		e.Source, e.Timestamp.UTC().Format(time.RFC3339), d.Round(time.Second), when, e.Tolerance)
}

// Unwrap returns ErrTimestampOutsideTolerance.
func (e *TimestampError) Unwrap() error { return ErrTimestampOutsideTolerance }

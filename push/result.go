package push

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel errors. Every error the package returns for a push wraps one of
// them, so callers branch with errors.Is.
var (
	// ErrUnregistered is APNs' 410: the token is no longer active for the
	// topic. Delete the registration (unless the device registered again
	// after Result.Timestamp).
	ErrUnregistered = errors.New("push: device token is no longer active for the topic")
	// ErrBadDeviceToken is APNs' 400 BadDeviceToken: the token is not valid
	// for this environment. For passes (production only), delete the
	// registration.
	ErrBadDeviceToken = errors.New("push: bad device token")
	// ErrConfiguration is a problem with the client rather than with one
	// token: wrong topic or certificate (DeviceTokenNotForTopic, 403), an
	// expired certificate, a provider token APNs refuses, or a request APNs
	// calls malformed. A fan-out stops at the first one; every push would
	// fail the same way.
	ErrConfiguration = errors.New("push: configuration error")
	// ErrCertificateExpired is an identity whose certificate has expired. It
	// wraps ErrConfiguration.
	ErrCertificateExpired error = &kindError{"push: certificate expired", ErrConfiguration}
	// ErrTopicMismatch is a topic that is not the pass type identifier of
	// the identity's certificate. It wraps ErrConfiguration.
	ErrTopicMismatch error = &kindError{"push: topic is not the certificate's pass type identifier", ErrConfiguration}
	// ErrTemporary is a push that kept failing with 429, 5xx or a broken
	// connection until its retries ran out.
	ErrTemporary = errors.New("push: temporary failure, retries exhausted")
	// ErrNotSent is a push that was never sent because the fan-out stopped
	// (configuration error or cancelled context) before its turn. It is
	// joined with the cause.
	ErrNotSent = errors.New("push: not sent")
	// ErrInvalidToken is a device token that is not hex of a plausible
	// length; it is refused before anything is sent.
	ErrInvalidToken = errors.New("push: invalid device token")
	// ErrClosed is a push on a closed Client.
	ErrClosed = errors.New("push: client closed")
)

// kindError is a sentinel that also matches a broader one.
type kindError struct {
	msg    string
	parent error
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.parent }

// Outcome is what became of one push.
type Outcome int

// The outcomes of a push.
const (
	// NotSent: nothing was sent (the fan-out stopped before this token, or
	// the token was refused before sending).
	NotSent Outcome = iota
	// Delivered: APNs accepted the notification (200). It is no proof that
	// the device fetched the pass.
	Delivered
	// Unregistered: APNs answered 410 or 400 BadDeviceToken; the token is
	// gone for good and the caller deletes its registration.
	Unregistered
	// Failed: APNs refused the push, or it kept failing until the retries
	// ran out.
	Failed
)

// String returns the outcome's name as `passforge push --json` prints it:
// delivered, unregistered, failed or not-sent.
func (o Outcome) String() string {
	switch o {
	case Delivered:
		return "delivered"
	case Unregistered:
		return "unregistered"
	case Failed:
		return "failed"
	case NotSent:
		return "not-sent"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Result is the result of one push.
type Result struct {
	// Token is the device token, in lower case.
	Token string
	// Topic is the apns-topic sent: the pass type identifier.
	Topic string
	// Outcome is what became of the push.
	Outcome Outcome
	// Status is the HTTP status of APNs' last answer, 0 when none came.
	Status int
	// Reason is the reason of APNs' last answer ("" for 200).
	Reason string
	// APNsID is the apns-id of the last request (APNs echoes it back).
	APNsID string
	// Timestamp is, for a 410, when APNs learned that the token stopped
	// being valid: keep a registration made after it.
	Timestamp time.Time
	// Attempts is the number of attempts made for this token, including
	// those that failed to connect; 0 when nothing was tried.
	Attempts int
	// Err is nil when Outcome is Delivered, otherwise why not. It wraps one
	// of the package's sentinel errors and, when APNs answered, an *Error.
	Err error
}

// ShouldUnregister reports whether the caller must delete the registrations
// of the token: APNs answered 410 or 400 BadDeviceToken.
func (r Result) ShouldUnregister() bool { return r.Outcome == Unregistered }

// Error is an answer from APNs other than 200.
type Error struct {
	// Status is the HTTP status.
	Status int
	// Reason is Apple's reason, such as Unregistered or BadDeviceToken.
	Reason string
	// Timestamp is the 410 timestamp, zero otherwise.
	Timestamp time.Time
	// APNsID is the apns-id of the request.
	APNsID string
	kind   error
}

// Error describes the answer.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "push: APNs answered %d", e.Status)
	if e.Reason != "" {
		b.WriteString(" " + e.Reason)
	}
	if !e.Timestamp.IsZero() {
		b.WriteString(" (since " + e.Timestamp.UTC().Format(time.RFC3339) + ")")
	}
	if hint := reasonHints[e.Reason]; hint != "" {
		b.WriteString(": " + hint)
	}
	return b.String()
}

// Unwrap returns the sentinel the answer stands for: ErrUnregistered,
// ErrBadDeviceToken, ErrConfiguration or ErrTemporary.
func (e *Error) Unwrap() error { return e.kind }

// reasonHints say what to do about the answers that need a person.
var reasonHints = map[string]string{
	"DeviceTokenNotForTopic":    "the topic does not match the certificate or the token belongs to another pass type; check the pass type ID and certificate",
	"BadCertificate":            "APNs refused the certificate (expired or revoked?)",
	"BadCertificateEnvironment": "the certificate is for the other APNs environment (pass updates work only in production)",
	"Forbidden":                 "APNs refused the certificate or key",
	"TopicDisallowed":           "the certificate or key may not push to this topic",
	"InvalidProviderToken":      "APNs refused the provider token (key ID, team ID or key wrong)",
	"ExpiredProviderToken":      "the provider token is older than an hour",
	"MissingProviderToken":      "no certificate and no provider token",
	"UnrelatedKeyIdInToken":     "the provider token's key ID is not the key's",
}

// classify returns the sentinel for an answer and whether it is retried.
func classify(status int, reason string) (kind error, retry bool) {
	switch {
	case status == 410:
		return ErrUnregistered, false
	case status == 400 && reason == "BadDeviceToken":
		return ErrBadDeviceToken, false
	case status == 400 && reason == "IdleTimeout":
		return ErrTemporary, true
	case status == 429 || status >= 500:
		return ErrTemporary, true
	}
	// DeviceTokenNotForTopic, 403 and every other 4xx (a malformed request
	// is malformed for every token): stop.
	return ErrConfiguration, false
}

// Summary counts the results of a fan-out.
type Summary struct {
	// Delivered, Unregistered, Failed and NotSent count the results by
	// outcome.
	Delivered, Unregistered, Failed, NotSent int
	// Duplicates counts the notifications skipped because the same token
	// and topic came earlier in the fan-out.
	Duplicates int
}

// Total returns the number of results (duplicates are not results).
func (s Summary) Total() int { return s.Delivered + s.Unregistered + s.Failed + s.NotSent }

func (s *Summary) add(r Result) {
	switch r.Outcome {
	case Delivered:
		s.Delivered++
	case Unregistered:
		s.Unregistered++
	case Failed:
		s.Failed++
	default:
		s.NotSent++
	}
}

// minTokenHex and maxTokenHex bound the length of a device token in hex
// digits: today's tokens are 32 bytes; Apple says not to assume a length, so
// anything from 16 to 100 bytes is accepted.
const (
	minTokenHex = 32
	maxTokenHex = 200
)

// CheckToken returns an error wrapping ErrInvalidToken when token is not an
// even number of hex digits between 32 and 200 long; it is what every push
// checks before sending.
func CheckToken(token string) error {
	if len(token) < minTokenHex || len(token) > maxTokenHex || len(token)%2 != 0 {
		return fmt.Errorf("%w: %d characters, want an even number from %d to %d hex digits", ErrInvalidToken, len(token), minTokenHex, maxTokenHex)
	}
	for i := 0; i < len(token); i++ {
		c := token[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return fmt.Errorf("%w: character %d is not a hex digit", ErrInvalidToken, i+1)
		}
	}
	return nil
}

// normalizeToken lower-cases a checked token.
func normalizeToken(token string) string {
	for i := 0; i < len(token); i++ {
		if 'A' <= token[i] && token[i] <= 'F' {
			return strings.ToLower(token)
		}
	}
	return token
}

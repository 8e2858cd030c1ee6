package passlite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/jsonscalar"
)

// Error codes of PassLite's error envelope
// {"error": {"code", "message", "status"}} and of its 402 plan response.
const (
	// CodeBadRequest is an invalid or missing request parameter (400),
	// such as a charge larger than the balance.
	CodeBadRequest = "bad_request"
	// CodeUnauthorized is missing or invalid authentication (401).
	CodeUnauthorized = "unauthorized"
	// CodeForbidden is valid credentials without permission (403).
	CodeForbidden = "forbidden"
	// CodeNotFound is a resource that does not exist (404).
	CodeNotFound = "not_found"
	// CodeConflict is a duplicate resource, such as an external_id (409).
	CodeConflict = "conflict"
	// CodeValidation is a request body that failed validation (422).
	CodeValidation = "validation_error"
	// CodeRateLimited is more than 60 requests a minute (429).
	CodeRateLimited = "rate_limited"
	// CodeInternal is an unexpected server error (500).
	CodeInternal = "internal_error"
	// CodeProFeature is a PRO-only feature or a plan limit on the Free
	// plan (402), reported as a *PlanError.
	CodeProFeature = "pro_feature"
)

// codeKinds maps PassLite error codes to the client sentinels, so
// errors.Is works even when a status is unusual.
var codeKinds = map[string]error{
	CodeBadRequest:   client.ErrValidation,
	CodeUnauthorized: client.ErrUnauthorized,
	CodeForbidden:    client.ErrForbidden,
	CodeNotFound:     client.ErrNotFound,
	CodeConflict:     client.ErrConflict,
	CodeValidation:   client.ErrValidation,
	CodeRateLimited:  client.ErrRateLimited,
	CodeInternal:     client.ErrServer,
	CodeProFeature:   client.ErrPaymentRequired,
}

// decodeError reads PassLite's error bodies into e:
//
//	{"error": {"code": "not_found", "message": "...", "status": 404}}
//	{"error": "pro_feature", "feature": "automations", "plan": "free", "message": "..."}
//	{"detail": "Already checked in at 14:30"}
//
// and falls back to client.DecodeGenericError for anything else.
func decodeError(e *client.APIError) {
	defer func() {
		e.Kind = codeKinds[e.Code]
		// A check-in cooldown lasts minutes or forever: retrying it within
		// the client's backoff only repeats the refusal.
		e.Final = strings.HasSuffix(e.Path, "/checkin") && isCooldown(e)
	}()
	body := bytes.TrimSpace(e.Body)
	var env struct {
		Error   json.RawMessage `json:"error"`
		Message json.RawMessage `json:"message"`
		Detail  json.RawMessage `json:"detail"`
	}
	if len(body) == 0 || body[0] != '{' || json.Unmarshal(body, &env) != nil {
		client.DecodeGenericError(e)
		return
	}
	errField := bytes.TrimSpace(env.Error)
	switch {
	case len(errField) > 0 && errField[0] == '{':
		var inner struct {
			Code    json.RawMessage `json:"code"`
			Message json.RawMessage `json:"message"`
		}
		if json.Unmarshal(errField, &inner) == nil {
			e.Code, e.Message = jsonscalar.Text(inner.Code), jsonscalar.Text(inner.Message)
		}
	case len(errField) > 0:
		e.Code = jsonscalar.Text(errField)
	}
	if e.Message == "" {
		e.Message = jsonscalar.Text(env.Message)
	}
	if e.Message == "" {
		e.Message = jsonscalar.Text(env.Detail)
	}
}

// PlanError is a 402 Payment Required response: the feature or limit is
// PRO-only and the business is on the Free plan. It unwraps to the
// *client.APIError, so errors.Is(err, client.ErrPaymentRequired) holds.
type PlanError struct {
	// Op names the operation, such as "bulk issue passes".
	Op string
	// Feature is the gated feature, such as "automations" ("feature").
	Feature string
	// Plan is the business's current plan, such as "free" ("plan").
	Plan string
	// Message is PassLite's upgrade prompt ("message").
	Message string
	// Err is the underlying response error.
	Err *client.APIError
}

// newPlanError reads the 402 body's feature and plan.
func newPlanError(op string, apiErr *client.APIError) *PlanError {
	var body struct {
		Feature json.RawMessage `json:"feature"`
		Plan    json.RawMessage `json:"plan"`
	}
	_ = json.Unmarshal(apiErr.Body, &body) // tolerate any body; fields stay empty
	return &PlanError{Op: op, Feature: jsonscalar.Text(body.Feature), Plan: jsonscalar.Text(body.Plan), Message: apiErr.Message, Err: apiErr}
}

// Error names the operation, the feature and the plan.
func (e *PlanError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "passlite: %s: payment required (status %d)", e.Op, e.Err.StatusCode)
	if e.Feature != "" {
		fmt.Fprintf(&b, ": feature %q", e.Feature)
	}
	if e.Plan != "" {
		fmt.Fprintf(&b, " is not in plan %q", e.Plan)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Err.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.Err.RequestID)
	}
	return b.String()
}

// Unwrap returns the underlying *client.APIError.
func (e *PlanError) Unwrap() error { return e.Err }

// CooldownError is a check-in blocked by the template's scan cooldown: a
// 429 whose message is like "Already checked in at 14:30" (one-time use,
// or still inside the window) or "Try again in 3m 20s". It is not retried:
// waiting a few seconds does not end a cooldown. It unwraps to the
// *client.APIError, so errors.Is(err, client.ErrRateLimited) holds.
type CooldownError struct {
	// Op names the operation, "check in pass".
	Op string
	// Message is PassLite's message.
	Message string
	// CheckedInAt is the time of the earlier check-in as PassLite wrote it
	// ("14:30"), or "" when the message names none.
	CheckedInAt string
	// RetryIn is the remaining cooldown from "Try again in 3m 20s", or zero
	// when the message names no wait (a one-time-use pass stays blocked).
	RetryIn time.Duration
	// Err is the underlying response error.
	Err *client.APIError
}

// newCooldownError parses the cooldown message of apiErr.
func newCooldownError(op string, apiErr *client.APIError) *CooldownError {
	at, in := parseCooldown(apiErr.Message)
	return &CooldownError{Op: op, Message: apiErr.Message, CheckedInAt: at, RetryIn: in, Err: apiErr}
}

// Error names the operation and PassLite's message.
func (e *CooldownError) Error() string {
	s := fmt.Sprintf("passlite: %s: blocked by scan cooldown (status %d): %s", e.Op, e.Err.StatusCode, e.Message)
	if e.Err.RequestID != "" {
		s += " (request id " + e.Err.RequestID + ")"
	}
	return s
}

// Unwrap returns the underlying *client.APIError.
func (e *CooldownError) Unwrap() error { return e.Err }

// Phrases of PassLite's cooldown messages, lower case.
const (
	phraseCheckedIn = "already checked in"
	phraseTryAgain  = "try again in"
)

// isCooldown reports whether apiErr is a scan cooldown rather than the
// 60-requests-a-minute rate limit: a 429 whose message uses one of the
// documented cooldown phrases.
func isCooldown(apiErr *client.APIError) bool {
	if apiErr.StatusCode != 429 {
		return false
	}
	m := asciiLower(apiErr.Message)
	return strings.Contains(m, phraseCheckedIn) || strings.Contains(m, phraseTryAgain)
}

// asciiLower lowers the ASCII letters of s and keeps every other byte, so
// the result has the length of s (strings.ToLower may not, for invalid
// UTF-8 or some runes).
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// maxCooldownMessage bounds the message parseCooldown looks at.
const maxCooldownMessage = 1024

// parseCooldown extracts the earlier check-in time from "Already checked
// in at 14:30" and the wait from "Try again in 3m 20s" (units h, m, s and
// their long forms). Parts it cannot read stay empty.
func parseCooldown(msg string) (checkedInAt string, retryIn time.Duration) {
	if len(msg) > maxCooldownMessage {
		msg = msg[:maxCooldownMessage]
	}
	lower := asciiLower(msg) // same length as msg, so indexes carry over
	if i := strings.Index(lower, phraseCheckedIn+" at "); i >= 0 {
		rest := strings.TrimSpace(msg[i+len(phraseCheckedIn+" at "):])
		end := strings.IndexFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == ';' || r == '(' })
		if end < 0 {
			end = len(rest)
		}
		checkedInAt = strings.TrimRight(rest[:end], ".")
	}
	if i := strings.Index(lower, phraseTryAgain); i >= 0 {
		retryIn = parseWait(lower[i+len(phraseTryAgain):])
	}
	return checkedInAt, retryIn
}

// parseWait reads a wait such as " 3m 20s", "1h 5m", "45 seconds" or
// "2 minutes" from the start of s (lower case). It returns zero when s
// does not start with one, and stops at the first word it cannot read.
func parseWait(s string) time.Duration {
	var total time.Duration
	for {
		s = strings.TrimLeft(s, " \t")
		n := 0
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		if n == 0 || n > 6 {
			return total
		}
		v, _ := strconv.Atoi(s[:n])
		s = strings.TrimLeft(s[n:], " \t")
		u := 0
		for u < len(s) && s[u] >= 'a' && s[u] <= 'z' {
			u++
		}
		var unit time.Duration
		switch s[:u] {
		case "h", "hr", "hrs", "hour", "hours":
			unit = time.Hour
		case "m", "min", "mins", "minute", "minutes":
			unit = time.Minute
		case "s", "sec", "secs", "second", "seconds":
			unit = time.Second
		default:
			return total
		}
		total += time.Duration(v) * unit
		s = strings.TrimLeft(s[u:], ",")
		if strings.HasPrefix(strings.TrimLeft(s, " "), "and ") {
			s = strings.TrimLeft(s, " ")[len("and "):]
		}
	}
}

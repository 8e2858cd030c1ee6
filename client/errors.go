package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/passforge/passforge/client/internal/jsonscalar"
)

// Sentinels that an *APIError (and a *RateLimitError) matches with
// errors.Is. The status code picks the default sentinel; an ErrorDecoder may
// add a more precise one in APIError.Kind (Passmint's idempotency_error is a
// 409 that matches both ErrConflict and ErrIdempotencyConflict).
var (
	// ErrUnauthorized matches status 401: a missing or invalid credential.
	ErrUnauthorized = errors.New("client: unauthorized")
	// ErrForbidden matches status 403: valid credentials without permission.
	ErrForbidden = errors.New("client: forbidden")
	// ErrNotFound matches status 404.
	ErrNotFound = errors.New("client: not found")
	// ErrConflict matches status 409.
	ErrConflict = errors.New("client: conflict")
	// ErrIdempotencyConflict matches an idempotency key reused with a
	// different request; provider decoders set it as APIError.Kind.
	ErrIdempotencyConflict = errors.New("client: idempotency key reused with a different request")
	// ErrPaymentRequired matches status 402: a billing or plan problem.
	ErrPaymentRequired = errors.New("client: payment required")
	// ErrRateLimited matches status 429 and every *RateLimitError.
	ErrRateLimited = errors.New("client: rate limited")
	// ErrValidation matches statuses 400 and 422: the request was rejected
	// as malformed or invalid.
	ErrValidation = errors.New("client: invalid request")
	// ErrServer matches every status from 500 to 599.
	ErrServer = errors.New("client: server error")
)

// APIError is a response with a status outside 2xx. Provider packages fill
// Type, Code, Message, Param and Kind from their error envelope with an
// ErrorDecoder; the rest comes from the response.
type APIError struct {
	// Method and Path name the request (the path relative to the base URL,
	// without query).
	Method, Path string
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// Type is the provider's error type, such as Passmint's
	// "invalid_request_error"; empty when the provider has none.
	Type string
	// Code is the provider's machine-readable error code, if any.
	Code string
	// Message is the provider's human-readable message, or the status text
	// when the body has none.
	Message string
	// Param names the offending request parameter, if the provider says.
	Param string
	// RequestID is the provider's request id header, for support tickets.
	RequestID string
	// RetryAfter is the wait the server asked for in Retry-After, or zero.
	RetryAfter time.Duration
	// Attempts is how many attempts the call made.
	Attempts int
	// Header holds the response headers.
	Header http.Header
	// Body is the raw response body, capped at the client's response limit.
	Body []byte
	// Kind is an optional sentinel set by a provider's ErrorDecoder; the
	// error matches it with errors.Is in addition to the status sentinel.
	Kind error
	// Final, when a provider's ErrorDecoder sets it, stops the client from
	// retrying the request even though the status is retryable: for example
	// a 429 that reports a business rule (a check-in cooldown) rather than
	// a rate limit, which no retry within minutes can satisfy.
	Final bool
}

// Error describes the failure without credentials: method, path, status,
// provider type and code, message, parameter and request id.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "client: %s %s: status %d", e.Method, e.Path, e.StatusCode)
	if e.Type != "" {
		b.WriteString(" ")
		b.WriteString(e.Type)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " (code %s)", e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Param != "" {
		fmt.Fprintf(&b, " [param %s]", e.Param)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	}
	return b.String()
}

// Is reports whether target is e.Kind or the sentinel of e.StatusCode.
func (e *APIError) Is(target error) bool {
	if target == nil {
		return false
	}
	if e.Kind != nil && target == e.Kind {
		return true
	}
	return target == statusSentinel(e.StatusCode)
}

// statusSentinel maps an HTTP status to its default sentinel, or nil.
func statusSentinel(code int) error {
	switch {
	case code == http.StatusUnauthorized:
		return ErrUnauthorized
	case code == http.StatusForbidden:
		return ErrForbidden
	case code == http.StatusNotFound:
		return ErrNotFound
	case code == http.StatusConflict:
		return ErrConflict
	case code == http.StatusPaymentRequired:
		return ErrPaymentRequired
	case code == http.StatusTooManyRequests:
		return ErrRateLimited
	case code == http.StatusBadRequest, code == http.StatusUnprocessableEntity:
		return ErrValidation
	case code >= 500 && code <= 599:
		return ErrServer
	}
	return nil
}

// RateLimitError ends a call whose server asked, in Retry-After, for a
// longer wait than RetryPolicy.MaxRetryAfter allows the client to sleep.
// The caller can schedule the request again after RetryAfter.
type RateLimitError struct {
	// RetryAfter is the wait the server asked for.
	RetryAfter time.Duration
	// RetryAt is the client clock's time at which the wait ends.
	RetryAt time.Time
	// Err is the response that carried the Retry-After header.
	Err *APIError
}

// Error names the request and the wait.
func (e *RateLimitError) Error() string {
	return fmt.Sprintf("client: %s %s: rate limited: server asks to retry after %v (status %d)",
		e.Err.Method, e.Err.Path, e.RetryAfter, e.Err.StatusCode)
}

// Is matches ErrRateLimited.
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// Unwrap returns the underlying *APIError.
func (e *RateLimitError) Unwrap() error { return e.Err }

// ErrorDecoder fills the provider-specific fields of e (Type, Code,
// Message, Param and Kind) from e.Body and e.Header. It is called once per
// failed response with StatusCode, Header, RequestID, RetryAfter and Body
// already set, and must tolerate any body, including empty and non-JSON ones.
// Fields it leaves empty stay empty, except Message, which defaults to the
// status text.
type ErrorDecoder func(e *APIError)

// DecodeGenericError is the default ErrorDecoder. It understands the common
// JSON envelopes of the hosted pass APIs:
//
//	{"error": {"type": ..., "code": ..., "message": ..., "param": ...}}
//	{"error": "Too Many Requests", "message": "Retry after the indicated delay"}
//	{"success": false, "message": ..., "code": ...}
//	{"message": ...}
//
// and otherwise uses a short plain-text body as the message.
func DecodeGenericError(e *APIError) {
	body := bytes.TrimSpace(e.Body)
	if len(body) == 0 {
		return
	}
	var env struct {
		Error   json.RawMessage `json:"error"`
		Message json.RawMessage `json:"message"`
		Code    json.RawMessage `json:"code"`
		Type    json.RawMessage `json:"type"`
		Param   json.RawMessage `json:"param"`
	}
	if body[0] == '[' {
		return
	}
	if body[0] != '{' {
		if utf8.Valid(body) && len(body) <= 200 && !bytes.ContainsAny(body, "<>") {
			e.Message = string(body)
		}
		return
	}
	if json.Unmarshal(body, &env) != nil {
		return
	}
	e.Type = jsonscalar.Text(env.Type)
	e.Code = jsonscalar.Text(env.Code)
	e.Message = jsonscalar.Text(env.Message)
	e.Param = jsonscalar.Text(env.Param)
	if len(env.Error) > 0 {
		var inner struct {
			Type    json.RawMessage `json:"type"`
			Code    json.RawMessage `json:"code"`
			Message json.RawMessage `json:"message"`
			Param   json.RawMessage `json:"param"`
		}
		if env.Error[0] == '{' && json.Unmarshal(env.Error, &inner) == nil {
			e.Type = firstNonEmpty(jsonscalar.Text(inner.Type), e.Type)
			e.Code = firstNonEmpty(jsonscalar.Text(inner.Code), e.Code)
			e.Message = firstNonEmpty(jsonscalar.Text(inner.Message), e.Message)
			e.Param = firstNonEmpty(jsonscalar.Text(inner.Param), e.Param)
		} else if s := jsonscalar.Text(env.Error); s != "" {
			// {"error": "Too Many Requests", "message": "..."}: the string
			// names the problem; keep the longer message when both exist.
			if e.Message == "" {
				e.Message = s
			} else if e.Type == "" {
				e.Type = s
			}
		}
	}
}

// firstNonEmpty returns the first non-empty string.
func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

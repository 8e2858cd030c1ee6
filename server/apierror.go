package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/passforge/passforge/pass"
)

// MaxRequestBody is the largest admin API request body, in bytes; a larger
// one is answered 413.
const MaxRequestBody = 1 << 20

// Error codes of the admin API, the "code" of its JSON error bodies.
const (
	// CodeBadRequest is a malformed body: not JSON, unknown fields, wrong types (400).
	CodeBadRequest = "bad_request"
	// CodeUnauthorized is a missing or wrong admin token (401).
	CodeUnauthorized = "unauthorized"
	// CodeNotFound is an unknown pass or endpoint (404).
	CodeNotFound = "not_found"
	// CodeMethodNotAllowed is a method the endpoint does not take (405, with Allow).
	CodeMethodNotAllowed = "method_not_allowed"
	// CodeConflict is a serial number already in use (409).
	CodeConflict = "conflict"
	// CodeTooLarge is a body over MaxRequestBody (413).
	CodeTooLarge = "request_too_large"
	// CodeInvalidValues is values that do not make a valid pass (422, with problems).
	CodeInvalidValues = "invalid_values"
	// CodeInternal is any other failure, logged by the service (500).
	CodeInternal = "internal_error"
)

// Problem is one validation problem of a 422 answer: where it is (a JSON
// path such as "values.points" or "storeCard.primaryFields[0].value") and
// what is wrong.
type Problem struct {
	// Path is the JSON path of the problem.
	Path string `json:"path"`
	// Message says what is wrong.
	Message string `json:"message"`
	// Rule is the pass validation rule that found it, when there is one.
	Rule string `json:"rule,omitempty"`
}

// apiError is an admin API failure: the HTTP status and the JSON error body.
type apiError struct {
	Status   int       `json:"-"`
	Code     string    `json:"code"`
	Message  string    `json:"message"`
	Problems []Problem `json:"problems,omitempty"`
}

func (e *apiError) Error() string { return "server: " + e.Message }

func errorf(status int, code, format string, a ...any) *apiError {
	return &apiError{Status: status, Code: code, Message: fmt.Sprintf(format, a...)}
}

// writeJSON answers status with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// writeError answers with the JSON error body of e.
func writeError(w http.ResponseWriter, e *apiError) {
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="passforge"`)
	}
	writeJSON(w, e.Status, struct {
		Error *apiError `json:"error"`
	}{e})
}

// decodeBody reads the JSON object of r's body into v: at most
// MaxRequestBody bytes (413 beyond), no unknown fields, nothing after the
// object (400, naming the problem).
func decodeBody(w http.ResponseWriter, r *http.Request, v any) *apiError {
	body := http.MaxBytesReader(w, r.Body, MaxRequestBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			err = errors.New("unexpected data after the JSON object")
			if terr != nil && !isSyntax(terr) {
				err = terr
			}
		}
	}
	if err == nil {
		return nil
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errorf(http.StatusRequestEntityTooLarge, CodeTooLarge, "the request body is larger than %d bytes", MaxRequestBody)
	}
	return errorf(http.StatusBadRequest, CodeBadRequest, "request body: %s", describeJSONError(err))
}

func isSyntax(err error) bool {
	var se *json.SyntaxError
	return errors.As(err, &se)
}

// describeJSONError says what is wrong with a JSON body in words that name
// the offending field or offset.
func describeJSONError(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return "empty; want a JSON object"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "malformed JSON: unexpected end"
	case errors.As(err, &se):
		return fmt.Sprintf("malformed JSON at offset %d: %s", se.Offset, strings.TrimPrefix(se.Error(), "json: "))
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			return fmt.Sprintf("want a JSON object, not %s", te.Value)
		}
		return fmt.Sprintf("field %q: want %s, not %s", field, jsonKind(te.Type.Kind().String()), te.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "map", "struct":
		return "an object"
	case "slice", "array":
		return "an array"
	case "bool":
		return "true or false"
	}
	return "a " + goKind
}

// problemsOf returns the problems of a validation error, errors only.
func problemsOf(ve *pass.ValidationError) []Problem {
	var out []Problem
	for _, p := range ve.Errors() {
		out = append(out, Problem{Path: p.Path, Message: p.Message, Rule: p.Rule})
	}
	return out
}

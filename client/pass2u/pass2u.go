package pass2u

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/provider"
)

// DefaultBaseURL is the base URL of Pass API 2.0; operation paths such as
// /models/{modelId}/passes are appended to it.
const DefaultBaseURL = "https://api.pass2u.net/v2"

// APIKeyHeader is the header Pass2U reads the API key from.
const APIKeyHeader = "x-api-key"

// ContentTypePKPass is the media type of a .pkpass download, sent in the
// Accept header of Download.
const ContentTypePKPass = "application/vnd.apple.pkpass"

// downloadPageBase is the public pass download page of the docs' note:
// https://www.pass2u.net/d/{passId}.
const downloadPageBase = "https://www.pass2u.net/d/"

// Client talks to Pass2U's Pass API 2.0. Each resource has a service:
// c.Passes.Create(ctx, ...), c.Images.Upload(ctx, ...). A Client is safe
// for concurrent use.
type Client struct {
	// Passes creates, updates, resets and downloads passes of a model.
	Passes *PassesService
	// Images uploads PNG images for the images of a pass.
	Images *ImagesService

	core *client.Client
}

// New returns a Client authenticated with apiKey, sent in the x-api-key
// header. opts are applied after Pass2U's defaults (base URL
// DefaultBaseURL, Pass2U's error responses), so client.WithBaseURL points
// the client at a fake server and client.WithRetryPolicy,
// client.WithLogger and the others tune it. Pass2U has no idempotency
// keys, so writes are retried only when they never reached the server or
// were answered 429 or 503 (not processed).
func New(apiKey string, opts ...client.Option) (*Client, error) {
	if strings.TrimSpace(apiKey) == "" {
		return nil, errors.New("pass2u: API key is empty")
	}
	base := []client.Option{
		client.WithBaseURL(DefaultBaseURL),
		client.WithAPIKey(APIKeyHeader, apiKey),
		client.WithErrorDecoder(decodeError),
		client.WithUserAgent("passforge-pass2u"),
		// Pass2U runs its services on AWS, whose API gateways name each
		// request in x-amzn-RequestId; the generic names are tried after it.
		client.WithRequestIDHeader("X-Amzn-Requestid", "X-Request-Id", "Request-Id"),
	}
	core, err := client.New(append(base, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("pass2u: %w", err)
	}
	c := &Client{core: core}
	c.Passes = &PassesService{c: c}
	c.Images = &ImagesService{c: c}
	return c, nil
}

// Error codes of Pass2U's error table, set as client.APIError.Code from
// the status when the body does not carry a code. Pass2U's error body is
// {"message": "..."}, which becomes APIError.Message.
const (
	// ErrorBadRequest is status 400 (not retried).
	ErrorBadRequest = "Bad Request Exception"
	// ErrorAccessDenied is status 403, such as a wrong API key (not
	// retried).
	ErrorAccessDenied = "Access Denied Exception"
	// ErrorNotFound is status 404, an unknown model or pass (not retried).
	ErrorNotFound = "Not Found Exception"
	// ErrorBadMethod is status 405 (not retried).
	ErrorBadMethod = "Bad Method"
	// ErrorNotAcceptable is Pass2U's "HTTP Not Acceptable". The table
	// lists it under 405; it is also used for 406, the standard status
	// of an unacceptable Accept header (not retried).
	ErrorNotAcceptable = "HTTP Not Acceptable"
	// ErrorConflict is status 409 (not retried).
	ErrorConflict = "Conflict Exception"
	// ErrorUnsupportedType is status 415, a Content-Type Pass2U does not
	// take (not retried).
	ErrorUnsupportedType = "HTTP Unsupport Type"
	// ErrorTooManyRequests is status 429, more than 100 requests per
	// second for the key (retried).
	ErrorTooManyRequests = "Too Many Requests Exception"
	// ErrorServiceUnavailable is status 503 (retried).
	ErrorServiceUnavailable = "Service Unavailable Exception"
	// ErrorEndpointTimeout is status 504 (retried).
	ErrorEndpointTimeout = "Endpoint Request Timed-out Exception"
)

// errorCodes maps the statuses of Pass2U's error table to its error codes.
var errorCodes = map[int]string{
	http.StatusBadRequest:           ErrorBadRequest,
	http.StatusForbidden:            ErrorAccessDenied,
	http.StatusNotFound:             ErrorNotFound,
	http.StatusMethodNotAllowed:     ErrorBadMethod,
	http.StatusNotAcceptable:        ErrorNotAcceptable,
	http.StatusConflict:             ErrorConflict,
	http.StatusUnsupportedMediaType: ErrorUnsupportedType,
	http.StatusTooManyRequests:      ErrorTooManyRequests,
	http.StatusServiceUnavailable:   ErrorServiceUnavailable,
	http.StatusGatewayTimeout:       ErrorEndpointTimeout,
}

// decodeError reads Pass2U's {"message": "..."} body into e and sets the
// error code of the status from Pass2U's table. A request Pass2U refuses
// for its method or media type (405, 406, 415) also matches
// client.ErrValidation.
func decodeError(e *client.APIError) {
	client.DecodeGenericError(e)
	if e.Code == "" {
		e.Code = errorCodes[e.StatusCode]
	}
	switch e.StatusCode {
	case http.StatusMethodNotAllowed, http.StatusNotAcceptable, http.StatusUnsupportedMediaType:
		e.Kind = client.ErrValidation
	}
}

// segment escapes one path segment, rejecting empty and dot segments.
func segment(what, v string) (string, error) {
	s, err := provider.Segment(what, v)
	if err != nil {
		return "", fmt.Errorf("pass2u: %w", err)
	}
	return s, nil
}

// passPath returns /models/{modelId}/passes/{passId} with both ids
// escaped.
func passPath(modelID, passID string) (string, error) {
	m, err := segment("model id", modelID)
	if err != nil {
		return "", err
	}
	p, err := segment("pass id", passID)
	if err != nil {
		return "", err
	}
	return "/models/" + m + "/passes/" + p, nil
}

// wrap prefixes client errors with the operation name while keeping
// *client.APIError reachable with errors.As.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("pass2u: %s: %w", op, err)
}

// ModelID is the id of an issuing model. Pass2U sends it as a JSON number
// in responses ("modelId": 1919) while paths take it as text; ModelID
// accepts both a number and a string.
type ModelID string

// UnmarshalJSON accepts a JSON number, a JSON string or null.
func (m *ModelID) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	switch {
	case s == "null":
		return nil
	case strings.HasPrefix(s, `"`):
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*m = ModelID(v)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("pass2u: modelId: %s is neither a number nor a string", s)
	}
	*m = ModelID(n.String())
	return nil
}

// String returns the id as text.
func (m ModelID) String() string { return string(m) }

// parseTime reads an ISO 8601 date-time with time zone, the format of
// Pass2U's dates ("2018-01-25T16:19:36+08:00"); "" is the zero time.
func parseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("pass2u: %s: %q is not an ISO 8601 date-time with time zone", field, s)
	}
	return t, nil
}

package client

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Request describes one API call. The zero Method is GET. Exactly one of
// Body, RawBody and Multipart may be set; the body is encoded once and the
// same bytes are sent on every attempt.
type Request struct {
	// Method is the HTTP method. If empty, GET.
	Method string
	// Path is appended to the client's base URL. It starts with "/", is
	// already escaped (build it with url.PathEscape for ids), and has no
	// query, fragment, "." or ".." segment.
	Path string
	// Query holds the query parameters.
	Query url.Values
	// Body, when not nil, is encoded as JSON with Content-Type
	// application/json.
	Body any
	// RawBody is sent as is with ContentType, for example a PNG image.
	RawBody []byte
	// ContentType is the Content-Type of RawBody. Required with RawBody.
	ContentType string
	// Multipart, when not nil, is encoded as multipart/form-data.
	Multipart *Multipart
	// Header holds extra request headers, such as Accept. Headers the client
	// manages (auth, idempotency key, Content-Type, User-Agent) win over it.
	Header http.Header
	// Idempotent marks a request that is safe to send twice even without an
	// idempotency key, such as a PUT that sets absolute values or a DELETE
	// the provider documents as idempotent. GET, HEAD, OPTIONS and TRACE are
	// always treated as idempotent; un-keyed POST, PATCH, PUT and DELETE
	// are not, unless marked.
	Idempotent bool
	// IdempotencyKey is a caller-chosen key, sent in the client's
	// idempotency header for any method. If empty, the client generates a
	// key for POST and PATCH when it has an idempotency header.
	IdempotencyKey string
	// NoIdempotencyKey stops the client from generating a key for this
	// call, for endpoints that reject the header.
	NoIdempotencyKey bool
	// WantIdempotencyKey makes the client generate a key for this call
	// whatever its method, for example a PUT or DELETE the provider
	// accepts keys on. It needs a client with an idempotency header.
	WantIdempotencyKey bool
	// Secrets are credentials this request carries besides the client's own,
	// such as a customer token in the query. The client removes them (as
	// given and query-escaped) from errors, log records, retry events and
	// the Response of a failed call, like its own credential.
	Secrets []string
}

// Multipart is a multipart/form-data body.
type Multipart struct {
	// Fields are plain form fields, sent in order.
	Fields []FormField
	// Files are file parts, sent after the fields, in order.
	Files []FormFile
}

// FormField is one plain field of a multipart body.
type FormField struct {
	// Name is the form field name.
	Name string
	// Value is the field's value.
	Value string
}

// FormFile is one file part of a multipart body.
type FormFile struct {
	// FieldName is the form field name, such as "file".
	FieldName string
	// FileName is the file name sent in Content-Disposition.
	FileName string
	// ContentType is the part's Content-Type. If empty,
	// application/octet-stream.
	ContentType string
	// Data is the file content.
	Data []byte
}

// encode writes m and returns the body and its Content-Type.
func (m *Multipart) encode() ([]byte, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, f := range m.Fields {
		if f.Name == "" {
			return nil, "", fmt.Errorf("multipart field with empty name")
		}
		if err := w.WriteField(f.Name, f.Value); err != nil {
			return nil, "", fmt.Errorf("multipart field %q: %w", f.Name, err)
		}
	}
	for i, f := range m.Files {
		if f.FieldName == "" {
			return nil, "", fmt.Errorf("multipart file %d: empty field name", i)
		}
		ct := f.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%s; filename=%s`,
			strconv.Quote(f.FieldName), strconv.Quote(f.FileName)))
		h.Set("Content-Type", ct)
		pw, err := w.CreatePart(h)
		if err != nil {
			return nil, "", fmt.Errorf("multipart file %q: %w", f.FieldName, err)
		}
		if _, err := pw.Write(f.Data); err != nil {
			return nil, "", fmt.Errorf("multipart file %q: %w", f.FieldName, err)
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", fmt.Errorf("multipart: %w", err)
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

// Response describes the outcome of a call: the last attempt's status and
// headers, what the client read from them, and how many attempts it took.
// Do and Stream return it also with an *APIError, when there was a response.
type Response struct {
	// StatusCode is the HTTP status of the last attempt.
	StatusCode int
	// Header holds the last attempt's response headers, with the call's
	// credentials replaced by "[REDACTED]" where a header echoed one.
	Header http.Header
	// RequestID is the provider's request id, if the response had one.
	RequestID string
	// RateLimit holds the X-RateLimit-* headers, if present.
	RateLimit RateLimit
	// Attempts is the number of attempts made, the first included.
	Attempts int
	// IdempotencyKey is the key sent with the request, or "".
	IdempotencyKey string
	// Body is the raw response body (nil for Stream), capped at the
	// client's response limit. The body of a failed call has the call's
	// credentials redacted, like the *APIError; a 2xx body is kept as sent.
	Body []byte
}

// RateLimit is the provider's rate-limit state from the
// X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers.
type RateLimit struct {
	// Limit is the number of requests allowed per window; -1 when the
	// header is absent or malformed.
	Limit int
	// Remaining is the number of requests left in the window; -1 when the
	// header is absent or malformed.
	Remaining int
	// Reset is when the window resets; zero when the header is absent or
	// malformed. X-RateLimit-Reset is read as Unix seconds when it is larger
	// than 10⁹ and as seconds from now otherwise, or as an HTTP date.
	Reset time.Time
}

// parseRateLimit reads the X-RateLimit-* headers of h.
func parseRateLimit(h http.Header, now time.Time) RateLimit {
	rl := RateLimit{Limit: headerInt(h, "X-RateLimit-Limit"), Remaining: headerInt(h, "X-RateLimit-Remaining")}
	v := strings.TrimSpace(h.Get("X-RateLimit-Reset"))
	if v == "" {
		return rl
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil && n >= 0 && n < 1e11 {
		if n > 1e9 {
			sec := int64(n)
			rl.Reset = time.Unix(sec, int64((n-float64(sec))*1e9))
		} else {
			rl.Reset = now.Add(time.Duration(n * float64(time.Second)))
		}
		return rl
	}
	if t, err := http.ParseTime(v); err == nil {
		rl.Reset = t
	}
	return rl
}

// headerInt parses a non-negative integer header, or returns -1.
func headerInt(h http.Header, name string) int {
	v := strings.TrimSpace(h.Get(name))
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

package remypass

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/jsonscalar"
)

// DefaultBaseURL is RemyPass's public API base; operation paths are
// relative to it.
const DefaultBaseURL = "https://api.remypass.com/api/v1/public"

// APIKeyHeader is the header RemyPass reads API keys from.
const APIKeyHeader = "X-API-Key"

// Client talks to the RemyPass public API. A Client is safe for concurrent
// use.
type Client struct {
	// Passes issues passes to members.
	Passes *PassesService

	core *client.Client
}

// New returns a Client authenticated with apiKey, sent in the X-API-Key
// header. opts are applied after RemyPass's defaults (base URL
// DefaultBaseURL, RemyPass's error envelope), so client.WithBaseURL points
// the client at a fake server and client.WithRetryPolicy,
// client.WithLogger and the others tune it.
//
// RemyPass documents no idempotency keys, so an issue that may have
// reached the server is never retried: a retry could issue a second pass
// and send a second email.
func New(apiKey string, opts ...client.Option) (*Client, error) {
	if strings.TrimSpace(apiKey) == "" {
		return nil, errors.New("remypass: API key is empty")
	}
	return newClient(client.WithAPIKey(APIKeyHeader, apiKey), opts)
}

// NewBearer returns a Client that sends apiKey as "Authorization: Bearer
// <key>", which RemyPass accepts as well as X-API-Key. Options are applied
// as in New.
func NewBearer(apiKey string, opts ...client.Option) (*Client, error) {
	if strings.TrimSpace(apiKey) == "" {
		return nil, errors.New("remypass: API key is empty")
	}
	return newClient(client.WithBearerToken(apiKey), opts)
}

// newClient builds the core with RemyPass's defaults and the caller's
// options after them.
func newClient(auth client.Option, opts []client.Option) (*Client, error) {
	base := []client.Option{
		client.WithBaseURL(DefaultBaseURL),
		auth,
		client.WithErrorDecoder(decodeError),
		client.WithUserAgent("passforge-remypass"),
	}
	core, err := client.New(append(base, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("remypass: %w", err)
	}
	c := &Client{core: core}
	c.Passes = &PassesService{c: c}
	return c, nil
}

// Envelope is RemyPass's response wrapper {"success", "message", "data"},
// used by successful and failed responses alike.
type Envelope struct {
	// Success reports whether RemyPass carried out the request ("success").
	Success bool `json:"success"`
	// Message is RemyPass's human-readable message ("message").
	Message string `json:"message"`
	// Data is the operation's result as received ("data"); its shape is
	// not documented. Decode it with DecodeData.
	Data json.RawMessage `json:"data"`
}

// DecodeData decodes Data into v. It fails when Data is absent or null.
func (e *Envelope) DecodeData(v any) error {
	d := bytes.TrimSpace(e.Data)
	if len(d) == 0 || string(d) == "null" {
		return errors.New("remypass: response has no data")
	}
	if err := json.Unmarshal(d, v); err != nil {
		return fmt.Errorf("remypass: decoding data: %w", err)
	}
	return nil
}

// ErrUnsuccessful is returned, wrapped, when a 2xx response carries
// "success": false; the envelope is returned with it.
var ErrUnsuccessful = errors.New("remypass: response reports success false")

// decodeError reads RemyPass's envelope {"success": false, "message": ...}
// into e, with "code" and "error" when present, and falls back to
// client.DecodeGenericError for other bodies.
func decodeError(e *client.APIError) {
	body := bytes.TrimSpace(e.Body)
	var env struct {
		Message json.RawMessage `json:"message"`
		Code    json.RawMessage `json:"code"`
		Error   json.RawMessage `json:"error"`
		Param   json.RawMessage `json:"param"`
		Field   json.RawMessage `json:"field"`
	}
	if len(body) == 0 || body[0] != '{' || json.Unmarshal(body, &env) != nil {
		client.DecodeGenericError(e)
		return
	}
	e.Message = jsonscalar.Text(env.Message)
	e.Code = jsonscalar.Text(env.Code)
	e.Param = jsonscalar.Text(env.Param)
	if e.Param == "" {
		e.Param = jsonscalar.Text(env.Field)
	}
	if s := jsonscalar.Text(env.Error); s != "" {
		if e.Message == "" {
			e.Message = s
		} else {
			e.Type = s
		}
	} else if len(bytes.TrimSpace(env.Error)) > 0 && e.Message == "" {
		client.DecodeGenericError(e) // {"error": {"message": ...}}
	}
}

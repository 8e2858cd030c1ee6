package passlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/provider"
)

// Business is the business an API key or token belongs to. PassLite's
// reference uses GET /businesses/me without showing its response; the id
// (the {business_id} of every other path) and name are typed and Raw
// holds the whole object.
type Business struct {
	// ID is the business id ("id", biz_123).
	ID string `json:"id"`
	// Name is the business name ("name").
	Name string `json:"name"`
	// Raw is the whole JSON object as received.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the typed fields and keeps the raw object.
func (b *Business) UnmarshalJSON(data []byte) error {
	type plain Business
	return provider.UnmarshalRaw(data, (*plain)(b), &b.Raw)
}

// BusinessesService reads the authenticated business.
type BusinessesService struct{ c *Client }

// Me returns the business of the client's credential (GET /businesses/me),
// whose ID the other services take as businessID.
func (s *BusinessesService) Me(ctx context.Context) (*Business, *client.Response, error) {
	return doObject[Business](ctx, s.c, call{op: "get business", req: &client.Request{Path: "/businesses/me"}})
}

// CustomersService serves pass holders: passwordless magic-link login and
// pass recovery (/public/customer). These endpoints need no API key; the
// client's credential is sent anyway and ignored.
type CustomersService struct{ c *Client }

// MagicLink is the response of SendMagicLink. PassLite always answers
// {"sent": true}, whether or not the address has passes, so that
// addresses cannot be enumerated.
type MagicLink struct {
	// Sent is true when PassLite accepted the request ("sent").
	Sent bool `json:"sent"`
	// Raw is the whole JSON object as received.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the typed fields and keeps the raw object.
func (m *MagicLink) UnmarshalJSON(b []byte) error {
	type plain MagicLink
	return provider.UnmarshalRaw(b, (*plain)(m), &m.Raw)
}

// SendMagicLink emails a customer a login link valid for 15 minutes
// (POST /public/customer/magic-link).
func (s *CustomersService) SendMagicLink(ctx context.Context, email string) (*MagicLink, *client.Response, error) {
	const op = "send magic link"
	if strings.TrimSpace(email) == "" {
		return nil, nil, fmt.Errorf("passlite: %s: email is empty", op)
	}
	return doObject[MagicLink](ctx, s.c, call{op: op, req: &client.Request{
		Method: http.MethodPost, Path: "/public/customer/magic-link", Body: map[string]string{"email": email},
	}})
}

// Passes returns every pass of the customer a magic-link token belongs to,
// with stamps, points and balance (GET /public/customer/passes?token=...).
// The token is a credential: it is kept out of the errors this returns.
func (s *CustomersService) Passes(ctx context.Context, token string) ([]Pass, *client.Response, error) {
	const op = "list customer passes"
	if strings.TrimSpace(token) == "" {
		return nil, nil, errors.New("passlite: list customer passes: token is empty")
	}
	var raw json.RawMessage
	resp, err := s.c.do(ctx, call{op: op, req: &client.Request{
		Path: "/public/customer/passes", Query: url.Values{"token": {token}},
		Secrets: []string{token},
	}}, &raw)
	if err != nil {
		return nil, resp, err
	}
	passes, err := decodeList[Pass](raw, "passes", "data", "items", "results")
	if err != nil {
		return nil, resp, fmt.Errorf("passlite: %s: %w", op, err)
	}
	return passes, resp, nil
}

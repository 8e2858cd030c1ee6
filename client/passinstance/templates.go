package passinstance

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/http"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/provider"
)

// PassType is the Wallet style of a template (passType).
type PassType string

// Pass types, with Apple's style names.
const (
	// PassTypeGeneric is a generic pass.
	PassTypeGeneric PassType = "generic"
	// PassTypeStoreCard is a store card, such as a loyalty card.
	PassTypeStoreCard PassType = "storeCard"
	// PassTypeEventTicket is an event ticket.
	PassTypeEventTicket PassType = "eventTicket"
	// PassTypeCoupon is a coupon.
	PassTypeCoupon PassType = "coupon"
	// PassTypeBoardingPass is a boarding pass.
	PassTypeBoardingPass PassType = "boardingPass"
)

// Template is a reusable pass design: wallet structure, branding, pass
// type and colors. The reference describes what a template holds without
// its member names; the members below use Apple's key names, and
// everything else the server returns is in Raw (see Lookup).
type Template struct {
	// ID is the template's id (such as tpl_abcdef1234567890), used as
	// PassCreateParams.TemplateID.
	ID string `json:"id"`
	// Name is the template's name (name).
	Name string `json:"name"`
	// PassType is the Wallet style (passType).
	PassType PassType `json:"passType"`
	// OrganizationName is Apple's organizationName.
	OrganizationName string `json:"organizationName"`
	// Description is Apple's description.
	Description string `json:"description"`
	// BackgroundColor is Apple's backgroundColor.
	BackgroundColor string `json:"backgroundColor"`
	// ForegroundColor is Apple's foregroundColor.
	ForegroundColor string `json:"foregroundColor"`
	// LabelColor is Apple's labelColor.
	LabelColor string `json:"labelColor"`
	// PassTypeIdentifier is Apple's passTypeIdentifier, the wallet
	// identity.
	PassTypeIdentifier string `json:"passTypeIdentifier"`
	// TeamIdentifier is Apple's teamIdentifier.
	TeamIdentifier string `json:"teamIdentifier"`
	// Raw is the whole JSON object as received.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the named fields and keeps the raw object.
func (t *Template) UnmarshalJSON(b []byte) error {
	type plain Template
	return provider.UnmarshalRaw(b, (*plain)(t), &t.Raw)
}

// TemplateCreateParams are the body of POST /templates. Empty members are
// left out.
type TemplateCreateParams struct {
	// Name is the template's name (name).
	Name string `json:"name,omitempty"`
	// PassType is the Wallet style (passType).
	PassType PassType `json:"passType,omitempty"`
	// OrganizationName is Apple's organizationName.
	OrganizationName string `json:"organizationName,omitempty"`
	// Description is Apple's description.
	Description string `json:"description,omitempty"`
	// BackgroundColor is Apple's backgroundColor, such as "rgb(0,0,0)".
	BackgroundColor string `json:"backgroundColor,omitempty"`
	// ForegroundColor is Apple's foregroundColor.
	ForegroundColor string `json:"foregroundColor,omitempty"`
	// LabelColor is Apple's labelColor.
	LabelColor string `json:"labelColor,omitempty"`
	// PassTypeIdentifier is Apple's passTypeIdentifier.
	PassTypeIdentifier string `json:"passTypeIdentifier,omitempty"`
	// TeamIdentifier is Apple's teamIdentifier.
	TeamIdentifier string `json:"teamIdentifier,omitempty"`
	// Extra holds members these fields do not name (fields, images and
	// so on), added to the body as they are. A key a typed field also
	// sets is an error.
	Extra map[string]any `json:"-"`
}

// MarshalJSON writes the typed fields and Extra.
func (p TemplateCreateParams) MarshalJSON() ([]byte, error) {
	type plain TemplateCreateParams
	return withExtra(plain(p), nil, p.Extra)
}

// TemplatesService creates and reads templates (/templates).
type TemplatesService struct{ c *Client }

// Create creates a template (POST /templates). It is retried only when
// the request never reached the server or was refused unprocessed (429,
// 503).
func (s *TemplatesService) Create(ctx context.Context, params *TemplateCreateParams) (*Template, *client.Response, error) {
	body, err := requireBody("create template", params)
	if err != nil {
		return nil, nil, err
	}
	return send[Template](ctx, s.c, "create template", http.MethodPost, "/templates", body, "template")
}

// List returns one page of templates (GET /templates).
func (s *TemplatesService) List(ctx context.Context, params *ListParams) (*Page[Template], *client.Response, error) {
	return list[Template](ctx, s.c, "list templates", "/templates", "templates", params)
}

// ListAll iterates over every template, fetching pages lazily.
func (s *TemplatesService) ListAll(ctx context.Context, params *ListParams) iter.Seq2[Template, error] {
	return listAll(ctx, s.c, "list templates", "/templates", "templates", params, func(t Template) string { return t.ID })
}

// Get retrieves a template (GET /templates/{id}).
func (s *TemplatesService) Get(ctx context.Context, id string) (*Template, *client.Response, error) {
	path, err := idPath("/templates", "template", id)
	if err != nil {
		return nil, nil, err
	}
	return send[Template](ctx, s.c, "get template", http.MethodGet, path, nil, "template")
}

// requireBody marshals the params of a create call and rejects nil and
// empty ones.
func requireBody[T json.Marshaler](op string, params *T) (json.RawMessage, error) {
	if params == nil {
		return nil, errors.New("passinstance: " + op + ": no parameters")
	}
	b, err := (*params).MarshalJSON()
	if err != nil {
		return nil, wrap(op, err)
	}
	if string(b) == "{}" {
		return nil, errors.New("passinstance: " + op + ": the request body would be empty")
	}
	return b, nil
}

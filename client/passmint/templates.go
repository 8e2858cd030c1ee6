package passmint

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/provider"
)

// TemplateType is the kind of pass a template makes.
type TemplateType string

// Template types accepted by Passmint.
const (
	TemplateTypeEvent      TemplateType = "event"
	TemplateTypeMembership TemplateType = "membership"
	TemplateTypeCoupon     TemplateType = "coupon"
	TemplateTypeLoyalty    TemplateType = "loyalty"
	TemplateTypeGeneric    TemplateType = "generic"
)

// AppleStyle is the Apple Wallet pass style of a template.
type AppleStyle string

// Apple pass styles, the keys of pass.json that hold the fields.
const (
	AppleStyleEventTicket  AppleStyle = "eventTicket"
	AppleStyleGeneric      AppleStyle = "generic"
	AppleStyleStoreCard    AppleStyle = "storeCard"
	AppleStyleCoupon       AppleStyle = "coupon"
	AppleStyleBoardingPass AppleStyle = "boardingPass"
)

// Template is a pass design that passes are issued from
// ("object": "template").
type Template struct {
	// Object is always "template".
	Object string `json:"object"`
	// ID is the unique identifier (tmpl_xxx).
	ID string `json:"id"`
	// Name is the display name.
	Name string `json:"name"`
	// Type is one of event, membership, coupon, loyalty, generic.
	Type TemplateType `json:"type"`
	// AppleStyle is one of eventTicket, generic, storeCard, coupon,
	// boardingPass.
	AppleStyle AppleStyle `json:"apple_style"`
	// Design is the design configuration; Passmint does not document its
	// shape, so it is kept as raw JSON.
	Design json.RawMessage `json:"design"`
	// Archived reports whether the template is archived.
	Archived bool `json:"archived"`
	// CreatedAt is the creation time.
	CreatedAt time.Time `json:"created_at"`
	// UpdatedAt is the last update time.
	UpdatedAt time.Time `json:"updated_at"`
	// Raw is the whole JSON object as received.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the raw object.
func (t *Template) UnmarshalJSON(b []byte) error {
	type plain Template
	return provider.UnmarshalRaw(b, (*plain)(t), &t.Raw)
}

// TemplateCreateParams are the fields of POST /v1/templates; all are
// required.
type TemplateCreateParams struct {
	// Name is the display name.
	Name string `json:"name"`
	// Type is one of the TemplateType constants.
	Type TemplateType `json:"type"`
	// AppleStyle is one of the AppleStyle constants.
	AppleStyle AppleStyle `json:"apple_style"`
	// Design is the design configuration, any JSON object.
	Design json.RawMessage `json:"design"`
	// IdempotencyKey, if set, is sent instead of a generated key.
	IdempotencyKey string `json:"-"`
}

// TemplateUpdateParams are the fields of PATCH /v1/templates/:id; all are
// optional and nil fields are not sent.
type TemplateUpdateParams struct {
	// Name is the updated display name.
	Name *string `json:"name,omitempty"`
	// Design is the updated design configuration.
	Design json.RawMessage `json:"design,omitempty"`
	// Archived set to true archives the template.
	Archived *bool `json:"archived,omitempty"`
	// IdempotencyKey, if set, is sent instead of a generated key.
	IdempotencyKey string `json:"-"`
}

// TemplateListParams tune GET /v1/templates. A nil *TemplateListParams
// uses Passmint's defaults.
type TemplateListParams struct {
	// Limit is the page size, 1 to 100. If zero, Passmint's default (50).
	Limit int
	// StartingAfter is the id of the last template of the previous page;
	// see PassesService.ListAll.
	StartingAfter string
}

// TemplatesService manages pass templates (/v1/templates).
type TemplatesService struct{ c *Client }

// Create creates a template (POST /v1/templates) with an idempotency key.
func (s *TemplatesService) Create(ctx context.Context, params *TemplateCreateParams) (*Template, *client.Response, error) {
	if err := params.validate(); err != nil {
		return nil, nil, err
	}
	return send[Template](ctx, s.c, "create template", &client.Request{
		Method: http.MethodPost, Path: "/v1/templates", Body: params, IdempotencyKey: params.IdempotencyKey,
	})
}

// validate checks the required fields and the documented enumerations.
func (p *TemplateCreateParams) validate() error {
	if p == nil {
		return errors.New("passmint: create template: nil params")
	}
	var missing []string
	if p.Name == "" {
		missing = append(missing, "name")
	}
	if p.Type == "" {
		missing = append(missing, "type")
	}
	if p.AppleStyle == "" {
		missing = append(missing, "apple_style")
	}
	if len(p.Design) == 0 {
		missing = append(missing, "design")
	}
	if len(missing) > 0 {
		return errors.New("passmint: create template: required: " + strings.Join(missing, ", "))
	}
	switch p.Type {
	case TemplateTypeEvent, TemplateTypeMembership, TemplateTypeCoupon, TemplateTypeLoyalty, TemplateTypeGeneric:
	default:
		return errors.New("passmint: create template: type " + strconv.Quote(string(p.Type)) + " is not one of event, membership, coupon, loyalty, generic")
	}
	switch p.AppleStyle {
	case AppleStyleEventTicket, AppleStyleGeneric, AppleStyleStoreCard, AppleStyleCoupon, AppleStyleBoardingPass:
	default:
		return errors.New("passmint: create template: apple_style " + strconv.Quote(string(p.AppleStyle)) + " is not one of eventTicket, generic, storeCard, coupon, boardingPass")
	}
	if !json.Valid(p.Design) {
		return errors.New("passmint: create template: design is not valid JSON")
	}
	return nil
}

// List returns one page of non-archived templates (GET /v1/templates).
func (s *TemplatesService) List(ctx context.Context, params *TemplateListParams) (*List[Template], *client.Response, error) {
	q := url.Values{}
	if params != nil {
		if err := pageQuery(q, params.Limit, 100, params.StartingAfter); err != nil {
			return nil, nil, err
		}
	}
	return send[List[Template]](ctx, s.c, "list templates", &client.Request{Path: "/v1/templates", Query: q})
}

// ListAll iterates over every non-archived template, fetching pages lazily
// with starting_after as PassesService.ListAll does.
func (s *TemplatesService) ListAll(ctx context.Context, params *TemplateListParams) iter.Seq2[Template, error] {
	var p TemplateListParams
	if params != nil {
		p = *params
	}
	return listAll(ctx, p.StartingAfter, func(ctx context.Context, after string) (*List[Template], error) {
		p.StartingAfter = after
		l, _, err := s.List(ctx, &p)
		return l, err
	}, func(t Template) string { return t.ID })
}

// Get retrieves a template by id, archived ones included
// (GET /v1/templates/:id).
func (s *TemplatesService) Get(ctx context.Context, id string) (*Template, *client.Response, error) {
	path, err := idPath("/v1/templates", "template", id)
	if err != nil {
		return nil, nil, err
	}
	return send[Template](ctx, s.c, "retrieve template", &client.Request{Path: path})
}

// Update changes a template's name, design or archived status
// (PATCH /v1/templates/:id) with an idempotency key.
func (s *TemplatesService) Update(ctx context.Context, id string, params *TemplateUpdateParams) (*Template, *client.Response, error) {
	path, err := idPath("/v1/templates", "template", id)
	if err != nil {
		return nil, nil, err
	}
	if params == nil {
		params = &TemplateUpdateParams{}
	}
	if len(params.Design) > 0 && !json.Valid(params.Design) {
		return nil, nil, errors.New("passmint: update template: design is not valid JSON")
	}
	return send[Template](ctx, s.c, "update template", &client.Request{
		Method: http.MethodPatch, Path: path, Body: params, IdempotencyKey: params.IdempotencyKey,
	})
}

// Archive archives a template (DELETE /v1/templates/:id). Existing passes
// stay valid; no new passes can be issued from it.
func (s *TemplatesService) Archive(ctx context.Context, id string) (*DeletedObject, *client.Response, error) {
	path, err := idPath("/v1/templates", "template", id)
	if err != nil {
		return nil, nil, err
	}
	return send[DeletedObject](ctx, s.c, "archive template", &client.Request{Method: http.MethodDelete, Path: path})
}

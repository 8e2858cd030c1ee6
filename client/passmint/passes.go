package passmint

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"time"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/provider"
)

// Pass is a single wallet pass issued from a template ("object": "pass").
type Pass struct {
	// Object is always "pass".
	Object string `json:"object"`
	// ID is the unique identifier (pass_xxx).
	ID string `json:"id"`
	// ShortID is the short URL slug.
	ShortID string `json:"short_id"`
	// TemplateID is the parent template (tmpl_xxx).
	TemplateID string `json:"template_id"`
	// SerialNumber is the pass's unique serialNumber.
	SerialNumber string `json:"serial_number"`
	// Mode is "test" or "live".
	Mode Mode `json:"mode"`
	// HolderEmail is the email of the pass holder; empty when null.
	HolderEmail string `json:"holder_email"`
	// HolderName is the name of the pass holder; empty when null.
	HolderName string `json:"holder_name"`
	// FieldValues are the key-value pairs for template fields.
	FieldValues map[string]string `json:"field_values"`
	// Voided reports whether the pass has been voided.
	Voided bool `json:"voided"`
	// VoidedAt is when the pass was voided; nil when it is not voided.
	VoidedAt *time.Time `json:"voided_at"`
	// Metadata is arbitrary metadata attached to the pass.
	Metadata map[string]any `json:"metadata"`
	// CreatedViaAPI reports whether the pass was created via the API.
	CreatedViaAPI bool `json:"created_via_api"`
	// URL is the public URL of the pass landing page.
	URL string `json:"url"`
	// DownloadURL is the direct download URL of the .pkpass file.
	DownloadURL string `json:"download_url"`
	// CreatedAt is the creation time.
	CreatedAt time.Time `json:"created_at"`
	// Raw is the whole JSON object as received, including fields this
	// type does not name.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the raw object.
func (p *Pass) UnmarshalJSON(b []byte) error {
	type plain Pass
	return provider.UnmarshalRaw(b, (*plain)(p), &p.Raw)
}

// PassIssueParams are the fields of POST /v1/passes.
type PassIssueParams struct {
	// TemplateID is the template to issue from. Required.
	TemplateID string `json:"template_id"`
	// HolderEmail is the email address of the pass holder.
	HolderEmail string `json:"holder_email,omitempty"`
	// HolderName is the full name of the pass holder.
	HolderName string `json:"holder_name,omitempty"`
	// FieldValues are key-value pairs for template fields.
	FieldValues map[string]string `json:"field_values,omitempty"`
	// Metadata is arbitrary metadata to attach to the pass.
	Metadata map[string]any `json:"metadata,omitempty"`
	// IdempotencyKey, if set, is sent instead of a generated key, so a
	// retry of the same business operation (say, an order id) is replayed
	// by Passmint instead of issuing a second pass.
	IdempotencyKey string `json:"-"`
}

// PassListParams filter GET /v1/passes. A nil *PassListParams lists all.
type PassListParams struct {
	// TemplateID filters by template.
	TemplateID string
	// HolderEmail filters by holder email.
	HolderEmail string
	// Limit is the page size, 1 to 100. If zero, Passmint's default (50).
	Limit int
	// StartingAfter is the id of the last pass of the previous page, sent
	// as starting_after. ListAll sets it; Passmint's reference documents
	// has_more but not the cursor parameter, see ListAll.
	StartingAfter string
}

// PassUpdateParams are the fields of PATCH /v1/passes/:id. At least one
// of FieldValues and Metadata is required.
type PassUpdateParams struct {
	// FieldValues are the updated field values.
	FieldValues map[string]string `json:"field_values,omitempty"`
	// Metadata is the updated metadata.
	Metadata map[string]any `json:"metadata,omitempty"`
	// IdempotencyKey, if set, is sent instead of a generated key.
	IdempotencyKey string `json:"-"`
}

// PassesService issues and manages passes (/v1/passes).
type PassesService struct{ c *Client }

// Issue creates a pass from a template (POST /v1/passes). It sends an
// idempotency key, so it is retried safely after network errors and 5xx.
func (s *PassesService) Issue(ctx context.Context, params *PassIssueParams) (*Pass, *client.Response, error) {
	if params == nil || params.TemplateID == "" {
		return nil, nil, errors.New("passmint: issue pass: template_id is required")
	}
	return send[Pass](ctx, s.c, "issue pass", &client.Request{
		Method: http.MethodPost, Path: "/v1/passes", Body: params, IdempotencyKey: params.IdempotencyKey,
	})
}

// List returns one page of passes (GET /v1/passes).
func (s *PassesService) List(ctx context.Context, params *PassListParams) (*List[Pass], *client.Response, error) {
	q := url.Values{}
	if params != nil {
		if params.TemplateID != "" {
			q.Set("template_id", params.TemplateID)
		}
		if params.HolderEmail != "" {
			q.Set("holder_email", params.HolderEmail)
		}
		if err := pageQuery(q, params.Limit, 100, params.StartingAfter); err != nil {
			return nil, nil, err
		}
	}
	return send[List[Pass]](ctx, s.c, "list passes", &client.Request{Path: "/v1/passes", Query: q})
}

// ListAll iterates over every pass matching params, fetching pages lazily.
// Pages after the first are requested with starting_after set to the id
// of the previous page's last pass, the cursor convention of Passmint's
// list envelope; a server that ignored it would repeat the page, which
// the iterator reports as client.ErrPaginationStuck.
func (s *PassesService) ListAll(ctx context.Context, params *PassListParams) iter.Seq2[Pass, error] {
	var p PassListParams
	if params != nil {
		p = *params
	}
	return listAll(ctx, p.StartingAfter, func(ctx context.Context, after string) (*List[Pass], error) {
		p.StartingAfter = after
		l, _, err := s.List(ctx, &p)
		return l, err
	}, func(pass Pass) string { return pass.ID })
}

// Get retrieves a pass by id (GET /v1/passes/:id).
func (s *PassesService) Get(ctx context.Context, id string) (*Pass, *client.Response, error) {
	path, err := idPath("/v1/passes", "pass", id)
	if err != nil {
		return nil, nil, err
	}
	return send[Pass](ctx, s.c, "retrieve pass", &client.Request{Path: path})
}

// Update changes the field values or metadata of a pass
// (PATCH /v1/passes/:id); installed passes are updated by Passmint. Voided
// passes cannot be updated (400, client.ErrValidation).
func (s *PassesService) Update(ctx context.Context, id string, params *PassUpdateParams) (*Pass, *client.Response, error) {
	path, err := idPath("/v1/passes", "pass", id)
	if err != nil {
		return nil, nil, err
	}
	if params == nil || (params.FieldValues == nil && params.Metadata == nil) {
		return nil, nil, errors.New("passmint: update pass: at least one of field_values and metadata is required")
	}
	return send[Pass](ctx, s.c, "update pass", &client.Request{
		Method: http.MethodPatch, Path: path, Body: params, IdempotencyKey: params.IdempotencyKey,
	})
}

// Void voids a pass (DELETE /v1/passes/:id). The pass is not deleted: it
// is returned with Voided true and VoidedAt set. Passmint takes no
// idempotency key on DELETE, so a void that reached the server is not
// retried.
func (s *PassesService) Void(ctx context.Context, id string) (*Pass, *client.Response, error) {
	path, err := idPath("/v1/passes", "pass", id)
	if err != nil {
		return nil, nil, err
	}
	return send[Pass](ctx, s.c, "void pass", &client.Request{Method: http.MethodDelete, Path: path})
}

package passinstance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strings"
	"time"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/provider"
)

// BarcodeFormat is the format of a pass's barcode (barcodeFormat).
type BarcodeFormat string

// Barcode formats. The reference's example uses "qr"; the others follow
// the same lower-case naming of Wallet's formats.
const (
	// BarcodeQR is a QR code (Apple's PKBarcodeFormatQR).
	BarcodeQR BarcodeFormat = "qr"
	// BarcodePDF417 is a PDF417 code (PKBarcodeFormatPDF417).
	BarcodePDF417 BarcodeFormat = "pdf417"
	// BarcodeAztec is an Aztec code (PKBarcodeFormatAztec).
	BarcodeAztec BarcodeFormat = "aztec"
	// BarcodeCode128 is a Code 128 barcode (PKBarcodeFormatCode128).
	BarcodeCode128 BarcodeFormat = "code128"
)

// FieldValue is one field of a pass: {"label": "Member", "value": "Jane
// Doe"}.
type FieldValue struct {
	// Label is the field's label (label).
	Label string `json:"label,omitempty"`
	// Value is the field's value (value). A number or boolean in a
	// response is kept as its JSON text.
	Value string `json:"value"`
}

// UnmarshalJSON accepts a string, number or boolean value.
func (f *FieldValue) UnmarshalJSON(b []byte) error {
	var w struct {
		Label string          `json:"label"`
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	f.Label, f.Value = w.Label, ""
	v := bytes.TrimSpace(w.Value)
	switch {
	case len(v) == 0 || string(v) == "null":
	case v[0] == '"':
		return json.Unmarshal(v, &f.Value)
	case v[0] == '{' || v[0] == '[':
		return fmt.Errorf("passinstance: field value %s is not a string, number or boolean", v)
	default:
		f.Value = string(v)
	}
	return nil
}

// Pass is a wallet pass. The reference documents the fields of its create
// request; they are typed here and everything else the server returns is
// in Raw (see Lookup).
type Pass struct {
	// ID is the pass's id, used in /passes/{id}.
	ID string `json:"id"`
	// TemplateID is the template the pass was issued from (templateId).
	TemplateID string `json:"templateId"`
	// SerialNumber is the pass's serial number (serialNumber).
	SerialNumber string `json:"serialNumber"`
	// Fields are the pass's fields by key (fields).
	Fields map[string]FieldValue `json:"fields"`
	// BarcodeFormat is the barcode's format (barcodeFormat).
	BarcodeFormat BarcodeFormat `json:"barcodeFormat"`
	// BarcodeMessage is the barcode's payload (barcodeMessage).
	BarcodeMessage string `json:"barcodeMessage"`
	// Raw is the whole JSON object as received.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the raw object.
func (p *Pass) UnmarshalJSON(b []byte) error {
	type plain Pass
	return provider.UnmarshalRaw(b, (*plain)(p), &p.Raw)
}

// PassCreateParams are the body of POST /passes.
type PassCreateParams struct {
	// TemplateID is the template to issue from (templateId). Required.
	TemplateID string `json:"templateId"`
	// SerialNumber is the pass's serial number (serialNumber). Generate
	// stable serial numbers, such as an order number, so a retried
	// issuance can be recognised.
	SerialNumber string `json:"serialNumber,omitempty"`
	// Fields are the customer-specific fields by key (fields).
	Fields map[string]FieldValue `json:"fields,omitempty"`
	// BarcodeFormat is the barcode's format (barcodeFormat).
	BarcodeFormat BarcodeFormat `json:"barcodeFormat,omitempty"`
	// BarcodeMessage is the barcode's payload (barcodeMessage).
	BarcodeMessage string `json:"barcodeMessage,omitempty"`
	// RelevantDate is when the pass becomes relevant, sent as Apple's
	// relevantDate in ISO 8601; zero leaves it out. The reference names
	// relevant dates without their key.
	RelevantDate time.Time `json:"-"`
	// ExpirationDate is when the pass expires, sent as Apple's
	// expirationDate in ISO 8601; zero leaves it out. The reference names
	// expiry without its key.
	ExpirationDate time.Time `json:"-"`
	// Extra holds members the reference does not name, added to the body
	// as they are. A key a typed field also sets is an error.
	Extra map[string]any `json:"-"`
}

// MarshalJSON writes the typed fields, the dates and Extra.
func (p PassCreateParams) MarshalJSON() ([]byte, error) {
	type plain PassCreateParams
	return withExtra(plain(p), dates(p.RelevantDate, p.ExpirationDate), p.Extra)
}

// PassUpdateParams are the body of PUT /passes/{id}: the pass's new
// fields, barcode, dates and any other members.
type PassUpdateParams struct {
	// SerialNumber is the new serial number (serialNumber).
	SerialNumber string `json:"serialNumber,omitempty"`
	// Fields are the fields to set, by key (fields).
	Fields map[string]FieldValue `json:"fields,omitempty"`
	// BarcodeFormat is the new barcode format (barcodeFormat).
	BarcodeFormat BarcodeFormat `json:"barcodeFormat,omitempty"`
	// BarcodeMessage is the new barcode payload (barcodeMessage).
	BarcodeMessage string `json:"barcodeMessage,omitempty"`
	// Voided sets Apple's voided key; the reference's quickstart voids
	// stale passes with an update. Nil leaves it out; Void is the
	// dedicated operation.
	Voided *bool `json:"voided,omitempty"`
	// RelevantDate is the new relevantDate; zero leaves it out.
	RelevantDate time.Time `json:"-"`
	// ExpirationDate is the new expirationDate; zero leaves it out.
	ExpirationDate time.Time `json:"-"`
	// Extra holds members the reference does not name, added to the body
	// as they are.
	Extra map[string]any `json:"-"`
}

// MarshalJSON writes the typed fields, the dates and Extra.
func (p PassUpdateParams) MarshalJSON() ([]byte, error) {
	type plain PassUpdateParams
	return withExtra(plain(p), dates(p.RelevantDate, p.ExpirationDate), p.Extra)
}

// dates returns the non-zero dates as relevantDate and expirationDate.
func dates(relevant, expiration time.Time) map[string]any {
	m := map[string]any{}
	if !relevant.IsZero() {
		m["relevantDate"] = timeRFC3339(relevant)
	}
	if !expiration.IsZero() {
		m["expirationDate"] = timeRFC3339(expiration)
	}
	return m
}

// validateFields checks the field keys of a request.
func validateFields(fields map[string]FieldValue) error {
	for k := range fields {
		if strings.TrimSpace(k) == "" {
			return errors.New(`fields has an empty key`)
		}
	}
	return nil
}

// PassesService creates and manages passes (/passes).
type PassesService struct{ c *Client }

// Create issues a pass from a template (POST /passes). Passinstance
// documents no idempotency key, so Create is retried only when the
// request never reached the server or was refused unprocessed (429, 503);
// keep SerialNumber stable to recognise
// a pass issued by a call whose answer was lost.
func (s *PassesService) Create(ctx context.Context, params *PassCreateParams) (*Pass, *client.Response, error) {
	if params == nil || strings.TrimSpace(params.TemplateID) == "" {
		return nil, nil, errors.New("passinstance: create pass: templateId is required")
	}
	if err := validateFields(params.Fields); err != nil {
		return nil, nil, fmt.Errorf("passinstance: create pass: %w", err)
	}
	return send[Pass](ctx, s.c, "create pass", http.MethodPost, "/passes", params, "pass")
}

// List returns one page of passes (GET /passes).
func (s *PassesService) List(ctx context.Context, params *ListParams) (*Page[Pass], *client.Response, error) {
	return list[Pass](ctx, s.c, "list passes", "/passes", "passes", params)
}

// ListAll iterates over every pass, fetching pages lazily from
// params.Page (or 1).
func (s *PassesService) ListAll(ctx context.Context, params *ListParams) iter.Seq2[Pass, error] {
	return listAll(ctx, s.c, "list passes", "/passes", "passes", params, func(p Pass) string { return p.ID })
}

// Get retrieves a pass (GET /passes/{id}).
func (s *PassesService) Get(ctx context.Context, id string) (*Pass, *client.Response, error) {
	path, err := idPath("/passes", "pass", id)
	if err != nil {
		return nil, nil, err
	}
	return send[Pass](ctx, s.c, "get pass", http.MethodGet, path, nil, "pass")
}

// Update changes a pass's fields, barcode or dates (PUT /passes/{id});
// Passinstance delivers the update to wallets that hold the pass.
func (s *PassesService) Update(ctx context.Context, id string, params *PassUpdateParams) (*Pass, *client.Response, error) {
	path, err := idPath("/passes", "pass", id)
	if err != nil {
		return nil, nil, err
	}
	if params == nil {
		return nil, nil, errors.New("passinstance: update pass: no parameters")
	}
	if err := validateFields(params.Fields); err != nil {
		return nil, nil, fmt.Errorf("passinstance: update pass: %w", err)
	}
	body, err := json.Marshal(params)
	if err != nil {
		return nil, nil, fmt.Errorf("passinstance: update pass: %w", err)
	}
	if bytes.Equal(body, []byte("{}")) {
		return nil, nil, errors.New("passinstance: update pass: nothing to update")
	}
	return send[Pass](ctx, s.c, "update pass", http.MethodPut, path, json.RawMessage(body), "pass")
}

// Void voids a pass, for example a redeemed ticket (POST
// /passes/{id}/void). It returns the voided pass, or nil when the server
// answers without a body.
func (s *PassesService) Void(ctx context.Context, id string) (*Pass, *client.Response, error) {
	path, err := idPath("/passes", "pass", id)
	if err != nil {
		return nil, nil, err
	}
	var p Pass
	resp, err := s.c.core.Do(ctx, &client.Request{Method: http.MethodPost, Path: path + "/void"}, nil)
	if err != nil {
		return nil, resp, wrap("void pass", err)
	}
	if len(bytes.TrimSpace(resp.Body)) == 0 {
		return nil, resp, nil
	}
	if err := decodeObject(resp.Body, "pass", &p); err != nil {
		return nil, resp, wrap("void pass", err)
	}
	return &p, resp, nil
}

// Delete deletes a pass (DELETE /passes/{id}).
func (s *PassesService) Delete(ctx context.Context, id string) (*client.Response, error) {
	path, err := idPath("/passes", "pass", id)
	if err != nil {
		return nil, err
	}
	resp, err := s.c.core.Do(ctx, &client.Request{Method: http.MethodDelete, Path: path}, nil)
	return resp, wrap("delete pass", err)
}

// send makes one call whose answer is a single object named name and
// decodes it into a new T; body, when not nil, is sent as JSON. A failure
// is prefixed with the operation name op.
func send[T any](ctx context.Context, c *Client, op, method, path string, body any, name string) (*T, *client.Response, error) {
	req := &client.Request{Method: method, Path: path}
	if body != nil {
		req.Body = body
	}
	resp, err := c.core.Do(ctx, req, nil)
	if err != nil {
		return nil, resp, wrap(op, err)
	}
	var v T
	if err := decodeObject(resp.Body, name, &v); err != nil {
		return nil, resp, wrap(op, err)
	}
	return &v, resp, nil
}

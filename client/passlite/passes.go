package passlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/provider"
)

// Status is the state of a pass ("status").
type Status string

// Pass states named in PassLite's reference.
const (
	// StatusActive is an issued, usable pass (also after reactivation).
	StatusActive Status = "active"
	// StatusCheckedIn is a pass after a check-in.
	StatusCheckedIn Status = "checked_in"
	// StatusRedeemed is a redeemed pass.
	StatusRedeemed Status = "redeemed"
	// StatusVoided is a voided pass; it can be reactivated.
	StatusVoided Status = "voided"
)

// Pass is a wallet pass as PassLite returns it. Actions and lookups return
// partial objects (say only id, stamps and status); fields they leave out
// keep their zero value, and Raw holds exactly what was received.
type Pass struct {
	// ID is the pass id ("id", pass_abc123).
	ID string `json:"id"`
	// SerialNumber is the pass's serialNumber ("serial_number", PL-00042).
	SerialNumber string `json:"serial_number"`
	// TemplateID is the pass template ("template_id").
	TemplateID string `json:"template_id"`
	// CustomerName is the pass holder's full name ("customer_name").
	CustomerName string `json:"customer_name"`
	// CustomerEmail is the pass holder's email ("customer_email").
	CustomerEmail string `json:"customer_email"`
	// ExternalID is your system's identifier ("external_id").
	ExternalID string `json:"external_id"`
	// Status is the pass state ("status").
	Status Status `json:"status"`
	// Points is the loyalty points balance ("points").
	Points int `json:"points"`
	// Balance is the stored value of gift cards ("balance"); nil when the
	// pass has none (null).
	Balance *float64 `json:"balance"`
	// Stamps is the number of stamps ("stamps").
	Stamps int `json:"stamps"`
	// Metadata are the key-value pairs attached to the pass ("metadata").
	Metadata map[string]any `json:"metadata"`
	// DownloadURL is where the pass is downloaded ("download_url").
	DownloadURL string `json:"download_url"`
	// CreatedAt is the issue time ("created_at"); zero when absent.
	CreatedAt time.Time `json:"created_at"`
	// UpdatedAt is the last update ("updated_at"); nil when absent.
	UpdatedAt *time.Time `json:"updated_at"`
	// CheckedInAt is the time of the check-in ("checked_in_at").
	CheckedInAt *time.Time `json:"checked_in_at"`
	// RedeemedAt is the time of redemption ("redeemed_at").
	RedeemedAt *time.Time `json:"redeemed_at"`
	// VoidedAt is when the pass was voided ("voided_at").
	VoidedAt *time.Time `json:"voided_at"`
	// ReactivatedAt is when a voided pass was reactivated ("reactivated_at").
	ReactivatedAt *time.Time `json:"reactivated_at"`
	// Raw is the whole JSON object as received, including fields this
	// type does not name.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the raw object.
func (p *Pass) UnmarshalJSON(b []byte) error {
	type plain Pass
	return provider.UnmarshalRaw(b, (*plain)(p), &p.Raw)
}

// PassIssueParams are the fields of POST /businesses/{business_id}/passes,
// also the items of a bulk issue.
type PassIssueParams struct {
	// TemplateID is the pass template to use ("template_id"). Required.
	TemplateID string `json:"template_id"`
	// CustomerName is the pass holder's full name ("customer_name").
	CustomerName string `json:"customer_name,omitempty"`
	// CustomerEmail is used for delivery and lookup ("customer_email").
	CustomerEmail string `json:"customer_email,omitempty"`
	// ExternalID is your system's unique identifier ("external_id").
	ExternalID string `json:"external_id,omitempty"`
	// InitialBalance is the starting balance of gift card and stored-value
	// passes ("initial_balance"); nil sends none.
	InitialBalance *float64 `json:"initial_balance,omitempty"`
	// Points is the starting loyalty points ("points"); nil sends none.
	Points *int `json:"points,omitempty"`
	// BarcodeData overrides the template's barcode content
	// ("barcode_data"), for external ticketing systems.
	BarcodeData string `json:"barcode_data,omitempty"`
	// NFCData overrides the template's NFC message ("nfc_data").
	NFCData string `json:"nfc_data,omitempty"`
	// Metadata are arbitrary key-value pairs ("metadata").
	Metadata map[string]any `json:"metadata,omitempty"`
	// IdempotencyKey, if set, is sent instead of a generated key, so a
	// retry of the same business operation (say, an order id) returns the
	// original pass instead of issuing a second one. Ignored in bulk items.
	IdempotencyKey string `json:"-"`
}

// validate checks the fields PassLite requires before anything is sent.
func (p *PassIssueParams) validate() error {
	if p == nil {
		return errors.New("params are nil")
	}
	if strings.TrimSpace(p.TemplateID) == "" {
		return errors.New("template_id is required")
	}
	if p.InitialBalance != nil && (math.IsNaN(*p.InitialBalance) || math.IsInf(*p.InitialBalance, 0)) {
		return errors.New("initial_balance is not a finite number")
	}
	return nil
}

// PassUpdateParams are the fields of PATCH .../passes/{identifier}. Only
// the fields that are set are sent, and only they change; at least one is
// required. Pointers tell "set to zero" from "leave alone".
type PassUpdateParams struct {
	// CustomerName sets "customer_name".
	CustomerName *string
	// CustomerEmail sets "customer_email".
	CustomerEmail *string
	// ExternalID sets "external_id".
	ExternalID *string
	// Points sets "points".
	Points *int
	// Balance sets "balance".
	Balance *float64
	// Stamps sets "stamps".
	Stamps *int
	// Metadata is merged with the pass's existing "metadata".
	Metadata map[string]any
	// BarcodeData sets the per-pass barcode override ("barcode_data").
	BarcodeData *string
	// ClearBarcodeData sends "barcode_data": null, which reverts the pass
	// to the template's barcode. It excludes BarcodeData.
	ClearBarcodeData bool
	// Extra holds fields the reference does not list, sent as given. A key
	// that is also a field above is an error.
	Extra map[string]any
	// IdempotencyKey, if set, is sent instead of a generated key. Ignored
	// in bulk items.
	IdempotencyKey string
}

// fields returns the JSON object of the set fields.
func (p *PassUpdateParams) fields() (map[string]any, error) {
	if p == nil {
		return nil, errors.New("params are nil")
	}
	m := map[string]any{}
	setPtr(m, "customer_name", p.CustomerName)
	setPtr(m, "customer_email", p.CustomerEmail)
	setPtr(m, "external_id", p.ExternalID)
	setPtr(m, "points", p.Points)
	setPtr(m, "stamps", p.Stamps)
	if p.Balance != nil {
		if math.IsNaN(*p.Balance) || math.IsInf(*p.Balance, 0) {
			return nil, errors.New("balance is not a finite number")
		}
		m["balance"] = *p.Balance
	}
	if p.Metadata != nil {
		m["metadata"] = p.Metadata
	}
	switch {
	case p.ClearBarcodeData && p.BarcodeData != nil:
		return nil, errors.New("both BarcodeData and ClearBarcodeData are set")
	case p.ClearBarcodeData:
		m["barcode_data"] = nil
	case p.BarcodeData != nil:
		m["barcode_data"] = *p.BarcodeData
	}
	for k, v := range p.Extra {
		if _, dup := m[k]; dup || k == "identifier" {
			return nil, fmt.Errorf("key %q of Extra collides with a typed field", k)
		}
		m[k] = v
	}
	if len(m) == 0 {
		return nil, errors.New("no field to update")
	}
	return m, nil
}

// setPtr sets m[key] to *v when v is not nil.
func setPtr[T any](m map[string]any, key string, v *T) {
	if v != nil {
		m[key] = *v
	}
}

// PassesService issues and manages passes
// (/businesses/{business_id}/passes).
type PassesService struct{ c *Client }

// Issue creates and issues a pass (POST /businesses/{business_id}/passes).
// It sends an idempotency key, so it is retried safely.
func (s *PassesService) Issue(ctx context.Context, businessID string, params *PassIssueParams) (*Pass, *client.Response, error) {
	const op = "issue pass"
	if err := params.validate(); err != nil {
		return nil, nil, fmt.Errorf("passlite: %s: %w", op, err)
	}
	path, err := businessPath(businessID, "passes")
	if err != nil {
		return nil, nil, err
	}
	return doObject[Pass](ctx, s.c, call{op: op, req: &client.Request{
		Method: http.MethodPost, Path: path, Body: params, IdempotencyKey: params.IdempotencyKey,
	}})
}

// Get retrieves a pass by its id, serial_number or external_id; PassLite
// detects which (GET /businesses/{business_id}/passes/{identifier}).
func (s *PassesService) Get(ctx context.Context, businessID, identifier string) (*Pass, *client.Response, error) {
	path, err := passPath(businessID, identifier)
	if err != nil {
		return nil, nil, err
	}
	return doObject[Pass](ctx, s.c, call{op: "get pass", req: &client.Request{Path: path}})
}

// Update changes the fields that are set in params on the pass named by
// its id, serial_number or external_id
// (PATCH /businesses/{business_id}/passes/{identifier}).
func (s *PassesService) Update(ctx context.Context, businessID, identifier string, params *PassUpdateParams) (*Pass, *client.Response, error) {
	const op = "update pass"
	path, err := passPath(businessID, identifier)
	if err != nil {
		return nil, nil, err
	}
	body, err := params.fields()
	if err != nil {
		return nil, nil, fmt.Errorf("passlite: %s: %w", op, err)
	}
	return doObject[Pass](ctx, s.c, call{op: op, req: &client.Request{
		Method: http.MethodPatch, Path: path, Body: body, IdempotencyKey: params.IdempotencyKey,
	}})
}

// ActionOptions are the per-call options of the pass actions without a
// value (check-in, redeem, reactivate). A nil *ActionOptions is valid.
type ActionOptions struct {
	// IdempotencyKey, if set, is sent instead of a generated key.
	IdempotencyKey string
}

// key returns the idempotency key of o, or "".
func (o *ActionOptions) key() string {
	if o == nil {
		return ""
	}
	return o.IdempotencyKey
}

// StampParams are the parameters of the stamp action.
type StampParams struct {
	// Count is the number of stamps to add (query "count"). If zero, 1.
	Count int
	// IdempotencyKey, if set, is sent instead of a generated key.
	IdempotencyKey string
}

// PointsParams are the parameters of the points action.
type PointsParams struct {
	// Points is the number of loyalty points to add (query "points"); it
	// must not be zero.
	Points int
	// IdempotencyKey, if set, is sent instead of a generated key.
	IdempotencyKey string
}

// AmountParams are the parameters of the charge and top-up actions.
type AmountParams struct {
	// Amount is the amount to deduct or add (query "amount"); it must be a
	// positive finite number.
	Amount float64
	// IdempotencyKey, if set, is sent instead of a generated key. Setting
	// it to your own payment id makes a repeated charge return the first
	// charge's result instead of charging twice.
	IdempotencyKey string
}

// Stamp adds stamps to a pass (POST .../passes/{id}/stamp?count=N) and
// returns the updated pass. A nil params adds one stamp.
func (s *PassesService) Stamp(ctx context.Context, businessID, id string, params *StampParams) (*Pass, *client.Response, error) {
	var p StampParams
	if params != nil {
		p = *params
	}
	if p.Count < 0 {
		return nil, nil, fmt.Errorf("passlite: stamp pass: count %d is negative", p.Count)
	}
	if p.Count == 0 {
		p.Count = 1
	}
	return s.action(ctx, "stamp pass", businessID, id, "stamp", url.Values{"count": {strconv.Itoa(p.Count)}}, p.IdempotencyKey, false)
}

// AddPoints adds loyalty points to a pass (POST .../passes/{id}/points?points=N)
// and returns the updated pass.
func (s *PassesService) AddPoints(ctx context.Context, businessID, id string, params *PointsParams) (*Pass, *client.Response, error) {
	if params == nil || params.Points == 0 {
		return nil, nil, errors.New("passlite: add points: points must not be zero")
	}
	return s.action(ctx, "add points", businessID, id, "points", url.Values{"points": {strconv.Itoa(params.Points)}}, params.IdempotencyKey, false)
}

// Charge deducts an amount from the pass balance
// (POST .../passes/{id}/charge?amount=X) and returns the updated pass.
// Insufficient funds are a 400 (client.ErrValidation).
func (s *PassesService) Charge(ctx context.Context, businessID, id string, params *AmountParams) (*Pass, *client.Response, error) {
	q, key, err := amountQuery("charge balance", params)
	if err != nil {
		return nil, nil, err
	}
	return s.action(ctx, "charge balance", businessID, id, "charge", q, key, false)
}

// TopUp adds an amount to the pass balance
// (POST .../passes/{id}/topup?amount=X) and returns the updated pass.
func (s *PassesService) TopUp(ctx context.Context, businessID, id string, params *AmountParams) (*Pass, *client.Response, error) {
	q, key, err := amountQuery("top up balance", params)
	if err != nil {
		return nil, nil, err
	}
	return s.action(ctx, "top up balance", businessID, id, "topup", q, key, false)
}

// amountQuery validates an amount and renders it as PassLite's examples
// do (15.0, 20.5).
func amountQuery(op string, params *AmountParams) (url.Values, string, error) {
	if params == nil || !(params.Amount > 0) || math.IsInf(params.Amount, 0) {
		var a float64
		if params != nil {
			a = params.Amount
		}
		return nil, "", fmt.Errorf("passlite: %s: amount %v is not a positive finite number", op, a)
	}
	s := strconv.FormatFloat(params.Amount, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return url.Values{"amount": {s}}, params.IdempotencyKey, nil
}

// CheckIn checks a pass in (POST .../passes/{id}/checkin) and returns the
// updated pass. A check-in blocked by the template's scan cooldown is a
// *CooldownError and is not retried.
func (s *PassesService) CheckIn(ctx context.Context, businessID, id string, opts *ActionOptions) (*Pass, *client.Response, error) {
	return s.action(ctx, "check in pass", businessID, id, "checkin", nil, opts.key(), true)
}

// Redeem redeems a pass (POST .../passes/{id}/redeem) and returns the
// updated pass.
func (s *PassesService) Redeem(ctx context.Context, businessID, id string, opts *ActionOptions) (*Pass, *client.Response, error) {
	return s.action(ctx, "redeem pass", businessID, id, "redeem", nil, opts.key(), false)
}

// Reactivate makes a voided pass active again
// (POST .../passes/{id}/reactivate) and returns the updated pass.
func (s *PassesService) Reactivate(ctx context.Context, businessID, id string, opts *ActionOptions) (*Pass, *client.Response, error) {
	return s.action(ctx, "reactivate pass", businessID, id, "reactivate", nil, opts.key(), false)
}

// Void marks a pass as voided (DELETE .../passes/{id}); it is not deleted
// and can be reactivated. PassLite takes no idempotency key on DELETE, so
// a void that may have been processed is not retried (it is after 429 and
// 503, which say it was not).
func (s *PassesService) Void(ctx context.Context, businessID, id string) (*Pass, *client.Response, error) {
	path, err := passPath(businessID, id)
	if err != nil {
		return nil, nil, err
	}
	return doObject[Pass](ctx, s.c, call{op: "void pass", req: &client.Request{Method: http.MethodDelete, Path: path}})
}

// action sends POST .../passes/{id}/{name} with an idempotency key.
func (s *PassesService) action(ctx context.Context, op, businessID, id, name string, q url.Values, key string, checkIn bool) (*Pass, *client.Response, error) {
	path, err := passPath(businessID, id, name)
	if err != nil {
		return nil, nil, err
	}
	return doObject[Pass](ctx, s.c, call{op: op, checkIn: checkIn, req: &client.Request{
		Method: http.MethodPost, Path: path, Query: q, IdempotencyKey: key,
	}})
}

// LookupByEmail returns every pass associated with an email address
// (GET .../passes/lookup/email/{email}); an address without passes gives
// an empty slice or client.ErrNotFound, as PassLite answers.
func (s *PassesService) LookupByEmail(ctx context.Context, businessID, email string) ([]Pass, *client.Response, error) {
	e, err := segment("email", email)
	if err != nil {
		return nil, nil, err
	}
	path, err := businessPath(businessID, "passes", "lookup", "email", e)
	if err != nil {
		return nil, nil, err
	}
	var passes []Pass
	resp, err := s.c.do(ctx, call{op: "look up passes by email", req: &client.Request{Path: path}}, &passes)
	if err != nil {
		return nil, resp, err
	}
	return passes, resp, nil
}

// LookupByExternalID returns the pass with your system's external
// identifier (GET .../passes/lookup/external/{external_id}).
func (s *PassesService) LookupByExternalID(ctx context.Context, businessID, externalID string) (*Pass, *client.Response, error) {
	e, err := segment("external id", externalID)
	if err != nil {
		return nil, nil, err
	}
	path, err := businessPath(businessID, "passes", "lookup", "external", e)
	if err != nil {
		return nil, nil, err
	}
	return doObject[Pass](ctx, s.c, call{op: "look up pass by external id", req: &client.Request{Path: path}})
}

// passPath returns /businesses/{businessID}/passes/{identifier}[/rest].
// The identifier "bulk" is rejected: .../passes/bulk is the bulk
// endpoint, and a PATCH there would be a bulk update with the wrong body.
func passPath(businessID, identifier string, rest ...string) (string, error) {
	id, err := segment("pass identifier", identifier)
	if err != nil {
		return "", err
	}
	if identifier == "bulk" {
		return "", errors.New(`passlite: pass identifier "bulk" names the bulk endpoint, not a pass`)
	}
	return businessPath(businessID, append([]string{"passes", id}, rest...)...)
}

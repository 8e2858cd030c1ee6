package passlite

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/provider"
)

// Item statuses of a bulk result ("status").
const (
	// BulkStatusCreated is an item of a bulk issue that was issued.
	BulkStatusCreated = "created"
	// BulkStatusUpdated is an item of a bulk update that was applied.
	BulkStatusUpdated = "updated"
	// BulkStatusError is an item that failed; BulkItem.Error says why.
	BulkStatusError = "error"
)

// BulkResult is the response of a bulk issue or update. PassLite applies
// what it can and reports each item: a request with failed items is still
// a success, so check Failed or Failures.
type BulkResult struct {
	// Total is the number of items sent ("total").
	Total int `json:"total"`
	// Succeeded is the number of items applied ("succeeded").
	Succeeded int `json:"succeeded"`
	// Failed is the number of items that failed ("failed").
	Failed int `json:"failed"`
	// Results has one entry per item ("results").
	Results []BulkItem `json:"results"`
	// Raw is the whole JSON object as received.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented fields and keeps the raw object.
func (r *BulkResult) UnmarshalJSON(b []byte) error {
	type plain BulkResult
	return provider.UnmarshalRaw(b, (*plain)(r), &r.Raw)
}

// Failures returns the items that failed, in order.
func (r *BulkResult) Failures() []BulkItem {
	var out []BulkItem
	for _, it := range r.Results {
		if it.Error != nil || it.Status == BulkStatusError {
			out = append(out, it)
		}
	}
	return out
}

// BulkItem is the outcome of one item of a bulk request.
type BulkItem struct {
	// Index is the item's position in the request ("index").
	Index int `json:"index"`
	// Status is "created", "updated" or "error" ("status").
	Status string `json:"status"`
	// Pass is the issued or updated pass, often partial ("pass"); nil for
	// a failed item.
	Pass *Pass `json:"pass"`
	// Error says why the item failed ("error"); nil for a success.
	Error *BulkItemError `json:"error"`
}

// BulkItemError is the error of one failed bulk item, such as
// {"code": "duplicate_external_id", "message": "external_id cust_9822
// already exists"}. It implements error.
type BulkItemError struct {
	// Index is the item's position in the request, copied from BulkItem.
	Index int `json:"-"`
	// Code is the machine-readable code ("code").
	Code string `json:"code"`
	// Message is the human-readable message ("message").
	Message string `json:"message"`
}

// Error names the item, its code and message.
func (e *BulkItemError) Error() string {
	return fmt.Sprintf("passlite: bulk item %d: %s: %s", e.Index, e.Code, e.Message)
}

// UnmarshalJSON decodes an item and copies its index into its error.
func (it *BulkItem) UnmarshalJSON(b []byte) error {
	type plain BulkItem
	if err := json.Unmarshal(b, (*plain)(it)); err != nil {
		return err
	}
	if it.Error != nil {
		it.Error.Index = it.Index
	}
	return nil
}

// BulkIssueParams are the body of POST /businesses/{business_id}/passes/bulk.
type BulkIssueParams struct {
	// Passes are the passes to issue, 1 to MaxBulkPasses ("passes").
	// Their IdempotencyKey fields are ignored.
	Passes []PassIssueParams `json:"passes"`
	// IdempotencyKey, if set, is sent instead of a generated key for the
	// whole request.
	IdempotencyKey string `json:"-"`
}

// BulkIssue issues up to 500 passes in one request
// (POST /businesses/{business_id}/passes/bulk). Items that fail are
// reported in the result, not as an error; bulk operations are a PRO
// feature (a *PlanError on the Free plan).
func (s *PassesService) BulkIssue(ctx context.Context, businessID string, params *BulkIssueParams) (*BulkResult, *client.Response, error) {
	const op = "bulk issue passes"
	if params == nil || len(params.Passes) == 0 {
		return nil, nil, fmt.Errorf("passlite: %s: no passes", op)
	}
	if len(params.Passes) > MaxBulkPasses {
		return nil, nil, fmt.Errorf("passlite: %s: %d passes is more than %d", op, len(params.Passes), MaxBulkPasses)
	}
	for i := range params.Passes {
		if err := params.Passes[i].validate(); err != nil {
			return nil, nil, fmt.Errorf("passlite: %s: passes[%d]: %w", op, i, err)
		}
	}
	path, err := businessPath(businessID, "passes", "bulk")
	if err != nil {
		return nil, nil, err
	}
	return doObject[BulkResult](ctx, s.c, call{op: op, req: &client.Request{
		Method: http.MethodPost, Path: path, Body: params, IdempotencyKey: params.IdempotencyKey,
	}})
}

// BulkUpdateItem is one pass of a bulk update: the pass's identifier and
// the fields to change.
type BulkUpdateItem struct {
	// Identifier is the pass id, serial_number or external_id
	// ("identifier"). Required.
	Identifier string
	// Update holds the fields to change; its IdempotencyKey is ignored.
	Update PassUpdateParams
}

// BulkUpdateParams are the body of PATCH /businesses/{business_id}/passes/bulk.
type BulkUpdateParams struct {
	// Passes are the passes to update, 1 to MaxBulkPasses ("passes").
	Passes []BulkUpdateItem
	// IdempotencyKey, if set, is sent instead of a generated key.
	IdempotencyKey string
}

// BulkUpdate updates several passes at once
// (PATCH /businesses/{business_id}/passes/bulk). Items that fail are
// reported in the result, not as an error.
func (s *PassesService) BulkUpdate(ctx context.Context, businessID string, params *BulkUpdateParams) (*BulkResult, *client.Response, error) {
	const op = "bulk update passes"
	if params == nil || len(params.Passes) == 0 {
		return nil, nil, fmt.Errorf("passlite: %s: no passes", op)
	}
	if len(params.Passes) > MaxBulkPasses {
		return nil, nil, fmt.Errorf("passlite: %s: %d passes is more than %d", op, len(params.Passes), MaxBulkPasses)
	}
	items := make([]map[string]any, len(params.Passes))
	for i, it := range params.Passes {
		if strings.TrimSpace(it.Identifier) == "" {
			return nil, nil, fmt.Errorf("passlite: %s: passes[%d]: identifier is required", op, i)
		}
		m, err := it.Update.fields()
		if err != nil {
			return nil, nil, fmt.Errorf("passlite: %s: passes[%d]: %w", op, i, err)
		}
		m["identifier"] = it.Identifier
		items[i] = m
	}
	path, err := businessPath(businessID, "passes", "bulk")
	if err != nil {
		return nil, nil, err
	}
	return doObject[BulkResult](ctx, s.c, call{op: op, req: &client.Request{
		Method: http.MethodPatch, Path: path, Body: map[string]any{"passes": items}, IdempotencyKey: params.IdempotencyKey,
	}})
}

package passinstance

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/provider"
)

// Batch is a high-volume operation that runs in the background; poll its
// state with BatchesService.Get. The reference names the resource without
// its members; id and status are typed and everything else (counts,
// per-item results) is in Raw (see Lookup).
type Batch struct {
	// ID is the batch's id, used in /batch/{id}.
	ID string `json:"id"`
	// Status is the batch's job state (status), as the server names it.
	Status string `json:"status"`
	// Raw is the whole JSON object as received.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the named fields and keeps the raw object.
func (b *Batch) UnmarshalJSON(data []byte) error {
	type plain Batch
	return provider.UnmarshalRaw(data, (*plain)(b), &b.Raw)
}

// BatchCreateParams are the body of POST /batch. Empty members are left
// out; at least one member must be set.
type BatchCreateParams struct {
	// Operation names what to do with each item (operation), such as
	// "create".
	Operation string `json:"operation,omitempty"`
	// Items are the operation's inputs (items), such as
	// PassCreateParams values.
	Items []any `json:"items,omitempty"`
	// Extra holds members these fields do not name, added to the body as
	// they are.
	Extra map[string]any `json:"-"`
}

// MarshalJSON writes the typed fields and Extra.
func (p BatchCreateParams) MarshalJSON() ([]byte, error) {
	type plain BatchCreateParams
	return withExtra(plain(p), nil, p.Extra)
}

// BatchesService starts batch operations and reports their state
// (/batch).
type BatchesService struct{ c *Client }

// Create starts a batch operation (POST /batch). It is retried only when
// the request never reached the server or was refused unprocessed (429,
// 503).
func (s *BatchesService) Create(ctx context.Context, params *BatchCreateParams) (*Batch, *client.Response, error) {
	body, err := requireBody("create batch", params)
	if err != nil {
		return nil, nil, err
	}
	return send[Batch](ctx, s.c, "create batch", http.MethodPost, "/batch", body, "batch")
}

// Get returns the state of a batch operation (GET /batch/{id}).
func (s *BatchesService) Get(ctx context.Context, id string) (*Batch, *client.Response, error) {
	path, err := idPath("/batch", "batch", id)
	if err != nil {
		return nil, nil, err
	}
	return send[Batch](ctx, s.c, "get batch", http.MethodGet, path, nil, "batch")
}

package passinstance

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/provider"
)

// Bundle groups related passes for a campaign, order or event. The
// reference names the resource without its members; the ones below are
// typed and everything else is in Raw (see Lookup).
type Bundle struct {
	// ID is the bundle's id.
	ID string `json:"id"`
	// Name is the bundle's name (name).
	Name string `json:"name"`
	// PassIDs are the passes in the bundle (passIds).
	PassIDs []string `json:"passIds"`
	// Raw is the whole JSON object as received.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the named fields and keeps the raw object.
func (b *Bundle) UnmarshalJSON(data []byte) error {
	type plain Bundle
	return provider.UnmarshalRaw(data, (*plain)(b), &b.Raw)
}

// BundleCreateParams are the body of POST /bundles. Empty members are left
// out; at least one member must be set.
type BundleCreateParams struct {
	// Name is the bundle's name (name).
	Name string `json:"name,omitempty"`
	// PassIDs are the passes to group (passIds).
	PassIDs []string `json:"passIds,omitempty"`
	// Extra holds members these fields do not name, added to the body as
	// they are.
	Extra map[string]any `json:"-"`
}

// MarshalJSON writes the typed fields and Extra.
func (p BundleCreateParams) MarshalJSON() ([]byte, error) {
	type plain BundleCreateParams
	return withExtra(plain(p), nil, p.Extra)
}

// BundlesService creates and lists bundles (/bundles).
type BundlesService struct{ c *Client }

// Create creates a bundle (POST /bundles). It is retried only when the
// request never reached the server or was refused unprocessed (429, 503).
func (s *BundlesService) Create(ctx context.Context, params *BundleCreateParams) (*Bundle, *client.Response, error) {
	body, err := requireBody("create bundle", params)
	if err != nil {
		return nil, nil, err
	}
	return send[Bundle](ctx, s.c, "create bundle", http.MethodPost, "/bundles", body, "bundle")
}

// List returns one page of bundles (GET /bundles).
func (s *BundlesService) List(ctx context.Context, params *ListParams) (*Page[Bundle], *client.Response, error) {
	return list[Bundle](ctx, s.c, "list bundles", "/bundles", "bundles", params)
}

// ListAll iterates over every bundle, fetching pages lazily.
func (s *BundlesService) ListAll(ctx context.Context, params *ListParams) iter.Seq2[Bundle, error] {
	return listAll(ctx, s.c, "list bundles", "/bundles", "bundles", params, func(b Bundle) string { return b.ID })
}

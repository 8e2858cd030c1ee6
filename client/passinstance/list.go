package passinstance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/url"
	"strconv"

	"github.com/passforge/passforge/client"
)

// MaxLimit is the largest page size ListParams accepts.
const MaxLimit = 1000

// ListParams page and filter a list operation. A nil *ListParams asks for
// the server's first page with its default size.
//
// The reference lists the GET operations without their parameters; Page
// and Limit are sent as the page and limit query parameters, the
// page + limit convention, and Filter carries any other query parameter
// (such as templateId) as it is.
type ListParams struct {
	// Page is the page number, from 1; zero leaves it to the server.
	Page int
	// Limit is the page size, 1 to MaxLimit; zero leaves it to the server.
	Limit int
	// Filter holds further query parameters, sent as they are.
	Filter url.Values
}

// query validates p and encodes it.
func (p *ListParams) query() (url.Values, error) {
	q := url.Values{}
	if p == nil {
		return q, nil
	}
	if p.Page < 0 {
		return nil, fmt.Errorf("passinstance: page %d is negative", p.Page)
	}
	if p.Limit < 0 || p.Limit > MaxLimit {
		return nil, fmt.Errorf("passinstance: limit %d is outside 1..%d", p.Limit, MaxLimit)
	}
	for k, vs := range p.Filter {
		if k == "page" || k == "limit" {
			return nil, fmt.Errorf("passinstance: Filter[%q]: use ListParams.Page and Limit", k)
		}
		q[k] = append([]string(nil), vs...)
	}
	if p.Page > 0 {
		q.Set("page", strconv.Itoa(p.Page))
	}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	return q, nil
}

// Page is one page of a list. Passinstance's list responses are read in
// the shapes a JSON API uses: a bare array, or an object with the items
// under "data", "items", "results" or the resource's name ("passes"), and
// optional page, limit, total, totalPages and hasMore members at the top
// level or under "pagination" or "meta".
type Page[T any] struct {
	// Items are the page's items in order.
	Items []T
	// Page is the page number the server reported; 0 when it did not.
	Page int
	// Limit is the page size the server reported; 0 when it did not.
	Limit int
	// Total is the number of items in the whole list the server
	// reported; 0 when it did not.
	Total int
	// TotalPages is the number of pages the server reported; 0 when it
	// did not.
	TotalPages int
	// HasMore reports whether a next page exists: the server's hasMore
	// flag, else page < totalPages, else page·limit < total, else a page
	// as full as the requested limit.
	HasMore bool
	// Raw is the whole response body.
	Raw json.RawMessage
}

// pageMeta holds the pagination members of a list response.
type pageMeta struct {
	Page        *int  `json:"page"`
	CurrentPage *int  `json:"currentPage"`
	Limit       *int  `json:"limit"`
	PageSize    *int  `json:"pageSize"`
	PerPage     *int  `json:"perPage"`
	Total       *int  `json:"total"`
	TotalCount  *int  `json:"totalCount"`
	TotalPages  *int  `json:"totalPages"`
	TotalPages2 *int  `json:"total_pages"`
	HasMore     *bool `json:"hasMore"`
	HasMore2    *bool `json:"has_more"`
	HasNextPage *bool `json:"hasNextPage"`
}

// merge fills the unset members of m from o.
func (m *pageMeta) merge(o pageMeta) {
	set := func(dst **int, src ...*int) {
		for _, s := range src {
			if *dst == nil && s != nil {
				*dst = s
			}
		}
	}
	set(&m.Page, o.Page, o.CurrentPage)
	set(&m.Limit, o.Limit, o.PageSize, o.PerPage)
	set(&m.Total, o.Total, o.TotalCount)
	set(&m.TotalPages, o.TotalPages, o.TotalPages2)
	for _, s := range []*bool{o.HasMore, o.HasMore2, o.HasNextPage} {
		if m.HasMore == nil && s != nil {
			m.HasMore = s
		}
	}
}

// deref returns *p or 0.
func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// decodeList reads a list response body; plural is the resource's name
// ("passes"), requested the page size that was asked for (0 for none).
func decodeList[T any](body []byte, plural string, requested int) (*Page[T], error) {
	body = bytes.TrimSpace(body)
	page := &Page[T]{Raw: append(json.RawMessage(nil), body...)}
	if len(body) == 0 {
		return nil, fmt.Errorf("empty response body, want a list of %s", plural)
	}
	if body[0] == '[' {
		if err := json.Unmarshal(body, &page.Items); err != nil {
			return nil, fmt.Errorf("decoding the list of %s: %w", plural, err)
		}
		page.HasMore = requested > 0 && len(page.Items) == requested
		return page, nil
	}
	var meta pageMeta
	obj := body
	var items json.RawMessage
	for depth := 0; depth < 2 && items == nil; depth++ {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(obj, &m); err != nil {
			return nil, fmt.Errorf("decoding the list of %s: %w", plural, err)
		}
		var top pageMeta
		_ = json.Unmarshal(obj, &top) // pagination members are optional
		meta.merge(top)
		for _, k := range []string{"pagination", "meta"} {
			var nested pageMeta
			if v := bytes.TrimSpace(m[k]); len(v) > 0 && v[0] == '{' && json.Unmarshal(v, &nested) == nil {
				meta.merge(nested)
			}
		}
		var next json.RawMessage
		for _, k := range []string{"data", plural, "items", "results"} {
			v := bytes.TrimSpace(m[k])
			switch {
			case len(v) > 0 && v[0] == '[':
				items = v
			case len(v) > 0 && v[0] == '{' && next == nil:
				next = v
			}
			if items != nil {
				break
			}
		}
		if items == nil {
			if next == nil {
				break
			}
			obj = next // {"data": {"passes": [...], "pagination": {...}}}
		}
	}
	if items == nil {
		return nil, fmt.Errorf("response has no list of %s", plural)
	}
	if err := json.Unmarshal(items, &page.Items); err != nil {
		return nil, fmt.Errorf("decoding the list of %s: %w", plural, err)
	}
	page.Page, page.Limit, page.Total, page.TotalPages = deref(meta.Page), deref(meta.Limit), deref(meta.Total), deref(meta.TotalPages)
	limit := page.Limit
	if limit == 0 {
		limit = requested
	}
	switch {
	case meta.HasMore != nil:
		page.HasMore = *meta.HasMore
	case page.Page > 0 && page.TotalPages > 0:
		page.HasMore = page.Page < page.TotalPages
	case page.Page > 0 && limit > 0 && page.Total > 0:
		page.HasMore = page.Page*limit < page.Total
	default:
		page.HasMore = requested > 0 && len(page.Items) == requested
	}
	return page, nil
}

// list fetches one page of the collection at path.
func list[T any](ctx context.Context, c *Client, op, path, plural string, p *ListParams) (*Page[T], *client.Response, error) {
	q, err := p.query()
	if err != nil {
		return nil, nil, err
	}
	resp, err := c.core.Do(ctx, &client.Request{Path: path, Query: q}, nil)
	if err != nil {
		return nil, resp, wrap(op, err)
	}
	requested := 0
	if p != nil {
		requested = p.Limit
	}
	page, err := decodeList[T](resp.Body, plural, requested)
	if err != nil {
		return nil, resp, wrap(op, err)
	}
	return page, resp, nil
}

// listAll iterates over every item of the collection at path, page after
// page from p.Page (or 1). id names an item, so a server that ignores the
// page parameter and repeats a page ends the iteration with
// client.ErrPaginationStuck instead of looping.
func listAll[T any](ctx context.Context, c *Client, op, path, plural string, p *ListParams, id func(T) string) iter.Seq2[T, error] {
	var params ListParams
	if p != nil {
		params = *p
	}
	first := params.Page
	if first <= 0 {
		first = 1
	}
	return func(yield func(T, error) bool) {
		var prev string
		pages := client.Pages(ctx, &client.PageOptions{FirstPage: first},
			func(ctx context.Context, n int) (client.NumberedPage[T], error) {
				pp := params
				pp.Page = n
				page, _, err := list[T](ctx, c, op, path, plural, &pp)
				if err != nil {
					return client.NumberedPage[T]{}, err
				}
				if len(page.Items) > 0 {
					key := id(page.Items[0]) + "\x00" + id(page.Items[len(page.Items)-1])
					if n > first && key == prev && key != "\x00" {
						return client.NumberedPage[T]{}, fmt.Errorf("passinstance: %s: %w: page %d repeats page %d",
							op, client.ErrPaginationStuck, n, n-1)
					}
					prev = key
				}
				return client.NumberedPage[T]{Items: page.Items, HasMore: page.HasMore}, nil
			})
		for v, err := range pages {
			if !yield(v, err) {
				return
			}
		}
	}
}

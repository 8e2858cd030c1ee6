package client

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

// DefaultMaxPages is the page limit of the pagination iterators when
// PageOptions.MaxPages is zero.
const DefaultMaxPages = 10000

// ErrPaginationStuck is yielded by the pagination iterators when a server
// does not stop: it repeats a cursor, claims more items without a cursor,
// or exceeds PageOptions.MaxPages.
var ErrPaginationStuck = errors.New("client: pagination does not end")

// PageOptions tunes a pagination iterator. A nil *PageOptions uses the
// defaults.
type PageOptions struct {
	// MaxPages is the most pages fetched before the iterator yields
	// ErrPaginationStuck. If zero, DefaultMaxPages.
	MaxPages int
	// FirstPage is the number of the first page for Pages. If zero, 1.
	FirstPage int
	// StartCursor is the cursor of the first request for Cursor; usually
	// empty.
	StartCursor string
}

// CursorPage is one page of a cursor-paginated list, such as Passmint's
// {"object": "list", "data": [...], "has_more": true}.
type CursorPage[T any] struct {
	// Items are the page's items in order.
	Items []T
	// HasMore reports whether the server has items after this page.
	HasMore bool
	// NextCursor is the cursor that asks for the next page: the server's
	// next cursor, or for "starting_after" schemes the id of the last item.
	NextCursor string
}

// Cursor returns an iterator over every item of a cursor-paginated list.
// fetch is called lazily with StartCursor and then with each page's
// NextCursor, while pages report HasMore; the iteration ends at the first
// error, which is yielded with a zero T. Stopping the range loop early
// stops fetching. The iterator is single-use in the sense that every range
// over it fetches again from the start.
func Cursor[T any](ctx context.Context, opts *PageOptions, fetch func(ctx context.Context, cursor string) (CursorPage[T], error)) iter.Seq2[T, error] {
	maxPages, _, start := pageDefaults(opts)
	return func(yield func(T, error) bool) {
		var zero T
		seen := map[string]bool{}
		cursor := start
		for page := 1; ; page++ {
			if page > maxPages {
				yield(zero, fmt.Errorf("%w: more than %d pages", ErrPaginationStuck, maxPages))
				return
			}
			if err := ctx.Err(); err != nil {
				yield(zero, fmt.Errorf("client: pagination: %w", err))
				return
			}
			p, err := fetch(ctx, cursor)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range p.Items {
				if !yield(it, nil) {
					return
				}
			}
			if !p.HasMore {
				return
			}
			switch {
			case p.NextCursor == "":
				yield(zero, fmt.Errorf("%w: page %d has more items but no cursor", ErrPaginationStuck, page))
				return
			case p.NextCursor == cursor || seen[p.NextCursor]:
				yield(zero, fmt.Errorf("%w: cursor %q repeated on page %d", ErrPaginationStuck, p.NextCursor, page))
				return
			}
			seen[cursor] = true
			cursor = p.NextCursor
		}
	}
}

// NumberedPage is one page of a page-number list (page + limit).
type NumberedPage[T any] struct {
	// Items are the page's items in order.
	Items []T
	// HasMore reports whether a next page exists, as the provider signals
	// it: a has_more flag, page < total_pages, or a full page.
	HasMore bool
}

// Pages returns an iterator over every item of a page-number list. fetch
// is called lazily with FirstPage, FirstPage+1, ... while pages report
// HasMore and are not empty; the iteration ends at the first error, which
// is yielded with a zero T.
func Pages[T any](ctx context.Context, opts *PageOptions, fetch func(ctx context.Context, page int) (NumberedPage[T], error)) iter.Seq2[T, error] {
	maxPages, first, _ := pageDefaults(opts)
	return func(yield func(T, error) bool) {
		var zero T
		for n := 0; ; n++ {
			if n >= maxPages {
				yield(zero, fmt.Errorf("%w: more than %d pages", ErrPaginationStuck, maxPages))
				return
			}
			if err := ctx.Err(); err != nil {
				yield(zero, fmt.Errorf("client: pagination: %w", err))
				return
			}
			p, err := fetch(ctx, first+n)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range p.Items {
				if !yield(it, nil) {
					return
				}
			}
			if !p.HasMore || len(p.Items) == 0 {
				return
			}
		}
	}
}

// pageDefaults applies the PageOptions defaults.
func pageDefaults(o *PageOptions) (maxPages, first int, start string) {
	maxPages, first = DefaultMaxPages, 1
	if o != nil {
		if o.MaxPages > 0 {
			maxPages = o.MaxPages
		}
		if o.FirstPage != 0 {
			first = o.FirstPage
		}
		start = o.StartCursor
	}
	return maxPages, first, start
}

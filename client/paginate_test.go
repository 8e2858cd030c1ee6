package client

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// collect ranges over seq and returns the items and the first error.
func collect[T any](seq func(func(T, error) bool)) ([]T, error) {
	var items []T
	for it, err := range seq {
		if err != nil {
			return items, err
		}
		items = append(items, it)
	}
	return items, nil
}

func TestCursorAcrossPages(t *testing.T) {
	pages := map[string]CursorPage[string]{
		"":   {Items: []string{"a", "b"}, HasMore: true, NextCursor: "b"},
		"b":  {Items: []string{"c", "d"}, HasMore: true, NextCursor: "d"},
		"d":  {Items: []string{"e"}, HasMore: false},
		"zz": {},
	}
	var cursors []string
	seq := Cursor(context.Background(), nil, func(_ context.Context, cursor string) (CursorPage[string], error) {
		cursors = append(cursors, cursor)
		return pages[cursor], nil
	})
	items, err := collect(seq)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "c", "d", "e"}, items)
	assert.Equal(t, []string{"", "b", "d"}, cursors)
}

func TestCursorIsLazy(t *testing.T) {
	fetches := 0
	seq := Cursor(context.Background(), &PageOptions{StartCursor: "s"}, func(_ context.Context, cursor string) (CursorPage[int], error) {
		fetches++
		n, _ := strconv.Atoi(cursor[1:] + "0")
		return CursorPage[int]{Items: []int{n, n + 1}, HasMore: true, NextCursor: fmt.Sprintf("s%d", n+2)}, nil
	})
	assert.Zero(t, fetches, "nothing is fetched before ranging")
	var got []int
	for it, err := range seq {
		require.NoError(t, err)
		got = append(got, it)
		if len(got) == 3 {
			break
		}
	}
	assert.Equal(t, 2, fetches, "stopping early stops fetching")
	assert.Len(t, got, 3)
}

func TestCursorGuards(t *testing.T) {
	tests := []struct {
		name  string
		opts  *PageOptions
		fetch func(cursor string) CursorPage[int]
		want  string
		items int
	}{
		{"repeated cursor", nil, func(cursor string) CursorPage[int] {
			return CursorPage[int]{Items: []int{1}, HasMore: true, NextCursor: "same"}
		}, `cursor "same" repeated on page 2`, 2},
		{"cycle", nil, func(cursor string) CursorPage[int] {
			next := map[string]string{"": "a", "a": "b", "b": "a"}[cursor]
			return CursorPage[int]{Items: []int{1}, HasMore: true, NextCursor: next}
		}, `cursor "a" repeated on page 3`, 3},
		{"no cursor", nil, func(cursor string) CursorPage[int] {
			return CursorPage[int]{Items: []int{1}, HasMore: true}
		}, "page 1 has more items but no cursor", 1},
		{"max pages", &PageOptions{MaxPages: 5}, func(cursor string) CursorPage[int] {
			return CursorPage[int]{Items: []int{1}, HasMore: true, NextCursor: cursor + "x"}
		}, "more than 5 pages", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := collect(Cursor(context.Background(), tt.opts, func(_ context.Context, c string) (CursorPage[int], error) {
				return tt.fetch(c), nil
			}))
			require.ErrorIs(t, err, ErrPaginationStuck)
			assert.Contains(t, err.Error(), tt.want)
			assert.Len(t, items, tt.items)
		})
	}
}

func TestCursorFetchErrorAndCancel(t *testing.T) {
	boom := errors.New("boom")
	items, err := collect(Cursor(context.Background(), nil, func(_ context.Context, c string) (CursorPage[int], error) {
		if c == "" {
			return CursorPage[int]{Items: []int{1}, HasMore: true, NextCursor: "n"}, nil
		}
		return CursorPage[int]{}, boom
	}))
	require.ErrorIs(t, err, boom)
	assert.Equal(t, []int{1}, items)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = collect(Cursor(ctx, nil, func(context.Context, string) (CursorPage[int], error) {
		t.Fatal("fetched after cancel")
		return CursorPage[int]{}, nil
	}))
	require.ErrorIs(t, err, context.Canceled)
}

func TestPagesAcrossPages(t *testing.T) {
	var asked []int
	items, err := collect(Pages(context.Background(), nil, func(_ context.Context, page int) (NumberedPage[int], error) {
		asked = append(asked, page)
		if page == 3 {
			return NumberedPage[int]{Items: []int{5}, HasMore: false}, nil
		}
		return NumberedPage[int]{Items: []int{page*2 - 1, page * 2}, HasMore: true}, nil
	}))
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2, 3, 4, 5}, items)
	assert.Equal(t, []int{1, 2, 3}, asked)
}

func TestPagesGuardsAndOptions(t *testing.T) {
	t.Run("empty page ends", func(t *testing.T) {
		calls := 0
		items, err := collect(Pages(context.Background(), nil, func(_ context.Context, page int) (NumberedPage[int], error) {
			calls++
			if page > 2 {
				return NumberedPage[int]{HasMore: true}, nil
			}
			return NumberedPage[int]{Items: []int{page}, HasMore: true}, nil
		}))
		require.NoError(t, err)
		assert.Equal(t, []int{1, 2}, items)
		assert.Equal(t, 3, calls)
	})
	t.Run("never stops", func(t *testing.T) {
		items, err := collect(Pages(context.Background(), &PageOptions{MaxPages: 4, FirstPage: 0}, func(_ context.Context, page int) (NumberedPage[int], error) {
			return NumberedPage[int]{Items: []int{page}, HasMore: true}, nil
		}))
		require.ErrorIs(t, err, ErrPaginationStuck)
		assert.Equal(t, []int{1, 2, 3, 4}, items)
	})
	t.Run("first page zero-based", func(t *testing.T) {
		items, err := collect(Pages(context.Background(), &PageOptions{FirstPage: -1}, func(_ context.Context, page int) (NumberedPage[int], error) {
			return NumberedPage[int]{Items: []int{page}, HasMore: page < 1}, nil
		}))
		require.NoError(t, err)
		assert.Equal(t, []int{-1, 0, 1}, items)
	})
	t.Run("error", func(t *testing.T) {
		boom := errors.New("boom")
		_, err := collect(Pages(context.Background(), nil, func(context.Context, int) (NumberedPage[int], error) {
			return NumberedPage[int]{}, boom
		}))
		require.ErrorIs(t, err, boom)
	})
	t.Run("break", func(t *testing.T) {
		calls := 0
		for range Pages(context.Background(), nil, func(_ context.Context, page int) (NumberedPage[int], error) {
			calls++
			return NumberedPage[int]{Items: []int{1, 2, 3}, HasMore: true}, nil
		}) {
			break
		}
		assert.Equal(t, 1, calls)
	})
}

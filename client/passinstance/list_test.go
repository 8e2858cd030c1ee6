package passinstance

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/passforge/passforge/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pagedServer answers GET /passes with the items of the requested page
// (ids p1..pN), rendered by render.
func pagedServer(t *testing.T, total, defaultLimit int, render func(items string, page, limit, total int) string) *fake {
	t.Helper()
	f := newFake(t)
	f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if page == 0 {
			page = 1
		}
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		if limit == 0 {
			limit = defaultLimit
		}
		var items []string
		for i := (page-1)*limit + 1; i <= page*limit && i <= total; i++ {
			items = append(items, fmt.Sprintf(`{"id":"p%d"}`, i))
		}
		_, _ = io.WriteString(w, render("["+strings.Join(items, ",")+"]", page, limit, total))
		return true
	})
	return f
}

func collect(t *testing.T, c *Client, p *ListParams) ([]string, error) {
	t.Helper()
	var ids []string
	for pass, err := range c.Passes.ListAll(context.Background(), p) {
		if err != nil {
			return ids, err
		}
		ids = append(ids, pass.ID)
	}
	return ids, nil
}

func ids(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("p%d", i))
	}
	return out
}

func TestListAllPagination(t *testing.T) {
	tests := []struct {
		name      string
		total     int
		params    *ListParams
		render    func(items string, page, limit, total int) string
		want      []string
		wantPages []string // the page query of each request
	}{
		{
			name: "totalPages under pagination", total: 7, params: &ListParams{Limit: 3},
			render: func(items string, page, limit, total int) string {
				return fmt.Sprintf(`{"data":%s,"pagination":{"page":%d,"limit":%d,"total":%d,"totalPages":%d}}`,
					items, page, limit, total, (total+limit-1)/limit)
			},
			want: ids(1, 7), wantPages: []string{"1", "2", "3"},
		},
		{
			name: "hasMore at the top", total: 5, params: &ListParams{Limit: 2},
			render: func(items string, page, limit, total int) string {
				return fmt.Sprintf(`{"passes":%s,"hasMore":%t}`, items, page*limit < total)
			},
			want: ids(1, 5), wantPages: []string{"1", "2", "3"},
		},
		{
			name: "has_more under meta", total: 4, params: &ListParams{Limit: 2},
			render: func(items string, page, limit, total int) string {
				return fmt.Sprintf(`{"results":%s,"meta":{"has_more":%t}}`, items, page*limit < total)
			},
			want: ids(1, 4), wantPages: []string{"1", "2"},
		},
		{
			name: "total and server-chosen limit", total: 5, params: nil,
			render: func(items string, page, limit, total int) string {
				return fmt.Sprintf(`{"items":%s,"page":%d,"pageSize":%d,"totalCount":%d}`, items, page, limit, total)
			},
			want: ids(1, 5), wantPages: []string{"1", "2"}, // pages of the server's 3 items
		},
		{
			name: "nested data object", total: 3, params: &ListParams{Limit: 2},
			render: func(items string, page, limit, total int) string {
				return fmt.Sprintf(`{"success":true,"data":{"passes":%s,"pagination":{"currentPage":%d,"total_pages":%d}}}`,
					items, page, (total+limit-1)/limit)
			},
			want: ids(1, 3), wantPages: []string{"1", "2"},
		},
		{
			name: "bare arrays end at a short page", total: 5, params: &ListParams{Limit: 2},
			render: func(items string, page, limit, total int) string { return items },
			want:   ids(1, 5), wantPages: []string{"1", "2", "3"},
		},
		{
			name: "bare arrays end at an empty page", total: 4, params: &ListParams{Limit: 2},
			render: func(items string, page, limit, total int) string { return items },
			want:   ids(1, 4), wantPages: []string{"1", "2", "3"},
		},
		{
			name: "no limit and no metadata is one page", total: 3, params: nil,
			render: func(items string, page, limit, total int) string { return items },
			want:   ids(1, 3), wantPages: []string{"1"},
		},
		{
			name: "starting at a later page", total: 6, params: &ListParams{Page: 2, Limit: 2},
			render: func(items string, page, limit, total int) string {
				return fmt.Sprintf(`{"data":%s,"page":%d,"totalPages":3}`, items, page)
			},
			want: ids(3, 6), wantPages: []string{"2", "3"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := pagedServer(t, tt.total, 3, tt.render)
			got, err := collect(t, newTestClient(t, f), tt.params)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			var pages []string
			for _, c := range f.Requests() {
				assert.Equal(t, "GET", c.Method)
				assert.Equal(t, "/passes", c.Path)
				assert.Equal(t, testKey, c.Header.Get("X-API-Key"))
				pages = append(pages, strings.TrimPrefix(c.RawQuery[strings.Index(c.RawQuery, "page="):], "page="))
			}
			assert.Equal(t, tt.wantPages, pages)
		})
	}
}

func TestListAllStops(t *testing.T) {
	t.Run("server ignoring page", func(t *testing.T) {
		f := newFake(t)
		f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
			_, _ = io.WriteString(w, `{"data":[{"id":"p1"},{"id":"p2"}],"hasMore":true}`)
			return true
		})
		got, err := collect(t, newTestClient(t, f), &ListParams{Limit: 2})
		require.ErrorIs(t, err, client.ErrPaginationStuck)
		assert.Contains(t, err.Error(), "page 2 repeats page 1")
		assert.Equal(t, []string{"p1", "p2"}, got)
		assert.Len(t, f.Requests(), 2)
	})
	t.Run("error on a later page", func(t *testing.T) {
		f := newFake(t)
		f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
			if n == 2 {
				w.WriteHeader(http.StatusForbidden)
				_, _ = io.WriteString(w, `{"error":"Forbidden","message":"no"}`)
				return true
			}
			_, _ = io.WriteString(w, `{"data":[{"id":"p1"}],"hasMore":true}`)
			return true
		})
		got, err := collect(t, newTestClient(t, f), nil)
		require.ErrorIs(t, err, client.ErrForbidden)
		assert.Equal(t, []string{"p1"}, got)
	})
	t.Run("early break stops fetching", func(t *testing.T) {
		f := pagedServer(t, 100, 2, func(items string, page, limit, total int) string {
			return fmt.Sprintf(`{"data":%s,"hasMore":true}`, items)
		})
		c := newTestClient(t, f)
		n := 0
		for _, err := range c.Passes.ListAll(context.Background(), nil) {
			require.NoError(t, err)
			n++
			if n == 3 {
				break
			}
		}
		assert.Len(t, f.Requests(), 2)
	})
	t.Run("list without items", func(t *testing.T) {
		f := newFake(t)
		f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
			_, _ = io.WriteString(w, `{"total":0}`)
			return true
		})
		_, err := collect(t, newTestClient(t, f), nil)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "passinstance: list passes: response has no list of passes")
	})
	t.Run("invalid params", func(t *testing.T) {
		f := newFake(t)
		_, err := collect(t, newTestClient(t, f), &ListParams{Limit: -1})
		require.Error(t, err)
		assert.Empty(t, f.Requests())
	})
}

func TestListAllOtherResources(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f)
	ctx := context.Background()
	count := func(seq func(yield func(string, error) bool)) int {
		n := 0
		for _, err := range seq {
			require.NoError(t, err)
			n++
		}
		return n
	}
	assert.Equal(t, 1, count(func(yield func(string, error) bool) {
		for b, err := range c.Bundles.ListAll(ctx, nil) {
			if !yield(b.ID, err) {
				return
			}
		}
	}))
	assert.Equal(t, 1, count(func(yield func(string, error) bool) {
		for tm, err := range c.Templates.ListAll(ctx, nil) {
			if !yield(tm.ID, err) {
				return
			}
		}
	}))
	assert.Equal(t, 1, count(func(yield func(string, error) bool) {
		for w, err := range c.Webhooks.ListAll(ctx, nil) {
			if !yield(w.ID, err) {
				return
			}
		}
	}))
	assert.Equal(t, 1, count(func(yield func(string, error) bool) {
		for n, err := range c.PushNotifications.ListAll(ctx, nil) {
			if !yield(n.ID, err) {
				return
			}
		}
	}))
	var paths []string
	for _, call := range f.Requests() {
		paths = append(paths, call.Method+" "+call.Path+"?"+call.RawQuery)
	}
	assert.Equal(t, []string{"GET /bundles?page=1", "GET /templates?page=1", "GET /webhooks?page=1", "GET /push-notifications?page=1"}, paths)
}

// FuzzDecodeList feeds arbitrary list bodies to the decoder, which must
// never panic and must report a page only when it found items.
func FuzzDecodeList(f *testing.F) {
	f.Add([]byte(`[{"id":"a"}]`), 1)
	f.Add([]byte(`{"data":[{"id":"a"}],"pagination":{"page":1,"totalPages":2}}`), 0)
	f.Add([]byte(`{"data":{"passes":[],"meta":{"hasMore":true}}}`), 2)
	f.Add([]byte(`{"data":{"data":{"data":[]}}}`), 0)
	f.Add([]byte(`{"page":"x","data":[]}`), 5)
	f.Fuzz(func(t *testing.T, b []byte, limit int) {
		p, err := decodeList[Pass](b, "passes", limit)
		if err == nil {
			require.NotNil(t, p)
		}
	})
}

func BenchmarkDecodeList(b *testing.B) {
	var items []string
	for i := 0; i < 100; i++ {
		items = append(items, strings.Replace(passJSON, `"pass_123"`, fmt.Sprintf(`"pass_%d"`, i), 1))
	}
	body := []byte(`{"data":[` + strings.Join(items, ",") + `],"pagination":{"page":1,"limit":100,"total":1000,"totalPages":10}}`)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		p, err := decodeList[Pass](body, "passes", 100)
		if err != nil || len(p.Items) != 100 || !p.HasMore {
			b.Fatal(err)
		}
	}
}

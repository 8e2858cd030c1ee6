package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/passforge/passforge/client"
)

// Example shows a provider-style call: JSON in and out, a retry after a
// 503, and the response metadata.
func Example() {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("X-Request-Id", "req_123")
		w.Header().Set("X-RateLimit-Remaining", "99")
		_, _ = io.WriteString(w, `{"object":"pass","id":"pass_1","holder_name":"Alice Johnson"}`)
	}))
	defer srv.Close()

	c, err := client.New(
		client.WithBaseURL(srv.URL),
		client.WithBearerToken("pmk_test_example"),
		client.WithIdempotencyHeader("Idempotency-Key"),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	var pass struct {
		ID         string `json:"id"`
		HolderName string `json:"holder_name"`
	}
	resp, err := c.Do(context.Background(), &client.Request{
		Method: http.MethodPost,
		Path:   "/v1/passes",
		Body:   map[string]string{"template_id": "tmpl_xxx", "holder_name": "Alice Johnson"},
	}, &pass)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(pass.ID, pass.HolderName)
	fmt.Println("attempts:", resp.Attempts, "request id:", resp.RequestID, "remaining:", resp.RateLimit.Remaining)
	// Output:
	// pass_1 Alice Johnson
	// attempts: 2 request id: req_123 remaining: 99
}

// ExampleAPIError shows how callers branch on a typed error.
func ExampleAPIError() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"error":{"type":"not_found_error","message":"No such pass: pass_x"}}`)
	}))
	defer srv.Close()

	c, _ := client.New(client.WithBaseURL(srv.URL), client.WithBearerToken("pmk_test_example"))
	_, err := c.Do(context.Background(), &client.Request{Path: "/v1/passes/pass_x"}, nil)
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Type, errors.Is(err, client.ErrNotFound))
	}
	fmt.Println(err)
	// Output:
	// 404 not_found_error true
	// client: GET /v1/passes/pass_x: status 404 not_found_error: No such pass: pass_x
}

// ExampleCursor walks a cursor-paginated list lazily.
func ExampleCursor() {
	data := [][]string{{"pass_1", "pass_2"}, {"pass_3"}}
	fetch := func(_ context.Context, cursor string) (client.CursorPage[string], error) {
		i := 0
		if cursor == "pass_2" {
			i = 1
		}
		page := data[i]
		return client.CursorPage[string]{Items: page, HasMore: i == 0, NextCursor: page[len(page)-1]}, nil
	}
	for id, err := range client.Cursor(context.Background(), nil, fetch) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(id)
	}
	// Output:
	// pass_1
	// pass_2
	// pass_3
}

package passlite_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/passlite"
)

// Example issues a loyalty pass, stamps it and voids it against a local
// stand-in for PassLite.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/businesses/me":
			_, _ = io.WriteString(w, `{"id": "biz_123", "name": "Acme Coffee"}`)
		case r.Method == http.MethodPost && r.URL.Path == "/businesses/biz_123/passes":
			var body map[string]any
			_ = json.NewDecoder(r.Body).Decode(&body)
			w.WriteHeader(http.StatusCreated)
			fmt.Fprintf(w, `{"id": "pass_abc123", "serial_number": "PL-00042", "customer_email": %q, "status": "active", "stamps": 0}`,
				body["customer_email"])
		case strings.HasSuffix(r.URL.Path, "/stamp"):
			fmt.Fprintf(w, `{"id": "pass_abc123", "stamps": %s, "status": "active"}`, r.URL.Query().Get("count"))
		case r.Method == http.MethodDelete:
			_, _ = io.WriteString(w, `{"id": "pass_abc123", "status": "voided", "voided_at": "2026-04-07T16:00:00Z"}`)
		}
	}))
	defer srv.Close()

	pl, err := passlite.New("pb_test_example", client.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	biz, _, err := pl.Businesses.Me(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	pass, _, err := pl.Passes.Issue(ctx, biz.ID, &passlite.PassIssueParams{
		TemplateID:    "tpl_loyalty_gold",
		CustomerEmail: "jane@example.com",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("issued", pass.SerialNumber, "to", pass.CustomerEmail, "in", pl.Mode(), "mode")

	pass, _, err = pl.Passes.Stamp(ctx, biz.ID, pass.ID, &passlite.StampParams{Count: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("stamps", pass.Stamps)

	pass, _, err = pl.Passes.Void(ctx, biz.ID, pass.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(pass.Status, "at", pass.VoidedAt.Format("15:04"))
	// Output:
	// issued PL-00042 to jane@example.com in test mode
	// stamps 2
	// voided at 16:00
}

// ExamplePassesService_CheckIn shows a check-in blocked by the template's
// scan cooldown: the call fails at once with a *passlite.CooldownError
// instead of being retried.
func ExamplePassesService_CheckIn() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"error": {"code": "rate_limited", "message": "Try again in 3m 20s", "status": 429}}`)
	}))
	defer srv.Close()

	pl, _ := passlite.New("pb_test_example", client.WithBaseURL(srv.URL))
	_, resp, err := pl.Passes.CheckIn(context.Background(), "biz_123", "pass_abc123", nil)
	var cooldown *passlite.CooldownError
	if errors.As(err, &cooldown) {
		fmt.Println("blocked:", cooldown.Message)
		fmt.Println("retry in", cooldown.RetryIn, "after", resp.Attempts, "attempt")
	}
	// Output:
	// blocked: Try again in 3m 20s
	// retry in 3m20s after 1 attempt
}

// ExamplePassesService_BulkIssue reports the items of a bulk issue that
// failed while the others were issued.
func ExamplePassesService_BulkIssue() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"total": 2, "succeeded": 1, "failed": 1, "results": [
  {"index": 0, "status": "created", "pass": {"id": "pass_abc123", "serial_number": "PL-00042"}},
  {"index": 1, "status": "error", "error": {"code": "duplicate_external_id", "message": "external_id cust_9822 already exists"}}]}`)
	}))
	defer srv.Close()

	pl, _ := passlite.New("pb_test_example", client.WithBaseURL(srv.URL))
	res, _, err := pl.Passes.BulkIssue(context.Background(), "biz_123", &passlite.BulkIssueParams{
		Passes: []passlite.PassIssueParams{
			{TemplateID: "tpl_loyalty_gold", ExternalID: "cust_9821"},
			{TemplateID: "tpl_loyalty_gold", ExternalID: "cust_9822"},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d of %d issued\n", res.Succeeded, res.Total)
	for _, item := range res.Failures() {
		fmt.Println(item.Error)
	}
	// Output:
	// 1 of 2 issued
	// passlite: bulk item 1: duplicate_external_id: external_id cust_9822 already exists
}

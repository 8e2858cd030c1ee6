package passmint_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/passmint"
)

// Example issues, updates and voids a pass against a local stand-in for
// Passmint.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		switch r.Method {
		case http.MethodPost:
			fv, _ := json.Marshal(body["field_values"])
			w.WriteHeader(http.StatusCreated)
			fmt.Fprintf(w, `{"object":"pass","id":"pass_123","template_id":%q,"mode":"test","field_values":%s,"voided":false}`,
				body["template_id"], fv)
		case http.MethodPatch:
			fv, _ := json.Marshal(body["field_values"])
			fmt.Fprintf(w, `{"object":"pass","id":"pass_123","field_values":%s,"voided":false}`, fv)
		case http.MethodDelete:
			_, _ = io.WriteString(w, `{"object":"pass","id":"pass_123","voided":true,"voided_at":"2026-04-16T14:30:00Z"}`)
		}
	}))
	defer srv.Close()

	pm, err := passmint.New("pmk_test_example", client.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	pass, _, err := pm.Passes.Issue(ctx, &passmint.PassIssueParams{
		TemplateID:  "tmpl_xxx",
		HolderName:  "Alice Johnson",
		FieldValues: map[string]string{"seatNumber": "A12"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("issued", pass.ID, "in", pm.Mode(), "mode, seat", pass.FieldValues["seatNumber"])

	pass, _, err = pm.Passes.Update(ctx, pass.ID, &passmint.PassUpdateParams{
		FieldValues: map[string]string{"seatNumber": "B7"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("updated seat", pass.FieldValues["seatNumber"])

	pass, _, err = pm.Passes.Void(ctx, pass.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("voided", pass.Voided, "at", pass.VoidedAt.Format("2006-01-02 15:04"))
	// Output:
	// issued pass_123 in test mode, seat A12
	// updated seat B7
	// voided true at 2026-04-16 14:30
}

// ExamplePassesService_ListAll iterates over every pass of a template,
// page after page.
func ExamplePassesService_ListAll() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("starting_after") == "" {
			_, _ = io.WriteString(w, `{"object":"list","data":[{"id":"pass_1"},{"id":"pass_2"}],"has_more":true}`)
			return
		}
		_, _ = io.WriteString(w, `{"object":"list","data":[{"id":"pass_3"}],"has_more":false}`)
	}))
	defer srv.Close()

	pm, _ := passmint.New("pmk_test_example", client.WithBaseURL(srv.URL))
	var ids []string
	for p, err := range pm.Passes.ListAll(context.Background(), &passmint.PassListParams{TemplateID: "tmpl_xxx"}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		ids = append(ids, p.ID)
	}
	fmt.Println(strings.Join(ids, " "))
	// Output: pass_1 pass_2 pass_3
}

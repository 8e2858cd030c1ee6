package passinstance_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/passinstance"
)

// Example issues, updates and voids a pass against a local stand-in for
// Passinstance's staging API.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		fields, _ := json.Marshal(body["fields"])
		switch r.Method + " " + r.URL.Path {
		case "POST /passes":
			w.WriteHeader(http.StatusCreated)
			fmt.Fprintf(w, `{"id":"pass_123","templateId":%q,"serialNumber":%q,"fields":%s}`,
				body["templateId"], body["serialNumber"], fields)
		case "PUT /passes/pass_123":
			fmt.Fprintf(w, `{"id":"pass_123","fields":%s}`, fields)
		case "POST /passes/pass_123/void":
			_, _ = io.WriteString(w, `{"id":"pass_123","status":"voided"}`)
		}
	}))
	defer srv.Close()

	pi, err := passinstance.New("pi_test_key", client.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	pass, _, err := pi.Passes.Create(ctx, &passinstance.PassCreateParams{
		TemplateID:   "tpl_abcdef1234567890",
		SerialNumber: "ORDER-1001",
		Fields: map[string]passinstance.FieldValue{
			"memberName": {Label: "Member", Value: "Jane Doe"},
			"tier":       {Label: "Tier", Value: "Gold"},
		},
		BarcodeFormat:  passinstance.BarcodeQR,
		BarcodeMessage: "ORDER-1001-GOLD",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("created", pass.ID, pass.SerialNumber, "for", pass.Fields["memberName"].Value, "tier", pass.Fields["tier"].Value)

	pass, _, err = pi.Passes.Update(ctx, pass.ID, &passinstance.PassUpdateParams{
		Fields: map[string]passinstance.FieldValue{"tier": {Label: "Tier", Value: "Platinum"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("updated tier", pass.Fields["tier"].Value)

	pass, _, err = pi.Passes.Void(ctx, pass.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	var status string
	_, _ = passinstance.Lookup(pass.Raw, "status", &status)
	fmt.Println("voided:", status)
	// Output:
	// created pass_123 ORDER-1001 for Jane Doe tier Gold
	// updated tier Platinum
	// voided: voided
}

// ExamplePassesService_ListAll iterates over every pass of a template,
// page after page.
func ExamplePassesService_ListAll() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		fmt.Fprintf(w, `{"data":[{"id":"pass_%d"},{"id":"pass_%d"}],"pagination":{"page":%d,"totalPages":3}}`,
			2*page-1, 2*page, page)
	}))
	defer srv.Close()

	pi, _ := passinstance.NewBearer("access-token", client.WithBaseURL(srv.URL))
	params := &passinstance.ListParams{Limit: 2, Filter: map[string][]string{"templateId": {"tpl_abcdef1234567890"}}}
	for pass, err := range pi.Passes.ListAll(context.Background(), params) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Print(pass.ID, " ")
	}
	fmt.Println()
	// Output: pass_1 pass_2 pass_3 pass_4 pass_5 pass_6
}

package providerfake_test

import (
	"context"
	"fmt"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/passmint"
	"github.com/passforge/passforge/internal/providerfake"
)

// Start a fake on a free loopback port and point a Passmint client at it.
func ExampleStart() {
	const key = "pmk_test_example"
	srv, err := providerfake.Start("127.0.0.1:0", &providerfake.Options{
		Keys: map[providerfake.Provider]string{providerfake.Passmint: key},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	pm, err := passmint.New(key, client.WithBaseURL(srv.BaseURL(providerfake.Passmint)))
	if err != nil {
		fmt.Println(err)
		return
	}
	p, _, err := pm.Passes.Issue(context.Background(), &passmint.PassIssueParams{
		TemplateID:  providerfake.PassmintTemplateID,
		FieldValues: map[string]string{"seatNumber": "A12"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.ID, p.TemplateID, p.FieldValues["seatNumber"], p.Voided)
	for _, c := range srv.Calls() {
		fmt.Println(c)
	}
	// Output:
	// pass_1 tmpl_xxx A12 false
	// passmint POST /v1/passes -> 200
}

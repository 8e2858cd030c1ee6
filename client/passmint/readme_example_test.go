package passmint_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/passmint"
)

// ExampleNew issues a pass from a Passmint template, moves the holder's seat and voids the pass. It needs a real
// API key, so it is compiled but not run (the package's Example runs the same calls against a local server).
func ExampleNew() {
	pm, err := passmint.New(os.Getenv("PASSMINT_API_KEY"), // pmk_test_… or pmk_live_…
		client.WithTimeout(10*time.Second))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	p, _, err := pm.Passes.Issue(ctx, &passmint.PassIssueParams{
		TemplateID:  "tmpl_xxx",
		HolderName:  "Alice Johnson",
		FieldValues: map[string]string{"seatNumber": "A12"},
	}) // an Idempotency-Key is generated once and reused on every retry
	var rl *client.RateLimitError
	switch {
	case errors.As(err, &rl):
		log.Fatalf("rate limited: try again at %s", rl.RetryAt)
	case errors.Is(err, client.ErrValidation):
		log.Fatalf("Passmint refused the request: %v", err)
	case err != nil:
		log.Fatal(err)
	}
	if _, _, err := pm.Passes.Update(ctx, p.ID, &passmint.PassUpdateParams{
		FieldValues: map[string]string{"seatNumber": "B7"},
	}); err != nil {
		log.Fatal(err)
	}
	if _, _, err := pm.Passes.Void(ctx, p.ID); err != nil {
		log.Fatal(err)
	}
	fmt.Println("issued, updated and voided", p.ID)
}

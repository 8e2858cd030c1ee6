// Package passmint is a client for the Passmint REST API (v1,
// https://api.passmint.com), built on the shared transport in package
// client.
//
// Every documented operation has a typed method on a per-resource service:
//
//	pm, err := passmint.New(os.Getenv("PASSMINT_API_KEY"))
//	pass, resp, err := pm.Passes.Issue(ctx, &passmint.PassIssueParams{
//		TemplateID:  "tmpl_xxx",
//		HolderName:  "Alice Johnson",
//		FieldValues: map[string]string{"seatNumber": "A12"},
//	})
//
// The services and their operations:
//
//   - Passes: Issue, List (filters template_id, holder_email, limit),
//     ListAll, Get, Update, Void.
//   - Templates: Create, List, ListAll, Get, Update, Archive.
//   - Events: List (recent), ListForPass, ListAll, ListAllForPass.
//   - Webhooks: Create, List, ListAll, Get, Update, Delete, Deliveries.
//
// Each method returns the decoded object, the *client.Response (status,
// request id, X-RateLimit-* values, attempts) and an error.
//
// The key is sent as "Authorization: Bearer pmk_test_…" or "pmk_live_…";
// Client.Mode reports test or live from that prefix. POST and PATCH calls
// carry an Idempotency-Key, generated once per call and reused on every
// retry (or taken from the params' IdempotencyKey field), so they are
// retried safely; DELETE calls are retried only when they never reached
// the server or were answered 429 or 503 (not processed).
//
// Errors use Passmint's envelope {"error": {"type", "code", "message",
// "param"}}; they are *client.APIError values, and errors.Is matches the
// client sentinels: authentication_error → client.ErrUnauthorized,
// invalid_request_error → client.ErrValidation, not_found_error →
// client.ErrNotFound, billing_error → client.ErrPaymentRequired,
// idempotency_error → client.ErrIdempotencyConflict (and ErrConflict),
// api_error → client.ErrServer.
//
// Lists return the envelope {"object": "list", "data", "has_more"} as
// *List[T]; the ListAll methods are lazy iterators over all pages. Passmint
// documents has_more but not a cursor parameter: the iterators request
// later pages with starting_after=<id of the last item> and stop with
// client.ErrPaginationStuck if the server repeats a page.
//
// Objects keep their documented fields typed and the whole JSON object in
// Raw, so fields the reference leaves open ("...") stay reachable.
package passmint

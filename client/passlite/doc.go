// Package passlite is a client for the PassLite REST API
// (https://api.passlite.io/api/v1), built on the shared transport in
// package client.
//
//	pl, err := passlite.New(os.Getenv("PASSLITE_API_KEY")) // pb_live_… or pb_test_…
//	pass, resp, err := pl.Passes.Issue(ctx, "biz_123", &passlite.PassIssueParams{
//		TemplateID:    "tpl_loyalty_gold",
//		CustomerEmail: "jane@example.com",
//	})
//
// # Operations and endpoints
//
// Paths are relative to the base URL; {b} is the business id, which
// Businesses.Me returns.
//
//	Businesses.Me                 GET    /businesses/me
//	Passes.Issue                  POST   /businesses/{b}/passes
//	Passes.BulkIssue              POST   /businesses/{b}/passes/bulk          (≤ 500 items)
//	Passes.Get                    GET    /businesses/{b}/passes/{identifier}  (id, serial_number or external_id)
//	Passes.Update                 PATCH  /businesses/{b}/passes/{identifier}
//	Passes.BulkUpdate             PATCH  /businesses/{b}/passes/bulk
//	Passes.Stamp                  POST   /businesses/{b}/passes/{id}/stamp?count=N
//	Passes.AddPoints              POST   /businesses/{b}/passes/{id}/points?points=N
//	Passes.Charge                 POST   /businesses/{b}/passes/{id}/charge?amount=X
//	Passes.TopUp                  POST   /businesses/{b}/passes/{id}/topup?amount=X
//	Passes.CheckIn                POST   /businesses/{b}/passes/{id}/checkin
//	Passes.Redeem                 POST   /businesses/{b}/passes/{id}/redeem
//	Passes.Void                   DELETE /businesses/{b}/passes/{id}
//	Passes.Reactivate             POST   /businesses/{b}/passes/{id}/reactivate
//	Passes.LookupByEmail          GET    /businesses/{b}/passes/lookup/email/{email}
//	Passes.LookupByExternalID     GET    /businesses/{b}/passes/lookup/external/{external_id}
//	Webhooks.Create               POST   /businesses/{b}/webhooks
//	Webhooks.List                 GET    /businesses/{b}/webhooks
//	Webhooks.Delete               DELETE /businesses/{b}/webhooks/{id}
//	Customers.SendMagicLink       POST   /public/customer/magic-link
//	Customers.Passes              GET    /public/customer/passes?token=…
//
// Each method returns the decoded object, the *client.Response (status,
// request id, X-RateLimit-* values, attempts, idempotency key) and an
// error. PassLite's lists are plain arrays without pages, so there are no
// pagination iterators.
//
// # Authentication and retries
//
// New sends a pb_live_ or pb_test_ key in X-API-Key (Client.Mode tells
// which); NewBearer sends a JWT from /auth/login as a bearer token.
// Every POST and PATCH carries an Idempotency-Key, generated once per call
// and reused on every retry, or taken from the params' IdempotencyKey
// field (set it to an order or payment id to make a charge safe to repeat
// across processes). The two DELETE calls take no key and are not retried
// once they may have been processed: only when they never reached the
// server or were answered 429 or 503.
//
// # Errors
//
// Failures are *client.APIError values with PassLite's code and message
// from {"error": {"code", "message", "status"}}; errors.Is matches the
// client sentinels (not_found → client.ErrNotFound, conflict →
// client.ErrConflict, validation_error and bad_request →
// client.ErrValidation, and so on). Two cases have their own types, which
// unwrap to the *client.APIError:
//
//   - *PlanError: 402 Payment Required for a PRO feature or a Free-plan
//     limit, with the feature, plan and upgrade message.
//   - *CooldownError: a check-in blocked by the template's scan cooldown
//     (429 "Already checked in at 14:30" or "Try again in 3m 20s"), with
//     the time and remaining wait parsed. Unlike the 60-requests-a-minute
//     rate limit, a cooldown is not retried.
//
// Bulk requests succeed partially: BulkResult reports each item, and
// BulkResult.Failures lists the *BulkItemError of the items that failed.
//
// Objects keep the documented fields typed and the whole JSON object in
// Raw; update and webhook params take undocumented fields in Extra.
package passlite

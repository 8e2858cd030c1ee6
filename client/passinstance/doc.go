// Package passinstance is a client for the Passinstance REST API (v1),
// built on the shared transport in package client.
//
// Passinstance has a production and a staging environment
// (ProductionBaseURL, StagingBaseURL; WithStaging selects staging) and
// two ways to authenticate: New sends an API key in X-API-Key, for
// service-to-service connectors, and NewBearer sends "Authorization:
// Bearer <token>", for user-context operations:
//
//	pi, err := passinstance.New(os.Getenv("PASSINSTANCE_API_KEY"), passinstance.WithStaging())
//	pass, resp, err := pi.Passes.Create(ctx, &passinstance.PassCreateParams{
//		TemplateID:     "tpl_abcdef1234567890",
//		SerialNumber:   "ORDER-1001",
//		Fields:         map[string]passinstance.FieldValue{"tier": {Label: "Tier", Value: "Gold"}},
//		BarcodeFormat:  passinstance.BarcodeQR,
//		BarcodeMessage: "ORDER-1001-GOLD",
//	})
//
// The reference's 17 operations and their methods:
//
//	POST   /batch               Create batch operation        Batches.Create
//	GET    /batch/{id}          Get batch operation status    Batches.Get
//	GET    /bundles             Get all bundles               Bundles.List, Bundles.ListAll
//	POST   /bundles             Create a bundle               Bundles.Create
//	GET    /passes              Get all passes                Passes.List, Passes.ListAll
//	POST   /passes              Create a new pass             Passes.Create
//	DELETE /passes/{id}         Delete a pass                 Passes.Delete
//	GET    /passes/{id}         Get a specific pass           Passes.Get
//	PUT    /passes/{id}         Update a pass                 Passes.Update
//	POST   /passes/{id}/void    Void a pass                   Passes.Void
//	GET    /push-notifications  Get all notifications         PushNotifications.List, PushNotifications.ListAll
//	POST   /push-notifications  Send a push notification      PushNotifications.Send
//	GET    /templates           Get all templates             Templates.List, Templates.ListAll
//	POST   /templates           Create a new template         Templates.Create
//	GET    /templates/{id}      Get a specific template       Templates.Get
//	GET    /webhooks            Get all webhooks              Webhooks.List, Webhooks.ListAll
//	POST   /webhooks            Create a webhook              Webhooks.Create
//
// The reference lists paths without methods for void; POST is used, the
// method of an action on a resource.
//
// # What the reference leaves open
//
// The reference documents the pass create body (templateId,
// serialNumber, fields of {label, value}, barcodeFormat, barcodeMessage),
// the webhook body (url, events, secret), the event names and the error
// body, and describes the other resources in a sentence each. Documented
// members are typed; for the others this package uses the API's camelCase
// naming and Apple's key names (relevantDate, expirationDate,
// passTypeIdentifier, ...). Every params type has Extra for members it
// does not name and every object keeps the whole JSON object in Raw
// (Lookup decodes one member of it). Single-object answers are accepted
// bare, under "data" or under the resource's name.
//
// Lists take ListParams (page, limit and any other query parameter in
// Filter) and return a *Page[T]; list answers are read as a bare array or
// an object with the items under "data", "items", "results" or the
// resource's name, with optional page/limit/total/totalPages/hasMore
// members at the top or under "pagination" or "meta". The ListAll methods
// are lazy iterators over every page; they stop when the server says
// there is no next page (or, without such information, at a page shorter
// than the limit), and end with client.ErrPaginationStuck when a server
// repeats a page.
//
// # Errors and retries
//
// Errors are *client.APIError values: Passinstance's body
// {"error": "Too Many Requests", "message": "Retry after the indicated
// delay"} gives Type and Message, and a validation body's first
// errors[].field gives Param. errors.Is matches client.ErrUnauthorized
// (401), client.ErrForbidden (403), client.ErrNotFound (404),
// client.ErrValidation (400, 422), client.ErrRateLimited (429) and
// client.ErrServer (5xx). 429 and 5xx are retried after Retry-After or
// a backoff. Passinstance documents no idempotency key, so POST, PUT and
// DELETE calls are retried only when they provably never reached the
// server or were answered 429 or 503, which say the request was not
// processed (Passinstance asks clients to retry those after Retry-After);
// never after 500, 502, 504 or a network error once sent. GET calls are
// retried freely.
package passinstance

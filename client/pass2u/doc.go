// Package pass2u is a client for Pass2U's Pass API 2.0
// (https://api.pass2u.net/v2), built on the shared transport in package
// client.
//
// Passes are created from issuing models designed in the Pass2U
// Dashboard; the model id comes from there and the pass id from Create:
//
//	p2u, err := pass2u.New(os.Getenv("PASS2U_API_KEY"))
//	pass, resp, err := p2u.Passes.Create(ctx, "1919", &pass2u.PassParams{
//		Fields: []pass2u.Field{{Key: "level", Value: "GOLD"}},
//	}, nil)
//	n, resp, err := p2u.Passes.Download(ctx, "1919", pass.PassID, file)
//
// Every operation of the API guide and its endpoint:
//
//	Create pass             Passes.Create               POST   /models/{modelId}/passes?utm_source=…
//	Update pass             Passes.Update               PUT    /models/{modelId}/passes/{passId}
//	  (voided: true)        Passes.Void                 PUT    /models/{modelId}/passes/{passId}
//	Delete pass attribute   Passes.DeleteAttribute      DELETE /models/{modelId}/passes/{passId}/attributes/{attributeName}
//	Delete custom field     Passes.DeleteField          DELETE /models/{modelId}/passes/{passId}/fields/{fieldKey}
//	Delete field attribute  Passes.DeleteFieldAttribute DELETE /models/{modelId}/passes/{passId}/fields/{fieldKey}/attributes/{attributeName}
//	Get pkpass file         Passes.Download             GET    /models/{modelId}/passes/{passId} (Accept: application/vnd.apple.pkpass)
//	Upload image            Images.Upload               POST   /images (Content-Type: image/png)
//
// Pass2U has no list endpoints, so nothing paginates.
//
// The key is sent in the x-api-key header. PassParams carries the
// documented top-level keys (standard, associated app, expiration,
// relevance, visual appearance) and lower-level keys (images, beacons,
// locations, barcode, fields) typed, with Extra for anything else; Create
// and Update check them against the limits of Pass2U's parameter tables
// before sending and report every problem at once (ErrInvalidParams).
// Responses keep their documented fields typed and the whole object in
// Raw.
//
// Download streams the .pkpass to an io.Writer without buffering it,
// checking that it starts like a zip archive and stays under
// MaxPassBytes. Upload checks an image before sending it: a PNG that
// decodes, at most 4 MB (MaxImageBytes) and 1024×1024 pixels
// (CheckImage, ErrInvalidImage).
//
// Errors are *client.APIError values with Pass2U's {"message": …} as
// Message and the error code of Pass2U's table as Code (ErrorAccessDenied
// and the others); errors.Is matches the client sentinels by status (403
// client.ErrForbidden, 404 client.ErrNotFound, 409 client.ErrConflict,
// 429 client.ErrRateLimited, 5xx client.ErrServer, 400 and also 405, 406
// and 415 client.ErrValidation). 429, 503 and 504 are retried with
// backoff; Pass2U has no idempotency keys, so POST, PUT and DELETE are
// retried only when they never reached Pass2U.
package pass2u

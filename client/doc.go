// Package client is the shared HTTP transport of the hosted pass API
// clients (client/passmint, client/passlite, client/pass2u,
// client/passinstance, client/remypass). It adds authentication,
// per-attempt timeouts, retries with exponential backoff and jitter,
// Retry-After handling, idempotency keys, typed errors, rate-limit
// information and pagination iterators, using the standard library only.
//
// # Using the core from a provider package
//
// A provider package builds a *Client with its defaults first and the
// caller's options after them (later options win), and plugs in its error
// envelope with an ErrorDecoder:
//
//	func New(apiKey string, opts ...client.Option) (*Client, error) {
//		base := []client.Option{
//			client.WithBaseURL("https://api.passmint.com"),
//			client.WithBearerToken(apiKey),               // or client.WithAPIKey("X-API-Key", apiKey)
//			client.WithIdempotencyHeader("Idempotency-Key"), // omit when the provider has no keys
//			client.WithErrorDecoder(decodeError),
//		}
//		core, err := client.New(append(base, opts...)...)
//		...
//	}
//
//	func decodeError(e *client.APIError) {
//		var env struct{ Error struct{ Type, Code, Message, Param string } }
//		if json.Unmarshal(e.Body, &env) == nil {
//			e.Type, e.Code, e.Message, e.Param = env.Error.Type, env.Error.Code, env.Error.Message, env.Error.Param
//		}
//		if e.Type == "idempotency_error" {
//			e.Kind = client.ErrIdempotencyConflict // errors.Is matches it too
//		}
//	}
//
// Each operation is then one Request:
//
//	var p Pass
//	resp, err := core.Do(ctx, &client.Request{
//		Method: http.MethodPost,
//		Path:   "/v1/passes/" + url.PathEscape(id), // escaped; the client rejects "." and ".."
//		Query:  url.Values{"limit": {"10"}},
//		Body:   params, // JSON; or RawBody + ContentType; or Multipart
//	}, &p)
//
// Stream copies a body to an io.Writer (a .pkpass download); RawBody with
// ContentType "image/png" sends bytes (an image upload); Multipart sends
// multipart/form-data. Bodies are encoded once and re-sent unchanged on
// every attempt. The *Response carries the status, headers, request id,
// X-RateLimit-* values, attempt count, idempotency key and raw body.
//
// # Retries
//
// Network errors, per-attempt timeouts and statuses 408, 429, 500, 502,
// 503 and 504 are retried up to RetryPolicy.MaxAttempts, waiting the
// server's Retry-After (seconds or HTTP date) or an exponential backoff
// with jitter. A Retry-After longer than RetryPolicy.MaxRetryAfter ends the
// call with a *RateLimitError carrying the wait. Sleeps end when the
// context ends.
//
// Only requests that are safe to send twice are retried after a failure
// that may follow processing: GET, HEAD, OPTIONS and TRACE; requests with
// an idempotency key (generated once per POST and PATCH call when the
// client has an idempotency header, or for any method with
// Request.WantIdempotencyKey, or given in Request.IdempotencyKey; the same
// key on every attempt); and requests marked Request.Idempotent. Other
// writes — un-keyed POST and PATCH, and PUT and DELETE unless marked
// Idempotent — are retried only when the
// request provably never reached the server (no connection was obtained,
// or dialing failed) or when the server answered 429 or 503, which say the
// request was not processed (Passinstance's documentation asks clients to
// retry those after Retry-After). After 408, 500, 502, 504 or a network
// error once the request may have been sent, an un-keyed write is never
// sent again: it may have taken effect.
//
// Tests of provider packages can make retries instant with WithClock and
// a two-method Clock whose Sleep returns ctx.Err() without waiting, or
// turn retries off with WithRetryPolicy(RetryPolicy{MaxAttempts: 1}).
//
// # Errors
//
// A non-2xx response is an *APIError with status, provider type and code,
// message, parameter, request id and raw body; errors.Is matches it against
// ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict,
// ErrIdempotencyConflict, ErrPaymentRequired, ErrRateLimited,
// ErrValidation and ErrServer.
//
// # Credentials
//
// Credentials never appear in errors, log records, retry events or printed
// values. The client holds its credential in a type that redacts itself
// under every fmt verb and in slog, and a Client prints only its base URL
// and the name of its credential header. When a server echoes the
// credential back, it is replaced by "[REDACTED]" in every field of the
// *APIError (Type, Code, Message, Param, RequestID, Header and Body, also
// where the body spells it with JSON escapes), in the *RateLimitError, in
// the Response of the failed call and in the request id of log records.
// Request.Secrets extends the same treatment to a credential a single
// request carries, such as a token in its query.
//
// # Pagination
//
// Cursor (has_more + cursor or starting_after) and Pages (page + limit)
// turn a fetch function into a lazy iter.Seq2[T, error] that stops at the
// end of the list, at the first error, or with ErrPaginationStuck when a
// server repeats a cursor or exceeds PageOptions.MaxPages.
package client

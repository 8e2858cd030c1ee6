// Package webhook verifies the HMAC-signed webhook deliveries of the hosted
// pass services (Passmint, PassLite, RemyPass), of Standard Webhooks senders
// and of any sender whose scheme can be described by a Scheme (Passinstance,
// in-house services), and signs deliveries the same way.
//
// The work of a receiver is, in this order: verify, then parse, then
// dispatch.
//
//   - A Verifier checks a delivery's signature header against the raw body
//     under one or more secrets (so secrets can be rotated), accepting any of
//     the signatures a header carries, comparing in constant time, enforcing
//     a timestamp tolerance in both directions (5 minutes by default, with an
//     injectable clock) and capping the body (1 MiB by default). It fails
//     closed: an empty secret, a missing or malformed header or an unknown
//     signature version never verifies. Callers branch on ErrMissingSignature,
//     ErrInvalidSignature, ErrTimestampOutsideTolerance, ErrBodyTooLarge and
//     ErrMalformedHeader.
//   - ParseEvent decodes the verified body into an Event with the provider's
//     typed envelope (PassmintEvent, PassLiteEvent, RemyPassEvent,
//     StandardEvent). Unknown event types are ordinary values, never errors.
//   - A Handler is an http.Handler doing all of it: it dispatches each event
//     to the HandlerFunc registered for its type, answers 2xx only after the
//     HandlerFunc succeeded and 5xx when it failed (so the sender retries),
//     and uses a ReplayStore (MemoryStore by default) so that a replayed or
//     retried delivery is acknowledged without being dispatched twice.
//
// A Signer produces the headers of each scheme for a body, a secret and a
// time, and builds signed *http.Request values for tests.
//
// Secrets are never printed: Verifier and Signer format themselves without
// them, and no error contains a secret or a computed signature. Errors of
// a Verifier quote neither signatures nor the body.
//
// Headers that a scheme does not sign (RemyPass's X-RemyPass-Event and
// X-RemyPass-Delivery) are never trusted: the event type, id and time come
// from the signed body.
package webhook

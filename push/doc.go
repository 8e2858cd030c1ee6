// Package push tells Wallet that a pass changed: it sends the Apple Push
// Notification that makes a device ask the pass's web service for updates.
//
// For Wallet the notification is an empty JSON dictionary sent with the pass
// type identifier as topic, authenticated with the same Pass Type ID
// certificate that signs the pass, and only APNs production delivers it. A
// Client does exactly that over the standard library's own HTTP/2 (one
// net/http Transport per pooled connection, health-checked with PINGs; no
// golang.org/x/net, so security fixes come with the Go toolchain):
//
//	client, err := push.New(identity) // production, mutual TLS
//	if err != nil { ... }
//	defer client.Close()
//	res, err := client.Push(ctx, token, "") // "" = the certificate's pass type ID
//	switch {
//	case err == nil:                         // delivered, res.APNsID
//	case res.ShouldUnregister():             // 410 or BadDeviceToken: delete the registration
//	case errors.Is(err, push.ErrConfiguration): // wrong topic/certificate: alert someone
//	}
//
// Each request is POST /3/device/<token> with apns-topic (checked against
// the certificate's UID), apns-push-type: background, apns-priority: 5, an
// apns-expiration 12 hours ahead (APNs keeps only the last notification per
// device and topic) and a fresh apns-id; the body is {}. A token that is not
// hex of a plausible length is refused before sending (CheckToken).
//
// # Fan-out
//
// PushAll (or Results, its iterator form) pushes one update to many tokens,
// read from an iter.Seq as it goes: duplicates per (token, topic) are
// skipped, at most WithMaxInFlight requests are in flight over
// WithConnections connections, each of which keeps to the
// MAX_CONCURRENT_STREAMS that APNs announces, and results stream to a
// callback. A configuration error (DeviceTokenNotForTopic, 403, an expired
// or refused certificate) stops the fan-out; the tokens not yet sent are
// reported NotSent with that error.
//
// # Outcomes and errors
//
// Every Result has an Outcome: Delivered, Unregistered (410 with Apple's
// timestamp, or 400 BadDeviceToken: delete the registration), Failed or
// NotSent; Result.Err wraps a sentinel (ErrUnregistered, ErrBadDeviceToken,
// ErrConfiguration, ErrTemporary, ErrNotSent, ErrInvalidToken) and, when
// APNs answered, an *Error with status, reason and apns-id. 429 and 5xx are
// retried with exponential backoff and jitter (WithRetry), sleeping no
// longer than the context allows. A connection that breaks or receives
// GOAWAY is replaced, and the requests in flight on it are retried once, at
// once, on a fresh connection.
//
// # Certificates and secrets
//
// New fails once the certificate has expired and logs a warning when it
// expires within 30 days (WithNow makes time injectable); pushes fail with
// ErrCertificateExpired from the moment it expires. Token authentication
// with a .p8 key (WithTokenKey) signs an ES256 JWT, reuses it and renews it
// every 40 minutes, inside Apple's 20 to 60 minute window. Neither the
// private key nor the JWT ever appears in a log line, an error or a
// formatted Client.
//
// Package push/pushtest is a fake APNs for testing all of this.
package push

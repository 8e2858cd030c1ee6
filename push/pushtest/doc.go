// Package pushtest provides a fake Apple Push Notification service for tests,
// in the spirit of net/http/httptest.
//
// NewServer starts a real TLS server speaking HTTP/2 on a loopback port. It
// requires a client certificate (the Pass Type ID certificate a pass server
// pushes with) unless it was started WithTokenKey, records every request
// (token, headers, body and the client certificate's subject), and answers
// each device token from a script:
//
//	srv, err := pushtest.NewServer()
//	if err != nil { ... }
//	defer srv.Close()
//	srv.Script("aa11…", pushtest.Unregistered(time.Now()))
//	srv.Script("bb22…", pushtest.TooManyRequests(), pushtest.OK())
//
// Each request to a token takes the next step of its script; once the script
// is used up the token gets the default answer (200, unless SetDefault says
// otherwise). Steps answer with Apple's statuses and JSON reasons (410 with a
// timestamp, 400 BadDeviceToken and DeviceTokenNotForTopic, 403, 429, 500,
// 503), wait (Delay), close the connection gracefully with an HTTP/2 GOAWAY
// after answering (GoAway), or drop the connection without answering (Drop).
//
// Requests that break Apple's rules get Apple's answer whatever the script
// says: a method other than POST (405 MethodNotAllowed), a path other than
// /3/device/<token> (404 BadPath), no apns-topic (400 MissingTopic), an empty
// body (400 PayloadEmpty), a body over 4096 bytes (413 PayloadTooLarge) and,
// in token mode, a missing, invalid or expired provider token (403).
//
// The server's certificate is issued by a CA generated for it: CertPool and
// CAPEM return that CA for the client under test, and Client returns an
// *http.Client that trusts it and presents a throwaway client certificate.
// The MAX_CONCURRENT_STREAMS the server advertises is set with
// WithMaxConcurrentStreams (or SetMaxConcurrentStreams for later
// connections), and MaxConcurrent reports the most requests it saw in flight
// on one connection. WithTokenKey checks provider tokens (JWTs) instead of
// requiring a certificate, against WithNow's time if a test moves the
// client's clock.
package pushtest

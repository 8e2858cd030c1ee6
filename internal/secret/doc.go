// Package secret holds credentials (API keys, bearer tokens, webhook secrets, passwords, private keys) in
// values that never print themselves: String and Bytes redact their content under every fmt verb (%v, %+v,
// %#v, %s, %q, %x, ...), in log/slog records and in encoding/json output, and are safe even in unexported
// struct fields, which fmt prints by reflection without calling their methods.
//
// Use it for every field that holds a credential:
//
//	type Client struct {
//		token secret.String // printing a *Client shows "[REDACTED]" or an address, never the token
//	}
//
//	req.Header.Set("Authorization", "Bearer "+c.token.Reveal())
//
// Reveal returns the credential for the one place that must send or compare it; Equal compares in constant
// time; Redact and RedactJSON remove it from text a server or a user supplied, such as an error body that
// echoes the key back. NewHandler wraps a slog.Handler so that no attribute of any record, at any level,
// shows one of the credentials it is given: a safety net for records that carry text from elsewhere.
package secret

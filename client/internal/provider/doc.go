// Package provider holds the small pieces that every hosted-API package
// under client/ needs in the same form: the mode of an API key from its
// prefix (ModeFromKey), escaping of an id into a request path with the
// same rejection of empty and dot segments (Segment), decoding a
// response object while keeping its raw JSON (UnmarshalRaw), and printing
// and logging a model that holds a webhook secret with the secret
// redacted (RedactSecret, RedactMembers, Format, LogValue).
//
// Errors returned here do not start with a package name: the provider
// package wraps them with its own ("passmint: %w"), so the message names
// the API the caller used. The package is internal to client/...; it is
// not part of passforge's public API.
package provider

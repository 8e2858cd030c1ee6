// Package webservice implements the Apple Wallet web service protocol: the
// endpoints Wallet calls at a pass's webServiceURL to register a device for
// the pass's updates, list the passes that changed since an update tag,
// fetch the latest version of a pass, post its logs and personalize a signup
// pass.
//
// # The handler
//
// NewHandler returns an http.Handler serving, relative to wherever it is
// mounted (under http.StripPrefix, behind a ServeMux pattern, with or without
// a trailing slash in webServiceURL):
//
//	POST   v1/devices/{deviceLibraryIdentifier}/registrations/{passTypeIdentifier}/{serialNumber}  201 new, 200 again
//	DELETE v1/devices/{deviceLibraryIdentifier}/registrations/{passTypeIdentifier}/{serialNumber}  200
//	GET    v1/devices/{deviceLibraryIdentifier}/registrations/{passTypeIdentifier}?passesUpdatedSince=tag  200 or 204
//	GET    v1/passes/{passTypeIdentifier}/{serialNumber}                  200 (Last-Modified) or 304
//	POST   v1/passes/{passTypeIdentifier}/{serialNumber}/personalize      200, the signed personalization token
//	POST   v1/log                                                         200, or 429 when rate limited
//
// Register, unregister and get-pass require "Authorization: ApplePass
// <authenticationToken>": the scheme is matched case-insensitively, the
// token's SHA-256 is compared in constant time with the stored hash, and
// every failure — no header, another scheme, a wrong token, an unknown pass —
// is the same 401. The list endpoint carries no token (Wallet sends none);
// the log endpoint is open and rate limited. Identifiers in the path are
// checked for charset and length, bodies are capped per endpoint (413), JSON
// that does not parse is a 400, a wrong method a 405 with Allow and any other
// path a 404. Error bodies are JSON {"error": {"code", "message"}}. Device
// logs go to log/slog with control characters escaped.
//
// Update tags are the store's sequence numbers, sent as JSON strings of
// decimal digits (lastUpdated); a tag the service did not issue — anything
// but digits, or newer than the store's sequence — lists every registered
// pass. A pass's Last-Modified is its version's time, a second later for
// every version, so If-Modified-Since never hides an update.
//
// When the application changed a pass it calls Handler.PassChanged, which
// stores the change with a new tag and returns the push tokens to notify
// (package push sends the APNs pushes), or Store.UpdatePass with
// UpdateOptions.Enqueue to queue the pushes in the store's outbox in the same
// transaction. Hooks tell the application about registrations,
// unregistrations, device logs and personalizations.
//
// # Storage
//
// A Store keeps passes (identifiers, the SHA-256 of the authenticationToken,
// the signed .pkpass of the current version and opaque application data),
// devices and their registrations, an outbox of pending APNs pushes and a
// few settings. Update tags come from the store's own sequence, never from
// the wall clock, so several instances and clock skew cannot make a device
// miss an update. Package webservice/sqlitestore is the embedded default,
// webservice/pgstore serves several instances; webservice/storetest is the
// conformance suite both run.
package webservice

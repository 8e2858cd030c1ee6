// Package webservice implements the Apple Wallet web service protocol: the
// endpoints Wallet calls to register a device for a pass's updates, list the
// passes that changed since an update tag, fetch the latest version of a
// pass, post its logs and personalize a signup pass.
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

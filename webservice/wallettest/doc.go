// Package wallettest plays one or many Apple Wallet devices against a pass
// web service and checks every answer against the Wallet web service
// protocol, in the spirit of net/http/httptest and testing/fstest.
//
// Given a signed .pkpass, it reads webServiceURL, authenticationToken,
// passTypeIdentifier and serialNumber from pass.json, as Wallet does, and
// talks to the service over real HTTP:
//
//	rep, err := wallettest.Check(ctx, pkpass, nil)
//	if err != nil { ... }            // the pass could not be read at all
//	for _, c := range rep.Failed() { // each broken rule, named
//		t.Errorf("%s: %s", c.Name, c.Detail)
//	}
//
// Check registers a simulated device (201), registers it again (200, also
// with a new push token), registers a second device for the same pass, lists
// serial numbers with and without passesUpdatedSince (lastUpdated must be a
// JSON string; nothing changed since a tag is 204, never 200 with an empty
// list; tags never move backwards), fetches the pass with and without
// If-Modified-Since (Last-Modified present and honoured with 304, an older
// date gets the pass), posts logs, unregisters (the second device keeps its
// registration), and tries the negative cases:
// a wrong or missing token (401), an unknown serial, a malformed body (400)
// and a wrong method. The pass served must be a valid signed .pkpass with the
// same passTypeIdentifier, serialNumber and authenticationToken, signed by
// the same certificate as the pass given (or chaining to Options.Roots).
//
// CheckUpdate polls, runs a function that changes the pass (an admin API
// call, a database update), optionally waits for the APNs push to arrive, and
// polls again: the pass must be listed with a tag that moved forward and
// fetched as a new version with a later Last-Modified.
//
// Load runs many devices at once for a while and reports requests per second
// and latency percentiles; FloorHandler is the cheapest handler answering the
// same requests, to measure the HTTP stack's own floor next to it.
//
// Device exposes each endpoint for tests of their own, and Sync does what
// Wallet does after a push: list what changed since the tag it holds, fetch
// the pass with If-Modified-Since, keep the new tag and version. Poll and
// Fetch are those two steps one at a time, for tests that check each.
package wallettest

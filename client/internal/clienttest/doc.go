// Package clienttest is the test scaffolding the provider packages under
// client/ share: a recording httptest server that a test can make answer
// differently for a while (Server), a clock that never waits (NoSleep),
// an assertion on the method, path, query, headers and JSON body of a
// recorded request (Want), and an assertion that a value prints no secret
// under any fmt verb or in a log record (AssertHidden).
//
// Each provider keeps its own fake routes, example responses and
// credential check; only the parts that were the same in every provider's
// tests live here. The package does not import package client (NoSleep
// satisfies client.Clock by its methods). It is internal to client/...;
// it is not part of passforge's public API.
package clienttest

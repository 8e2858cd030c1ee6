// Package providerfake is an in-memory fake of the five hosted pass APIs that
// package client serves: Passmint, PassLite, Pass2U, Passinstance and
// RemyPass. It answers the operations the passforge examples and tests use —
// issuing, reading, updating, voiding and deleting passes, listing templates
// and reading the authenticated business — with the request and response
// shapes, error envelopes and authentication headers of each provider's public
// reference (providers/*-api.txt), so the examples run offline and the
// clients can be exercised end to end.
//
// One Fake serves all five providers, each under its own path prefix; BasePath
// names it, and a provider client is pointed at the fake with
// client.WithBaseURL(root + BasePath(provider)):
//
//	srv, err := providerfake.Start("127.0.0.1:0", &providerfake.Options{
//		Keys: map[providerfake.Provider]string{providerfake.Passmint: "pmk_test_abc"},
//	})
//	defer srv.Close()
//	pm, err := passmint.New("pmk_test_abc", client.WithBaseURL(srv.BaseURL(providerfake.Passmint)))
//
// Every Fake starts with the example objects of the providers' docs (the
// template tmpl_xxx, the business biz_123, the model 1919, and so on; see the
// constants), so the ids printed in the docs work as they are. State lives in
// memory and is safe for concurrent use; nothing is persisted.
package providerfake

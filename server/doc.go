// Package server is a self-hosted pass update service: it composes a
// template.Template, a sign.Identity, a webservice store and handler and a
// push client into one http.Handler and one background worker.
//
// # What it serves
//
// A Server answers, on one http.Handler:
//
//   - the Apple Wallet web service protocol (package webservice), mounted at
//     the path of the public URL; the webServiceURL of every issued pass
//     points there;
//   - an admin API under /api/v1, JSON in and out, authenticated with
//     "Authorization: Bearer <token>" (compared in constant time): issue a
//     pass (POST /api/v1/passes), read it (GET /api/v1/passes/{serial}),
//     change its values (PATCH), void it (POST .../void) and download its
//     current signed version (GET .../pkpass);
//   - download links that holders open without the admin token
//     (GET {public URL}/download/{serial}.pkpass?expires=...&signature=...,
//     an HMAC-signed, expiring URL returned as downloadURL);
//   - GET /healthz (checks the store) and GET /metrics (Prometheus).
//
// Errors of the admin API are JSON {"error": {"code": "...", "message":
// "..."}}; validation failures (422) add "problems", each with the JSON path
// of what is wrong.
//
// # Versions, tags and pushes
//
// Every change (issue, update, void) signs the pass once and stores the
// signed bytes with the version in the store, so devices polling the web
// service never cause signing. An update runs in one store transaction that
// reads the current values, merges the new ones, signs, stores the version
// with a new update tag from the store's sequence (and a Last-Modified time
// strictly later than the previous version's) and writes one outbox entry per
// registered push token. The worker started by Run claims outbox entries
// with a lease, sends each with the push client and completes it only on a
// definite answer (delivered, unregistered, permanent error); anything else
// is retried with backoff. A crash between an update and its push loses
// nothing: the entry stays in the outbox and is sent after a restart, or by
// another instance once the lease lapses. Several instances on one
// PostgreSQL database behave as one service.
//
// # Secrets
//
// Authentication tokens are derived from a server secret (HMAC of the pass
// type, serial number and a per-pass nonce), so no token is stored in clear;
// the store keeps only their SHA-256 hash. The secret is generated once and
// kept in the store's settings, so every instance on one database agrees on
// it; it also signs download URLs. The admin token, tokens and keys never
// appear in logs or errors.
package server

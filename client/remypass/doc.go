// Package remypass is a client for the RemyPass public API
// (https://api.remypass.com/api/v1/public), built on the shared transport
// in package client.
//
// RemyPass documents one operation, which the client covers:
//
//	Passes.Issue    POST /passes/issue
//
// It issues a pass to an existing member in one of two forms:
//
//   - a standard member pass: IssueParams with MemberID (the member's _id)
//     and PassTemplateID, plus optional ExpiryDate, CustomFields and
//     SkipEmail;
//   - an event ticket pass: the same plus Event, whose Time, Name and Seat
//     (the eventTime, eventName and seatInfo fields) are required together
//     and checked before anything is sent.
//
// Date-times are sent as RemyPass writes them, in UTC with milliseconds
// ("2024-12-25T19:30:00.000Z"), and "sendEmail" is always sent explicitly.
//
// # Authentication, retries and errors
//
// New sends the key in X-API-Key; NewBearer sends it as "Authorization:
// Bearer" instead, which RemyPass also accepts. RemyPass documents no idempotency
// keys, so an issue is retried only when it provably never reached the
// server (a failed dial): a repeated issue would create a second pass and
// email the member twice.
//
// Responses use the envelope {"success", "message", "data"}: Issue returns
// it as *Envelope, whose Data is the issued pass as raw JSON (RemyPass does
// not document its fields; decode it with Envelope.DecodeData). A 2xx with
// "success": false is an error wrapping ErrUnsuccessful. Error responses
// (400 bad request or validation, 401 missing or invalid key, 403 not
// allowed, 500 server error) are *client.APIError values carrying the
// envelope's message, and errors.Is matches client.ErrValidation,
// client.ErrUnauthorized, client.ErrForbidden and client.ErrServer.
package remypass

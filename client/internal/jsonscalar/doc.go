// Package jsonscalar reads loosely typed fields of the hosted APIs' error
// envelopes. The providers disagree on whether "code", "message" or "error"
// is a string, a number or an object, so the error decoders of package
// client and of the provider packages under client/ keep such fields as
// json.RawMessage and turn them into text with Text.
//
// The package is internal to client/...; it is not part of passforge's
// public API.
package jsonscalar

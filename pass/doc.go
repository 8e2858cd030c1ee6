// Package pass models an Apple Wallet pass: the pass.json dictionary with every key Apple documents through
// iOS 27, its fields, barcodes, semantics and relevance information, and the files that travel with it
// (images by role and scale, localizations in <lang>.lproj folders, personalization).
//
// Build a pass as a plain struct literal, read one leniently from real-world pass.json bytes with Parse, write it
// with json.Marshal (Apple's key names, deterministic bytes, unknown keys preserved), and check it with
// Validate, which reports every problem at once with its JSON path and severity, the way Wallet would judge it.
//
// The package uses only the standard library; signing lives in package sign.
package pass

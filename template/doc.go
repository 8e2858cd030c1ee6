// Package template issues Apple Wallet passes in bulk from a reusable design.
//
// A Template is a design made once (a loyalty card, a ticket type): a base
// pass.json plus its images, localizations and personalization. Load one from
// a folder in the .pass layout with Load (any fs.FS: os.DirFS, embed.FS,
// fstest.MapFS), from an existing .pkpass with LoadPkpass, from either on disk
// with Open, or build one in code with New. Problems in the design are
// reported once, at load.
//
// # Values
//
// Each pass is issued from Values: its serialNumber (required), field values
// by field key in any group, the barcode message and altText, top-level
// overrides (colours, expirationDate, relevance dates, voided, locations,
// userInfo, webServiceURL and authenticationToken, the NFC message), per-pass
// images (a member photo as thumbnail.png) and localized values. Strings of
// the design (in pass.json and in <lang>.lproj/pass.strings) may hold
// placeholders such as {{holder_name}}, filled from Values.Placeholders; a
// missing value is a *MissingValueError naming the placeholder and where it
// is used. Every issued pass is validated before it is signed, and a
// placeholder left unfilled in it is a validation error
// (unreplaced-placeholder). Template.ValuesFromMap makes Values from a
// map[string]string (a CSV record, a JSON object, form data) with the rules of
// a CSV column.
//
// # The fast path
//
// The static files of the design are hashed (SHA-1, CRC-32) and encoded for
// the zip once, when the template is made. Per pass, only pass.json, the
// per-pass files, manifest.json, the signature and the zip directory are
// produced: the values are applied to a copy-on-write copy of the design,
// pass.json is validated alone (the files were validated at load), the small
// per-pass files are stored rather than deflated (sign.PrepareDynamicEntry),
// and the pass is signed and written by a sign.Signer kept per identity and
// digest, which patches each PKCS#7 signature into a DER skeleton made once
// (messageDigest, signingTime and the signature value), byte for byte what
// sign.Signature makes. The single RSA private-key operation dominates. A Template is
// immutable and safe for concurrent use.
//
// # Bulk issuance
//
// Template.Bulk issues passes from a stream of values (an iterator; FromSlice,
// FromSeq and FromChan adapt slices, iter.Seq and channels; NewCSVReader and
// ReadJSONL read CSV and JSON Lines files) on every core, reports progress
// and per-item failures without stopping the batch, and hands each pass to a
// Sink, whose Put receives the batch's context: a folder of .pkpass files
// (DirSink), one zip (NewZipSink) or .pkpasses bundles (BundleSink), or a
// CountSink for measurements. Memory stays flat whatever the count: the
// input channel is bounded, buffers are pooled and no result is kept.
package template

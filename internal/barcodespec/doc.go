// Package barcodespec holds the rules a Wallet barcode must follow to be
// drawn: the known formats (PKBarcodeFormatQR and friends), the message
// encodings (messageEncoding) that can really be encoded, the bytes a message
// becomes in the symbol, and each symbology's capacity, character set and
// check-digit rules.
//
// The package uses the standard library only, so that the pass package can
// call Check from pass.Validate and the barcode package can call it before
// drawing: a pass that validates never carries a barcode that cannot be drawn.
//
// Error messages are plain sentences without a package prefix, written to read
// well when a caller wraps them with a location, for example
// "pass: barcodes[0].message: character 'é' at offset 3 cannot be encoded in
// us-ascii". Callers branch on the sentinels ErrUnknownFormat,
// ErrUnknownEncoding and ErrInvalidMessage, or on the typed errors
// *EncodingError and *CapacityError.
//
// The capacity limits are those of the renderer in the barcode package
// (github.com/boombuler/barcode) at its default settings:
//
//   - PKBarcodeFormatQR: version 40 at error-correction level L: 7089 digits,
//     4296 upper-case alphanumeric characters or 2953 bytes.
//   - PKBarcodeFormatAztec: 32 full-range layers with 23 % error correction
//     (Apple's default). The check runs the renderer's own high-level
//     encoding, bit stuffing and layer choice, so it is exact: 1885 bytes in
//     the worst case (runs of 0x00 or 0xFF), about 1970 bytes of random
//     binary data, 2000 to 2400 characters of mixed text, 3244 upper-case
//     letters, about 4050 digits.
//   - PKBarcodeFormatPDF417: 30 rows of 30 columns at error-correction level 2,
//     891 data codewords: 1068 bytes of binary data, about 1780 characters of
//     text or 2610 digits (the renderer draws at most 30 rows, where the
//     symbology allows 90).
//   - The one-dimensional codes: 80 characters, a practical limit beyond which
//     a symbol no longer fits a phone screen at a scannable module width.
package barcodespec

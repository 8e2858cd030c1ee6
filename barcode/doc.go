// Package barcode draws every Apple Wallet barcode format — PKBarcodeFormatQR,
// PKBarcodeFormatPDF417, PKBarcodeFormatAztec, PKBarcodeFormatCode128 and
// iOS 27's PKBarcodeFormatCode39, PKBarcodeFormatCodabar,
// PKBarcodeFormatEAN13 and PKBarcodeFormatI2of5 — as an image.Image, a PNG or
// an SVG, with the quiet zone each symbology needs.
//
// The message is first encoded the way Wallet does, with the barcode's
// messageEncoding (iso-8859-1 when none is given), and checked with the same
// rules pass.Validate applies (capacity, character set, check digits), so an
// error names the problem ("EAN-13 check digit is 2 but the first 12 digits
// give 1", "too long for an Aztec code: 2000 bytes, at most 1885 (for this
// content)") rather than failing inside the encoder. The symbols themselves come
// from github.com/boombuler/barcode.
//
// Drawing is in whole pixels per module so that edges stay sharp: when a
// Width and Height are requested, the symbol is drawn at the largest whole
// module size that fits, centred on the background. Default error correction:
// QR level M (Apple's default), or L when the message only fits at L; Aztec
// 23 % (Apple's default); PDF417 the level ISO/IEC 15438 recommends for the
// message's size, lowered to what fits but never below 2.
//
// A Codabar message without start and stop characters is drawn between A and
// A, and the alternative start and stop characters (a–d, T, N, *, E) are
// drawn as A–D; an EAN-13 message of 12 digits gets its check digit. Symbol.Data returns
// the bytes actually drawn.
//
// Quiet zones, in modules: QR 4, Aztec 1 (none is required; one keeps the
// symbol off the image edge), PDF417 2, EAN-13 11 on the left and 7 on the
// right, other one-dimensional codes 10.
package barcode

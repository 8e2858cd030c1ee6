// Package preview draws the front of an Apple Wallet pass as a picture, for e-mails, dashboards and design
// review, without a phone.
//
// Render lays out a pass the way Wallet does for its style: the boarding pass with the transit icon between its
// two primaryFields and the auxiliaryFields above the secondaryFields; the coupon and store card with the strip
// image behind the primary field and the secondary and auxiliary fields on one row; the event ticket with a strip,
// or a blurred background image and a thumbnail (and, for a poster event ticket — preferredStyleSchemes starting
// with posterEventTicket and a background or artwork image — the unblurred artwork with the event's semantics);
// the generic pass with its thumbnail; and posterGeneric with its artwork, primary fields stacked over it, footer
// fields and a square code. The colours are backgroundColor, foregroundColor and labelColor (and stripColor
// over a strip); the logo image and logoText sit at the top with the headerFields; the barcode is the first
// entry of barcodes that package barcode can draw (else the legacy barcode), with its altText. A pass with nfc
// shows "Hold Near Reader" instead, as Wallet moves its barcode to the back.
//
// Field values are formatted as Wallet formats them in English: numbers with currencyCode or numberStyle, dates
// with dateStyle and timeStyle (in Options.Location, or the value's own zone; isRelative dates near Options.Now
// as "Today", "Tomorrow" or "Yesterday"), attributedValue's links as plain text. With Options.Language set,
// labels, values, logoText and altText are looked up in that language's pass.strings and the language's localized
// images are preferred.
//
// Text uses the Go fonts (golang.org/x/image/font/gofont), which ship with the module, so the same pass gives
// the same pixels on every machine. The output is @2x by default (640×840 pixels; a pass is 320×420 points).
package preview

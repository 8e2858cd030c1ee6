// Package pass models an Apple Wallet pass: the pass.json dictionary with every key Apple documents through
// iOS 27, its fields, barcodes, semantics and relevance information, and the files that travel with it
// (images by role and scale, localizations in <lang>.lproj folders, personalization).
//
// Build a pass as a plain struct literal, read one leniently from real-world pass.json bytes with Parse, write it
// with json.Marshal (Apple's key names, deterministic bytes, unknown keys preserved), and check it with
// Validate, which reports every problem at once with its JSON path and severity, the way Wallet would judge it.
//
// Parse is lenient where real-world files need it (a byte order mark, trailing commas, numbers where strings are
// expected and the reverse, dates without seconds) and bounded where hostile input could hurt (MaxPassJSONSize,
// MaxPassJSONDepth); its errors name the JSON path. Every model dictionary keeps the keys it does not know in its
// Extra map, so Parse then json.Marshal loses nothing.
//
// Assets holds the other files of a pass by archive path: images by role and scale (SetImage, SetLocalizedImage),
// pass.strings files (SetStrings, written in the UTF-16 Wallet reads when they hold non-ASCII text, and read back
// with ParseStrings) and personalization.json (SetPersonalization). Load reads a whole pass folder from any
// fs.FS.
//
// The package uses only the standard library; signing lives in package sign.
package pass

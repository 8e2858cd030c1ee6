// Package zipwrite is the one zip writer of passforge: .pkpass archives
// (package sign), .pkpasses bundles (sign.WriteBundle) and zips of passes
// (template.ZipSink) are all written through it, over archive/zip.
//
// Entries arrive prepared: their bytes are copied as they are with
// archive/zip's CreateRaw (deflated entries are compressed once, by the
// caller), with the CRC-32 and sizes given, so that no data descriptor
// follows them. Every entry carries the same header fields, so the same
// entries give the same bytes: the MS-DOS date 1980-01-01 at 00:00 (the
// MS-DOS epoch, a valid date), mode 0644, version 2.0 needed to extract,
// made on Unix, and the UTF-8 flag for names that are not ASCII.
package zipwrite

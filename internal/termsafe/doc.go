// Package termsafe makes untrusted text safe to show on a terminal or in a text log: names inside archives,
// manifest keys, pass.json strings, device logs. Such text can hold a carriage return, ANSI escape sequences
// or Unicode bidirectional overrides that rewrite what a terminal shows, for example a forged
// "pass.pkpass: OK" line over a failing pass.
//
// Escape rewrites every rune that is not printable (C0 and C1 controls, DEL, bidirectional and other
// format characters, separators other than the ASCII space, invalid UTF-8 bytes) as a Go-style escape
// (\r, \x1b, \u202e) and leaves everything printable, in any script, as it is. Quote does the same inside
// double quotes, with quotes and backslashes escaped too, so that its result is a Go string literal that
// unquotes to the input. EscapeJSON escapes the same runes inside JSON output with \u escapes, which keeps
// the decoded values unchanged.
package termsafe

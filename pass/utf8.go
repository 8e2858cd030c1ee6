package pass

import (
	"fmt"
	"unicode/utf8"
)

// checkUTF8 returns a *ParseError naming the JSON path of the first key or
// string of the JSON value b that holds invalid UTF-8, or nil. Wallet's JSON
// reader rejects such a pass.json, while encoding/json reads each bad byte
// as U+FFFD, so a reader that did not check would accept a pass Wallet
// refuses. b must be syntactically valid JSON.
func checkUTF8(b []byte) error {
	if utf8.Valid(b) {
		return nil
	}
	return findInvalidUTF8(b, skipSpace(b, 0), "")
}

// findInvalidUTF8 looks for invalid UTF-8 in the value starting at b[i],
// whose JSON path is path.
func findInvalidUTF8(b []byte, i int, path string) error {
	end := valueEnd(b, i)
	if i >= len(b) || utf8.Valid(b[i:end]) {
		return nil
	}
	switch b[i] {
	case '"':
		return &ParseError{Path: path, Err: fmt.Errorf("holds %s; Wallet rejects a pass.json that is not UTF-8", badByte(b[i+1:end-1], "string"))}
	case '{':
		j := skipSpace(b, i+1)
		for j < end && b[j] == '"' {
			kend := stringEnd(b, j)
			key, _ := unquote(b[j:kend]) // invalid bytes read as U+FFFD, for the message
			if raw := b[j+1 : kend-1]; !utf8.Valid(raw) {
				return &ParseError{Path: path, Err: fmt.Errorf("a key holds %s; Wallet rejects a pass.json that is not UTF-8",
					badByte(raw, fmt.Sprintf("key %q", key)))}
			}
			j = skipSpace(b, kend)
			j = skipSpace(b, j+1) // the colon
			if err := findInvalidUTF8(b, j, joinKey(path, key)); err != nil {
				return err
			}
			j = skipSpace(b, valueEnd(b, j))
			if j < end && b[j] == ',' {
				j = skipSpace(b, j+1)
			}
		}
	case '[':
		j := skipSpace(b, i+1)
		for n := 0; j < end && b[j] != ']'; n++ {
			if err := findInvalidUTF8(b, j, joinIndex(path, n)); err != nil {
				return err
			}
			j = skipSpace(b, valueEnd(b, j))
			if j < end && b[j] == ',' {
				j = skipSpace(b, j+1)
			}
		}
	}
	return nil
}

// badByte describes the first invalid byte of raw, the text of what.
func badByte(raw []byte, what string) string {
	at := 0
	for at < len(raw) {
		r, n := utf8.DecodeRune(raw[at:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		at += n
	}
	if at >= len(raw) {
		return "invalid UTF-8"
	}
	return fmt.Sprintf("invalid UTF-8 (byte 0x%02x at offset %d of the %s)", raw[at], at, what)
}

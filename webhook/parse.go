package webhook

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
)

// mac is one HMAC-SHA256 value.
type mac [sha256.Size]byte

// parsed holds what a delivery's headers say, before any HMAC is computed.
// It lives on the stack of Verify: nothing in it escapes.
type parsed struct {
	ts    int64  // unix seconds, when hasTS
	tsStr string // the timestamp exactly as sent (it is part of the signed bytes)
	hasTS bool
	id    string // the signed delivery id, when the scheme signs one
	found int    // signature entries of a supported version, decodable or not
	n     int    // entries of sigs that hold a well-formed 32-byte candidate
	sigs  [maxSignatures]mac
}

// parseHeaders extracts the timestamp, id and candidate signatures of a
// delivery. It checks syntax only; it does not compare anything.
func parseHeaders(s *Scheme, h http.Header, p *parsed) error {
	values := h[s.SignatureHeader]
	if len(values) == 0 || (len(values) == 1 && strings.TrimSpace(values[0]) == "") {
		return &HeaderError{Header: s.SignatureHeader, Reason: "missing", Err: ErrMissingSignature}
	}
	if len(values) > maxSignatures {
		return malformed(s.SignatureHeader, "more than 16 header lines")
	}
	for _, v := range values {
		if len(v) > maxHeaderLen {
			return malformed(s.SignatureHeader, "longer than 8 KiB")
		}
		var err error
		switch s.Format {
		case FormatTimestamped:
			err = parseTimestamped(s, v, p)
		case FormatVersioned:
			err = parseVersioned(s, v, p)
		default:
			err = parsePlain(s, v, p)
		}
		if err != nil {
			return err
		}
	}
	if s.Format == FormatTimestamped && !p.hasTS {
		return malformed(s.SignatureHeader, `no "t=" timestamp`)
	}
	if s.TimestampHeader != "" {
		v, err := single(h, s.TimestampHeader)
		if err != nil {
			return err
		}
		if err := p.setTimestamp(s.TimestampHeader, v); err != nil {
			return err
		}
	}
	if s.idSigned() {
		v, err := single(h, s.IDHeader)
		if err != nil {
			return err
		}
		if len(v) > maxIDLen {
			return malformed(s.IDHeader, "longer than 256 bytes")
		}
		for i := 0; i < len(v); i++ {
			if v[i] < 0x21 || v[i] > 0x7e {
				return malformed(s.IDHeader, "not printable ASCII")
			}
		}
		p.id = v
	}
	if p.found == 0 {
		// Only entries of other versions (such as "v2,…"): nothing we can check.
		return &HeaderError{Header: s.SignatureHeader, Reason: "no v1 signature", Err: ErrInvalidSignature}
	}
	return nil
}

// single returns the one non-empty value of a required header.
func single(h http.Header, name string) (string, error) {
	values := h[name]
	switch {
	case len(values) == 0:
		return "", malformed(name, "missing")
	case len(values) > 1:
		return "", malformed(name, "sent more than once")
	}
	v := strings.TrimSpace(values[0])
	if v == "" {
		return "", malformed(name, "empty")
	}
	return v, nil
}

func malformed(header, reason string) error {
	return &HeaderError{Header: header, Reason: reason, Err: ErrMalformedHeader}
}

func parsePlain(s *Scheme, v string, p *parsed) error {
	v = strings.TrimSpace(v)
	if s.Prefix != "" {
		rest, ok := strings.CutPrefix(v, s.Prefix)
		if !ok {
			return malformed(s.SignatureHeader, "no "+s.Prefix+" prefix")
		}
		v = rest
	}
	return p.addSignature(s, v)
}

// parseTimestamped parses "t=<unix>,v1=<sig>[,v1=<sig>…]".
func parseTimestamped(s *Scheme, v string, p *parsed) error {
	for item := range strings.SplitSeq(v, ",") {
		item = strings.TrimSpace(item)
		key, val, ok := strings.Cut(item, "=")
		if !ok {
			return malformed(s.SignatureHeader, `an entry has no "="`)
		}
		switch key {
		case "t":
			if p.hasTS {
				return malformed(s.SignatureHeader, `"t=" appears more than once`)
			}
			if err := p.setTimestamp(s.SignatureHeader, val); err != nil {
				return err
			}
		case "v1":
			if err := p.addSignature(s, val); err != nil {
				return err
			}
		case "":
			return malformed(s.SignatureHeader, "an entry has an empty key")
		}
	}
	return nil
}

// parseVersioned parses space-separated "v1,<sig>" entries.
func parseVersioned(s *Scheme, v string, p *parsed) error {
	// Entries are separated by spaces; strings.Fields would also split on
	// Unicode spaces, at a cost that showed in profiles.
	for v != "" {
		var item string
		item, v, _ = strings.Cut(v, " ")
		item = strings.Trim(item, "\t")
		if item == "" {
			continue
		}
		version, sig, ok := strings.Cut(item, ",")
		if !ok || version == "" {
			return malformed(s.SignatureHeader, `an entry is not "<version>,<signature>"`)
		}
		if version == "v1" {
			if err := p.addSignature(s, sig); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *parsed) setTimestamp(header, v string) error {
	if len(v) == 0 || len(v) > maxTSDigits {
		return malformed(header, "timestamp is not a unix time in seconds")
	}
	var ts int64
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return malformed(header, "timestamp is not a unix time in seconds")
		}
		ts = ts*10 + int64(c-'0')
	}
	p.ts, p.tsStr, p.hasTS = ts, v, true
	return nil
}

// addSignature decodes one candidate. A value that is not valid hex or
// base64 makes the header malformed; a valid one of the wrong length is
// counted but can never match.
func (p *parsed) addSignature(s *Scheme, v string) error {
	if v == "" {
		return malformed(s.SignatureHeader, "empty signature")
	}
	if p.found >= maxSignatures {
		return malformed(s.SignatureHeader, "more than 16 signatures")
	}
	p.found++
	dst := &p.sigs[p.n]
	var ok, full bool
	if s.Encoding == EncodingBase64 {
		ok, full = decodeBase64(dst, v)
	} else {
		ok, full = decodeHex(dst, v)
	}
	if !ok {
		return malformed(s.SignatureHeader, "signature is not "+encodingName(s.Encoding))
	}
	if full {
		p.n++
	}
	return nil
}

func encodingName(e Encoding) string {
	if e == EncodingBase64 {
		return "base64"
	}
	return "hex"
}

// decodeHex decodes v into dst without allocating. ok reports valid hex;
// full reports that v held exactly len(dst) bytes.
func decodeHex(dst *mac, v string) (ok, full bool) {
	if len(v)%2 != 0 {
		return false, false
	}
	if len(v) != 2*len(dst) {
		// Cannot match; only its syntax matters.
		for i := 0; i < len(v); i++ {
			if unhexTable[v[i]] > 0x0f {
				return false, false
			}
		}
		return true, false
	}
	var bad byte
	for i := range dst {
		hi, lo := unhexTable[v[2*i]], unhexTable[v[2*i+1]]
		bad |= hi | lo
		dst[i] = hi<<4 | lo&0x0f
	}
	ok = bad <= 0x0f
	return ok, ok
}

// unhexTable maps a hex digit to its value and every other byte to 0xff.
// It is computed once and never written.
var unhexTable = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] = byte(c-'a') + 10
		t[c-'a'+'A'] = byte(c-'a') + 10
	}
	return t
}()

// decodeBase64 decodes padded or unpadded standard base64 into dst without
// allocating for values of plausible length.
func decodeBase64(dst *mac, v string) (ok, full bool) {
	enc := base64.StdEncoding
	if len(v)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	var src [128]byte
	var out [96]byte
	if len(v) > len(src) {
		// Far too long for a SHA-256 MAC; still report bad characters as malformed.
		_, err := enc.DecodeString(v)
		return err == nil, false
	}
	n := copy(src[:], v)
	m, err := enc.Decode(out[:], src[:n])
	if err != nil {
		return false, false
	}
	if m != len(dst) {
		return true, false
	}
	copy(dst[:], out[:m])
	return true, true
}

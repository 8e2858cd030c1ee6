package webhook

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/textproto"
	"strings"
)

// SignatureFormat says how a scheme lays out the value of its signature header.
type SignatureFormat int

const (
	// FormatPlain is a header holding one signature, after the scheme's
	// optional Prefix (PassLite, RemyPass, "X-Signature: sha256=<hex>").
	// Several header lines are several signatures.
	FormatPlain SignatureFormat = iota
	// FormatTimestamped is "t=<unix seconds>,v1=<signature>[,v1=<signature>…]"
	// (Passmint, and the Stripe layout it copies). Keys other than t and v1
	// are ignored.
	FormatTimestamped
	// FormatVersioned is space-separated "v1,<signature>" entries (Standard
	// Webhooks). Entries of other versions are ignored.
	FormatVersioned
)

// Encoding is the text encoding of a signature in its header.
type Encoding int

const (
	// EncodingHex is hexadecimal (either case accepted, lower case produced).
	EncodingHex Encoding = iota
	// EncodingBase64 is standard base64, padded when produced, padded or not
	// when accepted.
	EncodingBase64
)

// Content is the layout of the bytes a scheme signs.
type Content int

const (
	// ContentBody signs the raw body alone.
	ContentBody Content = iota
	// ContentTimestampBody signs "<timestamp><sep><body>" (Passmint).
	ContentTimestampBody
	// ContentIDTimestampBody signs "<id><sep><timestamp><sep><body>"
	// (Standard Webhooks).
	ContentIDTimestampBody
)

// KeyFormat says how a secret becomes the HMAC key.
type KeyFormat int

const (
	// KeyRaw uses the secret's bytes as given, including any "whsec_" prefix
	// (Passmint, PassLite, RemyPass).
	KeyRaw KeyFormat = iota
	// KeyBase64 strips an optional "whsec_" prefix and base64-decodes the rest
	// (Standard Webhooks).
	KeyBase64
)

// Envelope names the JSON layout of a provider's delivery body.
type Envelope int

const (
	// EnvelopeGeneric accepts any JSON object with "type" or "event", and
	// optionally "id", "created_at" or "timestamp" and "data" (GenericEvent).
	EnvelopeGeneric Envelope = iota
	// EnvelopePassmint is Passmint's event object (PassmintEvent).
	EnvelopePassmint
	// EnvelopePassLite is PassLite's {"event","timestamp","data"} (PassLiteEvent).
	EnvelopePassLite
	// EnvelopeRemyPass is RemyPass's {"id","event","timestamp","data"} (RemyPassEvent).
	EnvelopeRemyPass
	// EnvelopeStandard is the Standard Webhooks {"type","timestamp","data"} (StandardEvent).
	EnvelopeStandard
)

// Limits on untrusted header input.
const (
	maxHeaderLen  = 8 << 10 // bytes per header value
	maxSignatures = 16      // candidate signatures per delivery
	maxIDLen      = 256     // bytes of a delivery id
	maxTSDigits   = 12      // digits of a unix timestamp (year 33658)
)

// Scheme describes how a sender signs its webhook deliveries: an HMAC-SHA256
// over a layout of id, timestamp and body, carried in one or more headers.
// The predefined schemes are returned by Passmint, PassLite, RemyPass and
// StandardWebhooks; other senders (Passinstance, in-house services) are
// described by filling in the fields. A Scheme is a plain value: copy it and
// change a field to derive a variant.
type Scheme struct {
	// Name names the scheme in errors and replay keys, such as "passmint".
	// If empty, "hmac".
	Name string
	// SignatureHeader is the header that carries the signature(s). Required.
	SignatureHeader string
	// Format is the layout of SignatureHeader's value. If zero, FormatPlain.
	Format SignatureFormat
	// Prefix is a marker before the signature in a FormatPlain header, such
	// as "sha256="; a header without it is malformed. If empty, none.
	Prefix string
	// Encoding is the text encoding of the signature. If zero, EncodingHex.
	Encoding Encoding
	// TimestampHeader is the header carrying the unix time of the delivery
	// in seconds, such as "Webhook-Timestamp". If empty, the timestamp comes
	// from "t=" in a FormatTimestamped header, or there is none.
	TimestampHeader string
	// IDHeader is the header carrying the delivery's unique id, such as
	// "Webhook-Id". It is authenticated only when Content includes the id.
	IDHeader string
	// EventHeader is a header naming the event type, such as
	// "X-RemyPass-Event". It is never signed: signers set it, verifiers
	// ignore it and dispatch on the signed body instead.
	EventHeader string
	// Content is the layout of the signed bytes. If zero, ContentBody.
	Content Content
	// Separator joins id, timestamp and body in the signed bytes. If empty, ".".
	Separator string
	// Key says how a secret becomes the HMAC key. If zero, KeyRaw.
	Key KeyFormat
	// Envelope is the JSON layout of the body. If zero, EnvelopeGeneric.
	Envelope Envelope
}

// Passmint returns Passmint's scheme: "Passmint-Signature: t=<unix>,v1=<hex>"
// over "<t>.<body>", keyed with the whole "whsec_…" secret as given.
func Passmint() Scheme {
	return Scheme{
		Name:            "passmint",
		SignatureHeader: "Passmint-Signature",
		Format:          FormatTimestamped,
		Encoding:        EncodingHex,
		Content:         ContentTimestampBody,
		Key:             KeyRaw,
		Envelope:        EnvelopePassmint,
	}
}

// PassLite returns PassLite's scheme: "X-PassLite-Signature: <hex>" over the
// raw body. It carries no timestamp or id in headers; the handler bounds
// replays with the payload's signed "timestamp" and a hash of the body.
func PassLite() Scheme {
	return Scheme{
		Name:            "passlite",
		SignatureHeader: "X-PassLite-Signature",
		Format:          FormatPlain,
		Encoding:        EncodingHex,
		Content:         ContentBody,
		Key:             KeyRaw,
		Envelope:        EnvelopePassLite,
	}
}

// RemyPass returns RemyPass's scheme: "X-RemyPass-Signature: <hex>" over the
// raw body, with the unsigned "X-RemyPass-Event" and "X-RemyPass-Delivery"
// headers. Because those headers are not signed, the handler takes the event
// type, id and time from the signed payload.
func RemyPass() Scheme {
	return Scheme{
		Name:            "remypass",
		SignatureHeader: "X-RemyPass-Signature",
		Format:          FormatPlain,
		Encoding:        EncodingHex,
		IDHeader:        "X-RemyPass-Delivery",
		EventHeader:     "X-RemyPass-Event",
		Content:         ContentBody,
		Key:             KeyRaw,
		Envelope:        EnvelopeRemyPass,
	}
}

// StandardWebhooks returns the Standard Webhooks scheme (standardwebhooks.com):
// "webhook-signature: v1,<base64> …" over "<webhook-id>.<webhook-timestamp>.<body>",
// keyed with the base64-decoded part of a "whsec_…" secret.
func StandardWebhooks() Scheme {
	return Scheme{
		Name:            "standard-webhooks",
		SignatureHeader: "Webhook-Signature",
		Format:          FormatVersioned,
		Encoding:        EncodingBase64,
		TimestampHeader: "Webhook-Timestamp",
		IDHeader:        "Webhook-Id",
		Content:         ContentIDTimestampBody,
		Key:             KeyBase64,
		Envelope:        EnvelopeStandard,
	}
}

// normalize checks s and returns it with defaults filled in and header names
// in canonical form, so that lookups in an http.Header do not allocate.
func (s Scheme) normalize() (Scheme, error) {
	if s.Name == "" {
		s.Name = "hmac"
	}
	if s.Separator == "" {
		s.Separator = "."
	}
	fail := func(format string, args ...any) (Scheme, error) {
		return Scheme{}, fmt.Errorf("webhook: scheme %s: "+format, append([]any{s.Name}, args...)...)
	}
	if s.SignatureHeader == "" {
		return fail("no SignatureHeader")
	}
	s.SignatureHeader = textproto.CanonicalMIMEHeaderKey(s.SignatureHeader)
	s.TimestampHeader = canonical(s.TimestampHeader)
	s.IDHeader = canonical(s.IDHeader)
	s.EventHeader = canonical(s.EventHeader)
	switch {
	case s.Format < FormatPlain || s.Format > FormatVersioned:
		return fail("unknown Format %d", s.Format)
	case s.Encoding < EncodingHex || s.Encoding > EncodingBase64:
		return fail("unknown Encoding %d", s.Encoding)
	case s.Content < ContentBody || s.Content > ContentIDTimestampBody:
		return fail("unknown Content %d", s.Content)
	case s.Key < KeyRaw || s.Key > KeyBase64:
		return fail("unknown Key %d", s.Key)
	case s.Envelope < EnvelopeGeneric || s.Envelope > EnvelopeStandard:
		return fail("unknown Envelope %d", s.Envelope)
	case s.Prefix != "" && s.Format != FormatPlain:
		return fail("Prefix is only used with FormatPlain")
	case s.Format == FormatTimestamped && s.TimestampHeader != "":
		return fail("FormatTimestamped carries its timestamp in %s; TimestampHeader must be empty", s.SignatureHeader)
	case s.Content != ContentBody && !s.hasTimestamp():
		return fail("Content signs a timestamp but the scheme has none (set TimestampHeader or use FormatTimestamped)")
	case s.Content == ContentIDTimestampBody && s.IDHeader == "":
		return fail("Content signs an id but IDHeader is empty")
	case s.Format == FormatTimestamped && s.Separator == ",":
		return fail(`Separator "," is ambiguous with FormatTimestamped`)
	}
	return s, nil
}

func canonical(h string) string {
	if h == "" {
		return ""
	}
	return textproto.CanonicalMIMEHeaderKey(h)
}

// hasTimestamp reports whether deliveries carry a (signed) timestamp in headers.
func (s *Scheme) hasTimestamp() bool {
	return s.Format == FormatTimestamped || s.TimestampHeader != ""
}

// idSigned reports whether the id header is covered by the signature.
func (s *Scheme) idSigned() bool { return s.Content == ContentIDTimestampBody }

// hmacKey turns a secret into the HMAC key. The error never contains the secret.
func (s *Scheme) hmacKey(secret []byte) ([]byte, error) {
	if len(secret) == 0 {
		return nil, ErrNoSecret
	}
	if s.Key == KeyRaw {
		return append([]byte(nil), secret...), nil
	}
	text := strings.TrimPrefix(string(secret), "whsec_")
	enc := base64.StdEncoding
	if !strings.HasSuffix(text, "=") && len(text)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	key, err := enc.DecodeString(text)
	if err != nil {
		// The base64 error quotes an offset only, but say less to be safe.
		return nil, errors.New("webhook: secret is not base64 after its whsec_ prefix")
	}
	if len(key) == 0 {
		return nil, ErrNoSecret
	}
	return key, nil
}

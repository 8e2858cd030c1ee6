package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// EventType is the type of a webhook event, such as "pass.installed". Types
// a provider adds later are ordinary values: they are never an error.
type EventType string

// Passmint event types: the values its webhook subscriptions accept, and
// the newer types later deliveries use.
const (
	// PassmintPassCreated is sent when a pass was created.
	PassmintPassCreated EventType = "pass.created"
	// PassmintPassUpdated is sent when a pass's fields or metadata were updated.
	PassmintPassUpdated EventType = "pass.updated"
	// PassmintPassURLViewed is sent when a pass's landing page was viewed.
	PassmintPassURLViewed EventType = "pass.url_viewed"
	// PassmintPassDownloaded is sent when a pass file was downloaded.
	PassmintPassDownloaded EventType = "pass.downloaded"
	// PassmintPassInstalled is sent when a pass was added to a wallet.
	PassmintPassInstalled EventType = "pass.installed"
	// PassmintPassRemoved is sent when a pass was removed from a wallet.
	PassmintPassRemoved EventType = "pass.removed"
	// PassmintPassVoided is sent when a pass was voided.
	PassmintPassVoided EventType = "pass.voided"

	// PassmintPassIssued is sent by newer Passmint deliveries when a pass was issued.
	PassmintPassIssued EventType = "pass.issued"
	// PassmintPassAddedToWallet is sent by newer Passmint deliveries when a
	// pass was added to a wallet.
	PassmintPassAddedToWallet EventType = "pass.added_to_wallet"
	// PassmintPassRedeemed is sent by newer Passmint deliveries when a pass was redeemed.
	PassmintPassRedeemed EventType = "pass.redeemed"
)

// PassLite event types, as listed under "Available Events".
const (
	// PassLitePassCreated is sent when a new pass was issued.
	PassLitePassCreated EventType = "pass.created"
	// PassLitePassUpdated is sent when a pass was updated.
	PassLitePassUpdated EventType = "pass.updated"
	// PassLitePassRedeemed is sent when a pass was redeemed.
	PassLitePassRedeemed EventType = "pass.redeemed"
	// PassLitePassVoided is sent when a pass was voided.
	PassLitePassVoided EventType = "pass.voided"
	// PassLitePassScanned is sent when a pass's QR code was scanned.
	PassLitePassScanned EventType = "pass.scanned"
	// PassLitePassInstalled is sent when a pass was added to a wallet.
	PassLitePassInstalled EventType = "pass.installed"
	// PassLitePassUninstalled is sent when a pass was removed from a wallet.
	PassLitePassUninstalled EventType = "pass.uninstalled"
)

// Passinstance event types named in its webhook documentation. Passinstance
// deliveries are verified with a Scheme configured for the subscription.
// RemyPass documents no event type names; its types arrive as plain EventType values.
const (
	// PassinstancePassCreated is sent when a pass was created.
	PassinstancePassCreated EventType = "pass.created"
	// PassinstancePassUpdated is sent when a pass was updated.
	PassinstancePassUpdated EventType = "pass.updated"
	// PassinstancePassVoided is sent when a pass was voided.
	PassinstancePassVoided EventType = "pass.voided"
)

// Event is a verified and decoded delivery, as handlers receive it.
type Event struct {
	// Scheme is the Name of the scheme that verified the delivery.
	Scheme string
	// ID identifies the event or delivery: the signed id header, else the
	// payload's "id". Empty when neither exists (PassLite).
	ID string
	// Type is the event type from the signed payload ("type" or "event").
	Type EventType
	// Time is when the event happened, from the payload ("created_at" or
	// "timestamp"); zero if the payload has none.
	Time time.Time
	// Data is the payload's "data" member, raw.
	Data json.RawMessage
	// Body is the whole verified body.
	Body []byte
	// Envelope is the typed payload: *PassmintEvent, *PassLiteEvent,
	// *RemyPassEvent, *StandardEvent or *GenericEvent, by the scheme's Envelope.
	Envelope any
}

// PassmintEvent is the event object Passmint delivers.
type PassmintEvent struct {
	// ID is the event id ("evt_…").
	ID string `json:"id"`
	// Object is "pass_event" when present.
	Object string `json:"object,omitempty"`
	// Type is the event type, such as "pass.installed".
	Type EventType `json:"type"`
	// PassID is the pass the event belongs to, when present.
	PassID string `json:"pass_id,omitempty"`
	// CreatedAt is when the event happened.
	CreatedAt Timestamp `json:"created_at"`
	// Data is the event's data, raw.
	Data json.RawMessage `json:"data,omitempty"`
	// Metadata is additional event data, raw.
	Metadata json.RawMessage `json:"metadata,omitempty"`
}

// PassLiteEvent is PassLite's {"event","timestamp","data"} payload.
type PassLiteEvent struct {
	// Event is the event type, such as "pass.redeemed".
	Event EventType `json:"event"`
	// Timestamp is when the event happened.
	Timestamp Timestamp `json:"timestamp"`
	// Data is the pass the event is about, raw (id, serial_number, business_id, status).
	Data json.RawMessage `json:"data"`
}

// RemyPassEvent is RemyPass's {"id","event","timestamp","data"} payload.
type RemyPassEvent struct {
	// ID is the event's unique id.
	ID string `json:"id"`
	// Event is the event type.
	Event EventType `json:"event"`
	// Timestamp is when the event happened.
	Timestamp Timestamp `json:"timestamp"`
	// Data is the event's data, raw.
	Data json.RawMessage `json:"data"`
}

// StandardEvent is the payload layout Standard Webhooks recommends:
// {"type","timestamp","data"}.
type StandardEvent struct {
	// Type is the event type, such as "pass.updated".
	Type EventType `json:"type"`
	// Timestamp is when the event happened.
	Timestamp Timestamp `json:"timestamp"`
	// Data is the event's data, raw.
	Data json.RawMessage `json:"data"`
}

// GenericEvent is the tolerant payload of EnvelopeGeneric: the event type in
// "type" or "event", the time in "created_at" or "timestamp".
type GenericEvent struct {
	// ID is the event id, when present.
	ID string `json:"id,omitempty"`
	// Type is the event type, when sent as "type".
	Type EventType `json:"type,omitempty"`
	// Event is the event type, when sent as "event".
	Event EventType `json:"event,omitempty"`
	// CreatedAt is the event time, when sent as "created_at".
	CreatedAt Timestamp `json:"created_at,omitzero"`
	// Timestamp is the event time, when sent as "timestamp".
	Timestamp Timestamp `json:"timestamp,omitzero"`
	// Data is the event's data, raw.
	Data json.RawMessage `json:"data,omitempty"`
}

// Timestamp is a time in a webhook payload. It decodes an RFC 3339 string,
// a number of unix seconds, or a string of one, and encodes RFC 3339.
type Timestamp struct {
	time.Time
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	s := string(b)
	if len(b) >= 2 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if tm, err := time.Parse(time.RFC3339Nano, s); err == nil {
			t.Time = tm
			return nil
		}
	}
	sec, err := strconv.ParseInt(s, 10, 64)
	if err != nil || sec < 0 || sec > 1<<40 {
		return fmt.Errorf("webhook: timestamp %.40q is neither RFC 3339 nor unix seconds", s)
	}
	t.Time = time.Unix(sec, 0).UTC()
	return nil
}

// MarshalJSON implements json.Marshaler.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	return t.Time.MarshalJSON()
}

// ParseEvent decodes a verified body laid out as envelope. Call it only
// after a Verifier accepted the body. A missing required member ("type" or
// "event"; "id" and "timestamp" where the provider always sends them) is an
// error wrapping ErrMalformedPayload; an unknown event type is not an error.
func ParseEvent(envelope Envelope, body []byte) (*Event, error) {
	e := &Event{Body: body}
	var err error
	switch envelope {
	case EnvelopePassmint:
		var v PassmintEvent
		err = decode("passmint", body, &v)
		e.ID, e.Type, e.Time, e.Data, e.Envelope = v.ID, v.Type, v.CreatedAt.Time, v.Data, &v
		if err == nil && v.ID == "" {
			err = missing("passmint", "id")
		}
	case EnvelopePassLite:
		var v PassLiteEvent
		err = decode("passlite", body, &v)
		e.Type, e.Time, e.Data, e.Envelope = v.Event, v.Timestamp.Time, v.Data, &v
		if err == nil && v.Timestamp.IsZero() {
			err = missing("passlite", "timestamp")
		}
	case EnvelopeRemyPass:
		var v RemyPassEvent
		err = decode("remypass", body, &v)
		e.ID, e.Type, e.Time, e.Data, e.Envelope = v.ID, v.Event, v.Timestamp.Time, v.Data, &v
		switch {
		case err != nil:
		case v.ID == "":
			err = missing("remypass", "id")
		case v.Timestamp.IsZero():
			err = missing("remypass", "timestamp")
		}
	case EnvelopeStandard:
		var v StandardEvent
		err = decode("standard-webhooks", body, &v)
		e.Type, e.Time, e.Data, e.Envelope = v.Type, v.Timestamp.Time, v.Data, &v
	default:
		var v GenericEvent
		err = decode("generic", body, &v)
		e.ID, e.Type, e.Time, e.Data, e.Envelope = v.ID, v.Type, v.CreatedAt.Time, v.Data, &v
		if e.Type == "" {
			e.Type = v.Event
		}
		if e.Time.IsZero() {
			e.Time = v.Timestamp.Time
		}
	}
	if err == nil && e.Type == "" {
		err = missing(envelopeName(envelope), "type")
	}
	if err != nil {
		return nil, err
	}
	return e, nil
}

func decode(name string, body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return fmt.Errorf("%w: %s payload: invalid JSON at byte %d", ErrMalformedPayload, name, syn.Offset)
		case errors.As(err, &typ):
			return fmt.Errorf("%w: %s payload: %s is a JSON %s, want %s", ErrMalformedPayload, name, typ.Field, typ.Value, typ.Type)
		}
		// Errors of Timestamp.UnmarshalJSON carry the package prefix already.
		return fmt.Errorf("%w: %s payload: %s", ErrMalformedPayload, name, strings.TrimPrefix(err.Error(), "webhook: "))
	}
	return nil
}

func missing(name, member string) error {
	return fmt.Errorf("%w: %s payload: missing %q", ErrMalformedPayload, name, member)
}

func envelopeName(e Envelope) string {
	switch e {
	case EnvelopePassmint:
		return "passmint"
	case EnvelopePassLite:
		return "passlite"
	case EnvelopeRemyPass:
		return "remypass"
	case EnvelopeStandard:
		return "standard-webhooks"
	}
	return "generic"
}

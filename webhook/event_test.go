package webhook

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseEvent(t *testing.T) {
	at := time.Date(2026, 4, 7, 10, 30, 0, 0, time.UTC)
	tests := []struct {
		name     string
		envelope Envelope
		body     string
		wantID   string
		wantType EventType
		wantTime time.Time
		wantData string
		wantErr  string
	}{
		{"passmint", EnvelopePassmint, `{"id":"evt_1","type":"pass.added_to_wallet","created_at":"2026-04-07T10:30:00Z","data":{"a":1}}`, "evt_1", PassmintPassAddedToWallet, at, `{"a":1}`, ""},
		{"passmint unknown type", EnvelopePassmint, `{"id":"evt_1","type":"pass.future_thing"}`, "evt_1", "pass.future_thing", time.Time{}, "", ""},
		{"passmint without id", EnvelopePassmint, `{"type":"pass.created"}`, "", "", time.Time{}, "", `missing "id"`},
		{"passlite doc example", EnvelopePassLite, `{"event":"pass.created","timestamp":"2026-04-07T10:30:00Z","data":{"id":"pass_abc123"}}`, "", PassLitePassCreated, at, `{"id":"pass_abc123"}`, ""},
		{"passlite unix timestamp", EnvelopePassLite, `{"event":"pass.scanned","timestamp":1775557800}`, "", PassLitePassScanned, at, "", ""},
		{"passlite numeric string timestamp", EnvelopePassLite, `{"event":"pass.scanned","timestamp":"1775557800"}`, "", PassLitePassScanned, at, "", ""},
		{"passlite bad timestamp", EnvelopePassLite, `{"event":"pass.scanned","timestamp":"yesterday"}`, "", "", time.Time{}, "", "neither RFC 3339 nor unix seconds"},
		{"passlite without timestamp", EnvelopePassLite, `{"event":"pass.scanned"}`, "", "", time.Time{}, "", `missing "timestamp"`},
		{"remypass", EnvelopeRemyPass, `{"id":"d1","event":"member.created","timestamp":"2026-04-07T10:30:00Z","data":null}`, "d1", "member.created", at, "null", ""},
		{"remypass without id", EnvelopeRemyPass, `{"event":"x","timestamp":"2026-04-07T10:30:00Z"}`, "", "", time.Time{}, "", `missing "id"`},
		{"standard", EnvelopeStandard, `{"type":"invoice.paid","timestamp":"2026-04-07T10:30:00Z","data":{}}`, "", "invoice.paid", at, "{}", ""},
		{"generic with event and created_at", EnvelopeGeneric, `{"id":"e","event":"pass.voided","created_at":"2026-04-07T10:30:00Z"}`, "e", PassinstancePassVoided, at, "", ""},
		{"generic with type and timestamp", EnvelopeGeneric, `{"type":"pass.updated","timestamp":1775557800}`, "", PassinstancePassUpdated, at, "", ""},
		{"no type", EnvelopeStandard, `{"timestamp":"2026-04-07T10:30:00Z"}`, "", "", time.Time{}, "", `missing "type"`},
		{"not JSON", EnvelopeGeneric, `{"type":`, "", "", time.Time{}, "", "invalid JSON"},
		{"not an object", EnvelopePassmint, `["pass.created"]`, "", "", time.Time{}, "", "is a JSON array"},
		{"id of the wrong type", EnvelopeRemyPass, `{"id":7,"event":"x","timestamp":1}`, "", "", time.Time{}, "", "id is a JSON number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := ParseEvent(tt.envelope, []byte(tt.body))
			if tt.wantErr != "" {
				require.ErrorIs(t, err, ErrMalformedPayload)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantID, e.ID)
			assert.Equal(t, tt.wantType, e.Type)
			assert.True(t, tt.wantTime.Equal(e.Time), "time %s", e.Time)
			assert.Equal(t, tt.wantData, string(e.Data))
			assert.Equal(t, tt.body, string(e.Body))
			assert.NotNil(t, e.Envelope)
		})
	}
}

func TestTimestampJSON(t *testing.T) {
	var ts Timestamp
	require.NoError(t, json.Unmarshal([]byte(`null`), &ts))
	assert.True(t, ts.IsZero())
	require.NoError(t, json.Unmarshal([]byte(`"2026-04-07T10:30:00.5+02:00"`), &ts))
	b, err := json.Marshal(ts)
	require.NoError(t, err)
	assert.Equal(t, `"2026-04-07T10:30:00.5+02:00"`, string(b))
	assert.Error(t, json.Unmarshal([]byte(`-5`), &ts))
	assert.Error(t, json.Unmarshal([]byte(`1e99`), &ts))
}

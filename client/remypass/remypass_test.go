package remypass

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/clienttest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testKey = "rp_key_0123456789abcdef"

// issuedJSON is a 201 response in RemyPass's envelope. The reference
// collapses the fields of "data"; these are a plausible pass.
const issuedJSON = `{"success": true, "message": "Pass issued successfully",
  "data": {"_id": "65a1b2c3d4e5f60718293a4b", "memberId": "507f1f77bcf86cd799439011",
           "passTemplateId": "507f1f77bcf86cd799439012", "status": "active"}}`

// fake is an httptest RemyPass written from the API reference.
type fake struct{ *clienttest.Server }

// newFake starts a fake; override, if not nil, answers before the route.
func newFake(t *testing.T, override clienttest.Override) *fake {
	t.Helper()
	f := &fake{}
	f.Server = clienttest.NewServer(t, f.serve)
	f.SetOverride(override)
	return f
}

func (f *fake) serve(w http.ResponseWriter, r *http.Request, n int) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-Id", fmt.Sprintf("req_%d", n))
	if f.Overridden(w, r, n) {
		return
	}
	if r.Header.Get("X-API-Key") != testKey && r.Header.Get("Authorization") != "Bearer "+testKey {
		w.WriteHeader(401)
		_, _ = io.WriteString(w, `{"success": false, "message": "Missing or invalid API key."}`)
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/passes/issue" {
		w.WriteHeader(404)
		_, _ = io.WriteString(w, `{"success": false, "message": "Not found"}`)
		return
	}
	w.WriteHeader(201)
	_, _ = io.WriteString(w, issuedJSON)
}

// testNow is the fake clock's time.
var testNow = time.Date(2024, 1, 15, 12, 0, 0, 0, time.UTC)

func newTestClient(t *testing.T, f *fake, opts ...client.Option) *Client {
	t.Helper()
	c, err := New(testKey, append([]client.Option{client.WithBaseURL(f.URL), client.WithClock(clienttest.NoSleep{At: testNow})}, opts...)...)
	require.NoError(t, err)
	return c
}

func TestIssue(t *testing.T) {
	tests := []struct {
		name   string
		params *IssueParams
		bearer bool
		body   string
		auth   func(t *testing.T, h http.Header)
	}{
		{
			name: "standard member pass",
			params: &IssueParams{
				MemberID: "507f1f77bcf86cd799439011", PassTemplateID: "507f1f77bcf86cd799439012",
				ExpiryDate: time.Date(2024, 12, 31, 23, 59, 59, 0, time.UTC),
				CustomFields: map[string]any{
					"membershipLevel": "Premium", "accessLevel": "VIP", "issueDate": "2024-01-15",
				},
			},
			body: `{"memberId": "507f1f77bcf86cd799439011", "passTemplateId": "507f1f77bcf86cd799439012",
				"expiryDate": "2024-12-31T23:59:59.000Z",
				"customFields": {"membershipLevel": "Premium", "accessLevel": "VIP", "issueDate": "2024-01-15"},
				"sendEmail": true}`,
			auth: func(t *testing.T, h http.Header) {
				assert.Equal(t, testKey, h.Get("X-API-Key"))
				assert.Empty(t, h.Get("Authorization"))
			},
		},
		{
			name: "event ticket pass with bearer auth",
			params: &IssueParams{
				MemberID: "507f1f77bcf86cd799439011", PassTemplateID: "507f1f77bcf86cd799439012",
				Event: &EventTicket{
					Time: time.Date(2024, 12, 25, 20, 30, 0, 0, time.FixedZone("CET", 3600)),
					Name: "The Matrix Reloaded",
					Seat: SeatInfo{Seat: "A12", Row: "A", Section: "Screen 1"},
				},
			},
			bearer: true,
			body: `{"memberId": "507f1f77bcf86cd799439011", "passTemplateId": "507f1f77bcf86cd799439012",
				"eventTime": "2024-12-25T19:30:00.000Z", "eventName": "The Matrix Reloaded",
				"seatInfo": {"seat": "A12", "row": "A", "section": "Screen 1"}, "sendEmail": true}`,
			auth: func(t *testing.T, h http.Header) {
				assert.Equal(t, "Bearer "+testKey, h.Get("Authorization"))
				assert.Empty(t, h.Get("X-API-Key"))
			},
		},
		{
			name: "without email, seat only",
			params: &IssueParams{
				MemberID: "m1", PassTemplateID: "t1", SkipEmail: true,
				Event: &EventTicket{Time: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC), Name: "string", Seat: SeatInfo{Section: "GA"}},
			},
			body: `{"memberId": "m1", "passTemplateId": "t1", "sendEmail": false,
				"eventTime": "2026-01-01T12:00:00.000Z", "eventName": "string", "seatInfo": {"section": "GA"}}`,
			auth: func(t *testing.T, h http.Header) { assert.Equal(t, testKey, h.Get("X-API-Key")) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, nil)
			c := newTestClient(t, f)
			if tt.bearer {
				var err error
				c, err = NewBearer(testKey, client.WithBaseURL(f.URL))
				require.NoError(t, err)
			}
			env, resp, err := c.Passes.Issue(context.Background(), tt.params)
			require.NoError(t, err)
			assert.Equal(t, 201, resp.StatusCode)
			assert.Equal(t, "req_1", resp.RequestID)
			assert.Equal(t, 1, resp.Attempts)
			assert.Empty(t, resp.IdempotencyKey)
			assert.True(t, env.Success)
			assert.Equal(t, "Pass issued successfully", env.Message)
			var data struct {
				ID     string `json:"_id"`
				Status string `json:"status"`
			}
			require.NoError(t, env.DecodeData(&data))
			assert.Equal(t, "65a1b2c3d4e5f60718293a4b", data.ID)
			assert.Equal(t, "active", data.Status)

			calls := f.Requests()
			require.Len(t, calls, 1)
			got := calls[0]
			clienttest.Want{
				Method: "POST", Path: "/passes/issue", JSON: tt.body,
				Header: map[string]string{
					"Accept":          "application/json",
					"User-Agent":      "passforge-remypass",
					"Idempotency-Key": "",
				},
			}.Assert(t, got)
			tt.auth(t, got.Header)
		})
	}
}

func TestIssueInvalid(t *testing.T) {
	f := newFake(t, nil)
	c := newTestClient(t, f)
	when := time.Date(2024, 12, 25, 19, 30, 0, 0, time.UTC)
	tests := []struct {
		name   string
		params *IssueParams
		want   string
	}{
		{"nil", nil, "remypass: issue pass: params are nil"},
		{"no member", &IssueParams{PassTemplateID: "t"}, "remypass: issue pass: memberId is required"},
		{"no template", &IssueParams{MemberID: "m", PassTemplateID: " "}, "remypass: issue pass: passTemplateId is required"},
		{"event without anything", &IssueParams{MemberID: "m", PassTemplateID: "t", Event: &EventTicket{}},
			"remypass: issue pass: event ticket pass needs eventTime, eventName and seatInfo together: eventTime, eventName, seatInfo missing"},
		{"event without seat", &IssueParams{MemberID: "m", PassTemplateID: "t", Event: &EventTicket{Time: when, Name: "Show"}},
			"remypass: issue pass: event ticket pass needs eventTime, eventName and seatInfo together: seatInfo missing"},
		{"event without time", &IssueParams{MemberID: "m", PassTemplateID: "t", Event: &EventTicket{Name: "Show", Seat: SeatInfo{Seat: "1"}}},
			"remypass: issue pass: event ticket pass needs eventTime, eventName and seatInfo together: eventTime missing"},
		{"event without name", &IssueParams{MemberID: "m", PassTemplateID: "t", Event: &EventTicket{Time: when, Seat: SeatInfo{Row: "B"}}},
			"remypass: issue pass: event ticket pass needs eventTime, eventName and seatInfo together: eventName missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, resp, err := c.Passes.Issue(context.Background(), tt.params)
			require.EqualError(t, err, tt.want)
			assert.Nil(t, resp)
		})
	}
	//lint:ignore SA1012 a nil context is the bad input under test
	_, _, err := c.Passes.Issue(nil, &IssueParams{MemberID: "m", PassTemplateID: "t"}) //nolint:staticcheck
	require.EqualError(t, err, "remypass: issue pass: nil context.Context")
	assert.Empty(t, f.Requests(), "invalid input must not reach the server")

	_, err = New(" ")
	require.EqualError(t, err, "remypass: API key is empty")
	_, err = NewBearer("")
	require.EqualError(t, err, "remypass: API key is empty")
	_, err = New(testKey, client.WithBaseURL("not a url"))
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "remypass: "))
	assert.NotContains(t, err.Error(), testKey)
}

func TestDocumentedErrors(t *testing.T) {
	valid := &IssueParams{MemberID: "507f1f77bcf86cd799439011", PassTemplateID: "507f1f77bcf86cd799439012"}
	tests := []struct {
		name     string
		status   int
		body     string
		sentinel error
		message  string
		code     string
		param    string
	}{
		{"400 validation", 400, `{"success": false, "message": "passTemplateId must be a valid id", "code": "VALIDATION_ERROR", "field": "passTemplateId"}`,
			client.ErrValidation, "passTemplateId must be a valid id", "VALIDATION_ERROR", "passTemplateId"},
		{"400 bad request", 400, `{"success": false, "message": "Event ticket templates require eventTime, eventName and seatInfo"}`,
			client.ErrValidation, "Event ticket templates require eventTime, eventName and seatInfo", "", ""},
		{"401", 401, `{"success": false, "message": "Missing or invalid API key."}`,
			client.ErrUnauthorized, "Missing or invalid API key.", "", ""},
		{"403", 403, `{"success": false, "message": "The caller is not allowed to access this resource.", "error": "Forbidden"}`,
			client.ErrForbidden, "The caller is not allowed to access this resource.", "", ""},
		{"500", 500, `{"success": false, "message": "Server error."}`,
			client.ErrServer, "Server error.", "", ""},
		{"500 error only", 500, `{"success": false, "error": "Internal Server Error"}`,
			client.ErrServer, "Internal Server Error", "", ""},
		{"500 nested error", 500, `{"error": {"message": "db down", "code": "E_DB"}}`,
			client.ErrServer, "db down", "E_DB", ""},
		{"502 html", 502, `<html>bad gateway</html>`, client.ErrServer, "Bad Gateway", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ int) bool {
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
				return true
			})
			c := newTestClient(t, f)
			env, resp, err := c.Passes.Issue(context.Background(), valid)
			require.Error(t, err)
			assert.Nil(t, env)
			assert.ErrorIs(t, err, tt.sentinel)
			var apiErr *client.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.message, apiErr.Message)
			assert.Equal(t, tt.code, apiErr.Code)
			assert.Equal(t, tt.param, apiErr.Param)
			assert.Equal(t, "req_1", apiErr.RequestID)
			assert.True(t, strings.HasPrefix(err.Error(), "remypass: issue pass: "), err.Error())
			assert.NotContains(t, err.Error(), testKey)
			assert.Len(t, f.Requests(), 1, "an issue without idempotency key is never sent twice")
			assert.Equal(t, 1, resp.Attempts)
		})
	}
}

func TestWrongKey(t *testing.T) {
	f := newFake(t, nil)
	c, err := New("rp_wrong_key", client.WithBaseURL(f.URL))
	require.NoError(t, err)
	_, _, err = c.Passes.Issue(context.Background(), &IssueParams{MemberID: "m", PassTemplateID: "t"})
	require.ErrorIs(t, err, client.ErrUnauthorized)
	assert.NotContains(t, err.Error(), "rp_wrong_key")
}

func TestUnsuccessfulEnvelope(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ int) bool {
		_, _ = io.WriteString(w, `{"success": false, "message": "Member is inactive", "data": null}`)
		return true
	})
	c := newTestClient(t, f)
	env, resp, err := c.Passes.Issue(context.Background(), &IssueParams{MemberID: "m", PassTemplateID: "t"})
	require.ErrorIs(t, err, ErrUnsuccessful)
	assert.EqualError(t, err, "remypass: issue pass: remypass: response reports success false: Member is inactive")
	require.NotNil(t, env)
	assert.Equal(t, "Member is inactive", env.Message)
	assert.Equal(t, 200, resp.StatusCode)
	assert.EqualError(t, env.DecodeData(&struct{}{}), "remypass: response has no data")
}

func TestDecodeDataErrors(t *testing.T) {
	env := &Envelope{Data: []byte(`{"_id": 5}`)}
	var v struct {
		ID string `json:"_id"`
	}
	err := env.DecodeData(&v)
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "remypass: decoding data: "), err.Error())
	assert.EqualError(t, (&Envelope{}).DecodeData(&v), "remypass: response has no data")
}

func TestRetryOnlyBeforeTheServer(t *testing.T) {
	// A port that refuses connections: the dial fails, so the issue
	// provably never reached RemyPass and may be retried.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())

	var retries int
	c, err := New(testKey, client.WithBaseURL("http://"+addr), client.WithClock(clienttest.NoSleep{At: testNow}),
		client.WithRetryHook(func(context.Context, client.RetryEvent) { retries++ }))
	require.NoError(t, err)
	_, resp, err := c.Passes.Issue(context.Background(), &IssueParams{MemberID: "m", PassTemplateID: "t"})
	require.Error(t, err)
	assert.Equal(t, client.DefaultMaxAttempts, resp.Attempts)
	assert.Equal(t, client.DefaultMaxAttempts-1, retries)
	assert.NotContains(t, err.Error(), testKey)

	t.Run("500 after reaching the server is not retried, 503 is", func(t *testing.T) {
		// A 500 may come after the issue took effect; a 503 says it was not processed.
		for code, want := range map[int]int{500: 1, 503: client.DefaultMaxAttempts} {
			f := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ int) bool {
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(code)
				_, _ = io.WriteString(w, `{"success": false, "message": "Service unavailable"}`)
				return true
			})
			c := newTestClient(t, f)
			_, _, err := c.Passes.Issue(context.Background(), &IssueParams{MemberID: "m", PassTemplateID: "t"})
			require.ErrorIs(t, err, client.ErrServer)
			assert.Len(t, f.Requests(), want, code)
		}
	})
}

func TestCancelledContext(t *testing.T) {
	f := newFake(t, nil)
	c := newTestClient(t, f)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := c.Passes.Issue(ctx, &IssueParams{MemberID: "m", PassTemplateID: "t"})
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.Canceled), err.Error())
	assert.Empty(t, f.Requests())
}

func FuzzDecodeError(f *testing.F) {
	for _, s := range []string{
		`{"success": false, "message": "Missing or invalid API key."}`,
		`{"success": false, "message": "x", "code": 400, "field": "memberId", "error": "Bad Request"}`,
		`{"error": {"message": "db down"}}`, `{"message": ["a"]}`, `text`, `[`, ``,
	} {
		f.Add(400, []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := &client.APIError{StatusCode: status, Body: body}
		decodeError(e)
		for _, s := range []string{e.Message, e.Code, e.Type, e.Param} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 %q from %q", s, body)
			}
		}
	})
}

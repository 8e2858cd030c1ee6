package passlite

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passforge/passforge/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// respond returns an override that answers every request with status and
// body.
func respond(status int, body string) func(w http.ResponseWriter, r *http.Request, n int) bool {
	return func(w http.ResponseWriter, _ *http.Request, _ int) bool {
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
		return true
	}
}

func TestDocumentedErrors(t *testing.T) {
	tests := []struct {
		status   int
		body     string
		sentinel error
		code     string
		message  string
	}{
		{400, `{"error": {"code": "bad_request", "message": "Invalid or missing request parameters.", "status": 400}}`,
			client.ErrValidation, CodeBadRequest, "Invalid or missing request parameters."},
		{401, `{"error": {"code": "unauthorized", "message": "Missing or invalid authentication.", "status": 401}}`,
			client.ErrUnauthorized, CodeUnauthorized, "Missing or invalid authentication."},
		{403, `{"error": {"code": "forbidden", "message": "Insufficient permissions.", "status": 403}}`,
			client.ErrForbidden, CodeForbidden, "Insufficient permissions."},
		{404, `{"error": {"code": "not_found", "message": "Pass with identifier pass_xyz does not exist.", "status": 404}}`,
			client.ErrNotFound, CodeNotFound, "Pass with identifier pass_xyz does not exist."},
		{409, `{"error": {"code": "conflict", "message": "external_id cust_9821 already exists", "status": 409}}`,
			client.ErrConflict, CodeConflict, "external_id cust_9821 already exists"},
		{422, `{"error": {"code": "validation_error", "message": "Request body failed validation.", "status": 422}}`,
			client.ErrValidation, CodeValidation, "Request body failed validation."},
		{429, `{"error": {"code": "rate_limited", "message": "Too many requests. Retry later.", "status": 429}}`,
			client.ErrRateLimited, CodeRateLimited, "Too many requests. Retry later."},
		{500, `{"error": {"code": "internal_error", "message": "Unexpected server error.", "status": 500}}`,
			client.ErrServer, CodeInternal, "Unexpected server error."},
		{502, `<html>Bad Gateway</html>`, client.ErrServer, "", "Bad Gateway"},
		{503, `upstream unavailable`, client.ErrServer, "", "upstream unavailable"},
		{404, `{"detail": "Not Found"}`, client.ErrNotFound, "", "Not Found"},
		{400, ``, client.ErrValidation, "", "Bad Request"},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			f := newFake(t)
			f.SetOverride(respond(tt.status, tt.body))
			c := newTestClient(t, f, client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1}))
			_, resp, err := c.Passes.Get(context.Background(), biz, "pass_xyz")
			require.Error(t, err)
			require.NotNil(t, resp)
			assert.ErrorIs(t, err, tt.sentinel)
			var apiErr *client.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.code, apiErr.Code)
			assert.Equal(t, tt.message, apiErr.Message)
			assert.Equal(t, "req_1", apiErr.RequestID)
			assert.Equal(t, tt.body, string(apiErr.Body))
			assert.True(t, strings.HasPrefix(err.Error(), "passlite: get pass: "), err.Error())
			assert.NotContains(t, err.Error(), testKey)
			var planErr *PlanError
			assert.False(t, errors.As(err, &planErr))
		})
	}
}

func TestPlanError(t *testing.T) {
	f := newFake(t)
	f.SetOverride(respond(402, `{
  "error": "pro_feature",
  "feature": "automations",
  "plan": "free",
  "message": "Automations is a PRO feature. Upgrade to unlock."
}`))
	c := newTestClient(t, f)
	_, _, err := c.Passes.BulkIssue(context.Background(), biz, &BulkIssueParams{Passes: []PassIssueParams{{TemplateID: "tpl"}}})
	require.Error(t, err)
	var planErr *PlanError
	require.ErrorAs(t, err, &planErr)
	assert.Equal(t, "bulk issue passes", planErr.Op)
	assert.Equal(t, "automations", planErr.Feature)
	assert.Equal(t, "free", planErr.Plan)
	assert.Equal(t, "Automations is a PRO feature. Upgrade to unlock.", planErr.Message)
	assert.ErrorIs(t, err, client.ErrPaymentRequired)
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, CodeProFeature, apiErr.Code)
	assert.Equal(t, `passlite: bulk issue passes: payment required (status 402): feature "automations" is not in plan "free": `+
		`Automations is a PRO feature. Upgrade to unlock. (request id req_1)`, err.Error())
	assert.Len(t, f.Requests(), 1, "402 is not retried")

	t.Run("plan limit without feature", func(t *testing.T) {
		f := newFake(t)
		f.SetOverride(respond(402, `{"error": {"code": "pro_feature", "message": "Webhooks limit reached.", "status": 402}}`))
		c := newTestClient(t, f)
		_, _, err := c.Webhooks.Create(context.Background(), biz, &WebhookCreateParams{URL: "https://example.com/h"})
		var planErr *PlanError
		require.ErrorAs(t, err, &planErr)
		assert.Empty(t, planErr.Feature)
		assert.Equal(t, "Webhooks limit reached.", planErr.Message)
		assert.ErrorIs(t, err, client.ErrPaymentRequired)
	})
}

// ignoringClock is a client.Clock whose Sleep ignores the context, like a
// careless test clock; the cooldown stop must still work.
type ignoringClock struct{}

func (ignoringClock) Now() time.Time                             { return time.Unix(1775557800, 0) }
func (ignoringClock) Sleep(context.Context, time.Duration) error { return nil }

func TestCheckInCooldown(t *testing.T) {
	tests := []struct {
		name        string
		body        string
		opts        []client.Option
		message     string
		checkedInAt string
		retryIn     time.Duration
	}{
		{
			name: "envelope, permanent", body: `{"error": {"code": "rate_limited", "message": "Already checked in at 14:30", "status": 429}}`,
			message: "Already checked in at 14:30", checkedInAt: "14:30",
		},
		{
			name: "detail, window", body: `{"detail": "Try again in 3m 20s"}`,
			message: "Try again in 3m 20s", retryIn: 3*time.Minute + 20*time.Second,
		},
		{
			name: "plain text", body: `Already checked in at 09:05. Try again in 1h 2m`,
			message: "Already checked in at 09:05. Try again in 1h 2m", checkedInAt: "09:05", retryIn: time.Hour + 2*time.Minute,
		},
		{
			name: "no retries configured", body: `{"detail": "Try again in 45 seconds"}`,
			opts:    []client.Option{client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1})},
			message: "Try again in 45 seconds", retryIn: 45 * time.Second,
		},
		{
			name: "clock ignoring the context", body: `{"detail": "Already checked in at 14:30"}`,
			opts:    []client.Option{client.WithClock(ignoringClock{})},
			message: "Already checked in at 14:30", checkedInAt: "14:30",
		},
		{
			name: "long Retry-After", body: `{"detail": "Try again in 20m"}`,
			message: "Try again in 20m", retryIn: 20 * time.Minute,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
				if tt.name == "long Retry-After" {
					w.Header().Set("Retry-After", "1200")
				}
				return respond(429, tt.body)(w, r, n)
			})
			var retries int
			opts := append([]client.Option{client.WithRetryHook(func(context.Context, client.RetryEvent) { retries++ })}, tt.opts...)
			c := newTestClient(t, f, opts...)
			_, resp, err := c.Passes.CheckIn(context.Background(), biz, "pass_abc123", nil)
			require.Error(t, err)
			var cd *CooldownError
			require.ErrorAs(t, err, &cd, err.Error())
			assert.Equal(t, "check in pass", cd.Op)
			assert.Equal(t, tt.message, cd.Message)
			assert.Equal(t, tt.checkedInAt, cd.CheckedInAt)
			assert.Equal(t, tt.retryIn, cd.RetryIn)
			assert.ErrorIs(t, err, client.ErrRateLimited)
			var apiErr *client.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 429, apiErr.StatusCode)
			assert.Equal(t, "passlite: check in pass: blocked by scan cooldown (status 429): "+tt.message+" (request id req_1)", err.Error())
			assert.Len(t, f.Requests(), 1, "a cooldown is not retried")
			require.NotNil(t, resp)
			if tt.name != "clock ignoring the context" {
				// With that clock the core makes a second attempt, which
				// fails before it is sent: the server sees one call.
				assert.Equal(t, 1, resp.Attempts)
			}
			assert.LessOrEqual(t, retries, 1)
		})
	}

	t.Run("caller cancellation is not a cooldown", func(t *testing.T) {
		f := newFake(t)
		f.SetOverride(respond(503, `{"error": {"code": "internal_error", "message": "busy", "status": 503}}`))
		ctx, cancel := context.WithCancel(context.Background())
		c := newTestClient(t, f, client.WithRetryHook(func(context.Context, client.RetryEvent) { cancel() }))
		_, _, err := c.Passes.CheckIn(ctx, biz, "pass_abc123", nil)
		require.Error(t, err)
		var cd *CooldownError
		assert.False(t, errors.As(err, &cd))
		assert.ErrorIs(t, err, context.Canceled)
		assert.ErrorIs(t, err, client.ErrServer)
	})
}

func TestRateLimitIsRetriedWithTheSameKey(t *testing.T) {
	f := newFake(t)
	f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n < 3 {
			return respond(429, `{"error": {"code": "rate_limited", "message": "Too many requests. Try again in 20s", "status": 429}}`)(w, r, n)
		}
		return false
	})
	clk := &fakeClock{}
	c := newTestClient(t, f, client.WithClock(clk), client.WithRetryPolicy(client.RetryPolicy{Jitter: func() float64 { return 0 }}))
	p, resp, err := c.Passes.Stamp(context.Background(), biz, "pass_abc123", &StampParams{Count: 2})
	require.NoError(t, err, "the 60-a-minute limit on a stamp is not a cooldown")
	assert.Equal(t, 4, p.Stamps)
	assert.Equal(t, 3, resp.Attempts)
	calls := f.Requests()
	require.Len(t, calls, 3)
	key := calls[0].Header.Get("Idempotency-Key")
	require.NotEmpty(t, key)
	for _, c := range calls {
		assert.Equal(t, key, c.Header.Get("Idempotency-Key"), "every attempt carries the same key")
		assert.Equal(t, "count=2", c.RawQuery)
	}
	assert.Equal(t, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond}, clk.slept())
}

func TestRetries(t *testing.T) {
	t.Run("charge after 500 keeps the caller's key", func(t *testing.T) {
		f := newFake(t)
		f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
			if n == 1 {
				return respond(500, `{"error": {"code": "internal_error", "message": "oops", "status": 500}}`)(w, r, n)
			}
			return false
		})
		c := newTestClient(t, f)
		p, resp, err := c.Passes.Charge(context.Background(), biz, "pass_abc123", &AmountParams{Amount: 15, IdempotencyKey: "payment_42"})
		require.NoError(t, err)
		assert.InDelta(t, 85.0, *p.Balance, 1e-9)
		assert.Equal(t, 2, resp.Attempts)
		assert.Equal(t, "payment_42", resp.IdempotencyKey)
		for _, c := range f.Requests() {
			assert.Equal(t, "payment_42", c.Header.Get("Idempotency-Key"))
		}
	})
	t.Run("void is not sent twice", func(t *testing.T) {
		f := newFake(t)
		f.SetOverride(respond(500, `{"error": {"code": "internal_error", "message": "oops", "status": 500}}`))
		c := newTestClient(t, f)
		_, resp, err := c.Passes.Void(context.Background(), biz, "pass_abc123")
		require.ErrorIs(t, err, client.ErrServer)
		assert.Equal(t, 1, resp.Attempts)
		assert.Len(t, f.Requests(), 1)
		assert.Empty(t, f.Requests()[0].Header.Get("Idempotency-Key"))
	})
	t.Run("insufficient funds is not retried", func(t *testing.T) {
		f := newFake(t)
		f.SetOverride(respond(400, `{"error": {"code": "bad_request", "message": "Insufficient funds.", "status": 400}}`))
		c := newTestClient(t, f)
		_, _, err := c.Passes.Charge(context.Background(), biz, "pass_abc123", &AmountParams{Amount: 500})
		require.ErrorIs(t, err, client.ErrValidation)
		assert.Contains(t, err.Error(), "Insufficient funds.")
		assert.Len(t, f.Requests(), 1)
	})
	t.Run("concurrent check-ins stay independent", func(t *testing.T) {
		f := newFake(t)
		f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
			if strings.HasSuffix(r.URL.Path, "pass_cool/checkin") {
				return respond(429, `{"detail": "Already checked in at 14:30"}`)(w, r, n)
			}
			if strings.HasSuffix(r.URL.Path, "/checkin") {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, checkInJSON)
				return true
			}
			return false
		})
		c := newTestClient(t, f)
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				id := "pass_abc123"
				if i%2 == 1 {
					id = "pass_cool"
				}
				_, _, errs[i] = c.Passes.CheckIn(context.Background(), biz, id, nil)
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if i%2 == 1 {
				var cd *CooldownError
				assert.ErrorAs(t, err, &cd)
			} else {
				assert.NoError(t, err)
			}
		}
		assert.Len(t, f.Requests(), 8)
	})
}

func TestSecretsStayOutOfErrors(t *testing.T) {
	f := newFake(t)
	url := f.URL
	f.Close() // every request now fails in the transport
	c, err := New(testKey, client.WithBaseURL(url), client.WithClock(&fakeClock{}))
	require.NoError(t, err)
	token := "tok/with+chars=" + testJWT
	_, _, err = c.Customers.Passes(context.Background(), token)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), testJWT)
	assert.NotContains(t, err.Error(), "with+chars")
	assert.NotContains(t, err.Error(), "with%2Bchars")
	assert.Contains(t, err.Error(), "[REDACTED]")
	assert.True(t, strings.HasPrefix(err.Error(), "passlite: list customer passes: "), err.Error())

	_, _, err = c.Passes.Get(context.Background(), biz, "pass_abc123")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), testKey)
}

func TestCustomerTokenRejected(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f)
	_, _, err := c.Customers.Passes(context.Background(), "expired-token")
	require.ErrorIs(t, err, client.ErrUnauthorized)
	assert.NotContains(t, err.Error(), "expired-token")
}

func TestWebhookListShapes(t *testing.T) {
	tests := []struct {
		body    string
		want    int
		wantErr string
	}{
		{`[{"id":"wh_1"},{"id":"wh_2"}]`, 2, ""},
		{`{"data":[{"id":"wh_1"}]}`, 1, ""},
		{`{"webhooks":[{"id":"wh_1"}],"total":1}`, 1, ""},
		{`{"webhooks":null}`, 0, ""},
		{`[]`, 0, ""},
		{`{"hooks":[]}`, 0, "passlite: list webhooks: decoding response: object has none of the list keys data, webhooks, items, results"},
		{`{"data":{"id":"wh_1"}}`, 0, "passlite: list webhooks: decoding response: json: cannot unmarshal object into Go value of type []passlite.Webhook"},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			f := newFake(t)
			f.SetOverride(respond(200, tt.body))
			c := newTestClient(t, f)
			hooks, _, err := c.Webhooks.List(context.Background(), biz)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Len(t, hooks, tt.want)
			assert.NotNil(t, hooks)
		})
	}
}

func TestParseCooldown(t *testing.T) {
	tests := []struct {
		msg string
		at  string
		in  time.Duration
	}{
		{"Already checked in at 14:30", "14:30", 0},
		{"Try again in 3m 20s", "", 3*time.Minute + 20*time.Second},
		{"try again in 2 minutes and 5 seconds.", "", 2*time.Minute + 5*time.Second},
		{"Already checked in at 2026-04-07T14:30:00Z (one-time use)", "2026-04-07T14:30:00Z", 0},
		{"Already checked in at 14:30, try again in 1h", "14:30", time.Hour},
		{"Try again in soon", "", 0},
		{"Try again in 9999999s", "", 0},
		{"Too many requests", "", 0},
		{"", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.msg, func(t *testing.T) {
			at, in := parseCooldown(tt.msg)
			assert.Equal(t, tt.at, at)
			assert.Equal(t, tt.in, in)
		})
	}
}

func FuzzParseCooldown(f *testing.F) {
	for _, s := range []string{"Already checked in at 14:30", "Try again in 3m 20s", "try again in 1 hour, 2 min and 3 secs", "Try again in 99999999999h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		at, in := parseCooldown(msg)
		if in < 0 {
			t.Fatalf("negative wait %v from %q", in, msg)
		}
		if len(at) > len(msg) {
			t.Fatalf("time %q longer than the message", at)
		}
	})
}

func FuzzDecodeError(f *testing.F) {
	for _, s := range []string{
		`{"error": {"code": "not_found", "message": "Pass with identifier pass_xyz does not exist.", "status": 404}}`,
		`{"error": "pro_feature", "feature": "automations", "plan": "free", "message": "Upgrade."}`,
		`{"detail": "Already checked in at 14:30"}`,
		`{"error": {"code": 42, "message": ["x"]}}`,
		`plain text`, `[1,2]`, `{`, ``,
	} {
		f.Add(429, []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := &client.APIError{StatusCode: status, Body: body}
		decodeError(e)
		if e.Code != "" && codeKinds[e.Code] != e.Kind {
			t.Fatalf("code %q with kind %v", e.Code, e.Kind)
		}
		pe := newPlanError("op", e)
		_ = pe.Error()
		ce := newCooldownError("op", e)
		_ = ce.Error()
		_ = isCooldown(e)
	})
}

func TestRetryAfter(t *testing.T) {
	now := (&fakeClock{}).Now()
	tests := []struct {
		name       string
		retryAfter string
		wantWait   time.Duration
	}{
		{"seconds", "7", 7 * time.Second},
		{"http date", now.Add(12 * time.Second).Format(http.TimeFormat), 12 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
				if n == 1 {
					w.Header().Set("Retry-After", tt.retryAfter)
					return respond(503, `{"error": {"code": "internal_error", "message": "busy", "status": 503}}`)(w, r, n)
				}
				return false
			})
			clk := &fakeClock{}
			c := newTestClient(t, f, client.WithClock(clk))
			p, resp, err := c.Passes.Get(context.Background(), biz, "pass_abc123")
			require.NoError(t, err)
			assert.Equal(t, "pass_abc123", p.ID)
			assert.Equal(t, 2, resp.Attempts)
			assert.Equal(t, []time.Duration{tt.wantWait}, clk.slept())
		})
	}

	t.Run("longer than the cap is handed to the caller", func(t *testing.T) {
		f := newFake(t)
		f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
			w.Header().Set("Retry-After", "600")
			return respond(429, `{"error": {"code": "rate_limited", "message": "Too many requests. Retry later.", "status": 429}}`)(w, r, n)
		})
		clk := &fakeClock{}
		c := newTestClient(t, f, client.WithClock(clk))
		_, _, err := c.Passes.Issue(context.Background(), biz, &PassIssueParams{TemplateID: "tpl"})
		var rl *client.RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.Equal(t, 10*time.Minute, rl.RetryAfter)
		assert.ErrorIs(t, err, client.ErrRateLimited)
		var cd *CooldownError
		assert.False(t, errors.As(err, &cd), "a plain rate limit is not a cooldown")
		assert.Empty(t, clk.slept())
		assert.Len(t, f.Requests(), 1)
	})

	t.Run("cancellation during backoff", func(t *testing.T) {
		f := newFake(t)
		f.SetOverride(respond(503, `{"error": {"code": "internal_error", "message": "busy", "status": 503}}`))
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		// The system clock really sleeps; the hook cancels the context as
		// the first backoff starts, which must end the sleep at once.
		c, err := New(testKey, client.WithBaseURL(f.URL),
			client.WithRetryPolicy(client.RetryPolicy{BaseDelay: time.Hour, MaxDelay: time.Hour}),
			client.WithRetryHook(func(context.Context, client.RetryEvent) { cancel() }))
		require.NoError(t, err)
		_, resp, err := c.Passes.Stamp(ctx, biz, "pass_abc123", nil)
		require.ErrorIs(t, err, context.Canceled)
		assert.ErrorIs(t, err, client.ErrServer)
		assert.Equal(t, 1, resp.Attempts)
		assert.Len(t, f.Requests(), 1)
	})
}

package push

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passforge/passforge/push/pushtest"
	"github.com/passforge/passforge/sign"
)

var uuidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestPushRequestShape(t *testing.T) {
	s := newServer(t)
	clk := newClock(time.Now())
	c := newClient(t, s, clk.option())
	assert.Equal(t, testTopic, c.Topic())

	upper := strings.ToUpper(token(7))
	res, err := c.Push(t.Context(), upper, "")
	require.NoError(t, err)
	assert.Equal(t, Delivered, res.Outcome)
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, 1, res.Attempts)
	assert.Equal(t, token(7), res.Token, "tokens are sent in lower case")
	assert.Regexp(t, uuidRe, res.APNsID)

	reqs := s.Requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	assert.Equal(t, "POST", r.Method)
	assert.Equal(t, "/3/device/"+token(7), r.Path)
	assert.Equal(t, "{}", string(r.Body))
	assert.Equal(t, testTopic, r.Header.Get("apns-topic"))
	assert.Equal(t, "background", r.Header.Get("apns-push-type"))
	assert.Equal(t, "5", r.Header.Get("apns-priority"))
	assert.Equal(t, res.APNsID, r.Header.Get("apns-id"))
	exp, err := strconv.ParseInt(r.Header.Get("apns-expiration"), 10, 64)
	require.NoError(t, err)
	assert.Equal(t, clk.now().Add(DefaultExpiration).Unix(), exp, "apns-expiration hours ahead, from the client's clock")
	assert.Empty(t, r.Header.Get("authorization"), "certificate authentication sends no JWT")
	var names []string
	for k := range r.Header {
		names = append(names, strings.ToLower(k))
	}
	slices.Sort(names)
	assert.Equal(t, []string{"apns-expiration", "apns-id", "apns-priority", "apns-push-type", "apns-topic", "content-length", "user-agent"}, names, "the headers the issue lists, no others")
	assert.Equal(t, "passforge-push", r.Header.Get("user-agent"))
	assert.Contains(t, r.ClientSubject, "CN=Pass Type ID: "+testTopic, "mutual TLS with the Pass Type ID certificate")
}

func TestPushOutcomes(t *testing.T) {
	at := time.UnixMilli(1767225600123)
	for _, tc := range []struct {
		name     string
		script   []pushtest.Response
		outcome  Outcome
		sentinel error
		status   int
		reason   string
		attempts int
	}{
		{"200", nil, Delivered, nil, 200, "", 1},
		{"410 Unregistered", []pushtest.Response{pushtest.Unregistered(at)}, Unregistered, ErrUnregistered, 410, "Unregistered", 1},
		{"400 BadDeviceToken", []pushtest.Response{pushtest.BadDeviceToken()}, Unregistered, ErrBadDeviceToken, 400, "BadDeviceToken", 1},
		{"400 DeviceTokenNotForTopic", []pushtest.Response{pushtest.DeviceTokenNotForTopic()}, Failed, ErrConfiguration, 400, "DeviceTokenNotForTopic", 1},
		{"400 BadTopic", []pushtest.Response{{Status: 400, Reason: "BadTopic"}}, Failed, ErrConfiguration, 400, "BadTopic", 1},
		{"403 BadCertificate", []pushtest.Response{pushtest.Forbidden("BadCertificate")}, Failed, ErrConfiguration, 403, "BadCertificate", 1},
		{"403 Forbidden", []pushtest.Response{pushtest.Forbidden("")}, Failed, ErrConfiguration, 403, "Forbidden", 1},
		{"429 then 200", []pushtest.Response{pushtest.TooManyRequests()}, Delivered, nil, 200, "", 2},
		{"500 then 200", []pushtest.Response{pushtest.InternalServerError()}, Delivered, nil, 200, "", 2},
		{"503 twice then 200", []pushtest.Response{pushtest.ServiceUnavailable(), pushtest.ServiceUnavailable()}, Delivered, nil, 200, "", 3},
		{"400 IdleTimeout then 200", []pushtest.Response{{Status: 400, Reason: "IdleTimeout"}}, Delivered, nil, 200, "", 2},
		{"404 BadPath", []pushtest.Response{{Status: 404, Reason: "BadPath"}}, Failed, ErrConfiguration, 404, "BadPath", 1},
		{"405 MethodNotAllowed", []pushtest.Response{{Status: 405, Reason: "MethodNotAllowed"}}, Failed, ErrConfiguration, 405, "MethodNotAllowed", 1},
		{"413 PayloadTooLarge", []pushtest.Response{{Status: 413, Reason: "PayloadTooLarge"}}, Failed, ErrConfiguration, 413, "PayloadTooLarge", 1},
		{"403 InvalidProviderToken", []pushtest.Response{pushtest.Forbidden("InvalidProviderToken")}, Failed, ErrConfiguration, 403, "InvalidProviderToken", 1},
		{"429 TooManyProviderTokenUpdates then 200", []pushtest.Response{{Status: 429, Reason: "TooManyProviderTokenUpdates"}}, Delivered, nil, 200, "", 2},
		{"429 until retries run out", slices.Repeat([]pushtest.Response{pushtest.TooManyRequests()}, 4), Failed, ErrTemporary, 429, "TooManyRequests", 4},
		{"500 until retries run out", slices.Repeat([]pushtest.Response{pushtest.InternalServerError()}, 4), Failed, ErrTemporary, 500, "InternalServerError", 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			c := newClient(t, s)
			s.Script(token(1), tc.script...)
			res, err := c.Push(t.Context(), token(1), testTopic)
			assert.Equal(t, tc.outcome, res.Outcome, "%v", err)
			assert.Equal(t, tc.status, res.Status)
			assert.Equal(t, tc.reason, res.Reason)
			assert.Equal(t, tc.attempts, res.Attempts)
			assert.Len(t, s.RequestsFor(token(1)), tc.attempts)
			assert.Equal(t, err, res.Err)
			if tc.sentinel == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.sentinel)
			var apnsErr *Error
			require.ErrorAs(t, err, &apnsErr)
			assert.Equal(t, tc.status, apnsErr.Status)
			assert.Equal(t, tc.reason, apnsErr.Reason)
			assert.Equal(t, res.APNsID, apnsErr.APNsID)
			assert.Equal(t, tc.outcome == Unregistered, res.ShouldUnregister())
			if tc.status == 410 {
				assert.True(t, res.Timestamp.Equal(at), "the 410 timestamp: %v", res.Timestamp)
				assert.Contains(t, err.Error(), "since 2026-01-01T00:00:00Z")
			}
			assert.True(t, strings.HasPrefix(err.Error(), "push: "), err.Error())
		})
	}
}

func TestServiceUnavailableReconnects(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s, WithConnections(1))
	s.Script(token(1), pushtest.ServiceUnavailable())
	res, err := c.Push(t.Context(), token(1), "")
	require.NoError(t, err)
	assert.Equal(t, 2, res.Attempts)
	assert.Equal(t, 2, s.Conns(), "Apple: retry a 503 on a new connection")
	reqs := s.RequestsFor(token(1))
	require.Len(t, reqs, 2)
	assert.Equal(t, []int{1, 2}, []int{reqs[0].Conn, reqs[1].Conn})
}

func TestPushRefusedBeforeSending(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	for _, tc := range []struct {
		token, topic string
		want         error
	}{
		{"", "", ErrInvalidToken},
		{"abc", "", ErrInvalidToken},
		{strings.Repeat("g", 64), "", ErrInvalidToken},
		{token(1) + "0", "", ErrInvalidToken},
		{strings.Repeat("a", 202), "", ErrInvalidToken},
		{token(1), "pass.com.example.other", ErrTopicMismatch},
	} {
		res, err := c.Push(t.Context(), tc.token, tc.topic)
		require.ErrorIs(t, err, tc.want, "%q", tc.token)
		assert.Equal(t, NotSent, res.Outcome)
		assert.Equal(t, 0, res.Status)
		assert.Equal(t, 0, res.Attempts)
	}
	assert.ErrorIs(t, ErrTopicMismatch, ErrConfiguration)
	assert.Equal(t, 0, s.Count(), "nothing sent")
	assert.NoError(t, CheckToken(strings.Repeat("AB", 16)))
	assert.NoError(t, CheckToken(strings.Repeat("0f", 100)))

	require.NoError(t, c.Close())
	_, err := c.Push(t.Context(), token(1), "")
	assert.ErrorIs(t, err, ErrClosed)
}

func TestCryptoSignerIdentity(t *testing.T) {
	d := identity(t)
	id, err := sign.NewIdentity(opaqueSigner{d.Signer}, d.Certificate, d.Chain...)
	require.NoError(t, err)
	s := newServer(t)
	c, err := New(id, WithURL(s.URL), WithRootCAs(s.CertPool()), WithLogger(quiet))
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Push(t.Context(), token(1), "")
	require.NoError(t, err)
	assert.Contains(t, s.Requests()[0].ClientSubject, "CN=Pass Type ID: "+testTopic)
}

func TestFanOutDedupeAndStream(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s, WithConnections(3), WithMaxInFlight(16))
	toks := tokens(200)
	var in []Notification
	for i, tk := range toks {
		in = append(in, Notification{Token: tk})
		if i%4 == 0 {
			in = append(in, Notification{Token: strings.ToUpper(tk)})  // same token, other case
			in = append(in, Notification{Token: tk, Topic: c.Topic()}) // "" is the client's topic
		}
	}
	got, sum, err := collect(t, c, in)
	require.NoError(t, err)
	assert.Len(t, got, 200)
	assert.Equal(t, Summary{Delivered: 200, Duplicates: 100}, sum)
	assert.Equal(t, 200, s.Count(), "one request per (token, topic)")
	for _, tk := range toks {
		assert.Equal(t, Delivered, got[tk+"/"+testTopic].Outcome)
	}
	assert.LessOrEqual(t, s.Conns(), 3)

	// The iterator form stops at a break.
	n := 0
	for r := range c.Results(t.Context(), ToTopic("", slices.Values(tokens(1000)))) {
		require.Equal(t, Delivered, r.Outcome)
		if n++; n == 10 {
			break
		}
	}
	assert.Less(t, s.Count(), 200+1000, "breaking out stops the fan-out")
}

func TestFanOutConfigurationErrorStops(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s, WithMaxInFlight(1), WithConnections(1))
	toks := tokens(50)
	s.Script(toks[9], pushtest.DeviceTokenNotForTopic())
	var order []Result
	sum, err := c.PushAll(t.Context(), ToTopic("", slices.Values(toks)), func(r Result) { order = append(order, r) })
	require.ErrorIs(t, err, ErrConfiguration)
	var apnsErr *Error
	require.ErrorAs(t, err, &apnsErr)
	assert.Equal(t, "DeviceTokenNotForTopic", apnsErr.Reason)
	assert.Equal(t, Summary{Delivered: 9, Failed: 1, NotSent: 40}, sum)
	require.Len(t, order, 50, "every token gets a result")
	assert.Equal(t, 10, s.Count(), "nothing sent after the configuration error")
	for _, r := range order {
		if r.Outcome != NotSent {
			continue
		}
		assert.ErrorIs(t, r.Err, ErrNotSent)
		assert.ErrorIs(t, r.Err, ErrConfiguration, "not-sent results carry the error that stopped the fan-out")
		assert.Equal(t, 0, r.Status)
	}
	// Malformed tokens get results but do not stop anything.
	got, sum, err := collect(t, c, notes("", "zz", token(100)))
	require.NoError(t, err)
	assert.ErrorIs(t, got["zz/"].Err, ErrInvalidToken)
	assert.Equal(t, Summary{Delivered: 1, NotSent: 1}, sum)
}

func TestFanOutConfigurationErrorWithManyInFlight(t *testing.T) {
	s := newServer(t)
	s.SetDefault(pushtest.Delay(5*time.Millisecond, pushtest.OK()))
	c := newClient(t, s, WithMaxInFlight(8), WithConnections(2))
	toks := tokens(2000)
	s.Script(toks[20], pushtest.Forbidden("BadCertificate"))
	_, sum, err := collect(t, c, notes("", toks...))
	require.ErrorIs(t, err, ErrConfiguration)
	assert.Equal(t, 2000, sum.Total())
	assert.Equal(t, 1, sum.Failed, "only the push that met the error failed; those in flight finished: %+v", sum)
	assert.Greater(t, sum.NotSent, 1900, "%+v", sum)
	assert.Equal(t, sum.Delivered+sum.Failed, s.Count(), "not-sent pushes never reached APNs")
}

func TestGoAwayRedials(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s, WithConnections(1), WithMaxInFlight(4))
	toks := tokens(40)
	s.Script(toks[5], pushtest.GoAway())
	s.Script(toks[25], pushtest.GoAway())
	got, sum, err := collect(t, c, notes("", toks...))
	require.NoError(t, err)
	assert.Equal(t, 40, sum.Delivered, "%+v", got)
	// The server sends GOAWAY shortly after answering; both GoAway steps may
	// fall on the first connection before it goes away.
	assert.GreaterOrEqual(t, s.Conns(), 2, "a new connection after GOAWAY")
	reqs := s.Requests()
	assert.Greater(t, reqs[len(reqs)-1].Conn, 1, "the last pushes went over a new connection")
}

func TestDroppedConnectionRetriesInFlight(t *testing.T) {
	s := newServer(t)
	s.SetDefault(pushtest.Delay(300*time.Millisecond, pushtest.OK()))
	c := newClient(t, s, WithConnections(1), WithMaxInFlight(10), WithRetry(0, time.Millisecond, time.Millisecond))
	toks := tokens(10)
	s.Script(toks[0], pushtest.Delay(100*time.Millisecond, pushtest.Drop()))
	got, sum, err := collect(t, c, notes("", toks...))
	require.NoError(t, err)
	assert.Equal(t, 10, sum.Delivered, "with no retries left for 5xx, in-flight requests of a dropped connection are still retried once: %+v", got)
	assert.Equal(t, 2, s.Conns())
	retried := 0
	for _, r := range got {
		if r.Attempts == 2 {
			retried++
		}
	}
	assert.Greater(t, retried, 1, "the requests in flight on the dropped connection were retried")

	// A second drop of the same request is not retried at once again; with no retries left it fails.
	s.Script(token(99), pushtest.Drop(), pushtest.Drop())
	res, err := c.Push(t.Context(), token(99), "")
	require.ErrorIs(t, err, ErrTemporary)
	assert.Equal(t, Failed, res.Outcome)
	assert.Equal(t, 2, res.Attempts)
	assert.Equal(t, 0, res.Status)
}

func TestCancellation(t *testing.T) {
	s := newServer(t)
	s.SetDefault(pushtest.Delay(time.Second, pushtest.OK()))
	c := newClient(t, s, WithMaxInFlight(4))
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	var results []Result
	sum, err := c.PushAll(ctx, ToTopic("", slices.Values(tokens(100))), func(r Result) { results = append(results, r) })
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 900*time.Millisecond, "cancellation does not wait for answers")
	assert.Len(t, results, 100)
	assert.Equal(t, 0, sum.Delivered)
	assert.Equal(t, 100, sum.Failed+sum.NotSent)
	assert.LessOrEqual(t, sum.Failed, 4, "only requests in flight (at most four) may have reached APNs: %+v", sum)
	assert.Equal(t, sum.Failed, s.Count(), "failed = sent but unanswered; not-sent = never sent")
	for _, r := range results {
		assert.ErrorIs(t, r.Err, context.Canceled)
	}

	// A backoff sleep ends with the context too.
	s.SetDefault(pushtest.ServiceUnavailable())
	slow := newClient(t, s, WithRetry(3, 10*time.Second, 10*time.Second))
	ctx, cancel = context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	start = time.Now()
	res, err := slow.Push(ctx, token(1), "")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, Failed, res.Outcome)
	assert.Equal(t, 503, res.Status, "answered, then cancelled while waiting 10 s to retry")
	assert.Less(t, time.Since(start), 5*time.Second)
}

func TestRequestTimeout(t *testing.T) {
	s := newServer(t)
	s.Script(token(1), pushtest.Delay(3*time.Second, pushtest.OK()))
	c := newClient(t, s, WithTimeout(500*time.Millisecond), WithConnections(1))
	_, err := c.Push(t.Context(), token(2), "") // connected
	require.NoError(t, err)
	res, err := c.Push(t.Context(), token(1), "")
	require.NoError(t, err, "a request without an answer in time is retried")
	assert.Equal(t, 2, res.Attempts)
}

func TestCertificateExpiry(t *testing.T) {
	id := identity(t)
	s := newServer(t)
	na := id.Certificate.NotAfter

	// Expired: New refuses.
	_, err := New(id, WithURL(s.URL), WithNow(func() time.Time { return na.Add(time.Second) }), WithLogger(quiet))
	require.ErrorIs(t, err, ErrCertificateExpired)
	require.ErrorIs(t, err, ErrConfiguration)
	assert.Contains(t, err.Error(), "renew")

	// Expiring within 30 days: a warning.
	var logs bytes.Buffer
	clk := newClock(na.Add(-10 * 24 * time.Hour))
	c := newClient(t, s, clk.option(), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	assert.Contains(t, logs.String(), "level=WARN")
	assert.Contains(t, logs.String(), "certificate expires soon")
	assert.Contains(t, logs.String(), "daysLeft=10")
	_, err = c.Push(t.Context(), token(1), "")
	require.NoError(t, err)

	// A long-lived client stops pushing once it expires.
	clk.set(na.Add(time.Minute))
	res, err := c.Push(t.Context(), token(2), "")
	require.ErrorIs(t, err, ErrCertificateExpired)
	assert.Equal(t, NotSent, res.Outcome)
	_, sum, err := collect(t, c, notes("", token(3), token(4)))
	require.ErrorIs(t, err, ErrCertificateExpired)
	assert.Equal(t, Summary{NotSent: 2}, sum)
	assert.Equal(t, 1, s.Count())

	// Far from expiry: no warning.
	logs.Reset()
	newClient(t, s, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	assert.NotContains(t, logs.String(), "expires soon")
}

func TestConcurrencyLimits(t *testing.T) {
	t.Run("server MAX_CONCURRENT_STREAMS", func(t *testing.T) {
		s := newServer(t, pushtest.WithMaxConcurrentStreams(5))
		s.SetDefault(pushtest.Delay(10*time.Millisecond, pushtest.OK()))
		c := newClient(t, s, WithConnections(1), WithMaxInFlight(50))
		_, sum, err := collect(t, c, notes("", tokens(100)...))
		require.NoError(t, err)
		assert.Equal(t, 100, sum.Delivered)
		assert.Equal(t, 5, s.MaxConcurrent(), "all five streams used, never more")
		assert.Equal(t, 1, s.Conns())
	})
	t.Run("more than 100 streams on a new connection", func(t *testing.T) {
		// Until APNs' SETTINGS arrive, a new connection counts as full at
		// 100 streams; the requests beyond wait for them, not for answers.
		s := newServer(t)
		s.SetDefault(pushtest.Delay(300*time.Millisecond, pushtest.OK()))
		c := newClient(t, s, WithConnections(1), WithMaxInFlight(250))
		_, sum, err := collect(t, c, notes("", tokens(250)...))
		require.NoError(t, err)
		assert.Equal(t, 250, sum.Delivered)
		assert.Greater(t, s.MaxConcurrent(), 200, "all in flight at once on the one connection")
		assert.Equal(t, 1, s.Conns())
	})
	t.Run("in flight", func(t *testing.T) {
		s := newServer(t)
		s.SetDefault(pushtest.Delay(10*time.Millisecond, pushtest.OK()))
		c := newClient(t, s, WithConnections(1), WithMaxInFlight(3))
		_, sum, err := collect(t, c, notes("", tokens(30)...))
		require.NoError(t, err)
		assert.Equal(t, 30, sum.Delivered)
		assert.Equal(t, 3, s.MaxConcurrent())
	})
	t.Run("connections", func(t *testing.T) {
		s := newServer(t)
		s.SetDefault(pushtest.Delay(10*time.Millisecond, pushtest.OK()))
		c := newClient(t, s, WithConnections(4), WithMaxInFlight(40))
		_, sum, err := collect(t, c, notes("", tokens(200)...))
		require.NoError(t, err)
		assert.Equal(t, 200, sum.Delivered)
		assert.Equal(t, 4, s.Conns(), "the pool's connections, reused")
	})
}

func TestTokenAuthentication(t *testing.T) {
	key, pub := p8(t)
	clk := newClock(time.Now())
	s := newServer(t, pushtest.WithTokenKey("KEYID12345", "TEAM123456", pub), pushtest.WithNow(clk.now))
	c, err := New(nil, WithTokenKey(key, "KEYID12345", "TEAM123456"), WithTopic(testTopic),
		WithURL(s.URL), WithRootCAs(s.CertPool()), clk.option(), WithLogger(quiet))
	require.NoError(t, err)
	defer c.Close()

	for i := range 3 {
		_, err := c.Push(t.Context(), token(i), "")
		require.NoError(t, err)
	}
	jwts := map[string]bool{}
	for _, r := range s.Requests() {
		jwts[r.Header.Get("authorization")] = true
		assert.Empty(t, r.ClientSubject, "no certificate")
	}
	assert.Len(t, jwts, 1, "the JWT is reused")

	clk.add(19 * time.Minute)
	_, err = c.Push(t.Context(), token(3), "")
	require.NoError(t, err)
	assert.True(t, jwts[s.Requests()[3].Header.Get("authorization")], "not renewed within 20 minutes")

	clk.add(22 * time.Minute) // 41 minutes: renewed, so never older than an hour
	_, err = c.Push(t.Context(), token(4), "")
	require.NoError(t, err)
	assert.False(t, jwts[s.Requests()[4].Header.Get("authorization")], "renewed after 40 minutes")

	// APNs calls it expired: renewed and retried once.
	s.Script(token(5), pushtest.Forbidden("ExpiredProviderToken"))
	res, err := c.Push(t.Context(), token(5), "")
	require.NoError(t, err)
	assert.Equal(t, 2, res.Attempts)
	r5 := s.RequestsFor(token(5))
	require.Len(t, r5, 2)
	assert.NotEqual(t, r5[0].Header.Get("authorization"), r5[1].Header.Get("authorization"))

	// A key APNs does not know is a configuration error.
	other, _ := p8(t)
	bad, err := New(nil, WithTokenKey(other, "KEYID12345", "TEAM123456"), WithTopic(testTopic), WithURL(s.URL), WithRootCAs(s.CertPool()), WithLogger(quiet))
	require.NoError(t, err)
	defer bad.Close()
	_, err = bad.Push(t.Context(), token(6), "")
	require.ErrorIs(t, err, ErrConfiguration)
	assert.Contains(t, err.Error(), "InvalidProviderToken")

	_, err = New(nil, WithTokenKey([]byte("not pem"), "K", "T"), WithTopic(testTopic))
	assert.ErrorContains(t, err, "not PEM")
	_, err = New(nil, WithTokenKey(key, "K", "T"))
	assert.ErrorContains(t, err, "WithTopic")
}

func TestSecretsNeverShown(t *testing.T) {
	key, pub := p8(t)
	s := newServer(t, pushtest.WithTokenKey("KEYID12345", "TEAM123456", pub))
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var hookErrs []string
	c, err := New(identity(t), WithTokenKey(key, "KEYID12345", "TEAM123456"), WithURL(s.URL), WithRootCAs(s.CertPool()),
		WithLogger(logger), WithRetry(1, time.Millisecond, time.Millisecond),
		WithHooks(Hooks{Retry: func(_ string, _ int, _ time.Duration, err error) { hookErrs = append(hookErrs, err.Error()) }}))
	require.NoError(t, err)
	defer c.Close()
	s.Script(token(1), pushtest.InternalServerError())
	s.Script(token(2), pushtest.Forbidden("InvalidProviderToken"))
	var errs []string
	got, _, err := collect(t, c, notes("", token(1), token(2), token(3)))
	require.ErrorIs(t, err, ErrConfiguration)
	errs = append(errs, err.Error(), fmt.Sprintf("%+v", err))
	for _, r := range got {
		if r.Err != nil {
			errs = append(errs, fmt.Sprintf("%v %+v", r, r.Err))
		}
	}
	jwt := strings.TrimPrefix(s.Requests()[0].Header.Get("authorization"), "bearer ")
	require.NotEmpty(t, jwt)
	keyBody := strings.Split(string(key), "\n")[1] // a line of the key's base64
	logger.Info("client", "client", c)
	printed := strings.Join(append(errs, hookErrs...), "\n") + fmt.Sprintf("%v %+v %#v %s %q %x", c, c, c, c, c, c) +
		fmt.Sprintf("%v %+v %#v", c.token, c.token, c.token) + logs.String()
	for _, secret := range []string{jwt, keyBody, strings.Split(jwt, ".")[2]} {
		assert.False(t, contains(printed, secret), "a secret was printed")
	}
	assert.Contains(t, fmt.Sprintf("%+v", c), "push.Client{url: "+s.URL)
	assert.Contains(t, logs.String(), "[REDACTED]")
}

func TestOptionsValidate(t *testing.T) {
	id := identity(t)
	for _, o := range []Option{
		WithURL("http://api.push.apple.com"), WithURL("https://"), WithURL("https://h/x"), WithURL("::"),
		WithRootCAs(nil), WithTopic(""), WithTokenKey(nil, "k", "t"), WithTokenRefresh(10 * time.Minute),
		WithTokenRefresh(time.Hour), WithConnections(0), WithConnections(65), WithMaxInFlight(0),
		WithExpiration(-time.Second), WithTimeout(0), WithRetry(-1, time.Second, time.Second),
		WithRetry(3, time.Second, time.Millisecond), WithHealthCheck(0, time.Second), WithNow(nil), WithLogger(nil),
		WithTopic("pass.com.example.other"),
	} {
		_, err := New(id, o)
		require.Error(t, err)
		assert.True(t, strings.HasPrefix(err.Error(), "push: "), err.Error())
	}
	_, err := New(nil)
	assert.ErrorContains(t, err, "no identity")

	c, err := New(id, nil, WithSandbox(), WithExpiration(0), WithHealthCheck(time.Minute, time.Second), WithTokenRefresh(30*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, Sandbox, c.URL())
	c, err = New(id, WithURL(ProductionAlt))
	require.NoError(t, err)
	assert.Equal(t, "api.push.apple.com:2197", c.addr)
	c, err = New(id)
	require.NoError(t, err)
	assert.Equal(t, "api.push.apple.com:443", c.addr, "production by default")
}

func TestUntrustedServerIsConfiguration(t *testing.T) {
	s := newServer(t)
	c, err := New(identity(t), WithURL(s.URL), WithLogger(quiet), WithRetry(3, time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	defer c.Close()
	_, sum, err := collect(t, c, notes("", tokens(20)...))
	require.ErrorIs(t, err, ErrConfiguration, "the system roots do not trust the test server")
	assert.Equal(t, 20, sum.Failed+sum.NotSent)
	assert.GreaterOrEqual(t, sum.Failed, 1, "the pushes that tried to connect failed")
	assert.Equal(t, 0, s.Count())
}

func TestOutcomeStrings(t *testing.T) {
	for o, want := range map[Outcome]string{Delivered: "delivered", Unregistered: "unregistered", Failed: "failed", NotSent: "not-sent", 9: "Outcome(9)"} {
		assert.Equal(t, want, o.String())
	}
	assert.True(t, errors.Is(ErrCertificateExpired, ErrConfiguration))
}

func TestHooks(t *testing.T) {
	s := newServer(t)
	var (
		mu       sync.Mutex
		results  []Result
		retries  []string
		connects []error
	)
	c := newClient(t, s, WithConnections(1), WithHooks(Hooks{
		Result: func(r Result) { mu.Lock(); results = append(results, r); mu.Unlock() },
		Retry: func(token string, attempt int, wait time.Duration, err error) {
			mu.Lock()
			retries = append(retries, fmt.Sprintf("%s %d %v", token[len(token)-2:], attempt, err))
			mu.Unlock()
		},
		Connect: func(addr string, err error) {
			mu.Lock()
			connects = append(connects, err)
			mu.Unlock()
			assert.Equal(t, strings.TrimPrefix(s.URL, "https://"), addr)
		},
	}))
	s.Script(token(1), pushtest.InternalServerError())
	_, sum, err := collect(t, c, notes("", token(1), token(2), "bad"))
	require.NoError(t, err)
	assert.Equal(t, Summary{Delivered: 2, NotSent: 1}, sum)
	mu.Lock()
	defer mu.Unlock()
	assert.Len(t, results, 3, "one Result call per result, malformed tokens included")
	assert.Equal(t, []string{"02 2 push: APNs answered 500 InternalServerError"}, retries)
	assert.Equal(t, []error{nil}, connects, "one connection, reused")
}

func TestUnreachableAPNs(t *testing.T) {
	s := newServer(t)
	url := s.URL
	s.Close() // nothing listens there any more
	var dials atomic.Int32
	c, err := New(identity(t), WithURL(url), WithLogger(quiet), WithRetry(2, time.Millisecond, 2*time.Millisecond),
		WithMaxInFlight(50), WithHooks(Hooks{Connect: func(string, error) { dials.Add(1) }}))
	require.NoError(t, err)
	defer c.Close()
	got, sum, err := collect(t, c, notes("", tokens(100)...))
	require.NoError(t, err, "a network failure is not a configuration error")
	assert.Equal(t, Summary{Failed: 100}, sum)
	for _, r := range got {
		require.ErrorIs(t, r.Err, ErrTemporary)
		assert.Contains(t, r.Err.Error(), "connecting to 127.0.0.1")
		assert.Equal(t, 3, r.Attempts)
	}
	assert.Less(t, int(dials.Load()), 100, "requests queued behind a failed dial share its error")
}

func TestHostileAnswerIsMadePrintable(t *testing.T) {
	s := newServer(t)
	c := newClient(t, s)
	s.Script(token(1), pushtest.Response{Status: 400, Reason: "Bad\x1b[2K\r\u202eToken" + strings.Repeat("x", 100)})
	res, err := c.Push(t.Context(), token(1), "")
	require.ErrorIs(t, err, ErrConfiguration)
	assert.Equal(t, "Bad?[2K?"+"???"+"Token"+strings.Repeat("x", 64-16), res.Reason)
	assert.Len(t, res.Reason, 64)
	assert.NotContains(t, err.Error(), "\x1b")
}

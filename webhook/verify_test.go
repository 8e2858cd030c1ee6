package webhook

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	swSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	swID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	swTS     = "1614265330"
	swBody   = `{"test": 2432232314}`
	swSig    = "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func fixedClock(unix int64) Option {
	return WithNow(func() time.Time { return time.Unix(unix, 0) })
}

// swHeader returns the Standard Webhooks vector's headers with sig as the
// signature header (deleted when empty).
func swHeader(sig string) http.Header {
	h := http.Header{"Webhook-Id": {swID}, "Webhook-Timestamp": {swTS}}
	if sig != "" {
		h.Set("Webhook-Signature", sig)
	}
	return h
}

// The negative cases of the Standard Webhooks reference libraries.
func TestStandardWebhooksNegative(t *testing.T) {
	otherSig := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	tests := []struct {
		name   string
		header http.Header
		want   error
	}{
		{"valid", swHeader("v1," + swSig), nil},
		{"missing signature", swHeader(""), ErrMissingSignature},
		{"missing id", func() http.Header { h := swHeader("v1," + swSig); h.Del("Webhook-Id"); return h }(), ErrMalformedHeader},
		{"missing timestamp", func() http.Header { h := swHeader("v1," + swSig); h.Del("Webhook-Timestamp"); return h }(), ErrMalformedHeader},
		{"non-numeric timestamp", func() http.Header { h := swHeader("v1," + swSig); h.Set("Webhook-Timestamp", "1614265330a"); return h }(), ErrMalformedHeader},
		{"wrong signature", swHeader("v1," + otherSig), ErrInvalidSignature},
		{"v1 comma alone", swHeader("v1,"), ErrMalformedHeader},
		{"no comma", swHeader("v1" + swSig), ErrMalformedHeader},
		{"not base64", swHeader("v1,!!!notbase64!!!"), ErrMalformedHeader},
		{"valid signature under another version", swHeader("v2," + swSig), ErrInvalidSignature},
		{"valid signature under v1a", swHeader("v1a," + swSig), ErrInvalidSignature},
		{"several without a match", swHeader("v1," + otherSig + " v1," + otherSig + " v2," + swSig), ErrInvalidSignature},
		{"several with a match last", swHeader("v1," + otherSig + " v2,abc v1," + swSig), nil},
		{"several with a match first", swHeader("v1," + swSig + " v1," + otherSig), nil},
		{"truncated signature", swHeader("v1," + swSig[:20]), ErrInvalidSignature},
		{"unpadded signature", swHeader("v1," + strings.TrimRight(swSig, "=")), nil},
		{"too many signatures", swHeader(strings.Repeat("v1,"+otherSig+" ", 17) + "v1," + swSig), ErrMalformedHeader},
		{"id changed", func() http.Header { h := swHeader("v1," + swSig); h.Set("Webhook-Id", "msg_other"); return h }(), ErrInvalidSignature},
		{"timestamp changed", func() http.Header { h := swHeader("v1," + swSig); h.Set("Webhook-Timestamp", "1614265331"); return h }(), ErrInvalidSignature},
	}
	v, err := NewVerifier(StandardWebhooks(), []string{swSecret}, fixedClock(1614265330))
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := v.Verify(tt.header, []byte(swBody))
			if tt.want == nil {
				require.NoError(t, err)
				assert.Equal(t, swID, d.ID)
				return
			}
			require.ErrorIs(t, err, tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "webhook: "), err.Error())
			assert.NotContains(t, err.Error(), swSecret)
		})
	}
}

func TestTimestampTolerance(t *testing.T) {
	const ts = 1614265330
	tests := []struct {
		name      string
		now       int64
		tolerance time.Duration
		ok        bool
	}{
		{"same second", ts, 0, true},
		{"five minutes late", ts + 300, 0, true},
		{"five minutes early", ts - 300, 0, true},
		{"one second past tolerance", ts + 301, 0, false},
		{"one second before tolerance", ts - 301, 0, false},
		{"an hour late", ts + 3600, 0, false},
		{"an hour early", ts - 3600, 0, false},
		{"custom tolerance accepts", ts + 500, 10 * time.Minute, true},
		{"custom tolerance rejects", ts + 61, time.Minute, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := []Option{fixedClock(tt.now)}
			if tt.tolerance != 0 {
				opts = append(opts, WithTolerance(tt.tolerance))
			}
			v, err := NewVerifier(StandardWebhooks(), []string{swSecret}, opts...)
			require.NoError(t, err)
			_, err = v.Verify(swHeader("v1,"+swSig), []byte(swBody))
			if tt.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrTimestampOutsideTolerance)
			var te *TimestampError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, "Webhook-Timestamp", te.Source)
			assert.Equal(t, int64(ts), te.Timestamp.Unix())
		})
	}

	// A forged signature with a stale timestamp reports the signature, not the time.
	v, err := NewVerifier(StandardWebhooks(), []string{swSecret}, fixedClock(ts+3600))
	require.NoError(t, err)
	_, err = v.Verify(swHeader("v1,"+base64.StdEncoding.EncodeToString(make([]byte, 32))), []byte(swBody))
	assert.ErrorIs(t, err, ErrInvalidSignature)
}

func TestEmptySecretsFailClosed(t *testing.T) {
	for _, tt := range []struct {
		name    string
		scheme  Scheme
		secrets []string
	}{
		{"no secrets", Passmint(), nil},
		{"empty secret", Passmint(), []string{""}},
		{"one of two empty", PassLite(), []string{"whsec_test", ""}},
		{"whsec_ prefix only", StandardWebhooks(), []string{"whsec_"}},
		{"empty string", StandardWebhooks(), []string{""}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewVerifier(tt.scheme, tt.secrets)
			require.ErrorIs(t, err, ErrNoSecret)
			_, err = NewSigner(tt.scheme, "")
			require.ErrorIs(t, err, ErrNoSecret)
		})
	}
	_, err := NewVerifier(StandardWebhooks(), []string{"whsec_not*base64"})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "not*base64")

	// The zero Verifier and Signer reject everything.
	var v Verifier
	_, err = v.Verify(http.Header{"Passmint-Signature": {"t=1,v1=00"}}, nil)
	require.ErrorIs(t, err, ErrNoSecret)
	var s Signer
	_, err = s.Sign(nil, time.Now(), nil)
	require.ErrorIs(t, err, ErrNoSecret)
	_, err = NewHandler(&v)
	require.ErrorIs(t, err, ErrNoSecret)
}

func TestRotation(t *testing.T) {
	now := time.Unix(1760000000, 0)
	oldS, err := NewSigner(Passmint(), "whsec_old")
	require.NoError(t, err)
	newS, err := NewSigner(Passmint(), []byte("whsec_new"))
	require.NoError(t, err)
	otherS, err := NewSigner(Passmint(), "whsec_other")
	require.NoError(t, err)
	v, err := NewVerifier(Passmint(), [][]byte{[]byte("whsec_new"), []byte("whsec_old")}, fixedClock(now.Unix()))
	require.NoError(t, err)
	body := []byte(`{"id":"evt_1","type":"pass.installed"}`)

	for name, s := range map[string]*Signer{"old": oldS, "new": newS} {
		h, err := s.Sign(body, now, nil)
		require.NoError(t, err)
		_, err = v.Verify(h, body)
		assert.NoError(t, err, name)
	}
	h, err := otherS.Sign(body, now, nil)
	require.NoError(t, err)
	_, err = v.Verify(h, body)
	assert.ErrorIs(t, err, ErrInvalidSignature)

	// A sender rotating its own secret sends both signatures in one header.
	hOld, _ := oldS.Sign(body, now, nil)
	hOther, _ := otherS.Sign(body, now, nil)
	both := hOther.Get("Passmint-Signature") + "," + strings.SplitN(hOld.Get("Passmint-Signature"), ",", 2)[1]
	both = strings.Replace(both, "t=1760000000,", "", 1)
	both = "t=1760000000," + both
	_, err = v.Verify(http.Header{"Passmint-Signature": {both}}, body)
	assert.NoError(t, err)
}

func TestPassmintHeaders(t *testing.T) {
	const good = "97d5a5d9d5e5eeec23db1def3ed2a9370f5a99e9e0fb0c74c88ef12d0cb5b1b7"
	tests := []struct {
		name   string
		header []string
		want   error
	}{
		{"valid", []string{"t=1760000000,v1=" + good}, nil},
		{"upper-case hex", []string{"t=1760000000,v1=" + strings.ToUpper(good)}, nil},
		{"spaces", []string{" t=1760000000, v1=" + good + " "}, nil},
		{"v1 first", []string{"v1=" + good + ",t=1760000000"}, nil},
		{"unknown v0 ignored", []string{"t=1760000000,v0=abc,v1=" + good}, nil},
		{"two header lines", []string{"t=1760000000,v1=" + strings.Repeat("0", 64), "v1=" + good}, nil},
		{"missing", nil, ErrMissingSignature},
		{"blank", []string{"  "}, ErrMissingSignature},
		{"no t", []string{"v1=" + good}, ErrMalformedHeader},
		{"t twice", []string{"t=1760000000,t=1760000000,v1=" + good}, ErrMalformedHeader},
		{"t not a number", []string{"t=17600x0000,v1=" + good}, ErrMalformedHeader},
		{"negative t", []string{"t=-1760000000,v1=" + good}, ErrMalformedHeader},
		{"t too long", []string{"t=17600000000000000000,v1=" + good}, ErrMalformedHeader},
		{"no v1", []string{"t=1760000000"}, ErrInvalidSignature},
		{"only v2", []string{"t=1760000000,v2=" + good}, ErrInvalidSignature},
		{"v1 empty", []string{"t=1760000000,v1="}, ErrMalformedHeader},
		{"v1 not hex", []string{"t=1760000000,v1=" + strings.Repeat("g", 64)}, ErrMalformedHeader},
		{"v1 odd length", []string{"t=1760000000,v1=abc"}, ErrMalformedHeader},
		{"v1 short", []string{"t=1760000000,v1=" + good[:62]}, ErrInvalidSignature},
		{"entry without =", []string{"t=1760000000,v1=" + good + ",junk"}, ErrMalformedHeader},
		{"wrong signature", []string{"t=1760000000,v1=" + strings.Repeat("ab", 32)}, ErrInvalidSignature},
		{"other t", []string{"t=1760000001,v1=" + good}, ErrInvalidSignature},
		{"too long", []string{"t=1760000000,v1=" + good + strings.Repeat(",v0=0", 2000)}, ErrMalformedHeader},
	}
	v, err := NewVerifier(Passmint(), []string{"whsec_test"}, fixedClock(1760000000))
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.header != nil {
				h["Passmint-Signature"] = tt.header
			}
			_, err := v.Verify(h, []byte(`{"x":1}`))
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
			var he *HeaderError
			if !errors.Is(tt.want, ErrInvalidSignature) || errors.As(err, &he) {
				require.ErrorAs(t, err, &he)
				assert.Equal(t, "Passmint-Signature", he.Header)
			}
		})
	}
}

// A signature made for one scheme never verifies under another, neither
// with the headers as sent nor with the signature moved into the other
// scheme's header. PassLite and RemyPass are one algorithm (hex HMAC of the
// body) under two header names, so only their headers tell them apart.
func TestSchemesDoNotCrossVerify(t *testing.T) {
	now := time.Unix(1760000000, 0)
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	schemes := map[string]Scheme{
		"passmint":  Passmint(),
		"passlite":  PassLite(),
		"remypass":  RemyPass(),
		"standard":  StandardWebhooks(),
		"generic":   passinstanceLike(),
		"generichx": {Name: "hex-ts", SignatureHeader: "X-Signature", TimestampHeader: "X-Timestamp", Content: ContentTimestampBody},
	}
	body := []byte(`{"id":"evt_1","type":"pass.created","event":"pass.created","timestamp":"2025-10-09T08:53:20Z"}`)
	for from, fs := range schemes {
		signer, err := NewSigner(fs, secret)
		require.NoError(t, err)
		h, err := signer.Sign(body, now, &SignOptions{ID: "msg_1"})
		require.NoError(t, err)
		fs, _ = fs.normalize()
		for to, ts := range schemes {
			if from == to {
				continue
			}
			t.Run(from+"→"+to, func(t *testing.T) {
				v, err := NewVerifier(ts, []string{secret}, WithNow(func() time.Time { return now }))
				require.NoError(t, err)
				_, err = v.Verify(h, body)
				assert.Error(t, err, "headers as sent")

				if (from == "passlite" && to == "remypass") || (from == "remypass" && to == "passlite") {
					return // the same algorithm: only the header name differs
				}
				moved := h.Clone()
				moved.Set(v.Scheme().SignatureHeader, h.Get(fs.SignatureHeader))
				_, err = v.Verify(moved, body)
				assert.Error(t, err, "signature header moved")
			})
		}
	}
}

// passinstanceLike is a configurable scheme of the kind Passinstance lets
// subscribers set up: "X-Passinstance-Signature: sha256=<base64>" over
// "<timestamp>.<body>", the timestamp in its own header.
func passinstanceLike() Scheme {
	return Scheme{
		Name:            "passinstance",
		SignatureHeader: "x-passinstance-signature",
		Prefix:          "sha256=",
		Encoding:        EncodingBase64,
		TimestampHeader: "x-passinstance-timestamp",
		Content:         ContentTimestampBody,
	}
}

func TestConfigurableScheme(t *testing.T) {
	now := time.Unix(1760000000, 0)
	s, err := NewSigner(passinstanceLike(), "my-secret")
	require.NoError(t, err)
	body := []byte(`{"type":"pass.voided","id":"evt_9"}`)
	h, err := s.Sign(body, now, nil)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(h.Get("X-Passinstance-Signature"), "sha256="))
	assert.Equal(t, "1760000000", h.Get("X-Passinstance-Timestamp"))

	// The expected value, computed independently.
	want := hmacSHA256([]byte("my-secret"), []byte("1760000000."+string(body)))
	assert.Equal(t, "sha256="+base64.StdEncoding.EncodeToString(want), h.Get("X-Passinstance-Signature"))

	v, err := NewVerifier(passinstanceLike(), []string{"my-secret"}, WithNow(func() time.Time { return now }))
	require.NoError(t, err)
	_, err = v.Verify(h, body)
	require.NoError(t, err)

	noPrefix := h.Clone()
	noPrefix.Set("X-Passinstance-Signature", strings.TrimPrefix(h.Get("X-Passinstance-Signature"), "sha256="))
	_, err = v.Verify(noPrefix, body)
	require.ErrorIs(t, err, ErrMalformedHeader)

	noTS := h.Clone()
	noTS.Del("X-Passinstance-Timestamp")
	_, err = v.Verify(noTS, body)
	require.ErrorIs(t, err, ErrMalformedHeader)

	twoTS := h.Clone()
	twoTS.Add("X-Passinstance-Timestamp", "1760000000")
	_, err = v.Verify(twoTS, body)
	require.ErrorIs(t, err, ErrMalformedHeader)

	// A custom separator and id in the signed content.
	idScheme := Scheme{SignatureHeader: "Sig", IDHeader: "Delivery", TimestampHeader: "When", Content: ContentIDTimestampBody, Separator: ":"}
	s2, err := NewSigner(idScheme, "k")
	require.NoError(t, err)
	h2, err := s2.Sign(body, now, &SignOptions{ID: "d1"})
	require.NoError(t, err)
	assert.Equal(t, hex.EncodeToString(hmacSHA256([]byte("k"), []byte("d1:1760000000:"+string(body)))), h2.Get("Sig"))
	v2, err := NewVerifier(idScheme, []string{"k"}, WithNow(func() time.Time { return now }))
	require.NoError(t, err)
	d, err := v2.Verify(h2, body)
	require.NoError(t, err)
	assert.Equal(t, "d1", d.ID)
}

func TestSchemeValidation(t *testing.T) {
	tests := []struct {
		name   string
		scheme Scheme
		want   string
	}{
		{"no header", Scheme{}, "no SignatureHeader"},
		{"bad format", Scheme{SignatureHeader: "S", Format: 9}, "unknown Format"},
		{"bad encoding", Scheme{SignatureHeader: "S", Encoding: -1}, "unknown Encoding"},
		{"bad content", Scheme{SignatureHeader: "S", Content: 7}, "unknown Content"},
		{"bad key", Scheme{SignatureHeader: "S", Key: 3}, "unknown Key"},
		{"bad envelope", Scheme{SignatureHeader: "S", Envelope: 42}, "unknown Envelope"},
		{"prefix with timestamped", Scheme{SignatureHeader: "S", Format: FormatTimestamped, Prefix: "x"}, "Prefix"},
		{"two timestamps", Scheme{SignatureHeader: "S", Format: FormatTimestamped, TimestampHeader: "T"}, "TimestampHeader must be empty"},
		{"timestamp content without timestamp", Scheme{SignatureHeader: "S", Content: ContentTimestampBody}, "has none"},
		{"id content without id", Scheme{SignatureHeader: "S", TimestampHeader: "T", Content: ContentIDTimestampBody}, "IDHeader is empty"},
		{"comma separator", Scheme{SignatureHeader: "S", Format: FormatTimestamped, Content: ContentTimestampBody, Separator: ","}, "ambiguous"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewVerifier(tt.scheme, []string{"k"})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "webhook: scheme "), err.Error())
			_, err = NewSigner(tt.scheme, "k")
			require.Error(t, err)
		})
	}
	for _, opt := range []Option{WithTolerance(0), WithTolerance(-time.Second), WithNow(nil), WithMaxBodyBytes(0), WithMaxBodyBytes(1 << 40)} {
		_, err := NewVerifier(Passmint(), []string{"k"}, opt)
		assert.Error(t, err)
	}
}

func TestBodyLimit(t *testing.T) {
	now := time.Unix(1760000000, 0)
	s, err := NewSigner(PassLite(), "k")
	require.NoError(t, err)
	v, err := NewVerifier(PassLite(), []string{"k"}, WithMaxBodyBytes(100), WithNow(func() time.Time { return now }))
	require.NoError(t, err)
	atLimit := bytes.Repeat([]byte("x"), 100)
	over := bytes.Repeat([]byte("x"), 101)

	h, _ := s.Sign(atLimit, now, nil)
	_, err = v.Verify(h, atLimit)
	require.NoError(t, err)
	h, _ = s.Sign(over, now, nil)
	_, err = v.Verify(h, over)
	require.ErrorIs(t, err, ErrBodyTooLarge)

	for _, tt := range []struct {
		name          string
		body          []byte
		contentLength int64 // -1: unknown (chunked)
		want          error
	}{
		{"at limit", atLimit, 100, nil},
		{"at limit, chunked", atLimit, -1, nil},
		{"over, declared", over, 101, ErrBodyTooLarge},
		{"over, chunked", over, -1, ErrBodyTooLarge},
		{"over, lying content length", over, 10, ErrBodyTooLarge},
		{"empty", nil, 0, ErrInvalidSignature},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := s.Sign(tt.body, now, nil)
			if tt.body == nil {
				h, _ = s.Sign([]byte("other"), now, nil)
			}
			r := httptest.NewRequest(http.MethodPost, "/", io.MultiReader(bytes.NewReader(tt.body)))
			r.ContentLength = tt.contentLength
			r.Header = h
			d, err := v.VerifyRequest(r)
			if tt.want == nil {
				require.NoError(t, err)
				assert.Equal(t, tt.body, d.Body)
				return
			}
			require.ErrorIs(t, err, tt.want)
		})
	}

	r := httptest.NewRequest(http.MethodPost, "/", iotestErrReader{})
	r.Header = h
	_, err = v.VerifyRequest(r)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "webhook: reading body")
}

type iotestErrReader struct{}

func (iotestErrReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

// Secrets never show in formatted values or in errors.
func TestSecretsNeverPrinted(t *testing.T) {
	const secret = "whsec_SuperSecretValue123"
	v, err := NewVerifier(PassLite(), []string{secret})
	require.NoError(t, err)
	s, err := NewSigner(PassLite(), secret)
	require.NoError(t, err)
	secretHex := hex.EncodeToString([]byte(secret))
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%X", "%q"} {
		for _, val := range []any{v, *v, s, *s, []any{v, s}, struct{ V *Verifier }{v}} {
			out := fmt.Sprintf(verb, val)
			assert.NotContains(t, out, secret, verb)
			assert.NotContains(t, out, "SuperSecret", verb)
			assert.NotContains(t, strings.ToLower(out), secretHex[:16], verb)
			assert.NotContains(t, out, "83 117 112 101 114", verb) // "Super" as %d bytes
		}
	}
	h, err := NewHandler(v)
	require.NoError(t, err)
	var logs bytes.Buffer
	for _, lh := range []slog.Handler{slog.NewTextHandler(&logs, nil), slog.NewJSONHandler(&logs, nil)} {
		slog.New(lh).Info("webhook", "verifier", v, "signer", s, "handler", h, "v", *v, "s", *s)
	}
	assert.NotContains(t, logs.String(), "SuperSecret")
	assert.NotContains(t, strings.ToLower(logs.String()), secretHex[:16])
	assert.Contains(t, logs.String(), "passlite", "a log record still says which scheme")
	var js bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, nil)).Info("webhook", "verifier", v, "signer", s)
	assert.Contains(t, js.String(), `"verifier":"webhook.Verifier{scheme: passlite`, "a JSON log record says which scheme")
	assert.Contains(t, js.String(), `"signer":"webhook.Signer{scheme: passlite}"`)
	for _, verb := range []string{"%v", "%+v", "%#v", "%x"} {
		assert.NotContains(t, fmt.Sprintf(verb, h), "SuperSecret", verb)
	}
	assert.Equal(t, "webhook.Verifier{scheme: passlite, secrets: 1, tolerance: 5m0s, maxBodyBytes: 1048576}", fmt.Sprint(v))
	assert.Equal(t, "webhook.Signer{scheme: passlite}", fmt.Sprintf("%#v", s))

	// Errors of every kind carry neither the secret nor the expected signature.
	body := []byte(`{"event":"pass.created"}`)
	good, err := s.Sign(body, time.Now(), nil)
	require.NoError(t, err)
	expected := good.Get("X-Passlite-Signature")
	for _, h := range []http.Header{
		{},
		{"X-Passlite-Signature": {"zz"}},
		{"X-Passlite-Signature": {strings.Repeat("0", 64)}},
	} {
		_, err := v.Verify(h, body)
		require.Error(t, err)
		assert.NotContains(t, err.Error(), secret)
		assert.NotContains(t, err.Error(), expected)
	}
}

// hmacSHA256 computes the expected value with the standard library alone.
func hmacSHA256(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}

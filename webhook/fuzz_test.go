package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

var fuzzSchemes = []Scheme{Passmint(), PassLite(), RemyPass(), StandardWebhooks(), passinstanceLike()}

// FuzzVerifyHeaders feeds arbitrary header values to every scheme. Verify
// must not panic, must fail with one of the documented sentinels, and may
// only succeed when a candidate really is the HMAC of the signed content.
func FuzzVerifyHeaders(f *testing.F) {
	f.Add(uint8(0), "t=1760000000,v1=97d5a5d9d5e5eeec23db1def3ed2a9370f5a99e9e0fb0c74c88ef12d0cb5b1b7", "", "", []byte(`{"x":1}`))
	f.Add(uint8(1), "ca47e2234b5b73c5cdce2258078b038049dbd2037eec018e23ddbd25cf09cb64", "", "", []byte(`{"x":1}`))
	f.Add(uint8(2), "CA47E2234B5B73C5CDCE2258078B038049DBD2037EEC018E23DDBD25CF09CB64", "", "del_1", []byte(`{"x":1}`))
	f.Add(uint8(3), "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v2,abc", "1614265330", "msg_p5jXN8AQM9LWM0D4loKWxJek", []byte(`{"test": 2432232314}`))
	f.Add(uint8(3), "v1, v1,,", "16142653300000000", "msg", []byte{})
	f.Add(uint8(4), "sha256=AAAA", "1760000000", "", []byte(`{}`))
	f.Add(uint8(0), "t=,v1=,=,,", "", "", []byte(nil))
	f.Fuzz(func(t *testing.T, which uint8, sig, ts, id string, body []byte) {
		scheme := fuzzSchemes[int(which)%len(fuzzSchemes)]
		secret := "whsec_test"
		if scheme.Key == KeyBase64 {
			secret = swSecret
		}
		v, err := NewVerifier(scheme, []string{secret}, WithNow(func() time.Time { return time.Unix(1760000000, 0) }), WithTolerance(1<<62))
		if err != nil {
			t.Fatal(err)
		}
		sc := v.Scheme()
		h := http.Header{sc.SignatureHeader: {sig}}
		if sc.TimestampHeader != "" {
			h[sc.TimestampHeader] = []string{ts}
		}
		if sc.IDHeader != "" {
			h[sc.IDHeader] = []string{id}
		}
		_, err = v.Verify(h, body)
		if err != nil {
			for _, want := range []error{ErrMissingSignature, ErrMalformedHeader, ErrInvalidSignature, ErrTimestampOutsideTolerance, ErrBodyTooLarge} {
				if errors.Is(err, want) {
					return
				}
			}
			t.Fatalf("undocumented error: %v", err)
		}
		// Accepted: some candidate must equal an independently computed HMAC.
		var p parsed
		if err := parseHeaders(&sc, h, &p); err != nil {
			t.Fatalf("verified but headers do not parse: %v", err)
		}
		key, _ := sc.hmacKey([]byte(secret))
		want := hmacSHA256(key, append(appendSignedPrefix(nil, &sc, p.id, p.tsStr), body...))
		for i := 0; i < p.n; i++ {
			if hmac.Equal(want, p.sigs[i][:]) {
				return
			}
		}
		t.Fatalf("accepted a delivery whose signatures do not match")
	})
}

// FuzzParseHeaders checks the parser's bounds on arbitrary input.
func FuzzParseHeaders(f *testing.F) {
	f.Add(uint8(0), "t=1,v1=00,v1=11")
	f.Add(uint8(3), "v1,AAAA v1a,BBBB v2,")
	f.Add(uint8(4), "sha256=")
	f.Fuzz(func(t *testing.T, which uint8, value string) {
		sc, err := fuzzSchemes[int(which)%len(fuzzSchemes)].normalize()
		if err != nil {
			t.Fatal(err)
		}
		var p parsed
		h := http.Header{sc.SignatureHeader: {value}, sc.TimestampHeader: {"1"}, sc.IDHeader: {"id"}}
		err = parseHeaders(&sc, h, &p)
		if p.n > p.found || p.found > maxSignatures {
			t.Fatalf("n=%d found=%d", p.n, p.found)
		}
		var he *HeaderError
		if err != nil && !errors.As(err, &he) {
			t.Fatalf("not a *HeaderError: %v", err)
		}
	})
}

// FuzzHandler sends arbitrary deliveries to a Handler: it must answer with
// one of its documented statuses and dispatch only verified deliveries.
func FuzzHandler(f *testing.F) {
	now := time.Unix(1760000000, 0)
	signer, err := NewSigner(Passmint(), testSecret)
	if err != nil {
		f.Fatal(err)
	}
	for _, body := range []string{
		`{"id":"evt_1","type":"pass.installed"}`,
		`{"id":"evt_2","type":"pass.unknown","data":[1,2]}`,
		`{"id":"","type":"pass.installed"}`,
		`{"id":"evt_3","type":"pass.installed","created_at":"not a time"}`,
		`[]`,
	} {
		h, err := signer.Sign([]byte(body), now, nil)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(h.Get("Passmint-Signature"), []byte(body))
	}
	f.Add("t=1760000000,v1=00", []byte(`{}`))
	v, err := NewVerifier(Passmint(), []string{testSecret}, WithNow(func() time.Time { return now }))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, sig string, body []byte) {
		handler, err := NewHandler(v)
		if err != nil {
			t.Fatal(err)
		}
		dispatched := false
		handler.OnOther(func(ctx context.Context, e *Event) error { dispatched = true; return nil })
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		r.Header.Set("Passmint-Signature", sig)
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		switch w.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("status %d", w.Code)
		}
		if _, verr := v.Verify(r.Header, body); verr != nil && (dispatched || w.Code == http.StatusOK) {
			t.Fatalf("status %d, dispatched %v for a delivery that does not verify: %v", w.Code, dispatched, verr)
		}
	})
}

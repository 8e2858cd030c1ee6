package webhook_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/passforge/passforge/webhook"
)

// Verify a Passmint delivery: the published test vector.
func ExampleVerifier_Verify() {
	v, err := webhook.NewVerifier(webhook.Passmint(), []string{"whsec_test"},
		webhook.WithNow(func() time.Time { return time.Unix(1760000100, 0) }))
	if err != nil {
		panic(err)
	}
	header := http.Header{}
	header.Set("Passmint-Signature", "t=1760000000,v1=97d5a5d9d5e5eeec23db1def3ed2a9370f5a99e9e0fb0c74c88ef12d0cb5b1b7")

	d, err := v.Verify(header, []byte(`{"x":1}`))
	fmt.Println(d.Timestamp.Format(time.RFC3339), err)

	_, err = v.Verify(header, []byte(`{"x":2}`))
	fmt.Println(errors.Is(err, webhook.ErrInvalidSignature))
	// Output:
	// 2025-10-09T08:53:20Z <nil>
	// true
}

// Sign a delivery the way Passmint does.
func ExampleSigner_Sign() {
	s, err := webhook.NewSigner(webhook.Passmint(), "whsec_test")
	if err != nil {
		panic(err)
	}
	h, err := s.Sign([]byte(`{"x":1}`), time.Unix(1760000000, 0), nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(h.Get("Passmint-Signature"))
	// Output:
	// t=1760000000,v1=97d5a5d9d5e5eeec23db1def3ed2a9370f5a99e9e0fb0c74c88ef12d0cb5b1b7
}

// Describe a sender whose scheme is not built in, such as a Passinstance
// subscription whose receiver expects "X-Signature: sha256=<hex>" over
// "<timestamp>.<body>" with the timestamp in "X-Timestamp". The signature
// printed is the one openssl computes:
//
//	printf '%s' '1760000000.{"type":"pass.voided"}' | openssl dgst -sha256 -hmac my-secret
func ExampleScheme() {
	scheme := webhook.Scheme{
		Name:            "passinstance",
		SignatureHeader: "X-Signature",
		Prefix:          "sha256=",
		Encoding:        webhook.EncodingHex,
		TimestampHeader: "X-Timestamp",
		Content:         webhook.ContentTimestampBody,
	}
	at := time.Unix(1760000000, 0)
	s, _ := webhook.NewSigner(scheme, "my-secret")
	h, _ := s.Sign([]byte(`{"type":"pass.voided"}`), at, nil)
	fmt.Println(h.Get("X-Timestamp"), h.Get("X-Signature"))

	v, _ := webhook.NewVerifier(scheme, []string{"my-old-secret", "my-secret"},
		webhook.WithNow(func() time.Time { return at }))
	_, err := v.Verify(h, []byte(`{"type":"pass.voided"}`))
	fmt.Println(err)
	// Output:
	// 1760000000 sha256=5547bf3d43bbbc9bd23f1160739f18db2a8f74d65a285abe5ff13ad77a822a58
	// <nil>
}

// Receive PassLite deliveries over HTTP: verify, parse, drop replays, dispatch.
func ExampleHandler() {
	const secret = "whsec_test"
	v, err := webhook.NewVerifier(webhook.PassLite(), []string{secret})
	if err != nil {
		panic(err)
	}
	h, err := webhook.NewHandler(v)
	if err != nil {
		panic(err)
	}
	h.On(webhook.PassLitePassRedeemed, func(ctx context.Context, e *webhook.Event) error {
		fmt.Printf("redeemed: %s\n", e.Data)
		return nil
	})
	srv := httptest.NewServer(h) // in production: http.Handle("/webhooks/passlite", h)
	defer srv.Close()

	// A delivery as PassLite sends it, signed with the shared secret.
	signer, _ := webhook.NewSigner(webhook.PassLite(), secret)
	now := time.Now().UTC().Format(time.RFC3339)
	body := []byte(`{"event":"pass.redeemed","timestamp":"` + now + `","data":{"id":"pass_abc123"}}`)
	for range 2 { // the second is a replay: acknowledged, not dispatched
		req, _ := signer.NewRequest(context.Background(), srv.URL, body, time.Now(), nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println(resp.Status)
	}
	// Output:
	// redeemed: {"id":"pass_abc123"}
	// 200 OK
	// 200 OK
}

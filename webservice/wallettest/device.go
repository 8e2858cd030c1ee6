package wallettest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/passforge/passforge/internal/termsafe"
	"github.com/passforge/passforge/sign"
)

// MaxBody is the most of a response body a Device reads. A .pkpass served by
// a web service is bounded by sign.DefaultMaxTotalSize; anything longer is
// cut and reported.
const MaxBody = sign.DefaultMaxTotalSize + 1<<20

// Target is the pass a device holds: what Wallet reads from pass.json to talk
// to the pass's web service.
type Target struct {
	// WebServiceURL is the pass's webServiceURL; every endpoint is
	// WebServiceURL + "/v1/...".
	WebServiceURL string
	// AuthenticationToken is the pass's authenticationToken, sent as
	// "Authorization: ApplePass <token>".
	AuthenticationToken string
	// PassTypeIdentifier is the pass's passTypeIdentifier.
	PassTypeIdentifier string
	// SerialNumber is the pass's serialNumber.
	SerialNumber string
	// Signer is the certificate that signed the pass; nil if the signature
	// could not be read. A served version must be signed by the same
	// certificate unless Options.Roots says whom to trust.
	Signer *x509.Certificate
}

// ReadTarget reads the web service details of a signed .pkpass. The pass's
// signature is read but its chain is not required to verify (development
// passes do not chain to Apple); pass.json must parse and name a
// webServiceURL, an authenticationToken, a passTypeIdentifier and a
// serialNumber.
func ReadTarget(pkpass []byte) (*Target, error) {
	pkg, err := sign.ReadBytes(pkpass, nil)
	if pkg == nil || pkg.Pass == nil {
		if err == nil {
			err = errors.New("no pass.json")
		}
		return nil, fmt.Errorf("wallettest: cannot read the pass: %w", err)
	}
	p := pkg.Pass
	t := &Target{
		WebServiceURL:       p.WebServiceURL,
		AuthenticationToken: p.AuthenticationToken,
		PassTypeIdentifier:  p.PassTypeIdentifier,
		SerialNumber:        p.SerialNumber,
	}
	if pkg.Signature != nil {
		t.Signer = pkg.Signature.Signer
	}
	var missing []string
	for _, f := range []struct{ name, v string }{
		{"webServiceURL", t.WebServiceURL}, {"authenticationToken", t.AuthenticationToken},
		{"passTypeIdentifier", t.PassTypeIdentifier}, {"serialNumber", t.SerialNumber},
	} {
		if f.v == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("wallettest: pass.json has no %s: the pass is not updatable", strings.Join(missing, ", "))
	}
	u, err := url.Parse(t.WebServiceURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("wallettest: pass.json webServiceURL %q is not an http(s) URL", t.WebServiceURL)
	}
	return t, nil
}

// Response is one answer of the web service.
type Response struct {
	// Status is the HTTP status code.
	Status int
	// Header holds the response headers.
	Header http.Header
	// Body is the response body, at most MaxBody bytes.
	Body []byte
	// Latency is the time from sending the request to reading the whole
	// body.
	Latency time.Duration
}

// Device is one simulated Wallet device holding one pass. Its methods call
// one endpoint each and return the raw answer; they fail only when no HTTP
// answer came (network error, context done). A Device is not safe for
// concurrent use; run one per goroutine.
type Device struct {
	// ID is the device's deviceLibraryIdentifier.
	ID string
	// PushToken is the APNs push token the device registers with (hex).
	PushToken string
	// Target is the pass the device holds.
	Target Target
	// Tag is the lastUpdated tag Sync last got ("" before the first).
	Tag string
	// Modified is the Last-Modified of the version Sync last fetched.
	Modified time.Time
	// Data is the .pkpass Sync last fetched.
	Data []byte

	client *http.Client
}

// NewDevice returns a device holding the pass t, with a random
// deviceLibraryIdentifier and push token, talking through client (if nil,
// a client with a 30-second timeout).
func NewDevice(t Target, client *http.Client) *Device {
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	return &Device{ID: randomHex(16), PushToken: randomHex(32), Target: t, client: client}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// URL returns the absolute URL of the endpoint at path below "v1/", each
// segment escaped: d.URL("log"), d.URL("passes", ptid, serial).
func (d *Device) URL(segments ...string) string {
	var b strings.Builder
	b.WriteString(strings.TrimRight(d.Target.WebServiceURL, "/"))
	b.WriteString("/v1")
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}

// Do sends one request to rawURL with body (nil for none, sent as
// application/json otherwise) and the given Authorization header ("" for
// none) and extra headers, and reads the answer.
func (d *Device) Do(ctx context.Context, method, rawURL string, body []byte, authorization string, header http.Header) (*Response, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, r)
	if err != nil {
		return nil, fmt.Errorf("wallettest: %s %s: %w", method, rawURL, err)
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	start := time.Now()
	resp, err := d.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("wallettest: %s %s: %w", method, redactURL(rawURL), err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody))
	if err != nil {
		return nil, fmt.Errorf("wallettest: %s %s: reading the answer: %w", method, redactURL(rawURL), err)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: b, Latency: time.Since(start)}, nil
}

// redactURL drops the query of a URL for an error message.
func redactURL(s string) string {
	if i := strings.IndexByte(s, '?'); i >= 0 {
		return s[:i]
	}
	return s
}

// auth is the Authorization header of the device's pass.
func (d *Device) auth() string { return "ApplePass " + d.Target.AuthenticationToken }

// registrationURL is the register/unregister endpoint of the device's pass.
func (d *Device) registrationURL() string {
	return d.URL("devices", d.ID, "registrations", d.Target.PassTypeIdentifier, d.Target.SerialNumber)
}

// Register registers the device for updates of its pass with its push
// token: 201 the first time, 200 after.
func (d *Device) Register(ctx context.Context) (*Response, error) {
	body, _ := json.Marshal(map[string]string{"pushToken": d.PushToken})
	return d.Do(ctx, http.MethodPost, d.registrationURL(), body, d.auth(), nil)
}

// Unregister removes the device's registration (200).
func (d *Device) Unregister(ctx context.Context) (*Response, error) {
	return d.Do(ctx, http.MethodDelete, d.registrationURL(), nil, d.auth(), nil)
}

// Serials lists the serial numbers of the device's pass type that changed
// since the tag since ("" for all registered): 200 with a JSON body or 204.
// It sends no Authorization header, as Wallet does.
func (d *Device) Serials(ctx context.Context, since string) (*Response, error) {
	u := d.URL("devices", d.ID, "registrations", d.Target.PassTypeIdentifier)
	if since != "" {
		u += "?passesUpdatedSince=" + url.QueryEscape(since)
	}
	return d.Do(ctx, http.MethodGet, u, nil, "", nil)
}

// Pass fetches the latest version of the device's pass, with
// If-Modified-Since when ifModifiedSince is not zero: 200 with the .pkpass,
// or 304.
func (d *Device) Pass(ctx context.Context, ifModifiedSince time.Time) (*Response, error) {
	var h http.Header
	if !ifModifiedSince.IsZero() {
		h = http.Header{"If-Modified-Since": {ifModifiedSince.UTC().Format(http.TimeFormat)}}
	}
	return d.Do(ctx, http.MethodGet, d.URL("passes", d.Target.PassTypeIdentifier, d.Target.SerialNumber), nil, d.auth(), h)
}

// Log posts messages to the log endpoint, as Wallet reports its errors.
func (d *Device) Log(ctx context.Context, messages ...string) (*Response, error) {
	if messages == nil {
		messages = []string{}
	}
	body, _ := json.Marshal(map[string][]string{"logs": messages})
	return d.Do(ctx, http.MethodPost, d.URL("log"), body, "", nil)
}

// SerialNumbers is the body of a 200 answer of the list endpoint.
type SerialNumbers struct {
	// SerialNumbers are the changed passes' serial numbers.
	SerialNumbers []string
	// LastUpdated is the tag to send as passesUpdatedSince next time.
	LastUpdated string
}

// ParseSerialNumbers reads a list endpoint body strictly: a JSON object whose
// serialNumbers is an array of strings and whose lastUpdated is a JSON string
// (a number makes Wallet stop fetching updates).
func ParseSerialNumbers(body []byte) (*SerialNumbers, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("body is not a JSON object: %v", err)
	}
	var out SerialNumbers
	sn, ok := raw["serialNumbers"]
	if !ok {
		return nil, errors.New("body has no serialNumbers")
	}
	if err := json.Unmarshal(sn, &out.SerialNumbers); err != nil || out.SerialNumbers == nil {
		return nil, fmt.Errorf("serialNumbers is not an array of strings: %s", clip(string(sn), 80))
	}
	lu, ok := raw["lastUpdated"]
	if !ok {
		return nil, errors.New("body has no lastUpdated")
	}
	if len(lu) == 0 || lu[0] != '"' {
		return nil, fmt.Errorf("lastUpdated is %s, not a JSON string (Wallet then never fetches the changed passes)", clip(string(lu), 40))
	}
	if err := json.Unmarshal(lu, &out.LastUpdated); err != nil {
		return nil, fmt.Errorf("lastUpdated: %v", err)
	}
	if out.LastUpdated == "" {
		return nil, errors.New("lastUpdated is an empty string")
	}
	return &out, nil
}

// clip cuts s to about n bytes for a message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Poll lists the serial numbers of the device's pass type changed since
// d.Tag and keeps the new tag in d: nil for 204. An answer the protocol does
// not allow (a status other than 200 or 204, a lastUpdated that is not a
// JSON string) is an error.
func (d *Device) Poll(ctx context.Context) ([]string, error) {
	r, err := d.Serials(ctx, d.Tag)
	if err != nil {
		return nil, err
	}
	switch r.Status {
	case http.StatusNoContent:
		return nil, nil
	case http.StatusOK:
	default:
		return nil, fmt.Errorf("wallettest: list serials: got %s, want 200 or 204", describe(r))
	}
	sn, err := ParseSerialNumbers(r.Body)
	if err != nil {
		return nil, fmt.Errorf("wallettest: list serials: %s", termsafe.Escape(err.Error()))
	}
	d.Tag = sn.LastUpdated
	return sn.SerialNumbers, nil
}

// Fetch fetches the device's pass with If-Modified-Since d.Modified and, on
// 200, keeps its Last-Modified and .pkpass in d. It returns the answer (200
// or 304); any other status, or a 200 without a valid Last-Modified, is an
// error.
func (d *Device) Fetch(ctx context.Context) (*Response, error) {
	r, err := d.Pass(ctx, d.Modified)
	if err != nil {
		return nil, err
	}
	switch r.Status {
	case http.StatusNotModified:
		return r, nil
	case http.StatusOK:
	default:
		return nil, fmt.Errorf("wallettest: fetch the pass: got %s, want 200 or 304", describe(r))
	}
	lm, err := http.ParseTime(r.Header.Get("Last-Modified"))
	if err != nil {
		return nil, fmt.Errorf("wallettest: fetch the pass: no valid Last-Modified (%q)", termsafe.Escape(r.Header.Get("Last-Modified")))
	}
	d.Modified, d.Data = lm, r.Body
	return r, nil
}

// Sync does what Wallet does after a push: it polls (see Poll) and, when its
// pass is among the changed serials, fetches it (see Fetch). It keeps the new
// tag, Last-Modified and .pkpass in d and reports whether a new version
// arrived. An answer the protocol does not allow is an error.
func (d *Device) Sync(ctx context.Context) (updated bool, err error) {
	serials, err := d.Poll(ctx)
	if err != nil || !slices.Contains(serials, d.Target.SerialNumber) {
		return false, err
	}
	r, err := d.Fetch(ctx)
	if err != nil {
		return false, err
	}
	return r.Status == http.StatusOK, nil
}

package wallettest

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/passforge/passforge/internal/termsafe"
	"github.com/passforge/passforge/sign"
)

// Result is the outcome of one named check.
type Result struct {
	// Name names the protocol rule checked, such as
	// "serials: lastUpdated is a JSON string".
	Name string `json:"check"`
	// OK reports whether the service followed the rule.
	OK bool `json:"ok"`
	// Detail says what was seen: the status, or why the rule is broken.
	// Text from the service in it is escaped for a terminal.
	Detail string `json:"detail"`
}

// Report is the outcome of Check or CheckUpdate: every check in the order
// it ran.
type Report struct {
	// Target is the pass the devices held.
	Target *Target `json:"-"`
	// Results holds each check's outcome.
	Results []Result `json:"results"`
}

// OK reports whether every check passed.
func (r *Report) OK() bool { return len(r.Failed()) == 0 }

// Failed returns the checks that did not pass.
func (r *Report) Failed() []Result {
	var out []Result
	for _, c := range r.Results {
		if !c.OK {
			out = append(out, c)
		}
	}
	return out
}

// Result returns the outcome of the check called name.
func (r *Report) Result(name string) (Result, bool) {
	for _, c := range r.Results {
		if c.Name == name {
			return c, true
		}
	}
	return Result{}, false
}

// Options configure Check and CheckUpdate. A nil *Options is the same as
// the zero value.
type Options struct {
	// Client sends the devices' requests. If nil, a client with a 30-second
	// timeout.
	Client *http.Client
	// Roots are the trust anchors a served pass's signer must chain to. If
	// nil, a served pass must verify against Apple Root CA or be signed by
	// the same certificate as the pass given to Check (a development
	// identity's passes do not chain to Apple).
	Roots *x509.CertPool
}

func (o *Options) client() *http.Client {
	if o == nil {
		return nil
	}
	return o.Client
}

// checker accumulates results.
type checker struct {
	rep  *Report
	opts *Options
}

func (c *checker) add(name string, ok bool, format string, a ...any) bool {
	c.rep.Results = append(c.rep.Results, Result{Name: name, OK: ok, Detail: fmt.Sprintf(format, a...)})
	return ok
}

// netFail records a check that got no HTTP answer.
func (c *checker) netFail(name string, err error) {
	c.add(name, false, "no answer: %s", termsafe.Escape(err.Error()))
}

// describe says what a response was: its status and, for a small text body,
// the start of the body, escaped.
func describe(r *Response) string {
	s := strconv.Itoa(r.Status)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if len(r.Body) > 0 && (strings.HasPrefix(ct, "text/") || strings.HasSuffix(ct, "json")) {
		s += " " + termsafe.Escape(clip(string(bytes.TrimSpace(r.Body)), 160))
	}
	return s
}

// status checks that r has one of the wanted statuses.
func (c *checker) status(name string, r *Response, err error, want ...int) bool {
	if err != nil {
		c.netFail(name, err)
		return false
	}
	if slices.Contains(want, r.Status) {
		return c.add(name, true, "%d", r.Status)
	}
	wants := make([]string, len(want))
	for i, w := range want {
		wants[i] = strconv.Itoa(w)
	}
	return c.add(name, false, "got %s, want %s", describe(r), strings.Join(wants, " or "))
}

func mediaType(r *Response) string {
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return ct
}

// Check names, in the order Check runs them.
const (
	CheckRegisterWrongToken   = "register: wrong token is 401"
	CheckRegisterNoToken      = "register: missing token is 401"
	CheckRegisterUnknown      = "register: unknown serial is refused (401 or 404)"
	CheckRegisterNew          = "register: new registration is 201"
	CheckRegisterAgain        = "register: repeated registration is 200"
	CheckRegisterNewToken     = "register: again with a new push token is 200"
	CheckRegisterMalformed    = "register: malformed body is 400"
	CheckRegistrationMethod   = "registration: wrong method is refused (405)"
	CheckRegisterSecond       = "register: a second device for the pass is 201"
	CheckSerialsAll           = "serials: without a tag, 200 listing the pass"
	CheckSerialsContentType   = "serials: Content-Type is application/json"
	CheckSerialsTagString     = "serials: lastUpdated is a JSON string"
	CheckSerialsUnchanged     = "serials: nothing changed since the tag is 204"
	CheckSerialsForward       = "serials: tags never move backwards"
	CheckSerialsUnknownDevice = "serials: a device with no registrations gets 204"
	CheckPassFetch            = "pass: 200 with application/vnd.apple.pkpass"
	CheckPassLastModified     = "pass: Last-Modified present"
	CheckPassValid            = "pass: served pass is a valid signed .pkpass"
	CheckPassSame             = "pass: same passTypeIdentifier, serialNumber and authenticationToken"
	CheckPassNotModified      = "pass: If-Modified-Since the current version is 304"
	CheckPassOlder            = "pass: an older If-Modified-Since gets the pass"
	CheckPassWrongToken       = "pass: wrong token is 401"
	CheckPassNoToken          = "pass: missing token is 401"
	CheckPassUnknown          = "pass: unknown serial is refused (401 or 404)"
	CheckPassMethod           = "pass: wrong method is refused (405)"
	CheckLog                  = "log: messages accepted with 200"
	CheckLogMalformed         = "log: malformed body is 400"
	CheckUnregisterWrongToken = "unregister: wrong token is 401"
	CheckUnregister           = "unregister: 200"
	CheckUnregisterGone       = "unregister: the device no longer lists the pass (204)"
	CheckUnregisterOthersKept = "unregister: the second device still lists the pass"
)

// Check plays a Wallet device against the web service of the signed pass
// pkpass and checks every answer against the protocol. It returns an error
// only when the pass cannot be read or names no web service; a service that
// breaks a rule, or cannot be reached, gives failed checks in the report.
// The device it registers is unregistered at the end.
func Check(ctx context.Context, pkpass []byte, opts *Options) (*Report, error) {
	t, err := ReadTarget(pkpass)
	if err != nil {
		return nil, err
	}
	return CheckTarget(ctx, *t, opts), nil
}

// CheckTarget is Check for a pass already read with ReadTarget.
func CheckTarget(ctx context.Context, t Target, opts *Options) *Report {
	c := &checker{rep: &Report{Target: &t}, opts: opts}
	d := NewDevice(t, opts.client())
	wrong := "ApplePass " + wrongToken(t.AuthenticationToken)
	regURL := d.registrationURL()
	pushBody := []byte(`{"pushToken":"` + d.PushToken + `"}`)

	// Registration: the negative cases first, while nothing is registered.
	r, err := d.Do(ctx, http.MethodPost, regURL, pushBody, wrong, nil)
	c.status(CheckRegisterWrongToken, r, err, http.StatusUnauthorized)
	r, err = d.Do(ctx, http.MethodPost, regURL, pushBody, "", nil)
	c.status(CheckRegisterNoToken, r, err, http.StatusUnauthorized)
	unknownSerial := "wallettest-no-such-serial-" + randomHex(4)
	r, err = d.Do(ctx, http.MethodPost, d.URL("devices", d.ID, "registrations", t.PassTypeIdentifier, unknownSerial), pushBody, d.auth(), nil)
	c.status(CheckRegisterUnknown, r, err, http.StatusUnauthorized, http.StatusNotFound)

	r, err = d.Register(ctx)
	c.status(CheckRegisterNew, r, err, http.StatusCreated)
	defer func() {
		// Leave nothing behind even when the checks stopped early.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_, _ = d.Unregister(cctx)
	}()
	r, err = d.Register(ctx)
	c.status(CheckRegisterAgain, r, err, http.StatusOK)
	// Wallet registers again when the device's push token changes: the
	// same registration, with the token replaced.
	d.PushToken = randomHex(32)
	r, err = d.Register(ctx)
	c.status(CheckRegisterNewToken, r, err, http.StatusOK)
	r, err = d.Do(ctx, http.MethodPost, regURL, []byte(`{"pushToken": `), d.auth(), nil)
	c.status(CheckRegisterMalformed, r, err, http.StatusBadRequest)
	r, err = d.Do(ctx, http.MethodPut, regURL, pushBody, d.auth(), nil)
	c.status(CheckRegistrationMethod, r, err, http.StatusMethodNotAllowed)

	// A second device holding the same pass has a registration of its own.
	second := NewDevice(t, opts.client())
	r, err = second.Register(ctx)
	c.status(CheckRegisterSecond, r, err, http.StatusCreated)
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_, _ = second.Unregister(cctx)
	}()

	// The list of serials.
	tag := c.serialsAll(ctx, d)
	if tag != "" {
		r, err = d.Serials(ctx, tag)
		c.unchanged(CheckSerialsUnchanged, r, err, tag)
		// Listing everything again must not give an older tag.
		r, err = d.Serials(ctx, "")
		if err != nil {
			c.netFail(CheckSerialsForward, err)
		} else if sn, perr := ParseSerialNumbers(r.Body); r.Status != http.StatusOK || perr != nil {
			c.add(CheckSerialsForward, false, "listing all again: got %s", describe(r))
		} else if less, _ := tagLess(sn.LastUpdated, tag); less {
			c.add(CheckSerialsForward, false, "listing all again gave lastUpdated %q, older than %q", termsafe.Escape(sn.LastUpdated), termsafe.Escape(tag))
		} else {
			c.add(CheckSerialsForward, true, "%q then %q", termsafe.Escape(tag), termsafe.Escape(sn.LastUpdated))
		}
	} else {
		c.add(CheckSerialsUnchanged, false, "no lastUpdated tag to ask with")
		c.add(CheckSerialsForward, false, "no lastUpdated tag to compare")
	}
	other := NewDevice(t, opts.client())
	r, err = other.Serials(ctx, "")
	c.status(CheckSerialsUnknownDevice, r, err, http.StatusNoContent)

	// The pass.
	modified := c.fetch(ctx, d, time.Time{}, CheckPassFetch, CheckPassLastModified, CheckPassValid, CheckPassSame, nil)
	if !modified.IsZero() {
		r, err = d.Pass(ctx, modified)
		c.notModified(CheckPassNotModified, r, err)
		r, err = d.Pass(ctx, modified.Add(-time.Second))
		switch {
		case err == nil && r.Status == http.StatusNotModified:
			c.add(CheckPassOlder, false, "304 for an If-Modified-Since a second before Last-Modified: devices holding the older version never update")
		case err == nil && r.Status == http.StatusOK && len(r.Body) == 0:
			c.add(CheckPassOlder, false, "200 with an empty body")
		default:
			c.status(CheckPassOlder, r, err, http.StatusOK)
		}
	} else {
		c.add(CheckPassNotModified, false, "no Last-Modified to send as If-Modified-Since")
		c.add(CheckPassOlder, false, "no Last-Modified to send an older If-Modified-Since")
	}
	passURL := d.URL("passes", t.PassTypeIdentifier, t.SerialNumber)
	r, err = d.Do(ctx, http.MethodGet, passURL, nil, wrong, nil)
	c.status(CheckPassWrongToken, r, err, http.StatusUnauthorized)
	r, err = d.Do(ctx, http.MethodGet, passURL, nil, "", nil)
	c.status(CheckPassNoToken, r, err, http.StatusUnauthorized)
	r, err = d.Do(ctx, http.MethodGet, d.URL("passes", t.PassTypeIdentifier, unknownSerial), nil, d.auth(), nil)
	c.status(CheckPassUnknown, r, err, http.StatusUnauthorized, http.StatusNotFound)
	// PUT, not DELETE: a service with more routes than the protocol must
	// not lose the pass to a check.
	r, err = d.Do(ctx, http.MethodPut, passURL, nil, d.auth(), nil)
	c.status(CheckPassMethod, r, err, http.StatusMethodNotAllowed)

	// The log.
	r, err = d.Log(ctx, "passforge wallettest: a test message from a simulated Wallet device")
	c.status(CheckLog, r, err, http.StatusOK)
	r, err = d.Do(ctx, http.MethodPost, d.URL("log"), []byte(`{"logs": [`), "", nil)
	c.status(CheckLogMalformed, r, err, http.StatusBadRequest)

	// Unregistering.
	r, err = d.Do(ctx, http.MethodDelete, regURL, nil, wrong, nil)
	c.status(CheckUnregisterWrongToken, r, err, http.StatusUnauthorized)
	r, err = d.Unregister(ctx)
	c.status(CheckUnregister, r, err, http.StatusOK)
	r, err = d.Serials(ctx, "")
	c.status(CheckUnregisterGone, r, err, http.StatusNoContent)
	r, err = second.Serials(ctx, "")
	switch {
	case err != nil:
		c.netFail(CheckUnregisterOthersKept, err)
	case r.Status != http.StatusOK:
		c.add(CheckUnregisterOthersKept, false, "got %s, want 200 listing %q: unregistering one device removed another's registration", describe(r), termsafe.Escape(t.SerialNumber))
	default:
		sn, perr := ParseSerialNumbers(r.Body)
		c.add(CheckUnregisterOthersKept, perr == nil && slices.Contains(sn.SerialNumbers, t.SerialNumber), "%s", describe(r))
	}
	return c.rep
}

// serialsAll lists every registered serial and checks the answer; it
// returns the lastUpdated tag, "" when there is none to go on with.
func (c *checker) serialsAll(ctx context.Context, d *Device) string {
	r, err := d.Serials(ctx, "")
	if err != nil {
		c.netFail(CheckSerialsAll, err)
		c.add(CheckSerialsContentType, false, "no answer")
		c.add(CheckSerialsTagString, false, "no answer")
		return ""
	}
	if r.Status != http.StatusOK {
		c.add(CheckSerialsAll, false, "got %s, want 200 listing %q", describe(r), termsafe.Escape(d.Target.SerialNumber))
		c.add(CheckSerialsContentType, false, "no 200 answer")
		c.add(CheckSerialsTagString, false, "no 200 answer")
		return ""
	}
	sn, perr := ParseSerialNumbers(r.Body)
	switch {
	case perr == nil && slices.Contains(sn.SerialNumbers, d.Target.SerialNumber):
		c.add(CheckSerialsAll, true, "200, %d serial(s)", len(sn.SerialNumbers))
	case perr == nil:
		c.add(CheckSerialsAll, false, "200 without %q: %s", termsafe.Escape(d.Target.SerialNumber), termsafe.Escape(clip(strings.Join(sn.SerialNumbers, ", "), 120)))
	default:
		c.add(CheckSerialsAll, !strings.Contains(perr.Error(), "serialNumbers") && slices.Contains(looseSerials(r.Body), d.Target.SerialNumber),
			"200, body %s", termsafe.Escape(clip(string(r.Body), 120)))
	}
	if ct := mediaType(r); ct == "application/json" {
		c.add(CheckSerialsContentType, true, "%s", ct)
	} else {
		c.add(CheckSerialsContentType, false, "Content-Type %q", termsafe.Escape(r.Header.Get("Content-Type")))
	}
	if perr != nil {
		c.add(CheckSerialsTagString, false, "%s", termsafe.Escape(perr.Error()))
		return ""
	}
	c.add(CheckSerialsTagString, true, "lastUpdated %q", termsafe.Escape(sn.LastUpdated))
	return sn.LastUpdated
}

// looseSerials reads serialNumbers from a body whose lastUpdated is broken.
func looseSerials(body []byte) []string {
	var v struct {
		SerialNumbers []string `json:"serialNumbers"`
	}
	_ = json.Unmarshal(body, &v)
	return v.SerialNumbers
}

// unchanged checks a list answer for a tag nothing changed since: 204.
func (c *checker) unchanged(name string, r *Response, err error, tag string) {
	if err != nil {
		c.netFail(name, err)
		return
	}
	switch r.Status {
	case http.StatusNoContent:
		c.add(name, true, "204 for passesUpdatedSince=%s", termsafe.Escape(tag))
	case http.StatusOK:
		sn, perr := ParseSerialNumbers(r.Body)
		switch {
		case perr == nil && len(sn.SerialNumbers) == 0:
			c.add(name, false, "200 with an empty list for passesUpdatedSince=%s; the protocol answer is 204", termsafe.Escape(tag))
		case perr == nil:
			c.add(name, false, "200 listing %s as changed since %s, which it was not", termsafe.Escape(clip(strings.Join(sn.SerialNumbers, ", "), 80)), termsafe.Escape(tag))
		default:
			c.add(name, false, "200 for passesUpdatedSince=%s: %s", termsafe.Escape(tag), termsafe.Escape(perr.Error()))
		}
	default:
		c.add(name, false, "got %s for passesUpdatedSince=%s, want 204", describe(r), termsafe.Escape(tag))
	}
}

// notModified checks a conditional GET that must answer 304 with no body.
func (c *checker) notModified(name string, r *Response, err error) {
	if err != nil {
		c.netFail(name, err)
		return
	}
	switch {
	case r.Status == http.StatusOK:
		c.add(name, false, "200 with the full unchanged pass: the service ignores If-Modified-Since")
	case r.Status != http.StatusNotModified:
		c.add(name, false, "got %s, want 304", describe(r))
	case len(r.Body) > 0:
		c.add(name, false, "304 with a %d-byte body", len(r.Body))
	default:
		c.add(name, true, "304")
	}
}

// fetch GETs the pass (with If-Modified-Since ims unless zero), runs the
// fetch, Last-Modified, validity and identity checks under the names given,
// and returns the Last-Modified time (zero when absent). When body is not
// nil it receives the pass.json of the served pass.
func (c *checker) fetch(ctx context.Context, d *Device, ims time.Time, nFetch, nLM, nValid, nSame string, passJSON *[]byte) time.Time {
	r, err := d.Pass(ctx, ims)
	if err != nil {
		c.netFail(nFetch, err)
		c.add(nLM, false, "no answer")
		c.add(nValid, false, "no answer")
		c.add(nSame, false, "no answer")
		return time.Time{}
	}
	ok := r.Status == http.StatusOK
	switch {
	case r.Status == http.StatusNotModified && !ims.IsZero():
		c.add(nFetch, false, "304 for If-Modified-Since %s: the new version is not served", ims.UTC().Format(http.TimeFormat))
	case !ok:
		c.add(nFetch, false, "got %s, want 200", describe(r))
	case mediaType(r) != "application/vnd.apple.pkpass":
		c.add(nFetch, false, "200 with Content-Type %q, want application/vnd.apple.pkpass", termsafe.Escape(r.Header.Get("Content-Type")))
	default:
		c.add(nFetch, true, "200, %d bytes", len(r.Body))
	}
	var modified time.Time
	if lm := r.Header.Get("Last-Modified"); lm == "" {
		c.add(nLM, false, "no Last-Modified header: devices cannot ask If-Modified-Since and download the whole pass every time")
	} else if t, perr := http.ParseTime(lm); perr != nil {
		c.add(nLM, false, "Last-Modified %q is not an HTTP date", termsafe.Escape(lm))
	} else {
		modified = t
		c.add(nLM, true, "%s", lm)
	}
	if !ok {
		c.add(nValid, false, "no pass served")
		c.add(nSame, false, "no pass served")
		return modified
	}
	pkg, problems := c.verify(r.Body)
	if len(problems) > 0 {
		c.add(nValid, false, "%s", termsafe.Escape(strings.Join(problems, "; ")))
	} else {
		c.add(nValid, true, "signed by %s", termsafe.Escape(pkg.Signature.Signer.Subject.CommonName))
	}
	if pkg == nil || pkg.Pass == nil {
		c.add(nSame, false, "no pass.json could be read")
		return modified
	}
	p, t := pkg.Pass, d.Target
	var diff []string
	if p.PassTypeIdentifier != t.PassTypeIdentifier {
		diff = append(diff, fmt.Sprintf("passTypeIdentifier %q, want %q", p.PassTypeIdentifier, t.PassTypeIdentifier))
	}
	if p.SerialNumber != t.SerialNumber {
		diff = append(diff, fmt.Sprintf("serialNumber %q, want %q", p.SerialNumber, t.SerialNumber))
	}
	if p.AuthenticationToken != t.AuthenticationToken {
		diff = append(diff, "a different authenticationToken (installed copies that did not update would be locked out)")
	}
	if p.WebServiceURL == "" {
		diff = append(diff, "no webServiceURL (the pass stops updating)")
	}
	if len(diff) > 0 {
		c.add(nSame, false, "%s", termsafe.Escape(strings.Join(diff, "; ")))
	} else {
		c.add(nSame, true, "serialNumber %q", termsafe.Escape(p.SerialNumber))
	}
	if passJSON != nil {
		*passJSON = pkg.PassJSON
	}
	return modified
}

// verify reads a served .pkpass and returns the problems that make it one
// Wallet would refuse. Without Options.Roots, a chain that does not reach
// Apple Root CA is accepted when the signer is the certificate that signed
// the pass the device holds.
func (c *checker) verify(body []byte) (*sign.Package, []string) {
	var vo *sign.VerifyOptions
	if c.opts != nil && c.opts.Roots != nil {
		vo = &sign.VerifyOptions{Roots: c.opts.Roots}
	}
	pkg, err := sign.ReadBytes(body, vo)
	if err == nil {
		return pkg, nil
	}
	var verr *sign.VerifyError
	if !errors.As(err, &verr) {
		return pkg, []string{err.Error()}
	}
	var problems []string
	sameSigner := vo == nil && pkg != nil && pkg.Signature != nil && c.rep.Target.Signer != nil &&
		pkg.Signature.Signer.Equal(c.rep.Target.Signer)
	for _, p := range verr.Problems {
		if errors.Is(p, sign.ErrChain) && sameSigner {
			continue
		}
		problems = append(problems, p.Error())
	}
	if vo == nil && pkg != nil && pkg.Signature != nil && c.rep.Target.Signer != nil && !sameSigner {
		problems = append(problems, fmt.Sprintf("signed by %q, not by the certificate of the pass given (%q)",
			pkg.Signature.Signer.Subject.CommonName, c.rep.Target.Signer.Subject.CommonName))
	}
	return pkg, problems
}

// wrongToken returns a token of the same length that differs from tok.
func wrongToken(tok string) string {
	if tok == "" {
		return "wallettest-wrong-token"
	}
	b := []byte(tok)
	if b[0] == 'x' {
		b[0] = 'y'
	} else {
		b[0] = 'x'
	}
	return string(b)
}

// tagLess reports whether tag a is older than tag b. Tags are compared only
// when both are decimal numbers; comparable is false otherwise.
func tagLess(a, b string) (less, comparable bool) {
	na, oka := decimal(a)
	nb, okb := decimal(b)
	if !oka || !okb {
		return false, false
	}
	if len(na) != len(nb) {
		return len(na) < len(nb), true
	}
	return na < nb, true
}

// decimal returns s without leading zeros if it is a decimal number.
func decimal(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", false
		}
	}
	s = strings.TrimLeft(s, "0")
	return s, true
}

package webservice

import (
	"context"
	"crypto"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/passforge/passforge/sign"
)

// Body limits per endpoint. Wallet's requests are tiny; anything larger is
// refused with 413 before it is read.
const (
	// MaxRegisterBody is the largest register request body accepted.
	MaxRegisterBody = 4 << 10
	// MaxLogBody is the largest log request body accepted.
	MaxLogBody = 64 << 10
	// MaxPersonalizeBody is the largest personalization request body accepted.
	MaxPersonalizeBody = 16 << 10
)

// Identifier limits checked on every request.
const (
	// MaxDeviceIDLen is the longest deviceLibraryIdentifier accepted.
	MaxDeviceIDLen = 128
	// MaxPushTokenLen is the longest push token accepted (hex digits).
	MaxPushTokenLen = 512
	// MinPushTokenLen is the shortest push token accepted (hex digits).
	MinPushTokenLen = 16
	// MaxPassTypeIDLen is the longest passTypeIdentifier accepted.
	MaxPassTypeIDLen = 255
	// MaxSerialLen is the longest serialNumber accepted, in bytes.
	MaxSerialLen = 512
	// MaxLogMessageLen is how much of one device log message is logged.
	MaxLogMessageLen = 1024
	// MaxPersonalizationTokenLen is the longest personalizationToken accepted.
	MaxPersonalizationTokenLen = 1024
)

// PKPassType is the media type of a signed pass.
const PKPassType = "application/vnd.apple.pkpass"

// Personalization is what a device sends when its holder signs up through a
// personalizable pass (rewards enrollment).
type Personalization struct {
	// PassTypeIdentifier is the personalizable pass's passTypeIdentifier.
	PassTypeIdentifier string
	// SerialNumber is the personalizable pass's serialNumber.
	SerialNumber string
	// Token is Wallet's personalizationToken, which the handler signs.
	Token string
	// Info is the holder's details (requiredPersonalizationInfo).
	Info PersonalizationInfo
}

// PersonalizationInfo is the holder's details from a personalization request
// (Apple's requiredPersonalizationInfo). Fields the pass did not ask for are
// empty. The text is untrusted user input.
type PersonalizationInfo struct {
	// FullName is the holder's full name (fullName).
	FullName string `json:"fullName,omitempty"`
	// GivenName is the holder's given name (givenName).
	GivenName string `json:"givenName,omitempty"`
	// FamilyName is the holder's family name (familyName).
	FamilyName string `json:"familyName,omitempty"`
	// EmailAddress is the holder's e-mail address (emailAddress).
	EmailAddress string `json:"emailAddress,omitempty"`
	// PostalCode is the holder's postal code (postalCode).
	PostalCode string `json:"postalCode,omitempty"`
	// ISOCountryCode is the holder's country (ISOCountryCode; isoCountryCode
	// is accepted too).
	ISOCountryCode string `json:"ISOCountryCode,omitempty"`
	// PhoneNumber is the holder's phone number (phoneNumber).
	PhoneNumber string `json:"phoneNumber,omitempty"`
}

// Hooks let the application follow what devices do. Each hook is optional
// and runs synchronously, after the store has committed, in the request's
// goroutine: a slow hook slows that request.
type Hooks struct {
	// Registered is called after a device registered for a pass; created
	// is false for a repeated registration (which may carry a new push
	// token).
	Registered func(ctx context.Context, r Registration, created bool)
	// Unregistered is called after a device's registration was removed.
	Unregistered func(ctx context.Context, deviceID, passTypeID, serial string)
	// Logs is called with the messages of an accepted device log request
	// (at most Options.MaxLogMessages). The text is untrusted.
	Logs func(ctx context.Context, messages []string)
	// Personalize is called with a holder's signup details. If it returns
	// an error the device gets a 500 and no signed token; otherwise the
	// application is expected to issue the personalized version (see
	// Handler.PassChanged). Without this hook (or without
	// Options.Identity) the personalization endpoint answers 404.
	Personalize func(ctx context.Context, p Personalization) error
}

// Options configure NewHandler. A nil *Options is the same as the zero value.
type Options struct {
	// Identity signs personalization tokens (a detached PKCS#7 signature,
	// like a pass manifest's). Required for personalization.
	Identity *sign.Identity
	// Hooks are the application's callbacks.
	Hooks Hooks
	// Render builds the .pkpass of a pass whose stored Data is empty (an
	// application that builds passes on request). If nil, such a pass is
	// answered with 500 and an error in the log.
	Render func(ctx context.Context, p *Pass) ([]byte, error)
	// Logger receives device logs and server errors. If nil, slog.Default().
	Logger *slog.Logger
	// LogRate is how many device log requests per second are accepted over
	// time; more get 429. If zero, 5.
	LogRate float64
	// LogBurst is how many device log requests may arrive at once. If zero,
	// 20.
	LogBurst int
	// MaxLogMessages is how many messages of one log request are logged;
	// the rest are counted. If zero, 20.
	MaxLogMessages int
	// Now is the clock (personalization signing time, rate limiting). If
	// nil, time.Now.
	Now func() time.Time
}

// Handler serves the Wallet web service protocol relative to wherever it is
// mounted: it routes on the path after the last ".../v1/" shape it
// recognizes, so it works under http.StripPrefix, behind a mux pattern such
// as "/passes/", and with or without a trailing slash in webServiceURL.
type Handler struct {
	store    Store
	id       *sign.Identity
	hooks    Hooks
	render   func(ctx context.Context, p *Pass) ([]byte, error)
	log      *slog.Logger
	now      func() time.Time
	maxMsgs  int
	limiter  *bucket
	dummyTok []byte
}

var _ http.Handler = (*Handler)(nil)

// NewHandler returns a Handler serving passes from store.
func NewHandler(store Store, opts *Options) (*Handler, error) {
	if store == nil {
		return nil, errors.New("webservice: nil store")
	}
	if opts == nil {
		opts = &Options{}
	}
	if opts.LogRate < 0 || opts.LogBurst < 0 || opts.MaxLogMessages < 0 {
		return nil, errors.New("webservice: negative log rate, burst or message count")
	}
	if opts.Hooks.Personalize != nil && opts.Identity == nil {
		return nil, errors.New("webservice: a Personalize hook needs Options.Identity to sign personalization tokens")
	}
	h := &Handler{
		store:    store,
		id:       opts.Identity,
		hooks:    opts.Hooks,
		render:   opts.Render,
		log:      opts.Logger,
		now:      opts.Now,
		maxMsgs:  opts.MaxLogMessages,
		dummyTok: HashToken("passforge: no such pass"),
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	if h.now == nil {
		h.now = time.Now
	}
	if h.maxMsgs == 0 {
		h.maxMsgs = 20
	}
	rate, burst := opts.LogRate, opts.LogBurst
	if rate == 0 {
		rate = 5
	}
	if burst == 0 {
		burst = 20
	}
	h.limiter = &bucket{rate: rate, burst: float64(burst), tokens: float64(burst)}
	return h, nil
}

// PassChanged is what the application calls after it changed a pass: it
// stores the change fn makes (fn may be nil when only the tag must move) with
// a new update tag and returns the push tokens to notify, for example with
// package push. Applications using the store's outbox call
// Store.UpdatePass with UpdateOptions.Enqueue instead.
func (h *Handler) PassChanged(ctx context.Context, passTypeID, serial string, fn func(*Pass) error) ([]string, error) {
	res, err := h.store.UpdatePass(ctx, passTypeID, serial, nil, fn)
	if err != nil {
		return nil, err
	}
	return res.PushTokens, nil
}

// route names the endpoint a request is for.
type route int

const (
	routeNone route = iota
	routeRegistration
	routeSerials
	routePass
	routePersonalize
	routeLog
)

var allowed = map[route]string{
	routeRegistration: "POST, DELETE",
	routeSerials:      "GET, HEAD",
	routePass:         "GET, HEAD",
	routePersonalize:  "POST",
	routeLog:          "POST",
}

// match finds the endpoint from the end of the path. Empty segments (a
// doubled slash) are ignored, and the version segment may carry the mount
// path glued to it ("/passbookv1/log" when webServiceURL lacks its trailing
// slash and Wallet does not add one).
func match(escapedPath string) (route, []string, bool) {
	raw := strings.Split(escapedPath, "/")
	segs := make([]string, 0, len(raw))
	for _, s := range raw {
		if s == "" {
			continue
		}
		u, err := url.PathUnescape(s)
		if err != nil {
			return routeNone, nil, false
		}
		segs = append(segs, u)
	}
	n := len(segs)
	at := func(i int) string {
		if i < 0 || i >= n {
			return ""
		}
		return segs[i]
	}
	isV1 := func(i int) bool { return i >= 0 && i < n && strings.HasSuffix(segs[i], "v1") }
	switch {
	case n >= 6 && isV1(n-6) && at(n-5) == "devices" && at(n-3) == "registrations":
		return routeRegistration, []string{segs[n-4], segs[n-2], segs[n-1]}, true
	case n >= 5 && isV1(n-5) && at(n-4) == "passes" && at(n-1) == "personalize":
		return routePersonalize, segs[n-3 : n-1], true
	case n >= 5 && isV1(n-5) && at(n-4) == "devices" && at(n-2) == "registrations":
		return routeSerials, []string{segs[n-3], segs[n-1]}, true
	case n >= 4 && isV1(n-4) && at(n-3) == "passes":
		return routePass, segs[n-2:], true
	case n >= 2 && isV1(n-2) && at(n-1) == "log":
		return routeLog, nil, true
	}
	return routeNone, nil, false
}

// ServeHTTP serves one Wallet request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt, params, ok := match(r.URL.EscapedPath())
	if !ok {
		writeError(w, http.StatusNotFound, "not_found", "webservice: no such endpoint")
		return
	}
	if !methodAllowed(rt, r.Method) {
		w.Header().Set("Allow", allowed[rt])
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed",
			fmt.Sprintf("webservice: method %s not allowed here (allowed: %s)", sanitize(r.Method, 16), allowed[rt]))
		return
	}
	switch rt {
	case routeRegistration:
		// params: device, pass type, serial
		if !h.checkParams(w, params[0], params[1], params[2]) {
			return
		}
		if r.Method == http.MethodPost {
			h.register(w, r, params[0], params[1], params[2])
		} else {
			h.unregister(w, r, params[0], params[1], params[2])
		}
	case routeSerials:
		if !h.checkParams(w, params[0], params[1], "") {
			return
		}
		h.serials(w, r, params[0], params[1])
	case routePass:
		if !h.checkParams(w, "", params[0], params[1]) {
			return
		}
		h.latest(w, r, params[0], params[1])
	case routePersonalize:
		if !h.checkParams(w, "", params[0], params[1]) {
			return
		}
		h.personalize(w, r, params[0], params[1])
	case routeLog:
		h.deviceLog(w, r)
	}
}

func methodAllowed(rt route, method string) bool {
	switch rt {
	case routeRegistration:
		return method == http.MethodPost || method == http.MethodDelete
	case routeSerials, routePass:
		return method == http.MethodGet || method == http.MethodHead
	default:
		return method == http.MethodPost
	}
}

// checkParams validates the identifiers in the path ("" = not in this route).
func (h *Handler) checkParams(w http.ResponseWriter, device, passTypeID, serial string) bool {
	if err := checkParamsErr(device, passTypeID, serial); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return false
	}
	return true
}

func checkParamsErr(device, passTypeID, serial string) error {
	if device != "" && !validDeviceID(device) {
		return fmt.Errorf("webservice: deviceLibraryIdentifier must be 1 to %d letters, digits, '.', '-' or '_'", MaxDeviceIDLen)
	}
	if !validPassTypeID(passTypeID) {
		return fmt.Errorf("webservice: passTypeIdentifier must be 1 to %d letters, digits, '.', '-' or '_'", MaxPassTypeIDLen)
	}
	if serial != "" && !validSerial(serial) {
		return fmt.Errorf("webservice: serialNumber must be 1 to %d bytes of UTF-8 text without control characters", MaxSerialLen)
	}
	return nil
}

func isIDByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_'
}

func validDeviceID(s string) bool {
	if s == "" || len(s) > MaxDeviceIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isIDByte(s[i]) {
			return false
		}
	}
	return true
}

func validPassTypeID(s string) bool {
	if s == "" || len(s) > MaxPassTypeIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isIDByte(s[i]) {
			return false
		}
	}
	return true
}

func validSerial(s string) bool {
	if s == "" || len(s) > MaxSerialLen || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return false
		}
	}
	return true
}

// validPushToken accepts hex APNs tokens of an even length within limits.
func validPushToken(s string) bool {
	if len(s) < MinPushTokenLen || len(s) > MaxPushTokenLen || len(s)%2 != 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// authToken extracts the token of an "ApplePass <token>" header; the scheme
// is matched case-insensitively.
func authToken(r *http.Request) (string, bool) {
	v := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(v, " ")
	if !ok || !strings.EqualFold(scheme, "ApplePass") {
		return "", false
	}
	tok = strings.TrimLeft(tok, " ")
	if tok == "" || strings.ContainsAny(tok, " \t") || len(tok) > 1024 {
		return "", false
	}
	return tok, true
}

// authorize checks the request's ApplePass token against the pass's hash in
// constant time. Unknown pass, missing or malformed header and wrong token
// all give the same 401. It returns the pass on success.
func (h *Handler) authorize(w http.ResponseWriter, r *http.Request, passTypeID, serial string) (*Pass, bool) {
	tok, hasTok := authToken(r)
	p, err := h.store.Pass(r.Context(), passTypeID, serial)
	if err != nil && !errors.Is(err, ErrNotFound) {
		h.serverError(w, r, "read pass", err)
		return nil, false
	}
	want := h.dummyTok
	if p != nil {
		want = p.AuthTokenHash
	}
	got := HashToken(tok)
	ok := subtle.ConstantTimeCompare(got, want) == 1 && hasTok && p != nil
	if !ok {
		w.Header().Set("WWW-Authenticate", "ApplePass")
		writeError(w, http.StatusUnauthorized, "unauthorized", "webservice: not authorized")
		return nil, false
	}
	return p, true
}

func (h *Handler) register(w http.ResponseWriter, r *http.Request, device, passTypeID, serial string) {
	if _, ok := h.authorize(w, r, passTypeID, serial); !ok {
		return
	}
	var body struct {
		PushToken *string `json:"pushToken"`
	}
	if !h.readJSON(w, r, MaxRegisterBody, &body) {
		return
	}
	if body.PushToken == nil {
		writeError(w, http.StatusBadRequest, "bad_request", "webservice: register body has no pushToken")
		return
	}
	if !validPushToken(*body.PushToken) {
		writeError(w, http.StatusBadRequest, "bad_request",
			fmt.Sprintf("webservice: pushToken must be %d to %d hex digits", MinPushTokenLen, MaxPushTokenLen))
		return
	}
	reg := Registration{
		DeviceLibraryIdentifier: device,
		PushToken:               strings.ToLower(*body.PushToken),
		PassTypeIdentifier:      passTypeID,
		SerialNumber:            serial,
	}
	created, err := h.store.Register(r.Context(), reg)
	if errors.Is(err, ErrNotFound) { // deleted since authorize
		w.Header().Set("WWW-Authenticate", "ApplePass")
		writeError(w, http.StatusUnauthorized, "unauthorized", "webservice: not authorized")
		return
	}
	if err != nil {
		h.serverError(w, r, "register", err)
		return
	}
	if h.hooks.Registered != nil {
		h.hooks.Registered(r.Context(), reg, created)
	}
	if created {
		w.WriteHeader(http.StatusCreated)
	} else {
		w.WriteHeader(http.StatusOK)
	}
}

func (h *Handler) unregister(w http.ResponseWriter, r *http.Request, device, passTypeID, serial string) {
	if _, ok := h.authorize(w, r, passTypeID, serial); !ok {
		return
	}
	removed, err := h.store.Unregister(r.Context(), device, passTypeID, serial)
	if err != nil {
		h.serverError(w, r, "unregister", err)
		return
	}
	if removed && h.hooks.Unregistered != nil {
		h.hooks.Unregistered(r.Context(), device, passTypeID, serial)
	}
	w.WriteHeader(http.StatusOK)
}

// serialNumbers is the body of the list endpoint; lastUpdated is a JSON
// string (a number makes devices stop fetching updates).
type serialNumbers struct {
	SerialNumbers []string `json:"serialNumbers"`
	LastUpdated   string   `json:"lastUpdated"`
}

func (h *Handler) serials(w http.ResponseWriter, r *http.Request, device, passTypeID string) {
	since := ParseTag(r.URL.Query().Get("passesUpdatedSince"))
	list, latest, err := h.store.UpdatedSince(r.Context(), device, passTypeID, since)
	if err != nil {
		h.serverError(w, r, "list serials", err)
		return
	}
	if len(list) == 0 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	b, err := json.Marshal(serialNumbers{SerialNumbers: list, LastUpdated: FormatTag(latest)})
	if err != nil {
		h.serverError(w, r, "list serials", err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

func (h *Handler) latest(w http.ResponseWriter, r *http.Request, passTypeID, serial string) {
	p, ok := h.authorize(w, r, passTypeID, serial)
	if !ok {
		return
	}
	modified := p.Modified.UTC().Truncate(time.Second)
	w.Header().Set("Last-Modified", modified.Format(http.TimeFormat))
	w.Header().Set("Cache-Control", "no-cache")
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		if t, err := http.ParseTime(ims); err == nil && !modified.After(t) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	data := p.Data
	if len(data) == 0 {
		if h.render == nil {
			h.serverError(w, r, "serve pass", fmt.Errorf("webservice: pass %s/%s has no signed version and no Render function", passTypeID, sanitize(serial, 64)))
			return
		}
		var err error
		data, err = h.render(r.Context(), p)
		if err != nil {
			h.serverError(w, r, "render pass", err)
			return
		}
		if len(data) == 0 {
			h.serverError(w, r, "render pass", errors.New("webservice: Render returned an empty pass"))
			return
		}
	}
	w.Header().Set("Content-Type", PKPassType)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
}

func (h *Handler) personalize(w http.ResponseWriter, r *http.Request, passTypeID, serial string) {
	if h.hooks.Personalize == nil || h.id == nil {
		writeError(w, http.StatusNotFound, "not_found", "webservice: personalization is not enabled")
		return
	}
	// Whether Wallet sends the pass's token here is not documented: a
	// request without the header is accepted, one with a wrong token is not.
	if r.Header.Get("Authorization") != "" {
		if _, ok := h.authorize(w, r, passTypeID, serial); !ok {
			return
		}
	} else {
		_, err := h.store.Pass(r.Context(), passTypeID, serial)
		if errors.Is(err, ErrNotFound) {
			writeError(w, http.StatusNotFound, "not_found", "webservice: no such pass")
			return
		}
		if err != nil {
			h.serverError(w, r, "read pass", err)
			return
		}
	}
	var body struct {
		Token *string              `json:"personalizationToken"`
		Info  *PersonalizationInfo `json:"requiredPersonalizationInfo"`
	}
	if !h.readJSON(w, r, MaxPersonalizeBody, &body) {
		return
	}
	if body.Token == nil || *body.Token == "" || len(*body.Token) > MaxPersonalizationTokenLen {
		writeError(w, http.StatusBadRequest, "bad_request",
			fmt.Sprintf("webservice: personalizationToken must be a string of 1 to %d bytes", MaxPersonalizationTokenLen))
		return
	}
	if body.Info == nil {
		writeError(w, http.StatusBadRequest, "bad_request", "webservice: requiredPersonalizationInfo is missing")
		return
	}
	p := Personalization{PassTypeIdentifier: passTypeID, SerialNumber: serial, Token: *body.Token, Info: *body.Info}
	if err := h.hooks.Personalize(r.Context(), p); err != nil {
		h.serverError(w, r, "personalize hook", err)
		return
	}
	sig, err := sign.Signature([]byte(p.Token), h.id, crypto.SHA256, h.now())
	if err != nil {
		h.serverError(w, r, "sign personalization token", err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(sig)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(sig)
}

func (h *Handler) deviceLog(w http.ResponseWriter, r *http.Request) {
	if !h.limiter.allow(h.now()) {
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusTooManyRequests, "rate_limited", "webservice: too many log requests")
		return
	}
	var body struct {
		Logs *[]string `json:"logs"`
	}
	if !h.readJSON(w, r, MaxLogBody, &body) {
		return
	}
	if body.Logs == nil {
		writeError(w, http.StatusBadRequest, "bad_request", "webservice: log body has no logs array")
		return
	}
	msgs := *body.Logs
	dropped := 0
	if len(msgs) > h.maxMsgs {
		dropped = len(msgs) - h.maxMsgs
		msgs = msgs[:h.maxMsgs]
	}
	remote := sanitize(r.RemoteAddr, 64)
	for _, m := range msgs {
		h.log.LogAttrs(r.Context(), slog.LevelInfo, "webservice: device log",
			slog.String("remote", remote), slog.String("message", sanitize(m, MaxLogMessageLen)))
	}
	if dropped > 0 {
		h.log.LogAttrs(r.Context(), slog.LevelWarn, "webservice: device log messages dropped",
			slog.String("remote", remote), slog.Int("dropped", dropped))
	}
	if h.hooks.Logs != nil {
		h.hooks.Logs(r.Context(), msgs)
	}
	w.WriteHeader(http.StatusOK)
}

// readJSON decodes a JSON object body of at most limit bytes into v,
// answering 413 or 400 itself when it cannot.
func (h *Handler) readJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) bool {
	if r.ContentLength > limit {
		writeError(w, http.StatusRequestEntityTooLarge, "too_large",
			fmt.Sprintf("webservice: request body over %d bytes", limit))
		return false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "too_large",
				fmt.Sprintf("webservice: request body over %d bytes", limit))
			return false
		}
		writeError(w, http.StatusBadRequest, "bad_request", "webservice: cannot read request body")
		return false
	}
	trimmed := strings.TrimSpace(string(body))
	if !strings.HasPrefix(trimmed, "{") {
		writeError(w, http.StatusBadRequest, "bad_request", "webservice: request body is not a JSON object")
		return false
	}
	dec := json.NewDecoder(strings.NewReader(trimmed))
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", "webservice: malformed JSON body: "+jsonProblem(err))
		return false
	}
	if dec.More() {
		writeError(w, http.StatusBadRequest, "bad_request", "webservice: malformed JSON body: data after the object")
		return false
	}
	if _, err := dec.Token(); err != io.EOF {
		writeError(w, http.StatusBadRequest, "bad_request", "webservice: malformed JSON body: data after the object")
		return false
	}
	return true
}

// jsonProblem describes a decoding error without echoing the body.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("syntax error at byte %d", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("%s must be %s, not %s", sanitize(typ.Field, 64), typ.Type, typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "unexpected end of body"
	}
	return "invalid JSON"
}

func (h *Handler) serverError(w http.ResponseWriter, r *http.Request, op string, err error) {
	h.log.LogAttrs(r.Context(), slog.LevelError, "webservice: "+op,
		slog.String("path", sanitize(r.URL.Path, 256)), slog.String("error", sanitize(err.Error(), 1024)))
	writeError(w, http.StatusInternalServerError, "internal", "webservice: internal error")
}

// writeError writes the JSON error body {"error": {"code", "message"}}.
func writeError(w http.ResponseWriter, status int, code, message string) {
	b, _ := json.Marshal(map[string]map[string]string{"error": {"code": code, "message": message}})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// sanitize makes untrusted text safe for a text log or terminal: control and
// format characters (newlines, ANSI escapes, bidi overrides) are escaped as
// Go escapes, invalid UTF-8 is escaped, and the result is cut to about max
// bytes.
func sanitize(s string, max int) string {
	cut := false
	if len(s) > max {
		s = s[:max]
		cut = true
	}
	q := strconv.Quote(s)
	q = q[1 : len(q)-1]
	if cut {
		q += "…"
	}
	return q
}

// bucket is a token bucket: rate tokens per second, at most burst.
type bucket struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
}

func (b *bucket) allow(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.last.IsZero() {
		if d := now.Sub(b.last).Seconds(); d > 0 {
			b.tokens = min(b.burst, b.tokens+d*b.rate)
		}
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

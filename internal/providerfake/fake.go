package providerfake

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Provider names one of the hosted pass services the fake serves.
type Provider string

// The providers the fake serves.
const (
	// Passmint is https://api.passmint.com (paths start with /v1).
	Passmint Provider = "passmint"
	// PassLite is https://api.passlite.io/api/v1.
	PassLite Provider = "passlite"
	// Pass2U is https://api.pass2u.net/v2.
	Pass2U Provider = "pass2u"
	// Passinstance is https://api.passinstance.com/api/v1.
	Passinstance Provider = "passinstance"
	// RemyPass is https://api.remypass.com/api/v1/public.
	RemyPass Provider = "remypass"
)

// The example ids of the providers' docs, present in every new Fake.
const (
	// PassmintTemplateID is the template of Passmint's examples.
	PassmintTemplateID = "tmpl_xxx"
	// PassLiteBusinessID is the business of PassLite's examples, returned
	// by GET /businesses/me.
	PassLiteBusinessID = "biz_123"
	// PassLiteTemplateID is the template of PassLite's examples.
	PassLiteTemplateID = "tpl_loyalty_gold"
	// Pass2UModelID is the issuing model of Pass2U's examples.
	Pass2UModelID = "1919"
	// PassinstanceTemplateID is the template of Passinstance's examples.
	PassinstanceTemplateID = "tpl_abcdef1234567890"
	// RemyPassMemberID is the member _id of RemyPass's examples.
	RemyPassMemberID = "507f1f77bcf86cd799439011"
	// RemyPassTemplateID is the pass template id of RemyPass's examples.
	RemyPassTemplateID = "507f1f77bcf86cd799439012"
)

// maxBody caps the request bodies the fake reads.
const maxBody = 1 << 20

// Providers returns the five providers in a fixed order.
func Providers() []Provider {
	return []Provider{Passmint, PassLite, Pass2U, Passinstance, RemyPass}
}

// BasePath returns the path under the fake's root URL at which a provider's
// API is served, ending where the provider's own base URL ends: a client
// given root+BasePath(p) as its base URL sends the paths it sends to the real
// service. It returns "" for an unknown provider.
func BasePath(p Provider) string {
	switch p {
	case Passmint:
		return "/passmint"
	case PassLite:
		return "/passlite/api/v1"
	case Pass2U:
		return "/pass2u/v2"
	case Passinstance:
		return "/passinstance/api/v1"
	case RemyPass:
		return "/remypass/api/v1/public"
	}
	return ""
}

// Options configure a Fake. A nil *Options accepts any non-empty credential
// and uses the system clock.
type Options struct {
	// Keys are the API keys (or bearer tokens) each provider accepts.
	// A provider without an entry accepts any non-empty credential in its
	// documented header.
	Keys map[Provider]string
	// Now returns the current time, used for created_at and the other
	// timestamps. If nil, time.Now.
	Now func() time.Time
}

// Call is one request the fake received.
type Call struct {
	// Provider is the provider whose API was called.
	Provider Provider
	// Method is the HTTP method.
	Method string
	// Path is the request path relative to the provider's base path,
	// such as /v1/passes/pass_1.
	Path string
	// Status is the HTTP status the fake answered with.
	Status int
}

// String formats the call as "passmint POST /v1/passes -> 200".
func (c Call) String() string {
	return fmt.Sprintf("%s %s %s -> %d", c.Provider, c.Method, c.Path, c.Status)
}

// Fake is an http.Handler serving the five providers' APIs from memory. Create
// it with New; it is safe for concurrent use.
type Fake struct {
	keys map[Provider]string
	now  func() time.Time
	mux  *http.ServeMux

	mu    sync.Mutex
	seq   int
	calls []Call

	passmint     passmintState
	passlite     passliteState
	pass2u       pass2uState
	passinstance passinstanceState
	remypass     remypassState
}

var _ http.Handler = (*Fake)(nil)

// New returns a Fake holding the example objects of the providers' docs.
func New(opts *Options) *Fake {
	f := &Fake{keys: map[Provider]string{}, now: time.Now, mux: http.NewServeMux()}
	if opts != nil {
		for p, k := range opts.Keys {
			f.keys[p] = k
		}
		if opts.Now != nil {
			f.now = opts.Now
		}
	}
	f.passmint.init(f)
	f.passlite.init(f)
	f.pass2u.init(f)
	f.passinstance.init(f)
	f.remypass.init(f)
	for _, p := range Providers() {
		p := p
		f.mux.HandleFunc(BasePath(p)+"/", func(w http.ResponseWriter, r *http.Request) {
			f.notFound(p, w, r)
		})
	}
	return f
}

// ServeHTTP serves one request of any of the five APIs.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	f.mux.ServeHTTP(w, r)
}

// Calls returns the requests received so far, in order.
func (f *Fake) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Call(nil), f.calls...)
}

// handle registers an operation of provider p: pattern is "METHOD /path"
// relative to the provider's base path. The handler runs after the
// provider's authentication check, under the fake's lock.
func (f *Fake) handle(p Provider, pattern string, h func(r *http.Request) (int, any)) {
	method, path, _ := strings.Cut(pattern, " ")
	f.mux.HandleFunc(method+" "+BasePath(p)+path, func(w http.ResponseWriter, r *http.Request) {
		var (
			status int
			body   any
		)
		if ok, st, b := f.authorize(p, r); !ok {
			status, body = st, b
		} else if raw, err := readAll(r); err != nil {
			status, body = f.badBody(p, err)
		} else {
			// The body is read before taking the lock, so a slow client
			// holds up no other request.
			r.Body = io.NopCloser(bytes.NewReader(raw))
			f.mu.Lock()
			status, body = h(r)
			f.mu.Unlock()
		}
		f.record(p, r, status)
		writeJSON(w, status, body)
	})
}

func (f *Fake) record(p Provider, r *http.Request, status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, Call{Provider: p, Method: r.Method, Path: strings.TrimPrefix(r.URL.Path, BasePath(p)), Status: status})
}

// nextID returns prefix followed by a number unique within the fake. The
// caller holds f.mu.
func (f *Fake) nextID(prefix string) string {
	f.seq++
	return fmt.Sprintf("%s%d", prefix, f.seq)
}

// authorize checks the credential in the provider's documented header.
func (f *Fake) authorize(p Provider, r *http.Request) (ok bool, status int, body any) {
	var cred string
	bearer, hasBearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	switch p {
	case Passmint:
		cred = bearer
	case Pass2U:
		cred = r.Header.Get("x-api-key")
	default:
		cred = r.Header.Get("X-API-Key")
		if cred == "" && hasBearer {
			cred = bearer
		}
	}
	want, pinned := f.keys[p]
	good := cred != "" && (!pinned || subtle.ConstantTimeCompare([]byte(cred), []byte(want)) == 1)
	if good {
		return true, 0, nil
	}
	switch p {
	case Passmint:
		return false, http.StatusUnauthorized, passmintError("authentication_error", "Invalid or missing API key", "")
	case PassLite:
		return false, http.StatusUnauthorized, passliteError(http.StatusUnauthorized, "unauthorized", "Missing or invalid authentication.")
	case Pass2U:
		return false, http.StatusForbidden, pass2uError("Access Denied Exception")
	case Passinstance:
		return false, http.StatusUnauthorized, passinstanceError("Unauthorized", "Missing or invalid credentials", "")
	default:
		return false, http.StatusUnauthorized, remypassEnvelope(false, "Missing or invalid API key.", nil)
	}
}

// badBody answers a request whose body could not be read (larger than
// maxBody, or cut short), in the provider's error shape.
func (f *Fake) badBody(p Provider, err error) (int, any) {
	msg := "request body unreadable or larger than 1 MiB: " + err.Error()
	switch p {
	case Passmint:
		return http.StatusBadRequest, passmintError("invalid_request_error", msg, "")
	case PassLite:
		return http.StatusBadRequest, passliteError(http.StatusBadRequest, "bad_request", msg)
	case Pass2U:
		return http.StatusBadRequest, pass2uError(msg)
	case Passinstance:
		return http.StatusBadRequest, passinstanceError("Bad Request", msg, "")
	default:
		return http.StatusBadRequest, remypassEnvelope(false, msg, nil)
	}
}

// notFound answers a path or method the fake does not serve, in the
// provider's error shape.
func (f *Fake) notFound(p Provider, w http.ResponseWriter, r *http.Request) {
	msg := fmt.Sprintf("no route for %s %s", r.Method, strings.TrimPrefix(r.URL.Path, BasePath(p)))
	var body any
	switch p {
	case Passmint:
		body = passmintError("not_found_error", msg, "")
	case PassLite:
		body = passliteError(http.StatusNotFound, "not_found", msg)
	case Pass2U:
		body = pass2uError(msg)
	case Passinstance:
		body = passinstanceError("Not Found", msg, "")
	default:
		body = remypassEnvelope(false, msg, nil)
	}
	f.record(p, r, http.StatusNotFound)
	writeJSON(w, http.StatusNotFound, body)
}

// writeJSON writes body as JSON with status; a nil body writes none.
func writeJSON(w http.ResponseWriter, status int, body any) {
	if body == nil {
		w.WriteHeader(status)
		return
	}
	b, err := json.Marshal(body)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"message":"providerfake: encoding the response failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

// decodeBody decodes a JSON object request body into v.
func decodeBody(r *http.Request, v any) error {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return fmt.Errorf("reading the body: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("the body is not a JSON object: %w", err)
	}
	return nil
}

// Server is a Fake listening on a TCP address, started by Start.
type Server struct {
	// Fake is the handler; its Calls method lists the requests served.
	*Fake
	// URL is the root URL, such as http://127.0.0.1:53011.
	URL string

	srv  *http.Server
	done chan error
}

// Start serves a new Fake on addr, such as "127.0.0.1:0" for a free port on
// the loopback interface, until Close.
func Start(addr string, opts *Options) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("providerfake: listening on %s: %w", addr, err)
	}
	s := &Server{
		Fake: New(opts),
		URL:  "http://" + ln.Addr().String(),
		done: make(chan error, 1),
	}
	s.srv = &http.Server{Handler: s.Fake, ReadHeaderTimeout: 10 * time.Second}
	go func() { s.done <- s.srv.Serve(ln) }()
	return s, nil
}

// BaseURL returns the base URL of provider p on this server, for
// client.WithBaseURL.
func (s *Server) BaseURL(p Provider) string {
	return s.URL + BasePath(p)
}

// Close stops the server and waits for it to end.
func (s *Server) Close() error {
	err := s.srv.Close()
	if serr := <-s.done; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("providerfake: closing: %w", err)
	}
	return nil
}

// readAll reads the request body, which ServeHTTP caps at maxBody.
func readAll(r *http.Request) ([]byte, error) {
	return io.ReadAll(r.Body)
}

// Command serve-pkpass is an HTTP server that issues a signed pass per
// request, with the headers Safari and Wallet expect:
//
//	GET /passes/{serial}?name=Jane   a pass with that serial number for Jane
//	GET /passes?name=Jane            a pass with a new random serial number
//	GET /ca.pem                      the development CA, to verify the passes
//
// Each answer is the .pkpass with Content-Type application/vnd.apple.pkpass,
// a Content-Disposition attachment file name, Last-Modified (the signing
// time) and Cache-Control: no-store, since every pass is signed afresh. Bad
// serial numbers or names are 400; methods other than GET and HEAD are 405.
//
// The passes come from a template built in code once at start-up (package
// template), so a request costs one pass.json, one manifest and one RSA
// signature.
//
//	go run ./examples/serve-pkpass                 # serve on 127.0.0.1:8080
//	go run ./examples/serve-pkpass -selftest       # fetch and verify one pass, then exit
//	curl -OJ 'http://127.0.0.1:8080/passes/M-0001?name=Jane'
//
// It signs with a development identity generated at start-up, which Wallet
// does not accept; give -p12 (password in PASSFORGE_P12_PASSWORD) to sign
// with your Pass Type ID certificate.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log"
	"mime"
	"net"
	"net/http"
	"os"
	"os/signal"
	"regexp"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
	"github.com/passforge/passforge/template"
)

// Identifiers of the development identity.
const (
	devPassTypeID = "pass.com.example.members"
	devTeamID     = "ABCDE12345"
)

// Limits of the request parameters.
const (
	maxSerialLen = 64
	maxNameLen   = 64
	defaultName  = "Guest"
)

// serialPattern is what a serial number in a URL may hold.
var serialPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run parses args and serves, or runs the self-test; it returns the exit code
// (0 done, 1 failure, 2 bad usage).
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve-pkpass", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: serve-pkpass [-addr HOST:PORT] [-p12 FILE] [-selftest]")
		fmt.Fprintln(stderr, "example: serve-pkpass -addr 127.0.0.1:8080 && curl -OJ 'http://127.0.0.1:8080/passes/M-0001?name=Jane'")
		fs.PrintDefaults()
	}
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	p12 := fs.String("p12", getenv("PASSFORGE_P12"), "sign with this .p12 (password from $PASSFORGE_P12_PASSWORD); default: a development identity")
	selftest := fs.Bool("selftest", false, "serve on 127.0.0.1:0, fetch and verify one pass, print a line and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "serve-pkpass: unexpected argument %q\n", fs.Arg(0))
		return 2
	}

	h, roots, err := setup(*p12, getenv("PASSFORGE_P12_PASSWORD"), log.New(stderr, "serve-pkpass: ", log.LstdFlags))
	if err == nil {
		if *selftest {
			err = selfTest(h, roots, stdout)
		} else {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			err = serve(ctx, *addr, h, stdout)
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "serve-pkpass:", err)
		return 1
	}
	return 0
}

// setup loads or generates the identity and builds the handler. roots
// verifies the passes: the development CA, or nil for Apple's roots.
func setup(p12File, password string, logger *log.Logger) (*Handler, *x509.CertPool, error) {
	if p12File != "" {
		data, err := os.ReadFile(p12File)
		if err != nil {
			return nil, nil, err
		}
		id, err := sign.LoadP12(data, password)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", p12File, err)
		}
		h, err := NewHandler(id, nil, logger)
		return h, nil, err
	}
	dev, err := sign.NewDevelopmentIdentity(devPassTypeID, devTeamID)
	if err != nil {
		return nil, nil, err
	}
	h, err := NewHandler(dev.Identity, dev.CAPEM(), logger)
	roots := x509.NewCertPool()
	roots.AddCert(dev.CA)
	return h, roots, err
}

// Handler issues a membership card per request. Create it with NewHandler.
type Handler struct {
	tmpl  *template.Template
	id    *sign.Identity
	caPEM []byte
	mux   *http.ServeMux
	log   *log.Logger
	// now is the signing time and Last-Modified.
	now func() time.Time
}

// NewHandler builds the card design for id's pass type and team once. caPEM,
// if not nil, is served at /ca.pem. Server-side failures are logged to
// logger (if nil, log.Default()).
func NewHandler(id *sign.Identity, caPEM []byte, logger *log.Logger) (*Handler, error) {
	if logger == nil {
		logger = log.Default()
	}
	p := &pass.Pass{
		FormatVersion:      1,
		PassTypeIdentifier: id.PassTypeIdentifier(),
		TeamIdentifier:     id.TeamIdentifier(),
		OrganizationName:   "Example Club",
		Description:        "Example Club membership card",
		LogoText:           "Example Club",
		BackgroundColor:    pass.RGB(20, 60, 40),
		ForegroundColor:    pass.RGB(255, 255, 255),
		LabelColor:         pass.RGB(180, 230, 200),
		StoreCard: &pass.PassFields{
			// {{holder_name}} is a placeholder each request fills.
			PrimaryFields:   []pass.Field{{Key: "member", Label: "Member", Value: pass.String("{{holder_name}}")}},
			SecondaryFields: []pass.Field{{Key: "level", Label: "Level", Value: pass.String("Standard")}},
			BackFields:      []pass.Field{{Key: "terms", Label: "Terms", Value: pass.String("Show this card at the desk.")}},
		},
		Barcodes: []pass.Barcode{{Format: pass.BarcodeFormatQR, Message: "set per pass", MessageEncoding: "iso-8859-1"}},
	}
	assets := &pass.Assets{}
	for scale, size := range map[int]int{1: 29, 2: 58, 3: 87} {
		b, err := squarePNG(size)
		if err != nil {
			return nil, err
		}
		if err := assets.SetImage(pass.ImageIcon, scale, b); err != nil {
			return nil, err
		}
	}
	tmpl, err := template.New(p, assets)
	if err != nil {
		return nil, err
	}
	h := &Handler{tmpl: tmpl, id: id, caPEM: caPEM, mux: http.NewServeMux(), log: logger, now: time.Now}
	h.mux.HandleFunc("/passes/{serial}", h.pass)
	h.mux.HandleFunc("/passes", h.pass)
	if caPEM != nil {
		h.mux.HandleFunc("/ca.pem", h.ca)
	}
	return h, nil
}

// ServeHTTP routes a request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}

// pass issues one pass: GET /passes/{serial} or GET /passes (a new serial),
// with the holder's name in the query parameter name.
func (h *Handler) pass(w http.ResponseWriter, r *http.Request) {
	if !allowGet(w, r) {
		return
	}
	serial := r.PathValue("serial")
	if r.URL.Path == "/passes" {
		b := make([]byte, 6)
		if _, err := rand.Read(b); err != nil {
			http.Error(w, "cannot make a serial number", http.StatusInternalServerError)
			return
		}
		serial = "M-" + hex.EncodeToString(b)
	} else if !serialPattern.MatchString(serial) {
		http.Error(w, fmt.Sprintf("bad serial number: want 1 to %d of A-Z a-z 0-9 . _ -", maxSerialLen), http.StatusBadRequest)
		return
	}
	name := defaultName
	if q := r.URL.Query(); q.Has("name") {
		name = q.Get("name")
		if msg := checkName(name); msg != "" {
			http.Error(w, "bad name: "+msg, http.StatusBadRequest)
			return
		}
	}

	// The signing time is also Last-Modified, at HTTP's one-second precision.
	signedAt := h.now().UTC().Truncate(time.Second)
	var buf bytes.Buffer
	err := h.tmpl.Issue(&buf, &template.Values{
		SerialNumber:   serial,
		Placeholders:   map[string]string{"holder_name": name},
		BarcodeMessage: serial,
		BarcodeAltText: serial,
	}, h.id, &sign.Options{Now: func() time.Time { return signedAt }})
	if err != nil {
		// The input was checked above, so this is the server's problem
		// (an expired certificate, say); the details stay in the log.
		h.log.Printf("issuing %s: %v", serial, err)
		http.Error(w, "cannot issue the pass", http.StatusInternalServerError)
		return
	}

	hdr := w.Header()
	hdr.Set("Content-Type", sign.MIMEType)
	hdr.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": template.FileName(serial)}))
	hdr.Set("Last-Modified", signedAt.Format(http.TimeFormat))
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// ca serves the development CA in PEM.
func (h *Handler) ca(w http.ResponseWriter, r *http.Request) {
	if !allowGet(w, r) {
		return
	}
	w.Header().Set("Content-Type", "application/x-pem-file")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(h.caPEM)
}

// allowGet answers 405 to methods other than GET and HEAD.
func allowGet(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, "method not allowed: use GET", http.StatusMethodNotAllowed)
	return false
}

// checkName returns why a holder name is refused, or "".
func checkName(name string) string {
	switch {
	case name == "":
		return "empty"
	case !utf8.ValidString(name):
		return "not UTF-8"
	case utf8.RuneCountInString(name) > maxNameLen:
		return fmt.Sprintf("longer than %d characters", maxNameLen)
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return fmt.Sprintf("holds the unprintable character %U", r)
		}
	}
	return ""
}

// serve listens on addr until ctx ends.
func serve(ctx context.Context, addr string, h http.Handler, stdout io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "serving passes on http://%s/passes/{serial}?name=... (Ctrl-C stops)\n", ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	}
}

// selfTest serves on a free loopback port, fetches one pass and verifies it.
func selfTest(h http.Handler, roots *x509.CertPool, stdout io.Writer) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()

	url := "http://" + ln.Addr().String() + "/passes/SELFTEST-0001?name=Self+Test"
	hc := &http.Client{Timeout: 30 * time.Second}
	resp, err := hc.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 10<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != sign.MIMEType {
		return fmt.Errorf("selftest: GET %s: status %d, Content-Type %q", url, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	pkg, err := sign.ReadBytes(body, &sign.VerifyOptions{Roots: roots})
	if err != nil {
		return fmt.Errorf("selftest: verifying the pass from %s: %w", url, err)
	}
	fmt.Fprintf(stdout, "selftest ok: GET /passes/SELFTEST-0001 -> %d %s, %d bytes, serial %s for %q, signature and chain verified\n",
		resp.StatusCode, resp.Header.Get("Content-Type"), len(body), pkg.Pass.SerialNumber, pkg.Pass.StoreCard.PrimaryFields[0].Value.String())
	return nil
}

// squarePNG draws the club's green square with a light border.
func squarePNG(size int) ([]byte, error) {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			c := color.NRGBA{20, 60, 40, 255}
			if x < size/8 || y < size/8 || x >= size-size/8 || y >= size-size/8 {
				c = color.NRGBA{180, 230, 200, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

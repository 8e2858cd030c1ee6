// Command liveupdate shows a pass kept up to date, offline, in one process:
// the update service of package server on SQLite in a temporary folder, a
// fake APNs (package push/pushtest) and a simulated Wallet device talking
// plain HTTP to the web service.
//
//	go run ./examples/liveupdate
//
// Step by step it issues a pass through the admin API, downloads it with the
// signed downloadURL, registers the device for updates (as Wallet does when
// the pass is added), changes the holder's points, watches the push reach
// APNs, and has the device ask what changed and fetch the new version, whose
// Last-Modified is later and whose points are the new ones.
//
// It signs with a development identity (kept in the database, so a restart
// keeps the signer), which Wallet does not accept; `passforge serve` runs the
// same service with your Pass Type ID certificate.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing/fstest"
	"time"

	"github.com/passforge/passforge/push"
	"github.com/passforge/passforge/push/pushtest"
	"github.com/passforge/passforge/server"
	"github.com/passforge/passforge/sign"
	"github.com/passforge/passforge/template"
	"github.com/passforge/passforge/webservice/sqlitestore"
)

const (
	passTypeID = "pass.com.example.liveupdate"
	teamID     = "LIVE123456"
	adminToken = "liveupdate-example-admin-token"
	pushToken  = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "liveupdate:", err)
		os.Exit(1)
	}
}

// run plays the whole story and prints each step on out.
func run(ctx context.Context, out io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	dir, err := os.MkdirTemp("", "passforge-liveupdate-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	// The service: a design, a store, a signing identity, APNs, and the
	// server that composes them, listening on a loopback port.
	design, err := loadDesign()
	if err != nil {
		return err
	}
	store, err := sqlitestore.Open(ctx, filepath.Join(dir, "passforge.db"), nil)
	if err != nil {
		return err
	}
	defer store.Close()
	dev, err := server.DevelopmentIdentity(ctx, store, passTypeID, teamID)
	if err != nil {
		return err
	}
	apns, err := pushtest.NewServer()
	if err != nil {
		return err
	}
	defer apns.Close()
	// The outbox retries durably: the client may give up quickly.
	apnsClient, err := push.New(dev.Identity, push.WithURL(apns.URL), push.WithRootCAs(apns.CertPool()),
		push.WithTimeout(4*time.Second), push.WithRetry(1, 500*time.Millisecond, 2*time.Second),
		push.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		return err
	}
	defer apnsClient.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	srv, err := server.New(ctx, server.Config{
		Template:     design,
		Identity:     dev.Identity,
		Store:        store,
		PublicURL:    base + "/wallet",
		AdminToken:   adminToken,
		Pusher:       server.PushClient(apnsClient),
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
		PollInterval: 50 * time.Millisecond,
	})
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln) //nolint:errcheck // ends with Shutdown below
	workerCtx, stopWorker := context.WithCancel(context.Background())
	workerDone := make(chan error, 1)
	go func() { workerDone <- srv.Run(workerCtx) }()
	defer func() {
		_ = hs.Shutdown(context.Background())
		stopWorker()
		<-workerDone
	}()
	fmt.Fprintf(out, "0. service on %s, webServiceURL %s, fake APNs on %s\n", base, srv.WebServiceURL(), apns.URL)

	// 1. Issue a pass through the admin API.
	var issued struct {
		SerialNumber, LastUpdated, DownloadURL string
	}
	if err := admin(ctx, base, "POST", "/api/v1/passes", `{"serialNumber": "M-0001", "values": {"name": "Jane Appleseed", "points": 100}}`, http.StatusCreated, &issued); err != nil {
		return err
	}
	fmt.Fprintf(out, "1. issued pass %s (lastUpdated %q)\n", issued.SerialNumber, issued.LastUpdated)

	// 2. The holder opens the download link; Wallet reads the pass.
	pkpass, err := get(ctx, issued.DownloadURL, nil)
	if err != nil {
		return err
	}
	d, err := newDevice(pkpass)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "2. downloaded the pass (%d bytes): points %s, webServiceURL %s\n", len(pkpass), d.points, d.wsURL)

	// 3. Wallet registers the device for updates of the pass.
	status, err := d.register(ctx)
	if err != nil {
		return err
	}
	if err := d.poll(ctx); err != nil {
		return err
	}
	if _, err := d.fetch(ctx); err != nil {
		return err
	}
	fmt.Fprintf(out, "3. device registered (HTTP %d) and holds the version of tag %q, Last-Modified %s\n", status, d.tag, d.modified.Format(http.TimeFormat))

	// 4. The application changes the holder's points.
	var updated struct {
		LastUpdated  string
		PushesQueued int
	}
	if err := admin(ctx, base, "PATCH", "/api/v1/passes/M-0001", `{"values": {"points": 150}}`, http.StatusOK, &updated); err != nil {
		return err
	}
	fmt.Fprintf(out, "4. updated points to 150: lastUpdated %q, %d push queued\n", updated.LastUpdated, updated.PushesQueued)

	// 5. The push worker tells APNs; APNs would wake the device.
	var req pushtest.Request
	for {
		if reqs := apns.RequestsFor(pushToken); len(reqs) > 0 {
			req = reqs[0]
			break
		}
		select {
		case <-ctx.Done():
			return errors.New("no push reached APNs")
		case <-time.After(20 * time.Millisecond):
		}
	}
	fmt.Fprintf(out, "5. push arrived at APNs: token %s…, topic %s, body %s, answered %d\n", req.Token[:8], req.Header.Get("apns-topic"), req.Body, req.Status)

	// 6. The device asks what changed since its tag and fetches it.
	old, oldTag := d.modified, d.tag
	if err := d.poll(ctx); err != nil {
		return err
	}
	fmt.Fprintf(out, "6. device asked what changed since %q: %v, new lastUpdated %q\n", oldTag, d.changed, d.tag)
	status, err = d.fetch(ctx)
	if err != nil {
		return err
	}
	if status != http.StatusOK || !d.modified.After(old) {
		return fmt.Errorf("the device did not get a newer version (HTTP %d, Last-Modified %s)", status, d.modified)
	}
	fmt.Fprintf(out, "7. device fetched the new version (HTTP %d): points %s, Last-Modified %s (was %s)\n", status, d.points, d.modified.Format(http.TimeFormat), old.Format(http.TimeFormat))
	status, err = d.fetch(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "8. asked again with If-Modified-Since: HTTP %d, nothing to download\n", status)
	return nil
}

// loadDesign makes the pass design: a store card with the holder's name as
// a {{name}} placeholder and a points field with a change message.
func loadDesign() (*template.Template, error) {
	passJSON := `{
  "formatVersion": 1,
  "passTypeIdentifier": "` + passTypeID + `",
  "teamIdentifier": "` + teamID + `",
  "organizationName": "Example Coffee",
  "description": "Example Coffee loyalty card",
  "foregroundColor": "rgb(255, 255, 255)",
  "backgroundColor": "rgb(60, 65, 76)",
  "storeCard": {
    "headerFields": [{"key": "points", "label": "POINTS", "value": 0, "changeMessage": "You have %@ points"}],
    "secondaryFields": [{"key": "member", "label": "MEMBER", "value": "{{name}}"}]
  }
}`
	files := fstest.MapFS{"pass.json": {Data: []byte(passJSON)}}
	for name, size := range map[string]int{"icon.png": 29, "icon@2x.png": 58} {
		img := image.NewNRGBA(image.Rect(0, 0, size, size))
		for i := range img.Pix {
			img.Pix[i] = 0xff
		}
		img.SetNRGBA(size/2, size/2, color.NRGBA{60, 65, 76, 255})
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			return nil, err
		}
		files[name] = &fstest.MapFile{Data: buf.Bytes()}
	}
	return template.Load(files)
}

// admin calls the admin API and decodes the answer into v.
func admin(ctx context.Context, base, method, path, body string, want int, v any) error {
	req, err := http.NewRequestWithContext(ctx, method, base+path, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+adminToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, b)
	}
	return json.Unmarshal(b, v)
}

// get fetches u with the headers h.
func get(ctx context.Context, u string, h http.Header) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return nil, err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: HTTP %d", u, resp.StatusCode)
	}
	return io.ReadAll(resp.Body)
}

// device is a simulated Wallet device: what it knows of one pass, and the
// requests Wallet makes.
type device struct {
	wsURL, passTypeID, serial, token string
	tag                              string
	changed                          []string
	modified                         time.Time
	points                           string
}

// newDevice reads a .pkpass as Wallet does when the pass is added.
func newDevice(pkpass []byte) (*device, error) {
	pkg, err := sign.ReadBytes(pkpass, nil)
	if pkg == nil || pkg.Pass == nil {
		return nil, fmt.Errorf("reading the pass: %w", err)
	}
	// err reports the development chain, which only Wallet would refuse.
	p := pkg.Pass
	d := &device{wsURL: p.WebServiceURL, passTypeID: p.PassTypeIdentifier, serial: p.SerialNumber, token: p.AuthenticationToken}
	d.read(pkpass)
	return d, nil
}

// read notes the points of the pass it holds.
func (d *device) read(pkpass []byte) {
	pkg, _ := sign.ReadBytes(pkpass, nil)
	if pkg == nil || pkg.Pass == nil || pkg.Pass.StoreCard == nil {
		return
	}
	for _, f := range pkg.Pass.StoreCard.HeaderFields {
		if f.Key == "points" {
			b, _ := json.Marshal(f.Value)
			d.points = string(b)
		}
	}
}

func (d *device) do(ctx context.Context, method, path, body string, auth bool, h http.Header) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, d.wsURL+path, strings.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	if auth {
		req.Header.Set("Authorization", "ApplePass "+d.token)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

// register is Wallet's POST .../v1/devices/{device}/registrations/{type}/{serial}.
func (d *device) register(ctx context.Context) (int, error) {
	resp, _, err := d.do(ctx, "POST", "v1/devices/liveupdate-device/registrations/"+d.passTypeID+"/"+d.serial, `{"pushToken": "`+pushToken+`"}`, true, nil)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// poll is Wallet's GET .../registrations/{type}?passesUpdatedSince={tag}.
func (d *device) poll(ctx context.Context) error {
	path := "v1/devices/liveupdate-device/registrations/" + d.passTypeID
	if d.tag != "" {
		path += "?passesUpdatedSince=" + d.tag
	}
	resp, b, err := d.do(ctx, "GET", path, "", false, nil)
	if err != nil {
		return err
	}
	d.changed = nil
	if resp.StatusCode == http.StatusNoContent {
		return nil
	}
	var sn struct {
		SerialNumbers []string `json:"serialNumbers"`
		LastUpdated   string   `json:"lastUpdated"`
	}
	if err := json.Unmarshal(b, &sn); err != nil {
		return fmt.Errorf("list of serial numbers: %w", err)
	}
	d.changed, d.tag = sn.SerialNumbers, sn.LastUpdated
	return nil
}

// fetch is Wallet's GET .../v1/passes/{type}/{serial} with If-Modified-Since.
func (d *device) fetch(ctx context.Context) (int, error) {
	h := http.Header{}
	if !d.modified.IsZero() {
		h.Set("If-Modified-Since", d.modified.Format(http.TimeFormat))
	}
	resp, b, err := d.do(ctx, "GET", "v1/passes/"+d.passTypeID+"/"+d.serial, "", true, h)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode == http.StatusOK {
		if d.modified, err = http.ParseTime(resp.Header.Get("Last-Modified")); err != nil {
			return 0, fmt.Errorf("the Last-Modified header: %w", err)
		}
		d.read(b)
	}
	return resp.StatusCode, nil
}

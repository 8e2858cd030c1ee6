package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// device plays a Wallet device against a web service with plain HTTP
// requests, as Wallet makes them: webServiceURL + "v1/...".
type device struct {
	t          testing.TB
	id         string
	pushToken  string
	wsURL      string
	passTypeID string
	serial     string
	authToken  string
	tag        string    // the lastUpdated it holds
	modified   time.Time // the Last-Modified of the pass it holds
	pkpass     []byte
}

func (d *device) request(method, path string, body string, auth bool, header http.Header) (*http.Response, []byte) {
	d.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, d.wsURL+path, r)
	require.NoError(d.t, err)
	if auth {
		req.Header.Set("Authorization", "ApplePass "+d.authToken)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(d.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(d.t, err)
	return resp, b
}

// register registers the device for its pass and returns the status.
func (d *device) register() int {
	d.t.Helper()
	resp, _ := d.request("POST", "v1/devices/"+d.id+"/registrations/"+d.passTypeID+"/"+url.PathEscape(d.serial),
		`{"pushToken": "`+d.pushToken+`"}`, true, nil)
	return resp.StatusCode
}

// poll asks which serials changed since the tag it holds: their list (nil
// for 204) and the new tag, which it keeps.
func (d *device) poll() []string {
	d.t.Helper()
	path := "v1/devices/" + d.id + "/registrations/" + d.passTypeID
	if d.tag != "" {
		path += "?passesUpdatedSince=" + url.QueryEscape(d.tag)
	}
	resp, body := d.request("GET", path, "", false, nil)
	if resp.StatusCode == http.StatusNoContent {
		return nil
	}
	require.Equal(d.t, http.StatusOK, resp.StatusCode, "%s", body)
	var sn struct {
		SerialNumbers []string `json:"serialNumbers"`
		LastUpdated   *string  `json:"lastUpdated"`
	}
	require.NoError(d.t, json.Unmarshal(body, &sn), "%s", body)
	require.NotNil(d.t, sn.LastUpdated, "lastUpdated is a JSON string: %s", body)
	d.tag = *sn.LastUpdated
	return sn.SerialNumbers
}

// fetch gets the pass with If-Modified-Since of the version it holds; it
// returns the status and keeps a new version.
func (d *device) fetch() int {
	d.t.Helper()
	h := http.Header{}
	if !d.modified.IsZero() {
		h.Set("If-Modified-Since", d.modified.UTC().Format(http.TimeFormat))
	}
	resp, body := d.request("GET", "v1/passes/"+d.passTypeID+"/"+url.PathEscape(d.serial), "", true, h)
	if resp.StatusCode == http.StatusOK {
		require.Equal(d.t, "application/vnd.apple.pkpass", resp.Header.Get("Content-Type"))
		lm, err := http.ParseTime(resp.Header.Get("Last-Modified"))
		require.NoError(d.t, err, "Last-Modified")
		d.modified, d.pkpass = lm, body
	}
	return resp.StatusCode
}

package server

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/passforge/passforge/webservice"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLiveUpdate is the whole loop in one process: issue, a device
// registers, an update queues a push, the worker sends it, the device polls
// and fetches the new version.
func TestLiveUpdate(t *testing.T) {
	p := newScriptedPusher()
	h := newHarness(t, fastWorker(p))
	h.run()
	resp, body := h.do("POST", "/api/v1/passes", `{"serialNumber": "live-1", "values": {"name": "Jane", "points": 100}}`)
	require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", body)
	issued := decodeInfo(t, body)
	resp, data := h.doAuth("GET", issued.DownloadURL[len(h.http.URL):], "", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	pkg := verifyPkpass(t, data)

	d := newDevice(t, "device0001", hexToken(3), pkg.Pass.WebServiceURL, pkg.Pass.PassTypeIdentifier,
		pkg.Pass.SerialNumber, pkg.Pass.AuthenticationToken)
	assert.Equal(t, http.StatusCreated, d.register())
	assert.Equal(t, http.StatusOK, d.register(), "a repeated registration")
	wrong := *d
	wrong.Target.AuthenticationToken = "not-the-token-of-this-pass"
	assert.Equal(t, http.StatusUnauthorized, wrong.register())

	assert.Equal(t, []string{"live-1"}, d.poll())
	assert.Equal(t, http.StatusOK, d.fetch())
	first := d.Modified
	assert.Equal(t, http.StatusNotModified, d.fetch())
	assert.Nil(t, d.poll(), "nothing changed: 204")

	// Two updates within one second.
	for _, pts := range []string{"150", "175"} {
		resp, body = h.do("PATCH", "/api/v1/passes/live-1", `{"values": {"points": `+pts+`}}`)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
		assert.Equal(t, 1, *decodeInfo(t, body).PushesQueued)
	}
	require.Eventually(t, func() bool { return p.count(d.PushToken) == 2 }, 5*time.Second, 10*time.Millisecond, "both pushes arrive")
	before := d.Tag
	assert.Equal(t, []string{"live-1"}, d.poll())
	assert.Greater(t, webservice.ParseTag(d.Tag), webservice.ParseTag(before), "the tag moved forward")
	assert.Equal(t, http.StatusOK, d.fetch(), "the device holding the old version gets the new one")
	assert.True(t, d.Modified.After(first), "Last-Modified %s after %s", d.Modified, first)
	assert.Equal(t, "175", fieldValue(t, verifyPkpass(t, d.Data).Pass, "points"))
	assert.Equal(t, http.StatusNotModified, d.fetch())

	resp, body = h.do("GET", "/api/v1/passes/live-1", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, 1, *decodeInfo(t, body).Registrations)
	assert.Equal(t, d.Tag, decodeInfo(t, body).LastUpdated)

	// The web service answers under webServiceURL with a doubled slash too
	// (Wallet may append "/v1/..." to a URL ending in "/").
	// wallettest.Device.URL joins without doubling the slash, so the URL is
	// written out here.
	doubled := d.Target.WebServiceURL + "/v1/passes/" + d.Target.PassTypeIdentifier + "/" + url.PathEscape(d.Target.SerialNumber)
	require.Contains(t, doubled, "//v1/")
	r, err := d.Do(t.Context(), http.MethodGet, doubled, nil, "ApplePass "+d.Target.AuthenticationToken, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, r.Status)

	// A void reaches the device the same way.
	resp, _ = h.do("POST", "/api/v1/passes/live-1/void", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Eventually(t, func() bool { return p.count(d.PushToken) == 3 }, 5*time.Second, 10*time.Millisecond)
	assert.Equal(t, []string{"live-1"}, d.poll())
	assert.Equal(t, http.StatusOK, d.fetch())
	assert.True(t, verifyPkpass(t, d.Data).Pass.Voided)

	resp, body = h.doAuth("GET", "/metrics", "", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	for _, want := range []string{
		`passforge_http_requests_total{code="201",endpoint="webservice_register"} 1`,
		`passforge_http_requests_total{code="401",endpoint="webservice_register"} 1`,
		`passforge_http_requests_total{code="304",endpoint="webservice_pass"} 2`,
		`passforge_http_requests_total{code="204",endpoint="webservice_list"} 1`,
		`passforge_http_requests_total{code="200",endpoint="download"} 1`,
		// Four versions (issue, two updates, void), each signed once, however often devices fetched.
		"passforge_signing_duration_seconds_count 4",
	} {
		assert.Contains(t, string(body), want)
	}
}

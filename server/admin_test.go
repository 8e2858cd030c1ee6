package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/webservice"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAdminAuth(t *testing.T) {
	h := newHarness(t, nil)
	for _, auth := range []string{"", "Bearer", "Bearer wrong-token-0123456789", "Basic " + testAdminToken, testAdminToken, "Bearer " + testAdminToken + "x"} {
		t.Run(fmt.Sprintf("%q", auth), func(t *testing.T) {
			resp, body := h.doAuth("GET", "/api/v1/passes/nope", "", auth)
			assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
			assert.Contains(t, resp.Header.Get("WWW-Authenticate"), "Bearer")
			e := decodeErr(t, body)
			assert.Equal(t, CodeUnauthorized, e.Error.Code)
			assert.NotContains(t, string(body), testAdminToken)
		})
	}
	// The scheme is case-insensitive.
	resp, _ := h.doAuth("GET", "/api/v1/passes/nope", "", "bearer "+testAdminToken)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	// An unauthenticated request learns nothing about what exists.
	_, err := h.srv.Issue(t.Context(), "known", Values{"name": json.RawMessage(`"K"`)})
	require.NoError(t, err)
	r1, b1 := h.doAuth("GET", "/api/v1/passes/known", "", "Bearer nope")
	r2, b2 := h.doAuth("GET", "/api/v1/passes/unknown", "", "Bearer nope")
	assert.Equal(t, r1.StatusCode, r2.StatusCode)
	assert.Equal(t, b1, b2)
	assert.NotContains(t, h.logs.String(), testAdminToken)
}

func TestIssueGetUpdateVoid(t *testing.T) {
	h := newHarness(t, nil)
	resp, body := h.do("POST", "/api/v1/passes", `{"serialNumber": "jane-1", "values": {"name": "Jane", "points": 10}}`)
	require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", body)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	issued := decodeInfo(t, body)
	assert.Equal(t, "jane-1", issued.SerialNumber)
	assert.Equal(t, testPassTypeID, issued.PassTypeIdentifier)
	assert.Regexp(t, `^[0-9]+$`, issued.LastUpdated)
	var raw map[string]any
	require.NoError(t, json.Unmarshal(body, &raw))
	assert.IsType(t, "", raw["lastUpdated"], "lastUpdated is a JSON string")
	u, err := url.Parse(issued.DownloadURL)
	require.NoError(t, err)
	assert.True(t, u.IsAbs())

	// The signed pass carries the web service URL, a token of 16+
	// characters that is stored only hashed, and the values.
	resp, data := h.do("GET", "/api/v1/passes/jane-1/pkpass", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/vnd.apple.pkpass", resp.Header.Get("Content-Type"))
	lm1, err := http.ParseTime(resp.Header.Get("Last-Modified"))
	require.NoError(t, err)
	pkg := verifyPkpass(t, data)
	assert.Equal(t, "jane-1", pkg.Pass.SerialNumber)
	assert.Equal(t, h.srv.WebServiceURL(), pkg.Pass.WebServiceURL)
	assert.True(t, strings.HasSuffix(pkg.Pass.WebServiceURL, "/wallet/"))
	token := pkg.Pass.AuthenticationToken
	assert.GreaterOrEqual(t, len(token), 16)
	stored, err := h.store.Pass(t.Context(), testPassTypeID, "jane-1")
	require.NoError(t, err)
	assert.Equal(t, webservice.HashToken(token), stored.AuthTokenHash)
	assert.NotContains(t, string(stored.AppData), token)
	assert.Equal(t, "Jane", fieldValue(t, pkg.Pass, "member"))
	assert.Equal(t, "10", fieldValue(t, pkg.Pass, "points"))

	resp, body = h.do("GET", "/api/v1/passes/jane-1", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	got := decodeInfo(t, body)
	assert.Equal(t, issued.LastUpdated, got.LastUpdated)
	assert.False(t, got.Voided)
	require.NotNil(t, got.Registrations)
	assert.Equal(t, 0, *got.Registrations)
	assert.JSONEq(t, `"Jane"`, string(got.Values["name"]))

	// Two updates within one second: tags and Last-Modified move forward
	// each time; the values merge (null removes nothing here: tier stays).
	resp, body = h.do("PATCH", "/api/v1/passes/jane-1", `{"values": {"points": 20}}`)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	up1 := decodeInfo(t, body)
	resp, body = h.do("PATCH", "/api/v1/passes/jane-1", `{"values": {"points": 30, "tier": "Gold"}}`)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	up2 := decodeInfo(t, body)
	require.NotNil(t, up2.PushesQueued)
	assert.Equal(t, 0, *up2.PushesQueued)
	assert.Greater(t, webservice.ParseTag(up1.LastUpdated), webservice.ParseTag(issued.LastUpdated))
	assert.Greater(t, webservice.ParseTag(up2.LastUpdated), webservice.ParseTag(up1.LastUpdated))
	assert.True(t, up2.LastModified.After(up1.LastModified))
	assert.JSONEq(t, `{"name": "Jane", "points": 30, "tier": "Gold"}`, mustJSON(t, up2.Values))

	resp, data = h.do("GET", "/api/v1/passes/jane-1/pkpass", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	lm3, err := http.ParseTime(resp.Header.Get("Last-Modified"))
	require.NoError(t, err)
	assert.True(t, lm3.After(lm1), "Last-Modified %s after %s", lm3, lm1)
	pkg = verifyPkpass(t, data)
	assert.Equal(t, "30", fieldValue(t, pkg.Pass, "points"))
	assert.Equal(t, "Gold", fieldValue(t, pkg.Pass, "tier"))
	assert.Equal(t, token, pkg.Pass.AuthenticationToken, "the token never changes")

	// null removes a value: the design's value comes back.
	resp, body = h.do("PATCH", "/api/v1/passes/jane-1", `{"values": {"tier": null}}`)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	assert.JSONEq(t, `{"name": "Jane", "points": 30}`, mustJSON(t, decodeInfo(t, body).Values))

	resp, body = h.do("POST", "/api/v1/passes/jane-1/void", "")
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	voided := decodeInfo(t, body)
	assert.True(t, voided.Voided)
	_, data = h.do("GET", "/api/v1/passes/jane-1/pkpass", "")
	assert.True(t, verifyPkpass(t, data).Pass.Voided)
	// Voiding again changes nothing.
	resp, body = h.do("POST", "/api/v1/passes/jane-1/void", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, voided.LastUpdated, decodeInfo(t, body).LastUpdated)
	_, body = h.do("GET", "/api/v1/passes/jane-1", "")
	assert.True(t, decodeInfo(t, body).Voided)
}

func fieldValue(t testing.TB, p *pass.Pass, key string) string {
	t.Helper()
	pf := p.Fields(p.Style())
	require.NotNil(t, pf)
	for _, group := range [][]pass.Field{pf.HeaderFields, pf.PrimaryFields, pf.SecondaryFields, pf.AuxiliaryFields, pf.BackFields} {
		for _, f := range group {
			if f.Key == key {
				b, err := json.Marshal(f.Value)
				require.NoError(t, err)
				return strings.Trim(string(b), `"`)
			}
		}
	}
	t.Fatalf("no field %q", key)
	return ""
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func TestIssueGeneratedSerial(t *testing.T) {
	h := newHarness(t, nil)
	seen := map[string]bool{}
	for range 3 {
		resp, body := h.do("POST", "/api/v1/passes", `{"values": {"name": "Anon"}}`)
		require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", body)
		info := decodeInfo(t, body)
		assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, info.SerialNumber)
		assert.False(t, seen[info.SerialNumber])
		seen[info.SerialNumber] = true
	}
}

func TestAdminErrors(t *testing.T) {
	h := newHarness(t, nil)
	_, err := h.srv.Issue(t.Context(), "taken", Values{"name": json.RawMessage(`"X"`)})
	require.NoError(t, err)
	big := `{"values": {"name": "` + strings.Repeat("a", MaxRequestBody) + `"}}`
	cases := []struct {
		name, method, path, body string
		status                   int
		code, message            string
		problem                  string // a problem path the answer must name
	}{
		{"exists", "POST", "/api/v1/passes", `{"serialNumber": "taken", "values": {"name": "Y"}}`, 409, CodeConflict, "exists", ""},
		{"malformed JSON", "POST", "/api/v1/passes", `{"values": {"name": "Y"}`, 400, CodeBadRequest, "malformed JSON", ""},
		{"not an object", "POST", "/api/v1/passes", `[1]`, 400, CodeBadRequest, "want a JSON object", ""},
		{"empty body", "POST", "/api/v1/passes", ``, 400, CodeBadRequest, "empty", ""},
		{"unknown field", "POST", "/api/v1/passes", `{"serial": "x"}`, 400, CodeBadRequest, `unknown field "serial"`, ""},
		{"trailing data", "POST", "/api/v1/passes", `{"values": {}} {}`, 400, CodeBadRequest, "after the JSON object", ""},
		{"wrong type", "POST", "/api/v1/passes", `{"serialNumber": 7}`, 400, CodeBadRequest, `"serialNumber"`, ""},
		{"too large", "POST", "/api/v1/passes", big, 413, CodeTooLarge, "larger than", ""},
		{"not a number", "POST", "/api/v1/passes", `{"values": {"name": "Y", "points": "many"}}`, 422, CodeInvalidValues, "valid pass", "values.points"},
		{"unknown value", "POST", "/api/v1/passes", `{"values": {"name": "Y", "colour": "red"}}`, 422, CodeInvalidValues, "valid pass", "values.colour"},
		{"reserved value", "POST", "/api/v1/passes", `{"values": {"name": "Y", "webServiceURL": "https://evil.example"}}`, 422, CodeInvalidValues, "valid pass", "values.webServiceURL"},
		{"missing placeholder", "POST", "/api/v1/passes", `{"values": {}}`, 422, CodeInvalidValues, "valid pass", "values.name"},
		{"invalid pass", "POST", "/api/v1/passes", `{"values": {"name": "Y", "backgroundColor": "bluish"}}`, 422, CodeInvalidValues, "valid pass", "backgroundColor"},
		{"bad serial", "POST", "/api/v1/passes", `{"serialNumber": "a/b", "values": {"name": "Y"}}`, 422, CodeInvalidValues, "valid pass", "serialNumber"},
		{"object value", "POST", "/api/v1/passes", `{"values": {"name": {"first": "Y"}}}`, 422, CodeInvalidValues, "valid pass", "values.name"},
		{"get unknown", "GET", "/api/v1/passes/nope", ``, 404, CodeNotFound, "no such pass", ""},
		{"patch unknown", "PATCH", "/api/v1/passes/nope", `{"values": {}}`, 404, CodeNotFound, "no such pass", ""},
		{"patch without values", "PATCH", "/api/v1/passes/taken", `{}`, 400, CodeBadRequest, `"values" is required`, ""},
		{"patch invalid", "PATCH", "/api/v1/passes/taken", `{"values": {"points": "x"}}`, 422, CodeInvalidValues, "valid pass", "values.points"},
		{"void unknown", "POST", "/api/v1/passes/nope/void", ``, 404, CodeNotFound, "no such pass", ""},
		{"pkpass unknown", "GET", "/api/v1/passes/nope/pkpass", ``, 404, CodeNotFound, "no such pass", ""},
		{"wrong method", "DELETE", "/api/v1/passes", ``, 405, CodeMethodNotAllowed, "not allowed", ""},
		{"unknown path", "GET", "/api/v1/things", ``, 404, CodeNotFound, "no such endpoint", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := h.do(c.method, c.path, c.body)
			require.Equal(t, c.status, resp.StatusCode, "%s", body)
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
			e := decodeErr(t, body)
			assert.Equal(t, c.code, e.Error.Code)
			assert.Contains(t, e.Error.Message, c.message)
			if c.problem != "" {
				var paths []string
				for _, p := range e.Error.Problems {
					paths = append(paths, p.Path)
					assert.NotEmpty(t, p.Message)
				}
				assert.Contains(t, paths, c.problem, "problems %+v", e.Error.Problems)
			}
			if c.status == 405 {
				assert.NotEmpty(t, resp.Header.Get("Allow"))
			}
		})
	}
	// A failed update changed nothing.
	_, body := h.do("GET", "/api/v1/passes/taken", "")
	assert.JSONEq(t, `{"name": "X"}`, mustJSON(t, decodeInfo(t, body).Values))
}

func TestDownloadURL(t *testing.T) {
	h := newHarness(t, nil)
	info, err := h.srv.Issue(t.Context(), "dl-1", Values{"name": json.RawMessage(`"Dee"`)})
	require.NoError(t, err)
	get := func(u string) (*http.Response, []byte) {
		t.Helper()
		resp, b := h.doAuth("GET", strings.TrimPrefix(u, h.http.URL), "", "")
		return resp, b
	}
	resp, data := get(info.DownloadURL)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", data)
	assert.Equal(t, "application/vnd.apple.pkpass", resp.Header.Get("Content-Type"))
	assert.Equal(t, "dl-1", verifyPkpass(t, data).Pass.SerialNumber)

	// The link serves the current version after an update.
	_, err = h.srv.Update(t.Context(), "dl-1", Values{"points": json.RawMessage(`5`)})
	require.NoError(t, err)
	_, data = get(info.DownloadURL)
	assert.Equal(t, "5", fieldValue(t, verifyPkpass(t, data).Pass, "points"))

	u, err := url.Parse(info.DownloadURL)
	require.NoError(t, err)
	q := u.Query()
	tampered := *u
	q2 := url.Values{"expires": {fmt.Sprint(time.Now().Add(100 * 24 * time.Hour).Unix())}, "signature": q["signature"]}
	tampered.RawQuery = q2.Encode()
	resp, body := get(tampered.String())
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.Equal(t, "invalid_link", decodeErr(t, body).Error.Code)

	other := strings.Replace(info.DownloadURL, "/dl-1.pkpass", "/dl-2.pkpass", 1)
	resp, _ = get(other)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "a link signs one serial number")

	expired := h.srv.DownloadURL("dl-1", time.Now().Add(-time.Minute))
	resp, body = get(expired)
	assert.Equal(t, http.StatusGone, resp.StatusCode)
	assert.Equal(t, "expired_link", decodeErr(t, body).Error.Code)

	// A valid link to a pass that does not exist.
	resp, _ = get(h.srv.DownloadURL("ghost", time.Now().Add(time.Hour)))
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	// Requests are logged without the link's signature, its credential.
	assert.Contains(t, h.logs.String(), "endpoint=download status=200")
	assert.NotContains(t, h.logs.String(), q.Get("signature"))
}

func TestHealthAndMetrics(t *testing.T) {
	h := newHarness(t, nil)
	resp, body := h.doAuth("GET", "/healthz", "", "")
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	assert.JSONEq(t, `{"status": "ok"}`, string(body))

	_, err := h.srv.Issue(t.Context(), "m-1", Values{"name": json.RawMessage(`"M"`)})
	require.NoError(t, err)
	h.do("GET", "/api/v1/passes/m-1", "")
	h.do("GET", "/api/v1/passes/nope", "")
	resp, body = h.doAuth("GET", "/metrics", "", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	m := string(body)
	for _, want := range []string{
		`passforge_http_requests_total{code="200",endpoint="admin_get"} 1`,
		`passforge_http_requests_total{code="404",endpoint="admin_get"} 1`,
		`passforge_http_requests_total{code="200",endpoint="healthz"} 1`,
		"passforge_passes 1",
		"passforge_registrations 0",
		"passforge_outbox_depth 0",
		`passforge_pushes_total{outcome="delivered"} 0`,
		"passforge_signing_duration_seconds_count 1",
		`passforge_http_request_duration_seconds_count{endpoint="admin_get"} 2`,
	} {
		assert.Contains(t, m, want)
	}

	assert.Contains(t, h.logs.String(), "msg=request method=GET endpoint=admin_get status=404")

	// With the store closed, /healthz says so.
	require.NoError(t, h.store.Close())
	resp, _ = h.doAuth("GET", "/healthz", "", "")
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
}

func TestSecretRedacts(t *testing.T) {
	s := Secret("super-secret-token-value")
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		assert.NotContains(t, fmt.Sprintf(f, s), "super-secret")
		assert.NotContains(t, fmt.Sprintf(f, Config{AdminToken: s}), "super-secret")
	}
	b, err := json.Marshal(map[string]Secret{"adminToken": s})
	require.NoError(t, err)
	assert.NotContains(t, string(b), "super-secret")
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("config", "adminToken", s, "keys", deriveKeys([]byte("0123456789abcdef0123456789abcdef")))
	assert.NotContains(t, logs.String(), "super-secret")
	assert.Contains(t, logs.String(), "[REDACTED]")
}

func TestConcurrentUpdates(t *testing.T) {
	h := newHarness(t, nil)
	_, err := h.srv.Issue(t.Context(), "cc-1", Values{"name": json.RawMessage(`"C"`)})
	require.NoError(t, err)
	h.register("ccdevice", hexToken(5), "cc-1")
	const n = 20
	tags := make(chan string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, body := h.do("PATCH", "/api/v1/passes/cc-1", fmt.Sprintf(`{"values": {"points": %d}}`, i))
			if assert.Equal(t, http.StatusOK, resp.StatusCode, "%s", body) {
				tags <- decodeInfo(t, body).LastUpdated
			}
		}()
	}
	wg.Wait()
	close(tags)
	seen := map[string]bool{}
	for tag := range tags {
		assert.False(t, seen[tag], "tag %s given twice", tag)
		seen[tag] = true
	}
	assert.Len(t, seen, n)
	assert.EqualValues(t, n, h.depth(), "one push queued per update")
	got, err := h.srv.Pass(t.Context(), "cc-1")
	require.NoError(t, err)
	// The newest version holds the values of the update with the greatest tag.
	var maxTag int64
	for tag := range seen {
		maxTag = max(maxTag, webservice.ParseTag(tag))
	}
	assert.Equal(t, webservice.FormatTag(maxTag), got.LastUpdated)
	data, _, err := h.srv.PassData(t.Context(), "cc-1")
	require.NoError(t, err)
	assert.Equal(t, string(got.Values["points"]), fieldValue(t, verifyPkpass(t, data).Pass, "points"), "stored values and signed pass agree")
}

package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// FuzzAdminRequests sends any body to the admin API's issue and update
// endpoints and any path and query to the download links: no panic, only
// the documented statuses, and every error a JSON error body.
func FuzzAdminRequests(f *testing.F) {
	for _, seed := range []string{
		`{"serialNumber": "f-1", "values": {"name": "Jane", "points": 5}}`,
		`{"values": {"name": null}}`,
		`{"values": {"userInfo": {"a": [1, 2]}}}`,
		`{"values": {"expirationDate": "2030-01-01T00:00:00Z", "name": "x"}}`,
		`{"values": {"name": "x", "points": 1e999}}`,
		`{"serialNumber": "../../etc", "values": {}}`,
		`[]`, `{`, `null`, `{"values": 7}`, "\x00\xff",
	} {
		f.Add(seed, "f-1.pkpass?expires=1&signature=x")
	}
	h := newHarness(f, nil)
	handler := h.srv.Handler()
	if _, err := h.srv.Issue(f.Context(), "f-1", Values{"name": json.RawMessage(`"Seed"`)}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body, download string) {
		for _, c := range []struct {
			method, path string
			ok           []int
		}{
			{"POST", "/api/v1/passes", []int{201, 400, 409, 413, 422}},
			{"PATCH", "/api/v1/passes/f-1", []int{200, 400, 413, 422}},
		} {
			req := httptest.NewRequest(c.method, c.path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+testAdminToken)
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, req)
			if !slices.Contains(c.ok, rec.Code) {
				t.Fatalf("%s %s %q: status %d: %s", c.method, c.path, body, rec.Code, rec.Body)
			}
			if rec.Code >= 400 {
				var e apiErrBody
				if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
					t.Fatalf("%s %q: error body %s", c.method, body, rec.Body)
				}
			}
		}
		req, err := http.NewRequest("GET", "http://example.com/wallet/download/"+download, nil)
		if err != nil {
			return
		}
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if !slices.Contains([]int{403, 404, 410}, rec.Code) {
			t.Fatalf("download %q: status %d", download, rec.Code)
		}
	})
}

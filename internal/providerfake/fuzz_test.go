package providerfake_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/passforge/passforge/internal/providerfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writes are the operations that decode a request body, by provider.
var writes = []struct {
	p            providerfake.Provider
	method, path string
}{
	{providerfake.Passmint, http.MethodPost, "/v1/passes"},
	{providerfake.PassLite, http.MethodPost, "/businesses/biz_123/passes"},
	{providerfake.Pass2U, http.MethodPost, "/models/1919/passes"},
	{providerfake.Passinstance, http.MethodPost, "/passes"},
	{providerfake.RemyPass, http.MethodPost, "/passes/issue"},
}

// FuzzRequestBodies sends arbitrary bodies to every write operation: the fake
// answers each with a 2xx or 4xx in JSON, never a 5xx or a panic.
func FuzzRequestBodies(f *testing.F) {
	for _, seed := range []string{
		`{"template_id":"tmpl_xxx","field_values":{"a":"b"}}`, `{"template_id":"tpl_loyalty_gold"}`,
		`{"fields":[{"key":"level","value":"GOLD"}]}`, `{"templateId":"tpl_abcdef1234567890","fields":{"a":{"value":"b"}}}`,
		`{"memberId":"507f1f77bcf86cd799439011","passTemplateId":"507f1f77bcf86cd799439012","eventName":"x"}`,
		``, `null`, `[]`, `{"fields":[{}]}`, `{"voided":"yes"}`, `{"template_id":7}`, "\xff",
	} {
		f.Add(seed)
	}
	fake := providerfake.New(&providerfake.Options{})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	f.Fuzz(func(t *testing.T, body string) {
		for _, w := range writes {
			req, err := http.NewRequest(w.method, srv.URL+providerfake.BasePath(w.p)+w.path, strings.NewReader(body))
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer any")
			req.Header.Set("X-API-Key", "any")
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			out, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.NoError(t, err)
			assert.Less(t, resp.StatusCode, 500, "%s %s: %s", w.p, w.path, out)
			assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
		}
	})
}

func TestOversizedBodyIsRefused(t *testing.T) {
	srv := httptest.NewServer(providerfake.New(nil))
	defer srv.Close()
	for _, w := range writes {
		t.Run(string(w.p), func(t *testing.T) {
			big := `{"x":"` + strings.Repeat("a", 2<<20) + `"}`
			req, err := http.NewRequest(w.method, srv.URL+providerfake.BasePath(w.p)+w.path, strings.NewReader(big))
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer any")
			req.Header.Set("X-API-Key", "any")
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			out, _ := io.ReadAll(resp.Body)
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			assert.Contains(t, string(out), "larger than 1 MiB")
		})
	}
}

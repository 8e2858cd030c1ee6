package pass2u

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/clienttest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testKey is the example key of Pass2U's authentication section.
const testKey = "e6a45207817bb8e9b1f3e67bb696067c"

// Example responses copied from Pass2U's API guide.
const (
	createdJSON = `{
"barcodeMessage":"1234567890",
"modelId":1919,
"passId":"VT-2I77F5ADz",
"createdTime":"2018-01-25T16:19:36+08:00",
"expirationDate":"2018-12-31T23:00:15+08:00",
"undocumented":true
}`
	updatedJSON = `{
"barcodeMessage":"1234567890",
"modelId":1919,
"passId":"VT-2I77F5ADz",
"updatedTime":"2018-01-25T16:19:36+08:00",
"expirationDate":"2018-12-31T23:00:15+08:00"
}`
	imageJSON = `{"hex":"89b9a6edb1132bae969711230ef63e3fb367f34e"}`
)

// pkpassBytes stands in for a .pkpass file: a zip signature and content.
var pkpassBytes = append([]byte("PK\x03\x04"), bytes.Repeat([]byte("pass-bytes "), 5000)...)

// fake is an httptest Pass2U written from the API guide. It answers each
// documented route with the guide's example response and records every
// request.
type fake struct{ *clienttest.Server }

func newFake(t *testing.T) *fake {
	t.Helper()
	f := &fake{}
	f.Server = clienttest.NewServer(t, f.serve)
	return f
}

func (f *fake) serve(w http.ResponseWriter, r *http.Request, n int) {
	w.Header().Set("X-Amzn-Requestid", fmt.Sprintf("req-%d", n))
	if f.Overridden(w, r, n) {
		return
	}
	if r.Header.Get("x-api-key") != testKey {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = io.WriteString(w, `{"message":"Forbidden"}`)
		return
	}
	route := r.Method + " " + r.URL.EscapedPath()
	var resp string
	switch route {
	case "POST /models/1919/passes":
		resp = createdJSON
	case "PUT /models/1919/passes/VT-2I77F5ADz":
		resp = updatedJSON
	case "DELETE /models/1919/passes/VT-2I77F5ADz/attributes/logoText",
		"DELETE /models/1919/passes/VT-2I77F5ADz/fields/level",
		"DELETE /models/1919/passes/VT-2I77F5ADz/fields/level/attributes/changeMessage":
		w.Header().Set("Content-Type", "application/json")
		return // 200 with no body
	case "GET /models/1919/passes/VT-2I77F5ADz":
		w.Header().Set("Content-Type", ContentTypePKPass)
		_, _ = w.Write(pkpassBytes)
		return
	case "POST /images":
		resp = imageJSON
	default:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"message":"Not Found"}`)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, resp)
}

// testNow is the fake clock's time.
var testNow = time.Date(2026, 4, 16, 12, 0, 0, 0, time.UTC)

func newTestClient(t *testing.T, f *fake, opts ...client.Option) *Client {
	t.Helper()
	c, err := New(testKey, append([]client.Option{client.WithBaseURL(f.URL), client.WithClock(clienttest.NoSleep{At: testNow})}, opts...)...)
	require.NoError(t, err)
	return c
}

func ptr[T any](v T) *T { return &v }

var taipei = time.FixedZone("+08:00", 8*3600)

func TestNew(t *testing.T) {
	c, err := New(testKey)
	require.NoError(t, err)
	assert.Equal(t, DefaultBaseURL, c.core.BaseURL().String())

	for _, key := range []string{"", "   "} {
		_, err := New(key)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "pass2u: API key is empty")
	}
	_, err = New("bad key\n")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "bad key", "the key never appears in errors")
	assert.True(t, strings.HasPrefix(err.Error(), "pass2u: "))
}

func TestEveryOperation(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name        string
		do          func(c *Client) (any, *client.Response, error)
		method      string
		path        string
		query       string
		contentType string // "" for no body
		body        string // JSON body; "" for none
		accept      string
		check       func(t *testing.T, v any)
	}{
		{
			name: "create pass",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Passes.Create(ctx, "1919", &PassParams{
					ExpirationDate:    time.Date(2018, 12, 31, 23, 0, 15, 999, taipei),
					ForegroundColor:   "rgb(51, 50, 46)",
					BackgroundColor:   "rgb(237, 219, 21)",
					LabelColor:        "rgb(196, 54, 39)",
					SharingProhibited: ptr(true),
					Barcode:           &Barcode{Message: "1234567890", AltText: "1234567890"},
					Fields: []Field{
						{Key: "name", Value: "Fi-Lin,Chen"},
						{Key: "birth", Value: "Dec’10 1999"},
						{Key: "level", Value: "GOLD"},
					},
					Images: []Image{{Type: ImageThumbnail, Hex: "d33b9f1426d363340c2946557f173c402cd74014"}},
					Locations: []Location{
						{Latitude: 25.0413093, Longitude: 121.55269329999999, RelevantText: "Store nearby on 1st and Main."},
						{Latitude: 12.0413093, Longitude: 81.3226, RelevantText: "Take a break with Bistro Coffee"},
					},
				}, &CreateOptions{UTMSource: "facebook"})
			},
			method: "POST", path: "/models/1919/passes", query: "utm_source=facebook", contentType: "application/json",
			accept: "application/json",
			// The request body of the guide's create example.
			body: `{
"expirationDate":"2018-12-31T23:00:15+08:00",
"foregroundColor":"rgb(51, 50, 46)",
"backgroundColor":"rgb(237, 219, 21)",
"labelColor":"rgb(196, 54, 39)",
"sharingProhibited":true,
"barcode":{"message":"1234567890","altText":"1234567890"},
"fields":[{"key":"name","value":"Fi-Lin,Chen"},{"key":"birth","value":"Dec’10 1999"},{"key":"level","value":"GOLD"}],
"images":[{"type":"thumbnail","hex":"d33b9f1426d363340c2946557f173c402cd74014"}],
"locations":[
{"latitude":25.0413093,"longitude":121.55269329999999,"relevantText":"Store nearby on 1st and Main."},
{"latitude":12.0413093,"longitude":81.3226,"relevantText":"Take a break with Bistro Coffee"}
]}`,
			check: func(t *testing.T, v any) {
				p := v.(*Pass)
				assert.Equal(t, "VT-2I77F5ADz", p.PassID)
				assert.Equal(t, ModelID("1919"), p.ModelID)
				assert.Equal(t, "1234567890", p.BarcodeMessage)
				assert.True(t, p.CreatedTime.Equal(time.Date(2018, 1, 25, 16, 19, 36, 0, taipei)))
				assert.True(t, p.UpdatedTime.IsZero())
				assert.True(t, p.ExpirationDate.Equal(time.Date(2018, 12, 31, 23, 0, 15, 0, taipei)))
				assert.Equal(t, "https://www.pass2u.net/d/VT-2I77F5ADz", p.DownloadPageURL())
				var raw map[string]any
				require.NoError(t, json.Unmarshal(p.Raw, &raw))
				assert.Equal(t, true, raw["undocumented"], "undocumented fields stay reachable")
			},
		},
		{
			name:   "create pass from the model alone",
			do:     func(c *Client) (any, *client.Response, error) { return c.Passes.Create(ctx, "1919", nil, nil) },
			method: "POST", path: "/models/1919/passes", contentType: "application/json", body: `{}`,
			accept: "application/json",
			check:  func(t *testing.T, v any) { assert.Equal(t, "VT-2I77F5ADz", v.(*Pass).PassID) },
		},
		{
			name: "update pass",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Passes.Update(ctx, "1919", "VT-2I77F5ADz", &PassParams{
					ExpirationDate:  time.Date(2019, 12, 31, 23, 0, 15, 0, taipei),
					ForegroundColor: "rgb(51, 50, 46)",
					BackgroundColor: "rgb(211, 79, 46)",
					LabelColor:      "rgb(196, 54, 39)",
					Fields:          []Field{{Key: "level", Value: "DIAMOND", ChangeMessage: "You get highest and most rewarding level %@"}},
				})
			},
			method: "PUT", path: "/models/1919/passes/VT-2I77F5ADz", contentType: "application/json",
			accept: "application/json",
			body: `{"expirationDate":"2019-12-31T23:00:15+08:00","foregroundColor":"rgb(51, 50, 46)",
"backgroundColor":"rgb(211, 79, 46)","labelColor":"rgb(196, 54, 39)",
"fields":[{"key":"level","value":"DIAMOND","changeMessage":"You get highest and most rewarding level %@"}]}`,
			check: func(t *testing.T, v any) {
				p := v.(*Pass)
				assert.Equal(t, "VT-2I77F5ADz", p.PassID)
				assert.True(t, p.UpdatedTime.Equal(time.Date(2018, 1, 25, 16, 19, 36, 0, taipei)))
				assert.True(t, p.CreatedTime.IsZero())
			},
		},
		{
			name: "void pass (update with voided)",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Passes.Void(ctx, "1919", "VT-2I77F5ADz")
			},
			method: "PUT", path: "/models/1919/passes/VT-2I77F5ADz", contentType: "application/json",
			accept: "application/json", body: `{"voided":true}`,
			check: func(t *testing.T, v any) { assert.Equal(t, "VT-2I77F5ADz", v.(*Pass).PassID) },
		},
		{
			name: "delete pass attribute",
			do: func(c *Client) (any, *client.Response, error) {
				resp, err := c.Passes.DeleteAttribute(ctx, "1919", "VT-2I77F5ADz", AttributeLogoText)
				return nil, resp, err
			},
			method: "DELETE", path: "/models/1919/passes/VT-2I77F5ADz/attributes/logoText", accept: "application/json",
		},
		{
			name: "delete custom field",
			do: func(c *Client) (any, *client.Response, error) {
				resp, err := c.Passes.DeleteField(ctx, "1919", "VT-2I77F5ADz", "level")
				return nil, resp, err
			},
			method: "DELETE", path: "/models/1919/passes/VT-2I77F5ADz/fields/level", accept: "application/json",
		},
		{
			name: "delete field attribute",
			do: func(c *Client) (any, *client.Response, error) {
				resp, err := c.Passes.DeleteFieldAttribute(ctx, "1919", "VT-2I77F5ADz", "level", FieldAttributeChangeMessage)
				return nil, resp, err
			},
			method: "DELETE", path: "/models/1919/passes/VT-2I77F5ADz/fields/level/attributes/changeMessage",
			accept: "application/json",
		},
		{
			name: "get pkpass file",
			do: func(c *Client) (any, *client.Response, error) {
				var buf bytes.Buffer
				n, resp, err := c.Passes.Download(ctx, "1919", "VT-2I77F5ADz", &buf)
				if err == nil {
					require.Equal(t, int64(len(pkpassBytes)), n)
				}
				return buf.Bytes(), resp, err
			},
			method: "GET", path: "/models/1919/passes/VT-2I77F5ADz", accept: ContentTypePKPass,
			check: func(t *testing.T, v any) { assert.Equal(t, pkpassBytes, v.([]byte)) },
		},
		{
			name: "upload image",
			do: func(c *Client) (any, *client.Response, error) {
				return c.Images.Upload(ctx, bytes.NewReader(testPNG(t, 58, 58)))
			},
			method: "POST", path: "/images", contentType: "image/png", accept: "application/json",
			check: func(t *testing.T, v any) {
				im := v.(*UploadedImage)
				assert.Equal(t, "89b9a6edb1132bae969711230ef63e3fb367f34e", im.Hex)
				assert.JSONEq(t, imageJSON, string(im.Raw))
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			c := newTestClient(t, f)
			v, resp, err := tt.do(c)
			require.NoError(t, err)
			require.NotNil(t, resp)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, 1, resp.Attempts)
			assert.Equal(t, "req-1", resp.RequestID, "x-amzn-RequestId is the request id")

			calls := f.Requests()
			require.Len(t, calls, 1)
			got := calls[0]
			assert.Equal(t, tt.method, got.Method)
			assert.Equal(t, tt.path, got.Path)
			assert.Equal(t, tt.query, got.RawQuery)
			clienttest.AssertHeader(t, got.Header, map[string]string{
				"x-api-key":     testKey,
				"Authorization": "",
				"Accept":        tt.accept,
				"Content-Type":  tt.contentType,
				"User-Agent":    "passforge-pass2u",
			})
			switch {
			case tt.body != "":
				assert.JSONEq(t, tt.body, got.Body)
			case tt.contentType == "image/png":
				assert.Equal(t, testPNG(t, 58, 58), []byte(got.Body))
			default:
				assert.Empty(t, got.Body)
			}
			if tt.check != nil {
				tt.check(t, v)
			}
		})
	}
}

func TestErrorDecoding(t *testing.T) {
	tests := []struct {
		status    int
		body      string
		wantCode  string
		wantMsg   string
		sentinels []error
		retried   bool
	}{
		{400, `{"message":"invalid expirationDate"}`, ErrorBadRequest, "invalid expirationDate", []error{client.ErrValidation}, false},
		{403, `{"message":"Forbidden"}`, ErrorAccessDenied, "Forbidden", []error{client.ErrForbidden}, false},
		{404, `{"message":"model not found"}`, ErrorNotFound, "model not found", []error{client.ErrNotFound}, false},
		{405, `{"message":"error"}`, ErrorBadMethod, "error", []error{client.ErrValidation}, false},
		{406, `{"message":"error"}`, ErrorNotAcceptable, "error", []error{client.ErrValidation}, false},
		{409, `{"message":"pass conflict"}`, ErrorConflict, "pass conflict", []error{client.ErrConflict}, false},
		{415, `{"message":"error"}`, ErrorUnsupportedType, "error", []error{client.ErrValidation}, false},
		{429, `{"message":"Too Many Requests"}`, ErrorTooManyRequests, "Too Many Requests", []error{client.ErrRateLimited}, true},
		{503, `{"message":"error"}`, ErrorServiceUnavailable, "error", []error{client.ErrServer}, true},
		{504, `{"message":"Endpoint request timed out"}`, ErrorEndpointTimeout, "Endpoint request timed out", []error{client.ErrServer}, true},
		{500, `not json`, "", "not json", []error{client.ErrServer}, true},
		{502, ``, "", "Bad Gateway", []error{client.ErrServer}, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			f := newFake(t)
			f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
				return true
			})
			c := newTestClient(t, f, client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 3}))

			// A GET (Download) is retried on 429, 503 and 504.
			var buf bytes.Buffer
			_, resp, err := c.Passes.Download(context.Background(), "1919", "VT-2I77F5ADz", &buf)
			require.Error(t, err)
			assert.Empty(t, buf.Bytes(), "an error body never reaches the writer")
			var apiErr *client.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.wantCode, apiErr.Code)
			assert.Empty(t, apiErr.Type)
			if tt.wantCode != "" {
				assert.Contains(t, err.Error(), "(code "+tt.wantCode+")")
			}
			assert.Equal(t, tt.wantMsg, apiErr.Message)
			assert.NotEmpty(t, apiErr.RequestID)
			for _, s := range tt.sentinels {
				assert.ErrorIs(t, err, s)
			}
			assert.True(t, strings.HasPrefix(err.Error(), "pass2u: download pass: "), err.Error())
			assert.NotContains(t, err.Error(), testKey)
			wantAttempts := 1
			if tt.retried {
				wantAttempts = 3
			}
			assert.Equal(t, wantAttempts, resp.Attempts)

			// Void names itself in errors.
			_, _, err = c.Passes.Void(context.Background(), "1919", "VT-2I77F5ADz")
			assert.True(t, strings.HasPrefix(err.Error(), "pass2u: void pass: "), err.Error())

			// A POST without idempotency key is sent again only after 429 and 503, which say the
			// request was not processed.
			before := len(f.Requests())
			_, resp, err = c.Passes.Create(context.Background(), "1919", nil, nil)
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			wantPosts := 1
			if tt.status == 429 || tt.status == 503 {
				wantPosts = 3
			}
			assert.Equal(t, wantPosts, resp.Attempts)
			assert.Len(t, f.Requests(), before+wantPosts)
		})
	}
}

func TestWrongKeyIsForbidden(t *testing.T) {
	f := newFake(t)
	c, err := New("0000000000000000000000000000000w", client.WithBaseURL(f.URL))
	require.NoError(t, err)
	_, _, err = c.Passes.Update(context.Background(), "1919", "VT-2I77F5ADz", &PassParams{LogoText: "x"})
	assert.ErrorIs(t, err, client.ErrForbidden)
	assert.NotContains(t, err.Error(), "0000000000000000000000000000000w")
}

func TestRetryAfterAndWrites(t *testing.T) {
	f := newFake(t)
	f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
		if n == 1 {
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = io.WriteString(w, `{"message":"Too Many Requests"}`)
			return true
		}
		return false
	})
	var waits []time.Duration
	c := newTestClient(t, f, client.WithRetryHook(func(_ context.Context, e client.RetryEvent) { waits = append(waits, e.Wait) }))
	var buf bytes.Buffer
	_, resp, err := c.Passes.Download(context.Background(), "1919", "VT-2I77F5ADz", &buf)
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, []time.Duration{2 * time.Second}, waits)
	assert.Equal(t, pkpassBytes, buf.Bytes())
}

func TestPathEscaping(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f)
	ctx := context.Background()
	_, err := c.Passes.DeleteFieldAttribute(ctx, "19/19", "a b", "lev?el", "x#y")
	require.ErrorIs(t, err, client.ErrNotFound)
	assert.Equal(t, "/models/19%2F19/passes/a%20b/fields/lev%3Fel/attributes/x%23y", f.Last(t).Path)

	for name, do := range map[string]func() error{
		"empty model":  func() error { _, _, err := c.Passes.Create(ctx, "", nil, nil); return err },
		"dot model":    func() error { _, _, err := c.Passes.Create(ctx, "..", nil, nil); return err },
		"empty pass":   func() error { _, _, err := c.Passes.Update(ctx, "1919", " ", &PassParams{LogoText: "x"}); return err },
		"void no pass": func() error { _, _, err := c.Passes.Void(ctx, "1919", ""); return err },
		"empty attr":   func() error { _, err := c.Passes.DeleteAttribute(ctx, "1919", "p", ""); return err },
		"empty field":  func() error { _, err := c.Passes.DeleteField(ctx, "1919", "p", ""); return err },
		"empty fattr":  func() error { _, err := c.Passes.DeleteFieldAttribute(ctx, "1919", "p", "k", ""); return err },
		"empty fkey":   func() error { _, err := c.Passes.DeleteFieldAttribute(ctx, "1919", "p", "", "label"); return err },
		"download dot": func() error { _, _, err := c.Passes.Download(ctx, "1919", ".", io.Discard); return err },
		"nil writer":   func() error { _, _, err := c.Passes.Download(ctx, "1919", "p", nil); return err },
		"nil reader":   func() error { _, _, err := c.Images.Upload(ctx, nil); return err },
	} {
		t.Run(name, func(t *testing.T) {
			before := len(f.Requests())
			err := do()
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "pass2u: "), err.Error())
			assert.Len(t, f.Requests(), before, "nothing is sent")
		})
	}
}

func TestParamsValidation(t *testing.T) {
	long := func(n int) string { return strings.Repeat("é", n) }
	tests := []struct {
		name   string
		params PassParams
		want   []string
	}{
		{"description", PassParams{Description: long(256)}, []string{"description has 256 characters, more than 255"}},
		{"exact limits pass", PassParams{Description: long(255), LogoText: long(35), Barcode: &Barcode{AltText: long(35)}}, nil},
		{"many limits", PassParams{OrganizationName: long(101), Passcode: long(101), AppLaunchURL: long(256),
			AndroidAppLaunchURL: long(256), BackgroundColor: long(19), ForegroundColor: long(31), GroupingIdentifier: long(51),
			LabelColor: long(19), LogoText: long(36)},
			[]string{"organizationName", "passcode", "appLaunchURL", "androidAppLaunchURL", "backgroundColor has 19",
				"foregroundColor has 31", "groupingIdentifier", "labelColor", "logoText has 36"}},
		{"apps", PassParams{AssociatedStoreIdentifiers: []int64{1, 123456789012}, AssociatedPlayIdentifiers: []string{"a", ""}},
			[]string{"associatedStoreIdentifiers has 2 items", "associatedStoreIdentifiers[1] = 123456789012",
				"associatedPlayIdentifiers has 2 items", "associatedPlayIdentifiers[1] is empty"}},
		{"images", PassParams{Images: []Image{{Type: "banner", Hex: "ab"}, {Type: ImageLogo}, {Type: ImageLogo, Hex: long(51)}}},
			[]string{`images[0].type "banner" is not one of`, "images[1].hex is empty", `images[2].type "logo" is given twice`,
				"images[2].hex has 51"}},
		{"beacons", PassParams{Beacons: make([]Beacon, 11)}, []string{"beacons has 11 items, more than 10", "beacons[0].proximityUUID is empty"}},
		{"locations", PassParams{Locations: []Location{{Latitude: 91}, {Longitude: -181}, {RelevantText: long(256)}}},
			[]string{"locations[0].latitude 91", "locations[1].longitude -181", "locations[2].relevantText"}},
		{"too many locations", PassParams{Locations: make([]Location, 11)}, []string{"locations has 11 items, more than 10"}},
		{"barcode", PassParams{Barcode: &Barcode{Message: long(7090), AltText: long(36)}},
			[]string{"barcode.message has 7090", "barcode.altText has 36"}},
		{"fields", PassParams{Fields: []Field{{Value: "x"}, {Key: "a", Label: long(151)}, {Key: "a", Value: long(5001)},
			{Key: "b", ChangeMessage: "no placeholder"}, {Key: "c", ChangeMessage: long(79) + "%@"}}},
			[]string{"fields[0].key is empty", "fields[1].label has 151", `fields[2].key "a" is given twice`,
				"fields[2].value has 5001", `fields[3].changeMessage "no placeholder" does not contain %@`,
				"fields[4].changeMessage has 81"}},
		{"max distance", PassParams{MaxDistance: -1}, []string{"maxDistance -1 is negative"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			c := newTestClient(t, f)
			_, _, err := c.Passes.Create(context.Background(), "1919", &tt.params, nil)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalidParams)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Empty(t, f.Requests(), "invalid params are not sent")
		})
	}
}

func TestUpdateNeedsAnAttribute(t *testing.T) {
	f := newFake(t)
	c := newTestClient(t, f)
	for _, p := range []*PassParams{nil, {}} {
		_, _, err := c.Passes.Update(context.Background(), "1919", "VT-2I77F5ADz", p)
		require.ErrorIs(t, err, ErrInvalidParams)
	}
	assert.Empty(t, f.Requests())
	// An explicit false is an attribute.
	_, _, err := c.Passes.Update(context.Background(), "1919", "VT-2I77F5ADz", &PassParams{Voided: ptr(false)})
	require.NoError(t, err)
	assert.JSONEq(t, `{"voided":false}`, f.Last(t).Body)
}

func TestPassParamsJSON(t *testing.T) {
	alt := 12.5
	p := PassParams{
		Description:                "Gold card",
		OrganizationName:           "Bistro",
		Passcode:                   "1234",
		AssociatedStoreIdentifiers: []int64{284882215},
		AppLaunchURL:               "bistro://open",
		AssociatedPlayIdentifiers:  []string{"com.bistro"},
		AndroidAppLaunchURL:        "bistro://android",
		Voided:                     ptr(false),
		MaxDistance:                100,
		RelevantDate:               time.Date(2018, 10, 18, 16, 53, 0, 500_000_000, time.UTC),
		GroupingIdentifier:         "trip-1",
		LogoText:                   "Bistro",
		Beacons:                    []Beacon{{Major: ptr[uint16](0), Minor: ptr[uint16](7), ProximityUUID: "E2C56DB5-DFFB-48D2-B060-D0F5A71096E0", RelevantText: "Near"}},
		Locations:                  []Location{{Altitude: &alt, Latitude: 0, Longitude: 0}},
		Fields:                     []Field{{Key: "note", Value: ""}},
		Extra:                      map[string]any{"webServiceURL": "https://example.com", "nested": map[string]int{"a": 1}},
	}
	b, err := json.Marshal(p)
	require.NoError(t, err)
	assert.JSONEq(t, `{
		"description":"Gold card","organizationName":"Bistro","passcode":"1234",
		"associatedStoreIdentifiers":[284882215],"appLaunchURL":"bistro://open",
		"associatedPlayIdentifiers":["com.bistro"],"androidAppLaunchURL":"bistro://android",
		"voided":false,"maxDistance":100,"relevantDate":"2018-10-18T16:53:00Z",
		"groupingIdentifier":"trip-1","logoText":"Bistro",
		"beacons":[{"major":0,"minor":7,"proximityUUID":"E2C56DB5-DFFB-48D2-B060-D0F5A71096E0","relevantText":"Near"}],
		"locations":[{"altitude":12.5,"latitude":0,"longitude":0}],
		"fields":[{"key":"note","value":""}],
		"webServiceURL":"https://example.com","nested":{"a":1}
	}`, string(b))

	b, err = json.Marshal(&PassParams{})
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(b), "the zero value sends nothing")

	_, err = json.Marshal(PassParams{LogoText: "x", Extra: map[string]any{"logoText": "y"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `Extra["logoText"] duplicates a typed attribute`)
	_, err = json.Marshal(PassParams{Extra: map[string]any{"bad": func() {}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `Extra["bad"]`)
}

func TestPassDecoding(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Pass
		wantErr string
	}{
		{"model id as string", `{"passId":"p","modelId":"1919"}`, Pass{PassID: "p", ModelID: "1919"}, ""},
		{"nulls and empty dates", `{"passId":"p","modelId":null,"expirationDate":"","createdTime":null}`, Pass{PassID: "p"}, ""},
		{"utc date", `{"passId":"p","updatedTime":"2018-01-25T08:19:36Z"}`,
			Pass{PassID: "p", UpdatedTime: time.Date(2018, 1, 25, 8, 19, 36, 0, time.UTC)}, ""},
		{"bad date", `{"passId":"p","createdTime":"25/01/2018"}`, Pass{}, `createdTime: "25/01/2018" is not an ISO 8601`},
		{"bad model id", `{"modelId":{"x":1}}`, Pass{}, "modelId"},
		{"not an object", `[1]`, Pass{}, "cannot unmarshal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Pass
			err := json.Unmarshal([]byte(tt.in), &p)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want.PassID, p.PassID)
			assert.Equal(t, tt.want.ModelID, p.ModelID)
			assert.True(t, tt.want.UpdatedTime.Equal(p.UpdatedTime))
			assert.True(t, p.CreatedTime.IsZero() == tt.want.CreatedTime.IsZero())
			assert.JSONEq(t, tt.in, string(p.Raw))
		})
	}
}

func TestCreateNeedsPassID(t *testing.T) {
	f := newFake(t)
	f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
		_, _ = io.WriteString(w, `{"modelId":1919}`)
		return true
	})
	_, _, err := newTestClient(t, f).Passes.Create(context.Background(), "1919", nil, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pass2u: create pass: response has no passId")
}

func TestDownloadRejectsNonPKPass(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"json body", `{"message":"ok"}`, "not a .pkpass file (no zip signature)"},
		{"short body", "PK", "not a .pkpass file (2 bytes)"},
		{"empty body", "", "not a .pkpass file (0 bytes)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
				_, _ = io.WriteString(w, tt.body)
				return true
			})
			var buf bytes.Buffer
			n, _, err := newTestClient(t, f).Passes.Download(context.Background(), "1919", "p", &buf)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Zero(t, n)
			assert.Empty(t, buf.Bytes())
		})
	}
}

// chunkWriter records the writes it gets.
type failWriter struct{ after int }

func (w *failWriter) Write(b []byte) (int, error) {
	if w.after <= 0 {
		return 0, errors.New("disk full")
	}
	w.after--
	return len(b), nil
}

func TestPKPassWriter(t *testing.T) {
	t.Run("byte by byte", func(t *testing.T) {
		var buf bytes.Buffer
		pw := &pkpassWriter{w: &buf, max: 100}
		for _, b := range []byte("PK\x03\x04rest") {
			n, err := pw.Write([]byte{b})
			require.NoError(t, err)
			require.Equal(t, 1, n)
		}
		require.NoError(t, pw.finish())
		assert.Equal(t, "PK\x03\x04rest", buf.String())
		assert.Equal(t, int64(8), pw.n)
	})
	t.Run("cap", func(t *testing.T) {
		var buf bytes.Buffer
		pw := &pkpassWriter{w: &buf, max: 10}
		_, err := pw.Write([]byte("PK\x03\x04abcd"))
		require.NoError(t, err)
		_, err = pw.Write([]byte("efg"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "larger than 10 bytes")
		assert.Equal(t, "PK\x03\x04abcd", buf.String())
	})
	t.Run("destination error", func(t *testing.T) {
		pw := &pkpassWriter{w: &failWriter{after: 0}, max: 100}
		_, err := pw.Write([]byte("PK\x03\x04abcd"))
		require.EqualError(t, err, "disk full")
	})
	t.Run("download surfaces writer errors", func(t *testing.T) {
		f := newFake(t)
		_, _, err := newTestClient(t, f).Passes.Download(context.Background(), "1919", "VT-2I77F5ADz", &failWriter{after: 1})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "disk full")
		assert.Len(t, f.Requests(), 1, "a download that wrote bytes is not retried")
	})
}

func TestModelIDString(t *testing.T) {
	var m ModelID
	require.NoError(t, json.Unmarshal([]byte(`1919`), &m))
	assert.Equal(t, "1919", m.String())
	assert.Equal(t, "https://www.pass2u.net/d/a%2Fb", DownloadPageURL("a/b"))
}

// FuzzPassJSON feeds arbitrary responses to the Pass decoder, which must
// never panic and must keep Raw on success.
func FuzzPassJSON(f *testing.F) {
	f.Add([]byte(createdJSON))
	f.Add([]byte(updatedJSON))
	f.Add([]byte(`{"modelId":"x","createdTime":""}`))
	f.Add([]byte(`{"modelId":1e999}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var p Pass
		if json.Unmarshal(b, &p) == nil {
			require.NotEmpty(t, p.Raw)
		}
	})
}

func BenchmarkPassParamsMarshal(b *testing.B) {
	p := &PassParams{
		ExpirationDate:  time.Date(2018, 12, 31, 23, 0, 15, 0, taipei),
		BackgroundColor: "rgb(237, 219, 21)",
		Barcode:         &Barcode{Message: "1234567890", AltText: "1234567890"},
		Fields:          []Field{{Key: "name", Value: "Fi-Lin,Chen"}, {Key: "level", Value: "GOLD"}},
		Locations:       []Location{{Latitude: 25.04, Longitude: 121.55, RelevantText: "Store nearby"}},
		Extra:           map[string]any{"webServiceURL": "https://example.com"},
	}
	for b.Loop() {
		if err := p.validate(); err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(p); err != nil {
			b.Fatal(err)
		}
	}
}

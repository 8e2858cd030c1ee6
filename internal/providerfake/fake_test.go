package providerfake_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/pass2u"
	"github.com/passforge/passforge/client/passinstance"
	"github.com/passforge/passforge/client/passlite"
	"github.com/passforge/passforge/client/passmint"
	"github.com/passforge/passforge/client/remypass"
	"github.com/passforge/passforge/internal/providerfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var fixedNow = time.Date(2026, 4, 16, 12, 0, 0, 0, time.UTC)

// newFake serves a fake with pinned keys on an httptest server.
func newFake(t *testing.T) (*providerfake.Fake, func(providerfake.Provider) string) {
	t.Helper()
	f := providerfake.New(&providerfake.Options{
		Keys: map[providerfake.Provider]string{
			providerfake.Passmint: "pmk_test_good", providerfake.PassLite: "pb_test_good", providerfake.Pass2U: "p2u-good",
			providerfake.Passinstance: "pi-good", providerfake.RemyPass: "rp-good",
		},
		Now: func() time.Time { return fixedNow },
	})
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, func(p providerfake.Provider) string { return srv.URL + providerfake.BasePath(p) }
}

// noRetry keeps failing calls fast.
var noRetry = client.WithRetryPolicy(client.RetryPolicy{MaxAttempts: 1})

func TestPassmint(t *testing.T) {
	f, base := newFake(t)
	ctx := context.Background()
	pm, err := passmint.New("pmk_test_good", client.WithBaseURL(base(providerfake.Passmint)), noRetry)
	require.NoError(t, err)

	list, _, err := pm.Templates.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, list.Data, 1)
	assert.Equal(t, providerfake.PassmintTemplateID, list.Data[0].ID)

	params := &passmint.PassIssueParams{TemplateID: providerfake.PassmintTemplateID, HolderName: "Alice Johnson",
		FieldValues: map[string]string{"seatNumber": "A12"}, IdempotencyKey: "order-1"}
	p, _, err := pm.Passes.Issue(ctx, params)
	require.NoError(t, err)
	assert.Equal(t, "Alice Johnson", p.HolderName)
	assert.Equal(t, fixedNow, p.CreatedAt)

	// The same idempotency key replays the first pass; another body conflicts.
	again, _, err := pm.Passes.Issue(ctx, params)
	require.NoError(t, err)
	assert.Equal(t, p.ID, again.ID)
	_, _, err = pm.Passes.Issue(ctx, &passmint.PassIssueParams{TemplateID: providerfake.PassmintTemplateID, IdempotencyKey: "order-1"})
	assert.ErrorIs(t, err, client.ErrIdempotencyConflict)

	up, _, err := pm.Passes.Update(ctx, p.ID, &passmint.PassUpdateParams{FieldValues: map[string]string{"seatNumber": "B7"}})
	require.NoError(t, err)
	assert.Equal(t, "B7", up.FieldValues["seatNumber"])

	v, _, err := pm.Passes.Void(ctx, p.ID)
	require.NoError(t, err)
	assert.True(t, v.Voided)
	require.NotNil(t, v.VoidedAt)

	_, _, err = pm.Passes.Update(ctx, p.ID, &passmint.PassUpdateParams{FieldValues: map[string]string{"seatNumber": "C1"}})
	assert.ErrorIs(t, err, client.ErrValidation, "a voided pass cannot be updated")
	_, _, err = pm.Passes.Issue(ctx, &passmint.PassIssueParams{TemplateID: "tmpl_missing"})
	assert.ErrorIs(t, err, client.ErrNotFound)

	bad, err := passmint.New("pmk_test_bad", client.WithBaseURL(base(providerfake.Passmint)), noRetry)
	require.NoError(t, err)
	_, _, err = bad.Passes.Get(ctx, p.ID)
	assert.ErrorIs(t, err, client.ErrUnauthorized)
	assert.NotContains(t, err.Error(), "pmk_test_bad")

	calls := f.Calls()
	require.NotEmpty(t, calls)
	assert.Equal(t, "passmint GET /v1/templates -> 200", calls[0].String())
}

func TestPassLite(t *testing.T) {
	_, base := newFake(t)
	ctx := context.Background()
	pl, err := passlite.New("pb_test_good", client.WithBaseURL(base(providerfake.PassLite)), noRetry)
	require.NoError(t, err)

	biz, _, err := pl.Businesses.Me(ctx)
	require.NoError(t, err)
	assert.Equal(t, providerfake.PassLiteBusinessID, biz.ID)

	p, _, err := pl.Passes.Issue(ctx, biz.ID, &passlite.PassIssueParams{TemplateID: providerfake.PassLiteTemplateID,
		CustomerName: "Jane Doe", ExternalID: "cust_9821"})
	require.NoError(t, err)
	assert.Equal(t, passlite.StatusActive, p.Status)
	assert.Equal(t, "PL-00001", p.SerialNumber)

	_, _, err = pl.Passes.Issue(ctx, biz.ID, &passlite.PassIssueParams{TemplateID: providerfake.PassLiteTemplateID, ExternalID: "cust_9821"})
	assert.ErrorIs(t, err, client.ErrConflict)

	name := "Jane Smith"
	up, _, err := pl.Passes.Update(ctx, biz.ID, "cust_9821", &passlite.PassUpdateParams{CustomerName: &name, Metadata: map[string]any{"tier": "platinum"}})
	require.NoError(t, err)
	assert.Equal(t, name, up.CustomerName)
	assert.Equal(t, "platinum", up.Metadata["tier"])

	v, _, err := pl.Passes.Void(ctx, biz.ID, p.ID)
	require.NoError(t, err)
	assert.Equal(t, passlite.StatusVoided, v.Status)
	got, _, err := pl.Passes.Get(ctx, biz.ID, p.SerialNumber)
	require.NoError(t, err)
	assert.Equal(t, passlite.StatusVoided, got.Status)

	_, _, err = pl.Passes.Get(ctx, biz.ID, "pass_missing")
	assert.ErrorIs(t, err, client.ErrNotFound)
	_, _, err = pl.Passes.Get(ctx, "biz_other", p.ID)
	assert.ErrorIs(t, err, client.ErrForbidden)
	_, _, err = pl.Passes.Issue(ctx, biz.ID, &passlite.PassIssueParams{})
	assert.Error(t, err, "template_id is required")
}

func TestPass2U(t *testing.T) {
	_, base := newFake(t)
	ctx := context.Background()
	p2u, err := pass2u.New("p2u-good", client.WithBaseURL(base(providerfake.Pass2U)), noRetry)
	require.NoError(t, err)

	p, _, err := p2u.Passes.Create(ctx, providerfake.Pass2UModelID, &pass2u.PassParams{Fields: []pass2u.Field{{Key: "level", Value: "GOLD"}}}, nil)
	require.NoError(t, err)
	assert.Equal(t, providerfake.Pass2UModelID, p.ModelID.String())
	assert.True(t, strings.HasPrefix(p.PassID, "VT-"))
	assert.Equal(t, fixedNow, p.CreatedTime.UTC())

	up, _, err := p2u.Passes.Update(ctx, providerfake.Pass2UModelID, p.PassID, &pass2u.PassParams{Fields: []pass2u.Field{{Key: "level", Value: "DIAMOND"}}})
	require.NoError(t, err)
	assert.Equal(t, p.PassID, up.PassID)
	_, err = p2u.Passes.DeleteField(ctx, providerfake.Pass2UModelID, p.PassID, "level")
	require.NoError(t, err)
	_, err = p2u.Passes.DeleteField(ctx, providerfake.Pass2UModelID, p.PassID, "level")
	assert.ErrorIs(t, err, client.ErrNotFound)

	_, _, err = p2u.Passes.Void(ctx, providerfake.Pass2UModelID, p.PassID)
	require.NoError(t, err)
	_, err = p2u.Passes.DeleteAttribute(ctx, providerfake.Pass2UModelID, p.PassID, pass2u.AttributeVoided)
	require.NoError(t, err)

	_, _, err = p2u.Passes.Create(ctx, "42", &pass2u.PassParams{}, nil)
	assert.ErrorIs(t, err, client.ErrNotFound)
	bad, err := pass2u.New("p2u-bad", client.WithBaseURL(base(providerfake.Pass2U)), noRetry)
	require.NoError(t, err)
	_, _, err = bad.Passes.Update(ctx, providerfake.Pass2UModelID, p.PassID, &pass2u.PassParams{LogoText: "x"})
	assert.ErrorIs(t, err, client.ErrForbidden)
}

func TestPassinstance(t *testing.T) {
	_, base := newFake(t)
	ctx := context.Background()
	for name, newClient := range map[string]func(string, ...client.Option) (*passinstance.Client, error){
		"api key": passinstance.New, "bearer": passinstance.NewBearer,
	} {
		t.Run(name, func(t *testing.T) {
			pi, err := newClient("pi-good", client.WithBaseURL(base(providerfake.Passinstance)), noRetry)
			require.NoError(t, err)
			page, _, err := pi.Templates.List(ctx, nil)
			require.NoError(t, err)
			require.Len(t, page.Items, 1)
			assert.Equal(t, providerfake.PassinstanceTemplateID, page.Items[0].ID)

			serial := "ORDER-" + strings.ReplaceAll(name, " ", "-")
			p, _, err := pi.Passes.Create(ctx, &passinstance.PassCreateParams{TemplateID: providerfake.PassinstanceTemplateID, SerialNumber: serial,
				Fields: map[string]passinstance.FieldValue{"tier": {Label: "Tier", Value: "Gold"}}, BarcodeFormat: passinstance.BarcodeQR, BarcodeMessage: serial})
			require.NoError(t, err)
			assert.Equal(t, serial, p.SerialNumber)
			_, _, err = pi.Passes.Create(ctx, &passinstance.PassCreateParams{TemplateID: providerfake.PassinstanceTemplateID, SerialNumber: serial})
			assert.ErrorIs(t, err, client.ErrConflict)

			up, _, err := pi.Passes.Update(ctx, p.ID, &passinstance.PassUpdateParams{Fields: map[string]passinstance.FieldValue{"tier": {Label: "Tier", Value: "Platinum"}}})
			require.NoError(t, err)
			assert.Equal(t, "Platinum", up.Fields["tier"].Value)

			v, _, err := pi.Passes.Void(ctx, p.ID)
			require.NoError(t, err)
			var voided bool
			ok, err := passinstance.Lookup(v.Raw, "voided", &voided)
			require.NoError(t, err)
			assert.True(t, ok && voided)

			_, err = pi.Passes.Delete(ctx, p.ID)
			require.NoError(t, err)
			_, _, err = pi.Passes.Get(ctx, p.ID)
			assert.ErrorIs(t, err, client.ErrNotFound)
		})
	}
	pi, err := passinstance.New("pi-good", client.WithBaseURL(base(providerfake.Passinstance)), noRetry)
	require.NoError(t, err)
	_, _, err = pi.Passes.Create(ctx, &passinstance.PassCreateParams{TemplateID: "tpl_missing"})
	var apiErr *client.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusUnprocessableEntity, apiErr.StatusCode)
	assert.Equal(t, "templateId", apiErr.Param)
}

func TestRemyPass(t *testing.T) {
	_, base := newFake(t)
	ctx := context.Background()
	rp, err := remypass.New("rp-good", client.WithBaseURL(base(providerfake.RemyPass)), noRetry)
	require.NoError(t, err)

	env, _, err := rp.Passes.Issue(ctx, &remypass.IssueParams{MemberID: providerfake.RemyPassMemberID, PassTemplateID: providerfake.RemyPassTemplateID,
		CustomFields: map[string]any{"membershipLevel": "Gold"}, SkipEmail: true})
	require.NoError(t, err)
	assert.True(t, env.Success)
	var data struct {
		ID           string         `json:"_id"`
		EmailSent    bool           `json:"emailSent"`
		CustomFields map[string]any `json:"customFields"`
	}
	require.NoError(t, env.DecodeData(&data))
	assert.NotEmpty(t, data.ID)
	assert.False(t, data.EmailSent)
	assert.Equal(t, "Gold", data.CustomFields["membershipLevel"])

	ticket, _, err := rp.Passes.Issue(ctx, &remypass.IssueParams{MemberID: providerfake.RemyPassMemberID, PassTemplateID: providerfake.RemyPassTemplateID,
		Event: &remypass.EventTicket{Time: fixedNow, Name: "The Matrix Reloaded", Seat: remypass.SeatInfo{Seat: "A12", Row: "A"}}})
	require.NoError(t, err)
	assert.Contains(t, string(ticket.Data), `"eventName":"The Matrix Reloaded"`)

	_, _, err = rp.Passes.Issue(ctx, &remypass.IssueParams{MemberID: "unknown", PassTemplateID: providerfake.RemyPassTemplateID})
	assert.ErrorIs(t, err, client.ErrValidation)
	bearer, err := remypass.NewBearer("rp-good", client.WithBaseURL(base(providerfake.RemyPass)), noRetry)
	require.NoError(t, err)
	_, _, err = bearer.Passes.Issue(ctx, &remypass.IssueParams{MemberID: providerfake.RemyPassMemberID, PassTemplateID: providerfake.RemyPassTemplateID})
	require.NoError(t, err)
	bad, err := remypass.New("rp-bad", client.WithBaseURL(base(providerfake.RemyPass)), noRetry)
	require.NoError(t, err)
	_, _, err = bad.Passes.Issue(ctx, &remypass.IssueParams{MemberID: providerfake.RemyPassMemberID, PassTemplateID: providerfake.RemyPassTemplateID})
	assert.ErrorIs(t, err, client.ErrUnauthorized)
}

func TestUnknownRoutesAnswerInTheProvidersShape(t *testing.T) {
	f, base := newFake(t)
	tests := []struct {
		p    providerfake.Provider
		path string
		want string
	}{
		{providerfake.Passmint, "/v1/nothing", `"type":"not_found_error"`},
		{providerfake.PassLite, "/nothing", `"code":"not_found"`},
		{providerfake.Pass2U, "/nothing", `"message":"no route for GET /nothing"`},
		{providerfake.Passinstance, "/nothing", `"error":"Not Found"`},
		{providerfake.RemyPass, "/nothing", `"success":false`},
	}
	for _, tt := range tests {
		t.Run(string(tt.p), func(t *testing.T) {
			resp, err := http.Get(base(tt.p) + tt.path)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, http.StatusNotFound, resp.StatusCode)
			var b strings.Builder
			_, err = io.Copy(&b, resp.Body)
			require.NoError(t, err)
			assert.Contains(t, b.String(), tt.want)
		})
	}
	assert.Len(t, f.Calls(), len(tests))
}

func TestStartServesOnLoopback(t *testing.T) {
	srv, err := providerfake.Start("127.0.0.1:0", nil)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"))
	rp, err := remypass.New("any-key", client.WithBaseURL(srv.BaseURL(providerfake.RemyPass)), noRetry)
	require.NoError(t, err)
	_, _, err = rp.Passes.Issue(context.Background(), &remypass.IssueParams{MemberID: providerfake.RemyPassMemberID, PassTemplateID: providerfake.RemyPassTemplateID})
	require.NoError(t, err)
	require.NoError(t, srv.Close())
	_, _, err = rp.Passes.Issue(context.Background(), &remypass.IssueParams{MemberID: providerfake.RemyPassMemberID, PassTemplateID: providerfake.RemyPassTemplateID})
	assert.Error(t, err, "a closed server refuses connections")
	assert.False(t, errors.Is(err, client.ErrUnauthorized))

	_, err = providerfake.Start("256.0.0.1:0", nil)
	assert.ErrorContains(t, err, "providerfake: listening on 256.0.0.1:0")
}

func TestBasePathOfUnknownProvider(t *testing.T) {
	assert.Empty(t, providerfake.BasePath("nope"))
	assert.Len(t, providerfake.Providers(), 5)
}

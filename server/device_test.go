package server

import (
	"net/http"
	"testing"

	"github.com/passforge/passforge/webservice/wallettest"
	"github.com/stretchr/testify/require"
)

// device is a wallettest.Device that fails its test when no HTTP answer
// comes and checks each answer as the server tests expect it. It embeds the
// Device by value, so a copy of a device is a second device that can be
// changed on its own.
type device struct {
	wallettest.Device
	t testing.TB
}

// newDevice returns a device with the given deviceLibraryIdentifier and
// push token, holding the pass serial of type passTypeID served under wsURL.
func newDevice(t testing.TB, id, pushToken, wsURL, passTypeID, serial, authToken string) *device {
	d := wallettest.NewDevice(wallettest.Target{WebServiceURL: wsURL, AuthenticationToken: authToken,
		PassTypeIdentifier: passTypeID, SerialNumber: serial}, nil)
	d.ID, d.PushToken = id, pushToken
	return &device{Device: *d, t: t}
}

// register registers the device for its pass and returns the status.
func (d *device) register() int {
	d.t.Helper()
	r, err := d.Register(d.t.Context())
	require.NoError(d.t, err)
	return r.Status
}

// poll asks which serials changed since the tag it holds: their list (nil
// for 204) and the new tag, which it keeps.
func (d *device) poll() []string {
	d.t.Helper()
	r, err := d.Serials(d.t.Context(), d.Tag)
	require.NoError(d.t, err)
	if r.Status == http.StatusNoContent {
		return nil
	}
	require.Equal(d.t, http.StatusOK, r.Status, "%s", r.Body)
	sn, err := wallettest.ParseSerialNumbers(r.Body)
	require.NoError(d.t, err, "%s", r.Body)
	d.Tag = sn.LastUpdated
	return sn.SerialNumbers
}

// fetch gets the pass with If-Modified-Since of the version it holds; it
// returns the status and keeps a new version.
func (d *device) fetch() int {
	d.t.Helper()
	r, err := d.Pass(d.t.Context(), d.Modified)
	require.NoError(d.t, err)
	if r.Status == http.StatusOK {
		require.Equal(d.t, "application/vnd.apple.pkpass", r.Header.Get("Content-Type"))
		lm, err := http.ParseTime(r.Header.Get("Last-Modified"))
		require.NoError(d.t, err, "Last-Modified")
		d.Modified, d.Data = lm, r.Body
	}
	return r.Status
}

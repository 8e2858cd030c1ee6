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
	serials, err := d.Poll(d.t.Context())
	require.NoError(d.t, err)
	return serials
}

// fetch gets the pass with If-Modified-Since of the version it holds; it
// returns the status (200 or 304) and keeps a new version.
func (d *device) fetch() int {
	d.t.Helper()
	r, err := d.Fetch(d.t.Context())
	require.NoError(d.t, err)
	if r.Status == http.StatusOK {
		require.Equal(d.t, "application/vnd.apple.pkpass", r.Header.Get("Content-Type"))
	}
	return r.Status
}

package server

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/passforge/passforge/sign"
	"github.com/passforge/passforge/webservice/sqlitestore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDevelopmentIdentityKeptInStore(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "dev.db")
	st, err := sqlitestore.Open(ctx, path, nil)
	require.NoError(t, err)
	first, err := DevelopmentIdentity(ctx, st, testPassTypeID, testTeamID)
	require.NoError(t, err)
	assert.Equal(t, testPassTypeID, first.PassTypeIdentifier())
	assert.Equal(t, testTeamID, first.TeamIdentifier())
	again, err := DevelopmentIdentity(ctx, st, testPassTypeID, testTeamID)
	require.NoError(t, err)
	assert.True(t, first.Certificate.Equal(again.Certificate))
	require.NoError(t, st.Close())

	// After a restart (a new connection to the same file) the same signer.
	st, err = sqlitestore.Open(ctx, path, nil)
	require.NoError(t, err)
	defer st.Close()
	reopened, err := DevelopmentIdentity(ctx, st, testPassTypeID, testTeamID)
	require.NoError(t, err)
	assert.True(t, first.Certificate.Equal(reopened.Certificate))
	assert.True(t, first.CA.Equal(reopened.CA))
	require.Len(t, reopened.Chain, 1)
	assert.True(t, first.Chain[0].Equal(reopened.Chain[0]))

	// It signs passes that verify against its CA.
	tp := testTemplate(t)
	v := Values{"name": []byte(`"Dev"`)}
	pv := &passValues{serial: "d-1", values: v, tp: tp}
	tv, problems := pv.build()
	require.Empty(t, problems)
	data, err := tp.IssueBytes(tv, reopened.Identity, nil)
	require.NoError(t, err)
	pkg := verifyPkpassWith(t, data, reopened.CA)
	assert.Equal(t, "d-1", pkg.Pass.SerialNumber)

	// Another pass type gets its own identity.
	other, err := DevelopmentIdentity(ctx, st, "pass.com.example.other", testTeamID)
	require.NoError(t, err)
	assert.False(t, other.Certificate.Equal(first.Certificate))

	// A damaged setting is an error, not a panic or a silent new signer.
	_, err = st.PutSettingIfAbsent(ctx, "server/development-identity/pass.com.example.broken/"+testTeamID, []byte(`{"certificate": "AAAA"}`))
	require.NoError(t, err)
	_, err = DevelopmentIdentity(ctx, st, "pass.com.example.broken", testTeamID)
	require.ErrorContains(t, err, "server: the development identity in the store is damaged")
}

func TestDevelopmentIdentityRenewedBeforeExpiry(t *testing.T) {
	ctx := t.Context()
	st, err := sqlitestore.Open(ctx, filepath.Join(t.TempDir(), "renew.db"), nil)
	require.NoError(t, err)
	defer st.Close()

	// An identity that ends in ten days, as a year-old one would.
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "old dev CA"},
		NotBefore: time.Now().Add(-365 * 24 * time.Hour), NotAfter: time.Now().Add(20 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	ca, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)
	leafKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	leafDER, err := x509.CreateCertificate(rand.Reader, sign.PassCertificateTemplate(testPassTypeID, testTeamID, "old",
		time.Now().Add(-355*24*time.Hour), time.Now().Add(10*24*time.Hour)), ca, &leafKey.PublicKey, caKey)
	require.NoError(t, err)
	leaf, err := x509.ParseCertificate(leafDER)
	require.NoError(t, err)
	id, err := sign.NewIdentity(leafKey, leaf, ca)
	require.NoError(t, err)
	blob, err := marshalIdentity(&sign.DevelopmentIdentity{Identity: id, CA: ca})
	require.NoError(t, err)
	_, err = st.PutSettingIfAbsent(ctx, "server/development-identity/"+testPassTypeID+"/"+testTeamID, blob)
	require.NoError(t, err)

	renewed, err := DevelopmentIdentity(ctx, st, testPassTypeID, testTeamID)
	require.NoError(t, err)
	assert.False(t, renewed.Certificate.Equal(leaf), "a new identity follows the expiring one")
	assert.Greater(t, time.Until(renewed.Certificate.NotAfter), 300*24*time.Hour)
	again, err := DevelopmentIdentity(ctx, st, testPassTypeID, testTeamID)
	require.NoError(t, err)
	assert.True(t, again.Certificate.Equal(renewed.Certificate), "every caller gets the same successor")
}

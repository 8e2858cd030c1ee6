package server

import (
	"path/filepath"
	"testing"

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

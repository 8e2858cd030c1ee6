package sign

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInvalidUTF8PassJSON checks both directions for a pass.json holding
// invalid UTF-8, which Wallet rejects: the writer refuses it and the reader
// reports it, each with the JSON path. Before, the writer's identifier
// scanner kept the byte while the reader's encoding/json read U+FFFD, so the
// two disagreed about the same bytes (FuzzScanIdentifiers).
func TestInvalidUTF8PassJSON(t *testing.T) {
	pki := pkiOnce()
	id := pki.identity(t)
	bad := []byte("{\"passTypeIdentifier\":\"" + testPassTypeID + "\",\"teamIdentifier\":\"" + testTeamID + "\",\"description\":\"Caf\xe9\"}")

	t.Run("WriteEntries refuses raw pass.json", func(t *testing.T) {
		for _, prep := range []func(string, []byte) (Entry, error){PrepareEntry, PrepareDynamicEntry} {
			e, err := prep(PassJSONName, bytes.Repeat(bad, 1)) // deflated or stored
			require.NoError(t, err)
			var out bytes.Buffer
			err = WriteEntries(&out, []Entry{e}, id, &Options{Now: nowClock})
			require.ErrorIs(t, err, ErrPassJSON)
			assert.Contains(t, err.Error(), "description: holds invalid UTF-8 (byte 0xe9 at offset 3 of the string)")
			assert.Zero(t, out.Len())
		}
	})
	t.Run("identifier with an invalid byte", func(t *testing.T) {
		e, err := PrepareDynamicEntry(PassJSONName, []byte("{\"passTypeIdentifier\":\"\xf0\"}"))
		require.NoError(t, err)
		err = WriteEntries(&bytes.Buffer{}, []Entry{e}, id, &Options{Now: nowClock})
		require.ErrorIs(t, err, ErrPassJSON)
		assert.NotErrorIs(t, err, ErrIdentifierMismatch)
		assert.Contains(t, err.Error(), "passTypeIdentifier: holds invalid UTF-8")
	})
	t.Run("Write refuses a model holding invalid UTF-8", func(t *testing.T) {
		p := testPass()
		p.Description = "Caf\xe9"
		var out bytes.Buffer
		err := Write(&out, p, testAssets(t), id, &Options{Now: nowClock})
		require.ErrorIs(t, err, ErrPassJSON)
		assert.Contains(t, err.Error(), "description: the text was not valid UTF-8 before it was encoded")
		assert.Zero(t, out.Len())
	})
	t.Run("valid text that looks like the escape", func(t *testing.T) {
		p := testPass()
		p.Description = `a backslash and ufffd: \ufffd, and the character itself: �`
		require.NoError(t, Write(&bytes.Buffer{}, p, testAssets(t), id, &Options{Now: nowClock}))
	})
	t.Run("Read reports it", func(t *testing.T) {
		good := writePass(t, testPass(), testAssets(t), id, &Options{Now: nowClock})
		files := mutate(unzipAll(t, good), PassJSONName, func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"description":"`), []byte("\"description\":\"\xe9"), 1)
		})
		data := resign(t, id, files, func(map[string]string) {})
		pkg, err := ReadBytes(data, &VerifyOptions{Roots: pki.roots(), Now: nowClock})
		require.ErrorIs(t, err, ErrPassJSON)
		assert.Contains(t, err.Error(), "description: holds invalid UTF-8 (byte 0xe9 at offset 0 of the string)")
		require.NotNil(t, pkg)
		assert.Nil(t, pkg.Pass)
	})
}

package main

import (
	"bytes"
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"

	"github.com/passforge/passforge/sign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTemplateBulk(t *testing.T) {
	out := filepath.Join(t.TempDir(), "passes")
	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run([]string{"-out", out}, &stdout, &stderr), stderr.String())
	assert.Contains(t, stdout.String(), "issued 5 passes into "+out+" (0 failed)")

	caPEM, err := os.ReadFile(filepath.Join(out, "dev-ca.pem"))
	require.NoError(t, err)
	roots := x509.NewCertPool()
	require.True(t, roots.AppendCertsFromPEM(caPEM))
	want := map[string][2]string{
		"M-0001": {"Ada Lovelace", "1200"}, "M-0002": {"Grace Hopper", "350"}, "M-0003": {"Alan Turing", "80"},
		"M-0004": {"Katherine Johnson", "2750"}, "M-0005": {"Edsger Dijkstra", "15"},
	}
	for serial, w := range want {
		data, err := os.ReadFile(filepath.Join(out, serial+".pkpass"))
		require.NoError(t, err)
		pkg, err := sign.ReadBytes(data, &sign.VerifyOptions{Roots: roots})
		require.NoError(t, err, serial)
		assert.Equal(t, serial, pkg.Pass.SerialNumber)
		assert.Equal(t, w[0], pkg.Pass.StoreCard.SecondaryFields[0].Value.String())
		assert.Equal(t, w[1], pkg.Pass.StoreCard.HeaderFields[0].Value.String())
		assert.Equal(t, "Example Coffee membership of "+w[0], pkg.Pass.Description)
		assert.Equal(t, "MEMBER-"+serial[2:], pkg.Pass.Barcodes[0].Message)
	}
}

func TestTemplateBulkBadRow(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "members.csv")
	require.NoError(t, os.WriteFile(csv, []byte("serialNumber,holder_name,points\nX-1,Ada,12\nX-2,Bob,lots\n"), 0o644))
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 1, run([]string{"-values", csv, "-out", filepath.Join(dir, "out")}, &stdout, &stderr))
	assert.Contains(t, stdout.String(), "issued 1 passes")
	assert.Contains(t, stderr.String(), `row 2: template: csv line 3: column "points"`)
	assert.FileExists(t, filepath.Join(dir, "out", "X-1.pkpass"))
}

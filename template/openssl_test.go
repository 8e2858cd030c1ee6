package template

import (
	"archive/zip"
	"bytes"
	"encoding/pem"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestOpenSSLVerifiesSkeletonSignature checks the patched signature of an
// issued pass with openssl cms, an implementation independent of ours.
func TestOpenSSLVerifiesSkeletonSignature(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl is not installed")
	}
	tp := loadDesign(t)
	dir := t.TempDir()
	for i, serial := range []string{"O-1", "O-2"} {
		data, err := tp.IssueBytes(member(serial, "Open SSL"), devID().Identity, nil)
		require.NoError(t, err)
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		require.NoError(t, err)
		files := map[string][]byte{}
		for _, f := range zr.File {
			rc, err := f.Open()
			require.NoError(t, err)
			files[f.Name], err = io.ReadAll(rc)
			require.NoError(t, err)
		}
		write := func(name string, b []byte) string {
			p := filepath.Join(dir, serial+"-"+name)
			require.NoError(t, os.WriteFile(p, b, 0o644))
			return p
		}
		ca := write("ca.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: devID().CA.Raw}))
		out, err := exec.Command(openssl, "cms", "-verify", "-inform", "DER", "-binary", "-purpose", "any",
			"-in", write("signature", files["signature"]), "-content", write("manifest.json", files["manifest.json"]),
			"-CAfile", ca, "-out", os.DevNull).CombinedOutput()
		require.NoError(t, err, "pass %d: %s", i, out)
	}
}

package sign

import (
	"crypto"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSignatureOpenSSLVerifies(t *testing.T) {
	p := pkiOnce()
	id := p.identity(t)
	manifest := []byte(`{"icon.png":"0123456789abcdef0123456789abcdef01234567","pass.json":"89abcdef0123456789abcdef0123456789abcdef"}`)
	for _, tc := range []struct {
		name   string
		digest crypto.Hash
		md     string
	}{{"sha256", crypto.SHA256, "sha256"}, {"default", 0, "sha256"}, {"sha1", crypto.SHA1, "sha1"}} {
		t.Run(tc.name, func(t *testing.T) {
			sig, err := Signature(manifest, id, tc.digest, time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC))
			require.NoError(t, err)
			dir := t.TempDir()
			f := writeFiles(t, dir, map[string][]byte{"manifest.json": manifest, "signature": sig, "root.pem": certPEM(p.root)})
			out := runOpenSSL(t, "cms", "-verify", "-binary", "-inform", "DER", "-in", f["signature"], "-content", f["manifest.json"],
				"-CAfile", f["root.pem"], "-purpose", "any", "-out", filepath.Join(dir, "out"))
			require.Contains(t, string(out), "Verification successful")
			info := string(runOpenSSL(t, "cms", "-cmsout", "-print", "-inform", "DER", "-in", f["signature"]))
			require.True(t, strings.Contains(info, "digestAlgorithm: \n          algorithm: "+tc.md), "digest %s", tc.md)
			require.True(t, strings.Contains(info, "UTCTIME:Mar  4 05:06:07 2026 GMT"), "signing time from the clock")
			require.Equal(t, 2, strings.Count(info, "d.certificate:"), "signer and intermediate included")
		})
	}
}

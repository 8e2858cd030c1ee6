package sign

import (
	"bytes"
	"crypto"
	"encoding/asn1"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
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
			at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
			sig, err := Signature(manifest, id, tc.digest, at)
			require.NoError(t, err)
			// The prepared Signer patches a skeleton: the same bytes.
			s, err := NewSigner(id, &SignerOptions{Digest: tc.digest})
			require.NoError(t, err)
			patched, err := s.Sign(manifest, at)
			require.NoError(t, err)
			require.Equal(t, sig, patched)
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

func TestVerifySignatureFromOpenSSL(t *testing.T) {
	p := pkiOnce()
	id := p.identity(t)
	dir := t.TempDir()
	manifest := []byte(`{"icon.png":"0123456789abcdef0123456789abcdef01234567"}`)
	f := writeFiles(t, dir, map[string][]byte{"manifest.json": manifest, "signer.pem": certPEM(id.Certificate), "key.pem": keyPEM(t, p.leafKey), "wwdr.pem": certPEM(p.inter)})
	for _, tc := range []struct {
		name   string
		md     string
		keyid  bool
		digest crypto.Hash
		stream bool
	}{
		{"sha256 issuer+serial", "sha256", false, crypto.SHA256, false},
		{"sha1 issuer+serial", "sha1", false, crypto.SHA1, false},
		{"sha256 keyid", "sha256", true, crypto.SHA256, false},
		{"sha1 keyid", "sha1", true, crypto.SHA1, false},
		{"sha256 streamed BER", "sha256", false, crypto.SHA256, true},
		{"sha1 keyid streamed BER", "sha1", true, crypto.SHA1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".der")
			args := []string{"cms", "-sign", "-binary", "-in", f["manifest.json"], "-signer", f["signer.pem"], "-inkey", f["key.pem"],
				"-certfile", f["wwdr.pem"], "-md", tc.md, "-outform", "DER", "-out", out}
			if tc.keyid {
				args = append(args, "-keyid")
			}
			runOpenSSL(t, args...)
			sig, err := os.ReadFile(out)
			require.NoError(t, err)
			if tc.stream {
				// Streaming signers (PHP's openssl_pkcs7_sign, openssl
				// -stream) write BER with indefinite lengths; openssl's
				// detached DER is re-encoded that way here, since its
				// own -stream output embeds the content.
				sig = indefiniteBER(t, sig, 4)
				require.Equal(t, byte(0x80), sig[1])
			}
			info, err := VerifySignature(sig, manifest)
			require.NoError(t, err)
			assert.True(t, info.Signer.Equal(id.Certificate))
			assert.Equal(t, tc.keyid, info.SubjectKeyID)
			assert.Equal(t, tc.digest, info.Digest)
			assert.WithinDuration(t, time.Now(), info.SigningTime, 5*time.Minute)
			assert.Len(t, info.Certificates, 2)

			_, err = VerifySignature(sig, append([]byte(" "), manifest...))
			require.ErrorIs(t, err, ErrSignature)
		})
	}
}

func TestVerifySignatureRejects(t *testing.T) {
	p := pkiOnce()
	id := p.identity(t)
	manifest := []byte(`{"pass.json":"00"}`)
	sig, err := Signature(manifest, id, crypto.SHA256, time.Now())
	require.NoError(t, err)

	flipped := bytes.Clone(sig)
	flipped[len(flipped)-10] ^= 0xff // inside the signature value
	other, err := NewIdentity(p.otherKey, p.leaf(t, p.otherKey, testPassTypeID, testTeamID, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0)), p.inter)
	require.NoError(t, err)
	otherSig, err := Signature(manifest, other, crypto.SHA256, time.Now())
	require.NoError(t, err)
	// Graft the other signer's certificate in place of ours: the signature
	// no longer verifies with the named certificate.
	swapped := bytes.Replace(otherSig, other.Certificate.Raw, id.Certificate.Raw, 1)

	for _, tc := range []struct {
		name    string
		sig     []byte
		content []byte
	}{
		{"empty", nil, manifest},
		{"corrupt DER", []byte{0x30, 0x82, 0xff, 0xff, 0x01}, manifest},
		{"truncated", sig[:len(sig)/2], manifest},
		{"trailing data", append(bytes.Clone(sig), 0), manifest},
		{"tampered signature value", flipped, manifest},
		{"tampered manifest", sig, []byte(`{"pass.json":"01"}`)},
		{"certificate swapped", swapped, manifest},
		{"not signedData", []byte{0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0xa0, 0x00}, manifest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := VerifySignature(tc.sig, tc.content)
			require.ErrorIs(t, err, ErrSignature)
		})
	}
}

func FuzzVerifySignature(f *testing.F) {
	id, _ := goldenIdentity(f) // the committed key: no RSA key generation in the fuzz workers
	manifest := []byte(`{"pass.json":"00"}`)
	sig, err := Signature(manifest, id, crypto.SHA256, time.Now())
	require.NoError(f, err)
	f.Add(sig)
	f.Add(sig[:100])
	f.Add([]byte{0x30, 0x00})
	f.Add([]byte{0x30, 0x80, 0x02, 0x01, 0x01})                   // indefinite without end-of-contents
	f.Add(bytes.Repeat([]byte{0x30, 0x80}, 100))                  // nesting too deep
	f.Add([]byte{0x30, 0x80, 0x04, 0x80, 0x00, 0x00, 0x00, 0x00}) // primitive with indefinite length
	f.Add([]byte{0x3f, 0x81, 0x80, 0x80, 0x00, 0x00})             // high tag number
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := VerifySignature(data, manifest)
		if err != nil {
			require.ErrorIs(t, err, ErrSignature)
			return
		}
		require.NotNil(t, info.Signer)
	})
}

// indefiniteBER re-encodes the constructed elements of der down to depth
// levels with indefinite lengths.
func indefiniteBER(t *testing.T, der []byte, levels int) []byte {
	t.Helper()
	var out []byte
	for len(der) > 0 {
		var v asn1.RawValue
		rest, err := asn1.Unmarshal(der, &v)
		require.NoError(t, err)
		if v.IsCompound && levels > 0 {
			hdrLen := len(v.FullBytes) - len(v.Bytes)
			tag := v.FullBytes[:1]
			if v.Tag >= 31 {
				tag = v.FullBytes[:hdrLen-1]
			}
			out = append(out, tag...)
			out = append(out, 0x80)
			out = append(out, indefiniteBER(t, v.Bytes, levels-1)...)
			out = append(out, 0, 0)
		} else {
			out = append(out, v.FullBytes...)
		}
		der = rest
	}
	return out
}

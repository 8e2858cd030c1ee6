package sign

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBERToDER(t *testing.T) {
	id := pkiOnce().identity(t)
	sig, err := Signature([]byte("{}"), id, 0, time.Now())
	require.NoError(t, err)
	der, err := berToDER(sig)
	require.NoError(t, err)
	assert.Equal(t, sig, der, "DER comes back unchanged")

	for _, tc := range []struct {
		name    string
		in, out []byte
	}{
		{"indefinite SEQUENCE", []byte{0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00}, []byte{0x30, 0x03, 0x02, 0x01, 0x05}},
		{"indefinite inside definite", []byte{0x30, 0x09, 0xa0, 0x80, 0x04, 0x01, 0xaa, 0x00, 0x00, 0x05, 0x00}, []byte{0x30, 0x07, 0xa0, 0x03, 0x04, 0x01, 0xaa, 0x05, 0x00}},
		{"non-minimal length", []byte{0x04, 0x81, 0x01, 0xff}, []byte{0x04, 0x01, 0xff}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := berToDER(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.out, got)
		})
	}
	for _, bad := range [][]byte{
		nil,
		{0x30},
		{0x30, 0x80, 0x02, 0x01, 0x05},       // no end-of-contents
		{0x04, 0x80, 0x00, 0x00},             // primitive with indefinite length
		{0x1f, 0x81, 0x01, 0x00},             // high tag number
		{0x30, 0x03, 0x02, 0x01, 0x05, 0x00}, // trailing byte
		{0x04, 0x85, 0x01, 0x01, 0x01, 0x01, 0x01}, // 5 length octets
	} {
		_, err := berToDER(bad)
		assert.Error(t, err, "% x", bad)
	}
}

package pass2u

import (
	"bytes"
	"context"
	"hash/crc32"
	"image"
	"image/png"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/passforge/passforge/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	pngCacheMu sync.Mutex
	pngCache   = map[[2]int][]byte{}
)

// testPNG encodes a w×h gradient PNG, cached so every size is encoded once.
func testPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	pngCacheMu.Lock()
	defer pngCacheMu.Unlock()
	if b, ok := pngCache[[2]int{w, h}]; ok {
		return b
	}
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		x, y := (i/4)%w, (i/4)/w
		copy(img.Pix[i:i+4], []byte{uint8(x), uint8(y), 128, 255})
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	require.NoError(t, enc.Encode(&buf, img))
	pngCache[[2]int{w, h}] = buf.Bytes()
	return buf.Bytes()
}

// pngHeader returns only the signature and IHDR chunk of a PNG of any
// size, for images whose pixels must never be decoded.
func pngHeader(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1))))
	b := buf.Bytes()[:8+8+13+4] // signature, IHDR length+type, data, CRC
	hdr := append([]byte(nil), b...)
	put := func(off, v int) {
		hdr[off], hdr[off+1], hdr[off+2], hdr[off+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	}
	put(16, w)
	put(20, h)
	put(29, int(crc32.ChecksumIEEE(hdr[12:29]))) // CRC of type and data
	return hdr
}

func TestCheckImage(t *testing.T) {
	strip := testPNG(t, 750, 288)
	tests := []struct {
		name    string
		data    []byte
		want    string
		w, h    int
		wantErr bool
	}{
		{name: "icon", data: testPNG(t, 58, 58), w: 58, h: 58},
		{name: "widest allowed", data: testPNG(t, 1024, 4), w: 1024, h: 4},
		{name: "tallest allowed", data: testPNG(t, 4, 1024), w: 4, h: 1024},
		{name: "strip", data: strip, w: 750, h: 288},
		{name: "empty", data: nil, want: "the image is empty", wantErr: true},
		{name: "jpeg", data: []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), want: "not a PNG file", wantErr: true},
		{name: "too wide", data: pngHeader(t, 1025, 10), want: "1025×10 pixels is more than Pass2U's 1024×1024", wantErr: true},
		{name: "too tall", data: pngHeader(t, 10, 1025), want: "10×1025 pixels", wantErr: true},
		{name: "huge header never decoded", data: pngHeader(t, 1<<20, 1<<20), want: "pixels is more than", wantErr: true},
		{name: "truncated", data: strip[:len(strip)/2], want: "decoding the PNG", wantErr: true},
		{name: "bad header", data: []byte("\x89PNG\r\n\x1a\nxxxx"), want: "reading the PNG header", wantErr: true},
		{name: "too large", data: append(append([]byte(nil), pngSignature...), make([]byte, MaxImageBytes)...),
			want: "4194312 bytes is more than Pass2U's 4194304", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := CheckImage(tt.data)
			if tt.wantErr {
				require.ErrorIs(t, err, ErrInvalidImage)
				assert.Contains(t, err.Error(), tt.want)
				assert.True(t, strings.HasPrefix(err.Error(), "pass2u: "))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.w, cfg.Width)
			assert.Equal(t, tt.h, cfg.Height)
		})
	}
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

// endless yields zero bytes forever.
type endless struct{}

func (endless) Read(b []byte) (int, error) { clear(b); return len(b), nil }

func TestUploadChecksBeforeSending(t *testing.T) {
	ctx := context.Background()
	t.Run("oversized stream is not read to the end", func(t *testing.T) {
		f := newFake(t)
		c := newTestClient(t, f)
		r := &countingReader{r: io.MultiReader(bytes.NewReader(pngSignature), endless{})}
		_, resp, err := c.Images.Upload(ctx, r)
		require.ErrorIs(t, err, ErrInvalidImage)
		assert.Nil(t, resp)
		assert.Equal(t, int64(MaxImageBytes+1), r.n)
		assert.Empty(t, f.Requests())
	})
	t.Run("too many pixels", func(t *testing.T) {
		f := newFake(t)
		_, _, err := newTestClient(t, f).Images.Upload(ctx, bytes.NewReader(pngHeader(t, 2048, 2048)))
		require.ErrorIs(t, err, ErrInvalidImage)
		assert.Contains(t, err.Error(), "2048×2048")
		assert.Empty(t, f.Requests())
	})
	t.Run("not png", func(t *testing.T) {
		f := newFake(t)
		_, _, err := newTestClient(t, f).Images.Upload(ctx, strings.NewReader("GIF89a"))
		require.ErrorIs(t, err, ErrInvalidImage)
		assert.Empty(t, f.Requests())
	})
	t.Run("read error", func(t *testing.T) {
		f := newFake(t)
		_, _, err := newTestClient(t, f).Images.Upload(ctx, io.MultiReader(strings.NewReader("x"), errReader{}))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "pass2u: upload image: reading the image: boom")
	})
	t.Run("response without hex", func(t *testing.T) {
		f := newFake(t)
		f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
			_, _ = io.WriteString(w, `{}`)
			return true
		})
		_, _, err := newTestClient(t, f).Images.Upload(ctx, bytes.NewReader(testPNG(t, 58, 58)))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "response has no hex")
	})
	t.Run("unsupported type from server", func(t *testing.T) {
		f := newFake(t)
		f.SetOverride(func(w http.ResponseWriter, r *http.Request, n int) bool {
			w.WriteHeader(http.StatusUnsupportedMediaType)
			_, _ = io.WriteString(w, `{"message":"error"}`)
			return true
		})
		_, resp, err := newTestClient(t, f).Images.Upload(ctx, bytes.NewReader(testPNG(t, 58, 58)))
		require.ErrorIs(t, err, client.ErrValidation)
		assert.Equal(t, 1, resp.Attempts)
	})
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errBoom }

var errBoom = &boomError{}

type boomError struct{}

func (*boomError) Error() string { return "boom" }

// FuzzCheckImage feeds arbitrary bytes to the upload check, which must
// never panic and must accept only images within Pass2U's limits.
func FuzzCheckImage(f *testing.F) {
	f.Add(testPNG(f, 2, 2))
	f.Add(pngHeader(f, 1025, 1))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		cfg, err := CheckImage(b)
		if err == nil {
			require.LessOrEqual(t, cfg.Width, MaxImageWidth)
			require.LessOrEqual(t, cfg.Height, MaxImageHeight)
			require.LessOrEqual(t, len(b), MaxImageBytes)
		}
	})
}

func BenchmarkCheckImage(b *testing.B) {
	data := testPNG(b, 1024, 1024)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := CheckImage(data); err != nil {
			b.Fatal(err)
		}
	}
}

package pass2u

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/internal/provider"
)

// Limits of Pass2U's "Upload image", checked by CheckImage before an image
// is sent.
const (
	// MaxImageBytes is the largest image file Pass2U takes: 4 MB, read as
	// 4 MiB.
	MaxImageBytes = 4 << 20
	// MaxImageWidth is the widest image Pass2U takes, in pixels.
	MaxImageWidth = 1024
	// MaxImageHeight is the tallest image Pass2U takes, in pixels.
	MaxImageHeight = 1024
)

// ErrInvalidImage is matched (with errors.Is) by the error of CheckImage
// and Upload when an image is not a PNG Pass2U accepts: not a valid PNG,
// larger than MaxImageBytes or larger than MaxImageWidth×MaxImageHeight.
// The image is not sent.
var ErrInvalidImage = errors.New("pass2u: image rejected before upload")

// pngSignature starts every PNG file.
var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// CheckImage checks data against Pass2U's upload limitations: a PNG file
// of at most MaxImageBytes bytes and MaxImageWidth×MaxImageHeight pixels
// that decodes completely. It returns the image's size and color model.
// The dimensions are read from the header before any pixel is decoded, so
// an oversized image costs no more than its header.
func CheckImage(data []byte) (image.Config, error) {
	if len(data) == 0 {
		return image.Config{}, fmt.Errorf("%w: the image is empty", ErrInvalidImage)
	}
	if len(data) > MaxImageBytes {
		return image.Config{}, fmt.Errorf("%w: %d bytes is more than Pass2U's %d", ErrInvalidImage, len(data), MaxImageBytes)
	}
	if !bytes.HasPrefix(data, pngSignature) {
		return image.Config{}, fmt.Errorf("%w: not a PNG file (Pass2U takes .png only)", ErrInvalidImage)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return image.Config{}, fmt.Errorf("%w: reading the PNG header: %v", ErrInvalidImage, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxImageWidth || cfg.Height > MaxImageHeight {
		return image.Config{}, fmt.Errorf("%w: %d×%d pixels is more than Pass2U's %d×%d",
			ErrInvalidImage, cfg.Width, cfg.Height, MaxImageWidth, MaxImageHeight)
	}
	if _, err := png.Decode(bytes.NewReader(data)); err != nil {
		return image.Config{}, fmt.Errorf("%w: decoding the PNG: %v", ErrInvalidImage, err)
	}
	return cfg, nil
}

// UploadedImage is Pass2U's answer to an image upload.
type UploadedImage struct {
	// Hex is the image's unique hash (hex), used as Image.Hex to put the
	// image on a pass.
	Hex string `json:"hex"`
	// Raw is the whole JSON object as received.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the documented field and keeps the raw object.
func (u *UploadedImage) UnmarshalJSON(b []byte) error {
	type plain UploadedImage
	return provider.UnmarshalRaw(b, (*plain)(u), &u.Raw)
}

// ImagesService uploads images (/images).
type ImagesService struct{ c *Client }

// Upload reads a PNG image from r, checks it with CheckImage and uploads
// it (POST /images, Content-Type image/png). It reads at most
// MaxImageBytes+1 bytes, so a larger r is rejected without reading it
// all. The returned hex goes into Image.Hex of PassParams. Pass2U has no
// idempotency keys, so Upload is retried only when the request never
// reached Pass2U.
func (s *ImagesService) Upload(ctx context.Context, r io.Reader) (*UploadedImage, *client.Response, error) {
	if r == nil {
		return nil, nil, errors.New("pass2u: upload image: nil io.Reader")
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxImageBytes+1))
	if err != nil {
		return nil, nil, fmt.Errorf("pass2u: upload image: reading the image: %w", err)
	}
	if len(data) > MaxImageBytes {
		return nil, nil, fmt.Errorf("%w: more than Pass2U's %d bytes", ErrInvalidImage, MaxImageBytes)
	}
	if _, err := CheckImage(data); err != nil {
		return nil, nil, err
	}
	var im UploadedImage
	resp, err := s.c.core.Do(ctx, &client.Request{
		Method: http.MethodPost, Path: "/images", RawBody: data, ContentType: "image/png",
	}, &im)
	if err != nil {
		return nil, resp, wrap("upload image", err)
	}
	if im.Hex == "" {
		return nil, resp, errors.New("pass2u: upload image: response has no hex")
	}
	return &im, resp, nil
}

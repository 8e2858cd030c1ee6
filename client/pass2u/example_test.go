package pass2u_test

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
	"net/http/httptest"

	"github.com/passforge/passforge/client"
	"github.com/passforge/passforge/client/pass2u"
)

// Example creates a membership card from a model, raises its level and
// downloads the .pkpass, against a local stand-in for Pass2U.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method + " " + r.URL.Path {
		case "POST /models/1919/passes":
			fmt.Fprintf(w, `{"barcodeMessage":"1234567890","modelId":1919,"passId":"VT-2I77F5ADz","createdTime":"2018-01-25T16:19:36+08:00"}`)
		case "PUT /models/1919/passes/VT-2I77F5ADz":
			fmt.Fprintf(w, `{"barcodeMessage":"1234567890","modelId":1919,"passId":"VT-2I77F5ADz","updatedTime":"2018-01-26T09:00:00+08:00"}`)
		case "GET /models/1919/passes/VT-2I77F5ADz":
			w.Header().Set("Content-Type", r.Header.Get("Accept"))
			_, _ = w.Write([]byte("PK\x03\x04 ...the signed pass..."))
		}
	}))
	defer srv.Close()

	p2u, err := pass2u.New("e6a45207817bb8e9b1f3e67bb696067c", client.WithBaseURL(srv.URL))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	pass, _, err := p2u.Passes.Create(ctx, "1919", &pass2u.PassParams{
		BackgroundColor: "rgb(237, 219, 21)",
		Barcode:         &pass2u.Barcode{Message: "1234567890", AltText: "1234567890"},
		Fields:          []pass2u.Field{{Key: "name", Value: "Fi-Lin,Chen"}, {Key: "level", Value: "GOLD"}},
	}, &pass2u.CreateOptions{UTMSource: "website"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("created", pass.PassID, "from model", pass.ModelID, "at", pass.CreatedTime.Format("2006-01-02 15:04 -07:00"))
	fmt.Println("download page", pass.DownloadPageURL())

	pass, _, err = p2u.Passes.Update(ctx, "1919", pass.PassID, &pass2u.PassParams{
		Fields: []pass2u.Field{{Key: "level", Value: "DIAMOND", ChangeMessage: "Your level is now %@"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("updated at", pass.UpdatedTime.Format("2006-01-02 15:04 -07:00"))

	var pkpass bytes.Buffer
	n, resp, err := p2u.Passes.Download(ctx, "1919", pass.PassID, &pkpass)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("downloaded", n, "bytes of", resp.Header.Get("Content-Type"))
	// Output:
	// created VT-2I77F5ADz from model 1919 at 2018-01-25 16:19 +08:00
	// download page https://www.pass2u.net/d/VT-2I77F5ADz
	// updated at 2018-01-26 09:00 +08:00
	// downloaded 26 bytes of application/vnd.apple.pkpass
}

// ExampleImagesService_Upload uploads a thumbnail and puts it on a new
// pass; an image over Pass2U's limits is refused before it is sent.
func ExampleImagesService_Upload() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/images":
			cfg, _ := png.DecodeConfig(r.Body)
			fmt.Printf("server got %s, %d×%d\n", r.Header.Get("Content-Type"), cfg.Width, cfg.Height)
			_, _ = io.WriteString(w, `{"hex":"89b9a6edb1132bae969711230ef63e3fb367f34e"}`)
		default:
			var body struct {
				Images []pass2u.Image `json:"images"`
			}
			_ = json.NewDecoder(r.Body).Decode(&body)
			fmt.Printf("server got images %+v\n", body.Images)
			_, _ = io.WriteString(w, `{"modelId":1919,"passId":"VT-2I77F5ADz"}`)
		}
	}))
	defer srv.Close()
	p2u, _ := pass2u.New("e6a45207817bb8e9b1f3e67bb696067c", client.WithBaseURL(srv.URL))
	ctx := context.Background()

	encode := func(w, h int) []byte {
		var buf bytes.Buffer
		_ = png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h)))
		return buf.Bytes()
	}
	_, _, err := p2u.Images.Upload(ctx, bytes.NewReader(encode(2048, 100)))
	fmt.Println(errors.Is(err, pass2u.ErrInvalidImage), err)

	img, _, err := p2u.Images.Upload(ctx, bytes.NewReader(encode(180, 180)))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, _, err = p2u.Passes.Create(ctx, "1919", &pass2u.PassParams{
		Images: []pass2u.Image{{Type: pass2u.ImageThumbnail, Hex: img.Hex}},
	}, nil)
	fmt.Println("created:", err == nil)
	// Output:
	// true pass2u: image rejected before upload: 2048×100 pixels is more than Pass2U's 1024×1024
	// server got image/png, 180×180
	// server got images [{Type:thumbnail Hex:89b9a6edb1132bae969711230ef63e3fb367f34e}]
	// created: true
}

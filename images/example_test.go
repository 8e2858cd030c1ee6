package images_test

import (
	"fmt"
	"image"
	"image/color"

	"github.com/passforge/passforge/images"
	"github.com/passforge/passforge/pass"
)

func ExamplePrepare() {
	// A 200×100 source logo, filled with one colour.
	src := image.NewNRGBA(image.Rect(0, 0, 200, 100))
	for i := range src.Pix {
		src.Pix[i] = 0xff
	}
	src.SetNRGBA(0, 0, color.NRGBA{R: 255, A: 255})

	set, err := images.Prepare(src, pass.ImageLogo, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, img := range set.Images {
		fmt.Println(pass.ImageFileName(set.Role, img.Scale), img.Image.Bounds().Size())
	}
	for _, w := range set.Warnings {
		fmt.Println("warning:", w)
	}
	// Output:
	// logo.png (100,50)
	// logo@2x.png (200,100)
	// logo@3x.png (300,150)
	// warning: images: logo@3x.png: source 200×100 px is enlarged 1.50×; use at least 300×150 px
}

package assets

import (
	"bytes"
	_ "embed"
	"flag"
	"image"
	"image/draw"
	"image/png"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "write icon-256.png again from icon.png")

//go:embed icon.png
var iconPNG []byte

// halve scales a 2n×2n picture to n×n, each pixel the mean of its four
// (premultiplied, as drawing does, so the transparent corners do not
// darken the edge).
func halve(src image.Image) *image.NRGBA {
	b := src.Bounds()
	rgba := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(rgba, rgba.Bounds(), src, b.Min, draw.Src)
	n := b.Dx() / 2
	out := image.NewNRGBA(image.Rect(0, 0, n, n))
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			var sum [4]int
			for _, p := range [][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
				i := rgba.PixOffset(2*x+p[0], 2*y+p[1])
				for c := 0; c < 4; c++ {
					sum[c] += int(rgba.Pix[i+c])
				}
			}
			a := (sum[3] + 2) / 4
			o := out.PixOffset(x, y)
			out.Pix[o+3] = uint8(a)
			if a == 0 {
				continue
			}
			for c := 0; c < 3; c++ {
				v := (sum[c]*255/4 + a/2) / a // un-premultiply
				out.Pix[o+c] = uint8(min(v, 255))
			}
		}
	}
	return out
}

func decodePNG(t *testing.T, b []byte) *image.NRGBA {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	out := image.NewNRGBA(img.Bounds())
	draw.Draw(out, out.Bounds(), img, img.Bounds().Min, draw.Src)
	return out
}

// TestWindowIconIsTheAppIcon keeps the window icon the same picture as
// icon.png (the installers' icon, 512×512) at half its size; go test
// ./assets -update writes it again after icon.png changes. Not drawn from
// icon.svg by Fyne: its SVG rasteriser leaves the stroke at its 512-pixel
// width and ignores the rounded corners.
func TestWindowIconIsTheAppIcon(t *testing.T) {
	big := decodePNG(t, iconPNG)
	if b := big.Bounds(); b.Dx() != 2*WindowIconSize || b.Dy() != 2*WindowIconSize {
		t.Fatalf("icon.png is %d×%d, want %d×%d", b.Dx(), b.Dy(), 2*WindowIconSize, 2*WindowIconSize)
	}
	want := halve(big)
	if *update {
		var buf bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&buf, want); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("icon-256.png", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Skip("wrote icon-256.png")
	}
	got := decodePNG(t, WindowIconPNG())
	if b := got.Bounds(); b.Dx() != WindowIconSize || b.Dy() != WindowIconSize {
		t.Fatalf("the window icon is %d×%d, want %d×%d", b.Dx(), b.Dy(), WindowIconSize, WindowIconSize)
	}
	worst, at := 0, 0
	for i := range got.Pix {
		d := int(got.Pix[i]) - int(want.Pix[i])
		if d < 0 {
			d = -d
		}
		if d > worst {
			worst, at = d, i
		}
	}
	if worst > 2 {
		x, y := (at/4)%WindowIconSize, (at/4)/WindowIconSize
		t.Errorf("icon-256.png differs from icon.png halved by %d at (%d,%d): run go test ./assets -update", worst, x, y)
	}
}

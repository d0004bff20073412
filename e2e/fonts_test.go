package e2e

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// scriptNames are people whose names are in scripts the app's own font
// (Noto Sans: Latin, Greek, Cyrillic) does not have, so they are drawn only
// when a system font has them (Fyne's fallback: fontscan over the system's
// font directories). The last has code points no font has: what the app
// draws then is the replacement glyph the others are compared with.
var scriptNames = []struct {
	script, first, last string
}{
	{"Chinese", "秀英", "王"},
	{"Japanese", "太郎", "山田"},
	{"Korean", "민준", "김"},
	{"Arabic", "محمد", "العلي"},
	{"Hebrew", "דוד", "כהן"},
	{"Devanagari", "प्रिया", "शर्मा"},
	{"no font", "\U0010FFFD", "\U0010FFFD\U0010FFFD"},
}

// TestNamesInEveryScriptRender: in the real app's People table, names in
// Chinese, Japanese, Korean, Arabic, Hebrew and Devanagari are drawn with
// their own glyphs, not with the replacement glyph the app draws for a
// character no installed font has (tofu). The last name, of characters no
// font has, shows that glyph on the same screen: the others must not
// contain it. make test installs the fonts (fonts-noto-cjk for Chinese,
// Japanese and Korean, fonts-noto-core for Devanagari, fonts-dejavu-core
// for Arabic and Hebrew); without the first two the Chinese, Japanese,
// Korean and Devanagari names are tofu and this fails.
func TestNamesInEveryScriptRender(t *testing.T) {
	requireDesktop(t, true)
	r := newDesktopRunPeople(t, "fonts", 500)
	// The same profile, with the renaming proxy as the tenant.
	proxy := renamingProxy(t, r.desc.BaseURL)
	writeFile(t, r.profile, strings.Replace(readFile(r.profile), r.desc.BaseURL, proxy, 1))
	cmd, w := r.launch("fonts", "--profile", r.profile, "--sign-in", "--session-only")
	w.waitFor(t, "state=people-loaded", 60*time.Second)
	_, _, width, _ := windowGeometry(t, "")
	shot := r.screenshot("fonts-people.png")
	// The Arabic person's details, for the eye: a right-to-left name in
	// labels that wrap.
	x, _ := scrollbarX(t)
	xdo(t, "mousemove", strconv.Itoa(x-250), strconv.Itoa(scrollTopY+18+3*40), "click", "1")
	w.waitFor(t, "state=person-shown row=3", 10*time.Second)
	r.screenshot("fonts-details.png")
	// What a font per script costs: Fyne reads the whole font file of a
	// glyph it falls back to (19 MB for Noto Sans CJK).
	t.Logf("app resident memory with these names on screen: %.0f MB (peak %.0f MB)",
		procMB(t, cmd.Process.Pid, "VmRSS:"), procMB(t, cmd.Process.Pid, "VmHWM:"))
	stop(cmd)

	img := readPNG(t, shot)
	// The Name column, 200 pixels from the table's left edge, which the
	// splits put at 24% of the window's width; borders left out.
	left := int(float64(width)*0.24) + 10
	column := image.Rect(left, scrollTopY, left+190, scrollTopY+(len(scriptNames)+1)*45)
	savePNG(t, filepath.Join(r.out, "fonts-names.png"), img, column)
	rows := tableRows(img, column)
	if len(rows) < len(scriptNames) {
		t.Fatalf("%d table rows found in the Name column, want %d or more: see %s", len(rows), len(scriptNames), shot)
	}
	tofu := firstGlyph(img, rows[len(scriptNames)-1])
	for i, n := range scriptNames {
		name := formattedName(n.script, n.first, n.last)
		found, wide := countGlyph(img, rows[i], tofu), inkWidth(img, rows[i])
		t.Logf("%-10s %-12q %3d pixels wide, %d replacement glyphs", n.script, name, wide, found)
		switch {
		case n.script == "no font":
			if want := utf8.RuneCountInString(n.first + n.last); found != want {
				t.Errorf("%d replacement glyphs for the %d characters no font has", found, want)
			}
		case found > 0:
			t.Errorf("the %s name %q is drawn with %d replacement glyphs (tofu): no installed font has them "+
				"(Debian: fonts-noto-cjk fonts-noto-core fonts-dejavu-core); see %s", n.script, name, found, shot)
		case wide < 2*tofu.Dx():
			t.Errorf("the %s name %q is %d pixels wide: not drawn", n.script, name, wide)
		case allAlike(img, rows[i]):
			// Another font's missing-glyph box, the same for every character.
			t.Errorf("the %s name %q is drawn as the same picture over and over: see %s", n.script, name, shot)
		}
	}
}

// renamingProxy stands in front of the sandbox tenant at base and gives the
// first people of the first People page the names of scriptNames, leaving
// everything else as the sandbox sent it. The sandbox builds its links from
// the request's Host, which the proxy keeps, so the app talks to the proxy
// only. It returns the tenant address to use instead of base.
func renamingProxy(t *testing.T, base string) string {
	t.Helper()
	target, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	p := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(&url.URL{Scheme: target.Scheme, Host: target.Host})
		r.Out.Host = r.In.Host              // the sandbox's links name the proxy
		r.Out.Header.Del("Accept-Encoding") // bodies to rewrite come plain
	}}
	p.ModifyResponse = func(res *http.Response) error {
		q := res.Request.URL.Query()
		if !strings.HasSuffix(res.Request.URL.Path, "/DataService.svc/People") || res.StatusCode != http.StatusOK ||
			q.Get("$filter") != "" || (q.Get("$skip") != "" && q.Get("$skip") != "0") || q.Get("$skiptoken") != "" {
			return nil
		}
		body, err := io.ReadAll(res.Body)
		_ = res.Body.Close()
		if err != nil {
			return err
		}
		if body, err = renamePeople(body); err != nil {
			return err
		}
		res.Body = io.NopCloser(bytes.NewReader(body))
		res.ContentLength = int64(len(body))
		res.Header.Set("Content-Length", strconv.Itoa(len(body)))
		return nil
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return srv.URL + target.Path
}

// renamePeople renames the first people of a People page in any JSON
// dialect (v2's d.results, v3 and v4's value).
func renamePeople(body []byte) ([]byte, error) {
	var page map[string]any
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&page); err != nil {
		return nil, err
	}
	rows, _ := page["value"].([]any)
	if inner, ok := page["d"].(map[string]any); ok {
		rows, _ = inner["results"].([]any)
	}
	for i, n := range scriptNames {
		if i >= len(rows) {
			break
		}
		if p, ok := rows[i].(map[string]any); ok {
			p["FirstName"], p["LastName"], p["KnownAs"] = n.first, n.last, n.first
			p["FormattedName"] = formattedName(n.script, n.first, n.last)
		}
	}
	return json.Marshal(page)
}

// formattedName writes family name first, without a space, in Chinese and
// Japanese, as people there write their names.
func formattedName(script, first, last string) string {
	if script == "Chinese" || script == "Japanese" {
		return last + first
	}
	return first + " " + last
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// savePNG keeps part of a picture as evidence.
func savePNG(t *testing.T, path string, img image.Image, r image.Rectangle) {
	t.Helper()
	crop := image.NewRGBA(r)
	draw.Draw(crop, r, img, r.Min, draw.Src)
	var b bytes.Buffer
	if err := png.Encode(&b, crop); err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, b.String())
}

// inkMap marks the pixels of r that differ from its most common colour
// (the table's background): text, and the lines between rows.
type inkMap struct {
	r   image.Rectangle
	ink []bool
}

func newInkMap(img image.Image, r image.Rectangle) *inkMap {
	count := map[color.RGBA]int{}
	var bg color.RGBA
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			if count[c]++; count[c] > count[bg] {
				bg = c
			}
		}
	}
	m := &inkMap{r: r, ink: make([]bool, r.Dx()*r.Dy())}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			m.ink[(y-r.Min.Y)*r.Dx()+x-r.Min.X] = colorDistance(img.At(x, y), bg) > 60
		}
	}
	return m
}

func (m *inkMap) at(x, y int) bool {
	return image.Pt(x, y).In(m.r) && m.ink[(y-m.r.Min.Y)*m.r.Dx()+x-m.r.Min.X]
}

// inkIn counts the pixels with ink in the rectangle.
func (m *inkMap) inkIn(r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if m.at(x, y) {
				n++
			}
		}
	}
	return n
}

// colorDistance is the sum of the differences of the channels (0 to 765).
func colorDistance(a, b color.Color) int {
	r1, g1, b1, _ := a.RGBA()
	r2, g2, b2, _ := b.RGBA()
	d := func(x, y uint32) int { return int(max(x, y)-min(x, y)) >> 8 }
	return d(r1, r2) + d(g1, g2) + d(b1, b2)
}

// tableRows are the table's rows within r, top to bottom: the bands
// between the lines drawn across the table (rows of pixels almost all ink)
// that hold text.
func tableRows(img image.Image, r image.Rectangle) []image.Rectangle {
	m := newInkMap(img, r)
	var rows []image.Rectangle
	top := r.Min.Y
	for y := r.Min.Y; y <= r.Max.Y; y++ {
		if y < r.Max.Y && m.inkIn(image.Rect(r.Min.X, y, r.Max.X, y+1)) < r.Dx()*9/10 {
			continue // not a line
		}
		if band := image.Rect(r.Min.X, top, r.Max.X, y); band.Dy() > 15 && m.inkIn(band) > 0 {
			rows = append(rows, band)
		}
		top = y + 1
	}
	return rows
}

// inkBounds is the smallest rectangle holding the ink of r.
func inkBounds(m *inkMap, r image.Rectangle) image.Rectangle {
	b := image.Rectangle{}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if m.at(x, y) {
				b = b.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return b
}

// inkWidth is how wide the text of a row is drawn.
func inkWidth(img image.Image, row image.Rectangle) int {
	return inkBounds(newInkMap(img, row), row).Dx()
}

// clusters are the parts of a row's ink between columns without any: a
// glyph each, or glyphs drawn joined (Arabic, Devanagari, overlapping).
func clusters(img image.Image, row image.Rectangle) []image.Rectangle {
	m := newInkMap(img, row)
	var out []image.Rectangle
	start := -1
	for x := row.Min.X; x <= row.Max.X; x++ {
		inked := x < row.Max.X && m.inkIn(image.Rect(x, row.Min.Y, x+1, row.Max.Y)) > 0
		switch {
		case inked && start < 0:
			start = x
		case !inked && start >= 0:
			out = append(out, inkBounds(m, image.Rect(start, row.Min.Y, x, row.Max.Y)))
			start = -1
		}
	}
	return out
}

// allAlike: the row has several clusters and they are all the same
// picture, as boxes for missing glyphs are.
func allAlike(img image.Image, row image.Rectangle) bool {
	c := clusters(img, row)
	for _, x := range c[min(1, len(c)):] {
		if x.Size() != c[0].Size() || !samePicture(img, x.Min, c[0]) {
			return false
		}
	}
	return len(c) > 1
}

// firstGlyph is where the first glyph of a row is.
func firstGlyph(img image.Image, row image.Rectangle) image.Rectangle {
	return clusters(img, row)[0]
}

// countGlyph counts the places in row where the picture at glyph appears
// again, give or take the blur of a text texture drawn at a fractional
// position. Only the middle half of its columns is compared: the app draws
// a replacement glyph wider than the advance it keeps, so neighbours
// overlap at the edges. A glyph is counted once.
func countGlyph(img image.Image, row, glyph image.Rectangle) int {
	core := image.Rect(glyph.Min.X+glyph.Dx()/4, glyph.Min.Y, glyph.Max.X-glyph.Dx()/4, glyph.Max.Y)
	n := 0
	for x := row.Min.X; x+core.Dx() <= row.Max.X; x++ {
		for y := row.Min.Y; y+core.Dy() <= row.Max.Y; y++ {
			if samePicture(img, image.Pt(x, y), core) {
				n++
				x += glyph.Dx() / 2
				break
			}
		}
	}
	return n
}

// samePicture: the pixels from at look like those of r.
func samePicture(img image.Image, at image.Point, r image.Rectangle) bool {
	diff := 0
	for y := 0; y < r.Dy(); y++ {
		for x := 0; x < r.Dx(); x++ {
			diff += colorDistance(img.At(at.X+x, at.Y+y), img.At(r.Min.X+x, r.Min.Y+y))
		}
	}
	return diff < 20*r.Dx()*r.Dy()
}

package e2e

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"testing"
	"time"
)

// Where the flow trace tab draws its step list in a window at the top left
// of the display: the first row's middle, and the height of a row.
const (
	traceRow0Y  = 196
	traceRowH   = 39
	stepCallbck = 2 // rows: Authorize URL, Browser opened, Callback, Token request
	stepTokenRq = 3
)

// TestTracePaneShowsTheSelectedStep: in the real window, QA opens the flow
// trace (Ctrl+T), clicks the callback, then the token request. Every row
// the token request shares with another sign-in to the same tenant
// (client_id, client_secret, grant_type, redirect_uri) must look exactly as
// when the token request is the first step clicked in a fresh app: Fyne's
// Form kept drawing the first step's first value beside the new name.
func TestTracePaneShowsTheSelectedStep(t *testing.T) {
	requireDesktop(t, true)
	r := newDesktopRun(t, "trace-pane")
	second, width := r.traceClicks("after-callback", stepCallbck, stepTokenRq)
	fresh, _ := r.traceClicks("fresh", stepTokenRq)
	a, b := textBands(t, second, width), textBands(t, fresh, width)
	fa, fb := a.fieldRows(), b.fieldRows()
	if len(fa) != len(fb) || len(fa) < 6 {
		t.Fatalf("the token request pane has %d rows below its buttons after the callback, %d fresh", len(fa), len(fb))
	}
	// Its six fields, then its curl command; the code and code_verifier
	// (3rd and 4th) differ from run to run.
	for _, i := range []int{0, 1, 4, 5} {
		if !sameBand(a, b, fa[i], fb[i]) {
			t.Fatalf("field row %d of the token request differs from a fresh app's (see %s and %s)", i+1, second, fresh)
		}
	}
}

// traceClicks launches the app signed in, opens the flow trace tab, clicks
// the step rows given and returns a screenshot of the result and the
// window's width.
func (r *desktopRun) traceClicks(name string, rows ...int) (string, int) {
	t := r.t
	cmd, w := r.launch(name, "--profile", r.profile, "--sign-in", "--session-only")
	w.waitFor(t, "state=people-loaded", 60*time.Second)
	toApp(t, "key", "ctrl+t")
	_, _, width, _ := windowGeometry(t, "")
	listX := width * 40 / 100 // well inside the step list, left of the pane
	time.Sleep(time.Second)
	for _, row := range rows {
		xdo(t, "mousemove", fmt.Sprint(listX), fmt.Sprint(traceRow0Y+row*traceRowH), "click", "1")
		time.Sleep(700 * time.Millisecond)
	}
	shot := r.screenshot("trace-pane-" + name + ".png")
	stop(cmd)
	return shot, width
}

// shot is a screenshot and the text rows found in the trace's step pane.
type shot struct {
	img   image.Image
	x0    int // the pane's left edge
	x1    int
	bands [][2]int // y ranges holding text or buttons, top to bottom
}

// textBands finds the rows of the step pane (right of the step list) of a
// window width wide that hold anything but background, below the tab's
// header.
func textBands(t *testing.T, path string, width int) shot {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	s := shot{img: img, x0: width * 60 / 100, x1: width - 12}
	bg := img.At(s.x1-4, traceRow0Y+12*traceRowH)
	inRow, top := false, 0
	for y := traceRow0Y - traceRowH/2; y < img.Bounds().Dy()-120; y++ {
		ink := false
		for x := s.x0; x < s.x1 && !ink; x++ {
			ink = img.At(x, y) != bg
		}
		switch {
		case ink && !inRow:
			inRow, top = true, y
		case !ink && inRow:
			inRow = false
			s.bands = append(s.bands, [2]int{top, y})
		}
	}
	return s
}

// fieldRows are the text rows below the pane's row of buttons (the one
// row as tall as a button), where a step's fields start.
func (s shot) fieldRows() [][2]int {
	for i, b := range s.bands {
		if b[1]-b[0] >= 30 {
			return s.bands[i+1:]
		}
	}
	return nil
}

// sameBand says whether two rows of two screenshots are drawn alike.
func sameBand(a, b shot, ra, rb [2]int) bool {
	if ra[1]-ra[0] != rb[1]-rb[0] {
		return false
	}
	for dy := 0; dy < ra[1]-ra[0]; dy++ {
		for x := a.x0; x < a.x1; x++ {
			if a.img.At(x, ra[0]+dy) != b.img.At(x, rb[0]+dy) {
				return false
			}
		}
	}
	return true
}

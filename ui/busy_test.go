package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestBusyIndicatorRedrawsFiveTimesASecond: ticked as Fyne ticks an
// animation, every frame at 60 a second, the indicator asks for a redraw
// only when its block moves, five times a second, and its block goes
// across and back.
func TestBusyIndicatorRedrawsFiveTimesASecond(t *testing.T) {
	test.NewTempApp(t)
	tests := []struct {
		name     string
		fps      int
		seconds  float64
		maxMoves int
	}{
		{"60 frames a second for 4 s", 60, 4, 20},
		{"30 frames a second for 2 s", 30, 2, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBusyIndicator()
			w := test.NewTempWindow(t, b)
			w.Resize(fyne.NewSize(400, 100))
			b.Stop()
			r := test.WidgetRenderer(b).(*busyRenderer)
			before := r.refreshes
			frames := int(tt.seconds * float64(tt.fps))
			period := busyPeriod.Seconds()
			rightmost, back := false, false
			for f := 1; f <= frames; f++ {
				at := float64(f) / float64(tt.fps)
				progress := float32(at/period - float64(int(at/period)))
				b.tick(progress)
				if b.place() == busySteps-1 {
					rightmost = true
				}
				if rightmost && b.place() == 0 {
					back = true
				}
			}
			if n := r.refreshes - before; n > tt.maxMoves || n < tt.maxMoves-2 {
				t.Errorf("%d redraws in %v s of %d frames, want about %d", n, tt.seconds, frames, tt.maxMoves)
			}
			if tt.seconds >= period && (!rightmost || !back) {
				t.Errorf("the block did not go across and back (reached the right: %v, came back: %v)", rightmost, back)
			}
		})
	}
}

// TestBusyIndicatorStartStop: it starts when shown, unless stopped first;
// Stop and Start switch it.
func TestBusyIndicatorStartStop(t *testing.T) {
	test.NewTempApp(t)
	shown := newBusyIndicator()
	test.NewTempWindow(t, shown)
	if !shown.Running() {
		t.Fatal("shown, it does not run")
	}
	shown.Stop()
	if shown.Running() {
		t.Fatal("stopped, it runs")
	}
	stopped := newBusyIndicator()
	stopped.Stop()
	test.NewTempWindow(t, stopped)
	if stopped.Running() {
		t.Fatal("stopped before it was shown, it runs once shown")
	}
	stopped.Start()
	if !stopped.Running() {
		t.Fatal("started, it does not run")
	}
	stopped.Stop()
}

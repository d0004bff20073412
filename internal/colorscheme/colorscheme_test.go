package colorscheme

import (
	"errors"
	"testing"
	"time"
)

func TestSchemeString(t *testing.T) {
	for s, want := range map[Scheme]string{Dark: "dark", Light: "light", NoPreference: "no preference", 9: "no preference"} {
		if got := s.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", uint32(s), got, want)
		}
	}
}

// reading is a Reading made by hand: read (or failed) when done is closed.
func reading(read bool, s Scheme, err error) (*Reading, *int) {
	stops := 0
	r := &Reading{done: make(chan struct{}), scheme: s, err: err, stop: func() { stops++ }}
	if read {
		close(r.done)
	}
	return r, &stops
}

func TestReadingWait(t *testing.T) {
	failed := errors.New("no portal")
	tests := []struct {
		name      string
		read      bool
		scheme    Scheme
		err       error
		want      Scheme
		wantErr   error
		wantStops int
	}{
		{"read", true, Dark, nil, Dark, nil, 0},
		{"failed: stops", true, NoPreference, failed, NoPreference, failed, 1},
		{"not read in time: stops", false, Dark, nil, NoPreference, ErrUnavailable, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, stops := reading(tt.read, tt.scheme, tt.err)
			got, err := r.Wait(20 * time.Millisecond)
			if got != tt.want || !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Errorf("Wait = %v, %v; want %v, %v", got, err, tt.want, tt.wantErr)
			}
			if *stops != tt.wantStops {
				t.Errorf("Wait stopped the reading %d times, want %d", *stops, tt.wantStops)
			}
			r.Stop()
			r.Stop()
			if *stops != 1 {
				t.Errorf("stopped %d times after Stop twice, want once", *stops)
			}
		})
	}
}

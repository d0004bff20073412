//go:build !linux

package colorscheme

import (
	"errors"
	"testing"
	"time"
)

// TestStartElsewhere: where there is no portal the reading says so at
// once, and the window is left to Fyne's own reading.
func TestStartElsewhere(t *testing.T) {
	start := time.Now()
	if _, err := Start().Wait(time.Second); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Wait = %v, want ErrUnavailable", err)
	}
	if took := time.Since(start); took > 100*time.Millisecond {
		t.Errorf("Wait took %v, want at once", took)
	}
}

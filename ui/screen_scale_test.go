package ui

import "testing"

// The expectations are Fyne 2.7's own: a window on these screens gets
// these scales (glfw driver: calculateScale, detectScale).
func TestFyneScale(t *testing.T) {
	tests := []struct {
		name string
		m    monitorFacts
		want float32
	}{
		{"a 96 dpi screen is not shrunk", monitorFacts{goos: "linux", widthMm: 338, widthPx: 1280}, 1},
		{"120 dpi is Fyne's one", monitorFacts{goos: "linux", widthMm: 271, widthPx: 1280}, 1},
		{"a 192 dpi laptop", monitorFacts{goos: "linux", widthMm: 310, widthPx: 2340}, 1.6},
		{"an unknown size is the baseline", monitorFacts{goos: "linux", widthPx: 3840}, 1},
		{"a nonsense size is the baseline", monitorFacts{goos: "linux", widthMm: 1, widthPx: 3840}, 1},
		{"Xvfb's screen", monitorFacts{goos: "linux", widthMm: 338, heightMm: 211, widthPx: 1280}, 1},
		{"Steam Deck's 6 cm square", monitorFacts{goos: "linux", widthMm: 60, heightMm: 60, widthPx: 1280}, 1},
		{"Wayland scales itself", monitorFacts{goos: "linux", wayland: true, widthMm: 310, widthPx: 2340}, 1},
		{"detection switched off", monitorFacts{goos: "linux", noDetection: true, widthMm: 310, widthPx: 2340}, 1},
		{"the person's scale multiplies", monitorFacts{goos: "linux", widthMm: 310, widthPx: 2340, user: 1.5}, 2.4},
		{"to one decimal", monitorFacts{goos: "linux", widthMm: 338, widthPx: 1280, user: 1.04321}, 1},
		{"Windows says", monitorFacts{goos: "windows", contentScale: 1.25, widthMm: 310, widthPx: 2340}, 1.3},
		{"Windows without a content scale", monitorFacts{goos: "windows", widthMm: 310, widthPx: 2340}, 1},
		{"macOS scales textures", monitorFacts{goos: "darwin", widthMm: 310, widthPx: 2340, user: 1.2}, 1.2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fyneScale(tt.m); got != tt.want {
				t.Errorf("fyneScale = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestScaleFromEnv(t *testing.T) {
	tests := []struct {
		scale, off  string
		settings    float32
		user        float32
		noDetection bool
	}{
		{"", "", 0, 0, false},
		{"", "", 1.2, 1.2, false},
		{"1.5", "", 1.2, 1.5, false},
		{"auto", "", 1.2, 0, false}, // "auto" skips Fyne's settings
		{"nonsense", "", 1.2, 1.2, false},
		{"", "1", 0, 0, true},
		{"", "TRUE", 0, 0, true},
		{"", "no", 0, 0, false},
	}
	for _, tt := range tests {
		t.Setenv("FYNE_SCALE", tt.scale)
		t.Setenv("FYNE_DISABLE_DPI_DETECTION", tt.off)
		user, off := scaleFromEnv(tt.settings)
		if user != tt.user || off != tt.noDetection {
			t.Errorf("FYNE_SCALE=%q off=%q settings=%v: got %v %v, want %v %v", tt.scale, tt.off, tt.settings, user, off, tt.user, tt.noDetection)
		}
	}
}

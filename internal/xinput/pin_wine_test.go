//go:build linux

package xinput

import (
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/winetest"
)

// TestPinUnderWine runs this package's Windows tests under Wine, whose
// XInput the pin is for (make test runs on Linux).
func TestPinUnderWine(t *testing.T) {
	out := winetest.Run(t, "wineprefix-xinput", "CEZANNE_XINPUT_WINEPREFIX")
	winetest.CheckPassed(t, out, []string{"TestPinOutlastsGLFW"})
}

package tuning

import (
	"math"
	"os"
	"runtime/debug"
	"testing"
	"time"
)

// fyneDefaults is what Fyne's cache init put in the linked variables before
// any test changed them.
var fyneDefaults = struct{ valid, clean time.Duration }{fyneCacheValid, fyneCacheCleanInterval}

// TestFyneCacheVariablesAreFynes fails when the linknamed variables are not
// the ones Fyne's init fills (a Fyne upgrade renamed or repurposed them).
func TestFyneCacheVariablesAreFynes(t *testing.T) {
	want := time.Minute // Fyne 2.7.1's default
	if d, err := time.ParseDuration(os.Getenv("FYNE_CACHE")); err == nil {
		want = d
	}
	if fyneDefaults.valid != want || fyneDefaults.clean != want/2 {
		t.Fatalf("Fyne's cache variables read %v and %v, want %v and %v: did a Fyne upgrade change internal/cache?",
			fyneDefaults.valid, fyneDefaults.clean, want, want/2)
	}
}

func TestApply(t *testing.T) {
	tests := []struct {
		name              string
		env               map[string]string
		limitBefore       int64
		wantCache         time.Duration
		wantClean         time.Duration
		wantTextCache     bool // the text cache follows the window
		wantGC, wantLimit int64
	}{
		{name: "nothing set: Fyne's minute until cells fill", limitBefore: math.MaxInt64,
			wantCache: longestCacheDuration, wantClean: fyneCacheDuration / 2, wantTextCache: true, wantGC: gcPercent, wantLimit: memoryBudget},
		{name: "the person's choices win", env: map[string]string{"FYNE_CACHE": "30s", "GOGC": "100"}, limitBefore: 1 << 30,
			wantCache: fyneDefaults.valid, wantClean: fyneDefaults.clean, wantGC: 100, wantLimit: 1 << 30},
		{name: "an unparsable FYNE_CACHE is still Fyne's to judge", env: map[string]string{"FYNE_CACHE": "soon"}, limitBefore: math.MaxInt64,
			wantCache: fyneDefaults.valid, wantClean: fyneDefaults.clean, wantGC: gcPercent, wantLimit: memoryBudget},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			restore(t)
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(tt.limitBefore)
			apply(func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok })
			if fyneCacheValid != tt.wantCache || fyneCacheCleanInterval != tt.wantClean {
				t.Errorf("Fyne cache %v, clean every %v; want %v, %v", fyneCacheValid, fyneCacheCleanInterval, tt.wantCache, tt.wantClean)
			}
			if appTextCache.enabled != tt.wantTextCache {
				t.Errorf("text cache following the window: %v, want %v", appTextCache.enabled, tt.wantTextCache)
			}
			if got := int64(debug.SetGCPercent(100)); got != tt.wantGC {
				t.Errorf("GC percent %d, want %d", got, tt.wantGC)
			}
			if got := debug.SetMemoryLimit(-1); got != tt.wantLimit {
				t.Errorf("memory limit %d, want %d", got, tt.wantLimit)
			}
		})
	}
}

// restore puts Fyne's and Go's settings back after the test.
func restore(t *testing.T) {
	gc, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	debug.SetGCPercent(gc)
	t.Cleanup(func() {
		fyneCacheValid, fyneCacheCleanInterval = fyneDefaults.valid, fyneDefaults.clean
		appTextCache.enabled = false
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(limit)
	})
}

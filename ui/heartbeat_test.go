package ui

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// TestHeartbeatOnlyWhenAsked: off unless the environment turns it on.
func TestHeartbeatOnlyWhenAsked(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{}, false},
		{map[string]string{HeartbeatEnv: ""}, false},
		{map[string]string{HeartbeatEnv: "0"}, false},
		{map[string]string{HeartbeatEnv: "1"}, true},
	} {
		var log bytes.Buffer
		lookup := func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }
		stop := startHeartbeat(slog.New(slog.NewTextHandler(&log, nil)), lookup)
		got := stop != nil
		if got {
			stop()
		}
		if got != tc.want || strings.Contains(log.String(), "ui-heartbeat started") != tc.want {
			t.Errorf("env %v: started %v, log %q", tc.env, got, log.String())
		}
	}
}

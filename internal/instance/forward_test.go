package instance

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestForwardRefused: a sender without the secret, or with a message the
// app does not know, is refused and never reaches the app.
func TestForwardRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	got := make(chan string, 4)
	in, err := Listen(dir, func(kind, u string) error { got <- kind + " " + u; return nil })
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	tests := []struct {
		name string
		msg  request
		want string
	}{
		{"wrong secret", request{Secret: "guess", Kind: MessageURL, URL: "x-cez://oauth-callback/?code=evil"}, "not authenticated"},
		{"unknown kind", request{Secret: in.secret, Kind: "exec"}, "unknown message exec"},
		{"too long", request{Secret: in.secret, Kind: MessageURL, URL: strings.Repeat("x", maxMessage)}, "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := forward(dir, tt.msg); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("forward = %v, want %q", err, tt.want)
			}
		})
	}
	select {
	case g := <-got:
		t.Fatalf("refused message delivered: %s", g)
	default:
	}
}

func TestForwardWithoutInstance(t *testing.T) {
	if err := Forward(t.TempDir(), MessageShow, ""); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("Forward to an empty dir: %v", err)
	}
}

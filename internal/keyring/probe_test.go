package keyring

import (
	"errors"
	"strings"
	"testing"

	gokeyring "github.com/zalando/go-keyring"
)

func TestProbe(t *testing.T) {
	tests := []struct {
		name    string
		init    func()
		wantErr string // "" means usable
	}{
		{"working keyring", gokeyring.MockInit, ""},
		{"no Secret Service", func() {
			gokeyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
		}, "system keyring"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.init()
			err := Probe(&System{})
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("Probe = %v, want %q", err, tt.wantErr)
			}
		})
	}
	if err := Probe(NewMemoryStore()); err != nil {
		t.Fatalf("memory store: %v", err)
	}
}

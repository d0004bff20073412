package auth

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cezanne-hr-desktop/cezanne-desktop/internal/keyring"
)

func TestOptionsDefaults(t *testing.T) {
	p := testProfile(t, nil)
	store := keyring.NewMemoryStore()
	tests := []struct {
		name    string
		o       Options
		wantErr string
		delays  []time.Duration
	}{
		{"defaults", Options{Profile: p, Store: store, ClientSecret: "s"}, "", defaultRetryDelays},
		{"own delays", Options{Profile: p, Store: store, ClientSecret: "s", RetryDelays: []time.Duration{time.Millisecond}}, "", []time.Duration{time.Millisecond}},
		{"no retries", Options{Profile: p, Store: store, ClientSecret: "s", RetryDelays: []time.Duration{}}, "", []time.Duration{}},
		{"negative delay", Options{Profile: p, Store: store, ClientSecret: "s", RetryDelays: []time.Duration{-time.Second}}, "negative", nil},
		{"no profile", Options{Store: store, ClientSecret: "s"}, "need a Profile", nil},
		{"no secret", Options{Profile: p, Store: store}, ErrNoClientSecret.Error(), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.o.defaults()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("defaults() = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.o.HTTPClient == nil || tt.o.Logger == nil || tt.o.Timeout != 5*time.Minute || !slices.Equal(tt.o.RetryDelays, tt.delays) {
				t.Fatalf("defaults not filled: %+v", tt.o)
			}
		})
	}
}

// TestDataServiceRefusedWithoutConfirmation: signing in and resuming stop
// before any request when the data service is elsewhere and unconfirmed.
func TestDataServiceRefusedWithoutConfirmation(t *testing.T) {
	var calls atomic.Int32
	p := fakeTenant(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Error(w, "no", http.StatusBadRequest)
	})
	p.DataServiceURL = "https://data.example.com/DataService.svc"
	store := keyring.NewMemoryStore()
	storeRefreshToken(t, store, p, "rt")
	tests := []struct {
		name string
		run  func(context.Context, Options) (*Session, error)
	}{
		{"sign in", SignIn},
		{"resume", Resume},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := Options{Profile: p, Store: store, ClientSecret: "s", RetryDelays: []time.Duration{},
				OpenBrowser: func(string) error { return nil }, Timeout: time.Second}
			_, err := tt.run(context.Background(), o)
			var de *DataServiceError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v, want a DataServiceError", err)
			}
			if calls.Load() != 0 {
				t.Fatalf("%d requests reached the tenant", calls.Load())
			}
		})
	}
}

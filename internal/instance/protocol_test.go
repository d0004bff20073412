package instance

import (
	"encoding/json"
	"testing"
)

// TestRequestWireFormat pins the JSON a second process sends, which an
// older or newer running copy of the app must still read.
func TestRequestWireFormat(t *testing.T) {
	tests := []struct {
		msg  request
		want string
	}{
		{request{Secret: "s", Kind: MessageShow}, `{"secret":"s","kind":"show"}`},
		{request{Secret: "s", Kind: MessageURL, URL: "x-cez://a"}, `{"secret":"s","kind":"url","url":"x-cez://a"}`},
	}
	for _, tt := range tests {
		if b, _ := json.Marshal(tt.msg); string(b) != tt.want {
			t.Errorf("%+v encodes as %s, want %s", tt.msg, b, tt.want)
		}
	}
}

package keyring

import "testing"

func TestEntryName(t *testing.T) {
	tests := []struct{ entry, want string }{
		{EntryRefreshToken, "sign-in (refresh token)"},
		{EntryClientSecret, "client secret"},
		{"other", "other"},
	}
	for _, tt := range tests {
		if got := entryName(tt.entry); got != tt.want {
			t.Errorf("entryName(%q) = %q, want %q", tt.entry, got, tt.want)
		}
	}
}

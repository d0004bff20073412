package sandbox

import (
	"net/url"
	"strings"
	"testing"
)

func TestRedactQuery(t *testing.T) {
	got := redactQuery(url.Values{"code": {"Pzw5!secret"}, "state": {"abc"}, "$top": {"5"}, "client_id": {"c"}})
	if strings.Contains(got, "secret") || strings.Contains(got, "abc") || !strings.Contains(got, "client_id=c") {
		t.Fatalf("redactQuery = %q", got)
	}
}

package sandbox

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkPeoplePage is the server side of one page: rights, order (from
// the cached view) and JSON.
func BenchmarkPeoplePage(b *testing.B) {
	srv, _ := New(Config{People: 50000})
	h := srv.Handler()
	c, _ := srv.OAuthClient(ClientService)
	tok := srv.issueAccess(srv.users[c.ServiceAccount], c, c.Scopes, "")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := httptest.NewRequest(http.MethodGet, RootPath+"/DataService.svc/People?$format=json&$orderby=LastName&$skip=25000", nil)
		r.Header.Set("Authorization", "Bearer "+tok.value)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}

func BenchmarkFilterParse(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := parseFilter("(substringof('o''brien',tolower(LastName))) or (startswith(EmailAddress,'seán'))"); err != nil {
			b.Fatal(err)
		}
	}
}

package data

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// pageBody is one server page (200 people) as the sandbox sends it.
func pageBody(b *testing.B) []byte {
	b.Helper()
	c, _ := sandboxClient(b, sandbox.Config{People: 1000})
	req, _ := http.NewRequest(http.MethodGet, c.ServiceURL+"/People?$format=json&$inlinecount=allpages", nil)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return body
}

// BenchmarkDecodePage is our decoder on a 200-row v2 page; compare with
// BenchmarkDecodeBaseline, plain encoding/json into the same shape.
func BenchmarkDecodePage(b *testing.B) {
	body := pageBody(b)
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := DecodePage(bytes.NewReader(body)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeBaseline(b *testing.B) {
	body := pageBody(b)
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var v baselinePage
		if err := json.NewDecoder(bytes.NewReader(body)).Decode(&v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFirstPage is a whole first-page request over loopback.
func BenchmarkFirstPage(b *testing.B) {
	c, _ := sandboxClient(b, sandbox.Config{People: 50000})
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		if _, err := c.People(ctx, Query{Count: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearchFilter(b *testing.B) {
	for i := 0; i < b.N; i++ {
		_ = Search([]string{"FirstName", "LastName", "FormattedName", "EmailAddress"}, "o'brien seán", V2)
	}
}

package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestLoopbackReceiver(t *testing.T) {
	r, _ := ParseRedirectURI(freeRedirect(t))
	rec := &hookRecorder{}
	lr, err := listenLoopback(r, "good", rec.hooks())
	if err != nil {
		t.Fatal(err)
	}
	defer lr.Close()
	base := "http://" + r.URL.Host
	get := func(path string) (int, string) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, _ := get("/other?code=x&state=good"); status != 404 {
		t.Errorf("other path served: %d", status)
	}
	if status, body := get("/oauth-callback/?code=x&state=forged"); status != 400 || !strings.Contains(body, "not recognised") {
		t.Errorf("forged state: %d", status)
	}
	// The forged response did not end the attempt: the real one still lands.
	status, body := get("/oauth-callback/?code=real&state=good")
	if status != 200 || !strings.Contains(body, "Sign-in received") || !strings.Contains(body, "You can close this tab") {
		t.Errorf("good response page: %d %s", status, body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if code, err := lr.answer.wait(ctx); code != "real" || err != nil {
		t.Fatalf("Wait = %q, %v", code, err)
	}
	if status, _ := get("/oauth-callback/?code=again&state=good"); status != 410 {
		t.Errorf("second callback accepted: %d", status)
	}
	// The port is held: a second receiver on it is refused clearly.
	if _, err := listenLoopback(r, "other", nil); !errors.Is(err, ErrPortInUse) {
		t.Errorf("second listener: %v", err)
	}
	// Every answer on the redirect path reached the trace, the ignored ones too.
	_, callbacks, _ := rec.seen()
	var got []string
	for _, c := range callbacks {
		got = append(got, fmt.Sprintf("%s matched=%v accepted=%v", c.Query.Get("code"), c.StateMatched, c.Accepted))
	}
	want := "x matched=false accepted=false,real matched=true accepted=true,again matched=true accepted=false"
	if strings.Join(got, ",") != want {
		t.Errorf("callbacks traced:\n%s\nwant\n%s", strings.Join(got, ","), want)
	}
}

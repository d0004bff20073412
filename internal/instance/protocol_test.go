package instance

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
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

// FuzzMessageRoundTrip: every message a sender can build crosses the
// channel as one line (JSON escapes every control character, so a new line
// inside a link cannot split it) and reads back as sent.
func FuzzMessageRoundTrip(f *testing.F) {
	f.Add("s", MessageURL, "x-cez://oauth-callback/?code=a&state=b", "")
	f.Add("", MessageShow, "", "refused by the app")
	f.Add("\n", "u\x00rl", "x-cez://a\nb\u2028c", "\"}\n{\"ok\":true}")
	f.Fuzz(func(t *testing.T, secret, kind, link, refusal string) {
		msg := request{Secret: secret, Kind: kind, URL: link}
		reply := response{OK: refusal == "", Error: refusal}
		for _, v := range []any{msg, reply} {
			b, err := json.Marshal(v)
			if err != nil || bytes.ContainsAny(b, "\r\n") {
				t.Fatalf("%+v encodes as %q, %v", v, b, err)
			}
		}
		b, _ := json.Marshal(msg)
		var back request
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if utf8.ValidString(secret+kind+link) && back != msg {
			t.Fatalf("%+v reads back as %+v", msg, back)
		}
	})
}

// FuzzListenerAnswer sends whatever a local process might to the running
// app's channel. Without the secret nothing reaches the app; with it, only
// the two known kinds do, with the link as sent. Every message that fits
// gets one answer, a line a forwarder can read (within maxMessage), never
// a hang or a crash. raw, when authenticated, is the rest of a message
// that starts with the right secret, so the fuzzer can shape what follows.
func FuzzListenerAnswer(f *testing.F) {
	dir := filepath.Join(testDir(f), "run")
	handled := make(chan request, 1)
	in, err := Listen(dir, func(kind, link string) error {
		handled <- request{Kind: kind, URL: link}
		if strings.Contains(link, "refuse") {
			return errors.New("refused by the app: " + link)
		}
		return nil
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { in.Close() })
	secret, err := os.ReadFile(filepath.Join(dir, keyName))
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(`{"secret":"nope","kind":"show"}`), false, "", "")
	f.Add([]byte("not json"), false, "", "")
	f.Add([]byte(`{"secret":"nope","kind":"show"}`+"\n"+`{"secret":"nope"}`), false, "", "")
	f.Add([]byte(nil), true, MessageURL, "x-cez://oauth-callback/?code=a&state=b")
	f.Add([]byte(nil), true, MessageShow, "")
	f.Add([]byte(nil), true, "other", "")
	f.Add([]byte(nil), true, MessageURL, "x-cez://refuse/"+strings.Repeat("\x01", maxMessage/8))
	f.Add([]byte(`"kind":"url","url":"x-cez://a"}`+"\n"+"junk"), true, "", "")
	// Invalid UTF-8 is one byte in the message and six (\ufffd) in an
	// answer that quotes it.
	f.Add([]byte(`"kind":"`+strings.Repeat("\xff", maxMessage-200)+`"}`), true, "", "")
	f.Fuzz(func(t *testing.T, raw []byte, authenticated bool, kind, link string) {
		line := raw
		switch {
		case authenticated && raw == nil:
			line, _ = json.Marshal(request{Secret: string(secret), Kind: kind, URL: link})
		case authenticated:
			line = append([]byte(`{"secret":"`+string(secret)+`",`), raw...)
		}
		want := expectAnswer(line, string(secret))
		reply, n, answered := exchange(t, dir, line)
		var got *request
		select {
		case r := <-handled:
			got = &r
		default:
		}
		want.check(t, line, got, reply, n, answered)
	})
}

// answerWant is what the listener must do with one line.
type answerWant struct {
	msg     request // the line's first line, as the listener decodes it
	fits    bool    // the first line fits the listener's buffer
	handled bool    // the message must reach the app
}

// expectAnswer works out from the line alone what the listener must do:
// only a line that fits, with the secret and a known kind, reaches the app.
func expectAnswer(line []byte, secret string) answerWant {
	first, _, _ := bytes.Cut(line, []byte("\n"))
	w := answerWant{fits: len(first) < maxMessage}
	known := w.fits && json.Unmarshal(first, &w.msg) == nil && (w.msg.Kind == MessageShow || w.msg.Kind == MessageURL)
	w.handled = known && w.msg.Secret == secret
	return w
}

func (w answerWant) check(t *testing.T, line []byte, got *request, reply response, n int, answered bool) {
	t.Helper()
	switch {
	case !answered && w.fits:
		t.Fatalf("no answer to %q", line)
	case n > maxMessage:
		t.Fatalf("a reply of %d bytes: a forwarder reads at most %d", n, maxMessage)
	case !w.handled && got != nil:
		t.Fatalf("%q reached the app as %+v", line, got)
	case w.handled && (got == nil || got.Kind != w.msg.Kind || got.URL != w.msg.URL):
		t.Fatalf("%q reached the app as %+v", line, got)
	case answered && reply.OK != (w.handled && !strings.Contains(w.msg.URL, "refuse")):
		t.Fatalf("%q answered %+v", line, reply)
	}
}

// exchange sends one line on the channel in dir and reads the answer; a
// message too long to read may be cut off without one.
func exchange(t *testing.T, dir string, line []byte) (reply response, n int, answered bool) {
	t.Helper()
	conn, err := dialChannel(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(deadline))
	_, _ = conn.Write(append(append([]byte(nil), line...), '\n'))
	b, err := io.ReadAll(conn)
	if err != nil {
		return reply, 0, false
	}
	if bytes.Count(b, []byte("\n")) != 1 || !bytes.HasSuffix(b, []byte("\n")) || json.Unmarshal(b, &reply) != nil {
		t.Fatalf("the answer %q is not one JSON line", b)
	}
	return reply, len(b), true
}

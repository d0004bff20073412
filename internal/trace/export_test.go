package trace

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/auth"
)

func TestCurlQuoting(t *testing.T) {
	req, _ := http.NewRequest(http.MethodPost, "https://w3.example.com/OAuth/Token", nil)
	req.SetBasicAuth("svc.app", "secret")
	got := curlForm(req, url.Values{"grant_type": {"client_credentials"}, "scope": {"it's"}, "client_secret": {"x"}})
	for _, want := range []string{`-u "svc.app:$CLIENT_SECRET"`, `--data-urlencode 'scope=it'\''s'`, `--data-urlencode "client_secret=$CLIENT_SECRET"`} {
		if !strings.Contains(got, want) {
			t.Errorf("curl lacks %s:\n%s", want, got)
		}
	}
	if strings.Contains(got, "secret\"") && !strings.Contains(got, "$CLIENT_SECRET") {
		t.Error("secret in curl")
	}
}

// TestSave: the file's format follows its extension, and only the person
// can read it.
func TestSave(t *testing.T) {
	tr := New(Meta{App: "test"})
	tr.outcome("Signed in", nil)
	tests := []struct{ name, want string }{
		{"trace.json", `"format": "` + Format + `"`},
		{"trace.MD", "# Cezanne HR Desktop flow trace"},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), tt.name)
		if err := tr.Save(path); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(path)
		if !strings.Contains(string(b), tt.want) {
			t.Errorf("%s lacks %q:\n%s", tt.name, tt.want, b)
		}
		if info, _ := os.Stat(path); runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", tt.name, info.Mode().Perm())
		}
	}
}

// TestMarkdownEscapes: text a server or a forged callback chose stays text
// in the Markdown export: no raw HTML, no extra table cells, no way out of
// a code span or a curl block.
func TestMarkdownEscapes(t *testing.T) {
	tests := []struct {
		name    string
		value   string
		mustNot []string
	}{
		{"HTML", `<img src=x onerror=alert(1)><script>alert(1)</script>`, []string{"<img", "<script", "</script>"}},
		{"cells", "a|b|c", []string{"| a|b|c |"}},
		{"backticks", "``` <b>x</b>", []string{"<b>"}},
		{"entity", "&lt;script&gt;", []string{"| &lt;script&gt; |"}},
		{"newline", "x\n# Heading\n<i>y</i>", []string{"\n# Heading", "<i>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := New(Meta{App: tt.value})
			tr.callbackStep(auth.CallbackInfo{Via: tt.value, Query: url.Values{"state": {"s"}, "error": {tt.value}, "error_description": {tt.value}, tt.value: {tt.value}}})
			tr.add(Step{Kind: StepAPICall, Title: tt.value, Method: "GET", URL: redactURL(&url.URL{Scheme: "https", Host: "h", Path: "/" + tt.value}), Curl: "curl --data-urlencode 'scope=a\n```\nb'"})
			var b strings.Builder
			if err := tr.WriteMarkdown(&b); err != nil {
				t.Fatal(err)
			}
			md := b.String()
			for _, bad := range tt.mustNot {
				if strings.Contains(md, bad) {
					t.Errorf("Markdown holds %q:\n%s", bad, md)
				}
			}
			wantCells(t, md)
			wantFencesClosed(t, md)
		})
	}
}

// wantCells fails if a table row has more cells than its table's header.
func wantCells(t *testing.T, md string) {
	t.Helper()
	width := 0
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			width = 0
			continue
		}
		n := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|")
		if width == 0 {
			width = n
		}
		if n != width {
			t.Errorf("row with %d bars, header %d: %s", n, width, line)
		}
	}
}

// wantFencesClosed fails unless every code block opened is closed by its
// own closing fence, so nothing inside can end it early.
func wantFencesClosed(t *testing.T, md string) {
	t.Helper()
	open := 0 // the opening fence's length, 0 outside a block
	for _, line := range strings.Split(md, "\n") {
		run := len(line) - len(strings.TrimLeft(line, "`"))
		switch {
		case open == 0 && run >= 3:
			open = run
		case open > 0 && run >= open && strings.TrimSpace(line[run:]) == "":
			open = 0
		}
	}
	if open != 0 {
		t.Error("a code block is never closed (something inside it closed it early)")
	}
}

// FuzzMarkdownCell: whatever a value holds, its cell has no raw HTML, no
// bar or backtick that Markdown would act on, and stays on one line.
func FuzzMarkdownCell(f *testing.F) {
	for _, s := range []string{"a|b", "<script>", "x\ny", "``` `", `\|`, "&lt;", "\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		got := mdCell(v)
		plain := strings.ReplaceAll(got, "<br>", "")
		if strings.ContainsAny(plain, "<>\r\n") {
			t.Fatalf("mdCell(%q) = %q", v, got)
		}
		for i := range len(plain) {
			if (plain[i] == '|' || plain[i] == '`') && !escaped(plain, i) {
				t.Fatalf("mdCell(%q) = %q: %q at %d is not escaped", v, got, plain[i], i)
			}
		}
	})
}

// escaped reports whether the byte at i follows an odd run of backslashes.
func escaped(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

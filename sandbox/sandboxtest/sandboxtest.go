// Package sandboxtest starts sandbox tenants for tests, as httptest starts
// servers: in this process, or as the app binary's "sandbox" subcommand
// when the client's memory or time must be measured apart from the server's.
package sandboxtest

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/cezanne-hr-desktop/cezanne-desktop/sandbox"
)

// Start serves a tenant on loopback until the test ends.
func Start(t testing.TB, cfg sandbox.Config) *sandbox.Running {
	t.Helper()
	srv, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	running, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { running.Close() })
	return running
}

// StartBinary runs "bin sandbox --addr 127.0.0.1:0 --describe args…" until
// the test ends and returns its description (base URL, clients, users).
func StartBinary(t testing.TB, bin string, stderr io.Writer, args ...string) sandbox.Description {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"sandbox", "--addr", "127.0.0.1:0", "--describe"}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("sandbox --describe: %v", err)
	}
	var desc sandbox.Description
	if err := json.Unmarshal([]byte(line), &desc); err != nil {
		t.Fatalf("sandbox --describe first line is not JSON: %v: %q", err, line)
	}
	return desc
}

// Secret is a client's secret from a description.
func Secret(d sandbox.Description, clientID string) string {
	for _, c := range d.Clients {
		if c.ID == clientID {
			return c.Secret
		}
	}
	return ""
}

// ServiceToken gets an access token for the tenant's service account with
// client_credentials, as a script would.
func ServiceToken(t testing.TB, baseURL, secret string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, baseURL+"/OAuth/Token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(sandbox.ClientService, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("service token: %v", err)
	}
	return tok.AccessToken
}

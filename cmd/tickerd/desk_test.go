package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"tickerd/store"
)

// deskFeed reads a ticker's JSON Feed: each item's story reference and
// title, in order.
func deskFeed(t *testing.T, url string) (refs, titles []string) {
	t.Helper()
	code, body := httpGet(t, url)
	if code != 200 {
		t.Fatalf("GET %s: %d", url, code)
	}
	var doc struct {
		Items []struct {
			Title   string `json:"title"`
			Tickerd struct {
				Story string `json:"story"`
			} `json:"_tickerd"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	for _, it := range doc.Items {
		refs = append(refs, it.Tickerd.Story)
		titles = append(titles, it.Title)
	}
	return refs, titles
}

func storedActions(t *testing.T, path string) ([]store.Action, []store.AuditEntry) {
	t.Helper()
	st, err := store.Open(path, &store.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	acts, err := st.Actions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	audit, err := st.Audit(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return acts, audit
}

// TestDeskCommands runs the desk's verbs on the data file, then through
// a running daemon, and checks the feeds and the audit.
func TestDeskCommands(t *testing.T) {
	feeds := corpusFeeds(t)
	dir := t.TempDir()
	ln := listen(t)
	cfgPath := opsConfig(t, dir, ln.Addr().String(), feeds.URL, "admin_token: "+testAdminToken+"\n")
	if _, _, err := runCmd(t, "fetch", "-config", cfgPath, "-log-level", "error"); err != nil {
		t.Fatal(err)
	}
	dbPath := filepath.Join(dir, "data", "test.db")

	// No daemon: on the file.
	st, err := store.Open(dbPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	items, _ := st.Recent(context.Background(), store.Query{Limit: 3})
	st.Close()
	if len(items) < 3 {
		t.Fatalf("corpus stored %d items", len(items))
	}
	first := store.StoryRef(items[0].Source, items[0].ID)
	second := store.StoryRef(items[1].Source, items[1].ID)
	out, errOut, err := runCmd(t, "hide", "-config", cfgPath, first)
	if err != nil || !strings.Contains(out, "hide #1 on "+first) || !strings.Contains(errOut, "on "+dbPath) {
		t.Fatalf("hide on the file: %v\n%s%s", err, out, errOut)
	}
	if _, _, err := runCmd(t, "pin", "-config", cfgPath, "-ticker", "nope", second); err == nil || !strings.Contains(err.Error(), "tickers") {
		t.Errorf("pin on an unknown ticker: %v", err)
	}
	if _, _, err := runCmd(t, "hide", "-config", cfgPath, "rss2/no-such-item"); err == nil || !strings.Contains(err.Error(), "no such story") {
		t.Errorf("hide of an unknown story: %v", err)
	}

	// A daemon runs: through its API.
	base := startServe(t, cfgPath, ln)
	waitReady(t, base)
	refs, _ := deskFeed(t, base+"/feed.json")
	if strings.Contains(strings.Join(refs, " "), first) {
		t.Errorf("the story hidden on the file is on the feed: %v", refs)
	}
	// Refused writes change nothing: no token, a wrong one, the token
	// in the query, a cross-origin form post (the browser would send no
	// cookie either: it is SameSite=Strict).
	for _, tc := range []struct{ path, ctype, body, auth, origin string }{
		{"/api/actions", "application/json", `{"kind":"hide","story":"` + second + `"}`, "", ""},
		{"/api/actions", "application/json", `{"kind":"hide","story":"` + second + `"}`, "Bearer wrong-token-0123456789", ""},
		{"/api/actions?token=" + testAdminToken, "application/json", `{"kind":"hide","story":"` + second + `"}`, "", ""},
		{"/api/actions", "application/x-www-form-urlencoded", "kind=hide&story=" + second, "", "https://evil.example"},
		{"/api/login", "application/x-www-form-urlencoded", "token=" + testAdminToken, "", "https://evil.example"},
		{"/api/logout", "application/json", "{}", "", ""},
	} {
		req, _ := http.NewRequest("POST", base+tc.path, strings.NewReader(tc.body))
		req.Header.Set("Content-Type", tc.ctype)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		if tc.origin != "" {
			req.Header.Set("Origin", tc.origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 && resp.StatusCode != 403 {
			t.Errorf("POST %s (%s, auth %q, origin %q) = %s, want 401 or 403", tc.path, tc.ctype, tc.auth, tc.origin, resp.Status)
		}
		if resp.Header.Get("Access-Control-Allow-Origin") != "" || resp.Header.Get("Set-Cookie") != "" {
			t.Errorf("POST %s answered with CORS or a cookie", tc.path)
		}
	}
	if out, _, _ := runCmd(t, "audit", "-config", cfgPath); strings.Count(out, "\n") != 1 {
		t.Errorf("refused requests reached the audit:\n%s", out)
	}

	out, errOut, err = runCmd(t, "pin", "-config", cfgPath, "-for", "1h", second)
	if err != nil || !strings.Contains(errOut, "through the daemon at "+base) {
		t.Fatalf("pin through the daemon: %v\n%s%s", err, out, errOut)
	}
	if refs, _ := deskFeed(t, base+"/feed.json"); len(refs) == 0 || refs[0] != second {
		t.Errorf("after pin the feed starts %v, want %s", refs, second)
	}
	if _, _, err := runCmd(t, "correct", "-config", cfgPath, "-title", "Corrected by the desk", second); err != nil {
		t.Fatal(err)
	}
	if _, titles := deskFeed(t, base+"/feed.json"); len(titles) == 0 || titles[0] != "Corrected by the desk" {
		t.Errorf("after correct the feed starts %v", titles)
	}
	if _, rss := httpGet(t, base+"/feed.rss"); !strings.Contains(rss, "Corrected by the desk") {
		t.Error("the correction is not in the RSS feed")
	}
	if _, _, err := runCmd(t, "add", "-config", cfgPath, "-lang", "en", "Desk headline from the CLI"); err != nil {
		t.Fatal(err)
	}
	if _, titles := deskFeed(t, base+"/feed.json"); !strings.Contains(strings.Join(titles, "|"), "Desk headline from the CLI") {
		t.Errorf("added headline missing: %v", titles)
	}
	for _, args := range [][]string{{"unpin", second}, {"undo", "-of", "correct", second}, {"undo", "1"}} {
		if _, _, err := runCmd(t, append([]string{args[0], "-config", cfgPath}, args[1:]...)...); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	if refs, _ := deskFeed(t, base+"/feed.json"); !strings.Contains(strings.Join(refs, " "), first) {
		t.Errorf("after undo the hidden story is still off the feed: %v", refs)
	}
	out, errOut, err = runCmd(t, "audit", "-config", cfgPath)
	if err != nil || strings.Count(out, "\n") != 7 || !strings.Contains(out, `"Corrected by the desk"`) || !strings.Contains(errOut, "from the daemon") {
		t.Errorf("audit: %v\n%s%s", err, out, errOut)
	}
	if strings.Contains(out+errOut, testAdminToken) {
		t.Error("audit output shows the token")
	}
}

// freePort returns a loopback address nothing listens on (for a daemon
// in another process, which must be told its port).
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestDeskActionSurvivesKill: an action acknowledged by the API is on disk
// when the daemon is killed (SIGKILL) right after, still applied after a
// restart, and carried by a backup restored elsewhere.
func TestDeskActionSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the daemon")
	}
	bin := buildTickerd(t)
	feeds := corpusFeeds(t)
	dir := t.TempDir()
	addr := freePort(t)
	cfgPath := opsConfig(t, dir, addr, feeds.URL, "admin_token: "+testAdminToken+"\n")
	base := "http://" + addr
	dbPath := filepath.Join(dir, "data", "test.db")
	start := func() (*exec.Cmd, chan error) {
		cmd := exec.Command(bin, "serve", "-config", cfgPath, "-log-level", "warn")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		deadline := time.Now().Add(time.Minute)
		for {
			resp, err := http.Get(base + "/readyz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					return cmd, exited
				}
			}
			select {
			case err := <-exited:
				t.Fatalf("daemon exited: %v\n%s", err, stderr.String())
			default:
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatalf("daemon not ready in a minute\n%s", stderr.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	cmd, exited := start()
	refs, _ := deskFeed(t, base+"/feed.json")
	var acked []uint64
	for i, body := range []string{
		fmt.Sprintf(`{"kind":"hide","story":%q}`, refs[0]),
		fmt.Sprintf(`{"kind":"breaking","story":%q}`, refs[1]),
		`{"kind":"add","title":"Desk headline"}`,
	} {
		req, _ := http.NewRequest("POST", base+"/api/actions", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+testAdminToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var a store.Action
		json.NewDecoder(resp.Body).Decode(&a)
		resp.Body.Close()
		if resp.StatusCode != 201 {
			t.Fatalf("action %d: %s", i, resp.Status)
		}
		acked = append(acked, a.ID)
	}
	// Killed the moment the last answer arrived.
	cmd.Process.Signal(syscall.SIGKILL)
	<-exited
	acts, audit := storedActions(t, dbPath)
	if len(acts) != 3 || len(audit) != 3 || acts[2].ID != acked[2] {
		t.Fatalf("after kill -9: actions %+v, audit %d entries; want the 3 acknowledged", acts, len(audit))
	}

	cmd, exited = start()
	after, titles := deskFeed(t, base+"/feed.json")
	if strings.Contains(strings.Join(after, " "), refs[0]) || !strings.Contains(strings.Join(titles, "|"), "Desk headline") {
		t.Errorf("after restart the feed shows %v", titles)
	}
	out, _, err := runCmd(t, "backup", "-config", cfgPath, filepath.Join(dir, "backup.db"))
	if err != nil {
		t.Fatalf("backup: %v %s", err, out)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	<-exited

	restored := filepath.Join(t.TempDir(), "restored.db")
	data, err := os.ReadFile(filepath.Join(dir, "backup.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(restored, data, 0o600); err != nil {
		t.Fatal(err)
	}
	racts, raudit := storedActions(t, restored)
	wacts, waudit := storedActions(t, dbPath)
	ja, _ := json.Marshal(racts)
	jb, _ := json.Marshal(wacts)
	if string(ja) != string(jb) || len(raudit) != len(waudit) || len(raudit) != 3 {
		t.Errorf("restored backup: actions %s audit %d; original %s audit %d", ja, len(raudit), jb, len(waudit))
	}
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"tickerd/store"
)

const testAdminToken = "cmd-test-admin-token-0123456789"

// opsConfig writes a config listening on addr, with the corpus sources at
// serverURL and extra lines appended.
func opsConfig(t *testing.T, dir, addr, serverURL, extra string) string {
	t.Helper()
	return writeConfigText(t, dir, fmt.Sprintf(`listen: %q
data: data/test.db
base_url: "http://ticker.test"
sources:
  - {name: rss2, url: "%[2]s/rss2.xml", tags: [en]}
  - {name: atom, url: "%[2]s/atom.xml", schedule: "@every 1m"}
  - {name: missing, url: "%[2]s/missing.xml"}
%[3]s`, addr, serverURL, extra))
}

// startServe runs the daemon on cfgPath with ln until the test ends, and
// returns the base URL it serves at.
func startServe(t *testing.T, cfgPath string, ln net.Listener) string {
	t.Helper()
	base, _ := serveDaemon(t, cfgPath, ln, testLogger(t))
	return base
}

// serveDaemon is startServe with the daemon logging to logger. stop ends
// serve and returns its error, for a test that checks shutdown itself;
// the test's cleanup stops it too (once) and reports the error.
func serveDaemon(t *testing.T, cfgPath string, ln net.Listener, logger *slog.Logger) (base string, stop func() error) {
	t.Helper()
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	d, err := newDaemon(cfg, logger)
	if err != nil {
		ln.Close()
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.serve(ctx, ln) }()
	var (
		once     sync.Once
		serveErr error
	)
	stop = func() error {
		once.Do(func() {
			cancel()
			serveErr = <-done
		})
		return serveErr
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String(), stop
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitReady polls /readyz until it answers 200; the test's deadline bounds
// the wait.
func waitReady(t *testing.T, base string) {
	t.Helper()
	for {
		if code, _ := httpGet(t, base+"/readyz"); code == 200 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestReadyzAfterFirstPoll: /readyz answers 503 while the first poll
// cycle runs (one source hangs until the test lets it go) and 200 after;
// /metrics and /api/sources are served beside the feeds.
func TestReadyzAfterFirstPoll(t *testing.T) {
	feeds := corpusFeeds(t)
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		http.Redirect(w, r, feeds.URL+"/rss2.xml", http.StatusFound)
	}))
	defer slow.Close()
	ln := listen(t)
	cfgPath := opsConfig(t, t.TempDir(), ln.Addr().String(), feeds.URL,
		fmt.Sprintf("  - {name: slow, url: %q}\n", slow.URL+"/feed"))
	base := startServe(t, cfgPath, ln)

	code, body := httpGet(t, base+"/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "first poll cycle") {
		t.Errorf("/readyz during the first poll = %d %q, want 503", code, body)
	}
	if code, _ := httpGet(t, base+"/healthz"); code != 200 {
		t.Errorf("/healthz during the first poll = %d, want 200", code)
	}
	close(release)
	waitReady(t, base)

	code, body = httpGet(t, base+"/metrics")
	for _, want := range []string{`tickerd_fetches_total{result="ok",source="slow"} 1`, `tickerd_fetches_total{result="http_error",source="missing"} 1`,
		`tickerd_items_stored{source="rss2"} `, `tickerd_build_info{`} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("/metrics = %d, lacks %q", code, want)
		}
	}
	if code, body := httpGet(t, base+"/api/sources"); code != 200 || !strings.Contains(body, `"name": "slow"`) {
		t.Errorf("/api/sources = %d\n%s", code, body)
	}
	if code, _ := httpGet(t, base+"/feed.json"); code != 200 {
		t.Errorf("/feed.json beside the operator routes = %d", code)
	}
}

func runCmd(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), err
}

// checkSourcesTable checks the table tickerd sources printed after polls:
// status is rss2's, fails the missing source's failures.
func checkSourcesTable(t *testing.T, out, status, fails string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "NAME") {
		t.Fatalf("table:\n%s", out)
	}
	rows := map[string][]string{}
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		rows[f[0]] = f
	}
	if r := rows["rss2"]; r == nil || r[1] != status || r[2] != "0" || r[3] == "0" || !strings.Contains(out, "etag") {
		t.Errorf("rss2 row = %q\n%s", r, out)
	}
	if r := rows["missing"]; r == nil || r[1] != "error" || r[2] != fails || !strings.Contains(out, "status 404") {
		t.Errorf("missing row = %q\n%s", r, out)
	}
	if !strings.Contains(out, "@every 1m") || !strings.Contains(out, "@every 5m") {
		t.Errorf("schedules missing:\n%s", out)
	}
}

func TestSourcesCommand(t *testing.T) {
	feeds := corpusFeeds(t)
	ln := listen(t)
	cfgPath := opsConfig(t, t.TempDir(), ln.Addr().String(), feeds.URL, "")

	// Nothing fetched yet: the config only, and a word about it.
	out, errOut, err := runCmd(t, "sources", "-config", cfgPath)
	if err != nil || !strings.Contains(errOut, "no data file") || strings.Count(out, "\n") != 4 {
		t.Errorf("sources before any fetch: %v\n%s%s", err, errOut, out)
	}

	// No daemon: the file is read directly.
	if _, _, err := runCmd(t, "fetch", "-config", cfgPath, "-log-level", "error"); err != nil {
		t.Fatal(err)
	}
	out, errOut, err = runCmd(t, "sources", "-config", cfgPath)
	if err != nil || strings.Contains(errOut, "daemon") {
		t.Fatalf("sources, no daemon: %v (%s)", err, errOut)
	}
	checkSourcesTable(t, out, "ok", "1")

	// A daemon holds the file: its API answers.
	base := startServe(t, cfgPath, ln)
	waitReady(t, base)
	out, errOut, err = runCmd(t, "sources", "-config", cfgPath)
	if err != nil || !strings.Contains(errOut, "(from the daemon at "+base+")") {
		t.Fatalf("sources beside a daemon: %v (%s)", err, errOut)
	}
	// The daemon polled once more: a 304, a second failure.
	checkSourcesTable(t, out, "not_modified", "2")
}

func TestSourcesCommandNoDaemonAnswers(t *testing.T) {
	dir := t.TempDir()
	ln := listen(t)
	addr := ln.Addr().String()
	ln.Close() // nothing serves there
	cfgPath := opsConfig(t, dir, addr, "http://feeds.test", "")
	cfg, d := openDaemon(t, cfgPath) // holds the file, serves nothing
	defer d.close()
	_, _, err := runCmd(t, "sources", "-config", cfg.Path)
	if err == nil || !strings.Contains(err.Error(), "in use, but no daemon answered") {
		t.Errorf("sources with the file held and no API: %v", err)
	}
}

func TestBackupCommand(t *testing.T) {
	feeds := corpusFeeds(t)
	dir := t.TempDir()
	ln := listen(t)
	cfgPath := opsConfig(t, dir, ln.Addr().String(), feeds.URL, "admin_token: "+testAdminToken+"\n")
	if _, _, err := runCmd(t, "fetch", "-config", cfgPath, "-log-level", "error"); err != nil {
		t.Fatal(err)
	}
	want := itemIDs(t, filepath.Join(dir, "data", "test.db"))

	// No daemon: from the file.
	offline := filepath.Join(dir, "offline.db")
	out, _, err := runCmd(t, "backup", "-config", cfgPath, offline)
	if err != nil || !strings.Contains(out, "from "+filepath.Join(dir, "data", "test.db")) {
		t.Fatalf("backup, no daemon: %v\n%s", err, out)
	}
	if got := itemIDs(t, offline); got != want {
		t.Errorf("offline backup holds %s, want %s", got, want)
	}
	if _, _, err := runCmd(t, "backup", "-config", cfgPath); err == nil {
		t.Error("backup without OUT succeeded")
	}

	// A daemon runs: through its API with the token.
	base := startServe(t, cfgPath, ln)
	waitReady(t, base)
	online := filepath.Join(dir, "online.db")
	out, _, err = runCmd(t, "backup", "-config", cfgPath, online)
	if err != nil || !strings.Contains(out, "from the daemon at "+base) {
		t.Fatalf("backup beside a daemon: %v\n%s", err, out)
	}
	if got := itemIDs(t, online); got != want {
		t.Errorf("backup through the API holds %s, want %s", got, want)
	}

	// A wrong token from the environment: refused, nothing written.
	t.Setenv(adminTokenEnv, "another-token-that-is-long-enough")
	refused := filepath.Join(dir, "refused.db")
	_, _, err = runCmd(t, "backup", "-config", cfgPath, refused)
	if err == nil || !strings.Contains(err.Error(), "refused the admin token") || strings.Contains(err.Error(), "another-token") {
		t.Errorf("backup with a wrong token: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*refused*")); len(left) != 0 {
		t.Errorf("a refused backup left files: %v", left)
	}
	t.Setenv(adminTokenEnv, "short")
	if _, errOut, err := runCmd(t, "backup", "-config", cfgPath, refused); err == nil || !strings.Contains(errOut+err.Error(), adminTokenEnv+": is 5 bytes") {
		t.Errorf("backup with a short env token: %v %s", err, errOut)
	}
}

// itemIDs lists the stored items of a data file as one string.
func itemIDs(t *testing.T, path string) string {
	t.Helper()
	st, err := store.Open(path, &store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer st.Close()
	items, err := st.Recent(context.Background(), store.Query{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, it := range items {
		b.WriteString(it.Source + "/" + it.ID + " ")
	}
	if len(items) == 0 {
		t.Fatalf("%s holds no items", path)
	}
	return b.String()
}

func TestBackupNeedsTokenBesideDaemon(t *testing.T) {
	feeds := corpusFeeds(t)
	ln := listen(t)
	cfgPath := opsConfig(t, t.TempDir(), ln.Addr().String(), feeds.URL, "")
	startServe(t, cfgPath, ln)
	_, _, err := runCmd(t, "backup", "-config", cfgPath, filepath.Join(t.TempDir(), "b.db"))
	if err == nil || !strings.Contains(err.Error(), "needs the admin token") {
		t.Errorf("backup beside a daemon without a token: %v", err)
	}
}

func TestCompactCommand(t *testing.T) {
	feeds := corpusFeeds(t)
	dir := t.TempDir()
	cfgPath := opsConfig(t, dir, "127.0.0.1:0", feeds.URL, "")
	if _, _, err := runCmd(t, "fetch", "-config", cfgPath, "-log-level", "error"); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "data", "test.db")
	want := itemIDs(t, db)

	_, d := openDaemon(t, cfgPath)
	_, _, err := runCmd(t, "compact", "-config", cfgPath)
	d.close()
	if err == nil || !strings.Contains(err.Error(), "while a daemon holds it") {
		t.Errorf("compact beside a daemon: %v", err)
	}

	out, _, err := runCmd(t, "compact", "-config", cfgPath)
	if err != nil || !strings.Contains(out, "compacted "+db+": ") || !strings.Contains(out, " -> ") {
		t.Fatalf("compact: %v\n%s", err, out)
	}
	if got := itemIDs(t, db); got != want {
		t.Errorf("after compact: %s, want %s", got, want)
	}
	if fi, err := os.Stat(db); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("compacted file: %v %v", fi.Mode(), err)
	}
}

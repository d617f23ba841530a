package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// nginxBin finds nginx, skipping the test without it (failing under CI).
func nginxBin(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"nginx", "/usr/sbin/nginx"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("nginx not found; install Debian package nginx")
	}
	t.Skip("nginx not found; install Debian package nginx")
	return ""
}

// startNginx runs nginx on deploy/nginx.conf, with the upstream servers
// replaced by upstream, listen by addr and the cache folder by a
// temporary one.
func startNginx(t *testing.T, upstream, addr string) {
	t.Helper()
	bin := nginxBin(t)
	example, err := os.ReadFile("../../deploy/nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	conf := string(example)
	for _, r := range [][2]string{
		{"server 127.0.0.1:8081 max_fails=1 fail_timeout=5s;\n    server 127.0.0.1:8082 max_fails=1 fail_timeout=5s;", "server " + upstream + ";"},
		{"listen 80;", "listen " + addr + ";"},
		{"/var/cache/nginx/tickerd", filepath.Join(dir, "cache")},
	} {
		if !strings.Contains(conf, r[0]) {
			t.Fatalf("deploy/nginx.conf no longer has %q for the test to replace", r[0])
		}
		conf = strings.Replace(conf, r[0], r[1], 1)
	}
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;\n" // workers need the temporary folders
	}
	main := fmt.Sprintf(`%sdaemon off;
master_process off;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log info;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path %[2]s/body;
    proxy_temp_path %[2]s/proxy;
    fastcgi_temp_path %[2]s/fastcgi;
    uwsgi_temp_path %[2]s/uwsgi;
    scgi_temp_path %[2]s/scgi;
    include %[2]s/tickerd.conf;
}
`, user, dir)
	if err := os.WriteFile(filepath.Join(dir, "tickerd.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "-t", "-c", filepath.Join(dir, "nginx.conf"), "-p", dir).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-c", filepath.Join(dir, "nginx.conf"), "-p", dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Logf("nginx error log:\n%s", tail(string(log), 3000))
		}
	})
	waitFor(t, 10*time.Second, "nginx listening", func() bool {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil
	})
}

// liveAdded follows a live stream and sends the time each added event
// arrives, with its data line.
func liveAdded(ctx context.Context, url string, out chan<- farmServed) error {
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		event := ""
		for sc.Scan() {
			line := sc.Text()
			if e, ok := strings.CutPrefix(line, "event: "); ok {
				event = e
			} else if d, ok := strings.CutPrefix(line, "data: "); ok && event == "added" {
				select {
				case out <- farmServed{time.Now(), d}:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return nil
}

// TestNginxExample: through deploy/nginx.conf a feed reader's
// conditional GET gets 304, the cached feed is served while the daemon is
// down (stale once its max-age has passed), and live events arrive
// through the proxy as they do straight from the daemon.
func TestNginxExample(t *testing.T) {
	if testing.Short() {
		t.Skip("runs nginx and waits out a cache lifetime")
	}
	var mu sync.Mutex
	items := []string{"first headline"}
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>w</title><link>https://w.example/</link>`)
		for i, title := range items {
			fmt.Fprintf(&b, "<item><guid>w-%d</guid><title>%s</title><link>https://w.example/%d</link></item>", i, title, i)
		}
		b.WriteString("</channel></rss>")
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(b.String()))
	}))
	defer src.Close()
	ln := listen(t)
	cfg := writeConfigText(t, t.TempDir(), fmt.Sprintf("listen: %q\ndata: data/t.db\nschedule: \"@every 1s\"\nsources:\n  - {name: w, url: %q}\n", ln.Addr().String(), src.URL+"/feed.xml"))
	direct, stop := serveDaemon(t, cfg, ln, testLogger(t))
	waitReady(t, direct)
	proxyAddr := freeAddr(t)
	startNginx(t, ln.Addr().String(), proxyAddr)
	proxy := "http://" + proxyAddr

	// Live events: the same added event through nginx as straight from
	// the daemon, within a second of it.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	viaDirect, viaProxy := make(chan farmServed, 10), make(chan farmServed, 10)
	if err := liveAdded(ctx, direct+"/events/main", viaDirect); err != nil {
		t.Fatal(err)
	}
	if err := liveAdded(ctx, proxy+"/events/main", viaProxy); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // both streams open
	mu.Lock()
	items = append(items, "second headline")
	mu.Unlock()
	var d, p farmServed
	select {
	case d = <-viaDirect:
	case <-time.After(10 * time.Second):
		t.Fatal("no added event from the daemon")
	}
	select {
	case p = <-viaProxy:
	case <-time.After(5 * time.Second):
		t.Fatal("the added event did not come through nginx (buffered?)")
	}
	if p.ua != d.ua || p.at.Sub(d.at) > time.Second {
		t.Errorf("through nginx: %q %s after the daemon's %q; want the same within 1s", p.ua, p.at.Sub(d.at), d.ua)
	}
	if !strings.Contains(d.ua, "second headline") {
		t.Errorf("added event = %s", d.ua)
	}
	cancel()

	// A feed reader's conditional GET: 304 from the cache.
	get := func(hdr ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", proxy+"/feed.rss", nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		bufio.NewReader(resp.Body).WriteTo(&b)
		return resp, b.String()
	}
	first, body := get()
	if first.StatusCode != 200 || first.Header.Get("ETag") == "" || !strings.Contains(body, "second headline") {
		t.Fatalf("GET /feed.rss through nginx = %d, ETag %q", first.StatusCode, first.Header.Get("ETag"))
	}
	etag := first.Header.Get("ETag")
	if again, _ := get("If-None-Match", etag); again.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET with the ETag = %d, want 304", again.StatusCode)
	}
	if hit, _ := get(); hit.Header.Get("X-Cache-Status") != "HIT" {
		t.Errorf("second GET: X-Cache-Status %q, want HIT", hit.Header.Get("X-Cache-Status"))
	}

	// The daemon goes away: the cached feed stays, stale once expired.
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, b := get()
		if resp.StatusCode != 200 || b != body {
			t.Fatalf("with the daemon down: %d (same body: %v), want the cached feed", resp.StatusCode, b == body)
		}
		if resp.Header.Get("X-Cache-Status") == "STALE" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("X-Cache-Status %q after 30s with the daemon down, want STALE", resp.Header.Get("X-Cache-Status"))
		}
		time.Sleep(500 * time.Millisecond)
	}
	if again, _ := get("If-None-Match", etag); again.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET of the stale copy = %d, want 304", again.StatusCode)
	}
}

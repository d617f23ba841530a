package main

import (
	"bufio"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// TestEventsThroughDaemon: a widget's event stream through the daemon's
// real server counts in /metrics, the config's events.max_streams bounds
// the streams, and an open one does not hold up shutdown.
func TestEventsThroughDaemon(t *testing.T) {
	feeds := corpusFeeds(t)
	ln := listen(t)
	var logs syncBuffer
	base, stop := serveDaemon(t, opsConfig(t, t.TempDir(), ln.Addr().String(), feeds.URL, "events: {max_streams: 1, heartbeat: 5s}\n"), ln,
		slog.New(slog.NewTextHandler(&logs, nil)))
	waitReady(t, base)

	resp, err := http.Get(base + "/events/main")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream; charset=utf-8" {
		t.Fatalf("GET /events/main = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() && sc.Text() != "event: reset" {
	}
	if _, body := httpGet(t, base+"/metrics"); !strings.Contains(body, "tickerd_widget_connections 1") {
		t.Errorf("/metrics with one stream open lacks tickerd_widget_connections 1")
	}
	// Only the status is read: a stream that was let in would not end.
	second, err := http.Get(base + "/events/main")
	if err != nil {
		t.Fatal(err)
	}
	second.Body.Close()
	if second.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("a second stream with events.max_streams 1: %d, want 503", second.StatusCode)
	}
	if err := stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	// Shutdown logs "http shutdown" when its deadline passes with
	// connections still open.
	if strings.Contains(logs.String(), "http shutdown") {
		t.Errorf("an open event stream held up shutdown:\n%s", logs.String())
	}
	for sc.Scan() {
	}
}

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// eventually retries check until it reports true; the test's deadline
// bounds the wait.
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !check() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func sourceNames(t *testing.T, base string) []string {
	t.Helper()
	_, body := httpGet(t, base+"/api/sources")
	var rep struct {
		Sources []struct {
			Name  string `json:"name"`
			Items int    `json:"items_stored"`
		} `json:"sources"`
	}
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatalf("/api/sources: %v\n%s", err, body)
	}
	var out []string
	for _, s := range rep.Sources {
		out = append(out, s.Name)
	}
	return out
}

// TestSIGHUPReloads sends the process a real SIGHUP while the daemon
// serves: a source added, one removed (its items dropped), a ticker added;
// then a broken file, which is rejected with file:line in the log while
// the running config stays.
func TestSIGHUPReloads(t *testing.T) {
	feeds := corpusFeeds(t)
	ln := listen(t)
	dir := t.TempDir()
	head := fmt.Sprintf("listen: %q\ndata: data/test.db\nbase_url: \"http://ticker.test\"\nretention: {drop_removed: true}\n", ln.Addr().String())
	cfgPath := writeConfigText(t, dir, head+fmt.Sprintf(`sources:
  - {name: rss2, url: "%[1]s/rss2.xml"}
  - {name: atom, url: "%[1]s/atom.xml"}
`, feeds.URL))
	var logs syncBuffer
	// Registered first, so it runs after serve has stopped.
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("daemon log:\n%s", logs.String())
		}
	})
	base, _ := serveDaemon(t, cfgPath, ln, slog.New(slog.NewTextHandler(&logs, nil)))
	waitReady(t, base) // serve has set up its SIGHUP handler by now
	if _, body := httpGet(t, base+"/feed.json"); !strings.Contains(body, "Atom story two") {
		t.Fatalf("atom's items not served before the reload:\n%s", body)
	}

	// A live widget stream open on the feed server the reload replaces
	// ends, so the widget reconnects to the new one.
	resp, err := http.Get(base + "/events/main")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /events/main: %v %v", resp, err)
	}
	streamEnded := make(chan struct{})
	go func() {
		defer close(streamEnded)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}()

	writeConfigText(t, dir, head+fmt.Sprintf(`sources:
  - {name: rss2, url: "%[1]s/rss2.xml"}
  - {name: json, url: "%[1]s/feed.json", tags: [new]}
tickers:
  - {name: main}
  - {name: fresh, tags: [new]}
`, feeds.URL))
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the reload", func() bool { return slices.Equal(sourceNames(t, base), []string{"rss2", "json"}) })
	eventually(t, "the added source's items", func() bool {
		code, body := httpGet(t, base+"/t/fresh.json")
		return code == 200 && strings.Contains(body, "JSON story on space launch")
	})
	eventually(t, "the removed source's items to go", func() bool {
		_, body := httpGet(t, base+"/feed.json")
		return !strings.Contains(body, "Atom story") && strings.Contains(body, "Markets open higher")
	})
	select {
	case <-streamEnded:
	case <-time.After(10 * time.Second):
		t.Error("the event stream of the replaced feed server is still open")
	}
	_, metrics := httpGet(t, base+"/metrics")
	for _, want := range []string{`tickerd_config_reloads_total{result="ok"} 1`, `tickerd_retention_removed_items_total{reason="dropped"} 2`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %q", want)
		}
	}

	// A broken file: rejected, counted, logged with file:line; the
	// running config stays.
	writeConfigText(t, dir, head+fmt.Sprintf(`sources:
  - {name: rss2, url: "%[1]s/rss2.xml", schedule: "@every 0s"}
  - {name: other, url: "ftp://nowhere.example/"}
`, feeds.URL))
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the rejection", func() bool {
		_, m := httpGet(t, base+"/metrics")
		return strings.Contains(m, `tickerd_config_reloads_total{result="error"} 1`)
	})
	if got := sourceNames(t, base); !slices.Equal(got, []string{"rss2", "json"}) {
		t.Errorf("after a rejected reload sources are %v, want the running ones", got)
	}
	if code, _ := httpGet(t, base+"/t/fresh.json"); code != 200 {
		t.Errorf("after a rejected reload /t/fresh.json = %d, want 200", code)
	}
	log := logs.String()
	for _, want := range []string{"config reload rejected", cfgPath + ":6: sources[0].schedule", cfgPath + ":7: sources[1].url"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q", want)
		}
	}
}

// TestRetentionRuns: the daemon enforces retention on its schedule and
// counts what it removed. The corpus has fixed dates, so max_age is set
// far out: the default 720h would prune it all once the dates age.
func TestRetentionRuns(t *testing.T) {
	feeds := corpusFeeds(t)
	ln := listen(t)
	cfgPath := opsConfig(t, t.TempDir(), ln.Addr().String(), feeds.URL, "retention: {every: 1s, max_items_per_source: 1, max_age: 876000h}\n")
	base := startServe(t, cfgPath, ln)
	waitReady(t, base)
	eventually(t, "retention to prune rss2 to one item", func() bool {
		_, m := httpGet(t, base+"/metrics")
		return strings.Contains(m, `tickerd_items_stored{source="rss2"} 1`) &&
			strings.Contains(m, `tickerd_retention_removed_items_total{reason="max_items_per_source"} 2`)
	})
	_, body := httpGet(t, base+"/feed.json")
	if strings.Contains(body, "Storm") || strings.Contains(body, "Atom story two") || !strings.Contains(body, "Markets open higher") {
		t.Errorf("after retention the feed still lists pruned items, or lost the newest:\n%s", body)
	}
}

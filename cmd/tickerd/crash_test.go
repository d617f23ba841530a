package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"tickerd/match"
	"tickerd/store"
)

// buildTickerd builds this command into a temporary folder and returns
// the binary's path. It skips without a go tool, except under CI.
func buildTickerd(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("go tool not found: %v", err)
		}
		t.Skipf("go tool not found: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "tickerd")
	out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// churnServer serves crashSources feeds that move on with every request:
// generation g of a source lists items g*crashStep … g*crashStep+crashWindow-1,
// so every poll brings new items. Sources 2j and 2j+1 also share a story
// every tenth item, under one title, to be deduped. freeze stops the
// generations moving, so that one last poll has a known answer.
type churnServer struct {
	mu     sync.Mutex
	gen    map[int]int // source → generations served
	frozen bool
	total  int // requests served
	base   time.Time
}

const (
	crashSources = 24
	crashWindow  = 100
	crashStep    = 20
)

func (c *churnServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var src int
	if _, err := fmt.Sscanf(r.URL.Path, "/s%d.xml", &src); err != nil || src < 0 || src >= crashSources {
		http.NotFound(w, r)
		return
	}
	c.mu.Lock()
	g := c.gen[src]
	if !c.frozen {
		c.gen[src]++
	}
	c.total++
	c.mu.Unlock()
	w.Header().Set("Content-Type", "application/rss+xml")
	w.Write(c.feed(src, g))
}

// window returns the item numbers of generation g.
func window(g int) (from, to int) { return g * crashStep, g*crashStep + crashWindow }

// itemTitle is item i of src: unique per source, except the shared ones.
func itemTitle(src, i int) string {
	if i%10 == 0 {
		return fmt.Sprintf("Joint dispatch %d number %d from the summit", src/2, i)
	}
	return fmt.Sprintf("Source %d bulletin %d about harbour %d", src, i, src*1000+i)
}

func (c *churnServer) feed(src, g int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>s%d</title><link>https://s%d.example/</link>`, src, src)
	from, to := window(g)
	for i := to - 1; i >= from; i-- {
		fmt.Fprintf(&b, "<item><guid>s%d-%d</guid><title>%s</title><link>https://s%d.example/%d</link><pubDate>%s</pubDate></item>\n",
			src, i, itemTitle(src, i), src, i, c.base.Add(time.Duration(i)*time.Second).Format(time.RFC1123Z))
	}
	b.WriteString("</channel></rss>")
	return b.Bytes()
}

func (c *churnServer) served() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total
}

// snapshot opens the data file read-only and returns every item by
// source and ID, failing the test on a duplicate identity or on one story
// stored twice.
func snapshot(t *testing.T, path string) map[string]store.Item {
	t.Helper()
	st, err := store.Open(path, &store.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("open after kill: %v", err)
	}
	defer st.Close()
	items, err := st.Recent(context.Background(), store.Query{Limit: 1 << 20, MaxScan: 1 << 20})
	if err != nil {
		t.Fatalf("read after kill: %v", err)
	}
	byID := map[string]store.Item{}
	byTitle := map[string]string{}
	for _, it := range items {
		key := it.Source + "\x00" + it.ID
		if _, dup := byID[key]; dup {
			t.Errorf("item %s/%s stored twice", it.Source, it.ID)
		}
		byID[key] = it
		norm := match.Normalize(it.Title)
		if other, dup := byTitle[norm]; dup {
			t.Errorf("story %q stored twice: %s and %s/%s", it.Title, other, it.Source, it.ID)
		}
		byTitle[norm] = it.Source + "/" + it.ID
	}
	return byID
}

// TestCrashSafety runs the daemon as a subprocess under heavy ingest and
// kills it with SIGKILL several times, at different points. After each
// kill the data file opens, holds every item it held before, and holds
// no item or story twice. A last poll then stores every item the feeds
// list, each shared story once, with the other source's report on it.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the daemon")
	}
	bin := buildTickerd(t)
	cs := &churnServer{gen: map[int]int{}, base: time.Now().Add(-12 * time.Hour).Truncate(time.Second)}
	srv := httptest.NewServer(cs)
	defer srv.Close()

	dir := t.TempDir()
	var cfg strings.Builder
	cfg.WriteString(`listen: "127.0.0.1:0"
data: data/crash.db
schedule: "@every 1s"
fetch: {concurrency: 16, per_host: 16, timeout: 10s}
retention: {max_items_per_source: 100000}
dedupe: {window: 48h, similarity: 0}
sources:
`)
	for i := range crashSources {
		fmt.Fprintf(&cfg, "  - {name: s%d, url: \"%s/s%d.xml\"}\n", i, srv.URL, i)
	}
	cfgPath := writeConfigText(t, dir, cfg.String())
	dbPath := filepath.Join(dir, "data", "crash.db")

	var before map[string]store.Item
	for round, after := range []int{crashSources / 2, crashSources * 2, crashSources * 4} {
		var stderr bytes.Buffer
		cmd := exec.Command(bin, "serve", "-config", cfgPath, "-log-level", "warn")
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		// Kill once the daemon has fetched `after` more feeds: it is
		// then parsing and writing the ones that arrived last.
		target := cs.served() + after
		deadline := time.NewTimer(2 * time.Minute)
		tick := time.NewTicker(5 * time.Millisecond)
	wait:
		for {
			select {
			case err := <-exited:
				t.Fatalf("round %d: daemon exited on its own: %v\n%s", round, err, stderr.String())
			case <-deadline.C:
				cmd.Process.Kill()
				<-exited
				t.Fatalf("round %d: the daemon fetched %d feeds in 2 minutes, want %d", round, cs.served(), target)
			case <-tick.C:
				if cs.served() >= target {
					break wait
				}
			}
		}
		tick.Stop()
		deadline.Stop()
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-exited
		if strings.Contains(stderr.String(), "panic") {
			t.Errorf("round %d: daemon log holds a panic:\n%s", round, stderr.String())
		}

		now := snapshot(t, dbPath)
		for key, it := range before {
			if _, ok := now[key]; !ok {
				t.Errorf("round %d: item %s/%s (%q) lost after the kill", round, it.Source, it.ID, it.Title)
			}
		}
		t.Logf("round %d: killed after %d feeds served; %d items stored", round, cs.served(), len(now))
		before = now
	}

	// One last poll of feeds that no longer move stores all they list.
	cs.mu.Lock()
	cs.frozen = true
	gens := map[int]int{}
	for src, g := range cs.gen {
		gens[src] = g
	}
	cs.mu.Unlock()
	out, err := exec.Command(bin, "fetch", "-config", cfgPath, "-log-level", "warn").CombinedOutput()
	if err != nil {
		t.Fatalf("fetch after the kills: %v\n%s", err, out)
	}
	final := snapshot(t, dbPath)
	for key, it := range before {
		if _, ok := final[key]; !ok {
			t.Errorf("item %s/%s lost by the final fetch", it.Source, it.ID)
		}
	}
	byTitle := map[string]store.Item{}
	for _, it := range final {
		byTitle[it.Title] = it
	}
	reported := 0
	for src := range crashSources {
		from, to := window(gens[src])
		for i := from; i < to; i++ {
			it, ok := final[fmt.Sprintf("s%d\x00s%d-%d", src, src, i)]
			if !ok && i%10 == 0 {
				// A shared story stored from the other source carries
				// this one as a report.
				kept, found := byTitle[itemTitle(src, i)]
				ok = found && hasReport(kept, fmt.Sprint("s", src))
				reported++
			}
			if !ok {
				t.Errorf("s%d item %d (%q) missing after the final fetch", src, i, itemTitle(src, i))
			} else if it.Title != "" && it.Title != itemTitle(src, i) {
				t.Errorf("s%d item %d titled %q, want %q", src, i, it.Title, itemTitle(src, i))
			}
		}
	}
	if reported == 0 {
		t.Errorf("no shared story was recorded as a report: dedupe not exercised")
	}
}

func hasReport(it store.Item, source string) bool {
	for _, r := range it.Reports {
		if r.Source == source {
			return true
		}
	}
	return false
}

// TestBadDataFile: a data file that is not bbolt, or a bbolt file cut
// short, stops the daemon at start with an error naming the file, and no
// panic.
func TestBadDataFile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the daemon")
	}
	bin := buildTickerd(t)
	_, srv := newFeedServer(t)
	good := filepath.Join(t.TempDir(), "good.db")
	st, err := store.Open(good, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2000 {
		it := store.Item{Source: "s", ID: fmt.Sprint(i), Title: strings.Repeat("headline ", 20) + fmt.Sprint(i)}
		if _, err := st.Ingest(context.Background(), store.SourceState{Name: "s"}, []store.Item{it}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	goodBytes, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		content []byte
	}{
		{"not bbolt", bytes.Repeat([]byte("this is not a database\n"), 1000)},
		{"cut short", goodBytes[:len(goodBytes)/3]},
		{"header only", goodBytes[:4096]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cfgPath := writeConfig(t, dir, srv.URL)
			path := filepath.Join(dir, "data", "test.db")
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, tt.content, 0o600); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			out, err := exec.CommandContext(ctx, bin, "fetch", "-config", cfgPath).CombinedOutput()
			text := string(out)
			if err == nil {
				t.Fatalf("fetch on a %s data file succeeded:\n%s", tt.name, text)
			}
			if strings.Contains(text, "panic") || strings.Contains(text, "goroutine ") {
				t.Errorf("fetch on a %s data file panicked:\n%s", tt.name, text)
			}
			if !strings.Contains(text, path) || !strings.Contains(text, "corrupt") && tt.name != "not bbolt" {
				t.Errorf("error does not name %s:\n%s", path, text)
			}
		})
	}
}

package fetcher

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

// blockingFeeds serves rss2.xml on every path; requests to a path marked
// blocked wait until it is released, so a test can hold fetches in
// flight.
type blockingFeeds struct {
	*httptest.Server
	body []byte

	mu      sync.Mutex
	hits    map[string]int
	gates   map[string]chan struct{}
	started chan string // each request's path, as it arrives (buffered)
}

func newBlockingFeeds(t *testing.T) *blockingFeeds {
	b := &blockingFeeds{body: readTestdata(t, "rss2.xml"), hits: map[string]int{}, gates: map[string]chan struct{}{},
		started: make(chan string, 1000)}
	b.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		b.hits[r.URL.Path]++
		gate := b.gates[r.URL.Path]
		b.mu.Unlock()
		b.started <- r.URL.Path
		if gate != nil {
			select {
			case <-gate:
			case <-r.Context().Done():
				return
			}
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(b.body)
	}))
	t.Cleanup(b.Close)
	return b
}

func (b *blockingFeeds) block(path string) (release func()) {
	gate := make(chan struct{})
	b.mu.Lock()
	b.gates[path] = gate
	b.mu.Unlock()
	return sync.OnceFunc(func() { close(gate) })
}

func (b *blockingFeeds) count(path string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.hits[path]
}

// waitFor waits until path is requested, or fails the test after a
// generous bound (a correctness bound, not a performance assertion).
func (b *blockingFeeds) waitFor(t *testing.T, path string) {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case p := <-b.started:
			if p == path {
				return
			}
		case <-timeout:
			t.Fatalf("no request for %s", path)
		}
	}
}

// TestReloadWhileFetching adds, removes and reschedules sources while a
// fetch is in flight, then offers a broken configuration and checks that
// the one in force keeps running.
func TestReloadWhileFetching(t *testing.T) {
	feeds := newBlockingFeeds(t)
	ms := newMemStore()
	releaseA := feeds.block("/a")
	defer releaseA()
	opts := func(srcs ...Source) *Options {
		return &Options{Schedule: "@hourly", Sources: srcs, Timeout: time.Minute}
	}
	a := Source{Name: "a", URL: feeds.URL + "/a"}
	b := Source{Name: "b", URL: feeds.URL + "/b"}
	c := Source{Name: "c", URL: feeds.URL + "/c"}
	f, _ := newTestFetcher(t, ms, opts(a, b))

	ctx, cancel := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	go func() { runErr <- f.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-runErr; err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
	}()
	feeds.waitFor(t, "/a") // a is in flight and stays so

	// Add c, remove b, reschedule a: a's fetch in flight is not disturbed.
	a2 := a
	a2.Schedule = "@every 2h"
	res, err := f.Reload(ctx, opts(a2, c))
	if err != nil {
		t.Fatalf("Reload: %v", err)
	}
	want := ReloadResult{Added: []string{"c"}, Removed: []string{"b"}, Changed: []string{"a"}}
	if !slices.Equal(res.Added, want.Added) || !slices.Equal(res.Removed, want.Removed) || !slices.Equal(res.Changed, want.Changed) {
		t.Errorf("Reload = %+v, want %+v", res, want)
	}
	feeds.waitFor(t, "/c") // an added source is polled at once
	if r := f.Fetch(ctx, "b"); r.Err == nil {
		t.Errorf("Fetch(b) after b was removed = %+v, want an unknown-source error", r)
	}
	if r := f.Fetch(ctx, "a"); r.Status != StatusSkipped {
		t.Errorf("Fetch(a) while a is in flight = %s, want skipped", r.Status)
	}

	// Reschedule c to every second: the new schedule runs.
	c2 := c
	c2.Schedule = "@every 1s"
	if _, err := f.Reload(ctx, opts(a2, c2)); err != nil {
		t.Fatalf("Reload: %v", err)
	}
	before := feeds.count("/c")
	for feeds.count("/c") < before+2 {
		feeds.waitFor(t, "/c")
	}

	// Removing a waits for its fetch in flight, which finishes.
	reloaded := make(chan error, 1)
	go func() {
		_, err := f.Reload(ctx, opts(c2))
		reloaded <- err
	}()
	select {
	case err := <-reloaded:
		t.Fatalf("Reload removing a returned (%v) while a was being fetched", err)
	case <-time.After(100 * time.Millisecond):
	}
	releaseA()
	if err := <-reloaded; err != nil {
		t.Fatalf("Reload: %v", err)
	}
	if st, _ := ms.State("a"); st.LastStatus != "ok" {
		t.Errorf("a's fetch in flight ended with state %+v, want ok: a reload must let it finish", st)
	}
	if r := f.Fetch(ctx, "a"); r.Err == nil {
		t.Errorf("Fetch(a) after a was removed = %+v, want an error", r)
	}

	// A broken configuration changes nothing.
	if _, err := f.Reload(ctx, opts(c2, Source{Name: "bad", URL: "ftp://example.com/feed"})); err == nil {
		t.Fatal("Reload with an ftp source succeeded")
	}
	if _, err := f.Reload(ctx, &Options{Schedule: "@every 0s", Sources: []Source{c2}}); err == nil {
		t.Fatal("Reload with a zero interval succeeded")
	}
	before = feeds.count("/c")
	for feeds.count("/c") < before+2 {
		feeds.waitFor(t, "/c")
	}
	if f.source("c") == nil || f.source("bad") != nil {
		t.Errorf("after a rejected reload the sources changed")
	}
}

package fetcher

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// TestResultKind: every outcome a source can produce maps to its Kind,
// OnResult sees each fetch once, and Bytes counts the body received.
func TestResultKind(t *testing.T) {
	fs := newFeedServer(t)
	const maxBody = 4096
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	unreachable := "http://" + ln.Addr().String() + "/feed"
	ln.Close()
	rss := readTestdata(t, "rss2.xml")
	broken := readTestdata(t, "broken.json")
	page := readTestdata(t, "page.html")

	tests := []struct {
		name  string
		url   string // when not served by fs
		route route
		want  Kind
		bytes int64
	}{
		{name: "ok", route: route{body: rss, etag: `"v1"`}, want: KindOK, bytes: int64(len(rss))},
		{name: "http-error", route: route{status: http.StatusServiceUnavailable}, want: KindHTTPError},
		{name: "too-large", route: route{body: bytes.Repeat([]byte("x"), maxBody+1)}, want: KindTooLarge},
		{name: "not-a-feed", route: route{body: page, contentType: "text/html"}, want: KindNotAFeed, bytes: int64(len(page))},
		{name: "parse-error", route: route{body: broken}, want: KindParseError, bytes: int64(len(broken))},
		{name: "empty", route: route{body: []byte("  ")}, want: KindParseError, bytes: 2},
		{name: "network", url: unreachable, want: KindNetwork},
	}
	var sources []Source
	for _, tt := range tests {
		u := tt.url
		if u == "" {
			u = fs.set("/"+tt.name, tt.route)
		}
		sources = append(sources, Source{Name: tt.name, URL: u})
	}
	var mu sync.Mutex
	seen := map[string][]Result{}
	opts := &Options{Sources: sources, MaxBody: maxBody, OnResult: func(r Result) {
		mu.Lock()
		seen[r.Source] = append(seen[r.Source], r)
		mu.Unlock()
	}}
	f, _ := newTestFetcher(t, openTestStore(t), opts)
	f.FetchAll(context.Background())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			got := seen[tt.name]
			mu.Unlock()
			if len(got) != 1 {
				t.Fatalf("OnResult called %d times, want 1", len(got))
			}
			if k := got[0].Kind(); k != tt.want {
				t.Errorf("Kind() = %q, want %q (err %v)", k, tt.want, got[0].Err)
			}
			if got[0].Bytes != tt.bytes {
				t.Errorf("Bytes = %d, want %d", got[0].Bytes, tt.bytes)
			}
			if got[0].Duration <= 0 {
				t.Errorf("Duration = %v, want it measured", got[0].Duration)
			}
		})
	}
	// The second fetch of the ok source is conditional: a 304.
	if r := f.Fetch(context.Background(), "ok"); r.Kind() != KindNotModified || r.Bytes != 0 {
		t.Errorf("refetch: Kind() = %q, Bytes = %d, want not_modified, 0", r.Kind(), r.Bytes)
	}
}

func TestKindOfErrors(t *testing.T) {
	tests := []struct {
		name string
		r    Result
		want Kind
	}{
		{"new", Result{Status: StatusNew}, KindOK},
		{"updated", Result{Status: StatusUpdated}, KindOK},
		{"unchanged", Result{Status: StatusUnchanged}, KindUnchanged},
		{"skipped", Result{Status: StatusSkipped}, KindSkipped},
		{"timeout", Result{Status: StatusFailed, Err: fmt.Errorf("no complete response: %w", context.DeadlineExceeded)}, KindTimeout},
		{"canceled", Result{Status: StatusFailed, Err: fmt.Errorf("wait: %w", context.Canceled)}, KindCanceled},
		{"store", Result{Status: StatusFailed, Err: &phaseError{KindStoreError, fmt.Errorf("disk full")}}, KindStoreError},
		{"status-in-parse", Result{Status: StatusFailed, Err: &phaseError{KindParseError, fmt.Errorf("x: %w", ErrNotFeed)}}, KindNotAFeed},
		{"other", Result{Status: StatusFailed, Err: fmt.Errorf("odd")}, KindError},
	}
	for _, tt := range tests {
		if got := tt.r.Kind(); got != tt.want {
			t.Errorf("%s: Kind() = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestPolled: the channel closes when Run's first poll is over, not
// before, and never when Run stops first.
func TestPolled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f, _ := newTestFetcher(t, newMemStore(), &Options{Sources: []Source{
			fileSource(t, "a", "rss2.xml"), fileSource(t, "b", "atom.xml"),
		}})
		select {
		case <-f.Polled():
			t.Fatal("Polled closed before Run")
		default:
		}
		stop := runInBackground(t, f)
		time.Sleep(maxJitter)
		synctest.Wait()
		select {
		case <-f.Polled():
		default:
			t.Fatal("Polled still open after the first poll")
		}
		stop()
	})
	synctest.Test(t, func(t *testing.T) {
		var many []Source
		for i := range 100 {
			many = append(many, fileSource(t, fmt.Sprint("s", i), "rss2.xml"))
		}
		f, _ := newTestFetcher(t, newMemStore(), &Options{Sources: many})
		stop := runInBackground(t, f)
		time.Sleep(time.Millisecond) // inside the jitter window of 100 sources
		stop()
		select {
		case <-f.Polled():
			t.Fatal("Polled closed though Run stopped before its first poll ended")
		default:
		}
	})
}

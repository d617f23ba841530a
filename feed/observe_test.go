package feed

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
)

// TestOnRequest: every answered feed request is reported once with its
// ticker, format and status; unknown tickers and other routes are not.
func TestOnRequest(t *testing.T) {
	var mu sync.Mutex
	var got []string
	opts := fixtureOptions()
	opts.OnRequest = func(ticker, format string, status int) {
		mu.Lock()
		got = append(got, fmt.Sprintf("%s %s %d", ticker, format, status))
		mu.Unlock()
	}
	h := newTestServer(t, newFakeStore(fixtureItems(), fixtureStates()...), opts).Handler()
	etag := serve(t, h, "GET", "/t/arabic.json").Header().Get("ETag")
	serve(t, h, "GET", "/t/arabic.json", "If-None-Match", etag)
	serve(t, h, "HEAD", "/feed.atom")
	serve(t, h, "GET", "/t/nosuch.rss")
	serve(t, h, "GET", "/t/main.xml")
	serve(t, h, "GET", "/healthz")
	want := []string{"arabic json 200", "arabic json 304", "main atom 200"}
	if !slices.Equal(got, want) {
		t.Errorf("reported %q, want %q", got, want)
	}

	got = nil
	st := newFakeStore(fixtureItems(), fixtureStates()...)
	st.fail(errors.New("not open"))
	h = newTestServer(t, st, opts).Handler()
	serve(t, h, "GET", "/feed.rss")
	if want := []string{"main rss 503"}; !slices.Equal(got, want) {
		t.Errorf("reported %q, want %q", got, want)
	}
}

package fetcher

import (
	"context"
	"errors"
	"net/url"
	"sync"
	"testing"
)

// TestHostSlot: a fetch from a host asks HostSlot for one of PerHost
// shared slots and gives it back after; a refusal fails the fetch
// without a request.
func TestHostSlot(t *testing.T) {
	fs := newFeedServer(t)
	feedURL := fs.set("/f.xml", route{body: readTestdata(t, "rss2.xml")})
	host := func() string { u, _ := url.Parse(feedURL); return u.Hostname() }()
	for _, refuse := range []bool{false, true} {
		var mu sync.Mutex
		var asked []string
		released := 0
		f, _ := newTestFetcher(t, newMemStore(), &Options{
			PerHost: 3,
			Sources: []Source{{Name: "a", URL: feedURL}},
			HostSlot: func(_ context.Context, h string, perHost int) (func(), error) {
				mu.Lock()
				defer mu.Unlock()
				asked = append(asked, h)
				if perHost != 3 {
					t.Errorf("HostSlot perHost = %d, want 3", perHost)
				}
				if refuse {
					return nil, errors.New("database down")
				}
				return func() { mu.Lock(); released++; mu.Unlock() }, nil
			},
		})
		before := len(fs.requests("/f.xml"))
		r := f.Fetch(context.Background(), "a")
		mu.Lock()
		if len(asked) != 1 || asked[0] != host {
			t.Errorf("refuse=%v: HostSlot asked for %q, want [%s]", refuse, asked, host)
		}
		if refuse {
			if r.Status != StatusFailed || len(fs.requests("/f.xml")) != before {
				t.Errorf("refused slot: fetch %v with %d requests, want a failure and none", r.Status, len(fs.requests("/f.xml"))-before)
			}
		} else if r.Err != nil || released != 1 {
			t.Errorf("granted slot: fetch err %v, %d releases; want success and 1", r.Err, released)
		}
		mu.Unlock()
	}
}

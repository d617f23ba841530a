package feed

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"tickerd/store"
)

// testClock is a clock the store and the feed server share.
type testClock struct {
	mu sync.Mutex // guards t
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type deskFeed struct {
	st    *store.Store
	s     *Server
	hs    *httptest.Server
	clock *testClock
}

func newDeskFeed(t *testing.T, limit int) *deskFeed {
	t.Helper()
	c := &testClock{t: seen}
	st, err := store.Open(filepath.Join(t.TempDir(), "tickerd.db"), &store.Options{Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := newTestServer(t, st, &Options{Tickers: []Ticker{{Name: "main", Limit: limit}, {Name: "other", Limit: limit}}})
	s.now = c.now
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	t.Cleanup(s.CloseLive)
	return &deskFeed{st: st, s: s, hs: hs, clock: c}
}

func (d *deskFeed) ingest(t *testing.T, items ...store.Item) {
	t.Helper()
	if _, err := d.st.Ingest(context.Background(), store.SourceState{Name: items[0].Source}, items); err != nil {
		t.Fatal(err)
	}
}

func (d *deskFeed) act(t *testing.T, a store.Action) store.Action {
	t.Helper()
	got, err := d.st.Act(context.Background(), a)
	if err != nil {
		t.Fatalf("Act(%+v): %v", a, err)
	}
	return got
}

// titles reads a ticker's JSON Feed: each item's title, with ! when it
// is breaking and ^ when pinned.
func (d *deskFeed) titles(t *testing.T, path string) string {
	t.Helper()
	rec := serve(t, d.s.Handler(), "GET", path)
	var doc struct {
		Items []struct {
			Title   string   `json:"title"`
			Tags    []string `json:"tags"`
			Tickerd struct {
				Story    string `json:"story"`
				Breaking bool   `json:"breaking"`
				Pinned   bool   `json:"pinned"`
			} `json:"_tickerd"`
		} `json:"items"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	var out []string
	for _, it := range doc.Items {
		s := it.Title
		if it.Tickerd.Breaking {
			s += "!"
		}
		if it.Tickerd.Pinned {
			s += "^"
		}
		out = append(out, s)
	}
	return strings.Join(out, ",")
}

func TestDeskActionsInEveryFormat(t *testing.T) {
	d := newDeskFeed(t, 3)
	d.ingest(t,
		newsItem("a", "1", "one", seen.Add(-time.Minute)),
		newsItem("a", "2", "two", seen.Add(-2*time.Minute)),
		newsItem("a", "3", "three", seen.Add(-3*time.Minute)),
		newsItem("a", "4", "four", seen.Add(-4*time.Minute)),
	)
	check := func(want string) {
		t.Helper()
		if got := d.titles(t, "/feed.json"); got != want {
			t.Errorf("/feed.json = %s, want %s", got, want)
		}
	}
	check("one,two,three")

	hide := d.act(t, store.Action{Kind: store.ActHide, Story: "a/1"})
	check("two,three,four") // the ticker still fills its limit
	for _, f := range []string{"/feed.rss", "/feed.atom", "/t/other.json"} {
		if body := serve(t, d.s.Handler(), "GET", f).Body.String(); strings.Contains(body, ">one<") || strings.Contains(body, `"one"`) {
			t.Errorf("%s still shows the hidden story", f)
		}
	}
	// The wire publishes it again, changed: still hidden.
	d.clock.advance(time.Second)
	d.ingest(t, newsItem("a", "1", "one again", seen.Add(-time.Minute)))
	check("two,three,four")

	d.act(t, store.Action{Kind: store.ActCorrect, Story: "a/2", Title: "two <b>fixed</b>", Link: "https://fixed.example/2"})
	d.act(t, store.Action{Kind: store.ActBreaking, Story: "a/3"})
	check("two <b>fixed</b>,three!,four")
	rss := serve(t, d.s.Handler(), "GET", "/feed.rss").Body.String()
	atom := serve(t, d.s.Handler(), "GET", "/feed.atom").Body.String()
	for name, body := range map[string]string{"rss": rss, "atom": atom} {
		if !strings.Contains(body, "two &lt;b&gt;fixed&lt;/b&gt;") || !strings.Contains(body, "https://fixed.example/2") {
			t.Errorf("%s lacks the correction:\n%s", name, body)
		}
	}
	if !strings.Contains(rss, "<category>Breaking</category>") || !strings.Contains(atom, `term="Breaking"`) {
		t.Errorf("no Breaking category:\n%s\n%s", rss, atom)
	}

	// A pin on one ticker, ending in 2 s: first there, then back in place.
	d.act(t, store.Action{Kind: store.ActPin, Story: "a/4", Tickers: []string{"main"}, Until: d.clock.now().Add(2 * time.Second)})
	check("four^,two <b>fixed</b>,three!")
	if got := d.titles(t, "/t/other.json"); got != "two <b>fixed</b>,three!,four" {
		t.Errorf("other ticker = %s, want no pin", got)
	}
	d.clock.advance(2 * time.Second)
	check("two <b>fixed</b>,three!,four")

	add := d.act(t, store.Action{Kind: store.ActAdd, Title: "desk news", Tickers: []string{"other"}})
	if got := d.titles(t, "/t/other.json"); got != "desk news,two <b>fixed</b>,three!" {
		t.Errorf("other ticker after add = %s", got)
	}
	check("two <b>fixed</b>,three!,four")

	d.act(t, store.Action{Kind: store.ActUndo, Undo: add.ID})
	d.act(t, store.Action{Kind: store.ActUndo, Undo: hide.ID})
	d.act(t, store.Action{Kind: store.ActUndo, Story: "a/2", Of: store.ActCorrect})
	d.act(t, store.Action{Kind: store.ActUndo, Story: "a/3", Of: store.ActBreaking})
	check("one again,two,three")
	if got := d.titles(t, "/t/other.json"); got != "one again,two,three" {
		t.Errorf("other ticker after undo = %s", got)
	}
}

func TestDeskLiveEvents(t *testing.T) {
	d := newDeskFeed(t, 10)
	d.ingest(t, newsItem("a", "1", "one", seen.Add(-time.Minute)), newsItem("a", "2", "two", seen.Add(-2*time.Minute)))
	sse := openStream(t, d.hs.URL+"/events/main")
	if ev := sse.next(t); ev.event != "reset" {
		t.Fatalf("first event %q, want reset", ev.event)
	}
	d.act(t, store.Action{Kind: store.ActHide, Story: "a/1"})
	ev := sse.next(t)
	if ev.event != "removed" || !strings.Contains(ev.data, "a.example.com/1") || strings.Contains(ev.data, `"one"`) {
		t.Fatalf("after hide: %s %s, want the story's removal, without its title", ev.event, ev.data)
	}
	// A re-poll that changes the hidden item sends its removal, never
	// the item.
	d.clock.advance(time.Second)
	d.ingest(t, newsItem("a", "1", "one, updated", seen.Add(-time.Minute)))
	ev = sse.next(t)
	if ev.event != "removed" || strings.Contains(ev.data, "updated") {
		t.Fatalf("after re-poll: %s %s, want a removal", ev.event, ev.data)
	}
	// Undone, the story is back: the ticker is sent again.
	d.act(t, store.Action{Kind: store.ActUndo, Story: "a/1", Of: store.ActHide})
	if ev := sse.next(t); ev.event != "reset" || !strings.Contains(ev.data, "one, updated") {
		t.Fatalf("after undo: %s %s", ev.event, ev.data)
	}
	d.act(t, store.Action{Kind: store.ActHide, Story: "a/1"})
	if ev := sse.next(t); ev.event != "removed" {
		t.Fatalf("after the second hide: %s %s", ev.event, ev.data)
	}
	// A pin's end is sent as the ticker again.
	d.act(t, store.Action{Kind: store.ActPin, Story: "a/2", Until: d.clock.now().Add(time.Second)})
	if ev := sse.next(t); ev.event != "reset" || !strings.Contains(ev.data, `"pinned":true`) {
		t.Fatalf("after pin: %s %s", ev.event, ev.data)
	}
	d.clock.advance(time.Second)
	if ev := sse.next(t); ev.event != "reset" || strings.Contains(ev.data, `"pinned":true`) {
		t.Fatalf("after the pin ended: %s %s", ev.event, ev.data)
	}
}

// BenchmarkRenderDesk renders a 50-item ticker from a real store with no
// desk actions, and with 200 in force (hides, corrections, breaking
// marks, pins, desk headlines): the cost the desk adds to each render.
func BenchmarkRenderDesk(b *testing.B) {
	for _, n := range []int{0, 200} {
		b.Run(fmt.Sprintf("actions=%d", n), func(b *testing.B) {
			st, err := store.Open(filepath.Join(b.TempDir(), "tickerd.db"), &store.Options{Now: func() time.Time { return seen }})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			items := benchItems(400)
			for i := range items {
				items[i].Source = "wire"
			}
			ctx := context.Background()
			if _, err := st.Ingest(ctx, store.SourceState{Name: "wire"}, items); err != nil {
				b.Fatal(err)
			}
			kinds := []string{store.ActHide, store.ActCorrect, store.ActBreaking, store.ActPin, store.ActAdd}
			for i := range n {
				a := store.Action{Kind: kinds[i%len(kinds)], Story: store.StoryRef("wire", items[i*2%len(items)].ID), Title: fmt.Sprintf("desk %d", i)}
				switch a.Kind {
				case store.ActHide, store.ActBreaking, store.ActPin:
					a.Title = ""
				case store.ActAdd:
					a.Story = ""
				}
				if _, err := st.Act(ctx, a); err != nil {
					b.Fatal(err)
				}
			}
			s := newTestServer(b, st, nil)
			s.now = func() time.Time { return seen }
			t := &s.tickers[0]
			b.ReportAllocs()
			for b.Loop() {
				s.mu.Lock()
				_, err := s.render(ctx, t, &t.sel, 0, formatAll)
				s.mu.Unlock()
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestDeskPinBeyondLimit: a pinned story older than everything a ticker's
// limit reaches is still shown first, on the tickers it is pinned on.
func TestDeskPinBeyondLimit(t *testing.T) {
	d := newDeskFeed(t, 2)
	d.ingest(t,
		newsItem("a", "1", "one", seen.Add(-time.Minute)),
		newsItem("a", "2", "two", seen.Add(-2*time.Minute)),
		newsItem("a", "3", "three", seen.Add(-3*time.Minute)),
	)
	d.act(t, store.Action{Kind: store.ActPin, Story: "a/3", Tickers: []string{"main"}})
	if got := d.titles(t, "/feed.json"); got != "three^,one" {
		t.Errorf("main = %s, want the pinned story first and the limit kept", got)
	}
	if got := d.titles(t, "/t/other.json"); got != "one,two" {
		t.Errorf("other = %s, want no pin", got)
	}
	// Hidden wins over pinned, whichever came first.
	d.act(t, store.Action{Kind: store.ActHide, Story: "a/3"})
	if got := d.titles(t, "/feed.json"); got != "one,two" {
		t.Errorf("main after hide = %s", got)
	}
}

// TestDeskFeedparser: a real feed reader (Python's feedparser) sees a
// breaking story's Breaking category and a corrected title, in RSS and
// Atom.
func TestDeskFeedparser(t *testing.T) {
	py := python(t)
	d := newDeskFeed(t, 10)
	d.ingest(t, newsItem("a", "1", "one", seen.Add(-time.Minute)), newsItem("a", "2", "two", seen.Add(-2*time.Minute)))
	d.act(t, store.Action{Kind: store.ActBreaking, Story: "a/1"})
	d.act(t, store.Action{Kind: store.ActCorrect, Story: "a/2", Title: "two, corrected"})
	dir := t.TempDir()
	var files []string
	for _, f := range []string{"feed.rss", "feed.atom"} {
		p := filepath.Join(dir, f)
		if err := os.WriteFile(p, serve(t, d.s.Handler(), "GET", "/"+f).Body.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	out, err := exec.Command(py, append([]string{"-c", feedparserScript}, files...)...).Output()
	if err != nil {
		t.Fatalf("feedparser: %v", err)
	}
	var parsed []parsedFeed
	if err := json.Unmarshal(out, &parsed); err != nil {
		t.Fatal(err)
	}
	for i, p := range parsed {
		if p.Bozo != 0 || len(p.Entries) != 2 {
			t.Fatalf("%s: bozo %d (%s), %d entries", files[i], p.Bozo, p.Error, len(p.Entries))
		}
		if e := p.Entries[0]; e.Title != "one" || !slices.Contains(e.Tags, BreakingCategory) {
			t.Errorf("%s: first entry %q tags %v, want the Breaking category", files[i], e.Title, e.Tags)
		}
		if e := p.Entries[1]; e.Title != "two, corrected" || slices.Contains(e.Tags, BreakingCategory) {
			t.Errorf("%s: second entry %q tags %v", files[i], e.Title, e.Tags)
		}
	}
}

package feed

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tickerd/store"
)

// TestTellingsOutliveTheirStorysItem: when retention removes a story's
// item, a ticker of another source that told it keeps that telling, a
// ticker of both shows the other telling instead, and the live events of
// each say so.
func TestTellingsOutliveTheirStorysItem(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	st, err := store.Open(filepath.Join(t.TempDir(), "tickerd.db"), &store.Options{
		Now: func() time.Time { return now },
		Dedupe: store.Dedupe{Window: 48 * time.Hour, Threshold: 0.8, Similarity: func(a, b []string) float64 {
			if slices.Equal(a, b) {
				return 1
			}
			return 0
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	item := func(src, id, title string, minutes int) store.Item {
		return store.Item{
			Source: src, ID: id, GUID: id, Title: title, Link: "https://" + src + ".example/" + id,
			Published: now.Add(time.Duration(-minutes) * time.Minute),
			Story:     &store.Story{Title: strings.ToLower(title), Tokens: strings.Fields(strings.ToLower(title))},
		}
	}
	ingest := func(src string, items ...store.Item) {
		t.Helper()
		if _, err := st.Ingest(ctx, store.SourceState{Name: src}, items); err != nil {
			t.Fatal(err)
		}
	}
	ingest("a", item("a", "a1", "Flood warning for the valley", 30), item("a", "a2", "Markets open higher", 10))
	ingest("b", item("b", "b1", "FLOOD WARNING for the valley", 25))
	s := newTestServer(t, st, &Options{
		BaseURL: "http://ticker.test",
		Tickers: []Ticker{{Name: "main"}, {Name: "b", Sources: []string{"b"}}, {Name: "ab", Sources: []string{"a", "b"}}},
	})
	h := s.Handler()
	read := func(ticker string) []string {
		t.Helper()
		var f struct {
			Items []struct {
				Title   string `json:"title"`
				Tickerd struct {
					Source string `json:"source"`
				} `json:"_tickerd"`
			} `json:"items"`
		}
		if err := json.Unmarshal(serve(t, h, "GET", "/t/"+ticker+".json").Body.Bytes(), &f); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range f.Items {
			out = append(out, it.Tickerd.Source+": "+it.Title)
		}
		return out
	}
	want := map[string][]string{
		"main": {"a: Markets open higher", "a: Flood warning for the valley"},
		"b":    {"b: FLOOD WARNING for the valley"},
		"ab":   {"a: Markets open higher", "a: Flood warning for the valley"},
	}
	for name, w := range want {
		if got := read(name); !slices.Equal(got, w) {
			t.Errorf("ticker %s before pruning = %q, want %q", name, got, w)
		}
	}
	if err := s.catchUpLive(ctx); err != nil {
		t.Fatal(err)
	}
	pos := st.Seq()

	if _, err := st.Prune(ctx, store.Retention{MaxPerSource: 1}); err != nil {
		t.Fatal(err)
	}
	want = map[string][]string{
		"main": {"a: Markets open higher"},
		"b":    {"b: FLOOD WARNING for the valley"},
		"ab":   {"a: Markets open higher", "b: FLOOD WARNING for the valley"},
	}
	wantEvents := map[string][]string{
		"main": {"removed a: Flood warning for the valley"},
		"b":    nil,
		"ab":   {"removed a: Flood warning for the valley", "updated b: FLOOD WARNING for the valley"},
	}
	for i, name := range []string{"main", "b", "ab"} {
		if got := read(name); !slices.Equal(got, want[name]) {
			t.Errorf("ticker %s after a1 went = %q, want %q", name, got, want[name])
		}
		frames, _, _, _, err := s.pending(ctx, i, pos)
		if err != nil {
			t.Fatal(err)
		}
		var events []string
		for _, f := range frames {
			for _, ev := range strings.Split(strings.TrimSpace(string(f)), "\n\n") {
				var op string
				var data struct {
					Title   string         `json:"title"`
					Tickerd map[string]any `json:"_tickerd"`
				}
				for _, line := range strings.Split(ev, "\n") {
					if v, ok := strings.CutPrefix(line, "event: "); ok {
						op = v
					}
					if v, ok := strings.CutPrefix(line, "data: "); ok {
						json.Unmarshal([]byte(v), &data)
					}
				}
				events = append(events, op+" "+data.Tickerd["source"].(string)+": "+data.Title)
			}
		}
		if !slices.Equal(events, wantEvents[name]) {
			t.Errorf("ticker %s: events %q, want %q", name, events, wantEvents[name])
		}
	}

	// The default ticker narrowed to b by a query parameter selects b.
	variant := func() string {
		return serve(t, h, "GET", "/feed.json?source=b").Body.String()
	}
	if v := variant(); !strings.Contains(v, "FLOOD") {
		t.Errorf("/feed.json?source=b lacks b's telling: %s", v)
	}

	// b1 ages out on its own.
	now = now.Add(time.Hour)
	pos = st.Seq()
	if _, err := st.Prune(ctx, store.Retention{MaxAge: 80 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	if got := read("b"); len(got) != 0 {
		t.Errorf("ticker b after b1 aged out = %q, want none", got)
	}
	if v := variant(); strings.Contains(v, "FLOOD") {
		t.Errorf("/feed.json?source=b after b1 aged out still shows it: %s", v)
	}
	if got := read("ab"); !slices.Equal(got, []string{"a: Markets open higher"}) {
		t.Errorf("ticker ab after b1 aged out = %q", got)
	}
	frames, _, _, _, err := s.pending(ctx, 1, pos)
	if err != nil || len(frames) != 1 || !strings.Contains(string(frames[0]), "event: removed") || !strings.Contains(string(frames[0]), "FLOOD") {
		t.Errorf("ticker b's events after b1 aged out: %q, %v; want b1's removal", frames, err)
	}
}

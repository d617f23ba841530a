package feed

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"tickerd/store"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func newTestServer(t testing.TB, st Store, opts *Options) *Server {
	t.Helper()
	s, err := New(st, opts, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// rendered is every ticker's bodies, by ticker index.
type rendered struct {
	bodies [][numFormats]body
}

// renderAll renders every ticker in every format for the store's current
// state, whether or not anything changed.
func renderAll(t testing.TB, s *Server) *rendered {
	t.Helper()
	r := &rendered{}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.tickers {
		set, err := s.render(context.Background(), &s.tickers[i], &s.tickers[i].sel, 0, formatAll)
		if err != nil {
			t.Fatalf("render: %v", err)
		}
		r.bodies = append(r.bodies, set.bodies)
	}
	return r
}

func TestGolden(t *testing.T) {
	s := newTestServer(t, newFakeStore(fixtureItems(), fixtureStates()...), fixtureOptions())
	r := renderAll(t, s)
	for i, tk := range s.tickers {
		for f := range numFormats {
			name := tk.Name + "." + f.String()
			t.Run(name, func(t *testing.T) {
				got := r.bodies[i][f].plain.data
				path := filepath.Join("testdata", name+".golden")
				if *update {
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./feed -run TestGolden -update to create it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("render %s differs from %s:\n%s", name, path, lineDiff(string(want), string(got)))
				}
			})
		}
	}
}

// lineDiff shows the first differing line, enough to find a golden drift.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + itoa(i+1) + ":\n  got  " + gl + "\n  want " + wl
		}
	}
	return "(only line endings differ)"
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestDeterministic renders twice from equal input, with a new server in
// between, as after a restart: ids and bytes must not move.
func TestDeterministic(t *testing.T) {
	a := renderAll(t, newTestServer(t, newFakeStore(fixtureItems(), fixtureStates()...), fixtureOptions()))
	b := renderAll(t, newTestServer(t, newFakeStore(fixtureItems(), fixtureStates()...), fixtureOptions()))
	for i := range a.bodies {
		for f := range numFormats {
			if !bytes.Equal(a.bodies[i][f].plain.data, b.bodies[i][f].plain.data) {
				t.Errorf("ticker %d %s: two renders of equal input differ", i, f)
			}
			if a.bodies[i][f].plain.etag != b.bodies[i][f].plain.etag {
				t.Errorf("ticker %d %s: ETag %s, then %s", i, f, a.bodies[i][f].plain.etag, b.bodies[i][f].plain.etag)
			}
		}
	}
}

func TestEntries(t *testing.T) {
	s := newTestServer(t, newFakeStore(nil, fixtureStates()...), fixtureOptions())
	items := fixtureItems()
	v := s.newView(&s.tickers[0], items, seen, map[string]*source{})

	byTitle := func(prefix string) *entry {
		t.Helper()
		for i := range v.entries {
			if strings.HasPrefix(v.entries[i].title, prefix) {
				return &v.entries[i]
			}
		}
		t.Fatalf("no entry titled %q…", prefix)
		return nil
	}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"guid equal to link is the permalink", byTitle("عاجل").guid, items[0].Link},
		{"guid equal to link marks permalink", byTitle("عاجل").permalink, true},
		{"guid not a link is a minted id", byTitle("قمة").guid, byTitle("قمة").id},
		{"no guid is not a permalink", byTitle("AT&T").permalink, false},
		{"entry id is a tag URI", strings.HasPrefix(byTitle("AT&T").id, "tag:news.example.org,2025:item/wire/"), true},
		{"invalid XML characters dropped", byTitle("Breaking").title, "Breaking news with  bad bytes"},
		{"relative link dropped", byTitle("Breaking").link, ""},
		{"blank and repeated categories dropped", strings.Join(byTitle("AT&T").categories, "|"), "Business|Tech"},
		{"language tag normalized", byTitle("Dated").lang, "en-US"},
		{"source language fills a missing item language", byTitle("Breaking").lang, ""},
		{"future published falls back to first seen", byTitle("Dated").published, seen.Add(-3 * time.Hour)},
		{"future updated is distrusted", byTitle("Dated").updated, seen.Add(-3 * time.Hour)},
		{"updated from the feed", byTitle("AT&T").updated, items[2].Updated},
		{"published in UTC, whole seconds", byTitle("قمة").published, time.Date(2025, 1, 19, 8, 15, 0, 0, time.UTC)},
		{"no date uses first seen", byTitle("Breaking").published, seen.Add(-4 * time.Hour)},
		{"source title from state", byTitle("AT&T").src.title, "Example Wire"},
		{"source without title uses its name", byTitle("Breaking").src.title, "local"},
		{"source path is not a URL", byTitle("Breaking").src.feedURL, ""},
		{"feed updated is the newest entry update", v.updated, items[2].Updated},
		{"mixed languages give no feed language", v.lang, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}

	// The same item has the same id in every ticker and on every server
	// with the same base URL, and a different one from another source.
	other := newTestServer(t, newFakeStore(nil), &Options{BaseURL: "https://news.example.org"})
	if a, b := s.entryID("wire", "x"), other.entryID("wire", "x"); a != b {
		t.Errorf("entryID differs between servers: %q, %q", a, b)
	}
	if a, b := s.entryID("wire", "x"), s.entryID("local", "x"); a == b {
		t.Errorf("entryID(wire, x) = entryID(local, x) = %q", a)
	}
}

func TestFeedLanguage(t *testing.T) {
	s := newTestServer(t, newFakeStore(nil), &Options{Tickers: []Ticker{{Name: "a"}, {Name: "b", Lang: "fr"}}})
	tests := []struct {
		name   string
		ticker int
		langs  []string
		want   string
	}{
		{"all items share one", 0, []string{"ar", "ar"}, "ar"},
		{"mixed", 0, []string{"ar", "en"}, ""},
		{"one unknown", 0, []string{"ar", ""}, ""},
		{"no items", 0, nil, ""},
		{"ticker setting wins", 1, []string{"ar", "ar"}, "fr"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var items []store.Item
			for i, l := range tc.langs {
				items = append(items, store.Item{Source: "s", ID: itoa(i), Title: "t", Lang: l, FirstSeen: seen})
			}
			v := s.newView(&s.tickers[tc.ticker], items, seen, map[string]*source{})
			if v.lang != tc.want {
				t.Errorf("feed language of %q = %q, want %q", tc.langs, v.lang, tc.want)
			}
		})
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"عربي", "عربي"},
		{"tab\tnewline\ncr\r", "tab\tnewline\ncr\r"},
		{"nul\x00bell\x07esc\x1b", "nulbellesc"},
		{"bad \xff\xfe utf8", "bad  utf8"},
		{"nonchars \uFFFE\uFFFF", "nonchars "},
		{"replacement \uFFFD kept", "replacement \uFFFD kept"},
		{"astral 𝄞", "astral 𝄞"},
		{"surrogate \xed\xa0\x80", "surrogate "},
	}
	for _, tc := range tests {
		if got := clean(tc.in); got != tc.want {
			t.Errorf("clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLangTag(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ar", "ar"}, {"en-US", "en-US"}, {"en_US", "en-US"}, {" ar ", "ar"},
		{"English (US)", ""}, {"", ""}, {"en-toolongsubtag", ""}, {"zh-Hant-TW", "zh-Hant-TW"},
	}
	for _, tc := range tests {
		if got := langTag(tc.in); got != tc.want {
			t.Errorf("langTag(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestEncodings parses each format back with the standard library, so a
// golden file refreshed with a broken encoder cannot hide the breakage.
func TestEncodings(t *testing.T) {
	s := newTestServer(t, newFakeStore(fixtureItems(), fixtureStates()...), fixtureOptions())
	r := renderAll(t, s)
	v := s.newView(&s.tickers[0], must(s.st.Recent(context.Background(), store.Query{})), seen, map[string]*source{})

	t.Run("rss", func(t *testing.T) {
		var doc struct {
			Channel struct {
				Language string `xml:"language"`
				Items    []struct {
					Title string `xml:"title"`
					GUID  struct {
						ID          string `xml:",chardata"`
						IsPermaLink string `xml:"isPermaLink,attr"`
					} `xml:"guid"`
					Source struct {
						URL   string `xml:"url,attr"`
						Title string `xml:",chardata"`
					} `xml:"source"`
					Categories []string `xml:"category"`
				} `xml:"item"`
			} `xml:"channel"`
		}
		if err := xml.Unmarshal(r.bodies[0][formatRSS].plain.data, &doc); err != nil {
			t.Fatalf("RSS does not parse: %v", err)
		}
		if len(doc.Channel.Items) != len(v.entries) {
			t.Fatalf("RSS has %d items, want %d", len(doc.Channel.Items), len(v.entries))
		}
		for i, it := range doc.Channel.Items {
			e := v.entries[i]
			if it.Title != e.title {
				t.Errorf("item %d title = %q, want %q", i, it.Title, e.title)
			}
			wantPerma := map[bool]string{true: "true", false: "false"}[e.permalink]
			if it.GUID.ID != e.guid || it.GUID.IsPermaLink != wantPerma {
				t.Errorf("item %d guid = %q isPermaLink=%q, want %q %q", i, it.GUID.ID, it.GUID.IsPermaLink, e.guid, wantPerma)
			}
			if it.Source.URL == "" || it.Source.Title != e.src.title {
				t.Errorf("item %d source = %q %q, want a url and %q", i, it.Source.URL, it.Source.Title, e.src.title)
			}
			if strings.Join(it.Categories, "|") != strings.Join(e.categories, "|") {
				t.Errorf("item %d categories = %q, want %q", i, it.Categories, e.categories)
			}
		}
	})

	t.Run("atom", func(t *testing.T) {
		var doc struct {
			ID      string `xml:"id"`
			Updated string `xml:"updated"`
			Links   []struct {
				Href string `xml:"href,attr"`
				Rel  string `xml:"rel,attr"`
			} `xml:"link"`
			Entries []struct {
				ID      string `xml:"id"`
				Updated string `xml:"updated"`
				Summary struct {
					Type string `xml:"type,attr"`
					Text string `xml:",chardata"`
				} `xml:"summary"`
				Source struct {
					Title string `xml:"title"`
				} `xml:"source"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal(r.bodies[0][formatAtom].plain.data, &doc); err != nil {
			t.Fatalf("Atom does not parse: %v", err)
		}
		if doc.ID != "tag:news.example.org,2025:ticker/main" || doc.Updated == "" {
			t.Errorf("feed id, updated = %q, %q", doc.ID, doc.Updated)
		}
		rels := map[string]string{}
		for _, l := range doc.Links {
			rels[l.Rel] = l.Href
		}
		if rels["self"] != "https://news.example.org/feed.atom" || rels["alternate"] != "https://news.example.org/" {
			t.Errorf("feed links = %v", rels)
		}
		for i, e := range doc.Entries {
			if e.ID != v.entries[i].id || e.Updated == "" || e.Source.Title != v.entries[i].src.title {
				t.Errorf("entry %d: id %q updated %q source %q", i, e.ID, e.Updated, e.Source.Title)
			}
			if v.entries[i].summary != "" && v.entries[i].link != "" && (e.Summary.Type != "html" || e.Summary.Text != v.entries[i].summary) {
				t.Errorf("entry %d summary = %s %q", i, e.Summary.Type, e.Summary.Text)
			}
		}
	})

	t.Run("json", func(t *testing.T) {
		var doc map[string]any
		if err := json.Unmarshal(r.bodies[0][formatJSON].plain.data, &doc); err != nil {
			t.Fatalf("JSON Feed does not parse: %v", err)
		}
		if doc["version"] != "https://jsonfeed.org/version/1.1" || doc["feed_url"] != "https://news.example.org/feed.json" {
			t.Errorf("version, feed_url = %v, %v", doc["version"], doc["feed_url"])
		}
		items := doc["items"].([]any)
		for i, x := range items {
			it := x.(map[string]any)
			if it["id"] == "" || it["id"] != v.entries[i].guid {
				t.Errorf("item %d id = %v, want %q", i, it["id"], v.entries[i].guid)
			}
			ext := it["_tickerd"].(map[string]any)
			if ext["source"] != v.entries[i].src.name || ext["source_title"] != v.entries[i].src.title || ext["source_url"] == "" {
				t.Errorf("item %d _tickerd = %v", i, ext)
			}
			if it["content_html"] == nil && it["content_text"] == nil {
				t.Errorf("item %d has neither content_html nor content_text", i)
			}
		}
	})

	t.Run("json empty items", func(t *testing.T) {
		var doc map[string]any
		if err := json.Unmarshal(r.bodies[2][formatJSON].plain.data, &doc); err != nil {
			t.Fatal(err)
		}
		items, ok := doc["items"].([]any)
		if !ok || len(items) != 0 {
			t.Errorf(`empty ticker "items" = %#v, want []`, doc["items"])
		}
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

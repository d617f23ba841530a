package feed

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"tickerd/match"
	"tickerd/store"
)

// news is one headline for the selection tests: source, title, summary,
// minutes before seen.
type news struct {
	src, title, summary string
	ago                 int
}

var selectionNews = []news{
	{"wire-ar", "مساعدات لغزة عبر معبر رفح", "", 1},
	{"wire-ar", "وغزة تستقبل قافلة جديدة", "", 2},
	{"wire-ar", "ريال مدريد يفوز بركلات الترجيح", "", 3},
	{"wire-ar", "قَصْفٌ على غَزَّةَ", "", 4},
	{"wire-ar", "إرتفاع أسعار النفط", "", 5},
	{"wire-ar", "عاجل: زلزال في تركيا", "", 6},
	{"wire-en", "Gaza aid convoy arrives", "", 7},
	{"wire-en", "Gazan families return home", "", 8},
	{"wire-en", "Markets rally", `<p>Oil prices in <b>Gaza</b> rise &amp; fall</p>`, 9},
	{"wire-en", "Video: Gaza strikes", "", 10},
	{"sport-en", "Penalties decide the final", "", 11},
	{"sport-ar", "المنتخب يتأهل بالترجيح", "", 12},
}

var selectionTags = map[string][]string{
	"wire-ar":  {"wires", "ar"},
	"wire-en":  {"wires"},
	"sport-en": {"sport"},
	"sport-ar": {"sport", "ar"},
	"other":    {"misc"},
}

// newsStore stores selectionNews in a real store, each source with a
// language.
func newsStore(t testing.TB, list []news) *countingStore {
	t.Helper()
	bolt := openTestStore(t)
	bySrc := map[string][]store.Item{}
	var order []string
	for i, n := range list {
		if bySrc[n.src] == nil {
			order = append(order, n.src)
		}
		bySrc[n.src] = append(bySrc[n.src], store.Item{
			Source: n.src, ID: fmt.Sprintf("%s-%d", n.src, i), Title: n.title, Summary: n.summary,
			Published: seen.Add(-time.Duration(n.ago) * time.Minute),
		})
	}
	for _, src := range order {
		lang := "en"
		if strings.HasSuffix(src, "-ar") {
			lang = "ar"
		}
		if _, err := bolt.Ingest(context.Background(), store.SourceState{Name: src, Lang: lang}, bySrc[src]); err != nil {
			t.Fatal(err)
		}
	}
	return &countingStore{Store: bolt}
}

// jsonTitles fetches a JSON feed and returns its items as "source: title".
func jsonTitles(t *testing.T, h http.Handler, path string) []string {
	t.Helper()
	rec := serve(t, h, "GET", path)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
	}
	var doc struct {
		Items []struct {
			Title   string `json:"title"`
			Tickerd struct {
				Source string `json:"source"`
			} `json:"_tickerd"`
		} `json:"items"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	out := []string{}
	for _, it := range doc.Items {
		out = append(out, it.Tickerd.Source+": "+it.Title)
	}
	return out
}

func TestTickerSelection(t *testing.T) {
	st := newsStore(t, selectionNews)
	tickers := []Ticker{
		{Name: "all", Limit: 100},
		{Name: "by-source", Sources: []string{"sport-en", "sport-ar"}},
		{Name: "gaza", Include: []string{"غزة", "gaza"}},
		{Name: "gaza-clean", Include: []string{"غزة", "gaza"}, Exclude: []string{"قافلة"}, ExcludeRegex: `(?i)^video\b`},
		{Name: "conflict", Include: []string{"gaza"}, Exclude: []string{"gaza"}},
		{Name: "penalties", Include: []string{"الترجيح", "penalties"}},
		{Name: "alef", Include: []string{"ارتفاع", "زلزال"}},
		{Name: "label", Include: []string{"عاجل"}},
		{Name: "regex", IncludeRegex: `^(Gaza|Markets)\b`},
		{Name: "regex-and-words", IncludeRegex: `^Penalties`, Include: []string{"قصف"}},
		{Name: "arabic", Lang: "ar"},
		{Name: "attributed", Sources: []string{"sport-en"}, TitleFormat: "[{source}] {title}"},
	}
	s := newTestServer(t, st, &Options{Tickers: tickers, SourceTags: selectionTags})
	s.now = func() time.Time { return seen }
	h := s.Handler()
	tests := []struct {
		ticker string
		want   []string
	}{
		{"by-source", []string{"sport-en: Penalties decide the final", "sport-ar: المنتخب يتأهل بالترجيح"}},
		{"gaza", []string{
			"wire-ar: مساعدات لغزة عبر معبر رفح", // ل
			"wire-ar: وغزة تستقبل قافلة جديدة",   // و
			"wire-ar: قَصْفٌ على غَزَّةَ",        // diacritics
			"wire-en: Gaza aid convoy arrives",
			"wire-en: Markets rally", // in the summary's text
			"wire-en: Video: Gaza strikes",
		}},
		{"gaza-clean", []string{
			"wire-ar: مساعدات لغزة عبر معبر رفح",
			"wire-ar: قَصْفٌ على غَزَّةَ",
			"wire-en: Gaza aid convoy arrives",
			"wire-en: Markets rally",
		}},
		{"conflict", []string{}}, // exclude wins
		{"penalties", []string{
			"wire-ar: ريال مدريد يفوز بركلات الترجيح",
			"sport-en: Penalties decide the final",
			"sport-ar: المنتخب يتأهل بالترجيح", // ب before the article
		}},
		{"alef", []string{"wire-ar: إرتفاع أسعار النفط", "wire-ar: عاجل: زلزال في تركيا"}},
		{"label", []string{"wire-ar: عاجل: زلزال في تركيا"}},
		{"regex", []string{"wire-en: Gaza aid convoy arrives", "wire-en: Markets rally"}},
		{"regex-and-words", []string{"wire-ar: قَصْفٌ على غَزَّةَ", "sport-en: Penalties decide the final"}},
		{"arabic", []string{
			"wire-ar: مساعدات لغزة عبر معبر رفح",
			"wire-ar: وغزة تستقبل قافلة جديدة",
			"wire-ar: ريال مدريد يفوز بركلات الترجيح",
			"wire-ar: قَصْفٌ على غَزَّةَ",
			"wire-ar: إرتفاع أسعار النفط",
			"wire-ar: عاجل: زلزال في تركيا",
			"sport-ar: المنتخب يتأهل بالترجيح",
		}},
		{"attributed", []string{"sport-en: [sport-en] \u2068Penalties decide the final\u2069"}},
	}
	for _, tt := range tests {
		t.Run(tt.ticker, func(t *testing.T) {
			got := jsonTitles(t, h, "/t/"+tt.ticker+".json")
			if !slices.Equal(got, tt.want) {
				t.Errorf("GET /t/%s.json =\n%q\nwant\n%q", tt.ticker, got, tt.want)
			}
		})
	}
	if got := jsonTitles(t, h, "/feed.json"); len(got) != len(selectionNews) {
		t.Errorf("ticker all shows %d items, want %d", len(got), len(selectionNews))
	}
}

// TestFormatTitleIsolates: the title and the source's title are isolated
// in a title_format, balanced inside, so what the format puts after them
// keeps its direction whatever they hold.
func TestFormatTitleIsolates(t *testing.T) {
	src := &source{name: "wire", title: "الجزيرة"}
	tests := []struct{ name, format, title, want string }{
		{"no format", "", "Plain", "Plain"},
		{"plain", "{title} | via {source}", "Plain", "\u2068Plain\u2069 | via wire"},
		{"override closed inside", "{title} | via {source}", "evil \u202Eetouq", "\u2068evil \u202Eetouq\u202C\u2069 | via wire"},
		{"stray pdi cannot end the isolate", "{title} | {source}", "a\u2069\u202Eb", "\u2068a\u202Eb\u202C\u2069 | wire"},
		{"source title isolated", "[{source_title}] {title}", "Gaza", "[\u2068الجزيرة\u2069] \u2068Gaza\u2069"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := formatTitle(tt.format, tt.title, src)
			if got != tt.want {
				t.Errorf("formatTitle(%q, %+q) = %+q, want %+q", tt.format, tt.title, got, tt.want)
			}
			if !match.BidiBalanced(got) {
				t.Errorf("formatTitle(%q, %+q) = %+q is not balanced", tt.format, tt.title, got)
			}
		})
	}
}

func TestNewRejectsBadFilters(t *testing.T) {
	tests := []struct {
		name string
		t    Ticker
		want string
	}{
		{"empty keyword", Ticker{Name: "a", Include: []string{"!!"}}, `include "!!": keyword has no letters`},
		{"bad regex", Ticker{Name: "a", ExcludeRegex: "(a"}, "exclude regex: error parsing regexp"},
		{"negative max age", Ticker{Name: "a", MaxAge: -time.Second}, "max age -1s: negative"},
		{"negative per source", Ticker{Name: "a", MaxPerSource: -1}, "max per source -1: negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(newFakeStore(nil), &Options{Tickers: []Ticker{tt.t}}, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New(%+v) error = %v, want it to contain %q", tt.t, err, tt.want)
			}
		})
	}
}

// TestFairness: one source publishing 100 items and nine publishing 2
// each. Newest first, the busy one fills the strip; a per-source cap or
// the interleave order shows all ten.
func TestFairness(t *testing.T) {
	var list []news
	for i := range 100 {
		list = append(list, news{"busy", fmt.Sprintf("busy %d", i), "", i})
	}
	for q := range 9 {
		for i := range 2 {
			list = append(list, news{fmt.Sprintf("quiet%d", q), fmt.Sprintf("quiet%d %d", q, i), "", 200 + 10*q + i})
		}
	}
	st := newsStore(t, list)
	s := newTestServer(t, st, &Options{Tickers: []Ticker{
		{Name: "newest", Limit: 10},
		{Name: "capped", Limit: 20, MaxPerSource: 2},
		{Name: "interleaved", Limit: 10, Interleave: true},
		{Name: "both", Limit: 30, MaxPerSource: 1, Interleave: true},
	}})
	h := s.Handler()
	sources := func(items []string) []string {
		var out []string
		for _, it := range items {
			src, _, _ := strings.Cut(it, ":")
			if !slices.Contains(out, src) {
				out = append(out, src)
			}
		}
		return out
	}
	tests := []struct {
		ticker  string
		items   int
		sources int
	}{
		{"newest", 10, 1},
		{"capped", 20, 10},
		{"interleaved", 10, 10},
		{"both", 10, 10},
	}
	for _, tt := range tests {
		got := jsonTitles(t, h, "/t/"+tt.ticker+".json")
		if len(got) != tt.items || len(sources(got)) != tt.sources {
			t.Errorf("ticker %s: %d items from %d sources, want %d from %d: %q", tt.ticker, len(got), len(sources(got)), tt.items, tt.sources, got)
		}
	}
	got := jsonTitles(t, h, "/t/interleaved.json")
	if got[0] != "busy: busy 0" || got[1] != "quiet0: quiet0 0" || got[9] != "quiet8: quiet8 0" {
		t.Errorf("interleaved order = %q, want busy 0, then each quiet source's newest in turn", got)
	}
}

// TestMaxAge: a ticker drops what is older than its max_age, and an item
// ageing out renders the ticker again without any change in the store.
func TestMaxAge(t *testing.T) {
	st := newsStore(t, []news{
		{"wire-en", "one hour old", "", 60},
		{"wire-en", "two hours old", "", 120},
		{"wire-en", "five hours old", "", 300},
	})
	s := newTestServer(t, st, &Options{Tickers: []Ticker{{Name: "breaking", MaxAge: 3 * time.Hour}}})
	now := seen
	s.now = func() time.Time { return now }
	h := s.Handler()
	want := []string{"wire-en: one hour old", "wire-en: two hours old"}
	if got := jsonTitles(t, h, "/feed.json"); !slices.Equal(got, want) {
		t.Errorf("at seen: %q, want %q", got, want)
	}
	calls := st.recents.Load()
	now = seen.Add(30 * time.Minute)
	if got := jsonTitles(t, h, "/feed.json"); !slices.Equal(got, want) || st.recents.Load() != calls {
		t.Errorf("30 minutes later: %q after %d queries, want %q from memory", got, st.recents.Load()-calls, want)
	}
	now = seen.Add(61 * time.Minute)
	if got := jsonTitles(t, h, "/feed.json"); !slices.Equal(got, want[:1]) {
		t.Errorf("61 minutes later: %q, want %q", got, want[:1])
	}
	now = seen.Add(3 * time.Hour)
	if got := jsonTitles(t, h, "/feed.json"); len(got) != 0 {
		t.Errorf("3 hours later: %q, want nothing", got)
	}

	// The JSON Feed tells the max_age, which the widget ages headlines
	// out by; a ticker without one says nothing.
	for _, tc := range []struct {
		age  time.Duration
		want string
	}{{3 * time.Hour, `"_tickerd":{"max_age":10800}`}, {0, ""}} {
		s := newTestServer(t, st, &Options{Tickers: []Ticker{{Name: "t", MaxAge: tc.age}}})
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(serve(t, s.Handler(), "GET", "/feed.json").Body.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		got := ""
		if ext, ok := doc["_tickerd"]; ok {
			var b bytes.Buffer
			json.Compact(&b, ext)
			got = `"_tickerd":` + b.String()
		}
		if got != tc.want {
			t.Errorf("max_age %v: feed-level extension %s, want %s", tc.age, got, tc.want)
		}
	}
}

func TestQueryParameters(t *testing.T) {
	st := newsStore(t, selectionNews)
	s := newTestServer(t, st, &Options{
		Tickers: []Ticker{
			{Name: "all", Limit: 10},
			{Name: "wires", Sources: []string{"wire-ar", "wire-en"}},
		},
		SourceTags: selectionTags,
	})
	s.now = func() time.Time { return seen }
	h := s.Handler()
	since := seen.Add(-3*time.Minute - time.Second).Format(time.RFC3339)
	tests := []struct {
		name, path string
		want       []string // "*N" means N items
	}{
		{"limit", "/feed.json?limit=2", []string{"wire-ar: مساعدات لغزة عبر معبر رفح", "wire-ar: وغزة تستقبل قافلة جديدة"}},
		{"limit capped by the ticker", "/feed.json?limit=500", []string{"*10"}},
		{"source", "/feed.json?source=sport-en", []string{"sport-en: Penalties decide the final"}},
		{"sources comma-separated", "/feed.json?source=sport-en,sport-ar", []string{"sport-en: Penalties decide the final", "sport-ar: المنتخب يتأهل بالترجيح"}},
		{"sources repeated", "/feed.json?source=sport-ar&source=sport-en", []string{"sport-en: Penalties decide the final", "sport-ar: المنتخب يتأهل بالترجيح"}},
		{"tag", "/feed.json?tag=sport", []string{"sport-en: Penalties decide the final", "sport-ar: المنتخب يتأهل بالترجيح"}},
		{"tag within the ticker", "/t/wires.json?tag=ar&limit=1", []string{"wire-ar: مساعدات لغزة عبر معبر رفح"}},
		{"source or tag", "/feed.json?tag=sport&source=wire-en&limit=3", []string{"wire-en: Gaza aid convoy arrives", "wire-en: Gazan families return home", "wire-en: Markets rally"}},
		{"q arabic", "/feed.json?q=" + "%D8%BA%D8%B2%D8%A9", []string{"wire-ar: مساعدات لغزة عبر معبر رفح", "wire-ar: وغزة تستقبل قافلة جديدة", "wire-ar: قَصْفٌ على غَزَّةَ"}},
		{"q english", "/feed.json?q=GAZA&source=wire-en", []string{"wire-en: Gaza aid convoy arrives", "wire-en: Markets rally", "wire-en: Video: Gaza strikes"}},
		{"q twice means both", "/feed.json?q=gaza&q=aid", []string{"wire-en: Gaza aid convoy arrives"}},
		{"since", "/feed.json?since=" + since, []string{"*3"}},
		{"unknown parameters ignored", "/feed.json?_=12345", []string{"*10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := jsonTitles(t, h, tt.path)
			if n, ok := strings.CutPrefix(tt.want[0], "*"); ok {
				if fmt.Sprint(len(got)) != n {
					t.Errorf("GET %s: %d items, want %s: %q", tt.path, len(got), n, got)
				}
				return
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("GET %s =\n%q\nwant\n%q", tt.path, got, tt.want)
			}
		})
	}

	bad := []struct {
		name, path, want string
	}{
		{"limit zero", "/feed.rss?limit=0", "limit: "},
		{"limit word", "/feed.atom?limit=ten", "limit: "},
		{"limit negative", "/t/wires.json?limit=-5", "limit: "},
		{"unknown source", "/feed.rss?source=nosuch", `source: no source named "nosuch"`},
		{"source outside the ticker", "/t/wires.rss?source=sport-en", `source: "sport-en" is not a source of ticker "wires"`},
		{"unknown tag", "/feed.rss?tag=nosuch", `tag: no source has the tag "nosuch"`},
		{"tag outside the ticker", "/t/wires.rss?tag=sport", `tag: no source of ticker "wires" has the tag "sport"`},
		{"empty keyword", "/feed.json?q=%21%21", "q: "},
		{"since not a time", "/feed.json?since=yesterday", "since: "},
		{"since without zone", "/feed.json?since=2025-01-19T09:00:00", "since: "},
		{"bad escape", "/feed.json?q=%zz", "query string"},
		{"too long", "/feed.json?q=" + strings.Repeat("a", 3000), "query string longer"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(t, h, "GET", tt.path)
			if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), tt.want) {
				t.Errorf("GET %s: %d %q, want 400 naming %q", tt.path, rec.Code, rec.Body.String(), tt.want)
			}
		})
	}

	plain := serve(t, h, "GET", "/feed.rss")
	if busted := serve(t, h, "GET", "/feed.rss?_=1"); busted.Header().Get("ETag") != plain.Header().Get("ETag") {
		t.Error("an unknown parameter changed the body")
	}
}

// TestVariantCache: a variant renders once, is shared by URLs that
// select the same, and renders again only after a change to its ticker.
func TestVariantCache(t *testing.T) {
	st := newFakeStore(fixtureItems(), fixtureStates()...)
	s := newTestServer(t, st, fixtureOptions())
	h := s.Handler()
	a := serve(t, h, "GET", "/feed.rss?source=wire&limit=1")
	calls := st.recents.Load()
	b := serve(t, h, "GET", "/feed.rss?limit=1&source=wire&_=x")
	if st.recents.Load() != calls || a.Header().Get("ETag") != b.Header().Get("ETag") {
		t.Errorf("the same variant asked twice made %d more queries, ETags %s and %s", st.recents.Load()-calls, a.Header().Get("ETag"), b.Header().Get("ETag"))
	}
	if !strings.Contains(a.Body.String(), `/feed.rss?limit=1&amp;source=wire"`) {
		t.Errorf("variant's self link does not carry its query:\n%s", a.Body)
	}
	// A change to another ticker's source leaves it alone.
	st.add(seen.Add(time.Hour), store.Item{Source: "nosuch", ID: "x", Title: "x", FirstSeen: seen})
	serve(t, h, "GET", "/feed.rss?source=wire&limit=1")
	if st.recents.Load() != calls+1 { // the default ticker holds every source: one query
		t.Errorf("after a change: %d queries, want 1", st.recents.Load()-calls)
	}
	serve(t, h, "GET", "/t/arabic.rss?limit=1")
	calls = st.recents.Load()
	st.add(seen.Add(2*time.Hour), store.Item{Source: "wire", ID: "y", Title: "y", FirstSeen: seen})
	serve(t, h, "GET", "/t/arabic.rss?limit=1")
	if st.recents.Load() != calls {
		t.Errorf("a wire item re-rendered the arabic ticker's variant")
	}
}

// TestTouchesOnlyMatchingTickers: a new item re-renders the tickers whose
// sources and filters it passes, and no other.
func TestTouchesOnlyMatchingTickers(t *testing.T) {
	st := newFakeStore(nil, fixtureStates()...)
	s := newTestServer(t, st, &Options{Tickers: []Ticker{
		{Name: "main"},
		{Name: "gaza", Include: []string{"غزة"}},
		{Name: "wire", Sources: []string{"wire"}},
		{Name: "old", MaxAge: time.Hour},
	}})
	s.now = func() time.Time { return seen }
	for i := range s.tickers {
		s.tickerBodies(context.Background(), i)
	}
	builds := s.builds.Load()
	rebuilt := func() []string {
		var out []string
		for i := range s.tickers {
			n := s.builds.Load()
			s.tickerBodies(context.Background(), i)
			if s.builds.Load() != n {
				out = append(out, s.tickers[i].Name)
			}
		}
		return out
	}
	tests := []struct {
		item store.Item
		want []string
	}{
		{store.Item{Source: "aljazeera", ID: "1", Title: "وصول المساعدات لغزة", Published: seen}, []string{"main", "gaza", "old"}},
		{store.Item{Source: "aljazeera", ID: "2", Title: "أسعار النفط", Published: seen}, []string{"main", "old"}},
		{store.Item{Source: "wire", ID: "3", Title: "Old news", Published: seen.Add(-2 * time.Hour)}, []string{"main", "wire"}},
	}
	for _, tt := range tests {
		st.add(seen, tt.item)
		if got := rebuilt(); !slices.Equal(got, tt.want) {
			t.Errorf("after %q from %s: re-rendered %q, want %q", tt.item.Title, tt.item.Source, got, tt.want)
		}
	}
	if n := s.builds.Load() - builds; n != 7 {
		t.Errorf("%d renders, want 7", n)
	}
}

func TestUnknownTicker(t *testing.T) {
	h := newTestServer(t, newFakeStore(nil), fixtureOptions()).Handler()
	tests := []struct{ path, want string }{
		{"/t/nosuch.rss", `no ticker named "nosuch"`},
		{"/t/main.xml", `no format "xml"`},
		{"/t/main", "end in .rss, .atom or .json"},
	}
	for _, tt := range tests {
		rec := serve(t, h, "GET", tt.path)
		if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), tt.want) {
			t.Errorf("GET %s: %d %q, want 404 saying %q", tt.path, rec.Code, rec.Body.String(), tt.want)
		}
	}
}

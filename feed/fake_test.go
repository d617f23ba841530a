package feed

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"tickerd/store"
)

// fakeStore is an in-memory Store that counts the queries it answers.
type fakeStore struct {
	mu         sync.Mutex // guards items, states, err and lastChange
	items      []store.Item
	states     map[string]store.SourceState
	err        error
	lastChange time.Time

	version atomic.Uint64
	recents atomic.Int64 // Recent calls, failed ones included
}

func newFakeStore(items []store.Item, states ...store.SourceState) *fakeStore {
	f := &fakeStore{states: make(map[string]store.SourceState)}
	for _, st := range states {
		f.states[st.Name] = st
	}
	f.set(time.Date(2025, 1, 19, 9, 30, 0, 0, time.UTC), items...)
	return f
}

// set replaces the items as one change made at time at.
func (f *fakeStore) set(at time.Time, items ...store.Item) {
	f.mu.Lock()
	f.items = slices.Clone(items)
	f.lastChange = at
	f.mu.Unlock()
	f.version.Add(1)
}

func (f *fakeStore) fail(err error) {
	f.mu.Lock()
	f.err = err
	f.mu.Unlock()
}

// Recent answers like store.Store.Recent: newest first by Item.Time.
func (f *fakeStore) Recent(_ context.Context, q store.Query) ([]store.Item, error) {
	f.recents.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	var out []store.Item
	for _, it := range f.items {
		if q.Sources == nil || slices.Contains(q.Sources, it.Source) {
			out = append(out, it)
		}
	}
	slices.SortStableFunc(out, func(a, b store.Item) int { return b.Time().Compare(a.Time()) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (f *fakeStore) State(name string) (store.SourceState, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st, ok := f.states[name]
	return st, ok
}

func (f *fakeStore) Version() uint64 { return f.version.Load() }

func (f *fakeStore) LastChange() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lastChange
}

var seen = time.Date(2025, 1, 19, 9, 0, 0, 0, time.UTC)

// fixtureItems covers what the encoders must get right: Arabic and mixed
// right-to-left text, a GUID that is the link, items without GUID or
// link, HTML summaries, & < and quotes in titles, categories (one
// repeated), characters XML cannot carry, and dates in the future.
func fixtureItems() []store.Item {
	riyadh := time.FixedZone("AST", 3*3600)
	return []store.Item{
		{
			Source: "aljazeera", ID: "https://www.aljazeera.net/news/2025/1/19/ceasefire",
			GUID:       "https://www.aljazeera.net/news/2025/1/19/ceasefire",
			Link:       "https://www.aljazeera.net/news/2025/1/19/ceasefire",
			Title:      "عاجل: وقف إطلاق النار يدخل حيز التنفيذ في غزة",
			Summary:    `<p dir="rtl" lang="ar">دخل اتفاق وقف إطلاق النار حيز التنفيذ صباح <b>الأحد</b>.</p>`,
			Categories: []string{"أخبار", "سياسة"},
			Lang:       "ar",
			Published:  time.Date(2025, 1, 19, 11, 30, 0, 0, riyadh),
			FirstSeen:  seen,
		},
		{
			Source: "aljazeera", ID: "aj-20250119-g20", GUID: "aj-20250119-g20",
			Link:      "https://www.aljazeera.net/news/2025/1/19/g20",
			Title:     "قمة G20 في الرياض: Saudi Arabia hosts leaders",
			Summary:   `<p dir="rtl">القادة يصلون إلى <a href="https://www.aljazeera.net/">الرياض</a> for the summit</p>`,
			Author:    "مراسل الجزيرة",
			Lang:      "ar",
			Published: time.Date(2025, 1, 19, 8, 15, 0, 500, time.UTC),
			FirstSeen: seen,
		},
		{
			Source: "wire", ID: "https://wire.example.com/2025/01/att?ref=rss&x=1",
			Link:       "https://wire.example.com/2025/01/att?ref=rss&x=1",
			Title:      `AT&T <Q3> results beat "estimates"`,
			Summary:    `<p>Shares rose <a href="https://wire.example.com/att">5%</a> &amp; more.</p>`,
			Author:     "Jane Roe",
			Categories: []string{"Business", "Tech", "Business", " "},
			Lang:       "en",
			Published:  time.Date(2025, 1, 19, 7, 0, 0, 0, time.UTC),
			Updated:    time.Date(2025, 1, 19, 8, 45, 0, 0, time.UTC),
			FirstSeen:  seen,
		},
		{
			Source: "wire", ID: "wire-future", GUID: "wire-future",
			Link:      "https://wire.example.com/future",
			Title:     "Dated in the future",
			Summary:   "<p>Its dates are typos.</p>",
			Lang:      "en_US",
			Published: time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC),
			Updated:   time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC),
			FirstSeen: seen.Add(-3 * time.Hour),
		},
		{
			Source: "local", ID: "h:5d41402abc4b2a76",
			Link:      "demo/item.html",
			Title:     "Breaking\x00 news\x1b with \xff bad bytes\uFFFE",
			FirstSeen: seen.Add(-4 * time.Hour),
		},
	}
}

func fixtureStates() []store.SourceState {
	return []store.SourceState{
		{
			Name: "aljazeera", URL: "https://www.aljazeera.net/aljazeerarss/all.xml",
			Title: "الجزيرة نت", Link: "https://www.aljazeera.net/", Lang: "ar",
		},
		{
			Name: "wire", URL: "https://wire.example.com/feed.xml",
			Title: "Example Wire", Link: "https://wire.example.com/", Lang: "en",
		},
		// A local source: its URL is a path, so no reader could use it.
		{Name: "local", URL: "demo/headlines.xml"},
	}
}

func fixtureOptions() *Options {
	return &Options{
		BaseURL: "https://news.example.org/",
		Tickers: []Ticker{
			{Name: "main", Title: "Headlines & more"},
			{
				Name: "arabic", Title: "عاجل", Description: "أهم الأخبار",
				Link: "https://news.example.org/ar/", Sources: []string{"aljazeera"}, Lang: "ar",
			},
			{Name: "empty", Sources: []string{"nosuch"}},
		},
		MaxAge: 5 * time.Minute,
	}
}

func storeQuery(t *ticker) store.Query {
	return store.Query{Sources: t.Sources, Limit: t.Limit}
}

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
// It keeps a change log like the store's: set logs every item it is given
// as updated, add as added; trim makes the log forget what it held.
type fakeStore struct {
	mu         sync.Mutex // guards items, states, err, lastChange, log, trimmed and changed
	items      []store.Item
	states     map[string]store.SourceState
	err        error
	lastChange time.Time
	log        []store.Change
	trimmed    uint64        // Changes after a seq below this are gone
	changed    chan struct{} // closed and replaced at every change

	version atomic.Uint64 // the last seq
	recents atomic.Int64  // Recent calls, failed ones included
	reads   atomic.Int64  // Changes calls
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
	f.logLocked(store.OpUpdated, items)
	f.lastChange = at
	f.mu.Unlock()
}

// add stores more items as one change made at time at.
func (f *fakeStore) add(at time.Time, items ...store.Item) {
	f.mu.Lock()
	f.items = append(f.items, items...)
	f.logLocked(store.OpAdded, items)
	f.lastChange = at
	f.mu.Unlock()
}

func (f *fakeStore) logLocked(op store.Op, items []store.Item) {
	seq := f.version.Load()
	if len(items) == 0 {
		// A change nobody can see, such as removing everything.
		seq++
		f.log = append(f.log, store.Change{Seq: seq, Op: store.OpRemoved})
	}
	for _, it := range items {
		seq++
		f.log = append(f.log, store.Change{Seq: seq, Op: op, Item: it})
	}
	f.version.Store(seq)
	if f.changed != nil {
		close(f.changed)
	}
	f.changed = make(chan struct{})
}

// remove drops the items with the given ids as one change each.
func (f *fakeStore) remove(at time.Time, ids ...string) {
	f.mu.Lock()
	var gone []store.Item
	f.items = slices.DeleteFunc(f.items, func(it store.Item) bool {
		if slices.Contains(ids, it.ID) {
			gone = append(gone, store.Item{Source: it.Source, ID: it.ID, GUID: it.GUID, Link: it.Link, Title: it.Title})
			return true
		}
		return false
	})
	f.logLocked(store.OpRemoved, gone)
	f.lastChange = at
	f.mu.Unlock()
}

// Changed answers like store.Store.Changed.
func (f *fakeStore) Changed() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.changed
}

// trim forgets the log up to now, as the store does past its bound.
func (f *fakeStore) trim() {
	f.mu.Lock()
	f.trimmed = f.version.Load()
	f.log = nil
	f.mu.Unlock()
}

func (f *fakeStore) fail(err error) {
	f.mu.Lock()
	f.err = err
	f.mu.Unlock()
}

// Recent answers like store.Store.Recent.
func (f *fakeStore) Recent(_ context.Context, q store.Query) ([]store.Item, error) {
	f.recents.Add(1)
	// The lock is released before q.Match runs: the real store calls Match
	// with no lock held, and callers' Match may ask State.
	f.mu.Lock()
	if f.err != nil {
		f.mu.Unlock()
		return nil, f.err
	}
	var out []store.Item
	for _, it := range f.items {
		if q.Sources == nil || slices.Contains(q.Sources, it.Source) {
			out = append(out, it)
		}
	}
	f.mu.Unlock()
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	slices.SortStableFunc(out, func(a, b store.Item) int { return b.Time().Compare(a.Time()) })
	taken := make(map[string]int)
	kept := out[:0]
	for _, it := range out {
		if it.Time().Before(q.Since) || q.Match != nil && !q.Match(&it) ||
			q.PerSource > 0 && taken[it.Source] >= q.PerSource {
			continue
		}
		taken[it.Source]++
		kept = append(kept, it)
	}
	out = kept
	if q.Interleave {
		out = roundRobin(out)
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// roundRobin reorders newest-first items by source, round by round.
func roundRobin(items []store.Item) []store.Item {
	var order []string
	by := make(map[string][]store.Item)
	for _, it := range items {
		if by[it.Source] == nil {
			order = append(order, it.Source)
		}
		by[it.Source] = append(by[it.Source], it)
	}
	var out []store.Item
	for r := 0; len(out) < len(items); r++ {
		for _, src := range order {
			if r < len(by[src]) {
				out = append(out, by[src][r])
			}
		}
	}
	return out
}

func (f *fakeStore) Seq() uint64 { return f.version.Load() }

// Changes answers like store.Store.Changes.
func (f *fakeStore) Changes(_ context.Context, after uint64, limit int) ([]store.Change, error) {
	f.reads.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	if after < f.trimmed || after > f.version.Load() {
		return nil, store.ErrChangesTrimmed
	}
	var out []store.Change
	for _, c := range f.log {
		if c.Seq > after && len(out) < limit {
			out = append(out, c)
		}
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

// Actions reports no desk actions: the desk is tested on the real store.
func (f *fakeStore) Actions(context.Context) ([]store.Action, error) { return nil, nil }

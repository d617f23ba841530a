// Package storetest is the contract every store.Backend keeps: tests
// derived from what the bbolt store's own tests check, written against the
// interface only, so that each backend (bbolt, PostgreSQL) runs the same
// suite from its own test file:
//
//	func TestContract(t *testing.T) { storetest.Run(t, openMine) }
//
// A test here must hold for every backend; what only one backend can show
// (bbolt's file layout, PostgreSQL's several writers) stays in that
// backend's own tests.
package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"tickerd/store"
)

// Config is what a contract test asks of the backend it opens. The
// backend passes each field to its own options.
type Config struct {
	// Now is the backend's clock (store.Options.Now for bbolt).
	Now func() time.Time
	// Dedupe configures cross-source dedupe; the zero value turns it off.
	Dedupe store.Dedupe
	// ChangeLog bounds the change log; zero means the backend's default.
	ChangeLog int
}

// Opener opens a new, empty backend configured by cfg for one test and
// closes it at the test's end (t.Cleanup). It also returns reopen, which
// closes the backend (what Close writes must then be kept) and opens it
// again on the same data with the same cfg, as a restarted daemon would.
type Opener func(t *testing.T, cfg Config) (b store.Backend, reopen func(t *testing.T) store.Backend)

// Run runs every contract test against the backends open makes.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, Opener)
	}{
		{"IngestUpdatesInPlace", testIngestUpdatesInPlace},
		{"RecentOrderAndBadDates", testRecentOrderAndBadDates},
		{"RecentQueries", testRecentQueries},
		{"RecentInterleaveOrder", testRecentInterleaveOrder},
		{"RestartKeepsItemsAndState", testRestartKeepsItemsAndState},
		{"States", testStates},
		{"MarkStateWritesNothing", testMarkStateWritesNothing},
		{"ChangedSignals", testChangedSignals},
		{"IngestRejectsBadItems", testIngestRejectsBadItems},
		{"InvalidUTF8IsStable", testInvalidUTF8IsStable},
		{"CrossSourceDedupe", testCrossSourceDedupe},
		{"UpdateNeverMergesAway", testUpdateNeverMergesAway},
		{"DedupeOff", testDedupeOff},
		{"ReportsAreBounded", testReportsAreBounded},
		{"ChurnedGUIDsAddNothing", testChurnedGUIDsAddNothing},
		{"SourceSelectionHoldsEveryTelling", testSourceSelectionHoldsEveryTelling},
		{"TellingUpdates", testTellingUpdates},
		{"IngestConcurrentSameStories", testIngestConcurrentSameStories},
		{"ChangeLogRecordsIngest", testChangeLogRecordsIngest},
		{"ChangeLogTrimsAndPersists", testChangeLogTrimsAndPersists},
		{"Prune", testPrune},
		{"PruneBesideIngest", testPruneBesideIngest},
		{"TellingsOutliveTheirStorysItem", testTellingsOutliveTheirStorysItem},
		{"DropSources", testDropSources},
		{"DropSourceAndTellings", testDropSourceAndTellings},
		{"Backup", testBackup},
		{"DeskActions", testDeskActions},
		{"Split", testSplit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open) })
	}
}

// T0 is the contract tests' "now" when they start.
var T0 = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// Clock is a settable time source.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock reading t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now reports the clock's time. It is safe for concurrent use.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Jaccard stands in for match.Similarity: the store only needs some
// measure.
func Jaccard(a, b []string) float64 {
	set := map[string]bool{}
	for _, t := range a {
		set[t] = true
	}
	shared := 0
	for _, t := range b {
		if set[t] {
			shared++
		}
	}
	union := len(a) + len(b) - shared
	if union == 0 {
		return 0
	}
	return float64(shared) / float64(union)
}

// DedupeOn is the dedupe the contract's story tests run with.
var DedupeOn = store.Dedupe{Window: 48 * time.Hour, Threshold: 0.7, Similarity: Jaccard}

// Item builds a plain item, its GUID its id, its link on example.com.
func Item(src, id, title string, pub time.Time) store.Item {
	return store.Item{Source: src, ID: id, GUID: id, Title: title, Link: "https://example.com/" + id, Published: pub}
}

// StoryItem builds an item whose Story is derived crudely from its title:
// lower case words, every word a signature key.
func StoryItem(src, id, title, link string, pub time.Time) store.Item {
	it := Item(src, id, title, pub)
	it.Link = link
	words := strings.Fields(strings.ToLower(title))
	it.Story = &store.Story{Title: strings.Join(words, " "), Link: link, Tokens: words, Keys: words}
	return it
}

// Titles renders items as "source:title".
func Titles(items []store.Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Source + ":" + it.Title
	}
	return out
}

// openPlain opens a backend without dedupe on a clock at T0.
func openPlain(t *testing.T, open Opener) (store.Backend, *Clock) {
	t.Helper()
	c := NewClock(T0)
	b, _ := open(t, Config{Now: c.Now})
	return b, c
}

// openDedupe opens a backend with DedupeOn on a clock at T0.
func openDedupe(t *testing.T, open Opener) (store.Backend, *Clock) {
	t.Helper()
	c := NewClock(T0)
	b, _ := open(t, Config{Now: c.Now, Dedupe: DedupeOn})
	return b, c
}

func mustIngest(t *testing.T, b store.Backend, src string, items ...store.Item) store.IngestResult {
	t.Helper()
	res, err := b.Ingest(context.Background(), store.SourceState{Name: src, URL: "https://" + src + ".example/feed"}, items)
	if err != nil {
		t.Fatalf("Ingest(%s): %v", src, err)
	}
	return res
}

func mustRecent(t *testing.T, b store.Backend, q store.Query) []store.Item {
	t.Helper()
	got, err := b.Recent(context.Background(), q)
	if err != nil {
		t.Fatalf("Recent(%+v): %v", q, err)
	}
	return got
}

func recentIDs(t *testing.T, b store.Backend, q store.Query) []string {
	t.Helper()
	var out []string
	for _, it := range mustRecent(t, b, q) {
		out = append(out, it.Source+":"+it.ID)
	}
	return out
}

func mustChanges(t *testing.T, b store.Backend, after uint64) []store.Change {
	t.Helper()
	chs, err := b.Changes(context.Background(), after, 0)
	if err != nil {
		t.Fatalf("Changes(%d): %v", after, err)
	}
	return chs
}

// changeList renders changes as "seq op source:id title" lines.
func changeList(chs []store.Change) string {
	var b strings.Builder
	for _, ch := range chs {
		fmt.Fprintf(&b, "%d %s %s:%s %s", ch.Seq, ch.Op, ch.Item.Source, ch.Item.ID, ch.Item.Title)
		if n := len(ch.Item.Reports); n > 0 {
			fmt.Fprintf(&b, " +%d", n)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

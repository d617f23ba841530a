package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"tickerd/fetcher"
	"tickerd/internal/pgtest"
	"tickerd/match"
	"tickerd/store"
	"tickerd/store/postgres"
	"tickerd/store/storetest"
)

// matchDedupe is the daemon's matching with the stories' own keys;
// rareDedupe adds keys chosen by rarity, as the daemon has them.
var matchDedupe = store.Dedupe{
	Window: 48 * time.Hour, Threshold: 0.7,
	Similarity: match.Score, Prefilter: match.ScorePrefilter,
}

func rareDedupe() store.Dedupe {
	d := matchDedupe
	d.Keys, d.LookupKeys = match.RareKeys, match.RareLookupKeys
	return d
}

// openAt opens a store on dsn for the test's length, its clock an hour
// past storetest.T0.
func openAt(t testing.TB, dsn string, d store.Dedupe) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), dsn, &postgres.Options{Dedupe: d, Now: func() time.Time { return storetest.T0.Add(time.Hour) }, MaxConns: 12})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestFreshMergeReadsAsAgain: a lookup that adds the entries its own
// transaction wrote to what it read before (freshIndex) finds what
// reading them all again finds, item by item, on feeds whose headlines
// share words, links and titles with each other and with earlier feeds,
// with the real matcher, rarity keys and the 64-candidate cut.
func TestFreshMergeReadsAsAgain(t *testing.T) {
	c := pgtest.Start(t)
	d := rareDedupe()
	t.Run("rare keys", func(t *testing.T) {
		testFreshMerge(t, c, d, freshCorpus(rand.New(rand.NewPCG(7, 21)), 24, 40))
	})
	// Every token a key: common words gather more candidates than a
	// lookup reads (maxCandidates), where merging must give way.
	d.Keys, d.LookupKeys = nil, nil
	feeds := freshCorpus(rand.New(rand.NewPCG(8, 22)), 24, 40)
	for _, f := range feeds {
		for i := range f {
			f[i].Story.Keys = f[i].Story.Tokens
		}
	}
	t.Run("every token a key", func(t *testing.T) { testFreshMerge(t, c, d, feeds) })
}

func testFreshMerge(t *testing.T, c *pgtest.Cluster, d store.Dedupe, feeds [][]store.Item) {
	ctx := context.Background()
	run := func(noFresh bool) (results []store.IngestResult, items []string) {
		*postgres.NoFresh = noFresh
		defer func() { *postgres.NoFresh = false }()
		s := openAt(t, c.NewDatabase(t), d)
		for i, f := range feeds {
			res, err := s.Ingest(ctx, store.SourceState{Name: f[0].Source}, f)
			if err != nil {
				t.Fatalf("feed %d: %v", i, err)
			}
			results = append(results, res)
		}
		return results, storyLines(t, s)
	}
	wantRes, wantItems := run(true)
	gotRes, gotItems := run(false)
	merged := 0
	for i := range wantRes {
		merged += wantRes[i].Duplicate
		if gotRes[i] != wantRes[i] {
			t.Errorf("feed %d: %+v, reading again gives %+v", i, gotRes[i], wantRes[i])
		}
	}
	for i := range max(len(gotItems), len(wantItems)) {
		if i >= len(gotItems) || i >= len(wantItems) || gotItems[i] != wantItems[i] {
			t.Errorf("stored stories differ from reading again at %d of %d/%d: got %q, want %q", i, len(gotItems), len(wantItems), at(gotItems, i), at(wantItems, i))
			break
		}
	}
	// The corpus must exercise what it tests: copies within a feed and
	// across feeds, some merged.
	if merged < 50 || len(wantItems) < 200 {
		t.Fatalf("corpus too easy: %d merged, %d stories", merged, len(wantItems))
	}
}

// freshCorpus makes n feeds of m items from a small vocabulary, so that
// rare words recur within a feed; a fifth of the items copy an earlier
// headline (of the same feed or another) with one word changed, and
// some reuse an earlier link or title outright.
func freshCorpus(r *rand.Rand, n, m int) [][]store.Item {
	vocab := strings.Fields(`minister said talks gaza ramallah army police
		court rejects appeal floods storm president visit border strike
		election results vote parliament budget oil prices market rally
		quake toll rises rescue teams hospital fire factory workers union
		deal signed ceasefire hostages released prisoners exchange summit`)
	zipf := rand.NewZipf(r, 1.3, 2, uint64(len(vocab)-1))
	headline := func() []string {
		w := make([]string, 5+r.IntN(4))
		for i := range w {
			w[i] = vocab[zipf.Uint64()]
		}
		return w
	}
	var told []store.Item
	var feeds [][]store.Item
	for f := range n {
		src := fmt.Sprintf("wire%d", f%6)
		var feed []store.Item
		for i := range m {
			words := headline()
			link := fmt.Sprintf("https://%s.example/%d/%d", src, f, i)
			if len(told) > 0 {
				switch p := told[r.IntN(len(told))]; r.IntN(10) {
				case 0, 1:
					words = strings.Fields(p.Title)
					words[r.IntN(len(words))] = vocab[r.IntN(len(vocab))]
				case 2:
					link = p.Link
				case 3:
					words = strings.Fields(p.Title)
				}
			}
			title := strings.Join(words, " ")
			it := storetest.Item(src, fmt.Sprintf("%d-%d", f, i), title, storetest.T0.Add(time.Duration(f*m+i)*time.Minute))
			it.Link = link
			it.Story = fetcher.StoryOf(nil, it.Title, it.Link, 0.7)
			feed = append(feed, it)
			told = append(told, it)
		}
		feeds = append(feeds, feed)
	}
	return feeds
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "(none)"
}

// TestReadsBeforeLock: an ingest reads before it takes the write lock;
// when another ingest commits in between (of this process, whose
// changes it adds from recentLog; of another replica, or of the same
// source, for which it reads again), the outcome is the one of the
// other ingest having run first. Keys here are the stories' own, not
// chosen by rarity: rarity counts are read before the lock and not
// caught up (as in the bbolt backend), so with them a feed's keys may
// differ by the other feed's counts.
func TestReadsBeforeLock(t *testing.T) {
	ctx := context.Background()
	c := pgtest.Start(t)
	d := matchDedupe
	feeds := freshCorpus(rand.New(rand.NewPCG(9, 23)), 16, 40)
	open := func(dsn string) *postgres.Store { return openAt(t, dsn, d) }
	ingest := func(s *postgres.Store, f []store.Item) store.IngestResult {
		t.Helper()
		res, err := s.Ingest(ctx, store.SourceState{Name: f[0].Source}, f)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	for _, tc := range []struct {
		name string
		// meanwhile is the feed ingested between feed i's reads and its
		// write lock; other has it ingested by another replica.
		meanwhile func(i int) int
		other     bool
	}{
		{"next feed, this replica", func(i int) int { return i + 1 }, false},
		{"next feed, another replica", func(i int) int { return i + 1 }, true},
		{"same feed, this replica", func(i int) int { return i }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dsn := c.NewDatabase(t)
			s := open(dsn)
			other := s
			if tc.other {
				other = open(dsn)
			}
			ref := open(c.NewDatabase(t))
			for i := 0; i+1 < len(feeds); i += 2 {
				j := tc.meanwhile(i)
				var got, gotMeanwhile store.IngestResult
				ran := false
				*postgres.BeforeLock = func() {
					if !ran {
						ran = true
						gotMeanwhile = ingest(other, feeds[j])
					}
				}
				got = ingest(s, feeds[i])
				*postgres.BeforeLock = nil
				if !ran {
					t.Fatal("BeforeLock never ran")
				}
				wantMeanwhile := ingest(ref, feeds[j])
				want := ingest(ref, feeds[i])
				if got != want || gotMeanwhile != wantMeanwhile {
					t.Errorf("feed %d with feed %d committed meanwhile: %+v and %+v, want %+v and %+v (feed %d first)", i, j, got, gotMeanwhile, want, wantMeanwhile, j)
				}
				if j == i { // the pair's other feed, in order
					if got, want := ingest(s, feeds[i+1]), ingest(ref, feeds[i+1]); got != want {
						t.Errorf("feed %d: %+v, want %+v", i+1, got, want)
					}
				}
			}
			if got, want := storyLines(t, s), storyLines(t, ref); !slices.Equal(got, want) {
				t.Errorf("stories differ from the other feed ingested first:\n got %q\nwant %q", got, want)
			}
		})
	}
}

// TestGroupOrders: feeds written in one transaction (group.go) give
// what writing them one by one in the group's order gives, for every
// order of three feeds that share stories; a feed that fails in a group
// fails alone, and the others are stored.
func TestGroupOrders(t *testing.T) {
	ctx := context.Background()
	c := pgtest.Start(t)
	d := matchDedupe
	open := func() *postgres.Store { return openAt(t, c.NewDatabase(t), d) }
	// Three feeds of distinct sources, each telling stories the others
	// tell, after a first feed all three meet.
	all := freshCorpus(rand.New(rand.NewPCG(11, 25)), 4, 30)
	first, feeds := all[0], all[1:]
	for i := range feeds {
		for j := range feeds[i] {
			feeds[i][j].Source = fmt.Sprint("group", i)
		}
	}
	// group ingests fs in one transaction, in their order.
	group := func(s *postgres.Store, fs [][]store.Item) ([]store.IngestResult, []error) {
		gate := make(chan struct{})
		*postgres.GroupGate = gate
		defer func() { *postgres.GroupGate = nil }()
		res := make([]store.IngestResult, len(fs))
		errs := make([]error, len(fs))
		var wg sync.WaitGroup
		for i, f := range fs {
			wg.Go(func() { res[i], errs[i] = s.Ingest(ctx, store.SourceState{Name: f[0].Source}, f) })
			for s.Queued() < i+1 { // queued in this order
				time.Sleep(time.Millisecond)
			}
		}
		close(gate)
		wg.Wait()
		return res, errs
	}
	for _, order := range [][]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}} {
		t.Run(fmt.Sprint(order), func(t *testing.T) {
			s, ref := open(), open()
			for _, st := range []*postgres.Store{s, ref} {
				if _, err := st.Ingest(ctx, store.SourceState{Name: first[0].Source}, first); err != nil {
					t.Fatal(err)
				}
			}
			var fs [][]store.Item
			for _, i := range order {
				fs = append(fs, feeds[i])
			}
			got, errs := group(s, fs)
			merged := 0
			for k, f := range fs {
				if errs[k] != nil {
					t.Fatal(errs[k])
				}
				want, err := ref.Ingest(ctx, store.SourceState{Name: f[0].Source}, f)
				if err != nil {
					t.Fatal(err)
				}
				merged += want.Duplicate
				if got[k] != want {
					t.Errorf("feed %d of the group: %+v, one by one %+v", k, got[k], want)
				}
			}
			if g, w := storyLines(t, s), storyLines(t, ref); !slices.Equal(g, w) {
				t.Errorf("stories differ from writing one by one:\n got %q\nwant %q", g, w)
			}
			if s.Stats().Writes >= ref.Stats().Writes {
				t.Errorf("%d writes for the group, %d one by one: not one transaction", s.Stats().Writes, ref.Stats().Writes)
			}
			if merged == 0 {
				t.Fatal("no feed of the group met another's stories")
			}
		})
	}
	t.Run("one feed fails", func(t *testing.T) {
		s := open()
		*postgres.IngestFault = func(source string) error {
			if source == feeds[1][0].Source {
				return errors.New("injected")
			}
			return nil
		}
		defer func() { *postgres.IngestFault = nil }()
		_, errs := group(s, feeds)
		if errs[0] != nil || errs[2] != nil || errs[1] == nil {
			t.Fatalf("errors = %v, want only the second feed's", errs)
		}
		got := storyLines(t, s)
		for _, f := range [][]store.Item{feeds[0], feeds[2]} {
			if !slices.ContainsFunc(got, func(l string) bool { return strings.HasPrefix(l, f[0].Source+"/") }) {
				t.Errorf("nothing stored of %s", f[0].Source)
			}
		}
	})
}

// TestLongValues: an id, link or title longer than a btree index entry
// takes (a hostile feed's) is stored, found again on the next poll, and
// kept apart from another that shares its first kilobyte.
func TestLongValues(t *testing.T) {
	ctx := context.Background()
	c := pgtest.Start(t)
	s := openAt(t, c.NewDatabase(t), storetest.DedupeOn)
	r := rand.New(rand.NewPCG(1, 2))
	long := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = 'a' + byte(r.IntN(26))
		}
		return string(b)
	}
	id, word := long(6000), long(4000)
	feed := []store.Item{
		storetest.StoryItem("x", id+"1", word+" one", "https://x.example/"+long(5000), storetest.T0),
		storetest.StoryItem("x", id+"2", "other "+long(4000), "https://x.example/2", storetest.T0),
	}
	for poll, want := range []store.IngestResult{{New: 2}, {Unchanged: 2}} {
		got, err := s.Ingest(ctx, store.SourceState{Name: "x"}, feed)
		if err != nil || got != want {
			t.Fatalf("poll %d: %+v, %v; want %+v", poll, got, err, want)
		}
	}
}

func storyLines(t *testing.T, s *postgres.Store) []string {
	t.Helper()
	got, err := s.Recent(context.Background(), store.Query{Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range got {
		line := it.Source + "/" + it.ID + " ←"
		for _, r := range it.Reports {
			line += " " + r.Source + "/" + r.ID
		}
		out = append(out, line)
	}
	slices.Sort(out)
	return out
}

// BenchmarkReplicaWrites compares the write lock with its alternative,
// SERIALIZABLE transactions retried on conflict: two replicas (stores on
// one database), four feeds in flight on each, 50 items a feed whose
// headlines share stories.
func BenchmarkReplicaWrites(b *testing.B) {
	ctx := context.Background()
	c := pgtest.Start(b)
	d := rareDedupe()
	for _, mode := range []struct {
		name         string
		serializable bool
	}{{"lock", false}, {"serializable", true}} {
		b.Run(mode.name, func(b *testing.B) {
			*postgres.Serializable = mode.serializable
			defer func() { *postgres.Serializable = false }()
			dsn := c.NewDatabase(b)
			var replicas []*postgres.Store
			for range 2 {
				replicas = append(replicas, openAt(b, dsn, d))
			}
			r := rand.New(rand.NewPCG(3, 4))
			items, round := 0, 0
			for b.Loop() {
				round++
				feeds := freshCorpus(r, 8, 50)
				var wg sync.WaitGroup
				for i, f := range feeds {
					for j := range f {
						f[j].Source = fmt.Sprintf("r%d-%d", round, i)
						f[j].ID = fmt.Sprint(round, "-", f[j].ID)
					}
					items += len(f)
					wg.Go(func() {
						if _, err := replicas[i%2].Ingest(ctx, store.SourceState{Name: f[0].Source}, f); err != nil {
							b.Error(err)
						}
					})
				}
				wg.Wait()
			}
			b.ReportMetric(float64(items)/b.Elapsed().Seconds(), "items/s")
		})
	}
}

package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"tickerd/internal/pgtest"
	"tickerd/store"
	"tickerd/store/postgres"
	"tickerd/store/storetest"
)

// openFor returns a storetest.Opener on databases of cluster c.
func openFor(c *pgtest.Cluster) storetest.Opener {
	return func(t *testing.T, cfg storetest.Config) (store.Backend, func(*testing.T) store.Backend) {
		dsn := c.NewDatabase(t)
		opts := &postgres.Options{Now: cfg.Now, Dedupe: cfg.Dedupe, ChangeLog: cfg.ChangeLog}
		open := func(t *testing.T) *postgres.Store {
			t.Helper()
			s, err := postgres.Open(context.Background(), dsn, opts)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
		s := open(t)
		reopen := func(t *testing.T) store.Backend {
			t.Helper()
			if err := s.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			s = open(t)
			return s
		}
		return s, reopen
	}
}

func TestContract(t *testing.T) {
	c := pgtest.Start(t)
	storetest.Run(t, openFor(c))
}

// TestMigrations: replicas starting together apply each migration once;
// a database migrated by a newer tickerd is refused with a clear error.
func TestMigrations(t *testing.T) {
	ctx := context.Background()
	c := pgtest.Start(t)
	dsn := c.NewDatabase(t)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			s, err := postgres.Open(ctx, dsn, nil)
			if err == nil {
				err = s.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatalf("Open beside three others: %v", err)
		}
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n, v int
	if err := conn.QueryRow(ctx, `SELECT count(*), max(version) FROM tickerd_schema`).Scan(&n, &v); err != nil {
		t.Fatal(err)
	}
	if n != postgres.SchemaVersion() || v != postgres.SchemaVersion() {
		t.Errorf("tickerd_schema holds %d rows up to version %d, want %d", n, v, postgres.SchemaVersion())
	}
	next := postgres.SchemaVersion() + 1
	if _, err := conn.Exec(ctx, `INSERT INTO tickerd_schema (version, name) VALUES ($1, 'from the future')`, next); err != nil {
		t.Fatal(err)
	}
	_, err = postgres.Open(ctx, dsn, nil)
	if !errors.Is(err, postgres.ErrSchemaTooNew) || !strings.Contains(err.Error(), fmt.Sprint("version ", next)) {
		t.Errorf("Open of a newer schema = %v, want ErrSchemaTooNew naming version %d", err, next)
	}
}

// TestReplicasDedupe: replicas on one database ingesting the same stories
// at the same moment, exact and near-duplicate, end with each story once;
// each replica hears of the other's changes.
func TestReplicasDedupe(t *testing.T) {
	ctx := context.Background()
	c := pgtest.Start(t)
	dsn := c.NewDatabase(t)
	clock := storetest.NewClock(storetest.T0)
	const replicas, sources, stories = 3, 9, 30
	var rs []*postgres.Store
	for range replicas {
		s, err := postgres.Open(ctx, dsn, &postgres.Options{Now: clock.Now, Dedupe: storetest.DedupeOn})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		rs = append(rs, s)
	}
	var wg sync.WaitGroup
	results := make([]store.IngestResult, sources)
	errs := make([]error, sources)
	for i := range sources {
		wg.Go(func() {
			src := fmt.Sprintf("s%d", i)
			var items []store.Item
			for j := range stories {
				title := fmt.Sprintf("minister %d visits town%d for talks on water", j, j)
				if i%2 == 1 {
					title += " today"
				}
				link := fmt.Sprintf("https://%s.example/%d", src, j)
				if i%3 == 2 {
					link = fmt.Sprintf("https://wire.example/%d", j)
				}
				items = append(items, storetest.StoryItem(src, fmt.Sprint(j), title, link, storetest.T0.Add(-time.Duration(j+i)*time.Minute)))
			}
			results[i], errs[i] = rs[i%replicas].Ingest(ctx, store.SourceState{Name: src}, items)
		})
	}
	wg.Wait()
	var added, dupes int
	for i := range sources {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		added += results[i].New
		dupes += results[i].Duplicate
	}
	if added != stories || dupes != stories*(sources-1) {
		t.Errorf("stored %d new and %d duplicates, want %d and %d", added, dupes, stories, stories*(sources-1))
	}
	want := uint64(stories * sources) // every story added once, then one update per report
	for i, s := range rs {
		deadline := time.Now().Add(5 * time.Second)
		for s.Seq() != want && time.Now().Before(deadline) {
			select {
			case <-s.Changed():
			case <-time.After(100 * time.Millisecond):
			}
		}
		if s.Seq() != want {
			t.Errorf("replica %d: Seq = %d, want %d", i, s.Seq(), want)
		}
		got, err := s.Recent(ctx, store.Query{Limit: 1000})
		if err != nil || len(got) != stories {
			t.Errorf("replica %d: Recent = %d items, %v; want %d", i, len(got), err, stories)
		}
	}
}

// TestLeases: one replica of two fetches a source per interval; a holder
// that dies (never releases) loses the source when its lease expires and
// the interval has passed.
func TestLeases(t *testing.T) {
	ctx := context.Background()
	c := pgtest.Start(t)
	dsn := c.NewDatabase(t)
	var rs []*postgres.Store
	for range 2 {
		s, err := postgres.Open(ctx, dsn, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		rs = append(rs, s)
	}
	const interval, lease = 2 * time.Second, time.Second
	claim := func(i int) bool {
		t.Helper()
		ok, err := rs[i].Claim(ctx, "src", fmt.Sprint("r", i), interval, lease)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	// Both at once: exactly one wins.
	var wins [2]bool
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() { wins[i] = claim(i) })
	}
	wg.Wait()
	if wins[0] == wins[1] {
		t.Fatalf("claims at once = %v, want exactly one", wins)
	}
	winner, other := 0, 1
	if wins[1] {
		winner, other = 1, 0
	}
	if err := rs[winner].Release(ctx, "src", fmt.Sprint("r", winner)); err != nil {
		t.Fatal(err)
	}
	// Released, but fetched this interval: nobody takes it again yet.
	if claim(other) || claim(winner) {
		t.Error("a source fetched this interval was claimed again")
	}
	// The next interval: the other takes it and dies holding it.
	start := time.Now()
	for !claim(other) {
		if time.Since(start) > 3*interval {
			t.Fatal("no claim after an interval")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if d := time.Since(start); d < interval/2 {
		t.Errorf("claimed again after %v, want about an interval (%v)", d, interval)
	}
	start = time.Now()
	for !claim(winner) {
		if time.Since(start) > 3*interval {
			t.Fatal("a dead holder's lease was never taken over")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestHostSlots: replicas together hold at most perHost slots of a host;
// a released slot is taken by a waiter.
func TestHostSlots(t *testing.T) {
	ctx := context.Background()
	c := pgtest.Start(t)
	dsn := c.NewDatabase(t)
	var rs []*postgres.Store
	for range 2 {
		s, err := postgres.Open(ctx, dsn, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		rs = append(rs, s)
	}
	const perHost = 2
	var releases []func()
	for i := range perHost {
		rel, err := rs[i%2].HostSlot(ctx, "wire.example", fmt.Sprint("r", i%2), perHost, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, rel)
	}
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if _, err := rs[1].HostSlot(short, "wire.example", "r1", perHost, time.Minute); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a third slot of %d: err = %v, want to wait until the deadline", perHost, err)
	}
	if _, err := rs[1].HostSlot(ctx, "other.example", "r1", perHost, time.Minute); err != nil {
		t.Errorf("another host's slot: %v", err)
	}
	got := make(chan error, 1)
	go func() {
		_, err := rs[1].HostSlot(ctx, "wire.example", "r1", perHost, time.Minute)
		got <- err
	}()
	releases[0]()
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a released slot was not taken by the waiter")
	}
}

// TestRareKeys: with Dedupe.Keys set, a headline's keys are chosen from
// the counts of earlier headlines' tokens, kept in the database: another
// replica, and the same one reopened, count what the first ingested.
func TestRareKeys(t *testing.T) {
	ctx := context.Background()
	c := pgtest.Start(t)
	dsn := c.NewDatabase(t)
	var mu sync.Mutex
	seen := map[string]uint32{}
	d := storetest.DedupeOn
	d.Keys = func(tokens []string, count func(string) uint32, _ float64) []string {
		mu.Lock()
		defer mu.Unlock()
		rarest := ""
		for _, tok := range tokens {
			seen[tok] = count(tok)
			if rarest == "" || count(tok) < count(rarest) {
				rarest = tok
			}
		}
		return []string{rarest}
	}
	open := func() *postgres.Store {
		s, err := postgres.Open(ctx, dsn, &postgres.Options{Dedupe: d})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b := open(), open()
	for i, src := range []string{"x", "y"} {
		if _, err := a.Ingest(ctx, store.SourceState{Name: src}, []store.Item{
			storetest.StoryItem(src, "1", fmt.Sprintf("common word%d", i), "https://"+src+".example/1", storetest.T0),
		}); err != nil {
			t.Fatal(err)
		}
	}
	// On the other replica, the counts of what the first ingested.
	res, err := b.Ingest(ctx, store.SourceState{Name: "z"}, []store.Item{
		storetest.StoryItem("z", "1", "common word0 today", "https://z.example/1", storetest.T0),
	})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if seen["common"] != 2 || seen["word0"] != 1 || seen["today"] != 0 {
		t.Errorf("counts seen by the other replica = %v, want common 2, word0 1, today 0", seen)
	}
	mu.Unlock()
	// Keyed by today alone, which nothing was filed under, the near
	// duplicate of x's headline is not found: it is new.
	if res.New != 1 {
		t.Errorf("a headline keyed by its rarest token (today, never seen) = %+v, want new", res)
	}
	// And the counts persist: a reopened store sees common 3 times.
	a.Close()
	c2 := open()
	if _, err := c2.Ingest(ctx, store.SourceState{Name: "v"}, []store.Item{
		storetest.StoryItem("v", "1", "common today", "https://v.example/1", storetest.T0),
	}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if seen["common"] != 3 || seen["today"] != 1 {
		t.Errorf("counts after a reopen = %v, want common 3, today 1", seen)
	}
}

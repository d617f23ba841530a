package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tickerd/fetcher"
	"tickerd/internal/pgtest"
	"tickerd/store"
	"tickerd/store/postgres"
	"tickerd/store/storetest"
)

// storeView renders what readers of a store see: every ticker-relevant
// read, with reports, and the source states.
func storeView(t *testing.T, b store.Backend) string {
	t.Helper()
	ctx := context.Background()
	var out strings.Builder
	for _, q := range []store.Query{{Limit: 1000}, {Sources: []string{"b"}, Limit: 1000}, {Sources: []string{"a", "c"}, Limit: 1000}} {
		items, err := b.Recent(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&out, "query %v:\n", q.Sources)
		for _, it := range items {
			fmt.Fprintf(&out, "  %s:%s %q pub %s seen %s", it.Source, it.ID, it.Title, it.Published.UTC().Format(time.RFC3339), it.FirstSeen.UTC().Format(time.RFC3339))
			for _, r := range it.Reports {
				fmt.Fprintf(&out, " +%s:%s", r.Source, r.ID)
			}
			out.WriteByte('\n')
		}
	}
	for _, st := range b.States() {
		fmt.Fprintf(&out, "state %s items %d etag %s\n", st.Name, st.Items, st.ETag)
	}
	actions, err := b.Actions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range actions {
		fmt.Fprintf(&out, "action %d %s %s by %s at %s, item %v\n", a.ID, a.Kind, a.Story, a.Who, a.At.UTC().Format(time.RFC3339Nano), a.Item != nil)
	}
	audit, err := b.Audit(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range audit {
		fmt.Fprintf(&out, "audit %d %s %s\n", e.Seq, e.Action.Kind, e.Story)
	}
	return out.String()
}

// TestMigrateRoundTrip: bbolt → PostgreSQL → bbolt keeps every item,
// story (reports, a story kept for its tellings after its item went),
// source state, editorial action (undone ones too) and audit entry; running it again copies nothing; the copies dedupe new
// items against what they hold.
func TestMigrateRoundTrip(t *testing.T) {
	ctx := context.Background()
	c := pgtest.Start(t)
	dsn := c.NewDatabase(t)
	dir := t.TempDir()
	cfgPath := writeConfigText(t, dir, "data: data/x.db\nsources:\n  - {name: a, url: \"http://a.example/\"}\n")
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	matcher, err := newMatcher(cfg)
	if err != nil {
		t.Fatal(err)
	}
	logger := testLogger(t)
	from := filepath.Join(dir, "from.db")
	src, err := store.Open(from, storeOptions(cfg, matcher, logger, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now().UTC().Truncate(time.Second)
	mk := func(source, id, title string, ago time.Duration) store.Item {
		it := store.Item{Source: source, ID: id, GUID: id, Title: title, Link: "https://" + source + ".example/" + id, Published: t0.Add(-ago)}
		it.Story = fetcher.StoryOf(matcher, it.Title, it.Link, cfg.Dedupe.Similarity)
		return it
	}
	feeds := map[string][]store.Item{
		"a": {mk("a", "a1", "Ceasefire holds in the north", 3*time.Hour), mk("a", "a2", "Central bank holds rates", time.Hour)},
		"b": {mk("b", "b1", "Ceasefire holds in the north", 2*time.Hour), mk("b", "b2", "Book fair opens in the capital", 30*time.Minute)},
		"c": {mk("c", "c1", "Central bank holds rates", 50*time.Minute), mk("c", "c2", "Markets open higher on Monday", 10*time.Minute)},
	}
	for _, name := range []string{"a", "b", "c"} {
		if _, err := src.Ingest(ctx, store.SourceState{Name: name, ETag: `"` + name + `"`}, feeds[name]); err != nil {
			t.Fatal(err)
		}
	}
	// a1 goes; its story stays for b's telling.
	if res, err := src.Prune(ctx, store.Retention{MaxPerSource: 1}); err != nil || res.ByCount != 1 {
		t.Fatalf("Prune = %+v, %v", res, err)
	}
	// The desk: a pin and a correction, the correction undone.
	for _, a := range []store.Action{
		{Kind: store.ActPin, Story: store.StoryRef("a", "a2"), Who: "ed"},
		{Kind: store.ActCorrect, Story: store.StoryRef("c", "c2"), Title: "Markets open higher", Who: "ed"},
		{Kind: store.ActUndo, Undo: 2, Who: "ed"},
	} {
		if _, err := src.Act(ctx, a); err != nil {
			t.Fatalf("Act(%+v): %v", a, err)
		}
	}
	want := storeView(t, src)
	if !strings.Contains(want, "b:b1") || !strings.Contains(want, "+c:c1") {
		t.Fatalf("the source store lacks the cases to copy:\n%s", want)
	}
	src.Close()

	migrate := func(from, to string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if err := run(ctx, []string{"migrate", "-config", cfgPath, from, to}, &stdout, &stderr); err != nil {
			t.Fatalf("migrate %s %s: %v\n%s", from, to, err, stderr.String())
		}
		return stdout.String()
	}
	out := migrate(from, dsn)
	if !strings.Contains(out, "migrate: done: 10 items, stories and desk records copied, 0 already") {
		t.Errorf("first migration said:\n%s", out)
	}
	if out := migrate(from, dsn); !strings.Contains(out, "migrate: done: 0 items, stories and desk records copied, 10 already") {
		t.Errorf("second migration said:\n%s", out)
	}
	pg, err := postgres.Open(ctx, dsn, &postgres.Options{Dedupe: withRareKeys(storeDedupe(cfg, matcher))})
	if err != nil {
		t.Fatal(err)
	}
	if got := storeView(t, pg); got != want {
		t.Errorf("in PostgreSQL:\n%s\nwant\n%s", got, want)
	}
	pg.Close()

	back := filepath.Join(dir, "back.db")
	migrate(dsn, back)
	bk, err := store.Open(back, storeOptions(cfg, matcher, logger, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer bk.Close()
	if got := storeView(t, bk); got != want {
		t.Errorf("back in bbolt:\n%s\nwant\n%s", got, want)
	}
	// The desk goes on numbering after the copied actions.
	if a, err := bk.Act(ctx, store.Action{Kind: store.ActHide, Story: store.StoryRef("b", "b2"), Who: "ed"}); err != nil || a.ID != 4 {
		t.Errorf("first action on the copy = %+v, %v; want id 4", a, err)
	}
	// The copy dedupes: another telling of a copied story is a report.
	res, err := bk.Ingest(ctx, store.SourceState{Name: "d"}, []store.Item{mk("d", "d1", "Markets open higher on Monday", 5*time.Minute)})
	if err != nil || res.Duplicate != 1 {
		t.Errorf("a telling of a copied story = %+v, %v; want a duplicate", res, err)
	}
	all, _ := bk.Recent(ctx, store.Query{Limit: 100})
	if i := slices.IndexFunc(all, func(it store.Item) bool { return it.ID == "c2" }); i < 0 || len(all[i].Reports) != 1 {
		t.Errorf("after the new telling: %v", all)
	}
}

// TestSourcesCommandOnPostgres: `tickerd sources` with no daemon running
// reads the states from the database of store:, not a data file.
func TestSourcesCommandOnPostgres(t *testing.T) {
	ctx := context.Background()
	c := pgtest.Start(t)
	dsn := c.NewDatabase(t)
	st, err := postgres.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SaveState(ctx, store.SourceState{Name: "a", URL: "http://a.example/", LastStatus: "not_modified", LastAttempt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	cfgPath := writeConfigText(t, t.TempDir(), fmt.Sprintf("listen: %q\nstore: %q\nsources:\n  - {name: a, url: \"http://a.example/\"}\n", freeAddr(t), dsn))
	var stdout, stderr bytes.Buffer
	if err := run(ctx, []string{"sources", "-config", cfgPath}, &stdout, &stderr); err != nil {
		t.Fatalf("sources: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "not_modified") {
		t.Errorf("sources printed:\n%s\nwant a's state from the database", stdout.String())
	}
}

// TestSplitCommandOnPostgres: `tickerd split` with store: set splits in
// the database, which the replicas share.
func TestSplitCommandOnPostgres(t *testing.T) {
	ctx := context.Background()
	c := pgtest.Start(t)
	dsn := c.NewDatabase(t)
	st, err := postgres.Open(ctx, dsn, &postgres.Options{Dedupe: storetest.DedupeOn})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	for _, src := range []string{"a", "b"} {
		if _, err := st.Ingest(ctx, store.SourceState{Name: src}, []store.Item{
			storetest.StoryItem(src, src+"1", "ceasefire holds in the north", "https://"+src+".example/1", now.Add(-time.Hour)),
		}); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := st.Recent(ctx, store.Query{}); len(got) != 1 {
		t.Fatalf("before the split: %d stories, want 1", len(got))
	}
	st.Close()
	cfgPath := writeConfigText(t, t.TempDir(), fmt.Sprintf("listen: %q\nstore: %q\nsources:\n  - {name: a, url: \"http://a.example/\"}\n  - {name: b, url: \"http://b.example/\"}\n", freeAddr(t), dsn))
	var stdout, stderr bytes.Buffer
	if err := run(ctx, []string{"split", "-config", cfgPath, "b", "b1"}, &stdout, &stderr); err != nil {
		t.Fatalf("split: %v\n%s", err, stderr.String())
	}
	st, err = postgres.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if got, _ := st.Recent(ctx, store.Query{}); len(got) != 2 {
		t.Errorf("after the split: %d stories, want 2 (%s)", len(got), stdout.String())
	}
}

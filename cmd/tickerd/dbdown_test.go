package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"tickerd/internal/pgtest"
	"tickerd/store"
	"tickerd/store/postgres"
)

// storedIDs reads every stored item and report identity ("source/id")
// from the database.
func storedIDs(t *testing.T, dsn string) map[string]bool {
	t.Helper()
	ctx := context.Background()
	st, err := postgres.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	out := map[string]bool{}
	err = st.Export(ctx, func(r store.Record) error {
		if r.Item != nil && !r.Told {
			out[r.Item.Source+"/"+r.Item.ID] = true
			for _, rep := range r.Item.Reports {
				out[rep.Source+"/"+rep.ID] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// waitFor polls cond every 100ms until it holds or limit passes.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, limit)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestDatabaseDown: two replicas with the database stopped mid-cycle
// keep serving the feeds they rendered, say so in /readyz and /metrics,
// and recover when it returns, having lost nothing they stored.
func TestDatabaseDown(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two daemons for half a minute")
	}
	bin := buildTickerd(t)
	c := pgtest.Start(t)
	dsn := c.NewDatabase(t)
	fm := newFarm(20)
	fm.start(t)
	const interval = 2 * time.Second
	var rs []*replica
	for i := 1; i <= 2; i++ {
		rs = append(rs, startReplica(t, bin, fmt.Sprintf("r%d", i), dsn, fm, interval))
	}
	for _, r := range rs {
		waitReplicaReady(t, r, 30*time.Second)
	}
	time.Sleep(interval + interval/2)

	// Feeds are rendered on request: these are what a reader saw.
	for _, r := range rs {
		if code, _, _ := fetchBody(t, r.base+"/feed.rss"); code != 200 {
			t.Fatalf("%s /feed.rss = %d", r.name, code)
		}
	}
	before := storedIDs(t, dsn)
	if len(before) == 0 {
		t.Fatal("nothing stored before the database stopped")
	}
	c.Stop(t)
	var stale [][]byte
	for _, r := range rs {
		code, _, b := fetchBody(t, r.base+"/feed.rss")
		if code != 200 || len(b) == 0 {
			t.Fatalf("%s /feed.rss with the database down = %d", r.name, code)
		}
		stale = append(stale, b)
	}
	time.Sleep(2 * interval)
	for i, r := range rs {
		code, _, b := fetchBody(t, r.base+"/feed.rss")
		if code != 200 || string(b) != string(stale[i]) {
			t.Errorf("%s /feed.rss two intervals into the outage = %d (changed: %v), want the stale feed", r.name, code, string(b) != string(stale[i]))
		}
		code, _, body := fetchBody(t, r.base+"/readyz")
		if code != 200 || !strings.Contains(string(body), "degraded: store:") {
			t.Errorf("%s /readyz with the database down = %d %q, want 200 naming the store", r.name, code, body)
		}
		if _, _, m := fetchBody(t, r.base+"/metrics"); !strings.Contains(string(m), "\ntickerd_store_up 0\n") {
			t.Errorf("%s /metrics lacks tickerd_store_up 0 with the database down", r.name)
		}
	}

	c.Start(t)
	for _, r := range rs {
		waitFor(t, 30*time.Second, r.name+" recovers", func() bool {
			_, _, body := fetchBody(t, r.base+"/readyz")
			_, _, m := fetchBody(t, r.base+"/metrics")
			return string(body) == "ready\n" && strings.Contains(string(m), "\ntickerd_store_up 1\n")
		})
	}
	waitFor(t, 30*time.Second, "new items stored after the outage", func() bool { return len(storedIDs(t, dsn)) > len(before)+20 })
	for i, r := range rs {
		waitFor(t, 10*time.Second, r.name+" serves fresh feeds", func() bool {
			_, _, b := fetchBody(t, r.base+"/feed.rss")
			return string(b) != string(stale[i])
		})
	}
	after := storedIDs(t, dsn)
	for id := range before {
		if !after[id] {
			t.Errorf("%s, stored before the outage, is gone", id)
		}
	}
	// Every item the farm served is stored: those fetched as the
	// database went away were fetched again.
	fm.freeze(true)
	time.Sleep(2 * interval)
	after = storedIDs(t, dsn)
	fm.mu.Lock()
	defer fm.mu.Unlock()
	for key := range fm.first {
		var src, n int
		fmt.Sscanf(key, "%d/%d", &src, &n)
		if id := fmt.Sprintf("s%d/s%d-%d", src, src, n); !after[id] {
			t.Errorf("%s served but not stored", id)
		}
	}
}

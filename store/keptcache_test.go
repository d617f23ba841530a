package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// itemValues returns every stored item's key and value.
func itemValues(t *testing.T, s *Store) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketItems).ForEach(func(k, v []byte) error {
			out[string(k)] = bytes.Clone(v)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestKeptCacheWritesWhatDecodingWould runs the same ingests into two
// stores, one whose addReport may use its cache and one whose cache is
// emptied before every step, so that it decodes and re-encodes the item
// each time, and wants the same bytes stored after every step. The steps
// change the kept item and its reports in between (an update of the item,
// of a report, a copy from a source already told, more copies than are
// kept), in both orders of merge and change, so that a cache entry that
// no longer matches the stored item would show.
func TestKeptCacheWritesWhatDecodingWould(t *testing.T) {
	ctx := context.Background()
	cached, cc := openDedupeStore(t)
	plain, pc := openDedupeStore(t)
	zone := time.FixedZone("+03", 3*3600)
	copyOf := func(src, id, summary string, pub time.Time) Item {
		it := storyItem(src, id, "Minister <says> talks & truce \u2028 go on", "https://"+src+".example/"+id, pub)
		it.Summary = summary
		return it
	}
	type step struct {
		src   string
		items []Item
	}
	var steps []step
	steps = append(steps, step{"origin", []Item{copyOf("origin", "1", "first <b>telling</b> & more", t0.Add(-time.Hour).In(zone))}})
	for i := range 4 {
		src := fmt.Sprint("wire", i)
		steps = append(steps, step{src, []Item{copyOf(src, "a", fmt.Sprintf("copy %d «نص» \"quoted\"", i), t0.Add(time.Duration(-50+i)*time.Minute))}})
	}
	// The item itself changes, then a report, then a source that told it
	// sends a copy under another id; each followed by a new copy.
	steps = append(steps,
		step{"origin", []Item{copyOf("origin", "1", "first telling, corrected", t0.Add(-time.Hour).In(zone))}},
		step{"wire9", []Item{copyOf("wire9", "a", "after the update", t0.Add(-40*time.Minute))}},
		step{"wire1", []Item{copyOf("wire1", "a", "copy 1, corrected", t0.Add(-49*time.Minute))}},
		step{"wire10", []Item{copyOf("wire10", "a", "after the report's update", t0.Add(-39*time.Minute))}},
		step{"wire2", []Item{copyOf("wire2", "b", "the same wire again", t0.Add(-38*time.Minute))}},
	)
	// Two copies in one call, then more copies than an item keeps.
	steps = append(steps, step{"wire11", []Item{copyOf("wire11", "a", "one", t0), copyOf("wire11", "b", "two", t0)}})
	for i := range maxReports + 3 {
		src := fmt.Sprint("late", i)
		steps = append(steps, step{src, []Item{copyOf(src, "a", "late copy "+src, t0.Add(time.Duration(i)*time.Second))}})
	}
	hits := 0
	for i, st := range steps {
		cc.advance(time.Minute)
		pc.advance(time.Minute)
		plain.kept = keptCache{}
		before := len(cached.kept.entries)
		r1, err := cached.Ingest(ctx, SourceState{Name: st.src}, st.items)
		if err != nil {
			t.Fatal(err)
		}
		r2, err := plain.Ingest(ctx, SourceState{Name: st.src}, st.items)
		if err != nil {
			t.Fatal(err)
		}
		if r1 != r2 {
			t.Fatalf("step %d (%s): cached ingest %+v, decoding ingest %+v", i, st.src, r1, r2)
		}
		if before > 0 && r1.Duplicate > 0 {
			hits++
		}
		got, want := itemValues(t, cached), itemValues(t, plain)
		if len(got) != len(want) {
			t.Fatalf("step %d (%s): %d items stored, want %d", i, st.src, len(got), len(want))
		}
		for k, v := range want {
			if !bytes.Equal(got[k], v) {
				t.Fatalf("step %d (%s): item %x stored as\n%s\nwant\n%s", i, st.src, k, got[k], v)
			}
		}
	}
	if hits == 0 {
		t.Fatal("the cache was never used")
	}
	var kept Item
	for _, v := range itemValues(t, cached) {
		if err := json.Unmarshal(v, &kept); err != nil {
			t.Fatal(err)
		}
		if len(kept.Reports) > 0 {
			break
		}
	}
	if len(kept.Reports) != maxReports {
		t.Fatalf("kept item has %d reports, want %d", len(kept.Reports), maxReports)
	}
}

// TestKeptCacheIsBounded fills the cache past its bound.
func TestKeptCacheIsBounded(t *testing.T) {
	var c keptCache
	raw := make([]byte, keptCacheBytes/10)
	for i := range 25 {
		c.put([]byte(fmt.Sprint(i)), &keptEntry{raw: raw})
		if c.size > keptCacheBytes {
			t.Fatalf("after %d entries the cache holds %d bytes, over %d", i+1, c.size, keptCacheBytes)
		}
	}
	if got := c.get([]byte("24"), raw); got == nil {
		t.Fatal("the newest entry was evicted")
	}
	if got := c.get([]byte("24"), raw[1:]); got != nil {
		t.Fatal("an entry matched other bytes")
	}
	c.put([]byte("big"), &keptEntry{raw: make([]byte, keptCacheBytes+1)})
	if c.entries["big"] != nil {
		t.Fatal("an entry over the bound was kept")
	}
}

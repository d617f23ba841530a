package postgres

import "testing"

// TestRecentLog: between vouches for a range only when clean batches
// tile it exactly once, and the log drops its oldest batches past
// recentLogEntries.
func TestRecentLog(t *testing.T) {
	var r recentLog
	batch := func(from, to uint64, n int, clean bool) *recentBatch {
		return &recentBatch{from: from, to: to, entries: make([]recentEntry, n), clean: clean}
	}
	r.put(batch(0, 2, 1, true))
	r.put(batch(2, 5, 1, true))
	r.put(batch(5, 6, 1, false))
	failed := batch(6, 9, 1, true)
	r.put(failed)
	r.put(batch(6, 7, 1, true))
	for _, tc := range []struct {
		from, to uint64
		ok       bool
	}{
		{0, 0, true}, {0, 5, true}, {2, 5, true}, {0, 6, false}, // unclean
		{1, 5, false}, // starts inside a batch
		{0, 4, false}, // ends inside one
		{6, 7, false}, // a rolled-back batch not yet removed
	} {
		if _, ok := r.between(tc.from, tc.to); ok != tc.ok {
			t.Errorf("between(%d, %d) = %v, want %v", tc.from, tc.to, ok, tc.ok)
		}
	}
	r.remove(failed)
	if bs, ok := r.between(6, 7); !ok || len(bs) != 1 {
		t.Errorf("between(6, 7) after the rolled-back batch went = %d batches, %v", len(bs), ok)
	}
	// Past the bound, the oldest go and what they held is read again.
	at := uint64(7)
	for range 3 {
		r.put(batch(at, at+1, recentLogEntries/2, true))
		at++
	}
	if r.entries > recentLogEntries {
		t.Errorf("%d entries kept, bound %d", r.entries, recentLogEntries)
	}
	if _, ok := r.between(0, 2); ok {
		t.Error("between(0, 2) vouched for batches dropped past the bound")
	}
	if _, ok := r.between(at-1, at); !ok {
		t.Error("the newest batch was dropped")
	}
}

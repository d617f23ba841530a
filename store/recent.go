package store

import (
	"bytes"
	"container/heap"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

const (
	defaultRecentLimit = 50
	defaultMaxScan     = 10000
)

// Recent returns the items q selects, newest first (or round-robin with
// q.Interleave). It reads in one short transaction and returns copies the
// caller owns.
//
// A query of all sources without a per-source cap walks the time-ordered
// items from the newest. A query naming sources, or capping or
// interleaving them, walks each source's own newest items through the
// source index and merges them, so a quiet source's items are found
// however many newer items busier sources have.
//
// A query naming sources holds every story one of them told, once, as the
// first of them to tell it told it (Item.FirstTelling): a story another
// source told first comes as the selected source's report made an item
// (Item.Telling), at its own time, and q.Match sees that item.
func (s *Store) Recent(ctx context.Context, q Query) ([]Item, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := &reader{q: q, limit: q.Limit, maxScan: q.MaxScan}
	if r.limit <= 0 {
		r.limit = defaultRecentLimit
	}
	if r.maxScan <= 0 {
		r.maxScan = defaultMaxScan
	}
	if !q.Since.IsZero() {
		r.since = itemKey(q.Since, 0)
	}
	r.out = make([]Item, 0, min(r.limit, 256))
	if q.Sources != nil {
		r.selected = make(map[string]bool, len(q.Sources))
		for _, name := range q.Sources {
			r.selected[name] = true
		}
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		items := tx.Bucket(bucketItems)
		if items == nil {
			return nil
		}
		idx := tx.Bucket(bucketBySource)
		if idx == nil || q.Sources == nil && q.PerSource <= 0 && !q.Interleave {
			// idx is nil only in a file from before the index, opened
			// read-only (Open adds it otherwise).
			return r.byTime(items)
		}
		sources := q.Sources
		if sources == nil {
			sources = indexedSources(idx)
		}
		streams := make([]*sourceStream, 0, len(sources))
		seen := make(map[string]bool, len(sources))
		for _, name := range sources {
			if seen[name] {
				continue
			}
			seen[name] = true
			if st := newSourceStream(idx, name, r.since); st.key != nil {
				streams = append(streams, st)
			}
		}
		if q.Interleave {
			return r.interleave(tx, streams)
		}
		return r.merge(tx, streams)
	})
	if err != nil {
		return nil, fmt.Errorf("read recent items: %w", err)
	}
	return r.out, nil
}

// reader is the state of one Recent call.
type reader struct {
	q       Query
	limit   int
	maxScan int
	since   []byte // item key of q.Since, or nil
	scanned int
	out     []Item
	// selected is q.Sources as a set, nil for all sources (whose
	// tickers show no tellings: each story is its item).
	selected map[string]bool
}

func (r *reader) done() bool { return len(r.out) >= r.limit || r.scanned >= r.maxScan }

// take decodes the item stored under key as v and keeps it when q.Match
// allows; it reports whether it kept it. A nil v (an index entry whose
// item is gone) is skipped.
func (r *reader) take(key, v []byte) (bool, error) {
	r.scanned++
	if v == nil {
		return false, nil
	}
	var it Item
	// json.Unmarshal copies strings out of v, so nothing returned points
	// into the memory map.
	if err := json.Unmarshal(v, &it); err != nil {
		return false, fmt.Errorf("decode item at key %x: %w", key, err)
	}
	if r.q.Match != nil && !r.q.Match(&it) {
		return false, nil
	}
	r.out = append(r.out, it)
	return true, nil
}

// takeStream takes the current entry of st: one of the source's own
// items, or its telling of a story when that telling is the one the
// selected sources show (another is shown at its own place, or none for
// a query of all sources).
func (r *reader) takeStream(tx *bolt.Tx, st *sourceStream) (bool, error) {
	if st.story == nil {
		return r.take(st.key, tx.Bucket(bucketItems).Get(st.key))
	}
	if r.selected == nil {
		return false, nil
	}
	r.scanned++
	v, lead := story(tx, st.story)
	if v == nil {
		return false, nil
	}
	var it Item
	if err := json.Unmarshal(v, &it); err != nil {
		return false, fmt.Errorf("decode story at key %x: %w", st.story, err)
	}
	i, ok := it.FirstTelling(func(src string) bool { return r.selected[src] }, lead)
	if !ok || i < 0 || it.Reports[i].Source != st.source || !bytes.Equal(tellingKey(&it.Reports[i]), st.key) {
		return false, nil
	}
	t := it.Telling(i)
	if r.q.Match != nil && !r.q.Match(&t) {
		return false, nil
	}
	r.out = append(r.out, t)
	return true, nil
}

// byTime walks every item newest first.
func (r *reader) byTime(items *bolt.Bucket) error {
	var want map[string]bool
	if r.q.Sources != nil {
		want = make(map[string]bool, len(r.q.Sources))
		for _, name := range r.q.Sources {
			want[name] = true
		}
	}
	var taken map[string]int
	if r.q.PerSource > 0 {
		taken = make(map[string]int)
	}
	c := items.Cursor()
	for k, v := c.Last(); k != nil && !r.done(); k, v = c.Prev() {
		if r.since != nil && bytes.Compare(k, r.since) < 0 {
			break
		}
		var src string
		if want != nil || taken != nil {
			src = sourceOf(v)
		}
		if want != nil && !want[src] {
			continue
		}
		if taken != nil && taken[src] >= r.q.PerSource {
			continue
		}
		ok, err := r.take(k, v)
		if err != nil {
			return err
		}
		if ok && taken != nil {
			taken[src]++
		}
	}
	if r.q.Interleave {
		r.out = interleaved(r.out)
	}
	return nil
}

// merge takes from the streams newest first.
func (r *reader) merge(tx *bolt.Tx, streams []*sourceStream) error {
	h := streamHeap(streams)
	heap.Init(&h)
	for len(h) > 0 && !r.done() {
		st := h[0]
		ok, err := r.takeStream(tx, st)
		if err != nil {
			return err
		}
		if ok {
			st.taken++
		}
		if r.q.PerSource > 0 && st.taken >= r.q.PerSource {
			heap.Pop(&h)
			continue
		}
		if st.next(); st.key == nil {
			heap.Pop(&h)
		} else {
			heap.Fix(&h, 0)
		}
	}
	return nil
}

// interleave takes from the streams round-robin: in each round, the next
// item of every source, sources ordered by their newest item.
func (r *reader) interleave(tx *bolt.Tx, streams []*sourceStream) error {
	slices.SortFunc(streams, func(a, b *sourceStream) int { return bytes.Compare(b.key, a.key) })
	active := streams
	for len(active) > 0 && !r.done() {
		next := active[:0]
		for _, st := range active {
			// Advance this source to its next item Match accepts.
			for st.key != nil && !r.done() {
				ok, err := r.takeStream(tx, st)
				if err != nil {
					return err
				}
				st.next()
				if ok {
					st.taken++
					break
				}
			}
			if st.key != nil && (r.q.PerSource <= 0 || st.taken < r.q.PerSource) {
				next = append(next, st)
			}
			if r.done() {
				break
			}
		}
		active = next
	}
	return nil
}

// interleaved reorders newest-first items round-robin by source.
func interleaved(items []Item) []Item {
	var order []string
	bySource := make(map[string][]Item)
	for _, it := range items {
		if _, ok := bySource[it.Source]; !ok {
			order = append(order, it.Source)
		}
		bySource[it.Source] = append(bySource[it.Source], it)
	}
	out := make([]Item, 0, len(items))
	for round := 0; len(out) < len(items); round++ {
		for _, src := range order {
			if its := bySource[src]; round < len(its) {
				out = append(out, its[round])
			}
		}
	}
	return out
}

// streamHeap orders streams by their current key, newest first.
type streamHeap []*sourceStream

func (h streamHeap) Len() int           { return len(h) }
func (h streamHeap) Less(i, j int) bool { return bytes.Compare(h[i].key, h[j].key) > 0 }
func (h streamHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *streamHeap) Push(x any)        { *h = append(*h, x.(*sourceStream)) }
func (h *streamHeap) Pop() any {
	old := *h
	st := old[len(old)-1]
	*h = old[:len(old)-1]
	return st
}

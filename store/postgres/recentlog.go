package postgres

import (
	"bytes"
	"slices"
	"sync"

	"tickerd/store"
)

// Ingest reads what a feed's items are matched against (their own ids,
// rarity counts, dedupe candidates, the stories they would join) before
// its group takes the write lock (readPlan), so that feeds read side by
// side while one group writes; only the writes are serialized. Under the
// lock, settle accounts for what committed since those reads: the
// sequence number read first says whether anything did, and recentLog
// says what, for the ingests this process committed. Their new items'
// index entries are added to the transaction's freshIndex, as its own
// are; the items they rewrote are not taken from the reads. Anything
// else committed meanwhile (another replica's writes, a prune, a desk
// action, an ingest that updated or removed index entries, or one of the
// same source) and the reads are made again under the lock. Rarity
// counts are not caught up: a feed's keys are chosen by the counts as it
// read them, as in the bbolt backend.
type recentLog struct {
	mu      sync.Mutex
	batches []*recentBatch // in commit order; a rolled-back one is removed
	entries int            // of all batches
}

// recentLogEntries bounds the index entries the log keeps (about 300
// bytes each), oldest batches dropped first: it serves only reads in
// flight, and a read older than what it keeps is made again.
const recentLogEntries = 16384

// recentBatch is what one ingest transaction (a group of feeds),
// holding sequence numbers from+1 to to, changed.
type recentBatch struct {
	from, to uint64
	entries  []recentEntry
	updated  [][]byte        // keys of items whose data it rewrote
	sources  map[string]bool // sources whose ids it wrote
	clean    bool            // nothing but new entries and rewritten data
}

type recentEntry struct {
	key   []byte
	story *store.Story
	day   int32
}

func (r *recentLog) put(b *recentBatch) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.batches = append(r.batches, b)
	r.entries += len(b.entries)
	n := 0
	for ; n < len(r.batches)-1 && r.entries > recentLogEntries; n++ {
		r.entries -= len(r.batches[n].entries)
	}
	r.batches = slices.Delete(r.batches, 0, n)
}

func (r *recentLog) remove(b *recentBatch) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.batches = slices.DeleteFunc(r.batches, func(x *recentBatch) bool {
		if x == b {
			r.entries -= len(x.entries)
		}
		return x == b
	})
}

// between returns the batches that hold sequence numbers from+1 to to,
// in order, when they are all here and clean, each exactly once.
func (r *recentLog) between(from, to uint64) ([]*recentBatch, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*recentBatch
	at := from
	for at < to {
		var next *recentBatch
		for _, b := range r.batches {
			if b.from == at {
				if next != nil { // a rolled-back batch not yet removed
					return nil, false
				}
				next = b
			}
		}
		if next == nil || !next.clean || next.to > to {
			return nil, false
		}
		out = append(out, next)
		at = next.to
	}
	return out, true
}

// batch starts recording this transaction's changes for recentLog.
func (w *writer) recordBatch() {
	w.batch = &recentBatch{clean: true, sources: map[string]bool{}}
}

func (w *writer) recordEntry(key []byte, st *store.Story, day int32) {
	if w.batch == nil {
		return
	}
	// A copy: the caller may reuse its items once Ingest returns.
	c := &store.Story{Title: st.Title, Link: st.Link, Tokens: slices.Clone(st.Tokens), Keys: slices.Clone(st.Keys)}
	w.batch.entries = append(w.batch.entries, recentEntry{key: bytes.Clone(key), story: c, day: day})
}

func (w *writer) recordUnclean() {
	if w.batch != nil {
		w.batch.clean = false
	}
}

// settle returns the plan of r brought up to what committed since its
// reads (w.start): the new entries of this process's ingests, added to
// the transaction's freshIndex, and its stored items less those they
// rewrote, added to the transaction's cache. When recentLog cannot tell
// (see recentLog), the reads are made again, here under the lock.
func (w *writer) settle(r *ingestReq) (*ingestPlan, error) {
	p := r.plan
	bs, ok := w.s.recent.between(p.read, w.start)
	for _, b := range bs {
		ok = ok && !b.sources[p.st.Name]
	}
	if !ok {
		return w.ingestRead(p.st, p.items, r.now)
	}
	stale := map[string]bool{}
	for _, b := range bs {
		for _, k := range b.updated {
			stale[string(k)] = true
		}
		if w.caught[b] {
			continue
		}
		if w.caught == nil {
			w.caught = map[*recentBatch]bool{}
		}
		w.caught[b] = true
		for _, e := range b.entries {
			w.fresh.add(e.key, e.story, e.day, w.s.similarOn())
		}
	}
	for k, v := range p.kept {
		if _, ok := w.items[k]; !ok && !stale[k] {
			w.cacheItem([]byte(k), v)
		}
	}
	return p, nil
}

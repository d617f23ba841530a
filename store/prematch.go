package store

import (
	"bytes"
	"cmp"
	"math"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The dedupe lookup (lookupStory) is most of the CPU an ingest spends in
// its write transaction, and write transactions run one at a time: with
// it inside, a 1,000-feed ingest could go no faster than one core could
// look up every item. So Ingest looks its new items up first, in a read
// transaction in the caller's goroutine, where lookups of several feeds
// run side by side and beside the writer. The write transaction then
// only has to settle what changed since that read's snapshot:
//
//   - an item found then must still be usable (not pruned meanwhile past
//     its tombstone); if not, the item is looked up again in full;
//   - items indexed by transactions that committed after the snapshot
//     (and by the current one, for items earlier in the same group or
//     feed) are checked from recentStories, an in-memory record of what
//     each recent write transaction put in the story index, keyed like
//     the index itself, so the check costs a few map lookups.
//
// The outcome is the one a lookup inside the write transaction would
// give, up to which of several equally good matches is kept.

// recentStories records the story-index entries of recent write
// transactions for as long as a snapshot that predates them is in use.
type recentStories struct {
	mu      sync.Mutex
	batches []*storyBatch  // in transaction order
	readers map[uint64]int // snapshot transaction id → lookups using it
}

// storyBatch is what one write transaction added to the story index.
// Only the write transaction touches its entries and map, so they need no
// lock: bbolt's writer lock orders one transaction after the other.
type storyBatch struct {
	txid    uint64
	entries []recentStory
	byKey   map[indexKey][]int
}

// indexKey is a story-index key without its day: 'l' and a link, 't' and
// a title, or 'k' and a signature key.
type indexKey struct {
	kind byte
	v    string
}

type recentStory struct {
	key   []byte // item key
	story *Story
}

// add records, from inside write transaction tx, that it was indexed
// under key. Entries of a transaction that rolled back stay, under the
// id its retry reuses: lookups check that a match is stored, so they are
// never matched unless the retry stores them again.
func (r *recentStories) add(tx *bolt.Tx, key []byte, story *Story) {
	r.mu.Lock()
	var b *storyBatch
	if n := len(r.batches); n > 0 && r.batches[n-1].txid == uint64(tx.ID()) {
		b = r.batches[n-1]
	} else {
		b = &storyBatch{txid: uint64(tx.ID()), byKey: make(map[indexKey][]int)}
		r.batches = append(r.batches, b)
	}
	// A copy: the caller may reuse its items once Ingest returns.
	story = &Story{Title: story.Title, Link: story.Link, Tokens: slices.Clone(story.Tokens), Keys: slices.Clone(story.Keys)}
	// Under the lock: catchUp reads the batch of a transaction that may
	// still be adding to it.
	defer r.mu.Unlock()
	i := len(b.entries)
	b.entries = append(b.entries, recentStory{key: bytes.Clone(key), story: story})
	if story.Link != "" {
		k := indexKey{'l', story.Link}
		b.byKey[k] = append(b.byKey[k], i)
	}
	if story.Title != "" {
		k := indexKey{'t', story.Title}
		b.byKey[k] = append(b.byKey[k], i)
	}
	for _, v := range story.Keys {
		k := indexKey{'k', v}
		b.byKey[k] = append(b.byKey[k], i)
	}
}

// seen marks how far catchUp looked: every entry of the batches before
// txid, and the first n entries of batch txid itself, which may have been
// in progress (allSeen: all of them).
type seen struct {
	txid uint64
	n    int
}

// allSeen is seen.n for a batch seen whole, such as the snapshot's own.
const allSeen = math.MaxInt

// catchUp scores, outside any transaction, the matches for the items of
// pre (new items, by index in items) among what write transactions
// indexed since snapshot snap, and improves pre with them. It returns how
// far it looked: inside the write transaction settleStory then only has
// to check what was indexed after that, which is at most the transactions
// that committed in the meantime, instead of every one since the snapshot.
// That keeps the scoring out of the write transaction, where every other
// writer waits.
func (s *Store) catchUp(items []Item, pre map[int]storyMatch, snap uint64, now time.Time) seen {
	if len(pre) == 0 || !s.similarOn() && s.dedupe.Window <= 0 {
		return seen{txid: snap, n: allSeen}
	}
	type cand struct {
		i    int
		kind byte
		e    recentStory
	}
	var cands []cand
	r := &s.recent
	r.mu.Lock()
	at := seen{txid: snap, n: allSeen}
	for _, b := range r.batches {
		if b.txid <= snap {
			continue
		}
		at = seen{txid: b.txid, n: len(b.entries)}
		for i := range pre {
			st := items[i].Story
			try := func(kind byte, v string) {
				if v == "" {
					return
				}
				for _, x := range b.byKey[indexKey{kind, v}] {
					cands = append(cands, cand{i, kind, b.entries[x]})
				}
			}
			try('l', st.Link)
			try('t', st.Title)
			if s.matchesSimilar(&items[i]) {
				for _, k := range st.LookupKeys() {
					try('k', k)
				}
			}
		}
	}
	r.mu.Unlock()
	for _, c := range cands {
		it := items[c.i]
		it.firstSeen(now)
		lo, hi := s.window(&it)
		if kt := keyTime(c.e.key); kt.Before(lo) || kt.After(hi) {
			continue
		}
		m := storyMatch{key: c.e.key, kind: c.kind}
		if c.kind == 'k' {
			m.score = s.dedupe.Similarity(it.Story.Tokens, c.e.story.Tokens)
			if m.score < s.dedupe.Threshold {
				continue
			}
		}
		if pre[c.i].improves(m) {
			pre[c.i] = m
		}
	}
	return at
}

// since returns the batches of transactions newer than snapshot txid.
func (r *recentStories) since(txid uint64) []*storyBatch {
	r.mu.Lock()
	defer r.mu.Unlock()
	i := len(r.batches)
	for i > 0 && r.batches[i-1].txid > txid {
		i--
	}
	// A copy: release clears trimmed entries of the backing array while
	// the caller reads, outside the lock (a data race otherwise).
	return slices.Clone(r.batches[i:])
}

// view begins a read transaction and registers its snapshot, so that the
// batches newer than it are kept until release. The two happen under one
// lock: a snapshot begun but not yet registered could otherwise lose
// batches to a trim in between.
func (r *recentStories) view(db *bolt.DB) (*bolt.Tx, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	tx, err := db.Begin(false)
	if err != nil {
		return nil, err
	}
	if r.readers == nil {
		r.readers = make(map[uint64]int)
	}
	r.readers[uint64(tx.ID())]++
	return tx, nil
}

// release ends a snapshot registered by view (after its transaction is
// closed) and forgets the batches no snapshot in use predates.
func (r *recentStories) release(txid uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.readers[txid]--; r.readers[txid] <= 0 {
		delete(r.readers, txid)
	}
	// A snapshot begun later is at least as new as txid, so batches up
	// to the oldest snapshot still in use, or txid, are needed by none.
	floor := txid
	for t := range r.readers {
		floor = min(floor, t)
	}
	n := 0
	for n < len(r.batches) && r.batches[n].txid <= floor {
		r.batches[n] = nil
		n++
	}
	r.batches = r.batches[n:]
}

// preMatch looks up, in a read transaction, every item of items that is
// new as of its snapshot (see lookupStory). It returns the matches, by
// index in items, and the snapshot's transaction id; done must be called
// once the write transaction is over.
func (s *Store) preMatch(items []Item, now time.Time) (m map[int]storyMatch, snap uint64, done func(), err error) {
	done = func() {}
	if s.dedupe.Window <= 0 {
		return nil, 0, done, nil
	}
	var probes [][]string // by index in items: its tokens, rarest first
	if s.dedupe.Keys != nil && s.similarOn() {
		// Keys by rarity as of now: the lookup and the entries written
		// for the item use the same. Chosen before the read transaction
		// begins, so that the counts' lock is never held while waiting
		// on the database (a writer that remaps the file waits for
		// readers, and would wait for one waiting on the counts).
		count, release := s.df.counter()
		if s.dedupe.Prefilter != nil {
			probes = make([][]string, len(items))
		}
		for i := range items {
			if st := items[i].Story; st != nil {
				c := *st
				c.Keys = s.dedupe.Keys(c.Tokens, count, s.dedupe.Threshold)
				if s.dedupe.LookupKeys != nil {
					c.Lookup = s.dedupe.LookupKeys(c.Tokens, count, s.dedupe.Threshold)
				}
				items[i].Story = &c
				if probes != nil {
					probes[i] = byRarity(c.Tokens, count)
				}
			}
		}
		release()
	}
	tx, err := s.recent.view(s.db)
	if err != nil {
		return nil, 0, done, err
	}
	snap = uint64(tx.ID())
	defer tx.Rollback()
	done = func() { s.recent.release(snap) }
	idsB := tx.Bucket(bucketIDs)
	m = make(map[int]storyMatch)
	for i := range items {
		it := &items[i]
		if it.Story == nil {
			continue
		}
		if v := idsB.Get(dedupeKey(it.Source, idHash(it.Source, it.ID))); v != nil && !expiredTomb(v, now) {
			continue
		}
		// Time falls back on FirstSeen for undated and far-future items:
		// look the item up as Ingest will store it.
		c := *it
		c.firstSeen(now)
		var probe []string
		if probes != nil {
			probe = probes[i]
		}
		m[i] = s.lookupStoryProbe(tx, &c, probe)
	}
	return m, snap, done, nil
}

// byRarity returns tokens ordered by count, fewest first (ties in their
// order).
func byRarity(tokens []string, count func(string) uint32) []string {
	type ranked struct {
		t string
		n uint32
	}
	rs := make([]ranked, len(tokens))
	for i, t := range tokens {
		rs[i] = ranked{t, count(t)}
	}
	slices.SortStableFunc(rs, func(x, y ranked) int { return cmp.Compare(x.n, y.n) })
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.t
	}
	return out
}

// settleStory returns the match for it, which is new, inside write
// transaction tx: pre (found at snapshot snap) checked against tx, or
// better matches among items indexed since.
func (s *Store) settleStory(tx *bolt.Tx, it *Item, pre storyMatch, at seen) storyMatch {
	if s.dedupe.Window <= 0 || it.Story == nil {
		return storyMatch{}
	}
	lo, hi := s.window(it)
	now := s.now()
	if pre.key != nil && !usable(tx, pre.key, lo, hi, now) {
		// Pruned past its tombstone since the snapshot; rare.
		return s.lookupStory(tx, it)
	}
	m := pre
	similar := s.matchesSimilar(it)
	for _, b := range s.recent.since(at.txid - min(at.txid, 1)) {
		if b.txid < at.txid {
			continue
		}
		// catchUp looked at the first at.n entries of batch at.txid.
		skip := 0
		if b.txid == at.txid {
			skip = at.n
		}
		try := func(kind byte, v string) {
			if v == "" {
				return
			}
			for _, i := range b.byKey[indexKey{kind, v}] {
				if i < skip {
					continue
				}
				e := b.entries[i]
				c := storyMatch{key: e.key, kind: kind}
				if kind == 'k' {
					c.score = s.dedupe.Similarity(it.Story.Tokens, e.story.Tokens)
					if c.score < s.dedupe.Threshold {
						continue
					}
				}
				if m.improves(c) && usable(tx, e.key, lo, hi, now) {
					m = c
				}
			}
		}
		try('l', it.Story.Link)
		if m.rank() >= 3 {
			continue
		}
		try('t', it.Story.Title)
		if !similar || m.rank() >= 2 {
			continue
		}
		for _, k := range it.Story.LookupKeys() {
			try('k', k)
		}
	}
	return m
}

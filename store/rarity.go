package store

import (
	"encoding/binary"
	"hash/maphash"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketDF holds document frequencies: canonical token → how many stored
// headlines had it (uint32, big-endian). They rank a headline's tokens
// from rarest to commonest, so that the story index files it under its
// unusual words (a village, a name) rather than the words every wire
// shares (Gaza, minister, الاحتلال), whose lists would be long.
var bucketDF = []byte("df")

// dfFlushEvery is how often the counts in memory are written to the file,
// inside a write transaction that happens anyway. The counts only rank
// tokens: a crash losing a few seconds of them changes no outcome that
// matters, and writing them with every ingest would double its writes.
const dfFlushEvery = 10 * time.Second

// docFreq is the document frequency table in memory, keyed by a 64-bit
// hash of the token rather than the token: a news vocabulary at a
// million headlines holds hundreds of thousands of tokens, and the
// strings were most of the store's live heap (figure 6). Two tokens
// sharing a hash (about one pair in 10^8 at a million tokens) would
// share a count, which only makes a ranking a little off.
type docFreq struct {
	mu        sync.RWMutex // guards m, dirty and lastFlush
	m         map[uint64]uint32
	dirty     map[string]bool // changed since the last flush, by token
	lastFlush time.Time
}

// dfSeed seeds the tokens' hashes; the table in memory is built anew by
// each process, so any seed will do.
var dfSeed = maphash.MakeSeed()

func dfKey(t string) uint64 { return maphash.String(dfSeed, t) }

// load reads the table from tx.
func (d *docFreq) load(tx *bolt.Tx) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.m = make(map[uint64]uint32)
	d.dirty = make(map[string]bool)
	b := tx.Bucket(bucketDF)
	if b == nil {
		return
	}
	b.ForEach(func(k, v []byte) error {
		if len(v) == 4 {
			d.m[maphash.Bytes(dfSeed, k)] = binary.BigEndian.Uint32(v)
		}
		return nil
	})
}

// count returns the document frequency of token; safe for concurrent use.
func (d *docFreq) count(token string) uint32 {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.m[dfKey(token)]
}

// counter returns a function that reads counts under one read lock taken
// for the caller's batch: one lock per ingest, not one per token. The
// caller must call release.
func (d *docFreq) counter() (count func(string) uint32, release func()) {
	d.mu.RLock()
	return func(t string) uint32 { return d.m[dfKey(t)] }, d.mu.RUnlock
}

// add counts one more headline with each of tokens.
func (d *docFreq) add(tokens []string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.m == nil {
		d.m, d.dirty = make(map[uint64]uint32), make(map[string]bool)
	}
	for _, t := range tokens {
		if len(t) > 255 {
			continue // not a word anyone will look up; bounds key size
		}
		if k := dfKey(t); d.m[k] < ^uint32(0) {
			d.m[k]++
		}
		d.dirty[t] = true
	}
}

// flush writes the changed counts in tx when dfFlushEvery has passed, or
// always when force is set. It writes absolute counts, so a transaction
// that runs again writes the same. The dirty set is cleared at once: a
// roll-back loses those counts from the file until they change again,
// which only makes a ranking a little staler.
func (d *docFreq) flush(tx *bolt.Tx, now time.Time, force bool) error {
	d.mu.Lock()
	if len(d.dirty) == 0 || !force && now.Sub(d.lastFlush) < dfFlushEvery {
		d.mu.Unlock()
		return nil
	}
	type kv struct {
		k string
		v uint32
	}
	out := make([]kv, 0, len(d.dirty))
	for t := range d.dirty {
		out = append(out, kv{t, d.m[dfKey(t)]})
	}
	clear(d.dirty)
	d.lastFlush = now
	d.mu.Unlock()
	b, err := tx.CreateBucketIfNotExists(bucketDF)
	if err != nil {
		return err
	}
	// bbolt keeps the slices given to Put until the commit: one buffer
	// for all values, each its own four bytes.
	vals := make([]byte, 4*len(out))
	for i, e := range out {
		v := vals[4*i : 4*i+4 : 4*i+4]
		binary.BigEndian.PutUint32(v, e.v)
		if err := b.Put([]byte(e.k), v); err != nil {
			return err
		}
	}
	return nil
}

// rekey sets the keys of it's story by rarity as of now, when the store
// chooses keys (Dedupe.Keys); the story is copied, not changed.
func (s *Store) rekey(it *Item) {
	if s.dedupe.Keys == nil || it.Story == nil || !s.similarOn() {
		return
	}
	count, release := s.df.counter()
	defer release()
	st := *it.Story
	st.Keys = s.dedupe.Keys(st.Tokens, count, s.dedupe.Threshold)
	it.Story = &st
}

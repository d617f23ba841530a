package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The story index is kept in memory for new items, and the data file
// holds their entries as a log.
//
// It used to be only the keyed bucket of keyed.go. Those keys land at
// random places in the tree, so each commit of a few hundred items
// dirtied, and wrote, a page per entry: the largest share of what dedupe
// cost an ingest (issue 21, figure 2: the commit's page writes, the puts
// and the cursor seeks of the lookups). Now each new item writes one
// entry to bucket "storylog", keyed by the item key, so the entries of new
// items land next to one another at the log's end, and lookups read a map
// in memory.
//
//	"storylog": item key → link, title, signature keys and tokens
//	(see encodeLogEntry)
//
// The two parts split at an item key, memIndex.disk (recorded in bucket
// "meta"): items before it are filed in the keyed bucket, the rest in the
// log and memory. Once an hour, the ingest that finds the split more than
// an hour behind twice the dedupe window ago moves the log's entries
// before that point to the keyed bucket, in key order (Store.fold), so
// memory holds about two windows of items: an item dated up to a window
// ago finds all its candidates in memory. An older one (a new source's
// first fetch, a feed that re-dates old items) also reads the keyed part.
// Memory forgets what a fold moved only at the next fold, an hour later,
// so that a lookup whose snapshot predates a fold still finds it there.
//
// Memory keys are a 64-bit hash of the kind and the text, not the text,
// to keep memory at about 100 bytes an item. A link or title match is
// checked against the log entry's text before it counts, so a collision
// cannot merge two stories; a signature key shared by collision only adds
// a candidate, which is scored on its tokens like any other.
var bucketStoryLog = []byte("storylog")

// metaStoryLayout records in bucketMeta how the story index is stored:
// storyLayout for the log and memory in front of the keyed bucket. A file
// without it has only the keyed bucket, which Open replaces by a log and
// a keyed part built from the items.
var metaStoryLayout = []byte("story_layout")

const storyLayout = 2

// metaStoryDisk records memIndex.disk in bucketMeta.
var metaStoryDisk = []byte("story_disk")

// foldBatch bounds the log entries one fold moves, so a daemon back from a
// long stop does not hold the writer for long.
const foldBatch = 20_000

// foldEvery is how far behind the split may fall before a fold.
const foldEvery = time.Hour

// memEntry is an item under a link or title key of memory.
type memEntry struct {
	key [16]byte
}

// sigEntry is an item under a signature key of memory: its key, its
// tokens' mask (Dedupe.Mask; all ones without one) and its tokens,
// 0x00-separated (one string shared by the item's entries). The mask is
// in the entry, not with the tokens, so that the entries a lookup runs
// through are read in order from one array: most candidates end at the
// mask, and reading it through the string cost a cache miss each.
type sigEntry struct {
	key    [16]byte
	mask   uint64
	tokens string
}

func (e memEntry) itemKey() [16]byte { return e.key }
func (e sigEntry) itemKey() [16]byte { return e.key }

// listEntry is an entry of a memory list.
type listEntry interface {
	memEntry | sigEntry
	itemKey() [16]byte
}

// memIndex is the story index's memory part.
type memIndex struct {
	mu    sync.RWMutex
	lists map[uint64][]memEntry // memKey of a link or title → entries in item key order
	sigs  map[uint64][]sigEntry // memKey of a signature key → entries in item key order
	// disk is where the index splits: the entries of items with keys
	// before it are in the keyed bucket, the others in the log and here.
	disk []byte
	// on is set once memory holds the log: a read-only store never
	// loads it.
	on bool
	// mask is Dedupe.Mask when the lookup tests masks, else nil.
	mask func(tokens []string) uint64
}

func memKey(kind byte, v string) uint64 {
	var h maphash.Hash
	h.SetSeed(dfSeed)
	h.WriteByte(kind)
	h.WriteString(v)
	return h.Sum64()
}

// add files the entries of st, the story of the item at key. Filing an
// entry again (a transaction run again) replaces it.
func (m *memIndex) add(key []byte, st *Story, similar bool) {
	if len(key) != 16 {
		return
	}
	k := [16]byte(key)
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.on {
		return
	}
	if st.Link != "" {
		m.insert(memKey('l', st.Link), memEntry{key: k})
	}
	if st.Title != "" {
		m.insert(memKey('t', st.Title), memEntry{key: k})
	}
	if !similar || len(st.Keys) == 0 {
		return
	}
	mask := ^uint64(0)
	if m.mask != nil {
		mask = m.mask(st.Tokens)
	}
	tokens := strings.Join(st.Tokens, "\x00")
	for _, sig := range st.Keys {
		insertEntry(m.sigs, memKey('k', sig), sigEntry{key: k, mask: mask, tokens: tokens})
	}
}

// insert puts e in the list of a link or title under h, under m.mu.
func (m *memIndex) insert(h uint64, e memEntry) { insertEntry(m.lists, h, e) }

// insertEntry puts e in its place in the list under h. Items come mostly
// in time order, so the place is looked for from the end.
func insertEntry[E listEntry](lists map[uint64][]E, h uint64, e E) {
	list := lists[h]
	k := e.itemKey()
	i := len(list)
	for i > 0 {
		prev := list[i-1].itemKey()
		if bytes.Compare(prev[:], k[:]) <= 0 {
			break
		}
		i--
	}
	if i > 0 && list[i-1].itemKey() == k {
		list[i-1] = e
		return
	}
	lists[h] = slices.Insert(list, i, e)
}

// remove takes the item at key out of the list under h, under m.mu. The
// hash says whether it is a signature's (memKey hashes the kind), so the
// other map has no list under it.
func (m *memIndex) remove(h uint64, key [16]byte) {
	removeEntry(m.lists, h, key)
	removeEntry(m.sigs, h, key)
}

func removeEntry[E listEntry](lists map[uint64][]E, h uint64, key [16]byte) {
	list := lists[h]
	i := sort.Search(len(list), func(i int) bool { k := list[i].itemKey(); return bytes.Compare(k[:], key[:]) >= 0 })
	if i == len(list) || list[i].itemKey() != key {
		return
	}
	if len(list) == 1 {
		delete(lists, h)
		return
	}
	lists[h] = slices.Delete(list, i, i+1)
}

// drop forgets the entries of items with keys before cut, under m.mu.
func (m *memIndex) drop(cut []byte) {
	dropEntries(m.lists, cut)
	dropEntries(m.sigs, cut)
}

func dropEntries[E listEntry](lists map[uint64][]E, cut []byte) {
	for h, list := range lists {
		i := sort.Search(len(list), func(i int) bool { k := list[i].itemKey(); return bytes.Compare(k[:], cut) >= 0 })
		switch {
		case i == len(list):
			delete(lists, h)
		case i > 0:
			lists[h] = slices.Clone(list[i:])
		}
	}
}

// split returns memIndex.disk.
func (m *memIndex) split() []byte {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.disk
}

// inLog reports whether the item at key is filed in the log and memory.
func (m *memIndex) inLog(key []byte) bool {
	return bytes.Compare(key, m.split()) >= 0
}

// foldPoint is where the split belongs at now: twice the dedupe window
// back.
func (s *Store) foldPoint(now time.Time) []byte {
	return itemKey(now.Add(-2*s.dedupe.Window), 0)
}

// foldDue reports whether the split is more than foldEvery behind where
// it belongs (foldPoint). It runs for every item indexed, so it compares
// times rather than building the key.
func (s *Store) foldDue(now time.Time) bool {
	return now.Add(-2*s.dedupe.Window).Sub(keyTime(s.mem.split())) >= foldEvery
}

// fold moves, inside write transaction tx, the log's entries of items
// before upTo to the keyed bucket (at most foldBatch of them), moves the
// split to where it stopped and records it, and forgets in memory what
// the last fold moved. It reports whether it reached upTo.
func (s *Store) fold(tx *bolt.Tx, upTo []byte) (bool, error) {
	c := tx.Bucket(bucketStoryLog).Cursor()
	n := 0
	at := upTo
	for k, v := c.First(); k != nil && bytes.Compare(k, upTo) < 0; k, v = c.First() {
		if n == foldBatch {
			at = bytes.Clone(k)
			break
		}
		if e, ok := decodeLogEntry(v); ok && len(k) == 16 {
			if err := s.putKeyed(tx, k, e.story()); err != nil {
				return false, err
			}
		}
		if err := c.Delete(); err != nil {
			return false, err
		}
		n++
	}
	meta, err := tx.CreateBucketIfNotExists(bucketMeta)
	if err != nil {
		return false, err
	}
	if err := meta.Put(metaStoryDisk, at); err != nil {
		return false, err
	}
	s.mem.mu.Lock()
	if s.mem.on {
		s.mem.drop(s.mem.disk)
	}
	s.mem.disk = at
	s.mem.mu.Unlock()
	return bytes.Equal(at, upTo), nil
}

// loadSplit reads the split recorded in tx; a file without one has every
// entry in the log (a new file) or none (one the rebuild is about to fill).
func (m *memIndex) loadSplit(tx *bolt.Tx) {
	var disk []byte
	if b := tx.Bucket(bucketMeta); b != nil {
		if v := b.Get(metaStoryDisk); len(v) == 16 {
			disk = bytes.Clone(v)
		}
	}
	m.mu.Lock()
	if disk == nil {
		disk = make([]byte, 16)
	}
	m.disk = disk
	m.mu.Unlock()
}

// load fills memory from the log in tx.
func (m *memIndex) load(tx *bolt.Tx, similar bool) {
	m.mu.Lock()
	m.lists = make(map[uint64][]memEntry)
	m.sigs = make(map[uint64][]sigEntry)
	m.on = true
	m.mu.Unlock()
	b := tx.Bucket(bucketStoryLog)
	if b == nil {
		return
	}
	b.ForEach(func(k, v []byte) error {
		if e, ok := decodeLogEntry(v); ok {
			m.add(k, e.story(), similar)
		}
		return nil
	})
}

// logEntry is a story as the log holds it.
type logEntry struct {
	link, title string
	keys        []string
	tokens      string // 0x00-separated
}

func (e *logEntry) story() *Story {
	st := &Story{Link: e.link, Title: e.title, Keys: e.keys}
	if e.tokens != "" {
		st.Tokens = strings.Split(e.tokens, "\x00")
	}
	return st
}

// encodeLogEntry encodes st for the log: the link, the title and each
// signature key with its length before it (uvarint), the number of keys
// before them, and the tokens, 0x00-separated, to the end.
func encodeLogEntry(st *Story) []byte {
	n := len(st.Link) + len(st.Title) + 16
	for _, k := range st.Keys {
		n += len(k) + 2
	}
	for _, t := range st.Tokens {
		n += len(t) + 1
	}
	b := make([]byte, 0, n)
	b = binary.AppendUvarint(b, uint64(len(st.Link)))
	b = append(b, st.Link...)
	b = binary.AppendUvarint(b, uint64(len(st.Title)))
	b = append(b, st.Title...)
	b = binary.AppendUvarint(b, uint64(len(st.Keys)))
	for _, k := range st.Keys {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
	}
	for i, t := range st.Tokens {
		if i > 0 {
			b = append(b, 0)
		}
		b = append(b, t...)
	}
	return b
}

// decodeLogEntry reads an entry encodeLogEntry wrote; ok is false for
// bytes it could not have written.
func decodeLogEntry(v []byte) (e logEntry, ok bool) {
	field := func() (string, bool) {
		n, w := binary.Uvarint(v)
		if w <= 0 || n > uint64(len(v)-w) {
			return "", false
		}
		s := string(v[w : w+int(n)])
		v = v[w+int(n):]
		return s, true
	}
	if e.link, ok = field(); !ok {
		return e, false
	}
	if e.title, ok = field(); !ok {
		return e, false
	}
	n, w := binary.Uvarint(v)
	if w <= 0 || n > uint64(len(v)) {
		return e, false
	}
	v = v[w:]
	for range n {
		k, ok := field()
		if !ok {
			return e, false
		}
		e.keys = append(e.keys, k)
	}
	e.tokens = string(v)
	return e, true
}

// logHas reports whether the log entry of the item at key in tx has text
// v as its link (kind 'l') or title ('t'): a memory key's hash matched.
func logHas(tx *bolt.Tx, key []byte, kind byte, v string) bool {
	raw := tx.Bucket(bucketStoryLog).Get(key)
	if raw == nil {
		return false
	}
	e, ok := decodeLogEntry(raw)
	if !ok {
		return false
	}
	if kind == 'l' {
		return e.link == v
	}
	return e.title == v
}

// openIndex reads the split, folds what a stopped daemon left in the log
// past it, and loads the log into memory.
func (s *Store) openIndex() error {
	if err := s.db.View(func(tx *bolt.Tx) error { s.mem.loadSplit(tx); return nil }); err != nil {
		return err
	}
	now := s.now()
	for s.foldDue(now) {
		done := false
		err := s.db.Update(func(tx *bolt.Tx) error {
			var err error
			done, err = s.fold(tx, s.foldPoint(now))
			return err
		})
		if err != nil {
			return fmt.Errorf("fold story log: %w", err)
		}
		if done {
			break
		}
	}
	return s.db.View(func(tx *bolt.Tx) error {
		s.mem.load(tx, s.similarOn())
		return nil
	})
}

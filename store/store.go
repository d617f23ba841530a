// Package store keeps tickerd's headlines and per-source fetch state in one
// bbolt file. It is the only package that touches bbolt: everything else talks
// to it in its own types (Item, SourceState, Query), so that a second backend
// can fit behind the same methods later.
//
// Items are keyed for newest-first reads: 8 bytes of big-endian ordering time
// (Item.Time) followed by 8 bytes of identity hash. A dedupe index maps each
// (source, identity) to the item's key, so a headline seen again is updated in
// place rather than stored twice. Each fetched feed is one write transaction.
//
// Prune enforces retention (age, items per source) in small transactions,
// logging each removal and leaving tombstones so that a pruned story does
// not come back as new within the dedupe window; see retention.go.
package store

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// Bucket names. Changing them breaks every existing data file.
var (
	bucketItems   = []byte("items")   // time(8) + hash(8) → JSON Item
	bucketIDs     = []byte("ids")     // source + 0x00 + hash(8) → item key
	bucketSources = []byte("sources") // source name → JSON SourceState
	bucketStories = []byte("stories") // the story index before storyLayout 2; see memindex.go
	// bucketChanges is the change log, see changes.go.
)

// ErrInUse is returned by Open when another process holds the data file.
var ErrInUse = errors.New("data file is in use by another process (is tickerd already running?)")

// Options configures Open. A nil *Options means the defaults.
type Options struct {
	// Timeout bounds the wait for the file lock; zero means 1s. bbolt
	// otherwise waits forever when a second tickerd opens the same file.
	Timeout time.Duration
	// ReadOnly opens the file without taking the write lock, for tools that
	// inspect a database no daemon is using.
	ReadOnly bool
	// MatchVersion identifies the rules the story index is keyed by
	// (match.Version); when the file records another, Open rebuilds the
	// index and records this one. Zero leaves the index as it is.
	MatchVersion uint64
	// Logger receives the rebuild's progress; nil discards it.
	Logger *slog.Logger
	// Now replaces time.Now, for tests.
	Now func() time.Time
	// Dedupe configures cross-source dedupe; the zero value turns it off.
	Dedupe Dedupe
	// ChangeLog is how many changes the change log keeps; zero means
	// 10,000.
	ChangeLog int
}

// Dedupe configures how the store recognizes one story told by several
// items. The store knows no text rules: the fetcher fills Item.Story and the
// caller supplies the similarity measure, so the rules live in one place.
type Dedupe struct {
	// Window is how far apart in time two items may be and still be one
	// story; zero turns cross-source dedupe off.
	Window time.Duration
	// Threshold is the least Similarity for a near-duplicate title; zero
	// leaves only equal links and equal normalized titles.
	Threshold float64
	// Similarity scores two token sets from 0 to 1.
	Similarity func(a, b []string) float64
	// Prefilter, when set, prepares a new headline's tokens for a quick
	// test run on each candidate before Similarity. The test gets the
	// candidate's tokens joined by 0x00 bytes and may answer false only
	// when their Similarity is below threshold (match.Prefilter is one).
	// The tokens may come in another order than Story.Tokens (rarest
	// first); the test must treat them as a set.
	// Most candidates share one word with the headline and no more, so
	// skipping them unsplit and unscored is most of a lookup's work saved.
	Prefilter func(tokens []string, threshold float64) func(joined string) bool
	// Mask and MaskFilter, when both set, sum a headline's tokens up in
	// 64 bits (match.TokenMask) and prepare a new headline's tokens for a
	// test of a candidate's mask (match.ScoreMaskFilter), which may
	// answer false only when their Similarity is below threshold. The
	// index kept in memory holds each item's mask beside its tokens and
	// tests it before Prefilter: a few nanoseconds rule out most
	// candidates, where Prefilter's substring searches take tens.
	Mask       func(tokens []string) uint64
	MaskFilter func(tokens []string, threshold float64) func(mask uint64) bool
	// Story, when set, returns the matching forms the fetcher gives a
	// stored item (from its title and link), so that when an update
	// changes an item's text the index entries of its old text are
	// deleted; without it they stay until Prune trims their day.
	Story func(*Item) *Story
	// Keys, when set, chooses a new headline's index keys from its
	// tokens, given how many stored headlines had each token (count) so
	// far: the store calls it instead of using Story.Keys, for lookups and
	// for the entries it writes (match.RareKeys is one). Without it the
	// keys are Story.Keys as given.
	Keys func(tokens []string, count func(string) uint32, threshold float64) []string
	// LookupKeys, when set with Keys, chooses the keys a new headline is
	// looked up under (a superset of its Keys; match.RareLookupKeys is
	// one). Index entries are written under Keys only.
	LookupKeys func(tokens []string, count func(string) uint32, threshold float64) []string
}

// Stats counts what the store has done since Open.
type Stats struct {
	// Writes is the number of committed write transactions.
	Writes uint64
}

// Store is an open data file. Its methods are safe for concurrent use.
type Store struct {
	db        *bolt.DB
	now       func() time.Time
	dedupe    Dedupe
	changeLog int

	version    atomic.Uint64 // the change log's last sequence number
	lastChange atomic.Int64  // unix nanoseconds
	writes     atomic.Uint64

	// group gathers the write transactions of concurrent Ingest calls
	// into one commit; see updateGrouped.
	group groupCommit
	// recent is what write transactions added to the story index, for
	// dedupe lookups made before them; see prematch.go.
	recent recentStories
	// mem is the story index in memory; see memindex.go.
	mem memIndex
	// df counts the headlines each canonical token was in; see rarity.go.
	df docFreq
	// kept spares addReport decoding the items it rewrites; see keptcache.go.
	kept keptCache

	mu      sync.Mutex // guards states, dirty and changed
	states  map[string]SourceState
	dirty   map[string]bool // states marked in memory but not yet written
	changed chan struct{}   // closed and replaced on every change to items
}

// Open opens or creates the bbolt file at path, creating its folder. It
// returns an error wrapping ErrInUse if another process holds the file.
func Open(path string, opts *Options) (*Store, error) {
	if opts == nil {
		opts = &Options{}
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = time.Second
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	if !opts.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("create data folder: %w", err)
		}
	}
	db, err := openBolt(path, &bolt.Options{Timeout: timeout, ReadOnly: opts.ReadOnly})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("open %s: %w", path, ErrInUse)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{
		db:        db,
		now:       now,
		dedupe:    opts.Dedupe,
		changeLog: cmp.Or(max(opts.ChangeLog, 0), defaultChangeLog),
		states:    make(map[string]SourceState),
		dirty:     make(map[string]bool),
		changed:   make(chan struct{}),
	}
	if opts.Dedupe.Mask != nil && opts.Dedupe.MaskFilter != nil {
		s.mem.mask = opts.Dedupe.Mask
	}
	if !opts.ReadOnly {
		// Holding the write lock, no compaction can be running: any of
		// its temporary files left is from one that was killed.
		removeStaleCompactions(path)
		err = db.Update(func(tx *bolt.Tx) error {
			for _, b := range [][]byte{bucketItems, bucketIDs, bucketSources, bucketStories, bucketStoryLog, bucketChanges, bucketTombs, bucketTombExp, bucketDesk, bucketAudit} {
				if _, err := tx.CreateBucketIfNotExists(b); err != nil {
					return err
				}
			}
			if err := ensureSourceIndex(tx); err != nil {
				return err
			}
			return ensureTellings(tx)
		})
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("initialize %s: %w", path, err)
		}
	}
	if !opts.ReadOnly {
		logger := opts.Logger
		if logger == nil {
			logger = slog.New(slog.DiscardHandler)
		}
		if err := s.ensureMatchVersion(opts.MatchVersion, logger); err != nil {
			db.Close()
			return nil, fmt.Errorf("upgrade %s: %w", path, err)
		}
	}
	if !opts.ReadOnly && s.dedupe.Window > 0 {
		if err := s.openIndex(); err != nil {
			db.Close()
			return nil, fmt.Errorf("read story index of %s: %w", path, err)
		}
	}
	// Source states are few and read on every fetch: keep them in memory.
	err = db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketChanges); b != nil {
			s.version.Store(b.Sequence())
		}
		s.df.load(tx)
		b := tx.Bucket(bucketSources)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var st SourceState
			if err := json.Unmarshal(v, &st); err != nil {
				return fmt.Errorf("source %q: %w", k, err)
			}
			s.states[st.Name] = st
			return nil
		})
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("read source states from %s: %w", path, err)
	}
	s.lastChange.Store(now().UnixNano())
	return s, nil
}

// ErrCorrupt is matched (errors.Is) by Open's error for a data file that is
// damaged: cut short, or with pages bbolt cannot read.
var ErrCorrupt = errors.New("data file is corrupt (restore a backup, or move the file away to start empty)")

// openBolt is bolt.Open made safe for damaged files. bbolt panics on some
// (a cut-short file's freelist, say) and maps the whole file, so a page
// beyond its end would crash the process at first read (SIGBUS) rather
// than fail: a file shorter than its own meta page says is refused here.
// After a recovered panic the file handle bbolt opened is not closed; the
// caller is about to exit with the error anyway.
func openBolt(path string, o *bolt.Options) (db *bolt.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, fmt.Errorf("%w: %v", ErrCorrupt, r)
		}
	}()
	if err := checkLength(path); err != nil {
		return nil, err
	}
	_, statErr := os.Stat(path)
	db, err = bolt.Open(path, 0o600, o)
	if err != nil {
		// A new file bbolt could not finish writing (a full disk) would
		// be taken for a corrupt one at the next start: remove it.
		if errors.Is(statErr, fs.ErrNotExist) && !o.ReadOnly && !errors.Is(err, bolt.ErrTimeout) {
			os.Remove(path)
		}
		// Anything but a timeout or a file system error (permission,
		// read-only, full disk) is about the file's content.
		var pe *fs.PathError
		if !errors.Is(err, bolt.ErrTimeout) && !errors.As(err, &pe) {
			err = fmt.Errorf("%w: %w", ErrCorrupt, err)
		}
		return nil, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		db.Close()
		return nil, err
	}
	var want int64
	err = db.View(func(tx *bolt.Tx) error {
		want = tx.Size()
		return nil
	})
	if err == nil && want > fi.Size() {
		err = fmt.Errorf("%w: the file holds %d bytes, its header says %d", ErrCorrupt, fi.Size(), want)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// checkLength refuses a bbolt file shorter than its newest meta page says
// it is, before bbolt maps it: reading a page past the end of a mapped
// file is a fault no recover catches. It reads bbolt's on-disk meta
// layout (page header, then magic, version, page size, flags, root bucket,
// freelist, high-water page id, txid), unchanged since bbolt forked from
// Bolt; files it cannot make sense of are left for bbolt to judge.
func checkLength(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	const magic = 0xED0CDAED
	var best struct{ txid, end uint64 }
	readMeta := func(off int64) (pageSize uint32, ok bool) {
		var b [80]byte
		if _, err := f.ReadAt(b[:], off); err != nil {
			return 0, false
		}
		e := binary.NativeEndian
		if e.Uint32(b[16:]) != magic {
			return 0, false
		}
		// A meta page torn by a crash fails its checksum (FNV-64a of the
		// meta before it); bbolt then uses the other one, and so do we.
		h := fnv.New64a()
		h.Write(b[16:72])
		if h.Sum64() != e.Uint64(b[72:]) {
			return e.Uint32(b[24:]), true
		}
		pageSize = e.Uint32(b[24:])
		if txid := e.Uint64(b[64:]); txid >= best.txid {
			best.txid, best.end = txid, e.Uint64(b[56:])*uint64(pageSize)
		}
		return pageSize, true
	}
	pageSize, ok := readMeta(0)
	if !ok || pageSize < 512 || pageSize > 1<<20 {
		return nil
	}
	readMeta(int64(pageSize))
	if best.end > uint64(fi.Size()) {
		return fmt.Errorf("%w: the file holds %d bytes, its header says %d", ErrCorrupt, fi.Size(), best.end)
	}
	return nil
}

// Close writes source states marked in memory and closes the file. It waits
// for transactions in progress.
func (s *Store) Close() error {
	var err error
	if !s.db.IsReadOnly() {
		err = s.flush()
	}
	if cerr := s.db.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close data file: %w", cerr)
	}
	// A closed store may stay referenced (a test, a benchmark harness);
	// its index in memory, the one part that grows with the items, goes.
	s.mem.mu.Lock()
	s.mem.lists, s.mem.sigs, s.mem.on = nil, nil, false
	s.mem.mu.Unlock()
	return err
}

// flush writes every state that MarkState changed since the last write.
func (s *Store) flush() error {
	s.mu.Lock()
	pending := s.takeDirty()
	s.mu.Unlock()
	s.df.mu.RLock()
	dfDirty := len(s.df.dirty) > 0
	s.df.mu.RUnlock()
	if len(pending) == 0 && !dfDirty {
		return nil
	}
	return s.update(func(tx *bolt.Tx) error {
		if err := s.df.flush(tx, s.now(), true); err != nil {
			return err
		}
		return putStates(tx, pending)
	})
}

// takeDirty returns the states marked but not written and forgets the marks.
// The caller holds s.mu.
func (s *Store) takeDirty() []SourceState {
	var out []SourceState
	for name := range s.dirty {
		out = append(out, s.states[name])
	}
	clear(s.dirty)
	return out
}

func putStates(tx *bolt.Tx, states []SourceState) error {
	b := tx.Bucket(bucketSources)
	for _, st := range states {
		v, err := json.Marshal(st)
		if err != nil {
			return err
		}
		if err := b.Put([]byte(st.Name), v); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) update(fn func(tx *bolt.Tx) error) error {
	err := s.db.Update(fn)
	if err == nil {
		s.writes.Add(1)
	}
	return err
}

// Path reports the file the store was opened on.
func (s *Store) Path() string { return s.db.Path() }

// Stats reports counters since Open.
func (s *Store) Stats() Stats {
	return Stats{Writes: s.writes.Load()}
}

// Version reports a number that grows whenever stored items change: the
// sequence number of the last change logged. It is cheap enough to call on
// every request.
func (s *Store) Version() uint64 { return s.version.Load() }

// LastChange reports when stored items last changed, or when the store was
// opened if they have not changed since.
func (s *Store) LastChange() time.Time {
	return time.Unix(0, s.lastChange.Load()).UTC()
}

// Changed returns a channel that is closed at the next change to items.
func (s *Store) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// noteChange publishes a committed transaction whose last logged change
// is seq. Transactions commit one at a time but their callers return in any
// order, so the version only ever moves forward.
func (s *Store) noteChange(seq uint64) {
	for {
		v := s.version.Load()
		if seq <= v || s.version.CompareAndSwap(v, seq) {
			break
		}
	}
	s.lastChange.Store(s.now().UnixNano())
	s.mu.Lock()
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}

// State reports the last known state of the named source.
func (s *Store) State(name string) (SourceState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.states[name]
	return st, ok
}

// States reports the state of every source the store knows, sorted by name.
func (s *Store) States() []SourceState {
	s.mu.Lock()
	out := make([]SourceState, 0, len(s.states))
	for _, st := range s.states {
		out = append(out, st)
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b SourceState) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// MarkState records st in memory only; it is written with the next write to
// the store or at Close. The fetcher uses it for outcomes that change nothing
// but times (a 304, an identical body), so that those cost no disk write.
// st.Items is kept from the store's own count.
func (s *Store) MarkState(st SourceState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st.Items = s.states[st.Name].Items
	s.states[st.Name] = st
	s.dirty[st.Name] = true
}

// SaveState writes st now, with any states marked in memory. st.Items is kept
// from the store's own count.
func (s *Store) SaveState(ctx context.Context, st SourceState) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if st.Name == "" {
		return errors.New("save state: source has no name")
	}
	s.mu.Lock()
	st.Items = s.states[st.Name].Items
	s.states[st.Name] = st
	delete(s.dirty, st.Name)
	pending := append(s.takeDirty(), st)
	s.mu.Unlock()
	// Grouped like Ingest: a poll cycle in which every source's state
	// changes (the first after a start, an outage) is otherwise one
	// fsync per source.
	err := s.updateGrouped(func(tx *bolt.Tx) error { return putStates(tx, pending) })
	if err != nil {
		s.remark(pending)
		return fmt.Errorf("save state of %s: %w", st.Name, err)
	}
	return nil
}

// remark marks states again after a failed write, so they are retried.
func (s *Store) remark(states []SourceState) {
	s.mu.Lock()
	for _, st := range states {
		s.dirty[st.Name] = true
	}
	s.mu.Unlock()
}

// Ingest stores the items of one fetched feed and the source's new state in
// one write transaction. An item whose (Source, ID) is already stored is
// updated in place when its content changed and left alone otherwise; new
// items get FirstSeen set to now. Every item must carry st.Name as Source.
func (s *Store) Ingest(ctx context.Context, st SourceState, items []Item) (IngestResult, error) {
	var res IngestResult
	if err := ctx.Err(); err != nil {
		return res, err
	}
	if st.Name == "" {
		return res, errors.New("ingest: source has no name")
	}
	for i := range items {
		if items[i].Source != st.Name {
			return res, fmt.Errorf("ingest %s: item %q belongs to source %q", st.Name, items[i].ID, items[i].Source)
		}
		if items[i].ID == "" {
			return res, fmt.Errorf("ingest %s: item %q has no id", st.Name, items[i].Title)
		}
	}
	now := s.now().UTC()

	// The dedupe lookups, outside the write transaction (prematch.go).
	pre, snap, done, err := s.preMatch(items, now)
	if err != nil {
		return res, fmt.Errorf("ingest %s: look up stories: %w", st.Name, err)
	}
	defer done()
	at := s.catchUp(items, pre, snap, now)

	s.mu.Lock()
	delete(s.dirty, st.Name)
	pending := s.takeDirty()
	s.mu.Unlock()

	var lastSeq uint64
	var prev SourceState
	var hadPrev, swapped bool
	// unswap undoes the state a run of the closure set in memory.
	unswap := func() {
		if !swapped {
			return
		}
		s.mu.Lock()
		if hadPrev {
			s.states[st.Name] = prev
		} else {
			delete(s.states, st.Name)
		}
		s.mu.Unlock()
		swapped = false
	}
	// Grouped, the closure may run more than once (see commitGroup): it
	// starts from scratch each time, undoing the state it set in memory
	// on a run whose group was rolled back.
	err = s.updateGrouped(func(tx *bolt.Tx) error {
		unswap()
		res = IngestResult{}
		lastSeq = 0
		// Read inside the transaction: retention changes counts inside
		// its own, and write transactions run one at a time.
		s.mu.Lock()
		n := s.states[st.Name].Items
		s.mu.Unlock()
		itemsB := tx.Bucket(bucketItems)
		idsB := tx.Bucket(bucketIDs)
		seen := make(map[uint64]bool, len(items))
		for i := range items {
			it := items[i]
			validUTF8(&it)
			h := idHash(it.Source, it.ID)
			if seen[h] {
				// A feed listing one id twice: the first occurrence wins.
				res.Unchanged++
				continue
			}
			seen[h] = true
			idKey := dedupeKey(it.Source, h)
			oldKey := idsB.Get(idKey)
			if expiredTomb(oldKey, now) {
				oldKey = nil
			} else if isTomb(oldKey) {
				// Pruned by retention within the dedupe window: a feed
				// still listing it must not bring it back.
				res.Unchanged++
				continue
			}
			if oldKey == nil {
				it.firstSeen(now)
				var m storyMatch
				if p, ok := pre[i]; ok {
					m = s.settleStory(tx, &it, p, at)
				} else {
					m = s.lookupStory(tx, &it)
				}
				kept := m.key
				if kept != nil && itemsB.Get(kept) == nil {
					// The story's item was pruned within the window: this
					// telling is no news either, and leaves a tombstone.
					expiry, _ := tombAlive(tx, kept, now)
					if err := tombID(tx, idKey, expiry); err != nil {
						return err
					}
					res.Duplicate++
					continue
				}
				if kept != nil {
					ref, updated, told, err := s.addReport(tx, kept, &it)
					if err != nil {
						return err
					}
					if told {
						// The same source told the story already: the
						// item again under a new GUID (a source that
						// churns them), or a second telling its ticker
						// would not show. Nothing is recorded, so
						// nothing grows with each poll.
						res.Duplicate++
						continue
					}
					if updated {
						if lastSeq, err = s.logChange(tx, OpUpdated, kept, &Item{Source: ref.Source, ID: ref.ID}); err != nil {
							return err
						}
					}
					if err := idsB.Put(idKey, append([]byte{dupMark}, kept...)); err != nil {
						return err
					}
					res.Duplicate++
					continue
				}
				key, err := putItem(itemsB, idsB, idKey, h, &it)
				if err != nil {
					return err
				}
				if err := s.indexStory(tx, key, &it); err != nil {
					return err
				}
				if lastSeq, err = s.logChange(tx, OpAdded, key, &it); err != nil {
					return err
				}
				res.New++
				n++
				continue
			}
			if oldKey[0] == dupMark && len(oldKey) == 17 {
				// Already recorded as a report on another item's story:
				// a change to its text changes the report.
				keptItem, err := updateReport(tx, oldKey[1:], &it)
				if err != nil {
					return err
				}
				if keptItem == nil {
					res.Unchanged++
					continue
				}
				if lastSeq, err = s.logChange(tx, OpUpdated, oldKey[1:], keptItem); err != nil {
					return err
				}
				res.Updated++
				continue
			}
			var old Item
			if err := json.Unmarshal(itemsB.Get(oldKey), &old); err != nil {
				return fmt.Errorf("decode stored item %q: %w", it.ID, err)
			}
			if sameContent(&old, &it) {
				res.Unchanged++
				continue
			}
			it.FirstSeen = old.FirstSeen
			it.Reports = old.Reports
			if it.Updated.IsZero() || !it.Updated.After(old.Updated) {
				it.Updated = now
			}
			if err := itemsB.Delete(oldKey); err != nil {
				return err
			}
			if err := unindexSource(tx, oldKey, old.Source); err != nil {
				return err
			}
			// An update never merges the item into another story: it stays,
			// under its new text, and its new forms join the index.
			key, err := putItem(itemsB, idsB, idKey, h, &it)
			if err != nil {
				return err
			}
			// The old text's index entries go, so a source retitling its
			// items on every poll does not grow the index.
			s.rekey(&it)
			if err := s.unindexStory(tx, oldKey, &old, key, &it); err != nil {
				return err
			}
			if !bytes.Equal(key, oldKey) {
				if err := moveReports(tx, oldKey, key, it.Reports); err != nil {
					return err
				}
			}
			if err := s.indexStory(tx, key, &it); err != nil {
				return err
			}
			if lastSeq, err = s.logChange(tx, OpUpdated, key, &it); err != nil {
				return err
			}
			res.Updated++
		}
		st.Items = n
		if err := putStates(tx, append(pending, st)); err != nil {
			return err
		}
		if err := s.df.flush(tx, now, false); err != nil {
			return err
		}
		// Set in memory before the commit, while no other write can
		// run: set after it, a prune committing in between would have
		// its count overwritten.
		s.mu.Lock()
		prev, hadPrev = s.states[st.Name]
		s.states[st.Name] = st
		s.mu.Unlock()
		swapped = true
		return nil
	})
	if err != nil {
		unswap()
		s.remark(pending)
		return IngestResult{}, fmt.Errorf("ingest %s: %w", st.Name, err)
	}
	if lastSeq > 0 {
		s.noteChange(lastSeq)
	}
	if s.dedupe.Keys != nil {
		for i := range pre {
			s.df.add(items[i].Story.Tokens)
		}
	}
	return res, nil
}

// putItem stores it and points its identity at it; it returns the item key.
func putItem(itemsB, idsB *bolt.Bucket, idKey []byte, h uint64, it *Item) ([]byte, error) {
	v, err := json.Marshal(it)
	if err != nil {
		return nil, fmt.Errorf("encode item %q: %w", it.ID, err)
	}
	key := itemKey(it.Time(), h)
	if err := itemsB.Put(key, v); err != nil {
		return nil, err
	}
	if err := indexSource(itemsB.Tx(), key, it.Source); err != nil {
		return nil, err
	}
	return key, idsB.Put(idKey, key)
}

// idHash is the 8-byte identity of an item: the source is part of it, so two
// sources may use the same GUID without colliding.
func idHash(source, id string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(source))
	h.Write([]byte{0})
	h.Write([]byte(id))
	return h.Sum64()
}

// dedupeKey prefixes the hash with the source so that one source's keys sit
// together in the tree, which keeps its writes local.
func dedupeKey(source string, h uint64) []byte {
	k := make([]byte, 0, len(source)+9)
	k = append(k, source...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, h)
}

// itemKey orders items by time. Times before 1970 clamp to zero: the key
// must be unsigned to sort correctly as bytes.
func itemKey(t time.Time, h uint64) []byte {
	ns := t.UnixNano()
	if ns < 0 || t.IsZero() {
		ns = 0
	}
	k := make([]byte, 16)
	binary.BigEndian.PutUint64(k, uint64(ns))
	binary.BigEndian.PutUint64(k[8:], h)
	return k
}

// sourceOf reads the source name of an encoded item without decoding it all;
// the encoder writes "src" first. Source names never need JSON escapes
// (config allows letters, digits, '-', '_' and '.'), so the name is the
// bytes up to the next quote; anything else takes the slow path.
func sourceOf(v []byte) string {
	const prefix = `{"src":"`
	if rest, ok := bytes.CutPrefix(v, []byte(prefix)); ok {
		if end := bytes.IndexByte(rest, '"'); end >= 0 && bytes.IndexByte(rest[:end], '\\') < 0 {
			return string(rest[:end])
		}
	}
	var it struct {
		Source string `json:"src"`
	}
	json.Unmarshal(v, &it)
	return it.Source
}

// parseItemKey is itemKey's inverse.
func parseItemKey(k []byte) (time.Time, uint64) {
	return time.Unix(0, int64(binary.BigEndian.Uint64(k))), binary.BigEndian.Uint64(k[8:])
}

// validUTF8 replaces invalid bytes in it's text. JSON encoding would do it
// anyway when storing, and then the stored copy would never compare equal to
// the next fetch's, making an unchanged item look updated on every poll.
func validUTF8(it *Item) {
	for _, p := range []*string{&it.ID, &it.GUID, &it.Link, &it.Title, &it.Summary, &it.Author, &it.Lang} {
		if !utf8.ValidString(*p) {
			*p = strings.ToValidUTF8(*p, "\uFFFD")
		}
	}
	cloned := false
	for i, c := range it.Categories {
		if !utf8.ValidString(c) {
			if !cloned {
				// The slice is the caller's: change a copy.
				it.Categories, cloned = slices.Clone(it.Categories), true
			}
			it.Categories[i] = strings.ToValidUTF8(c, "\uFFFD")
		}
	}
}

package store

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Retention removes old items in small write transactions, so ingest
// waits at most one batch's worth. A removed item leaves tombstones for
// the dedupe window:
//
//   - its identity in bucket "ids" points at 't' + expiry(8) instead of
//     the item, so the same source listing it again adds nothing;
//   - its item key is listed in bucket "tombs" (item key → expiry), so
//     the story index entries that point at it still match, and another
//     source's telling of the pruned story is counted as a duplicate, not
//     stored as news.
//
// Bucket "tombx" lists every tombstone by expiry (expiry(8) + kind +
// key → nil; kind 'i' an ids key, 'k' an item key), so expired ones are
// found with one short cursor walk from the front.
var (
	bucketTombs   = []byte("tombs")
	bucketTombExp = []byte("tombx")
)

// tombMark starts an ids value that stands for a removed item: tombMark +
// expiry (big-endian Unix nanoseconds). Item keys are 16 bytes and dupMark
// values 17, so the 9-byte value is unambiguous.
const tombMark = 't'

// errNothing rolls back a write transaction that found nothing to do:
// a commit, even an empty one, costs a sync of the file.
var errNothing = errors.New("nothing to do")

// defaultPruneBatch bounds the deletions of one write transaction: a few
// milliseconds of work, so a fetch waiting to store its feed barely notices.
const defaultPruneBatch = 500

// defaultTombWindow is how long tombstones last when cross-source dedupe
// is off (Dedupe.Window zero): a source listing a pruned item must still
// not bring it back at once.
const defaultTombWindow = 48 * time.Hour

// Retention says what Prune removes. The zero value removes nothing but
// expired tombstones.
type Retention struct {
	// MaxAge removes items whose Time is older than it; zero means no
	// age limit.
	MaxAge time.Duration
	// MaxPerSource keeps at most this many items of each source, the
	// newest by Time; zero means no cap.
	MaxPerSource int
	// Batch bounds the deletions of one write transaction; zero means 500.
	Batch int
}

// PruneResult counts what Prune removed.
type PruneResult struct {
	ByAge, ByCount int // items removed by MaxAge and by MaxPerSource
	// Tellings counts reports removed by MaxAge from the stories of
	// removed items, where they were kept for tickers selecting their
	// sources (tellings.go).
	Tellings     int
	Tombstones   int // expired tombstones removed
	StoryEntries int // story index entries older than any stored item's window
}

func tombValue(expiry time.Time) []byte {
	return binary.BigEndian.AppendUint64([]byte{tombMark}, uint64(expiry.UnixNano()))
}

func isTomb(v []byte) bool { return len(v) == 9 && v[0] == tombMark }

func tombExpiry(v []byte) time.Time { return time.Unix(0, int64(binary.BigEndian.Uint64(v[1:]))) }

// expiredTomb reports whether ids value v is a tombstone whose window has
// passed at now: the identity counts as never seen.
func expiredTomb(v []byte, now time.Time) bool { return isTomb(v) && !now.Before(tombExpiry(v)) }

// tombExpKey is the key listing a tombstone in bucket "tombx": expiry,
// kind ('i' an ids key, 'k' an item key), key.
func tombExpKey(expiry time.Time, kind byte, key []byte) []byte {
	k := binary.BigEndian.AppendUint64(make([]byte, 0, 9+len(key)), uint64(expiry.UnixNano()))
	return append(append(k, kind), key...)
}

// tombID makes identity idKey a tombstone until expiry, listed for
// expireTombs.
func tombID(tx *bolt.Tx, idKey []byte, expiry time.Time) error {
	if err := tx.Bucket(bucketIDs).Put(idKey, tombValue(expiry)); err != nil {
		return err
	}
	return tx.Bucket(bucketTombExp).Put(tombExpKey(expiry, 'i', idKey), nil)
}

// tombAlive reports whether the item once stored at key was removed less
// than a dedupe window ago.
func tombAlive(tx *bolt.Tx, key []byte, now time.Time) (expiry time.Time, ok bool) {
	b := tx.Bucket(bucketTombs)
	if b == nil {
		return time.Time{}, false
	}
	v := b.Get(key)
	if len(v) != 8 {
		return time.Time{}, false
	}
	expiry = time.Unix(0, int64(binary.BigEndian.Uint64(v)))
	return expiry, now.Before(expiry)
}

func (s *Store) tombWindow() time.Duration { return cmp.Or(s.dedupe.Window, defaultTombWindow) }

// Prune enforces r: items older than r.MaxAge go first, then each
// source's oldest items beyond r.MaxPerSource; then expired tombstones and
// story index entries too old to matter. Every removal is logged in the
// change log (OpRemoved) and leaves tombstones for the dedupe window (see
// above). It works in transactions of at most r.Batch deletions, so it
// can run beside ingest, and stops early when ctx is done, returning what
// it did so far with ctx's error.
func (s *Store) Prune(ctx context.Context, r Retention) (PruneResult, error) {
	var res PruneResult
	batch := cmp.Or(max(r.Batch, 0), defaultPruneBatch)
	now := s.now()
	if r.MaxAge > 0 {
		cutoff := itemKey(now.Add(-r.MaxAge), 0)
		for {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			n, more, err := s.removeBatch(now, func(tx *bolt.Tx) [][]byte {
				var keys [][]byte
				c := tx.Bucket(bucketItems).Cursor()
				for k, _ := c.First(); k != nil && bytes.Compare(k, cutoff) < 0 && len(keys) < batch; k, _ = c.Next() {
					keys = append(keys, bytes.Clone(k))
				}
				return keys
			}, batch, true)
			res.ByAge += n
			if err != nil {
				return res, fmt.Errorf("prune items older than %s: %w", r.MaxAge, err)
			}
			if !more {
				break
			}
		}
		// Tellings kept for stories whose item went age on their own.
		for {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			n, more, err := s.pruneTold(now.Add(-r.MaxAge), batch)
			res.Tellings += n
			if err != nil {
				return res, err
			}
			if !more {
				break
			}
		}
	}
	if r.MaxPerSource > 0 {
		excess, err := s.excessItems(r.MaxPerSource)
		if err != nil {
			return res, fmt.Errorf("prune items beyond %d per source: %w", r.MaxPerSource, err)
		}
		for len(excess) > 0 {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			chunk := excess[:min(batch, len(excess))]
			excess = excess[len(chunk):]
			n, _, err := s.removeBatch(now, func(*bolt.Tx) [][]byte { return chunk }, batch, true)
			res.ByCount += n
			if err != nil {
				return res, fmt.Errorf("prune items beyond %d per source: %w", r.MaxPerSource, err)
			}
		}
	}
	n, err := s.expireTombs(ctx, now, batch)
	res.Tombstones = n
	if err != nil {
		return res, err
	}
	if r.MaxAge > 0 {
		// An entry of a day older than the age limit and a window points
		// at an item pruned by age whose window has passed: no new item
		// young enough to be kept can match it.
		last := dayOf(now.Add(-r.MaxAge - s.tombWindow() - day))
		n, err := s.trimStories(ctx, last, batch)
		res.StoryEntries = n
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// excessItems lists the keys of each source's oldest items beyond max, in
// one read transaction over the source index.
func (s *Store) excessItems(maxItems int) ([][]byte, error) {
	var out [][]byte
	err := s.db.View(func(tx *bolt.Tx) error {
		idx := tx.Bucket(bucketBySource)
		// One source's keys are contiguous: count runs, so a walk over
		// every stored item allocates per source, not per item.
		counts := map[string]int{}
		var cur []byte
		run := 0
		c := idx.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			i := bytes.IndexByte(k, 0)
			if i < 0 || len(v) > 0 {
				continue // not ours, or a telling of another source's story
			}
			if !bytes.Equal(k[:i], cur) {
				if run > 0 {
					counts[string(cur)] += run
				}
				cur, run = bytes.Clone(k[:i]), 0
			}
			run++
		}
		if run > 0 {
			counts[string(cur)] += run
		}
		for src, n := range counts {
			prefix := append([]byte(src), 0)
			drop := n - maxItems
			for k, v := c.Seek(prefix); k != nil && drop > 0 && bytes.HasPrefix(k, prefix); k, v = c.Next() {
				if len(v) > 0 {
					continue
				}
				out = append(out, bytes.Clone(k[len(prefix):]))
				drop--
			}
		}
		return nil
	})
	return out, err
}

// removeBatch removes the items pick returns (at most batch of them) in
// one write transaction, leaving tombstones when tomb is set. It reports
// how many it removed and whether pick returned a full batch.
func (s *Store) removeBatch(now time.Time, pick func(*bolt.Tx) [][]byte, batch int, tomb bool) (removed int, more bool, err error) {
	var lastSeq uint64
	var counts, applied map[string]int // applied: taken off the counts in memory
	err = s.update(func(tx *bolt.Tx) error {
		keys := pick(tx)
		more = len(keys) >= batch
		if len(keys) == 0 {
			return errNothing
		}
		removed, lastSeq, counts = 0, 0, map[string]int{}
		itemsB, idsB := tx.Bucket(bucketItems), tx.Bucket(bucketIDs)
		tombs, tombx := tx.Bucket(bucketTombs), tx.Bucket(bucketTombExp)
		for _, key := range keys {
			v := itemsB.Get(key)
			if v == nil {
				continue // updated to another key, or removed, meanwhile
			}
			// Only what the change log, the identity and the tombstone
			// need: decoding summaries and reports would double the cost.
			var ref struct {
				Source    string    `json:"src"`
				ID        string    `json:"id"`
				GUID      string    `json:"guid"`
				Link      string    `json:"link"`
				Title     string    `json:"title"`
				Published time.Time `json:"pub"`
				FirstSeen time.Time `json:"seen"`
			}
			if err := json.Unmarshal(v, &ref); err != nil {
				return fmt.Errorf("decode stored item at key %x: %w", key, err)
			}
			it := Item{Source: ref.Source, ID: ref.ID, GUID: ref.GUID, Link: ref.Link, Title: ref.Title, Published: ref.Published, FirstSeen: ref.FirstSeen}
			if err := keepTold(tx, key, bytes.Clone(v)); err != nil {
				return err
			}
			if err := itemsB.Delete(key); err != nil {
				return err
			}
			seq, err := s.logChange(tx, OpRemoved, key, &it)
			if err != nil {
				return err
			}
			lastSeq = seq
			removed++
			counts[it.Source]++
			idKey := dedupeKey(it.Source, idHash(it.Source, it.ID))
			if !tomb {
				if bytes.Equal(idsB.Get(idKey), key) {
					if err := idsB.Delete(idKey); err != nil {
						return err
					}
				}
				continue
			}
			expiry := now
			if t := it.Time(); t.After(expiry) {
				expiry = t
			}
			expiry = expiry.Add(s.tombWindow())
			exp := binary.BigEndian.AppendUint64(nil, uint64(expiry.UnixNano()))
			if bytes.Equal(idsB.Get(idKey), key) {
				if err := tombID(tx, idKey, expiry); err != nil {
					return err
				}
			}
			if err := tombs.Put(key, exp); err != nil {
				return err
			}
			if err := tombx.Put(tombExpKey(expiry, 'k', key), nil); err != nil {
				return err
			}
		}
		applied = counts
		return s.uncount(tx, counts)
	})
	if err == errNothing {
		return 0, false, nil
	}
	if err != nil {
		s.recount(applied, +1)
		return 0, false, err
	}
	if lastSeq > 0 {
		s.noteChange(lastSeq)
	}
	return removed, more, nil
}

// uncount takes removed items off their sources' counts, in memory and in
// tx. It runs inside the write transaction, so an Ingest (which reads the
// count inside its own) never works from a count this removal is about to
// change.
func (s *Store) uncount(tx *bolt.Tx, counts map[string]int) error {
	if len(counts) == 0 {
		return nil
	}
	s.recount(counts, -1)
	s.mu.Lock()
	states := make([]SourceState, 0, len(counts))
	for name := range counts {
		if st, ok := s.states[name]; ok {
			states = append(states, st)
			delete(s.dirty, name)
		}
	}
	s.mu.Unlock()
	return putStates(tx, states)
}

// recount moves the in-memory item counts of sources by sign × counts.
func (s *Store) recount(counts map[string]int, sign int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, n := range counts {
		if st, ok := s.states[name]; ok {
			st.Items = max(st.Items+sign*n, 0)
			s.states[name] = st
		}
	}
}

// expireTombs removes tombstones whose time has passed.
func (s *Store) expireTombs(ctx context.Context, now time.Time, batch int) (int, error) {
	limit := binary.BigEndian.AppendUint64(nil, uint64(now.UnixNano()))
	n, err := s.inBatches(ctx, batch, func(tx *bolt.Tx) (int, error) {
		n := 0
		tombs, tombx, idsB := tx.Bucket(bucketTombs), tx.Bucket(bucketTombExp), tx.Bucket(bucketIDs)
		c := tombx.Cursor()
		for k, _ := c.First(); k != nil && n < batch && bytes.Compare(k[:8], limit) <= 0; k, _ = c.First() {
			key := bytes.Clone(k[9:])
			switch k[8] {
			case 'i':
				// A later removal of a re-added item may have set a
				// newer tombstone; only this one's goes.
				if v := idsB.Get(key); isTomb(v) && !tombExpiry(v).After(now) {
					if err := idsB.Delete(key); err != nil {
						return n, err
					}
				}
			case 'k':
				if v := tombs.Get(key); len(v) == 8 && bytes.Compare(v, limit) <= 0 {
					if err := tombs.Delete(key); err != nil {
						return n, err
					}
				}
			}
			if err := c.Delete(); err != nil {
				return n, err
			}
			n++
		}
		return n, nil
	})
	if err != nil {
		err = fmt.Errorf("expire tombstones: %w", err)
	}
	return n, err
}

// trimStories deletes the story index entries of items of days up to
// last: in the keyed part, and in the log (which holds them only when the
// age limit is shorter than memory's two windows). Memory forgets them at
// folds.
func (s *Store) trimStories(ctx context.Context, last uint32, batch int) (int, error) {
	total, err := s.trimKeyed(ctx, last, batch)
	if err != nil {
		return total, err
	}
	end := itemKey(time.Unix(int64(last+1)*int64(day/time.Second), 0), 0)
	n, err := s.deleteRange(ctx, bucketStoryLog, nil, end, batch)
	total += n
	if err != nil {
		return total, fmt.Errorf("trim story log: %w", err)
	}
	return total, nil
}

// deleteRange deletes the keys of bucket from start (nil: the first) up
// to end, batch keys a write transaction (see inBatches). It returns how
// many deletions committed.
func (s *Store) deleteRange(ctx context.Context, bucket, start, end []byte, batch int) (int, error) {
	return s.inBatches(ctx, batch, func(tx *bolt.Tx) (int, error) {
		c := tx.Bucket(bucket).Cursor()
		seek := func() []byte {
			if start == nil {
				k, _ := c.First()
				return k
			}
			k, _ := c.Seek(start)
			return k
		}
		n := 0
		for k := seek(); k != nil && n < batch && bytes.Compare(k, end) < 0; k = seek() {
			if err := c.Delete(); err != nil {
				return n, err
			}
			n++
		}
		return n, nil
	})
}

// inBatches runs step in one write transaction after another until a
// step deletes fewer than batch keys, so a large clean-up never holds the
// writer for long. A step that deletes nothing rolls back (no fsync). It
// returns how many deletions committed.
func (s *Store) inBatches(ctx context.Context, batch int, step func(*bolt.Tx) (int, error)) (int, error) {
	total := 0
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		n := 0
		err := s.update(func(tx *bolt.Tx) error {
			var err error
			n, err = step(tx)
			if err == nil && n == 0 {
				return errNothing
			}
			return err
		})
		if err != nil && err != errNothing {
			return total, err
		}
		total += n
		if n < batch {
			return total, nil
		}
	}
}

// DropSources removes every item of the named sources at once, with their
// identities and states, in transactions of at most 500 deletions, and
// reports how many items went. Removals are logged (OpRemoved); no
// tombstones are left, since the sources are gone. The caller makes sure
// nothing fetches the sources meanwhile.
func (s *Store) DropSources(ctx context.Context, names []string) (int, error) {
	total := 0
	now := s.now()
	for _, name := range names {
		prefix := append([]byte(name), 0)
		for {
			if err := ctx.Err(); err != nil {
				return total, err
			}
			n, more, err := s.removeBatch(now, func(tx *bolt.Tx) [][]byte {
				var keys [][]byte
				c := tx.Bucket(bucketBySource).Cursor()
				for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(keys) < defaultPruneBatch; k, v = c.Next() {
					if len(v) == 0 {
						keys = append(keys, bytes.Clone(k[len(prefix):]))
					}
				}
				return keys
			}, defaultPruneBatch, false)
			total += n
			if err != nil {
				return total, fmt.Errorf("drop source %s: %w", name, err)
			}
			if !more {
				break
			}
		}
		if _, err := s.dropTellings(ctx, name); err != nil {
			return total, fmt.Errorf("drop source %s: %w", name, err)
		}
		// What is left under the source's prefix records its reports on
		// other items' stories and its tombstones.
		for {
			n := 0
			err := s.update(func(tx *bolt.Tx) error {
				n = 0
				c := tx.Bucket(bucketIDs).Cursor()
				for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && n < defaultPruneBatch; k, _ = c.Seek(prefix) {
					if err := c.Delete(); err != nil {
						return err
					}
					n++
				}
				if n < defaultPruneBatch {
					s.mu.Lock()
					delete(s.states, name)
					delete(s.dirty, name)
					s.mu.Unlock()
					return tx.Bucket(bucketSources).Delete([]byte(name))
				}
				return nil
			})
			if err != nil {
				return total, fmt.Errorf("drop source %s: %w", name, err)
			}
			if n < defaultPruneBatch {
				break
			}
		}
	}
	return total, nil
}

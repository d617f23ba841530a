package store

import (
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketMeta holds facts about the data file itself: the match version
// its story index was built with.
var bucketMeta = []byte("meta")

// metaMatchVersion is the key of the match version in bucketMeta: 8 bytes,
// big-endian. A file without it was written before versions were
// recorded, and its index is rebuilt like any other of another version.
var metaMatchVersion = []byte("match_version")

// reindexBatch is how many items one write transaction of a rebuild
// indexes: enough to amortize the commit, few enough that a rebuild of a
// million items shows progress and holds the writer lock briefly.
const reindexBatch = 20_000

// ensureMatchVersion rebuilds the story index when it was built under
// another match version than want (Options.MatchVersion; zero: whichever
// it was) or stored in another layout than storyLayout, and records both.
// Keys computed under other rules would not be found again: a rebuild is
// the only way to keep dedupe right, never silently wrong. The log says
// when it starts, how far it got and when it is done. A rebuild cut short
// by a crash is started over at the next Open: the version and layout are
// recorded only at its end.
func (s *Store) ensureMatchVersion(want uint64, logger *slog.Logger) error {
	var have, layout uint64
	if err := s.db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketMeta); b != nil {
			if v := b.Get(metaMatchVersion); len(v) == 8 {
				have = binary.BigEndian.Uint64(v)
			}
			if v := b.Get(metaStoryLayout); len(v) == 8 {
				layout = binary.BigEndian.Uint64(v)
			}
		}
		return nil
	}); err != nil {
		return err
	}
	rules := want != 0 && have != want
	if !rules && layout == storyLayout {
		return nil
	}
	start := time.Now()
	var total int
	s.db.View(func(tx *bolt.Tx) error {
		total = tx.Bucket(bucketItems).Stats().KeyN
		return nil
	})
	if total == 0 {
		logger = slog.New(slog.DiscardHandler) // a new file: nothing to tell
	}
	logger.Info("rebuilding story index", "from_version", have, "to_version", cmp.Or(want, have), "from_layout", layout, "to_layout", storyLayout, "items", total)
	err := s.db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketStories, bucketStoryLog} {
			if err := tx.DeleteBucket(b); err != nil && err != bolt.ErrBucketNotFound {
				return err
			}
		}
		if _, err := tx.CreateBucket(bucketStories); err != nil {
			return err
		}
		_, err := tx.CreateBucket(bucketStoryLog)
		return err
	})
	if err != nil {
		return fmt.Errorf("clear story index: %w", err)
	}
	// Items from twice the window back go to the log, older ones to the
	// keyed part, as folds would have left them.
	split := s.foldPoint(s.now())
	s.mem.mu.Lock()
	s.mem.disk = split
	s.mem.mu.Unlock()
	// The counts are of canonical tokens, whose rules just changed:
	// count them again first, so that the keys of the first items
	// rebuilt are chosen as well as those of the last.
	if rules && s.dedupe.Story != nil {
		s.df.mu.Lock()
		s.df.m, s.df.dirty = make(map[uint64]uint32), make(map[string]bool)
		s.df.mu.Unlock()
		err := s.db.View(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketItems).ForEach(func(k, v []byte) error {
				var it Item
				if err := json.Unmarshal(v, &it); err != nil {
					return fmt.Errorf("decode item at key %x: %w", k, err)
				}
				if st := s.dedupe.Story(&it); st != nil {
					s.df.add(st.Tokens)
				}
				return nil
			})
		})
		if err != nil {
			return fmt.Errorf("count tokens: %w", err)
		}
		err = s.db.Update(func(tx *bolt.Tx) error {
			if err := tx.DeleteBucket(bucketDF); err != nil && err != bolt.ErrBucketNotFound {
				return err
			}
			return s.df.flush(tx, time.Now(), true)
		})
		if err != nil {
			return fmt.Errorf("record token counts: %w", err)
		}
	} else if s.dedupe.Story != nil {
		// Only the layout changed: the counts on file stand, and keys
		// are chosen by them.
		if err := s.db.View(func(tx *bolt.Tx) error { s.df.load(tx); return nil }); err != nil {
			return err
		}
	}
	var after []byte // last item key indexed
	done := 0
	for {
		n := 0
		err := s.db.Update(func(tx *bolt.Tx) error {
			c := tx.Bucket(bucketItems).Cursor()
			k, v := c.First()
			if after != nil {
				k, v = c.Seek(after)
				if k != nil && string(k) == string(after) {
					k, v = c.Next()
				}
			}
			for ; k != nil && n < reindexBatch; k, v = c.Next() {
				var it Item
				if err := json.Unmarshal(v, &it); err != nil {
					return fmt.Errorf("decode item at key %x: %w", k, err)
				}
				if s.dedupe.Story != nil {
					it.Story = s.dedupe.Story(&it)
					s.rekey(&it)
				}
				if err := s.putStoryIndex(tx, k, &it); err != nil {
					return err
				}
				after = append(after[:0], k...)
				n++
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("rebuild story index: %w", err)
		}
		done += n
		if n < reindexBatch {
			break
		}
		logger.Info("rebuilding story index", "done", done, "items", total)
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if want != 0 {
			if err := b.Put(metaMatchVersion, binary.BigEndian.AppendUint64(nil, want)); err != nil {
				return err
			}
		}
		if err := b.Put(metaStoryDisk, split); err != nil {
			return err
		}
		return b.Put(metaStoryLayout, binary.BigEndian.AppendUint64(nil, storyLayout))
	})
	if err != nil {
		return fmt.Errorf("record match version: %w", err)
	}
	logger.Info("story index rebuilt", "items", done, "version", cmp.Or(want, have), "layout", storyLayout, "duration", time.Since(start).Round(time.Millisecond))
	return nil
}

// MatchVersion returns the match version the story index was built with,
// as recorded in the data file; 0 for a file that records none.
func (s *Store) MatchVersion() (uint64, error) {
	var v uint64
	err := s.db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketMeta); b != nil {
			if x := b.Get(metaMatchVersion); len(x) == 8 {
				v = binary.BigEndian.Uint64(x)
			}
		}
		return nil
	})
	return v, err
}

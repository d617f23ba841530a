package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The keyed part of the story index, in bucket "stories": the entries of
// items older than memory keeps (see memindex.go), partitioned by the UTC
// day of the item's time (4 bytes, big-endian days since 1970):
//
//	"l" day canonical-link          → item key of the newest item with it
//	"t" day normalized-title        → item key of the newest item with it
//	"k" day signature-key 0x00 item key → the item's tokens, 0x00-separated
//
// Its keys land at random places in the tree, which is why new items are
// filed in the log and memory instead, and come here an hour's worth at a
// time, in key order, when they leave memory (Store.fold). An item dated
// before that point when it arrives is filed here at once.

func storyKey(kind byte, d uint32, s string) []byte {
	return appendStoryKey(make([]byte, 0, len(s)+5), kind, d, s)
}

// appendStoryKey appends storyKey(kind, d, s) to dst, for lookups that
// reuse one buffer.
func appendStoryKey(dst []byte, kind byte, d uint32, s string) []byte {
	dst = append(dst, kind)
	dst = binary.BigEndian.AppendUint32(dst, d)
	return append(dst, s...)
}

// putKeyed files st, the story of the item stored under key, in the keyed
// part of the index.
func (s *Store) putKeyed(tx *bolt.Tx, key []byte, st *Story) error {
	b := tx.Bucket(bucketStories)
	d := dayOf(keyTime(key))
	if st.Link != "" {
		if err := b.Put(storyKey('l', d, st.Link), key); err != nil {
			return err
		}
	}
	if st.Title != "" {
		if err := b.Put(storyKey('t', d, st.Title), key); err != nil {
			return err
		}
	}
	if !s.similarOn() || len(st.Keys) == 0 {
		return nil
	}
	// The tokens ride along in the index so that scoring a candidate
	// needs no decoding of the item.
	tokens := []byte(strings.Join(st.Tokens, "\x00"))
	for _, k := range st.Keys {
		sk := append(storyKey('k', d, k), 0)
		if err := b.Put(append(sk, key...), tokens); err != nil {
			return err
		}
	}
	return nil
}

// keyed looks the story up in the keyed part of the index, among items
// before until: the part memory does not hold.
func (l *storyLookup) keyed(until time.Time) storyMatch {
	hi := l.hi
	if until.Before(hi) {
		hi = until
	}
	dlo, dhi := dayOf(l.lo), dayOf(hi)
	b := l.tx.Bucket(bucketStories)
	for _, f := range exactForms(l.st) {
		if f.v == "" {
			continue
		}
		for d := dhi; d >= dlo && d <= dhi; d-- {
			if key := b.Get(storyKey(f.kind, d, f.v)); key != nil && usable(l.tx, key, l.lo, l.hi, l.now) {
				return storyMatch{key: bytes.Clone(key), kind: f.kind}
			}
		}
	}
	if !l.similar {
		return storyMatch{}
	}
	best := storyMatch{kind: 'k', score: l.s.dedupe.Threshold}
	seen := map[[16]byte]bool{}
	c := b.Cursor()
	start := itemKey(l.lo, 0)
	var prefix, seek []byte
	for _, sig := range l.st.LookupKeys() {
		n := 0
		for d := dlo; d <= dhi && n < maxCandidates; d++ {
			prefix = append(appendStoryKey(prefix[:0], 'k', d, sig), 0)
			seek = append(append(seek[:0], prefix...), start...)
			for k, v := c.Seek(seek); k != nil && bytes.HasPrefix(k, prefix) && n < maxCandidates; k, v = c.Next() {
				key := k[len(prefix):]
				if len(key) != 16 {
					continue
				}
				if keyTime(key).After(hi) {
					break
				}
				n++
				if seen[[16]byte(key)] {
					continue
				}
				seen[[16]byte(key)] = true
				l.consider(&best, key, string(v))
			}
		}
	}
	if best.key == nil {
		return storyMatch{}
	}
	return best
}

// unindexKeyed deletes the keyed entries of old, the previous version of
// an item, stored at oldKey, except those that indexing its new version
// it (its keys chosen) at key writes again. Without Dedupe.Story there is no telling which
// entries old had; they stay until Prune trims their day.
func (s *Store) unindexKeyed(tx *bolt.Tx, oldKey []byte, old *Item, key []byte, it *Item) error {
	if s.dedupe.Story == nil {
		return nil
	}
	was := s.dedupe.Story(old)
	if was == nil {
		return nil
	}
	if s.dedupe.Keys != nil && s.similarOn() {
		// The entries were written under the keys rarity gave then; the
		// keys rarity gives now are the same unless counts moved past
		// one another, in which case the rest stay until Prune.
		withKeys := Item{Story: was}
		s.rekey(&withKeys)
		was = withKeys.Story
	}
	b := tx.Bucket(bucketStories)
	d := dayOf(keyTime(oldKey))
	// Entries the new version writes again are left alone: the same
	// item key, which is filed here too.
	now := refiled(oldKey, key, it)
	for _, f := range []struct {
		kind     byte
		was, now string
	}{{'l', was.Link, storyLink(now)}, {'t', was.Title, storyTitle(now)}} {
		if f.was == "" || f.was == f.now {
			continue
		}
		// The entry names the newest item with the link or title; it
		// may be another item's by now.
		k := storyKey(f.kind, d, f.was)
		if bytes.Equal(b.Get(k), oldKey) {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
	}
	if !s.similarOn() {
		return nil
	}
	for _, sig := range was.Keys {
		if now != nil && slices.Contains(now.Keys, sig) {
			continue // rewritten with the new tokens
		}
		k := append(append(storyKey('k', d, sig), 0), oldKey...)
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// trimKeyed deletes the keyed entries of days up to last.
func (s *Store) trimKeyed(ctx context.Context, last uint32, batch int) (int, error) {
	total := 0
	for _, kind := range []byte{'l', 't', 'k'} {
		n, err := s.deleteRange(ctx, bucketStories, []byte{kind}, storyKey(kind, last+1, ""), batch)
		total += n
		if err != nil {
			return total, fmt.Errorf("trim story index: %w", err)
		}
	}
	return total, nil
}

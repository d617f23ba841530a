package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The story index, in bucket "stories", partitioned by the UTC day of the
// item's time (4 bytes, big-endian days since 1970):
//
//	"l" day canonical-link          → item key of the newest item with it
//	"t" day normalized-title        → item key of the newest item with it
//	"k" day signature-key 0x00 item key → the item's tokens, 0x00-separated
//
// The day prefix keeps writes local: new items land in the last few days'
// part of the tree, so an insert dirties the same few pages whether the
// store holds ten thousand items or a million, and a lookup reads only the
// days the dedupe window spans. Signature entries end in the item key,
// which starts with the item's time, so candidates come in time order and a
// walk stops at the window's end: the cost per ingested item depends on how
// many items share a key inside the window, not on how many are stored.
//
// Entries are never rewritten when an item moves (its date changed) or is
// pruned; lookups skip keys whose item is gone, unless a tombstone says it
// was pruned within the dedupe window (retention.go). Prune deletes the
// entries of days older than the age limit and a window.

// dupMark starts an ids value that records an item merged into another
// item's story: dupMark + the kept item's key.
const dupMark = 'd'

// maxCandidates bounds the items examined per signature key, so a key
// every headline shares (a name in the news all week) costs a constant.
const maxCandidates = 64

const day = 24 * time.Hour

func dayOf(t time.Time) uint32 {
	if t.Unix() < 0 {
		return 0
	}
	return uint32(t.Unix() / int64(day/time.Second))
}

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

func keyTime(key []byte) time.Time {
	return time.Unix(0, int64(binary.BigEndian.Uint64(key[:8])))
}

// indexStory adds it, stored under key, to the story index.
func (s *Store) indexStory(tx *bolt.Tx, key []byte, it *Item) error {
	if s.dedupe.Window <= 0 || it.Story == nil {
		return nil
	}
	s.recent.add(tx, key, it.Story)
	b := tx.Bucket(bucketStories)
	d := dayOf(it.Time())
	if it.Story.Link != "" {
		if err := b.Put(storyKey('l', d, it.Story.Link), key); err != nil {
			return err
		}
	}
	if it.Story.Title != "" {
		if err := b.Put(storyKey('t', d, it.Story.Title), key); err != nil {
			return err
		}
	}
	if !s.similarOn() {
		return nil
	}
	// The tokens ride along in the index so that scoring a candidate
	// needs no decoding of the item.
	tokens := []byte(strings.Join(it.Story.Tokens, "\x00"))
	for _, k := range it.Story.Keys {
		sk := append(storyKey('k', d, k), 0)
		if err := b.Put(append(sk, key...), tokens); err != nil {
			return err
		}
	}
	return nil
}

// storyMatch is the outcome of a dedupe lookup: the item found, how, and
// for a near-duplicate title its score. Matches rank as lookupStory tries
// them: a link, then a title, then the higher score.
type storyMatch struct {
	key   []byte // nil: no match
	kind  byte   // 'l' link, 't' title, 'k' similar title
	score float64
}

// rank orders the kinds of match.
func (m storyMatch) rank() int {
	switch {
	case m.key == nil:
		return 0
	case m.kind == 'k':
		return 1
	case m.kind == 't':
		return 2
	}
	return 3
}

// improves reports whether c is a better match than m.
func (m storyMatch) improves(c storyMatch) bool {
	return c.rank() > m.rank() || c.rank() == m.rank() && c.kind == 'k' && c.score > m.score
}

// window is the span of item times that may tell the same story as it.
func (s *Store) window(it *Item) (lo, hi time.Time) {
	t := it.Time()
	return t.Add(-s.dedupe.Window), t.Add(s.dedupe.Window)
}

// usable reports whether the item key, found in the story index, may be
// matched within [lo, hi] in tx: it is stored, or a story pruned within
// the window still counts (retention.go).
func usable(tx *bolt.Tx, key []byte, lo, hi, now time.Time) bool {
	if len(key) != 16 {
		return false
	}
	kt := keyTime(key)
	if kt.Before(lo) || kt.After(hi) {
		return false
	}
	if tx.Bucket(bucketItems).Get(key) != nil {
		return true
	}
	_, alive := tombAlive(tx, key, now)
	return alive
}

// lookupStory finds a stored item that tells the same story as it within
// the dedupe window: first by canonical link, then by normalized title,
// then by the most similar title among those sharing a signature key.
func (s *Store) lookupStory(tx *bolt.Tx, it *Item) storyMatch {
	if s.dedupe.Window <= 0 || it.Story == nil {
		return storyMatch{}
	}
	lo, hi := s.window(it)
	dlo, dhi := dayOf(lo), dayOf(hi)
	b := tx.Bucket(bucketStories)
	now := s.now()
	for _, f := range []struct {
		kind byte
		v    string
	}{{'l', it.Story.Link}, {'t', it.Story.Title}} {
		if f.v == "" {
			continue
		}
		for d := dhi; d >= dlo && d <= dhi; d-- {
			if key := b.Get(storyKey(f.kind, d, f.v)); key != nil && usable(tx, key, lo, hi, now) {
				return storyMatch{key: bytes.Clone(key), kind: f.kind}
			}
		}
	}
	if !s.matchesSimilar(it) {
		return storyMatch{}
	}
	best := storyMatch{kind: 'k', score: s.dedupe.Threshold}
	var mayMatch func(string) bool
	if s.dedupe.Prefilter != nil {
		mayMatch = s.dedupe.Prefilter(it.Story.Tokens, s.dedupe.Threshold)
	}
	// Most candidates are read and dropped: their keys and tokens are
	// kept in reused memory, not allocated one by one.
	seen := map[[16]byte]bool{}
	var tokens []string
	c := b.Cursor()
	start := itemKey(lo, 0)
	var prefix, seek []byte
	for _, sig := range it.Story.Keys {
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
				joined := string(v)
				if mayMatch != nil && !mayMatch(joined) {
					continue
				}
				tokens = splitTokens(tokens[:0], joined)
				score := s.dedupe.Similarity(it.Story.Tokens, tokens)
				if score >= best.score && usable(tx, key, lo, hi, now) {
					best.key, best.score = bytes.Clone(key), score
				}
			}
		}
	}
	if best.key == nil {
		return storyMatch{}
	}
	return best
}

// matchesSimilar reports whether it, which has a story, may match a
// near-duplicate title.
func (s *Store) matchesSimilar(it *Item) bool {
	return s.similarOn() && len(it.Story.Tokens) > 0
}

// similarOn reports whether near-duplicate titles are matched at all.
func (s *Store) similarOn() bool {
	return s.dedupe.Threshold > 0 && s.dedupe.Similarity != nil
}

// splitTokens appends the 0x00-separated tokens of v to dst.
func splitTokens(dst []string, v string) []string {
	for {
		t, rest, more := strings.Cut(v, "\x00")
		dst = append(dst, t)
		if !more {
			return dst
		}
		v = rest
	}
}

// maxReports bounds the reports kept on one item: a story every wire runs
// all day must not grow one item, and every rewrite of it, without end.
const maxReports = 32

// addReport records it as another telling of the item stored at key and
// returns the updated item, or nil when the item already holds as many
// reports as it keeps.
func addReport(itemsB *bolt.Bucket, key []byte, it *Item) (*Item, error) {
	var kept Item
	if err := json.Unmarshal(itemsB.Get(key), &kept); err != nil {
		return nil, fmt.Errorf("decode stored item at key %x: %w", key, err)
	}
	if len(kept.Reports) >= maxReports {
		return nil, nil
	}
	kept.Reports = append(kept.Reports, Report{Source: it.Source, Link: it.Link, Title: it.Title, Time: it.Time()})
	v, err := json.Marshal(&kept)
	if err != nil {
		return nil, fmt.Errorf("encode item %q: %w", kept.ID, err)
	}
	return &kept, itemsB.Put(key, v)
}

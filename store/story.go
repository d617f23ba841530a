package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
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
	return s.putStoryIndex(tx, key, it)
}

// putStoryIndex writes the story index entries of it, stored under key.
func (s *Store) putStoryIndex(tx *bolt.Tx, key []byte, it *Item) error {
	if s.dedupe.Window <= 0 || it.Story == nil {
		return nil
	}
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
	return s.lookupStoryProbe(tx, it, nil)
}

// lookupStoryProbe is lookupStory, with the headline's tokens handed to
// the prefilter in the order of probe when it is not nil: the same tokens,
// rarest first. The prefilter's answer does not depend on the order, but
// how soon it gives up does: a rare word is the one a candidate that
// shares only the common words lacks.
func (s *Store) lookupStoryProbe(tx *bolt.Tx, it *Item, probe []string) storyMatch {
	if s.dedupe.Window <= 0 || it.Story == nil {
		return storyMatch{}
	}
	lo, hi := s.window(it)
	now := s.now()
	// Nothing is stored with a time past now and FutureSlack (Item.Time
	// falls back on FirstSeen), so the days after it need no seeks.
	if limit := now.Add(FutureSlack); hi.After(limit) && !lo.After(limit) {
		hi = limit
	}
	dlo, dhi := dayOf(lo), dayOf(hi)
	b := tx.Bucket(bucketStories)
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
		if probe == nil {
			probe = it.Story.Tokens
		}
		mayMatch = s.dedupe.Prefilter(probe, s.dedupe.Threshold)
	}
	// Most candidates are read and dropped: their keys and tokens are
	// kept in reused memory, not allocated one by one.
	seen := map[[16]byte]bool{}
	var tokens []string
	c := b.Cursor()
	start := itemKey(lo, 0)
	var prefix, seek []byte
	for _, sig := range it.Story.LookupKeys() {
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

// updateReport applies a new version of it, recorded as a report on the
// item stored at key, to the report. It returns the updated item, or nil
// when nothing a reader sees changed (or the report is not found: the
// item moved or went, or the report was stored before reports kept ids).
func updateReport(tx *bolt.Tx, key []byte, it *Item) (*Item, error) {
	itemsB := tx.Bucket(bucketItems)
	v := itemsB.Get(key)
	if v == nil {
		return nil, nil
	}
	var kept Item
	if err := json.Unmarshal(v, &kept); err != nil {
		return nil, fmt.Errorf("decode stored item at key %x: %w", key, err)
	}
	i := slices.IndexFunc(kept.Reports, func(r Report) bool { return r.Source == it.Source && r.ID == it.ID })
	if i < 0 {
		return nil, nil
	}
	// Time as it was first seen: an undated telling keeps its date.
	old := &kept.Reports[i]
	r := newReport(it)
	if it.Published.IsZero() || it.Published.After(old.Time.Add(FutureSlack)) {
		r.Time = old.Time
	}
	if sameReport(&r, old) {
		return nil, nil
	}
	if err := unindexTellings(tx, []Report{*old}); err != nil {
		return nil, err
	}
	*old = r
	if v, err := json.Marshal(&kept); err != nil {
		return nil, fmt.Errorf("encode item %q: %w", kept.ID, err)
	} else if err := itemsB.Put(key, v); err != nil {
		return nil, err
	}
	return &kept, indexTellings(tx, key, []Report{r})
}

func sameReport(a, b *Report) bool {
	return a.Source == b.Source && a.ID == b.ID && a.GUID == b.GUID && a.Link == b.Link &&
		a.Title == b.Title && a.Summary == b.Summary && a.Lang == b.Lang && a.Time.Equal(b.Time)
}

// moveReports points the tellings recorded on an item that moved from
// oldKey to key (an update changed its time) at its new key, in the
// source index and in their identities.
func moveReports(tx *bolt.Tx, oldKey, key []byte, reports []Report) error {
	if len(reports) == 0 {
		return nil
	}
	if err := indexTellings(tx, key, reports); err != nil {
		return err
	}
	idsB := tx.Bucket(bucketIDs)
	was := append([]byte{dupMark}, oldKey...)
	for _, r := range reports {
		if r.ID == "" {
			continue
		}
		idKey := dedupeKey(r.Source, idHash(r.Source, r.ID))
		if bytes.Equal(idsB.Get(idKey), was) {
			if err := idsB.Put(idKey, append([]byte{dupMark}, key...)); err != nil {
				return err
			}
		}
	}
	return nil
}

// unindexStory deletes the story index entries of old, the previous
// version of an item, stored at oldKey, except those that indexing its new
// version it at key writes again. Without Dedupe.Story there is no telling
// which entries old had; they stay until Prune trims their day.
func (s *Store) unindexStory(tx *bolt.Tx, oldKey []byte, old *Item, key []byte, it *Item) error {
	if s.dedupe.Window <= 0 || s.dedupe.Story == nil {
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
	d := dayOf(old.Time())
	// Entries the new version writes again are left alone: the same
	// item key under the same day.
	var now *Story
	if it.Story != nil && bytes.Equal(oldKey, key) && dayOf(it.Time()) == d {
		withKeys := *it
		s.rekey(&withKeys)
		now = withKeys.Story
	}
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

func storyLink(st *Story) string {
	if st == nil {
		return ""
	}
	return st.Link
}

func storyTitle(st *Story) string {
	if st == nil {
		return ""
	}
	return st.Title
}

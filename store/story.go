package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The story index: see memindex.go for where it is kept. A lookup reads
// only the items the dedupe window spans, and signature candidates come in
// time order, so the cost per ingested item depends on how many items
// share a key inside the window, not on how many are stored.
//
// Entries are not rewritten when an item is pruned; lookups skip keys
// whose item is gone, unless a tombstone says it was pruned within the
// dedupe window (retention.go). Prune deletes the entries, keyed and in
// the log, of days older than the age limit and a window.

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

// putStoryIndex files the story of it, stored under key, in the story
// index: in the log and memory, or for an item before the split, in the
// keyed bucket (memindex.go). Memory is changed before the transaction
// commits: a lookup whose snapshot predates it finds the item unusable
// there, and one begun after the commit finds it. A transaction that
// rolls back leaves entries of items that are not stored, which lookups
// skip in the same way. It folds the log when a fold is due.
func (s *Store) putStoryIndex(tx *bolt.Tx, key []byte, it *Item) error {
	if s.dedupe.Window <= 0 || it.Story == nil {
		return nil
	}
	st := it.Story
	if !s.similarOn() {
		st = &Story{Link: st.Link, Title: st.Title}
	}
	if !s.mem.inLog(key) {
		return s.putKeyed(tx, key, st)
	}
	if err := tx.Bucket(bucketStoryLog).Put(key, encodeLogEntry(st)); err != nil {
		return err
	}
	s.mem.add(key, st, s.similarOn())
	if now := s.now(); s.mem.on && s.foldDue(now) {
		if _, err := s.fold(tx, s.foldPoint(now)); err != nil {
			return fmt.Errorf("fold story log: %w", err)
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
	// falls back on FirstSeen), so later candidates need no look.
	if limit := now.Add(FutureSlack); hi.After(limit) && !lo.After(limit) {
		hi = limit
	}
	l := storyLookup{s: s, tx: tx, st: it.Story, lo: lo, hi: hi, now: now, similar: s.matchesSimilar(it)}
	if l.similar && s.dedupe.Prefilter != nil {
		if probe == nil {
			probe = it.Story.Tokens
		}
		l.mayMatch = s.dedupe.Prefilter(probe, s.dedupe.Threshold)
	}
	if l.similar && s.mem.mask != nil {
		l.maskMay = s.dedupe.MaskFilter(it.Story.Tokens, s.dedupe.Threshold)
	}
	m, split := l.memory()
	if split == nil || bytes.Compare(itemKey(lo, 0), split) < 0 {
		// The window reaches items before the split: read the keyed part.
		until := hi
		if split != nil {
			until = keyTime(split)
		}
		if d := l.keyed(until); m.improves(d) {
			m = d
		}
	}
	return m
}

// storyLookup is one dedupe lookup of story st over item times [lo, hi].
type storyLookup struct {
	s        *Store
	tx       *bolt.Tx
	st       *Story
	lo, hi   time.Time
	now      time.Time
	similar  bool              // look for near-duplicate titles too
	mayMatch func(string) bool // the prefilter, or nil
	maskMay  func(uint64) bool // the mask filter, or nil
	tokens   []string          // reused for candidates' tokens
}

// memory looks the story up in the memory part of the index. It returns
// the best match there, and the split before which the keyed part must be
// read too (nil when the store keeps no index in memory: all of it).
func (l *storyLookup) memory() (storyMatch, []byte) {
	m := &l.s.mem
	m.mu.RLock()
	defer m.mu.RUnlock()
	if !m.on {
		return storyMatch{}, nil
	}
	for _, f := range exactForms(l.st) {
		if f.v == "" {
			continue
		}
		list := m.lists[memKey(f.kind, f.v)]
		for i := len(list) - 1; i >= 0; i-- {
			key := list[i].key[:]
			if kt := keyTime(key); kt.After(l.hi) {
				continue
			} else if kt.Before(l.lo) {
				break
			}
			if logHas(l.tx, key, f.kind, f.v) && usable(l.tx, key, l.lo, l.hi, l.now) {
				return storyMatch{key: bytes.Clone(key), kind: f.kind}, m.disk
			}
		}
	}
	if !l.similar {
		return storyMatch{}, m.disk
	}
	best := storyMatch{kind: 'k', score: l.s.dedupe.Threshold}
	var seen map[[16]byte]bool
	start := itemKey(l.lo, 0)
	for _, sig := range l.st.LookupKeys() {
		list := m.sigs[memKey('k', sig)]
		i := sort.Search(len(list), func(i int) bool { return bytes.Compare(list[i].key[:], start) >= 0 })
		for n := 0; i < len(list) && n < maxCandidates; i++ {
			e := &list[i]
			if keyTime(e.key[:]).After(l.hi) {
				break
			}
			n++
			if l.maskMay != nil && !l.maskMay(e.mask) {
				// Most candidates end here, so the set of those seen
				// under another key is kept only for the rest.
				continue
			}
			if seen[e.key] {
				continue
			}
			if seen == nil {
				seen = map[[16]byte]bool{}
			}
			seen[e.key] = true
			l.consider(&best, e.key[:], e.tokens)
		}
	}
	if best.key == nil {
		return storyMatch{}, m.disk
	}
	return best, m.disk
}

// exactForm is a form a story is found by as it is: 'l' and its
// canonical link, 't' and its normalized title.
type exactForm struct {
	kind byte
	v    string
}

// exactForms are st's exact forms, in the order lookups try them: a link
// match ranks above a title match.
func exactForms(st *Story) [2]exactForm {
	return [2]exactForm{{'l', st.Link}, {'t', st.Title}}
}

// consider scores the candidate at key, whose tokens are 0x00-separated
// in tokens, and keeps it in best when it scores at least as well.
func (l *storyLookup) consider(best *storyMatch, key []byte, tokens string) {
	if l.mayMatch != nil && !l.mayMatch(tokens) {
		return
	}
	l.tokens = splitTokens(l.tokens[:0], tokens)
	score := l.s.dedupe.Similarity(l.st.Tokens, l.tokens)
	if score >= best.score && usable(l.tx, key, l.lo, l.hi, l.now) {
		best.key, best.score = bytes.Clone(key), score
	}
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

// unindexStory takes out of the story index the entry of old, the
// previous version of an item, stored at oldKey; indexing its new version
// it (its keys already chosen) at key follows. The log entry says what old was filed under. Memory
// forgets it when the transaction commits: a rolled-back one must leave
// the item findable, and until the commit an entry pointing at the item's
// old place finds nothing usable there or the item itself.
func (s *Store) unindexStory(tx *bolt.Tx, oldKey []byte, old *Item, key []byte, it *Item) error {
	if s.dedupe.Window <= 0 || len(oldKey) != 16 {
		return nil
	}
	lb := tx.Bucket(bucketStoryLog)
	v := lb.Get(oldKey)
	if v == nil {
		// Filed in the keyed part, or never filed (no Story then).
		return s.unindexKeyed(tx, oldKey, old, key, it)
	}
	was, ok := decodeLogEntry(v)
	if !ok {
		return nil
	}
	now := refiled(oldKey, key, it)
	var gone []uint64
	if was.link != "" && was.link != storyLink(now) {
		gone = append(gone, memKey('l', was.link))
	}
	if was.title != "" && was.title != storyTitle(now) {
		gone = append(gone, memKey('t', was.title))
	}
	for _, sig := range was.keys {
		if now == nil || !slices.Contains(now.Keys, sig) {
			gone = append(gone, memKey('k', sig))
		}
	}
	if !bytes.Equal(oldKey, key) {
		if err := lb.Delete(oldKey); err != nil {
			return err
		}
	}
	k := [16]byte(oldKey)
	tx.OnCommit(func() {
		s.mem.mu.Lock()
		defer s.mem.mu.Unlock()
		for _, h := range gone {
			s.mem.remove(h, k)
		}
	})
	return nil
}

// refiled is the story an update files again under the key it had
// (entries of it that stay), or nil when the item moved.
func refiled(oldKey, key []byte, it *Item) *Story {
	if it.Story != nil && bytes.Equal(oldKey, key) {
		return it.Story
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

package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"tickerd/store"
)

// Ingest stores one fetched feed's items and the source's new state in
// one transaction, under the write lock (see the package comment), with
// the bbolt backend's rules: an item whose (Source, ID) is stored is
// updated in place when its content changed; a new item telling a story
// stored within the dedupe window becomes a report on it.
func (s *Store) Ingest(ctx context.Context, st store.SourceState, items []store.Item) (store.IngestResult, error) {
	var res store.IngestResult
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
	plan, err := s.readPlan(ctx, st, items, now)
	if err != nil {
		return res, fmt.Errorf("ingest %s: %w", st.Name, err)
	}
	s.mu.Lock()
	delete(s.dirty, st.Name)
	pending := s.takeDirty()
	s.mu.Unlock()
	r := &ingestReq{ctx: ctx, plan: plan, now: now, states: append(pending, st), done: make(chan struct{})}
	if err := s.submit(r); err != nil {
		s.remark(pending)
		return store.IngestResult{}, fmt.Errorf("ingest %s: %w", st.Name, err)
	}
	s.countTokens(ctx, plan.news)
	st.Items = r.count
	s.mu.Lock()
	s.states[st.Name] = st
	s.mu.Unlock()
	return r.res, nil
}

// ownRow is what the database holds for one of the feed's ids.
type ownRow struct {
	e    idEntry
	data []byte // the item's JSON for kind 'i'
}

// ingestPlan is what ingestRead found out about a feed, for
// ingestWrite.
type ingestPlan struct {
	st       store.SourceState
	items    []store.Item
	ids      []string
	own      map[string]ownRow
	preIndex []int // index in news and cands of each item looked up, or -1
	news     []*store.Item
	cands    []candidates
	// read is the last sequence number as the reads began; kept holds
	// the stored items its news would join, by key (nil: none there).
	read uint64
	kept map[string][]byte
}

// ingestRead reads what the feed's items are matched against; it runs
// before the write lock is taken (see recentLog).
func (w *writer) ingestRead(st store.SourceState, items []store.Item, now time.Time) (*ingestPlan, error) {
	// Every id of the feed, with its item, in one query: a steady poll
	// of an unchanged feed costs this and the state write.
	ids := make([]string, len(items))
	for i := range items {
		ids[i] = noNUL(strings.ToValidUTF8(items[i].ID, "\uFFFD"))
	}
	own := make(map[string]ownRow, len(items))
	rows, err := w.tx.Query(w.ctx, `SELECT ids.id, ids.kind, ids.ref, coalesce(ids.expiry, 0), items.data
		FROM ids LEFT JOIN items ON ids.kind = 'i' AND items.key = ids.ref
		WHERE ids.source = $1 AND ids.id = ANY($2)`, st.Name, ids)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, kind string
		var r ownRow
		if err := rows.Scan(&id, &kind, &r.e.ref, &r.e.expiry, &r.data); err != nil {
			rows.Close()
			return nil, err
		}
		r.e.kind = kind[0]
		own[id] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	// The dedupe candidates of every item that may be new, read at once:
	// the lookups of a feed cost two queries, not two per item.
	preIndex := make([]int, len(items))
	var news []*store.Item
	if w.s.dedupe.Window > 0 {
		for i := range items {
			preIndex[i] = -1
			if items[i].Story == nil {
				continue
			}
			if o, ok := own[ids[i]]; ok && (o.e.kind != 't' || now.UnixNano() < o.e.expiry) {
				continue
			}
			it := items[i]
			it.FirstSeen = now // as the loop below sets it, for Time
			news = append(news, &it)
			preIndex[i] = len(news) - 1
		}
	}
	if len(news) > 0 && w.s.dedupe.Keys != nil && w.s.similarOn() {
		// Keys by rarity, as of the counts before this feed (the items
		// are the caller's: their stories are copied, not changed).
		items = slices.Clone(items)
		if err := w.rekey(news); err != nil {
			return nil, err
		}
		for i, j := range preIndex {
			if j >= 0 {
				items[i].Story = news[j].Story
			}
		}
	}
	var cands []candidates
	if len(news) > 0 {
		if cands, err = w.readCandidates(news, now); err != nil {
			return nil, err
		}
		// The stored item each would join as things stand, read at once:
		// a feed's duplicates cost one query, not one each.
		var keys [][]byte
		for j, it := range news {
			if m, err := w.lookupStory(it, now, &cands[j]); err == nil && m.key != nil {
				keys = append(keys, m.key)
			}
		}
		if err := w.readItems(keys); err != nil {
			return nil, err
		}
	} else {
		for i := range preIndex {
			preIndex[i] = -1
		}
	}

	return &ingestPlan{st: st, items: items, ids: ids, own: own, preIndex: preIndex, news: news, cands: cands}, nil
}

// ingestWrite stores the feed's items as plan found them, under the
// write lock.
func (w *writer) ingestWrite(p *ingestPlan, now time.Time, count *int) (store.IngestResult, error) {
	var res store.IngestResult
	if ingestFault != nil {
		if err := ingestFault(p.st.Name); err != nil {
			return res, err
		}
	}
	st, items, own, preIndex, cands := p.st, p.items, p.own, p.preIndex, p.cands
	added := 0
	seen := make(map[uint64]bool, len(items))
	for i := range items {
		it := items[i]
		validUTF8(&it)
		it.ID = noNUL(it.ID)
		h := idHash(it.Source, it.ID)
		if seen[h] {
			res.Unchanged++
			continue
		}
		seen[h] = true
		old, found := own[it.ID]
		if found && old.e.kind == 't' {
			if now.UnixNano() >= old.e.expiry {
				found = false
			} else {
				// Pruned within the dedupe window: a feed still listing
				// it must not bring it back.
				res.Unchanged++
				continue
			}
		}
		if !found {
			it.FirstSeen, it.Reports = now, nil
			var pre *candidates
			if j := preIndex[i]; j >= 0 {
				pre = &cands[j]
			}
			m, err := w.lookupStory(&it, now, pre)
			if err != nil {
				return res, err
			}
			if m.key != nil {
				keptData, err := w.getItem(m.key)
				if err != nil {
					return res, err
				}
				if keptData == nil {
					// The story's item was pruned within the window.
					expiry, _, err := w.tombAlive(m.key, now)
					if err != nil {
						return res, err
					}
					if err := w.setID(it.Source, it.ID, idEntry{kind: 't', expiry: expiry.UnixNano()}); err != nil {
						return res, err
					}
					res.Duplicate++
					continue
				}
				kept, told, err := w.addReport(m.key, keptData, &it)
				if err != nil {
					return res, err
				}
				if told {
					res.Duplicate++
					continue
				}
				if kept != nil {
					if err := w.logChange(store.OpUpdated, m.key, kept); err != nil {
						return res, err
					}
				}
				if err := w.setID(it.Source, it.ID, idEntry{kind: 'd', ref: m.key}); err != nil {
					return res, err
				}
				res.Duplicate++
				continue
			}
			key, err := w.putItem(h, &it)
			if err != nil {
				return res, err
			}
			if err := w.indexNewStory(key, &it); err != nil {
				return res, err
			}
			if err := w.logChange(store.OpAdded, key, &it); err != nil {
				return res, err
			}
			res.New++
			added++
			continue
		}
		if old.e.kind == 'd' {
			kept, err := w.updateReport(old.e.ref, &it)
			if err != nil {
				return res, err
			}
			if kept == nil {
				res.Unchanged++
				continue
			}
			if err := w.logChange(store.OpUpdated, old.e.ref, kept); err != nil {
				return res, err
			}
			res.Updated++
			continue
		}
		if old.data == nil {
			return res, fmt.Errorf("item %q: its id names key %x, which holds nothing", it.ID, old.e.ref)
		}
		var prev store.Item
		if err := json.Unmarshal(old.data, &prev); err != nil {
			return res, fmt.Errorf("decode stored item %q: %w", it.ID, err)
		}
		if sameContent(&prev, &it) {
			res.Unchanged++
			continue
		}
		oldKey := old.e.ref
		it.FirstSeen = prev.FirstSeen
		it.Reports = prev.Reports
		if it.Updated.IsZero() || !it.Updated.After(prev.Updated) {
			it.Updated = now
		}
		if err := w.exec(`DELETE FROM items WHERE key = $1`, oldKey); err != nil {
			return res, err
		}
		w.cacheItem(oldKey, nil)
		w.markGone(oldKey)
		if err := w.unindexSource(oldKey, prev.Source); err != nil {
			return res, err
		}
		key, err := w.putItem(h, &it)
		if err != nil {
			return res, err
		}
		if err := w.unindexStory(oldKey, &prev, key, &it); err != nil {
			return res, err
		}
		if !bytes.Equal(key, oldKey) {
			if err := w.moveReports(oldKey, key, it.Reports); err != nil {
				return res, err
			}
		}
		if err := w.indexStory(key, &it); err != nil {
			return res, err
		}
		if err := w.logChange(store.OpUpdated, key, &it); err != nil {
			return res, err
		}
		res.Updated++
	}
	w.queueAddItems(st.Name, added, count)
	return res, nil
}

// rekey sets the keys of items' stories (copied) by rarity: their
// rarest tokens by token_counts, as Dedupe.Keys chooses them.
func (w *writer) rekey(items []*store.Item) error {
	var tokens []string
	asked := map[string]bool{}
	for _, it := range items {
		for _, t := range it.Story.Tokens {
			if t = noNUL(t); !asked[t] {
				asked[t] = true
				tokens = append(tokens, t)
			}
		}
	}
	counts := map[string]uint32{}
	// One index probe per token (see readCandidates): with = ANY the
	// planner scanned the whole table while its statistics were young.
	rows, err := w.tx.Query(w.ctx, `SELECT u.token, least(c.n, 4294967295) FROM unnest($1::text[]) AS u(token)
		CROSS JOIN LATERAL (SELECT n FROM token_counts WHERE token = u.token OFFSET 0) c`, tokens)
	if err != nil {
		return err
	}
	for rows.Next() {
		var t string
		var n int64
		if err := rows.Scan(&t, &n); err != nil {
			rows.Close()
			return err
		}
		counts[t] = uint32(n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	count := func(t string) uint32 { return counts[noNUL(t)] }
	for _, it := range items {
		st := *it.Story
		st.Keys = w.s.dedupe.Keys(st.Tokens, count, w.s.dedupe.Threshold)
		if w.s.dedupe.LookupKeys != nil {
			st.Lookup = w.s.dedupe.LookupKeys(st.Tokens, count, w.s.dedupe.Threshold)
		}
		it.Story = &st
	}
	return nil
}

// countTokens counts one more headline for each token of items.
func (w *writer) countTokens(items []*store.Item) error {
	if tokens, ns := tokenCounts(items); len(tokens) > 0 {
		return w.exec(countSQL, tokens, ns)
	}
	return nil
}

// countTokens is writer.countTokens in a statement of its own, after
// the ingest's commit: the counts only rank tokens by rarity, so they
// need not commit with the items, and their upsert of a few hundred
// rows was the costliest statement under the write lock. Tokens go in
// sorted order, so that two such statements lock shared rows in the
// same order and never deadlock.
func (s *Store) countTokens(ctx context.Context, items []*store.Item) {
	if s.dedupe.Keys == nil || !s.similarOn() {
		return
	}
	tokens, ns := tokenCounts(items)
	if len(tokens) == 0 {
		return
	}
	if _, err := s.pool.Exec(ctx, countSQL, tokens, ns); err != nil {
		s.logger.Warn("count tokens for rarity keys", "err", err)
	}
}

const countSQL = `INSERT INTO token_counts (token, n) SELECT * FROM unnest($1::text[], $2::bigint[])
	ON CONFLICT (token) DO UPDATE SET n = token_counts.n + excluded.n`

// tokenCounts returns each token of items with the number of items
// that have it, in token order.
func tokenCounts(items []*store.Item) ([]string, []int64) {
	add := map[string]int64{}
	for _, it := range items {
		for _, t := range it.Story.Tokens {
			if len(t) <= 255 { // as bbolt: no word anyone will look up
				add[noNUL(t)]++
			}
		}
	}
	tokens := make([]string, 0, len(add))
	for t := range add {
		tokens = append(tokens, t)
	}
	slices.Sort(tokens)
	ns := make([]int64, len(tokens))
	for i, t := range tokens {
		ns[i] = add[t]
	}
	return tokens, ns
}

// putItem stores it under its key, indexes it by source and points its
// identity at it; it returns the key.
func (w *writer) putItem(h uint64, it *store.Item) ([]byte, error) {
	v, err := json.Marshal(it)
	if err != nil {
		return nil, fmt.Errorf("encode item %q: %w", it.ID, err)
	}
	key := itemKey(it.Time(), h)
	delete(w.gone, string(key))
	if err := w.putItemData(key, it.Source, v); err != nil {
		return nil, err
	}
	if err := w.indexSource(key, it.Source); err != nil {
		return nil, err
	}
	return key, w.setID(it.Source, it.ID, idEntry{kind: 'i', ref: key})
}

// noFresh and beforeLock are set by tests only (export_test.go).
var (
	noFresh     bool
	beforeLock  func()
	ingestFault func(source string) error
)

// maxReports and maxCandidates are the bbolt backend's bounds
// (store/story.go).
const (
	maxReports    = 32
	maxCandidates = 64
)

func (s *Store) similarOn() bool { return s.dedupe.Threshold > 0 && s.dedupe.Similarity != nil }

// indexStory adds it, stored under key, to the story index; lookups
// later in the transaction that would read what it writes read again.
func (w *writer) indexStory(key []byte, it *store.Item) error {
	return w.putStoryIndex(key, it, false)
}

// indexNewStory is indexStory for an item stored under a key nothing
// held before in this transaction: later lookups add it to what they
// read before (writer.fresh), without reading again.
func (w *writer) indexNewStory(key []byte, it *store.Item) error {
	return w.putStoryIndex(key, it, true)
}

func (w *writer) putStoryIndex(key []byte, it *store.Item, fresh bool) error {
	s := w.s
	if s.dedupe.Window <= 0 || it.Story == nil {
		return nil
	}
	d := dayOf(it.Time())
	if fresh && !noFresh {
		w.fresh.add(key, it.Story, d, s.similarOn())
		w.recordEntry(key, it.Story, d)
	} else {
		w.recordUnclean()
		w.touch("l", it.Story.Link)
		w.touch("t", it.Story.Title)
		for _, k := range it.Story.Keys {
			w.touch("k", k)
		}
	}
	if it.Story.Link != "" {
		w.tx.bulk.putForm("l", noNUL(it.Story.Link), d, key)
	}
	if it.Story.Title != "" {
		w.tx.bulk.putForm("t", noNUL(it.Story.Title), d, key)
	}
	if !s.similarOn() || len(it.Story.Keys) == 0 {
		return nil
	}
	tokens := textNoNUL(joinTokens(it.Story.Tokens))
	for _, k := range it.Story.Keys {
		w.tx.bulk.putSig(noNUL(k), d, key, tokens)
	}
	return nil
}

type storyMatch struct {
	key   []byte
	score float64
}

// candidates is what the story index holds for one item, as a lookup
// reads it: the exact forms (links first, newest day first) and the
// near-duplicate candidates (signature by signature, in time order, at
// most maxCandidates each), each with whether it may be matched.
type candidates struct {
	forms, keys []cand
	// rows counts the index entries read under each of the item's keys,
	// before scoring: at maxCandidates, more may exist.
	rows []int
}

type cand struct {
	key    []byte
	score  float64 // of a near-duplicate candidate
	usable bool    // stored, or removed within the window (a live tombstone)
	// ord is 0 for a link form, 1 for a title form; for a near-duplicate
	// candidate, the index of the first of the item's keys it was found
	// under. day is the index entry's day.
	ord, day int32
}

// window is the span of item times that may tell the same story as it.
func (s *Store) window(it *store.Item) (lo, hi time.Time) {
	t := it.Time()
	return t.Add(-s.dedupe.Window), t.Add(s.dedupe.Window)
}

// readCandidates reads the candidates of items (each with a Story) in
// two queries, whatever their number.
func (w *writer) readCandidates(items []*store.Item, now time.Time) ([]candidates, error) {
	s := w.s
	out := make([]candidates, len(items))
	var ns, kns, ords, fdlo, fdhi, kdlo, kdhi []int32
	var links, titles, sigs []string
	var klo, khi [][]byte
	for i, it := range items {
		lo, hi := s.window(it)
		dlo, dhi := dayOf(lo), dayOf(hi)
		if it.Story.Link != "" || it.Story.Title != "" {
			ns, links, titles = append(ns, int32(i)), append(links, noNUL(it.Story.Link)), append(titles, noNUL(it.Story.Title))
			fdlo, fdhi = append(fdlo, dlo), append(fdhi, dhi)
		}
		if s.similarOn() && len(it.Story.Tokens) > 0 {
			for j, k := range it.Story.LookupKeys() {
				kns, ords, sigs = append(kns, int32(i)), append(ords, int32(j)), append(sigs, noNUL(k))
				kdlo, kdhi = append(kdlo, dlo), append(kdhi, dhi)
				klo, khi = append(klo, itemKey(lo, 0)), append(khi, itemKey(hi, ^uint64(0)))
			}
		}
	}
	// Every lookup here is written to be an index probe per row whatever
	// the planner thinks of the tables' sizes: on a young table (or with
	// the custom plans a connection's first executions get) it chose
	// hash joins over whole-table scans of story_forms and items, whose
	// cost grows with the store. LATERAL keeps the forms lookup per item;
	// OFFSET 0 keeps each EXISTS a correlated probe, not a hashed scan.
	usable := `EXISTS (SELECT 1 FROM items i WHERE i.key = c.key OFFSET 0) OR EXISTS (SELECT 1 FROM tombs t WHERE t.key = c.key AND t.expiry > $1 OFFSET 0)`
	if len(ns) > 0 {
		rows, err := w.tx.Query(w.ctx, `SELECT u.n, c.k, c.day, c.key, `+usable+`
			FROM unnest($2::int[], $3::text[], $4::text[], $5::int[], $6::int[]) AS u(n, link, title, dlo, dhi)
			CROSS JOIN LATERAL (
				SELECT 0 AS k, day, key FROM story_forms WHERE kind = 'l' AND val = u.link AND day BETWEEN u.dlo AND u.dhi AND u.link <> ''
				UNION ALL
				SELECT 1, day, key FROM story_forms WHERE kind = 't' AND val = u.title AND day BETWEEN u.dlo AND u.dhi AND u.title <> '') c
			ORDER BY u.n, c.k, c.day DESC`, now.UnixNano(), ns, links, titles, fdlo, fdhi)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var n int32
			var c cand
			if err := rows.Scan(&n, &c.ord, &c.day, &c.key, &c.usable); err != nil {
				rows.Close()
				return nil, err
			}
			out[n].forms = append(out[n].forms, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	if len(kns) > 0 {
		// Candidates come with their tokens and are scored here; only the
		// few that score enough are then checked for usability, in one
		// more query (most candidates share one common word and no more).
		rows, err := w.tx.Query(w.ctx, `SELECT u.n, u.ord, c.day, c.key, c.tokens
			FROM unnest($1::int[], $2::int[], $3::text[], $4::int[], $5::int[], $6::bytea[], $7::bytea[]) AS u(n, ord, sig, dlo, dhi, klo, khi)
			CROSS JOIN LATERAL (SELECT key, tokens, day FROM story_keys
				WHERE sig = u.sig AND day BETWEEN u.dlo AND u.dhi AND key >= u.klo AND key <= u.khi
				ORDER BY day, key LIMIT $8) c
			ORDER BY u.n, u.ord, c.day, c.key`, kns, ords, sigs, kdlo, kdhi, klo, khi, maxCandidates)
		if err != nil {
			return nil, err
		}
		cur := int32(-1)
		var seen map[string]bool
		var mayMatch func(string) bool
		var tokens []string
		var check [][]byte
		for rows.Next() {
			var n, ord, day int32
			var key []byte
			var joined string
			if err := rows.Scan(&n, &ord, &day, &key, &joined); err != nil {
				rows.Close()
				return nil, err
			}
			it := items[n]
			if out[n].rows == nil {
				out[n].rows = make([]int, len(it.Story.LookupKeys()))
			}
			out[n].rows[ord]++
			if n != cur {
				cur, seen, mayMatch = n, map[string]bool{}, nil
				if s.dedupe.Prefilter != nil {
					mayMatch = s.dedupe.Prefilter(it.Story.Tokens, s.dedupe.Threshold)
				}
			}
			if seen[string(key)] {
				continue
			}
			seen[string(key)] = true
			joined = strings.ReplaceAll(joined, tokenSep, "\x00")
			if mayMatch != nil && !mayMatch(joined) {
				continue
			}
			tokens = append(tokens[:0], strings.Split(joined, "\x00")...)
			if score := s.dedupe.Similarity(it.Story.Tokens, tokens); score >= s.dedupe.Threshold {
				out[n].keys = append(out[n].keys, cand{key: key, score: score, ord: ord, day: day})
				check = append(check, key)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if len(check) > 0 {
			rows, err := w.tx.Query(w.ctx, `SELECT c.key FROM unnest($2::bytea[]) AS c(key) WHERE `+usable, now.UnixNano(), check)
			if err != nil {
				return nil, err
			}
			ok := map[string]bool{}
			for rows.Next() {
				var k []byte
				if err := rows.Scan(&k); err != nil {
					rows.Close()
					return nil, err
				}
				ok[string(k)] = true
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
			for i := range out {
				for j := range out[i].keys {
					out[i].keys[j].usable = ok[string(out[i].keys[j].key)]
				}
			}
		}
	}
	return out, nil
}

// touches reports whether this transaction wrote or deleted a story
// index entry it's lookup would read: candidates read before then are
// stale for it.
func (w *writer) touches(it *store.Item) bool {
	if len(w.touched) == 0 {
		return false
	}
	if w.touched["l\x00"+it.Story.Link] || w.touched["t\x00"+it.Story.Title] {
		return true
	}
	for _, k := range it.Story.LookupKeys() {
		if w.touched["k\x00"+k] {
			return true
		}
	}
	return false
}

func (w *writer) touch(kind, v string) {
	if w.touched == nil {
		w.touched = map[string]bool{}
	}
	w.touched[kind+"\x00"+v] = true
}

// lookupStory finds a stored item that tells the same story as it within
// the dedupe window: first by canonical link, then by normalized title,
// then by the most similar title among those sharing a signature key,
// as the bbolt backend does. pre holds its candidates read with the
// feed's others; they are read again when this transaction has changed
// the index entries the item would read.
func (w *writer) lookupStory(it *store.Item, now time.Time, pre *candidates) (storyMatch, error) {
	s := w.s
	if s.dedupe.Window <= 0 || it.Story == nil {
		return storyMatch{}, nil
	}
	lo, hi := s.window(it)
	if pre != nil && !w.touches(it) && w.fresh.meets(it.Story) {
		pre = w.fresh.merge(s, it, pre, lo, hi)
	}
	if pre == nil || w.touches(it) {
		got, err := w.readCandidates([]*store.Item{it}, now)
		if err != nil {
			return storyMatch{}, err
		}
		pre = &got[0]
	}
	ok := func(c *cand) bool {
		if len(c.key) != 16 || !c.usable || w.gone[string(c.key)] {
			return false
		}
		kt := keyTime(c.key)
		return !kt.Before(lo) && !kt.After(hi)
	}
	for i := range pre.forms {
		if ok(&pre.forms[i]) {
			return storyMatch{key: pre.forms[i].key}, nil
		}
	}
	if !s.similarOn() || len(it.Story.Tokens) == 0 {
		return storyMatch{}, nil
	}
	best := storyMatch{score: s.dedupe.Threshold}
	for i := range pre.keys {
		if c := &pre.keys[i]; c.score >= best.score && ok(c) {
			best = storyMatch{key: c.key, score: c.score}
		}
	}
	if best.key == nil {
		return storyMatch{}, nil
	}
	return best, nil
}

// tombAlive reports the tombstone of the item once at key, and whether
// it is alive at now.
func (w *writer) tombAlive(key []byte, now time.Time) (time.Time, bool, error) {
	var exp int64
	err := w.tx.QueryRow(w.ctx, `SELECT expiry FROM tombs WHERE key = $1`, key).Scan(&exp)
	if err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return time.Time{}, false, nil
		}
		return time.Time{}, false, err
	}
	t := time.Unix(0, exp)
	return t, now.Before(t), nil
}

// addReport records it as another telling of the item stored at key (its
// JSON data). It returns the updated item, or nil when the item holds as
// many reports as it keeps; told reports that it's source told the story
// already, in which case nothing is recorded.
func (w *writer) addReport(key, data []byte, it *store.Item) (kept *store.Item, told bool, err error) {
	// Only whose tellings the item holds is read, and the report is
	// spliced into the stored JSON: a story every wire runs holds up to
	// maxReports reports with their summaries, and decoding and encoding
	// all of it for each further copy was the most CPU an ingest spent
	// under the write lock.
	var head struct {
		Source  string `json:"src"`
		ID      string `json:"id"`
		Reports []struct {
			Source string `json:"src"`
		} `json:"also"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, false, fmt.Errorf("decode stored item at key %x: %w", key, err)
	}
	if head.Source == it.Source || slices.ContainsFunc(head.Reports, func(r struct {
		Source string `json:"src"`
	}) bool {
		return r.Source == it.Source
	}) {
		return nil, true, nil
	}
	if len(head.Reports) >= maxReports {
		return nil, false, nil
	}
	r := newReport(it)
	v, err := store.AppendReportJSON(data, len(head.Reports) > 0, &r)
	if err != nil {
		return nil, false, fmt.Errorf("encode item %q: %w", head.ID, err)
	}
	if err := w.setItemData(key, v); err != nil {
		return nil, false, err
	}
	return &store.Item{Source: head.Source, ID: head.ID}, false, w.indexTellings(key, []store.Report{r})
}

// updateReport applies a new version of it, recorded as a report on the
// item stored at key. It returns the updated item, or nil when nothing a
// reader sees changed or the report is not found.
func (w *writer) updateReport(key []byte, it *store.Item) (*store.Item, error) {
	v, err := w.getItem(key)
	if err != nil || v == nil {
		return nil, err
	}
	var kept store.Item
	if err := json.Unmarshal(v, &kept); err != nil {
		return nil, fmt.Errorf("decode stored item at key %x: %w", key, err)
	}
	i := slices.IndexFunc(kept.Reports, func(r store.Report) bool { return r.Source == it.Source && r.ID == it.ID })
	if i < 0 {
		return nil, nil
	}
	old := &kept.Reports[i]
	r := newReport(it)
	if it.Published.IsZero() || it.Published.After(old.Time.Add(store.FutureSlack)) {
		r.Time = old.Time
	}
	if sameReport(&r, old) {
		return nil, nil
	}
	if err := w.unindexTellings([]store.Report{*old}); err != nil {
		return nil, err
	}
	*old = r
	nv, err := json.Marshal(&kept)
	if err != nil {
		return nil, fmt.Errorf("encode item %q: %w", kept.ID, err)
	}
	if err := w.setItemData(key, nv); err != nil {
		return nil, err
	}
	return &kept, w.indexTellings(key, []store.Report{r})
}

// moveReports points the tellings recorded on an item that moved from
// oldKey to key at its new key.
func (w *writer) moveReports(oldKey, key []byte, reports []store.Report) error {
	if len(reports) == 0 {
		return nil
	}
	if err := w.indexTellings(key, reports); err != nil {
		return err
	}
	for _, r := range reports {
		if r.ID == "" {
			continue
		}
		if err := w.exec(`UPDATE ids SET ref = $4 WHERE source = $1 AND id = $2 AND kind = 'd' AND ref = $3`, r.Source, noNUL(r.ID), oldKey, key); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) indexTellings(key []byte, reports []store.Report) error {
	for i := range reports {
		w.tx.bulk.putBysrc(reports[i].Source, tellingKey(&reports[i]), key)
	}
	return nil
}

func (w *writer) unindexTellings(reports []store.Report) error {
	for i := range reports {
		if err := w.unindexSource(tellingKey(&reports[i]), reports[i].Source); err != nil {
			return err
		}
	}
	return nil
}

// unindexStory deletes the story index entries of old, the previous
// version of an item at oldKey, except those its new version at key
// writes again.
func (w *writer) unindexStory(oldKey []byte, old *store.Item, key []byte, it *store.Item) error {
	s := w.s
	if s.dedupe.Window <= 0 || s.dedupe.Story == nil {
		return nil
	}
	was := s.dedupe.Story(old)
	if was == nil {
		return nil
	}
	d := dayOf(old.Time())
	w.recordUnclean()
	w.touch("l", was.Link)
	w.touch("t", was.Title)
	for _, k := range was.Keys {
		w.touch("k", k)
	}
	var now *store.Story
	if it.Story != nil && bytes.Equal(oldKey, key) && dayOf(it.Time()) == d {
		now = it.Story
	}
	for _, f := range []struct {
		kind     string
		was, now string
	}{{"l", was.Link, storyLink(now)}, {"t", was.Title, storyTitle(now)}} {
		if f.was == "" || f.was == f.now {
			continue
		}
		if err := w.exec(`DELETE FROM story_forms WHERE kind = $1 AND val = $2 AND day = $3 AND key = $4`, f.kind, noNUL(f.was), d, oldKey); err != nil {
			return err
		}
	}
	if !s.similarOn() {
		return nil
	}
	var gone []string
	for _, sig := range was.Keys {
		if now != nil && slices.Contains(now.Keys, sig) {
			continue
		}
		gone = append(gone, noNUL(sig))
	}
	if len(gone) == 0 {
		return nil
	}
	return w.exec(`DELETE FROM story_keys WHERE sig = ANY($1) AND day = $2 AND key = $3`, gone, d, oldKey)
}

func storyLink(st *store.Story) string {
	if st == nil {
		return ""
	}
	return st.Link
}

func storyTitle(st *store.Story) string {
	if st == nil {
		return ""
	}
	return st.Title
}

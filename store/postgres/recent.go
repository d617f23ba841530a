package postgres

import (
	"bytes"
	"container/heap"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"tickerd/store"
)

const (
	defaultRecentLimit = 50
	defaultMaxScan     = 10000
	// chunk is how many rows one query of a walk reads.
	chunk = 200
)

// Recent returns the items q selects, newest first (or round-robin with
// q.Interleave), by the bbolt backend's rules (store.Store.Recent): a
// query naming sources holds every story one of them told, once, as the
// first of them to tell it told it. It reads in one repeatable-read
// transaction, so the result is one snapshot.
func (s *Store) Recent(ctx context.Context, q store.Query) ([]store.Item, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := &reader{ctx: ctx, q: q, limit: q.Limit, maxScan: q.MaxScan}
	if r.limit <= 0 {
		r.limit = defaultRecentLimit
	}
	if r.maxScan <= 0 {
		r.maxScan = defaultMaxScan
	}
	if !q.Since.IsZero() {
		r.since = itemKey(q.Since, 0)
	}
	if q.Sources != nil {
		r.selected = make(map[string]bool, len(q.Sources))
		for _, name := range q.Sources {
			r.selected[name] = true
		}
		r.keep = func(src string) bool { return r.selected[src] }
		if len(q.Sources) == 0 {
			return []store.Item{}, nil
		}
	}
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("read recent items: %w", err)
	}
	defer tx.Rollback(context.Background())
	r.tx = tx
	r.out = make([]store.Item, 0, min(r.limit, 256))
	if q.Sources == nil && q.PerSource <= 0 && !q.Interleave {
		err = r.byTime()
	} else {
		sources := q.Sources
		if sources == nil {
			sources, err = r.indexedSources()
		}
		if err == nil {
			var streams []*stream
			seen := map[string]bool{}
			for _, name := range sources {
				if seen[name] {
					continue
				}
				seen[name] = true
				st := &stream{r: r, source: name}
				if err = st.next(); err != nil {
					break
				}
				if st.cur != nil {
					streams = append(streams, st)
				}
			}
			if err == nil {
				if q.Interleave {
					err = r.interleave(streams)
				} else {
					err = r.merge(streams)
				}
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("read recent items: %w", err)
	}
	return r.out, nil
}

type reader struct {
	ctx      context.Context
	tx       pgx.Tx
	q        store.Query
	limit    int
	maxScan  int
	since    []byte
	scanned  int
	out      []store.Item
	selected map[string]bool
	keep     func(string) bool
}

func (r *reader) done() bool { return len(r.out) >= r.limit || r.scanned >= r.maxScan }

func (r *reader) take(key, v []byte) (bool, error) {
	r.scanned++
	if v == nil {
		return false, nil
	}
	var it store.Item
	if err := json.Unmarshal(v, &it); err != nil {
		return false, fmt.Errorf("decode item at key %x: %w", key, err)
	}
	if r.q.Match != nil && !r.q.Match(&it) {
		return false, nil
	}
	r.out = append(r.out, it)
	return true, nil
}

// byTime walks every item newest first, a chunk per query.
func (r *reader) byTime() error {
	var before []byte
	for !r.done() {
		args := []any{chunk}
		sql := `SELECT key, data FROM items WHERE true`
		if before != nil {
			args = append(args, before)
			sql += fmt.Sprintf(` AND key < $%d`, len(args))
		}
		if r.since != nil {
			args = append(args, r.since)
			sql += fmt.Sprintf(` AND key >= $%d`, len(args))
		}
		sql += ` ORDER BY key DESC LIMIT $1`
		got, err := readKeyData(r.ctx, r.tx, sql, args...)
		if err != nil {
			return err
		}
		for _, e := range got {
			if r.done() {
				break
			}
			if _, err := r.take(e.key, e.data); err != nil {
				return err
			}
		}
		if len(got) < chunk {
			break
		}
		before = got[len(got)-1].key
	}
	return nil
}

func (r *reader) indexedSources() ([]string, error) {
	rows, err := r.tx.Query(r.ctx, `SELECT DISTINCT source FROM bysrc ORDER BY source`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// entry is one row of a source's walk: its own item (story nil) or its
// telling of the story whose record is data (lead: the story's item is
// stored, not only its record).
type entry struct {
	key, story, data []byte
	lead             bool
}

// stream walks one source's entries newest first, a chunk per query.
type stream struct {
	r      *reader
	source string
	buf    []entry
	cur    *entry
	end    bool
	taken  int
}

func (st *stream) next() error {
	if len(st.buf) == 0 && !st.end {
		if err := st.fill(); err != nil {
			return err
		}
	}
	if len(st.buf) == 0 {
		st.cur = nil
		return nil
	}
	st.cur = &st.buf[0]
	st.buf = st.buf[1:]
	return nil
}

func (st *stream) fill() error {
	r := st.r
	args := []any{st.source, chunk}
	sql := `SELECT b.key, b.story, coalesce(i.data, t.data), i.key IS NOT NULL
		FROM bysrc b
		LEFT JOIN items i ON i.key = coalesce(b.story, b.key)
		LEFT JOIN told t ON b.story IS NOT NULL AND i.key IS NULL AND t.key = b.story
		WHERE b.source = $1`
	if st.cur != nil {
		args = append(args, st.cur.key)
		sql += fmt.Sprintf(` AND b.key < $%d`, len(args))
	}
	if r.since != nil {
		args = append(args, r.since)
		sql += fmt.Sprintf(` AND b.key >= $%d`, len(args))
	}
	sql += ` ORDER BY b.key DESC LIMIT $2`
	rows, err := r.tx.Query(r.ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.key, &e.story, &e.data, &e.lead); err != nil {
			return err
		}
		st.buf = append(st.buf, e)
		n++
	}
	if n < chunk {
		st.end = true
	}
	return rows.Err()
}

// takeStream takes the current entry of st: one of the source's own
// items, or its telling of a story when that telling is the one the
// selected sources show.
func (r *reader) takeStream(st *stream) (bool, error) {
	e := st.cur
	if e.story == nil {
		if !e.lead {
			r.scanned++
			return false, nil
		}
		return r.take(e.key, e.data)
	}
	if r.selected == nil {
		return false, nil
	}
	r.scanned++
	if e.data == nil {
		return false, nil
	}
	var rec struct {
		Source    string         `json:"src"`
		ID        string         `json:"id"`
		GUID      string         `json:"guid"`
		Link      string         `json:"link"`
		Title     string         `json:"title"`
		Published time.Time      `json:"pub"`
		FirstSeen time.Time      `json:"seen"`
		Reports   []store.Report `json:"also"`
	}
	if err := json.Unmarshal(e.data, &rec); err != nil {
		return false, fmt.Errorf("decode story at key %x: %w", e.story, err)
	}
	it := store.Item{Source: rec.Source, ID: rec.ID, GUID: rec.GUID, Link: rec.Link, Title: rec.Title, Published: rec.Published, FirstSeen: rec.FirstSeen, Reports: rec.Reports}
	i, ok := it.FirstTelling(r.keep, e.lead)
	if !ok || i < 0 || it.Reports[i].Source != st.source || !bytes.Equal(tellingKey(&it.Reports[i]), e.key) {
		return false, nil
	}
	t := it.Telling(i)
	if r.q.Match != nil && !r.q.Match(&t) {
		return false, nil
	}
	r.out = append(r.out, t)
	return true, nil
}

func (r *reader) merge(streams []*stream) error {
	h := streamHeap(streams)
	heap.Init(&h)
	for len(h) > 0 && !r.done() {
		st := h[0]
		ok, err := r.takeStream(st)
		if err != nil {
			return err
		}
		if ok {
			st.taken++
		}
		if r.q.PerSource > 0 && st.taken >= r.q.PerSource {
			heap.Pop(&h)
			continue
		}
		if err := st.next(); err != nil {
			return err
		}
		if st.cur == nil {
			heap.Pop(&h)
		} else {
			heap.Fix(&h, 0)
		}
	}
	return nil
}

func (r *reader) interleave(streams []*stream) error {
	slices.SortFunc(streams, func(a, b *stream) int { return bytes.Compare(b.cur.key, a.cur.key) })
	active := streams
	for len(active) > 0 && !r.done() {
		next := active[:0]
		for _, st := range active {
			for st.cur != nil && !r.done() {
				ok, err := r.takeStream(st)
				if err != nil {
					return err
				}
				if err := st.next(); err != nil {
					return err
				}
				if ok {
					st.taken++
					break
				}
			}
			if st.cur != nil && (r.q.PerSource <= 0 || st.taken < r.q.PerSource) {
				next = append(next, st)
			}
			if r.done() {
				break
			}
		}
		active = next
	}
	return nil
}

type streamHeap []*stream

func (h streamHeap) Len() int           { return len(h) }
func (h streamHeap) Less(i, j int) bool { return bytes.Compare(h[i].cur.key, h[j].cur.key) > 0 }
func (h streamHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *streamHeap) Push(x any)        { *h = append(*h, x.(*stream)) }
func (h *streamHeap) Pop() any {
	old := *h
	st := old[len(old)-1]
	*h = old[:len(old)-1]
	return st
}

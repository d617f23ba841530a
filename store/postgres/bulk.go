package postgres

import "strconv"

// bulk holds the upserts of one transaction's new rows (items, their
// identities, per-source and story index entries) until the next other
// statement, read or commit, and sends each table's as one statement:
// a feed of 50 new items costs five statements, not 250, and the
// server's per-statement work was most of what ingest waited for under
// the write lock.
//
// Within one INSERT … ON CONFLICT DO UPDATE a row may be hit once only,
// so a repeated key replaces the values queued for it: each upsert here
// sets every column from the new row, so the last write wins as it
// would statement by statement. Any other statement spills the buffer
// first (batchTx.queue), which keeps the order of writes to one row.
type bulk struct {
	items  bulkRows // key, source, data
	ids    bulkRows // source, id, kind, ref, expiry
	bysrc  bulkRows // source, key, story
	forms  bulkRows // kind, val, day, key
	sigs   bulkRows // sig, day, key, tokens
	queued int
}

// bulkRows is one table's pending rows, by conflict key.
type bulkRows struct {
	at   map[string]int
	rows [][]any
}

func (r *bulkRows) put(key string, row ...any) {
	if i, ok := r.at[key]; ok {
		r.rows[i] = row
		return
	}
	if r.at == nil {
		r.at = map[string]int{}
	}
	r.at[key] = len(r.rows)
	r.rows = append(r.rows, row)
}

func (r *bulkRows) reset() {
	clear(r.at)
	r.rows = r.rows[:0]
}

func col[T any](rows [][]any, i int) []T {
	out := make([]T, len(rows))
	for j, r := range rows {
		out[j] = r[i].(T)
	}
	return out
}

// spill queues the pending rows as one upsert per table.
func (b *bulk) spill(t *batchTx) {
	if b.queued == 0 {
		return
	}
	b.queued = 0
	if r := b.items.rows; len(r) > 0 {
		t.queueRaw(`INSERT INTO items (key, source, data) SELECT * FROM unnest($1::bytea[], $2::text[], $3::bytea[])
			ON CONFLICT (key) DO UPDATE SET source = excluded.source, data = excluded.data`,
			col[[]byte](r, 0), col[string](r, 1), col[[]byte](r, 2))
	}
	if r := b.ids.rows; len(r) > 0 {
		t.queueRaw(`INSERT INTO ids (source, id, kind, ref, expiry) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::bigint[])
			ON CONFLICT (source, id) DO UPDATE SET kind = excluded.kind, ref = excluded.ref, expiry = excluded.expiry`,
			col[string](r, 0), col[string](r, 1), col[string](r, 2), col[[]byte](r, 3), col[*int64](r, 4))
	}
	if r := b.bysrc.rows; len(r) > 0 {
		t.queueRaw(`INSERT INTO bysrc (source, key, story) SELECT * FROM unnest($1::text[], $2::bytea[], $3::bytea[])
			ON CONFLICT (source, key) DO UPDATE SET story = excluded.story`,
			col[string](r, 0), col[[]byte](r, 1), col[[]byte](r, 2))
	}
	if r := b.forms.rows; len(r) > 0 {
		t.queueRaw(`INSERT INTO story_forms (kind, val, day, key) SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bytea[])
			ON CONFLICT (kind, val, day) DO UPDATE SET key = excluded.key`,
			col[string](r, 0), col[string](r, 1), col[int32](r, 2), col[[]byte](r, 3))
	}
	if r := b.sigs.rows; len(r) > 0 {
		t.queueRaw(`INSERT INTO story_keys (sig, day, key, tokens) SELECT * FROM unnest($1::text[], $2::int[], $3::bytea[], $4::text[])
			ON CONFLICT (sig, day, key) DO UPDATE SET tokens = excluded.tokens`,
			col[string](r, 0), col[int32](r, 1), col[[]byte](r, 2), col[string](r, 3))
	}
	for _, r := range []*bulkRows{&b.items, &b.ids, &b.bysrc, &b.forms, &b.sigs} {
		r.reset()
	}
}

func (b *bulk) putItem(key []byte, source string, data []byte) {
	b.queued++
	b.items.put(string(key), key, source, data)
}

func (b *bulk) putID(source, id string, e idEntry) {
	var exp *int64
	if e.kind == 't' {
		exp = &e.expiry
	}
	b.queued++
	b.ids.put(source+"\x00"+id, source, id, string(rune(e.kind)), e.ref, exp)
}

// putBysrc files key under source; story is nil for the source's own
// item, else the key of the story its telling joined.
func (b *bulk) putBysrc(source string, key, story []byte) {
	b.queued++
	b.bysrc.put(source+"\x00"+string(key), source, key, story)
}

func (b *bulk) putForm(kind, val string, day int32, key []byte) {
	b.queued++
	b.forms.put(kind+"\x00"+val+"\x00"+strconv.Itoa(int(day)), kind, val, day, key)
}

func (b *bulk) putSig(sig string, day int32, key []byte, tokens string) {
	b.queued++
	b.sigs.put(sig+"\x00"+strconv.Itoa(int(day))+"\x00"+string(key), sig, day, key, tokens)
}

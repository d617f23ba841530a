package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"tickerd/store"
)

// errNothing rolls back a write that found nothing to do.
var errNothing = errors.New("nothing to do")

// batchTx is a transaction that sends its writes (writer.exec) in one
// batch, before the next read or the commit: an item's inserts into five
// tables cost one round trip, not five.
type batchTx struct {
	pgx.Tx
	b    *pgx.Batch
	bulk bulk
}

func (t *batchTx) queue(sql string, args ...any) *pgx.QueuedQuery {
	t.bulk.spill(t)
	return t.queueRaw(sql, args...)
}

func (t *batchTx) queueRaw(sql string, args ...any) *pgx.QueuedQuery {
	if t.b == nil {
		t.b = &pgx.Batch{}
	}
	return t.b.Queue(sql, args...)
}

func (t *batchTx) flush(ctx context.Context) error {
	t.bulk.spill(t)
	if t.b == nil || t.b.Len() == 0 {
		return nil
	}
	b := t.b
	t.b = nil
	return t.Tx.SendBatch(ctx, b).Close()
}

func (t *batchTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := t.flush(ctx); err != nil {
		return nil, err
	}
	return t.Tx.Query(ctx, sql, args...)
}

func (t *batchTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if err := t.flush(ctx); err != nil {
		return errRow{err}
	}
	return t.Tx.QueryRow(ctx, sql, args...)
}

func (t *batchTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if err := t.flush(ctx); err != nil {
		return pgconn.CommandTag{}, err
	}
	return t.Tx.Exec(ctx, sql, args...)
}

// errRow is a Row whose Scan reports err.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// writer is one write transaction.
type writer struct {
	s   *Store
	ctx context.Context
	tx  *batchTx
	// seq is the last sequence number handed out, start the one before
	// this transaction's first; set only for writes that log changes.
	start, seq uint64
	at         int64 // when the changes were committed, Unix nanoseconds
	chg        []changeRow
	// touched holds the story forms and keys whose index entries this
	// transaction wrote or deleted ("l\x00link", "t\x00title",
	// "k\x00sig"), gone the keys of items it deleted: dedupe candidates
	// read before are stale where they meet these.
	touched map[string]bool
	gone    map[string]bool
	fresh   freshIndex
	// items caches the JSON of items this transaction read or wrote,
	// by key (nil: none there); every write of items' data through the
	// writer keeps it true.
	items map[string][]byte
	// batch records an ingest's changes (recentLog).
	batch  *recentBatch
	caught map[*recentBatch]bool // batches settle added to fresh
}

type changeRow struct {
	seq uint64
	op  store.Op
	key []byte
	ref []byte
}

// write runs fn in one transaction and commits it. With logs set, fn may
// change items and log changes: the transaction first takes the write
// lock every replica's item writes take, so they run one at a time, in
// the order of their sequence numbers. A serialization failure or
// deadlock runs fn again, from scratch.
func (s *Store) write(ctx context.Context, logs bool, fn func(*writer) error) error {
	attempts := 5
	if serializable {
		attempts = 100
	}
	for attempt := 0; ; attempt++ {
		err := s.writeOnce(ctx, logs, fn)
		var pe *pgconn.PgError
		if attempt < attempts && errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01") {
			continue
		}
		return err
	}
}

// serializable, set by a benchmark only (export_test.go), runs writes
// that change items as SERIALIZABLE transactions retried on conflict,
// without the write lock: the alternative the lock was measured against
// (BenchmarkReplicaWrites).
var serializable bool

func (s *Store) writeOnce(ctx context.Context, logs bool, fn func(*writer) error) error {
	opts := pgx.TxOptions{}
	if logs && serializable {
		opts.IsoLevel = pgx.Serializable
	}
	tx, err := s.pool.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.Background())
	w := &writer{s: s, ctx: ctx, tx: &batchTx{Tx: tx}}
	if logs {
		// The lock and the sequence number in one round trip: the
		// round trips made while holding the lock are what every other
		// writer waits for.
		b := &pgx.Batch{}
		if !serializable {
			b.Queue(`SELECT pg_advisory_xact_lock($1)`, int64(lockWrite))
		}
		var last int64
		b.Queue(`SELECT last FROM seq`).QueryRow(func(r pgx.Row) error { return r.Scan(&last) })
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("take the write lock: %w", err)
		}
		w.start, w.seq = uint64(last), uint64(last)
	}
	if err := fn(w); err != nil {
		if err == errNothing {
			return nil
		}
		return err
	}
	if err := w.flushChanges(); err != nil {
		return err
	}
	if err := w.tx.flush(ctx); err != nil {
		return err
	}
	if w.batch != nil && w.seq > w.start {
		// Put before the commit, which releases the write lock: the next
		// writer may look for it as soon as it takes the lock.
		w.batch.from, w.batch.to = w.start, w.seq
		s.recent.put(w.batch)
	}
	if err := tx.Commit(ctx); err != nil {
		if w.batch != nil {
			s.recent.remove(w.batch)
		}
		return err
	}
	s.writes.Add(1)
	if w.seq > w.start {
		s.noteChange(w.seq, w.at)
	}
	return nil
}

// logChange appends a change about the item stored (or, for OpRemoved,
// last stored) at key.
func (w *writer) logChange(op store.Op, key []byte, it *store.Item) error {
	return w.logChangeRef(op, key, it, false)
}

// changeRef names the item a change is about (as store/changes.go).
type changeRef struct {
	Source string `json:"src"`
	ID     string `json:"id"`
	Link   string `json:"link,omitempty"`
	Title  string `json:"title,omitempty"`
	GUID   string `json:"guid,omitempty"`
	Told   bool   `json:"told,omitempty"`
	Desk   uint64 `json:"desk,omitempty"`
}

func (w *writer) logChangeRef(op store.Op, key []byte, it *store.Item, told bool) error {
	if op == store.OpRemoved {
		if err := w.unindexSource(key, it.Source); err != nil {
			return err
		}
	}
	ref := changeRef{Source: it.Source, ID: it.ID, Told: told}
	if op == store.OpRemoved {
		ref.Link, ref.Title, ref.GUID = it.Link, it.Title, it.GUID
	}
	return w.appendChange(op, key, &ref)
}

// appendChange queues one change-log entry for flushChanges; every kind
// of change (items, tellings, desk actions) goes through it.
func (w *writer) appendChange(op store.Op, key []byte, ref *changeRef) error {
	b, err := json.Marshal(ref)
	if err != nil {
		return err
	}
	w.seq++
	w.chg = append(w.chg, changeRow{w.seq, op, key, b})
	return nil
}

// flushChanges writes the changes logged, trims the log, and announces
// the last sequence number to every replica (NOTIFY is sent at commit).
func (w *writer) flushChanges() error {
	if len(w.chg) == 0 {
		return nil
	}
	seqs := make([]int64, len(w.chg))
	ops := make([]int16, len(w.chg))
	keys := make([][]byte, len(w.chg))
	refs := make([][]byte, len(w.chg))
	for i, c := range w.chg {
		seqs[i], ops[i], keys[i], refs[i] = int64(c.seq), int16(c.op), c.key, c.ref
	}
	b := w.tx
	// The sequence row first: a writer that did not take the write lock
	// (serializable) then meets another on it, as a serialization
	// failure, before their change rows collide.
	w.at = w.s.now().UnixNano()
	b.queue(`UPDATE seq SET last = $1, at = $2`, int64(w.seq), w.at)
	b.queue(`INSERT INTO changes (seq, op, key, ref) SELECT * FROM unnest($1::bigint[], $2::smallint[], $3::bytea[], $4::bytea[])`, seqs, ops, keys, refs)
	// Trimmed when the sequence passes a multiple of an eighth of the
	// log, not at every commit: a delete that finds nothing to delete
	// still cost each ingest a statement under the write lock.
	if step := uint64(max(w.s.changeLog/8, 1)); w.seq/step != w.start/step {
		b.queue(`DELETE FROM changes WHERE seq <= $1`, int64(w.seq)-int64(w.s.changeLog))
	}
	b.queue(`SELECT pg_notify($1, $2)`, Channel, strconv.FormatUint(w.seq, 10)+" "+strconv.FormatInt(w.at, 10))
	return nil
}

func (w *writer) markGone(key []byte) {
	w.recordUnclean()
	if w.gone == nil {
		w.gone = map[string]bool{}
	}
	w.gone[string(key)] = true
}

// putStates writes states; their item counts are the database's.
func (w *writer) putStates(states []store.SourceState) error {
	if len(states) == 0 {
		return nil
	}
	names := make([]string, len(states))
	datas := make([][]byte, len(states))
	for i, st := range states {
		st.Items = 0
		v, err := json.Marshal(st)
		if err != nil {
			return err
		}
		names[i], datas[i] = st.Name, v
	}
	return w.exec(`INSERT INTO sources (name, data) SELECT * FROM unnest($1::text[], $2::bytea[])
		ON CONFLICT (name) DO UPDATE SET data = excluded.data`, names, datas)
}

// queueAddItems is addItems sent with the transaction's other writes:
// *count is set when they are.
func (w *writer) queueAddItems(name string, n int, count *int) {
	w.tx.queue(addItemsSQL, name, []byte(`{"name":`+strconv.Quote(name)+`}`), n).
		QueryRow(func(r pgx.Row) error { return r.Scan(count) })
}

const addItemsSQL = `INSERT INTO sources (name, data, items) VALUES ($1, $2, greatest($3, 0))
	ON CONFLICT (name) DO UPDATE SET items = greatest(sources.items + $3, 0) RETURNING items`

// addItems moves a source's item count by n and returns the new count.
func (w *writer) addItems(name string, n int) (int, error) {
	var items int
	err := w.tx.QueryRow(w.ctx, addItemsSQL, name, []byte(`{"name":`+strconv.Quote(name)+`}`), n).Scan(&items)
	return items, err
}

// exec queues a write, sent with the next read or at commit; its error
// is reported then.
func (w *writer) exec(sql string, args ...any) error {
	w.tx.queue(sql, args...)
	return nil
}

// getItem returns the stored JSON of the item at key, or nil.
func (w *writer) getItem(key []byte) ([]byte, error) {
	if v, ok := w.items[string(key)]; ok {
		return v, nil
	}
	var v []byte
	err := w.tx.QueryRow(w.ctx, `SELECT data FROM items WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return v, err
}

func (w *writer) putItemData(key []byte, source string, v []byte) error {
	w.tx.bulk.putItem(key, source, v)
	w.cacheItem(key, v)
	return nil
}

// setItemData replaces the JSON of the item stored at key.
func (w *writer) setItemData(key, v []byte) error {
	w.cacheItem(key, v)
	if w.batch != nil {
		w.batch.updated = append(w.batch.updated, key)
	}
	return w.exec(`UPDATE items SET data = $2 WHERE key = $1`, key, v)
}

// cacheItem records what this transaction left at key (nil: nothing),
// for getItem.
func (w *writer) cacheItem(key, v []byte) {
	if w.items == nil {
		w.items = map[string][]byte{}
	}
	w.items[string(key)] = v
}

// readItems reads the items at keys into the cache getItem reads first.
func (w *writer) readItems(keys [][]byte) error {
	if len(keys) == 0 {
		return nil
	}
	rows, err := w.tx.Query(w.ctx, `SELECT u.key, i.data FROM unnest($1::bytea[]) AS u(key)
		LEFT JOIN LATERAL (SELECT data FROM items WHERE key = u.key OFFSET 0) i ON true`, keys)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k, v []byte
		if err := rows.Scan(&k, &v); err != nil {
			return err
		}
		if _, ok := w.items[string(k)]; !ok {
			w.cacheItem(k, v)
		}
	}
	return rows.Err()
}

func (w *writer) indexSource(key []byte, source string) error {
	w.tx.bulk.putBysrc(source, key, nil)
	return nil
}

func (w *writer) unindexSource(key []byte, source string) error {
	return w.exec(`DELETE FROM bysrc WHERE source = $1 AND key = $2`, source, key)
}

// idEntry is a row of ids.
type idEntry struct {
	kind   byte // 'i', 'd', 't'; 0 when none
	ref    []byte
	expiry int64
}

func (w *writer) setID(source, id string, e idEntry) error {
	if w.batch != nil {
		w.batch.sources[source] = true
	}
	w.tx.bulk.putID(source, noNUL(id), e)
	return nil
}

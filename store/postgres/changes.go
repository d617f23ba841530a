package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tickerd/store"
)

// Changes returns up to limit changes with Seq greater than after, oldest
// first (limit ≤ 0 means 1000), by the rules of store.Store.Changes,
// from any replica's commits: the log is in the database, so a client
// reconnecting to another replica with the last event id it saw gets
// exactly what it missed.
func (s *Store) Changes(ctx context.Context, after uint64, limit int) ([]store.Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 1000
	}
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("read changes after %d: %w", after, err)
	}
	defer tx.Rollback(context.Background())
	out, err := readChanges(ctx, tx, after, limit, s.changeLog)
	if err != nil {
		if errors.Is(err, store.ErrChangesTrimmed) {
			return nil, err
		}
		return nil, fmt.Errorf("read changes after %d: %w", after, err)
	}
	return out, nil
}

// readChanges reads the changes after after, of the last keep logged.
func readChanges(ctx context.Context, tx pgx.Tx, after uint64, limit, keep int) ([]store.Change, error) {
	var last int64
	if err := tx.QueryRow(ctx, `SELECT last FROM seq`).Scan(&last); err != nil {
		return nil, err
	}
	// The table may hold more than keep (flushChanges trims it now and
	// then); what it promises is the last keep.
	if after > uint64(last) || int64(after) < last-int64(keep) {
		return nil, store.ErrChangesTrimmed
	}
	if after == uint64(last) {
		return nil, nil
	}
	rows, err := tx.Query(ctx, `SELECT c.seq, c.op, c.key, c.ref, i.data, t.data
		FROM changes c
		LEFT JOIN items i ON c.op <> 3 AND i.key = c.key
		LEFT JOIN told t ON c.op = 3 AND t.key = c.key
		WHERE c.seq > $1 ORDER BY c.seq LIMIT $2`, int64(after), limit)
	if err != nil {
		return nil, err
	}
	type row struct {
		seq        int64
		op         int16
		key, ref   []byte
		data, told []byte
	}
	var got []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.seq, &r.op, &r.key, &r.ref, &r.data, &r.told); err != nil {
			rows.Close()
			return nil, err
		}
		got = append(got, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(got) == 0 || uint64(got[0].seq) != after+1 {
		return nil, store.ErrChangesTrimmed
	}
	out := make([]store.Change, 0, len(got))
	for _, r := range got {
		ch := store.Change{Seq: uint64(r.seq), Op: store.Op(r.op)}
		var ref changeRef
		if err := json.Unmarshal(r.ref, &ref); err != nil {
			return nil, fmt.Errorf("change %d: %w", r.seq, err)
		}
		if ref.Desk != 0 {
			if err := readDeskChange(ctx, tx, &ch, &ref, r.key); err != nil {
				return nil, fmt.Errorf("change %d: %w", r.seq, err)
			}
			out = append(out, ch)
			continue
		}
		if ch.Op == store.OpRemoved {
			ch.Item = store.Item{Source: ref.Source, ID: ref.ID, GUID: ref.GUID, Link: ref.Link, Title: ref.Title}
			ch.Telling = ref.Told
			if !ref.Told && r.told != nil {
				var rec store.Item
				if err := json.Unmarshal(r.told, &rec); err != nil {
					return nil, fmt.Errorf("change %d: decode kept story: %w", r.seq, err)
				}
				if rec.Source == ref.Source && rec.ID == ref.ID {
					ch.Item = rec
				}
			}
			out = append(out, ch)
			continue
		}
		data := r.data
		if data == nil {
			// The item moved or went: follow its identity.
			err := tx.QueryRow(ctx, `SELECT i.data FROM ids JOIN items i ON i.key = ids.ref
				WHERE ids.source = $1 AND ids.id = $2 AND ids.kind = 'i'`, ref.Source, ref.ID).Scan(&data)
			if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return nil, err
			}
		}
		if data == nil {
			continue
		}
		if err := json.Unmarshal(data, &ch.Item); err != nil {
			return nil, fmt.Errorf("change %d: decode item: %w", r.seq, err)
		}
		out = append(out, ch)
	}
	return out, nil
}

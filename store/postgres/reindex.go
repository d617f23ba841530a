package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tickerd/store"
)

// reindexBatch is how many items one read of a rebuild takes.
const reindexBatch = 5000

// ensureMatchVersion rebuilds the story index and the token counts when
// they were built under another match version than want, as the bbolt
// backend does (store/reindex.go): keys computed under other rules would
// not be found again, and a rebuild is the only way to keep dedupe right,
// never silently wrong. It runs in one transaction under the write lock,
// so the other replicas' ingests wait for it and none is indexed by the
// old rules after it; a rebuild cut short leaves the old index and
// version, and the next Open starts it over. Replicas of one database
// should run one release: an older one would index its new items by the
// old rules until it is upgraded.
func (s *Store) ensureMatchVersion(ctx context.Context, want uint64) error {
	if want == 0 || s.dedupe.Story == nil {
		return nil
	}
	have, err := readMatchVersion(s.pool.QueryRow(ctx, matchVersionQuery))
	if err != nil {
		return fmt.Errorf("read match version: %w", err)
	}
	if have == want {
		return nil
	}
	start := time.Now()
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM items`).Scan(&total); err != nil {
		return err
	}
	s.logger.Info("rebuilding story index", "from_version", have, "to_version", want, "items", total)
	done, skipped := 0, false
	err = s.write(ctx, true, func(w *writer) error {
		done, skipped = 0, false
		// Another replica may have rebuilt it while this one waited for
		// the lock.
		now, err := readMatchVersion(w.tx.QueryRow(ctx, matchVersionQuery))
		if err != nil {
			return err
		}
		if now == want {
			skipped = true
			return errNothing
		}
		if _, err := w.tx.Exec(ctx, `TRUNCATE story_forms, story_keys, token_counts`); err != nil {
			return err
		}
		// The counts first, so that the first items' keys are chosen as
		// well as the last ones'.
		if err := w.eachItemBatch(func(items []*store.Item, _ [][]byte) error {
			return w.countTokens(items)
		}); err != nil {
			return fmt.Errorf("count tokens: %w", err)
		}
		err = w.eachItemBatch(func(items []*store.Item, keys [][]byte) error {
			if s.dedupe.Keys != nil && s.similarOn() {
				if err := w.rekey(items); err != nil {
					return err
				}
			}
			for i, it := range items {
				if err := w.indexStory(keys[i], it); err != nil {
					return err
				}
			}
			done += len(items)
			s.logger.Info("rebuilding story index", "done", done, "items", total)
			return w.tx.flush(ctx)
		})
		if err != nil {
			return err
		}
		return w.exec(`INSERT INTO tickerd_meta (name, value) VALUES ('match_version', $1)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value`, int64(want))
	})
	if err != nil {
		return fmt.Errorf("rebuild story index: %w", err)
	}
	if skipped {
		return nil
	}
	s.logger.Info("story index rebuilt", "items", done, "version", want, "duration", time.Since(start).Round(time.Millisecond))
	return nil
}

// matchVersionQuery reads the match version recorded, 0 for none.
const matchVersionQuery = `SELECT coalesce((SELECT value FROM tickerd_meta WHERE name = 'match_version'), 0)`

func readMatchVersion(row pgx.Row) (uint64, error) {
	var v int64
	err := row.Scan(&v)
	return uint64(v), err
}

// eachItemBatch calls fn with the stored items, in key order, a batch at
// a time, each with its story (dedupe.Story) and key; items without a
// story are left out.
func (w *writer) eachItemBatch(fn func(items []*store.Item, keys [][]byte) error) error {
	after := []byte{} // not nil: a NULL bound would match nothing
	for {
		rows, err := readKeyData(w.ctx, w.tx, `SELECT key, data FROM items WHERE key > $1 ORDER BY key LIMIT $2`, after, reindexBatch)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		var items []*store.Item
		var keys [][]byte
		for _, r := range rows {
			it := new(store.Item)
			if err := json.Unmarshal(r.data, it); err != nil {
				return fmt.Errorf("decode item at key %x: %w", r.key, err)
			}
			if it.Story = w.s.dedupe.Story(it); it.Story != nil {
				items, keys = append(items, it), append(keys, r.key)
			}
		}
		if len(items) > 0 {
			if err := fn(items, keys); err != nil {
				return err
			}
		}
		after = rows[len(rows)-1].key
	}
}

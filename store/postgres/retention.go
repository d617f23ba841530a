package postgres

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"tickerd/store"
)

const (
	defaultPruneBatch = 500
	defaultTombWindow = 48 * time.Hour
)

func (s *Store) tombWindow() time.Duration { return cmp.Or(s.dedupe.Window, defaultTombWindow) }

// Prune enforces r by the rules of store.Store.Prune: items older than
// r.MaxAge, then each source's oldest beyond r.MaxPerSource, each removal
// logged and leaving tombstones for the dedupe window; then expired
// tombstones and story index entries too old to matter. It works in
// transactions of at most r.Batch removals.
func (s *Store) Prune(ctx context.Context, r store.Retention) (store.PruneResult, error) {
	var res store.PruneResult
	batch := cmp.Or(max(r.Batch, 0), defaultPruneBatch)
	now := s.now()
	if r.MaxAge > 0 {
		cutoff := itemKey(now.Add(-r.MaxAge), 0)
		for {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			n, more, err := s.removeBatch(ctx, now, func(w *writer) ([][]byte, error) {
				return w.keys(`SELECT key FROM items WHERE key < $1 ORDER BY key LIMIT $2`, cutoff, batch)
			}, batch, true)
			res.ByAge += n
			if err != nil {
				return res, fmt.Errorf("prune items older than %s: %w", r.MaxAge, err)
			}
			if !more {
				break
			}
		}
		for {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			n, more, err := s.pruneTold(ctx, now.Add(-r.MaxAge), batch)
			res.Tellings += n
			if err != nil {
				return res, err
			}
			if !more {
				break
			}
		}
	}
	if r.MaxPerSource > 0 {
		rows, err := s.pool.Query(ctx, `SELECT key FROM (
			SELECT key, row_number() OVER (PARTITION BY source ORDER BY key DESC) AS n FROM bysrc WHERE story IS NULL) ranked
			WHERE n > $1`, r.MaxPerSource)
		if err != nil {
			return res, fmt.Errorf("prune items beyond %d per source: %w", r.MaxPerSource, err)
		}
		excess, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
		if err != nil {
			return res, fmt.Errorf("prune items beyond %d per source: %w", r.MaxPerSource, err)
		}
		for len(excess) > 0 {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			part := excess[:min(batch, len(excess))]
			excess = excess[len(part):]
			n, _, err := s.removeBatch(ctx, now, func(*writer) ([][]byte, error) { return part, nil }, batch, true)
			res.ByCount += n
			if err != nil {
				return res, fmt.Errorf("prune items beyond %d per source: %w", r.MaxPerSource, err)
			}
		}
	}
	err := s.write(ctx, false, func(w *writer) error {
		res.Tombstones = 0
		for _, q := range []string{
			`DELETE FROM ids WHERE kind = 't' AND expiry <= $1`,
			`DELETE FROM tombs WHERE expiry <= $1`,
		} {
			tag, err := w.tx.Exec(ctx, q, now.UnixNano())
			if err != nil {
				return err
			}
			res.Tombstones += int(tag.RowsAffected())
		}
		if res.Tombstones == 0 {
			return errNothing
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("expire tombstones: %w", err)
	}
	if r.MaxAge > 0 {
		last := dayOf(now.Add(-r.MaxAge - s.tombWindow() - day))
		err := s.write(ctx, false, func(w *writer) error {
			res.StoryEntries = 0
			for _, q := range []string{`DELETE FROM story_forms WHERE day <= $1`, `DELETE FROM story_keys WHERE day <= $1`} {
				tag, err := w.tx.Exec(ctx, q, last)
				if err != nil {
					return err
				}
				res.StoryEntries += int(tag.RowsAffected())
			}
			if res.StoryEntries == 0 {
				return errNothing
			}
			return nil
		})
		if err != nil {
			return res, fmt.Errorf("trim story index: %w", err)
		}
	}
	return res, nil
}

func (w *writer) keys(sql string, args ...any) ([][]byte, error) {
	rows, err := w.tx.Query(w.ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[[]byte])
}

// removeBatch removes the items pick returns (at most batch) in one
// transaction, leaving tombstones when tomb is set. It reports how many
// it removed and whether pick returned a full batch.
func (s *Store) removeBatch(ctx context.Context, now time.Time, pick func(*writer) ([][]byte, error), batch int, tomb bool) (removed int, more bool, err error) {
	var counts map[string]int
	err = s.write(ctx, true, func(w *writer) error {
		removed, more, counts = 0, false, map[string]int{}
		keys, err := pick(w)
		if err != nil {
			return err
		}
		more = len(keys) >= batch
		if len(keys) == 0 {
			return errNothing
		}
		w.items = nil
		all, err := readKeyData(ctx, w.tx, `DELETE FROM items WHERE key = ANY($1) RETURNING key, data`, keys)
		if err != nil {
			return err
		}
		// In key order, as bbolt removes them: the log reads alike.
		keyOrder := map[string]int{}
		for i, k := range keys {
			keyOrder[string(k)] = i
		}
		sortGone := func(a, b keyData) int { return keyOrder[string(a.key)] - keyOrder[string(b.key)] }
		slices.SortFunc(all, sortGone)
		for _, g := range all {
			var it store.Item
			if err := json.Unmarshal(g.data, &it); err != nil {
				return fmt.Errorf("decode stored item at key %x: %w", g.key, err)
			}
			if bytes.Contains(g.data, []byte(`"also":`)) {
				if err := w.exec(`INSERT INTO told (key, data) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET data = excluded.data`, g.key, g.data); err != nil {
					return err
				}
			}
			ref := store.Item{Source: it.Source, ID: it.ID, GUID: it.GUID, Link: it.Link, Title: it.Title}
			if err := w.logChange(store.OpRemoved, g.key, &ref); err != nil {
				return err
			}
			removed++
			counts[it.Source]++
			if !tomb {
				if err := w.exec(`DELETE FROM ids WHERE source = $1 AND id = $2 AND kind = 'i' AND ref = $3`, it.Source, noNUL(it.ID), g.key); err != nil {
					return err
				}
				continue
			}
			expiry := now
			if t := it.Time(); t.After(expiry) {
				expiry = t
			}
			expiry = expiry.Add(s.tombWindow())
			if err := w.exec(`UPDATE ids SET kind = 't', ref = NULL, expiry = $4 WHERE source = $1 AND id = $2 AND kind = 'i' AND ref = $3`,
				it.Source, noNUL(it.ID), g.key, expiry.UnixNano()); err != nil {
				return err
			}
			if err := w.exec(`INSERT INTO tombs (key, expiry) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET expiry = excluded.expiry`, g.key, expiry.UnixNano()); err != nil {
				return err
			}
		}
		for name, n := range counts {
			c, err := w.addItems(name, -n)
			if err != nil {
				return err
			}
			counts[name] = c
		}
		if removed == 0 {
			return errNothing
		}
		return nil
	})
	if err != nil {
		return 0, false, err
	}
	s.setCounts(counts)
	return removed, more, nil
}

// setCounts sets the in-memory item counts of sources to the database's.
func (s *Store) setCounts(counts map[string]int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, n := range counts {
		if st, ok := s.states[name]; ok {
			st.Items = n
			s.states[name] = st
		}
	}
}

// pruneTold removes the tellings older than cutoff from the records of
// removed items, and a record once none is left, logging each removal.
func (s *Store) pruneTold(ctx context.Context, cutoff time.Time, batch int) (removed int, more bool, err error) {
	end := itemKey(cutoff.Add(s.tombWindow()), 0)
	err = s.write(ctx, true, func(w *writer) error {
		removed, more = 0, false
		recs, err := readKeyData(ctx, w.tx, `SELECT key, data FROM told WHERE key < $1 ORDER BY key`, end)
		if err != nil {
			return err
		}
		for _, rc := range recs {
			if removed >= batch {
				more = true
				break
			}
			var it store.Item
			if err := json.Unmarshal(rc.data, &it); err != nil {
				return fmt.Errorf("decode kept story at key %x: %w", rc.key, err)
			}
			kept := it.Reports[:0:0]
			for i := range it.Reports {
				r := &it.Reports[i]
				if !r.Time.Before(cutoff) {
					kept = append(kept, *r)
					continue
				}
				if err := w.logTellingRemoved(r); err != nil {
					return err
				}
				removed++
			}
			if len(kept) == len(it.Reports) {
				continue
			}
			if len(kept) == 0 {
				if err := w.exec(`DELETE FROM told WHERE key = $1`, rc.key); err != nil {
					return err
				}
				continue
			}
			it.Reports = kept
			v, err := json.Marshal(&it)
			if err != nil {
				return err
			}
			if err := w.exec(`UPDATE told SET data = $2 WHERE key = $1`, rc.key, v); err != nil {
				return err
			}
		}
		if removed == 0 {
			return errNothing
		}
		return nil
	})
	if err != nil {
		return 0, false, fmt.Errorf("prune tellings older than %s: %w", cutoff.Format(time.RFC3339), err)
	}
	return removed, more, nil
}

func (w *writer) logTellingRemoved(r *store.Report) error {
	it := store.Item{Source: r.Source, ID: r.TellingID(), GUID: r.GUID, Link: r.Link, Title: r.Title}
	return w.logChangeRef(store.OpRemoved, tellingKey(r), &it, true)
}

// DropSources removes every item of the named sources, with their
// tellings, identities and states, in transactions of at most 500
// removals, and reports how many items went; removals are logged, no
// tombstones are left.
func (s *Store) DropSources(ctx context.Context, names []string) (int, error) {
	total := 0
	now := s.now()
	for _, name := range names {
		for {
			if err := ctx.Err(); err != nil {
				return total, err
			}
			n, more, err := s.removeBatch(ctx, now, func(w *writer) ([][]byte, error) {
				return w.keys(`SELECT key FROM bysrc WHERE source = $1 AND story IS NULL ORDER BY key LIMIT $2`, name, defaultPruneBatch)
			}, defaultPruneBatch, false)
			total += n
			if err != nil {
				return total, fmt.Errorf("drop source %s: %w", name, err)
			}
			if !more {
				break
			}
		}
		if err := s.dropTellings(ctx, name); err != nil {
			return total, fmt.Errorf("drop source %s: %w", name, err)
		}
		err := s.write(ctx, true, func(w *writer) error {
			if err := w.exec(`DELETE FROM ids WHERE source = $1`, name); err != nil {
				return err
			}
			if err := w.exec(`DELETE FROM bysrc WHERE source = $1`, name); err != nil {
				return err
			}
			return w.exec(`DELETE FROM sources WHERE name = $1`, name)
		})
		if err != nil {
			return total, fmt.Errorf("drop source %s: %w", name, err)
		}
		s.mu.Lock()
		delete(s.states, name)
		delete(s.dirty, name)
		s.epoch++
		if s.dropped == nil {
			s.dropped = map[string]uint64{}
		}
		s.dropped[name] = s.epoch
		s.mu.Unlock()
	}
	return total, nil
}

// dropTellings takes the tellings of a dropped source off the source
// index, logging each removal.
func (s *Store) dropTellings(ctx context.Context, name string) error {
	for {
		n := 0
		err := s.write(ctx, true, func(w *writer) error {
			n = 0
			rows, err := w.tx.Query(ctx, `SELECT b.key, b.story, coalesce(i.data, t.data)
				FROM bysrc b LEFT JOIN items i ON i.key = b.story LEFT JOIN told t ON i.key IS NULL AND t.key = b.story
				WHERE b.source = $1 AND b.story IS NOT NULL ORDER BY b.key LIMIT $2`, name, defaultPruneBatch)
			if err != nil {
				return err
			}
			type ent struct{ key, story, data []byte }
			var todo []ent
			for rows.Next() {
				var e ent
				if err := rows.Scan(&e.key, &e.story, &e.data); err != nil {
					rows.Close()
					return err
				}
				todo = append(todo, e)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, e := range todo {
				r := store.Report{Source: name, Time: keyTime(e.key)}
				if e.data != nil {
					var it store.Item
					if err := json.Unmarshal(e.data, &it); err != nil {
						return fmt.Errorf("decode story at key %x: %w", e.story, err)
					}
					for i := range it.Reports {
						if it.Reports[i].Source == name && bytes.Equal(tellingKey(&it.Reports[i]), e.key) {
							r = it.Reports[i]
						}
					}
				}
				n++
				if r.ID == "" && r.Link == "" && r.Title == "" {
					if err := w.unindexSource(e.key, name); err != nil {
						return err
					}
					continue
				}
				if err := w.logTellingRemoved(&r); err != nil {
					return err
				}
			}
			if n == 0 {
				return errNothing
			}
			return nil
		})
		if err != nil {
			return err
		}
		if n < defaultPruneBatch {
			return nil
		}
	}
}

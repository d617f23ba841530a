package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tickerd/store"
)

var _ store.Transfer = (*Store)(nil)

// Export calls fn with every record, read in one repeatable-read
// transaction.
func (s *Store) Export(ctx context.Context, fn func(store.Record) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer tx.Rollback(context.Background())
	for _, q := range []struct {
		sql  string
		told bool
	}{{`SELECT key, data FROM items ORDER BY key`, false}, {`SELECT key, data FROM told ORDER BY key`, true}} {
		rows, err := tx.Query(ctx, q.sql)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		for rows.Next() {
			var k, v []byte
			if err := rows.Scan(&k, &v); err != nil {
				rows.Close()
				return fmt.Errorf("export: %w", err)
			}
			it := new(store.Item)
			if err := json.Unmarshal(v, it); err != nil {
				rows.Close()
				return fmt.Errorf("export: decode stored item at key %x: %w", k, err)
			}
			if err := fn(store.Record{Item: it, Told: q.told}); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	for _, t := range []string{"desk", "audit"} {
		rows, err := tx.Query(ctx, `SELECT data FROM `+t+` ORDER BY 1`)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		datas, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		for _, v := range datas {
			var r store.Record
			if t == "desk" {
				r.Action = new(store.Action)
				err = json.Unmarshal(v, r.Action)
			} else {
				r.Audit = new(store.AuditEntry)
				err = json.Unmarshal(v, r.Audit)
			}
			if err != nil {
				return fmt.Errorf("export: decode %s row: %w", t, err)
			}
			if err := fn(r); err != nil {
				return err
			}
		}
	}
	rows, err := tx.Query(ctx, `SELECT data, items FROM sources ORDER BY name`)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v []byte
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		st := new(store.SourceState)
		if err := json.Unmarshal(v, st); err != nil {
			return fmt.Errorf("export: decode source state: %w", err)
		}
		st.Items = n
		if err := fn(store.Record{State: st}); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Import stores recs in one transaction under the write lock (see
// store.Transfer): what is stored already, by source and id, stays.
func (s *Store) Import(ctx context.Context, recs []store.Record) (int, error) {
	n := 0
	var states []store.SourceState
	counts := map[string]int{}
	err := s.write(ctx, true, func(w *writer) error {
		n, states = 0, nil
		added := map[string]int{}
		for _, r := range recs {
			switch {
			case r.Action != nil || r.Audit != nil:
				sql, id, v := `INSERT INTO desk (id, data) VALUES ($1, $2) ON CONFLICT DO NOTHING`, uint64(0), any(r.Action)
				if r.Action != nil {
					id = r.Action.ID
				} else {
					sql, id, v = `INSERT INTO audit (seq, data) VALUES ($1, $2) ON CONFLICT DO NOTHING`, r.Audit.Seq, r.Audit
				}
				data, err := json.Marshal(v)
				if err != nil {
					return err
				}
				tag, err := w.tx.Exec(ctx, sql, int64(id), data)
				if err != nil {
					return err
				}
				n += int(tag.RowsAffected())
			case r.State != nil:
				states = append(states, *r.State)
			case r.Item != nil && r.Told:
				it := *r.Item
				key := itemKey(it.Time(), idHash(it.Source, it.ID))
				data, err := json.Marshal(&it)
				if err != nil {
					return err
				}
				tag, err := w.tx.Exec(ctx, `INSERT INTO told (key, data) SELECT $1, $2
					WHERE NOT EXISTS (SELECT 1 FROM items WHERE key = $1) ON CONFLICT (key) DO NOTHING`, key, data)
				if err != nil {
					return err
				}
				if tag.RowsAffected() == 0 {
					continue
				}
				if err := w.indexTellings(key, it.Reports); err != nil {
					return err
				}
				n++
			case r.Item != nil:
				it := *r.Item
				var exists bool
				if err := w.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM ids WHERE source = $1 AND id = $2)`, it.Source, noNUL(it.ID)).Scan(&exists); err != nil {
					return err
				}
				if exists {
					continue
				}
				key, err := w.putItem(idHash(it.Source, it.ID), &it)
				if err != nil {
					return err
				}
				if s.dedupe.Story != nil {
					it.Story = s.dedupe.Story(&it)
					if it.Story != nil && s.dedupe.Keys != nil && s.similarOn() {
						one := []*store.Item{&it}
						if err := w.rekey(one); err != nil {
							return err
						}
						if err := w.countTokens(one); err != nil {
							return err
						}
					}
					if err := w.indexStory(key, &it); err != nil {
						return err
					}
				}
				if err := w.indexTellings(key, it.Reports); err != nil {
					return err
				}
				for _, rep := range it.Reports {
					if rep.ID == "" {
						continue
					}
					if err := w.exec(`INSERT INTO ids (source, id, kind, ref) VALUES ($1, $2, 'd', $3) ON CONFLICT DO NOTHING`, rep.Source, noNUL(rep.ID), key); err != nil {
						return err
					}
				}
				added[it.Source]++
				n++
			}
		}
		if err := w.putStates(states); err != nil {
			return err
		}
		clear(counts)
		for name, k := range added {
			c, err := w.addItems(name, k)
			if err != nil {
				return err
			}
			counts[name] = c
		}
		for _, st := range states {
			if _, ok := counts[st.Name]; !ok {
				c, err := w.addItems(st.Name, 0)
				if err != nil {
					return err
				}
				counts[st.Name] = c
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("import: %w", err)
	}
	s.mu.Lock()
	for _, st := range states {
		s.states[st.Name] = st
	}
	for name, c := range counts {
		st := s.states[name]
		st.Name, st.Items = name, c
		s.states[name] = st
	}
	s.mu.Unlock()
	return n, nil
}

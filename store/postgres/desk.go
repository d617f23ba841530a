package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tickerd/store"
)

// Act stores an editorial action by the rules of store.Store.Act: checked,
// its story resolved, stored with its audit record and a desk change in
// one transaction under the write lock, so actions from every replica are
// numbered in one order and each replica's live streams hear of them.
func (s *Store) Act(ctx context.Context, a store.Action) (store.Action, error) {
	if err := ctx.Err(); err != nil {
		return store.Action{}, err
	}
	now := s.now().UTC()
	if err := a.Check(now); err != nil {
		return store.Action{}, err
	}
	a.ID, a.At, a.UndoneBy, a.Item = 0, now, 0, nil
	in := a
	err := s.write(ctx, true, func(w *writer) error {
		a = in
		actions, err := w.readActions(false)
		if err != nil {
			return err
		}
		var key []byte // the story's item key, for the change log
		var item *store.Item
		switch a.Kind {
		case store.ActAdd:
		case store.ActUndo:
			target, err := store.FindUndo(actions, &a)
			if err != nil {
				return err
			}
			a.Story = target.Story
			if target.Kind == store.ActAdd {
				a.Story = store.StoryRef(store.NewsroomSource, store.AddedID(target.ID))
			}
		default:
			ref, k, it, err := w.resolveStory(actions, a.Story)
			if err != nil {
				return err
			}
			a.Story, key, item = ref, k, it
		}
		var last int64
		if err := w.tx.QueryRow(w.ctx, `SELECT coalesce(max(id), 0) FROM desk`).Scan(&last); err != nil {
			return err
		}
		a.ID = uint64(last) + 1
		if a.Kind == store.ActAdd {
			a.Story = store.StoryRef(store.NewsroomSource, store.AddedID(a.ID))
			added := store.AddedItem(&a)
			item = &added
		} else if item == nil {
			if _, k, it, err := w.resolveStory(actions, a.Story); err == nil {
				key, item = k, it
			}
		}
		var before store.Shown
		if a.Kind != store.ActAdd {
			before = store.NewEdits(actions, now).Story(a.Story).Shown(item)
		}
		if a.Kind == store.ActUndo {
			for i := range actions {
				if actions[i].ID == a.Undo {
					actions[i].UndoneBy = a.ID
					if err := w.putJSON(`UPDATE desk SET data = $2 WHERE id = $1`, a.Undo, &actions[i]); err != nil {
						return err
					}
				}
			}
		}
		if err := w.putJSON(`INSERT INTO desk (id, data) VALUES ($1, $2)`, a.ID, &a); err != nil {
			return err
		}
		actions = append(actions, a)
		after := store.NewEdits(actions, now).Story(a.Story).Shown(item)
		var n int64
		if err := w.tx.QueryRow(w.ctx, `SELECT coalesce(max(seq), 0) + 1 FROM audit`).Scan(&n); err != nil {
			return err
		}
		entry := store.AuditEntry{Seq: uint64(n), At: now, Who: a.Who, Action: a, Story: a.Story, Before: before, After: after}
		if err := w.putJSON(`INSERT INTO audit (seq, data) VALUES ($1, $2)`, uint64(n), &entry); err != nil {
			return err
		}
		if key == nil {
			key = make([]byte, 16)
		}
		ref := store.Item{Source: store.NewsroomSource, ID: store.AddedID(a.ID)}
		if item != nil {
			ref = *item
		}
		return w.logDesk(key, &ref, a.ID)
	})
	if err != nil {
		return store.Action{}, fmt.Errorf("%s %s: %w", a.Kind, a.Story, err)
	}
	return a, nil
}

func (w *writer) putJSON(sql string, id uint64, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return w.exec(sql, int64(id), data)
}

// logDesk logs a desk change about the story at key (it: its item).
func (w *writer) logDesk(key []byte, it *store.Item, action uint64) error {
	return w.appendChange(store.OpUpdated, key, &changeRef{Source: it.Source, ID: it.ID, Desk: action})
}

// readActions decodes the actions, oldest first: those in force only
// when inForce.
func (w *writer) readActions(inForce bool) ([]store.Action, error) {
	return readActions(w.ctx, w.tx, inForce)
}

func readActions(ctx context.Context, q pgx.Tx, inForce bool) ([]store.Action, error) {
	rows, err := q.Query(ctx, `SELECT id, data FROM desk ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.Action
	for rows.Next() {
		var id int64
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return nil, err
		}
		var a store.Action
		if err := json.Unmarshal(data, &a); err != nil {
			return nil, fmt.Errorf("decode action %d: %w", id, err)
		}
		if !inForce || a.UndoneBy == 0 {
			out = append(out, a)
		}
	}
	return out, rows.Err()
}

// resolveStory finds the story ref names, by the rules of the bbolt
// backend: its own ref, its item's key (nil for a desk headline) and its
// item.
func (w *writer) resolveStory(actions []store.Action, ref string) (string, []byte, *store.Item, error) {
	return resolveStory(w.ctx, w.tx, actions, ref)
}

func resolveStory(ctx context.Context, tx pgx.Tx, actions []store.Action, ref string) (string, []byte, *store.Item, error) {
	source, id, ok := store.ParseStoryRef(ref)
	if !ok {
		return "", nil, nil, &store.FieldError{Field: "story", Msg: fmt.Sprintf("%q is not a story reference", ref)}
	}
	if n, ok := store.AddedAction(source, id); ok {
		for i := range actions {
			if actions[i].ID == n && actions[i].Kind == store.ActAdd && actions[i].UndoneBy == 0 {
				it := store.AddedItem(&actions[i])
				return ref, nil, &it, nil
			}
		}
		return "", nil, nil, fmt.Errorf("%s: %w", ref, store.ErrNoStory)
	}
	var key []byte
	err := tx.QueryRow(ctx, `SELECT ref FROM ids WHERE source = $1 AND id = $2 AND kind IN ('i', 'd')`, source, noNUL(id)).Scan(&key)
	if errors.Is(err, pgx.ErrNoRows) || err == nil && len(key) != 16 {
		return "", nil, nil, fmt.Errorf("%s: %w", ref, store.ErrNoStory)
	}
	if err != nil {
		return "", nil, nil, err
	}
	data, err := storyData(ctx, tx, key)
	if err != nil {
		return "", nil, nil, err
	}
	if data == nil {
		return "", nil, nil, fmt.Errorf("%s: %w", ref, store.ErrNoStory)
	}
	var it store.Item
	if err := json.Unmarshal(data, &it); err != nil {
		return "", nil, nil, fmt.Errorf("decode story at key %x: %w", key, err)
	}
	return store.StoryRef(it.Source, it.ID), key, &it, nil
}

// storyData is the stored story at key: its item, else the record kept
// of it for other sources' tellings, else nil.
func storyData(ctx context.Context, tx pgx.Tx, key []byte) ([]byte, error) {
	var data []byte
	err := tx.QueryRow(ctx, `SELECT data FROM items WHERE key = $1
		UNION ALL SELECT data FROM told WHERE key = $1 LIMIT 1`, key).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return data, err
}

// readDeskChange completes a desk change as store's readDeskChange does:
// the story's item as stored now, or the desk headline, or only what the
// entry names when neither is left.
func readDeskChange(ctx context.Context, tx pgx.Tx, ch *store.Change, ref *changeRef, key []byte) error {
	ch.Desk = ref.Desk
	ch.Item = store.Item{Source: ref.Source, ID: ref.ID}
	if n, ok := store.AddedAction(ref.Source, ref.ID); ok {
		var data []byte
		err := tx.QueryRow(ctx, `SELECT data FROM desk WHERE id = $1`, int64(n)).Scan(&data)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		var a store.Action
		if err := json.Unmarshal(data, &a); err != nil {
			return fmt.Errorf("decode action %d: %w", n, err)
		}
		ch.Item = store.AddedItem(&a)
		return nil
	}
	data, err := storyData(ctx, tx, key)
	if err != nil {
		return err
	}
	if data == nil {
		var k []byte
		err := tx.QueryRow(ctx, `SELECT ref FROM ids WHERE source = $1 AND id = $2 AND kind = 'i'`, ref.Source, noNUL(ref.ID)).Scan(&k)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if len(k) == 16 {
			if data, err = storyData(ctx, tx, k); err != nil {
				return err
			}
		}
	}
	if data == nil {
		return nil
	}
	var it store.Item
	if err := json.Unmarshal(data, &it); err != nil {
		return fmt.Errorf("decode item: %w", err)
	}
	if it.Source == ref.Source && it.ID == ref.ID {
		ch.Item = it
	}
	return nil
}

// Actions returns every action in force, oldest first, each with its
// story's Item, as store.Store.Actions does.
func (s *Store) Actions(ctx context.Context) ([]store.Action, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("read desk actions: %w", err)
	}
	defer tx.Rollback(context.Background())
	all, err := readActions(ctx, tx, true)
	if err != nil {
		return nil, fmt.Errorf("read desk actions: %w", err)
	}
	var out []store.Action
	for i := range all {
		a := &all[i]
		if a.Kind == store.ActUndo {
			continue
		}
		if a.Kind == store.ActAdd {
			it := store.AddedItem(a)
			a.Item = &it
		} else if _, _, it, err := resolveStory(ctx, tx, nil, a.Story); err == nil {
			a.Item = it
		} else if !errors.Is(err, store.ErrNoStory) {
			return nil, fmt.Errorf("read desk actions: %w", err)
		}
		out = append(out, *a)
	}
	return out, nil
}

// Audit returns up to limit audit entries with Seq greater than after,
// oldest first (limit ≤ 0 means 100).
func (s *Store) Audit(ctx context.Context, after uint64, limit int) ([]store.AuditEntry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.pool.Query(ctx, `SELECT seq, data FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2`, int64(after), limit)
	if err != nil {
		return nil, fmt.Errorf("read audit: %w", err)
	}
	defer rows.Close()
	var out []store.AuditEntry
	for rows.Next() {
		var seq int64
		var data []byte
		if err := rows.Scan(&seq, &data); err != nil {
			return nil, fmt.Errorf("read audit: %w", err)
		}
		var e store.AuditEntry
		if err := json.Unmarshal(data, &e); err != nil {
			return nil, fmt.Errorf("decode audit entry %d: %w", seq, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read audit: %w", err)
	}
	return out, nil
}

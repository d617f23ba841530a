package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"tickerd/store"
)

var _ store.Splitter = (*Store)(nil)

// Split undoes a merge, as the bbolt backend's Store.Split does: the
// telling of source with id becomes a story of its own again. A telling
// recorded as another item's report becomes an item, and the report
// goes; an item that other sources' tellings were merged into stays,
// alone, and its first report becomes the item the others are merged
// into. The identities are rewritten, so the sources' next polls update
// the split items in place (updates never merge), and the change log
// records the removed tellings, the updated story and the added item.
// It runs under the write lock, like every write to items, and returns
// the item that is now the telling's own. Errors wrap store.ErrNotFound
// or store.ErrNotMerged.
func (s *Store) Split(ctx context.Context, source, id string) (store.Item, error) {
	if err := ctx.Err(); err != nil {
		return store.Item{}, err
	}
	var out store.Item
	var counts map[string]int
	err := s.write(ctx, true, func(w *writer) error {
		out, counts = store.Item{}, map[string]int{}
		var kind string
		var ref []byte
		err := w.tx.QueryRow(w.ctx, `SELECT kind, ref FROM ids WHERE source = $1 AND id = $2`, source, noNUL(id)).Scan(&kind, &ref)
		if errors.Is(err, pgx.ErrNoRows) || err == nil && kind == "t" {
			return fmt.Errorf("%w: %s %q", store.ErrNotFound, source, id)
		}
		if err != nil {
			return err
		}
		switch kind {
		case "d":
			out, err = w.splitReport(source, id, ref, counts)
		case "i":
			out, err = w.splitItem(source, id, ref, counts)
		default:
			err = fmt.Errorf("%s %q: unknown identity kind %q", source, id, kind)
		}
		return err
	})
	if err != nil {
		return store.Item{}, err
	}
	s.setCounts(counts)
	return out, nil
}

// splitReport makes the report of source with id, recorded on the item
// at keptKey, an item of its own.
func (w *writer) splitReport(source, id string, keptKey []byte, counts map[string]int) (store.Item, error) {
	kept, err := w.readItem(keptKey, fmt.Sprintf("the story %s %q was told in is gone", source, id))
	if err != nil {
		return store.Item{}, err
	}
	i := slices.IndexFunc(kept.Reports, func(r store.Report) bool { return r.Source == source && r.TellingID() == noNUL(id) })
	if i < 0 {
		return store.Item{}, fmt.Errorf("%w: %s %q is not among its story's tellings", store.ErrNotFound, source, id)
	}
	r := kept.Reports[i]
	kept.Reports = slices.Delete(kept.Reports, i, i+1)
	if err := w.putItemJSON(keptKey, &kept); err != nil {
		return store.Item{}, err
	}
	// Logging the telling's removal drops its entry in the source's
	// index, so it goes before the item that takes the same key.
	if err := w.logTellingRemoved(&r); err != nil {
		return store.Item{}, err
	}
	if err := w.logChange(store.OpUpdated, keptKey, &kept); err != nil {
		return store.Item{}, err
	}
	it := reportItem(&r)
	key, err := w.putItem(idHash(it.Source, it.ID), &it)
	if err != nil {
		return store.Item{}, err
	}
	if counts[it.Source], err = w.addItems(it.Source, 1); err != nil {
		return store.Item{}, err
	}
	if err := w.indexSplit(key, &it); err != nil {
		return store.Item{}, err
	}
	return it, w.logChange(store.OpAdded, key, &it)
}

// splitItem leaves the item of source with id, at key, alone; its first
// report becomes the item its other reports are recorded on.
func (w *writer) splitItem(source, id string, key []byte, counts map[string]int) (store.Item, error) {
	it, err := w.readItem(key, fmt.Sprintf("%s %q", source, id))
	if err != nil {
		return store.Item{}, err
	}
	if len(it.Reports) == 0 {
		return store.Item{}, fmt.Errorf("split %s %q: %w", source, id, store.ErrNotMerged)
	}
	reports := it.Reports
	it.Reports = nil
	if err := w.putItemJSON(key, &it); err != nil {
		return store.Item{}, err
	}
	if err := w.unindexTellings(reports); err != nil {
		return store.Item{}, err
	}
	for i := range reports {
		if err := w.logTellingRemoved(&reports[i]); err != nil {
			return store.Item{}, err
		}
	}
	if err := w.logChange(store.OpUpdated, key, &it); err != nil {
		return store.Item{}, err
	}
	head := reportItem(&reports[0])
	head.Reports = slices.Clone(reports[1:])
	headKey, err := w.putItem(idHash(head.Source, head.ID), &head)
	if err != nil {
		return store.Item{}, err
	}
	if counts[head.Source], err = w.addItems(head.Source, 1); err != nil {
		return store.Item{}, err
	}
	if err := w.indexTellings(headKey, head.Reports); err != nil {
		return store.Item{}, err
	}
	for i := range head.Reports {
		r := &head.Reports[i]
		if err := w.setID(r.Source, r.TellingID(), idEntry{kind: 'd', ref: headKey}); err != nil {
			return store.Item{}, err
		}
	}
	if err := w.indexSplit(headKey, &head); err != nil {
		return store.Item{}, err
	}
	return it, w.logChange(store.OpAdded, headKey, &head)
}

// reportItem is report r as an item of its own, as Split stores it: the
// same fields the bbolt backend keeps, so its key is the telling's.
func reportItem(r *store.Report) store.Item {
	return store.Item{
		Source: r.Source, ID: r.TellingID(), GUID: r.GUID, Link: r.Link, Title: r.Title,
		Summary: r.Summary, Lang: r.Lang, Published: r.Time, FirstSeen: r.Time,
	}
}

// indexSplit files an item Split made in the story index, so that later
// tellings of its story find it.
func (w *writer) indexSplit(key []byte, it *store.Item) error {
	if w.s.dedupe.Story == nil {
		return nil
	}
	it.Story = w.s.dedupe.Story(it)
	return w.indexStory(key, it)
}

// putItemJSON rewrites the item stored at key.
func (w *writer) putItemJSON(key []byte, it *store.Item) error {
	v, err := json.Marshal(it)
	if err != nil {
		return fmt.Errorf("encode item %q: %w", it.ID, err)
	}
	return w.putItemData(key, it.Source, v)
}

// readItem decodes the item stored at key; missing names it in the
// store.ErrNotFound error when there is none.
func (w *writer) readItem(key []byte, missing string) (store.Item, error) {
	var it store.Item
	raw, err := w.getItem(key)
	if err != nil {
		return it, err
	}
	if raw == nil {
		return it, fmt.Errorf("%w: %s", store.ErrNotFound, missing)
	}
	if err := json.Unmarshal(raw, &it); err != nil {
		return it, fmt.Errorf("decode stored item at key %x: %w", key, err)
	}
	return it, nil
}

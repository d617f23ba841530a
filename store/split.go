package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// ErrNotFound is returned by Split when no stored item or telling has the
// source and id given.
var ErrNotFound = errors.New("no such item")

// ErrNotMerged is returned by Split for an item that tells its story
// alone: there is nothing to split it from.
var ErrNotMerged = errors.New("the item tells its story alone")

// Split undoes a merge: the telling of source with id (an item's ID, as
// feeds and /api show it) becomes a story of its own again. A telling
// recorded as another item's report becomes an item, and the report goes;
// an item that other sources' tellings were merged into stays, alone, and
// its first report becomes the item those others are merged into.
//
// The change is lasting: the telling's identity points at its own item,
// so its source's next polls update it there, and updates never merge
// (see Ingest). The change log records it (the telling removed from its
// old story, the story updated, the new item added), so every ticker and
// live stream shows it. It returns the item that is now the telling's
// own. Safe for concurrent use.
func (s *Store) Split(ctx context.Context, source, id string) (Item, error) {
	if err := ctx.Err(); err != nil {
		return Item{}, err
	}
	var out Item
	var lastSeq uint64
	err := s.update(func(tx *bolt.Tx) error {
		lastSeq = 0
		itemsB, idsB := tx.Bucket(bucketItems), tx.Bucket(bucketIDs)
		idKey := dedupeKey(source, idHash(source, id))
		v := idsB.Get(idKey)
		if v == nil || isTomb(v) {
			return fmt.Errorf("%w: %s %q", ErrNotFound, source, id)
		}
		log := func(op Op, key []byte, it *Item) error {
			seq, err := s.logChange(tx, op, key, it)
			lastSeq = max(lastSeq, seq)
			return err
		}
		if v[0] == dupMark && len(v) == 17 {
			// A report on another item's story.
			keptKey := v[1:]
			var kept Item
			raw := itemsB.Get(keptKey)
			if raw == nil {
				return fmt.Errorf("%w: the story %s %q was told in is gone", ErrNotFound, source, id)
			}
			if err := json.Unmarshal(raw, &kept); err != nil {
				return fmt.Errorf("decode stored item at key %x: %w", keptKey, err)
			}
			i := slices.IndexFunc(kept.Reports, func(r Report) bool { return r.Source == source && r.TellingID() == id })
			if i < 0 {
				return fmt.Errorf("%w: %s %q is not among its story's tellings", ErrNotFound, source, id)
			}
			r := kept.Reports[i]
			kept.Reports = slices.Delete(kept.Reports, i, i+1)
			if err := putItemJSON(itemsB, keptKey, &kept); err != nil {
				return err
			}
			seq, err := s.logTellingRemoved(tx, &r)
			if err != nil {
				return err
			}
			lastSeq = max(lastSeq, seq)
			if err := log(OpUpdated, keptKey, &kept); err != nil {
				return err
			}
			it := reportItem(&r)
			key, err := putItem(itemsB, idsB, idKey, idHash(source, it.ID), &it)
			if err != nil {
				return err
			}
			if err := s.indexSplit(tx, key, &it); err != nil {
				return err
			}
			out = it
			return log(OpAdded, key, &it)
		}
		// An item: its reports move to a story of their own.
		key := v
		var it Item
		raw := itemsB.Get(key)
		if raw == nil {
			return fmt.Errorf("%w: %s %q", ErrNotFound, source, id)
		}
		if err := json.Unmarshal(raw, &it); err != nil {
			return fmt.Errorf("decode stored item at key %x: %w", key, err)
		}
		if len(it.Reports) == 0 {
			return fmt.Errorf("split %s %q: %w", source, id, ErrNotMerged)
		}
		reports := it.Reports
		it.Reports = nil
		if err := putItemJSON(itemsB, key, &it); err != nil {
			return err
		}
		if err := unindexTellings(tx, reports); err != nil {
			return err
		}
		for i := range reports {
			seq, err := s.logTellingRemoved(tx, &reports[i])
			if err != nil {
				return err
			}
			lastSeq = max(lastSeq, seq)
		}
		if err := log(OpUpdated, key, &it); err != nil {
			return err
		}
		head := reportItem(&reports[0])
		head.Reports = slices.Clone(reports[1:])
		headID := dedupeKey(head.Source, idHash(head.Source, head.ID))
		headKey, err := putItem(itemsB, idsB, headID, idHash(head.Source, head.ID), &head)
		if err != nil {
			return err
		}
		if err := indexTellings(tx, headKey, head.Reports); err != nil {
			return err
		}
		mark := append([]byte{dupMark}, headKey...)
		for _, r := range head.Reports {
			if err := idsB.Put(dedupeKey(r.Source, idHash(r.Source, r.TellingID())), mark); err != nil {
				return err
			}
		}
		if err := s.indexSplit(tx, headKey, &head); err != nil {
			return err
		}
		out = it
		return log(OpAdded, headKey, &head)
	})
	if err != nil {
		return Item{}, err
	}
	if lastSeq > 0 {
		s.noteChange(lastSeq)
	}
	return out, nil
}

// reportItem is report r as an item of its own, as Split stores it.
func reportItem(r *Report) Item {
	return Item{
		Source: r.Source, ID: r.TellingID(), GUID: r.GUID, Link: r.Link, Title: r.Title,
		Summary: r.Summary, Lang: r.Lang, Published: r.Time, FirstSeen: r.Time,
	}
}

// indexSplit files an item Split made in the story index, so that later
// tellings of its story find it.
func (s *Store) indexSplit(tx *bolt.Tx, key []byte, it *Item) error {
	if s.dedupe.Story == nil {
		return nil
	}
	it.Story = s.dedupe.Story(it)
	s.rekey(it)
	return s.indexStory(tx, key, it)
}

// putItemJSON stores it at key, naming the item in an error.
func putItemJSON(b *bolt.Bucket, key []byte, it *Item) error {
	if err := putJSON(b, key, it); err != nil {
		return fmt.Errorf("encode item %q: %w", it.ID, err)
	}
	return nil
}

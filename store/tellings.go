package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// A story belongs to every source that told it. The store keeps one item
// per story (the first telling) and records each later telling from
// another source on it as a Report; a ticker that selects sources shows
// each story as the first selected source's own telling. So that such a
// ticker reads only its sources' part of the store, each report is listed
// in the source index (bysource.go) beside the source's own items:
//
//	source 0x00 telling-key → the story's item key (16 bytes)
//
// where the telling key is the item key the telling would have had as an
// item of its own (its time and identity), so a source's own items and its
// tellings of other sources' stories come in one time order. Own items'
// entries have an empty value.
//
// When retention (or a dropped source) removes a story's item while it
// holds reports, the item's record moves to bucket "told" under the same
// key, so the other sources' tellings stay on their tickers: they go by
// their own age (Prune) or with their own source (DropSources). The
// default ticker reads only the items bucket, so for it a removed item is
// gone with its reports, as before tellings were indexed.
var bucketTold = []byte("told")

// TellingID returns the identity of a report within its source: its ID,
// or for a report stored before reports kept one, its link, else a hash
// of its title and time.
func (r *Report) TellingID() string {
	if r.ID != "" {
		return r.ID
	}
	if r.Link != "" {
		return r.Link
	}
	h := sha256.New()
	h.Write([]byte(r.Title))
	h.Write([]byte{0})
	h.Write([]byte(r.Time.UTC().Format(time.RFC3339Nano)))
	return "r:" + hex.EncodeToString(h.Sum(nil)[:16])
}

// tellingKey is the item key report r would have as an item of its own.
func tellingKey(r *Report) []byte {
	return itemKey(r.Time, idHash(r.Source, r.TellingID()))
}

// newReport is it's telling as a report on another item's story.
func newReport(it *Item) Report {
	return Report{
		Source: it.Source, ID: it.ID, GUID: it.GUID, Link: it.Link, Title: it.Title,
		Summary: it.Summary, Lang: it.Lang, Time: it.Time(),
	}
}

// indexTellings lists reports in the source index as tellings of the
// story stored at key (an existing entry is pointed at key).
func indexTellings(tx *bolt.Tx, key []byte, reports []Report) error {
	b := tx.Bucket(bucketBySource)
	for i := range reports {
		if err := b.Put(sourceIndexKey(reports[i].Source, tellingKey(&reports[i])), key); err != nil {
			return err
		}
	}
	return nil
}

// unindexTellings takes reports out of the source index.
func unindexTellings(tx *bolt.Tx, reports []Report) error {
	b := tx.Bucket(bucketBySource)
	for i := range reports {
		if err := b.Delete(sourceIndexKey(reports[i].Source, tellingKey(&reports[i]))); err != nil {
			return err
		}
	}
	return nil
}

// ensureTellings indexes the reports of every stored item in a data file
// written before tellings were indexed (bucket "told" marks a file that
// has them), in the opening transaction, so Open upgrades old files in
// place. Reports written then have no identity or language of their own;
// see Report.TellingID.
func ensureTellings(tx *bolt.Tx) error {
	if tx.Bucket(bucketTold) != nil {
		return nil
	}
	if _, err := tx.CreateBucket(bucketTold); err != nil {
		return err
	}
	return tx.Bucket(bucketItems).ForEach(func(k, v []byte) error {
		if !bytes.Contains(v, []byte(`"also":`)) {
			return nil
		}
		var it struct {
			Reports []Report `json:"also"`
		}
		if err := json.Unmarshal(v, &it); err != nil {
			return fmt.Errorf("decode stored item at key %x: %w", k, err)
		}
		return indexTellings(tx, bytes.Clone(k), it.Reports)
	})
}

// FirstTelling returns which of the story's tellings a ticker selecting
// sources shows: -1 for the item itself when keep accepts its source and
// lead is set (the item is still stored, not only its record), else the
// index of the first report whose source keep accepts. It reports false
// when keep accepts none. Recent follows this rule, so that a live update
// of the item and a fresh read of the ticker agree.
func (it *Item) FirstTelling(keep func(source string) bool, lead bool) (int, bool) {
	if lead && keep(it.Source) {
		return -1, true
	}
	for i := range it.Reports {
		if keep(it.Reports[i].Source) {
			return i, true
		}
	}
	return 0, false
}

// Telling returns telling i of the story (see FirstTelling): for -1 the
// item itself, else report i as an item of its source, whose Reports are
// the story's other tellings in the order they arrived.
func (it *Item) Telling(i int) Item {
	if i < 0 {
		return *it
	}
	return it.tellingAt(i)
}

// tellingAt is report i of it as an item of its own.
func (it *Item) tellingAt(i int) Item {
	r := &it.Reports[i]
	out := Item{
		Source: r.Source, ID: r.TellingID(), GUID: r.GUID, Link: r.Link, Title: r.Title,
		Summary: r.Summary, Lang: r.Lang, Published: r.Time, FirstSeen: r.Time,
	}
	out.Reports = make([]Report, 0, len(it.Reports))
	out.Reports = append(out.Reports, Report{Source: it.Source, ID: it.ID, GUID: it.GUID, Link: it.Link, Title: it.Title, Time: it.Time()})
	for j := range it.Reports {
		if j != i {
			out.Reports = append(out.Reports, it.Reports[j])
		}
	}
	return out
}

// story reads the record of the story stored at key: the item, or the
// record retention kept for its reports (lead false).
func story(tx *bolt.Tx, key []byte) (v []byte, lead bool) {
	if v := tx.Bucket(bucketItems).Get(key); v != nil {
		return v, true
	}
	if b := tx.Bucket(bucketTold); b != nil {
		return b.Get(key), false
	}
	return nil, false
}

// keepTold moves the record of a removed item that holds reports into
// bucket "told", so its tellings stay; v is the item as it was stored.
func keepTold(tx *bolt.Tx, key, v []byte) error {
	if !bytes.Contains(v, []byte(`"also":`)) {
		return nil
	}
	return tx.Bucket(bucketTold).Put(key, v)
}

// pruneTold removes the tellings older than cutoff from the records of
// removed items, and a record once none is left, logging each removal.
// Reports are within a dedupe window of their story's item, so only
// records keyed before cutoff plus a window can hold one that old.
func (s *Store) pruneTold(cutoff time.Time, batch int) (removed int, more bool, err error) {
	var lastSeq uint64
	end := itemKey(cutoff.Add(s.tombWindow()), 0)
	err = s.update(func(tx *bolt.Tx) error {
		removed, lastSeq, more = 0, 0, false
		b := tx.Bucket(bucketTold)
		var keys [][]byte
		c := b.Cursor()
		for k, _ := c.First(); k != nil && bytes.Compare(k, end) < 0; k, _ = c.Next() {
			keys = append(keys, bytes.Clone(k))
		}
		for _, key := range keys {
			if removed >= batch {
				more = true
				break
			}
			var it Item
			if err := json.Unmarshal(b.Get(key), &it); err != nil {
				return fmt.Errorf("decode kept story at key %x: %w", key, err)
			}
			kept := it.Reports[:0:0]
			for i := range it.Reports {
				r := &it.Reports[i]
				if !r.Time.Before(cutoff) {
					kept = append(kept, *r)
					continue
				}
				seq, err := s.logTellingRemoved(tx, r)
				if err != nil {
					return err
				}
				lastSeq = seq
				removed++
			}
			if len(kept) == len(it.Reports) {
				continue
			}
			if len(kept) == 0 {
				if err := b.Delete(key); err != nil {
					return err
				}
				continue
			}
			it.Reports = kept
			v, err := json.Marshal(&it)
			if err != nil {
				return err
			}
			if err := b.Put(key, v); err != nil {
				return err
			}
		}
		if removed == 0 {
			return errNothing
		}
		return nil
	})
	if err == errNothing {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("prune tellings older than %s: %w", cutoff.Format(time.RFC3339), err)
	}
	if lastSeq > 0 {
		s.noteChange(lastSeq)
	}
	return removed, more, nil
}

// logTellingRemoved takes telling r out of the source index and logs its
// removal, so tickers selecting its source drop it.
func (s *Store) logTellingRemoved(tx *bolt.Tx, r *Report) (uint64, error) {
	it := Item{Source: r.Source, ID: r.TellingID(), GUID: r.GUID, Link: r.Link, Title: r.Title}
	return s.logChangeRef(tx, OpRemoved, tellingKey(r), &it, true)
}

// dropTellings takes the tellings of a dropped source off the source
// index, logging each removal, in transactions of at most 500. The
// reports stay on their stories, listed as other sources are.
func (s *Store) dropTellings(ctx context.Context, name string) (int, error) {
	prefix := append([]byte(name), 0)
	total := 0
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		n := 0
		var lastSeq uint64
		err := s.update(func(tx *bolt.Tx) error {
			n, lastSeq = 0, 0
			type entry struct{ key, story []byte }
			var todo []entry
			c := tx.Bucket(bucketBySource).Cursor()
			for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(todo) < defaultPruneBatch; k, v = c.Next() {
				if len(v) == 16 {
					todo = append(todo, entry{bytes.Clone(k[len(prefix):]), bytes.Clone(v)})
				}
			}
			for _, e := range todo {
				r := Report{Source: name, Time: keyTime(e.key)}
				if v, _ := story(tx, e.story); v != nil {
					var it Item
					if err := json.Unmarshal(v, &it); err != nil {
						return fmt.Errorf("decode story at key %x: %w", e.story, err)
					}
					for i := range it.Reports {
						if it.Reports[i].Source == name && bytes.Equal(tellingKey(&it.Reports[i]), e.key) {
							r = it.Reports[i]
						}
					}
				}
				if r.ID == "" && r.Link == "" && r.Title == "" {
					// Its story went: only the entry is left to delete.
					if err := tx.Bucket(bucketBySource).Delete(sourceIndexKey(name, e.key)); err != nil {
						return err
					}
					n++
					continue
				}
				seq, err := s.logTellingRemoved(tx, &r)
				if err != nil {
					return err
				}
				lastSeq = seq
				n++
			}
			if n == 0 {
				return errNothing
			}
			return nil
		})
		if err != nil && err != errNothing {
			return total, err
		}
		if lastSeq > 0 {
			s.noteChange(lastSeq)
		}
		total += n
		if n < defaultPruneBatch {
			return total, nil
		}
	}
}

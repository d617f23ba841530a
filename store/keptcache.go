package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// keptCache remembers, for items that addReport rewrote, the bytes it
// wrote and what the next addReport needs of them: whose tellings they
// hold. A story every wire runs gathers up to maxReports reports, each
// with its summary, so its item grows to tens of kilobytes; decoding and
// re-encoding all of it for each further copy cost more than everything
// else dedupe does in the write transaction (tickerbench figure 2). With
// an entry whose bytes equal what is stored, addReport instead checks the
// sources here and appends the new report's JSON to the stored JSON.
//
// An entry is used only when its bytes equal the stored value, compared in
// full, so nothing else that rewrites or removes the item (an update, a
// split, retention, a rolled-back transaction, a key reused) can make it
// wrong: such an entry just stops matching.
type keptCache struct {
	mu      sync.Mutex
	entries map[string]*keptEntry
	size    int // bytes of raw held, bounded by keptCacheBytes
}

// keptCacheBytes bounds what the cache holds: enough for the stories
// most wires tell at once, small beside the heap target (figure 6).
const keptCacheBytes = 4 << 20

type keptEntry struct {
	raw        []byte   // the item's value as addReport put it: json.Marshal of an Item with reports
	source, id string   // the item's identity
	sources    []string // sources of its reports, in order
}

// get returns the entry of key if its bytes are stored, else nil.
func (c *keptCache) get(key, stored []byte) *keptEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[string(key)]
	if e == nil || !bytes.Equal(e.raw, stored) {
		return nil
	}
	return e
}

// put records e as the entry of key; when the cache is full, other
// entries make room, in no particular order.
func (c *keptCache) put(key []byte, e *keptEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]*keptEntry{}
	}
	if old := c.entries[string(key)]; old != nil {
		c.size -= len(old.raw)
		delete(c.entries, string(key))
	}
	if len(e.raw) > keptCacheBytes {
		return
	}
	for k, old := range c.entries {
		if c.size+len(e.raw) <= keptCacheBytes {
			break
		}
		c.size -= len(old.raw)
		delete(c.entries, k)
	}
	c.entries[string(key)] = e
	c.size += len(e.raw)
}

// addReport records it as another telling of the item stored at key and
// lists the telling in the source index. updated reports whether the item
// changed (false when it already holds as many reports as it keeps), ref
// names the item; told reports that its source already told the story
// (the item or one of its reports), in which case nothing is recorded.
func (s *Store) addReport(tx *bolt.Tx, key []byte, it *Item) (ref itemRef, updated, told bool, err error) {
	itemsB := tx.Bucket(bucketItems)
	stored := itemsB.Get(key)
	e := s.kept.get(key, stored)
	if e == nil || !bytes.HasSuffix(e.raw, []byte("]}")) {
		kept := new(Item)
		if err := json.Unmarshal(stored, kept); err != nil {
			return ref, false, false, fmt.Errorf("decode stored item at key %x: %w", key, err)
		}
		e = &keptEntry{source: kept.Source, id: kept.ID}
		for i := range kept.Reports {
			e.sources = append(e.sources, kept.Reports[i].Source)
		}
		ref = itemRef{kept.Source, kept.ID}
		if e.told(it.Source) {
			return ref, false, true, nil
		}
		if len(kept.Reports) >= maxReports {
			return ref, false, false, nil
		}
		r := newReport(it)
		kept.Reports = append(kept.Reports, r)
		v, err := json.Marshal(kept)
		if err != nil {
			return ref, false, false, fmt.Errorf("encode item %q: %w", kept.ID, err)
		}
		return ref, true, false, s.putReport(tx, key, v, e, r)
	}
	ref = itemRef{e.source, e.id}
	if e.told(it.Source) {
		return ref, false, true, nil
	}
	if len(e.sources) >= maxReports {
		return ref, false, false, nil
	}
	r := newReport(it)
	v, err := AppendReportJSON(e.raw, true, &r)
	if err != nil {
		return ref, false, false, fmt.Errorf("encode report of %q: %w", it.ID, err)
	}
	return ref, true, false, s.putReport(tx, key, v, e, r)
}

// AppendReportJSON returns data, json.Marshal of an Item, with r appended
// to its reports: the bytes encoding the item with r appended would give,
// without decoding it. Reports are an Item's last field, left out when
// there are none (hasReports false). Both backends add a telling to a
// stored story this way; a story every wire runs holds up to 32 reports
// with their summaries, too much to decode and encode for each copy.
func AppendReportJSON(data []byte, hasReports bool, r *Report) ([]byte, error) {
	rv, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimRight(data, " \t\r\n")
	switch {
	case hasReports && bytes.HasSuffix(data, []byte("]}")):
		return append(append(append(append(make([]byte, 0, len(data)+len(rv)+1), data[:len(data)-2]...), ','), rv...), "]}"...), nil
	case !hasReports && bytes.HasSuffix(data, []byte("}")) && len(data) > 2:
		return append(append(append(append(make([]byte, 0, len(data)+len(rv)+9), data[:len(data)-1]...), `,"also":[`...), rv...), "]}"...), nil
	}
	return nil, fmt.Errorf("stored item is not an encoded item: %.40q", data)
}

// putReport stores v, the item at key with report r added to those e
// lists, and remembers it.
func (s *Store) putReport(tx *bolt.Tx, key, v []byte, e *keptEntry, r Report) error {
	if err := tx.Bucket(bucketItems).Put(key, v); err != nil {
		return err
	}
	// v is never written to again: bbolt reads it at commit.
	s.kept.put(key, &keptEntry{raw: v, source: e.source, id: e.id, sources: append(slices.Clip(e.sources), r.Source)})
	return indexTellings(tx, key, []Report{r})
}

// told reports whether source told the story of e: the item or a report.
func (e *keptEntry) told(source string) bool {
	return e.source == source || slices.Contains(e.sources, source)
}

// itemRef names a stored item.
type itemRef struct{ Source, ID string }

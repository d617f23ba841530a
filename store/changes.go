package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The change log records every change to stored items in commit order, in
// the same transaction as the change. Readers that keep state derived from
// the items (rendered tickers, live widget streams) catch up by reading what
// changed since the last sequence number they saw, instead of re-reading
// everything, and a client reconnecting to a live stream is sent exactly what
// it missed. Sequence numbers persist with the items, so they keep
// increasing across restarts and an event id handed out before a restart
// still means the same point in the log after it.
//
// Entries are seq(8, big-endian) → op(1) + item key(16) + JSON changeRef.
// Keys append, so logging costs little; the oldest entries are trimmed in
// the same transaction once the log holds more than Options.ChangeLog.

// Op says what happened to an item.
type Op uint8

// The operations the change log records.
const (
	// OpAdded is a new item.
	OpAdded Op = iota + 1
	// OpUpdated is an item whose text, dates or reports changed. The item
	// may have moved in the time order.
	OpUpdated
	// OpRemoved is an item deleted from the store (retention, or its
	// source dropped from the config).
	OpRemoved
)

// String returns "added", "updated" or "removed".
func (o Op) String() string {
	switch o {
	case OpAdded:
		return "added"
	case OpUpdated:
		return "updated"
	case OpRemoved:
		return "removed"
	}
	return fmt.Sprintf("op(%d)", uint8(o))
}

// Change is one entry of the change log.
type Change struct {
	// Seq is the entry's position in the log. Each change gets the next
	// number; they start at 1 and never repeat for one data file.
	Seq uint64
	Op  Op
	// Item is the item as it is stored now for OpAdded and OpUpdated (so
	// an older change may show newer content). For OpRemoved it holds
	// only Source, ID, GUID, Link and Title, or the whole item as it was
	// when its story's reports outlived it (see tellings.go).
	Item Item
	// Telling reports that an OpRemoved is about another source's
	// telling recorded as a report (Item holds it as an item of that
	// source), not about an item: only tickers selecting sources show
	// tellings.
	Telling bool
	// Desk, when not zero, is the id of the editorial action the change
	// records (see Store.Act): what the story shows changed, not its
	// stored item. Item is the story's item as stored (a desk headline
	// as an item), or only its Source and ID when it is gone. Op is
	// OpUpdated; readers apply the actions in force to learn the rest.
	Desk uint64
}

// ErrChangesTrimmed is returned by Changes when the log no longer reaches
// back to the requested point, or the point is ahead of the log (the data
// file was replaced, say by a restored backup). The caller must resync from
// Recent and continue from Seq.
var ErrChangesTrimmed = errors.New("change log no longer reaches back that far")

// defaultChangeLog is how many changes the log keeps when Options.ChangeLog
// is zero: hours of a busy newsroom's polling, which covers any client
// reconnecting after a network blip or a laptop lid.
const defaultChangeLog = 10000

var bucketChanges = []byte("changes")

// changeRef names the item a change is about, so that a removal can still
// say which item went and a reader can follow an item whose key changed.
type changeRef struct {
	Source string `json:"src"`
	ID     string `json:"id"`
	Link   string `json:"link,omitempty"`
	Title  string `json:"title,omitempty"`
	// GUID lets a reader of a removal name the item as the feeds did
	// (a feed's id is the link when the GUID is the link); entries
	// written before it was kept have none.
	GUID string `json:"guid,omitempty"`
	// Told marks the removal of a telling (Change.Telling).
	Told bool `json:"told,omitempty"`
	// Desk marks a desk change (Change.Desk).
	Desk uint64 `json:"desk,omitempty"`
}

// logChange appends a change about the item stored (or, for OpRemoved, last
// stored) at key, and trims the log to its bound. It returns the change's
// sequence number. Callers hold a write transaction and pass it along.
func (s *Store) logChange(tx *bolt.Tx, op Op, key []byte, it *Item) (uint64, error) {
	return s.logChangeRef(tx, op, key, it, false)
}

// logChangeRef is logChange, for the removal of a telling when told is
// set (key is then the telling's key in the source index).
func (s *Store) logChangeRef(tx *bolt.Tx, op Op, key []byte, it *Item, told bool) (uint64, error) {
	if op == OpRemoved {
		// Every removal is logged, so this is the one place where the
		// source index (bysource.go) is sure to hear of it.
		if err := unindexSource(tx, key, it.Source); err != nil {
			return 0, err
		}
	}
	ref := changeRef{Source: it.Source, ID: it.ID, Told: told}
	if op == OpRemoved {
		ref.Link, ref.Title, ref.GUID = it.Link, it.Title, it.GUID
	}
	return s.appendChange(tx, op, key, &ref)
}

// appendChange appends one entry to the change log and trims the log to
// its bound; every kind of change (items, tellings, desk actions) goes
// through it.
func (s *Store) appendChange(tx *bolt.Tx, op Op, key []byte, ref *changeRef) (uint64, error) {
	b := tx.Bucket(bucketChanges)
	seq, err := b.NextSequence()
	if err != nil {
		return 0, err
	}
	tail, err := json.Marshal(ref)
	if err != nil {
		return 0, err
	}
	v := make([]byte, 0, 1+len(key)+len(tail))
	v = append(v, byte(op))
	v = append(v, key...)
	v = append(v, tail...)
	if err := b.Put(seqKey(seq), v); err != nil {
		return 0, err
	}
	// Sequence numbers in the log are contiguous, so its length is the
	// distance from the first entry. Trimming from the front deletes at
	// most as many entries as this transaction adds.
	c := b.Cursor()
	for k, _ := c.First(); k != nil && seq-binary.BigEndian.Uint64(k)+1 > uint64(s.changeLog); k, _ = c.First() {
		if err := b.Delete(k); err != nil {
			return 0, err
		}
	}
	return seq, nil
}

func seqKey(seq uint64) []byte {
	return binary.BigEndian.AppendUint64(make([]byte, 0, 8), seq)
}

// Seq reports the sequence number of the last committed change, or zero if
// there was none. It equals Version.
func (s *Store) Seq() uint64 { return s.version.Load() }

// Changes returns up to limit changes with Seq greater than after, oldest
// first (limit ≤ 0 means 1000). It returns ErrChangesTrimmed when changes
// after it were trimmed from the log or after is beyond the log's end.
// A change whose item has since been removed, or moved by a later update,
// is returned with the item's current content, or skipped when a later
// change in the log removed it; Seq numbers may therefore have gaps.
func (s *Store) Changes(ctx context.Context, after uint64, limit int) ([]Change, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 1000
	}
	var out []Change
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketChanges)
		if b == nil {
			if after > 0 {
				return ErrChangesTrimmed
			}
			return nil
		}
		last := b.Sequence()
		if after > last {
			return ErrChangesTrimmed
		}
		if after == last {
			return nil
		}
		c := b.Cursor()
		k, v := c.Seek(seqKey(after + 1))
		if k == nil || binary.BigEndian.Uint64(k) != after+1 {
			return ErrChangesTrimmed
		}
		itemsB, idsB := tx.Bucket(bucketItems), tx.Bucket(bucketIDs)
		for ; k != nil && len(out) < limit; k, v = c.Next() {
			ch, ok, err := readChange(itemsB, idsB, k, v)
			if err != nil {
				return fmt.Errorf("change %d: %w", binary.BigEndian.Uint64(k), err)
			}
			if ok {
				out = append(out, ch)
			}
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrChangesTrimmed) {
			return nil, err
		}
		return nil, fmt.Errorf("read changes after %d: %w", after, err)
	}
	return out, nil
}

// readChange decodes one log entry. It reports false for an entry about an
// item no longer stored: the entry that removed it comes later in the log.
func readChange(itemsB, idsB *bolt.Bucket, k, v []byte) (Change, bool, error) {
	if len(v) < 17 {
		return Change{}, false, errors.New("truncated entry")
	}
	ch := Change{Seq: binary.BigEndian.Uint64(k), Op: Op(v[0])}
	var ref changeRef
	if err := json.Unmarshal(v[17:], &ref); err != nil {
		return Change{}, false, err
	}
	if ref.Desk != 0 {
		return ch, true, readDeskChange(itemsB.Tx(), &ch, &ref, v[1:17])
	}
	if ch.Op == OpRemoved {
		ch.Item = Item{Source: ref.Source, ID: ref.ID, GUID: ref.GUID, Link: ref.Link, Title: ref.Title}
		ch.Telling = ref.Told
		if told := itemsB.Tx().Bucket(bucketTold); !ref.Told && told != nil {
			// The story's other tellings, when they outlived the item:
			// its whole record.
			if v := told.Get(v[1:17]); v != nil {
				var rec Item
				if err := json.Unmarshal(v, &rec); err != nil {
					return Change{}, false, fmt.Errorf("decode kept story: %w", err)
				}
				if rec.Source == ref.Source && rec.ID == ref.ID {
					ch.Item = rec
				}
			}
		}
		return ch, true, nil
	}
	data := itemsB.Get(v[1:17])
	if data == nil {
		// The item moved (an update changed its time) or went: follow
		// its identity to where it is now, if anywhere.
		if key := idsB.Get(dedupeKey(ref.Source, idHash(ref.Source, ref.ID))); len(key) == 16 {
			data = itemsB.Get(key)
		}
	}
	if data == nil {
		return Change{}, false, nil
	}
	if err := json.Unmarshal(data, &ch.Item); err != nil {
		return Change{}, false, fmt.Errorf("decode item: %w", err)
	}
	return ch, true, nil
}

package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Record is one unit of a store's content, as Export yields it and Import
// takes it: what `tickerd migrate` copies between backends.
type Record struct {
	// Item is a stored item with its reports (the story's other
	// tellings) and FirstSeen; with Told set, the record of a removed
	// item kept for its reports (see tellings.go).
	Item *Item `json:"item,omitempty"`
	Told bool  `json:"told,omitempty"`
	// State is a source's state; its Items count is recounted by Import.
	State *SourceState `json:"state,omitempty"`
	// Action is an editorial action as stored (undone ones too), Audit
	// an entry of the desk's audit log; both keep their numbers.
	Action *Action     `json:"action,omitempty"`
	Audit  *AuditEntry `json:"audit,omitempty"`
}

// Transfer is implemented by backends that can copy their content out
// and in: every item, story (reports included), removed story kept for
// its tellings, source state, editorial action and audit entry. The change log, tombstones and the
// story index are the backend's own and are rebuilt, not copied.
type Transfer interface {
	// Export calls fn with every record, items in time order.
	Export(ctx context.Context, fn func(Record) error) error
	// Import stores records; an item or kept story already stored (by
	// source and id) is left as it is, so importing twice adds nothing.
	// It reports how many items and kept stories it stored; states are
	// written every time.
	Import(ctx context.Context, recs []Record) (int, error)
}

var _ Transfer = (*Store)(nil)

// Export calls fn with every record of the file in one read transaction.
func (s *Store) Export(ctx context.Context, fn func(Record) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		for _, b := range []struct {
			name []byte
			told bool
		}{{bucketItems, false}, {bucketTold, true}} {
			bk := tx.Bucket(b.name)
			if bk == nil {
				continue
			}
			c := bk.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				if err := ctx.Err(); err != nil {
					return err
				}
				it := new(Item)
				if err := json.Unmarshal(v, it); err != nil {
					return fmt.Errorf("decode stored item at key %x: %w", k, err)
				}
				if err := fn(Record{Item: it, Told: b.told}); err != nil {
					return err
				}
			}
		}
		for _, st := range s.States() {
			if err := fn(Record{State: &st}); err != nil {
				return err
			}
		}
		for _, b := range [][]byte{bucketDesk, bucketAudit} {
			bk := tx.Bucket(b)
			if bk == nil {
				continue
			}
			err := bk.ForEach(func(k, v []byte) error {
				var r Record
				if bytes.Equal(b, bucketDesk) {
					r.Action = new(Action)
					if err := json.Unmarshal(v, r.Action); err != nil {
						return fmt.Errorf("decode action %x: %w", k, err)
					}
				} else {
					r.Audit = new(AuditEntry)
					if err := json.Unmarshal(v, r.Audit); err != nil {
						return fmt.Errorf("decode audit entry %x: %w", k, err)
					}
				}
				return fn(r)
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// Import stores recs in one write transaction (see Transfer). Items are
// indexed for dedupe with Dedupe.Story, when set.
func (s *Store) Import(ctx context.Context, recs []Record) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	n := 0
	var states []SourceState
	touched := map[string]bool{}
	err := s.update(func(tx *bolt.Tx) error {
		n, states = 0, nil
		itemsB, idsB, told := tx.Bucket(bucketItems), tx.Bucket(bucketIDs), tx.Bucket(bucketTold)
		for _, r := range recs {
			switch {
			case r.Action != nil || r.Audit != nil:
				b, id, v := tx.Bucket(bucketDesk), uint64(0), any(r.Action)
				if r.Action != nil {
					id = r.Action.ID
				} else {
					b, id, v = tx.Bucket(bucketAudit), r.Audit.Seq, r.Audit
				}
				if b == nil || id == 0 || b.Get(idKey(id)) != nil {
					continue
				}
				if err := putJSON(b, idKey(id), v); err != nil {
					return err
				}
				// New actions are numbered after the copied ones.
				if id > b.Sequence() {
					if err := b.SetSequence(id); err != nil {
						return err
					}
				}
				n++
			case r.State != nil:
				states = append(states, *r.State)
			case r.Item != nil && r.Told:
				it := *r.Item
				key := itemKey(it.Time(), idHash(it.Source, it.ID))
				if told.Get(key) != nil || itemsB.Get(key) != nil {
					continue
				}
				v, err := json.Marshal(&it)
				if err != nil {
					return err
				}
				if err := told.Put(key, v); err != nil {
					return err
				}
				if err := indexTellings(tx, key, it.Reports); err != nil {
					return err
				}
				n++
			case r.Item != nil:
				it := *r.Item
				h := idHash(it.Source, it.ID)
				idKey := dedupeKey(it.Source, h)
				if idsB.Get(idKey) != nil {
					continue
				}
				key, err := putItem(itemsB, idsB, idKey, h, &it)
				if err != nil {
					return err
				}
				if s.dedupe.Story != nil {
					it.Story = s.dedupe.Story(&it)
					if err := s.indexStory(tx, key, &it); err != nil {
						return err
					}
				}
				if err := indexTellings(tx, key, it.Reports); err != nil {
					return err
				}
				for _, rep := range it.Reports {
					if rep.ID == "" {
						continue
					}
					rk := dedupeKey(rep.Source, idHash(rep.Source, rep.ID))
					if idsB.Get(rk) == nil {
						if err := idsB.Put(rk, append([]byte{dupMark}, key...)); err != nil {
							return err
						}
					}
				}
				touched[it.Source] = true
				n++
			}
		}
		for i := range states {
			touched[states[i].Name] = true
		}
		// Counts from the index, so that importing twice counts once.
		counts := map[string]int{}
		c := tx.Bucket(bucketBySource).Cursor()
		for name := range touched {
			prefix := append([]byte(name), 0)
			for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
				if len(v) == 0 {
					counts[name]++
				}
			}
		}
		s.mu.Lock()
		for name := range touched {
			if _, ok := s.states[name]; !ok {
				s.states[name] = SourceState{Name: name}
			}
		}
		for _, st := range states {
			s.states[st.Name] = st
		}
		var all []SourceState
		for name := range touched {
			st := s.states[name]
			st.Items = counts[name]
			s.states[name] = st
			all = append(all, st)
		}
		s.mu.Unlock()
		return putStates(tx, all)
	})
	if err != nil {
		return 0, fmt.Errorf("import: %w", err)
	}
	return n, nil
}

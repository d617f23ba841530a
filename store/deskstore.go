package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The desk's buckets (see desk.go): actions by id, and the audit log by
// sequence number. Both keys append. Every action is kept, undone or not,
// so an id always means the same action.
var (
	bucketDesk  = []byte("desk")  // id(8) → JSON Action
	bucketAudit = []byte("audit") // seq(8) → JSON AuditEntry
)

// Act validates a, resolves the story it names, and stores it with its
// audit record and a change-log entry (Change.Desk) in one write
// transaction: once Act returns, the action is on disk. It returns the
// action as stored. A story that is not stored gives an error wrapping
// ErrNoStory; an undo of nothing in force, ErrNoAction; a bad field, a
// *FieldError.
func (s *Store) Act(ctx context.Context, a Action) (Action, error) {
	if err := ctx.Err(); err != nil {
		return Action{}, err
	}
	now := s.now().UTC()
	if err := a.Check(now); err != nil {
		return Action{}, err
	}
	a.ID, a.At, a.UndoneBy, a.Item = 0, now, 0, nil
	in := a
	var seq uint64
	err := s.update(func(tx *bolt.Tx) error {
		a = in
		desk, audit := tx.Bucket(bucketDesk), tx.Bucket(bucketAudit)
		actions, err := readActions(desk, false)
		if err != nil {
			return err
		}
		var key []byte // the story's item key, for the change log
		var item *Item
		switch a.Kind {
		case ActAdd:
		case ActUndo:
			target, err := FindUndo(actions, &a)
			if err != nil {
				return err
			}
			a.Story = target.Story
			if target.Kind == ActAdd {
				a.Story = StoryRef(NewsroomSource, AddedID(target.ID))
			}
		default:
			ref, k, it, err := s.resolveStory(tx, actions, a.Story)
			if err != nil {
				return err
			}
			a.Story, key, item = ref, k, it
		}
		if a.ID, err = desk.NextSequence(); err != nil {
			return err
		}
		if a.Kind == ActAdd {
			a.Story = StoryRef(NewsroomSource, AddedID(a.ID))
			added := AddedItem(&a)
			item = &added
		} else if item == nil {
			if _, k, it, err := s.resolveStory(tx, actions, a.Story); err == nil {
				key, item = k, it
			}
		}
		var before Shown
		if a.Kind != ActAdd {
			before = NewEdits(actions, now).Story(a.Story).Shown(item)
		}
		if a.Kind == ActUndo {
			for i := range actions {
				if actions[i].ID == a.Undo {
					actions[i].UndoneBy = a.ID
					if err := putJSON(desk, idKey(a.Undo), &actions[i]); err != nil {
						return err
					}
				}
			}
		}
		if err := putJSON(desk, idKey(a.ID), &a); err != nil {
			return err
		}
		actions = append(actions, a)
		after := NewEdits(actions, now).Story(a.Story).Shown(item)
		n, err := audit.NextSequence()
		if err != nil {
			return err
		}
		entry := AuditEntry{Seq: n, At: now, Who: a.Who, Action: a, Story: a.Story, Before: before, After: after}
		if err := putJSON(audit, idKey(n), &entry); err != nil {
			return err
		}
		if key == nil {
			key = make([]byte, 16)
		}
		ref := Item{Source: NewsroomSource, ID: AddedID(a.ID)}
		if item != nil {
			ref = *item
		}
		seq, err = s.logDesk(tx, key, &ref, a.ID)
		return err
	})
	if err != nil {
		return Action{}, fmt.Errorf("%s %s: %w", a.Kind, a.Story, err)
	}
	s.noteChange(seq)
	return a, nil
}

// FindUndo returns the action a (an undo) withdraws among actions (oldest
// first), setting a.Undo; every backend resolves an undo by this one rule.
func FindUndo(actions []Action, a *Action) (*Action, error) {
	for i := len(actions) - 1; i >= 0; i-- {
		t := &actions[i]
		if t.UndoneBy != 0 || t.Kind == ActUndo {
			continue
		}
		if a.Undo != 0 && t.ID == a.Undo {
			return t, nil
		}
		if a.Undo == 0 && t.Kind == a.Of && (t.Story == a.Story || t.Kind == ActAdd && StoryRef(NewsroomSource, AddedID(t.ID)) == a.Story) {
			a.Undo = t.ID
			return t, nil
		}
	}
	if a.Undo != 0 {
		return nil, fmt.Errorf("action %d: %w", a.Undo, ErrNoAction)
	}
	return nil, fmt.Errorf("no %s on %s: %w", a.Of, a.Story, ErrNoAction)
}

// resolveStory finds the story ref names: ref may name the story's item,
// another source's telling of it, or a desk headline. It returns the
// story's own ref, its item's key (nil for a desk headline) and its item.
func (s *Store) resolveStory(tx *bolt.Tx, actions []Action, ref string) (string, []byte, *Item, error) {
	source, id, ok := ParseStoryRef(ref)
	if !ok {
		return "", nil, nil, &FieldError{Field: "story", Msg: fmt.Sprintf("%q is not a story reference", ref)}
	}
	if n, ok := AddedAction(source, id); ok {
		for i := range actions {
			if actions[i].ID == n && actions[i].Kind == ActAdd && actions[i].UndoneBy == 0 {
				it := AddedItem(&actions[i])
				return ref, nil, &it, nil
			}
		}
		return "", nil, nil, fmt.Errorf("%s: %w", ref, ErrNoStory)
	}
	v := tx.Bucket(bucketIDs).Get(dedupeKey(source, idHash(source, id)))
	var key []byte
	switch {
	case len(v) == 16:
		key = v
	case len(v) == 17 && v[0] == dupMark:
		key = v[1:]
	default:
		return "", nil, nil, fmt.Errorf("%s: %w", ref, ErrNoStory)
	}
	data, _ := story(tx, key)
	if data == nil {
		return "", nil, nil, fmt.Errorf("%s: %w", ref, ErrNoStory)
	}
	var it Item
	if err := json.Unmarshal(data, &it); err != nil {
		return "", nil, nil, fmt.Errorf("decode story at key %x: %w", key, err)
	}
	return StoryRef(it.Source, it.ID), bytes.Clone(key), &it, nil
}

// logDesk logs a desk change about the story at key (it: its item).
func (s *Store) logDesk(tx *bolt.Tx, key []byte, it *Item, action uint64) (uint64, error) {
	return s.appendChange(tx, OpUpdated, key, &changeRef{Source: it.Source, ID: it.ID, Desk: action})
}

// readDeskChange completes a desk change: the story's item as stored now,
// or the desk headline, or what the entry names when neither is left.
func readDeskChange(tx *bolt.Tx, ch *Change, ref *changeRef, key []byte) error {
	ch.Desk = ref.Desk
	ch.Item = Item{Source: ref.Source, ID: ref.ID}
	if n, ok := AddedAction(ref.Source, ref.ID); ok {
		if b := tx.Bucket(bucketDesk); b != nil {
			if v := b.Get(idKey(n)); v != nil {
				var a Action
				if err := json.Unmarshal(v, &a); err != nil {
					return fmt.Errorf("decode action %d: %w", n, err)
				}
				ch.Item = AddedItem(&a)
			}
		}
		return nil
	}
	data, _ := story(tx, key)
	if data == nil {
		if k := tx.Bucket(bucketIDs).Get(dedupeKey(ref.Source, idHash(ref.Source, ref.ID))); len(k) == 16 {
			data, _ = story(tx, k)
		}
	}
	if data == nil {
		return nil
	}
	var it Item
	if err := json.Unmarshal(data, &it); err != nil {
		return fmt.Errorf("decode item: %w", err)
	}
	if it.Source == ref.Source && it.ID == ref.ID {
		ch.Item = it
	}
	return nil
}

// Actions returns every action in force (not undone; undos themselves
// are left out, the audit has them), oldest first, each with its story's
// Item. Expired pins and breaking marks are returned too: NewEdits skips
// them.
func (s *Store) Actions(ctx context.Context) ([]Action, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []Action
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDesk)
		if b == nil {
			return nil
		}
		all, err := readActions(b, true)
		if err != nil {
			return err
		}
		for i := range all {
			a := &all[i]
			if a.Kind == ActUndo {
				continue
			}
			if a.Kind == ActAdd {
				it := AddedItem(a)
				a.Item = &it
			} else if _, _, it, err := s.resolveStory(tx, nil, a.Story); err == nil {
				a.Item = it
			} else if !errors.Is(err, ErrNoStory) {
				return err
			}
			out = append(out, *a)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read desk actions: %w", err)
	}
	return out, nil
}

// readActions decodes the actions, oldest first: those in force only
// when inForce.
func readActions(b *bolt.Bucket, inForce bool) ([]Action, error) {
	var out []Action
	err := b.ForEach(func(k, v []byte) error {
		var a Action
		if err := json.Unmarshal(v, &a); err != nil {
			return fmt.Errorf("decode action %x: %w", k, err)
		}
		if !inForce || a.UndoneBy == 0 {
			out = append(out, a)
		}
		return nil
	})
	return out, err
}

// Audit returns up to limit audit entries with Seq greater than after,
// oldest first (limit ≤ 0 means 100).
func (s *Store) Audit(ctx context.Context, after uint64, limit int) ([]AuditEntry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 100
	}
	var out []AuditEntry
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Seek(idKey(after + 1)); k != nil && len(out) < limit; k, v = c.Next() {
			var e AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("decode audit entry %x: %w", k, err)
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read audit: %w", err)
	}
	return out, nil
}

func idKey(n uint64) []byte { return binary.BigEndian.AppendUint64(make([]byte, 0, 8), n) }

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

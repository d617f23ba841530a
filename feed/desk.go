package feed

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"tickerd/store"
)

// The desk's actions (store.Action) are applied here, where tickers are
// built, so every output agrees: a hidden story is left out of the query
// (so the ticker still fills its limit), a correction replaces the title
// and link shown, a pinned story goes first (fetched from the action when
// it is older than the ticker's other items), desk headlines join in time
// order, and a breaking story carries a category and a JSON mark. A desk
// change in the change log renders every ticker again; live streams get
// the removal of a story it hides (dropped in place), else a reset: a pin
// moves a story, which no per-item event says.

// deskState caches the actions in force between desk changes.
type deskState struct {
	mu      sync.Mutex // guards everything below
	loaded  bool
	seq     uint64 // the store Seq the actions were read at
	want    uint64 // the newest desk change seen in the change log
	actions []store.Action
	// follow is set while a pin or a desk headline is in force: their
	// items are copies taken at load, read again at any change.
	follow bool
}

// noteDesk records that the change log holds desk change seq.
func (s *Server) noteDesk(seq uint64) {
	d := &s.desk
	d.mu.Lock()
	d.want = max(d.want, seq)
	d.mu.Unlock()
}

// edits returns what the actions in force make stories show now.
func (s *Server) edits(ctx context.Context) (*store.Edits, error) {
	d := &s.desk
	d.mu.Lock()
	defer d.mu.Unlock()
	seq := s.st.Seq()
	if !d.loaded || d.want > d.seq || d.follow && seq != d.seq {
		acts, err := s.st.Actions(ctx)
		if err != nil {
			return nil, fmt.Errorf("read desk actions: %w", err)
		}
		d.loaded, d.seq, d.actions, d.follow = true, seq, acts, false
		for i := range acts {
			if acts[i].Kind == store.ActPin || acts[i].Kind == store.ActAdd {
				d.follow = true
			}
		}
	}
	return store.NewEdits(d.actions, s.now()), nil
}

// hideHidden makes q leave out the stories ed hides.
func hideHidden(q *store.Query, ed *store.Edits) {
	if ed.Empty() {
		return
	}
	match := q.Match
	q.Match = func(it *store.Item) bool {
		if e := ed.Of(it); e != nil && e.Hidden {
			return false
		}
		return match == nil || match(it)
	}
}

// applyEdits returns the items ticker t shows once ed is applied.
func (s *Server) applyEdits(t *ticker, sel *selection, items []store.Item, ed *store.Edits, now time.Time, lang func(*store.Item) string) []store.Item {
	if ed.Empty() {
		return items
	}
	var pinned, out []store.Item
	seen := make(map[string]bool, len(items))
	put := func(it store.Item) {
		e := ed.Of(&it)
		if e != nil {
			if e.Hidden {
				return
			}
			e.Apply(&it)
			it.Desk = e
		}
		seen[store.StoryRef(it.Source, it.ID)] = true
		if len(it.Reports) > 0 {
			seen[store.StoryRef(it.Reports[0].Source, it.Reports[0].TellingID())] = true
		}
		if e.PinnedOn(t.Name) {
			pinned = append(pinned, it)
		} else {
			out = append(out, it)
		}
	}
	for _, it := range items {
		put(it)
	}
	added := false
	for _, a := range ed.Added {
		if len(a.Tickers) == 0 || slices.Contains(a.Tickers, t.Name) {
			put(store.AddedItem(a))
			added = true
		}
	}
	if added && !sel.interlv {
		slices.SortStableFunc(out, func(a, b store.Item) int { return b.Time().Compare(a.Time()) })
	}
	// Pinned stories the query did not reach: older than the rest.
	for _, a := range ed.Pins(t.Name) {
		if seen[a.Story] || a.Item == nil {
			continue
		}
		it := *a.Item
		if i, ok := it.FirstTelling(sel.holds, true); ok {
			it = it.Telling(i)
		} else if len(a.Tickers) == 0 {
			// Pinned on every ticker: on those that show the story.
			continue
		}
		if len(a.Tickers) == 0 && !sel.filter.accepts(newItemText(&it, lang(&it))) {
			continue
		}
		put(it)
	}
	// The newest pin first, as ed.Pins orders them.
	order := make(map[string]int)
	for i, a := range ed.Pins(t.Name) {
		order[a.Story] = i
	}
	rank := func(it *store.Item) int {
		if it.Desk != nil && it.Desk.Pin != nil {
			return order[it.Desk.Pin.Story]
		}
		return 0
	}
	slices.SortStableFunc(pinned, func(a, b store.Item) int { return rank(&a) - rank(&b) })
	out = append(pinned, out...)
	if len(out) > sel.limit {
		out = out[:sel.limit]
	}
	return out
}

// resetFrame is a reset event carrying ticker t as it stands, with id
// seq. Unlike snapshotFrame it takes no hub lock: catchUpLive holds it.
func (s *Server) resetFrame(ctx context.Context, t int, seq uint64) []byte {
	set := s.tickerBodies(ctx, t)
	if set == nil {
		return nil
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "id: %d\nevent: reset\ndata: ", seq)
	if err := json.Compact(&buf, set.bodies[formatJSON].plain.data); err != nil {
		s.logger.Error("encode live reset", "ticker", s.tickers[t].Name, "err", err)
		return nil
	}
	buf.WriteString("\n\n")
	return buf.Bytes()
}

// deskExpiry reports when the next pin or breaking mark ends (zero when
// none will) and when the last that ended did (zero when none has).
func (s *Server) deskExpiry(ctx context.Context) (next, passed time.Time) {
	ed, err := s.edits(ctx)
	if err != nil {
		return time.Time{}, time.Time{}
	}
	return ed.Next, ed.Passed
}

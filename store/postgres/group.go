package postgres

import (
	"context"
	"time"

	"tickerd/store"
)

// Ingests commit in groups: feeds read side by side (readPlan), and
// whoever finds the writer idle starts it; it writes every feed waiting
// then, up to maxGroup, in one transaction under the write lock, and the
// next group as soon as that commits. The lock, the commit and the
// statements of the writes are paid once per group, not per feed; under
// the lock they were most of what every other writer waited for. A group
// that fails is written again feed by feed, so one feed's error is its
// own.

// groupGate, set by tests only, holds the writer until it is closed.
var groupGate chan struct{}

// maxGroup bounds the feeds of one transaction.
const maxGroup = 32

// groupTimeout bounds one group's transaction.
const groupTimeout = time.Minute

type ingestReq struct {
	ctx    context.Context
	plan   *ingestPlan
	now    time.Time
	states []store.SourceState // written with the items: pending states and the feed's own
	res    store.IngestResult
	count  int // the source's items after the write
	err    error
	done   chan struct{}
}

type grouper struct {
	queue   []*ingestReq
	running bool
}

// submit queues r and waits for its group to commit.
func (s *Store) submit(r *ingestReq) error {
	s.gmu.Lock()
	s.groups.queue = append(s.groups.queue, r)
	start := !s.groups.running
	s.groups.running = true
	s.gmu.Unlock()
	if start {
		go s.runGroups()
	}
	select {
	case <-r.done:
		return r.err
	case <-r.ctx.Done():
		// The group may still commit it; the next poll finds it stored.
		return r.ctx.Err()
	}
}

func (s *Store) runGroups() {
	if groupGate != nil {
		<-groupGate
	}
	for {
		group := s.nextGroup()
		if group == nil {
			return
		}
		err := s.commitGroup(group)
		if err != nil && len(group) > 1 {
			for _, r := range group {
				r.err = s.commitGroup([]*ingestReq{r})
			}
		} else {
			for _, r := range group {
				r.err = err
			}
		}
		for _, r := range group {
			close(r.done)
		}
	}
}

// nextGroup takes the requests waiting, in order, up to maxGroup and
// one per source (a second feed of a source waits for the first's
// commit: its reads did not see it); nil when none wait, and the runner
// stops.
func (s *Store) nextGroup() []*ingestReq {
	s.gmu.Lock()
	defer s.gmu.Unlock()
	var group, rest []*ingestReq
	sources := map[string]bool{}
	for _, r := range s.groups.queue {
		switch {
		case r.ctx.Err() != nil:
			r.err = r.ctx.Err()
			close(r.done)
		case len(group) < maxGroup && !sources[r.plan.st.Name]:
			sources[r.plan.st.Name] = true
			group = append(group, r)
		default:
			rest = append(rest, r)
		}
	}
	s.groups.queue = rest
	if len(group) == 0 {
		s.groups.running = false
	}
	return group
}

// commitGroup writes the feeds of group in one transaction.
func (s *Store) commitGroup(group []*ingestReq) error {
	ctx, cancel := context.WithTimeout(context.Background(), groupTimeout)
	defer cancel()
	return s.write(ctx, true, func(w *writer) error {
		w.recordBatch()
		var states []store.SourceState
		for _, r := range group {
			p, err := w.settle(r)
			if err != nil {
				return err
			}
			if r.res, err = w.ingestWrite(p, r.now, &r.count); err != nil {
				return err
			}
			states = append(states, r.states...)
		}
		return w.putStates(states)
	})
}

// readPlan makes an ingest's reads, in a transaction of their own,
// before its group takes the write lock.
func (s *Store) readPlan(ctx context.Context, st store.SourceState, items []store.Item, now time.Time) (*ingestPlan, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(context.Background())
	w := &writer{s: s, ctx: ctx, tx: &batchTx{Tx: tx}}
	var last int64
	if err := tx.QueryRow(ctx, `SELECT last FROM seq`).Scan(&last); err != nil {
		return nil, err
	}
	p, err := w.ingestRead(st, items, now)
	if err != nil {
		return nil, err
	}
	p.read, p.kept = uint64(last), w.items
	if beforeLock != nil {
		beforeLock()
	}
	return p, tx.Commit(ctx)
}

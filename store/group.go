package store

import (
	"errors"
	"slices"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// groupCommit lets concurrent writers share one commit. A commit costs two
// fsyncs whatever it holds, and the fetcher writes one feed per
// transaction from many goroutines: one at a time, the disk's sync latency
// bounds ingest (about 36 ms a feed on a busy shared disk, where parsing
// one takes 2 ms). Writers that arrive while a commit is in progress queue
// up, and the next of them to get the write lock commits the whole queue
// in one transaction. Each still returns only after its own data is
// durable, with its own error.
type groupCommit struct {
	write sync.Mutex // held by the writer committing a group

	mu      sync.Mutex // guards pending
	pending []*groupCall
}

// groupCall is one writer's transaction function waiting in a group.
type groupCall struct {
	fn   func(*bolt.Tx) error
	err  error
	done chan struct{} // closed once err is set
}

// updateGrouped runs fn in a write transaction, possibly shared with other
// callers' functions, and returns once that transaction committed or fn
// failed. fn may run more than once: when another function in its group
// fails, the group is rolled back and run again without it. So fn must
// derive everything it writes from its arguments and tx.
func (s *Store) updateGrouped(fn func(*bolt.Tx) error) error {
	call := &groupCall{fn: fn, done: make(chan struct{})}
	g := &s.group
	g.mu.Lock()
	g.pending = append(g.pending, call)
	g.mu.Unlock()

	s.commitPending(call)
	<-call.done
	return call.err
}

// commitPending takes the write lock and, unless the previous holder
// committed call already, commits everything queued, call included.
//
// A caller whose call is done returns without committing what arrived
// since: it would commit those one or two calls alone, and every caller
// released by one large group would do the same in turn, so groups would
// shrink back to single writes. Whoever queued them is waiting for the
// lock too, and commits them, with whatever else queued by then.
func (s *Store) commitPending(call *groupCall) {
	g := &s.group
	g.write.Lock()
	defer g.write.Unlock()
	select {
	case <-call.done:
		return
	default:
	}
	g.mu.Lock()
	calls := g.pending
	g.pending = nil
	g.mu.Unlock()
	s.commitGroup(calls)
}

// errGroupAbandoned is the error of calls left in a group whose commit
// panicked.
var errGroupAbandoned = errors.New("write abandoned: another write in its transaction panicked")

// commitGroup commits calls in one transaction. A call whose function
// fails is taken out; the rest are run again without it, and it runs
// alone so that it reports its own error.
func (s *Store) commitGroup(calls []*groupCall) {
	defer func() {
		if r := recover(); r != nil {
			for _, c := range calls {
				c.err = errGroupAbandoned
				close(c.done)
			}
			panic(r)
		}
	}()
	for len(calls) > 0 {
		failed := -1
		err := s.update(func(tx *bolt.Tx) error {
			for i, c := range calls {
				if err := c.fn(tx); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		if failed < 0 || len(calls) == 1 {
			// Committed, or the commit itself failed (every call gets
			// its error), or a lone call failed.
			for _, c := range calls {
				c.err = err
				close(c.done)
			}
			return
		}
		c := calls[failed]
		c.err = s.update(c.fn)
		calls = slices.Delete(calls, failed, failed+1)
		close(c.done)
	}
}

package fetcher

import (
	"cmp"
	"context"
	"fmt"
	"slices"
)

// ReloadResult says what a Reload changed, by source name in config order.
type ReloadResult struct {
	Added   []string // new names: polled at once, then on their schedule
	Removed []string // no longer fetched; their stored items are left alone
	// Changed are sources whose URL, schedule, tags or language changed.
	// A new URL is polled at once; a new schedule applies from now.
	Changed []string
}

// Reload replaces the sources and options with opts, as New would build
// them, without stopping: fetches in flight finish with the settings they
// started with, added sources are polled at once, removed ones are no
// longer fetched, and a running Run reschedules. If opts is invalid it
// returns the problems and changes nothing.
//
// Once the new settings are in force, Reload waits until no fetch of a
// removed source is in flight, or ctx is done (its error is then
// returned, and the rest of the reload stands), so that the caller may
// drop a removed source's items without a late write bringing some back.
func (f *Fetcher) Reload(ctx context.Context, opts *Options) (ReloadResult, error) {
	f.reloadMu.Lock()
	defer f.reloadMu.Unlock()
	prev := f.cur.Load()
	g, err := f.newGeneration(opts, prev)
	if err != nil {
		return ReloadResult{}, fmt.Errorf("reload fetcher: %w", err)
	}
	var res ReloadResult
	var rescheduled, removed []*source
	var forget []string // names whose Retry-After spoke of another URL or of nothing now
	for _, s := range g.sources {
		old := prev.byName[s.Name]
		switch {
		case old == nil:
			res.Added = append(res.Added, s.Name)
		case old.URL != s.URL:
			res.Changed = append(res.Changed, s.Name)
			forget = append(forget, s.Name)
		case old.Lang != s.Lang || !slices.Equal(old.Tags, s.Tags):
			res.Changed = append(res.Changed, s.Name)
		case !sameSchedule(old, s):
			res.Changed = append(res.Changed, s.Name)
			rescheduled = append(rescheduled, s)
		}
	}
	for _, s := range prev.sources {
		if g.byName[s.Name] == nil {
			res.Removed = append(res.Removed, s.Name)
			removed = append(removed, s)
			forget = append(forget, s.Name)
		}
	}
	f.cur.Store(g)
	if g.client != prev.client {
		// Fetches in flight keep their connections; idle ones would
		// never be used again.
		prev.client.CloseIdleConnections()
	}
	f.mu.Lock()
	for _, name := range forget {
		delete(f.retryAfter, name)
	}
	f.mu.Unlock()
	select {
	case f.reload <- struct{}{}:
	default: // Run has a wake-up pending already; it reads f.cur then
	}
	f.replan(rescheduled)
	f.unsubscribe(ctx, res.Removed)
	f.log.Info("fetcher reloaded", "added", res.Added, "removed", res.Removed, "changed", res.Changed)
	return res, f.retire(ctx, removed)
}

// sameSchedule reports whether a's and b's effective schedules have the
// same spec (parsed cron schedules are pointers, never equal).
func sameSchedule(a, b *source) bool {
	return cmp.Or(a.Schedule, a.g.opts.Schedule) == cmp.Or(b.Schedule, b.g.opts.Schedule) && a.bounds() == b.bounds()
}

// replan records when rescheduled sources will next be tried, so their
// status shows the new schedule before their next fetch. A source being
// fetched plans for itself when the fetch ends.
func (f *Fetcher) replan(sources []*source) {
	for _, s := range sources {
		if !s.busy.TryLock() {
			continue
		}
		if st, ok := f.store.State(s.Name); ok && st.URL == s.URL && !st.LastAttempt.IsZero() {
			f.planNext(s, &st, st.LastAttempt)
			f.store.MarkState(st)
		}
		s.busy.Unlock()
	}
}

// retire takes the locks of removed sources and never releases them: it
// waits out a fetch in flight, and no fetch of them starts after. A
// source added back later gets a new lock.
func (f *Fetcher) retire(ctx context.Context, removed []*source) error {
	if len(removed) == 0 {
		return nil
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, s := range removed {
			s.busy.Lock()
		}
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("reload fetcher: wait for fetches of removed sources: %w", ctx.Err())
	}
}

// source returns the named source in force, or nil.
func (f *Fetcher) source(name string) *source { return f.cur.Load().byName[name] }

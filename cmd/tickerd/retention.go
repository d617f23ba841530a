package main

import (
	"context"
	"time"

	"tickerd/store"
)

// pruneLoop enforces the retention policy every retention.every until ctx
// is done. A reload's new policy applies from the next run. The first run
// waits a whole interval too: start-up is busy enough with the first poll,
// and a daemon restarted in a loop has nothing to prune.
func (d *daemon) pruneLoop(ctx context.Context) {
	log := d.logger.With("component", "retention")
	timer := time.NewTimer(d.cfg.Load().Retention.Every)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		r := &d.cfg.Load().Retention
		start := time.Now()
		res, err := d.store.Prune(ctx, store.Retention{MaxAge: r.MaxAge, MaxPerSource: r.MaxItemsPerSource})
		d.ops.Pruned(res.ByAge, res.ByCount, 0)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("prune", "err", err, "removed", res.ByAge+res.ByCount)
		case res.ByAge+res.ByCount > 0:
			log.Info("pruned", "max_age", res.ByAge, "max_items_per_source", res.ByCount,
				"tellings", res.Tellings, "tombstones_expired", res.Tombstones, "duration", time.Since(start))
		default:
			log.Debug("pruned", "tellings", res.Tellings, "tombstones_expired", res.Tombstones, "story_entries", res.StoryEntries, "duration", time.Since(start))
		}
		timer.Reset(r.Every)
	}
}

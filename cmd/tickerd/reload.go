package main

import (
	"context"
	"errors"
	"slices"

	"tickerd/config"
)

// reload re-reads the config file and applies it without a restart: the
// fetcher takes the new sources and options (fetches in flight finish),
// a new feed server takes the tickers, ops the source list, the pruning
// loop the retention policy. An invalid file changes nothing: its
// problems are logged, one line each as `tickerd check` prints them, and
// counted. Keys that only a restart can apply keep their running values.
func (d *daemon) reload(ctx context.Context) {
	old := d.cfg.Load()
	log := d.logger.With("config", old.Path)
	log.Info("SIGHUP: reloading the config")
	cfg, err := loadConfig(old.Path)
	if err != nil {
		d.rejectReload(err)
		return
	}
	if keys := keepRestartOnly(old, cfg); len(keys) > 0 {
		log.Warn("config reload: these keys only change on a restart; their running values stay", "keys", keys)
	}
	fe, err := d.newFeed(cfg)
	if err != nil {
		d.rejectReload(err)
		return
	}
	res, err := d.fetcher.Reload(ctx, d.fetcherOptions(cfg))
	if err != nil && ctx.Err() == nil {
		d.rejectReload(err)
		return
	}
	// From here the reload stands, even if ctx ended while the fetcher
	// waited for removed sources: the fetcher runs the new sources.
	// Live widget streams of the old server end; widgets reconnect with
	// Last-Event-ID to the new one, which replays what they missed under
	// the tickers' new definitions.
	d.feed.Swap(fe).CloseLive()
	d.ops.SetSources(opsSources(cfg))
	d.desk.SetTickers(deskTickers(cfg), fe.WidgetURL())
	d.cfg.Store(cfg)
	d.ops.Reloaded()
	log.Info("config reloaded", "sources", len(cfg.Sources), "tickers", len(cfg.Tickers),
		"added", res.Added, "removed", res.Removed, "changed", res.Changed)
	if cfg.Retention.DropRemoved && len(res.Removed) > 0 && ctx.Err() == nil {
		n, err := d.store.DropSources(ctx, res.Removed)
		d.ops.Pruned(0, 0, n)
		if err != nil {
			log.Error("drop the items of removed sources", "sources", res.Removed, "dropped", n, "err", err)
			return
		}
		log.Info("dropped the items of removed sources", "sources", res.Removed, "items", n)
	}
}

// rejectReload logs why a reload was refused and counts it.
func (d *daemon) rejectReload(err error) {
	d.ops.ReloadFailed()
	if errs, ok := errors.AsType[config.Errors](err); ok {
		for _, e := range errs {
			d.logger.Error("config reload rejected: the running config stays", "problem", e.Error())
		}
		return
	}
	d.logger.Error("config reload rejected: the running config stays", "err", err)
}

// keepRestartOnly sets in cfg the running (old) values of keys a reload
// cannot change, and names those that differed. The listener, the data file and
// the store's dedupe settings are fixed when the daemon starts; the admin
// token is held by the operator API.
func keepRestartOnly(old, cfg *config.Config) []string {
	var keys []string
	if cfg.Listen != old.Listen {
		keys, cfg.Listen = append(keys, "listen"), old.Listen
	}
	if cfg.Data != old.Data {
		keys, cfg.Data = append(keys, "data"), old.Data
	}
	if cfg.Dedupe.Window != old.Dedupe.Window || cfg.Dedupe.Similarity != old.Dedupe.Similarity ||
		!slices.Equal(cfg.Dedupe.Lexicon, old.Dedupe.Lexicon) || !slices.Equal(cfg.Dedupe.Outlets, old.Dedupe.Outlets) {
		keys, cfg.Dedupe = append(keys, "dedupe"), old.Dedupe
	}
	if cfg.AdminToken != old.AdminToken {
		keys, cfg.AdminToken = append(keys, "admin_token"), old.AdminToken
	}
	return slices.Clip(keys)
}

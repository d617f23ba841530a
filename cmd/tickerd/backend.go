package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"time"

	"tickerd/config"
	"tickerd/fetcher"
	"tickerd/match"
	"tickerd/store"
	"tickerd/store/postgres"
)

// storeDedupe is the dedupe every backend is opened with: canonical
// tokens of matcher, scored by match.Score. Both backends also pick each
// headline's keys by rarity (withRareKeys).
func storeDedupe(cfg *config.Config, matcher *match.Matcher) store.Dedupe {
	return store.Dedupe{
		Window:     cfg.Dedupe.Window,
		Threshold:  cfg.Dedupe.Similarity,
		Similarity: match.Score,
		Prefilter:  match.ScorePrefilter,
		Mask:       match.TokenMask,
		MaskFilter: match.ScoreMaskFilter,
		Story: func(it *store.Item) *store.Story {
			return fetcher.StoryOf(matcher, it.Title, it.Link, cfg.Dedupe.Similarity)
		},
	}
}

// openStore opens the backend cfg names: the PostgreSQL database of
// store:, else the bbolt file of data:. pg is the same store when it is
// PostgreSQL, for what only replicas need (leases), else nil.
func openStore(cfg *config.Config, matcher *match.Matcher, logger *slog.Logger) (st store.Backend, pg *postgres.Store, err error) {
	if cfg.Store == "" {
		s, err := store.Open(cfg.Data, storeOptions(cfg, matcher, logger, time.Second))
		return s, nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pg, err = postgres.Open(ctx, cfg.Store, &postgres.Options{
		Dedupe: withRareKeys(storeDedupe(cfg, matcher)),
		// Room for every fetch's lease and slot calls beside ingest
		// and the feed's reads.
		MaxConns:     int32(cfg.Fetch.Concurrency + 8),
		Logger:       logger.With("component", "store"),
		MatchVersion: matchVersion,
	})
	if err != nil {
		return nil, nil, err
	}
	return pg, pg, nil
}

// replicaID names this process among the replicas sharing a database:
// host, pid and a random part, so a restarted replica is a new holder.
func replicaID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}

// replicaOptions makes the fetcher take turns with the other replicas on
// pg: a source is fetched by the one that claims it for the interval,
// and per_host holds across them all. A lease outlasts a whole fetch
// (request timeout and the store's write) unless the interval is
// shorter; then it is most of the interval, so a dead replica's sources
// are taken over at their next tick.
//
// A host slot guards the requests to a host; a dead replica's comes back
// a moment after the longest request could have lasted.
func replicaOptions(opts *fetcher.Options, pg *postgres.Store, id string, logger *slog.Logger) {
	timeout := cmp.Or(opts.Timeout, fetcher.DefaultTimeout)
	fetchTime := timeout + 10*time.Second
	opts.Claim = func(ctx context.Context, source string, interval time.Duration) (func(), bool) {
		lease := min(fetchTime, interval*9/10)
		ok, err := pg.Claim(ctx, source, id, interval, lease)
		if err != nil {
			// The database is away: nobody can store a fetch now.
			logger.Warn("claim source", "source", source, "err", err)
			return nil, false
		}
		if !ok {
			return nil, false
		}
		// Not released: the lease is shorter than the part of the
		// interval in which nobody may claim the source again anyway.
		return func() {}, true
	}
	opts.HostSlot = func(ctx context.Context, host string, perHost int) (func(), error) {
		return pg.HostSlot(ctx, host, id, perHost, timeout+2*time.Second)
	}
}

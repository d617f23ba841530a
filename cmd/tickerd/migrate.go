package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"tickerd/config"
	"tickerd/match"
	"tickerd/store"
	"tickerd/store/postgres"
)

// migrateBatch is how many records one Import writes.
const migrateBatch = 500

// transferStore is a store migrate can read or write.
type transferStore interface {
	store.Transfer
	Close() error
}

// openTransfer opens where as migrate's source or target: a postgres://
// URL or a bbolt file (read-only as a source, so a daemon's lock on it
// is respected).
func openTransfer(ctx context.Context, cfg *config.Config, matcher *match.Matcher, logger *slog.Logger, where string, source bool) (transferStore, error) {
	if strings.HasPrefix(where, "postgres://") || strings.HasPrefix(where, "postgresql://") {
		return postgres.Open(ctx, where, &postgres.Options{Dedupe: withRareKeys(storeDedupe(cfg, matcher)), Logger: logger, MatchVersion: matchVersion})
	}
	opts := storeOptions(cfg, matcher, logger, time.Second)
	opts.ReadOnly = source
	return store.Open(where, opts)
}

// cmdMigrate copies every record of FROM into TO in batches, printing
// progress; a second run copies only what the first did not.
func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, logger, pos, err := setupN("migrate", args, stderr, 2)
	if err != nil {
		return err
	}
	matcher, err := newMatcher(cfg)
	if err != nil {
		return err
	}
	from, to := pos[0], pos[1]
	src, err := openTransfer(ctx, cfg, matcher, logger, from, true)
	if err != nil {
		return fmt.Errorf("migrate: open %s: %w", postgres.Redact(from), err)
	}
	defer src.Close()
	dst, err := openTransfer(ctx, cfg, matcher, logger, to, false)
	if err != nil {
		return fmt.Errorf("migrate: open %s: %w", postgres.Redact(to), err)
	}
	var read, wrote, states int
	batch := make([]store.Record, 0, migrateBatch)
	flush := func() error {
		n, err := dst.Import(ctx, batch)
		if err != nil {
			return err
		}
		wrote += n
		batch = batch[:0]
		fmt.Fprintf(stdout, "migrate: %d records read, %d copied\n", read, wrote)
		return nil
	}
	err = src.Export(ctx, func(r store.Record) error {
		read++
		if r.State != nil {
			states++
		}
		batch = append(batch, r)
		if len(batch) == migrateBatch {
			return flush()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = flush()
	}
	if cerr := dst.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("migrate %s to %s: %w (run it again to copy the rest)", postgres.Redact(from), postgres.Redact(to), err)
	}
	fmt.Fprintf(stdout, "migrate: done: %d items, stories and desk records copied, %d already in %s; %d source states written\n", wrote, read-states-wrote, postgres.Redact(to), states)
	return nil
}

package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Claim asks whether replica holder may fetch source now, several
// replicas sharing the database: it may when no live lease is held on it
// and no fetch began under one less than interval ago (less a tenth, so
// replicas whose schedules tick a moment apart do not fetch twice). On
// success holder holds the lease until lease has passed or Release, and
// the source's state is read again from the database, since another
// replica may have fetched it last. Times are the database's, so the
// replicas' clocks need not agree.
func (s *Store) Claim(ctx context.Context, source, holder string, interval, lease time.Duration) (bool, error) {
	if _, err := s.pool.Exec(ctx, `INSERT INTO leases (source) VALUES ($1) ON CONFLICT DO NOTHING`, source); err != nil {
		return false, fmt.Errorf("claim %s: %w", source, err)
	}
	ok := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var free bool
		err := tx.QueryRow(ctx, `SELECT (expires IS NULL OR expires < now() OR holder = $2)
				AND (fetched IS NULL OR fetched <= now() - $3::bigint * interval '1 microsecond')
			FROM leases WHERE source = $1 FOR UPDATE SKIP LOCKED`,
			source, holder, (interval - interval/10).Microseconds()).Scan(&free)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // another replica is deciding right now
		}
		if err != nil || !free {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE leases SET holder = $2, expires = now() + $3::bigint * interval '1 microsecond', fetched = now() WHERE source = $1`, source, holder, lease.Microseconds())
		ok = err == nil
		return err
	})
	if err != nil {
		return false, fmt.Errorf("claim %s: %w", source, err)
	}
	if ok {
		if _, _, err := s.ReloadState(ctx, source); err != nil {
			s.Release(context.WithoutCancel(ctx), source, holder)
			return false, err
		}
	}
	return ok, nil
}

// Release gives up holder's lease on source after its fetch, so that a
// source fetched on demand is not held until the lease expires. The
// interval since the fetch began still keeps the others off.
func (s *Store) Release(ctx context.Context, source, holder string) error {
	_, err := s.pool.Exec(ctx, `UPDATE leases SET holder = NULL, expires = NULL WHERE source = $1 AND holder = $2`, source, holder)
	if err != nil {
		return fmt.Errorf("release %s: %w", source, err)
	}
	return nil
}

// HostSlot waits until holder holds one of perHost slots for host, shared
// by every replica, and returns the function that gives it back. A slot
// not given back (its replica died) frees itself after lease. It polls
// while all are taken, at most every half second, until ctx is done.
func (s *Store) HostSlot(ctx context.Context, host, holder string, perHost int, lease time.Duration) (release func(), err error) {
	if _, err := s.pool.Exec(ctx, `INSERT INTO host_slots (host, slot) SELECT $1, g FROM generate_series(0, $2 - 1) AS g ON CONFLICT DO NOTHING`, host, perHost); err != nil {
		return nil, fmt.Errorf("host slot for %s: %w", host, err)
	}
	wait := 20 * time.Millisecond
	for {
		var slot int
		err := s.pool.QueryRow(ctx, `UPDATE host_slots SET holder = $3, expires = now() + $4::bigint * interval '1 microsecond'
			WHERE (host, slot) = (SELECT host, slot FROM host_slots
				WHERE host = $1 AND slot < $2 AND (expires IS NULL OR expires < now())
				ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
			RETURNING slot`, host, perHost, holder, lease.Microseconds()).Scan(&slot)
		if err == nil {
			return func() {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				s.pool.Exec(ctx, `UPDATE host_slots SET holder = NULL, expires = NULL WHERE host = $1 AND slot = $2 AND holder = $3`, host, slot, holder)
			}, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return nil, fmt.Errorf("host slot for %s: %w", host, err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		wait = min(wait*2, 500*time.Millisecond)
	}
}

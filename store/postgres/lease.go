package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tickerd/store"
)

// Claim asks whether replica holder may fetch source now, several
// replicas sharing the database: it may when no live lease is held on it
// and no fetch began under one less than interval ago (less a tenth, so
// replicas whose schedules tick a moment apart do not fetch twice). On
// success holder holds the lease until lease has passed (or Release), and
// the source's state is taken from the database, since another replica
// may have fetched it last. The lease row is taken with FOR UPDATE SKIP
// LOCKED: a replica deciding about the same source at that moment makes
// the others pass at once. Times are the database's, so the replicas'
// clocks need not agree. It costs one round trip once the source's row
// exists.
//
// With lease at most 9/10 of interval, as cmd/tickerd sets it, nobody
// else could claim the source before the lease ends anyway, so the
// holder need not release it.
func (s *Store) Claim(ctx context.Context, source, holder string, interval, lease time.Duration) (bool, error) {
	if _, known := s.leaseRows.Load(source); !known {
		if _, err := s.pool.Exec(ctx, `INSERT INTO leases (source) VALUES ($1) ON CONFLICT DO NOTHING`, source); err != nil {
			return false, fmt.Errorf("claim %s: %w", source, err)
		}
		s.leaseRows.Store(source, true)
	}
	var data []byte
	var items *int
	err := s.pool.QueryRow(ctx, `UPDATE leases SET holder = $2,
			expires = now() + $4::bigint * interval '1 microsecond', fetched = now()
		WHERE source = (SELECT source FROM leases WHERE source = $1
			AND (expires IS NULL OR expires < now() OR holder = $2)
			AND (fetched IS NULL OR fetched <= now() - $3::bigint * interval '1 microsecond')
			FOR UPDATE SKIP LOCKED)
		RETURNING (SELECT data FROM sources WHERE name = $1), (SELECT items FROM sources WHERE name = $1)`,
		source, holder, (interval-interval/10).Microseconds(), lease.Microseconds()).Scan(&data, &items)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("claim %s: %w", source, err)
	}
	if data != nil {
		var st store.SourceState
		if err := json.Unmarshal(data, &st); err != nil {
			return true, fmt.Errorf("claim %s: decode its state: %w", source, err)
		}
		if items != nil {
			st.Items = *items
		}
		s.mu.Lock()
		if !s.dirty[source] {
			s.states[source] = st
		}
		s.mu.Unlock()
	}
	return true, nil
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
	if n, _ := s.slotRows.Load(host); n == nil || n.(int) < perHost {
		if _, err := s.pool.Exec(ctx, `INSERT INTO host_slots (host, slot) SELECT $1, g FROM generate_series(0, $2 - 1) AS g ON CONFLICT DO NOTHING`, host, perHost); err != nil {
			return nil, fmt.Errorf("host slot for %s: %w", host, err)
		}
		s.slotRows.Store(host, perHost)
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

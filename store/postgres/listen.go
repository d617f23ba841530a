package postgres

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"tickerd/store"
)

// listen follows other replicas' commits until ctx is done: it LISTENs on
// its own connection and moves Version to each NOTIFY's sequence number.
// After every (re)connect it reads the last sequence number too, so a
// notification missed while disconnected is caught up at once; readers
// then fetch what they missed with Changes.
func (s *Store) listen(ctx context.Context) {
	defer close(s.done)
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := s.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		s.listenErr.Store(&err)
		s.logger.Warn("listen for changes", "err", err, "retry_in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

func (s *Store) listenOnce(ctx context.Context) error {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	conn, err := pgx.ConnectConfig(cctx, s.cfg.ConnConfig)
	cancel()
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+Channel); err != nil {
		return err
	}
	var last, at int64
	if err := conn.QueryRow(ctx, `SELECT last, at FROM seq`).Scan(&last, &at); err != nil {
		return err
	}
	s.listenErr.Store(nil)
	if err := s.refreshStates(ctx, conn); err != nil {
		return err
	}
	s.noteChange(uint64(last), at)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		seq, at, ok := parsePayload(n.Payload)
		// Gather the notifications of a burst (a poll cycle commits many
		// feeds at once), then read the states once for all of them.
		for {
			wctx, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
			n, err := conn.WaitForNotification(wctx)
			cancel()
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				if !conn.PgConn().IsClosed() {
					break // the burst is over
				}
				return err
			}
			if s2, a2, ok2 := parsePayload(n.Payload); ok2 && s2 > seq {
				seq, at, ok = s2, a2, true
			}
		}
		if !ok {
			continue
		}
		// States first: the feeds rendered on hearing of the change show
		// the sources as the replica that fetched them left them (their
		// URLs and titles), as every other replica does.
		if err := s.refreshStates(ctx, conn); err != nil {
			return err
		}
		s.noteChange(seq, at)
	}
}

// parsePayload reads a NOTIFY payload: "seq at".
func parsePayload(p string) (seq uint64, at int64, ok bool) {
	seqText, atText, _ := strings.Cut(p, " ")
	seq, err1 := strconv.ParseUint(seqText, 10, 64)
	at, err2 := strconv.ParseInt(atText, 10, 64)
	return seq, at, err1 == nil && err2 == nil
}

// refreshStates reads every source's state, as the replicas that fetched
// them wrote them; a state this replica marked and has not written yet
// keeps its own fields.
func (s *Store) refreshStates(ctx context.Context, conn *pgx.Conn) error {
	read, err := s.readStates(ctx, conn)
	if err != nil {
		return err
	}
	s.applyStates(read)
	return nil
}

// statesRead is the sources table as one query read it, and the drop
// epoch before the query ran.
type statesRead struct {
	epoch uint64
	rows  []stateRow
}

type stateRow struct {
	name  string
	data  []byte
	items int
}

func (s *Store) readStates(ctx context.Context, conn *pgx.Conn) (statesRead, error) {
	// A source dropped after this point may still be in what the query
	// reads (its drop not yet committed when the query ran): applyStates
	// leaves such rows out. Drops committed before it are the table's truth.
	s.mu.Lock()
	out := statesRead{epoch: s.epoch}
	s.mu.Unlock()
	rows, err := conn.Query(ctx, `SELECT name, data, items FROM sources`)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var r stateRow
		if err := rows.Scan(&r.name, &r.data, &r.items); err != nil {
			return out, err
		}
		out.rows = append(out.rows, r)
	}
	return out, rows.Err()
}

func (s *Store) applyStates(read statesRead) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, at := range s.dropped {
		if at <= read.epoch {
			delete(s.dropped, name) // the query saw the drop committed
		}
	}
	for _, r := range read.rows {
		if _, ok := s.dropped[r.name]; ok {
			continue
		}
		st := s.states[r.name]
		if !s.dirty[r.name] {
			var db store.SourceState
			if json.Unmarshal(r.data, &db) != nil {
				continue
			}
			st = db
		}
		st.Items = r.items
		s.states[r.name] = st
	}
}

package postgres

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
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
	s.noteChange(uint64(last), at)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		seqText, atText, _ := strings.Cut(n.Payload, " ")
		seq, err1 := strconv.ParseUint(seqText, 10, 64)
		at, err2 := strconv.ParseInt(atText, 10, 64)
		if err1 == nil && err2 == nil {
			s.noteChange(seq, at)
		}
	}
}

package postgres

import (
	"context"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"
)

// backupTables are the tables Backup copies, in an order a restore can
// load them in.
var backupTables = []string{"tickerd_schema", "seq", "sources", "items", "ids", "bysrc", "told", "tombs", "story_forms", "story_keys", "changes", "desk", "audit"}

// Backup writes a consistent copy of every tickerd table to w, read in
// one repeatable-read transaction so replicas go on writing meanwhile:
// for each table a line "-- table NAME", then its rows in COPY text
// format, ended by a line "\.". It reports the bytes written. For a
// database this size, pg_dump is the operator's tool; this is what
// /api/backup and `tickerd backup` give for either backend.
func (s *Store) Backup(ctx context.Context, w io.Writer) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return 0, fmt.Errorf("back up %s: %w", s.path, err)
	}
	defer tx.Rollback(context.Background())
	cw := &countWriter{ctx: ctx, w: w}
	for _, t := range backupTables {
		if _, err := fmt.Fprintf(cw, "-- table %s\n", t); err != nil {
			return cw.n, fmt.Errorf("back up %s: %w", s.path, err)
		}
		if _, err := tx.Conn().PgConn().CopyTo(ctx, cw, "COPY "+t+" TO STDOUT"); err != nil {
			if cerr := ctx.Err(); cerr != nil {
				err = cerr
			}
			return cw.n, fmt.Errorf("back up %s: table %s: %w", s.path, t, err)
		}
		if _, err := io.WriteString(cw, "\\.\n"); err != nil {
			return cw.n, fmt.Errorf("back up %s: %w", s.path, err)
		}
	}
	return cw.n, nil
}

// countWriter counts bytes and fails writes once ctx is done.
type countWriter struct {
	ctx context.Context
	w   io.Writer
	n   int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

package pgtest_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"tickerd/internal/pgtest"
)

// TestStopStart: a database created before Stop answers after Start.
func TestStopStart(t *testing.T) {
	ctx := context.Background()
	c := pgtest.Start(t)
	dsn := c.NewDatabase(t)
	query := func() error {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS x (n int)`)
		return err
	}
	if err := query(); err != nil {
		t.Fatal(err)
	}
	c.Stop(t)
	if err := query(); err == nil {
		t.Fatal("query succeeded with the cluster stopped")
	}
	c.Start(t)
	if err := query(); err != nil {
		t.Fatalf("after Start: %v", err)
	}
}

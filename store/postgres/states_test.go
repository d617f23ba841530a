package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"tickerd/internal/pgtest"
	"tickerd/store"
)

// TestDroppedStateStaysDropped: the listener re-reads every source's state
// when another replica commits; a read that ran before a drop committed
// must not bring the dropped source back, whichever order the read, the
// drop and the apply come in, while a source added back after its drop
// does come back.
func TestDroppedStateStaysDropped(t *testing.T) {
	ctx := context.Background()
	c := pgtest.Start(t)
	at := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	item := func(src string) store.Item {
		return store.Item{Source: src, ID: src + "1", Title: "a headline of " + src, Published: at}
	}
	for _, order := range []string{"read, drop, apply", "drop, read, apply", "drop, re-add, read, apply"} {
		t.Run(order, func(t *testing.T) {
			dsn := c.NewDatabase(t)
			s, err := Open(ctx, dsn, &Options{Now: func() time.Time { return at }})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			conn, err := pgx.Connect(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			for _, src := range []string{"gone", "kept"} {
				if _, err := s.Ingest(ctx, store.SourceState{Name: src, URL: "https://" + src + ".example/feed"}, []store.Item{item(src)}); err != nil {
					t.Fatal(err)
				}
			}
			drop := func() {
				if _, err := s.DropSources(ctx, []string{"gone"}); err != nil {
					t.Fatal(err)
				}
			}
			var read statesRead
			readNow := func() {
				if read, err = s.readStates(ctx, conn); err != nil {
					t.Fatal(err)
				}
			}
			readded := false
			switch order {
			case "read, drop, apply":
				readNow()
				drop()
			case "drop, read, apply":
				drop()
				readNow()
			case "drop, re-add, read, apply":
				drop()
				if _, err := s.Ingest(ctx, store.SourceState{Name: "gone", URL: "https://gone.example/feed"}, []store.Item{item("gone")}); err != nil {
					t.Fatal(err)
				}
				readded = true
				readNow()
			}
			s.applyStates(read)
			if _, ok := s.State("gone"); ok != readded {
				t.Errorf("state of gone known: %v, want %v", ok, readded)
			}
			if _, ok := s.State("kept"); !ok {
				t.Error("state of kept lost")
			}
		})
	}
}

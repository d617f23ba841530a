package postgres_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"tickerd/internal/pgtest"
	"tickerd/store"
	"tickerd/store/postgres"
	"tickerd/store/storetest"
)

// TestMatchVersionRebuild: a database whose story index was built under
// another match version is rebuilt when a store opens it, with a log
// line, and matches by the new rules afterwards; opened again under the
// same version it is left alone.
func TestMatchVersionRebuild(t *testing.T) {
	ctx := context.Background()
	c := pgtest.Start(t)
	dsn := c.NewDatabase(t)
	// Version 2 writes "arrest" as "detain": a headline stored under
	// version 1 keeps its old tokens in the index until it is rebuilt.
	storyV := func(v int) func(it *store.Item) *store.Story {
		return func(it *store.Item) *store.Story {
			words := strings.Fields(strings.ToLower(it.Title))
			if v == 2 {
				for i, w := range words {
					if w == "arrest" {
						words[i] = "detain"
					}
				}
			}
			return &store.Story{Title: strings.Join(words, " "), Tokens: words, Keys: words}
		}
	}
	var mu sync.Mutex
	var logs bytes.Buffer
	open := func(v int) *postgres.Store {
		d := storetest.DedupeOn
		d.Story = storyV(v)
		s, err := postgres.Open(ctx, dsn, &postgres.Options{Dedupe: d, MatchVersion: uint64(v), Now: func() time.Time { return storetest.T0 },
			Logger: slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil))})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	item := func(src, title string, v int) store.Item {
		it := storetest.Item(src, "1", title, storetest.T0)
		it.Story = storyV(v)(&it)
		return it
	}
	s := open(1)
	if _, err := s.Ingest(ctx, store.SourceState{Name: "a"}, []store.Item{item("a", "police arrest man in old city", 1)}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = open(2)
	mu.Lock()
	if !strings.Contains(logs.String(), "story index rebuilt") {
		t.Errorf("no rebuild logged:\n%s", logs.String())
	}
	logs.Reset()
	mu.Unlock()
	res, err := s.Ingest(ctx, store.SourceState{Name: "b"}, []store.Item{item("b", "police arrest man in old city", 2)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Duplicate != 1 {
		t.Errorf("the same headline after the rebuild: %+v, want a duplicate (the index kept version 1's tokens)", res)
	}
	s.Close()

	s = open(2)
	defer s.Close()
	mu.Lock()
	defer mu.Unlock()
	if strings.Contains(logs.String(), "rebuilding") {
		t.Errorf("rebuilt again under the same version:\n%s", logs.String())
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

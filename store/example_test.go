package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"tickerd/store"
)

func Example() {
	dir, _ := os.MkdirTemp("", "tickerd-example")
	defer os.RemoveAll(dir)
	s, err := store.Open(filepath.Join(dir, "tickerd.db"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()

	ctx := context.Background()
	pub := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	items := []store.Item{
		{Source: "wire", ID: "urn:1", Title: "وقف إطلاق النار يدخل حيز التنفيذ", Published: pub},
		{Source: "wire", ID: "urn:2", Title: "Markets open higher", Published: pub.Add(time.Hour)},
	}
	res, _ := s.Ingest(ctx, store.SourceState{Name: "wire"}, items)
	fmt.Println("new:", res.New)
	res, _ = s.Ingest(ctx, store.SourceState{Name: "wire"}, items)
	fmt.Println("unchanged on the next poll:", res.Unchanged)

	recent, _ := s.Recent(ctx, store.Query{Limit: 10})
	for _, it := range recent {
		fmt.Println(it.Title)
	}
	// Output:
	// new: 2
	// unchanged on the next poll: 2
	// Markets open higher
	// وقف إطلاق النار يدخل حيز التنفيذ
}

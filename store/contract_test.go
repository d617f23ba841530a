package store_test

import (
	"path/filepath"
	"testing"

	"tickerd/store"
	"tickerd/store/storetest"
)

// TestContract runs the contract every backend keeps against bbolt.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, cfg storetest.Config) (store.Backend, func(*testing.T) store.Backend) {
		path := filepath.Join(t.TempDir(), "tickerd.db")
		opts := &store.Options{Now: cfg.Now, Dedupe: cfg.Dedupe, ChangeLog: cfg.ChangeLog}
		open := func(t *testing.T) store.Backend {
			t.Helper()
			s, err := store.Open(path, opts)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
		s := open(t)
		reopen := func(t *testing.T) store.Backend {
			t.Helper()
			if err := s.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			s = open(t).(*store.Store)
			return s
		}
		return s, reopen
	})
}

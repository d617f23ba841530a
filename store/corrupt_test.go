package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenCorrupt: a file that is not bbolt, or a bbolt file cut short,
// fails Open with ErrCorrupt and the file's name, never a panic.
func TestOpenCorrupt(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	st, err := Open(good, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 500 {
		it := Item{Source: "s", ID: strings.Repeat("x", 200) + string(rune('a'+i%26)) + strings.Repeat("y", i), Title: "t"}
		if _, err := st.Ingest(t.Context(), SourceState{Name: "s"}, []Item{it}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	goodBytes, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string][]byte{
		"garbage":   bytes.Repeat([]byte("not a database\n"), 1000),
		"cut short": goodBytes[:len(goodBytes)/3],
		"one page":  goodBytes[:4096],
	}
	for name, content := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.db")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			for _, ro := range []bool{false, true} {
				st, err := Open(path, &Options{ReadOnly: ro})
				if err == nil {
					st.Close()
					t.Fatalf("Open(read-only %v) succeeded on a %s file", ro, name)
				}
				if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), path) {
					t.Errorf("Open(read-only %v) = %v, want ErrCorrupt naming the file", ro, err)
				}
			}
		})
	}
}

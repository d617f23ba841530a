package store

import (
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// compactChildEnv makes the test binary a child that compacts the file
// it names, to be killed.
const compactChildEnv = "TICKERD_TEST_COMPACT_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(compactChildEnv); path != "" {
		if _, err := Compact(path, nil); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// compactTemps lists the temporary files of compactions of path.
func compactTemps(t *testing.T, path string) []string {
	t.Helper()
	m, err := filepath.Glob(path + compactSuffix + "*")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestStaleCompactionRemoved: a compaction killed with SIGKILL leaves its
// temporary file (as large as the data file); the next process to hold
// the file's write lock, a daemon's Open or another Compact, removes it.
func TestStaleCompactionRemoved(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a large file and runs a child process")
	}
	path := filepath.Join(t.TempDir(), "tickerd.db")
	// A file large enough that compacting it takes a while: random
	// values, so nothing shrinks them.
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	val := make([]byte, 32<<10)
	for tx := range 8 {
		err := db.Update(func(tx2 *bolt.Tx) error {
			b, err := tx2.CreateBucketIfNotExists([]byte("blobs"))
			if err != nil {
				return err
			}
			for i := range 256 {
				rand.Read(val)
				if err := b.Put(fmt.Appendf(nil, "%d-%d", tx, i), val); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	// Kill the child as soon as its temporary file appears. A child that
	// finishes first leaves nothing to test: try again.
	var left []string
	for try := 0; try < 20 && len(left) == 0; try++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), compactChildEnv+"="+path)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		var err error
		killed := false
	poll:
		for {
			select {
			case err = <-done:
				break poll
			default:
			}
			if !killed && len(compactTemps(t, path)) > 0 {
				cmd.Process.Signal(syscall.SIGKILL)
				killed = true
			}
			time.Sleep(time.Millisecond)
		}
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !(ok && ws.Signaled()) && err != nil {
			t.Fatalf("compacting child: %v", err)
		}
		left = compactTemps(t, path)
	}
	if len(left) == 0 {
		t.Fatal("20 compactions finished before they could be killed")
	}
	// Another one with the same prefix, as a second killed run would leave.
	if err := os.WriteFile(path+compactSuffix+"123", []byte("partial"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A file that merely resembles one stays.
	other := path + ".compactor"
	if err := os.WriteFile(other, nil, 0o600); err != nil {
		t.Fatal(err)
	}

	s, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := compactTemps(t, path); len(got) != 0 {
		t.Errorf("after Open: temporary files %v remain", got)
	}
	s.Close()
	if _, err := os.Stat(other); err != nil {
		t.Errorf("Open removed %s: %v", other, err)
	}

	// Compact removes them too, before writing its own.
	os.WriteFile(path+compactSuffix+"456", []byte("partial"), 0o600)
	if _, err := Compact(path, nil); err != nil {
		t.Fatal(err)
	}
	if got := compactTemps(t, path); len(got) != 0 {
		t.Errorf("after Compact: temporary files %v remain", got)
	}
	// A read-only open holds no write lock and removes nothing.
	os.WriteFile(path+compactSuffix+"789", []byte("partial"), 0o600)
	ro, err := Open(path, &Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	ro.Close()
	if got := compactTemps(t, path); len(got) != 1 || !strings.HasSuffix(got[0], "789") {
		t.Errorf("after a read-only Open: %v, want the one file left", got)
	}
}

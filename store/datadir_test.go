package store

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The tests below run part of themselves in a child process (this test
// binary again, selected by an environment variable), because what they
// change is process-wide or needs another user: a file size limit, or
// dropped privileges.
const childEnv = "TICKERD_STORE_TEST_CHILD"

// runChild runs the test named name in a child copy of this binary with
// env added, and returns its output. cred, if set, runs it as that user.
func runChild(t *testing.T, name string, cred *syscall.Credential, bin string, env ...string) string {
	t.Helper()
	if bin == "" {
		bin = os.Args[0]
	}
	cmd := exec.Command(bin, "-test.run=^"+name+"$", "-test.v")
	cmd.Env = append(os.Environ(), append(env, childEnv+"="+name)...)
	if cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child %s: %v\n%s", name, err, out)
	}
	return string(out)
}

// childValue returns the value the child printed as "KEY=value".
func childValue(t *testing.T, out, key string) string {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), key+"="); ok {
			return v
		}
	}
	t.Fatalf("child printed no %s:\n%s", key, out)
	return ""
}

// bulkyItem is item n of source s with a summary that makes the file grow.
func bulkyItem(s string, n int) Item {
	return Item{Source: s, ID: fmt.Sprint(s, "-", n), Title: fmt.Sprint("Bulletin ", n, " from ", s),
		Summary: strings.Repeat(fmt.Sprint("paragraph ", n, " "), 400), Published: t0.Add(time.Duration(n) * time.Minute)}
}

// TestFullDisk: when the file system refuses to let the data file grow
// (a full disk; here a file size limit, which fails the same writes with
// EFBIG), each write fails with an error naming the file, the store keeps
// working for what fits, and the file reopens with every committed item
// and nothing else, and passes bbolt's consistency check.
func TestFullDisk(t *testing.T) {
	if os.Getenv(childEnv) == "TestFullDisk" {
		fullDiskChild(t)
		return
	}
	path := filepath.Join(t.TempDir(), "full.db")
	s, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for n := range 20 {
		if _, err := s.Ingest(context.Background(), SourceState{Name: "before"}, []Item{bulkyItem("before", n)}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}

	out := runChild(t, "TestFullDisk", nil, "", "TICKERD_FULL_PATH="+path, fmt.Sprint("TICKERD_FULL_LIMIT=", fi.Size()))
	committed, _ := strconv.Atoi(childValue(t, out, "COMMITTED"))
	if msg := childValue(t, out, "ERR"); !strings.Contains(msg, path) || !strings.Contains(msg, "file too large") {
		t.Errorf("write on a full disk failed with %q, want the file's name and the cause", msg)
	}
	t.Logf("committed %d items before the first refused write: %s", committed, childValue(t, out, "ERR"))

	s, err = Open(path, nil)
	if err != nil {
		t.Fatalf("reopen after the disk filled: %v", err)
	}
	defer s.Close()
	if err := s.db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	}); err != nil {
		t.Fatalf("bbolt check after the disk filled: %v", err)
	}
	items, err := s.Recent(context.Background(), Query{Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, it := range items {
		got[it.Source]++
	}
	if got["before"] != 20 || got["during"] != committed {
		t.Errorf("after reopening: %v items by source, want 20 before and %d committed during", got, committed)
	}
	// With room again, writing works.
	if _, err := s.Ingest(context.Background(), SourceState{Name: "after"}, []Item{bulkyItem("after", 0)}); err != nil {
		t.Errorf("write after the disk has room again: %v", err)
	}
}

// fullDiskChild lowers the file size limit to the data file's size, then
// writes until a write fails, twice, and reports what was committed.
func fullDiskChild(t *testing.T) {
	path := os.Getenv("TICKERD_FULL_PATH")
	limit, _ := strconv.ParseUint(os.Getenv("TICKERD_FULL_LIMIT"), 10, 64)
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &rl); err != nil {
		t.Fatal(err)
	}
	// A write past the limit fails with EFBIG; Go ignores the SIGXFSZ
	// that comes with it.
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: limit, Max: rl.Max}); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, nil)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	committed, failures := 0, 0
	var first error
	for n := 0; n < 2000 && failures < 2; n++ {
		_, err := s.Ingest(context.Background(), SourceState{Name: "during"}, []Item{bulkyItem("during", n)})
		if err != nil {
			first = cmp.Or(first, err)
			failures++
			continue
		}
		committed++
	}
	if first == nil {
		t.Fatalf("2000 writes under a file size limit of %d bytes all succeeded", limit)
	}
	// Close writes nothing new here; its error, if any, is reported too.
	if err := s.Close(); err != nil {
		fmt.Println("CLOSE=" + err.Error())
	}
	fmt.Printf("COMMITTED=%d\nERR=%s\n", committed, first)
}

// TestStartFullDisk: with no room even for a new file's first pages, Open
// fails with an error naming the file.
func TestStartFullDisk(t *testing.T) {
	if os.Getenv(childEnv) == "TestStartFullDisk" {
		var rl syscall.Rlimit
		if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &rl); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: 1024, Max: rl.Max}); err != nil {
			t.Fatal(err)
		}
		s, err := Open(os.Getenv("TICKERD_FULL_PATH"), nil)
		if err == nil {
			s.Close()
			t.Fatal("Open succeeded")
		}
		fmt.Println("ERR=" + err.Error())
		return
	}
	path := filepath.Join(t.TempDir(), "data", "new.db")
	out := runChild(t, "TestStartFullDisk", nil, "", "TICKERD_FULL_PATH="+path)
	msg := childValue(t, out, "ERR")
	t.Logf("Open with no room: %s", msg)
	if !strings.Contains(msg, path) || !strings.Contains(msg, "file too large") {
		t.Errorf("Open with no room = %q, want the file's name and the cause", msg)
	}
	// Once there is room, the same path opens: the failed start left no
	// half-written file to be taken for a corrupt one.
	s, err := Open(path, nil)
	if err != nil {
		t.Fatalf("Open once there is room: %v", err)
	}
	s.Close()
}

// TestReadOnlyDataDir: a data folder or file the daemon may not write
// fails Open at once with an error naming the file, and leaves an
// existing file as it was. Root writes anywhere, so as root the check runs
// in a child process as nobody (uid 65534).
func TestReadOnlyDataDir(t *testing.T) {
	if os.Getenv(childEnv) == "TestReadOnlyDataDir" {
		for _, path := range strings.Split(os.Getenv("TICKERD_RO_PATHS"), ",") {
			s, err := Open(path, nil)
			if err == nil {
				s.Close()
				t.Fatalf("Open(%s) succeeded", path)
			}
			fmt.Println("ERR=" + err.Error())
		}
		return
	}
	// The child may run as another user: it must reach the folders and
	// the binary.
	dir := t.TempDir()
	for d := dir; d != os.TempDir() && d != "/"; d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	roDir := filepath.Join(dir, "ro")
	existing := filepath.Join(roDir, "existing.db")
	if err := os.MkdirAll(roDir, 0o755); err != nil {
		t.Fatal(err)
	}
	s, err := Open(existing, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Ingest(context.Background(), SourceState{Name: "s"}, []Item{bulkyItem("s", 1)}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, err := os.ReadFile(existing)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(existing, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(roDir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(roDir, 0o755) })
	fresh := filepath.Join(roDir, "new.db")
	nested := filepath.Join(roDir, "sub", "new.db")

	var cred *syscall.Credential
	bin := ""
	if os.Geteuid() == 0 {
		cred = &syscall.Credential{Uid: 65534, Gid: 65534}
		bin = filepath.Join(dir, "store.test")
		copyFile(t, os.Args[0], bin)
	}
	out := runChild(t, "TestReadOnlyDataDir", cred, bin, "TICKERD_RO_PATHS="+strings.Join([]string{existing, fresh, nested}, ","))
	var msgs []string
	for line := range strings.SplitSeq(out, "\n") {
		if m, ok := strings.CutPrefix(strings.TrimSpace(line), "ERR="); ok {
			msgs = append(msgs, m)
		}
	}
	t.Logf("errors: %q", msgs)
	if len(msgs) != 3 {
		t.Fatalf("child reported %d errors, want 3:\n%s", len(msgs), out)
	}
	for i, path := range []string{existing, fresh, nested} {
		if !strings.Contains(msgs[i], path) && !strings.Contains(msgs[i], filepath.Dir(path)) || !strings.Contains(msgs[i], "permission denied") {
			t.Errorf("Open(%s) on a read-only folder = %q, want the path and the cause", path, msgs[i])
		}
	}
	after, err := os.ReadFile(existing)
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != string(before) {
		t.Errorf("a failed Open changed the existing data file")
	}
	if _, err := os.Stat(fresh); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed Open left %s behind: %v", fresh, err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

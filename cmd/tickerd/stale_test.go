package main

import (
	"bytes"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"tickerd/store"
)

// TestStaleBackupPartialRemoved: `tickerd backup OUT` killed with SIGKILL
// halfway through a download leaves .OUT.partial-*; the next backup to
// OUT removes it, but not the partial file of a backup still running.
func TestStaleBackupPartialRemoved(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	bin := buildTickerd(t)
	dir := t.TempDir()
	// A "daemon" that holds the data file and sends the first bytes of a
	// backup, then nothing until the client goes.
	ln := listen(t)
	sent := make(chan struct{}, 1)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(bytes.Repeat([]byte("x"), 64<<10))
		w.(http.Flusher).Flush()
		select {
		case sent <- struct{}{}:
		default:
		}
		<-r.Context().Done()
	})}
	go srv.Serve(ln)
	defer srv.Close()
	cfgPath := opsConfig(t, dir, ln.Addr().String(), "http://127.0.0.1:1", "admin_token: "+testAdminToken+"\n")
	st, err := store.Open(filepath.Join(dir, "data", "test.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "backup.db")
	cmd := exec.Command(bin, "backup", "-config", cfgPath, out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-sent:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the backup never started downloading:\n%s", stderr.String())
	}
	partials := func() []string {
		m, _ := filepath.Glob(filepath.Join(dir, ".backup.db.partial-*"))
		return m
	}
	// Wait for the bytes to reach the file, then kill.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if p := partials(); len(p) == 1 {
			if fi, err := os.Stat(p[0]); err == nil && fi.Size() > 0 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no partial file with data: %v", partials())
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	stale := partials()
	if len(stale) != 1 {
		t.Fatalf("after SIGKILL: partial files %v, want one", stale)
	}

	// A backup in progress (its file locked, as a running backup holds
	// it) keeps its partial file.
	running := filepath.Join(dir, ".backup.db.partial-running")
	f, err := os.Create(running)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}

	// The next backup (from the file: the "daemon" is gone).
	srv.Close()
	st.Close()
	if _, errOut, err := runCmd(t, "backup", "-config", cfgPath, out); err != nil {
		t.Fatalf("backup: %v\n%s", err, errOut)
	}
	if _, err := os.Stat(stale[0]); !os.IsNotExist(err) {
		t.Errorf("the killed backup's partial file %s is still there (%v)", stale[0], err)
	}
	if _, err := os.Stat(running); err != nil {
		t.Errorf("the running backup's partial file was removed: %v", err)
	}
	if left := partials(); len(left) != 1 || !strings.HasSuffix(left[0], "running") {
		t.Errorf("partial files left: %v, want only the running one", left)
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("no backup written: %v", err)
	}
}

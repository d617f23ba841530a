// Package pgtest starts throwaway PostgreSQL clusters for tests, with the
// Debian server binaries (package postgresql), listening only on a unix
// socket in a private folder. A test that needs one calls Start; without
// the binaries it is skipped naming the package, and fails when the
// environment says CI=true.
//
// initdb and postgres refuse to run as root, and tests may: then the
// cluster runs as the "postgres" user (else "nobody"), in a folder made
// for it, and the test connects over the socket as the cluster's
// superuser, whoever it runs as.
package pgtest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Superuser is the cluster's superuser name.
const Superuser = "tickerd"

// Cluster is a running throwaway cluster.
type Cluster struct {
	// Dir holds the data folder and the socket.
	Dir  string
	bin  string
	cred *syscall.Credential
	dbs  atomic.Int64
}

// Bin returns the folder of the newest PostgreSQL server binaries
// installed, or "" when there are none.
func Bin() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi > vj
	})
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d
		}
	}
	return ""
}

// Start initializes and starts a cluster for t, stopped and removed at
// its end. It skips t (fails it under CI=true) when the binaries are
// missing.
func Start(t testing.TB) *Cluster {
	t.Helper()
	bin := Bin()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb); install Debian package postgresql")
		}
		t.Skip("PostgreSQL server binaries not found; install Debian package postgresql")
	}
	// Not t.TempDir: its parents are private to this user, and the
	// cluster may have to run as another.
	dir, err := os.MkdirTemp("", "tickerd-pg-")
	if err != nil {
		t.Fatal(err)
	}
	c := &Cluster{Dir: dir, bin: bin}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			u, err = user.Lookup("nobody")
		}
		if err != nil {
			t.Fatalf("running as root and no user to run PostgreSQL as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	c.run(t, "initdb", "-D", c.data(), "-U", Superuser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")
	conf := fmt.Sprintf("listen_addresses = ''\nunix_socket_directories = '%s'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 200\nshared_buffers = 32MB\n", dir)
	if err := os.WriteFile(filepath.Join(c.data(), "postgresql.auto.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	if c.cred != nil {
		os.Chown(filepath.Join(c.data(), "postgresql.auto.conf"), int(c.cred.Uid), int(c.cred.Gid))
	}
	c.Start(t)
	t.Cleanup(func() { c.stop(t, "immediate") })
	return c
}

func (c *Cluster) data() string { return filepath.Join(c.Dir, "data") }

// Start starts the cluster again after Stop.
func (c *Cluster) Start(t testing.TB) {
	t.Helper()
	c.run(t, "pg_ctl", "-D", c.data(), "-l", filepath.Join(c.Dir, "log"), "-w", "-t", "30", "start")
}

// Stop stops the cluster fast: clients are disconnected.
func (c *Cluster) Stop(t testing.TB) {
	t.Helper()
	c.stop(t, "fast")
}

func (c *Cluster) stop(t testing.TB, mode string) {
	cmd := c.command("pg_ctl", "-D", c.data(), "-m", mode, "-w", "stop")
	cmd.Run() // stopped already is fine
}

func (c *Cluster) command(prog string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(c.bin, prog), args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C", "TZ=UTC")
	cmd.Dir = c.Dir
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	return cmd
}

func (c *Cluster) run(t testing.TB, prog string, args ...string) {
	t.Helper()
	cmd := c.command(prog, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.Dir, "log"))
		t.Fatalf("%s: %v\n%s\n%s", prog, err, out.Bytes(), log)
	}
}

// DSN returns the connection string of database db as the superuser.
func (c *Cluster) DSN(db string) string {
	return fmt.Sprintf("postgres://%s@/%s?host=%s&sslmode=disable", Superuser, db, c.Dir)
}

// NewDatabase creates an empty database and returns its connection
// string. Databases are cheap; a test takes its own.
func (c *Cluster) NewDatabase(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("t%d", c.dbs.Add(1))
	var err error
	for range 50 {
		// CREATE DATABASE fails while another one copies template1.
		cmd := c.command("psql", "-h", c.Dir, "-U", Superuser, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qc", "CREATE DATABASE "+name)
		var out []byte
		if out, err = cmd.CombinedOutput(); err == nil {
			return c.DSN(name)
		}
		err = fmt.Errorf("%v: %s", err, out)
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("create database %s: %v", name, err)
	return ""
}

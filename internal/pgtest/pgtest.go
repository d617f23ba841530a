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
	"errors"
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
	if Bin() == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb); install Debian package postgresql")
		}
		t.Skip("PostgreSQL server binaries not found; install Debian package postgresql")
	}
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// New initializes and starts a cluster in a new folder, for programs
// that are not tests (tickerbench); Close stops and removes it.
func New() (*Cluster, error) {
	bin := Bin()
	if bin == "" {
		return nil, errors.New("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb); install Debian package postgresql")
	}
	// Not t.TempDir: its parents are private to this user, and the
	// cluster may have to run as another.
	dir, err := os.MkdirTemp("", "tickerd-pg-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: dir, bin: bin}
	if err := c.init(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := c.start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return c, nil
}

func (c *Cluster) init() error {
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			u, err = user.Lookup("nobody")
		}
		if err != nil {
			return fmt.Errorf("running as root and no user to run PostgreSQL as: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(c.Dir, uid, gid); err != nil {
			return err
		}
	}
	if err := os.Chmod(c.Dir, 0o755); err != nil {
		return err
	}
	if err := c.run("initdb", "-D", c.data(), "-U", Superuser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		return err
	}
	conf := fmt.Sprintf("listen_addresses = ''\nunix_socket_directories = '%s'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 200\nshared_buffers = 32MB\n", c.Dir)
	path := filepath.Join(c.data(), "postgresql.auto.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		return err
	}
	if c.cred != nil {
		return os.Chown(path, int(c.cred.Uid), int(c.cred.Gid))
	}
	return nil
}

func (c *Cluster) data() string { return filepath.Join(c.Dir, "data") }

// Close stops the cluster at once and removes its folder.
func (c *Cluster) Close() {
	c.command("pg_ctl", "-D", c.data(), "-m", "immediate", "-w", "stop").Run()
	os.RemoveAll(c.Dir)
}

// Start starts the cluster again after Stop.
func (c *Cluster) Start(t testing.TB) {
	t.Helper()
	if err := c.start(); err != nil {
		t.Fatal(err)
	}
}

func (c *Cluster) start() error {
	return c.run("pg_ctl", "-D", c.data(), "-l", filepath.Join(c.Dir, "log"), "-w", "-t", "30", "start")
}

// Stop stops the cluster fast: clients are disconnected.
func (c *Cluster) Stop(t testing.TB) {
	t.Helper()
	c.command("pg_ctl", "-D", c.data(), "-m", "fast", "-w", "stop").Run() // stopped already is fine
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

func (c *Cluster) run(prog string, args ...string) error {
	cmd := c.command(prog, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.Dir, "log"))
		return fmt.Errorf("%s: %v\n%s\n%s", prog, err, out.Bytes(), log)
	}
	return nil
}

// DSN returns the connection string of database db as the superuser.
func (c *Cluster) DSN(db string) string {
	return fmt.Sprintf("postgres://%s@/%s?host=%s&sslmode=disable", Superuser, db, c.Dir)
}

// NewDatabase creates an empty database and returns its connection
// string. Databases are cheap; a test takes its own.
func (c *Cluster) NewDatabase(t testing.TB) string {
	t.Helper()
	dsn, err := c.CreateDatabase()
	if err != nil {
		t.Fatal(err)
	}
	return dsn
}

// CreateDatabase is NewDatabase for programs that are not tests.
func (c *Cluster) CreateDatabase() (string, error) {
	name := fmt.Sprintf("t%d", c.dbs.Add(1))
	var err error
	for range 50 {
		// CREATE DATABASE fails while another one copies template1.
		cmd := c.command("psql", "-h", c.Dir, "-U", Superuser, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qc", "CREATE DATABASE "+name)
		var out []byte
		if out, err = cmd.CombinedOutput(); err == nil {
			return c.DSN(name), nil
		}
		err = fmt.Errorf("%v: %s", err, out)
		time.Sleep(20 * time.Millisecond)
	}
	return "", fmt.Errorf("create database %s: %w", name, err)
}

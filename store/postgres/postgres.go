// Package postgres is the PostgreSQL backend of package store: the same
// contract as the bbolt file (store/storetest checks both), for several
// tickerd replicas sharing one database. It is the only package that
// imports pgx.
//
// Writes that change items (Ingest, Prune, DropSources) run one at a time
// across every replica: each takes a transaction-scoped advisory lock
// first, then does its dedupe lookups inside the transaction, so two
// replicas ingesting the same story at the same moment end with one
// story, as two feeds ingested one after another would. The lock also
// makes change-log sequence numbers commit in order, so a reader that saw
// sequence n has seen every change before it. A commit that logged changes
// sends NOTIFY with its last sequence number; every replica LISTENs and
// moves its Version, which wakes its live clients (see listen.go).
//
// Schema migrations are embedded and applied by Open (migrate.go).
package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"tickerd/store"
)

// Options configures Open. A nil *Options means the defaults.
type Options struct {
	// Now replaces time.Now, for tests.
	Now func() time.Time
	// Dedupe configures cross-source dedupe, as store.Options.Dedupe.
	Dedupe store.Dedupe
	// ChangeLog is how many changes the change log keeps; zero means
	// 10,000.
	ChangeLog int
	// MaxConns bounds the connection pool; zero means 8.
	MaxConns int32
	// Logger receives the listener's reconnects; nil discards them.
	Logger *slog.Logger
	// MatchVersion identifies the canonical pipeline and key rule of
	// Dedupe (as store.Options.MatchVersion); when the database's index
	// was built under another, Open rebuilds it. Zero never rebuilds.
	MatchVersion uint64
}

// PasswordEnv names the environment variable Open takes the password
// from when the URL has none and PGPASSWORD is not set.
const PasswordEnv = "TICKERD_PG_PASSWORD"

// Channel is the LISTEN/NOTIFY channel changes are announced on.
const Channel = "tickerd_changes"

// Advisory lock keys (arbitrary, fixed: every replica must agree).
const (
	lockMigrate = 0x7469636b_0001 // "tick" 1: schema migrations
	lockWrite   = 0x7469636b_0002 // writes to items and the change log
)

const defaultChangeLog = 10000

// Store is an open PostgreSQL database. Its methods are safe for
// concurrent use.
type Store struct {
	pool      *pgxpool.Pool
	cfg       *pgxpool.Config
	path      string // the URL without password, for logs
	now       func() time.Time
	dedupe    store.Dedupe
	changeLog int
	logger    *slog.Logger

	version    atomic.Uint64
	lastChange atomic.Int64
	writes     atomic.Uint64

	mu      sync.Mutex // guards states, dirty, changed, epoch and dropped
	states  map[string]store.SourceState
	dirty   map[string]bool
	changed chan struct{}
	// epoch counts the sources dropped; dropped names each dropped source
	// with the epoch its drop committed at. A refresh of the states that
	// read the table before a drop committed must not bring the dropped
	// source's state back (see refreshStates).
	epoch   uint64
	dropped map[string]uint64

	// leaseRows and slotRows remember the lease rows (source → true)
	// and host slot rows (host → slots) known to exist, so a claim
	// costs one round trip.
	leaseRows, slotRows sync.Map

	// recent is what this process's ingests committed lately, for the
	// next ingest's reads made before the write lock (see recentLog).
	recent recentLog
	// groups queues ingests for the group writer (group.go).
	gmu    sync.Mutex
	groups grouper

	// listenErr is the listener's last error, nil while it listens.
	listenErr atomic.Pointer[error]
	stop      context.CancelFunc
	done      chan struct{} // closed when the listener has returned
}

// Open connects to the database at dsn (a postgres:// URL or key=value
// string), applies the schema migrations this binary holds, and starts
// listening for other replicas' changes. The password comes from the
// environment (PGPASSWORD, or TICKERD_PG_PASSWORD), never from dsn's
// file; a dsn carrying one is accepted, for tools.
func Open(ctx context.Context, dsn string, opts *Options) (*Store, error) {
	if opts == nil {
		opts = &Options{}
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse database URL %s: %w", Redact(dsn), err)
	}
	if cfg.ConnConfig.Password == "" {
		cfg.ConnConfig.Password = os.Getenv(PasswordEnv)
	}
	cfg.MaxConns = cmp.Or(opts.MaxConns, 8)
	// A database that is down must not hang a request for long.
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	s := &Store{
		cfg:       cfg,
		path:      Redact(dsn),
		now:       now,
		dedupe:    opts.Dedupe,
		changeLog: cmp.Or(max(opts.ChangeLog, 0), defaultChangeLog),
		logger:    opts.Logger,
		states:    make(map[string]store.SourceState),
		dirty:     make(map[string]bool),
		changed:   make(chan struct{}),
		done:      make(chan struct{}),
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	s.pool, err = pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", s.path, err)
	}
	if err := migrate(ctx, s.pool); err != nil {
		s.pool.Close()
		return nil, fmt.Errorf("migrate %s: %w", s.path, err)
	}
	if err := s.load(ctx); err != nil {
		s.pool.Close()
		return nil, fmt.Errorf("read %s: %w", s.path, err)
	}
	if err := s.ensureMatchVersion(ctx, opts.MatchVersion); err != nil {
		s.pool.Close()
		return nil, fmt.Errorf("%s: %w", s.path, err)
	}
	lctx, cancel := context.WithCancel(context.Background())
	s.stop = cancel
	go s.listen(lctx)
	return s, nil
}

// Redact returns dsn without its password, for logs and Path.
func Redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" {
		if u.User != nil {
			if _, ok := u.User.Password(); ok {
				u.User = url.UserPassword(u.User.Username(), "REDACTED")
			}
		}
		q := u.Query()
		if q.Has("password") {
			q.Set("password", "REDACTED")
			u.RawQuery = q.Encode()
		}
		return u.String()
	}
	var out []string
	for f := range strings.FieldsSeq(dsn) {
		if strings.HasPrefix(f, "password=") {
			f = "password=REDACTED"
		}
		out = append(out, f)
	}
	return strings.Join(out, " ")
}

// load reads every source state and the last sequence number.
func (s *Store) load(ctx context.Context) error {
	var last, at int64
	if err := s.pool.QueryRow(ctx, `SELECT last, at FROM seq`).Scan(&last, &at); err != nil {
		return err
	}
	s.version.Store(uint64(last))
	if at == 0 {
		at = s.now().UnixNano()
	}
	s.lastChange.Store(at)
	rows, err := s.pool.Query(ctx, `SELECT name, data, items FROM sources`)
	if err != nil {
		return err
	}
	states := map[string]store.SourceState{}
	for rows.Next() {
		var name string
		var data []byte
		var items int
		if err := rows.Scan(&name, &data, &items); err != nil {
			return err
		}
		var st store.SourceState
		if err := json.Unmarshal(data, &st); err != nil {
			return fmt.Errorf("source %q: %w", name, err)
		}
		st.Items = items
		states[name] = st
	}
	if err := rows.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	s.states = states
	s.mu.Unlock()
	return nil
}

// Close writes the states marked in memory, stops listening and closes
// the pool. It waits for the listener to return.
func (s *Store) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := s.flush(ctx)
	if s.stop != nil {
		s.stop()
		<-s.done
		s.stop = nil
	}
	s.pool.Close()
	return err
}

func (s *Store) flush(ctx context.Context) error {
	s.mu.Lock()
	pending := s.takeDirty()
	s.mu.Unlock()
	if len(pending) == 0 {
		return nil
	}
	err := s.write(ctx, false, func(w *writer) error { return w.putStates(pending) })
	if err != nil {
		s.remark(pending)
		return fmt.Errorf("write source states: %w", err)
	}
	return nil
}

// takeDirty returns the states marked but not written and forgets the
// marks. The caller holds s.mu.
func (s *Store) takeDirty() []store.SourceState {
	var out []store.SourceState
	for name := range s.dirty {
		out = append(out, s.states[name])
	}
	clear(s.dirty)
	return out
}

func (s *Store) remark(states []store.SourceState) {
	s.mu.Lock()
	for _, st := range states {
		s.dirty[st.Name] = true
	}
	s.mu.Unlock()
}

// Path reports the database URL, without its password.
func (s *Store) Path() string { return s.path }

// Stats reports the write transactions committed since Open.
func (s *Store) Stats() store.Stats { return store.Stats{Writes: s.writes.Load()} }

// Version reports the last change's sequence number this replica knows
// of: its own commits at once, other replicas' when their NOTIFY arrives.
func (s *Store) Version() uint64 { return s.version.Load() }

// Seq equals Version.
func (s *Store) Seq() uint64 { return s.version.Load() }

// LastChange reports when the last change was committed, by whichever
// replica: the same on every replica that knows of it.
func (s *Store) LastChange() time.Time { return time.Unix(0, s.lastChange.Load()).UTC() }

// Changed returns a channel closed at the next change to items.
func (s *Store) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// noteChange publishes a change up to seq, committed here or elsewhere
// at at (Unix nanoseconds).
func (s *Store) noteChange(seq uint64, at int64) {
	for {
		v := s.version.Load()
		if seq <= v {
			return
		}
		if s.version.CompareAndSwap(v, seq) {
			break
		}
	}
	s.lastChange.Store(at)
	s.mu.Lock()
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}

// State reports the last known state of the named source.
func (s *Store) State(name string) (store.SourceState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.states[name]
	return st, ok
}

// States reports every known source's state, sorted by name.
func (s *Store) States() []store.SourceState {
	s.mu.Lock()
	out := make([]store.SourceState, 0, len(s.states))
	for _, st := range s.states {
		out = append(out, st)
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b store.SourceState) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// ReloadState reads the named source's state from the database, for a
// replica taking the source over from another. It reports whether one
// is stored.
func (s *Store) ReloadState(ctx context.Context, name string) (store.SourceState, bool, error) {
	var data []byte
	var items int
	err := s.pool.QueryRow(ctx, `SELECT data, items FROM sources WHERE name = $1`, name).Scan(&data, &items)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.SourceState{}, false, nil
	}
	if err != nil {
		return store.SourceState{}, false, fmt.Errorf("read state of %s: %w", name, err)
	}
	var st store.SourceState
	if err := json.Unmarshal(data, &st); err != nil {
		return store.SourceState{}, false, fmt.Errorf("decode state of %s: %w", name, err)
	}
	st.Items = items
	s.mu.Lock()
	if !s.dirty[name] {
		s.states[name] = st
	}
	s.mu.Unlock()
	return st, true, nil
}

// MarkState records st in memory only, written with the next write or at
// Close. st.Items is kept from the store's own count.
func (s *Store) MarkState(st store.SourceState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st.Items = s.states[st.Name].Items
	s.states[st.Name] = st
	s.dirty[st.Name] = true
}

// SaveState writes st now, with any states marked in memory. st.Items is
// kept from the store's own count.
func (s *Store) SaveState(ctx context.Context, st store.SourceState) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if st.Name == "" {
		return errors.New("save state: source has no name")
	}
	s.mu.Lock()
	st.Items = s.states[st.Name].Items
	s.states[st.Name] = st
	delete(s.dirty, st.Name)
	pending := append(s.takeDirty(), st)
	s.mu.Unlock()
	err := s.write(ctx, false, func(w *writer) error { return w.putStates(pending) })
	if err != nil {
		s.remark(pending)
		return fmt.Errorf("save state of %s: %w", st.Name, err)
	}
	return nil
}

// Ping reports whether the database answers, for readiness checks.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("database %s: %w", s.path, err)
	}
	if p := s.listenErr.Load(); p != nil {
		return fmt.Errorf("listen for changes on %s: %w", s.path, *p)
	}
	return nil
}

var _ store.Backend = (*Store)(nil)

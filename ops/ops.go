package ops

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"tickerd/match"
	"tickerd/store"
)

// Store is what ops reads; *store.Store implements it. Its methods must be
// safe for concurrent use.
type Store interface {
	// State reports what is known of a source.
	State(name string) (store.SourceState, bool)
	// Path reports the data file, whose size is a metric.
	Path() string
	// Backup writes a consistent copy of the data file to w.
	Backup(ctx context.Context, w io.Writer) (int64, error)
}

// Pinger is implemented by a store on a database server (PostgreSQL),
// which can go away while the daemon runs: /readyz and /metrics then say
// so, while the daemon goes on serving what it rendered.
type Pinger interface {
	// Ping reports why the database cannot be used now, or nil.
	Ping(ctx context.Context) error
}

// pingTimeout bounds a readiness or metrics check of the database.
const pingTimeout = 2 * time.Second

// ping checks the store when it is a Pinger; nil otherwise.
func (o *Ops) ping() error {
	p, ok := o.st.(Pinger)
	if !ok {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), pingTimeout)
	defer cancel()
	return p.Ping(ctx)
}

// Source is a configured source as operators see it.
type Source struct {
	Name     string
	URL      string
	Schedule string // the effective one: the source's own or the global schedule
	Tags     []string
	// Title and SiteURL come from the OPML outline the source was read
	// from, if any; /opml prefers what the feed itself says.
	Title, SiteURL string
	// PrivateParams names query parameters of URL whose values are never
	// shown, beside store.SecretParams.
	PrivateParams []string
}

// Options configures an Ops. A nil *Options means the defaults.
type Options struct {
	// Sources are the configured sources, in config order. SetSources
	// replaces them on a reload.
	Sources []Source
	// AdminToken guards /api/backup; empty disables it.
	AdminToken string
	// Version and Revision label tickerd_build_info.
	Version, Revision string
	// BackupTimeout bounds one /api/backup response; default 30m. A read
	// transaction stays open as long as the copy runs, and pages freed
	// meanwhile cannot be reused, so a stalled client must not hold one
	// forever.
	BackupTimeout time.Duration
	// Explain answers /api/match: why two headlines are, or are not, one
	// story, as the daemon's dedupe sees it. Nil answers 501.
	Explain func(a, b string) match.Explanation
}

// Ops holds the metrics and serves the operator endpoints. Its methods are
// safe for concurrent use.
type Ops struct {
	st            Store
	log           *slog.Logger
	token         []byte // empty: backups disabled
	backupTimeout time.Duration
	explain       explainFunc
	metrics       *metrics
	ready         atomic.Bool
	readyWhy      atomic.Pointer[string] // why not ready, for /readyz

	mu      sync.Mutex // guards sources
	sources []Source
}

// New returns an Ops reading st. logger may be nil to discard logs.
func New(st Store, opts *Options, logger *slog.Logger) *Ops {
	var o Options
	if opts != nil {
		o = *opts
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if o.BackupTimeout <= 0 {
		o.BackupTimeout = 30 * time.Minute
	}
	ops := &Ops{
		st:            st,
		log:           logger.With("component", "ops"),
		token:         []byte(o.AdminToken),
		backupTimeout: o.BackupTimeout,
		explain:       o.Explain,
		sources:       slices.Clone(o.Sources),
	}
	ops.metrics = newMetrics(ops, o.Version, o.Revision)
	why := "first poll cycle not finished"
	ops.readyWhy.Store(&why)
	return ops
}

// SetSources replaces the configured sources, after a config reload.
func (o *Ops) SetSources(sources []Source) {
	o.mu.Lock()
	o.sources = slices.Clone(sources)
	o.mu.Unlock()
}

func (o *Ops) sourceList() []Source {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.sources
}

// SetReady makes /readyz answer 200; SetNotReady makes it answer 503 with
// why. An Ops starts not ready: the caller, which opened the store, calls
// SetReady once the first poll cycle is over, and SetNotReady when it
// begins to shut down.
func (o *Ops) SetReady() { o.ready.Store(true) }

// SetNotReady makes /readyz answer 503 saying why.
func (o *Ops) SetNotReady(why string) {
	o.readyWhy.Store(&why)
	o.ready.Store(false)
}

// Register adds the operator routes to mux:
//
//	GET /metrics      Prometheus text format
//	GET /readyz       200 once ready, else 503 saying why
//	GET /api/sources  JSON: the state of every configured source
//	GET /api/backup   the data file, with Authorization: Bearer TOKEN
//	GET /opml         the sources as an OPML subscription list
//	POST /api/split   undo a merge: {"source", "id"}, with the admin token
//	GET|POST /api/match  why two headlines merge (a, b), with the admin token
func (o *Ops) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /opml", o.serveOPML)
	mux.Handle("GET /metrics", o.metrics.handler())
	mux.HandleFunc("GET /readyz", o.serveReady)
	mux.HandleFunc("GET /api/sources", o.serveSources)
	mux.HandleFunc("GET /api/backup", o.serveBackup)
	mux.HandleFunc("POST /api/split", o.serveSplit)
	mux.HandleFunc("GET /api/match", o.serveMatch)
	mux.HandleFunc("POST /api/match", o.serveMatch)
}

func (o *Ops) serveReady(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	if !o.ready.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "not ready: "+*o.readyWhy.Load()+"\n")
		return
	}
	if err := o.ping(); err != nil {
		// Still ready: the rendered feeds are served from memory, stale
		// but whole, which beats taking every replica out of a load
		// balancer while the database is away.
		h.Set("X-Tickerd-Degraded", "store")
		io.WriteString(w, "ready, degraded: store: "+err.Error()+"\n")
		return
	}
	io.WriteString(w, "ready\n")
}

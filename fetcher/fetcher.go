package fetcher

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/robfig/cron/v3"

	"tickerd/match"
	"tickerd/store"
)

// Store is what the fetcher needs from the store; *store.Store implements
// it. Implementations must be safe for concurrent use.
type Store interface {
	// Ingest stores one fetched feed's items and the source's new state in
	// one write.
	Ingest(ctx context.Context, st store.SourceState, items []store.Item) (store.IngestResult, error)
	// SaveState writes a source's state now.
	SaveState(ctx context.Context, st store.SourceState) error
	// MarkState records a source's state in memory, to be written later.
	MarkState(st store.SourceState)
	// State reports a source's last known state.
	State(name string) (store.SourceState, bool)
}

// Source is one feed to poll.
type Source struct {
	Name string // unique; the store and the logs know the source by it
	// URL is absolute: http://, https:// or file:// (a local file, read
	// with the same limits as a response body).
	URL string
	// Schedule is a cron spec as CheckSchedule accepts; "" means
	// Options.Schedule.
	Schedule string
	Tags     []string // carried for callers; the fetcher does not use them
	Lang     string   // overrides the feed's own language when set
	// PrivateParams names query parameters of URL whose values are
	// secrets beyond store.SecretParams: logs and recorded errors hide
	// them, as they hide user information.
	PrivateParams []string
	// IntervalMin and IntervalMax override Options' bounds of an adaptive
	// source's interval; zero: Options'.
	IntervalMin, IntervalMax time.Duration
}

// Options configures a Fetcher. A nil *Options or a zero field means the
// default.
type Options struct {
	// Schedule is the cron spec of sources without their own; default
	// "@every 5m". Specs run in UTC unless they start with CRON_TZ=.
	Schedule string
	Sources  []Source
	// Concurrency bounds fetches in flight over all sources; default 16.
	Concurrency int
	// PerHost bounds fetches in flight to one host name; default 2.
	PerHost int
	// Timeout bounds one whole request, body included; default 30s.
	// Connecting and the TLS handshake get at most 10s of it, waiting for
	// response headers at most 20s.
	Timeout time.Duration
	// MaxBody bounds a body after decompression, in bytes; default 10 MiB.
	MaxBody int64
	// UserAgent is sent with every request; default "tickerd".
	UserAgent string
	// Similarity is the near-duplicate threshold the store dedupes with
	// (config dedupe.similarity); items carry index keys built for it. Zero
	// gives keys for exact matches only.
	Similarity float64
	// Matcher is the canonical pipeline items' stories are built with
	// (see StoryOf); nil means match.Default().
	Matcher *match.Matcher
	// MaxItems is the most items one fetch hands to the store, the newest
	// by published date; default 200.
	MaxItems int
	// MaxBackoff caps the wait between scheduled attempts of a failing
	// source, and how long a Retry-After can hold one; default 6h.
	MaxBackoff time.Duration
	// OnResult, when set, is called with the Result of every fetch of a
	// configured source (scheduled or asked for, skipped ones included),
	// from the goroutine that fetched, after the store was written. It must
	// be quick and safe for concurrent use; metrics are its purpose.
	OnResult func(Result)
	// Claim, when set, is asked before each scheduled fetch whether this
	// daemon may fetch the source now; the fetch runs only if it may, and
	// release is called after it. Replicas sharing one PostgreSQL store
	// take turns through it, so each source is fetched once per interval
	// (the source's schedule period) by one of them. Fetch and FetchAll
	// do not ask: they are for an operator who wants the fetch now.
	Claim func(ctx context.Context, source string, interval time.Duration) (release func(), ok bool)
	// HostSlot, when set, is called once a fetch holds this daemon's own
	// slot for host (PerHost), and must wait for one of PerHost slots
	// shared with other replicas, so the cap holds for all of them
	// together. Files have no host and do not ask.
	HostSlot func(ctx context.Context, host string, perHost int) (release func(), err error)
	// BlockPrivate refuses connections to loopback, private, link-local
	// and unspecified addresses, checked on the address being connected
	// (after DNS, on every redirect), and file sources. Proxies from the
	// environment are not used then: the check must see the source's own
	// address.
	BlockPrivate bool
	// IntervalMin and IntervalMax bound the interval of sources polled
	// with AdaptiveSchedule; defaults 1m and 2h.
	IntervalMin, IntervalMax time.Duration
	// Now is the clock plans are made with (next attempts, intervals,
	// Retry-After, leases); nil means time.Now. Tests inject one.
	Now func() time.Time
	// WebSub configures subscribing to sources' hubs; off without a
	// CallbackBase.
	WebSub WebSub
}

// Defaults for zero Options fields.
const (
	DefaultSchedule    = "@every 5m"
	DefaultConcurrency = 16
	DefaultPerHost     = 2
	DefaultTimeout     = 30 * time.Second
	DefaultMaxBody     = 10 << 20
	DefaultUserAgent   = "tickerd"
	DefaultMaxItems    = 200
	DefaultMaxBackoff  = 6 * time.Hour
)

// storeTimeout bounds a store call made for a fetch. It is separate from
// the request timeout, which may be spent by the time the store is called.
const storeTimeout = 10 * time.Second

// Status says what a fetch did.
type Status string

// Statuses of a Result.
const (
	StatusNew         Status = "new"          // at least one item was new
	StatusUpdated     Status = "updated"      // no new items, at least one changed in place
	StatusUnchanged   Status = "unchanged"    // parsed nothing new, or the body was byte-identical to the last one
	StatusNotModified Status = "not_modified" // the server answered 304
	StatusFailed      Status = "error"        // see Result.Err (StatusError is the type of HTTP status errors)
	// StatusSkipped means the source was being fetched already (by the
	// schedule, or another Fetch call), so this call did nothing. It is an
	// outcome, not an error: Result.Err is nil.
	StatusSkipped Status = "skipped"
)

// Result is the outcome of fetching one source.
type Result struct {
	Source                  string
	Status                  Status
	New, Updated, Unchanged int   // items, as the store counted them
	Duplicate               int   // new items that told a story already stored
	Err                     error // non-nil exactly when Status is StatusFailed
	// Degraded is set when the body was not well-formed XML and its items
	// were read from a repaired copy: the first fault and where it is.
	Degraded *XMLError
	// Duration is the time spent fetching, parsing and storing, not the
	// wait for a free slot before.
	Duration time.Duration
	// Bytes is the size of the body received, after decompression; zero
	// for a 304 and for failures before a whole body arrived.
	Bytes int64
}

// StatusError is returned (wrapped) when a server answers with a status
// other than 2xx, or with a 304 to a request that was not conditional.
type StatusError struct {
	Code int
	// RetryAfter is how long the server asked us to wait (Retry-After),
	// capped at 6h; zero when it did not say.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	if text := http.StatusText(e.Code); text != "" {
		return fmt.Sprintf("status %d %s", e.Code, text)
	}
	return fmt.Sprintf("status %d", e.Code)
}

// ErrUnknownSource is returned (wrapped) by Fetch for a name that is not
// among Options.Sources.
var ErrUnknownSource = errors.New("unknown source")

// ErrBodyTooLarge is matched (errors.Is) by the error of a fetch whose body
// exceeds Options.MaxBody.
var ErrBodyTooLarge = errors.New("body too large")

type sizeError struct {
	limit        int64
	decompressed bool // the limit was reached decompressing
}

func (e *sizeError) Error() string {
	if e.decompressed {
		return fmt.Sprintf("body exceeds %d bytes after decompression (fetch.max_body)", e.limit)
	}
	return fmt.Sprintf("body exceeds %d bytes (fetch.max_body)", e.limit)
}

func (e *sizeError) Is(target error) bool { return target == ErrBodyTooLarge }

// Fetcher polls feeds and writes what they carry into a Store. Its methods
// are safe for concurrent use.
type Fetcher struct {
	store Store
	log   *slog.Logger
	// cur holds the sources and options in force; Reload swaps it. A fetch
	// keeps the generation it started with (through its source) to the end.
	cur     atomic.Pointer[generation]
	reload  chan struct{} // wakes Run to reschedule after a Reload
	running atomic.Bool   // a Run is in progress
	// polled is closed when a Run has finished its first poll of every
	// source; polledOnce guards the close.
	polled     chan struct{}
	polledOnce sync.Once
	// privateKind classifies addresses for BlockPrivate; set in New,
	// replaced only by tests before any fetch.
	privateKind func(netip.Addr) string

	reloadMu sync.Mutex // serializes Reload calls

	mu         sync.Mutex           // guards retryAfter and hostHold
	retryAfter map[string]time.Time // source name → no scheduled fetch before
	// hostHold is set by a 429 or 503 with Retry-After: no scheduled fetch
	// of any source on that host (name as in hostSlots) before the time.
	hostHold map[string]time.Time

	subs subs // WebSub subscriptions
	// wg counts the requests to hubs in the background; Run waits for
	// them when it stops, and WaitWebSub for tests.
	wg sync.WaitGroup
}

// generation is one set of sources and options with what was built from
// them. It is never changed after it is made current.
type generation struct {
	opts    Options
	sources []*source          // in config order
	byName  map[string]*source // read-only
	slots   chan struct{}      // one token per fetch in flight
	// hostSlots holds one token per fetch in flight to a host, for every
	// host the sources name.
	hostSlots map[string]chan struct{}
	// movedSlots does the same for hosts no source names but one was
	// permanently redirected to; made on first use, guarded by movedMu.
	movedMu    sync.Mutex
	movedSlots map[string]chan struct{}
	client     *http.Client
	conv       *converter
	// parseBudget bounds the bytes parsed at once to one largest body.
	parseBudget *byteBudget
}

// source is a Source with what New derived from it.
type source struct {
	Source
	url      *url.URL
	redacted string // URL as store.RedactURL publishes it, for logs and errors
	// secrets are the literal credentials in URL (user, password, secret
	// parameter values), cut from error text before it is recorded: an
	// error of net/http quotes the URL it was given.
	secrets []string
	host    string // key of hostSlots; "" for files
	path    string // for file URLs
	sched   cron.Schedule
	// adaptive is set for AdaptiveSchedule: sched is then a tick, and a
	// fetch happens at the tick that finds the planned time come.
	adaptive bool
	g        *generation // the generation the source belongs to
	// busy is held for the whole of a fetch of this source. It is shared
	// by the source's versions across reloads, so an old and a new version
	// never fetch at once. Fetches only TryLock it: a source never waits
	// for itself, it skips. Reload locks a removed source's for good.
	busy *sync.Mutex
}

// New returns a Fetcher for the sources in opts, writing into st. It
// validates every source and schedule, and reports all problems at once.
// logger may be nil to discard logs.
func New(st Store, opts *Options, logger *slog.Logger) (*Fetcher, error) {
	if st == nil {
		return nil, errors.New("fetcher: no store")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	f := &Fetcher{
		store:       st,
		log:         logger.With("component", "fetcher"),
		reload:      make(chan struct{}, 1),
		retryAfter:  make(map[string]time.Time),
		hostHold:    make(map[string]time.Time),
		polled:      make(chan struct{}),
		privateKind: privateKind,
		subs: subs{bySource: map[string]*subscription{}, unsubscribe: map[string]*subscription{},
			inflight: map[string]bool{}, reading: make(chan struct{}, maxPushesReading)},
	}
	g, err := f.newGeneration(opts, nil)
	if err != nil {
		return nil, err
	}
	// A Retry-After outlives a restart through the stored plan.
	now := g.opts.Now()
	for _, s := range g.sources {
		if st, ok := st.State(s.Name); ok && st.URL == s.URL && st.NextReason == store.NextRetryAfter && st.NextAttempt.After(now) {
			f.retryAfter[s.Name] = st.NextAttempt.Add(-backoffSlack)
		}
	}
	f.cur.Store(g)
	f.loadSubs(g)
	return f, nil
}

// newGeneration validates opts and builds what fetching needs from them,
// reporting every problem at once. What prev built for the same settings
// is reused: per-source locks, fetch slots, the HTTP client and its
// connections, so a reload keeps the limits in force across fetches
// already in flight.
func (f *Fetcher) newGeneration(opts *Options, prev *generation) (*generation, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	o.Schedule = cmp.Or(strings.TrimSpace(o.Schedule), DefaultSchedule)
	o.Concurrency = cmp.Or(o.Concurrency, DefaultConcurrency)
	o.PerHost = cmp.Or(o.PerHost, DefaultPerHost)
	o.Timeout = cmp.Or(o.Timeout, DefaultTimeout)
	o.MaxBody = cmp.Or(o.MaxBody, DefaultMaxBody)
	o.UserAgent = cmp.Or(o.UserAgent, DefaultUserAgent)
	o.MaxItems = cmp.Or(o.MaxItems, DefaultMaxItems)
	o.MaxBackoff = cmp.Or(o.MaxBackoff, DefaultMaxBackoff)
	o.IntervalMin = cmp.Or(o.IntervalMin, DefaultIntervalMin)
	o.IntervalMax = cmp.Or(o.IntervalMax, max(DefaultIntervalMax, o.IntervalMin))
	if o.Now == nil {
		o.Now = time.Now
	}
	o.WebSub.Lease = cmp.Or(o.WebSub.Lease, DefaultWebSubLease)

	var errs []error
	if o.Concurrency < 0 {
		errs = append(errs, fmt.Errorf("concurrency %d: must be positive", o.Concurrency))
	}
	if o.PerHost < 0 {
		errs = append(errs, fmt.Errorf("per-host limit %d: must be positive", o.PerHost))
	}
	if o.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout %s: must be positive", o.Timeout))
	}
	if o.MaxBody < 0 {
		errs = append(errs, fmt.Errorf("max body %d: must be positive", o.MaxBody))
	}
	if o.MaxItems < 0 {
		errs = append(errs, fmt.Errorf("max items %d: must be positive", o.MaxItems))
	}
	if o.IntervalMin < time.Second {
		errs = append(errs, fmt.Errorf("interval_min %s: must be at least 1s", o.IntervalMin))
	}
	if o.IntervalMax < o.IntervalMin {
		errs = append(errs, fmt.Errorf("interval_max %s: must not be shorter than interval_min %s", o.IntervalMax, o.IntervalMin))
	}
	if o.MaxBackoff < 0 {
		errs = append(errs, fmt.Errorf("max backoff %s: must be positive", o.MaxBackoff))
	}
	global, err := parseSchedule(o.Schedule)
	if err != nil {
		errs = append(errs, err)
	}

	g := &generation{
		opts:      o,
		byName:    make(map[string]*source, len(o.Sources)),
		hostSlots: make(map[string]chan struct{}),
	}
	samePerHost := prev != nil && prev.opts.PerHost == o.PerHost
	g.movedSlots = make(map[string]chan struct{})
	if samePerHost {
		prev.movedMu.Lock()
		maps.Copy(g.movedSlots, prev.movedSlots)
		prev.movedMu.Unlock()
	}
	for _, src := range o.Sources {
		s, err := newSource(src, global)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if g.byName[s.Name] != nil {
			errs = append(errs, fmt.Errorf("source %q: name used twice", s.Name))
			continue
		}
		s.busy = &sync.Mutex{}
		if prev != nil && prev.byName[s.Name] != nil {
			s.busy = prev.byName[s.Name].busy
		}
		g.byName[s.Name] = s
		g.sources = append(g.sources, s)
		if s.host != "" && g.hostSlots[s.host] == nil {
			if samePerHost && prev.hostSlots[s.host] != nil {
				g.hostSlots[s.host] = prev.hostSlots[s.host]
			} else {
				g.hostSlots[s.host] = make(chan struct{}, max(o.PerHost, 1))
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for _, s := range g.sources {
		s.g = g
		if s.adaptive {
			s.sched = adaptiveTick(s.bounds().lo)
		}
	}
	if prev != nil && prev.opts.Concurrency == o.Concurrency {
		g.slots = prev.slots
	} else {
		g.slots = make(chan struct{}, o.Concurrency)
	}
	if prev != nil && prev.opts.MaxBody == o.MaxBody {
		g.parseBudget = prev.parseBudget
	} else {
		g.parseBudget = newByteBudget(o.MaxBody)
	}
	if prev != nil && prev.opts.Timeout == o.Timeout && prev.opts.PerHost == o.PerHost && prev.opts.BlockPrivate == o.BlockPrivate {
		g.client = prev.client
	} else {
		g.client = f.newClient(&o)
	}
	g.conv = newConverter(o.Similarity, o.MaxItems)
	if o.Matcher != nil {
		g.conv.matcher = o.Matcher
	}
	return g, nil
}

func newSource(src Source, global cron.Schedule) (*source, error) {
	src.Name = strings.TrimSpace(src.Name)
	if src.Name == "" {
		return nil, fmt.Errorf("source with URL %q: no name", src.URL)
	}
	u, err := url.Parse(src.URL)
	if err != nil {
		return nil, fmt.Errorf("source %q: %w", src.Name, err)
	}
	s := &source{Source: src, url: u, redacted: store.RedactURL(src.URL, src.PrivateParams), secrets: urlSecrets(u, src.PrivateParams), sched: global}
	switch u.Scheme {
	case "http", "https":
		if u.Host == "" {
			return nil, fmt.Errorf("source %q: URL %q has no host", src.Name, s.redacted)
		}
		s.host = strings.ToLower(u.Hostname())
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return nil, fmt.Errorf("source %q: file URL %q names host %q; only local files can be read", src.Name, src.URL, u.Host)
		}
		if u.Path == "" {
			return nil, fmt.Errorf("source %q: file URL %q has no path", src.Name, src.URL)
		}
		s.path = u.Path
	default:
		return nil, fmt.Errorf("source %q: URL %q is not http, https or file", src.Name, s.redacted)
	}
	if strings.TrimSpace(src.Schedule) != "" {
		if s.sched, err = parseSchedule(src.Schedule); err != nil {
			return nil, fmt.Errorf("source %q: %w", src.Name, err)
		}
	}
	if src.IntervalMin < 0 || (src.IntervalMin > 0 && src.IntervalMin < time.Second) {
		return nil, fmt.Errorf("source %q: interval_min %s: must be at least 1s", src.Name, src.IntervalMin)
	}
	if src.IntervalMax < 0 || (src.IntervalMax > 0 && src.IntervalMin > src.IntervalMax) {
		return nil, fmt.Errorf("source %q: interval_max %s: must not be shorter than interval_min %s", src.Name, src.IntervalMax, src.IntervalMin)
	}
	_, s.adaptive = s.sched.(adaptiveMarker)
	return s, nil
}

// newClient builds the one HTTP client every fetch shares, so connections
// to a host are reused across sources and polls.
func (f *Fetcher) newClient(o *Options) *http.Client {
	dialer := &net.Dialer{Timeout: min(o.Timeout, 10*time.Second), KeepAlive: 30 * time.Second}
	proxy := http.ProxyFromEnvironment
	if o.BlockPrivate {
		dialer.Control = controlConn(func(a netip.Addr) string { return f.privateKind(a) })
		proxy = nil
	}
	tr := &http.Transport{
		Proxy:                  proxy,
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    min(o.Timeout, 10*time.Second),
		ResponseHeaderTimeout:  min(o.Timeout, 20*time.Second),
		ExpectContinueTimeout:  time.Second,
		IdleConnTimeout:        90 * time.Second,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    o.PerHost,
		MaxResponseHeaderBytes: 64 << 10,
		// Compression stays on: the transport asks for gzip and
		// decompresses, and readBody caps what comes out.
	}
	return &http.Client{Transport: tr, Timeout: o.Timeout, CheckRedirect: checkRedirect}
}

// Fetch fetches the named source now, whatever its schedule and backoff,
// and stores what changed. If the source is being fetched already it
// returns at once with StatusSkipped. It waits for a free slot (Options
// Concurrency and PerHost) as long as ctx allows; Duration does not count
// that wait.
func (f *Fetcher) Fetch(ctx context.Context, name string) Result {
	s := f.cur.Load().byName[name]
	if s == nil {
		return Result{Source: name, Status: StatusFailed, Err: fmt.Errorf("fetch %q: %w", name, ErrUnknownSource)}
	}
	return f.fetch(ctx, s)
}

// FetchAll fetches every source once, concurrently within the limits, and
// returns their results in config order.
func (f *Fetcher) FetchAll(ctx context.Context) []Result {
	g := f.cur.Load()
	sources := g.sources
	results := make([]Result, len(sources))
	// One queue per host, worked by as many goroutines as the host has
	// slots (files, which take none, by as many as there are global
	// slots). Each fetch still takes its host slot and then a global one,
	// so no global slot waits on a busy host; but a cycle of 10,000
	// sources on one host runs 16 goroutines, not 10,000 that each grow
	// a stack to wait in line (figure 3a, all 304: 1.4-1.7 times the
	// bare client's cycle with a goroutine per source, 1.2-1.3 so).
	queues := map[string][]int{}
	var hosts []string
	for i, s := range sources {
		h := f.requestHost(s)
		if _, ok := queues[h]; !ok {
			hosts = append(hosts, h)
		}
		queues[h] = append(queues[h], i)
	}
	var wg sync.WaitGroup
	for _, h := range hosts {
		q := queues[h]
		workers := max(g.opts.PerHost, 1)
		if h == "" {
			workers = max(g.opts.Concurrency, 1)
		}
		var next atomic.Int64
		for range min(workers, len(q)) {
			wg.Go(func() {
				for {
					i := next.Add(1) - 1
					if i >= int64(len(q)) {
						return
					}
					results[q[i]] = f.fetch(ctx, sources[q[i]])
				}
			})
		}
	}
	wg.Wait()
	return results
}

func (f *Fetcher) fetch(ctx context.Context, s *source) (res Result) {
	if on := s.g.opts.OnResult; on != nil {
		// Deferred first, so it runs last: after Duration is set and a
		// panic turned into a Result.
		defer func() { on(res) }()
	}
	if !s.busy.TryLock() {
		f.log.Debug("fetch skipped: already running", "source", s.Name)
		return Result{Source: s.Name, Status: StatusSkipped}
	}
	defer s.busy.Unlock()
	log := f.log.With("source", s.Name)

	release, err := f.acquire(ctx, s, f.requestHost(s))
	if err != nil {
		return Result{Source: s.Name, Status: StatusFailed, Err: fmt.Errorf("wait for a fetch slot: %w", err)}
	}
	defer release()

	start := time.Now()
	defer func() {
		// A bug of ours must cost one fetch, not the daemon.
		if r := recover(); r != nil {
			log.Error("fetch panicked", "panic", r)
			res = Result{Source: s.Name, Status: StatusFailed, Err: fmt.Errorf("fetch %s: internal error: %v", s.Name, r)}
		}
		res.Duration = time.Since(start)
	}()
	return f.fetchSlot(ctx, s, log)
}

// requestHost is the host a fetch of s will ask: the one it was
// permanently redirected to, if any, else its own ("" for files). Sources
// that moved to one host share that host's slots, whatever hosts they were
// configured with. A redirect followed within one fetch still counts
// against the host the fetch started with.
func (f *Fetcher) requestHost(s *source) string {
	st, ok := f.store.State(s.Name)
	if !ok || st.URL != s.URL || st.RedirectURL == "" {
		return s.host
	}
	u, err := url.Parse(st.RedirectURL)
	if err != nil || u.Host == "" {
		return s.host
	}
	return strings.ToLower(u.Hostname())
}

// hostSlot returns the slots of host, nil for "" (files).
func (g *generation) hostSlot(host string) chan struct{} {
	if host == "" {
		return nil
	}
	if c := g.hostSlots[host]; c != nil {
		return c
	}
	g.movedMu.Lock()
	defer g.movedMu.Unlock()
	c := g.movedSlots[host]
	if c == nil {
		c = make(chan struct{}, max(g.opts.PerHost, 1))
		g.movedSlots[host] = c
	}
	return c
}

// acquire waits for a slot for host (none for files) and then a global
// one. The host slot comes first so that a fetch stuck behind a busy host
// holds none of the global slots other hosts could use.
func (f *Fetcher) acquire(ctx context.Context, s *source, host string) (release func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	slots, hostSlots := s.g.slots, s.g.hostSlot(host)
	if hostSlots != nil {
		select {
		case hostSlots <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	var shared func()
	if hs := s.g.opts.HostSlot; hs != nil && hostSlots != nil {
		var err error
		if shared, err = hs(ctx, host, max(s.g.opts.PerHost, 1)); err != nil {
			<-hostSlots
			return nil, err
		}
	}
	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		if shared != nil {
			shared()
		}
		if hostSlots != nil {
			<-hostSlots
		}
		return nil, ctx.Err()
	}
	return func() {
		<-slots
		if shared != nil {
			shared()
		}
		if hostSlots != nil {
			<-hostSlots
		}
	}, nil
}

// fetchSlot does the fetch proper, once the source's lock and slots are
// held.
func (f *Fetcher) fetchSlot(ctx context.Context, s *source, log *slog.Logger) Result {
	prev, _ := f.store.State(s.Name)
	st := prev
	st.Name = s.Name
	if prev.URL != s.URL {
		// Validators, body hash, failures and redirects describe another URL.
		st.URL, st.ETag, st.LastModified, st.BodyHash, st.Failures = s.URL, "", "", "", 0
		st.RedirectURL, st.Alternate, st.Degraded = "", "", ""
	}
	began := s.g.opts.Now() // time.Now keeps the monotonic reading that UTC() drops
	st.LastAttempt = began.UTC()
	target := cmp.Or(st.RedirectURL, s.URL)

	rctx, cancel := context.WithTimeout(ctx, s.g.opts.Timeout)
	defer cancel()
	resp, err := f.get(rctx, s, target, &st)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			err = fmt.Errorf("no complete response within %s: %w", s.g.opts.Timeout, err)
		}
		if se, ok := errors.AsType[*StatusError](err); ok && st.RedirectURL != "" &&
			(se.Code == http.StatusNotFound || se.Code == http.StatusGone) {
			// The address the source moved to is gone: try the
			// configured one next time, in case it moved again.
			log.Warn("forgetting permanent redirect", "url", s.redacted, "redirect", store.RedactURL(st.RedirectURL, s.PrivateParams), "status", se.Code)
			st.RedirectURL = ""
		}
		return f.fail(ctx, log, s, st, err)
	}
	st.Alternate = ""
	f.followRedirect(log, s, target, resp, &st)
	if resp.notModified {
		// A 304 may carry fresher validators; it need not repeat them.
		st.ETag = cmp.Or(resp.etag, st.ETag)
		st.LastModified = cmp.Or(resp.lastModified, st.LastModified)
		return f.succeedQuietly(ctx, log, s, prev, st, StatusNotModified, "not_modified", began, resp)
	}
	sum := sha256.Sum256(resp.body)
	hash := hex.EncodeToString(sum[:])
	if hash == st.BodyHash {
		st.ETag, st.LastModified = resp.etag, resp.lastModified
		res := f.succeedQuietly(ctx, log, s, prev, st, StatusUnchanged, "unchanged", began, resp)
		res.Bytes = int64(len(resp.body))
		return res
	}

	in := inbound{body: resp.body, hash: hash, contentType: resp.contentType, etag: resp.etag, lastModified: resp.lastModified,
		base: documentBase(s.url, resp.url, resp.contentLocation), maxAge: resp.maxAge, expires: resp.expires, links: resp.links}
	return f.ingestBody(ctx, rctx, log, s, st, in, began)
}

// inbound is a feed body that arrived for a source, with what came with
// it: where the line after "get" starts. A fetch makes one; a pushed body
// (WebSub) would make another.
type inbound struct {
	body               []byte // as received, after any Content-Encoding
	hash               string // hex SHA-256 of body
	contentType        string // the Content-Type header; "" for none
	etag, lastModified string // validators for the next conditional GET
	// base is what relative URLs resolve against when the document gives
	// no xml:base: its Content-Location, else the URL it came from.
	base *url.URL
	// maxAge and expires are the cache headers' freshness (see
	// cacheHints), links the HTTP Link header; none for a push.
	maxAge, expires time.Duration
	links           []string
	// pushed marks a WebSub delivery: it plans no fetch.
	pushed bool
}

// documentBase is the last base of a document's relative URLs: its
// Content-Location (resolved against the URL it came from), else that URL,
// else the configured one.
func documentBase(configured, from *url.URL, contentLocation string) *url.URL {
	base := configured
	if from != nil {
		base = from
	}
	if cl := strings.TrimSpace(contentLocation); cl != "" {
		if u, err := base.Parse(cl); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			return u
		}
	}
	return base
}

// ingestBody takes a body through the rest of the line: decode (charset,
// DTD entities) → parse, repairing a body that is not well-formed XML →
// convert to store items → plan (the source's new state and next
// attempt) → ingest (items and state in one store write). Each step
// returns its own error; the first one ends the line as the source's
// failure. rctx bounds the steps
// that can run long on hostile input (waiting to parse, repair); ctx is
// the caller's, for recording the outcome.
func (f *Fetcher) ingestBody(ctx, rctx context.Context, log *slog.Logger, s *source, st store.SourceState, in inbound, began time.Time) Result {
	size := int64(len(in.body))
	body, from := decodeBody(in.body, in.contentType, int(s.g.opts.MaxBody))
	feed, degraded, err := f.parseBody(rctx, s, body)
	if err != nil {
		if nf, ok := errors.AsType[*NotFeedError](err); ok {
			if nf.HTML {
				nf.Alternate = alternateFeed(body, in.base)
			}
			st.Alternate = nf.Alternate
		}
		res := f.fail(ctx, log, s, st, err)
		res.Bytes = size
		return res
	}
	info, items, err := s.g.conv.convertFeed(feed, &s.Source, in.base)
	if err != nil {
		res := f.fail(ctx, log, s, st, &phaseError{KindParseError, err})
		res.Bytes = size
		return res
	}
	if in.pushed {
		// A delivery is no fetch: validators, hash and plan stay.
		f.mergeSub(&st)
	} else {
		f.discovered(ctx, s, &st, info, in)
		f.plan(log, s, &st, in, info, degraded, items, began)
	}
	ir, err := f.ingest(ctx, st, items)
	if err != nil {
		// The store failing is not the source's fault: an operator must act.
		log.Error("store fetched items", "err", err)
		return Result{Source: s.Name, Status: StatusFailed, Err: err, Bytes: size}
	}
	res := Result{Source: s.Name, Status: StatusUnchanged, New: ir.New, Updated: ir.Updated, Unchanged: ir.Unchanged, Duplicate: ir.Duplicate,
		Bytes: size, Degraded: degraded}
	switch {
	case ir.New > 0 || ir.Duplicate > 0:
		res.Status = StatusNew
	case ir.Updated > 0:
		res.Status = StatusUpdated
	}
	level := slog.LevelDebug
	if res.Status != StatusUnchanged {
		level = slog.LevelInfo
	}
	log.Log(ctx, level, "fetched", "status", res.Status, "new", ir.New, "updated", ir.Updated,
		"unchanged", ir.Unchanged, "duplicate", ir.Duplicate, "charset", from, "duration", time.Since(began))
	return res
}

// plan is the plan step: it records in st what the fetch learned (the
// feed's title, link and language, validators and hash, success, whether
// the body needed repair) and when the next attempt will be, for the
// ingest step to write with the items.
func (f *Fetcher) plan(log *slog.Logger, s *source, st *store.SourceState, in inbound, info feedInfo, degraded *XMLError, items []store.Item, began time.Time) {
	st.Title, st.Link, st.Lang = info.Title, info.Link, info.Lang
	// Validators and hash are only kept once the body was understood:
	// kept for a broken body, they would turn its next poll into a 304 or
	// an "unchanged" and hide the error.
	st.ETag, st.LastModified, st.BodyHash = in.etag, in.lastModified, in.hash
	st.LastSuccess, st.LastStatus, st.LastError, st.Failures = st.LastAttempt, "ok", "", 0
	st.Degraded = ""
	f.mergeSub(st)
	if degraded != nil {
		st.LastStatus, st.Degraded = "degraded", degraded.Error()
		log.Warn("feed is not well-formed XML; read it repaired", "line", degraded.Line, "column", degraded.Column,
			"err", degraded.Msg, "items", len(items))
	}
	f.forgetRetryAfter(s)
	if s.adaptive {
		h := pollHints{maxAge: in.maxAge, expires: in.expires}
		h.ttl, h.update, h.updateText = info.ttl, info.update, info.updateText
		f.planAdaptive(s, st, began, true, publishedDates(items), h)
	}
	f.planNext(s, st, began)
}

// parseBody is the parse step: gofeed on the decoded body within the
// parse budget, and when that fails on a body that is not well-formed XML,
// the repair step and one more parse. degraded is the first XML error of
// a body read after repair.
func (f *Fetcher) parseBody(ctx context.Context, s *source, body []byte) (feed *gofeed.Feed, degraded *XMLError, err error) {
	release, err := s.g.parseBudget.acquire(ctx, int64(len(body)))
	if err != nil {
		return nil, nil, fmt.Errorf("wait to parse: %w", err)
	}
	defer release()
	feed, degraded, err = s.g.conv.read(ctx, body, int(s.g.opts.MaxBody))
	if err != nil {
		return nil, nil, &phaseError{KindParseError, err}
	}
	return feed, degraded, nil
}

// ingest is the ingest step: one store write of the items and the state.
func (f *Fetcher) ingest(ctx context.Context, st store.SourceState, items []store.Item) (store.IngestResult, error) {
	sctx, cancel := storeContext(ctx)
	defer cancel()
	ir, err := f.store.Ingest(sctx, st, items)
	if err != nil {
		return ir, &phaseError{KindStoreError, err}
	}
	return ir, nil
}

// succeedQuietly records a fetch that brought nothing to parse. Only times
// changed, so the state is marked in memory, which costs no write, unless
// the state changed in a way worth writing at once: an error cleared, or a
// new URL.
func (f *Fetcher) succeedQuietly(ctx context.Context, log *slog.Logger, s *source, prev, st store.SourceState,
	status Status, lastStatus string, began time.Time, resp response) Result {
	if st.Degraded != "" {
		// The body in force is still the one that needed repair.
		lastStatus = "degraded"
	}
	st.LastSuccess, st.LastStatus, st.LastError, st.Failures = st.LastAttempt, lastStatus, "", 0
	f.mergeSub(&st)
	f.forgetRetryAfter(s)
	if s.adaptive {
		f.planAdaptive(s, &st, began, false, nil, pollHints{maxAge: resp.maxAge, expires: resp.expires})
	}
	f.planNext(s, &st, began)
	if prev.LastStatus == "error" || prev.URL != st.URL || prev.NextReason != st.NextReason || prev.IntervalReason != st.IntervalReason || prev.WebSub != st.WebSub ||
		prev.RedirectURL != st.RedirectURL || prev.Alternate != st.Alternate {
		sctx, cancel := storeContext(ctx)
		defer cancel()
		if err := f.store.SaveState(sctx, st); err != nil {
			log.Error("save source state", "err", err)
		}
	} else {
		f.store.MarkState(st)
	}
	log.Debug("fetched", "status", status, "duration", time.Since(began))
	return Result{Source: s.Name, Status: status}
}

// followRedirect remembers where a fetch of target ended when every
// redirect on the way was permanent (301 or 308), so that the next fetch
// goes there directly. Temporary redirects are followed and forgotten.
func (f *Fetcher) followRedirect(log *slog.Logger, s *source, target string, resp response, st *store.SourceState) {
	if !resp.permanent || resp.url == nil {
		return
	}
	to := resp.url.String()
	if to == target {
		return
	}
	log.Info("permanent redirect: fetching the new URL from now on; update the config",
		"url", s.redacted, "from", store.RedactURL(target, s.PrivateParams), "to", s.redactURL(resp.url))
	st.RedirectURL = to
	if to == s.URL {
		st.RedirectURL = ""
	}
}

// forgetRetryAfter drops a Retry-After once the source answers again, and
// the hold on its host: the server is answering.
func (f *Fetcher) forgetRetryAfter(s *source) {
	f.mu.Lock()
	delete(f.retryAfter, s.Name)
	delete(f.hostHold, s.host)
	f.mu.Unlock()
}

// fail records err as the source's last error. When ctx is done the daemon
// is stopping (or the caller gave up): that is no fault of the source and
// is not recorded.
func (f *Fetcher) fail(ctx context.Context, log *slog.Logger, s *source, st store.SourceState, err error) Result {
	err = s.scrubErr(err)
	res := Result{Source: s.Name, Status: StatusFailed, Err: err}
	if ctx.Err() != nil {
		log.Debug("fetch canceled", "err", err)
		return res
	}
	st.LastStatus, st.LastError = "error", err.Error()
	st.Failures++
	f.mergeSub(&st)
	began := st.LastAttempt
	hostWide := false
	if se, ok := errors.AsType[*StatusError](err); ok && se.RetryAfter > 0 {
		until := s.g.opts.Now().Add(min(se.RetryAfter, s.g.opts.MaxBackoff))
		// Any status may ask this source to wait; 429 and 503 speak for
		// the server, so they hold every source on the host.
		hostWide = s.host != "" && (se.Code == http.StatusTooManyRequests || se.Code == http.StatusServiceUnavailable)
		f.mu.Lock()
		f.retryAfter[s.Name] = until
		if hostWide && until.After(f.hostHold[s.host]) {
			f.hostHold[s.host] = until
		}
		f.mu.Unlock()
	}
	f.planNext(s, &st, began)
	attrs := []any{"url", s.redacted, "err", err, "failures", st.Failures,
		"next_attempt", st.NextAttempt, "next_reason", st.NextReason}
	if st.Alternate != "" {
		attrs = append(attrs, "alternate", st.Alternate)
	}
	log.Warn("fetch failed", attrs...)
	sctx, cancel := storeContext(ctx)
	defer cancel()
	if serr := f.store.SaveState(sctx, st); serr != nil {
		log.Error("save source state", "err", serr)
	}
	if hostWide {
		f.holdHost(s)
	}
	return res
}

// holdHost replans the other sources on s's host after it was told to
// wait, so that their status says so at once. A source being fetched is
// left to plan for itself when its fetch ends: marking its state here
// would race with that fetch's own write.
func (f *Fetcher) holdHost(s *source) {
	now := s.g.opts.Now()
	for _, o := range f.cur.Load().sources {
		if o == s || o.host != s.host || !o.busy.TryLock() {
			continue
		}
		if st, ok := f.store.State(o.Name); ok && st.URL == o.URL {
			f.planNext(o, &st, now)
			f.store.MarkState(st)
		}
		o.busy.Unlock()
	}
}

// storeContext bounds a store call without inheriting ctx's cancellation:
// a feed fetched and parsed as shutdown begins is still worth its one
// short write.
func storeContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
}

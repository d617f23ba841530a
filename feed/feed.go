package feed

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"tickerd/match"
	"tickerd/store"
)

// Store is what the feed package reads from the store. *store.Store
// satisfies it; tests use a fake. Every method must be safe for concurrent
// use, and Version and LastChange must be cheap: they run on every request.
type Store interface {
	// Recent returns the newest items of q's sources, newest first by
	// Item.Time.
	Recent(ctx context.Context, q store.Query) ([]store.Item, error)
	// State reports what is known about a source, and whether anything is.
	State(name string) (store.SourceState, bool)
	// Version changes whenever the stored items change.
	Version() uint64
	// LastChange reports when Version last changed.
	LastChange() time.Time
	// Seq reports the sequence number of the last change to items.
	Seq() uint64
	// Changes returns the changes after seq after, oldest first, or an
	// error wrapping store.ErrChangesTrimmed when they are no longer
	// all known.
	Changes(ctx context.Context, after uint64, limit int) ([]store.Change, error)
	// Actions returns the desk's actions in force, oldest first, each
	// with its story's item (see store.Backend).
	Actions(ctx context.Context) ([]store.Action, error)
}

// *store.Store is the Store feed is built for.
var _ Store = (*store.Store)(nil)

// Ticker is one published selection of headlines. Its zero value, given a
// Name, is a ticker of every source.
type Ticker struct {
	Name        string // unique; used in /t/{Name}.rss and in stable ids
	Title       string // default Name
	Description string // default derived from Title
	Link        string // the site the ticker belongs to; default BaseURL
	// Sources are resolved source names; empty means all sources (an empty
	// selection would publish nothing, which no configuration wants).
	Sources []string
	Limit   int // most items; zero means 50
	// Lang is the feed's language, e.g. "ar"; empty means the items'
	// shared language, if any. When set, items whose language is known
	// and differs (by primary subtag) are left out.
	Lang string
	// Include and Exclude are keywords matched with package match on
	// the title and the summary's text. With any Include (or an
	// IncludeRegex) an item must match one; an item matching an Exclude
	// (or ExcludeRegex) is left out, even if it also matches an Include.
	Include, Exclude []string
	// IncludeRegex and ExcludeRegex are Go (RE2) regular expressions
	// tried on the title and on the summary's text; empty means none.
	IncludeRegex, ExcludeRegex string
	// MaxAge leaves out items older than it; zero means no bound.
	MaxAge time.Duration
	// MaxPerSource caps the items from one source; zero means no cap.
	MaxPerSource int
	// Interleave orders items round-robin by source (the newest of each
	// source, then the second newest, …) instead of newest first.
	Interleave bool
	// TitleFormat rewrites each title, e.g. "[{source}] {title}":
	// {title} is the headline, {source} the source's name, {source_title}
	// the source feed's own title (else its name). Empty: the title alone.
	TitleFormat string
}

// Options configures a Server. A nil or zero Options means the defaults.
type Options struct {
	// BaseURL is the absolute http(s) URL the server is reached at; it
	// makes self links and the authority of stable ids. Default
	// http://localhost:8080.
	BaseURL string
	// Hub is the WebSub hub every feed announces (rel="hub", JSON Feed
	// hubs, and a Link header), an absolute http(s) URL; empty: none.
	Hub string
	// Tickers are the published tickers. The first is the default, also
	// served at /feed.rss, /feed.atom and /feed.json. Empty means one
	// ticker "main" of all sources titled "tickerd".
	Tickers []Ticker
	// MaxAge is the Cache-Control max-age of feed responses; the caller
	// ties it to the poll schedule. Zero means 60s.
	MaxAge time.Duration
	// OnRequest, when set, is called once per feed request for a known
	// ticker, after the answer is written, with the ticker's name, the
	// format ("rss", "atom" or "json") and the status sent (200, 304,
	// 400 or 503). Unknown tickers (404) are not reported, so the values are safe
	// as metric labels. It must be quick and safe for concurrent use.
	OnRequest func(ticker, format string, status int)
	// SourceTags lists every configured source with its tags, for the
	// source and tag query parameters. Nil accepts any source name in a
	// ticker of all sources and refuses every tag.
	SourceTags map[string][]string
	// PrivateParams names, per source, the query parameters of its URL
	// whose values are secrets beyond store.SecretParams. Every source URL
	// the feeds and events publish goes through store.RedactURL with them.
	PrivateParams map[string][]string
	// LiveClients bounds the event streams (GET /events/{ticker}) open
	// at once; one more gets 503. Zero means 5000.
	LiveClients int
	// Heartbeat is how often an idle event stream gets a comment line, so
	// proxies do not close it. Zero means 20s.
	Heartbeat time.Duration
	// LiveClientsPerAddr bounds the event streams one client address
	// holds at once (an IPv6 client: its /64); one more gets 429. Zero
	// means 100.
	LiveClientsPerAddr int
	// LiveMaxAge is how long an event stream stays open (less up to a
	// tenth, at random) before the server ends it; EventSource reconnects
	// and resumes with Last-Event-ID. Zero means 30 minutes.
	LiveMaxAge time.Duration
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client an event stream is counted against; from any other peer
	// the header is ignored.
	TrustedProxies []netip.Prefix
	// OnLiveClients, when set, is called with +1 when an event stream
	// opens and -1 when it closes (a gauge of live widgets). It must be
	// quick and safe for concurrent use.
	OnLiveClients func(delta int)
	// Variants bounds how many query-parameter variants (?limit=, ?q=, …)
	// are kept rendered, over all tickers and formats; zero means 256.
	Variants int
}

const (
	defaultBaseURL = "http://localhost:8080"
	defaultLimit   = 50
	defaultMaxAge  = 60 * time.Second
	// rebuildTimeout bounds one rebuild; it is detached from the request
	// that triggered it so that a client hanging up does not waste work
	// every other waiting request needs.
	rebuildTimeout = 10 * time.Second
	// retryDelay is how long a failed rebuild keeps the last good bodies
	// in service before the next request tries again, so a broken store
	// costs one failing query per delay rather than one per request.
	retryDelay = time.Second
	// defaultVariants bounds the variant cache: at about 3 × 50 KB per
	// variant body and its gzip copy, some 40 MB at most.
	defaultVariants = 256
)

// Server renders tickers and serves them over HTTP. It is safe for
// concurrent use. It renders lazily and per ticker: the first request for
// a ticker after a change that touches it (read from the store's change
// log) renders that ticker in every format, once; other tickers keep
// their bodies.
type Server struct {
	st         Store
	logger     *slog.Logger
	base       string // BaseURL without a trailing slash
	tagBase    string // "tag:host,2025:", the prefix of every id we mint
	tickers    []ticker
	byName     map[string]int
	sourceTags map[string][]string // Options.SourceTags
	private    map[string][]string // Options.PrivateParams
	hdr        staticHeaders
	mux        *http.ServeMux
	now        func() time.Time
	// onRequest is Options.OnRequest, or a no-op.
	onRequest func(ticker, format string, status int)

	// mu serializes reading the change log and rendering, so each change
	// is read once and each ticker rendered once however many requests
	// notice it, and guards gz.
	mu sync.Mutex
	gz *gzip.Writer // reused across rebuilds: a new one costs ~1 MB

	// seen is the store Seq up to which changes have been applied to gen.
	seen atomic.Uint64
	// gen counts, per ticker, the changes that touched it: bodies built
	// at another generation are stale.
	gen []atomic.Uint64
	// sets holds each ticker's bodies, nil until first built.
	sets     []atomic.Pointer[tickerSet]
	variants *lru.Cache[variantKey, *tickerSet]
	builds   atomic.Int64 // ticker and variant renders, for tests and benchmarks

	retryAt    atomic.Int64 // UnixNano before which a failed rebuild is not retried
	retryDelay time.Duration

	// Live event streams (events.go).
	live      liveHub
	liveN     atomic.Int64 // streams open
	maxLive   int
	heartbeat time.Duration
	onLive    func(delta int)
	liveDone  chan struct{} // closed by CloseLive
	liveOnce  sync.Once
	admit     streamAdmission // per-client limits and maximum age (admission.go)

	widget *asset // web/ticker.js

	desk deskState // the desk's actions in force (desk.go)
}

// ticker is a Ticker with its defaults filled, its URLs resolved and its
// selection compiled.
type ticker struct {
	Ticker
	feedID string
	self   [numFormats]string
	hub    string // WebSub hub to announce; "" for none
	// link is the Link header WebSub discovery reads, per format; nil
	// without a hub.
	link [numFormats][]string
	sel  selection
}

// tagDate is the date part of our tag: URIs (RFC 4151). It must never
// change: it is part of every feed and entry id readers have stored.
const tagDate = "2025"

// New returns a Server publishing opts' tickers from st. It reports every
// problem with opts at once. A nil logger discards logs.
func New(st Store, opts *Options, logger *slog.Logger) (*Server, error) {
	if st == nil {
		return nil, errors.New("new feed server: nil store")
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	var errs []error
	if o.BaseURL == "" {
		o.BaseURL = defaultBaseURL
	}
	base, host, err := parseBaseURL(o.BaseURL)
	if err != nil {
		errs = append(errs, err)
	}
	if o.MaxAge < 0 {
		errs = append(errs, fmt.Errorf("max age %v: negative", o.MaxAge))
	}
	if o.MaxAge == 0 {
		o.MaxAge = defaultMaxAge
	}
	if len(o.Tickers) == 0 {
		o.Tickers = []Ticker{{Name: "main", Title: "tickerd"}}
	}

	s := &Server{
		st:         st,
		logger:     logger.With("component", "feed"),
		base:       base,
		tagBase:    "tag:" + host + "," + tagDate + ":",
		byName:     make(map[string]int, len(o.Tickers)),
		now:        time.Now,
		retryDelay: retryDelay,
		onRequest:  o.OnRequest,
	}
	for i, t := range o.Tickers {
		where := fmt.Sprintf("ticker %d %q", i, t.Name)
		if _, dup := s.byName[t.Name]; dup {
			errs = append(errs, fmt.Errorf("%s: duplicate name", where))
		} else if !validName(t.Name) {
			errs = append(errs, fmt.Errorf("%s: name must be 1-64 of A-Z a-z 0-9 _ - and not start with -", where))
		}
		s.byName[t.Name] = i
		if t.Limit < 0 {
			errs = append(errs, fmt.Errorf("%s: limit %d: negative", where, t.Limit))
		}
		if t.Limit == 0 {
			t.Limit = defaultLimit
		}
		if t.Lang != "" {
			lang := langTag(t.Lang)
			if lang == "" {
				errs = append(errs, fmt.Errorf("%s: lang %q: not a language tag", where, t.Lang))
			}
			t.Lang = lang
		}
		if t.Link == "" {
			t.Link = base + "/"
		} else if httpURL(t.Link) == "" {
			errs = append(errs, fmt.Errorf("%s: link %q: not an absolute http(s) URL", where, t.Link))
		}
		t.Title = clean(strings.TrimSpace(t.Title))
		if t.Title == "" {
			t.Title = t.Name
		}
		t.Description = clean(strings.TrimSpace(t.Description))
		if t.Description == "" {
			t.Description = "Latest headlines from " + t.Title
		}
		if len(t.Sources) == 0 {
			t.Sources = nil
		} else {
			t.Sources = append([]string(nil), t.Sources...)
		}
		if t.MaxAge < 0 {
			errs = append(errs, fmt.Errorf("%s: max age %v: negative", where, t.MaxAge))
		}
		if t.MaxPerSource < 0 {
			errs = append(errs, fmt.Errorf("%s: max per source %d: negative", where, t.MaxPerSource))
		}
		rt := ticker{Ticker: t, feedID: s.tagBase + "ticker/" + t.Name, hub: o.Hub}
		sel, err := newSelection(&t)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
		}
		rt.sel = sel
		for f := range numFormats {
			if i == 0 {
				rt.self[f] = base + "/feed." + formats[f].ext
			} else {
				rt.self[f] = base + "/t/" + t.Name + "." + formats[f].ext
			}
			if o.Hub != "" {
				rt.link[f] = []string{"<" + o.Hub + `>; rel="hub", <` + rt.self[f] + `>; rel="self"`}
			}
		}
		s.tickers = append(s.tickers, rt)
	}
	if o.Hub != "" && httpURL(o.Hub) == "" {
		errs = append(errs, fmt.Errorf("hub %q: not an absolute http(s) URL", o.Hub))
	}
	if o.Variants < 0 {
		errs = append(errs, fmt.Errorf("variants %d: negative", o.Variants))
	}
	if o.Variants <= 0 {
		o.Variants = defaultVariants
	}
	if o.LiveClients < 0 {
		errs = append(errs, fmt.Errorf("live clients %d: negative", o.LiveClients))
	}
	if o.LiveClients <= 0 {
		o.LiveClients = defaultLiveClients
	}
	if o.Heartbeat < 0 {
		errs = append(errs, fmt.Errorf("heartbeat %v: negative", o.Heartbeat))
	}
	if o.Heartbeat <= 0 {
		o.Heartbeat = defaultHeartbeat
	}
	if o.LiveClientsPerAddr < 0 {
		errs = append(errs, fmt.Errorf("live clients per address %d: negative", o.LiveClientsPerAddr))
	}
	if o.LiveClientsPerAddr <= 0 {
		o.LiveClientsPerAddr = defaultLiveClientsPerAddr
	}
	if o.LiveMaxAge < 0 {
		errs = append(errs, fmt.Errorf("live max age %v: negative", o.LiveMaxAge))
	}
	if o.LiveMaxAge <= 0 {
		o.LiveMaxAge = defaultLiveMaxAge
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("invalid feed options: %w", errors.Join(errs...))
	}
	s.admit.init(&o)
	s.variants, err = lru.New[variantKey, *tickerSet](o.Variants)
	if err != nil {
		return nil, fmt.Errorf("variant cache: %w", err)
	}
	s.sourceTags, s.private = o.SourceTags, o.PrivateParams
	s.maxLive, s.heartbeat, s.onLive = o.LiveClients, o.Heartbeat, o.OnLiveClients
	s.liveDone = make(chan struct{})
	if s.widget, err = newWidget(); err != nil {
		return nil, fmt.Errorf("widget script: %w", err)
	}
	s.gen = make([]atomic.Uint64, len(s.tickers))
	s.sets = make([]atomic.Pointer[tickerSet], len(s.tickers))
	s.hdr = newStaticHeaders(o.MaxAge)
	s.mux = s.routes()
	return s, nil
}

// parseBaseURL returns u without a trailing slash, and the host name that
// makes the authority of our tag: URIs.
func parseBaseURL(s string) (base, host string, err error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", "", fmt.Errorf("base url %q: want an absolute http(s) URL without query or fragment", s)
	}
	host = strings.ToLower(u.Hostname())
	// A tag: authority is a DNS name; an IPv6 literal or odd bytes would
	// make every id unparseable, so they get a name that cannot exist.
	if !dnsName.MatchString(host) {
		host = "tickerd.invalid"
	}
	return strings.TrimRight(u.String(), "/"), host, nil
}

var (
	dnsName  = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$`)
	nameChar = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$`)
)

// newSelection compiles a ticker's selection.
func newSelection(t *Ticker) (selection, error) {
	sel := selection{
		sources:   t.Sources,
		limit:     t.Limit,
		perSource: t.MaxPerSource,
		interlv:   t.Interleave,
		maxAge:    t.MaxAge,
	}
	if t.Sources != nil {
		sel.sourceSet = make(map[string]bool, len(t.Sources))
		for _, name := range t.Sources {
			sel.sourceSet[name] = true
		}
	}
	var errs []error
	keywords := func(what string, list []string) []match.Keyword {
		var out []match.Keyword
		for _, w := range list {
			k, err := match.ParseKeyword(w)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s %q: %w", what, w, err))
				continue
			}
			out = append(out, k)
		}
		return out
	}
	sel.filter.include = keywords("include", t.Include)
	sel.filter.exclude = keywords("exclude", t.Exclude)
	re := func(what, expr string) *regexp.Regexp {
		if expr == "" {
			return nil
		}
		r, err := regexp.Compile(expr)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", what, err))
		}
		return r
	}
	sel.filter.includeRE = re("include regex", t.IncludeRegex)
	sel.filter.excludeRE = re("exclude regex", t.ExcludeRegex)
	if t.Lang != "" {
		sel.filter.lang = primaryLang(t.Lang)
	}
	return sel, errors.Join(errs...)
}

// validName reports whether name can be a ticker name. Names appear in URL
// paths and ids, so they are kept to characters that never need escaping;
// dots are out because the format is the part after the last one.
func validName(name string) bool { return nameChar.MatchString(name) }

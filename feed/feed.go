package feed

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

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
	Limit   int    // most items; zero means 50
	Lang    string // e.g. "ar"; empty means the items' shared language, if any
}

// Options configures a Server. A nil or zero Options means the defaults.
type Options struct {
	// BaseURL is the absolute http(s) URL the server is reached at; it
	// makes self links and the authority of stable ids. Default
	// http://localhost:8080.
	BaseURL string
	// Tickers are the published tickers. The first is the default, also
	// served at /feed.rss, /feed.atom and /feed.json. Empty means one
	// ticker "main" of all sources titled "tickerd".
	Tickers []Ticker
	// MaxAge is the Cache-Control max-age of feed responses; the caller
	// ties it to the poll schedule. Zero means 60s.
	MaxAge time.Duration
	// OnRequest, when set, is called once per feed request for a known
	// ticker, after the answer is written, with the ticker's name, the
	// format ("rss", "atom" or "json") and the status sent (200, 304 or
	// 503). Unknown tickers (404) are not reported, so the values are safe
	// as metric labels. It must be quick and safe for concurrent use.
	OnRequest func(ticker, format string, status int)
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
)

// Server renders tickers and serves them over HTTP. It is safe for
// concurrent use. It renders lazily: the first request after the store's
// Version changes rebuilds every ticker in every format, once.
type Server struct {
	st      Store
	logger  *slog.Logger
	base    string // BaseURL without a trailing slash
	tagBase string // "tag:host,2025:", the prefix of every id we mint
	tickers []ticker
	byName  map[string]int
	hdr     staticHeaders
	mux     *http.ServeMux
	now     func() time.Time
	// onRequest is Options.OnRequest, or a no-op.
	onRequest func(ticker, format string, status int)

	// mu serializes rebuilds, so each version is rendered once however
	// many requests notice it, and guards gz.
	mu sync.Mutex
	gz *gzip.Writer // reused across rebuilds: a new one costs ~1 MB

	cur        atomic.Pointer[rendered]
	retryAt    atomic.Int64 // UnixNano before which a failed rebuild is not retried
	retryDelay time.Duration
}

// ticker is a Ticker with its defaults filled and its URLs resolved.
type ticker struct {
	Ticker
	feedID string
	self   [numFormats]string
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
		rt := ticker{Ticker: t, feedID: s.tagBase + "ticker/" + t.Name}
		for f := range numFormats {
			if i == 0 {
				rt.self[f] = base + "/feed." + formats[f].ext
			} else {
				rt.self[f] = base + "/t/" + t.Name + "." + formats[f].ext
			}
		}
		s.tickers = append(s.tickers, rt)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("invalid feed options: %w", errors.Join(errs...))
	}
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

// validName reports whether name can be a ticker name. Names appear in URL
// paths and ids, so they are kept to characters that never need escaping;
// dots are out because the format is the part after the last one.
func validName(name string) bool { return nameChar.MatchString(name) }

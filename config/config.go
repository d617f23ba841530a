// Package config reads tickerd's config.yaml, fills in defaults and validates
// everything before the daemon starts. Every problem in a file is reported at
// once, each with file:line and the offending key, so an operator fixes a
// file in one pass. Only cmd/tickerd uses this package; it turns a Config
// into the Options of each other package.
//
// The key names are a contract with users' files: add keys, rename none.
package config

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Defaults for keys a file leaves out. README.md documents the same values.
const (
	DefaultListen            = ":8080"
	DefaultData              = "data/tickerd.db"
	DefaultBaseURL           = "http://localhost:8080"
	DefaultSchedule          = "@every 5m"
	DefaultConcurrency       = 16
	DefaultPerHost           = 2
	DefaultTimeout           = 30 * time.Second
	DefaultMaxBody           = 10 << 20
	DefaultMaxItems          = 200
	DefaultMaxBackoff        = 6 * time.Hour
	DefaultIntervalMin       = time.Minute
	DefaultIntervalMax       = 2 * time.Hour
	DefaultWebSubLease       = 24 * time.Hour
	DefaultHubSubscribers    = 1000
	DefaultHubPushRate       = 20
	DefaultMaxAge            = 720 * time.Hour
	DefaultMaxItemsPerSource = 1000
	DefaultRetentionEvery    = 10 * time.Minute
	DefaultDedupeWindow      = 48 * time.Hour
	DefaultSimilarity        = 0.8
	DefaultMaxStreams        = 5000
	DefaultHeartbeat         = 20 * time.Second
	// DefaultMaxStreamsPerClient lets an office behind one NAT address
	// keep many pages open, while a few hundred idle connections from
	// one address cannot take every stream slot.
	DefaultMaxStreamsPerClient = 100
	// DefaultStreamMaxAge closes a stream after this long; the client
	// reconnects with Last-Event-ID, so slots held by clients that died
	// without a FIN come back.
	DefaultStreamMaxAge = 30 * time.Minute
	DefaultTickerLimit  = 50
	MaxTickerLimit      = 1000
)

// Config is a validated config file with defaults filled in. Paths and
// source URLs are absolute.
type Config struct {
	// Path is the file the config was read from.
	Path   string
	Listen string
	Data   string // absolute path of the bbolt file
	// Store, when set, is the PostgreSQL database to use instead of the
	// bbolt file: a postgres:// URL without a password (that comes from
	// the environment). Several replicas may share it.
	Store     string
	BaseURL   string // without a trailing slash
	Schedule  string
	Fetch     Fetch
	Retention Retention
	Dedupe    Dedupe
	Events    Events
	WebSub    WebSub
	Sources   []Source
	// Tickers holds at least one ticker: without a tickers list in the
	// file, one ticker named "main" of all sources.
	Tickers []Ticker
	// AdminToken guards the admin endpoints (GET /api/backup); empty
	// leaves them disabled. cmd/tickerd lets TICKERD_ADMIN_TOKEN override
	// it, so the secret need not sit in the file.
	AdminToken Secret
	// TrustedProxies are the reverse proxies (nginx, a load balancer)
	// whose X-Forwarded-For is believed: a request from one of them is
	// counted against the nearest address in that header that is not
	// itself trusted. Empty: every client is its TCP peer.
	TrustedProxies []netip.Prefix
}

// MinAdminToken is the shortest admin token accepted, in bytes: the token
// guards a copy of the whole database.
const MinAdminToken = 16

// CheckAdminToken reports whether tok is long enough to be an admin token.
func CheckAdminToken(tok string) error {
	if len(tok) < MinAdminToken {
		return fmt.Errorf("is %d bytes; use at least %d random ones (for example: openssl rand -hex 32)", len(tok), MinAdminToken)
	}
	return nil
}

// Secret is a string that does not print: fmt, %v, %#v and slog show
// "[redacted]", so a config dumped into a log or an error leaks nothing.
// Convert it with string(s) where the value is needed.
type Secret string

func (s Secret) String() string { return redacted(s) }

// GoString hides the value from %#v.
func (s Secret) GoString() string { return redacted(s) }

// LogValue hides the value from slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted(s)) }

func redacted(s Secret) string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// Fetch holds the fetch: section.
type Fetch struct {
	Concurrency int
	PerHost     int
	Timeout     time.Duration
	MaxBody     int64
	UserAgent   string        // empty: cmd/tickerd builds one from the version and base_url
	MaxItems    int           // most items one fetch keeps, the newest
	MaxBackoff  time.Duration // longest wait after failures or a Retry-After
	// BlockPrivate refuses sources at loopback, private, link-local or
	// unspecified addresses, and file sources; off by default.
	BlockPrivate bool
	// IntervalMin and IntervalMax bound the interval of sources on the
	// "@adaptive" schedule.
	IntervalMin, IntervalMax time.Duration
}

// WebSub holds the websub: section: push in (subscribing to sources'
// hubs) and out (a hub for tickerd's own feeds).
type WebSub struct {
	// CallbackBase is the public URL under which hubs reach tickerd's
	// callbacks (base_url + "/websub/" usually); empty turns subscribing
	// off, as a daemon behind NAT cannot be reached.
	CallbackBase string
	// Lease is the subscription lease asked of hubs (hub.lease_seconds).
	Lease time.Duration
	// Hub is the hub announced in tickerd's own feeds: an external hub's
	// URL, or "self" for tickerd's own hub at base_url + "/hub"; empty:
	// none.
	Hub string
	// MaxSubscribers caps subscriptions to tickerd's own hub, and
	// PushRate the deliveries it makes per second.
	MaxSubscribers int
	PushRate       int
}

// Retention holds the retention: section.
type Retention struct {
	MaxAge            time.Duration
	MaxItemsPerSource int
	Every             time.Duration // how often the limits are enforced
	// DropRemoved deletes a source's items as soon as a reload removes
	// the source; otherwise they stay until the limits remove them.
	DropRemoved bool
}

// Dedupe holds the dedupe: section.
type Dedupe struct {
	Window     time.Duration
	Similarity float64 // 0 turns near-duplicate matching off
	// Lexicon adds entries to the wire lexicon ("canonical | variant |
	// variant", as in match/lexicon.txt): house spellings and synonyms.
	Lexicon []string
	// Outlets adds outlet names that decorate headlines ("… - Name"), on
	// top of the built-in list and every source's name.
	Outlets []string
}

// Events holds the events: section, for the live streams widgets follow
// (GET /events/{ticker}).
type Events struct {
	// MaxStreams bounds the streams open at once; more are refused with
	// 503, and the widget falls back to the JSON feed.
	MaxStreams int
	// Heartbeat is how often an idle stream gets a comment line, which
	// keeps proxies from closing it.
	Heartbeat time.Duration
	// MaxPerClient bounds the streams one client address holds at once
	// (see Config.TrustedProxies for what the address is).
	MaxPerClient int
	// MaxAge is how long a stream stays open before the server ends it;
	// the client reconnects and resumes with Last-Event-ID.
	MaxAge time.Duration
}

// Source is one feed to poll.
type Source struct {
	Name     string
	URL      string // http://, https:// or file:// (relative paths are resolved against the config's folder)
	Schedule string // empty: the global schedule
	Tags     []string
	Lang     string
	// PrivateParams names query parameters of URL that hold secrets
	// beyond the ones every output already hides (see store.RedactURL);
	// their values are never published.
	PrivateParams []string
	Line          int // where the source starts in the file
	// File is the OPML file (sources_opml) the source came from, Line
	// then being its outline's; empty for sources of the config itself.
	File string
	// Title and SiteURL are the OPML outline's title and htmlUrl, if any.
	Title, SiteURL string
	// IntervalMin and IntervalMax override fetch's bounds for this
	// source; zero: fetch's.
	IntervalMin, IntervalMax time.Duration
}

// Ticker is one published selection of items.
type Ticker struct {
	Name        string
	Title       string
	Description string
	Link        string
	Sources     []string // as written; see SourceNames for the resolved set
	Tags        []string
	Include     []string // keywords; see package match for how they match
	Exclude     []string
	// IncludeRegex and ExcludeRegex are RE2 expressions (Go regexp),
	// checked to compile; empty means none.
	IncludeRegex string
	ExcludeRegex string
	Lang         string        // the ticker's language; empty: its items' shared one
	MaxAge       time.Duration // zero: no bound
	MaxPerSource int           // zero: no cap
	Order        string        // OrderNewest or OrderInterleave
	TitleFormat  string        // e.g. "[{source}] {title}"; empty: the title alone
	Limit        int
	Line         int

	sourceLines, tagLines []int // where each entry of Sources and Tags is
}

// The values of tickers[].order.
const (
	OrderNewest     = "newest"
	OrderInterleave = "interleave"
)

// TitlePlaceholders are the names title_format may use in braces.
var TitlePlaceholders = []string{"title", "source", "source_title"}

// SourceNames resolves which sources feed the ticker: those it names plus
// those carrying one of its tags, in config order. It returns nil when the
// ticker names neither, meaning all sources.
func (c *Config) SourceNames(t *Ticker) []string {
	if len(t.Sources) == 0 && len(t.Tags) == 0 {
		return nil
	}
	names := []string{}
	for _, s := range c.Sources {
		if slices.Contains(t.Sources, s.Name) || slices.ContainsFunc(s.Tags, func(tag string) bool { return slices.Contains(t.Tags, tag) }) {
			names = append(names, s.Name)
		}
	}
	return names
}

// Error is one problem in a config file.
type Error struct {
	File string
	Line int    // 0 when the problem has no single place
	Key  string // e.g. "sources[2].url"; empty for syntax errors
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in one file, in file order. Load returns it
// as its error; errors.As recovers it.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// LoadOptions lets the caller add checks that belong to other packages,
// keeping config free of their libraries. A nil *LoadOptions adds none.
type LoadOptions struct {
	// CheckSchedule validates a cron spec; its error is reported with the
	// line and key of the spec.
	CheckSchedule func(spec string) error
	// CheckKeyword validates an include or exclude keyword (for example
	// that it keeps a word after normalization); its error is reported
	// with the keyword's line and key.
	CheckKeyword func(keyword string) error
}

// Load reads and validates the config file at path. On any problem it
// returns an Errors listing all of them and a nil Config.
func Load(path string, opts *LoadOptions) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(data, path, filepath.Dir(abs), opts)
}

// Parse validates config text. name is used in error messages and dir is
// the folder relative paths are resolved against.
func Parse(data []byte, name, dir string, opts *LoadOptions) (*Config, error) {
	if opts == nil {
		opts = &LoadOptions{}
	}
	d := &decoder{file: name, dir: dir, opts: opts}
	cfg := d.decode(data)
	if len(d.errs) > 0 {
		// The config file's problems first, then each OPML file's, each
		// in line order.
		slices.SortStableFunc(d.errs, func(a, b *Error) int {
			if (a.File == name) != (b.File == name) {
				if a.File == name {
					return -1
				}
				return 1
			}
			return cmp.Or(strings.Compare(a.File, b.File), a.Line-b.Line)
		})
		return nil, d.errs
	}
	cfg.Path = name
	return cfg, nil
}

// nameRule is what names of one kind must look like: they appear in URLs,
// log lines and metric labels. Ticker names may not hold a dot, since the
// format follows the last one in /t/{name}.rss.
type nameRule struct {
	kind    string // "source" or "ticker"
	re      *regexp.Regexp
	allowed string
}

var (
	sourceNames = nameRule{"source", regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`), "letters, digits, '-', '_' and '.'"}
	tickerNames = nameRule{"ticker", regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`), "letters, digits, '-' and '_'"}
)

// name reads a name under rule, reporting a bad one or one already in seen
// (name → line of first use), and records it there.
func (d *decoder) name(v *yaml.Node, key string, rule nameRule, seen map[string]int) string {
	name := d.str(v, key)
	switch {
	case name == "":
		d.errorf(v.Line, key, "missing (every entry needs a name)")
	case !rule.re.MatchString(name):
		d.errorf(v.Line, key, "%q is not a valid name (%s, starting with a letter or digit, at most 64)", name, rule.allowed)
	}
	if first, dup := seen[name]; dup && name != "" {
		d.errorf(v.Line, key, "duplicate %s name %q (first used on line %d)", rule.kind, name, first)
	} else {
		seen[name] = v.Line
	}
	return name
}

// requireName reports an entry that has no name key at all.
func (d *decoder) requireName(n *yaml.Node, key, name string, rule nameRule) {
	if name == "" && !d.hasErrorAt(key+".name") {
		d.errorf(n.Line, key+".name", "missing (every %s needs a name)", rule.kind)
	}
}

// resolveSourceURL turns a source's url value into an absolute URL.
func (d *decoder) resolveSourceURL(line int, key, raw string) string {
	if raw == "" {
		d.errorf(line, key, "missing (every source needs a url)")
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		d.errorf(line, key, "%q is not a valid URL: %v", raw, errors.Unwrap(err))
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			d.errorf(line, key, "%q has no host", raw)
			return ""
		}
		return raw
	case "file":
		if u.Path == "" {
			d.errorf(line, key, "%q has no path", raw)
			return ""
		}
		return raw
	case "":
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(d.path(raw))}).String()
	default:
		d.errorf(line, key, "unsupported scheme %q in %q (want http, https, file or a path)", u.Scheme, raw)
		return ""
	}
}

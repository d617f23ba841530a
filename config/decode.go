package config

import (
	"fmt"
	"math"
	"net/netip"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
)

// decoder walks the YAML node tree by hand rather than unmarshalling into
// structs: that is what lets it report every problem, with its line, instead
// of stopping at the first.
type decoder struct {
	file string
	dir  string
	opts *LoadOptions
	errs Errors
}

func (d *decoder) errorf(line int, key, format string, args ...any) {
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)})
}

// yamlLineRE finds the line yaml.v3 puts in its syntax errors.
var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func (d *decoder) decode(data []byte) *Config {
	cfg := &Config{
		Listen:   DefaultListen,
		Data:     filepath.Join(d.dir, DefaultData),
		BaseURL:  DefaultBaseURL,
		Schedule: DefaultSchedule,
		Fetch: Fetch{
			Concurrency: DefaultConcurrency,
			PerHost:     DefaultPerHost,
			Timeout:     DefaultTimeout,
			MaxBody:     DefaultMaxBody,
			MaxItems:    DefaultMaxItems,
			MaxBackoff:  DefaultMaxBackoff,
			IntervalMin: DefaultIntervalMin,
			IntervalMax: DefaultIntervalMax,
		},
		WebSub:    WebSub{Lease: DefaultWebSubLease, MaxSubscribers: DefaultHubSubscribers, PushRate: DefaultHubPushRate},
		Retention: Retention{MaxAge: DefaultMaxAge, MaxItemsPerSource: DefaultMaxItemsPerSource, Every: DefaultRetentionEvery},
		Dedupe:    Dedupe{Window: DefaultDedupeWindow, Similarity: DefaultSimilarity},
		Events:    Events{MaxStreams: DefaultMaxStreams, Heartbeat: DefaultHeartbeat, MaxPerClient: DefaultMaxStreamsPerClient, MaxAge: DefaultStreamMaxAge},
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 0
		if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		d.errorf(line, "", "invalid YAML: %s", msg)
		return cfg
	}
	if len(doc.Content) == 0 {
		d.errorf(0, "", "the file is empty (it needs at least a sources list)")
		return cfg
	}
	root := resolve(doc.Content[0])
	var sourcesLine, opmlLine int
	var opmlFile string
	d.mapping(root, "", func(key string, k, v *yaml.Node) {
		switch key {
		case "listen":
			cfg.Listen = d.str(v, key)
			if cfg.Listen == "" {
				d.errorf(v.Line, key, "must not be empty (for example \":8080\")")
			}
		case "data":
			if p := d.str(v, key); p == "" {
				d.errorf(v.Line, key, "must not be empty (for example %q)", DefaultData)
			} else {
				cfg.Data = d.path(p)
			}
		case "store":
			cfg.Store = d.store(v, key)
		case "base_url":
			cfg.BaseURL = strings.TrimRight(d.str(v, key), "/")
			if u, err := parseHTTPURL(cfg.BaseURL); err != nil {
				d.errorf(v.Line, key, "%v", err)
			} else if u.RawQuery != "" || u.Fragment != "" {
				d.errorf(v.Line, key, "%q must not have a query or fragment", cfg.BaseURL)
			}
		case "schedule":
			cfg.Schedule = d.schedule(v, key)
		case "fetch":
			d.fetch(v, key, &cfg.Fetch)
		case "retention":
			d.mapping(v, key, func(sub string, _, v *yaml.Node) {
				key := key + "." + sub
				switch sub {
				case "max_age":
					cfg.Retention.MaxAge = d.duration(v, key, time.Hour)
				case "max_items_per_source":
					cfg.Retention.MaxItemsPerSource = d.integer(v, key, 1, math.MaxInt32)
				case "every":
					cfg.Retention.Every = d.duration(v, key, time.Second)
				case "drop_removed":
					cfg.Retention.DropRemoved = d.boolean(v, key)
				default:
					d.unknown(v, key, "max_age, max_items_per_source, every, drop_removed")
				}
			})
		case "dedupe":
			d.mapping(v, key, func(sub string, _, v *yaml.Node) {
				key := key + "." + sub
				switch sub {
				case "window":
					cfg.Dedupe.Window = d.duration(v, key, time.Minute)
				case "similarity":
					cfg.Dedupe.Similarity = d.float(v, key, 0, 1)
				case "lexicon":
					cfg.Dedupe.Lexicon = d.strings(v, key)
				case "outlets":
					cfg.Dedupe.Outlets = d.strings(v, key)
				default:
					d.unknown(v, key, "window, similarity, lexicon, outlets")
				}
			})
		case "events":
			d.mapping(v, key, func(sub string, _, v *yaml.Node) {
				key := key + "." + sub
				switch sub {
				case "max_streams":
					cfg.Events.MaxStreams = d.integer(v, key, 1, 1_000_000)
				case "heartbeat":
					cfg.Events.Heartbeat = d.duration(v, key, time.Second)
					// Proxies commonly close a connection idle for 60 s.
					if cfg.Events.Heartbeat > 5*time.Minute {
						d.errorf(v.Line, key, "%v is longer than 5m; proxies would close idle streams first", cfg.Events.Heartbeat)
					}
				case "max_per_client":
					cfg.Events.MaxPerClient = d.integer(v, key, 1, 1_000_000)
				case "max_age":
					cfg.Events.MaxAge = d.duration(v, key, time.Minute)
				default:
					d.unknown(v, key, "max_streams, heartbeat, max_per_client, max_age")
				}
			})
		case "trusted_proxies":
			cfg.TrustedProxies = d.proxies(v, key)
		case "websub":
			d.websub(v, key, &cfg.WebSub)
		case "sources":
			sourcesLine = k.Line
			cfg.Sources = d.sources(v, key)
		case "sources_opml":
			opmlFile, opmlLine = d.str(v, key), v.Line
			if opmlFile == "" {
				d.errorf(v.Line, key, "must name an OPML file (relative to the config's folder)")
			}
		case "tickers":
			cfg.Tickers = d.tickers(v, key)
		case "admin_token":
			tok := d.str(v, key)
			if err := CheckAdminToken(tok); err != nil && tok != "" {
				// The message never repeats the value: it is a secret.
				d.errorf(v.Line, key, "%v", err)
			}
			cfg.AdminToken = Secret(tok)
		default:
			d.unknown(k, key, "listen, data, store, base_url, schedule, fetch, retention, dedupe, events, sources, sources_opml, tickers, admin_token, trusted_proxies, websub")
		}
	})
	if opmlFile != "" {
		d.opmlSources(cfg, opmlLine, "sources_opml", opmlFile)
	}
	if len(cfg.Sources) == 0 && !d.hasErrorAt("sources") && (opmlFile == "" || len(d.errs) == 0) {
		d.errorf(sourcesLine, "sources", "no sources (list at least one feed to poll, or name an OPML file in sources_opml)")
	}
	d.checkTickers(cfg)
	if len(cfg.Tickers) == 0 {
		cfg.Tickers = []Ticker{{Name: "main", Title: "Headlines", Limit: DefaultTickerLimit, Order: OrderNewest}}
	}
	return cfg
}

// store checks the store: key, a PostgreSQL URL. The password must not
// be in it: the file is read by many and often committed, so it comes
// from the environment (PGPASSWORD or TICKERD_PG_PASSWORD).
func (d *decoder) store(v *yaml.Node, key string) string {
	raw := d.str(v, key)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		d.errorf(v.Line, key, "want a postgres:// URL (leave store out for the bbolt file named by data)")
		return ""
	}
	if _, ok := u.User.Password(); ok || u.Query().Has("password") {
		d.errorf(v.Line, key, "the URL holds a password; leave it out and set PGPASSWORD (or TICKERD_PG_PASSWORD) in the environment")
		return ""
	}
	return raw
}

// path resolves a path from the file against the config's folder.
func (d *decoder) path(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(d.dir, p)
}

func (d *decoder) hasErrorAt(prefix string) bool {
	for _, e := range d.errs {
		if strings.HasPrefix(e.Key, prefix) {
			return true
		}
	}
	return false
}

func (d *decoder) fetch(v *yaml.Node, key string, f *Fetch) {
	d.mapping(v, key, func(sub string, _, v *yaml.Node) {
		key := key + "." + sub
		switch sub {
		case "concurrency":
			f.Concurrency = d.integer(v, key, 1, 4096)
		case "per_host":
			f.PerHost = d.integer(v, key, 1, 256)
		case "timeout":
			f.Timeout = d.duration(v, key, time.Second)
		case "max_body":
			f.MaxBody = d.size(v, key)
		case "max_items":
			f.MaxItems = d.integer(v, key, 1, 100_000)
		case "max_backoff":
			f.MaxBackoff = d.duration(v, key, time.Minute)
		case "block_private":
			f.BlockPrivate = d.boolean(v, key)
		case "interval_min":
			f.IntervalMin = d.duration(v, key, time.Second)
		case "interval_max":
			f.IntervalMax = d.duration(v, key, time.Second)
		case "user_agent":
			f.UserAgent = d.str(v, key)
			if strings.ContainsAny(f.UserAgent, "\r\n") {
				d.errorf(v.Line, key, "must be one line")
			}
		default:
			d.unknown(v, key, "concurrency, per_host, timeout, max_body, max_items, max_backoff, block_private, user_agent, interval_min, interval_max")
		}
	})
	if f.IntervalMax < f.IntervalMin {
		d.errorf(v.Line, key+".interval_max", "%s is shorter than interval_min %s", f.IntervalMax, f.IntervalMin)
	}
}

func (d *decoder) websub(v *yaml.Node, key string, w *WebSub) {
	d.mapping(v, key, func(sub string, _, v *yaml.Node) {
		key := key + "." + sub
		switch sub {
		case "callback_base":
			w.CallbackBase = strings.TrimRight(d.str(v, key), "/")
			if w.CallbackBase == "" {
				return
			}
			if u, err := parseHTTPURL(w.CallbackBase); err != nil {
				d.errorf(v.Line, key, "%v", err)
			} else if u.RawQuery != "" || u.Fragment != "" {
				d.errorf(v.Line, key, "%q must not have a query or fragment", w.CallbackBase)
			} else if strings.Trim(u.Path, "/") == "" {
				d.errorf(v.Line, key, "%q needs a path of its own for the callbacks, such as %q", w.CallbackBase, w.CallbackBase+"/websub")
			}
		case "lease":
			w.Lease = d.duration(v, key, time.Hour)
		case "hub":
			w.Hub = strings.TrimSpace(d.str(v, key))
			if w.Hub != "" && w.Hub != "self" {
				if _, err := parseHTTPURL(w.Hub); err != nil {
					d.errorf(v.Line, key, "%v (or \"self\" for tickerd's own hub)", err)
				}
			}
		case "max_subscribers":
			w.MaxSubscribers = d.integer(v, key, 1, 1_000_000)
		case "push_rate":
			w.PushRate = d.integer(v, key, 1, 10_000)
		default:
			d.unknown(v, key, "callback_base, lease, hub, max_subscribers, push_rate")
		}
	})
}

func (d *decoder) sources(v *yaml.Node, key string) []Source {
	var out []Source
	seen := map[string]int{}
	seenURL := map[string]int{} // normalized URL → line of its first source
	d.sequence(v, key, func(i int, n *yaml.Node) {
		key := fmt.Sprintf("%s[%d]", key, i)
		src := Source{Line: n.Line}
		var urlLine int
		var rawURL string
		d.mapping(n, key, func(sub string, _, v *yaml.Node) {
			key := key + "." + sub
			switch sub {
			case "name":
				src.Name = d.name(v, key, sourceNames, seen)
			case "url":
				rawURL, urlLine = d.str(v, key), v.Line
			case "schedule":
				src.Schedule = d.schedule(v, key)
			case "tags":
				src.Tags = d.strings(v, key)
			case "lang":
				src.Lang = d.lang(v, key)
			case "private_params":
				src.PrivateParams = d.strings(v, key)
			case "interval_min":
				src.IntervalMin = d.duration(v, key, time.Second)
			case "interval_max":
				src.IntervalMax = d.duration(v, key, time.Second)
			default:
				d.unknown(v, key, "name, url, schedule, tags, lang, private_params, interval_min, interval_max")
			}
		})
		if src.IntervalMin > 0 && src.IntervalMax > 0 && src.IntervalMax < src.IntervalMin {
			d.errorf(n.Line, key+".interval_max", "%s is shorter than interval_min %s", src.IntervalMax, src.IntervalMin)
		}
		d.requireName(n, key, src.Name, sourceNames)
		if urlLine == 0 {
			urlLine = n.Line
		}
		src.URL = d.resolveSourceURL(urlLine, key+".url", rawURL)
		if src.URL != "" {
			// The same feed listed twice would be fetched twice per cycle
			// and its items stored under two names.
			norm := normalizeURL(src.URL)
			if first, dup := seenURL[norm]; dup {
				d.errorf(urlLine, key+".url", "duplicate source URL %q (the same feed as the source on line %d)", redactForError(rawURL), first)
			} else {
				seenURL[norm] = urlLine
			}
		}
		out = append(out, src)
	})
	return out
}

func (d *decoder) tickers(v *yaml.Node, key string) []Ticker {
	var out []Ticker
	seen := map[string]int{}
	d.sequence(v, key, func(i int, n *yaml.Node) {
		key := fmt.Sprintf("%s[%d]", key, i)
		t := Ticker{Line: n.Line, Limit: DefaultTickerLimit}
		d.mapping(n, key, func(sub string, _, v *yaml.Node) {
			key := key + "." + sub
			switch sub {
			case "name":
				t.Name = d.name(v, key, tickerNames, seen)
			case "title":
				t.Title = d.str(v, key)
			case "description":
				t.Description = d.str(v, key)
			case "link":
				t.Link = d.str(v, key)
				if _, err := parseHTTPURL(t.Link); err != nil {
					d.errorf(v.Line, key, "%v", err)
				}
			case "sources":
				t.Sources, t.sourceLines = d.stringsLines(v, key)
			case "tags":
				t.Tags, t.tagLines = d.stringsLines(v, key)
			case "include":
				t.Include = d.keywords(v, key)
			case "exclude":
				t.Exclude = d.keywords(v, key)
			case "include_regex":
				t.IncludeRegex = d.regex(v, key)
			case "exclude_regex":
				t.ExcludeRegex = d.regex(v, key)
			case "lang":
				t.Lang = d.lang(v, key)
			case "max_age":
				t.MaxAge = d.duration(v, key, time.Minute)
			case "max_per_source":
				t.MaxPerSource = d.integer(v, key, 1, MaxTickerLimit)
			case "order":
				t.Order = d.str(v, key)
				if t.Order != OrderNewest && t.Order != OrderInterleave {
					d.errorf(v.Line, key, "%q is not an order (want %q or %q)", t.Order, OrderNewest, OrderInterleave)
				}
			case "title_format":
				t.TitleFormat = d.titleFormat(v, key)
			case "limit":
				t.Limit = d.integer(v, key, 1, MaxTickerLimit)
			default:
				d.unknown(v, key, "name, title, description, link, sources, tags, include, exclude, include_regex, exclude_regex, lang, max_age, max_per_source, order, title_format, limit")
			}
		})
		d.requireName(n, key, t.Name, tickerNames)
		if t.Title == "" {
			t.Title = t.Name
		}
		if t.Order == "" {
			t.Order = OrderNewest
		}
		out = append(out, t)
	})
	return out
}

// checkTickers checks what a ticker refers to, once all sources are known.
func (d *decoder) checkTickers(cfg *Config) {
	names := map[string]bool{}
	tags := map[string]bool{}
	for _, s := range cfg.Sources {
		names[s.Name] = true
		for _, t := range s.Tags {
			tags[t] = true
		}
	}
	for i, t := range cfg.Tickers {
		for j, s := range t.Sources {
			if !names[s] {
				d.errorf(t.sourceLines[j], fmt.Sprintf("tickers[%d].sources[%d]", i, j), "unknown source %q", s)
			}
		}
		for j, tag := range t.Tags {
			if !tags[tag] {
				d.errorf(t.tagLines[j], fmt.Sprintf("tickers[%d].tags[%d]", i, j), "no source has the tag %q", tag)
			}
		}
	}
}

// resolve follows aliases so that anchors work anywhere.
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if isNull(n) {
			return "empty"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

// mapping calls fn for each key of a mapping node, rejecting duplicates. A
// null value (a key with nothing after it) counts as an empty mapping.
func (d *decoder) mapping(n *yaml.Node, key string, fn func(key string, k, v *yaml.Node)) {
	n = resolve(n)
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n.Line, key, "want a mapping of keys, got %s", kindName(n))
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		full := k.Value
		if key != "" {
			full = key + "." + k.Value
		}
		if k.Value == "<<" {
			d.errorf(k.Line, full, "merge keys are not supported")
			continue
		}
		if first, dup := seen[k.Value]; dup {
			d.errorf(k.Line, full, "duplicate key (first on line %d)", first)
			continue
		}
		seen[k.Value] = k.Line
		fn(k.Value, k, v)
	}
}

func (d *decoder) sequence(n *yaml.Node, key string, fn func(i int, n *yaml.Node)) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n.Line, key, "want a list, got %s", kindName(n))
		return
	}
	for i, item := range n.Content {
		fn(i, resolve(item))
	}
}

func (d *decoder) unknown(n *yaml.Node, key, known string) {
	d.errorf(n.Line, key, "unknown key (known keys here: %s)", known)
}

func (d *decoder) str(n *yaml.Node, key string) string {
	if isNull(n) {
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		d.errorf(n.Line, key, "want a single value, got %s", kindName(n))
		return ""
	}
	return strings.TrimSpace(n.Value)
}

func (d *decoder) strings(n *yaml.Node, key string) []string {
	var out []string
	d.sequence(n, key, func(i int, item *yaml.Node) {
		s := d.str(item, fmt.Sprintf("%s[%d]", key, i))
		if s == "" {
			d.errorf(item.Line, fmt.Sprintf("%s[%d]", key, i), "empty entry")
			return
		}
		out = append(out, s)
	})
	return out
}

// stringsLines is strings, with the line of each entry.
func (d *decoder) stringsLines(n *yaml.Node, key string) ([]string, []int) {
	var out []string
	var lines []int
	d.sequence(n, key, func(i int, item *yaml.Node) {
		s := d.str(item, fmt.Sprintf("%s[%d]", key, i))
		if s == "" {
			d.errorf(item.Line, fmt.Sprintf("%s[%d]", key, i), "empty entry")
			return
		}
		out = append(out, s)
		lines = append(lines, item.Line)
	})
	return out, lines
}

// keywords reads a list of filter keywords, each checked by the
// CheckKeyword hook.
func (d *decoder) keywords(n *yaml.Node, key string) []string {
	words, lines := d.stringsLines(n, key)
	if d.opts.CheckKeyword != nil {
		for i, w := range words {
			if err := d.opts.CheckKeyword(w); err != nil {
				d.errorf(lines[i], fmt.Sprintf("%s[%d]", key, i), "%q: %v", w, err)
			}
		}
	}
	return words
}

// regex reads a Go regular expression (RE2 syntax) and checks that it
// compiles.
func (d *decoder) regex(n *yaml.Node, key string) string {
	s := d.str(n, key)
	if s == "" {
		d.errorf(n.Line, key, "must not be empty (leave the key out instead)")
		return ""
	}
	if _, err := regexp.Compile(s); err != nil {
		d.errorf(n.Line, key, "%q does not compile: %v", s, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	return s
}

// titlePlaceholderRE finds the {name} placeholders of a title format.
var titlePlaceholderRE = regexp.MustCompile(`\{([^{}]*)\}`)

// titleFormat reads a title format: it must hold {title}, and only the
// placeholders in TitlePlaceholders.
func (d *decoder) titleFormat(n *yaml.Node, key string) string {
	s := d.str(n, key)
	hasTitle := false
	for _, m := range titlePlaceholderRE.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(TitlePlaceholders, m[1]) {
			d.errorf(n.Line, key, "unknown placeholder {%s} (known: {title}, {source}, {source_title})", m[1])
		}
		hasTitle = hasTitle || m[1] == "title"
	}
	if !hasTitle {
		d.errorf(n.Line, key, "%q has no {title}", s)
	}
	return s
}

func (d *decoder) integer(n *yaml.Node, key string, lo, hi int) int {
	s := d.str(n, key)
	v, err := strconv.Atoi(s)
	if err != nil {
		d.errorf(n.Line, key, "%q is not a whole number", s)
		return 0
	}
	if v < lo || v > hi {
		d.errorf(n.Line, key, "%d is out of range (%d to %d)", v, lo, hi)
	}
	return v
}

func (d *decoder) float(n *yaml.Node, key string, lo, hi float64) float64 {
	s := d.str(n, key)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) {
		d.errorf(n.Line, key, "%q is not a number", s)
		return 0
	}
	if v < lo || v > hi {
		d.errorf(n.Line, key, "%g is out of range (%g to %g)", v, lo, hi)
	}
	return v
}

// duration reads a Go duration such as "30s" or "48h". A bare number is
// refused: "30" could mean seconds or minutes.
// boolean reads true or false; YAML 1.1's yes, no, on and off are refused
// as ambiguous.
func (d *decoder) boolean(n *yaml.Node, key string) bool {
	switch s := d.str(n, key); s {
	case "true":
		return true
	case "false":
		return false
	default:
		d.errorf(n.Line, key, "%q is not true or false", s)
		return false
	}
}

func (d *decoder) duration(n *yaml.Node, key string, least time.Duration) time.Duration {
	s := d.str(n, key)
	v, err := time.ParseDuration(s)
	if err != nil {
		d.errorf(n.Line, key, "%q is not a duration (write it like \"30s\", \"15m\" or \"48h\")", s)
		return 0
	}
	if v < least {
		d.errorf(n.Line, key, "%s is too short (at least %s)", s, least)
	}
	return v
}

// sizeUnits maps the suffixes size accepts to their multipliers.
var sizeUnits = map[string]int64{
	"": 1, "b": 1,
	"kb": 1000, "mb": 1000 * 1000, "gb": 1000 * 1000 * 1000,
	"k": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mib": 1 << 20, "g": 1 << 30, "gib": 1 << 30,
}

var sizeRE = regexp.MustCompile(`^([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)$`)

func (d *decoder) size(n *yaml.Node, key string) int64 {
	s := d.str(n, key)
	v, err := ParseSize(s)
	if err != nil {
		d.errorf(n.Line, key, "%v", err)
	}
	return v
}

// ParseSize reads a byte size such as "10MiB", "512KB" or "1048576".
// KB, MB and GB are powers of 1000; KiB, MiB and GiB (and K, M, G) of 1024.
func ParseSize(s string) (int64, error) {
	m := sizeRE.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not a size (write it like \"10MiB\" or \"512KB\")", s)
	}
	unit, ok := sizeUnits[strings.ToLower(m[2])]
	if !ok {
		return 0, fmt.Errorf("%q has an unknown unit %q (use B, KB, MB, GB, KiB, MiB or GiB)", s, m[2])
	}
	f, err := strconv.ParseFloat(m[1], 64)
	if err != nil || f*float64(unit) > 1<<40 {
		return 0, fmt.Errorf("%q is too large (at most 1TiB)", s)
	}
	v := int64(f * float64(unit))
	if v < 1024 {
		return 0, fmt.Errorf("%q is too small (at least 1KiB)", s)
	}
	return v, nil
}

func (d *decoder) schedule(n *yaml.Node, key string) string {
	s := d.str(n, key)
	if s == "" {
		d.errorf(n.Line, key, "must not be empty (for example %q)", DefaultSchedule)
		return ""
	}
	if d.opts.CheckSchedule != nil {
		if err := d.opts.CheckSchedule(s); err != nil {
			d.errorf(n.Line, key, "%q: %v", s, err)
		}
	}
	return s
}

// proxies reads trusted_proxies: IP addresses or CIDR prefixes, as
// netip.Prefix (an address is a prefix of its full length).
func (d *decoder) proxies(n *yaml.Node, key string) []netip.Prefix {
	var out []netip.Prefix
	d.sequence(n, key, func(i int, item *yaml.Node) {
		key := fmt.Sprintf("%s[%d]", key, i)
		s := d.str(item, key)
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(s); err == nil {
			a = a.Unmap()
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		} else {
			d.errorf(item.Line, key, "%q is not an IP address or CIDR prefix (for example \"10.0.0.1\" or \"10.0.0.0/8\")", s)
		}
	})
	return out
}

func (d *decoder) lang(n *yaml.Node, key string) string {
	s := d.str(n, key)
	if s == "" {
		return ""
	}
	tag, err := language.Parse(s)
	if err != nil {
		d.errorf(n.Line, key, "%q is not a language tag (for example \"ar\" or \"en-GB\")", s)
		return ""
	}
	return tag.String()
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"tickerd/config"
	"tickerd/desk"
	"tickerd/feed"
	"tickerd/fetcher"
	"tickerd/match"
	"tickerd/ops"
	"tickerd/store"
	"tickerd/store/postgres"
)

// flags are the ones every command takes.
type flags struct {
	config   string
	logLevel string
	args     []string // positional arguments after the flags
}

func parseFlags(name string, args []string, stderr io.Writer) (*flags, error) {
	return parseFlagsN(name, args, stderr, 0)
}

// parseFlagsN is parseFlags for a command taking n positional arguments,
// all required.
func parseFlagsN(name string, args []string, stderr io.Writer, n int) (*flags, error) {
	fs := flag.NewFlagSet("tickerd "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := &flags{}
	fs.StringVar(&f.config, "config", "config.yaml", "config file")
	fs.StringVar(&f.logLevel, "log-level", "info", "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return nil, exitError{err: err, quiet: true}
	}
	if fs.NArg() > n {
		return nil, fmt.Errorf("%s: unexpected argument %q", name, fs.Arg(n))
	}
	if fs.NArg() < n {
		fs.Usage()
		return nil, fmt.Errorf("%s: missing argument (see usage)", name)
	}
	f.args = fs.Args()
	return f, nil
}

func newLogger(level string, w io.Writer) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("-log-level: %q is not one of debug, info, warn, error", level)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}

func loadConfig(path string) (*config.Config, error) {
	cfg, err := config.Load(path, &config.LoadOptions{CheckSchedule: fetcher.CheckSchedule, CheckKeyword: checkKeyword})
	if err != nil {
		return nil, err
	}
	if err := applyAdminTokenEnv(cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// checkKeyword refuses a filter keyword that match cannot use.
func checkKeyword(k string) error {
	_, err := match.ParseKeyword(k)
	return err
}

// daemon is everything serve and fetch share, built from one config.
type daemon struct {
	// cfg is the running config: a reload swaps it, and the pruning loop
	// reads its retention policy from it.
	cfg    atomic.Pointer[config.Config]
	logger *slog.Logger
	store  store.Backend // bbolt or PostgreSQL; the daemon needs nothing backend-only
	// pg is store when it is PostgreSQL (replicas take turns through it),
	// else nil; replica names this process to the others.
	pg      *postgres.Store
	replica string
	fetcher *fetcher.Fetcher
	// feed is swapped whole by a reload: a new server renders the new
	// tickers from the store on its first request, while requests in
	// progress finish on the old one.
	feed atomic.Pointer[feed.Server]
	ops  *ops.Ops // metrics, readiness and the operator API
	// desk is the editorial API and console (/api/actions…, /desk).
	desk *desk.Desk
	// matcher is the canonical pipeline of the config the daemon
	// started with: the story index is keyed by it, so a reload keeps it.
	matcher *match.Matcher
	// hub is tickerd's WebSub hub (websub.hub "self"), or the notifier of
	// an external one; nil without websub.hub. Set at start: a reload
	// that changes websub.hub takes a restart.
	hub *feed.Hub
}

// newDaemon opens the store and builds the fetcher and the feed server. The
// caller must call close.
func newDaemon(cfg *config.Config, logger *slog.Logger) (*daemon, error) {
	matcher, err := newMatcher(cfg)
	if err != nil {
		return nil, err
	}
	st, pg, err := openStore(cfg, matcher, logger)
	if err != nil {
		return nil, err
	}
	d := &daemon{logger: logger, store: st, pg: pg, replica: replicaID(), matcher: matcher}
	d.cfg.Store(cfg)
	oo := opsOptions(cfg)
	oo.Explain = func(a, b string) match.Explanation { return matcher.Explain(a, b, cfg.Dedupe.Similarity) }
	d.ops = ops.New(st, oo, logger)
	d.fetcher, err = fetcher.New(st, d.fetcherOptions(cfg), logger)
	if err != nil {
		st.Close()
		return nil, err
	}
	fe, err := d.newFeed(cfg)
	if err != nil {
		st.Close()
		return nil, err
	}
	d.feed.Store(fe)
	d.desk = desk.New(st, &desk.Options{
		AdminToken: string(cfg.AdminToken), BaseURL: cfg.BaseURL,
		Tickers: deskTickers(cfg), WidgetURL: fe.WidgetURL(),
	}, logger)
	if cfg.WebSub.Hub != "" {
		ho := &feed.HubOptions{MaxSubscribers: cfg.WebSub.MaxSubscribers, PushRate: cfg.WebSub.PushRate, UserAgent: userAgent(cfg)}
		if cfg.Fetch.BlockPrivate {
			// Subscribers name the callbacks the hub requests: the same
			// rule as for sources keeps them off the daemon's network.
			ho.Client = fetcher.PublicClient(10 * time.Second)
		}
		if cfg.WebSub.Hub != "self" {
			ho.External = cfg.WebSub.Hub
		}
		d.hub = feed.NewHub(d.feed.Load, ho, logger)
		if ho.External == "" {
			d.ops.CountHubSubscribers(d.hub.Subscribers)
		}
	}
	return d, nil
}

// deskTickers are the tickers as the desk's console lists them.
func deskTickers(cfg *config.Config) []desk.Ticker {
	var out []desk.Ticker
	for i, t := range feedOptions(cfg).Tickers {
		path := "/t/" + t.Name + ".json"
		if i == 0 {
			path = "/feed.json"
		}
		out = append(out, desk.Ticker{Name: t.Name, Title: t.Title, Lang: t.Lang, Path: path})
	}
	if len(out) == 0 {
		out = append(out, desk.Ticker{Name: "main", Title: "tickerd", Path: "/feed.json"})
	}
	return out
}

func (d *daemon) newFeed(cfg *config.Config) (*feed.Server, error) {
	feo := feedOptions(cfg)
	feo.OnRequest = d.ops.ObserveRequest
	feo.OnLiveClients = d.ops.AddWidgetClients
	return feed.New(d.store, feo, d.logger)
}

// fetcherOptions are the fetcher's options for cfg, reporting to ops; a
// reload passes the same to the running fetcher.
func (d *daemon) fetcherOptions(cfg *config.Config) *fetcher.Options {
	opts := &fetcher.Options{
		Schedule:     cfg.Schedule,
		Concurrency:  cfg.Fetch.Concurrency,
		PerHost:      cfg.Fetch.PerHost,
		Timeout:      cfg.Fetch.Timeout,
		MaxBody:      cfg.Fetch.MaxBody,
		UserAgent:    userAgent(cfg),
		Similarity:   cfg.Dedupe.Similarity,
		Matcher:      d.matcher,
		MaxItems:     cfg.Fetch.MaxItems,
		MaxBackoff:   cfg.Fetch.MaxBackoff,
		BlockPrivate: cfg.Fetch.BlockPrivate,
		OnResult:     d.ops.ObserveFetch,
		IntervalMin:  cfg.Fetch.IntervalMin,
		IntervalMax:  cfg.Fetch.IntervalMax,
		WebSub: fetcher.WebSub{
			CallbackBase: cfg.WebSub.CallbackBase, Lease: cfg.WebSub.Lease, OnEvent: d.ops.WebSubEvent,
		},
	}
	if d.pg != nil {
		replicaOptions(opts, d.pg, d.replica, d.logger.With("component", "fetcher"))
	}
	for _, s := range cfg.Sources {
		opts.Sources = append(opts.Sources, fetcher.Source{
			Name: s.Name, URL: s.URL, Schedule: s.Schedule, Tags: s.Tags, Lang: s.Lang,
			PrivateParams: s.PrivateParams, IntervalMin: s.IntervalMin, IntervalMax: s.IntervalMax,
		})
	}
	return opts
}

func (d *daemon) close() error {
	return d.store.Close()
}

func userAgent(cfg *config.Config) string {
	if cfg.Fetch.UserAgent != "" {
		return cfg.Fetch.UserAgent
	}
	return fmt.Sprintf("tickerd/%s (+%s)", releaseVersion(), cfg.BaseURL)
}

func feedOptions(cfg *config.Config) *feed.Options {
	opts := &feed.Options{
		BaseURL: cfg.BaseURL, MaxAge: cacheMaxAge(cfg), SourceTags: map[string][]string{},
		PrivateParams: map[string][]string{},
		LiveClients:   cfg.Events.MaxStreams, Heartbeat: cfg.Events.Heartbeat,
		LiveClientsPerAddr: cfg.Events.MaxPerClient, LiveMaxAge: cfg.Events.MaxAge,
		TrustedProxies: cfg.TrustedProxies,
		Hub:            hubURL(cfg),
	}
	for _, s := range cfg.Sources {
		opts.SourceTags[s.Name] = s.Tags
		if len(s.PrivateParams) > 0 {
			opts.PrivateParams[s.Name] = s.PrivateParams
		}
	}
	for i := range cfg.Tickers {
		t := &cfg.Tickers[i]
		opts.Tickers = append(opts.Tickers, feed.Ticker{
			Name:         t.Name,
			Title:        t.Title,
			Description:  t.Description,
			Link:         t.Link,
			Sources:      cfg.SourceNames(t),
			Limit:        t.Limit,
			Lang:         t.Lang,
			Include:      t.Include,
			Exclude:      t.Exclude,
			IncludeRegex: t.IncludeRegex,
			ExcludeRegex: t.ExcludeRegex,
			MaxAge:       t.MaxAge,
			MaxPerSource: t.MaxPerSource,
			Interleave:   t.Order == config.OrderInterleave,
			TitleFormat:  t.TitleFormat,
		})
	}
	return opts
}

// cacheMaxAge lets caches keep a feed for a fraction of the shortest poll
// interval: nothing new can appear faster than sources are polled, but a
// cache should not hide a whole cycle's news either.
func cacheMaxAge(cfg *config.Config) time.Duration {
	shortest := fetcher.Interval(cfg.Schedule)
	for _, s := range cfg.Sources {
		if s.Schedule != "" {
			shortest = min(shortest, fetcher.Interval(s.Schedule))
		}
	}
	return min(max(shortest/4, 10*time.Second), 5*time.Minute)
}

func cmdCheck(args []string, stdout, stderr io.Writer) error {
	f, err := parseFlags("check", args, stderr)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(f.config)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitError{err: err, quiet: true}
	}
	fmt.Fprintf(stdout, "%s: ok (%d sources, %d tickers, data %s)\n", f.config, len(cfg.Sources), len(cfg.Tickers), cfg.Data)
	return nil
}

// setup reads the flags and the config of a command that runs the daemon's
// parts. Config errors are printed whole, one per line.
func setup(name string, args []string, stderr io.Writer) (*config.Config, *slog.Logger, error) {
	cfg, logger, _, err := setupN(name, args, stderr, 0)
	return cfg, logger, err
}

// setupN is setup for a command taking n positional arguments, which it
// returns.
func setupN(name string, args []string, stderr io.Writer, n int) (*config.Config, *slog.Logger, []string, error) {
	f, err := parseFlagsN(name, args, stderr, n)
	if err != nil {
		return nil, nil, nil, err
	}
	logger, err := newLogger(f.logLevel, stderr)
	if err != nil {
		return nil, nil, nil, err
	}
	cfg, err := loadConfig(f.config)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return nil, nil, nil, exitError{err: err, quiet: true}
	}
	return cfg, logger, f.args, nil
}

func cmdFetch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, logger, err := setup("fetch", args, stderr)
	if err != nil {
		return err
	}
	d, err := newDaemon(cfg, logger)
	if err != nil {
		return err
	}
	results := d.fetcher.FetchAll(ctx)
	if err := d.close(); err != nil {
		return err
	}
	failed := printResults(stdout, results)
	if failed == len(results) && len(results) > 0 {
		return exitError{err: errors.New("every source failed"), quiet: false}
	}
	return nil
}

// printResults writes a line per source and reports how many failed.
func printResults(w io.Writer, results []fetcher.Result) (failed int) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range results {
		detail := ""
		switch {
		case r.Err != nil:
			failed++
			detail = strings.ReplaceAll(r.Err.Error(), "\n", " ")
		case r.New > 0 || r.Updated > 0 || r.Duplicate > 0:
			detail = fmt.Sprintf("%d new, %d updated, %d duplicate, %d unchanged", r.New, r.Updated, r.Duplicate, r.Unchanged)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Source, r.Status, r.Duration.Round(time.Millisecond), detail)
	}
	tw.Flush()
	return failed
}

func cmdServe(ctx context.Context, args []string, stderr io.Writer) error {
	cfg, logger, err := setup("serve", args, stderr)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Listen, err)
	}
	d, err := newDaemon(cfg, logger)
	if err != nil {
		ln.Close()
		return err
	}
	return d.serve(ctx, ln)
}

// serve runs the fetcher and the HTTP server until ctx is done, then shuts
// down and closes the store. It owns ln and d.
func (d *daemon) serve(ctx context.Context, ln net.Listener) error {
	logger := d.logger
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	srv := &http.Server{
		Handler:           d.handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	// Event streams never go idle: without this, Shutdown would wait its
	// whole timeout for them and then cut every connection.
	// A reload swaps the feed server: close the streams of whichever is
	// current then (reload closes those of the servers it replaces).
	srv.RegisterOnShutdown(func() { d.feed.Load().CloseLive() })
	cfg := d.cfg.Load()
	logger.Info("tickerd started", "version", versionString(), "addr", ln.Addr().String(),
		"config", cfg.Path, "data", cfg.Data, "sources", len(cfg.Sources))

	fetchCtx, stopFetch := context.WithCancel(ctx)
	defer stopFetch()
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := d.fetcher.Run(fetchCtx); err != nil {
			logger.Error("fetcher stopped", "err", err)
		}
	})
	wg.Go(func() {
		// Ready once every source was polled once: before that the
		// feeds may serve a partial picture after a long downtime.
		select {
		case <-d.fetcher.Polled():
			d.ops.SetReady()
			logger.Info("first poll cycle finished: ready")
		case <-fetchCtx.Done():
		}
	})
	wg.Go(func() { d.pruneLoop(fetchCtx) })
	if d.hub != nil {
		wg.Go(func() { d.hub.Run(fetchCtx, d.store) })
	}
	srvErr := make(chan error, 1)
	go func() { srvErr <- srv.Serve(ln) }()

	var err error
wait:
	for {
		select {
		case <-ctx.Done():
			break wait
		case err = <-srvErr:
			err = fmt.Errorf("http server: %w", err)
			break wait
		case <-hup:
			d.reload(ctx)
		}
	}
	logger.Info("shutting down")
	d.ops.SetNotReady("shutting down")
	// HTTP first so no request reads a closing store, then the fetcher so
	// no fetch writes to it, then the store itself.
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if serr := srv.Shutdown(shutCtx); serr != nil {
		logger.Warn("http shutdown", "err", serr)
		srv.Close()
	}
	stopFetch()
	wg.Wait()
	if cerr := d.close(); cerr != nil && err == nil {
		err = cerr
	}
	logger.Info("stopped")
	return err
}

// matchVersion identifies the canonical pipeline and key rule the story
// index is built with; the store rebuilds the index when it changes.
const matchVersion = match.Version

// newMatcher builds the canonical pipeline of cfg: the built-in lexicon
// and outlets, dedupe.lexicon and dedupe.outlets, and every source's name
// and configured title as outlets that may decorate a headline.
func newMatcher(cfg *config.Config) (*match.Matcher, error) {
	opts := &match.MatcherOptions{Lexicon: cfg.Dedupe.Lexicon, Outlets: cfg.Dedupe.Outlets}
	for _, s := range cfg.Sources {
		opts.Outlets = append(opts.Outlets, s.Name)
		if s.Title != "" {
			opts.Outlets = append(opts.Outlets, s.Title)
		}
	}
	m, err := match.NewMatcher(opts)
	if err != nil {
		return nil, fmt.Errorf("dedupe.lexicon: %w", err)
	}
	return m, nil
}

// storeOptions are the options every command that writes the data file
// opens it with: the dedupe rules of cfg and matcher, and the match
// version whose change rebuilds the story index.
func storeOptions(cfg *config.Config, matcher *match.Matcher, logger *slog.Logger, timeout time.Duration) *store.Options {
	return &store.Options{
		Timeout:      timeout,
		MatchVersion: matchVersion,
		Logger:       logger.With("component", "store"),
		Dedupe:       withRareKeys(storeDedupe(cfg, matcher)),
	}
}

// withRareKeys has the store (either backend) choose keys by rarity
// (match.RareKeys).
func withRareKeys(d store.Dedupe) store.Dedupe {
	d.Keys, d.LookupKeys = match.RareKeys, match.RareLookupKeys
	return d
}

// hubURL is the WebSub hub the feeds announce: websub.hub, or tickerd's
// own at base_url/hub for "self"; "" for none.
func hubURL(cfg *config.Config) string {
	if cfg.WebSub.Hub == "self" {
		return cfg.BaseURL + "/hub"
	}
	return cfg.WebSub.Hub
}

package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os/exec"
	"sync"
	"sync/atomic"
	"time"

	"tickerd/feed"
	"tickerd/fetcher"
	"tickerd/internal/pgtest"
	"tickerd/store"
	"tickerd/store/postgres"
)

// figPostgres is figure 9: the PostgreSQL backend against bbolt on the
// same corpus (ingest, steady cycle, serving), and one replica against
// three sharing one database, polling sources that answer slowly.
func figPostgres(ctx context.Context, c *config, corp *corpus, base string) ([]row, error) {
	names := []string{"9a", "9b", "9c", "9d"}
	skip := func(note string) []row {
		var rows []row
		for _, n := range names {
			rows = append(rows, row{fig: n, name: "PostgreSQL", verdict: verdictSkip, note: note})
		}
		return rows
	}
	newDB := func() (string, error) { return c.pg, nil }
	if c.pg == "" {
		cl, err := pgtest.New()
		if err != nil {
			return skip(err.Error()), nil
		}
		defer cl.Close()
		newDB = cl.CreateDatabase
	}
	var rows []row

	// 9a: ingest, the same feeds into each backend, fresh.
	r := row{fig: "9a", name: fmt.Sprintf("ingest %d feeds, PostgreSQL vs bbolt", c.feeds), target: ">= 0.50"}
	dsn, err := newDB()
	if err != nil {
		return rows, err
	}
	pg, err := postgres.Open(ctx, dsn, &postgres.Options{Dedupe: dedupe, MaxConns: int32(c.conc + 8)})
	if err != nil {
		return rows, err
	}
	defer pg.Close()
	bb, err := openStore(c, "fig9.db")
	if err != nil {
		return rows, err
	}
	defer bb.Close()
	items := c.feeds * c.items
	ingest := func(st fetcher.Store) (time.Duration, tally, error) {
		f, err := newFetcher(c, st, base, c.feeds)
		if err != nil {
			return 0, tally{}, err
		}
		start := time.Now()
		t := tallyOf(f.FetchAll(ctx))
		return time.Since(start), t, t.err
	}
	c.logf("figure 9a: ingest into bbolt, then PostgreSQL")
	tb, tallyB, err := ingest(bb)
	if err != nil {
		return rows, err
	}
	tp, tallyP, err := ingest(pg)
	if err != nil {
		return rows, err
	}
	r.measured, r.ceiling = rate(items, tp, "items/s"), rate(items, tb, "items/s")
	r.ratio = tb.Seconds() / tp.Seconds()
	r.note = fmt.Sprintf("PostgreSQL %d new, %d duplicates, %d commits; bbolt %d new, %d duplicates; one run each, fresh stores, dedupe on; PostgreSQL on a unix socket, fsync off (test cluster)",
		tallyP.newItems, tallyP.dupes, pg.Stats().Writes, tallyB.newItems, tallyB.dupes)
	rows = append(rows, r.check(r.ratio >= 0.5 && tallyP.newItems == tallyB.newItems && tallyP.dupes == tallyB.dupes))

	// 9b: a steady cycle, every source answering 304.
	r = row{fig: "9b", name: fmt.Sprintf("poll cycle, all 304 (%d sources), PostgreSQL vs bbolt", c.sources), target: "(info)", verdict: verdictInfo}
	cycle := func(st fetcher.Store) (time.Duration, error) {
		for i := range c.sources {
			cf := corp.feed(i)
			st.MarkState(store.SourceState{Name: sourceName(i), URL: fmt.Sprintf("%s/f/%d", base, i), ETag: cf.etag, BodyHash: cf.hash, LastStatus: "ok"})
		}
		f, err := newFetcher(c, st, base, c.sources)
		if err != nil {
			return 0, err
		}
		if t := tallyOf(f.FetchAll(ctx)); t.err != nil { // warm-up
			return 0, t.err
		}
		start := time.Now()
		t := tallyOf(f.FetchAll(ctx))
		return time.Since(start), t.err
	}
	dp, db, err := pairedMin(2, func() (time.Duration, error) { return cycle(pg) }, func() (time.Duration, error) { return cycle(bb) })
	if err != nil {
		return rows, err
	}
	r.measured = fmt.Sprintf("%s (%s)", ms(dp), rate(c.sources, dp, "req/s"))
	r.ceiling = fmt.Sprintf("%s (%s)", ms(db), rate(c.sources, db, "req/s"))
	r.ratio = dp.Seconds() / db.Seconds()
	r.note = "a 304 only marks the state in memory on either backend; best of 2 alternated cycles each"
	rows = append(rows, r)

	// 9c: serving, a feed.Server over each store.
	rows = append(rows, servePair(ctx, c, pg, bb))

	// 9d: one replica against three, sources answering slowly.
	r, err = figReplicas(ctx, c, newDB)
	rows = append(rows, r)
	return rows, err
}

// servePair is figure 9c: wrk against /feed.rss (gzip) of a feed.Server
// over PostgreSQL and one over bbolt, holding the same items.
func servePair(ctx context.Context, c *config, pg, bb store.Backend) row {
	r := row{fig: "9c", name: "serve /feed.rss gzip, PostgreSQL vs bbolt", target: "(info)", verdict: verdictInfo}
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		r.verdict, r.note = verdictSkip, "wrk not found (install the Debian package wrk)"
		return r
	}
	var urls []string
	for _, st := range []store.Backend{pg, bb} {
		fs, err := feed.New(st, nil, nil)
		if err != nil {
			r.verdict, r.note = verdictSkip, err.Error()
			return r
		}
		u, stop, err := serve(fs.Handler())
		if err != nil {
			r.verdict, r.note = verdictSkip, err.Error()
			return r
		}
		defer stop()
		urls = append(urls, u+"/feed.rss")
	}
	h := []string{"Accept-Encoding: gzip"}
	var got, ceil wrkResult
	for range 2 {
		a, err := runWrk(ctx, wrk, urls[0], h, c.duration)
		if err != nil {
			r.verdict, r.note = verdictSkip, err.Error()
			return r
		}
		b, err := runWrk(ctx, wrk, urls[1], h, c.duration)
		if err != nil {
			r.verdict, r.note = verdictSkip, err.Error()
			return r
		}
		if a.rps > got.rps {
			got = a
		}
		if b.rps > ceil.rps {
			ceil = b
		}
	}
	r.measured = fmt.Sprintf("%.0f req/s, p99 %s", got.rps, got.p99)
	r.ceiling = fmt.Sprintf("%.0f req/s, p99 %s", ceil.rps, ceil.p99)
	r.ratio = got.rps / ceil.rps
	r.note = "rendered once per change and served from memory on either backend; best of 2 runs each of wrk -t2 -c64"
	return r
}

// slowFarm answers every GET after latency, 304 to a matching
// If-None-Match: sources whose round trip, not the database, bounds a
// replica's polling. It listens on several loopback addresses, so that
// per_host (shared by the replicas) is not what binds.
type slowFarm struct {
	latency time.Duration
	hits    atomic.Int64
	urls    []string
	stops   []func()
}

func startSlowFarm(hosts int, latency time.Duration) (*slowFarm, error) {
	f := &slowFarm{latency: latency}
	body := []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>s</title><link>https://s.example/</link><item><guid>1</guid><title>one</title></item></channel></rss>`)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.hits.Add(1)
		time.Sleep(f.latency)
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(body)
	})
	for i := range hosts {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", i+1))
		if err != nil {
			f.stop()
			return nil, err
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln)
		f.urls = append(f.urls, "http://"+ln.Addr().String())
		f.stops = append(f.stops, func() { srv.Close() })
	}
	return f, nil
}

func (f *slowFarm) stop() {
	for _, s := range f.stops {
		s()
	}
}

// figReplicas is figure 9d: the sources one replica polls per second,
// against three replicas on one database taking turns through leases
// and shared per-host slots (what cmd/tickerd wires), each with its own
// pool, listener and fetcher at the same concurrency.
func figReplicas(ctx context.Context, c *config, newDB func() (string, error)) (row, error) {
	n := min(c.sources, 800)
	latency := 200 * time.Millisecond
	if n < 400 {
		latency = 50 * time.Millisecond
	}
	r := row{fig: "9d", name: fmt.Sprintf("poll %d slow sources, 3 replicas vs 1", n), target: ">= 2.50"}
	farm, err := startSlowFarm(10, latency)
	if err != nil {
		r.verdict, r.note = verdictSkip, err.Error()
		return r, nil
	}
	defer farm.stop()
	dsn, err := newDB()
	if err != nil {
		return r, err
	}
	round := 0
	run := func(replicas int) (time.Duration, error) {
		round++
		prefix := fmt.Sprintf("r%d-", round) // fresh leases each run
		var sources []fetcher.Source
		for i := range n {
			sources = append(sources, fetcher.Source{Name: fmt.Sprintf("%s%d", prefix, i), URL: fmt.Sprintf("%s/s/%d", farm.urls[i%len(farm.urls)], i)})
		}
		type rep struct {
			st *postgres.Store
			f  *fetcher.Fetcher
			id string
		}
		var reps []rep
		defer func() {
			for _, rp := range reps {
				rp.st.Close()
			}
		}()
		for i := range replicas {
			st, err := postgres.Open(ctx, dsn, &postgres.Options{Dedupe: dedupe, MaxConns: int32(2*c.conc + 8)})
			if err != nil {
				return 0, err
			}
			id := fmt.Sprintf("bench-%d", i)
			opts := &fetcher.Options{Sources: sources, Concurrency: c.conc, PerHost: c.conc, Timeout: 30 * time.Second}
			opts.HostSlot = func(ctx context.Context, host string, perHost int) (func(), error) {
				return st.HostSlot(ctx, host, id, perHost, time.Minute)
			}
			f, err := fetcher.New(st, opts, nil)
			if err != nil {
				st.Close()
				return 0, err
			}
			// A steady cycle: every source known, every answer a 304, so
			// the database does only what polling needs (claims, slots).
			for _, src := range sources {
				st.MarkState(store.SourceState{Name: src.Name, URL: src.URL, ETag: `"v1"`, LastStatus: "not_modified"})
			}
			reps = append(reps, rep{st, f, id})
		}
		var fetched atomic.Int64
		var firstErr atomic.Pointer[error]
		start := time.Now()
		var wg sync.WaitGroup
		for _, rp := range reps {
			order := rand.Perm(n)
			var next atomic.Int64
			for range c.conc {
				wg.Go(func() {
					for {
						i := int(next.Add(1)) - 1
						if i >= n || fetched.Load() >= int64(n) {
							return
						}
						name := sources[order[i]].Name
						ok, err := rp.st.Claim(ctx, name, rp.id, time.Hour, time.Minute)
						if err != nil {
							firstErr.CompareAndSwap(nil, &err)
							return
						}
						if !ok {
							continue
						}
						res := rp.f.Fetch(ctx, name)
						if res.Err != nil {
							firstErr.CompareAndSwap(nil, &res.Err)
						} else if res.Status != fetcher.StatusNotModified {
							err := fmt.Errorf("source %s: %s, want not_modified", name, res.Status)
							firstErr.CompareAndSwap(nil, &err)
						}
						fetched.Add(1)
					}
				})
			}
		}
		wg.Wait()
		took := time.Since(start)
		if p := firstErr.Load(); p != nil {
			return took, *p
		}
		if got := fetched.Load(); got != int64(n) {
			return took, fmt.Errorf("%d replicas fetched %d of %d sources", replicas, got, n)
		}
		return took, nil
	}
	c.logf("figure 9d: %d sources at %s each, 1 replica then 3", n, latency)
	hits := farm.hits.Load()
	t3, t1, err := pairedMin(2, func() (time.Duration, error) { return run(3) }, func() (time.Duration, error) { return run(1) })
	if err != nil {
		return r, err
	}
	r.measured = rate(n, t3, "sources/s")
	r.ceiling = rate(n, t1, "sources/s") + " (1)"
	r.ratio = t1.Seconds() / t3.Seconds()
	r.note = fmt.Sprintf("a steady cycle: each source answers 304 after %s; %d fetches in flight per replica; each fetch claims its lease (SKIP LOCKED) and a shared host slot; %d requests in 4 runs (each source fetched once per run: %v); best of 2 alternated runs each",
		latency, c.conc, farm.hits.Load()-hits, farm.hits.Load()-hits == int64(4*n))
	return r.check(r.ratio >= 2.5 && farm.hits.Load()-hits == int64(4*n)), nil
}

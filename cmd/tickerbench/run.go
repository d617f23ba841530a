package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"time"

	tcfg "tickerd/config"
	"tickerd/fetcher"
	"tickerd/match"
	"tickerd/store"
)

// dedupe is the daemon's default dedupe configuration (config's defaults).
var dedupe = store.Dedupe{
	Window: tcfg.DefaultDedupeWindow, Threshold: tcfg.DefaultSimilarity,
	Similarity: match.Score, Keys: match.RareKeys, LookupKeys: match.RareLookupKeys, Prefilter: match.ScorePrefilter,
	Mask: match.TokenMask, MaskFilter: match.ScoreMaskFilter,
	Story: func(it *store.Item) *store.Story {
		return fetcher.StoryOf(nil, it.Title, it.Link, tcfg.DefaultSimilarity)
	},
}

// runAll runs every wanted figure in order and returns the rows measured
// so far, with the first error that stopped the run.
func runAll(ctx context.Context, c *config) ([]row, error) {
	var rows []row
	c.logf("generating %d feeds of %d items", c.feeds, c.items)
	now := time.Now()
	corp := newCorpus(c.feeds, c.items, now, c.corpus == "vocab")
	cs, err := startRemoteCorpus(corp)
	if err != nil {
		return nil, err
	}
	defer cs.stop()
	base := cs.base
	c.logf("corpus %s: %d feeds, %.1f MB, served at %s by process %d", c.corpus, c.feeds, float64(corp.bytes())/1e6, base, cs.cmd.Process.Pid)

	// The store of figure 2 is the one figures 4 and 7 serve from.
	var ingested *store.Store
	if c.want(2) || c.want(4) || c.want(7) {
		// Each row runs under a profiler label (fig), so that one
		// -cpuprofile tells the rows apart: pprof -tagfocus fig=2d.
		var (
			r   row
			st  *store.Store
			err error
		)
		pprof.Do(ctx, pprof.Labels("fig", "2"), func(ctx context.Context) { r, st, err = figIngest(ctx, c, corp, base) })
		if st != nil {
			defer func() {
				if ingested != nil {
					ingested.Close()
				}
			}()
		}
		if err != nil {
			return rows, fmt.Errorf("figure 2: %w", err)
		}
		if c.want(2) {
			rows = append(rows, r)
			var err error
			pprof.Do(ctx, pprof.Labels("fig", "2e"), func(ctx context.Context) { r, err = figIngestGetParse(ctx, c, corp, base) })
			rows = append(rows, r)
			if err != nil {
				return rows, fmt.Errorf("figure 2e: %w", err)
			}
			pprof.Do(ctx, pprof.Labels("fig", "2b"), func(ctx context.Context) { r, err = figIngestNoStore(ctx, c, corp, base) })
			rows = append(rows, r)
			if err != nil {
				return rows, fmt.Errorf("figure 2b: %w", err)
			}
			pprof.Do(ctx, pprof.Labels("fig", "2c"), func(ctx context.Context) { r, err = figIngestFloor(ctx, c, corp, base) })
			rows = append(rows, r)
			if err != nil {
				return rows, fmt.Errorf("figure 2c: %w", err)
			}
			pprof.Do(ctx, pprof.Labels("fig", "2d"), func(ctx context.Context) { r, err = figIngestNoDedupe(ctx, c, corp, base) })
			rows = append(rows, r)
			if err != nil {
				return rows, fmt.Errorf("figure 2d: %w", err)
			}
		}
		ingested = st
	}
	if c.want(9) {
		rs, err := figPostgres(ctx, c, corp, base)
		rows = append(rows, rs...)
		if err != nil {
			return rows, fmt.Errorf("figure 9: %w", err)
		}
	}
	if c.want(3) {
		rs, err := figPoll(ctx, c, corp, cs, base)
		rows = append(rows, rs...)
		if err != nil {
			return rows, fmt.Errorf("figure 3: %w", err)
		}
	}
	if c.want(4) {
		rs, err := figServe(ctx, c, ingested)
		rows = append(rows, rs...)
		if err != nil {
			return rows, fmt.Errorf("figure 4: %w", err)
		}
	}
	// From here on the harness needs only validators and hashes.
	corp.dropBodies()
	if (c.want(5) || c.want(6)) && ingested != nil {
		// Figure 6 is one daemon's heap: figure 2's store, which keeps its
		// new items' story index in memory, is closed meanwhile, and
		// opened again for figure 7.
		if err := ingested.Close(); err != nil {
			return rows, err
		}
		ingested = nil
	}
	if c.want(5) || c.want(6) {
		rs, err := figScale(ctx, c, corp, cs, base)
		rows = append(rows, rs...)
		if err != nil {
			return rows, fmt.Errorf("figures 5 and 6: %w", err)
		}
	}
	if c.want(7) && ingested == nil {
		var err error
		if ingested, err = openStore(c, "ingest.db"); err != nil {
			return rows, fmt.Errorf("figure 7: %w", err)
		}
	}
	if c.want(7) {
		r, err := figFanout(ctx, c, ingested)
		rows = append(rows, r)
		if err != nil {
			return rows, fmt.Errorf("figure 7: %w", err)
		}
	}
	if c.want(8) {
		rs, err := figFresh(ctx, c)
		rows = append(rows, rs...)
		if err != nil {
			return rows, fmt.Errorf("figure 8: %w", err)
		}
	}
	return rows, nil
}

// serve serves h on a loopback port until stop is called.
func serve(h http.Handler) (base string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(ln)
	}()
	return "http://" + ln.Addr().String(), func() {
		srv.Close()
		<-done
	}, nil
}

func sourceName(i int) string { return fmt.Sprintf("src-%05d", i) }

func sourcesFor(base string, n int) []fetcher.Source {
	out := make([]fetcher.Source, n)
	for i := range out {
		out[i] = fetcher.Source{Name: sourceName(i), URL: fmt.Sprintf("%s/f/%d", base, i)}
	}
	return out
}

// newFetcher is a fetcher over n sources on the corpus server. Every
// source is on one host, so the per-host limit is the overall one: the
// comparison with the bare client is at the same concurrency.
func newFetcher(c *config, st fetcher.Store, base string, n int) (*fetcher.Fetcher, error) {
	return fetcher.New(st, &fetcher.Options{
		Sources:     sourcesFor(base, n),
		Concurrency: c.conc,
		PerHost:     c.conc,
		Similarity:  dedupe.Threshold,
		MaxItems:    max(c.items, fetcher.DefaultMaxItems),
	}, nil)
}

func openStore(c *config, name string) (*store.Store, error) {
	return store.Open(filepath.Join(c.dir, name), &store.Options{Timeout: time.Second, Dedupe: dedupe, MatchVersion: match.Version})
}

// tally sums a cycle's results and returns the first failure.
type tally struct {
	byStatus               map[fetcher.Status]int
	items, newItems, dupes int
	err                    error
}

func tallyOf(results []fetcher.Result) tally {
	t := tally{byStatus: map[fetcher.Status]int{}}
	for _, r := range results {
		t.byStatus[r.Status]++
		t.items += r.New + r.Updated + r.Unchanged + r.Duplicate
		t.newItems += r.New
		t.dupes += r.Duplicate
		if r.Err != nil && t.err == nil {
			t.err = fmt.Errorf("source %s: %w", r.Source, r.Err)
		}
	}
	return t
}

// heapBytes reads the bytes of live and not yet swept heap objects.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// peakSampler samples the Go heap and RSS until stopped, keeping peaks.
type peakSampler struct {
	stop, done chan struct{}
	heap, rss  uint64 // peaks; read them after finish
}

func startSampler(interval time.Duration) *peakSampler {
	p := &peakSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			p.heap = max(p.heap, heapBytes())
			p.rss = max(p.rss, rss())
			select {
			case <-p.stop:
				return
			case <-t.C:
			}
		}
	}()
	return p
}

// finish stops sampling; the peaks may be read after it returns.
func (p *peakSampler) finish() {
	close(p.stop)
	<-p.done
}

// settledHeap is the heap after a full collection: what is live.
func settledHeap() uint64 {
	runtime.GC()
	return heapBytes()
}

// pairedMin runs a then b, n times over, and returns each one's fastest
// run: alternating, both sides of a ratio see the same moments of a
// shared machine.
func pairedMin(n int, a, b func() (time.Duration, error)) (da, db time.Duration, err error) {
	for range n {
		d, err := a()
		if err != nil {
			return 0, 0, err
		}
		if da == 0 || d < da {
			da = d
		}
		if d, err = b(); err != nil {
			return 0, 0, err
		}
		if db == 0 || d < db {
			db = d
		}
	}
	return da, db, nil
}

package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mmcdole/gofeed"
	bolt "go.etcd.io/bbolt"

	"tickerd/fetcher"
	"tickerd/store"
)

// figIngest is figure 2: the fetcher's whole path (GET, charset, parse,
// normalize, sanitize, dedupe, store) over every feed of the corpus, against
// gofeed parsing alone on the same bytes with as many goroutines as there
// are CPUs. The store it fills is returned open, for the serving figures.
func figIngest(ctx context.Context, c *config, corp *corpus, base string) (row, *store.Store, error) {
	r := row{fig: "2", name: fmt.Sprintf("ingest %d feeds (full path vs gofeed)", c.feeds), target: ">= 0.50"}
	items := c.feeds * c.items
	// The ceiling runs before and after the full path, which can run
	// only once on a fresh store; the better of the two counts.
	cpu0 := cpuTime()
	before, err := gofeedAll(corp)
	if err != nil {
		return r, nil, err
	}
	ceilingCPU := cpuTime() - cpu0
	st, err := openStore(c, "ingest.db")
	if err != nil {
		return r, nil, err
	}
	f, err := newFetcher(c, st, base, c.feeds)
	if err != nil {
		return r, st, err
	}
	c.logf("figure 2: fetching %d feeds", c.feeds)
	writes := st.Stats().Writes
	start, cpu0 := time.Now(), cpuTime()
	t := tallyOf(f.FetchAll(ctx))
	took, tookCPU := time.Since(start), cpuTime()-cpu0
	c.fig2CPU = tookCPU
	writes = st.Stats().Writes - writes
	if t.err != nil {
		return r, st, t.err
	}
	if t.items != items {
		return r, st, fmt.Errorf("stored %d items of %d fetched", t.items, items)
	}
	cpu0 = cpuTime()
	after, err := gofeedAll(corp)
	if err != nil {
		return r, st, err
	}
	ceilingCPU = (ceilingCPU + cpuTime() - cpu0) / 2
	ceiling := min(before, after)
	c.fig2Took = took // for row 2e
	r.measured = rate(items, took, "items/s")
	r.ceiling = rate(items, ceiling, "items/s")
	r.ratio = ceiling.Seconds() / took.Seconds()
	r.note = fmt.Sprintf("%d new, %d merged as duplicate stories, %d commits; full path %s, gofeed %s (%d goroutines, best of one run before and one after); "+
		"CPU time of this process (the corpus server is another): full path %s, gofeed %s, ratio %.2f",
		t.newItems, t.dupes, writes, ms(took), ms(ceiling), runtime.GOMAXPROCS(0), ms(tookCPU), ms(ceilingCPU),
		ceilingCPU.Seconds()/tookCPU.Seconds())
	return r.check(r.ratio >= 0.5), st, nil
}

// figIngestNoStore is figure 2 with a store that keeps nothing: what the
// fetcher's own work (GET, charset, parse, normalize, sanitize) costs
// beside gofeed, so the table shows which side of the store the gap is.
func figIngestNoStore(ctx context.Context, c *config, corp *corpus, base string) (row, error) {
	r := row{fig: "2b", name: "  the same without the store (fetcher alone)", target: "(diagnosis)", verdict: verdictInfo}
	items := c.feeds * c.items
	f, err := newFetcher(c, nullStore{}, base, c.feeds)
	if err != nil {
		return r, err
	}
	// The CPU time of each side too, least of its runs: with it the
	// table shows how much of the process's CPU budget the fetcher
	// leaves a store.
	var cpuFetch, cpuParse time.Duration
	least := func(d *time.Duration, v time.Duration) {
		if *d == 0 || v < *d {
			*d = v
		}
	}
	took, ceiling, err := pairedMin(2, func() (time.Duration, error) {
		start, cpu0 := time.Now(), cpuTime()
		t := tallyOf(f.FetchAll(ctx))
		if t.err == nil && t.items != items {
			t.err = fmt.Errorf("handed %d items to the store, want %d", t.items, items)
		}
		least(&cpuFetch, cpuTime()-cpu0)
		return time.Since(start), t.err
	}, func() (time.Duration, error) {
		cpu0 := cpuTime()
		d, err := gofeedAll(corp)
		least(&cpuParse, cpuTime()-cpu0)
		return d, err
	})
	if err != nil {
		return r, err
	}
	r.measured = rate(items, took, "items/s")
	r.ceiling = rate(items, ceiling, "items/s")
	r.ratio = ceiling.Seconds() / took.Seconds()
	r.note = fmt.Sprintf("a store that counts items as new and keeps no state, so every poll parses; best of 2 alternated runs each; "+
		"CPU: fetcher %s, gofeed %s, ratio %.2f", ms(cpuFetch), ms(cpuParse), cpuParse.Seconds()/cpuFetch.Seconds())
	return r, nil
}

// nullStore is a fetcher.Store that keeps nothing: every item is new
// and no state is remembered, so every fetch parses the whole body.
type nullStore struct{}

func (nullStore) Ingest(_ context.Context, _ store.SourceState, items []store.Item) (store.IngestResult, error) {
	return store.IngestResult{New: len(items)}, nil
}
func (nullStore) SaveState(context.Context, store.SourceState) error { return nil }
func (nullStore) MarkState(store.SourceState)                        {}
func (nullStore) State(string) (store.SourceState, bool)             { return store.SourceState{}, false }

// gofeedAll parses every corpus body with gofeed, one goroutine per CPU.
func gofeedAll(corp *corpus) (time.Duration, error) {
	parsers := make([]*gofeed.Parser, runtime.GOMAXPROCS(0))
	for w := range parsers {
		parsers[w] = gofeed.NewParser()
	}
	return workers(len(parsers), len(corp.feeds), func(w, i int) error {
		feed, err := parsers[w].Parse(bytes.NewReader(corp.feeds[i].body))
		if err == nil && len(feed.Items) != corp.items {
			err = fmt.Errorf("%d items, want %d", len(feed.Items), corp.items)
		}
		if err != nil {
			return fmt.Errorf("gofeed on feed %d (%s): %w", i, corp.feeds[i].kind, err)
		}
		return nil
	})
}

// getParseAll is the bare GET+gofeed client: every feed fetched over HTTP
// from the corpus server, c.conc at a time, each body read whole and
// parsed by gofeed, nothing else.
func getParseAll(ctx context.Context, c *config, corp *corpus, base string) (time.Duration, error) {
	bare := newBareClient(c, base)
	defer bare.close()
	parsers := make([]*gofeed.Parser, c.conc)
	for w := range parsers {
		parsers[w] = gofeed.NewParser()
	}
	return workers(c.conc, len(corp.feeds), func(w, i int) error {
		body, status, err := bare.get(ctx, i, "")
		if err == nil && status != http.StatusOK {
			err = fmt.Errorf("status %d", status)
		}
		if err != nil {
			return fmt.Errorf("bare GET %d: %w", i, err)
		}
		feed, err := parsers[w].Parse(bytes.NewReader(body))
		if err == nil && len(feed.Items) != corp.items {
			err = fmt.Errorf("%d items, want %d", len(feed.Items), corp.items)
		}
		if err != nil {
			return fmt.Errorf("gofeed on feed %d (%s): %w", i, corp.feeds[i].kind, err)
		}
		return nil
	})
}

// figIngestGetParse is row 2e: figure 2's full path against the ceiling as
// the issue words it, a bare GET+gofeed client on the same server at the
// same concurrency, timed right after row 2 (best of two).
func figIngestGetParse(ctx context.Context, c *config, corp *corpus, base string) (row, error) {
	r := row{fig: "2e", name: "  the full path vs a bare GET+gofeed client", target: ">= 0.50"}
	var ceiling time.Duration
	for range 2 {
		d, err := getParseAll(ctx, c, corp, base)
		if err != nil {
			return r, err
		}
		if ceiling == 0 || d < ceiling {
			ceiling = d
		}
	}
	items := c.feeds * c.items
	r.measured = rate(items, c.fig2Took, "items/s")
	r.ceiling = rate(items, ceiling, "items/s")
	r.ratio = ceiling.Seconds() / c.fig2Took.Seconds()
	r.note = fmt.Sprintf("row 2's run against %d concurrent GETs of the same server, each body parsed by gofeed (best of two runs after row 2); full path %s, GET+gofeed %s",
		c.conc, ms(c.fig2Took), ms(ceiling))
	return r.check(r.ratio >= 0.5), nil
}

// figPoll is figure 3: a steady poll cycle of every source, (a) all
// answering 304 and (b) all answering 200 with the body of the last poll,
// against a bare Go client making the same requests at the same
// concurrency.
func figPoll(ctx context.Context, c *config, corp *corpus, cs *remoteCorpus, base string) ([]row, error) {
	st, err := openStore(c, "poll.db")
	if err != nil {
		return nil, err
	}
	defer st.Close()
	// The state a first poll would have left: validators and body hash.
	// Polling 10,000 sources for real first would cost minutes of ingest
	// that figure 2 measures already.
	primeStates(st, corp, c.sources, base)
	f, err := newFetcher(c, st, base, c.sources)
	if err != nil {
		return nil, err
	}
	bare := newBareClient(c, base)
	defer bare.close()

	var rows []row
	for _, tc := range []struct {
		fig, name string
		mode      int32
		want      fetcher.Status
	}{
		{"3a", "poll cycle, all 304", modeConditional, fetcher.StatusNotModified},
		{"3b", "poll cycle, all 200 identical", modeIgnore, fetcher.StatusUnchanged},
	} {
		r := row{fig: tc.fig, name: fmt.Sprintf("%s (%d sources)", tc.name, c.sources), target: "<= 1.50"}
		if err := cs.setMode(tc.mode); err != nil {
			return rows, err
		}
		c.logf("figure %s: warm-up cycle", tc.fig)
		// The first cycle plans each source's next attempt and saves it;
		// the steady state is every cycle after.
		if t := tallyOf(f.FetchAll(ctx)); t.err != nil {
			return rows, t.err
		}
		writes := st.Stats().Writes
		var t tally
		// Labelled, as figure 2's rows: pprof -tagfocus fig=3a-fetcher.
		full, ceiling, err := pairedMin(3, func() (d time.Duration, err error) {
			pprof.Do(ctx, pprof.Labels("fig", tc.fig+"-fetcher"), func(ctx context.Context) {
				start := time.Now()
				t = tallyOf(f.FetchAll(ctx))
				d, err = time.Since(start), t.err
			})
			return d, err
		}, func() (d time.Duration, err error) {
			pprof.Do(ctx, pprof.Labels("fig", tc.fig+"-bare"), func(ctx context.Context) { d, err = bare.cycle(ctx, c.sources, corp, tc.mode) })
			return d, err
		})
		if err != nil {
			return rows, err
		}
		if t.byStatus[tc.want] != c.sources || t.items != 0 {
			return rows, fmt.Errorf("cycle: %v and %d items parsed, want %d %s and none", t.byStatus, t.items, c.sources, tc.want)
		}
		wrote := st.Stats().Writes - writes
		r.measured = fmt.Sprintf("%s (%s)", ms(full), rate(c.sources, full, "req/s"))
		r.ceiling = fmt.Sprintf("%s (%s)", ms(ceiling), rate(c.sources, ceiling, "req/s"))
		r.ratio = full.Seconds() / ceiling.Seconds()
		r.note = fmt.Sprintf("%d store writes during 3 cycles; no items parsed; best of 3 alternated cycles each", wrote)
		ok := r.ratio <= 1.5 && wrote == 0
		rows = append(rows, r.check(ok))
	}
	return rows, cs.setMode(modeConditional)
}

// bareClient is the ceiling of figure 3: plain net/http GETs, with the
// same concurrency, conditional headers and body reads as the fetcher,
// and nothing else.
type bareClient struct {
	c      *config
	base   string
	client *http.Client
}

func newBareClient(c *config, base string) *bareClient {
	tr := &http.Transport{MaxIdleConns: 100, MaxIdleConnsPerHost: c.conc, IdleConnTimeout: 90 * time.Second}
	return &bareClient{c: c, base: base, client: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

func (b *bareClient) close() { b.client.CloseIdleConnections() }

func (b *bareClient) cycle(ctx context.Context, n int, corp *corpus, mode int32) (time.Duration, error) {
	return workers(b.c.conc, n, func(_, i int) error {
		etag := ""
		if mode == modeConditional {
			etag = corp.feed(i).etag
		}
		_, status, err := b.get(ctx, i, etag)
		if err == nil && status != http.StatusOK && status != http.StatusNotModified {
			err = fmt.Errorf("bare GET %d: status %d", i, status)
		}
		return err
	})
}

// get fetches feed i, with If-None-Match when etag is set, and reads the
// body whole.
func (b *bareClient) get(ctx context.Context, i int, etag string) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/f/%d", b.base, i), nil)
	if err != nil {
		return nil, 0, err
	}
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	return body, resp.StatusCode, err
}

// workers runs fn(w, i) for every i below n on conc goroutines (w is the
// goroutine's number); each goroutine stops at its first error. It
// returns the wall time and the first error.
func workers(conc, n int, fn func(w, i int) error) (time.Duration, error) {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, conc)
	start := time.Now()
	for w := range conc {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if errs[w] = fn(w, i); errs[w] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	for _, err := range errs {
		if err != nil {
			return 0, err
		}
	}
	return took, nil
}

// primeStates gives the first n sources the state a first poll would have
// left them: validators and body hash, so the next cycle is a steady one.
func primeStates(st *store.Store, corp *corpus, n int, base string) {
	for i := range n {
		cf := corp.feed(i)
		st.MarkState(store.SourceState{Name: sourceName(i), URL: fmt.Sprintf("%s/f/%d", base, i),
			ETag: cf.etag, BodyHash: cf.hash, LastStatus: "ok"})
	}
}

// figIngestFloor is figure 2 with the least a durable store can do: each
// item encoded as JSON and put in one bbolt bucket under a time-ordered
// key, concurrent feeds committed together by bbolt's own Batch, with no
// dedupe, no identity or story index and no change log. It bounds what
// figure 2 can reach with bbolt on this machine, whatever tickerd's store
// does on top.
func figIngestFloor(ctx context.Context, c *config, corp *corpus, base string) (row, error) {
	r := row{fig: "2c", name: "  the floor: fetcher into bare bbolt puts", target: "(diagnosis)", verdict: verdictInfo}
	db, err := bolt.Open(filepath.Join(c.dir, "floor.db"), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return r, err
	}
	defer db.Close()
	// Batch keeps its defaults (up to 1,000 calls, 10 ms): they group
	// the fetchers into about as many commits as tickerd's store makes
	// (about 150 for 1,000 feeds). A 1 ms delay made 500 commits and
	// read 0.32 instead of 0.39, 5 ms 240 commits and 0.38.
	fs := &floorStore{db: db, txs: map[int]bool{}}
	m, err := ingestOnce(ctx, c, corp, base, fs)
	if err != nil {
		return r, err
	}
	return m.fill(r, fmt.Sprintf("%d commits", len(fs.txs))), nil
}

// figIngestNoDedupe is figure 2 with tickerd's store and cross-source
// dedupe off: no story index, no lookups, no reports. What separates it
// from row 2 is what dedupe costs; from row 2c, the identity and source
// indexes, the change log and the source states.
func figIngestNoDedupe(ctx context.Context, c *config, corp *corpus, base string) (row, error) {
	r := row{fig: "2d", name: "  tickerd's store with dedupe off", target: "(diagnosis)", verdict: verdictInfo}
	st, err := store.Open(filepath.Join(c.dir, "nodedupe.db"), &store.Options{Timeout: time.Second})
	if err != nil {
		return r, err
	}
	defer st.Close()
	writes := st.Stats().Writes
	m, err := ingestOnce(ctx, c, corp, base, st)
	if err != nil {
		return r, err
	}
	r = m.fill(r, fmt.Sprintf("%d commits", st.Stats().Writes-writes))
	if c.fig2CPU > 0 {
		// The target: dedupe on costs at most 1.5 times the CPU
		// of dedupe off.
		r.note += fmt.Sprintf("; CPU of row 2 (dedupe on) / this row (off): %.2f (target <= 1.50)", c.fig2CPU.Seconds()/m.tookCPU.Seconds())
	}
	return r, nil
}

// ingestRun is one fetch of every feed into some store, beside one run of
// the gofeed ceiling.
type ingestRun struct {
	items               int
	took, tookCPU       time.Duration
	ceiling, ceilingCPU time.Duration
}

// ingestOnce fetches every feed of the corpus into st once, then runs the
// gofeed ceiling once.
func ingestOnce(ctx context.Context, c *config, corp *corpus, base string, st fetcher.Store) (ingestRun, error) {
	m := ingestRun{items: c.feeds * c.items}
	f, err := newFetcher(c, st, base, c.feeds)
	if err != nil {
		return m, err
	}
	start, cpu0 := time.Now(), cpuTime()
	t := tallyOf(f.FetchAll(ctx))
	m.took, m.tookCPU = time.Since(start), cpuTime()-cpu0
	if t.err == nil && t.items != m.items {
		t.err = fmt.Errorf("handed %d items to the store, want %d", t.items, m.items)
	}
	if t.err != nil {
		return m, t.err
	}
	cpu0 = cpuTime()
	m.ceiling, err = gofeedAll(corp)
	m.ceilingCPU = cpuTime() - cpu0
	return m, err
}

// fill sets r's figures from m, with what note says about the store.
func (m ingestRun) fill(r row, note string) row {
	r.measured = rate(m.items, m.took, "items/s")
	r.ceiling = rate(m.items, m.ceiling, "items/s")
	r.ratio = m.ceiling.Seconds() / m.took.Seconds()
	r.note = fmt.Sprintf("one run; %s; CPU: full path %s, gofeed %s, ratio %.2f",
		note, ms(m.tookCPU), ms(m.ceilingCPU), m.ceilingCPU.Seconds()/m.tookCPU.Seconds())
	return r
}

// floorStore is a fetcher.Store that writes each item with one bbolt Put
// and nothing else (see figIngestFloor).
type floorStore struct {
	nullStore
	db  *bolt.DB
	mu  sync.Mutex
	txs map[int]bool // ids of the write transactions, to count commits
}

func (s *floorStore) Ingest(_ context.Context, _ store.SourceState, items []store.Item) (store.IngestResult, error) {
	err := s.db.Batch(func(tx *bolt.Tx) error {
		s.mu.Lock()
		s.txs[tx.ID()] = true
		s.mu.Unlock()
		b, err := tx.CreateBucketIfNotExists([]byte("items"))
		if err != nil {
			return err
		}
		for i := range items {
			v, err := json.Marshal(&items[i])
			if err != nil {
				return err
			}
			h := fnv.New64a()
			h.Write([]byte(items[i].Source + "\x00" + items[i].ID))
			k := binary.BigEndian.AppendUint64(nil, uint64(items[i].Published.UnixNano()))
			if err := b.Put(binary.BigEndian.AppendUint64(k, h.Sum64()), v); err != nil {
				return err
			}
		}
		return nil
	})
	return store.IngestResult{New: len(items)}, err
}

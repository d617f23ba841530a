package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"tickerd/internal/pgtest"
	"tickerd/store"
	"tickerd/store/postgres"
)

// farm serves farmSources feeds that move on with every request: each
// lists its five newest items, one new per request (so an item stays
// listed for five polls, and a poll lost with a killed replica is made up
// by the next). Item 10k of sources 2j and 2j+1 is one story told by
// both, under one title. It records every request: when, for which
// source, from which replica (the User-Agent).
type farm struct {
	mu      sync.Mutex
	gen     map[int]int
	frozen  bool
	first   map[string]farmServed // "src/n" → when and to whom it was first farmServed
	fetches map[int][]fetchRec
	latency time.Duration // added to every response
	// inFlight and maxInFlight count requests being answered per host.
	inFlight, maxInFlight map[string]int
	urls                  []string // base URL of each host
	n                     int      // sources
}

type farmServed struct {
	at time.Time
	ua string
}

type fetchRec struct {
	at time.Time
	ua string
}

const (
	farmSources = 200
	farmWindow  = 5
)

func newFarm(n int) *farm {
	return &farm{n: n, gen: map[int]int{}, first: map[string]farmServed{}, fetches: map[int][]fetchRec{},
		inFlight: map[string]int{}, maxInFlight: map[string]int{}}
}

// farmHosts is how many hosts the farm's sources are spread over: one
// loopback address each (127.0.0.1 … 127.0.0.10 all reach this machine).
const farmHosts = 10

// start serves the farm on farmHosts loopback addresses until the test
// ends; source i is on host i%farmHosts.
func (f *farm) start(t *testing.T) {
	t.Helper()
	for h := range farmHosts {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", h+1))
		if err != nil {
			t.Skipf("loopback address 127.0.0.%d: %v", h+1, err)
		}
		srv := httptest.NewUnstartedServer(f)
		srv.Listener.Close()
		srv.Listener = ln
		srv.Start()
		t.Cleanup(srv.Close)
		f.urls = append(f.urls, srv.URL)
	}
}

func (f *farm) sourceURL(i int) string { return fmt.Sprintf("%s/s%d.xml", f.urls[i%farmHosts], i) }

func farmTitle(src, n int) string {
	if n%10 == 0 {
		return fmt.Sprintf("Joint story %d number %d from the summit", src/2, n)
	}
	return fmt.Sprintf("Source %d bulletin %d about harbour %d", src, n, src*1000+n)
}

func (f *farm) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var src int
	if _, err := fmt.Sscanf(r.URL.Path, "/s%d.xml", &src); err != nil || src < 0 || src >= f.n {
		http.NotFound(w, r)
		return
	}
	host, _, _ := net.SplitHostPort(r.Host)
	f.mu.Lock()
	f.inFlight[host]++
	f.maxInFlight[host] = max(f.maxInFlight[host], f.inFlight[host])
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inFlight[host]--
		f.mu.Unlock()
	}()
	if f.latency > 0 {
		time.Sleep(f.latency)
	}
	now := time.Now()
	ua := r.Header.Get("User-Agent")
	f.mu.Lock()
	g := f.gen[src]
	if !f.frozen {
		f.gen[src]++
	}
	f.fetches[src] = append(f.fetches[src], fetchRec{now, ua})
	var b bytes.Buffer
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>s%d</title><link>https://s%d.example/</link>`, src, src)
	for n := g + farmWindow - 1; n >= g; n-- {
		key := fmt.Sprintf("%d/%d", src, n)
		first, ok := f.first[key]
		if !ok {
			first = farmServed{now, ua}
			f.first[key] = first
		}
		fmt.Fprintf(&b, "<item><guid>s%d-%d</guid><title>%s</title><link>https://s%d.example/%d</link><pubDate>%s</pubDate></item>\n",
			src, n, farmTitle(src, n), src, n, first.at.Format(time.RFC1123Z))
	}
	f.mu.Unlock()
	b.WriteString("</channel></rss>")
	w.Header().Set("Content-Type", "application/rss+xml")
	w.Write(b.Bytes())
}

func (f *farm) freeze(on bool) {
	f.mu.Lock()
	f.frozen = on
	f.mu.Unlock()
}

// replica is a tickerd process.
type replica struct {
	name string
	base string
	cmd  *exec.Cmd
	log  *bytes.Buffer
	done chan struct{}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// replicaConfig writes the config of replica name: the farm's sources
// polled every interval, the store at dsn, its own User-Agent.
func replicaConfig(t *testing.T, name, addr, dsn string, fm *farm, interval time.Duration) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "listen: %q\nstore: %q\nbase_url: \"http://ticker.test\"\nschedule: \"@every %s\"\n", addr, dsn, interval)
	fmt.Fprintf(&b, "fetch: {user_agent: %q, timeout: 2s, concurrency: 32, per_host: %d}\n", name, farmPerHost)
	b.WriteString("retention: {every: 1h}\nsources:\n")
	for i := range fm.n {
		fmt.Fprintf(&b, "  - {name: s%d, url: %q}\n", i, fm.sourceURL(i))
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// farmPerHost is the replicas' per_host: at most this many requests in
// flight to one host from all of them together.
const farmPerHost = 3

func startReplica(t *testing.T, bin, name, dsn string, fm *farm, interval time.Duration) *replica {
	t.Helper()
	addr := freeAddr(t)
	cfg := replicaConfig(t, name, addr, dsn, fm, interval)
	r := &replica{name: name, base: "http://" + addr, log: &bytes.Buffer{}, done: make(chan struct{})}
	r.cmd = exec.Command(bin, "serve", "-config", cfg)
	var mu sync.Mutex
	r.cmd.Stdout = lockedWriter{&mu, r.log}
	r.cmd.Stderr = lockedWriter{&mu, r.log}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		r.cmd.Wait()
		close(r.done)
	}()
	t.Cleanup(func() {
		r.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-r.done:
		case <-time.After(10 * time.Second):
			r.cmd.Process.Kill()
			<-r.done
		}
		if t.Failed() {
			mu.Lock()
			t.Logf("%s log (tail):\n%s", name, tail(r.log.String(), 3000))
			mu.Unlock()
		}
	})
	return r
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// waitReplicaReady polls /readyz until 200, failing after limit.
func waitReplicaReady(t *testing.T, r *replica, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case <-r.done:
			t.Fatalf("%s exited before it was ready", r.name)
		default:
		}
		if resp, err := http.Get(r.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s not ready after %s", r.name, limit)
}

func fetchBody(t *testing.T, url string) (int, http.Header, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, resp.Header, b
}

// sseTitles follows the live stream at url and sends each added item's
// title with the moment it arrived, until ctx is done.
func sseTitles(ctx context.Context, t *testing.T, url string, out chan<- farmServed) {
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			t.Errorf("GET %s: %v", url, err)
		}
		return
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 4<<20)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: ") && event == "added":
			var it struct {
				Title string `json:"title"`
			}
			if json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &it) == nil {
				select {
				case out <- farmServed{time.Now(), it.Title}:
				case <-ctx.Done():
					return
				}
			}
		}
	}
}

// TestReplicas: three tickerd processes on one PostgreSQL share a farm
// of 200 sources: each source is fetched once per interval across them;
// a live client of replica 1 sees what replica 3 ingested within a
// second; /feed.rss is the same bytes on all three; kill -9 of replica 3
// mid-cycle leaves its sources to the others within one lease, losing no
// item and storing no story twice.
func TestReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three daemons for a minute")
	}
	bin := buildTickerd(t)
	c := pgtest.Start(t)
	dsn := c.NewDatabase(t)
	fm := newFarm(farmSources)
	fm.start(t)
	const interval = 3 * time.Second

	var rs []*replica
	for i := 1; i <= 3; i++ {
		rs = append(rs, startReplica(t, bin, fmt.Sprintf("r%d", i), dsn, fm, interval))
	}
	for _, r := range rs {
		waitReplicaReady(t, r, 60*time.Second)
	}

	// Live: a client of replica 1 follows the default ticker.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	live := make(chan farmServed, 10000)
	go sseTitles(ctx, t, rs[0].base+"/events/main", live)
	watchFrom := time.Now()
	time.Sleep(3 * interval)
	cancel()
	// Pushed means well within a poll interval; the delays themselves
	// (fetch, ingest, NOTIFY, SSE, all on two loaded cores) are logged, as
	// a test cannot time them reliably.
	const pushBound = interval
	var late []string
	var delays []time.Duration
	seenR3 := 0
	fm.mu.Lock()
	byTitle := map[string]farmServed{}
	for key, s := range fm.first {
		var src, n int
		fmt.Sscanf(key, "%d/%d", &src, &n)
		if n%10 != 0 {
			byTitle[farmTitle(src, n)] = s
		}
	}
	fm.mu.Unlock()
	for len(live) > 0 {
		got := <-live
		s, ok := byTitle[got.ua]
		if !ok || s.ua != "r3" || s.at.Before(watchFrom) {
			continue
		}
		seenR3++
		d := got.at.Sub(s.at)
		delays = append(delays, d)
		if d > pushBound {
			late = append(late, fmt.Sprintf("%q after %s", got.ua, d.Round(time.Millisecond)))
		}
	}
	if seenR3 < 10 {
		t.Errorf("replica 1's live client saw %d items first fetched by replica 3, want at least 10", seenR3)
	}
	if len(delays) > 0 {
		slices.Sort(delays)
		t.Logf("replica 3's items on replica 1's stream after (fetch to client): median %s, max %s", delays[len(delays)/2].Round(time.Millisecond), delays[len(delays)-1].Round(time.Millisecond))
	}
	if len(late) > 0 {
		t.Errorf("%d of %d items from replica 3 reached replica 1's client later than %s: %v", len(late), seenR3, pushBound, late[:min(len(late), 5)])
	}

	// Quiet: the same data gives the same bytes and ETag everywhere.
	fm.freeze(true)
	time.Sleep(2 * interval)
	var bodies [][]byte
	var etags []string
	for _, r := range rs {
		code, h, b := fetchBody(t, r.base+"/feed.rss")
		if code != 200 {
			t.Fatalf("%s /feed.rss = %d", r.name, code)
		}
		bodies, etags = append(bodies, b), append(etags, h.Get("ETag"))
	}
	for i := 1; i < 3; i++ {
		if !bytes.Equal(bodies[0], bodies[i]) || etags[0] != etags[i] {
			t.Errorf("/feed.rss of %s differs from r1's (ETag %s vs %s)", rs[i].name, etags[i], etags[0])
		}
	}
	// A widget that saw event id n on replica 1 and reconnects to
	// replica 2 (or 3) with Last-Event-ID gets what replica 1 would send.
	st, err := postgres.Open(context.Background(), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	resume := st.Seq() - 40
	st.Close()
	var replays []string
	for _, r := range rs {
		replays = append(replays, replay(t, r.base+"/events/main", resume))
	}
	if strings.Count(replays[0], "id: ") < 10 {
		t.Errorf("replay from r1 after id %d holds %d events:\n%s", resume, strings.Count(replays[0], "id: "), tail(replays[0], 1000))
	}
	for i := 1; i < 3; i++ {
		if replays[i] != replays[0] {
			t.Errorf("replay from %s after id %d differs from r1's:\n%s\nr1:\n%s", rs[i].name, resume, tail(replays[i], 600), tail(replays[0], 600))
		}
	}
	fm.freeze(false)

	// kill -9 of replica 3 in the middle of a cycle.
	time.Sleep(interval / 2)
	killedAt := time.Now()
	if err := rs[2].cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-rs[2].done
	time.Sleep(4 * interval)
	fm.freeze(true)
	time.Sleep(2 * interval)
	end := time.Now()

	// Fetched once per interval, by the farm's counts: over the span
	// from the first watch to the freeze, no source more often than
	// its claims allow (they are most of an interval apart; a request
	// may wait a moment for a slot after its claim), and none left
	// longer than two and a half intervals, three across the kill.
	fm.mu.Lock()
	span := end.Sub(watchFrom)
	most := int(span/(interval*9/10)) + 2
	var often, starved []string
	afterKill := map[string]int{}
	total := 0
	for src := range farmSources {
		n := 0
		recs := fm.fetches[src]
		for i, r := range recs {
			if r.at.Before(watchFrom) {
				continue
			}
			n++
			if i > 0 {
				// A fetch that died with replica 3 is taken over at the
				// first tick after its lease (9/10 of an interval); its
				// request may then wait for the host slots the dead
				// replica held (fetch.timeout + 2s).
				// Both bounds keep slack for a
				// loaded machine, where a tick can run late; a source
				// left to a dead replica for good would wait forever.
				bound := 3 * interval
				if recs[i-1].at.Before(killedAt) && r.at.After(killedAt) {
					bound = 3*interval + interval/2
				}
				if gap := r.at.Sub(recs[i-1].at); gap > bound {
					starved = append(starved, fmt.Sprintf("s%d %s (bound %s)", src, gap.Round(time.Millisecond), bound))
				}
			}
			if r.at.After(killedAt) {
				afterKill[r.ua]++
			}
		}
		total += n
		if n > most {
			often = append(often, fmt.Sprintf("s%d %d times", src, n))
		}
	}
	var impolite []string
	for host, n := range fm.maxInFlight {
		if n > farmPerHost {
			impolite = append(impolite, fmt.Sprintf("%s %d", host, n))
		}
	}
	first := maps(fm.first)
	fm.mu.Unlock()
	t.Logf("%d fetches of %d sources in %s (%.1f intervals): %.2f per source per interval",
		total, farmSources, span.Round(time.Millisecond), span.Seconds()/interval.Seconds(), float64(total)/farmSources/(span.Seconds()/interval.Seconds()))
	if len(often) > 0 {
		t.Errorf("%d sources fetched more than %d times in %s: %v", len(often), most, span.Round(time.Millisecond), often[:min(5, len(often))])
	}
	if len(starved) > 0 {
		t.Errorf("%d waits over two intervals: %v", len(starved), starved[:min(5, len(starved))])
	}
	if len(impolite) > 0 {
		t.Errorf("requests in flight to one host beyond per_host %d, all replicas together: %v", farmPerHost, impolite)
	}
	if afterKill["r3"] != 0 || afterKill["r1"] == 0 || afterKill["r2"] == 0 {
		t.Errorf("fetches after the kill by replica: %v, want r1 and r2 only", afterKill)
	}

	// Nothing lost, nothing twice: every item the farm served is stored,
	// as an item or as its source's report on another's story.
	st, err = postgres.Open(context.Background(), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	items, err := st.Recent(context.Background(), store.Query{Limit: 1 << 20, MaxScan: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	titles := map[string]string{}
	for _, it := range items {
		stored[it.Source+"/"+it.ID] = true
		if prev, dup := titles[it.Title]; dup {
			t.Errorf("story %q stored twice: %s and %s:%s", it.Title, prev, it.Source, it.ID)
		}
		titles[it.Title] = it.Source + ":" + it.ID
		for _, r := range it.Reports {
			stored[r.Source+"/"+r.ID] = true
		}
	}
	var lost []string
	for key := range first {
		var src, n int
		fmt.Sscanf(key, "%d/%d", &src, &n)
		if !stored[fmt.Sprintf("s%d/s%d-%d", src, src, n)] {
			lost = append(lost, key)
		}
	}
	slices.Sort(lost)
	if len(lost) > 0 {
		t.Errorf("%d of %d items served were not stored: %v", len(lost), len(first), lost[:min(10, len(lost))])
	}
	t.Logf("%d items served, %d stories stored; fetches after the kill: %v", len(first), len(items), afterKill)
}

// replay connects to a live stream with Last-Event-ID after and returns
// the id and event lines it is sent within a second (heartbeats left
// out).
func replay(t *testing.T, url string, after uint64) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	req.Header.Set("Last-Event-ID", fmt.Sprint(after))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 4<<20)
	heartbeat := false
	for sc.Scan() {
		line := sc.Text()
		if line == ":" {
			heartbeat = true
			continue
		}
		if strings.HasPrefix(line, "id: ") && heartbeat {
			heartbeat = false
			continue
		}
		if strings.HasPrefix(line, "id: ") || strings.HasPrefix(line, "event: ") || strings.HasPrefix(line, "data: ") {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func maps(m map[string]farmServed) map[string]farmServed {
	out := make(map[string]farmServed, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

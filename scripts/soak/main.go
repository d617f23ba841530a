// Command soak runs tickerd for a few minutes against a local server whose
// sources misbehave in every way the fetcher guards against, and reports
// the daemon's resident memory and goroutine count over time. It is a
// manual check, not a test: run it from the repository root with
//
//	go run ./scripts/soak -duration 5m
//
// It builds ./cmd/tickerd (or runs -tickerd), serves -sources feeds from
// 127.0.0.2 … 127.0.0.21 (twenty hosts, so per_host does not serialize
// everything), samples /proc/PID/status and /metrics every -every, and
// prints one line per sample and a summary. The daemon's log goes to
// soak.log in the work folder, which is kept with -keep.
//
// Memory is "flat" when the median resident size over the last third of
// the run is no more than 10% (and 1 MiB) above the middle third's: fetch buffers
// are reused and freed pages returned to the system lazily, so RSS climbs
// at first and then holds. RSS counts the pages of the bbolt file the
// daemon has touched (RssFile), which grow with the data until retention
// trims it; the anonymous part (RssAnon: heap, stacks) is the one a leak
// would grow, so both are reported.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// behaviours are the kinds of source, in the order sources cycle through
// them: source i behaves as behaviours[i%len(behaviours)]. Good feeds are
// listed several times so that about a third of the sources work.
var behaviours = []string{
	"good", "slow", "bomb", "good", "huge", "429", "good", "500", "html",
	"good", "garbage", "laughs", "good", "deep", "loop", "good", "many",
	"hostile", "good", "utf8", "json", "good", "dates", "reset", "large",
}

func main() {
	duration := flag.Duration("duration", 5*time.Minute, "how long to run the daemon")
	every := flag.Duration("every", 10*time.Second, "sampling interval")
	sources := flag.Int("sources", 200, "number of sources")
	schedule := flag.String("schedule", "@every 20s", "the daemon's poll schedule")
	bin := flag.String("tickerd", "", "tickerd binary (default: build ./cmd/tickerd)")
	keep := flag.Bool("keep", false, "keep the work folder (config, data file, log)")
	skip := flag.String("skip", "", "comma-separated behaviours to leave out, e.g. large")
	perSource := flag.Int("max-items", 0, "retention.max_items_per_source, enforced every 30s (0: the default, 1000)")
	flag.Parse()
	for _, k := range strings.Split(*skip, ",") {
		if k = strings.TrimSpace(k); k != "" {
			if !slices.Contains(behaviours, k) {
				log.Fatalf("soak: -skip: no behaviour %q (have %s)", k, strings.Join(behaviours, ", "))
			}
			behaviours = slices.DeleteFunc(behaviours, func(b string) bool { return b == k })
		}
	}
	log.SetFlags(0)
	if err := run(*duration, *every, *sources, *schedule, *bin, *keep, *perSource); err != nil {
		log.Fatalf("soak: %v", err)
	}
}

func run(duration, every time.Duration, nSources int, schedule, bin string, keep bool, perSource int) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	dir, err := os.MkdirTemp("", "tickerd-soak-")
	if err != nil {
		return err
	}
	if keep {
		log.Printf("work folder: %s", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	if bin == "" {
		bin = filepath.Join(dir, "tickerd")
		build := exec.Command("go", "build", "-o", bin, "./cmd/tickerd")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build tickerd (run from the repository root): %w", err)
		}
	}

	hs := &hostile{laughs: laughs(), many: manyItems(5000)}
	// Just under the default 10 MiB cap: the largest body tickerd parses,
	// and so its peak memory.
	hs.large = manyItems(9 << 20 / 110)
	hs.bomb, err = gzipBomb(1 << 30)
	if err != nil {
		return err
	}
	var hosts []string
	for i := 2; i <= 21; i++ {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", i))
		if err != nil {
			return fmt.Errorf("listen on 127.0.0.%d (Linux routes all of 127/8 to loopback): %w", i, err)
		}
		srv := &http.Server{Handler: hs, ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln)
		defer srv.Close()
		hosts = append(hosts, ln.Addr().String())
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	listen := ln.Addr().String()
	ln.Close()
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "listen: %q\ndata: data/soak.db\nschedule: %q\n", listen, schedule)
	cfg.WriteString("fetch: {timeout: 10s, max_backoff: 2m}\n")
	if perSource > 0 {
		// A small cap lets the data file, and the pages of it the daemon
		// maps, level off within a short run.
		fmt.Fprintf(&cfg, "retention: {max_items_per_source: %d, every: 30s}\n", perSource)
	}
	cfg.WriteString("sources:\n")
	counts := map[string]int{}
	for i := range nSources {
		kind := behaviours[i%len(behaviours)]
		counts[kind]++
		fmt.Fprintf(&cfg, "  - {name: s%03d-%s, url: \"http://%s/%s/%d\"}\n", i, kind, hosts[i%len(hosts)], kind, i)
	}
	cfgPath := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg.String()), 0o644); err != nil {
		return err
	}
	logFile, err := os.Create(filepath.Join(dir, "soak.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()

	cmd := exec.Command(bin, "serve", "-config", cfgPath, "-log-level", "warn")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		// Stop the daemon whatever happened, and wait for it.
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}()
	log.Printf("tickerd pid %d, %d sources on %d hosts: %s", cmd.Process.Pid, nSources, len(hosts), describe(counts))
	log.Printf("%8s %8s %8s %8s %8s %10s %8s %8s %8s %8s", "elapsed", "rss_mib", "anon_mib", "file_mib", "hwm_mib", "goroutines", "heap_mib", "db_mib", "fetches", "requests")

	start := time.Now()
	tick := time.NewTicker(every)
	defer tick.Stop()
	var samples []sample
	end := time.After(duration)
	for {
		select {
		case err := <-exited:
			exited <- err // for the deferred stop
			return fmt.Errorf("tickerd exited early: %v (see %s)", err, logFile.Name())
		case <-ctx.Done():
			return summarize(samples, hs)
		case <-end:
			return summarize(samples, hs)
		case <-tick.C:
		}
		s, err := measure(cmd.Process.Pid, "http://"+listen+"/metrics")
		if err != nil {
			log.Printf("%8s sample: %v", time.Since(start).Round(time.Second), err)
			continue
		}
		s.at = time.Since(start)
		s.requests = hs.requests.Load()
		if fi, err := os.Stat(filepath.Join(dir, "data", "soak.db")); err == nil {
			s.db = fi.Size()
		}
		samples = append(samples, s)
		log.Printf("%8s %8.1f %8.1f %8.1f %8.1f %10d %8.1f %8.1f %8d %8d", s.at.Round(time.Second), mib(s.rss), mib(s.anon), mib(s.file), mib(s.hwm),
			s.goroutines, mib(s.heap), mib(s.db), s.fetches, s.requests)
	}
}

func describe(counts map[string]int) string {
	var parts []string
	for _, k := range behaviours {
		if n, ok := counts[k]; ok {
			parts = append(parts, fmt.Sprintf("%s %d", k, n))
			delete(counts, k)
		}
	}
	return strings.Join(parts, ", ")
}

type sample struct {
	at         time.Duration
	rss, hwm   int64 // bytes, from /proc/PID/status
	anon, file int64 // RSS split: the Go heap and stacks, and mapped files (the bbolt file)
	db         int64 // data file size
	heap       int64 // go_memstats_heap_inuse_bytes
	goroutines int
	fetches    int64 // sum of tickerd_fetches_total
	requests   int64 // requests the hostile server answered
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

func measure(pid int, metricsURL string) (sample, error) {
	var s sample
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s, err
	}
	for line := range strings.SplitSeq(string(status), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			s.rss = kb << 10
		case "VmHWM":
			s.hwm = kb << 10
		case "RssAnon":
			s.anon = kb << 10
		case "RssFile":
			s.file = kb << 10
		}
	}
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(metricsURL)
	if err != nil {
		return s, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		name, val, ok := strings.Cut(line, " ")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		f, _ := strconv.ParseFloat(val, 64)
		switch {
		case name == "go_goroutines":
			s.goroutines = int(f)
		case name == "go_memstats_heap_inuse_bytes":
			s.heap = int64(f)
		case strings.HasPrefix(name, "tickerd_fetches_total{"):
			s.fetches += int64(f)
		}
	}
	return s, sc.Err()
}

// summarize prints peak figures and whether memory held flat: the last
// third's peak against the middle third's.
func summarize(samples []sample, hs *hostile) error {
	if len(samples) < 3 {
		return errors.New("fewer than 3 samples: run longer")
	}
	var peakRSS, peakHWM int64
	minG, maxG := samples[0].goroutines, samples[0].goroutines
	for _, s := range samples {
		peakRSS = max(peakRSS, s.rss)
		peakHWM = max(peakHWM, s.hwm)
		minG, maxG = min(minG, s.goroutines), max(maxG, s.goroutines)
	}
	third := len(samples) / 3
	mid, last := samples[third:2*third], samples[2*third:]
	rss := func(s sample) int64 { return s.rss }
	anon := func(s sample) int64 { return s.anon }
	final := samples[len(samples)-1]
	log.Printf("summary: %d samples over %s; %d fetches, %d requests served (%d bomb, %d huge bodies)",
		len(samples), final.at.Round(time.Second), final.fetches, final.requests, hs.bombs.Load(), hs.huge.Load())
	log.Printf("summary: peak RSS %.1f MiB (VmHWM %.1f MiB); median RSS middle third %.1f MiB, last third %.1f MiB",
		mib(peakRSS), mib(peakHWM), mib(median(mid, rss)), mib(median(last, rss)))
	log.Printf("summary: anonymous RSS (heap, stacks): median middle third %.1f MiB, last third %.1f MiB; peak %.1f MiB; data file %.1f MiB at the end",
		mib(median(mid, anon)), mib(median(last, anon)), mib(peak(samples, anon)), mib(final.db))
	log.Printf("summary: goroutines min %d, max %d, last %d", minG, maxG, final.goroutines)
	// Medians, since single samples spike while bodies are read.
	flat := func(f func(sample) int64) bool { return median(last, f) <= median(mid, f)*11/10+1<<20 }
	log.Printf("summary: RSS flat: %v; anonymous RSS flat: %v; peak under 150 MiB: %v", flat(rss), flat(anon), peakHWM < 150<<20)
	return nil
}

// hostile serves /KIND/N for every behaviour. Good feeds move on with each
// request, so the daemon keeps storing new items.
type hostile struct {
	laughs, many, bomb []byte
	large              []byte
	gen                sync.Map // path → *atomic.Int64
	requests           atomic.Int64
	bombs, huge        atomic.Int64
}

func (h *hostile) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.requests.Add(1)
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	kind := parts[0]
	rss := func(body string) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		io.WriteString(w, `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>soak</title><link>https://soak.example/</link>`+body+`</channel></rss>`)
	}
	switch kind {
	case "good":
		v, _ := h.gen.LoadOrStore(r.URL.Path, new(atomic.Int64))
		g := v.(*atomic.Int64).Add(1)
		var b strings.Builder
		for i := g * 5; i < g*5+50; i++ {
			fmt.Fprintf(&b, "<item><guid>%s-%d</guid><title>Source %s bulletin %d: ceasefire talks resume in the harbour city</title><link>https://soak.example%s/%d</link><description>&lt;p&gt;Report %d, with &lt;b&gt;detail&lt;/b&gt;.&lt;/p&gt;</description><pubDate>%s</pubDate></item>",
				r.URL.Path, i, r.URL.Path, i, r.URL.Path, i, i, time.Now().Add(time.Duration(i-g*5-50)*time.Minute).Format(time.RFC1123Z))
		}
		rss(b.String())
	case "slow":
		// One byte a second: the daemon's timeout must cut it.
		w.Header().Set("Content-Type", "application/rss+xml")
		fl, _ := w.(http.Flusher)
		for _, c := range []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>slow</title>`) {
			if _, err := w.Write([]byte{c}); err != nil {
				return
			}
			fl.Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(time.Second):
			}
		}
	case "bomb":
		h.bombs.Add(1)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(h.bomb)
	case "huge":
		// 60 MiB of items, well over the default 10 MiB cap.
		h.huge.Add(1)
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>huge</title>`)
		chunk := h.many[bytes.Index(h.many, []byte("<item>")):bytes.LastIndex(h.many, []byte("</channel>"))]
		for n := 0; n < 60<<20; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		io.WriteString(w, "</channel></rss>")
	case "429":
		w.Header().Set("Retry-After", "90")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	case "500":
		http.Error(w, "boom", http.StatusInternalServerError)
	case "html":
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<!doctype html><html><head><title>News</title><link rel="alternate" type="application/rss+xml" href="/good/alt"></head><body>`+strings.Repeat("<p>page</p>", 2000)+`</body></html>`)
	case "garbage":
		w.Header().Set("Content-Type", "application/rss+xml")
		b := make([]byte, 256<<10)
		for i := range b {
			b[i] = byte(i*7919 + len(parts))
		}
		w.Write(b)
	case "laughs":
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(h.laughs)
	case "deep":
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, `<rss version="2.0"><channel><item>`+strings.Repeat("<x>", 100_000))
	case "loop":
		http.Redirect(w, r, "/loop2/"+parts[len(parts)-1], http.StatusFound)
	case "loop2":
		http.Redirect(w, r, "/loop/"+parts[len(parts)-1], http.StatusFound)
	case "many":
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(h.many)
	case "large":
		// Each poll differs, so it is parsed every time.
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(h.large[:len(h.large)-len("</channel></rss>")])
		fmt.Fprintf(w, "<item><guid>%d</guid><title>Poll %d</title></item></channel></rss>", h.requests.Load(), h.requests.Load())
	case "hostile":
		rss(`<item><title><![CDATA[<script>alert(1)</script>Storm <img src=x onerror=alert(2)>warning]]></title><link>javascript:alert(3)</link><guid>h1</guid>` +
			`<description><![CDATA[<p onclick="x()">Hi <a href="/rel">there</a><iframe src="//evil.example"></iframe><form><input></form><style>*{}</style></p>]]></description></item>`)
	case "utf8":
		rss("<item><guid>u1</guid><title>Caf\xe9 \xff\xfe cut \xc3</title></item><item><guid>u2</guid><title>عاجل: انفجار \xc0 في الميناء</title></item>")
	case "json":
		w.Header().Set("Content-Type", "application/feed+json")
		io.WriteString(w, `{"version":"https://jsonfeed.org/version/1.1","title":"j","items":[{"id":"1","title":"ok","content_text":"x"},null]}`)
	case "dates":
		rss(`<item><guid>d1</guid><title>Future</title><pubDate>Thu, 01 Jan 2099 00:00:00 GMT</pubDate></item>` +
			`<item><guid>d2</guid><title>Garbage</title><pubDate>yesterday-ish</pubDate></item>` +
			`<item><guid>d3</guid><title>Zone</title><pubDate>Tue, 04 Mar 2025 10:00:00 AST</pubDate></item>`)
	case "reset":
		// Hang up mid-headers.
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Le")
				c.Close()
				return
			}
		}
		http.Error(w, "no hijack", http.StatusInternalServerError)
	default:
		http.NotFound(w, r)
	}
}

func laughs() []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">`)
	prev := "lol"
	for i := 1; i <= 9; i++ {
		name := fmt.Sprint("lol", i)
		fmt.Fprintf(&b, `<!ENTITY %s "%s">`, name, strings.Repeat("&"+prev+";", 10))
		prev = name
	}
	b.WriteString(`]><rss version="2.0"><channel><title>lol</title><item><title>a &lol9; b</title></item></channel></rss>`)
	return []byte(b.String())
}

func manyItems(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>many</title>`)
	for i := range n {
		fmt.Fprintf(&b, "<item><guid>m%d</guid><title>Headline number %d</title><link>https://many.example/%d</link></item>", i, i, i)
	}
	b.WriteString("</channel></rss>")
	return b.Bytes()
}

// gzipBomb compresses n zero bytes: about 1 MiB on the wire per GiB.
func gzipBomb(n int) ([]byte, error) {
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	zeros := make([]byte, 1<<20)
	for range n >> 20 {
		if _, err := zw.Write(zeros); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func median(ss []sample, f func(sample) int64) int64 {
	v := make([]int64, len(ss))
	for i, s := range ss {
		v[i] = f(s)
	}
	slices.Sort(v)
	return v[len(v)/2]
}

func peak(ss []sample, f func(sample) int64) int64 {
	var m int64
	for _, s := range ss {
		m = max(m, f(s))
	}
	return m
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The seed case: three Arabic sources and 23 stories, seven of them told
// by two sources in other words (the ways wires differ: a label, diacritics,
// tatweel, hamza, quotes). wire told 9 (4 of them also told by wafa, 3 by
// hurriya), wafa 11, hurriya 10. Each source's feed is served from
// testdata/seed/NAME.xml.
var seedSources = []string{"wafa", "hurriya", "wire"}

// seedTellings reads the seed feeds: per source, its items as
// "title|link", and each story as the set of tellings.
type seedTelling struct{ source, title, link string }

func readSeed(t *testing.T) map[string][]seedTelling {
	t.Helper()
	out := map[string][]seedTelling{}
	for _, name := range seedSources {
		var rss struct {
			Items []struct {
				Title string `xml:"title"`
				Link  string `xml:"link"`
			} `xml:"channel>item"`
		}
		if err := xml.Unmarshal(readFile(t, filepath.Join("testdata", "seed", name+".xml")), &rss); err != nil {
			t.Fatalf("seed %s: %v", name, err)
		}
		for _, it := range rss.Items {
			out[name] = append(out[name], seedTelling{name, it.Title, it.Link})
		}
	}
	return out
}

// seedConfig is a config of the seed sources named (all when none),
// with tickers selecting them in the ways the table below lists.
func seedConfig(t *testing.T, dir, url string, names ...string) string {
	t.Helper()
	if len(names) == 0 {
		names = seedSources
	}
	tags := map[string]string{"wafa": "[agency, local]", "hurriya": "[local]", "wire": "[wires]"}
	var b strings.Builder
	// A heartbeat a second tells a stream whose ticker the last change
	// did not touch how far the log went, without a long wait.
	fmt.Fprintf(&b, "data: data/test.db\nbase_url: \"http://ticker.test\"\nevents: {heartbeat: 1s}\nfetch: {per_host: 3}\nsources:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  - {name: %s, url: \"%s/%s.xml\", tags: %s, lang: ar}\n", n, url, n, tags[n])
	}
	if len(names) == len(seedSources) {
		b.WriteString(`tickers:
  - {name: main, limit: 100}
  - {name: wire-only, sources: [wire], limit: 100}
  - {name: wafa-only, sources: [wafa], limit: 100}
  - {name: hurriya-only, sources: [hurriya], limit: 100}
  - {name: local, tags: [local], limit: 100}
  - {name: wires, tags: [wires], limit: 100}
  - {name: wire-gaza, sources: [wire], include: ["غزة"], limit: 100}
  - {name: local-no-arrests, tags: [local], exclude: ["يعتقل"], limit: 100}
  - {name: agency-rates, tags: [agency], include: ["الفائدة", "تركيا"], limit: 100}
`)
	}
	return writeConfigText(t, dir, b.String())
}

// seedTickers is what each ticker must hold in every arrival order: a
// story once, as the telling of the ticker's selected source.
var seedTickers = []struct {
	name    string
	sources []string // nil: all, each story once under any telling
	keep    func(title string) bool
	want    int
}{
	{"main", nil, nil, 23},
	{"wire-only", []string{"wire"}, nil, 9},
	{"wafa-only", []string{"wafa"}, nil, 11},
	{"hurriya-only", []string{"hurriya"}, nil, 10},
	{"local", []string{"wafa", "hurriya"}, nil, 21},
	{"wires", []string{"wire"}, nil, 9},
	{"wire-gaza", []string{"wire"}, func(s string) bool { return strings.Contains(s, "غزة") }, 2},
	{"local-no-arrests", []string{"wafa", "hurriya"}, func(s string) bool { return !strings.Contains(s, "يعتقل") }, 20},
	{"agency-rates", []string{"wafa"}, func(s string) bool { return strings.Contains(s, "الفائدة") || strings.Contains(s, "تركيا") }, 2},
}

// checkSeedTickers reads every seed ticker in RSS, Atom and JSON Feed
// and checks each holds what seedTickers says, the formats agreeing.
func checkSeedTickers(t *testing.T, h http.Handler, seed map[string][]seedTelling) map[string][]string {
	t.Helper()
	jsonOut := map[string][]string{}
	for _, tk := range seedTickers {
		formats := readTicker(t, h, tk.name)
		if tk.sources == nil {
			if n := len(formats["json"]); n != tk.want {
				t.Errorf("ticker %s: %d items, want %d stories once each", tk.name, n, tk.want)
			}
		} else {
			var want []string
			for _, src := range tk.sources {
				for _, s := range seed[src] {
					if tk.keep == nil || tk.keep(s.title) {
						want = append(want, s.source+"|"+s.title+"|"+s.link)
					}
				}
			}
			slices.Sort(want)
			got := slices.Sorted(slices.Values(formats["json"]))
			if len(want) != tk.want {
				t.Fatalf("ticker %s: the seed gives %d tellings, the table %d", tk.name, len(want), tk.want)
			}
			if !slices.Equal(got, want) {
				t.Errorf("ticker %s holds %d items, want %d:\n got %q\nwant %q", tk.name, len(got), len(want), got, want)
			}
		}
		for _, f := range []string{"rss", "atom"} {
			if !slices.Equal(formats[f], formats["json"]) {
				t.Errorf("ticker %s: %s and JSON Feed disagree:\n%s  %q\njson %q", tk.name, f, f, formats[f], formats["json"])
			}
		}
		jsonOut[tk.name] = formats["json"]
	}
	return jsonOut
}

// readTicker returns a ticker's items in each format as
// "source|title|link", in the order given.
func readTicker(t *testing.T, h http.Handler, name string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	var rss struct {
		Items []struct {
			Title  string `xml:"title"`
			Link   string `xml:"link"`
			Source string `xml:"source"`
		} `xml:"channel>item"`
	}
	if err := xml.Unmarshal(get(t, h, "/t/"+name+".rss"), &rss); err != nil {
		t.Fatalf("parse %s.rss: %v", name, err)
	}
	for _, it := range rss.Items {
		out["rss"] = append(out["rss"], it.Source+"|"+it.Title+"|"+it.Link)
	}
	var atom struct {
		Entries []struct {
			Title string `xml:"title"`
			Link  struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
			Source struct {
				Title string `xml:"title"`
			} `xml:"source"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(get(t, h, "/t/"+name+".atom"), &atom); err != nil {
		t.Fatalf("parse %s.atom: %v", name, err)
	}
	for _, e := range atom.Entries {
		out["atom"] = append(out["atom"], e.Source.Title+"|"+e.Title+"|"+e.Link.Href)
	}
	var jf struct {
		Items []seedJSONItem `json:"items"`
	}
	if err := json.Unmarshal(get(t, h, "/t/"+name+".json"), &jf); err != nil {
		t.Fatalf("parse %s.json: %v", name, err)
	}
	for _, it := range jf.Items {
		out["json"] = append(out["json"], it.line())
	}
	return out
}

type seedJSONItem struct {
	ID      string `json:"id"`
	URL     string `json:"url"`
	Title   string `json:"title"`
	Tickerd struct {
		Source string `json:"source"`
	} `json:"_tickerd"`
}

func (it seedJSONItem) line() string { return it.Tickerd.Source + "|" + it.Title + "|" + it.URL }

// seedServer serves the seed feeds; each source's response waits until
// its gate is opened, so a test decides the order fetches finish in.
type seedServer struct {
	mu    sync.Mutex
	gates map[string]chan struct{} // nil: answer at once
	files map[string][]byte
}

func newSeedServer(t *testing.T) (*seedServer, *httptest.Server) {
	s := &seedServer{files: map[string][]byte{}}
	for _, name := range seedSources {
		s.files["/"+name+".xml"] = readFile(t, filepath.Join("testdata", "seed", name+".xml"))
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

func (s *seedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	body, ok := s.files[r.URL.Path]
	gate := s.gates[strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), ".xml")]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	if gate != nil {
		select {
		case <-gate:
		case <-r.Context().Done():
			return
		}
	}
	w.Header().Set("Content-Type", "application/rss+xml")
	w.Write(body)
}

var seedOrders = [][]string{
	{"wafa", "hurriya", "wire"}, {"wafa", "wire", "hurriya"}, {"hurriya", "wafa", "wire"},
	{"hurriya", "wire", "wafa"}, {"wire", "wafa", "hurriya"}, {"wire", "hurriya", "wafa"},
}

// TestSeedTickersByFetchOrder runs `tickerd fetch` with the seed sources
// added one at a time in every order, then reads every ticker from the
// full config on the same data file.
func TestSeedTickersByFetchOrder(t *testing.T) {
	seed := readSeed(t)
	var first map[string][]string
	for _, order := range seedOrders {
		t.Run(strings.Join(order, ","), func(t *testing.T) {
			_, srv := newSeedServer(t)
			dir := t.TempDir()
			for i := range order {
				cfgPath := seedConfig(t, dir, srv.URL, order[:i+1]...)
				var out bytes.Buffer
				if err := run(context.Background(), []string{"fetch", "-config", cfgPath, "-log-level", "error"}, &out, io.Discard); err != nil {
					t.Fatalf("fetch %v = %v\n%s", order[:i+1], err, out.String())
				}
			}
			_, d := openDaemon(t, seedConfig(t, dir, srv.URL))
			defer d.close()
			got := checkSeedTickers(t, d.feed.Load().Handler(), seed)
			if first == nil {
				first = got
				return
			}
			// Source tickers are the same whatever the order (the
			// default one shows each story under its first telling).
			for _, tk := range seedTickers[1:] {
				if !slices.Equal(got[tk.name], first[tk.name]) {
					t.Errorf("ticker %s differs from the first order's:\n got %q\nwant %q", tk.name, got[tk.name], first[tk.name])
				}
			}
		})
	}
}

// TestSeedTickersDaemonPolling lets the daemon poll the three sources at
// once, their answers released in every order, while a live event stream
// of every ticker is open: the streams, replayed as the widget applies
// them, end where the feeds are.
func TestSeedTickersDaemonPolling(t *testing.T) {
	seed := readSeed(t)
	for _, order := range seedOrders {
		t.Run(strings.Join(order, ","), func(t *testing.T) {
			ctx := context.Background()
			ss, srv := newSeedServer(t)
			ss.gates = map[string]chan struct{}{}
			for _, name := range seedSources {
				ss.gates[name] = make(chan struct{})
			}
			_, d := openDaemon(t, seedConfig(t, t.TempDir(), srv.URL))
			t.Cleanup(func() { d.close() })
			h := d.feed.Load().Handler()
			web := httptest.NewServer(h)
			// Cleanups run last first: the streams end before the server.
			t.Cleanup(web.Close)
			streams := map[string]*liveReplay{}
			for _, tk := range seedTickers {
				streams[tk.name] = openReplay(t, web.URL+"/events/"+tk.name)
			}

			done := make(chan struct{})
			go func() {
				defer close(done)
				for _, r := range d.fetcher.FetchAll(ctx) {
					if r.Err != nil {
						t.Errorf("fetch %s: %v", r.Source, r.Err)
					}
				}
			}()
			// Every fetch is in flight (one host, three at once allowed);
			// each answer goes out once the one before it is stored.
		release:
			for _, name := range order {
				close(ss.gates[name])
				for {
					changed := d.store.Changed()
					if st, _ := d.store.State(name); st.LastStatus == "ok" {
						break
					}
					select {
					case <-changed:
					case <-done:
						t.Errorf("the poll ended before %s was stored", name)
						break release
					}
				}
			}
			<-done
			got := checkSeedTickers(t, h, seed)
			for _, tk := range seedTickers {
				want := slices.Sorted(slices.Values(got[tk.name]))
				if live := streams[tk.name].until(want); !slices.Equal(live, want) {
					t.Errorf("ticker %s: the event stream ends at\n%q\nthe JSON Feed holds\n%q", tk.name, live, want)
				}
			}
		})
	}
}

// liveReplay applies a ticker's event stream as the widget does: reset
// replaces the list, added and updated replace the item with the same id
// (or add it), removed drops the item with the same id or url.
type liveReplay struct {
	mu     sync.Mutex
	cond   *sync.Cond
	events int // applied so far
	items  map[string]seedJSONItem
	err    error
}

func openReplay(t *testing.T, url string) *liveReplay {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		cancel()
		t.Fatalf("GET %s = %v, %v", url, resp, err)
	}
	r := &liveReplay{items: map[string]seedJSONItem{}}
	r.cond = sync.NewCond(&r.mu)
	stopped := make(chan struct{})
	t.Cleanup(func() { cancel(); resp.Body.Close(); <-stopped })
	go func() {
		defer close(stopped)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		var event string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				event = line[7:]
			case strings.HasPrefix(line, "data: "):
				r.apply(event, []byte(line[6:]))
			}
		}
		r.mu.Lock()
		r.err = fmt.Errorf("stream %s ended: %v", url, sc.Err())
		r.cond.Broadcast()
		r.mu.Unlock()
	}()
	return r
}

func (r *liveReplay) apply(event string, data []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events++
	defer r.cond.Broadcast()
	switch event {
	case "reset":
		var f struct {
			Items []seedJSONItem `json:"items"`
		}
		json.Unmarshal(data, &f)
		clear(r.items)
		for _, it := range f.Items {
			r.items[it.ID] = it
		}
	case "added", "updated":
		var it seedJSONItem
		json.Unmarshal(data, &it)
		r.items[it.ID] = it
	case "removed":
		var it seedJSONItem
		json.Unmarshal(data, &it)
		for id, have := range r.items {
			if id == it.ID || it.URL != "" && have.URL == it.URL {
				delete(r.items, id)
			}
		}
	}
}

// until waits until the items, as "source|title|link" sorted, are want
// (events arrive after the feed has changed), or the stream has been
// quiet for ten seconds, and returns them.
func (r *liveReplay) until(want []string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	for {
		var out []string
		for _, it := range r.items {
			out = append(out, it.line())
		}
		slices.Sort(out)
		if slices.Equal(out, want) || r.err != nil {
			return out
		}
		seen := r.events
		timer := time.AfterFunc(10*time.Second, func() {
			r.mu.Lock()
			if r.events == seen && r.err == nil {
				r.err = errors.New("stream quiet for ten seconds")
			}
			r.cond.Broadcast()
			r.mu.Unlock()
		})
		r.cond.Wait()
		timer.Stop()
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

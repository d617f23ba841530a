package main

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestWebSubThroughDaemon: a real daemon subscribes to the hub its
// source's feed names, answers the hub's verification, and a signed push
// reaches an SSE client and /feed.rss; the subscription shows in
// /api/sources and the push in /metrics.
func TestWebSubThroughDaemon(t *testing.T) {
	ln := listen(t)
	addr := ln.Addr().String()
	var (
		mu       sync.Mutex
		secret   string
		callback string
		topic    string
	)
	verified := make(chan error, 1)
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.PostForm.Get("hub.mode") != "subscribe" {
			http.Error(w, "unexpected", http.StatusBadRequest)
			return
		}
		mu.Lock()
		secret, callback, topic = r.PostForm.Get("hub.secret"), r.PostForm.Get("hub.callback"), r.PostForm.Get("hub.topic")
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
		// Verification of intent comes after the 202, as hubs do it.
		go func() {
			q := url.Values{"hub.mode": {"subscribe"}, "hub.topic": {topic}, "hub.challenge": {"ch-42"}, "hub.lease_seconds": {"600"}}
			resp, err := http.Get(callback + "?" + q.Encode())
			if err != nil {
				verified <- err
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || string(b) != "ch-42" {
				verified <- fmt.Errorf("verification answered %d %q", resp.StatusCode, b)
				return
			}
			verified <- nil
		}()
	}))
	defer hub.Close()
	feedBody := fmt.Sprintf(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><id>urn:wire</id>
<link rel="hub" href="%s"/><link rel="self" href="https://wire.example/feed.atom"/>
<entry><title>First headline</title><id>urn:1</id><link href="https://wire.example/1"/><updated>2026-05-04T11:00:00Z</updated></entry></feed>`, hub.URL)
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		io.WriteString(w, feedBody)
	}))
	defer feeds.Close()

	cfgPath := writeConfigText(t, t.TempDir(), fmt.Sprintf(`listen: %q
data: data/test.db
base_url: "http://%[1]s"
websub:
  callback_base: "http://%[1]s/websub"
  lease: 1h
  hub: self
sources:
  - {name: wire, url: %q, schedule: "@adaptive"}
`, addr, feeds.URL+"/feed.atom"))
	base := startServe(t, cfgPath, ln)
	waitReady(t, base)
	select {
	case err := <-verified:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the hub got no subscription")
	}
	mu.Lock()
	if topic != "https://wire.example/feed.atom" || callback != "http://"+addr+"/websub/wire" {
		t.Errorf("subscribed to %q with callback %q", topic, callback)
	}
	mu.Unlock()

	resp, err := http.Get(base + "/events/main")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	waitLine := func(want string) {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("stream ended before %q", want)
				}
				if strings.Contains(l, want) {
					return
				}
			case <-deadline:
				t.Fatalf("no %q on the stream", want)
			}
		}
	}
	waitLine("event: reset")

	// A reader subscribes to /feed.atom at tickerd's own hub.
	readerGot := make(chan string, 4)
	reader := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			io.WriteString(w, r.URL.Query().Get("hub.challenge"))
			return
		}
		b, _ := io.ReadAll(r.Body)
		mac := hmac.New(sha256.New, []byte("reader-secret"))
		mac.Write(b)
		if r.Header.Get("X-Hub-Signature") != "sha256="+hex.EncodeToString(mac.Sum(nil)) {
			readerGot <- "bad signature"
			return
		}
		readerGot <- string(b)
	}))
	defer reader.Close()
	if _, atom := httpGet(t, base+"/feed.atom"); !strings.Contains(atom, `rel="hub"`) || !strings.Contains(atom, "http://"+addr+"/hub") {
		t.Errorf("/feed.atom does not announce the hub:\n%s", atom)
	}
	sr, err := http.PostForm(base+"/hub", url.Values{"hub.mode": {"subscribe"}, "hub.topic": {"http://" + addr + "/feed.atom"},
		"hub.callback": {reader.URL}, "hub.secret": {"reader-secret"}})
	if err != nil {
		t.Fatal(err)
	}
	sr.Body.Close()
	if sr.StatusCode != http.StatusAccepted {
		t.Fatalf("subscribe at tickerd's hub: %d", sr.StatusCode)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, m := httpGet(t, base+"/metrics"); strings.Contains(m, "tickerd_hub_subscribers 1") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("tickerd's hub did not take the subscription")
		}
	}

	push := func(body, sig string) int {
		req, _ := http.NewRequest(http.MethodPost, callback, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/atom+xml")
		if sig != "" {
			req.Header.Set("X-Hub-Signature", sig)
		}
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r.StatusCode
	}
	pushed := `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><id>urn:wire</id>
<entry><title>Pushed headline</title><id>urn:2</id><link href="https://wire.example/2"/><updated>2026-05-04T11:05:00Z</updated></entry></feed>`
	forged := strings.ReplaceAll(pushed, "Pushed headline", "Forged headline")
	if code := push(forged, "sha256="+strings.Repeat("0", 64)); code != http.StatusAccepted {
		t.Errorf("forged push: %d", code)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(pushed))
	if code := push(pushed, "sha256="+hex.EncodeToString(mac.Sum(nil))); code != http.StatusAccepted {
		t.Fatalf("signed push: %d", code)
	}
	waitLine("Pushed headline")
	select {
	case got := <-readerGot:
		if !strings.Contains(got, "Pushed headline") {
			t.Errorf("tickerd's hub pushed to the reader:\n%s", got)
		}
	case <-time.After(5 * time.Second):
		t.Error("tickerd's hub pushed nothing to its subscriber")
	}
	if _, rss := httpGet(t, base+"/feed.rss"); !strings.Contains(rss, "Pushed headline") || strings.Contains(rss, "Forged") {
		t.Errorf("/feed.rss after the pushes:\n%s", rss)
	}
	if _, api := httpGet(t, base+"/api/sources"); !strings.Contains(api, `"websub": "active"`) || !strings.Contains(api, `"hub": "`+hub.URL) ||
		!strings.Contains(api, `"interval": "`) || !strings.Contains(api, `"interval_reason": "`) {
		t.Errorf("/api/sources lacks the active subscription:\n%s", api)
	}
	_, metrics := httpGet(t, base+"/metrics")
	for _, want := range []string{`tickerd_websub_events_total{event="push_accepted"} 1`, `tickerd_websub_events_total{event="push_bad_signature"} 1`,
		`tickerd_source_websub{source="wire",state="active"} 1`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// TestWebSubReloadAndHubDown: a real daemon unsubscribes from the hub of a
// source a SIGHUP reload removes (and confirms the hub's verification of
// it), while a source whose hub is down stays polled with the hub's
// failure in /api/sources.
func TestWebSubReloadAndHubDown(t *testing.T) {
	ln := listen(t)
	addr := ln.Addr().String()
	type hubReq struct{ mode, topic, callback, answer string }
	reqs := make(chan hubReq, 8)
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		mode, topic, callback := r.PostForm.Get("hub.mode"), r.PostForm.Get("hub.topic"), r.PostForm.Get("hub.callback")
		w.WriteHeader(http.StatusAccepted)
		go func() {
			q := url.Values{"hub.mode": {mode}, "hub.topic": {topic}, "hub.challenge": {"c-" + mode}, "hub.lease_seconds": {"600"}}
			resp, err := http.Get(callback + "?" + q.Encode())
			answer := ""
			if err == nil {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				answer = fmt.Sprintf("%d %s", resp.StatusCode, b)
			}
			reqs <- hubReq{mode, topic, callback, answer}
		}()
	}))
	defer hub.Close()
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close() // nothing answers there now
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := hub.URL
		if r.URL.Path == "/down.atom" {
			h = deadURL
		}
		w.Header().Set("Content-Type", "application/atom+xml")
		fmt.Fprintf(w, `<feed xmlns="http://www.w3.org/2005/Atom"><title>%[1]s</title><id>urn:%[1]s</id><link rel="hub" href="%[2]s"/>
<entry><title>From %[1]s</title><id>urn:%[1]s:1</id><link href="https://x.example%[1]s"/><updated>2026-05-04T11:00:00Z</updated></entry></feed>`, r.URL.Path, h)
	}))
	defer feeds.Close()
	head := fmt.Sprintf("listen: %q\ndata: data/test.db\nbase_url: \"http://%[1]s\"\nwebsub: {callback_base: \"http://%[1]s/websub\"}\n", addr)
	down := fmt.Sprintf("  - {name: down, url: %q}\n", feeds.URL+"/down.atom")
	dir := t.TempDir()
	cfgPath := writeConfigText(t, dir, head+"sources:\n"+fmt.Sprintf("  - {name: wire, url: %q}\n", feeds.URL+"/wire.atom")+down)
	base := startServe(t, cfgPath, ln)
	waitReady(t, base)

	got := <-reqs
	if got.mode != "subscribe" || got.answer != "200 c-subscribe" || got.topic != feeds.URL+"/wire.atom" {
		t.Fatalf("subscription: %+v", got)
	}
	eventually(t, "the down hub's failure in /api/sources", func() bool {
		_, api := httpGet(t, base+"/api/sources")
		return strings.Contains(api, `"websub": "error"`) && strings.Contains(api, `"websub_error": "Post`)
	})
	_, api := httpGet(t, base+"/api/sources")
	var rep struct {
		Sources []struct {
			Name, LastStatus, WebSub string
			NextFetch                time.Time `json:"next_fetch"`
		} `json:"sources"`
	}
	json.Unmarshal([]byte(api), &rep)
	for _, s := range rep.Sources {
		if s.Name == "down" && (s.NextFetch.IsZero()) {
			t.Errorf("the source whose hub is down is not planned to be polled: %+v", s)
		}
	}

	writeConfigText(t, dir, head+"sources:\n"+down)
	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	select {
	case got = <-reqs:
	case <-time.After(30 * time.Second):
		t.Fatal("no unsubscribe after the reload removed the source")
	}
	if got.mode != "unsubscribe" || got.callback != "http://"+addr+"/websub/wire" || got.answer != "200 c-unsubscribe" {
		t.Errorf("after the reload: %+v, want an unsubscribe the daemon confirmed", got)
	}
}

package feed

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"tickerd/fetcher"
	"time"

	"tickerd/store"
)

// hubSubscriber is an in-test WebSub subscriber: it confirms the
// verifications it expects and records the deliveries it gets.
type hubSubscriber struct {
	*httptest.Server
	mu        sync.Mutex
	confirm   bool
	verified  chan url.Values
	delivered chan delivered
}

type delivered struct {
	header http.Header
	body   []byte
	at     time.Time
}

func newHubSubscriber(t *testing.T) *hubSubscriber {
	s := &hubSubscriber{confirm: true, verified: make(chan url.Values, 8), delivered: make(chan delivered, 8)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			s.mu.Lock()
			ok := s.confirm
			s.mu.Unlock()
			s.verified <- r.URL.Query()
			if !ok {
				http.NotFound(w, r)
				return
			}
			io.WriteString(w, r.URL.Query().Get("hub.challenge"))
			return
		}
		b, _ := io.ReadAll(r.Body)
		s.delivered <- delivered{r.Header.Clone(), b, time.Now()}
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(s.Close)
	return s
}

type hubRig struct {
	st   *store.Store
	srv  *Server
	hub  *Hub
	http *httptest.Server
}

func newHubRig(t *testing.T, opts *HubOptions) *hubRig {
	r := &hubRig{st: openTestStore(t)}
	ingestBySource(t, r.st, realStoreItems())
	mux := http.NewServeMux()
	r.http = httptest.NewServer(mux)
	t.Cleanup(r.http.Close)
	srv, err := New(r.st, &Options{BaseURL: r.http.URL, Hub: r.http.URL + "/hub"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.srv = srv
	r.hub = NewHub(func() *Server { return srv }, opts, nil)
	mux.Handle("/hub", r.hub)
	mux.Handle("/", srv.Handler())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.hub.Run(ctx, r.st)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return r
}

func (r *hubRig) subscribe(t *testing.T, form url.Values) int {
	t.Helper()
	resp, err := http.PostForm(r.http.URL+"/hub", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		t.Fatalf("no %s", what)
		var zero T
		return zero
	}
}

// TestHubPublishes: a subscriber subscribes to /feed.atom at the hub, the
// hub verifies its intent, and a new item in the ticker is pushed to it
// within a second, signed with its secret, with the hub and self links.
func TestHubPublishes(t *testing.T) {
	r := newHubRig(t, nil)
	sub := newHubSubscriber(t)
	topic := r.http.URL + "/feed.atom"
	if code := r.subscribe(t, url.Values{"hub.mode": {"subscribe"}, "hub.topic": {topic}, "hub.callback": {sub.URL + "/cb?id=7"},
		"hub.secret": {"s3cret"}, "hub.lease_seconds": {"7200"}}); code != http.StatusAccepted {
		t.Fatalf("subscribe: %d, want 202", code)
	}
	q := recv(t, sub.verified, "verification")
	if q.Get("hub.mode") != "subscribe" || q.Get("hub.topic") != topic || q.Get("hub.lease_seconds") != "7200" || q.Get("id") != "7" || q.Get("hub.challenge") == "" {
		t.Errorf("verification query = %v", q)
	}
	for r.hub.Subscribers() != 1 {
		time.Sleep(5 * time.Millisecond)
	}
	// The feed announces the hub.
	_, body, _ := r.srv.TopicBody(context.Background(), topic)
	if !strings.Contains(string(body), `<link href="`+r.http.URL+`/hub" rel="hub">`) {
		t.Errorf("feed.atom does not announce the hub:\n%s", body)
	}

	it := store.Item{ID: "hub-1", Source: "wire", Title: "Hub pushes this headline", Link: "https://wire.example.com/hub-1", Published: seen}
	states := fixtureStates()
	if _, err := r.st.Ingest(context.Background(), states[1], []store.Item{it}); err != nil {
		t.Fatal(err)
	}
	stored := time.Now()
	d := recv(t, sub.delivered, "delivery")
	if lag := d.at.Sub(stored); lag > time.Second {
		t.Errorf("pushed %s after the item was stored, want within 1s", lag)
	}
	if !strings.Contains(string(d.body), "Hub pushes this headline") {
		t.Errorf("delivery lacks the new item:\n%s", d.body)
	}
	mac := hmac.New(sha256.New, []byte("s3cret"))
	mac.Write(d.body)
	if got, want := d.header.Get("X-Hub-Signature"), "sha256="+hex.EncodeToString(mac.Sum(nil)); got != want {
		t.Errorf("X-Hub-Signature = %q, want %q", got, want)
	}
	if ct := d.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
		t.Errorf("Content-Type = %q", ct)
	}
	if l := d.header.Get("Link"); !strings.Contains(l, `rel="hub"`) || !strings.Contains(l, "<"+topic+`>; rel="self"`) {
		t.Errorf("Link = %q", l)
	}
	// Unsubscribing is verified too; after it nothing more is pushed.
	r.subscribe(t, url.Values{"hub.mode": {"unsubscribe"}, "hub.topic": {topic}, "hub.callback": {sub.URL + "/cb?id=7"}})
	if q := recv(t, sub.verified, "unsubscribe verification"); q.Get("hub.mode") != "unsubscribe" {
		t.Errorf("verification = %v", q)
	}
	for r.hub.Subscribers() != 0 {
		time.Sleep(5 * time.Millisecond)
	}
}

// TestHubRefuses: bad requests name their problem; a callback that does
// not confirm gets no subscription; the subscriber cap holds.
func TestHubRefuses(t *testing.T) {
	r := newHubRig(t, &HubOptions{MaxSubscribers: 1})
	sub := newHubSubscriber(t)
	topic := r.http.URL + "/feed.rss"
	for _, tc := range []struct {
		name string
		form url.Values
	}{
		{"mode", url.Values{"hub.mode": {"publish"}, "hub.topic": {topic}, "hub.callback": {sub.URL}}},
		{"foreign topic", url.Values{"hub.mode": {"subscribe"}, "hub.topic": {"https://elsewhere.example/feed"}, "hub.callback": {sub.URL}}},
		{"callback", url.Values{"hub.mode": {"subscribe"}, "hub.topic": {topic}, "hub.callback": {"javascript:x"}}},
		{"secret", url.Values{"hub.mode": {"subscribe"}, "hub.topic": {topic}, "hub.callback": {sub.URL}, "hub.secret": {strings.Repeat("s", 200)}}},
		{"lease", url.Values{"hub.mode": {"subscribe"}, "hub.topic": {topic}, "hub.callback": {sub.URL}, "hub.lease_seconds": {"-5"}}},
	} {
		if code := r.subscribe(t, tc.form); code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", tc.name, code)
		}
	}
	sub.mu.Lock()
	sub.confirm = false
	sub.mu.Unlock()
	r.subscribe(t, url.Values{"hub.mode": {"subscribe"}, "hub.topic": {topic}, "hub.callback": {sub.URL + "/a"}})
	recv(t, sub.verified, "verification")
	r.hub.wg.Wait()
	if n := r.hub.Subscribers(); n != 0 {
		t.Fatalf("a callback that answered 404 is subscribed (%d)", n)
	}
	sub.mu.Lock()
	sub.confirm = true
	sub.mu.Unlock()
	r.subscribe(t, url.Values{"hub.mode": {"subscribe"}, "hub.topic": {topic}, "hub.callback": {sub.URL + "/a"}})
	recv(t, sub.verified, "verification")
	r.hub.wg.Wait()
	if code := r.subscribe(t, url.Values{"hub.mode": {"subscribe"}, "hub.topic": {topic}, "hub.callback": {sub.URL + "/b"}}); code != http.StatusTooManyRequests {
		t.Errorf("a second subscriber over a cap of 1: %d, want 429", code)
	}
}

// TestHubRetries: a delivery that fails is tried again.
func TestHubRetries(t *testing.T) {
	r := newHubRig(t, nil)
	var mu sync.Mutex
	fails := 1
	got := make(chan struct{}, 4)
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodGet {
			io.WriteString(w, req.URL.Query().Get("hub.challenge"))
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if fails > 0 {
			fails--
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		got <- struct{}{}
	}))
	defer cb.Close()
	r.subscribe(t, url.Values{"hub.mode": {"subscribe"}, "hub.topic": {r.http.URL + "/feed.json"}, "hub.callback": {cb.URL}})
	for r.hub.Subscribers() != 1 {
		time.Sleep(5 * time.Millisecond)
	}
	it := store.Item{ID: "hub-2", Source: "wire", Title: "Retried headline", Link: "https://wire.example.com/hub-2", Published: seen}
	if _, err := r.st.Ingest(context.Background(), fixtureStates()[1], []store.Item{it}); err != nil {
		t.Fatal(err)
	}
	recv(t, got, "delivery after a retry")
}

// TestFeedsAnnounceHub: with a hub configured, every format names it
// beside its self link, and so does the Link header; without one, none
// does.
func TestFeedsAnnounceHub(t *testing.T) {
	st := newFakeStore(fixtureItems(), fixtureStates()...)
	const hub = "https://hub.example/websub"
	for _, withHub := range []bool{true, false} {
		opts := &Options{BaseURL: "https://news.example.com"}
		if withHub {
			opts.Hub = hub
		}
		srv, err := New(st, opts, nil)
		if err != nil {
			t.Fatal(err)
		}
		for path, want := range map[string]string{
			"/feed.rss":  `<atom:link href="` + hub + `" rel="hub"></atom:link>`,
			"/feed.atom": `<link href="` + hub + `" rel="hub"></link>`,
			"/t/main.json": `"hubs": [
    {
      "type": "WebSub",
      "url": "` + hub + `"`,
		} {
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			body, link := rec.Body.String(), rec.Header().Get("Link")
			self := "https://news.example.com" + strings.Replace(path, "/t/main.json", "/feed.json", 1)
			if withHub && (!strings.Contains(body, want) || link != "<"+hub+`>; rel="hub", <`+self+`>; rel="self"`) {
				t.Errorf("%s with a hub: Link %q, body lacks %q:\n%s", path, link, want, body)
			}
			if !withHub && (strings.Contains(body, "hub") || link != "") {
				t.Errorf("%s without a hub names one: Link %q\n%s", path, link, body)
			}
		}
	}
	if _, err := New(st, &Options{Hub: "ftp://hub.example/"}, nil); err == nil || !strings.Contains(err.Error(), `hub "ftp://hub.example/"`) {
		t.Errorf("New with a hub that is not http(s): %v", err)
	}
}

// TestHubBoundsVerifications: anyone may POST to /hub and each POST makes
// the hub send a request, so while 16 verifications hang, a 17th request
// is refused with 503 and Retry-After.
func TestHubBoundsVerifications(t *testing.T) {
	r := newHubRig(t, nil)
	release := make(chan struct{})
	var hanging sync.WaitGroup
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		hanging.Done()
		<-release
	}))
	defer cb.Close()
	defer close(release)
	hanging.Add(maxVerifying)
	for i := range maxVerifying {
		if code := r.subscribe(t, url.Values{"hub.mode": {"subscribe"}, "hub.topic": {r.http.URL + "/feed.rss"},
			"hub.callback": {cb.URL + "/" + strconv.Itoa(i)}}); code != http.StatusAccepted {
			t.Fatalf("subscription %d: %d", i, code)
		}
	}
	hanging.Wait()
	resp, err := http.PostForm(r.http.URL+"/hub", url.Values{"hub.mode": {"subscribe"}, "hub.topic": {r.http.URL + "/feed.rss"},
		"hub.callback": {cb.URL + "/one-more"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("a 17th request while 16 verifications hang: %d (Retry-After %q), want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

// TestHubCallbacksStayPublic: with the client the daemon gives the hub
// under fetch.block_private (fetcher.PublicClient), a subscription whose
// callback is on the daemon's own network is refused at the dial, so
// nothing is ever requested or posted there; the same hub with the
// default client does verify it (the rig's callbacks are all loopback).
func TestHubCallbacksStayPublic(t *testing.T) {
	for _, tc := range []struct {
		name   string
		client *http.Client
	}{{"default client", nil}, {"public client", fetcher.PublicClient(5 * time.Second)}} {
		t.Run(tc.name, func(t *testing.T) {
			r := newHubRig(t, &HubOptions{Client: tc.client})
			failed := make(chan string, 1)
			r.hub.log = slog.New(logFunc(func(msg string, attrs map[string]string) {
				if msg == "hub: verification failed" {
					failed <- attrs["err"]
				}
			}))
			sub := newHubSubscriber(t)
			if code := r.subscribe(t, url.Values{"hub.mode": {"subscribe"}, "hub.topic": {r.http.URL + "/feed.atom"},
				"hub.callback": {sub.URL + "/cb"}}); code != http.StatusAccepted {
				t.Fatalf("subscribe: %d, want 202 (verification is asynchronous)", code)
			}
			select {
			case <-sub.verified:
				if tc.client != nil {
					t.Fatal("the hub requested a loopback callback")
				}
			case err := <-failed:
				if tc.client == nil {
					t.Fatalf("verification failed: %s", err)
				}
				if !strings.Contains(err, fetcher.ErrPrivateAddress.Error()) {
					t.Errorf("verification error %q does not say the address is refused", err)
				}
				if n := r.hub.Subscribers(); n != 0 {
					t.Errorf("%d subscribers, want 0", n)
				}
			}
		})
	}
}

// logFunc is a slog.Handler that calls f with each record's message and
// attributes.
type logFunc func(msg string, attrs map[string]string)

func (f logFunc) Enabled(context.Context, slog.Level) bool { return true }
func (f logFunc) WithAttrs([]slog.Attr) slog.Handler       { return f }
func (f logFunc) WithGroup(string) slog.Handler            { return f }
func (f logFunc) Handle(_ context.Context, r slog.Record) error {
	attrs := map[string]string{}
	r.Attrs(func(a slog.Attr) bool { attrs[a.Key] = a.Value.String(); return true })
	f(r.Message, attrs)
	return nil
}

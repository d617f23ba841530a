package fetcher

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"tickerd/store"
)

// testHub is an in-test WebSub hub: it records the requests it gets and
// answers them with status (202 unless set).
type testHub struct {
	*httptest.Server
	mu     sync.Mutex
	reqs   []url.Values
	status int
	got    chan url.Values
}

func newTestHub(t *testing.T) *testHub {
	h := &testHub{status: http.StatusAccepted, got: make(chan url.Values, 16)}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		h.mu.Lock()
		h.reqs = append(h.reqs, r.PostForm)
		status := h.status
		h.mu.Unlock()
		h.got <- r.PostForm
		w.WriteHeader(status)
		if status != http.StatusAccepted {
			io.WriteString(w, "hub is broken")
		}
	}))
	t.Cleanup(h.Close)
	return h
}

// next waits for the hub's next request.
func (h *testHub) next(t *testing.T) url.Values {
	t.Helper()
	select {
	case v := <-h.got:
		return v
	case <-time.After(5 * time.Second):
		t.Fatal("the hub got no request")
		return nil
	}
}

func atomWithHub(hub, self string, titles ...string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><id>urn:wire</id><updated>2026-05-04T11:00:00Z</updated>`)
	if hub != "" {
		fmt.Fprintf(&b, `<link rel="hub" href="%s"/>`, hub)
	}
	if self != "" {
		fmt.Fprintf(&b, `<link rel="self" href="%s"/>`, self)
	}
	for i, title := range titles {
		fmt.Fprintf(&b, `<entry><title>%s</title><id>urn:wire:%s</id><link href="https://wire.example/%d"/><updated>2026-05-04T11:0%d:00Z</updated></entry>`, title, title, i, i)
	}
	b.WriteString("</feed>")
	return []byte(b.String())
}

func sign(h func() hash.Hash, method, secret string, body []byte) string {
	mac := hmac.New(h, []byte(secret))
	mac.Write(body)
	return method + "=" + hex.EncodeToString(mac.Sum(nil))
}

type websubRig struct {
	f     *Fetcher
	st    *store.Store
	hub   *testHub
	feed  *headerServer
	cb    *httptest.Server
	clock *fakeClock
	url   string
}

func newWebSubRig(t *testing.T) *websubRig {
	r := &websubRig{hub: newTestHub(t), feed: &headerServer{status: http.StatusOK}, st: openTestStore(t),
		clock: &fakeClock{t: time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)}}
	fs := httptest.NewServer(r.feed)
	t.Cleanup(fs.Close)
	r.url = fs.URL + "/feed"
	mux := http.NewServeMux()
	var f *Fetcher
	mux.Handle("/websub/", http.StripPrefix("/websub", http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		f.WebSubHandler().ServeHTTP(w, req)
	})))
	r.cb = httptest.NewServer(mux)
	t.Cleanup(r.cb.Close)
	f, _ = newTestFetcher(t, r.st, &Options{
		Sources: []Source{{Name: "wire", URL: r.url, Schedule: AdaptiveSchedule}},
		Now:     r.clock.Now, IntervalMax: 2 * time.Hour,
		WebSub: WebSub{CallbackBase: r.cb.URL + "/websub", Lease: time.Hour},
	})
	r.f = f
	t.Cleanup(f.wg.Wait)
	return r
}

// get asks the callback as a hub would.
func (r *websubRig) get(t *testing.T, name string, q url.Values) (int, string) {
	t.Helper()
	resp, err := http.Get(r.cb.URL + "/websub/" + name + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (r *websubRig) push(t *testing.T, body []byte, sig string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, r.cb.URL+"/websub/wire", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/atom+xml")
	if sig != "" {
		req.Header.Set("X-Hub-Signature", sig)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (r *websubRig) titles(t *testing.T) []string {
	t.Helper()
	items, err := r.st.Recent(context.Background(), store.Query{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range items {
		out = append(out, it.Title)
	}
	return out
}

// subscribed fetches the feed, answers the hub's verification and
// returns the subscription request.
func (r *websubRig) subscribed(t *testing.T) url.Values {
	t.Helper()
	r.f.Fetch(context.Background(), "wire")
	req := r.hub.next(t)
	code, body := r.get(t, "wire", url.Values{"hub.mode": {"subscribe"}, "hub.topic": {req.Get("hub.topic")},
		"hub.challenge": {"c-123"}, "hub.lease_seconds": {"3600"}})
	if code != http.StatusOK || body != "c-123" {
		t.Fatalf("verification: %d %q, want 200 with the challenge", code, body)
	}
	return req
}

// TestWebSubDiscovery: the hub and topic come from the HTTP Link header
// when it names them, else from the feed's own links.
func TestWebSubDiscovery(t *testing.T) {
	tests := []struct {
		name      string
		link      string
		body      func(hub string) []byte
		wantTopic string // "" means the feed URL
	}{
		{name: "feed links", body: func(hub string) []byte { return atomWithHub(hub, "https://wire.example/feed.atom", "A") },
			wantTopic: "https://wire.example/feed.atom"},
		{name: "Link header", link: `<HUB>; rel="hub", <https://wire.example/topic>; rel="self"`,
			body: func(string) []byte { return atomWithHub("", "", "A") }, wantTopic: "https://wire.example/topic"},
		{name: "RSS atom:link", body: func(hub string) []byte {
			return []byte(`<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>t</title><atom:link rel="hub" href="` + hub +
				`"/><atom:link rel="self" href="https://wire.example/rss"/><item><title>A</title><link>https://wire.example/a</link></item></channel></rss>`)
		}, wantTopic: "https://wire.example/rss"},
		{name: "hub without self", body: func(hub string) []byte { return atomWithHub(hub, "", "A") }},
		{name: "JSON Feed hubs", body: func(hub string) []byte {
			return []byte(`{"version": "https://jsonfeed.org/version/1.1", "title": "t", "feed_url": "https://wire.example/feed.json",
				"hubs": [{"type": "rssCloud", "url": "https://cloud.example/"}, {"type": "WebSub", "url": "` + hub + `"}],
				"items": [{"id": "1", "title": "A", "url": "https://wire.example/a"}]}`)
		}, wantTopic: "https://wire.example/feed.json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newWebSubRig(t)
			var kv []string
			if tc.link != "" {
				kv = []string{"Link", strings.ReplaceAll(tc.link, "HUB", r.hub.URL)}
			}
			r.feed.set(tc.body(r.hub.URL), http.StatusOK, kv...)
			r.f.Fetch(context.Background(), "wire")
			req := r.hub.next(t)
			want := tc.wantTopic
			if want == "" {
				want = r.url
			}
			if req.Get("hub.mode") != "subscribe" || req.Get("hub.topic") != want ||
				req.Get("hub.callback") != r.cb.URL+"/websub/wire" || req.Get("hub.lease_seconds") != "3600" || len(req.Get("hub.secret")) != 64 {
				t.Errorf("subscription request = %v, want subscribe to %s with callback, lease and secret", req, want)
			}
			r.f.wg.Wait()
			st, _ := r.st.State("wire")
			if st.Hub != r.hub.URL || st.Topic != want || st.WebSub != store.WebSubPending {
				t.Errorf("state: hub %q topic %q websub %q; want %q, %q, pending", st.Hub, st.Topic, st.WebSub, r.hub.URL, want)
			}
		})
	}
}

// TestWebSubPush: subscribe → verify → a signed push stores its item; a
// push unsigned, badly signed or signed with another method changes
// nothing; sha1 is accepted.
func TestWebSubPush(t *testing.T) {
	r := newWebSubRig(t)
	r.feed.set(atomWithHub(r.hub.URL, "https://wire.example/feed.atom", "First"), http.StatusOK)
	req := r.subscribed(t)
	secret := req.Get("hub.secret")
	r.f.wg.Wait()
	r.f.persistSub("wire")
	st, _ := r.st.State("wire")
	if st.WebSub != store.WebSubActive || !st.WebSubLease.Equal(r.clock.Now().Add(time.Hour)) {
		t.Fatalf("after verification: %q, lease %s; want active, an hour from now", st.WebSub, st.WebSubLease)
	}
	if st.Interval != 2*time.Hour {
		// The fetch planned before the verification; the next plan
		// knows of the push.
		r.f.Fetch(context.Background(), "wire")
		if st, _ = r.st.State("wire"); st.Interval != 2*time.Hour || !strings.Contains(st.IntervalReason, "websub") {
			t.Errorf("a pushed source polls every %s (%q), want interval_max as a safety net", st.Interval, st.IntervalReason)
		}
	}

	pushed := atomWithHub("", "", "Pushed")
	bad := []struct{ name, sig string }{
		{"missing", ""},
		{"wrong secret", sign(sha256.New, "sha256", "not-the-secret", pushed)},
		{"not hex", "sha256=zz"},
		{"sha512", sign(sha512.New, "sha512", secret, pushed)},
		{"no method", hex.EncodeToString([]byte("x"))},
	}
	for _, b := range bad {
		if code := r.push(t, pushed, b.sig); code != http.StatusAccepted {
			t.Errorf("push with %s signature: %d, want 202 (and dropped)", b.name, code)
		}
		if got := r.titles(t); len(got) != 1 {
			t.Fatalf("push with %s signature stored something: %q", b.name, got)
		}
	}
	if code := r.push(t, pushed, sign(sha256.New, "sha256", secret, pushed)); code != http.StatusAccepted {
		t.Fatalf("signed push: %d", code)
	}
	if got := r.titles(t); len(got) != 2 || got[0] != "Pushed" && got[1] != "Pushed" {
		t.Fatalf("after a signed push: %q, want First and Pushed", got)
	}
	sha1Body := atomWithHub("", "", "Pushed", "Via sha1")
	r.push(t, sha1Body, sign(sha1.New, "sha1", secret, sha1Body))
	if got := r.titles(t); len(got) != 3 {
		t.Fatalf("after a sha1 push: %q", got)
	}
	// Over fetch.max_body: refused whole.
	if code := r.push(t, make([]byte, DefaultMaxBody+1), "sha256=00"); code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized push: %d, want 413", code)
	}
}

// TestWebSubVerifyRefused: a challenge for a topic, mode or source we did
// not ask for gets 404 and no echo.
func TestWebSubVerifyRefused(t *testing.T) {
	r := newWebSubRig(t)
	r.feed.set(atomWithHub(r.hub.URL, "https://wire.example/feed.atom", "First"), http.StatusOK)
	r.f.Fetch(context.Background(), "wire")
	r.hub.next(t)
	for _, tc := range []struct {
		name string
		src  string
		q    url.Values
	}{
		{"other topic", "wire", url.Values{"hub.mode": {"subscribe"}, "hub.topic": {"https://evil.example/feed"}, "hub.challenge": {"x"}}},
		{"unsubscribe we never asked", "wire", url.Values{"hub.mode": {"unsubscribe"}, "hub.topic": {"https://wire.example/feed.atom"}, "hub.challenge": {"x"}}},
		{"unknown source", "other", url.Values{"hub.mode": {"subscribe"}, "hub.topic": {"https://wire.example/feed.atom"}, "hub.challenge": {"x"}}},
		{"no challenge", "wire", url.Values{"hub.mode": {"subscribe"}, "hub.topic": {"https://wire.example/feed.atom"}}},
	} {
		if code, body := r.get(t, tc.src, tc.q); code != http.StatusNotFound || strings.Contains(body, "x\n") || body == "x" {
			t.Errorf("%s: %d %q, want 404 without the challenge", tc.name, code, body)
		}
	}
	r.f.wg.Wait()
	if st, _ := r.st.State("wire"); st.WebSub != store.WebSubPending {
		t.Errorf("after refused challenges the subscription is %q, want still pending", st.WebSub)
	}
	// A denial is recorded with the hub's reason.
	if code, _ := r.get(t, "wire", url.Values{"hub.mode": {"denied"}, "hub.topic": {"https://wire.example/feed.atom"}, "hub.reason": {"no such topic"}}); code != http.StatusOK {
		t.Errorf("denial: %d", code)
	}
	r.f.persistSub("wire")
	if st, _ := r.st.State("wire"); st.WebSub != store.WebSubDenied || !strings.Contains(st.WebSubError, "no such topic") {
		t.Errorf("after a denial: %q %q", st.WebSub, st.WebSubError)
	}
}

// TestWebSubRenewal: with the injected clock, the lease is renewed within
// its last tenth, not before.
func TestWebSubRenewal(t *testing.T) {
	r := newWebSubRig(t)
	r.feed.set(atomWithHub(r.hub.URL, "https://wire.example/feed.atom", "First"), http.StatusOK)
	first := r.subscribed(t)
	ctx := context.Background()
	r.clock.Add(50 * time.Minute)
	r.f.renew(ctx)
	r.f.wg.Wait()
	select {
	case v := <-r.hub.got:
		t.Fatalf("renewed 10 minutes before the end of a 1h lease: %v", v)
	default:
	}
	r.clock.Add(5 * time.Minute)
	r.f.renew(ctx)
	renewal := r.hub.next(t)
	if renewal.Get("hub.mode") != "subscribe" || renewal.Get("hub.topic") != "https://wire.example/feed.atom" {
		t.Errorf("renewal request = %v", renewal)
	}
	// Until the hub verifies the renewal it signs with the old secret.
	body := atomWithHub("", "", "Old secret")
	r.push(t, body, sign(sha256.New, "sha256", first.Get("hub.secret"), body))
	if got := r.titles(t); len(got) != 2 {
		t.Errorf("a push signed with the old secret during renewal: %q", got)
	}
	if code, _ := r.get(t, "wire", url.Values{"hub.mode": {"subscribe"}, "hub.topic": {"https://wire.example/feed.atom"},
		"hub.challenge": {"again"}, "hub.lease_seconds": {"3600"}}); code != http.StatusOK {
		t.Fatalf("renewal verification: %d", code)
	}
	body = atomWithHub("", "", "Old secret after")
	r.push(t, body, sign(sha256.New, "sha256", first.Get("hub.secret"), body))
	body = atomWithHub("", "", "New secret")
	r.push(t, body, sign(sha256.New, "sha256", renewal.Get("hub.secret"), body))
	if got := r.titles(t); len(got) != 3 || slices.Contains(got, "Old secret after") {
		t.Errorf("after the renewal was verified: %q, want the new secret only", got)
	}
	r.f.wg.Wait()
	if st, _ := r.st.State("wire"); st.WebSub != store.WebSubActive {
		t.Errorf("during renewal the subscription is %q, want still active", st.WebSub)
	}
}

// TestWebSubUnsubscribeOnReload: a source removed by a reload is
// unsubscribed, and the hub's verification of that is answered.
func TestWebSubUnsubscribeOnReload(t *testing.T) {
	r := newWebSubRig(t)
	r.feed.set(atomWithHub(r.hub.URL, "https://wire.example/feed.atom", "First"), http.StatusOK)
	r.subscribed(t)
	opts := r.f.cur.Load().opts
	opts.Sources = []Source{{Name: "other", URL: r.url + "?other"}}
	if _, err := r.f.Reload(context.Background(), &opts); err != nil {
		t.Fatal(err)
	}
	req := r.hub.next(t)
	if req.Get("hub.mode") != "unsubscribe" || req.Get("hub.callback") != r.cb.URL+"/websub/wire" {
		t.Fatalf("after the reload the hub got %v, want unsubscribe", req)
	}
	code, body := r.get(t, "wire", url.Values{"hub.mode": {"unsubscribe"}, "hub.topic": {"https://wire.example/feed.atom"}, "hub.challenge": {"bye"}})
	if code != http.StatusOK || body != "bye" {
		t.Errorf("unsubscribe verification: %d %q", code, body)
	}
	// Pushes to the removed source are refused.
	if code := r.push(t, []byte("<feed/>"), "sha256=00"); code != http.StatusNotFound {
		t.Errorf("push to a removed source: %d, want 404", code)
	}
	r.f.wg.Wait()
}

// TestWebSubHubDown: a hub that fails leaves the source polled on its
// schedule, with the hub's error in its state.
func TestWebSubHubDown(t *testing.T) {
	r := newWebSubRig(t)
	r.hub.mu.Lock()
	r.hub.status = http.StatusInternalServerError
	r.hub.mu.Unlock()
	r.feed.set(atomWithHub(r.hub.URL, "", "First"), http.StatusOK)
	r.f.Fetch(context.Background(), "wire")
	r.hub.next(t)
	r.f.wg.Wait()
	st, _ := r.st.State("wire")
	if st.WebSub != store.WebSubError || !strings.Contains(st.WebSubError, "500") || !strings.Contains(st.WebSubError, "hub is broken") {
		t.Errorf("state after a failing hub: %q %q", st.WebSub, st.WebSubError)
	}
	if st.LastStatus != "ok" || st.NextAttempt.IsZero() || st.Interval == 2*time.Hour && strings.Contains(st.IntervalReason, "websub") {
		t.Errorf("source after a failing hub: status %q, next %s, interval %s (%q); want polled as before", st.LastStatus, st.NextAttempt, st.Interval, st.IntervalReason)
	}
	// Not asked again on every fetch; an hour later, yes.
	r.f.Fetch(context.Background(), "wire")
	r.f.wg.Wait()
	select {
	case v := <-r.hub.got:
		t.Fatalf("asked a failing hub again at once: %v", v)
	default:
	}
	r.clock.Add(time.Hour)
	r.f.renew(context.Background())
	r.hub.next(t)
	r.f.wg.Wait()
}

func TestCheckSignature(t *testing.T) {
	body := []byte("hello")
	for _, tc := range []struct {
		name, header string
		ok           bool
	}{
		{"sha256", sign(sha256.New, "sha256", "k", body), true},
		{"SHA256 upper case method", sign(sha256.New, "SHA256", "k", body), true},
		{"sha1", sign(sha1.New, "sha1", "k", body), true},
		{"sha384 refused", sign(sha512.New384, "sha384", "k", body), false},
		{"truncated", sign(sha256.New, "sha256", "k", body)[:20], false},
		{"empty", "", false},
	} {
		if err := checkSignature(tc.header, "k", body); (err == nil) != tc.ok {
			t.Errorf("%s: checkSignature(%q) = %v, want ok %v", tc.name, tc.header, err, tc.ok)
		}
	}
}

// TestWebSubBoundsDeliveries: bodies being read at the callback are
// bounded in number, so senders dripping bytes cannot hold memory for
// many: past maxPushesReading the callback answers 503.
func TestWebSubBoundsDeliveries(t *testing.T) {
	r := newWebSubRig(t)
	r.feed.set(atomWithHub(r.hub.URL, "https://wire.example/feed.atom", "First"), http.StatusOK)
	r.subscribed(t)
	var writers []*io.PipeWriter
	var done sync.WaitGroup
	for range maxPushesReading {
		pr, pw := io.Pipe()
		writers = append(writers, pw)
		req, _ := http.NewRequest(http.MethodPost, r.cb.URL+"/websub/wire", pr)
		done.Go(func() {
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		})
		pw.Write([]byte("<feed"))
	}
	// Each of those is being read once its first bytes were taken.
	for {
		r.f.subs.mu.Lock()
		n := len(r.f.subs.reading)
		r.f.subs.mu.Unlock()
		if n == maxPushesReading {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if code := r.push(t, []byte("<feed/>"), "sha256=00"); code != http.StatusServiceUnavailable {
		t.Errorf("a delivery while %d are being read: %d, want 503", maxPushesReading, code)
	}
	for _, pw := range writers {
		pw.Close()
	}
	done.Wait()
	if code := r.push(t, []byte("<feed/>"), "sha256=00"); code != http.StatusAccepted {
		t.Errorf("a delivery once the others ended: %d, want 202 (dropped: bad signature)", code)
	}
}

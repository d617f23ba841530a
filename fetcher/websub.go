package fetcher

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"tickerd/store"
)

// WebSub configures the subscriber side of WebSub (W3C Recommendation):
// sources whose feed names a hub are subscribed to, and the hub's
// deliveries are ingested as if fetched.
type WebSub struct {
	// CallbackBase is the public URL hubs reach WebSubHandler at; a
	// source's callback is CallbackBase + "/" + its escaped name. Empty
	// turns subscribing off.
	CallbackBase string
	// Lease is the lease asked for (hub.lease_seconds); default 24h. The
	// hub may grant another; renewal starts a tenth of it before its end.
	Lease time.Duration
	// OnEvent, when set, is called with each subscription event
	// ("subscribe_requested", "subscribe_failed", "verified", "denied",
	// "unsubscribed", "push_accepted", "push_bad_signature", "push_failed"…),
	// for metrics. It must be quick and safe for concurrent use.
	OnEvent func(event string)
}

const (
	// DefaultWebSubLease is the lease asked of hubs.
	DefaultWebSubLease = 24 * time.Hour
	// subscribeRetry is how long a hub that failed or denied waits
	// before the next fetch asks it again.
	subscribeRetry = time.Hour
	// hubTimeout bounds one request to a hub.
	hubTimeout = 15 * time.Second
	// renewEvery is how often Run looks for leases to renew.
	renewEvery = time.Minute
	// maxPushesReading bounds the deliveries read at once.
	maxPushesReading = 8
)

// subscription is a source's WebSub subscription as the fetcher knows it.
// Mirrors SourceState's WebSub fields; the fetcher writes them into every
// state it saves.
type subscription struct {
	hub, topic, secret string
	// prevSecret is the secret of the subscription a renewal replaces:
	// the hub signs with it until it verifies the renewal.
	prevSecret string
	state      string    // store.WebSub*
	lease      time.Time // when the lease ends
	err        string
	asked      time.Time // last request to the hub
	// wantMode is the intent a verification may confirm: "subscribe"
	// while a subscription is asked for, "unsubscribe" while ending one.
	wantMode string
}

// subs holds the subscriptions by source name; unsubscribing holds those
// of sources no longer configured, until the hub verifies the end.
type subs struct {
	mu          sync.Mutex
	bySource    map[string]*subscription
	unsubscribe map[string]*subscription
	inflight    map[string]bool // a request to a hub is under way
	// reading holds a token per delivery body being read.
	reading chan struct{}
}

func (f *Fetcher) websub() WebSub { return f.cur.Load().opts.WebSub }

// callback is the callback URL of the named source.
func (o WebSub) callback(name string) string {
	return strings.TrimRight(o.CallbackBase, "/") + "/" + url.PathEscape(name)
}

func (f *Fetcher) event(ev string) {
	if on := f.websub().OnEvent; on != nil {
		on(ev)
	}
}

// loadSubs restores subscriptions from the stored states of g's sources.
func (f *Fetcher) loadSubs(g *generation) {
	f.subs.mu.Lock()
	defer f.subs.mu.Unlock()
	for _, s := range g.sources {
		st, ok := f.store.State(s.Name)
		if !ok || st.URL != s.URL || st.WebSub == "" || st.Hub == "" {
			continue
		}
		f.subs.bySource[s.Name] = &subscription{hub: st.Hub, topic: st.Topic, secret: st.WebSubSecret,
			state: st.WebSub, lease: st.WebSubLease, err: st.WebSubError, wantMode: "subscribe"}
	}
}

// mergeSub copies the source's subscription into st before a write, so
// that a fetch never writes back what it read before a verification.
func (f *Fetcher) mergeSub(st *store.SourceState) {
	f.subs.mu.Lock()
	defer f.subs.mu.Unlock()
	sub := f.subs.bySource[st.Name]
	if sub == nil {
		st.WebSub, st.WebSubLease, st.WebSubError, st.WebSubSecret = "", time.Time{}, "", ""
		return
	}
	st.WebSub, st.WebSubLease, st.WebSubError, st.WebSubSecret = sub.state, sub.lease, sub.err, sub.secret
}

// discovered is called after a fetch parsed s's feed: it records the hub
// and topic (the Link header first, then the feed's own links, as the
// spec orders them) and subscribes when nothing is under way.
func (f *Fetcher) discovered(ctx context.Context, s *source, st *store.SourceState, info feedInfo, in inbound) {
	hubs, self := linkHeaderWebSub(in.links, in.base)
	hub := ""
	if len(hubs) > 0 {
		hub = hubs[0]
	}
	if hub == "" {
		hub = info.hub
	}
	if hub == "" && s.g.opts.WebSub.CallbackBase != "" {
		hub = jsonFeedHub(in.body, in.base)
	}
	if self == "" {
		self = info.self
	}
	if hub != "" && self == "" {
		self = s.URL // a hub without a self link: the URL we fetch is the topic
	}
	st.Hub, st.Topic = hub, self
	o := s.g.opts.WebSub
	if o.CallbackBase == "" || hub == "" || s.path != "" {
		return
	}
	now := s.g.opts.Now()
	f.subs.mu.Lock()
	sub := f.subs.bySource[s.Name]
	start := sub == nil || sub.hub != hub || sub.topic != self ||
		((sub.state == store.WebSubError || sub.state == store.WebSubDenied || sub.state == store.WebSubPending) && now.Sub(sub.asked) >= subscribeRetry)
	f.subs.mu.Unlock()
	if start {
		f.goSubscribe(ctx, s.Name, hub, self)
	}
}

// goSubscribe asks hub for a subscription to topic for the named source,
// in the background (a hub may take its time); one request per source at
// a time. The request ends with ctx or hubTimeout.
func (f *Fetcher) goSubscribe(ctx context.Context, name, hub, topic string) {
	f.subs.mu.Lock()
	if f.subs.inflight[name] {
		f.subs.mu.Unlock()
		return
	}
	f.subs.inflight[name] = true
	f.subs.mu.Unlock()
	f.wg.Go(func() {
		defer func() {
			f.subs.mu.Lock()
			delete(f.subs.inflight, name)
			f.subs.mu.Unlock()
		}()
		f.subscribe(ctx, name, hub, topic)
	})
}

// subscribe sends the subscription request and records its outcome:
// pending on 202 (the hub verifies later), error otherwise.
func (f *Fetcher) subscribe(ctx context.Context, name, hub, topic string) {
	o := f.websub()
	log := f.log.With("source", name, "hub", hub)
	secret := make([]byte, 32)
	rand.Read(secret)
	sub := &subscription{hub: hub, topic: topic, secret: hex.EncodeToString(secret), state: store.WebSubPending,
		asked: f.cur.Load().opts.Now(), wantMode: "subscribe"}
	f.subs.mu.Lock()
	if old := f.subs.bySource[name]; old != nil && old.hub == hub && old.topic == topic && old.state == store.WebSubActive {
		// A renewal: deliveries signed with the old secret may still come
		// until the hub verifies; the old lease stands meanwhile.
		sub.state, sub.lease, sub.prevSecret = store.WebSubActive, old.lease, old.secret
	}
	f.subs.bySource[name] = sub
	f.subs.mu.Unlock()

	form := url.Values{
		"hub.mode":          {"subscribe"},
		"hub.topic":         {topic},
		"hub.callback":      {o.callback(name)},
		"hub.lease_seconds": {strconv.FormatInt(int64(o.Lease/time.Second), 10)},
		"hub.secret":        {sub.secret},
	}
	err := f.hubRequest(ctx, hub, form)
	f.subs.mu.Lock()
	if err != nil {
		if f.subs.bySource[name] == sub {
			sub.state, sub.err = store.WebSubError, err.Error()
		}
		f.subs.mu.Unlock()
		if ctx.Err() == nil {
			log.Warn("websub subscribe failed; the source stays polled", "err", err)
			f.event("subscribe_failed")
			f.persistSub(name)
		}
		return
	}
	sub.err = ""
	f.subs.mu.Unlock()
	log.Info("websub subscription requested", "topic", topic)
	f.event("subscribe_requested")
	f.persistSub(name)
}

// hubRequest posts form to hub and reports anything but 202 Accepted
// (or another 2xx, which some hubs answer) as an error naming the status.
func (f *Fetcher) hubRequest(ctx context.Context, hub string, form url.Values) error {
	g := f.cur.Load()
	rctx, cancel := context.WithTimeout(ctx, hubTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, hub, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("POST %s: %w", store.RedactURL(hub, nil), err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", g.opts.UserAgent)
	resp, err := g.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 != 2 {
		text := strings.TrimSpace(string(bytes.ToValidUTF8(msg, nil)))
		if text != "" {
			return fmt.Errorf("hub %s answered %w: %s", store.RedactURL(hub, nil), &StatusError{Code: resp.StatusCode}, shortText(text, 200))
		}
		return fmt.Errorf("hub %s answered %w", store.RedactURL(hub, nil), &StatusError{Code: resp.StatusCode})
	}
	return nil
}

func shortText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// persistSub writes the source's subscription into its stored state. It
// waits for a fetch of the source in flight (which merges the same
// fields) rather than race its write; a source retired meanwhile is left.
func (f *Fetcher) persistSub(name string) {
	s := f.source(name)
	if s == nil {
		return
	}
	for i := 0; ; i++ {
		if s.busy.TryLock() {
			break
		}
		if i >= 600 || f.source(name) != s {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	defer s.busy.Unlock()
	st, ok := f.store.State(name)
	if !ok {
		st = store.SourceState{Name: name, URL: s.URL}
	}
	f.mergeSub(&st)
	sctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	if err := f.store.SaveState(sctx, st); err != nil {
		f.log.Error("save source state", "source", name, "err", err)
	}
}

// WebSubHandler serves the callbacks under WebSub.CallbackBase's path:
// GET for the hub's verification of intent and its denials, POST for
// content distribution. Mount it at that path with the prefix stripped,
// so that it sees "/{source}".
func (f *Fetcher) WebSubHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, err := url.PathUnescape(strings.TrimPrefix(r.URL.EscapedPath(), "/"))
		if err != nil || name == "" || strings.Contains(name, "/") {
			http.NotFound(w, r)
			return
		}
		switch r.Method {
		case http.MethodGet:
			f.verify(w, r, name)
		case http.MethodPost:
			f.deliver(w, r, name)
		default:
			w.Header().Set("Allow", "GET, POST")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		}
	})
}

// verify answers a hub's verification of intent: it echoes hub.challenge
// only when the mode and topic are what we asked of that hub for this
// source, and 404 otherwise (the spec's answer for "not my request"). A
// denial (hub.mode=denied) is recorded.
func (f *Fetcher) verify(w http.ResponseWriter, r *http.Request, name string) {
	q := r.URL.Query()
	mode, topic, challenge := q.Get("hub.mode"), q.Get("hub.topic"), q.Get("hub.challenge")
	now := f.cur.Load().opts.Now()
	f.subs.mu.Lock()
	sub := f.subs.bySource[name]
	if mode == "unsubscribe" {
		sub = f.subs.unsubscribe[name]
	}
	if sub == nil || sub.topic != topic || (mode != "denied" && (sub.wantMode != mode || challenge == "")) {
		f.subs.mu.Unlock()
		f.log.Warn("websub verification refused: not a request of ours", "source", name, "mode", mode, "topic", topic)
		f.event("verify_refused")
		http.NotFound(w, r)
		return
	}
	event := "verified"
	switch mode {
	case "denied":
		sub.state, sub.err = store.WebSubDenied, "hub denied the subscription"
		if reason := strings.TrimSpace(q.Get("hub.reason")); reason != "" {
			sub.err += ": " + shortText(reason, 200)
		}
		event = "denied"
	case "subscribe":
		lease := f.websub().Lease
		if secs, err := strconv.ParseInt(q.Get("hub.lease_seconds"), 10, 64); err == nil && secs > 0 {
			lease = time.Duration(min(secs, int64(365*24*time.Hour/time.Second))) * time.Second
		}
		sub.state, sub.lease, sub.err, sub.prevSecret = store.WebSubActive, now.Add(lease), "", ""
	case "unsubscribe":
		delete(f.subs.unsubscribe, name)
		event = "unsubscribed"
	}
	f.subs.mu.Unlock()
	f.log.Info("websub "+event, "source", name, "topic", topic)
	f.event(event)
	if mode != "unsubscribe" {
		// Counted, so that Run's end waits for the write before the
		// daemon closes the store.
		f.wg.Go(func() { f.persistSub(name) })
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte(challenge))
}

// deliver takes a hub's content distribution: the body must be signed
// with the subscription's secret (X-Hub-Signature, sha256 or sha1), else
// it is dropped. A signed body goes through the same line as a fetched
// one, from decode on. The hub always gets 2xx for a known callback, as
// the spec allows, so that a forger learns nothing from the answer.
func (f *Fetcher) deliver(w http.ResponseWriter, r *http.Request, name string) {
	s := f.source(name)
	f.subs.mu.Lock()
	sub := f.subs.bySource[name]
	var secret, prev string
	if sub != nil {
		secret, prev = sub.secret, sub.prevSecret
	}
	f.subs.mu.Unlock()
	if s == nil || sub == nil || secret == "" {
		http.NotFound(w, r)
		return
	}
	// Anyone can post here: bodies being read are bounded in number, as
	// each may be fetch.max_body long.
	select {
	case f.subs.reading <- struct{}{}:
		defer func() { <-f.subs.reading }()
	default:
		w.Header().Set("Retry-After", "1")
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	body, err := readBody(r.Body, s.g.opts.MaxBody, r.ContentLength)
	if err != nil {
		f.log.Warn("websub delivery dropped", "source", name, "err", err)
		f.event("push_failed")
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	err = checkSignature(r.Header.Get("X-Hub-Signature"), secret, body)
	if err != nil && prev != "" && checkSignature(r.Header.Get("X-Hub-Signature"), prev, body) == nil {
		err = nil
	}
	if err != nil {
		f.log.Warn("websub delivery dropped", "source", name, "err", err)
		f.event("push_bad_signature")
		w.WriteHeader(http.StatusAccepted)
		return
	}
	res := f.ingestPush(r.Context(), s, body, r.Header.Get("Content-Type"))
	if res.Status == StatusFailed {
		f.event("push_failed")
	} else {
		f.event("push_accepted")
	}
	w.WriteHeader(http.StatusAccepted)
}

// checkSignature reports whether header ("sha256=hex" or "sha1=hex") is
// the HMAC of body under secret, compared in constant time. Other
// methods, and none, are refused.
func checkSignature(header, secret string, body []byte) error {
	method, sig, ok := strings.Cut(strings.TrimSpace(header), "=")
	if !ok {
		if header == "" {
			return errors.New("no X-Hub-Signature")
		}
		return errors.New("X-Hub-Signature is not method=signature")
	}
	var h func() hash.Hash
	switch strings.ToLower(method) {
	case "sha256":
		h = sha256.New
	case "sha1":
		h = sha1.New
	default:
		return fmt.Errorf("X-Hub-Signature method %q is not accepted (sha256, sha1)", shortText(method, 16))
	}
	got, err := hex.DecodeString(sig)
	if err != nil {
		return errors.New("X-Hub-Signature is not hex")
	}
	mac := hmac.New(h, []byte(secret))
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return errors.New("X-Hub-Signature does not match")
	}
	return nil
}

// ingestPush takes a pushed body through the fetch line after "get":
// decode, parse (with repair), convert, ingest; the source's validators,
// hash and plan stay as the last fetch left them. It holds the source's
// lock, so a push and a fetch never write at once.
func (f *Fetcher) ingestPush(ctx context.Context, s *source, body []byte, contentType string) Result {
	unlock, err := lockSource(ctx, s)
	if err != nil {
		return Result{Source: s.Name, Status: StatusFailed, Err: err}
	}
	defer unlock()
	log := f.log.With("source", s.Name, "via", "websub")
	st, _ := f.store.State(s.Name)
	st.Name = s.Name
	if st.URL != s.URL {
		st = store.SourceState{Name: s.Name, URL: s.URL}
	}
	rctx, cancel := context.WithTimeout(ctx, s.g.opts.Timeout)
	defer cancel()
	sum := sha256.Sum256(body)
	in := inbound{body: body, hash: hex.EncodeToString(sum[:]), contentType: contentType, base: s.url, pushed: true}
	return f.ingestBody(ctx, rctx, log, s, st, in, s.g.opts.Now())
}

// lockSource takes s's lock, waiting for a fetch in flight as long as ctx
// allows.
func lockSource(ctx context.Context, s *source) (func(), error) {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for !s.busy.TryLock() {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for a fetch of %s: %w", s.Name, ctx.Err())
		case <-t.C:
		}
	}
	return s.busy.Unlock, nil
}

// renew asks again for subscriptions whose lease ends within a tenth of
// the lease asked for (at least a minute), and for those that failed an
// hour ago or more.
func (f *Fetcher) renew(ctx context.Context) {
	g := f.cur.Load()
	if g.opts.WebSub.CallbackBase == "" {
		return
	}
	now := g.opts.Now()
	margin := max(g.opts.WebSub.Lease/10, time.Minute)
	type job struct{ name, hub, topic string }
	var jobs []job
	f.subs.mu.Lock()
	for name, sub := range f.subs.bySource {
		if g.byName[name] == nil {
			continue
		}
		due := sub.state == store.WebSubActive && !sub.lease.IsZero() && sub.lease.Sub(now) <= margin
		retry := sub.state != store.WebSubActive && now.Sub(sub.asked) >= subscribeRetry
		if due || retry {
			jobs = append(jobs, job{name, sub.hub, sub.topic})
		}
	}
	f.subs.mu.Unlock()
	for _, j := range jobs {
		f.log.Info("websub renewing subscription", "source", j.name, "hub", j.hub)
		f.goSubscribe(ctx, j.name, j.hub, j.topic)
	}
}

// unsubscribe ends the subscriptions of sources a reload removed, in the
// background; the hub's verification is answered from f.subs.unsubscribe.
func (f *Fetcher) unsubscribe(ctx context.Context, names []string) {
	o := f.websub()
	for _, name := range names {
		f.subs.mu.Lock()
		sub := f.subs.bySource[name]
		delete(f.subs.bySource, name)
		if sub == nil || (sub.state != store.WebSubActive && sub.state != store.WebSubPending) || o.CallbackBase == "" {
			f.subs.mu.Unlock()
			continue
		}
		sub.wantMode = "unsubscribe"
		f.subs.unsubscribe[name] = sub
		f.subs.mu.Unlock()
		f.wg.Go(func() {
			form := url.Values{"hub.mode": {"unsubscribe"}, "hub.topic": {sub.topic}, "hub.callback": {o.callback(name)}}
			if err := f.hubRequest(ctx, sub.hub, form); err != nil {
				f.log.Warn("websub unsubscribe failed", "source", name, "hub", sub.hub, "err", err)
				f.event("unsubscribe_failed")
				return
			}
			f.log.Info("websub unsubscribe requested", "source", name, "hub", sub.hub)
			f.event("unsubscribe_requested")
		})
	}
}

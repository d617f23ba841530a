package feed

import (
	"bytes"
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"
)

// HubOptions configures a Hub. A zero field means the default.
type HubOptions struct {
	// MaxSubscribers caps the subscriptions held at once; default 1000.
	// More are refused with 429.
	MaxSubscribers int
	// PushRate caps the deliveries made per second; default 20.
	PushRate int
	// Lease is the lease granted when a subscriber asks for none;
	// default 7 days. Asked leases are held between 1 hour and 30 days.
	Lease time.Duration
	// Retries is how many times a failed delivery is tried again, waiting
	// 1s, 2s, 4s… between; default 4.
	Retries int
	// UserAgent is sent with verifications and deliveries.
	UserAgent string
	// Client makes the requests; default one with a 10s timeout.
	Client *http.Client
	// External is the URL of a hub run by someone else that the feeds
	// announce instead: the Hub then takes no subscriptions and tells
	// that hub of each changed feed (hub.mode=publish, hub.url and
	// hub.topic: the form most hubs accept).
	External string
}

// Defaults of HubOptions.
const (
	DefaultHubSubscribers = 1000
	DefaultHubPushRate    = 20
	DefaultHubLease       = 7 * 24 * time.Hour
	defaultHubRetries     = 4
	// hubChangePoll is how often the hub looks for changes when the store
	// does not signal them.
	hubChangePoll = time.Second
	maxHubSecret  = 199 // the spec: hub.secret is under 200 bytes
	maxVerifying  = 16  // verifications in flight at once
)

// Hub is tickerd's own WebSub hub for its feeds: it takes subscriptions
// (ServeHTTP, at POST /hub), verifies each subscriber's intent, and when a
// ticker changes pushes the new feed body to that feed's subscribers,
// signed with each one's secret. Subscriptions live in memory: a restart
// loses them, and subscribers renew at their lease's end as the spec has
// them do. Its methods are safe for concurrent use.
type Hub struct {
	opts HubOptions
	log  *slog.Logger
	// feeds is the feed server in force (a reload swaps it).
	feeds func() *Server
	now   func() time.Time

	mu   sync.Mutex // guards subs and sent
	subs map[hubKey]*hubSub
	// sent is the hash of the body last pushed per topic, so an unchanged
	// ticker pushes nothing.
	sent map[string]string

	queue chan delivery
	wg    sync.WaitGroup // verifications in flight
	// verifying holds a token per verification in flight: anyone may POST
	// to /hub, and each POST makes tickerd send a request, so their
	// number is bounded.
	verifying chan struct{}
}

type hubKey struct{ topic, callback string }

type hubSub struct {
	secret string
	expiry time.Time
}

type delivery struct {
	key         hubKey
	secret      string
	contentType string
	body        []byte
	attempt     int
}

// NewHub returns a Hub for the feeds of the server current returns.
func NewHub(current func() *Server, opts *HubOptions, logger *slog.Logger) *Hub {
	var o HubOptions
	if opts != nil {
		o = *opts
	}
	o.MaxSubscribers = cmp.Or(o.MaxSubscribers, DefaultHubSubscribers)
	o.PushRate = cmp.Or(o.PushRate, DefaultHubPushRate)
	o.Lease = cmp.Or(o.Lease, DefaultHubLease)
	o.Retries = cmp.Or(o.Retries, defaultHubRetries)
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Hub{opts: o, log: logger.With("component", "hub"), feeds: current, now: time.Now,
		subs: map[hubKey]*hubSub{}, sent: map[string]string{},
		queue: make(chan delivery, 4*o.MaxSubscribers), verifying: make(chan struct{}, maxVerifying)}
}

// Subscribers reports how many subscriptions are active.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

// ServeHTTP takes a subscription request (POST, form-encoded hub.mode,
// hub.topic, hub.callback, hub.lease_seconds, hub.secret): 202 Accepted
// when it is valid, and the intent is verified after; 400 naming the
// problem otherwise; 429 when MaxSubscribers are held.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "method not allowed: subscribe with POST", http.StatusMethodNotAllowed)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
		return
	}
	mode, topic, callback := r.PostForm.Get("hub.mode"), r.PostForm.Get("hub.topic"), r.PostForm.Get("hub.callback")
	secret := r.PostForm.Get("hub.secret")
	switch {
	case mode != "subscribe" && mode != "unsubscribe":
		http.Error(w, fmt.Sprintf("bad request: hub.mode %q: use subscribe or unsubscribe", mode), http.StatusBadRequest)
		return
	case !slices.Contains(h.feeds().Topics(), topic):
		http.Error(w, fmt.Sprintf("bad request: hub.topic %q is not a feed of this server", topic), http.StatusBadRequest)
		return
	case httpURL(callback) == "":
		http.Error(w, "bad request: hub.callback must be an absolute http(s) URL", http.StatusBadRequest)
		return
	case len(secret) > maxHubSecret:
		http.Error(w, "bad request: hub.secret must be under 200 bytes", http.StatusBadRequest)
		return
	}
	lease := h.opts.Lease
	if v := r.PostForm.Get("hub.lease_seconds"); v != "" {
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil || secs <= 0 {
			http.Error(w, fmt.Sprintf("bad request: hub.lease_seconds %q is not a positive number", v), http.StatusBadRequest)
			return
		}
		lease = min(max(time.Duration(min(secs, 1<<31))*time.Second, time.Hour), 30*24*time.Hour)
	}
	key := hubKey{topic, callback}
	if mode == "subscribe" {
		h.mu.Lock()
		_, renewing := h.subs[key]
		full := !renewing && len(h.subs) >= h.opts.MaxSubscribers
		h.mu.Unlock()
		if full {
			http.Error(w, "too many subscribers", http.StatusTooManyRequests)
			return
		}
	}
	select {
	case h.verifying <- struct{}{}:
	default:
		w.Header().Set("Retry-After", "10")
		http.Error(w, "too many subscription requests being verified; try again", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusAccepted)
	h.wg.Go(func() {
		defer func() { <-h.verifying }()
		h.verify(key, mode, secret, lease)
	})
}

// verify asks the callback to confirm the intent: a GET with
// hub.challenge, answered with 2xx and the challenge. Only then is the
// subscription made (or ended).
func (h *Hub) verify(key hubKey, mode, secret string, lease time.Duration) {
	ch := make([]byte, 16)
	rand.Read(ch)
	challenge := hex.EncodeToString(ch)
	u, err := url.Parse(key.callback)
	if err != nil {
		return
	}
	q := u.Query() // the callback's own query stays, as the spec asks
	q.Set("hub.mode", mode)
	q.Set("hub.topic", key.topic)
	q.Set("hub.challenge", challenge)
	if mode == "subscribe" {
		q.Set("hub.lease_seconds", strconv.FormatInt(int64(lease/time.Second), 10))
	}
	u.RawQuery = q.Encode()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return
	}
	req.Header.Set("User-Agent", h.opts.UserAgent)
	resp, err := h.opts.Client.Do(req)
	if err != nil {
		h.log.Info("hub: verification failed", "callback", key.callback, "err", err)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
	resp.Body.Close()
	if resp.StatusCode/100 != 2 || string(body) != challenge {
		h.log.Info("hub: subscriber did not confirm", "callback", key.callback, "mode", mode, "status", resp.StatusCode)
		return
	}
	// What the subscriber can read now is not news to it: only a change
	// after this is pushed.
	var hash string
	if _, body, ok := h.feeds().TopicBody(ctx, key.topic); ok {
		sum := sha256.Sum256(body)
		hash = hex.EncodeToString(sum[:])
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if mode == "unsubscribe" {
		delete(h.subs, key)
		h.log.Info("hub: unsubscribed", "topic", key.topic, "callback", key.callback)
		return
	}
	if _, renewing := h.subs[key]; !renewing && len(h.subs) >= h.opts.MaxSubscribers {
		return
	}
	h.subs[key] = &hubSub{secret: secret, expiry: h.now().Add(lease)}
	if h.sent[key.topic] == "" {
		h.sent[key.topic] = hash
	}
	h.log.Info("hub: subscribed", "topic", key.topic, "callback", key.callback, "lease", lease)
}

// changeWaiter is what Run needs from the store to wake on changes.
type changeWaiter interface{ Changed() <-chan struct{} }

// Run pushes changed feeds to their subscribers until ctx is done, then
// waits for verifications in flight (each bounded to 15 s) and returns.
// Deliveries are made at most PushRate a second; a failed one is retried
// after 1s, 2s, 4s… up to Retries times, then dropped (the subscriber
// still has the feed to poll).
func (h *Hub) Run(ctx context.Context, st any) {
	defer h.wg.Wait()
	var poll <-chan time.Time
	notifier, _ := st.(changeWaiter)
	if notifier == nil {
		tk := time.NewTicker(hubChangePoll)
		defer tk.Stop()
		poll = tk.C
	}
	var workers sync.WaitGroup
	defer workers.Wait()
	workers.Go(func() { h.deliverLoop(ctx) })
	for {
		var changed <-chan struct{}
		if notifier != nil {
			changed = notifier.Changed()
		}
		h.publish(ctx)
		select {
		case <-ctx.Done():
			return
		case <-changed:
		case <-poll:
		}
	}
}

// publish queues the current body of every topic with subscribers whose
// body changed since the last push, and drops expired subscriptions.
func (h *Hub) publish(ctx context.Context) {
	now := h.now()
	h.mu.Lock()
	topics := map[string][]hubKey{}
	for k, sub := range h.subs {
		if now.After(sub.expiry) {
			delete(h.subs, k)
			continue
		}
		topics[k.topic] = append(topics[k.topic], k)
	}
	h.mu.Unlock()
	srv := h.feeds()
	if h.opts.External != "" {
		for _, topic := range srv.Topics() {
			topics[topic] = nil
		}
	}
	for topic, keys := range topics {
		ctype, body, ok := srv.TopicBody(ctx, topic)
		if !ok {
			continue
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])
		h.mu.Lock()
		last := h.sent[topic]
		h.sent[topic] = hash
		h.mu.Unlock()
		if last == hash {
			continue
		}
		if h.opts.External != "" && last != "" {
			h.ping(ctx, topic)
		}
		for _, k := range keys {
			h.mu.Lock()
			sub := h.subs[k]
			h.mu.Unlock()
			if sub == nil {
				continue
			}
			h.enqueue(delivery{key: k, secret: sub.secret, contentType: ctype, body: body})
		}
	}
}

func (h *Hub) enqueue(d delivery) {
	select {
	case h.queue <- d:
	default:
		h.log.Warn("hub: delivery queue full; dropped", "callback", d.key.callback)
	}
}

// deliverLoop makes the queued deliveries at most PushRate a second.
func (h *Hub) deliverLoop(ctx context.Context) {
	gap := time.Second / time.Duration(h.opts.PushRate)
	var retries sync.WaitGroup
	defer retries.Wait()
	next := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case d := <-h.queue:
			if wait := time.Until(next); wait > 0 {
				select {
				case <-time.After(wait):
				case <-ctx.Done():
					return
				}
			}
			next = time.Now().Add(gap)
			if err := h.deliver(ctx, d); err != nil && ctx.Err() == nil {
				if d.attempt >= h.opts.Retries {
					h.log.Warn("hub: delivery failed; giving up", "callback", d.key.callback, "err", err)
					continue
				}
				d.attempt++
				retries.Go(func() {
					select {
					case <-time.After(time.Second << (d.attempt - 1)):
						h.enqueue(d)
					case <-ctx.Done():
					}
				})
			}
		}
	}
}

// deliver posts one feed body to one subscriber, with the hub and self
// links and, when the subscriber gave a secret, X-Hub-Signature.
func (h *Hub) deliver(ctx context.Context, d delivery) error {
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, d.key.callback, bytes.NewReader(d.body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", d.contentType)
	req.Header.Set("User-Agent", h.opts.UserAgent)
	if hub := h.feeds().hubURL(); hub != "" {
		req.Header.Set("Link", "<"+hub+`>; rel="hub", <`+d.key.topic+`>; rel="self"`)
	}
	if d.secret != "" {
		mac := hmac.New(sha256.New, []byte(d.secret))
		mac.Write(d.body)
		req.Header.Set("X-Hub-Signature", "sha256="+hex.EncodeToString(mac.Sum(nil)))
	}
	resp, err := h.opts.Client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	resp.Body.Close()
	if resp.StatusCode == http.StatusGone {
		// The subscriber asks to be forgotten.
		h.mu.Lock()
		delete(h.subs, d.key)
		h.mu.Unlock()
		return nil
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("callback answered %d", resp.StatusCode)
	}
	return nil
}

// hubURL is the hub the server's feeds announce.
func (s *Server) hubURL() string {
	if len(s.tickers) == 0 {
		return ""
	}
	return s.tickers[0].hub
}

// ping tells the external hub that topic changed.
func (h *Hub) ping(ctx context.Context, topic string) {
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	form := url.Values{"hub.mode": {"publish"}, "hub.url": {topic}, "hub.topic": {topic}}
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, h.opts.External, bytes.NewReader([]byte(form.Encode())))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", h.opts.UserAgent)
	resp, err := h.opts.Client.Do(req)
	if err != nil {
		h.log.Warn("hub: publish ping failed", "hub", h.opts.External, "err", err)
		return
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		h.log.Warn("hub: publish ping refused", "hub", h.opts.External, "status", resp.StatusCode)
	}
}

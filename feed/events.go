package feed

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"

	"tickerd/store"
)

// Live updates: GET /events/{ticker} is a Server-Sent Events stream of the
// changes that touch one ticker. Event ids are store change sequence
// numbers, so a client reconnecting with Last-Event-ID is sent exactly the
// changes it missed, read from the store's persistent change log (even
// across a daemon restart). The events are:
//
//	reset    data: the ticker as JSON Feed (one line); sent first on a
//	         connection without Last-Event-ID, and instead of a replay
//	         when the log no longer reaches back to the id
//	added    data: one item, the same object as in the ticker's JSON Feed
//	updated  data: the same; replaces the item with the same id
//	removed  data: {"id", "url", "title", "_tickerd": {"source"}}: drop the
//	         item whose id or url matches (an item whose new text left
//	         the ticker's filters is removed too)
//
// Comment lines are sent as heartbeats so proxies keep the stream open.

const (
	defaultLiveClients = 5000
	defaultHeartbeat   = 20 * time.Second
	// liveKeep is how many recent changes the hub keeps encoded for
	// clients following along; one further behind reads the store.
	liveKeep = 4096
	// liveWriteWait bounds one write to a stream: a client that stops
	// reading is dropped after it instead of holding a goroutine forever.
	liveWriteWait = 30 * time.Second
	// livePoll is how often streams look for changes when the store
	// cannot signal them (see Store).
	livePoll = time.Second
	// liveRetry is the mean reconnection delay suggested to EventSource,
	// in milliseconds; each stream's is spread over half to one and a half
	// times it, so clients cut off together do not return together.
	liveRetry = 3000
)

// changeNotifier is implemented by stores that signal changes, as
// *store.Store does; others are polled every livePoll.
type changeNotifier interface {
	// Changed returns a channel closed at the next change to items.
	Changed() <-chan struct{}
}

// liveHub encodes each change once for every stream: streams that keep up
// read the encoded frames from it instead of each reading and encoding
// the change log.
type liveHub struct {
	mu    sync.Mutex // guards everything below
	ready bool
	// events holds every change in (base, head] that concerns at least
	// one ticker, oldest first.
	base, head uint64
	events     []liveEvent
	snaps      []liveSnapshot // per ticker
}

// liveEvent is one change encoded for each ticker: frames[t] is the SSE
// frame for ticker t, or nil when the change does not concern it.
type liveEvent struct {
	seq    uint64
	frames [][]byte
}

// liveSnapshot is a ticker's JSON Feed body made one line, kept while the
// rendered set it came from is current.
type liveSnapshot struct {
	set  *tickerSet
	data []byte
}

// LiveClients reports how many event streams are open now. It is safe
// for concurrent use.
func (s *Server) LiveClients() int { return int(s.liveN.Load()) }

// CloseLive ends every event stream and makes new ones get 503. Streams
// never go idle, so pass it to http.Server.RegisterOnShutdown: graceful
// shutdown then does not wait for them. It does not wait for the handlers
// to return, and may be called more than once.
func (s *Server) CloseLive() { s.liveOnce.Do(func() { close(s.liveDone) }) }

// addLive takes a stream slot and reports whether there was one.
func (s *Server) addLive() bool {
	if s.liveN.Add(1) > int64(s.maxLive) {
		s.liveN.Add(-1)
		return false
	}
	if s.onLive != nil {
		s.onLive(1)
	}
	return true
}

func (s *Server) dropLive() {
	s.liveN.Add(-1)
	if s.onLive != nil {
		s.onLive(-1)
	}
}

// setCORS lets pages on any origin read the response, and read the
// validators a widget needs for its own conditional requests.
func (s *Server) setCORS(h http.Header) {
	h["Access-Control-Allow-Origin"] = s.hdr.allowOrigin
	h["Access-Control-Expose-Headers"] = s.hdr.exposeHeaders
}

// servePreflight answers CORS preflight requests: a widget polling with
// If-None-Match, or an EventSource resuming with Last-Event-ID, sends
// headers that are not CORS-safelisted.
func (s *Server) servePreflight(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h["Access-Control-Allow-Origin"] = s.hdr.allowOrigin
	h.Set("Access-Control-Allow-Methods", "GET, HEAD")
	h.Set("Access-Control-Allow-Headers", "If-None-Match, If-Modified-Since, Last-Event-ID, Cache-Control")
	h.Set("Access-Control-Max-Age", "86400")
	w.WriteHeader(http.StatusNoContent)
}

// lastEventID reads where a client resumes: the Last-Event-ID header
// EventSource sends on reconnecting, else the lastEventId query parameter
// (for a first connection that already holds state).
func lastEventID(r *http.Request) (id uint64, ok bool, err error) {
	v, what := r.Header.Get("Last-Event-ID"), "Last-Event-ID header"
	if v == "" {
		v, what = r.URL.Query().Get("lastEventId"), "lastEventId parameter"
	}
	if v == "" {
		return 0, false, nil
	}
	id, err = strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("%s %q: want the id of an event from this stream", what, v)
	}
	return id, true, nil
}

func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	name := r.PathValue("ticker")
	t, found := s.tickerNamed(w, name)
	if !found {
		return
	}
	last, resume, err := lastEventID(r)
	if err != nil {
		http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
		return
	}
	select {
	case <-s.liveDone:
		h.Set("Retry-After", "5")
		http.Error(w, "server shutting down", http.StatusServiceUnavailable)
		return
	default:
	}
	release, ok := s.admitStream(w, r) // admission.go
	if !ok {
		return
	}
	defer release()

	ctx := r.Context()
	pos := last
	var first [][]byte
	if !resume {
		frame, seq, err := s.snapshotFrame(ctx, t)
		if err != nil {
			h.Set("Retry-After", "1")
			http.Error(w, "feed not available yet", http.StatusServiceUnavailable)
			return
		}
		first, pos = [][]byte{frame}, seq
	}

	rc := http.NewResponseController(w)
	// The server's ReadTimeout would end the stream: net/http cancels a
	// request whose connection read deadline passes. Nothing more is read
	// from a GET, so there is no deadline to keep. Recorders in tests do
	// not support deadlines, which is fine.
	_ = rc.SetReadDeadline(time.Time{})
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// nginx buffers responses unless told otherwise, which would hold
	// events back until its buffer fills.
	h.Set("X-Accel-Buffering", "no")
	h.Add("Vary", "Accept-Encoding")
	var z *sseGzip // see ssegzip.go
	if acceptsGzip(r.Header["Accept-Encoding"]) {
		z = new(sseGzip)
		h.Set("Content-Encoding", "gzip")
	}
	w.WriteHeader(http.StatusOK)

	write := func(frames [][]byte) bool {
		// WriteTimeout counts from the request; each write gets its own.
		_ = rc.SetWriteDeadline(time.Now().Add(liveWriteWait))
		if z != nil {
			frames = [][]byte{z.segment(frames)}
		}
		for _, f := range frames {
			if _, err := w.Write(f); err != nil {
				return false
			}
		}
		return rc.Flush() == nil
	}
	if z != nil {
		// A stream the server ends (shutdown) ends as complete gzip.
		defer func() {
			if ctx.Err() == nil {
				_ = rc.SetWriteDeadline(time.Now().Add(liveWriteWait))
				if _, err := w.Write(z.trailer()); err == nil {
					_ = rc.Flush()
				}
			}
		}()
	}
	retry := liveRetry/2 + rand.IntN(liveRetry)
	if !write(append([][]byte{[]byte("retry: " + strconv.Itoa(retry) + "\n\n")}, first...)) {
		return
	}

	var poll <-chan time.Time
	notifier, _ := s.st.(changeNotifier)
	if notifier == nil {
		tk := time.NewTicker(livePoll)
		defer tk.Stop()
		poll = tk.C
	}
	hb := time.NewTicker(s.heartbeat)
	defer hb.Stop()
	// The stream ends at its maximum age; the client reconnects with
	// Last-Event-ID (see admission.go).
	expire := time.NewTimer(s.admit.lifetime())
	defer expire.Stop()
	sent := pos      // the last id the client was given
	wrote := s.now() // when the frames last written were read
	var deskTimer *time.Timer
	defer func() {
		if deskTimer != nil {
			deskTimer.Stop()
		}
	}()
	for {
		var changed <-chan struct{}
		if notifier != nil {
			changed = notifier.Changed()
		}
		readAt := s.now()
		frames, next, reset, more, err := s.pending(ctx, t, pos)
		if err != nil {
			if ctx.Err() == nil {
				s.logger.Warn("event stream failed", "ticker", name, "err", err)
			}
			return
		}
		if reset {
			frame, seq, err := s.snapshotFrame(ctx, t)
			if err != nil {
				s.logger.Warn("event stream failed", "ticker", name, "err", err)
				return
			}
			frames, next, more = [][]byte{frame}, seq, false
		}
		if len(frames) > 0 {
			if !write(frames) {
				return
			}
			sent = next
		}
		wrote = readAt
		pos = next
		if more {
			continue
		}
		// A pin or breaking mark ending changes the ticker with no change
		// logged: send the ticker again then.
		// One may have ended since the frames were sent: at once then.
		var deskEnd <-chan time.Time
		if next, passed := s.deskExpiry(ctx); !next.IsZero() || passed.After(wrote) {
			if deskTimer != nil {
				deskTimer.Stop()
			}
			wait := time.Duration(0)
			if !passed.After(wrote) {
				wait = max(next.Sub(s.now()), 0) + 10*time.Millisecond
			}
			deskTimer = time.NewTimer(wait)
			deskEnd = deskTimer.C
		}
		select {
		case <-deskEnd:
			frame, seq, err := s.snapshotFrame(ctx, t)
			if err != nil {
				s.logger.Warn("event stream failed", "ticker", name, "err", err)
				return
			}
			if !write([][]byte{frame}) {
				return
			}
			pos, sent, wrote = max(pos, seq), max(pos, seq), s.now()
		case <-changed:
		case <-poll:
		case <-hb.C:
			beat := []byte(":\n\n")
			if sent != pos {
				// An id-only event moves the client's Last-Event-ID
				// past changes that did not concern its ticker,
				// without dispatching anything.
				beat = fmt.Appendf(nil, ":\nid: %d\n\n", pos)
				sent = pos
			}
			if !write([][]byte{beat}) {
				return
			}
		case <-ctx.Done():
			return
		case <-s.liveDone:
			return
		case <-expire.C:
			return
		}
	}
}

// snapshotFrame returns a reset event carrying ticker t as it stands, with
// the sequence number it is at least as new as.
func (s *Server) snapshotFrame(ctx context.Context, t int) ([]byte, uint64, error) {
	// Seq first: the set read after it shows at least that much, so
	// changes after seq are never missed (some may arrive twice, which
	// clients apply by id).
	seq := s.st.Seq()
	set := s.tickerBodies(ctx, t)
	if set == nil {
		return nil, 0, errors.New("ticker not rendered")
	}
	h := &s.live
	h.mu.Lock()
	if h.snaps == nil {
		h.snaps = make([]liveSnapshot, len(s.tickers))
	}
	snap := &h.snaps[t]
	if snap.set != set {
		var buf bytes.Buffer
		if err := json.Compact(&buf, set.bodies[formatJSON].plain.data); err != nil {
			h.mu.Unlock()
			return nil, 0, fmt.Errorf("compact ticker %s: %w", s.tickers[t].Name, err)
		}
		snap.set, snap.data = set, buf.Bytes()
	}
	data := snap.data
	h.mu.Unlock()
	frame := fmt.Appendf(make([]byte, 0, len(data)+40), "id: %d\nevent: reset\ndata: ", seq)
	frame = append(frame, data...)
	frame = append(frame, "\n\n"...)
	return frame, seq, nil
}

// pending returns the frames for ticker t after change pos and the
// sequence number they reach; reset when the log no longer reaches back
// to pos, and more when another call may return more at once.
func (s *Server) pending(ctx context.Context, t int, pos uint64) (frames [][]byte, next uint64, reset, more bool, err error) {
	h := &s.live
	if err := s.catchUpLive(ctx); err != nil {
		return nil, 0, false, false, err
	}
	h.mu.Lock()
	base, head := h.base, h.head
	if pos >= base && pos <= head {
		i := sort.Search(len(h.events), func(i int) bool { return h.events[i].seq > pos })
		for _, ev := range h.events[i:] {
			if f := ev.frames[t]; f != nil {
				frames = append(frames, f)
			}
		}
		h.mu.Unlock()
		return frames, head, false, false, nil
	}
	h.mu.Unlock()
	if pos > head {
		// An id from the future: another data file, or a restored
		// backup. What the client holds cannot be trusted.
		return nil, 0, true, false, nil
	}
	// The client is behind what the hub keeps: read the log for it alone.
	target := s.st.Seq()
	changes, err := s.st.Changes(ctx, pos, changePage)
	if errors.Is(err, store.ErrChangesTrimmed) {
		return nil, 0, true, false, nil
	}
	if err != nil {
		return nil, 0, false, false, err
	}
	next = pos
	enc := s.newLiveEncoder(ctx)
	for i := range changes {
		if f := enc.frame(ctx, t, &changes[i]); f != nil {
			frames = append(frames, f)
		}
		next = changes[i].Seq
	}
	if len(changes) < changePage {
		next = max(next, target)
	}
	// Whatever this reached, the next call reads on, from the hub once
	// next is within what it keeps.
	return frames, next, false, true, nil
}

// catchUpLive encodes the changes logged since the hub last looked. The
// first caller does the work; the others wait for it and find nothing
// left to do.
func (s *Server) catchUpLive(ctx context.Context) error {
	h := &s.live
	h.mu.Lock()
	defer h.mu.Unlock()
	target := s.st.Seq()
	if !h.ready || target < h.head {
		// Start from here; a store that went backwards (a replaced
		// data file) makes every older id meaningless.
		h.ready, h.base, h.head, h.events = true, target, target, nil
		return nil
	}
	if h.head >= target {
		// Every stream calls this on every wake-up; only the first finds
		// changes to encode. (Nothing appended: nothing to trim below.)
		return nil
	}
	enc := s.newLiveEncoder(ctx)
	for h.head < target {
		changes, err := s.st.Changes(ctx, h.head, changePage)
		if errors.Is(err, store.ErrChangesTrimmed) {
			h.base, h.head, h.events = target, target, nil
			return nil
		}
		if err != nil {
			return fmt.Errorf("read changes after %d: %w", h.head, err)
		}
		for i := range changes {
			c := &changes[i]
			ev := liveEvent{seq: c.Seq, frames: make([][]byte, len(s.tickers))}
			some := false
			for t := range s.tickers {
				ev.frames[t] = enc.frame(ctx, t, c)
				some = some || ev.frames[t] != nil
			}
			if some {
				h.events = append(h.events, ev)
			}
			h.head = c.Seq
		}
		if len(changes) < changePage {
			// Removed items leave gaps; the log was read to target.
			h.head = max(h.head, target)
		}
	}
	if n := len(h.events) - liveKeep; n > 0 {
		h.base = h.events[n-1].seq
		h.events = append([]liveEvent(nil), h.events[n:]...)
	}
	return nil
}

// liveEncoder turns changes into SSE frames, sharing source and language
// lookups across one batch.
type liveEncoder struct {
	s       *Server
	langs   map[string]string
	sources map[string]*source
	now     time.Time
	mod     time.Time
	// text is the filters' view of change textOf, shared by the tickers
	// one change is encoded for in turn.
	textOf  *store.Change
	textFor int // which telling of textOf's item (-1: the item)
	text    *itemText
	// edits are the desk's, read again after a desk change; nil when
	// they could not be read (nothing is edited then).
	edits    *store.Edits
	editsFor uint64 // the desk change edits were read after
}

func (s *Server) newLiveEncoder(ctx context.Context) *liveEncoder {
	e := &liveEncoder{
		s: s, langs: make(map[string]string), sources: make(map[string]*source),
		now: s.now(), mod: s.st.LastChange(),
	}
	e.loadEdits(ctx)
	return e
}

func (e *liveEncoder) loadEdits(ctx context.Context) {
	ed, err := e.s.edits(ctx)
	if err != nil {
		e.s.logger.Warn("live events without the desk's edits", "err", err)
	}
	e.edits = ed
}

// liveRemoval is the data of a removed event.
type liveRemoval struct {
	ID      string            `json:"id"`
	URL     string            `json:"url,omitempty"`
	Title   string            `json:"title,omitempty"`
	Tickerd map[string]string `json:"_tickerd"`
}

// frame returns the SSE frames telling ticker t about change c, or nil
// when c does not concern it.
func (e *liveEncoder) frame(ctx context.Context, t int, c *store.Change) []byte {
	if c.Desk != 0 {
		if e.editsFor != c.Seq {
			e.s.noteDesk(c.Seq)
			e.loadEdits(ctx)
			e.editsFor = c.Seq
		}
		if ed := e.edits.Of(&c.Item); ed != nil && ed.Hidden {
			// A takedown is a removal: the widget drops the story in
			// place, and nothing else on the strip moves.
			return e.hidden(t, c)
		}
		return e.s.resetFrame(ctx, t, c.Seq)
	}
	tk := &e.s.tickers[t]
	if tk.sel.sourceSet == nil {
		// Every story shows as its item; tellings are not shown.
		if c.Telling || !tk.sel.holds(c.Item.Source) {
			return nil
		}
		return e.event(tk, c, c.Op, &c.Item, -1)
	}
	// A ticker selecting sources shows each story as the first
	// selected source's telling of it (store.Item.FirstTelling).
	if c.Op == store.OpRemoved {
		if !tk.sel.holds(c.Item.Source) {
			// Another source's item: its story's tellings stay.
			return nil
		}
		out := e.event(tk, c, store.OpRemoved, &c.Item, -1)
		if c.Telling {
			return out
		}
		// The item went, but the story stays as another selected
		// source's telling, if one told it.
		if i, ok := c.Item.FirstTelling(tk.sel.holds, false); ok {
			told := c.Item.Telling(i)
			out = append(out, e.event(tk, c, store.OpUpdated, &told, i)...)
		}
		return out
	}
	i, ok := c.Item.FirstTelling(tk.sel.holds, true)
	if !ok {
		return nil
	}
	if i < 0 {
		return e.event(tk, c, c.Op, &c.Item, -1)
	}
	told := c.Item.Telling(i)
	return e.event(tk, c, c.Op, &told, i)
}

// hidden returns the removal of desk change c's story, now hidden, as
// ticker t shows it (another source's telling on a ticker selecting
// sources), or nil when t does not show it.
func (e *liveEncoder) hidden(t int, c *store.Change) []byte {
	tk := &e.s.tickers[t]
	shown, i := c.Item, -1
	if tk.sel.sourceSet != nil {
		var ok bool
		if i, ok = c.Item.FirstTelling(tk.sel.holds, true); !ok {
			return nil
		}
		shown = c.Item.Telling(i)
	}
	return e.event(tk, c, store.OpUpdated, &shown, i)
}

// event returns the frame of one event about it, which is c's item, or
// c's item's telling number telling (see store.Item.Telling), for ticker
// tk: op, or removed when it does not pass the ticker's filters (nil when
// an added item does not).
func (e *liveEncoder) event(tk *ticker, c *store.Change, op store.Op, it *store.Item, telling int) []byte {
	s := e.s
	in, hidden := false, false
	if ed := e.edits.Of(it); ed != nil {
		if ed.Hidden && op == store.OpAdded {
			return nil
		}
		cp := *it
		ed.Apply(&cp)
		cp.Desk = ed
		it = &cp
		if ed.Hidden {
			// A hidden story's item changed: it stays off the ticker,
			// and its text (maybe what got it taken down) stays out of
			// the stream.
			op, hidden = store.OpRemoved, true
		}
	}
	if op != store.OpRemoved {
		if e.textOf != c || e.textFor != telling {
			e.textOf, e.textFor, e.text = c, telling, newItemText(it, s.itemLang(it, e.langs))
		}
		in = tk.sel.admits(it, e.text, e.now)
		if !in && op == store.OpAdded {
			return nil
		}
	}
	// A removal is built from the item as the feeds show it, whatever
	// took the item away, so its id is the one the JSON Feed gave it.
	v := s.newView(tk, []store.Item{*it}, e.mod, e.sources)
	en := &v.entries[0]
	var data any
	if in {
		data = v.jsonItem(en)
	} else {
		// Deleted from the store, or updated out of the ticker's filters.
		op = store.OpRemoved
		rm := liveRemoval{ID: en.guid, URL: en.link, Title: en.title, Tickerd: map[string]string{"source": it.Source}}
		if hidden {
			rm.Title = ""
		}
		data = rm
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "id: %d\nevent: %s\ndata: ", c.Seq, op)
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(data); err != nil {
		// Our own structs of strings and times always encode.
		s.logger.Error("encode live event", "seq", c.Seq, "err", err)
		return nil
	}
	// Encode ends the line; compact JSON has no other newline, so the
	// data is one field.
	buf.WriteByte('\n')
	return buf.Bytes()
}

package feed

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"tickerd/store"
)

// tickerSet is one ticker, or one variant of it, rendered: immutable once
// published, so requests read it without locks. A ticker's set holds
// every format; a variant's only the format it was asked in.
type tickerSet struct {
	gen     uint64    // the ticker's generation it was built at
	expires time.Time // when max_age drops one of its items; zero: never
	bodies  [numFormats]body
}

// fresh reports whether the set still shows what the ticker would at
// generation gen and time now.
func (set *tickerSet) fresh(gen uint64, now time.Time) bool {
	return set.gen == gen && (set.expires.IsZero() || now.Before(set.expires))
}

// variantKey names a variant in the cache.
type variantKey struct {
	ticker int
	format format
	query  string // canonical query string
}

// changePage is how many changes one read of the change log takes.
const changePage = 1000

// body is one ticker in one format, with everything a response needs
// precomputed. Header values are one-element slices assigned straight
// into response headers; their capacity is one, so a later Header.Add
// by a middleware appends to a copy and never to ours.
type body struct {
	plain, gzip  representation
	lastModified []string  // nil when the store reports no change time
	modTime      time.Time // lastModified, parsed back: whole seconds
}

// representation is one content coding of a body.
type representation struct {
	data   []byte
	etag   string // with its quotes
	hETag  []string
	length []string
}

// upToDate reports whether every change in the store has been applied
// to the tickers' generations.
func (s *Server) upToDate() bool { return s.seen.Load() == s.st.Seq() }

// tickerBodies returns ticker t rendered as the store stands, rendering it
// first when a change touched it or one of its items aged out. It returns
// nil only when it was never rendered. Requests wait for a rendering in
// progress rather than take the old set, so a client that just saw a
// change land never reads the older feed.
func (s *Server) tickerBodies(ctx context.Context, t int) *tickerSet {
	set := s.sets[t].Load()
	if set != nil && s.upToDate() && set.fresh(s.gen[t].Load(), s.now()) {
		return set
	}
	if s.now().UnixNano() < s.retryAt.Load() {
		return set
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rebuildTimeout)
	defer cancel()
	if err := s.catchUp(ctx); err != nil {
		s.failed(err, t, set != nil)
		return set
	}
	set = s.sets[t].Load()
	g := s.gen[t].Load()
	if set != nil && set.fresh(g, s.now()) {
		return set // another request rendered it meanwhile
	}
	tk := &s.tickers[t]
	next, err := s.render(ctx, tk, &tk.sel, g, formatAll)
	if err != nil {
		s.failed(err, t, set != nil)
		return set
	}
	s.sets[t].Store(next)
	return next
}

// variantBodies returns a variant of ticker t in format f, from the cache
// while nothing touched the ticker, else rendered anew. It returns nil
// when it cannot be rendered and was never cached.
func (s *Server) variantBodies(ctx context.Context, t int, f format, v *variant) *tickerSet {
	key := variantKey{ticker: t, format: f, query: v.key}
	cached, _ := s.variants.Get(key)
	if cached != nil && s.upToDate() && cached.fresh(s.gen[t].Load(), s.now()) {
		return cached
	}
	if s.now().UnixNano() < s.retryAt.Load() {
		return cached
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rebuildTimeout)
	defer cancel()
	if err := s.catchUp(ctx); err != nil {
		s.failed(err, t, cached != nil)
		return cached
	}
	g := s.gen[t].Load()
	if c, _ := s.variants.Get(key); c != nil && c.fresh(g, s.now()) {
		return c
	}
	next, err := s.render(ctx, v.ticker, &v.sel, g, f)
	if err != nil {
		s.failed(err, t, cached != nil)
		return cached
	}
	s.variants.Add(key, next)
	return next
}

// failed logs a failed rendering and holds off the next try. Callers
// hold s.mu.
func (s *Server) failed(err error, t int, haveOld bool) {
	s.retryAt.Store(s.now().Add(s.retryDelay).UnixNano())
	s.logger.Error("feed rebuild failed; serving the last good feed",
		"ticker", s.tickers[t].Name, "have_feed", haveOld, "err", err)
}

// catchUp reads the change log from where it last stopped and moves on
// the generation of every ticker a change touches, so that exactly those
// render again. When the log no longer reaches back, every ticker does.
// Callers hold s.mu.
func (s *Server) catchUp(ctx context.Context) error {
	target := s.st.Seq()
	after := s.seen.Load()
	if after == target {
		return nil
	}
	if after == 0 || target < after {
		// Nothing rendered from an older state of the log (or the data
		// file was replaced by an older one): start from here.
		s.touchAll()
		s.seen.Store(target)
		return nil
	}
	touched := make([]bool, len(s.tickers))
	langs := make(map[string]string)
	now := s.now()
	for {
		changes, err := s.st.Changes(ctx, after, changePage)
		if errors.Is(err, store.ErrChangesTrimmed) {
			s.logger.Info("change log trimmed; rendering every ticker again", "after", after)
			s.touchAll()
			s.seen.Store(target)
			return nil
		}
		if err != nil {
			return fmt.Errorf("read changes after %d: %w", after, err)
		}
		for i := range changes {
			c := &changes[i]
			if c.Desk != 0 {
				// Any story on any ticker, and a pin reorders.
				s.noteDesk(c.Seq)
				for t := range touched {
					touched[t] = true
				}
				after = c.Seq
				continue
			}
			text := newItemText(&c.Item, s.itemLang(&c.Item, langs))
			for t := range s.tickers {
				if !touched[t] && s.tickers[t].sel.touches(c, text, now) {
					touched[t] = true
				}
			}
			after = c.Seq
		}
		if len(changes) < changePage {
			break
		}
	}
	for t, yes := range touched {
		if yes {
			s.gen[t].Add(1)
		}
	}
	// Changes skipped in the log (an item added, then removed) leave
	// gaps, so the last one read may be short of target.
	s.seen.Store(max(after, target))
	return nil
}

// touchAll makes every ticker stale. Callers hold s.mu.
func (s *Server) touchAll() {
	for t := range s.gen {
		s.gen[t].Add(1)
	}
}

// formatAll asks render for every format.
const formatAll = numFormats

// render selects sel's items and renders them for ticker t in format f, or
// in every format when f is formatAll. Callers hold s.mu.
func (s *Server) render(ctx context.Context, t *ticker, sel *selection, gen uint64, f format) (*tickerSet, error) {
	// LastChange is read before the items, so Last-Modified can only be
	// older than what the bodies show: an If-Modified-Since based on it
	// never hides a newer feed.
	mod := s.st.LastChange()
	now := s.now()
	langs := make(map[string]string)
	lang := func(it *store.Item) string { return s.itemLang(it, langs) }
	ed, err := s.edits(ctx)
	if err != nil {
		return nil, fmt.Errorf("read ticker %s: %w", t.Name, err)
	}
	q := sel.query(now, lang)
	hideHidden(&q, ed)
	items, err := s.st.Recent(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read ticker %s: %w", t.Name, err)
	}
	s.builds.Add(1)
	set := &tickerSet{gen: gen, expires: sel.expiry(items)}
	items = s.applyEdits(t, sel, items, ed, now, lang)
	if !ed.Next.IsZero() && (set.expires.IsZero() || ed.Next.Before(set.expires)) {
		// A pin or breaking mark ends then: render again.
		set.expires = ed.Next
	}
	if ed.Passed.After(mod) {
		mod = ed.Passed
	}
	v := s.newView(t, items, mod, make(map[string]*source))
	for g := range numFormats {
		if f != formatAll && g != f {
			continue
		}
		var buf bytes.Buffer
		if err := formats[g].render(v, &buf); err != nil {
			return nil, fmt.Errorf("render ticker %s as %s: %w", t.Name, g, err)
		}
		b, err := s.newBody(buf.Bytes(), mod)
		if err != nil {
			return nil, fmt.Errorf("compress ticker %s as %s: %w", t.Name, g, err)
		}
		set.bodies[g] = b
	}
	return set, nil
}

// newBody precomputes the response for data. Callers hold s.mu.
func (s *Server) newBody(data []byte, mod time.Time) (body, error) {
	if s.gz == nil {
		// Bodies are compressed once per change and sent many times, so
		// the slowest level pays for itself.
		zw, err := gzip.NewWriterLevel(nil, gzip.BestCompression)
		if err != nil {
			return body{}, err
		}
		s.gz = zw
	}
	plain, gz, _, err := representations(s.gz, data)
	if err != nil {
		return body{}, err
	}
	b := body{plain: plain, gzip: gz}
	if !mod.IsZero() {
		b.modTime = mod.UTC().Truncate(time.Second)
		b.lastModified = []string{b.modTime.Format(http.TimeFormat)}
	}
	return b, nil
}

// representations returns data as is and gzipped with zw (reset first),
// and the hex of data's hash their ETags are made from.
func representations(zw *gzip.Writer, data []byte) (plain, gz representation, tag string, err error) {
	var zbuf bytes.Buffer
	zbuf.Grow(len(data) / 4)
	zw.Reset(&zbuf)
	if _, err := zw.Write(data); err != nil {
		return plain, gz, "", err
	}
	if err := zw.Close(); err != nil {
		return plain, gz, "", err
	}
	// One strong ETag per content coding, both from the identity body:
	// the two are different representations, and a strong validator
	// promises byte equality.
	sum := sha256.Sum256(data)
	tag = hex.EncodeToString(sum[:16])
	return newRepresentation(data, `"`+tag+`"`), newRepresentation(zbuf.Bytes(), `"`+tag+`-gzip"`), tag, nil
}

func newRepresentation(data []byte, etag string) representation {
	return representation{
		data:   data,
		etag:   etag,
		hETag:  []string{etag},
		length: []string{strconv.Itoa(len(data))},
	}
}

package feed

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"tickerd/store"
)

// rendered is every ticker in every format for one store version. It is
// immutable once published through Server.cur, so requests read it
// without locks.
type rendered struct {
	version uint64
	bodies  [][numFormats]body // by ticker index
}

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

// current returns the rendered set for the store's current version,
// rebuilding it first when the store changed. It returns nil only when no
// set was ever built.
func (s *Server) current(ctx context.Context) *rendered {
	r := s.cur.Load()
	if r != nil && r.version == s.st.Version() {
		return r
	}
	if s.now().UnixNano() < s.retryAt.Load() {
		return r
	}
	return s.rebuild(ctx)
}

// rebuild renders the store's current version unless another request did
// while this one waited for the lock. Requests wait for it rather than
// take the old set, so a client that just saw a change land never reads
// the older feed.
func (s *Server) rebuild(ctx context.Context) *rendered {
	s.mu.Lock()
	defer s.mu.Unlock()
	// The version is read before the store is queried: a change landing
	// mid-build then only causes one more rebuild, never a missed one.
	v := s.st.Version()
	r := s.cur.Load()
	if r != nil && r.version == v {
		return r
	}
	if s.now().UnixNano() < s.retryAt.Load() {
		return r
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rebuildTimeout)
	defer cancel()
	start := s.now()
	next, err := s.build(ctx, v)
	if err != nil {
		s.retryAt.Store(s.now().Add(s.retryDelay).UnixNano())
		s.logger.Error("feed rebuild failed; serving the last good feeds",
			"version", v, "have_feeds", r != nil, "err", err)
		return r
	}
	s.cur.Store(next)
	s.logger.Debug("feeds rebuilt", "version", v, "duration", s.now().Sub(start))
	return next
}

// build renders every ticker in every format. Callers hold s.mu.
func (s *Server) build(ctx context.Context, version uint64) (*rendered, error) {
	// LastChange is read before the items, so Last-Modified can only be
	// older than what the bodies show: an If-Modified-Since based on it
	// never hides a newer feed.
	mod := s.st.LastChange()
	next := &rendered{version: version, bodies: make([][numFormats]body, len(s.tickers))}
	sources := make(map[string]*source)
	for i := range s.tickers {
		t := &s.tickers[i]
		items, err := s.st.Recent(ctx, store.Query{Sources: t.Sources, Limit: t.Limit})
		if err != nil {
			return nil, fmt.Errorf("read ticker %s: %w", t.Name, err)
		}
		v := s.newView(t, items, mod, sources)
		for f := range numFormats {
			var buf bytes.Buffer
			if err := formats[f].render(v, &buf); err != nil {
				return nil, fmt.Errorf("render ticker %s as %s: %w", t.Name, f, err)
			}
			b, err := s.newBody(buf.Bytes(), mod)
			if err != nil {
				return nil, fmt.Errorf("compress ticker %s as %s: %w", t.Name, f, err)
			}
			next.bodies[i][f] = b
		}
	}
	return next, nil
}

// newBody precomputes the response for data. Callers hold s.mu.
func (s *Server) newBody(data []byte, mod time.Time) (body, error) {
	var zbuf bytes.Buffer
	zbuf.Grow(len(data) / 4)
	if s.gz == nil {
		// Bodies are compressed once per change and sent many times, so
		// the slowest level pays for itself.
		zw, err := gzip.NewWriterLevel(&zbuf, gzip.BestCompression)
		if err != nil {
			return body{}, err
		}
		s.gz = zw
	} else {
		s.gz.Reset(&zbuf)
	}
	if _, err := s.gz.Write(data); err != nil {
		return body{}, err
	}
	if err := s.gz.Close(); err != nil {
		return body{}, err
	}

	// One strong ETag per content coding, both from the identity body:
	// the two are different representations, and a strong validator
	// promises byte equality.
	sum := sha256.Sum256(data)
	tag := hex.EncodeToString(sum[:16])
	b := body{
		plain: newRepresentation(data, `"`+tag+`"`),
		gzip:  newRepresentation(zbuf.Bytes(), `"`+tag+`-gzip"`),
	}
	if !mod.IsZero() {
		b.modTime = mod.UTC().Truncate(time.Second)
		b.lastModified = []string{b.modTime.Format(http.TimeFormat)}
	}
	return b, nil
}

func newRepresentation(data []byte, etag string) representation {
	return representation{
		data:   data,
		etag:   etag,
		hETag:  []string{etag},
		length: []string{strconv.Itoa(len(data))},
	}
}

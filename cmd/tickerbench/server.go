package main

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Server modes: how the corpus server answers.
const (
	// modeConditional honours If-None-Match with 304.
	modeConditional int32 = iota
	// modeIgnore sends the whole body every time and no validators, like
	// the many servers that ignore conditional GET.
	modeIgnore
	// modeChanging is modeConditional except that one source in
	// changeEvery gets a new generation of its feed on every request.
	modeChanging
)

const changeEvery = 10

// corpusServer serves /f/{n}: source n's feed from the corpus.
type corpusServer struct {
	c        *corpus
	mode     atomic.Int32
	requests atomic.Int64

	mu   sync.Mutex  // guards gens
	gens map[int]int // source → generation last served in modeChanging
}

func newCorpusServer(c *corpus) *corpusServer {
	return &corpusServer{c: c, gens: make(map[int]int)}
}

func (s *corpusServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/f/"))
	if err != nil || n < 0 {
		http.NotFound(w, r)
		return
	}
	f := s.c.feed(n)
	mode := s.mode.Load()
	if mode == modeChanging && n%changeEvery == 0 {
		s.mu.Lock()
		s.gens[n]++
		gen := s.gens[n]
		s.mu.Unlock()
		g := genFeed(n%len(s.c.feeds), gen, s.c.items, s.c.now)
		f = &g
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	if mode != modeIgnore {
		h.Set("ETag", f.etag)
		if r.Header.Get("If-None-Match") == f.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(f.body)))
	w.Write(f.body)
}

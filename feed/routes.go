package feed

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// routes maps every URL the feed package serves. "GET" patterns also
// answer HEAD, and ServeMux answers other methods with 405 and an Allow
// header.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	// The feeds and event streams are read by pages on any origin: every
	// answer, errors included (the widget reads a 404 to know to stay
	// empty), carries CORS headers, and preflight is answered.
	crossOrigin := func(path string, h http.HandlerFunc) {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			s.setCORS(w.Header())
			h(w, r)
		})
		mux.HandleFunc("OPTIONS "+path, s.servePreflight)
	}
	for f := range numFormats {
		crossOrigin("/feed."+formats[f].ext, func(w http.ResponseWriter, r *http.Request) {
			s.serveFeed(w, r, 0, f)
		})
	}
	// ServeMux wildcards span whole segments, so {name}.rss is split here.
	crossOrigin("/t/{file}", s.serveNamed)
	crossOrigin("/events/{ticker}", s.serveEvents)
	crossOrigin("/events", func(w http.ResponseWriter, r *http.Request) {
		r.SetPathValue("ticker", s.tickers[0].Name)
		s.serveEvents(w, r)
	})
	mux.HandleFunc("GET /ticker.js", s.serveWidget)
	mux.HandleFunc("GET /embed/{ticker}", s.serveEmbed)
	mux.HandleFunc("GET /{$}", s.serveIndex)
	mux.HandleFunc("GET /healthz", serveHealth)
	return mux
}

// Handler returns the handler for every feed route:
//
//	GET /feed.rss, /feed.atom, /feed.json  the default (first) ticker
//	GET /t/{name}.rss|.atom|.json         every ticker by name
//	GET /events/{name}, /events           live updates (Server-Sent Events; see events.go)
//	GET /ticker.js                        the widget script (?v=VERSION: cached for a year)
//	GET /embed/{name}                     a page holding the widget, for iframes
//	GET /                                 every ticker live, with its snippet
//	GET /healthz                          200 "ok"
//
// OPTIONS on the feed and event URLs answers CORS preflight.
//
// Every feed URL takes the query parameters limit, source, tag, q and
// since (see parseVariant); a bad value gets 400 naming the parameter.
// HEAD is answered like GET; other methods get 405; unknown tickers 404
// with a message.
func (s *Server) Handler() http.Handler { return s.mux }

func (s *Server) serveNamed(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	dot := strings.LastIndexByte(file, '.')
	if dot < 0 {
		http.Error(w, "not found: ticker URLs end in .rss, .atom or .json", http.StatusNotFound)
		return
	}
	f, ok := formatOf(file[dot+1:])
	if !ok {
		http.Error(w, fmt.Sprintf("not found: no format %q (use .rss, .atom or .json)", file[dot+1:]), http.StatusNotFound)
		return
	}
	t, found := s.tickerNamed(w, file[:dot])
	if !found {
		return
	}
	s.serveFeed(w, r, t, f)
}

// tickerNamed returns the index of the ticker called name, or answers 404
// naming it.
func (s *Server) tickerNamed(w http.ResponseWriter, name string) (int, bool) {
	t, found := s.byName[name]
	if !found {
		http.Error(w, fmt.Sprintf("not found: no ticker named %q", name), http.StatusNotFound)
	}
	return t, found
}

// Topics lists the feed URLs a WebSub hub may take subscriptions to: the
// self URL of every ticker in every format.
func (s *Server) Topics() []string {
	var out []string
	for i := range s.tickers {
		out = append(out, s.tickers[i].self[:]...)
	}
	return out
}

// TopicBody returns the feed at topic (one of Topics) as it stands now,
// rendering it when the store changed, with its Content-Type; ok is
// false for another URL or a feed not rendered yet. The bytes are shared:
// the caller must not change them.
func (s *Server) TopicBody(ctx context.Context, topic string) (contentType string, data []byte, ok bool) {
	for t := range s.tickers {
		for f := range numFormats {
			if s.tickers[t].self[f] != topic {
				continue
			}
			set := s.tickerBodies(ctx, t)
			if set == nil {
				return "", nil, false
			}
			return s.hdr.contentType[f][0], set.bodies[f].plain.data, true
		}
	}
	return "", nil, false
}

package feed

import (
	"net/http"
	"strings"
)

// routes maps every URL the feed package serves. "GET" patterns also
// answer HEAD, and ServeMux answers other methods with 405 and an Allow
// header.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	for f := range numFormats {
		mux.HandleFunc("GET /feed."+formats[f].ext, func(w http.ResponseWriter, r *http.Request) {
			s.serveFeed(w, r, 0, f)
		})
	}
	// ServeMux wildcards span whole segments, so {name}.rss is split here.
	mux.HandleFunc("GET /t/{file}", s.serveNamed)
	mux.HandleFunc("GET /healthz", serveHealth)
	return mux
}

// Handler returns the handler for every feed route:
//
//	GET /feed.rss, /feed.atom, /feed.json  the default (first) ticker
//	GET /t/{name}.rss|.atom|.json         every ticker by name
//	GET /healthz                          200 "ok"
//
// HEAD is answered like GET; other methods get 405; unknown tickers 404.
func (s *Server) Handler() http.Handler { return s.mux }

func (s *Server) serveNamed(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	dot := strings.LastIndexByte(file, '.')
	if dot < 0 {
		http.NotFound(w, r)
		return
	}
	f, ok := formatOf(file[dot+1:])
	t, found := s.byName[file[:dot]]
	if !ok || !found {
		http.NotFound(w, r)
		return
	}
	s.serveFeed(w, r, t, f)
}

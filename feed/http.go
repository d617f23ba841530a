package feed

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// staticHeaders are the header values every feed response shares,
// allocated once (see body for why sharing them is safe).
type staticHeaders struct {
	cacheControl  []string
	vary          []string
	allowOrigin   []string
	exposeHeaders []string
	gzip          []string
	contentType   [numFormats][]string
}

func newStaticHeaders(maxAge time.Duration) staticHeaders {
	h := staticHeaders{
		cacheControl: []string{"public, max-age=" + strconv.FormatInt(int64(maxAge.Round(time.Second)/time.Second), 10)},
		vary:         []string{"Accept-Encoding"},
		allowOrigin:  []string{"*"},
		// ETag is not a CORS-safelisted response header; a widget doing
		// its own conditional requests needs to read it.
		exposeHeaders: []string{"ETag"},
		gzip:          []string{"gzip"},
	}
	for f := range numFormats {
		h.contentType[f] = []string{formats[f].contentType}
	}
	return h
}

// serveFeed answers GET and HEAD for ticker t in format f from memory,
// or for the variant of it the query parameters ask for (see
// parseVariant). Header keys are written in canonical form directly,
// skipping the canonicalization Header.Set would do on every request.
func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request, t int, f format) {
	var set *tickerSet
	if r.URL.RawQuery == "" {
		set = s.tickerBodies(r.Context(), t)
	} else {
		v, err := s.parseVariant(&s.tickers[t], r.URL.RawQuery)
		if err != nil {
			http.Error(w, "bad query: "+err.Error(), http.StatusBadRequest)
			s.observe(t, f, http.StatusBadRequest)
			return
		}
		if v == nil {
			set = s.tickerBodies(r.Context(), t)
		} else {
			set = s.variantBodies(r.Context(), t, f, v)
		}
	}
	if set == nil {
		w.Header().Set("Retry-After", "1")
		http.Error(w, "feed not available yet", http.StatusServiceUnavailable)
		s.observe(t, f, http.StatusServiceUnavailable)
		return
	}
	b := &set.bodies[f]
	rep := &b.plain
	gz := acceptsGzip(r.Header["Accept-Encoding"])
	if gz {
		rep = &b.gzip
	}
	h := w.Header()
	h["Cache-Control"] = s.hdr.cacheControl
	h["Vary"] = s.hdr.vary
	if l := s.tickers[t].link[f]; l != nil {
		h["Link"] = l
	}
	h["Etag"] = rep.hETag
	if b.lastModified != nil {
		h["Last-Modified"] = b.lastModified
	}
	if notModified(r.Header, rep.etag, b.modTime) {
		w.WriteHeader(http.StatusNotModified)
		s.observe(t, f, http.StatusNotModified)
		return
	}
	h["Content-Type"] = s.hdr.contentType[f]
	h["Content-Length"] = rep.length
	if gz {
		h["Content-Encoding"] = s.hdr.gzip
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(rep.data) // an error means the client left; nothing to do
	}
	s.observe(t, f, http.StatusOK)
}

// observe reports a feed request to Options.OnRequest.
func (s *Server) observe(t int, f format, status int) {
	if s.onRequest != nil {
		s.onRequest(s.tickers[t].Name, formats[f].ext, status)
	}
}

// notModified reports whether a conditional request may be answered with
// 304, following RFC 9110 section 13.2.2: If-None-Match, when present,
// decides alone; If-Modified-Since counts only without it.
func notModified(h http.Header, etag string, mod time.Time) bool {
	if inm := h["If-None-Match"]; len(inm) > 0 {
		for _, v := range inm {
			if etagListMatches(v, etag) {
				return true
			}
		}
		return false
	}
	ims := h["If-Modified-Since"]
	if len(ims) == 0 || mod.IsZero() {
		return false
	}
	t, err := http.ParseTime(ims[0])
	return err == nil && !mod.After(t)
}

// etagListMatches reports whether the If-None-Match value list matches
// etag by weak comparison (W/ prefixes ignored), or is "*". Entity tags
// may contain commas, so the list is scanned tag by tag, not split.
func etagListMatches(list, etag string) bool {
	for {
		list = strings.TrimLeft(list, " \t,")
		if list == "" {
			return false
		}
		if list[0] == '*' {
			return true
		}
		tag, rest, ok := scanETag(list)
		if !ok {
			return false
		}
		if tag == etag {
			return true
		}
		list = rest
	}
}

// scanETag reads one entity tag from the start of s and returns it with
// quotes and without any W/ prefix.
func scanETag(s string) (tag, rest string, ok bool) {
	s = strings.TrimPrefix(s, "W/")
	if len(s) < 2 || s[0] != '"' {
		return "", "", false
	}
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			return s[:i+1], s[i+1:], true
		case c == 0x21 || (c >= 0x23 && c <= 0x7E) || c >= 0x80:
		default:
			return "", "", false
		}
	}
	return "", "", false
}

// acceptsGzip reports whether Accept-Encoding values allow a gzip body
// (RFC 9110 section 12.5.3): gzip or x-gzip with a non-zero q, or else a
// "*" with a non-zero q. Without the header, identity is the safe choice.
func acceptsGzip(values []string) bool {
	gzipQ, starQ := -1, -1 // -1: not mentioned; 0: refused; 1: accepted
	for _, v := range values {
		for v != "" {
			var elem string
			elem, v, _ = strings.Cut(v, ",")
			name, params, _ := strings.Cut(elem, ";")
			name = strings.TrimSpace(name)
			q, ok := qValue(params)
			if !ok {
				continue
			}
			switch {
			case strings.EqualFold(name, "gzip"), strings.EqualFold(name, "x-gzip"):
				gzipQ = max(gzipQ, q)
			case name == "*":
				starQ = max(starQ, q)
			}
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}

// qValue reads the weight in an element's parameters: 1 when it accepts,
// 0 when q is zero, and !ok when the weight is malformed, which makes the
// element void rather than a guess.
func qValue(params string) (q int, ok bool) {
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, val, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil || f < 0 || f > 1 {
			return 0, false
		}
		if f == 0 {
			return 0, true
		}
		return 1, true
	}
	return 1, true
}

func serveHealth(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.Write([]byte("ok\n"))
}

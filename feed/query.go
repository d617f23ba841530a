package feed

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"tickerd/match"
)

// maxQuery bounds the query string of a feed URL: parameters name a few
// sources and a keyword, and the bound keeps a hostile URL from costing
// more than a normal one.
const maxQuery = 2048

// variant is a ticker narrowed by query parameters.
type variant struct {
	key    string  // canonical query string: equal for equal selections
	ticker *ticker // the ticker with the variant's feed id and self links
	sel    selection
}

// parseVariant reads the query parameters of a feed URL:
//
//	limit  at most this many items (capped by the ticker's limit)
//	source only these sources (repeated or comma-separated), all the ticker's
//	tag    only sources with these tags (same), within the ticker's sources
//	q      only items matching this keyword (by package match's rule); repeated, all
//	since  only items dated at or after this RFC 3339 time
//
// source and tag together select the union of both, as in the config.
// Other parameters (cache busters such as "_=…") are ignored. It returns
// nil when no parameter narrows the ticker, and an error starting with the
// offending parameter's name when one is invalid.
func (s *Server) parseVariant(t *ticker, raw string) (*variant, error) {
	if len(raw) > maxQuery {
		return nil, fmt.Errorf("query string longer than %d bytes", maxQuery)
	}
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return nil, fmt.Errorf("query string: %v", err)
	}
	sel := t.sel
	canon := url.Values{}

	if vs, ok := vals["limit"]; ok {
		n, err := strconv.Atoi(vs[len(vs)-1])
		if err != nil || n < 1 {
			return nil, fmt.Errorf("limit: %q is not a whole number of at least 1", vs[len(vs)-1])
		}
		if n < sel.limit {
			sel.limit = n
			canon.Set("limit", strconv.Itoa(n))
		}
	}

	var picked []string
	for _, name := range splitList(vals["source"]) {
		if !t.sel.holds(name) {
			return nil, fmt.Errorf("source: %q is not a source of ticker %q", name, t.Name)
		}
		if t.sel.sourceSet == nil && s.sourceTags != nil {
			if _, known := s.sourceTags[name]; !known {
				return nil, fmt.Errorf("source: no source named %q", name)
			}
		}
		picked = append(picked, name)
		canon.Add("source", name)
	}
	for _, tag := range splitList(vals["tag"]) {
		found, inTicker := false, false
		for name, tags := range s.sourceTags {
			if slices.Contains(tags, tag) {
				found = true
				if t.sel.holds(name) {
					inTicker = true
					picked = append(picked, name)
				}
			}
		}
		switch {
		case !found:
			return nil, fmt.Errorf("tag: no source has the tag %q", tag)
		case !inTicker:
			return nil, fmt.Errorf("tag: no source of ticker %q has the tag %q", t.Name, tag)
		}
		canon.Add("tag", tag)
	}
	if picked != nil {
		slices.Sort(picked)
		picked = slices.Compact(picked)
		sel.sources = picked
		sel.sourceSet = make(map[string]bool, len(picked))
		for _, name := range picked {
			sel.sourceSet[name] = true
		}
	}

	for _, q := range vals["q"] {
		k, err := match.ParseKeyword(q)
		if err != nil {
			return nil, fmt.Errorf("q: %q: %v", q, err)
		}
		sel.filter.all = append(slices.Clip(sel.filter.all), k)
		canon.Add("q", q)
	}

	if vs, ok := vals["since"]; ok {
		v := vs[len(vs)-1]
		since, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return nil, fmt.Errorf("since: %q is not an RFC 3339 time (like 2026-01-02T15:04:05Z)", v)
		}
		sel.since = since
		canon.Set("since", since.UTC().Format(time.RFC3339Nano))
	}

	if len(canon) == 0 {
		return nil, nil
	}
	for _, k := range []string{"source", "tag", "q"} {
		if vs := canon[k]; len(vs) > 1 {
			slices.Sort(vs)
			canon[k] = slices.Compact(vs)
		}
	}
	key := canon.Encode()
	vt := *t
	vt.feedID += "?" + key
	for f := range numFormats {
		vt.self[f] += "?" + key
	}
	return &variant{key: key, ticker: &vt, sel: sel}, nil
}

// splitList returns the comma-separated entries of values, without empty
// ones.
func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for e := range strings.SplitSeq(v, ",") {
			if e = strings.TrimSpace(e); e != "" {
				out = append(out, e)
			}
		}
	}
	return out
}

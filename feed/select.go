package feed

import (
	"html"
	"regexp"
	"strings"
	"time"

	"tickerd/match"
	"tickerd/store"
)

// filter is what decides whether an item belongs to a ticker or a
// variant, beyond its source: keywords, regular expressions, language.
// A zero filter accepts everything. It is immutable once built.
type filter struct {
	include, exclude     []match.Keyword
	includeRE, excludeRE *regexp.Regexp
	lang                 string // primary language subtag, lower case; "" for any
	// all are keywords that must all match (the q parameter).
	all []match.Keyword
}

// active reports whether the filter can refuse an item.
func (f *filter) active() bool {
	return len(f.include) > 0 || len(f.exclude) > 0 || f.includeRE != nil ||
		f.excludeRE != nil || f.lang != "" || len(f.all) > 0
}

// itemText is an item's text as filters read it, worked out once however
// many tickers try it.
type itemText struct {
	it      *store.Item
	lang    string // the item's language as the feeds state it, or ""
	summary string
	ready   bool
	words   *match.Text
}

func newItemText(it *store.Item, lang string) *itemText { return &itemText{it: it, lang: lang} }

func (t *itemText) plain() (title, summary string) {
	if !t.ready {
		t.summary, t.ready = plainText(t.it.Summary), true
	}
	return t.it.Title, t.summary
}

func (t *itemText) text() *match.Text {
	if t.words == nil {
		t.words = match.NewText(t.plain())
	}
	return t.words
}

func (t *itemText) matchesRE(re *regexp.Regexp) bool {
	title, summary := t.plain()
	return re.MatchString(title) || re.MatchString(summary)
}

// accepts reports whether an item passes the filter. Exclusions win over
// inclusions: an item matching both is left out.
func (f *filter) accepts(t *itemText) bool {
	if f.lang != "" && t.lang != "" && primaryLang(t.lang) != f.lang {
		return false
	}
	if f.excludeRE != nil && t.matchesRE(f.excludeRE) {
		return false
	}
	for _, k := range f.exclude {
		if k.Match(t.text()) {
			return false
		}
	}
	for _, k := range f.all {
		if !k.Match(t.text()) {
			return false
		}
	}
	if len(f.include) == 0 && f.includeRE == nil {
		return true
	}
	if f.includeRE != nil && t.matchesRE(f.includeRE) {
		return true
	}
	for _, k := range f.include {
		if k.Match(t.text()) {
			return true
		}
	}
	return false
}

// primaryLang returns the primary subtag of a language tag, lower case:
// "ar" for "ar-SA".
func primaryLang(tag string) string {
	p, _, _ := strings.Cut(tag, "-")
	return strings.ToLower(p)
}

// plainText returns the text of sanitized HTML: tags dropped (each a word
// break, so "<p>a</p><p>b</p>" does not read as "ab"), entities decoded.
// Keywords and regular expressions see what a reader reads, not markup.
func plainText(h string) string {
	if !strings.ContainsAny(h, "<&") {
		return h
	}
	var b strings.Builder
	b.Grow(len(h))
	for h != "" {
		i := strings.IndexByte(h, '<')
		if i < 0 {
			b.WriteString(h)
			break
		}
		b.WriteString(h[:i])
		j := strings.IndexByte(h[i:], '>')
		if j < 0 {
			break // an unclosed tag: the rest is markup
		}
		b.WriteByte(' ')
		h = h[i+j+1:]
	}
	return html.UnescapeString(b.String())
}

// selection is everything that decides a ticker's or a variant's items.
type selection struct {
	sources   []string        // nil: all
	sourceSet map[string]bool // the same as a set; nil: all
	limit     int
	perSource int
	interlv   bool
	maxAge    time.Duration
	since     time.Time
	filter    filter
}

// query returns the store query for the selection at time now, with the
// item language resolved through lang.
func (sel *selection) query(now time.Time, lang func(*store.Item) string) store.Query {
	q := store.Query{
		Sources:    sel.sources,
		Limit:      sel.limit,
		PerSource:  sel.perSource,
		Interleave: sel.interlv,
		Since:      sel.since,
	}
	if sel.maxAge > 0 {
		if cut := now.Add(-sel.maxAge); cut.After(q.Since) {
			q.Since = cut
		}
	}
	if f := &sel.filter; f.active() {
		q.Match = func(it *store.Item) bool { return f.accepts(newItemText(it, lang(it))) }
	}
	return q
}

// holds reports whether an item from source belongs to the selection's
// sources.
func (sel *selection) holds(source string) bool {
	return sel.sourceSet == nil || sel.sourceSet[source]
}

// expiry returns when the oldest of items ages out of the selection, or
// zero when nothing does: the bodies built from items are good until then.
func (sel *selection) expiry(items []store.Item) time.Time {
	if sel.maxAge <= 0 || len(items) == 0 {
		return time.Time{}
	}
	oldest := items[0].Time()
	for i := range items[1:] {
		if t := items[i+1].Time(); t.Before(oldest) {
			oldest = t
		}
	}
	return oldest.Add(sel.maxAge)
}

// touches reports whether a change can alter what the selection shows.
// A new item counts only if it passes the filters and is young enough;
// an updated or removed one whenever its source is selected, since its
// old text is not at hand. text is the change's item.
func (sel *selection) touches(c *store.Change, text *itemText, now time.Time) bool {
	if sel.sourceSet == nil {
		// Every story shows as its item; tellings are not shown.
		if c.Telling || !sel.holds(c.Item.Source) {
			return false
		}
		if c.Op != store.OpAdded {
			return true
		}
		return sel.admits(&c.Item, text, now)
	}
	// A story shows as the first selected source's telling of it.
	if c.Op == store.OpRemoved {
		// A removed item's story keeps its other tellings, unchanged.
		return sel.holds(c.Item.Source)
	}
	i, ok := c.Item.FirstTelling(sel.holds, true)
	if !ok {
		return false
	}
	if i >= 0 || c.Op != store.OpAdded {
		return true
	}
	return sel.admits(&c.Item, text, now)
}

// admits reports whether an item from a selected source passes the
// filters and is young enough to show at time now. text is the item's.
func (sel *selection) admits(it *store.Item, text *itemText, now time.Time) bool {
	if sel.maxAge > 0 && it.Time().Before(now.Add(-sel.maxAge)) {
		return false
	}
	return sel.filter.accepts(text)
}

// itemLang returns an item's language as the feeds state it: its own,
// else its source's. Callers pass a cache of source languages that lives
// for one build or one batch of changes.
func (s *Server) itemLang(it *store.Item, cache map[string]string) string {
	if l := langTag(it.Lang); l != "" {
		return l
	}
	l, ok := cache[it.Source]
	if !ok {
		if st, found := s.st.State(it.Source); found {
			l = langTag(st.Lang)
		}
		cache[it.Source] = l
	}
	return l
}

// formatTitle expands a ticker's title_format. The title and the source's
// title come from outside and are isolated (FSI … PDI): whatever their
// direction or bidi controls, the text the format puts after them keeps
// its own direction, so a hostile title cannot turn "| via source"
// around. They are balanced first (match.SafeText, as the fetcher stores
// them), so that no PDI of theirs can end the isolate early.
func formatTitle(format, title string, src *source) string {
	if format == "" {
		return title
	}
	return strings.NewReplacer("{title}", isolate(title), "{source}", src.name, "{source_title}", isolate(src.title)).Replace(format)
}

// isolate wraps s in FSI … PDI, the isolate whose direction is that of
// its first strong character, as a <bdi> does in HTML.
func isolate(s string) string {
	if s == "" {
		return ""
	}
	return "\u2068" + match.SafeText(s) + "\u2069"
}

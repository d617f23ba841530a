package fetcher

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/microcosm-cc/bluemonday"
	"github.com/mmcdole/gofeed"

	"tickerd/match"
	"tickerd/store"
)

// ErrNotFeed is returned (wrapped) when a body parses as neither RSS, Atom
// nor JSON Feed: typically an HTML page, a login wall or an error page
// served with status 200.
var ErrNotFeed = errors.New("not a feed")

// ErrEmptyBody is returned when a source answers with nothing but
// whitespace.
var ErrEmptyBody = errors.New("empty body")

// converter turns parsed feeds into store items. Its policies are built
// once because bluemonday policies are costly to build and safe for
// concurrent use once built; a converter is therefore safe for concurrent
// use too.
type converter struct {
	strict    *bluemonday.Policy // for plain text: strips every tag
	ugc       *bluemonday.Policy // for summaries: keeps safe markup, dir and lang
	threshold float64            // near-duplicate threshold the story keys serve
	matcher   *match.Matcher     // the canonical pipeline (lexicon, outlets)
	// maxItems is the most items one fetch hands to the store: the newest
	// by published date. A feed listing thousands of entries (an archive
	// rather than a feed) would otherwise cost a huge write each poll.
	maxItems int
	// trimAt is the body size from which an XML feed listing more than
	// candidateFactor×maxItems items is trimmed to that many before gofeed
	// parses it (see trimItems); tests lower it.
	trimAt int
}

// newConverter returns a converter; maxItems <= 0 means DefaultMaxItems.
func newConverter(threshold float64, maxItems int) *converter {
	if maxItems <= 0 {
		maxItems = DefaultMaxItems
	}
	ugc := bluemonday.UGCPolicy() // links already get rel="nofollow"
	ugc.RequireNoReferrerOnLinks(true)
	strict := bluemonday.StrictPolicy()
	for _, p := range []*bluemonday.Policy{strict, ugc} {
		// The elements themselves are dropped, but not the text in them:
		// it is what a browser shows when it cannot render them, and
		// bluemonday would otherwise skip everything after a <frame>,
		// which has no end tag, to the end of the text.
		p.AllowElementsContent(visibleContent...)
	}
	return &converter{strict: strict, ugc: ugc, threshold: threshold, matcher: match.Default(), maxItems: maxItems, trimAt: trimThreshold}
}

// visibleContent are the elements bluemonday drops with their content by
// default whose content is visible text: fallbacks (object, noembed,
// noframes) and frames. script, style, iframe and noscript keep being
// dropped whole.
var visibleContent = []string{"frame", "frameset", "noembed", "noframes", "nostyle", "object"}

// errParserPanicked is wrapped by parse's error when gofeed panicked.
var errParserPanicked = errors.New("parser panicked")

// parse decodes a UTF-8 feed body with gofeed. It never panics: gofeed does
// on some inputs, and one hostile source must not take the daemon down.
// The one such input known, a JSON Feed listing null among its items, is
// parsed again without the nulls, so its other items are kept.
func parse(body []byte) (*gofeed.Feed, error) {
	return parseTrimmed(body, nil)
}

// parseTrimmed is parse with trim applied to an XML body once it passed
// the nesting check, so that gofeed never holds more items than trim
// keeps. Should gofeed fail on the trimmed body, the whole one is parsed,
// so trimming can cost memory but never a feed.
func parseTrimmed(body []byte, trim func([]byte) []byte) (*gofeed.Feed, error) {
	feed, err := parseOnce(body, trim)
	if errors.Is(err, errParserPanicked) {
		if fixed, ok := dropNullItems(body); ok {
			return parseOnce(fixed, trim)
		}
		if trim != nil {
			// The panic may have come from the cut body (or the cut):
			// the whole body decides.
			return parseOnce(body, nil)
		}
	}
	return feed, err
}

// dropNullItems returns a JSON Feed body without the nulls in its items
// list, and false when body is not a JSON object or has no null item.
func dropNullItems(body []byte) ([]byte, bool) {
	var doc map[string]json.RawMessage
	if json.Unmarshal(body, &doc) != nil {
		return nil, false
	}
	var items []json.RawMessage
	if json.Unmarshal(doc["items"], &items) != nil {
		return nil, false
	}
	n := len(items)
	items = slices.DeleteFunc(items, func(m json.RawMessage) bool { return string(m) == "null" })
	if len(items) == n {
		return nil, false
	}
	var err error
	if doc["items"], err = json.Marshal(items); err != nil {
		return nil, false
	}
	fixed, err := json.Marshal(doc)
	return fixed, err == nil
}

func parseOnce(body []byte, trim func([]byte) []byte) (feed *gofeed.Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			feed, err = nil, fmt.Errorf("parse feed: %w: %v", errParserPanicked, r)
		}
	}()
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, ErrEmptyBody
	}
	if trimmed[0] == '<' && !looksLikeHTML(body) && nestedDeeper(trimmed, maxDepth) {
		// gofeed keeps unknown elements as a tree: 100,000 nested ones
		// cost ~100 MB to parse. No feed nests that deep.
		return nil, fmt.Errorf("parse feed: %w", errTooDeep)
	}
	p := gofeed.NewParser()
	// Item images are never stored, and looking for them parses every
	// item's HTML a second time (about a sixth of the parse).
	p.RSSTranslator = &rssTranslator{gofeed.DefaultRSSTranslator{DisableContentImageScan: true}}
	p.AtomTranslator = &atomTranslator{}
	if trim != nil {
		if cut := trim(body); len(cut) != len(body) {
			if feed, err = p.Parse(bytes.NewReader(cut)); err == nil && feed != nil {
				return feed, nil
			}
		}
	}
	feed, err = p.Parse(bytes.NewReader(body))
	switch {
	case errors.Is(err, gofeed.ErrFeedTypeNotDetected):
		return nil, &NotFeedError{HTML: looksLikeHTML(body)}
	case err != nil:
		return nil, fmt.Errorf("parse feed: %w", err)
	case feed == nil:
		return nil, fmt.Errorf("parse feed: %w", ErrNotFeed)
	}
	return feed, nil
}

// maxDepth is the deepest element nesting a feed may have. Real feeds
// nest a few levels, XHTML content a few dozen.
const maxDepth = 512

// errTooDeep is wrapped by the error for a body nested deeper than
// maxDepth.
var errTooDeep = fmt.Errorf("elements nested deeper than %d", maxDepth)

// nestedDeeper reports whether the XML in b nests elements deeper than
// limit. It only counts tags (skipping comments, CDATA, declarations and
// quoted attribute values), which costs a fraction of a parse; malformed
// XML is left for the parser to report.
func nestedDeeper(b []byte, limit int) bool {
	depth := 0
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return false
		}
		i += j + 1
		rest := b[i:]
		var end int
		switch {
		case bytes.HasPrefix(rest, []byte("!--")):
			end = bytes.Index(rest, []byte("-->"))
		case bytes.HasPrefix(rest, []byte("![CDATA[")):
			end = bytes.Index(rest, []byte("]]>"))
		case bytes.HasPrefix(rest, []byte("!")), bytes.HasPrefix(rest, []byte("?")):
			end = bytes.IndexByte(rest, '>')
		case bytes.HasPrefix(rest, []byte("/")):
			depth--
			end = bytes.IndexByte(rest, '>')
		default:
			end = tagEnd(rest)
			if end > 0 && rest[end-1] == '/' {
				break // self-closing
			}
			if depth++; depth > limit {
				return true
			}
		}
		if end < 0 {
			return false
		}
		i += end
	}
	return false
}

// tagEnd returns the index of the '>' ending the start tag at the head of
// b, skipping quoted attribute values, or -1.
func tagEnd(b []byte) int {
	var quote byte
	for i, c := range b {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i
		}
	}
	return -1
}

// looksLikeHTML reports whether body starts like an HTML document, to say
// so in the error: it is the most common "feed" that is not one.
func looksLikeHTML(body []byte) bool {
	head := bytes.ToLower(body[:min(len(body), 512)])
	return bytes.Contains(head, []byte("<!doctype html")) || bytes.Contains(head, []byte("<html"))
}

// parseAndConvert is the line from a UTF-8 body to store items without a
// fetch: read (with repair) then convertFeed, with the default limits.
func (c *converter) parseAndConvert(body []byte, src *Source, base *url.URL) (feedInfo, []store.Item, error) {
	feed, _, err := c.read(context.Background(), body, DefaultMaxBody)
	if nf, ok := errors.AsType[*NotFeedError](err); ok && nf.HTML {
		nf.Alternate = alternateFeed(body, base)
	}
	if err != nil {
		return feedInfo{}, nil, err
	}
	return c.convertFeed(feed, src, base)
}

// read parses a UTF-8 body with gofeed, trimmed as trimItems allows. When
// the parse fails on what may be broken XML, the body is repaired
// (repairXML, within limit bytes and ctx) and parsed once more; degraded
// then says what the first fault was. A body that parses as it is costs
// nothing more; one that fails after repair too fails with the first
// parse's error.
func (c *converter) read(ctx context.Context, body []byte, limit int) (feed *gofeed.Feed, degraded *XMLError, err error) {
	trim := func(b []byte) []byte { return trimItems(b, candidateFactor*c.maxItems, c.trimAt) }
	feed, err = parseTrimmed(body, trim)
	if err == nil {
		readRaw(body, feed, trim)
		return feed, nil, nil
	}
	if !repairable(body, err) {
		return nil, nil, err
	}
	fixed, rerr := repairXML(ctx, body, limit)
	if rerr != nil {
		if ctx.Err() != nil {
			return nil, nil, rerr
		}
		return nil, nil, fmt.Errorf("%w (repair: %v)", err, rerr)
	}
	again, rerr := parseTrimmed(fixed, trim)
	if rerr != nil {
		return nil, nil, err
	}
	readRaw(fixed, again, trim)
	return again, firstXMLError(body, err), nil
}

// readRaw adds to feed what only its raw XML says (see rawItems), for the
// few feeds that need it. gofeed may have read the trimmed body: then the
// raw pass reads that too, so that its items are gofeed's.
func readRaw(body []byte, feed *gofeed.Feed, trim func([]byte) []byte) {
	need := needsRaw(body, feed)
	if !need.any() {
		return
	}
	raws := rawItems(body, need)
	if len(raws) != len(feed.Items) && trim != nil {
		raws = rawItems(trim(body), need)
	}
	applyRaw(feed, raws)
}

// repairable reports whether a body that failed to parse with err may be
// XML that repairXML can mend: not empty, not HTML, not refused for its
// nesting, and starting with markup.
func repairable(body []byte, err error) bool {
	if errors.Is(err, ErrEmptyBody) || errors.Is(err, errTooDeep) {
		return false
	}
	if nf, ok := errors.AsType[*NotFeedError](err); ok && nf.HTML {
		return false
	}
	trimmed := bytes.TrimSpace(body)
	return len(trimmed) > 0 && trimmed[0] == '<' && !looksLikeHTML(body)
}

// convertFeed is convert made safe: no odd feed can panic a fetch.
func (c *converter) convertFeed(feed *gofeed.Feed, src *Source, base *url.URL) (info feedInfo, items []store.Item, err error) {
	defer func() {
		if r := recover(); r != nil {
			info, items, err = feedInfo{}, nil, fmt.Errorf("convert feed: panicked: %v", r)
		}
	}()
	info, items = c.convert(feed, src, base)
	return info, items, nil
}

// feedInfo is what a fetch records about the feed itself in SourceState.
type feedInfo struct {
	Title, Link, Lang string
	// ttl, update and updateText are the feed's own freshness hints
	// (<ttl>, sy:updatePeriod/updateFrequency).
	ttl, update time.Duration
	updateText  string
	// hub and self are the WebSub links the feed announces (the first
	// hub: one subscription is enough).
	hub, self string
}

// convert maps a parsed feed onto store items for src. base is the
// document's own URL: its Content-Location, else the URL it was fetched
// from. A relative URL resolves against the xml:base in scope where it
// appears (gofeed applies it), then for item links against the feed's own
// link, for URLs in summaries against the item's link, and against base
// last of all.
//
// An item's ID is its GUID when it has one, else its canonical link (see
// match.CanonicalLink: tracking parameters, fragment and default port
// dropped, query sorted), else "h:" and the first 128 bits of a SHA-256 of
// its normalized title and published date (see hashID). A feed that gives
// one GUID to items with different links (some CMSs do) would collapse
// distinct stories into one, so there the ID is the GUID and the canonical
// link together. Items with neither title nor link are skipped, and so are
// second occurrences of an ID within one feed.
func (c *converter) convert(feed *gofeed.Feed, src *Source, base *url.URL) (feedInfo, []store.Item) {
	feedLink := resolveLink(base, feed.Link)
	linkBase := base
	if u, err := url.Parse(feedLink); err == nil && feedLink != "" {
		linkBase = u
	}
	info := feedInfo{
		Title: c.plainText(feed.Title),
		Link:  feedLink,
		Lang:  strings.TrimSpace(feed.Language),
	}
	info.ttl, info.update, info.updateText = feedHints(feed.Custom)
	info.hub, info.self = feedWebSub(feed, base)
	lang := cmp.Or(strings.TrimSpace(src.Lang), info.Lang)

	for _, fi := range feed.Items {
		if fi != nil && fi.Extensions != nil {
			termsDates(fi)
		}
	}
	items := make([]store.Item, 0, min(len(feed.Items), c.maxItems))
	for _, fi := range c.candidates(feed.Items) {
		if fi == nil {
			continue
		}
		it := c.item(fi, src.Name, linkBase, base, lang, strings.TrimSpace(src.Lang) != "")
		if it.Title == "" && it.Link == "" {
			continue
		}
		items = append(items, it)
	}
	splitReusedGUIDs(items)
	seen := make(map[string]bool, len(items))
	kept := items[:0]
	for _, it := range items {
		if seen[it.ID] {
			continue
		}
		seen[it.ID] = true
		kept = append(kept, it)
	}
	return info, newest(kept, c.maxItems)
}

// candidateFactor times maxItems is how many of a long feed's items are
// converted: enough that items dropped as empty or repeated still leave
// maxItems, few enough that a feed listing 100,000 entries costs what a
// normal one does. Converting (sanitizing, normalizing, story keys) costs
// more than gofeed's parse: about 90 MB for 85,000 short items.
const candidateFactor = 4

// candidates returns the items of a feed worth converting, in feed order:
// all of them, or for a feed listing more than candidateFactor×maxItems,
// that many of the newest by the date conversion will give them (items
// without a usable date after dated ones, in feed order, as newest sorts).
func (c *converter) candidates(items []*gofeed.Item) []*gofeed.Item {
	limit := candidateFactor * c.maxItems
	if len(items) <= limit {
		return items
	}
	type candidate struct {
		at  time.Time
		pos int
	}
	cs := make([]candidate, 0, len(items))
	for i, fi := range items {
		if fi == nil {
			continue
		}
		cs = append(cs, candidate{itemTime(fi.PublishedParsed, fi.Published, fi.UpdatedParsed, fi.Updated), i})
	}
	slices.SortStableFunc(cs, func(a, b candidate) int { return newestFirst(a.at, b.at) })
	cs = cs[:min(limit, len(cs))]
	// Back to feed order: which of two items with one ID is kept depends
	// on it.
	slices.SortFunc(cs, func(a, b candidate) int { return a.pos - b.pos })
	out := make([]*gofeed.Item, len(cs))
	for i, cd := range cs {
		out[i] = items[cd.pos]
	}
	return out
}

// splitReusedGUIDs gives items that share a GUID but not a canonical link
// the ID GUID + " " + link, so that a feed reusing one GUID for several
// stories keeps them apart. Items whose GUID is unique keep the plain GUID,
// so their identity does not depend on their link.
func splitReusedGUIDs(items []store.Item) {
	links := make(map[string]string, len(items))
	reused := map[string]bool{}
	for _, it := range items {
		if it.GUID == "" || it.ID != it.GUID {
			continue
		}
		link := it.Story.Link
		if first, ok := links[it.GUID]; ok && first != link {
			reused[it.GUID] = true
		} else if !ok {
			links[it.GUID] = link
		}
	}
	for i := range items {
		if reused[items[i].ID] {
			items[i].ID = items[i].GUID + " " + items[i].Story.Link
		}
	}
}

// item converts one gofeed item; base is what its links resolve against,
// docBase the document's own base. lang is the feed's language, or the
// source's when sourceLang; an item's own dc:language overrides the
// feed's, never the source's.
func (c *converter) item(fi *gofeed.Item, source string, base, docBase *url.URL, lang string, sourceLang bool) store.Item {
	link := resolveLink(base, fi.Link)
	// Relative URLs in the item's HTML are relative to the xml:base in
	// scope there, else to the item's page.
	contentBase := base
	if u, err := url.Parse(link); err == nil && link != "" {
		contentBase = u
	}
	if xb := fi.Custom[customSummaryBase]; xb != "" {
		if u, err := url.Parse(xb); err == nil {
			if docBase != nil {
				u = docBase.ResolveReference(u)
			}
			if u.Scheme == "http" || u.Scheme == "https" {
				contentBase = u
			}
		}
	}
	title := c.plainText(fi.Title)
	if fi.Custom[customTextTitle] != "" {
		// Declared plain text: angle brackets are characters.
		title = collapseSpace(mendText(fi.Title))
	}
	if fi.DublinCoreExt != nil && !sourceLang {
		for _, l := range fi.DublinCoreExt.Language {
			if l = strings.TrimSpace(l); l != "" {
				lang = l
				break
			}
		}
	}
	it := store.Item{
		Source:    source,
		GUID:      fi.GUID,
		Link:      link,
		Title:     title,
		Summary:   c.summary(fi, contentBase),
		Author:    c.author(fi),
		Lang:      lang,
		Published: itemTime(fi.PublishedParsed, fi.Published, fi.UpdatedParsed, fi.Updated),
		Updated:   feedTime(fi.UpdatedParsed, fi.Updated),
	}
	for _, cat := range fi.Categories {
		if cat = c.plainText(cat); cat != "" && !slices.Contains(it.Categories, cat) {
			it.Categories = append(it.Categories, cat)
		}
	}
	it.Story = StoryOf(c.matcher, it.Title, it.Link, c.threshold)
	// Identity keeps the plain normalized title: decorations stripped
	// for comparing must not change which item a re-poll finds.
	normTitle := match.Normalize(it.Title)
	switch {
	case strings.TrimSpace(fi.GUID) != "":
		it.ID = fi.GUID
	case it.Link != "":
		it.ID = it.Story.Link
	default:
		it.ID = hashID(normTitle, it.Published)
	}
	return it
}

// StoryOf returns the matching forms of an item with this title (plain
// text) and link, keyed for the near-duplicate threshold: what the fetcher
// gives each item it converts, and what store.Dedupe.Story must return
// for a stored one. The title's forms are m's canonical ones (decorations
// stripped, canonical tokens); a nil m is match.Default().
func StoryOf(m *match.Matcher, title, link string, threshold float64) *store.Story {
	if m == nil {
		m = match.Default()
	}
	norm, tokens := m.Canonical(title)
	return &store.Story{
		Title:  norm,
		Link:   match.CanonicalLink(link, ""),
		Tokens: tokens,
		Keys:   match.Keys(tokens, threshold),
	}
}

// hashID is the identity of an item that has neither GUID nor link: its
// normalized title (match.Normalize) and its published date, so that a
// re-render of the same feed, with other diacritics or quotes, finds the
// same items. Two items with the same title and no date collapse into one.
func hashID(normalizedTitle string, published time.Time) string {
	h := sha256.New()
	h.Write([]byte(normalizedTitle))
	h.Write([]byte{0})
	if !published.IsZero() {
		h.Write([]byte(published.UTC().Format(time.RFC3339Nano)))
	}
	return "h:" + hex.EncodeToString(h.Sum(nil)[:16])
}

// summary is the first of the item's bodies that is not blank, in this
// order: its description (RSS description, Atom summary, JSON Feed
// summary), its content (content:encoded, Atom content, JSON Feed
// content_html or content_text), an RSS item's xhtml:body, then its
// fullitem. Atom text in any mode is read, base64 decoded. It is
// sanitized HTML (bluemonday's UGC policy: no script, style, iframe,
// object, embed, form, event handlers, or URLs other than http, https and
// mailto), with relative URLs resolved against base and every link marked
// rel="nofollow noopener noreferrer".
func (c *converter) summary(fi *gofeed.Item, base *url.URL) string {
	s := fi.Description
	for _, next := range [...]string{fi.Content, fi.Custom[customXHTMLBody], fi.Custom["fullitem"]} {
		if strings.TrimSpace(s) != "" {
			break
		}
		s = next
	}
	s = mendText(strings.TrimSpace(s))
	if !strings.ContainsAny(s, "<&") {
		// Text without markup or entities is already safe HTML, and
		// sanitizing costs about half as much as gofeed's whole parse.
		return match.SafeText(s)
	}
	// After the sanitizer, which turns &#x202E; into the character itself.
	return match.SafeText(strings.TrimSpace(fixAttributes(c.ugc.Sanitize(s), base)))
}

// fixAttributes makes href and src values absolute against base and adds
// noopener to the rel="nofollow noreferrer" the policy puts on links. It
// reads bluemonday's output, which always writes name="escaped value" and
// escapes every quote in text and values as &#34;, so a `="` ends an
// attribute name and the next quote ends its value. The result stays
// safe: resolving against an http(s) base gives http(s).
//
// A scan rather than a regular expression: with a regexp this was a fifth
// of the fetcher's conversion time.
func fixAttributes(s string, base *url.URL) string {
	if !strings.Contains(s, `="`) {
		return s
	}
	var b strings.Builder
	done := 0 // s[:done] is in b, or b is empty and nothing changed yet
	for i := 0; ; {
		eq := strings.Index(s[i:], `="`)
		if eq < 0 {
			break
		}
		eq += i
		start := eq + 2
		n := strings.IndexByte(s[start:], '"')
		if n < 0 {
			break
		}
		end := start + n
		i = end + 1
		var name string
		for _, a := range [...]string{"href", "src", "rel"} {
			if strings.HasSuffix(s[:eq], " "+a) {
				name = a
				break
			}
		}
		if name == "" {
			continue
		}
		val, changed := fixAttribute(name, s[start:end], base)
		if !changed {
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s) + 64)
		}
		b.WriteString(s[done:start])
		b.WriteString(val)
		done = end
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// fixAttribute rewrites one attribute value as fixAttributes does, escaped
// as it was found; changed is false when it stays as it is.
func fixAttribute(name, escaped string, base *url.URL) (val string, changed bool) {
	v := html.UnescapeString(escaped)
	if name == "rel" {
		if hasToken(v, "noopener") {
			return escaped, false
		}
		v = strings.Replace(v, "nofollow", "nofollow noopener", 1)
		if !hasToken(v, "noopener") {
			v += " noopener"
		}
		return html.EscapeString(v), true
	}
	u, err := url.Parse(strings.TrimSpace(v))
	if err != nil || base == nil || u.IsAbs() || strings.HasPrefix(v, "mailto:") {
		return escaped, false
	}
	return html.EscapeString(base.ResolveReference(u).String()), true
}

func (c *converter) author(fi *gofeed.Item) string {
	people := fi.Authors
	if len(people) == 0 && fi.Author != nil {
		people = []*gofeed.Person{fi.Author}
	}
	for _, p := range people {
		if p == nil {
			continue
		}
		if name := c.plainText(cmp.Or(p.Name, p.Email)); name != "" {
			return name
		}
	}
	return ""
}

// plainText turns feed text that may carry markup and entities into plain
// text on one line, with its bidi controls balanced (match.SafeText). Text that is markup goes through the strict policy,
// which strips every tag; bluemonday re-escapes the text it keeps, hence
// the unescape after it. Text that merely contains angle brackets, like
// "Storm <warning> for the coast" (escaped on purpose by its publisher),
// only has its entities decoded.
func (c *converter) plainText(s string) string {
	s = mendText(s)
	switch {
	case strings.Contains(s, "<") && isMarkup(s):
		s = html.UnescapeString(c.strict.Sanitize(s))
	case strings.Contains(s, "&"):
		s = html.UnescapeString(s)
	}
	// Titles, source titles, authors and categories all pass here: bidi
	// controls are balanced where text enters the store.
	return match.SafeText(collapseSpace(s))
}

// tagPattern matches a start or end tag (name, then whatever precedes the
// ">") or the start of a comment.
var tagPattern = regexp.MustCompile(`<(/?)([A-Za-z][A-Za-z0-9-]*)([^>]*)>|<!--`)

// isMarkup reports whether s holds HTML rather than text with angle
// brackets in it: a comment, a known HTML element, or any tag with
// attributes makes it markup. Readers guess the same way (Python
// feedparser takes text for HTML only when its tags are HTML elements);
// this rule leans further towards stripping: one real tag is enough.
func isMarkup(s string) bool {
	for _, m := range tagPattern.FindAllStringSubmatch(s, -1) {
		attrs := strings.TrimSpace(strings.TrimSuffix(m[3], "/"))
		if m[0] == "<!--" || attrs != "" || isHTMLElement(strings.ToLower(m[2])) {
			return true
		}
	}
	return false
}

// htmlElements lists HTML element names, obsolete ones included, with the
// SVG and MathML roots.
const htmlElements = " a abbr acronym address applet area article aside audio b base basefont bdi bdo big" +
	" blink blockquote body br button canvas caption center cite code col colgroup data datalist dd del" +
	" details dfn dialog dir div dl dt em embed fieldset figcaption figure font footer form frame frameset" +
	" h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe image img input ins isindex kbd keygen label" +
	" legend li link listing main map mark marquee math menu menuitem meta meter nav nobr noembed noframes" +
	" noscript object ol optgroup option output p param picture plaintext pre progress q rb rp rt rtc ruby" +
	" s samp script search section select slot small source span strike strong style sub summary sup svg" +
	" table tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr xmp "

func isHTMLElement(name string) bool {
	return strings.Contains(htmlElements, " "+name+" ")
}

// collapseSpace trims s, turns every run of white space into one space and
// drops other control characters, which have no place in a headline.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// resolveLink makes link absolute against base and keeps it only if it is
// http or https: a javascript: or data: link from a hostile feed must never
// reach a page that renders it as href. User information is dropped.
func resolveLink(base *url.URL, link string) string {
	link = strings.TrimSpace(link)
	if link == "" {
		return ""
	}
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	// http://good.example@evil.example/ goes to evil.example but reads
	// as good.example; no news link needs credentials, and a feed's own
	// would be published to everyone.
	u.User = nil
	return u.String()
}

// minFeedTime is the earliest date believed: news feeds did not exist
// before 1995, and earlier dates are defaults (1970-01-01, 0001-01-01) or
// typos.
var minFeedTime = time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC)

// feedTime converts the date gofeed parsed from raw, dropping (so that the
// item is dated when first seen) dates before 1995, dates past year 9999
// (JSON and RFC 3339 cannot encode them), and dates in a zone gofeed did
// not know. Dates in the future are kept as stated; the store orders such
// items by when they were first seen (store.Item.Time).
func feedTime(t *time.Time, raw string) time.Time {
	if t == nil || t.IsZero() || t.Before(minFeedTime) || t.Year() > 9999 || unknownZone(raw) {
		return time.Time{}
	}
	return t.UTC()
}

// itemTime is the date conversion gives an item (store.Item.Published):
// its published date, else its updated one, each as feedTime takes it.
func itemTime(pub *time.Time, pubRaw string, upd *time.Time, updRaw string) time.Time {
	if at := feedTime(pub, pubRaw); !at.IsZero() {
		return at
	}
	return feedTime(upd, updRaw)
}

// knownZones are the zone abbreviations gofeed gives their offset (its
// internal/shared dateparser), and Z.
var knownZones = map[string]bool{
	"UT": true, "GMT": true, "UTC": true, "Z": true,
	"EST": true, "EDT": true, "CST": true, "CDT": true, "MST": true, "MDT": true, "PST": true, "PDT": true,
	"WET": true, "WEST": true, "BST": true, "CET": true, "CEST": true, "EET": true, "EEST": true,
}

// unknownZone reports whether the date raw ends in a time followed by a
// zone abbreviation gofeed does not know. gofeed (through time.Parse)
// reads such a zone ("AST", which is UTC-4 in Halifax and UTC+3 in Riyadh)
// as UTC and converts the result to UTC, so only the raw text still shows
// it; the hours it would shift the item by make the date worth less than
// none. A numeric offset is always trusted, even with a name after it.
func unknownZone(raw string) bool {
	raw = strings.TrimSpace(raw)
	i := strings.LastIndexByte(raw, ' ')
	if i < 0 {
		return false
	}
	abbr, rest := raw[i+1:], strings.TrimSpace(raw[:i])
	if len(abbr) < 2 || len(abbr) > 5 || knownZones[abbr] || !allUpper(abbr) {
		return false
	}
	// The zone must follow a time (hh:mm or hh:mm:ss), not a numeric offset.
	j := strings.LastIndexByte(rest, ' ')
	clock := rest[j+1:]
	return strings.Count(clock, ":") >= 1 && strings.Trim(clock, "0123456789:.") == ""
}

func allUpper(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// newest returns at most n items, keeping the newest by published date
// when it must drop some. Undated items count as oldest; feed order breaks
// ties, so a feed without dates keeps its first n.
func newest(items []store.Item, n int) []store.Item {
	if len(items) <= n {
		return items
	}
	slices.SortStableFunc(items, func(a, b store.Item) int { return newestFirst(a.Published, b.Published) })
	return items[:n]
}

// newestFirst orders dates newest first, zero (undated) after every dated
// one and equal to each other, so that a stable sort keeps feed order
// among them. newest, candidates and the trim pass all rank by it.
func newestFirst(a, b time.Time) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return b.Compare(a)
}

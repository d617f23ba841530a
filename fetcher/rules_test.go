package fetcher

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"tickerd/store"
)

// readRules are the reading rules a mature feed reader follows, each
// checked on a small feed of our own under testdata/rules. The whole
// outcome of each feed (feed info, items, degraded) is compared with its
// golden file (go test -run TestReadRules -update rewrites them); want
// lists what the rule itself is about, so the case fails with a message
// that names it even when the golden files are rewritten carelessly.
var readRules = []struct {
	rule string
	file string
	// contentLocation is the response's Content-Location header, if any.
	contentLocation string
	want            []string // each must appear in the JSON outcome
	not             []string // none may appear
}{
	// Recovery of broken XML: every item kept, the source degraded.
	{rule: "a bare & in a link's query is escaped, not fatal", file: "bare-amp.xml",
		want: []string{`"link": "https://news.example.com/a?x=1&y=2"`, `"title": "Rates & prices"`, `"title": "Second"`}},
	{rule: "a numeric reference without its ; is completed", file: "numeric-ref-no-semicolon.xml",
		want: []string{`"title": "Café opens — again"`}},
	{rule: "a feed cut short keeps every item, the last one too", file: "unclosed-end.xml",
		want: []string{`"title": "First story"`, `"title": "Second story"`, `"summary": "It was cut <b>here\n</b>"`, `"degraded": "XML repaired: line 6, column`}},
	{rule: "characters XML forbids are dropped", file: "forbidden-chars.xml",
		want: []string{`"title": "Bell and form feed"`, `"title": "Kept"`, `"degraded": "XML repaired: line 3, column`}},
	{rule: "a bare < in text is text", file: "bare-lt.xml",
		want: []string{`"title": "When 3 < 4 holds"`, `"title": "Next"`, `"degraded": "XML repaired: line 3`}},
	{rule: "a mistyped last end tag is dropped and the root closed", file: "mismatched-end.xml",
		want: []string{`"title": "One"`, `"title": "Two"`, `"degraded": "XML repaired: line 6, column 1: unexpected EOF"`}},

	// Titles.
	{rule: "a text title keeps its angle brackets as characters", file: "title-text-angle.xml",
		want: []string{`"title": "History of the <blink> tag"`, `"title": "Why <marquee> is back"`, `"title": "Markup bold title"`}},
	{rule: "an html title keeps the text around elements the sanitizer drops", file: "title-dropped-elements.xml",
		want: []string{`"title": "safe description"`, `"title": "safe title"`, `"summary": "safe  description"`},
		not:  []string{"object", "frame"}},

	// Links.
	{rule: "a permalink guid is the link when there is none", file: "guid-permalink.xml",
		want: []string{`"link": "https://news.example.com/g1"`, `"link": "https://news.example.com/g2"`},
		not:  []string{`"link": "https://news.example.com/g3"`, `"link": "urn:uuid:1234"`}},
	{rule: "an Atom link given as element text is the link", file: "atom-link-text.xml",
		want: []string{`"link": "https://news.example.com/text-link"`}},
	{rule: "xml:base on feed, entry and element resolves links and summaries", file: "xml-base.xml",
		want: []string{`"link": "https://base.example.org/site/"`,
			`"link": "https://base.example.org/feed/one"`, `href=\"https://base.example.org/feed/more\"`,
			`"link": "https://entry.example.net/e/two"`, `href=\"https://summary.example.com/s/x\"`,
			`"link": "https://base.example.org/feed/sub/deeper/three"`}},
	{rule: "xml:base in RSS resolves item links and summaries", file: "rss-xml-base.xml",
		want: []string{`"link": "https://item.example.net/i/story"`, `href=\"https://item.example.net/i/rel\"`,
			`"link": "https://news.example.com/x2"`, `src=\"https://base.example.org/rss/sub/pic.png\"`}},
	{rule: "Content-Location is the base before the fetch URL", file: "content-location.xml",
		contentLocation: "https://cdn.example.org/feeds/main.xml",
		want:            []string{`"link": "https://cdn.example.org/news/rel"`, `src=\"https://cdn.example.org/img/1.png\"`}},
	{rule: "the fetch URL is the last base", file: "content-location.xml",
		want: []string{`"link": "https://feeds.example.com/news/rel"`, `src=\"https://feeds.example.com/img/1.png\"`}},

	// Bodies.
	{rule: "an RSS item's xhtml:body is its summary", file: "xhtml-body.xml",
		want: []string{`"summary": "<p>The <b>full</b> body.</p>"`}},
	{rule: "an RSS item's fullitem is its summary", file: "fullitem.xml",
		want: []string{`"summary": "<p>The whole item.</p>"`}},
	{rule: "content:encoded is the summary when there is no description", file: "content-encoded.xml",
		want: []string{`"summary": "<p>Encoded body.</p>"`}},
	{rule: "Atom 0.3 titles, summaries and contents in every mode, base64 decoded", file: "atom03-base64.xml",
		want: []string{`"title": "Encoded summary"`, `"summary": "<p>Decoded summary.</p>"`, `"summary": "<p>Escaped content.</p>"`,
			`"summary": "<p>Inline content.</p>"`}},

	{rule: "bodies read from xhtml:body, fullitem and base64 are sanitized as any", file: "hostile-bodies.xml",
		want: []string{`"summary": "<p>Body<img src=\"https://news.example.com/x\">j</p>"`, `"summary": "<p>Fullfallback</p>"`},
		not:  []string{"alert", "evil"}},
	{rule: "base64 titles and summaries are sanitized as any", file: "hostile-atom03.xml",
		want: []string{`"title": "T"`, `"summary": "<p>B64j</p>"`},
		not:  []string{"alert", "onmouseover", "onclick"}},

	// Smaller rules.
	{rule: "dcterms:issued and dcterms:modified date items", file: "dcterms-dates.xml",
		want: []string{`"published": "2025-03-04T10:00:00Z"`, `"published": "2025-03-05T11:00:00Z"`}},
	{rule: "an item's dc:language is its language", file: "dc-language.xml",
		want: []string{`"lang": "ar"`, `"lang": "en"`}},
	{rule: "rdf:about is an RSS 1.0 item's identity", file: "rdf-about.xml",
		want: []string{`"id": "https://news.example.com/id/1"`}},
	{rule: "an Atom category is its term, not its label", file: "atom-category.xml",
		want: []string{`"categories": [
        "economy",
        "markets"
      ]`}, not: []string{"The Economy"}},
	{rule: "entities the feed's internal DTD declares are expanded; external ones never", file: "dtd-entities.xml",
		want: []string{`"title": "Example Wire"`, `"title": "From the Example Wire desk: rates & &ext;"`}},
	{rule: "double-encoded UTF-8 and C1 controls meant as windows-1252 are mended", file: "mojibake.xml",
		want: []string{`"title": "Wait for it… café"`, `"title": "C1: it’s here “quoted”"`, `"summary": "it’s ’ here"`,
			`"title": "Café naïve Été"`}},
}

// ruleOutcome is what a feed reads as, for the golden files.
type ruleOutcome struct {
	Title    string        `json:"title"`
	Link     string        `json:"link,omitempty"`
	Lang     string        `json:"lang,omitempty"`
	Degraded string        `json:"degraded,omitempty"`
	Err      string        `json:"err,omitempty"`
	Items    []ruleOutItem `json:"items"`
}

type ruleOutItem struct {
	ID         string    `json:"id"`
	Link       string    `json:"link,omitempty"`
	Title      string    `json:"title"`
	Summary    string    `json:"summary,omitempty"`
	Author     string    `json:"author,omitempty"`
	Lang       string    `json:"lang,omitempty"`
	Categories []string  `json:"categories,omitempty"`
	Published  time.Time `json:"published,omitzero"`
	Updated    time.Time `json:"updated,omitzero"`
}

// readRule runs a body through the line after "get" as a fetch of
// https://feeds.example.com/feed would.
func readRule(t *testing.T, body []byte, contentLocation string) ruleOutcome {
	t.Helper()
	base := documentBase(mustURL(t, "https://feeds.example.com/feed"), nil, contentLocation)
	c := newConverter(0.8, 0)
	utf, _ := decodeBody(body, "application/xml", DefaultMaxBody)
	var out ruleOutcome
	feed, degraded, err := c.read(context.Background(), utf, DefaultMaxBody)
	if err != nil {
		out.Err = err.Error()
		return out
	}
	if degraded != nil {
		out.Degraded = degraded.Error()
	}
	info, items, err := c.convertFeed(feed, &Source{Name: "s"}, base)
	if err != nil {
		out.Err = err.Error()
		return out
	}
	out.Title, out.Link, out.Lang = info.Title, info.Link, info.Lang
	out.Items = []ruleOutItem{}
	for _, it := range items {
		out.Items = append(out.Items, ruleOutItem{ID: it.ID, Link: it.Link, Title: it.Title, Summary: it.Summary,
			Author: it.Author, Lang: it.Lang, Categories: it.Categories, Published: it.Published, Updated: it.Updated})
	}
	return out
}

func TestReadRules(t *testing.T) {
	for _, tt := range readRules {
		t.Run(tt.rule, func(t *testing.T) {
			body := readTestdata(t, filepath.Join("rules", tt.file))
			var b strings.Builder
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(readRule(t, body, tt.contentLocation)); err != nil {
				t.Fatal(err)
			}
			got := b.String()
			name := strings.TrimSuffix(tt.file, filepath.Ext(tt.file))
			if tt.contentLocation != "" {
				name += "+content-location"
			}
			golden := filepath.Join("testdata", "rules", name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%s: outcome lacks %s", tt.rule, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("%s: outcome holds %s", tt.rule, n)
				}
			}
			// Reading more of a feed never lets unsafe markup through.
			for _, n := range []string{"<script", "<object", "<frame", "<iframe", "javascript:", "onerror="} {
				if strings.Contains(strings.ToLower(got), n) {
					t.Errorf("%s: outcome holds unsafe %q", tt.rule, n)
				}
			}
			if t.Failed() {
				t.Logf("outcome:\n%s", got)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s: outcome differs from %s (rerun with -update if the change is meant):\n%s", tt.rule, golden, got)
			}
		})
	}
}

// FuzzMendText: mending never panics, keeps valid UTF-8 valid, and leaves
// text without C1 controls or Latin-1 letters as it is.
func FuzzMendText(f *testing.F) {
	for _, s := range []string{"Wait for itÃ¢â‚¬Â¦", "it\u0092s", "Café", "Ã", "Ã©Ã", "\xc3\x83\xc2", "عاجل"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := mendText(s)
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("mendText(%q) = %q: not valid UTF-8", s, got)
		}
		if !hasC1OrLatin1(s) && got != s {
			t.Fatalf("mendText(%q) = %q: changed text it has no reason to", s, got)
		}
	})
}

// TestContentLocationHeader: a fetch takes the Content-Location header
// as the document's base, resolved against the URL fetched.
func TestContentLocationHeader(t *testing.T) {
	body := readTestdata(t, "rules/content-location.xml")
	for _, tt := range []struct {
		name, header, want string
	}{
		{"absolute", "https://cdn.example.org/feeds/main.xml", "https://cdn.example.org/news/rel"},
		{"none", "", "/news/rel"}, // on the test server's own host
		{"not http", "ftp://files.example.org/feed.xml", "/news/rel"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.header != "" {
					w.Header().Set("Content-Location", tt.header)
				}
				w.Write(body)
			}))
			defer srv.Close()
			st := openTestStore(t)
			f, _ := newTestFetcher(t, st, &Options{Sources: []Source{{Name: "s", URL: srv.URL + "/feed"}}})
			if r := f.Fetch(context.Background(), "s"); r.New != 1 {
				t.Fatalf("fetch = %+v", r)
			}
			items, err := st.Recent(context.Background(), store.Query{Sources: []string{"s"}})
			if err != nil || len(items) != 1 {
				t.Fatalf("items = %v, %v", items, err)
			}
			want := tt.want
			if strings.HasPrefix(want, "/") {
				want = srv.URL + want
			}
			if items[0].Link != want {
				t.Errorf("link = %q, want %q", items[0].Link, want)
			}
		})
	}
}

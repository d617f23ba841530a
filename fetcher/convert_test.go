package fetcher

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"tickerd/match"
	"tickerd/store"
)

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func convertFile(t *testing.T, file string, src Source) (feedInfo, []store.Item) {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	body, _ = toUTF8(body, "")
	info, items, err := newConverter(0.8, 0).parseAndConvert(body, &src, mustURL(t, "https://feeds.example.com/feed"))
	if err != nil {
		t.Fatalf("parse %s: %v", file, err)
	}
	return info, items
}

func TestConvertRSS2(t *testing.T) {
	info, items := convertFile(t, "rss2.xml", Source{Name: "coast"})
	if want := (feedInfo{Title: "Coast & Harbour News", Link: "https://news.example.com/", Lang: "en"}); info != want {
		t.Errorf("feed info = %+v, want %+v", info, want)
	}
	if len(items) != 3 {
		t.Fatalf("got %d items, want 3 (the one with neither title nor link skipped)", len(items))
	}
	storm, ferry, harbour := items[0], items[1], items[2]

	if storm.ID != "urn:news:storm-1" || storm.GUID != "urn:news:storm-1" {
		t.Errorf("storm ID, GUID = %q, %q; want the GUID", storm.ID, storm.GUID)
	}
	if want := "Storm warning for the coast tonight"; storm.Title != want {
		t.Errorf("storm title = %q, want %q", storm.Title, want)
	}
	if want := "https://news.example.com/2025/storm"; storm.Link != want {
		t.Errorf("relative link resolved to %q, want %q", storm.Link, want)
	}
	if want := time.Date(2025, 3, 4, 7, 0, 0, 0, time.UTC); !storm.Published.Equal(want) || storm.Published.Location() != time.UTC {
		t.Errorf("storm published = %v, want %v in UTC", storm.Published, want)
	}
	if storm.Author != "Huda Saleh" || !slices.Equal(storm.Categories, []string{"Weather", "Coast"}) {
		t.Errorf("storm author, categories = %q, %q", storm.Author, storm.Categories)
	}
	for _, bad := range []string{"<script", "alert(1)", "javascript:"} {
		if strings.Contains(storm.Summary, bad) {
			t.Errorf("summary %q still contains %q", storm.Summary, bad)
		}
	}
	if !strings.Contains(storm.Summary, `dir="rtl"`) || !strings.Contains(storm.Summary, `lang="ar"`) {
		t.Errorf("summary %q lost dir or lang", storm.Summary)
	}
	if storm.Lang != "en" || storm.Source != "coast" || !storm.FirstSeen.IsZero() {
		t.Errorf("storm lang, source, first seen = %q, %q, %v", storm.Lang, storm.Source, storm.FirstSeen)
	}

	if ferry.ID != "https://news.example.com/2025/ferry" || ferry.GUID != "" {
		t.Errorf("ferry ID, GUID = %q, %q; want the link and none", ferry.ID, ferry.GUID)
	}
	if want := hashID(match.Normalize("Harbour reopens"), harbour.Published); harbour.ID != want || !strings.HasPrefix(want, "h:") {
		t.Errorf("harbour ID = %q, want the title+date hash %q", harbour.ID, want)
	}
}

func TestConvertFormats(t *testing.T) {
	tests := []struct {
		file      string
		src       Source
		titles    []string
		lang      string
		published []string // RFC 3339, per item
	}{
		{"rss1.rdf", Source{Name: "wire"}, []string{"Élection municipale : résultats", "Grève des transports"}, "fr",
			[]string{"2025-03-04T07:30:00Z", "2025-03-04T06:00:00Z"}},
		{"atom.xml", Source{Name: "sci"}, []string{"Comet visible tonight", "Updated-only entry"}, "en-GB",
			[]string{"2025-03-04T11:00:00Z", "2025-03-04T10:00:00Z"}},
		{"feed.json", Source{Name: "json", Lang: "es-MX"}, []string{"Primera noticia", "Segunda noticia"}, "es-MX",
			[]string{"2025-03-04T09:00:00Z", "2025-03-04T08:00:00Z"}},
		{"ar-windows-1256.xml", Source{Name: "ar"}, arabicTitles, "ar", nil},
		{"ar-iso-8859-6.xml", Source{Name: "ar"}, arabicTitles, "ar", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, items := convertFile(t, tt.file, tt.src)
			var titles []string
			for i, it := range items {
				titles = append(titles, it.Title)
				if it.Lang != tt.lang {
					t.Errorf("item %d lang = %q, want %q", i, it.Lang, tt.lang)
				}
				if i < len(tt.published) && it.Published.Format(time.RFC3339) != tt.published[i] {
					t.Errorf("item %d published = %v, want %s", i, it.Published, tt.published[i])
				}
			}
			if !slices.Equal(titles, tt.titles) {
				t.Errorf("titles = %q, want %q", titles, tt.titles)
			}
		})
	}
}

func TestConvertAtomDetails(t *testing.T) {
	info, items := convertFile(t, "atom.xml", Source{Name: "sci"})
	if info.Title != "Science Desk" {
		t.Errorf("feed title = %q, want tags stripped", info.Title)
	}
	comet, upd := items[0], items[1]
	if comet.Updated.Format(time.RFC3339) != "2025-03-04T11:30:00Z" || comet.Author != "R. Ahmed" {
		t.Errorf("comet updated, author = %v, %q", comet.Updated, comet.Author)
	}
	if want := "<p>Look <b>east</b> after sunset.</p>"; comet.Summary != want {
		t.Errorf("comet summary = %q, want %q", comet.Summary, want)
	}
	if !upd.Published.Equal(upd.Updated) || upd.Summary != "<p>Content, no summary.</p>" {
		t.Errorf("updated-only entry: published %v, updated %v, summary %q; want published from updated, summary from content",
			upd.Published, upd.Updated, upd.Summary)
	}
}

func TestConvertEdgeCases(t *testing.T) {
	c := newConverter(0.8, 0)
	base := mustURL(t, "https://feeds.example.com/x/feed.xml")
	feed := &gofeed.Feed{
		Link: "/site/",
		Items: []*gofeed.Item{
			nil,
			{Title: "  A\n\tspaced\u00a0 title\x00 ", Link: "story?id=1"},
			{Title: "Script link", Link: "javascript:alert(1)"},
			{Title: "Data link", Link: "data:text/html,hi"},
			{Title: "Spoofed link", Link: "http://good.example@evil.example/story"},
			{Title: "Credentials link", Link: "https://user:pass@news.example/a?b=1"},
			{Title: "Dup", GUID: "g1"},
			{Title: "Dup again", GUID: "g1"},
			{Title: "5 &lt; 6 &amp;amp; AT&amp;T <i>ok</i>"},
			{Title: "", Link: ""},
			{Title: "Far future", PublishedParsed: new(time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC))},
			{Title: "Email author", Authors: []*gofeed.Person{nil, {Email: "desk@example.com"}}},
			{Title: "Dup categories", Categories: []string{"A", " A ", "<b>B</b>", ""}},
			{Title: "Plain summary", Description: " 5 > 4, plain text "},
			{Title: "Hostile summary", Description: `<b onclick="x()">hi</b> <iframe src="https://evil"></iframe>`},
			{Title: "Bidi summary", Description: "<p>a &#x202E;b</p><p>c⁩</p>"},
			{Title: "Bidi plain summary", Description: "x‭y​"},
		},
	}
	info, items := c.convert(feed, &Source{Name: "s"}, base)
	if info.Link != "https://feeds.example.com/site/" {
		t.Errorf("feed link = %q", info.Link)
	}
	byTitle := map[string]store.Item{}
	for _, it := range items {
		byTitle[it.Title] = it
	}
	if it, ok := byTitle["A spaced title"]; !ok || it.Link != "https://feeds.example.com/site/story?id=1" {
		t.Errorf("spaced title item = %+v (ok %v); want collapsed title and link resolved against the feed link", it, ok)
	}
	for _, title := range []string{"Script link", "Data link"} {
		if it := byTitle[title]; it.Link != "" || !strings.HasPrefix(it.ID, "h:") {
			t.Errorf("%s: link %q, ID %q; want no link and a hash ID", title, it.Link, it.ID)
		}
	}
	for title, want := range map[string]string{"Spoofed link": "http://evil.example/story", "Credentials link": "https://news.example/a?b=1"} {
		if it := byTitle[title]; it.Link != want {
			t.Errorf("%s: link %q, want %q (no user information)", title, it.Link, want)
		}
	}
	if _, ok := byTitle["Dup again"]; ok {
		t.Errorf("second item with GUID g1 kept")
	}
	if _, ok := byTitle["5 < 6 &amp; AT&T ok"]; !ok {
		t.Errorf("entity title not decoded once and stripped; titles: %q", slices.Collect(mapsKeys(byTitle)))
	}
	if it := byTitle["Far future"]; !it.Published.IsZero() {
		t.Errorf("year 12000 kept as %v; want zero", it.Published)
	}
	if it := byTitle["Email author"]; it.Author != "desk@example.com" {
		t.Errorf("author = %q, want the email when there is no name", it.Author)
	}
	if it := byTitle["Dup categories"]; !slices.Equal(it.Categories, []string{"A", "B"}) {
		t.Errorf("categories = %q, want [A B]", it.Categories)
	}
	if it := byTitle["Plain summary"]; it.Summary != "5 > 4, plain text" {
		t.Errorf("plain summary = %q", it.Summary)
	}
	if it := byTitle["Hostile summary"]; it.Summary != "<b>hi</b>" {
		t.Errorf("hostile summary = %q, want %q", it.Summary, "<b>hi</b>")
	}
	if it := byTitle["Bidi summary"]; it.Summary != "<p>a ‮b</p><p>c</p>‬" || !match.BidiBalanced(it.Summary) {
		t.Errorf("bidi summary = %+q, want its override closed and the stray PDI dropped", it.Summary)
	}
	if it := byTitle["Bidi plain summary"]; it.Summary != "x‭y‬" {
		t.Errorf("bidi plain summary = %+q", it.Summary)
	}
	if len(items) != 14 {
		t.Errorf("got %d items, want 14", len(items))
	}
}

func mapsKeys(m map[string]store.Item) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestPlainText(t *testing.T) {
	c := newConverter(0.8, 0)
	tests := []struct{ in, want string }{
		{"Plain headline", "Plain headline"},
		{"Storm <warning> for the coast", "Storm <warning> for the coast"},
		{"<Breaking> News </Breaking>", "<Breaking> News </Breaking>"},
		{"Storm <b>warning</b> for the <em>coast</em>", "Storm warning for the coast"},
		{"Hi <script>alert(1)</script>there", "Hi there"},
		{`<xss onmouseover="alert(1)">x</xss>`, "x"},
		{"<img src=x onerror=alert(1)>Photo", "Photo"},
		{"AT&amp;T &lt; 5 &#8212; ok", "AT&T < 5 — ok"},
		{"a < b > c", "a < b > c"},
		{"  line\n\tbreaks  ", "line breaks"},
		{"عاجل: <b>أمطار</b> &amp; رياح", "عاجل: أمطار & رياح"},
	}
	for _, tt := range tests {
		if got := c.plainText(tt.in); got != tt.want {
			t.Errorf("plainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestConvertKeepsNewest(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	feed := &gofeed.Feed{}
	for i := range 250 {
		it := &gofeed.Item{Title: fmt.Sprintf("item %d", i), GUID: fmt.Sprint(i)}
		if i%5 != 0 { // every fifth undated: those go first
			it.PublishedParsed = new(t0.Add(time.Duration(i) * time.Hour))
		}
		feed.Items = append(feed.Items, it)
	}
	_, items := newConverter(0.8, 0).convert(feed, &Source{Name: "s"}, nil)
	if len(items) != DefaultMaxItems {
		t.Fatalf("kept %d items, want %d", len(items), DefaultMaxItems)
	}
	// 200 dated items exist (i%5 != 0); the newest is 249.
	if items[0].Title != "item 249" {
		t.Errorf("first kept = %q, want item 249", items[0].Title)
	}
	for _, it := range items {
		if it.Published.IsZero() {
			t.Fatalf("kept undated %q over dated ones", it.Title)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"empty", "  \n", "empty body"},
		{"html", "<!DOCTYPE html><html><body>hi</body></html>", "not a feed: got an HTML page"},
		{"other xml", `<?xml version="1.0"?><note>hi</note>`, "not a feed: no RSS, Atom or JSON Feed document found"},
		{"broken xml", "<rss><channel><item><title>x</channel></rsss", "parse feed: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse([]byte(tt.body))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("parse(%q) error = %v, want prefix %q", tt.body, err, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		if fi, err := os.Stat(name); err != nil || fi.IsDir() {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "")
		f.Add(b, "application/rss+xml; charset=windows-1256")
	}
	// The hostile shapes the hostile-server tests serve, small.
	for _, s := range []string{
		`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><rss version="2.0"><channel><title>&c;</title><item><title>x &c; y</title></item></channel></rss>`,
		`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><item><title>&x;</title><link>http://a/</link></item></channel></rss>`,
		`<rss version="2.0"><channel><item>` + strings.Repeat("<x>", 600) + `</item></channel></rss>`,
		`<rss version="2.0"><channel><item><title><![CDATA[<script>alert(1)</script>Storm <img src=x onerror=alert(2)>]]></title><link>javascript:alert(3)</link>` +
			`<description><![CDATA[<p onclick="x()">Hi <a href="/rel">there</a><iframe src="//evil"></iframe><img src="data:image/svg+xml,<svg onload=alert(1)>"></p>]]></description>` +
			`<pubDate>Thu, 01 Jan 2099 00:00:00 GMT</pubDate></item><item><title>b</title><pubDate>Tue, 04 Mar 2025 10:00:00 AST</pubDate></item></channel></rss>`,
		"<rss version=\"2.0\"><channel><item><title>Caf\xe9 \xff cut</title><guid>g</guid></item></channel></rss>",
		`<feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="html">&lt;b&gt;x&lt;/b&gt;</title><link href="//cdn.example/a"/><updated>garbage</updated></entry></feed>`,
		`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","title":"t","url":"/a","date_published":"0001-01-01T00:00:00Z"},null]}`,
		`<html><head><link rel="alternate" type="application/rss+xml" href="/rss"></head></html>`,
	} {
		f.Add([]byte(s), "")
	}
	f.Add([]byte("\xff\xfe<\x00r\x00s\x00s\x00>\x00"), "text/xml; charset=utf-16")
	c := newConverter(0.8, 0)
	base, _ := url.Parse("https://feeds.example.com/feed")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		utf, _ := toUTF8(body, contentType)
		info, items, err := c.parseAndConvert(utf, &Source{Name: "fz"}, base)
		if err != nil {
			// parseAndConvert recovers so that no feed can panic a fetch;
			// a panic in our conversion is still a bug to fix.
			if strings.HasPrefix(err.Error(), "convert feed: panicked") {
				t.Fatalf("parseAndConvert(%q): %v", body, err)
			}
			return
		}
		if !utf8.ValidString(info.Title) {
			t.Errorf("feed title %q not valid UTF-8", info.Title)
		}
		if len(items) > DefaultMaxItems {
			t.Errorf("%d items, more than %d", len(items), DefaultMaxItems)
		}
		seen := map[string]bool{}
		for _, it := range items {
			switch {
			case it.Source != "fz" || it.ID == "":
				t.Errorf("item %+v: bad source or empty ID", it)
			case seen[it.ID]:
				t.Errorf("ID %q twice", it.ID)
			case it.Title == "" && it.Link == "":
				t.Errorf("item %q kept with neither title nor link", it.ID)
			case it.Link != "" && !strings.HasPrefix(it.Link, "http://") && !strings.HasPrefix(it.Link, "https://"):
				t.Errorf("link %q is not http(s)", it.Link)
			case !utf8.ValidString(it.Title) || strings.ContainsAny(it.Title, "\n\t\x00"):
				t.Errorf("title %q not one line of valid UTF-8", it.Title)
			case it.Published.Year() > 9999 || (!it.Published.IsZero() && it.Published.Before(minFeedTime)):
				t.Errorf("published %v cannot be encoded or is before 1995", it.Published)
			case unsafeHTML.MatchString(it.Summary):
				t.Errorf("summary %q not sanitized", it.Summary)
			}
			seen[it.ID] = true
		}
	})
}

// unsafeHTML matches what sanitized HTML must never hold: a dangerous
// element, an event-handler attribute, or a script URL.
var unsafeHTML = regexp.MustCompile(`(?i)<(script|style|iframe|object|embed|form|input|svg|math|base|meta|link)\b|<[^>]*\son[a-z]+\s*=|<[^>]*(javascript|vbscript|data:text)`)

func TestConvertIdentity(t *testing.T) {
	rss := func(items string) []byte {
		return []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://news.example.com/</link>` + items + `</channel></rss>`)
	}
	tests := []struct {
		name  string
		items string
		want  []string // IDs, feed order
	}{
		{
			name:  "guid wins",
			items: `<item><title>a</title><guid>urn:1</guid><link>https://news.example.com/a?utm_source=x</link></item>`,
			want:  []string{"urn:1"},
		},
		{
			name: "canonical link without guid",
			items: `<item><title>a</title><link>HTTPS://News.Example.com:443/a?utm_source=rss&amp;b=2&amp;a=1#top</link></item>` +
				`<item><title>b</title><link>/b?fbclid=zz</link></item>`,
			want: []string{"https://news.example.com/a?a=1&b=2", "https://news.example.com/b"},
		},
		{
			name: "tracking-only difference is one item",
			items: `<item><title>a</title><link>https://news.example.com/a?utm_medium=rss</link></item>` +
				`<item><title>a again</title><link>https://news.example.com/a?utm_medium=social</link></item>`,
			want: []string{"https://news.example.com/a"},
		},
		{
			name: "guid reused for different stories",
			items: `<item><title>one</title><guid>same</guid><link>https://news.example.com/1</link></item>` +
				`<item><title>two</title><guid>same</guid><link>https://news.example.com/2?utm_source=x</link></item>` +
				`<item><title>other</title><guid>own</guid><link>https://news.example.com/3</link></item>`,
			want: []string{"same https://news.example.com/1", "same https://news.example.com/2", "own"},
		},
		{
			name: "guid repeated for the same story stays one item",
			items: `<item><title>one</title><guid>same</guid><link>https://news.example.com/1</link></item>` +
				`<item><title>one dup</title><guid>same</guid><link>https://news.example.com/1?utm_source=x</link></item>`,
			want: []string{"same"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, items, err := newConverter(0.8, 0).parseAndConvert(rss(tt.items), &Source{Name: "s"}, mustURL(t, "https://feeds.example.com/feed"))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range items {
				got = append(got, it.ID)
			}
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("IDs = %q, want %q", got, want)
			}
		})
	}
}

func TestHashIDIgnoresSpellingVariants(t *testing.T) {
	day := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	a := hashID(match.Normalize("عاجل: وَقْفُ إطلاقِ النار"), day)
	b := hashID(match.Normalize("وقف اطلاق النار"), day)
	if a != b {
		t.Errorf("hashID differs for the same title with diacritics and a label: %s vs %s", a, b)
	}
	if hashID(match.Normalize("وقف اطلاق النار"), day.Add(time.Hour)) == b {
		t.Errorf("hashID ignores the date")
	}
}

// htmlAttrRegexp and fixAttributesRegexp are the regular expression
// fixAttributes replaced, kept as the reference its scan must agree with.
var htmlAttrRegexp = regexp.MustCompile(` (href|src|rel)="([^"]*)"`)

func fixAttributesRegexp(s string, base *url.URL) string {
	re := htmlAttrRegexp
	return re.ReplaceAllStringFunc(s, func(m string) string {
		sub := re.FindStringSubmatch(m)
		val, changed := fixAttribute(sub[1], sub[2], base)
		if !changed {
			return m
		}
		return ` ` + sub[1] + `="` + val + `"`
	})
}

func TestFixAttributesAgreesWithRegexp(t *testing.T) {
	base, _ := url.Parse("https://news.example.com/a/b.html")
	for _, in := range []string{
		``,
		`plain text`,
		`<a href="/x" rel="nofollow noreferrer">x</a>`,
		`<a href="https://o.example/x" rel="nofollow noopener noreferrer">x</a>`,
		`<img src="i.jpg" alt="a=&#34;b&#34;"><img data-src="d.jpg" src="../j.jpg">`,
		`<p title="x href=&#34;/no&#34;">t</p><a href="mailto:a@b.example">m</a>`,
		`<a href="%zz">bad</a><a href="">empty</a><a href=" /sp ">sp</a>`,
		`<a class="c" href="/q?a=1&amp;b=2">amp</a> tail ="unclosed`,
		`<a rel="ugc" href="#frag">f</a><a xhref="/not">n</a>`,
	} {
		if got, want := fixAttributes(in, base), fixAttributesRegexp(in, base); got != want {
			t.Errorf("fixAttributes(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkFixAttributes(b *testing.B) { benchFixAttributes(b, fixAttributes) }

// BenchmarkFixAttributesRegexp is the regular expression fixAttributes
// replaced, on the same input: the before of the change, in the same run.
func BenchmarkFixAttributesRegexp(b *testing.B) { benchFixAttributes(b, fixAttributesRegexp) }

func benchFixAttributes(b *testing.B, fix func(string, *url.URL) string) {
	base, _ := url.Parse("https://bench.example.com/news/1")
	in := strings.Repeat(`<p dir="rtl"><img src="/img/1.jpg" alt=""> <a href="related" rel="nofollow noreferrer">more</a></p>`, 8)
	b.ReportAllocs()
	for b.Loop() {
		fix(in, base)
	}
}

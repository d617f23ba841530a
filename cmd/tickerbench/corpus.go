package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"math/rand/v2"
	"strings"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// Feed kinds in the corpus. The mix follows what an Arabic news desk polls:
// mostly RSS in UTF-8, a good share of legacy windows-1256 RSS, some Atom,
// a little JSON Feed.
const (
	kindRSS     = "rss"
	kindRSS1256 = "rss-windows-1256"
	kindAtom    = "atom"
	kindJSON    = "json"
)

// kindOf spreads the kinds over feed numbers: 5 in 10 RSS (UTF-8), 2 in 10
// windows-1256 RSS, 2 in 10 Atom, 1 in 10 JSON Feed.
func kindOf(n int) string {
	switch n % 10 {
	case 5, 6:
		return kindRSS1256
	case 7, 8:
		return kindAtom
	case 9:
		return kindJSON
	}
	return kindRSS
}

// arabicOf reports whether feed n is in Arabic (every windows-1256 feed
// is, and about half of the others).
func arabicOf(n int) bool { return kindOf(n) == kindRSS1256 || n%2 == 0 }

var (
	arabicWords = strings.Fields(`الحكومة تعلن خطة جديدة لدعم الاقتصاد الوطني وزير الخارجية يلتقي نظيره
		في العاصمة مجلس الأمن يناقش الأوضاع الإنسانية ارتفاع أسعار النفط بعد قرار الأسواق المالية
		تغلق على انخفاض المنتخب يفوز في المباراة النهائية للبطولة الرئيس يستقبل وفدا رسميا الأمطار
		الغزيرة تسبب فيضانات في المدن الشمالية افتتاح معرض الكتاب الدولي بمشاركة واسعة البنك المركزي
		يثبت أسعار الفائدة الجامعة تطلق برنامجا للطلاب الشركة توقع اتفاقية مع شركاء دوليين الشرطة
		تعتقل مشتبها به في حادث المستشفى يستقبل الجرحى الوزارة تنفي الأنباء حول الانتخابات المقبلة`)
	englishWords = strings.Fields(`government announces new plan to support national economy foreign
		minister meets counterpart in the capital security council discusses humanitarian situation oil
		prices rise after decision markets close lower national team wins final match of tournament
		president receives official delegation heavy rain causes floods in northern cities book fair
		opens with wide participation central bank holds interest rates university launches programme
		for students company signs agreement with international partners police arrest suspect hospital
		receives injured ministry denies reports about upcoming elections`)
)

// rare word lists stand in for the names, places and less common words
// that make most of a headline: tens of thousands of them, longer than the
// common words, so that dedupe's index sees key lists of realistic length
// (with a few thousand, every word recurs in a hundred headlines of a day
// and every lookup hits the store's candidate cap: the worst case, not the
// usual one).
var rareArabic, rareEnglish = rareWords("ابتثجحخدذرزسشصضطظعغفقكلمنهوي", 1), rareWords("abcdefghijklmnopqrstuvwxyz", 2)

func rareWords(alphabet string, seed uint64) []string {
	letters := []rune(alphabet)
	r := rand.New(rand.NewPCG(seed, 0))
	out := make([]string, 20000)
	for i := range out {
		w := make([]rune, 5+r.IntN(5))
		for j := range w {
			w[j] = letters[r.IntN(len(letters))]
		}
		out[i] = string(w)
	}
	return out
}

// headline is a title of three common words and five rare ones.
func headline(r *rand.Rand, arabic bool) string {
	common, rare := englishWords, rareEnglish
	if arabic {
		common, rare = arabicWords, rareArabic
	}
	return phrase(r, common, 3) + " " + phrase(r, rare, 5)
}

// corpusFeed is one generated feed as the test server sends it.
type corpusFeed struct {
	kind        string
	body        []byte
	contentType string
	etag        string // strong validator, quoted
	hash        string // hex SHA-256 of body, as the fetcher keeps it
}

// genFeed builds feed n at generation gen with items items. A new
// generation changes every item's id and headline, as a busy wire does
// between polls. One item in twenty tells a story several feeds share
// (same headline), so cross-source dedupe has work to do.
func genFeed(n, gen, items int, now time.Time, vocab bool) corpusFeed {
	r := rand.New(rand.NewPCG(uint64(n), uint64(gen)))
	arabic := arabicOf(n)
	words := englishWords
	lang := "en"
	if arabic {
		words, lang = arabicWords, "ar"
	}
	host := fmt.Sprintf("wire%d.example.com", n)
	type entry struct {
		id, link, title, summary string
		published                time.Time
	}
	entries := make([]entry, items)
	for j := range entries {
		var title string
		switch {
		case j%20 == 0 && vocab:
			// A shared story, as each wire republishes it.
			sr := rand.New(rand.NewPCG(uint64(j), uint64(gen)+1<<32))
			title = decorate(vocabHeadline(sr, arabic), n, arabic)
		case j%20 == 0:
			// A shared story: same words for every feed of the language.
			sr := rand.New(rand.NewPCG(uint64(j), uint64(gen)+1<<32))
			title = headline(sr, arabic)
		case vocab:
			title = vocabHeadline(r, arabic)
		default:
			title = headline(r, arabic)
		}
		link := fmt.Sprintf("https://%s/news/%d/%d/story-%d?utm_source=rss", host, gen, j, r.IntN(1e6))
		var sum strings.Builder
		fmt.Fprintf(&sum, `<p>%s.</p><p>%s، <a href="/related/%d">%s</a>.</p>`,
			phrase(r, words, 14), phrase(r, words, 12), j, phrase(r, words, 3))
		if j%3 == 0 {
			fmt.Fprintf(&sum, `<p><img src="https://%s/img/%d.jpg" alt="">%s</p>`, host, j, phrase(r, words, 8))
		}
		entries[j] = entry{
			id:        fmt.Sprintf("urn:%s:%d:%d", host, gen, j),
			link:      link,
			title:     title,
			summary:   sum.String(),
			published: now.Add(-time.Duration(j*20+n%60) * time.Minute).Truncate(time.Second),
		}
	}

	f := corpusFeed{kind: kindOf(n)}
	var b bytes.Buffer
	title := fmt.Sprintf("Wire %d", n)
	switch f.kind {
	case kindRSS, kindRSS1256:
		enc := "utf-8"
		if f.kind == kindRSS1256 {
			enc = "windows-1256"
		}
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="%s"?>`+"\n"+
			`<rss version="2.0"><channel><title>%s</title><link>https://%s/</link><language>%s</language>`+"\n",
			enc, title, host, lang)
		for _, e := range entries {
			fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><guid isPermaLink=\"false\">%s</guid>"+
				"<pubDate>%s</pubDate><category>News</category><description><![CDATA[%s]]></description></item>\n",
				html.EscapeString(e.title), html.EscapeString(e.link), e.id,
				e.published.In(riyadh).Format(time.RFC1123Z), e.summary)
		}
		b.WriteString("</channel></rss>\n")
		f.contentType = "application/rss+xml; charset=utf-8"
		if f.kind == kindRSS1256 {
			out, err := encoding.ReplaceUnsupported(charmap.Windows1256.NewEncoder()).Bytes(b.Bytes())
			if err != nil {
				panic(fmt.Sprintf("encode feed %d in windows-1256: %v", n, err))
			}
			b.Reset()
			b.Write(out)
			// Half label the charset in the header, half only in the
			// XML declaration: both occur in the wild.
			f.contentType = "application/rss+xml"
			if n%20 < 10 {
				f.contentType = "application/rss+xml; charset=windows-1256"
			}
		}
	case kindAtom:
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?>`+"\n"+
			`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="%s"><title>%s</title><id>tag:%s,2025:feed</id>`+
			`<link href="https://%s/"/><updated>%s</updated>`+"\n",
			lang, title, host, host, now.UTC().Format(time.RFC3339))
		for _, e := range entries {
			fmt.Fprintf(&b, `<entry><title>%s</title><id>%s</id><link href="%s"/><published>%s</published>`+
				`<updated>%s</updated><summary type="html">%s</summary></entry>`+"\n",
				html.EscapeString(e.title), e.id, html.EscapeString(e.link),
				e.published.UTC().Format(time.RFC3339), e.published.UTC().Format(time.RFC3339),
				html.EscapeString(e.summary))
		}
		b.WriteString("</feed>\n")
		f.contentType = "application/atom+xml"
	case kindJSON:
		type jsonItem struct {
			ID        string `json:"id"`
			URL       string `json:"url"`
			Title     string `json:"title"`
			Content   string `json:"content_html"`
			Published string `json:"date_published"`
		}
		doc := struct {
			Version  string     `json:"version"`
			Title    string     `json:"title"`
			Home     string     `json:"home_page_url"`
			Language string     `json:"language"`
			Items    []jsonItem `json:"items"`
		}{"https://jsonfeed.org/version/1.1", title, "https://" + host + "/", lang, nil}
		for _, e := range entries {
			doc.Items = append(doc.Items, jsonItem{e.id, e.link, e.title, e.summary, e.published.UTC().Format(time.RFC3339)})
		}
		if err := json.NewEncoder(&b).Encode(doc); err != nil {
			panic(err)
		}
		f.contentType = "application/feed+json"
	}
	f.body = b.Bytes()
	sum := sha256.Sum256(f.body)
	f.hash = hex.EncodeToString(sum[:])
	f.etag = `"` + f.hash[:16] + `"`
	return f
}

var riyadh = time.FixedZone("+0300", 3*3600)

func phrase(r *rand.Rand, words []string, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = words[r.IntN(len(words))]
	}
	return strings.Join(parts, " ")
}

// corpus is the set of distinct feeds the server hands out; source i gets
// feed i mod len(feeds), so ten thousand sources cost the memory of a
// thousand feeds.
type corpus struct {
	feeds []corpusFeed
	items int
	now   time.Time
	vocab bool // headlines from the Zipf vocabulary (vocab.go), else from names
}

func newCorpus(feeds, items int, now time.Time, vocab bool) *corpus {
	c := &corpus{feeds: make([]corpusFeed, feeds), items: items, now: now, vocab: vocab}
	for i := range c.feeds {
		c.feeds[i] = genFeed(i, 0, items, now, vocab)
	}
	return c
}

func (c *corpus) feed(source int) *corpusFeed { return &c.feeds[source%len(c.feeds)] }

// bytes is the corpus's total body size.
func (c *corpus) bytes() int64 {
	var n int64
	for i := range c.feeds {
		n += int64(len(c.feeds[i].body))
	}
	return n
}

// digest identifies the corpus's bytes, so that the harness can check that
// a corpus server in another process serves the same bodies it holds.
func (c *corpus) digest() string {
	h := sha256.New()
	for i := range c.feeds {
		h.Write([]byte(c.feeds[i].hash))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// dropBodies forgets the bodies once only their validators and hashes are
// needed, so that they leave the harness's heap.
func (c *corpus) dropBodies() {
	for i := range c.feeds {
		c.feeds[i].body = nil
	}
}

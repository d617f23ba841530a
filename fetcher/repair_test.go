package fetcher

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

// TestRepairXML checks each repair rule on the smallest input that needs
// it, and that the output is XML encoding/xml reads to the end.
func TestRepairXML(t *testing.T) {
	tests := []struct {
		rule, in, want string
	}{
		{"bare & is escaped", `<a>x?a=1&b=2 & c</a>`, `<a>x?a=1&amp;b=2 &amp; c</a>`},
		{"valid references are kept", `<a>&amp; &lt; &eacute; &#233; &#xE9;</a>`, `<a>&amp; &lt; &eacute; &#233; &#xE9;</a>`},
		{"numeric reference gets its ;", `<a>&#xE9 and &#233 and &#x41</a>`, `<a>&#xE9; and &#233; and &#x41;</a>`},
		{"reference to a forbidden character is dropped", `<a>x&#1;y&#xFFFE;z&#0</a>`, `<a>xyz</a>`},
		{"& without a name is escaped", `<a>&#; &; &#x;</a>`, `<a>&amp;#; &amp;; &amp;#x;</a>`},
		{"forbidden characters are dropped", "<a>b\x00e\x07l\x0bl\uFFFEs\uFFFF\t\n\r</a>", "<a>bells\t\n\r</a>"},
		{"bare < is escaped", `<a>3 < 4 <= 5 <3</a>`, `<a>3 &lt; 4 &lt;= 5 &lt;3</a>`},
		{"< before another tag is text", `<a>x <b <i>y</i></a>`, `<a>x &lt;b <i>y</i></a>`},
		{"]]> in text is escaped", `<a>x]]>y</a>`, `<a>x]]&gt;y</a>`},
		{"open elements are closed at the end", `<rss><channel><item><title>cut`, `<rss><channel><item><title>cut</title></item></channel></rss>`},
		{"a tag cut by the end is dropped", `<rss><item><b class="x`, `<rss><item></item></rss>`},
		{"an end tag cut by the end is dropped", `<rss><channel></channel></rsss`, `<rss><channel></channel></rss>`},
		{"an end tag closes the elements inside it", `<a><b><c>x</a>`, `<a><b><c>x</c></b></a>`},
		{"an end tag closing nothing is dropped", `<a>x</b></a>`, `<a>x</a>`},
		{"attributes are quoted and escaped", `<a href=x?a&b c d='q"<'>t</a>`, `<a href="x?a&amp;b" c="c" d="q&quot;&lt;">t</a>`},
		{"self-closing tags stay", `<a><br/><img src="x" /></a>`, `<a><br/><img src="x"/></a>`},
		{"open comment is closed", `<a>x<!-- cut`, `<a>x<!-- cut--></a>`},
		{"-- inside a comment is broken up", `<a><!-- a -- b --></a>`, `<a><!-- a - - b --></a>`},
		{"open CDATA is closed", `<a><![CDATA[<p>cut`, `<a><![CDATA[<p>cut]]></a>`},
		{"CDATA is kept as it is", `<a><![CDATA[a & b < c]]></a>`, `<a><![CDATA[a & b < c]]></a>`},
		{"a DOCTYPE with a subset is kept", `<!DOCTYPE rss [<!ENTITY x "y">]><rss>&x;</rss>`, `<!DOCTYPE rss [<!ENTITY x "y">]><rss>&x;</rss>`},
		{"an XML declaration after the start is dropped", `<a><?xml version="1.0"?>x</a>`, `<a>x</a>`},
		{"the XML declaration at the start says 1.0 and utf-8", `<?xml version="2.0" standalone="yes"?><a>&</a>`, `<?xml version="1.0" encoding="utf-8"?><a>&amp;</a>`},
		{"<! that starts nothing is text", `<a><!-x <![x]></a>`, `<a>&lt;!-x &lt;![x]></a>`},
		{"names outside XML's tables are text", "<a><\u00d7>x</a>", "<a>&lt;\u00d7>x</a>"},
		{"non-ASCII names are kept", `<a><café>x</café></a>`, `<a><café>x</café></a>`},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			got, err := repairXML(context.Background(), []byte(tt.in), 1<<20)
			if err != nil {
				t.Fatalf("repairXML(%q): %v", tt.in, err)
			}
			if string(got) != tt.want {
				t.Errorf("repairXML(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if err := readsToEnd(got); err != nil {
				t.Errorf("repairXML(%q) = %q: %v", tt.in, got, err)
			}
		})
	}
}

// readsToEnd reads b with encoding/xml as gofeed configures it and reports
// the first error; a lone root that closes is all it asks.
func readsToEnd(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// TestRepairLimits: repair stops at its size limit, at the nesting limit
// and when its context ends, rather than producing a document the parse
// could not afford.
func TestRepairLimits(t *testing.T) {
	amps := []byte("<a>" + strings.Repeat("&", 1000) + "</a>")
	if _, err := repairXML(context.Background(), amps, 2000); !errors.Is(err, errRepairTooLarge) {
		t.Errorf("5x growth past the limit: err = %v, want errRepairTooLarge", err)
	}
	if _, err := repairXML(context.Background(), amps, 6000); err != nil {
		t.Errorf("5x growth within the limit: %v", err)
	}
	deep := []byte(strings.Repeat("<a>", maxDepth+1))
	if _, err := repairXML(context.Background(), deep, 1<<20); !errors.Is(err, errTooDeep) {
		t.Errorf("%d open elements: err = %v, want errTooDeep", maxDepth+1, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	big := bytes.Repeat([]byte("<a>&</a>"), 2*repairCheckEvery/8)
	if _, err := repairXML(ctx, big, 1<<30); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: err = %v, want context.Canceled", err)
	}
}

// TestFirstXMLError: the position reported is where the parser met the
// first fault (just past the byte that made it one).
func TestFirstXMLError(t *testing.T) {
	body := []byte("<rss>\n<channel>\n  <title>a < b</title>\n</channel></rss>")
	e := firstXMLError(body, errors.New("gofeed"))
	if e.Line != 3 || e.Column != 13 || !strings.Contains(e.Msg, "expected element name after <") {
		t.Errorf("firstXMLError = %+v, want line 3, column 13", e)
	}
	if got := e.Error(); got != "XML repaired: line 3, column 13: expected element name after <" {
		t.Errorf("Error() = %q", got)
	}
}

// FuzzRepairXML: whatever the bytes, repair does not panic, stays within
// its limit, yields XML that encoding/xml (as gofeed sets it up) reads to
// the end, and leaves its own output as it is.
func FuzzRepairXML(f *testing.F) {
	for _, s := range []string{
		`<rss><channel><item><title>a & b <c</title>`,
		`<a href=x&y z>&#x41&#1;<!-- -- <![CDATA[x</a>`,
		`<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>`,
		"<?xml version=\"1.0\"?><a>\x00]]></b></a",
		`<a><b c='"'>&#99999999999;</b>`,
	} {
		f.Add([]byte(s))
	}
	for _, name := range []string{"rss2.xml", "atom.xml", "rss1.rdf", "broken.xml"} {
		f.Add(readTestdata(f, name))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		limit := 8*len(in) + 64
		out, err := repairXML(context.Background(), in, limit)
		if err != nil {
			if errors.Is(err, errTooDeep) {
				return
			}
			t.Fatalf("repairXML(%q): %v", in, err)
		}
		if len(out) > limit {
			t.Fatalf("repairXML(%q) = %d bytes, over the limit %d", in, len(out), limit)
		}
		if err := readsToEnd(out); err != nil {
			t.Fatalf("repairXML(%q) = %q: %v", in, out, err)
		}
		again, err := repairXML(context.Background(), out, 2*len(out)+64)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("repairXML(%q) = %q, repaired again = %q (%v)", in, out, again, err)
		}
	})
}

// BenchmarkRepairXML repairs a 54 KB feed with a bare '&' in every item,
// and inputs built to make a careless repair quadratic; each must cost
// about the same per byte.
func BenchmarkRepairXML(b *testing.B) {
	feed := bytes.ReplaceAll(benchFeed(), []byte("story-"), []byte("story?a=1&b="))
	for _, bc := range []struct {
		name string
		in   []byte
	}{
		{"feed", feed},
		{"end-tags", bytes.Repeat([]byte("</a"), len(feed)/3)},
		{"instructions", bytes.Repeat([]byte("<?"), len(feed)/2)},
		{"tags", bytes.Repeat([]byte("<a b "), len(feed)/5)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.in)))
			for b.Loop() {
				if _, err := repairXML(context.Background(), bc.in, 8*len(bc.in)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestDegradedSource follows a source whose feed breaks and is mended: a
// broken body is read after repair with every item kept, and the source is
// degraded (not failed) with where the XML broke, in the Result, the state
// and the log; a 304 keeps it degraded, since the body in use is still the
// broken one; a well-formed body clears it.
func TestDegradedSource(t *testing.T) {
	good := readTestdata(t, "rss2.xml")
	broken := readTestdata(t, "broken.xml")
	fs := newFeedServer(t)
	u := fs.set("/feed", route{body: broken, etag: `"b"`})
	st := openTestStore(t)
	f, logs := newTestFetcher(t, st, &Options{Sources: []Source{{Name: "s", URL: u}}})
	ctx := context.Background()

	r := f.Fetch(ctx, "s")
	if r.Status != StatusNew || r.New != 1 || r.Err != nil || r.Degraded == nil || r.Kind() != KindOK {
		t.Fatalf("broken body: %+v (err %v), want 1 new item, degraded", r, r.Err)
	}
	if r.Degraded.Line != 9 || r.Degraded.Column == 0 || r.Degraded.Msg != "unexpected EOF" {
		t.Errorf("Degraded = %+v, want unexpected EOF on line 9", r.Degraded)
	}
	if got := titlesOf(t, st, "s"); len(got) != 1 || got[0] != "Unclosed" {
		t.Errorf("titles = %q, want the unclosed item kept", got)
	}
	s, _ := st.State("s")
	if s.LastStatus != "degraded" || s.Degraded != r.Degraded.Error() || s.LastError != "" || s.Failures != 0 || s.ETag != `"b"` {
		t.Errorf("state = %+v, want degraded", s)
	}
	if !strings.Contains(logs.String(), `level=WARN msg="feed is not well-formed XML; read it repaired" component=fetcher source=s line=9 column=`) {
		t.Errorf("no Warn line for the repair in the log")
	}

	if r := f.Fetch(ctx, "s"); r.Status != StatusNotModified {
		t.Fatalf("second fetch = %+v, want a 304", r)
	}
	if s, _ := st.State("s"); s.LastStatus != "degraded" || s.Degraded == "" {
		t.Errorf("after a 304: state = %+v, want still degraded", s)
	}

	fs.set("/feed", route{body: good})
	if r := f.Fetch(ctx, "s"); r.Degraded != nil || r.Err != nil {
		t.Fatalf("well-formed body: %+v", r)
	}
	if s, _ := st.State("s"); s.LastStatus != "ok" || s.Degraded != "" {
		t.Errorf("after a well-formed body: state = %+v, want ok", s)
	}
}

// TestRepairKeepsWellFormedFeedsAsTheyAre: a body that parses is never
// repaired, so its text is gofeed's, not the repair's.
func TestRepairKeepsWellFormedFeedsAsTheyAre(t *testing.T) {
	// Lenient gofeed reads "a & b" as it is; the repair would escape it.
	body := []byte(`<rss version="2.0"><channel><title>t</title><item><title>a & b &amp c</title><link>http://x.example/</link></item></channel></rss>`)
	feed, degraded, err := newConverter(0.8, 0).read(context.Background(), body, DefaultMaxBody)
	if err != nil || degraded != nil || len(feed.Items) != 1 {
		t.Fatalf("read = %v, %v, %v", feed, degraded, err)
	}
}

// TestRepairFailsWithTheFirstError: a body no repair makes a feed fails
// with the error of the parse as it came, not the repaired one's.
func TestRepairFailsWithTheFirstError(t *testing.T) {
	body := []byte(`<notafeed><x>`)
	_, degraded, err := newConverter(0.8, 0).read(context.Background(), body, DefaultMaxBody)
	if err == nil || degraded != nil {
		t.Fatalf("read = %v, %v; want an error", degraded, err)
	}
	if _, want := parse(body); err.Error() != want.Error() {
		t.Errorf("err = %v, want the first parse's %v", err, want)
	}
}

package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func outlineList(os []OPMLOutline) []string {
	var out []string
	for _, o := range os {
		out = append(out, fmt.Sprintf("%s|%s|%s|%s", o.Title, o.XMLURL, o.HTMLURL, strings.Join(o.Tags, ",")))
	}
	return out
}

// TestParseOPMLReaders reads exports in the shapes real readers write:
// newsboat's (its actual output), Feedly's, NetNewsWire's and one with
// OPML 2.0 category attributes in ISO-8859-1.
func TestParseOPMLReaders(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"newsboat.opml", []string{
			"الجزيرة|https://www.aljazeera.net/rss||",
			"|https://feeds.bbci.co.uk/news/world/rss.xml||",
		}},
		{"feedly.opml", []string{
			"BBC News - World|https://feeds.bbci.co.uk/news/world/rss.xml|https://www.bbc.co.uk/news/world|World",
			"Al Jazeera English|https://www.aljazeera.com/xml/rss/all.xml|https://www.aljazeera.com|World",
			"الجزيرة نت|https://www.aljazeera.net/aljazeerarss/a7c186be-1baa-4bd4-9d80-a84db769f779/73d0e1b4-532f-45ef-b135-bfdff8b8cab9|https://www.aljazeera.net|عربي",
			"BBC News عربي|https://feeds.bbci.co.uk/arabic/rss.xml|https://www.bbc.com/arabic|عربي",
			"BBC News - World|https://feeds.bbci.co.uk/news/world/rss.xml|https://www.bbc.co.uk/news/world|Tech & Science",
		}},
		{"netnewswire.opml", []string{
			"Daring Fireball|https://daringfireball.net/feeds/main|https://daringfireball.net/|",
			"Reuters: World|https://www.reutersagency.com/feed/?best-topics=political-general&post_type=best|https://www.reuters.com/|News",
			"Middle East Eye|https://www.middleeasteye.net/rss|https://www.middleeasteye.net/|News,Middle East",
		}},
		{"categories.opml", []string{
			"Le Monde \u00a0International|https://www.lemonde.fr/international/rss_full.xml||Presse,Française,wires",
			"Café Babel|https://cafebabel.example/feed||europe",
			"Libération|https://www.liberation.fr/arc/outboundfeeds/rss/?outputType=xml||",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ParseOPML(readFixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if g := outlineList(got); !slices.Equal(g, tt.want) {
				t.Errorf("ParseOPML(%s) =\n%s\nwant\n%s", tt.file, strings.Join(g, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestParseOPMLCharsets reads exports in legacy charsets by their WHATWG
// labels: Arabic in windows-1256, and a file labelled iso-8859-1 whose
// curly quotes and euro sign are windows-1252's, as browsers read it.
func TestParseOPMLCharsets(t *testing.T) {
	arabic, err := charmap.Windows1256.NewEncoder().String("الجزيرة نت")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		label, title, want string
	}{
		{"windows-1256", arabic, "الجزيرة نت"},
		{"iso-8859-1", "\x93Le Monde\x94 \x80 Caf\xe9", "“Le Monde” € Café"},
		{"windows-1252", "\x93Le Monde\x94", "“Le Monde”"},
		{"UTF-8", "Café", "Café"},
	}
	for _, tt := range tests {
		doc := "<?xml version=\"1.0\" encoding=\"" + tt.label + "\"?>\n<opml version=\"2.0\"><body><outline text=\"" + tt.title + "\" xmlUrl=\"https://a.example/feed\"/></body></opml>"
		got, err := ParseOPML([]byte(doc))
		if err != nil {
			t.Errorf("%s: %v", tt.label, err)
			continue
		}
		if len(got) != 1 || got[0].Title != tt.want {
			t.Errorf("%s: outlines %q, want one titled %q", tt.label, outlineList(got), tt.want)
		}
	}
}

func TestParseOPMLErrors(t *testing.T) {
	tests := []struct {
		name, doc string
		line      int
		msg       string
	}{
		{"not xml", "hello", 1, "no <opml> element"},
		{"rss instead", "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>", 2, "root element is <rss>"},
		{"truncated", "<opml>\n<body>\n<outline text=\"a\" xmlUrl=\"https://a.exa", 3, "invalid XML"},
		{"too deep", "<opml><body>" + strings.Repeat("<outline text=\"f\">", 100) + "</body></opml>", 1, "nested deeper"},
		{"charset", "<?xml version=\"1.0\" encoding=\"x-klingon\"?>\n<opml/>", 1, `encoding "x-klingon" is not supported; convert the file to UTF-8`},
		{"replacement charset", "<?xml version=\"1.0\" encoding=\"iso-2022-kr\"?>\n<opml/>", 1, "convert the file to UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseOPML([]byte(tt.doc))
			var oe *OPMLError
			if !errors.As(err, &oe) || oe.Line != tt.line || !strings.Contains(oe.Msg, tt.msg) {
				t.Errorf("ParseOPML = %v, want line %d saying %q", err, tt.line, tt.msg)
			}
		})
	}
}

// TestSourcesOPML: sources_opml adds an OPML file's feeds as sources
// (relative to the config's folder), named after their titles, with
// folders as tags a ticker can select; a feed the config lists already
// keeps its config entry.
func TestSourcesOPML(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "subs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "subs", "feedly.opml"), readFixture(t, "feedly.opml"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(`sources_opml: subs/feedly.opml
sources:
  - {name: aje, url: "https://www.aljazeera.com/xml/rss/all.xml", tags: [mine]}
tickers:
  - {name: arabic, tags: [عربي]}
  - {name: world, tags: [World]}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(cfgPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range cfg.Sources {
		got = append(got, fmt.Sprintf("%s %s %v", s.Name, s.URL, s.Tags))
	}
	want := []string{
		"aje https://www.aljazeera.com/xml/rss/all.xml [mine]",
		"bbc-news-world https://feeds.bbci.co.uk/news/world/rss.xml [World Tech & Science]",
		"aljazeera.net https://www.aljazeera.net/aljazeerarss/a7c186be-1baa-4bd4-9d80-a84db769f779/73d0e1b4-532f-45ef-b135-bfdff8b8cab9 [عربي]",
		"bbc-news https://feeds.bbci.co.uk/arabic/rss.xml [عربي]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("sources =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if names := cfg.SourceNames(&cfg.Tickers[0]); !slices.Equal(names, []string{"aljazeera.net", "bbc-news"}) {
		t.Errorf("ticker arabic sources = %v", names)
	}
	if s := cfg.Sources[1]; s.File != filepath.Join(dir, "subs", "feedly.opml") || s.Line != 9 || s.SiteURL != "https://www.bbc.co.uk/news/world" {
		t.Errorf("OPML source = %+v", s)
	}
}

func TestSourcesOPMLErrors(t *testing.T) {
	dir := t.TempDir()
	opml := filepath.Join(dir, "bad.opml")
	if err := os.WriteFile(opml, []byte(`<opml version="2.0"><body>
<outline text="ok" xmlUrl="https://ok.example/feed"/>
<outline text="Old FTP feed" xmlUrl="ftp://files.example/feed.xml"/>
</body></opml>`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, yaml string
		want       []string
	}{
		{"bad outline", "sources_opml: bad.opml\n", []string{opml + `:3: outline "Old FTP feed" xmlUrl: "ftp://files.example/feed.xml" must be an http or https URL`}},
		{"missing file", "sources_opml: nowhere.opml\n", []string{"config.yaml:1: sources_opml: stat " + filepath.Join(dir, "nowhere.opml")}},
		{"a device", "sources_opml: /dev/stdin\n", []string{"config.yaml:1: sources_opml: /dev/stdin is not a regular file"}},
		{"a folder", "sources_opml: .\n", []string{"is not a regular file"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfgPath := filepath.Join(dir, "config.yaml")
			if err := os.WriteFile(cfgPath, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(cfgPath, nil)
			if err == nil {
				t.Fatal("Load succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Load error =\n%v\nwant a line containing %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "no sources") {
				t.Errorf("Load error also says no sources:\n%v", err)
			}
		})
	}
}

// FuzzParseOPML: no input makes the parser panic or loop, and every
// outline it returns has a feed URL.
func FuzzParseOPML(f *testing.F) {
	for _, name := range []string{"newsboat.opml", "feedly.opml", "netnewswire.opml", "categories.opml"} {
		f.Add(readFixture(f, name))
	}
	f.Add([]byte(`<opml><body><outline xmlUrl="x"><outline/></outline></body></opml>`))
	f.Add([]byte(`<OPML><BODY><OUTLINE XMLURL="https://a.example/" CATEGORY="/a//b,,"/></BODY></OPML>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		outlines, err := ParseOPML(data)
		if err != nil {
			return
		}
		for _, o := range outlines {
			if o.XMLURL == "" {
				t.Fatalf("outline without xmlUrl: %+v", o)
			}
		}
	})
}

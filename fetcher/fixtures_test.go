package fetcher

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

var update = flag.Bool("update", false, "rewrite the generated files in testdata")

// arabicTitles are the exact titles every Arabic fixture carries. They use
// hamza forms, taa marbuta, tanween, the Arabic comma and question mark:
// letters both windows-1256 and ISO-8859-6 encode, at different bytes.
var arabicTitles = []string{
	"عاجل: أمطار غزيرة على الساحل الشرقي",
	"الرياض تستضيف قمة الطاقة؟ نعم، غداً",
	"إغلاق الطريق 3 ساعات بسبب الضباب",
}

// arabicFixtures are generated from arabicFeed: each charset twice, once
// declared in the prolog and once not (for tests where only the HTTP
// header declares it).
var arabicFixtures = []struct {
	file  string
	enc   encoding.Encoding
	label string // in the prolog; "" for none
}{
	{"ar-windows-1256.xml", charmap.Windows1256, "windows-1256"},
	{"ar-windows-1256-nolabel.xml", charmap.Windows1256, ""},
	{"ar-iso-8859-6.xml", charmap.ISO8859_6, "ISO-8859-6"},
	{"ar-iso-8859-6-nolabel.xml", charmap.ISO8859_6, ""},
}

func arabicFeed(label string) string {
	var b strings.Builder
	if label != "" {
		fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"%s\"?>\n", label)
	} else {
		b.WriteString("<?xml version=\"1.0\"?>\n")
	}
	b.WriteString("<rss version=\"2.0\">\n<channel>\n<title>وكالة الأنباء</title>\n" +
		"<link>https://ar.example.com/</link>\n<language>ar</language>\n")
	for i, t := range arabicTitles {
		fmt.Fprintf(&b, "<item>\n<title>%s</title>\n<link>https://ar.example.com/news/%d</link>\n"+
			"<guid>ar-%d</guid>\n<pubDate>Tue, 04 Mar 2025 %02d:00:00 +0300</pubDate>\n"+
			"<description>&lt;p dir=\"rtl\"&gt;%s&lt;/p&gt;</description>\n</item>\n", t, i+1, i+1, 10-i, t)
	}
	b.WriteString("</channel>\n</rss>\n")
	return b.String()
}

// TestArabicFixtures keeps the committed legacy-encoded files equal to the
// encoding of arabicFeed; go test -run TestArabicFixtures -update
// regenerates them.
func TestArabicFixtures(t *testing.T) {
	for _, fx := range arabicFixtures {
		want, err := fx.enc.NewEncoder().Bytes([]byte(arabicFeed(fx.label)))
		if err != nil {
			t.Fatalf("encode %s: %v", fx.file, err)
		}
		path := filepath.Join("testdata", fx.file)
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to generate)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from its generator; run with -update", path)
		}
		// The fetcher keeps valid UTF-8 as it is: a fixture that were valid
		// UTF-8 would not exercise any decoding.
		if utf8.Valid(got) {
			t.Errorf("%s is valid UTF-8", path)
		}
	}
}

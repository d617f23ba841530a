package fetcher

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestConvertCandidates: a feed listing far more items than MaxItems,
// dates out of order and some missing, keeps the same newest items as
// converting all of them would, while converting only a few times
// MaxItems.
func TestConvertCandidates(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://news.example.com/</link>`)
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3000 {
		date := day.Add(time.Duration(i*7919%3000) * time.Minute).Format(time.RFC1123Z)
		switch i % 10 {
		case 3:
			date = "" // no date: sorts after every dated item
		case 7:
			date = "Thu, 01 Jan 2099 00:00:00 GMT" // refused: as good as none
		}
		fmt.Fprintf(&b, "<item><title>Item %d</title><link>https://news.example.com/%d</link><pubDate>%s</pubDate></item>", i, i, date)
	}
	b.WriteString(`</channel></rss>`)
	body := []byte(b.String())
	base := mustURL(t, "https://feeds.example.com/feed")
	_, all, err := newConverter(0.8, 100_000).parseAndConvert(body, &Source{Name: "s"}, base)
	if err != nil {
		t.Fatal(err)
	}
	_, got, err := newConverter(0.8, 50).parseAndConvert(body, &Source{Name: "s"}, base)
	if err != nil {
		t.Fatal(err)
	}
	want := newest(all, 50)
	if !slices.Equal(itemIDs(got), itemIDs(want)) {
		t.Errorf("kept %q, want the newest 50 %q", itemIDs(got), itemIDs(want))
	}
	// Conversion alone, beside gofeed's parse, which both pay.
	feed, err := parse(body)
	if err != nil {
		t.Fatal(err)
	}
	few, full := newConverter(0.8, 50), newConverter(0.8, 100_000)
	fewAlloc := allocated(func() { few.convert(feed, &Source{Name: "s"}, base) })
	fullAlloc := allocated(func() { full.convert(feed, &Source{Name: "s"}, base) })
	if fewAlloc > fullAlloc/5 {
		t.Errorf("converting for 50 of 3000 items allocated %d KiB, for all %d KiB: want under a fifth", fewAlloc>>10, fullAlloc>>10)
	}
}

// TestJSONNullItems: gofeed panics on a JSON Feed listing null among its
// items; the nulls are dropped and the other items kept, rather than the
// whole feed failing.
func TestJSONNullItems(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"null among items", `{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[null,{"id":"1","title":"kept"}, null ,{"id":"2","title":"also"}]}`, []string{"kept", "also"}},
		{"only null", `{"version":"https://jsonfeed.org/version/1.1","items":[null]}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, items, err := newConverter(0.8, 0).parseAndConvert([]byte(tt.body), &Source{Name: "s"}, mustURL(t, "https://feeds.example.com/feed.json"))
			if err != nil {
				t.Fatalf("parseAndConvert(%q): %v", tt.body, err)
			}
			var got []string
			for _, it := range items {
				got = append(got, it.Title)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("titles = %q, want %q", got, tt.want)
			}
		})
	}
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestEndToEndDedupe runs three wires that report several stories twice,
// written the ways wires differ, next to look-alike stories that are not the
// same. The unified feed shows each story once and names every source that
// reported it.
func TestEndToEndDedupe(t *testing.T) {
	ctx := context.Background()
	fs, srv := newFeedServer(t)
	wires := map[string][]story{
		"ar": { // windows-1256, charset in the prolog
			{id: "a1", title: "وَقْفُ إطلاقِ النارِ يدخل حيّز التنفيذ في غزة", at: at(50)},
			{id: "a6", title: "توقيع اتفاقٍ تجاريٍّ جديد مع تركيا", at: at(45)},
			{id: "a2", title: "البنك المركزي يثبت أسعار الفائدة", at: at(40)},
			{id: "a3", title: "الجيش يعتقل شابا في سلواد شرق رام الله", at: at(30)},
			{id: "a4", title: "ترامب يدعو أردوغان والسيسي إلى مجلس السلام", at: at(20)},
			{id: "a5", title: "افتتاح معرض الكتاب الدولي", at: at(10), link: "https://news.example/book?utm_source=rss&utm_medium=feed"},
		},
		"atom": {
			{id: "b1", title: "عاجل: وقف اطلاق النار يدخل حيز التنفيذ في غزة", at: at(52)}, // label, no hamza, no diacritics
			{id: "b2", title: "البنـــك المركـزي يثبّت أسعار الفائدة", at: at(41)},         // tatweel, shadda
			{id: "b3", title: "الجيش يعتقل شابين من عابود شمال غرب رام الله", at: at(31)},  // look-alike, different
			{id: "b4", title: "Markets open higher", at: at(5)},
		},
		"json": {
			{id: "c1", title: "ترامب يدعو 60 دولة إلى مجلس السلام", at: at(21)},                                // look-alike, different
			{id: "c2", title: "«البنك المركزي» يثبت أسعار الفائدة", at: at(42)},                                // quote styles
			{id: "c3", title: "Book fair opens", at: at(12), link: "https://NEWS.example/book?fbclid=xyz#top"}, // tracking params
			{id: "c4", title: "توقيع اتفاق تجاري جديد مع تركيا", at: at(46)},                                   // tanween
		},
	}
	fs.set("/ar.xml", "text/xml", arabicRSS(t, true, wires["ar"]))
	fs.set("/atom.xml", "application/atom+xml", []byte(atom(wires["atom"])))
	fs.set("/feed.json", "application/feed+json", []byte(jsonFeed(wires["json"])))

	dir := t.TempDir()
	cfgPath := writeConfigText(t, dir, fmt.Sprintf(`data: data/test.db
base_url: "http://ticker.test"
sources:
  - {name: ar, url: "%[1]s/ar.xml"}
  - {name: atom, url: "%[1]s/atom.xml"}
  - {name: json, url: "%[1]s/feed.json"}
`, srv.URL))
	_, d := openDaemon(t, cfgPath)
	defer d.close()
	// One source at a time, so which telling is first (and kept) is fixed.
	wantDup := map[string]int{"ar": 0, "atom": 2, "json": 3}
	for _, name := range []string{"ar", "atom", "json"} {
		r := d.fetcher.Fetch(ctx, name)
		if r.Err != nil || r.Duplicate != wantDup[name] {
			t.Errorf("fetch %s = %s, %d duplicates, %v; want %d duplicates", name, r.Status, r.Duplicate, r.Err, wantDup[name])
		}
	}

	var jf jsonFeedOut
	if err := json.Unmarshal(get(t, d.feed.Load().Handler(), "/feed.json"), &jf); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range jf.Items {
		line := it.Tickerd.Source + ": " + it.Title
		var also []string
		for _, a := range it.Tickerd.Also {
			also = append(also, a.Source)
		}
		if len(also) > 0 {
			line += " (also " + strings.Join(also, ", ") + ")"
		}
		got = append(got, line)
	}
	want := []string{
		"ar: وَقْفُ إطلاقِ النارِ يدخل حيّز التنفيذ في غزة (also atom)",
		"ar: توقيع اتفاقٍ تجاريٍّ جديد مع تركيا (also json)",
		"ar: البنك المركزي يثبت أسعار الفائدة (also atom, json)",
		"atom: الجيش يعتقل شابين من عابود شمال غرب رام الله",
		"ar: الجيش يعتقل شابا في سلواد شرق رام الله",
		"json: ترامب يدعو 60 دولة إلى مجلس السلام",
		"ar: ترامب يدعو أردوغان والسيسي إلى مجلس السلام",
		"ar: افتتاح معرض الكتاب الدولي (also json)",
		"atom: Markets open higher",
	}
	if !slices.Equal(got, want) {
		t.Errorf("unified JSON feed:\n got %q\nwant %q", got, want)
	}
	// The other telling keeps its own title and link for readers who want it.
	for _, it := range jf.Items {
		for _, a := range it.Tickerd.Also {
			if a.Source == "json" && a.Title == "Book fair opens" && a.URL != "https://NEWS.example/book?fbclid=xyz#top" {
				t.Errorf("report link = %q, want the source's own link", a.URL)
			}
		}
	}
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// crossCorpus builds five wires (three English, two Arabic) of 20
// headlines each, 30 of the 100 being another wire's story as a wire
// republishes it: decorated, with a number or a verb written another way,
// a preposition attached, an attribution added. Every story has a place
// and a number of its own, so no two stories are one. It returns the
// wires and how many stories there are.
func crossCorpus() (map[string][]story, int) {
	enPlaces := []string{"Leeds", "Bristol", "Cardiff", "Glasgow", "Aberdeen", "Dundee", "Norwich", "Exeter", "Bath", "Chester",
		"Durham", "Oxford", "Reading", "Swindon", "Brighton", "Dover", "Hull", "Lincoln", "Preston", "Wigan",
		"Bolton", "Derby", "Leicester", "Coventry", "Salford", "Ipswich", "Luton", "Slough", "Watford", "Crawley",
		"Sheffield", "Plymouth", "Portsmouth", "Southampton", "Bradford", "Sunderland", "Stockport", "Blackpool", "Halifax", "Carlisle",
		"Inverness", "Perth"}
	arPlaces := []string{"سلواد", "عابود", "بيتونيا", "عزون", "قباطية", "يعبد", "حوارة", "بيتا", "سنجل", "ترمسعيا",
		"المزرعة الشرقية", "دير نظام", "النبي صالح", "كفر مالك", "عقربا", "بيت فوريك", "عصيرة", "اللبن", "قريوت", "جيوس",
		"عزبة الطبيب", "بيت امر", "الخضر", "تقوع", "العيزرية", "عناتا", "حزما", "الجيب", "بدو", "قطنة"}
	enTpl := []func(place string, n int) string{
		func(p string, n int) string { return fmt.Sprintf("Police arrest %d suspects after raid in %s", n, p) },
		func(p string, n int) string {
			return fmt.Sprintf("%s council approves %d new homes near city centre", p, n)
		},
		func(p string, n int) string { return fmt.Sprintf("Fire at %s warehouse injures %d workers", p, n) },
	}
	arTpl := []func(place string, n int) string{
		func(p string, n int) string {
			return fmt.Sprintf("الاحتلال يعتقل %d شبان من بلدة %s", n, p)
		},
		func(p string, n int) string {
			return fmt.Sprintf("افتتاح %d مدارس جديدة في %s", n, p)
		},
	}
	words := []string{"", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"}
	arWords := []string{"", "واحد", "اثنين", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة", "عشرة", "أحد عشر", "اثني عشر"}
	enVariants := []func(title string, n int) string{
		func(s string, _ int) string { return "UPDATE 1-" + s },
		func(s string, _ int) string { return s + " - Reuters" },
		func(s string, _ int) string { return s + " | AP News" },
		func(s string, _ int) string { return s + ", police said" },
		func(s string, n int) string {
			w := words[n]
			return strings.Replace(s, strconv.Itoa(n), strings.ToUpper(w[:1])+w[1:], 1)
		},
		func(s string, _ int) string {
			return strings.Replace(strings.Replace(s, "arrest", "detain", 1), "injures", "injured", 1)
		},
	}
	arVariants := []func(title string, n int) string{
		func(s string, _ int) string { return s + " - وكالة الأنباء" },
		func(s string, _ int) string { return "عاجل: " + s },
		func(s string, n int) string { return strings.Replace(s, strconv.Itoa(n), arWords[n], 1) },
		func(s string, _ int) string { return s + " وفق مصادر محلية" },
		func(s string, _ int) string {
			return strings.Replace(strings.Replace(s, "يعتقل", "يحتجز", 1), "في ", "ب", 1)
		},
		func(s string, n int) string {
			indic := strings.Map(func(r rune) rune { return r - '0' + 0x0660 }, strconv.Itoa(n))
			return strings.Replace(s, strconv.Itoa(n), indic, 1) + " - وفا"
		},
	}
	wires := map[string][]story{}
	en, ar := []string{"en1", "en2", "en3"}, []string{"ar1", "ar2"}
	stories := 0
	add := func(src string, s story) { wires[src] = append(wires[src], s) }
	// 14 originals and 6 copies per wire: the copies tell stories of the
	// wire before it in the list, in the next variant.
	for lang, names := range map[string][]string{"en": en, "ar": ar} {
		places, tpls, variants := enPlaces, enTpl, enVariants
		if lang == "ar" {
			places, tpls, variants = arPlaces, arTpl, arVariants
		}
		originals := map[string][]string{}
		p := 0
		for wi, src := range names {
			for k := range 14 {
				n := 3 + (wi*14+k)%10 // 3..12: a number word exists for it
				title := tpls[k%len(tpls)](places[p], n)
				p++
				originals[src] = append(originals[src], title)
				add(src, story{id: fmt.Sprintf("%s-%d", src, k), title: title, at: at(wi*20 + k)})
				stories++
			}
		}
		for wi, src := range names {
			from := names[(wi+len(names)-1)%len(names)]
			for k := range 6 {
				title := originals[from][k]
				n := 3 + ((wi+len(names)-1)%len(names)*14+k)%10
				add(src, story{id: fmt.Sprintf("%s-copy-%d", src, k), title: variants[(wi*6+k)%len(variants)](title, n), at: at(((wi+len(names)-1)%len(names))*20 + k + 1)})
			}
		}
	}
	return wires, stories
}

// TestFetchReportsCrossSourceDuplicates runs `tickerd fetch` on wires
// 30% of whose headlines are other wires' stories: fetch reports every
// copy as a duplicate, and the feeds show one item per story, naming the
// other source in _tickerd.also.
func TestFetchReportsCrossSourceDuplicates(t *testing.T) {
	fs, srv := newFeedServer(t)
	wires, stories := crossCorpus()
	var cfg strings.Builder
	cfg.WriteString("data: data/test.db\nbase_url: \"http://ticker.test\"\ntickers:\n  - {name: all, limit: 200}\nsources:\n")
	total := 0
	for _, src := range []string{"en1", "en2", "en3", "ar1", "ar2"} {
		fs.set("/"+src+".xml", "application/rss+xml", []byte(rss2(wires[src])))
		fmt.Fprintf(&cfg, "  - {name: %s, url: \"%s/%s.xml\"}\n", src, srv.URL, src)
		total += len(wires[src])
	}
	if total != 100 || stories != 70 {
		t.Fatalf("corpus: %d headlines, %d stories; want 100 and 70", total, stories)
	}
	cfgPath := writeConfigText(t, t.TempDir(), cfg.String())
	var out bytes.Buffer
	if err := run(context.Background(), []string{"fetch", "-config", cfgPath, "-log-level", "error"}, &out, io.Discard); err != nil {
		t.Fatalf("fetch = %v\n%s", err, out.String())
	}
	dup, stored := 0, 0
	for _, m := range regexp.MustCompile(`(\d+) new, \d+ updated, (\d+) duplicate`).FindAllStringSubmatch(out.String(), -1) {
		n, _ := strconv.Atoi(m[1])
		d, _ := strconv.Atoi(m[2])
		stored += n
		dup += d
	}
	if dup != total-stories || stored != stories {
		t.Errorf("fetch reported %d new and %d duplicates, want %d and %d:\n%s", stored, dup, stories, total-stories, out.String())
	}
	_, d := openDaemon(t, cfgPath)
	defer d.close()
	got := feedLines(t, get(t, d.feed.Load().Handler(), "/feed.json"))
	merged := 0
	for _, line := range got {
		if strings.Contains(line, "(also ") {
			merged++
		}
	}
	if len(got) != stories || merged != total-stories {
		t.Errorf("the feed shows %d items, %d with another source; want %d and %d:\n%s", len(got), merged, stories, total-stories, strings.Join(got, "\n"))
	}
}

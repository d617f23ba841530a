package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"tickerd/match"
)

// feedLines reads the default ticker's JSON Feed through h as lines
// "source: title (also a, b)".
func feedLines(t *testing.T, body []byte) []string {
	t.Helper()
	var jf jsonFeedOut
	if err := json.Unmarshal(body, &jf); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range jf.Items {
		line := it.Tickerd.Source + ": " + it.Title
		var also []string
		for _, a := range it.Tickerd.Also {
			also = append(also, a.Source)
		}
		if len(also) > 0 {
			line += " (also " + strings.Join(also, ", ") + ")"
		}
		out = append(out, line)
	}
	slices.Sort(out)
	return out
}

// TestSplitCommand merges two wires' tellings of one story, splits one
// off with `tickerd split` on the data file, and checks that it stays
// apart after a restart and the next poll of both sources; then does the
// same through a running daemon's /api/split, whose outputs show it at
// once.
func TestSplitCommand(t *testing.T) {
	ctx := context.Background()
	fs, srv := newFeedServer(t)
	fs.set("/wa.xml", "application/rss+xml", []byte(rss2([]story{
		{id: "a1", title: "Brazil beat Argentina in World Cup qualifier", at: at(10)},
	})))
	fs.set("/wb.xml", "application/rss+xml", []byte(rss2([]story{
		{id: "b1", title: "UPDATE 1-Brazil beat Argentina in World Cup qualifier - Reuters", at: at(12)},
	})))
	dir := t.TempDir()
	ln := listen(t)
	cfgPath := writeConfigText(t, dir, fmt.Sprintf(`listen: %q
data: data/test.db
base_url: "http://ticker.test"
admin_token: %s
sources:
  - {name: wa, url: "%[3]s/wa.xml"}
  - {name: wb, url: "%[3]s/wb.xml"}
`, ln.Addr().String(), testAdminToken, srv.URL))
	fetchAll := func() []string {
		t.Helper()
		// A new daemon each time: every poll is after a restart.
		_, d := openDaemon(t, cfgPath)
		defer d.close()
		// One source at a time, so which telling is kept is fixed.
		for _, name := range []string{"wa", "wb"} {
			if r := d.fetcher.Fetch(ctx, name); r.Err != nil {
				t.Fatalf("fetch %s: %v", name, r.Err)
			}
		}
		return feedLines(t, get(t, d.feed.Load().Handler(), "/feed.json"))
	}
	merged := []string{"wa: Brazil beat Argentina in World Cup qualifier (also wb)"}
	if got := fetchAll(); !slices.Equal(got, merged) {
		t.Fatalf("before the split:\n got %q\nwant %q", got, merged)
	}
	out, _, err := runCmd(t, "split", "-config", cfgPath, "wb", "b1")
	if err != nil || !strings.Contains(out, "via "+dir) {
		t.Fatalf("split on the data file: %v\n%s", err, out)
	}
	apart := []string{
		"wa: Brazil beat Argentina in World Cup qualifier",
		"wb: UPDATE 1-Brazil beat Argentina in World Cup qualifier - Reuters",
	}
	// Restart and poll both sources (their feeds now changed etags too).
	fs.set("/wa.xml", "application/rss+xml", []byte(rss2([]story{
		{id: "a1", title: "Brazil beat Argentina in World Cup qualifier", at: at(10)},
		{id: "a2", title: "Fed cuts interest rates by a quarter point", at: at(20)},
	})))
	fs.set("/wb.xml", "application/rss+xml", []byte(rss2([]story{
		{id: "b1", title: "UPDATE 1-Brazil beat Argentina in World Cup qualifier - Reuters", at: at(12)},
		{id: "b2", title: "Fed cuts interest rates by a quarter point | AP News", at: at(21)},
	})))
	want := append(slices.Clone(apart), "wa: Fed cuts interest rates by a quarter point (also wb)")
	slices.Sort(want)
	if got := fetchAll(); !slices.Equal(got, want) {
		t.Fatalf("after the split, a restart and a poll:\n got %q\nwant %q", got, want)
	}
	if _, _, err := runCmd(t, "split", "-config", cfgPath, "wb", "nope"); err == nil || !strings.Contains(err.Error(), "no such item") {
		t.Errorf("split of an unknown item: %v", err)
	}

	// Through a running daemon.
	base := startServe(t, cfgPath, ln)
	waitReady(t, base)
	out, _, err = runCmd(t, "split", "-config", cfgPath, "wa", "a2")
	if err != nil || !strings.Contains(out, "via the daemon at "+base) {
		t.Fatalf("split beside a daemon: %v\n%s", err, out)
	}
	_, body := httpGet(t, base+"/feed.json")
	want = append(slices.Clone(apart), "wa: Fed cuts interest rates by a quarter point", "wb: Fed cuts interest rates by a quarter point | AP News")
	slices.Sort(want)
	if got := feedLines(t, []byte(body)); !slices.Equal(got, want) {
		t.Errorf("the daemon's feed after /api/split:\n got %q\nwant %q", got, want)
	}
	if _, rss := httpGet(t, base+"/feed.rss"); !strings.Contains(rss, "Quarter Point | AP News") && !strings.Contains(rss, "quarter point | AP News") {
		t.Errorf("the RSS feed does not show the split telling:\n%s", rss)
	}
	if _, _, err := runCmd(t, "split", "-config", cfgPath, "wa", "a2"); err == nil || !strings.Contains(err.Error(), "alone") {
		t.Errorf("splitting a story told alone: %v", err)
	}
}

// TestMatchCommandAndAPI asks why two headlines merge, from the command
// line and from /api/match behind the admin token.
func TestMatchCommandAndAPI(t *testing.T) {
	dir := t.TempDir()
	ln := listen(t)
	cfgPath := writeConfigText(t, dir, fmt.Sprintf(`listen: %q
data: data/test.db
admin_token: %s
dedupe: {lexicon: ["hurriya | hurriyya | horriya"]}
sources:
  - {name: wa, url: "http://127.0.0.1:1/wa.xml"}
`, ln.Addr().String(), testAdminToken))
	out, _, err := runCmd(t, "match", "-config", cfgPath, "Apple sues Samsung over patents", "Samsung sues Apple over patents")
	if err != nil || !strings.Contains(out, "rule: roles swapped around the verb") || !strings.Contains(out, "verdict: different stories") {
		t.Errorf("match of swapped roles: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, "match", "-config", cfgPath, "Hurriyya square reopens - wa", "Horriya square reopens")
	if err != nil || !strings.Contains(out, "verdict: same story") || !strings.Contains(out, "score: 1.000") {
		t.Errorf("match with the config's lexicon and a source name as outlet: %v\n%s", err, out)
	}
	if _, _, err := runCmd(t, "match", "-config", cfgPath, "only one"); err == nil {
		t.Error("match with one headline succeeded")
	}

	base := startServe(t, cfgPath, ln)
	req, _ := http.NewRequest(http.MethodPost, base+"/api/match", strings.NewReader(`{"a": "Seven killed in Gaza strike", "b": "7 killed in Gaza strike - report"}`))
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var e match.Explanation
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err := json.Unmarshal(body, &e); err != nil || resp.StatusCode != 200 || !e.Same || e.Score != 1 {
		t.Errorf("POST /api/match = %s %v: %s", resp.Status, err, body)
	}
	if code, _ := httpGet(t, base+"/api/match?a=x&b=y"); code != http.StatusUnauthorized {
		t.Errorf("GET /api/match without the token = %d, want 401", code)
	}
	req, _ = http.NewRequest(http.MethodPost, base+"/api/split", strings.NewReader(`{"source": "wa", "id": "x"}`))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("POST /api/split without the token = %s, want 401", resp.Status)
	}
}

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestOPMLRoundTrip: what /opml exports, sources_opml reads back as the
// same feeds with the same tags.
func TestOPMLRoundTrip(t *testing.T) {
	feeds := corpusFeeds(t)
	ln := listen(t)
	dir := t.TempDir()
	cfgPath := writeConfigText(t, dir, fmt.Sprintf(`listen: %q
data: data/test.db
sources:
  - {name: rss2, url: "%[2]s/rss2.xml", tags: [en, wires]}
  - {name: ar-prolog, url: "%[2]s/ar-prolog.xml", tags: [عربي]}
  - {name: json, url: "%[2]s/feed.json"}
`, ln.Addr().String(), feeds.URL))
	base := startServe(t, cfgPath, ln)
	waitReady(t, base)
	code, body := httpGet(t, base+"/opml")
	if code != 200 {
		t.Fatalf("GET /opml = %d\n%s", code, body)
	}
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "subs.opml"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(writeConfigText(t, other, "sources_opml: subs.opml\n"))
	if err != nil {
		t.Fatalf("reading /opml back: %v\n%s", err, body)
	}
	var got []string
	for _, s := range cfg.Sources {
		got = append(got, strings.TrimPrefix(s.URL, feeds.URL)+" "+strings.Join(s.Tags, ","))
	}
	if want := []string{"/rss2.xml en,wires", "/ar-prolog.xml عربي", "/feed.json "}; !slices.Equal(got, want) {
		t.Errorf("sources read back = %q, want %q\n%s", got, want, body)
	}
}

// TestVersionCommand: version, commit and toolchain, one per line. Test
// binaries carry no VCS stamp, so the commit line says so.
func TestVersionCommand(t *testing.T) {
	out, _, err := runCmd(t, "version")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "tickerd ") || !strings.HasPrefix(lines[1], "commit ") || !strings.HasPrefix(lines[2], "go") {
		t.Errorf("tickerd version =\n%s\nwant version, commit and Go lines", out)
	}
}

package feed

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tickerd/store"
)

// needTool reports why a test cannot run without an outside program: it
// skips, naming the Debian package to install, except under CI=true,
// where a missing program fails the test so CI never passes by skipping.
func needTool(t *testing.T, what, pkg string) {
	t.Helper()
	msg := what + " not found: install the Debian package " + pkg + " (apt-get install " + pkg + ")"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// writeBodies writes the identity body of every ticker in format f to
// dir and returns the file names.
func writeBodies(t *testing.T, s *Server, r *rendered, f format) []string {
	t.Helper()
	dir := t.TempDir()
	var files []string
	for i, tk := range s.tickers {
		p := filepath.Join(dir, tk.Name+"."+f.String())
		if err := os.WriteFile(p, r.bodies[i][f].plain.data, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	return files
}

// TestAtomSchema validates every Atom body against the RELAX NG schema of
// RFC 4287 with jing, and checks that jing does reject an invalid one.
func TestAtomSchema(t *testing.T) {
	jing, err := exec.LookPath("jing")
	if err != nil {
		needTool(t, "jing", "jing")
	}
	s := newTestServer(t, newFakeStore(fixtureItems(), fixtureStates()...), fixtureOptions())
	files := writeBodies(t, s, renderAll(t, s), formatAtom)

	out, err := exec.Command(jing, append([]string{"-c", "testdata/atom.rnc"}, files...)...).CombinedOutput()
	if err != nil {
		t.Errorf("jing rejects our Atom: %v\n%s", err, jingErrors(out))
	}

	// A control: the same feed without its required <updated> must fail,
	// or the check above proves nothing.
	good, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.atom")
	i := bytes.Index(good, []byte("<updated>"))
	j := bytes.Index(good, []byte("</updated>")) + len("</updated>")
	if err := os.WriteFile(bad, append(good[:i:i], good[j:]...), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(jing, "-c", "testdata/atom.rnc", bad).CombinedOutput(); err == nil {
		t.Errorf("jing accepts a feed without <updated>; is the schema right?\n%s", out)
	}
}

// jingErrors drops the Debian wrapper's classpath warnings.
func jingErrors(out []byte) string {
	var keep []string
	for _, l := range strings.Split(string(out), "\n") {
		if !strings.HasPrefix(l, "[warning]") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// feedparserScript parses each file named in argv with feedparser and
// prints what a reader would see, as JSON.
const feedparserScript = `
import feedparser, json, sys
out = []
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        d = feedparser.parse(f.read())
    out.append({
        "bozo": int(bool(d.bozo)),
        "error": str(d.get("bozo_exception", "")),
        "version": d.version,
        "language": d.feed.get("language", ""),
        "entries": [{
            "title": e.get("title", ""),
            "link": e.get("link", ""),
            "id": e.get("id", ""),
            "source": e.get("source", {}).get("title", ""),
            "tags": [t.term for t in e.get("tags", [])],
            "published": e.get("published_parsed") is not None,
        } for e in d.entries],
    })
json.dump(out, sys.stdout)
`

// python returns an interpreter that can import feedparser. Debian's
// python3-feedparser installs for /usr/bin/python3, which is not always
// the python3 first on PATH (pyenv, virtualenvs).
func python(t *testing.T) string {
	t.Helper()
	var candidates []string
	if p, err := exec.LookPath("python3"); err == nil {
		candidates = append(candidates, p)
	}
	candidates = append(candidates, "/usr/bin/python3")
	for _, p := range candidates {
		if exec.Command(p, "-c", "import feedparser").Run() == nil {
			return p
		}
	}
	needTool(t, "python3 with feedparser", "python3-feedparser")
	return ""
}

type parsedFeed struct {
	Bozo     int    `json:"bozo"`
	Error    string `json:"error"`
	Version  string `json:"version"`
	Language string `json:"language"`
	Entries  []struct {
		Title     string   `json:"title"`
		Link      string   `json:"link"`
		ID        string   `json:"id"`
		Source    string   `json:"source"`
		Tags      []string `json:"tags"`
		Published bool     `json:"published"`
	} `json:"entries"`
}

// TestFeedparser reads RSS and Atom with Python's feedparser, a real feed
// reader library: no bozo flag, and every entry as we meant it.
func TestFeedparser(t *testing.T) {
	py := python(t)
	s := newTestServer(t, newFakeStore(fixtureItems(), fixtureStates()...), fixtureOptions())
	r := renderAll(t, s)
	for _, f := range []format{formatRSS, formatAtom} {
		files := writeBodies(t, s, r, f)
		out, err := exec.Command(py, append([]string{"-c", feedparserScript}, files...)...).Output()
		if err != nil {
			t.Fatalf("feedparser on %s: %v", f, err)
		}
		var parsed []parsedFeed
		if err := json.Unmarshal(out, &parsed); err != nil {
			t.Fatalf("feedparser output: %v\n%s", err, out)
		}
		for i, p := range parsed {
			tk := &s.tickers[i]
			t.Run(tk.Name+"."+f.String(), func(t *testing.T) {
				wantVersion := map[format]string{formatRSS: "rss20", formatAtom: "atom10"}[f]
				if p.Bozo != 0 || p.Version != wantVersion {
					t.Fatalf("feedparser: bozo %d (%s), version %q; want 0 and %q", p.Bozo, p.Error, p.Version, wantVersion)
				}
				items, err := s.st.Recent(t.Context(), store.Query{Sources: tk.Sources, Limit: tk.Limit})
				if err != nil {
					t.Fatal(err)
				}
				v := s.newView(tk, items, seen, map[string]*source{})
				if p.Language != v.lang {
					t.Errorf("language = %q, want %q", p.Language, v.lang)
				}
				if len(p.Entries) != len(v.entries) {
					t.Fatalf("%d entries, want %d", len(p.Entries), len(v.entries))
				}
				for j, got := range p.Entries {
					e := &v.entries[j]
					wantID, wantLink := e.guid, e.link
					if f == formatAtom {
						wantID = e.id
						if wantLink == "" {
							wantLink = e.id // feedparser's fallback for an Atom entry without a link
						}
					}
					if got.Title != e.title || got.Link != wantLink || got.ID != wantID || got.Source != e.src.title {
						t.Errorf("entry %d = %q %q %q source %q,\n want %q %q %q source %q",
							j, got.Title, got.Link, got.ID, got.Source, e.title, wantLink, wantID, e.src.title)
					}
					if strings.Join(got.Tags, "|") != strings.Join(e.categories, "|") || !got.Published {
						t.Errorf("entry %d tags %q published %v, want %q and a date", j, got.Tags, got.Published, e.categories)
					}
				}
			})
		}
	}
}

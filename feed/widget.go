package feed

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The widget: /ticker.js defines <tickerd-ticker>; /embed/{ticker} is a
// page holding one for sites that only allow iframes; / lists every
// ticker live with the snippet that embeds it.

//go:embed web/ticker.js
var webFS embed.FS

// asset is a static file served from memory with its validators.
type asset struct {
	plain, gzip representation
	version     string // hex prefix of the content's hash, for versioned URLs
}

// newWidget reads the embedded widget script.
func newWidget() (*asset, error) {
	data, err := webFS.ReadFile("web/ticker.js")
	if err != nil {
		return nil, err
	}
	return newAsset(data)
}

func newAsset(data []byte) (*asset, error) {
	zw, err := gzip.NewWriterLevel(nil, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	plain, gz, tag, err := representations(zw, data)
	if err != nil {
		return nil, err
	}
	return &asset{plain: plain, gzip: gz, version: tag[:12]}, nil
}

const (
	// widgetMaxAge is the cache lifetime of /ticker.js without a version:
	// pages that hard-code that URL pick up a new release within it.
	widgetMaxAge = "public, max-age=300"
	// versionedMaxAge is for /ticker.js?v=VERSION, whose content never
	// changes under that URL.
	versionedMaxAge = "public, max-age=31536000, immutable"
)

// WidgetURL returns the path of the widget script with its version, the
// URL to put in pages served by this daemon: it is cached for a year.
func (s *Server) WidgetURL() string { return "/ticker.js?v=" + s.widget.version }

func (s *Server) serveWidget(w http.ResponseWriter, r *http.Request) {
	a := s.widget
	rep := &a.plain
	gz := acceptsGzip(r.Header["Accept-Encoding"])
	if gz {
		rep = &a.gzip
	}
	h := w.Header()
	// Only the version this server has may be cached for long: an old
	// page asking for another version gets this one, briefly.
	if r.URL.Query().Get("v") == a.version {
		h.Set("Cache-Control", versionedMaxAge)
	} else {
		h.Set("Cache-Control", widgetMaxAge)
	}
	h.Set("Vary", "Accept-Encoding")
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("X-Content-Type-Options", "nosniff")
	h["Etag"] = rep.hETag
	if notModified(r.Header, rep.etag, time.Time{}) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h["Content-Length"] = rep.length
	if gz {
		h.Set("Content-Encoding", "gzip")
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(rep.data)
	}
}

// widgetAttrs are the <tickerd-ticker> attributes /embed/{ticker} takes
// from its query, each with the check its value must pass.
var widgetAttrs = []struct {
	name  string
	valid func(string) bool
	want  string
}{
	{"speed", positiveNumber, "a positive number of pixels per second"},
	{"max", positiveInt, "a positive whole number"},
	{"label", func(v string) bool { return len(v) <= 100 }, "at most 100 bytes"},
	{"show-source", boolWord, "true or false"},
	{"show-time", boolWord, "true or false"},
	{"dir", func(v string) bool { return v == "ltr" || v == "rtl" || v == "auto" }, "ltr, rtl or auto"},
	{"lang", func(v string) bool { return langTag(v) == v }, "a language tag such as ar or en-GB"},
}

var numberPattern = regexp.MustCompile(`^[0-9]{1,6}(\.[0-9]{1,3})?$`)

func positiveNumber(v string) bool {
	f, err := strconv.ParseFloat(v, 64)
	return numberPattern.MatchString(v) && err == nil && f > 0
}

func positiveInt(v string) bool {
	n, err := strconv.Atoi(v)
	return err == nil && n > 0 && n <= 1000
}

func boolWord(v string) bool { return v == "true" || v == "false" || v == "" }

// embedPage is the page at /embed/{ticker}: the script from this origin,
// one element, and a style sheet whose hash the CSP names, so nothing
// inline runs.
var embedPage = template.Must(template.New("embed").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>` + embedCSS + `</style>
<script src="{{.Script}}" async></script>
</head>
<body>
<main>
<h1 class="h">{{.Title}}</h1>
<tickerd-ticker ticker="{{.Name}}" target="_top"
{{- with .A.speed}} speed="{{.}}"{{end}}
{{- with .A.max}} max="{{.}}"{{end}}
{{- with .A.label}} label="{{.}}"{{end}}
{{- with index .A "show-source"}} show-source="{{.}}"{{end}}
{{- with index .A "show-time"}} show-time="{{.}}"{{end}}
{{- with .A.dir}} dir="{{.}}"{{end}}
{{- with .A.lang}} lang="{{.}}"{{end}}></tickerd-ticker>
</main>
</body>
</html>
`))

// embedCSS fits the strip to the frame: its height (2.2em) is the frame's,
// so the site sets one iframe height and the text follows.
const embedCSS = `html,body{margin:0;padding:0;background:transparent;overflow:hidden}` +
	`html{font:calc(100vh / 2.2) sans-serif}` +
	// The page's heading names the ticker to screen readers only.
	`.h{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap;margin:0}`

// embedCSP allows this origin's script and its connections, and the page's
// one style sheet by hash. Styles inside the widget are constructed style
// sheets, which CSP does not govern. frame-ancestors is left open: being
// framed by any site is the page's purpose.
var embedCSP = pageCSP(embedCSS, "")

// pageCSP is the policy of a page of ours: this origin's script and its
// connections, and the one style sheet css by hash; extra ends it.
func pageCSP(css, extra string) string {
	sum := sha256.Sum256([]byte(css))
	return "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'sha256-" +
		base64.StdEncoding.EncodeToString(sum[:]) + "'; img-src 'none'; base-uri 'none'; form-action 'none'" + extra
}

func (s *Server) serveEmbed(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("ticker")
	t, found := s.tickerNamed(w, name)
	if !found {
		return
	}
	q := r.URL.Query()
	// Attribute names are fixed in the template: html/template would
	// refuse names it cannot vouch for.
	attrs := make(map[string]string)
	for _, a := range widgetAttrs {
		if !q.Has(a.name) {
			continue
		}
		v := q.Get(a.name)
		if !a.valid(v) {
			http.Error(w, fmt.Sprintf("bad query: %s %q: want %s", a.name, v, a.want), http.StatusBadRequest)
			return
		}
		if (a.name == "show-source" || a.name == "show-time") && v == "" {
			v = "true"
		}
		attrs[a.name] = v
	}
	tk := &s.tickers[t]
	lang := q.Get("lang")
	if lang == "" {
		lang = tk.Lang
	}
	if lang == "" {
		// A ticker of mixed languages: each headline carries its own,
		// and the page has that of the widget's controls (Pause, Play).
		lang = "en"
	}
	var buf bytes.Buffer
	err := embedPage.Execute(&buf, map[string]any{
		"Lang": lang, "Title": tk.Title, "Name": tk.Name, "Script": s.WidgetURL(), "A": attrs,
	})
	if err != nil {
		s.logger.Error("render embed page", "ticker", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", embedCSP)
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", widgetMaxAge)
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("X-Content-Type-Options", "nosniff")
	w.Write(buf.Bytes())
}

// indexPage is the page at /: every ticker live, with its snippet.
var indexPage = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tickerd</title>
<style>` + indexCSS + `</style>
<script src="{{.Script}}" async></script>
</head>
<body>
<main>
<h1>tickerd</h1>
<p>Each ticker below is live. To put one on a page, copy its snippet; for sites that only allow iframes, use its embed page.</p>
{{range .Tickers}}<section>
<h2><bdi>{{.Title}}</bdi> <small>(<bdi>{{.Name}}</bdi>)</small></h2>
<tickerd-ticker ticker="{{.Name}}" show-source show-time{{if .Label}} label="{{.Label}}"{{end}}></tickerd-ticker>
<pre tabindex="0">{{.Snippet}}</pre>
<p><a href="{{.Embed}}">embed page</a> · feeds: <a href="{{.Feed}}.rss">RSS</a> <a href="{{.Feed}}.atom">Atom</a> <a href="{{.Feed}}.json">JSON</a></p>
</section>
{{end}}</main>
</body>
</html>
`))

const indexCSS = `body{font:16px/1.5 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em}` +
	`tickerd-ticker{border:1px solid #ccc;margin:.5em 0}` +
	`pre{background:#f4f4f4;padding:.75em;overflow-x:auto;user-select:all}`

// reserveCSS is the rule a page gives <tickerd-ticker> so that its box has
// the strip's height before the script runs: the same height and font the
// widget gives its host, so nothing below it moves when it starts.
const reserveCSS = `tickerd-ticker{display:block;height:var(--tickerd-height,2.2em);font:var(--tickerd-font,inherit)}`

// The index page is not for framing.
var indexCSP = pageCSP(indexCSS, "; frame-ancestors 'none'")

func (s *Server) serveIndex(w http.ResponseWriter, r *http.Request) {
	type entry struct{ Name, Title, Label, Snippet, Embed, Feed string }
	var list []entry
	for i := range s.tickers {
		tk := &s.tickers[i]
		e := entry{Name: tk.Name, Title: tk.Title, Embed: "/embed/" + url.PathEscape(tk.Name), Feed: "/t/" + tk.Name}
		e.Snippet = fmt.Sprintf("<style>%s</style>\n<script src=\"%s/ticker.js\" async></script>\n<tickerd-ticker ticker=%q></tickerd-ticker>", reserveCSS, s.base, tk.Name)
		if strings.HasPrefix(strings.ToLower(tk.Lang), "ar") {
			e.Label = "عاجل"
		}
		list = append(list, e)
	}
	var buf bytes.Buffer
	if err := indexPage.Execute(&buf, map[string]any{"Script": s.WidgetURL(), "Tickers": list}); err != nil {
		s.logger.Error("render index page", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", indexCSP)
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	w.Write(buf.Bytes())
}

package feed

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"tickerd/internal/browsertest"
	"tickerd/store"
)

// The widget as a news site's front-end team tries it before shipping it:
// a host page with a common CSS reset, keyboard only, a daemon that
// restarts under many pages, a strict Content-Security-Policy, the
// performance timeline and an accessibility checker (axe-core, vendored
// under testdata/axe; see its README).

// streamLog records, for each page that reads through a /pN prefix, when
// its event stream requests arrived and the query they carried; while down
// it drops every connection, as a stopped daemon would.
type streamLog struct {
	mu   sync.Mutex
	reqs map[string][]streamReq // by page
	down atomic.Bool
}

type streamReq struct {
	at     time.Time
	lastID string
}

// pagePrefix is /pN, a page's own, or /slow, which answers half a second
// late as a real network might.
var pagePrefix = regexp.MustCompile(`^/(p[0-9]+|slow)(/.*)$`)

func (l *streamLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if m := pagePrefix.FindStringSubmatch(r.URL.Path); m != nil {
			r.URL.Path, r.URL.RawPath = m[2], ""
			if m[1] == "slow" {
				time.Sleep(500 * time.Millisecond)
			}
			if strings.HasPrefix(m[2], "/events/") {
				l.mu.Lock()
				if l.reqs == nil {
					l.reqs = make(map[string][]streamReq)
				}
				l.reqs[m[1]] = append(l.reqs[m[1]], streamReq{time.Now(), r.URL.Query().Get("lastEventId")})
				l.mu.Unlock()
			}
		}
		if l.down.Load() {
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		h.ServeHTTP(w, r)
	})
}

func (l *streamLog) of(p string) []streamReq {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]streamReq(nil), l.reqs[p]...)
}

// marksTitle has marks above (hamza on alef, shadda) and below (hamza
// under alef, the dots of jeem, yeh, beh): a clipped view changes its words.
const marksTitle = "إجراءات لأمن الجنوب في صيف ينبع: بيّنات جديدة"

// hostItems are enough headlines, of mixed lengths and scripts, for the
// strip to be several views long.
func hostItems() []store.Item {
	items := fixtureItems()
	at := seen.Add(-time.Hour)
	for i, title := range []string{
		marksTitle,
		"الأمم المتحدة تدعو إلى ضبط النفس بعد اشتباكات على الحدود الشمالية",
		"وزير الخارجية: المفاوضات مستمرة حتى التوصل إلى اتفاق شامل ودائم",
		"ارتفاع أسعار النفط",
	} {
		items = append(items, store.Item{Source: "aljazeera", ID: fmt.Sprintf("ar-%d", i), GUID: fmt.Sprintf("ar-%d", i),
			Link: fmt.Sprintf("https://www.aljazeera.net/news/%d", i), Title: title, Lang: "ar", Published: at.Add(time.Duration(i) * time.Minute)})
	}
	for i, title := range []string{
		"Central bank holds rates steady for a third meeting as inflation cools",
		"Storm closes ports",
		"Parliament passes the budget after an all-night session and two failed votes",
		"Local team wins the cup",
		"Researchers map the deep sea floor off the coast with autonomous drones",
	} {
		items = append(items, store.Item{Source: "wire", ID: fmt.Sprintf("en-%d", i), GUID: fmt.Sprintf("en-%d", i),
			Link: fmt.Sprintf("https://wire.example.com/%d", i), Title: title, Lang: "en", Published: at.Add(time.Duration(i) * time.Minute)})
	}
	return items
}

// resetCSS is the reset many sites start from.
const resetCSS = `*,*::before,*::after{box-sizing:border-box}body{margin:0;line-height:1;font:16px/1 sans-serif}`

func TestBrowserHost(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	browser := browsertest.Start(t)

	st := openTestStore(t)
	ingestBySource(t, st, hostItems())
	s := newTestServer(t, st, &Options{
		BaseURL: "https://news.example.org/",
		Tickers: []Ticker{
			{Name: "main", Title: "Headlines"},
			{Name: "english", Sources: []string{"wire"}, Lang: "en"},
			{Name: "arabic", Title: "عاجل", Sources: []string{"aljazeera"}, Lang: "ar"},
			// No language: Arabic headlines make it right to left, and
			// times are formatted in the browser's locale.
			{Name: "arauto", Sources: []string{"aljazeera"}},
		},
		Heartbeat: time.Second,
	})
	var log streamLog
	daemon := httptest.NewUnstartedServer(log.wrap(s.Handler()))
	daemon.Config.RegisterOnShutdown(s.CloseLive)
	daemon.Start()
	t.Cleanup(daemon.Close)
	t.Cleanup(s.CloseLive)
	script := daemon.URL + "/ticker.js"

	pages := map[string]string{
		// The host page of another origin, with a CSS reset.
		"/": `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A news site</title>
<style>` + resetCSS + reserveCSS + `</style></head><body><main><h1>A news site</h1>
<script src="` + script + `" async></script>
<tickerd-ticker id="ar" ticker="arabic" label="عاجل" show-source show-time speed="200"></tickerd-ticker>
<tickerd-ticker id="auto" ticker="main" dir="rtl" show-time speed="200"></tickerd-ticker>
<tickerd-ticker id="main" ticker="main" label="Breaking" speed="200"></tickerd-ticker>
<p>The rest of the page.</p></main></body></html>`,
		// A page far longer than the view, the strip at its top.
		"/long": `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Long</title>
<style>` + resetCSS + reserveCSS + `.spacer{height:5000px}</style></head><body><main>
<script src="` + script + `" async></script>
<tickerd-ticker id="en" ticker="english" speed="100"></tickerd-ticker>
<div class="spacer"></div><p id="end">End.</p></main></body></html>`,
		"/bare": `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Long, no widget</title>
<style>` + resetCSS + `.spacer{height:5000px}</style></head><body><main>
<div class="spacer"></div><p id="end">End.</p></main></body></html>`,
	}
	// CLS pages: the strip at the top, text below it; with and without
	// the README's rule that reserves its box (without it, whether the
	// shift is seen depends on when the first paint falls, so those only
	// log theirs). The script comes late, as over a real network.
	for name, css := range map[string]string{"/cls": resetCSS + reserveCSS, "/cls-bare": resetCSS} {
		pages[name] = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>CLS</title>
<style>` + css + `p{margin:1em}</style></head><body><main>
<script src="` + daemon.URL + `/slow/ticker.js" async></script>
<tickerd-ticker ticker="arabic" label="عاجل" show-time></tickerd-ticker>
<h1>Front page</h1>` + strings.Repeat(`<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p>`, 12) +
			`</main></body></html>`
	}
	// Reconnect pages: each reads through its own prefix.
	for i := 1; i <= 3; i++ {
		pages[fmt.Sprintf("/p%d", i)] = fmt.Sprintf(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>page %d</title></head><body>
<script src="%s" async></script>
<tickerd-ticker id="en" ticker="english" base="%s/p%d"></tickerd-ticker></body></html>`, i, script, daemon.URL, i)
	}
	// The README's iframe embed under a strict CSP, and the embed as the
	// README had it (an inline style), to show violations are seen.
	iframe := `<iframe class="tickerd" src="` + daemon.URL + `/embed/arabic?label=%D8%B9%D8%A7%D8%AC%D9%84" title="عاجل" width="100%" height="36"></iframe>`
	pages["/framed"] = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Framed</title>
<link rel="stylesheet" href="/host.css"></head><body><main><h1>Framed</h1>` + iframe + `</main></body></html>`
	pages["/framed-inline"] = strings.Replace(pages["/framed"], `width="100%" height="36"`, `style="border:0;width:100%;height:2.4em"`, 1)
	strict := "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'none'; frame-src " + daemon.URL
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/host.css" {
			w.Header().Set("Content-Type", "text/css")
			w.Write([]byte(resetCSS + "iframe.tickerd{display:block;border:0}"))
			return
		}
		html, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/framed") {
			w.Header().Set("Content-Security-Policy", strict)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(html))
	}))
	t.Cleanup(site.Close)

	var dialogs atomic.Int32
	ctx := tab(t, browser, &dialogs)
	// Times in a mixed ticker follow the browser's locale: fix it.
	if _, err := chromedp.Call(ctx, emulation.SetLocaleOverride, emulation.SetLocaleOverrideParams{Locale: "en_US"}); err != nil {
		t.Fatal(err)
	}
	navigate(t, ctx, site.URL+"/")
	for _, id := range []string{"ar", "auto", "main"} {
		waitJS(t, ctx, id+" rendered", headlinesJS(id)+".length > 0")
	}

	t.Run("a CSS reset does not clip Arabic marks", func(t *testing.T) {
		// Every character's box (the font's ascent and descent, which
		// hold its marks) must lie inside the strip's clip: the host
		// (paint containment), the container and the view.
		got := eval[map[string]any](t, ctx, fmt.Sprintf(`(() => {
			const e = document.getElementById('ar'), r = e.shadowRoot;
			const a = [...r.querySelectorAll('ul.g:first-child a')].find(a => a.textContent === %q);
			const clip = [e, r.querySelector('.w'), r.querySelector('.v')].map(n => n.getBoundingClientRect());
			const top = Math.max(...clip.map(b => b.top)), bottom = Math.min(...clip.map(b => b.bottom));
			const text = a.firstChild, out = [];
			for (let i = 0; i < text.length; i++) {
				const g = document.createRange(); g.setStart(text, i); g.setEnd(text, i + 1);
				for (const b of g.getClientRects()) if (b.height && (b.top < top - 0.5 || b.bottom > bottom + 0.5)) out.push([text.data[i], b.top, b.bottom]);
			}
			return {top, bottom, out, lineHeight: getComputedStyle(document.body).lineHeight, font: getComputedStyle(a).fontFamily};
		})()`, marksTitle))
		t.Logf("clip box %v–%v px, page line-height %v; outside: %v", got["top"], got["bottom"], got["lineHeight"], got["out"])
		if out := got["out"].([]any); len(out) > 0 {
			t.Errorf("%d characters of %q reach outside the strip's clip box %v–%v: %v", len(out), marksTitle, got["top"], got["bottom"], out)
		}
		png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("#ar")))
		if err == nil {
			path := filepath.Join(screenshotDir(t), "ticker-ar-reset.png")
			if err := os.WriteFile(path, png, 0o644); err == nil {
				t.Logf("screenshot: %s", path)
			}
		}
	})

	t.Run("times keep their own order in a right-to-left strip", func(t *testing.T) {
		got := eval[[]any](t, ctx, `(() => {
			const r = document.getElementById('auto').shadowRoot;
			return [getComputedStyle(r.querySelector('.w')).direction, ...[...r.querySelectorAll('ul.g:first-child time')].map(tm => {
				const text = tm.firstChild, at = (i) => { const g = document.createRange(); g.setStart(text, i); g.setEnd(text, i + 1); return g.getBoundingClientRect().left };
				return [tm.textContent, tm.dir, at(0) < at(text.length - 1)];
			})];
		})()`)
		if got[0] != "rtl" {
			t.Fatalf("auto: direction %v, want rtl", got[0])
		}
		if len(got) < 2 {
			t.Fatal("auto: no times shown")
		}
		checked := 0
		for _, tm := range got[1:] {
			tm := tm.([]any)
			// en_US: "11:30 AM", left to right whatever surrounds it.
			if !strings.Contains(tm[0].(string), "M") {
				continue // a headline in a right-to-left language
			}
			checked++
			if tm[2] != true {
				t.Errorf("time %q (dir %q) is not shown left to right in the right-to-left strip", tm[0], tm[1])
			}
		}
		if checked == 0 {
			t.Errorf("no time in the browser's locale (en_US) to check: %v", got)
		}
	})

	t.Run("Tab shows each focused headline whole", func(t *testing.T) {
		eval[any](t, ctx, `document.activeElement && document.activeElement.blur(), window.scrollTo(0, 0)`)
		// The deep active element, the widget it is in, whether it lies
		// wholly in the view, and its outline.
		const focusJS = `(() => {
			const h = document.activeElement;
			if (!h || !h.shadowRoot || !h.shadowRoot.activeElement) return null;
			const a = h.shadowRoot.activeElement;
			if (a.getAttribute('part') !== 'headline') return [h.id, a.textContent, true, true, 'button'];
			const v = h.shadowRoot.querySelector('.v').getBoundingClientRect(), b = a.getBoundingClientRect();
			const cs = getComputedStyle(a);
			return [h.id, a.textContent, b.left >= v.left - 0.5 && b.right <= v.right + 0.5, cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 1, [Math.round(b.left), Math.round(b.right), Math.round(v.left), Math.round(v.right)]];
		})()`
		n, whole := 0, 0
		seenTitles := map[string]bool{}
		for range 60 {
			if err := chromedp.Do(ctx, chromedp.KeyEvent("\t")); err != nil {
				t.Fatal(err)
			}
			var f []any
			deadline := time.Now().Add(3 * time.Second)
			for {
				f = eval[[]any](t, ctx, focusJS)
				if f == nil || f[2] == true || time.Now().After(deadline) {
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			if f == nil {
				if n > 0 {
					break // past the last widget
				}
				continue
			}
			if f[4] == "button" {
				continue
			}
			n++
			seenTitles[f[0].(string)+"/"+f[1].(string)] = true
			if f[2] == true {
				whole++
			} else {
				t.Errorf("%s: focused headline %q is not wholly in view: %v", f[0], f[1], f[4])
			}
			if f[3] != true {
				t.Errorf("%s: focused headline %q has no visible focus ring", f[0], f[1])
			}
		}
		t.Logf("%d focused headlines, %d wholly in view", n, whole)
		if want := len(hostItems()); len(seenTitles) < want {
			t.Errorf("Tab reached %d headlines, want at least %d", len(seenTitles), want)
		}
	})

	t.Run("leaving focus resumes from the focused headline", func(t *testing.T) {
		eval[any](t, ctx, `document.getElementById('main').shadowRoot.querySelectorAll('ul.g:first-child a')[5].focus()`)
		// As below: the pause waits for focus to settle, a timer.
		waitJS(t, ctx, "the animation paused", `document.getElementById('main').shadowRoot.querySelector('.s').getAnimations().every(a => a.playState === 'paused')`)
		if got := moves(t, ctx, "main"); got != 0 {
			t.Errorf("focused: strip moves %+d, want 0", got)
		}
		// Read once still: the paused strip first moves to show the
		// focused headline whole (reveal).
		at := eval[float64](t, ctx, shiftJS("main"))
		eval[any](t, ctx, `document.getElementById('main').shadowRoot.activeElement.blur()`)
		time.Sleep(100 * time.Millisecond)
		// 200 px/s: within a second of motion of where focus left it, not
		// back where it was before.
		if x := eval[float64](t, ctx, shiftJS("main")); math.Abs(x-at) > 200 {
			t.Errorf("after focus left, the strip is at %v, want near %v where the focused headline was", x, at)
		}
		// Focus is read once it settles (a timer), which a loaded machine
		// may run late: wait for the animation to run, then watch it.
		waitJS(t, ctx, "the animation running", `document.getElementById('main').shadowRoot.querySelector('.s').getAnimations().some(a => a.playState === 'running')`)
		if got := moves(t, ctx, "main"); got != -1 {
			t.Errorf("focus gone: strip moves %+d, want -1", got)
		}
	})

	t.Run("two headlines published together are announced one by one", func(t *testing.T) {
		eval[any](t, ctx, `(() => {
			const live = document.getElementById('ar').shadowRoot.querySelector('[aria-live]');
			window.said = [];
			new MutationObserver(() => { if (live.textContent) window.said.push([live.textContent, [...live.querySelectorAll('bdi')].map(b => b.dir + '/' + b.lang)]) })
				.observe(live, {childList: true, subtree: true, characterData: true});
		})()`)
		const one, two = "عاجل: الخبر الأول", "عاجل: الخبر الثاني"
		state := fixtureStates()[0]
		if _, err := st.Ingest(context.Background(), state, []store.Item{
			{Source: state.Name, ID: "together-1", GUID: "together-1", Link: state.Link + "together-1", Title: one, Lang: "ar", Published: seen.Add(time.Hour)},
			{Source: state.Name, ID: "together-2", GUID: "together-2", Link: state.Link + "together-2", Title: two, Lang: "ar", Published: seen.Add(time.Hour + time.Second)},
		}); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, "two announcements", `window.said.length >= 2`)
		said := eval[[][2]any](t, ctx, `window.said`)
		t.Logf("announced: %v", said)
		got := map[string]bool{}
		for _, a := range said {
			got[a[0].(string)] = true
			if iso := a[1].([]any); len(iso) != 1 || iso[0] != "auto/ar" {
				t.Errorf("announcement %q: isolation %v, want one <bdi dir=auto lang=ar>", a[0], iso)
			}
		}
		if len(said) != 2 || !got[one] || !got[two] {
			t.Errorf("announcements %v, want %q and %q, each alone", said, one, two)
		}
	})

	t.Run("many headlines at once are announced together, counted", func(t *testing.T) {
		time.Sleep(4 * time.Second) // the last announcement's turn is over
		eval[any](t, ctx, `window.said = []`)
		state := fixtureStates()[0]
		var batch []store.Item
		for i := range 5 {
			id := fmt.Sprintf("many-%d", i)
			batch = append(batch, store.Item{Source: state.Name, ID: id, GUID: id, Link: state.Link + id,
				Title: fmt.Sprintf("عاجل: خبر رقم %d", i+1), Lang: "ar", Published: seen.Add(2*time.Hour + time.Duration(i)*time.Second)})
		}
		if _, err := st.Ingest(context.Background(), state, batch); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, "two announcements", `window.said.length >= 2`)
		time.Sleep(3500 * time.Millisecond) // nothing more is said
		said := eval[[][2]any](t, ctx, `window.said`)
		t.Logf("announced: %v", said)
		// The first arrives alone and is said at once; the four queued
		// behind it are said together.
		if len(said) != 2 || said[0][0] != batch[0].Title ||
			!strings.HasPrefix(said[1][0].(string), "4 عناوين جديدة: ") || !strings.Contains(said[1][0].(string), batch[1].Title) {
			t.Errorf("announcements %v, want %q, then the other four counted", said, batch[0].Title)
		}
	})

	t.Run("off screen the strip stops and resumes where it was", func(t *testing.T) {
		long := tab(t, browser, &dialogs)
		navigate(t, long, site.URL+"/long")
		waitJS(t, long, "the headlines", headlinesJS("en")+".length > 0")
		if got := moves(t, long, "en"); got != -1 {
			t.Fatalf("on screen: strip moves %+d, want -1", got)
		}
		eval[any](t, long, `document.getElementById('end').scrollIntoView()`)
		waitJS(t, long, "the animation paused", `document.getElementById('en').shadowRoot.querySelector('.s').getAnimations().every(a => a.playState === 'paused')`)
		// The frame in flight when the pause lands may still move the strip
		// by a step (1.7 px at 100 px/s), so take the position it settles
		// at; a strip still running never settles.
		at := settledShift(t, long, "en")
		time.Sleep(time.Second)
		if x := eval[float64](t, long, shiftJS("en")); x != at {
			t.Errorf("off screen: the strip moved from %v to %v", at, x)
		}
		// A hidden page stops it too, even in view.
		eval[any](t, long, `window.scrollTo(0, 0)`)
		waitJS(t, long, "the animation running", `document.getElementById('en').shadowRoot.querySelector('.s').getAnimations().some(a => a.playState === 'running')`)
		eval[any](t, long, `Object.defineProperty(document, 'hidden', {value: true, configurable: true}), document.dispatchEvent(new Event('visibilitychange'))`)
		waitJS(t, long, "the animation paused in a hidden page", `document.getElementById('en').shadowRoot.querySelector('.s').getAnimations().every(a => a.playState === 'paused')`)
		at = eval[float64](t, long, shiftJS("en"))
		eval[any](t, long, `delete document.hidden, document.dispatchEvent(new Event('visibilitychange'))`)
		waitJS(t, long, "the animation running", `document.getElementById('en').shadowRoot.querySelector('.s').getAnimations().some(a => a.playState === 'running')`)
		// 100 px/s: it goes on from where it stopped.
		if x := eval[float64](t, long, shiftJS("en")); math.Abs(x-at) > 100 {
			t.Errorf("back on screen: the strip is at %v, want near %v where it stopped", x, at)
		}
		if got := moves(t, long, "en"); got != -1 {
			t.Errorf("back on screen: strip moves %+d, want -1", got)
		}
	})

	t.Run("no layout shift with the README's rule", func(t *testing.T) {
		for _, tc := range []struct {
			name     string
			w, h     int64
			mobile   bool
			path     string
			reserved bool
		}{
			{"desktop", 1280, 800, false, "/cls", true},
			{"phone", 390, 844, true, "/cls", true},
			{"desktop without the rule", 1280, 800, false, "/cls-bare", false},
			{"phone without the rule", 390, 844, true, "/cls-bare", false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := tab(t, browser, &dialogs)
				var opts []chromedp.EmulateViewportOption
				if tc.mobile {
					opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(3))
				}
				if err := chromedp.Do(c, chromedp.EmulateViewport(tc.w, tc.h, opts...)); err != nil {
					t.Fatal(err)
				}
				if _, err := chromedp.Call(c, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `
					window.cls = 0;
					new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.cls += e.value }).observe({type: 'layout-shift', buffered: true});`}); err != nil {
					t.Fatal(err)
				}
				navigate(t, c, site.URL+tc.path)
				waitJS(t, c, "the headlines", `(() => { const e = document.querySelector('tickerd-ticker'); return !!e.shadowRoot && e.shadowRoot.querySelectorAll('a[part=headline]').length > 0 })()`)
				time.Sleep(time.Second) // shifts are reported a frame or two later
				cls := eval[float64](t, c, `window.cls`)
				t.Logf("%s %dx%d: CLS %.4f", tc.path, tc.w, tc.h, cls)
				if tc.reserved && cls > 0.005 {
					t.Errorf("CLS %.4f with the README's rule, want at most 0.005", cls)
				}

			})
		}
	})

	t.Run("the iframe embed under a strict CSP", func(t *testing.T) {
		for _, tc := range []struct {
			path       string
			violations bool
		}{
			{"/framed", false},
			{"/framed-inline", true}, // shows that violations are seen
		} {
			c := tab(t, browser, &dialogs)
			var mu sync.Mutex
			var csp []string
			mctx, cancel := context.WithCancel(c)
			msgs := chromedp.Console(mctx)
			go func() {
				for m, err := range msgs {
					if err != nil {
						return
					}
					if strings.Contains(m.Text, "Content Security Policy") {
						mu.Lock()
						csp = append(csp, m.Text)
						mu.Unlock()
					}
				}
			}()
			navigate(t, c, site.URL+tc.path)
			time.Sleep(2 * time.Second) // the frame loads its script and headlines
			cancel()
			mu.Lock()
			seen := append([]string(nil), csp...)
			mu.Unlock()
			if tc.violations {
				if len(seen) == 0 {
					t.Errorf("%s: no violation seen for an inline style under %q: the check sees nothing", tc.path, strict)
				}
				continue
			}
			if len(seen) > 0 {
				t.Errorf("%s: CSP violations: %q", tc.path, seen)
			}
			got := eval[[]float64](t, c, `(() => { const f = document.querySelector('iframe'), cs = getComputedStyle(f); return [f.getBoundingClientRect().height, parseFloat(cs.borderTopWidth), f.getBoundingClientRect().width, document.documentElement.clientWidth] })()`)
			if got[0] != 36 || got[1] != 0 || got[2] != got[3] {
				t.Errorf("%s: the iframe is %vx%v with a %vpx border, want the page's width by 36, no border", tc.path, got[2], got[0], got[1])
			}
		}
		// In a frame as high as the README's, the strip fills it.
		c := tab(t, browser, &dialogs)
		if err := chromedp.Do(c, chromedp.EmulateViewport(600, 36)); err != nil {
			t.Fatal(err)
		}
		navigate(t, c, daemon.URL+"/embed/arabic")
		waitJS(t, c, "the embedded headlines", `(() => { const e = document.querySelector('tickerd-ticker'); return !!e.shadowRoot && e.shadowRoot.querySelectorAll('a[part=headline]').length > 0 })()`)
		got := eval[[]float64](t, c, `[document.querySelector('tickerd-ticker').getBoundingClientRect().height, document.querySelector('tickerd-ticker').shadowRoot.querySelector('.w').getBoundingClientRect().height, document.documentElement.scrollHeight, innerHeight]`)
		if math.Abs(got[0]-36) > 0.5 || math.Abs(got[1]-36) > 0.5 || got[2] > got[3] {
			t.Errorf("embed in a 36px frame: element %vpx, strip %vpx, page %vpx of %v: want the strip to fill the frame", got[0], got[1], got[2], got[3])
		}
	})

	t.Run("reconnects are spread and grow, then resume without duplicates", func(t *testing.T) {
		// Each page's Math.random gives a fixed sequence, so the waits
		// can be checked: wait k is r[k] × 1 s × 2^k.
		rs := map[string][]float64{"p1": {0.8, 0.8, 0.8, 0.8, 0.8}, "p2": {0.2, 0.2, 0.2, 0.2, 0.2, 0.2}, "p3": {0.5, 0.1, 0.9, 0.3, 0.3}}
		tabs := map[string]context.Context{}
		for _, p := range []string{"p1", "p2", "p3"} {
			c := tab(t, browser, &dialogs)
			seq := strings.Trim(strings.Join(strings.Fields(fmt.Sprint(rs[p])), ","), "[]")
			if _, err := chromedp.Call(c, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
				Source: `{ const r = [` + seq + `]; let i = 0; Math.random = () => r[Math.min(i++, r.length - 1)]; }
					{ const now = Date.now; let skew = 0; Date.now = () => now() + skew; window.skewClock = (ms) => { skew += ms }; }`}); err != nil {
				t.Fatal(err)
			}
			navigate(t, c, site.URL+"/"+p)
			waitJS(t, c, p+" headlines", headlinesJS("en")+".length > 0")
			tabs[p] = c
		}
		for p := range tabs {
			for len(log.of(p)) == 0 {
				time.Sleep(50 * time.Millisecond)
			}
		}
		heights := map[string]float64{}
		for p, c := range tabs {
			heights[p] = eval[float64](t, c, `document.getElementById('en').getBoundingClientRect().height`)
		}
		before := map[string]int{}
		for p := range tabs {
			before[p] = len(log.of(p))
		}
		const title = "Published while the daemon was stopped"
		log.down.Store(true)
		cut := time.Now()
		daemon.CloseClientConnections()
		publishHeadline(t, st, 1, "stopped", title, seen.Add(5*time.Hour))
		time.Sleep(9 * time.Second)
		for p, c := range tabs {
			if !eval[bool](t, c, `document.getElementById('en').hasAttribute('offline')`) {
				t.Errorf("%s: no offline attribute while the daemon is stopped", p)
			}
			if h := eval[float64](t, c, `document.getElementById('en').getBoundingClientRect().height`); h != heights[p] {
				t.Errorf("%s: offline, the element is %vpx high, was %vpx", p, h, heights[p])
			}
		}
		log.down.Store(false)
		for p, c := range tabs {
			waitJS(t, c, p+": the headline published while stopped", hasHeadlineJS("en", title))
			waitJS(t, c, p+": online again", `!document.getElementById('en').hasAttribute('offline')`)
			got := eval[[]string](t, c, headlinesJS("en"))
			sorted := append([]string(nil), got...)
			sort.Strings(sorted)
			for i := 1; i < len(sorted); i++ {
				if sorted[i] == sorted[i-1] {
					t.Errorf("%s: headline %q shown twice after reconnecting", p, sorted[i])
				}
			}
		}
		for p := range tabs {
			reqs := log.of(p)[before[p]:]
			last := cut
			var gaps []string
			for k, r := range reqs {
				gap := r.at.Sub(last)
				last = r.at
				gaps = append(gaps, gap.Round(time.Millisecond).String())
				if r.lastID == "" {
					t.Errorf("%s: reconnection %d without lastEventId", p, k+1)
				}
				if k >= len(rs[p]) || r.at.After(cut.Add(9*time.Second)) {
					continue // after the restart, or past the sequence
				}
				want := time.Duration(rs[p][k] * float64(time.Second) * math.Pow(2, float64(k)))
				// Lower bound exact (timers do not fire early); the upper
				// leaves a second for a failing connection on a busy machine.
				if gap < want-30*time.Millisecond || gap > want+time.Second {
					t.Errorf("%s: wait %d before reconnecting was %v, want %v (full jitter %v of 1s×2^%d)", p, k+1, gap, want, rs[p][k], k)
				}
			}
			t.Logf("%s: waits between attempts %v", p, gaps)
			if len(reqs) < 4 {
				t.Errorf("%s: %d attempts in 9s, want at least 3 and the reconnection", p, len(reqs))
			}
		}

		// A stream that stayed up resets the backoff: p1's clock is moved
		// 31 s on, so its stream has been up long enough; p2's has not,
		// and its bound is still a minute (0.2 of it: 12 s).
		eval[any](t, tabs["p1"], `window.skewClock(31000)`)
		n1, n2 := len(log.of("p1")), len(log.of("p2"))
		daemon.CloseClientConnections()
		cut = time.Now()
		time.Sleep(3 * time.Second)
		if r := log.of("p1"); len(r) == n1 {
			t.Error("p1: no reconnection within 3 s after a stream that stayed up: the backoff was not reset")
		} else if gap := r[n1].at.Sub(cut); gap > 2*time.Second {
			t.Errorf("p1: reconnected %v after a stream that stayed up, want 0.8 s (0.8 of 1 s)", gap)
		}
		if r := log.of("p2"); len(r) > n2 {
			t.Errorf("p2: reconnected %v after a stream that was up a moment, want the backoff kept (12 s)", r[n2].at.Sub(cut))
		}
	})

	t.Run("no accessibility violations (axe-core)", func(t *testing.T) {
		axe, err := os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
		if err != nil {
			t.Fatalf("read the vendored axe-core: %v", err)
		}
		for _, u := range []string{site.URL + "/", daemon.URL + "/", daemon.URL + "/embed/arabic", daemon.URL + "/embed/main", site.URL + "/framed"} {
			c := tab(t, browser, &dialogs)
			navigate(t, c, u)
			waitJS(t, c, "the headlines", `[...document.querySelectorAll('tickerd-ticker')].every(e => e.shadowRoot && e.shadowRoot.querySelectorAll('a[part=headline]').length > 0)`)
			if strings.HasSuffix(u, "/framed") {
				time.Sleep(2 * time.Second) // the frame's headlines
			}
			if _, err := chromedp.Run(c, chromedp.Evaluate[any](string(axe)+";0")); err != nil {
				t.Fatalf("load axe-core into %s: %v", u, err)
			}
			res, err := chromedp.Run(c, chromedp.Evaluate[[]map[string]any](`axe.run(document, {resultTypes: ['violations'], iframes: true}).then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)})))`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("run axe-core on %s: %v", u, err)
			}
			for _, v := range res {
				t.Errorf("%s: axe %s (%s): %s\n%v", u, v["id"], v["impact"], v["help"], v["nodes"])
			}
		}
	})

	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d alert dialogs opened", n)
	}
}

// screenshotDir is where screenshots go: a temporary folder, or
// TICKERD_SCREENSHOTS to keep them.
func screenshotDir(t *testing.T) string {
	if d := os.Getenv("TICKERD_SCREENSHOTS"); d != "" {
		return d
	}
	return t.TempDir()
}

// settledShift returns the strip's shift once two readings 200 ms apart
// agree, or the last reading after ten tries.
func settledShift(t *testing.T, ctx context.Context, id string) float64 {
	t.Helper()
	x := eval[float64](t, ctx, shiftJS(id))
	for range 10 {
		time.Sleep(200 * time.Millisecond)
		y := eval[float64](t, ctx, shiftJS(id))
		if y == x {
			break
		}
		x = y
	}
	return x
}

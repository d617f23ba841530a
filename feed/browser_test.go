package feed

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"tickerd/internal/browsertest"
	"tickerd/store"
)

// The widget is tested in a real headless Chromium (Debian's chromium
// package): one browser for the whole test binary, one tab per check.

// tab opens a tab for the test with a 900×600 viewport; alerts opened in
// it are counted in dialogs and dismissed.
func tab(t *testing.T, browser context.Context, dialogs *atomic.Int32) context.Context {
	t.Helper()
	ctx := browsertest.Tab(t, browser, 900, 600)
	events := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range events {
			if err != nil {
				return
			}
			dialogs.Add(1)
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{})
		}
	}()
	return ctx
}

func navigate(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("navigate to %s: %v", url, err)
	}
}

// eval evaluates a JavaScript expression in the tab.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// waitJS polls a JavaScript condition until it holds, for up to 20s.
func waitJS(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s (%s): %v", what, js, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Expressions about the widget with id ID in the page.
func headlinesJS(id string) string {
	return fmt.Sprintf(`[...document.getElementById(%q).shadowRoot.querySelectorAll('ul.g:first-child a[part=headline]')].map(a => a.textContent)`, id)
}

func shiftJS(id string) string {
	return fmt.Sprintf(`new DOMMatrix(getComputedStyle(document.getElementById(%q).shadowRoot.querySelector('.s')).transform).m41`, id)
}

func hasHeadlineJS(id, title string) string {
	return fmt.Sprintf(`%s.includes(%q)`, headlinesJS(id), title)
}

// moves samples the strip's horizontal shift every 250ms and returns +1
// once it has moved right three times, -1 left three times, or 0 after
// four samples in a row without a move. A sample may straddle the loop's
// wrap, and a loaded machine may skip frames, so single samples decide
// nothing.
func moves(t *testing.T, ctx context.Context, id string) int {
	t.Helper()
	xs := []float64{eval[float64](t, ctx, shiftJS(id))}
	right, left, still := 0, 0, 0
	defer func() { t.Logf("%s: strip shifts %v", id, xs) }()
	for len(xs) < 16 {
		time.Sleep(250 * time.Millisecond)
		xs = append(xs, eval[float64](t, ctx, shiftJS(id)))
		switch d := xs[len(xs)-1] - xs[len(xs)-2]; {
		case d > 0.5:
			right, still = right+1, 0
		case d < -0.5:
			left, still = left+1, 0
		default:
			still++
		}
		switch {
		case right >= 3:
			return 1
		case left >= 3:
			return -1
		case still >= 4:
			return 0
		}
	}
	t.Fatalf("%s: strip moves erratically: %v", id, xs)
	return 0
}

// xssTitle is a headline that would run script if the widget used
// innerHTML.
const xssTitle = `<img src=x onerror=alert(1)>`

// gate holds event stream requests while closed, and records the
// Last-Event-ID (header or query) each one carried.
type gate struct {
	mu          sync.Mutex
	open        chan struct{} // nil while open
	lastID      []string
	conditional int // JSON feed requests that carried If-None-Match
	paths       map[string]int
	down        atomic.Bool // drop every connection, as a dead server would
}

func (g *gate) close() {
	g.mu.Lock()
	g.open = make(chan struct{})
	g.mu.Unlock()
}

func (g *gate) release() {
	g.mu.Lock()
	close(g.open)
	g.open = nil
	g.mu.Unlock()
}

func (g *gate) ids() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.lastID...)
}

func (g *gate) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.down.Load() {
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		if strings.HasSuffix(r.URL.Path, ".json") && r.Header.Get("If-None-Match") != "" {
			g.mu.Lock()
			g.conditional++
			g.mu.Unlock()
		}
		g.mu.Lock()
		if g.paths == nil {
			g.paths = make(map[string]int)
		}
		g.paths[r.URL.Path]++
		g.mu.Unlock()
		if strings.HasPrefix(r.URL.Path, "/events") {
			g.mu.Lock()
			// The widget reconnects with a new EventSource, which names
			// its last event in the query.
			id := r.Header.Get("Last-Event-ID")
			if id == "" {
				id = r.URL.Query().Get("lastEventId")
			}
			g.lastID = append(g.lastID, id)
			wait := g.open
			g.mu.Unlock()
			if wait != nil {
				select {
				case <-wait:
				case <-r.Context().Done():
					return
				}
			}
		}
		h.ServeHTTP(w, r)
	})
}

func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	browser := browsertest.Start(t)

	st := openTestStore(t)
	items := fixtureItems()
	items = append(items, store.Item{
		Source: "wire", ID: "xss", GUID: "xss", Link: "javascript:alert(2)", Title: xssTitle,
		Lang: "en", Published: seen.Add(-time.Minute),
	})
	ingestBySource(t, st, items)
	opts := &Options{
		BaseURL: "https://news.example.org/",
		Tickers: []Ticker{
			{Name: "main", Title: "Headlines"},
			{Name: "english", Sources: []string{"wire"}, Lang: "en"},
			{Name: "arabic", Title: "عاجل", Sources: []string{"aljazeera"}, Lang: "ar"},
			// No language: its direction comes from the headlines.
			{Name: "arauto", Sources: []string{"aljazeera"}},
		},
		Heartbeat: time.Second,
	}
	s := newTestServer(t, st, opts)
	var g gate
	daemon := httptest.NewUnstartedServer(g.wrap(s.Handler()))
	daemon.Config.RegisterOnShutdown(s.CloseLive)
	daemon.Start()
	t.Cleanup(daemon.Close)
	t.Cleanup(s.CloseLive)

	// The page embedding the widget is on another origin: a second server.
	pageHTML := `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>elsewhere</title></head>
<body style="margin:0;font:16px sans-serif">
<script src="` + daemon.URL + s.WidgetURL() + `" async></script>
<tickerd-ticker id="en" ticker="english" label="Breaking" show-source show-time speed="200"></tickerd-ticker>
<tickerd-ticker id="ar" ticker="arabic" label="عاجل" show-source show-time speed="200"></tickerd-ticker>
<tickerd-ticker id="auto" ticker="arauto" speed="200"></tickerd-ticker>
<tickerd-ticker id="main" ticker="main" speed="200"></tickerd-ticker>
<tickerd-ticker id="none" ticker="nosuch"></tickerd-ticker>
</body></html>`
	// Without EventSource the widget polls; poll="1" makes it quick.
	pollHTML := `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>polling</title></head><body>
<script src="` + daemon.URL + `/ticker.js" async></script>
<tickerd-ticker id="en" ticker="english" poll="1"></tickerd-ticker>
</body></html>`
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/poll" {
			w.Write([]byte(pollHTML))
			return
		}
		w.Write([]byte(pageHTML))
	}))
	t.Cleanup(site.Close)
	if strings.Split(site.URL, ":")[2] == strings.Split(daemon.URL, ":")[2] {
		t.Fatal("page and daemon share an origin")
	}

	var dialogs atomic.Int32
	ctx := tab(t, browser, &dialogs)
	navigate(t, ctx, site.URL)

	t.Run("renders the fixture from another origin", func(t *testing.T) {
		waitJS(t, ctx, "the English headlines", hasHeadlineJS("en", `AT&T <Q3> results beat "estimates"`))
		waitJS(t, ctx, "the Arabic headlines", hasHeadlineJS("ar", "عاجل: وقف إطلاق النار يدخل حيز التنفيذ في غزة"))
		got := eval[[]string](t, ctx, headlinesJS("ar"))
		want := []string{"عاجل: وقف إطلاق النار يدخل حيز التنفيذ في غزة", "قمة G20 في الرياض: Saudi Arabia hosts leaders"}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("arabic headlines = %q, want %q", got, want)
		}
		// Each ticker loads on its own: the main one may come after the
		// other two.
		waitJS(t, ctx, "the main ticker's headlines", `document.getElementById('main').shadowRoot.querySelectorAll('ul.g:first-child a[part=headline]').length > 0`)
		if n := eval[int](t, ctx, `document.getElementById('main').shadowRoot.querySelectorAll('ul.g:first-child a[part=headline]').length`); n != len(items) {
			t.Errorf("main ticker shows %d headlines, want %d", n, len(items))
		}
		// Parts for theming, and only http(s) links.
		if !eval[bool](t, ctx, `(() => { const r = document.getElementById('en').shadowRoot;
			return !!r.querySelector('[part=source]') && !!r.querySelector('time[part=time]') &&
				[...r.querySelectorAll('a[part=headline][href]')].every(a => /^https?:/.test(a.href)) })()`) {
			t.Error("English ticker lacks source or time parts, or links a non-http URL")
		}
	})

	t.Run("script in a title stays text", func(t *testing.T) {
		waitJS(t, ctx, "the hostile headline", hasHeadlineJS("en", xssTitle))
		if eval[bool](t, ctx, `[...document.querySelectorAll('tickerd-ticker')].some(e => e.shadowRoot.querySelector('img'))`) {
			t.Error("an <img> element was created from a headline")
		}
		if eval[bool](t, ctx, `[...document.getElementById('en').shadowRoot.querySelectorAll('a')].some(a => a.getAttribute('href') && !/^https?:/.test(a.getAttribute('href')))`) {
			t.Error("a javascript: link was kept")
		}
		time.Sleep(300 * time.Millisecond) // an onerror would have fired by now
		if n := dialogs.Load(); n != 0 {
			t.Errorf("%d alert dialogs opened", n)
		}
	})

	t.Run("right to left", func(t *testing.T) {
		for _, id := range []string{"ar", "auto"} {
			waitJS(t, ctx, id+" rendered", headlinesJS(id)+".length > 0")
			if dir := eval[string](t, ctx, fmt.Sprintf(`getComputedStyle(document.getElementById(%q).shadowRoot.querySelector('.w')).direction`, id)); dir != "rtl" {
				t.Errorf("%s: computed direction %q, want rtl", id, dir)
			}
		}
		// Each headline is isolated, so mixed Arabic and Latin text keeps
		// its own order.
		if !eval[bool](t, ctx, `[...document.getElementById('ar').shadowRoot.querySelectorAll('a[part=headline]')].every(a => a.dir === 'auto' && getComputedStyle(a).unicodeBidi === 'isolate')`) {
			t.Error("ar: headlines are not isolated with dir=auto")
		}
		// Times are formatted in the ticker's language: Arabic marks the
		// morning with ص.
		if tm := eval[string](t, ctx, `document.getElementById('ar').shadowRoot.querySelector('time[part=time]').textContent`); !strings.Contains(tm, "ص") && !strings.Contains(tm, "م") {
			t.Errorf("ar: time %q is not formatted in Arabic", tm)
		}
		if dir := eval[string](t, ctx, `getComputedStyle(document.getElementById('en').shadowRoot.querySelector('.w')).direction`); dir != "ltr" {
			t.Errorf("en: computed direction %q, want ltr", dir)
		}
		// The label sits at the reading start: right in Arabic, left in English.
		if !eval[bool](t, ctx, `(() => { const r = document.getElementById('ar').shadowRoot;
			return r.querySelector('.l').getBoundingClientRect().left > r.querySelector('.v').getBoundingClientRect().left })()`) {
			t.Error("ar: the label is not mirrored to the right")
		}
		if got := moves(t, ctx, "ar"); got != 1 {
			t.Errorf("ar: strip moves %+d, want +1 (rightwards, as right-to-left readers expect)", got)
		}
		if got := moves(t, ctx, "en"); got != -1 {
			t.Errorf("en: strip moves %+d, want -1 (leftwards)", got)
		}
	})

	t.Run("screenshots", func(t *testing.T) {
		dir := t.TempDir()
		if d := os.Getenv("TICKERD_SCREENSHOTS"); d != "" {
			dir = d // to refresh docs/images
		}
		for _, id := range []string{"ar", "en"} {
			png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("#"+id)))
			if err != nil {
				t.Fatalf("screenshot %s: %v", id, err)
			}
			path := filepath.Join(dir, "ticker-"+id+".png")
			if err := os.WriteFile(path, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot of the %s ticker: %s", id, path)
		}
	})

	t.Run("pause button", func(t *testing.T) {
		eval[any](t, ctx, `document.getElementById('en').shadowRoot.querySelector('button[part=button]').click()`)
		if got := eval[string](t, ctx, `document.getElementById('en').shadowRoot.querySelector('button').getAttribute('aria-label')`); got != "Play" {
			t.Errorf("paused: button label %q, want Play", got)
		}
		time.Sleep(200 * time.Millisecond) // the compositor applies the pause a frame or two later
		if got := moves(t, ctx, "en"); got != 0 {
			t.Errorf("paused: strip moves %+d, want 0", got)
		}
		eval[any](t, ctx, `document.getElementById('en').shadowRoot.querySelector('button').click()`)
		time.Sleep(200 * time.Millisecond)
		if got := moves(t, ctx, "en"); got != -1 {
			t.Errorf("playing again: strip moves %+d, want -1", got)
		}
	})

	t.Run("keyboard reaches every headline", func(t *testing.T) {
		n := eval[int](t, ctx, `document.getElementById('ar').shadowRoot.querySelectorAll('ul.g:first-child a').length`)
		// The copy that makes the loop seamless is inert: Tab skips it.
		if !eval[bool](t, ctx, `(() => { const c = document.getElementById('ar').shadowRoot.querySelector('ul.g + ul.g'); return c.inert && c.getAttribute('aria-hidden') === 'true' })()`) {
			t.Error("the strip's copy is reachable by keyboard or screen reader")
		}
		if n < 2 || !eval[bool](t, ctx, `[...document.getElementById('ar').shadowRoot.querySelectorAll('ul.g:first-child a')].every(a => a.tabIndex >= 0)`) {
			t.Errorf("not every headline is focusable (%d headlines)", n)
		}
	})

	t.Run("new headline arrives over SSE", func(t *testing.T) {
		const title = "عاجل: خبر جديد وصل للتو"
		publishHeadline(t, st, 0, "new-1", title, seen.Add(time.Hour))
		waitJS(t, ctx, "the new headline without reload", hasHeadlineJS("ar", title))
		waitJS(t, ctx, "the new headline announced", fmt.Sprintf(`document.getElementById('ar').shadowRoot.querySelector('[aria-live=polite]').textContent === %q`, title))
		// Each announced title is isolated, so its direction cannot run
		// into the next one's.
		if !eval[bool](t, ctx, fmt.Sprintf(`(() => { const b = document.getElementById('ar').shadowRoot.querySelectorAll('[aria-live=polite] > bdi'); return b.length === 1 && b[0].textContent === %q })()`, title)) {
			t.Error("the announced title is not isolated in a bdi")
		}
	})

	t.Run("an update does not move what is in view", func(t *testing.T) {
		const title = "Arrived while the reader was looking"
		// Paused, so positions can be compared exactly.
		eval[any](t, ctx, `document.getElementById('en').shadowRoot.querySelector('button').click()`)
		defer eval[any](t, ctx, `document.getElementById('en').shadowRoot.querySelector('button').click()`)
		time.Sleep(200 * time.Millisecond)
		const inView = `(() => { const r = document.getElementById('en').shadowRoot, v = r.querySelector('.v').getBoundingClientRect();
			return [...r.querySelectorAll('ul.g a')].filter(a => { const b = a.getBoundingClientRect(); return b.right > v.left && b.left < v.right })
				.map(a => [a.textContent, a.getBoundingClientRect().left]) })()`
		before := eval[[][2]any](t, ctx, inView)
		publishHeadline(t, st, 1, "steady", title, seen.Add(time.Hour))
		waitJS(t, ctx, "the new headline", hasHeadlineJS("en", title))
		after := eval[[][2]any](t, ctx, inView)
		same := len(after) == len(before)
		for i := 0; same && i < len(after); i++ {
			// Sub-pixel differences are rounding, not a jump.
			same = after[i][0] == before[i][0] && math.Abs(after[i][1].(float64)-before[i][1].(float64)) < 0.5
		}
		if !same {
			t.Errorf("headlines in view moved when one arrived:\nbefore %v\nafter  %v", before, after)
		}
	})

	t.Run("reconnect resumes with Last-Event-ID", func(t *testing.T) {
		const title = "Missed while the connection was down"
		before := len(g.ids())
		seq := st.Seq()
		g.close()
		daemon.CloseClientConnections()
		publishHeadline(t, st, 1, "missed", title, seen.Add(time.Hour))
		deadline := time.Now().Add(20 * time.Second)
		for len(g.ids()) == before {
			if time.Now().After(deadline) {
				g.release()
				t.Fatal("the widget did not reconnect")
			}
			time.Sleep(100 * time.Millisecond)
		}
		g.release()
		waitJS(t, ctx, "the missed headline", hasHeadlineJS("en", title))
		t.Logf("event stream requests since the cut: %q", g.ids()[before:])
		for _, id := range g.ids()[before:] {
			n, err := strconv.ParseUint(id, 10, 64)
			if err != nil || n == 0 || n > seq {
				t.Errorf("reconnected with Last-Event-ID %q, want an id up to %d", id, seq)
			}
		}
	})

	t.Run("server down keeps the headlines and retries", func(t *testing.T) {
		const title = "Published while the server was down"
		before := eval[[]string](t, ctx, headlinesJS("en"))
		g.down.Store(true)
		daemon.CloseClientConnections()
		publishHeadline(t, st, 1, "down", title, seen.Add(2*time.Hour))
		time.Sleep(4 * time.Second) // a reconnection attempt or two fail
		if got := eval[[]string](t, ctx, headlinesJS("en")); strings.Join(got, "|") != strings.Join(before, "|") {
			t.Errorf("while the server is down: headlines %q, want the last ones %q", got, before)
		}
		g.down.Store(false)
		waitJS(t, ctx, "the headline published while down, once the server is back", hasHeadlineJS("en", title))
	})

	t.Run("hover pauses", func(t *testing.T) {
		mouse := func(x, y float64) {
			t.Helper()
			if _, err := chromedp.Call(ctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{
				Type: input.DispatchMouseEventTypeMouseMoved, X: x, Y: y,
			}); err != nil {
				t.Fatal(err)
			}
		}
		r := eval[[]float64](t, ctx, `(() => { const b = document.getElementById('en').getBoundingClientRect(); return [b.left + b.width / 2, b.top + b.height / 2] })()`)
		mouse(r[0], r[1])
		time.Sleep(200 * time.Millisecond)
		if got := moves(t, ctx, "en"); got != 0 {
			t.Errorf("hovered: strip moves %+d, want 0", got)
		}
		mouse(5, 590) // below every ticker
		time.Sleep(200 * time.Millisecond)
		if got := moves(t, ctx, "en"); got != -1 {
			t.Errorf("mouse gone: strip moves %+d, want -1", got)
		}
	})

	t.Run("keyboard focus pauses", func(t *testing.T) {
		eval[any](t, ctx, `document.getElementById('ar').shadowRoot.querySelector('ul.g a').focus()`)
		time.Sleep(200 * time.Millisecond)
		if got := moves(t, ctx, "ar"); got != 0 {
			t.Errorf("a focused headline: strip moves %+d, want 0", got)
		}
		eval[any](t, ctx, `document.getElementById('ar').shadowRoot.activeElement.blur()`)
		time.Sleep(200 * time.Millisecond)
		if got := moves(t, ctx, "ar"); got != 1 {
			t.Errorf("focus gone: strip moves %+d, want +1", got)
		}
	})

	t.Run("polling without EventSource", func(t *testing.T) {
		const title = "Arrived by polling"
		poll := tab(t, browser, &dialogs)
		if _, err := chromedp.Call(poll, page.AddScriptToEvaluateOnNewDocument,
			page.AddScriptToEvaluateOnNewDocumentParams{Source: "window.EventSource = undefined;"}); err != nil {
			t.Fatal(err)
		}
		navigate(t, poll, site.URL+"/poll")
		waitJS(t, poll, "polled headlines", hasHeadlineJS("en", `AT&T <Q3> results beat "estimates"`))
		publishHeadline(t, st, 1, "polled", title, seen.Add(3*time.Hour))
		waitJS(t, poll, "the polled new headline", hasHeadlineJS("en", title))
		g.mu.Lock()
		n := g.conditional
		g.mu.Unlock()
		if n == 0 {
			t.Error("the widget polled without If-None-Match")
		}
	})

	t.Run("unknown ticker renders nothing", func(t *testing.T) {
		if h := eval[float64](t, ctx, `document.getElementById('none').getBoundingClientRect().height`); h != 0 {
			t.Errorf("unknown ticker is %vpx high, want nothing shown", h)
		}
		// It asked once, learned of the 404 and gave up: no retries
		// through the outages above.
		g.mu.Lock()
		n := g.paths["/events/nosuch"]
		g.mu.Unlock()
		if n != 1 {
			t.Errorf("the unknown ticker's stream was requested %d times, want once", n)
		}
	})

	t.Run("reduced motion", func(t *testing.T) {
		still := tab(t, browser, &dialogs)
		if _, err := chromedp.Call(still, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
		}); err != nil {
			t.Fatal(err)
		}
		navigate(t, still, site.URL)
		waitJS(t, still, "the headlines", headlinesJS("ar")+".length > 0")
		for _, id := range []string{"ar", "en"} {
			if got := moves(t, still, id); got != 0 {
				t.Errorf("%s: strip moves %+d under prefers-reduced-motion, want 0", id, got)
			}
			if n := eval[int](t, still, fmt.Sprintf(`document.getElementById(%q).shadowRoot.querySelector('.s').getAnimations().length`, id)); n != 0 {
				t.Errorf("%s: %d animations under prefers-reduced-motion", id, n)
			}
		}
	})

	t.Run("embed page under its CSP", func(t *testing.T) {
		embed := tab(t, browser, &dialogs)
		navigate(t, embed, daemon.URL+"/embed/arabic?label=%D8%B9%D8%A7%D8%AC%D9%84&speed=200")
		waitJS(t, embed, "the embedded headlines", `(() => { const e = document.querySelector('tickerd-ticker'); return !!e && !!e.shadowRoot && e.shadowRoot.querySelectorAll('a[part=headline]').length > 0 })()`)
		// Styles are constructed style sheets, which the CSP allows.
		if bg := eval[string](t, embed, `getComputedStyle(document.querySelector('tickerd-ticker').shadowRoot.querySelector('.l')).backgroundColor`); bg != "rgb(204, 0, 0)" {
			t.Errorf("embed: label background %q: the widget's styles did not apply", bg)
		}
	})

	t.Run("headlines age out of max_age", func(t *testing.T) {
		// The page's clock and the server's are the machine's: the store
		// and server here run on real time, unlike the fixture's.
		aged, err := store.Open(filepath.Join(t.TempDir(), "aged.db"), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer aged.Close()
		now := time.Now()
		const stale, fresh = "Soon out of the ticker", "Still in the ticker"
		// Long enough for the page to load and show it first, even on a
		// loaded machine; the wait below allows 20 s more.
		const left = 8 * time.Second
		if _, err := aged.Ingest(context.Background(), store.SourceState{Name: "wire"}, []store.Item{
			{Source: "wire", ID: "stale", Title: stale, Link: "https://wire.example/stale", Published: now.Add(-time.Hour + left)},
			{Source: "wire", ID: "fresh", Title: fresh, Link: "https://wire.example/fresh", Published: now.Add(-time.Minute)},
		}); err != nil {
			t.Fatal(err)
		}
		as := newTestServer(t, aged, &Options{
			BaseURL: "https://news.example.org/",
			Tickers: []Ticker{{Name: "hour", MaxAge: time.Hour}},
		})
		srv := httptest.NewServer(as.Handler())
		defer srv.Close()
		defer as.CloseLive()
		page := tab(t, browser, &dialogs)
		navigate(t, page, srv.URL+"/embed/hour")
		js := func(title string) string {
			return fmt.Sprintf(`(() => { const e = document.querySelector('tickerd-ticker'); return !!e && !!e.shadowRoot &&
				[...e.shadowRoot.querySelectorAll('ul.g:first-child a[part=headline]')].map(a => a.textContent).includes(%q) })()`, title)
		}
		waitJS(t, page, "the headlines", js(fresh))
		if !eval[bool](t, page, js(stale)) {
			if time.Since(now) >= left {
				t.Skip("the page took longer to load than the headline had left; nothing to check")
			}
			t.Fatalf("%q is not shown although it has %v left", stale, left-time.Since(now))
		}
		// No reset comes: the server renders again when the headline ages
		// out, but the stream only carries changes to items.
		waitJS(t, page, "the stale headline to leave", "!"+js(stale)+" && "+js(fresh))
	})

	t.Run("a full server's page still shows the headlines", func(t *testing.T) {
		// A server whose one stream is taken refuses the page's with 503:
		// the widget shows the JSON feed instead and keeps trying.
		full := newTestServer(t, st, &Options{
			BaseURL:     "https://news.example.org/",
			Tickers:     []Ticker{{Name: "english", Sources: []string{"wire"}, Lang: "en"}},
			LiveClients: 1,
		})
		var refused atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := &statusRecorder{ResponseWriter: w}
			full.Handler().ServeHTTP(rec, r)
			if strings.HasPrefix(r.URL.Path, "/events/") && rec.status == http.StatusServiceUnavailable {
				refused.Add(1)
			}
		}))
		defer srv.Close()
		defer full.CloseLive()
		taken := openStream(t, srv.URL+"/events/english")
		defer taken.close()
		taken.next(t)
		page := tab(t, browser, &dialogs)
		navigate(t, page, srv.URL+"/embed/english")
		waitJS(t, page, "the headlines from the JSON feed", `(() => { const e = document.querySelector('tickerd-ticker');
			return !!e && !!e.shadowRoot && [...e.shadowRoot.querySelectorAll('a[part=headline]')].some(a => a.textContent === 'AT&T <Q3> results beat "estimates"') })()`)
		if refused.Load() == 0 {
			t.Error("the page's stream was not refused; the test shows nothing")
		}
	})

	t.Run("index page", func(t *testing.T) {
		index := tab(t, browser, &dialogs)
		navigate(t, index, daemon.URL+"/")
		waitJS(t, index, "every ticker live", `[...document.querySelectorAll('tickerd-ticker')].every(e => e.shadowRoot && e.shadowRoot.querySelectorAll('a[part=headline]').length > 0)`)
	})

	if n := dialogs.Load(); n != 0 {
		t.Errorf("%d alert dialogs opened during the browser tests", n)
	}
}

// publishHeadline stores title as item id of fixture source src (an index
// into fixtureStates), linked under the source's site, published at.
func publishHeadline(t *testing.T, st *store.Store, src int, id, title string, at time.Time) {
	t.Helper()
	state := fixtureStates()[src]
	if _, err := st.Ingest(context.Background(), state, []store.Item{{
		Source: state.Name, ID: id, GUID: id, Link: state.Link + id,
		Title: title, Lang: state.Lang, Published: at,
	}}); err != nil {
		t.Fatal(err)
	}
}

// statusRecorder notes the status a handler answered with, passing the
// writer's Flush on, which event streams need.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

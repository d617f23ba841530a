package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"tickerd/internal/browsertest"
)

// The desk in a real headless Chromium against a real daemon on loopback:
// an editor logs in at /desk and acts; a widget embedded on a page of
// another origin, and the feeds, follow. The browser is started as the
// widget's tests start it (internal/browsertest).

func deskTab(t *testing.T, browser context.Context, w, h int64) context.Context {
	t.Helper()
	return browsertest.Tab(t, browser, w, h)
}

func jsEval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// jsWait polls a JavaScript condition until it holds, for up to 20s, and
// returns how long it took.
func jsWait(t *testing.T, ctx context.Context, what, js string) time.Duration {
	t.Helper()
	start := time.Now()
	deadline := start.Add(20 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return time.Since(start)
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s (%s): %v", what, js, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// widgetJS lists the headlines the widget with id shows, in order.
func widgetJS(id string) string {
	return fmt.Sprintf(`(() => { const w = document.getElementById(%q); return w && w.shadowRoot ? [...w.shadowRoot.querySelectorAll('ul.g:first-child a[part~=headline]')].map(a => a.textContent) : []; })()`, id)
}

// rowJS is the console's row of a story.
func rowJS(ref string) string {
	return fmt.Sprintf(`document.querySelector('#headlines li[data-story=%q]')`, ref)
}

func clickJS(ref, do string) string {
	return fmt.Sprintf(`%s.querySelector('button[data-do=%q]').click()`, rowJS(ref), do)
}

func TestDeskInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a daemon and chromium")
	}
	browser := browsertest.Start(t)
	feeds, feedSrv := newFeedServer(t)
	lead := "Ceasefire takes effect in the north of the country"
	wire := []story{
		{id: "w1", title: lead, at: time.Now().Add(-5 * time.Minute)},
		{id: "w2", title: "Central bank holds interest rates steady", at: time.Now().Add(-10 * time.Minute)},
		{id: "w3", title: "Storm closes the coastal road for a day", at: time.Now().Add(-20 * time.Minute)},
	}
	feeds.set("/wire.xml", "application/rss+xml", []byte(rss2(wire)))
	feeds.set("/other.xml", "application/rss+xml", []byte(rss2(nil)))
	feeds.set("/ar.xml", "application/rss+xml", []byte(rss2([]story{{id: "a1", title: "وقف إطلاق النار يدخل حيز التنفيذ", at: time.Now().Add(-3 * time.Minute)}})))

	dir := t.TempDir()
	ln := listen(t)
	daemonURL := "http://" + ln.Addr().String()
	cfgPath := writeConfigText(t, dir, fmt.Sprintf(`listen: %q
data: data/desk.db
base_url: %q
schedule: "@every 1s"
admin_token: %s
sources:
  - {name: wire, url: "%[4]s/wire.xml"}
  - {name: other, url: "%[4]s/other.xml"}
  - {name: alwatan, url: "%[4]s/ar.xml", lang: ar}
tickers:
  - {name: main, title: "Headlines", sources: [wire, other]}
  - {name: arabic, title: "عاجل", sources: [alwatan], lang: ar}
`, ln.Addr().String(), daemonURL, testAdminToken, feedSrv.URL))
	base := startServe(t, cfgPath, ln)
	waitReady(t, base)
	// Ready means the first fetches were started, not that every one was
	// stored: wait for the three wire stories.
	refs, _ := deskFeed(t, base+"/feed.json")
	for deadline := time.Now().Add(20 * time.Second); len(refs) < 3 && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		refs, _ = deskFeed(t, base+"/feed.json")
	}
	if len(refs) != 3 {
		t.Fatalf("main ticker holds %v", refs)
	}
	leadRef, rateRef, stormRef := refs[0], refs[1], refs[2]

	// A news site on another origin embeds the widget.
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/snippet" {
			fmt.Fprintf(w, "<!doctype html><html><body><h1>Site</h1>%s</body></html>", r.URL.Query().Get("html"))
			return
		}
		fmt.Fprintf(w, `<!doctype html><html><body><h1>Site</h1><script src="%s/ticker.js" async></script><tickerd-ticker id="w" ticker="main" max="50"></tickerd-ticker></body></html>`, base)
	}))
	t.Cleanup(host.Close)
	site := deskTab(t, browser, 1000, 400)
	if err := chromedp.Do(site, chromedp.Navigate(host.URL+"/")); err != nil {
		t.Fatal(err)
	}
	jsWait(t, site, "the widget's headlines", widgetJS("w")+fmt.Sprintf(`.includes(%q)`, lead))

	// The editor logs in.
	desk := deskTab(t, browser, 1280, 900)
	// Anything the console's CSP blocks (an inline style, a script) is
	// recorded: the console must need nothing it forbids.
	if _, err := chromedp.Call(desk, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));`,
	}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(desk, chromedp.Navigate(base+"/desk")); err != nil {
		t.Fatal(err)
	}
	jsWait(t, desk, "the login form", `!document.getElementById('login').hidden`)
	jsEval[any](t, desk, fmt.Sprintf(`(() => {
		document.getElementById('login-token').value = %q;
		document.getElementById('login-name').value = 'Lina';
		document.querySelector('#login-form button[type=submit]').click();
	})()`, testAdminToken))
	jsWait(t, desk, "the console's headlines", rowJS(leadRef)+` !== null`)
	if got := jsEval[string](t, desk, `document.cookie`); strings.Contains(got, "tickerd_desk") {
		t.Errorf("the session cookie is readable from script: %q", got)
	}

	t.Run("hide", func(t *testing.T) {
		jsEval[any](t, desk, clickJS(leadRef, "hide"))
		took := jsWait(t, site, "the widget to drop the hidden story", `!`+widgetJS("w")+fmt.Sprintf(`.includes(%q)`, lead))
		t.Logf("the widget on another origin dropped the story %v after the click", took)
		if took > time.Second {
			t.Errorf("the widget dropped the story after %v, want within 1s", took)
		}
		if _, rss := httpGet(t, base+"/feed.rss"); strings.Contains(rss, lead) {
			t.Error("/feed.rss still lists the hidden story")
		}
		jsWait(t, desk, "the hidden list", fmt.Sprintf(`document.querySelector('#hidden li[data-story=%q]') !== null`, leadRef))

		// The wire publishes it again, changed, and another source
		// publishes a decorated near-duplicate: neither brings it back.
		wire[0].title = lead + " "
		wire[0].at = wire[0].at.Add(time.Second)
		feeds.set("/wire.xml", "application/rss+xml", []byte(rss2(wire)))
		feeds.set("/other.xml", "application/rss+xml", []byte(rss2([]story{{id: "o1", title: "BREAKING: " + lead, at: time.Now()}})))
		polled := time.Now()
		for {
			code, body := httpGet(t, base+"/api/sources")
			if code == 200 && sourcesPolledAfter(t, body, polled, "wire", "other") {
				break
			}
			if time.Since(polled) > 20*time.Second {
				t.Fatalf("sources not polled again: %s", body)
			}
			time.Sleep(100 * time.Millisecond)
		}
		time.Sleep(300 * time.Millisecond)
		if _, rss := httpGet(t, base+"/feed.rss"); strings.Contains(rss, "Ceasefire") {
			t.Errorf("a re-poll brought the hidden story back:\n%s", rss)
		}
		if got := jsEval[[]string](t, site, widgetJS("w")); strings.Contains(strings.Join(got, "|"), "Ceasefire") {
			t.Errorf("the widget shows the hidden story again: %v", got)
		}
	})

	t.Run("pin with a 2s expiry", func(t *testing.T) {
		api(t, base, `{"kind":"pin","story":"`+stormRef+`","for":"2s"}`)
		jsWait(t, site, "the pinned story first", widgetJS("w")+`[0] === "Storm closes the coastal road for a day"`)
		if _, titles := deskFeed(t, base+"/feed.json"); titles[0] != wire[2].title {
			t.Errorf("pinned: feed starts %v", titles)
		}
		jsWait(t, site, "the pin to end", widgetJS("w")+`[0] !== "Storm closes the coastal road for a day"`)
		if _, titles := deskFeed(t, base+"/feed.json"); titles[len(titles)-1] != wire[2].title {
			t.Errorf("after the pin: feed %v, want the story back in place", titles)
		}
	})

	t.Run("correct", func(t *testing.T) {
		jsEval[any](t, desk, clickJS(rateRef, "correct"))
		jsWait(t, desk, "the correction form", rowJS(rateRef)+`.querySelector('.correct-form input') !== null`)
		jsEval[any](t, desk, rowJS(rateRef)+`.querySelector('.correct-form input').value = "Central bank holds rates at 4%"`)
		// A live update re-renders the list while the editor types: the
		// form stays open with what was typed (it once vanished with
		// the row it was in).
		api(t, base, `{"kind":"breaking","story":"`+stormRef+`","for":"1s"}`)
		jsWait(t, desk, "the re-render", rowJS(stormRef)+`.querySelector('.badge.breaking') !== null`)
		if got := jsEval[string](t, desk, rowJS(rateRef)+`.querySelector('.correct-form input').value`); got != "Central bank holds rates at 4%" {
			t.Fatalf("after a re-render the correction reads %q", got)
		}
		jsEval[any](t, desk, rowJS(rateRef)+`.querySelector('.correct-form button[type=submit]').click()`)
		jsWait(t, site, "the corrected title", widgetJS("w")+`.includes("Central bank holds rates at 4%")`)
		for _, f := range []string{"/feed.rss", "/feed.atom", "/feed.json"} {
			if _, body := httpGet(t, base+f); !strings.Contains(body, "Central bank holds rates at 4%") || strings.Contains(body, "interest rates steady") {
				t.Errorf("%s lacks the correction", f)
			}
		}
		jsWait(t, desk, "the original in the console", rowJS(rateRef)+`.querySelector('.orig').textContent.includes("interest rates steady")`)
		jsWait(t, desk, "the original in the audit", `document.querySelector('#audit-table tbody').textContent.includes("Central bank holds interest rates steady")`)
	})

	t.Run("add", func(t *testing.T) {
		jsEval[any](t, desk, `(() => {
			document.getElementById('add-title').value = 'Newsroom: polls close at 8pm';
			document.querySelector('#add-form button[type=submit]').click();
		})()`)
		jsWait(t, site, "the added headline", widgetJS("w")+`.includes("Newsroom: polls close at 8pm")`)
	})

	t.Run("screenshot", func(t *testing.T) {
		dir := t.TempDir()
		if d := os.Getenv("TICKERD_SCREENSHOTS"); d != "" {
			dir = d // to refresh docs/images
		}
		api(t, base, `{"kind":"breaking","story":"`+stormRef+`"}`)
		jsWait(t, desk, "the breaking mark", rowJS(stormRef)+`.querySelector('.badge.breaking') !== null`)
		jsEval[any](t, desk, `document.getElementById('status').textContent = ''`)
		png, err := chromedp.Run(desk, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "desk-console.png"), png, 0o644)
		jsEval[any](t, desk, `document.getElementById('cfg-theme').value='dark'; document.getElementById('cfg-theme').dispatchEvent(new Event('change'))`)
		jsWait(t, desk, "the preview", `(() => { const w = document.querySelector('#cfg-preview tickerd-ticker'); return !!w && !!w.shadowRoot && w.shadowRoot.querySelectorAll('a[part~=headline]').length > 0; })()`)
		time.Sleep(300 * time.Millisecond)
		png, err = chromedp.Run(desk, chromedp.Screenshot(chromedp.CSS("#configurator")))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "desk-configurator.png"), png, 0o644)
		t.Logf("screenshots in %s", dir)
	})

	t.Run("nothing the CSP blocks", func(t *testing.T) {
		if got := jsEval[[]string](t, desk, `window.__csp`); len(got) != 0 {
			t.Errorf("the console's CSP blocked %v", got)
		}
	})

	t.Run("markup and bidi controls stay text", func(t *testing.T) {
		evil := "\u202e<img src=x onerror=\"window.pwned=1\">evil"
		api(t, base, fmt.Sprintf(`{"kind":"add","title":%q}`, evil))
		jsWait(t, desk, "the hostile headline", `document.getElementById('headlines').textContent.includes('evil')`)
		if jsEval[bool](t, desk, `window.pwned === 1 || document.querySelector('#app img') !== null`) {
			t.Error("a headline's markup ran in the console")
		}
		// Every row still reads left to right: its buttons in order,
		// its source after its title.
		if !jsEval[bool](t, desk, `[...document.querySelectorAll('#headlines li')].every(li => {
			const b = li.querySelectorAll('.acts button');
			return b.length < 2 || b[0].getBoundingClientRect().left < b[1].getBoundingClientRect().left;
		})`) {
			t.Error("a headline turned a row's buttons around")
		}
		if got := jsEval[[]string](t, site, widgetJS("w")); !strings.Contains(strings.Join(got, "|"), "<img") {
			t.Errorf("the widget does not show the markup as text: %v", got)
		}
	})

	t.Run("undo each", func(t *testing.T) {
		for {
			n := jsEval[int](t, desk, `document.querySelectorAll('button.undo').length`)
			if n == 0 {
				break
			}
			jsEval[any](t, desk, `document.querySelector('button.undo').click()`)
			jsWait(t, desk, "the undo", fmt.Sprintf(`document.querySelectorAll('button.undo').length < %d`, n))
		}
		_, titles := deskFeed(t, base+"/feed.json")
		if got := strings.Join(titles, "|"); !strings.Contains(got, "Ceasefire") || !strings.Contains(got, "interest rates steady") || strings.Contains(got, "Newsroom") || strings.Contains(got, "evil") {
			t.Errorf("after undoing everything the feed is %v", titles)
		}
		// The story is back with the other source's telling, which
		// carries a Split button naming it (issue 21).
		jsWait(t, desk, "the telling's Split button", rowJS(leadRef)+` !== null && `+rowJS(leadRef)+`.querySelector('button.split[data-item="other/o1"]') !== null`)
		jsWait(t, site, "the widget back as it was", `(() => { const h = `+widgetJS("w")+`.join('|'); return h.includes('Ceasefire') && h.includes('interest rates steady') && !h.includes('Newsroom'); })()`)
	})

	t.Run("split", func(t *testing.T) {
		// The other source's decorated telling was merged into the
		// story; the editor splits it off, and it becomes a headline of
		// its own everywhere.
		button := rowJS(leadRef) + `.querySelector('button.split[data-item="other/o1"]')`
		if jsEval[bool](t, desk, button+`.disabled`) {
			t.Fatal("the Split button is disabled on a store that can split")
		}
		jsEval[any](t, desk, button+`.click()`)
		jsWait(t, site, "the split telling as a headline", `(() => { const h = `+widgetJS("w")+`; return h.filter((t) => t.includes('Ceasefire')).length === 2; })()`)
		refs, _ := deskFeed(t, base+"/feed.json")
		if !strings.Contains(strings.Join(refs, " "), "other/o1") {
			t.Errorf("after the split the feed holds %v, want other/o1 as a story", refs)
		}
		jsWait(t, desk, "the split story in the console", rowJS("other/o1")+` !== null && `+rowJS(leadRef)+`.querySelector('button.split') === null`)
	})

	t.Run("configurator snippet", func(t *testing.T) {
		jsEval[any](t, desk, `(() => { const s = document.getElementById('cfg-speed'); s.value = '90'; s.dispatchEvent(new Event('input')); })()`)
		snippet := jsEval[string](t, desk, `document.getElementById('cfg-snippet').value`)
		if !strings.Contains(snippet, `speed="90"`) || !strings.Contains(snippet, `ticker="main"`) {
			t.Fatalf("snippet %q", snippet)
		}
		page := deskTab(t, browser, 1000, 300)
		if err := chromedp.Do(page, chromedp.Navigate(host.URL+"/snippet?html="+url.QueryEscape(snippet))); err != nil {
			t.Fatal(err)
		}
		jsWait(t, page, "the pasted widget", `document.querySelector('tickerd-ticker') && document.querySelector('tickerd-ticker').shadowRoot && document.querySelector('tickerd-ticker').shadowRoot.querySelectorAll('a[part~=headline]').length > 0`)
		got := jsEval[[]string](t, page, `[...document.querySelector('tickerd-ticker').shadowRoot.querySelectorAll('ul.g:first-child a[part~=headline]')].map(a => a.textContent)`)
		_, titles := deskFeed(t, base+"/feed.json")
		if strings.Join(got, "|") != strings.Join(titles, "|") {
			t.Errorf("the pasted snippet shows %v, the ticker %v", got, titles)
		}
	})

	t.Run("right to left and phone width", func(t *testing.T) {
		jsEval[any](t, desk, `(() => { const s = document.getElementById('ticker'); s.value = 'arabic'; s.dispatchEvent(new Event('change')); })()`)
		jsWait(t, desk, "the Arabic ticker", `document.getElementById('headlines').textContent.includes('وقف')`)
		if dir := jsEval[string](t, desk, `getComputedStyle(document.getElementById('headlines')).direction`); dir != "rtl" {
			t.Errorf("Arabic ticker's list is %s", dir)
		}
		if err := chromedp.Do(desk, chromedp.EmulateViewport(390, 844)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
		if w := jsEval[int](t, desk, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("at phone width the console is %dpx wide, want no sideways scrolling", w)
		}
	})
}

// api takes an action with the admin token, failing the test unless it
// is stored.
func api(t *testing.T, base, body string) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/api/actions", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("POST /api/actions %s: %s", body, resp.Status)
	}
}

// sourcesPolledAfter reports whether /api/sources (body) says each named
// source last succeeded after t.
func sourcesPolledAfter(t *testing.T, body string, after time.Time, names ...string) bool {
	t.Helper()
	var rep struct {
		Sources []struct {
			Name        string    `json:"name"`
			LastSuccess time.Time `json:"last_success"`
		} `json:"sources"`
	}
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range rep.Sources {
		for _, name := range names {
			if s.Name == name && s.LastSuccess.After(after) {
				n++
			}
		}
	}
	return n == len(names)
}

// Package browsertest starts Debian's headless Chromium for the tests
// that need a real browser (the widget in feed, the desk in cmd/tickerd),
// with one set of flags, so every browser test runs the same browser the
// same way. Without chromium a test skips naming the package to install;
// under CI=true it fails instead.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Chromium finds Debian's chromium, or skips t (fails it under CI=true).
func Chromium(t testing.TB) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not found: the browser tests need Debian's chromium package (apt-get install chromium)")
	}
	t.Skip("chromium not found: install Debian's chromium package (apt-get install chromium) to run the browser tests")
	return ""
}

// Start starts one headless Chromium with a fresh profile for t, stopped
// when t ends, and returns a context whose tabs (chromedp.NewContext)
// share it.
func Start(t testing.TB) context.Context {
	t.Helper()
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(Chromium(t)),
		chromedp.Flag("headless", true),
		// The tests run as root in containers, where the sandbox cannot start.
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		// Nothing may reach the internet from a test.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	// The first Run starts the browser; it lives as long as bctx.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return bctx
}

// Tab opens a tab of browser with a w×h viewport, closed when t ends.
// The tab acts as the focused one whatever other tabs do: a browser
// gives focus to one tab at a time, and in a tab without it
// element.focus() moves document.activeElement but fires no focusin, so
// a test of focus would pass or fail by which tab the browser last
// activated.
func Tab(t testing.TB, browser context.Context, w, h int64) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, h)); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatalf("open tab: emulate focus: %v", err)
	}
	return ctx
}

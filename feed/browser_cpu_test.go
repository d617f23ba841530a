package feed

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"

	"tickerd/internal/browsertest"
)

// TestMeasureOffscreenCPU measures what the widget costs a page while it
// is scrolled out of view, against the same page without it and with it
// in view: the renderer's main-thread task time and process CPU time
// (Performance.getMetrics TaskDuration, ProcessTime) and the CPU time of
// every Chromium process, over 5 s.
// It asserts nothing (timings depend on the machine); run it with
// TICKERD_MEASURE=1 and read the log.
func TestMeasureOffscreenCPU(t *testing.T) {
	if os.Getenv("TICKERD_MEASURE") == "" {
		t.Skip("a measurement, not a check: set TICKERD_MEASURE=1 to run it")
	}
	profile := t.TempDir()
	path := browsertest.Chromium(t)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path), chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true), chromedp.Flag("no-first-run", true), chromedp.UserDataDir(profile))
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	if err := chromedp.Do(browser); err != nil {
		t.Fatal(err)
	}

	st := openTestStore(t)
	ingestBySource(t, st, hostItems())
	s := newTestServer(t, st, &Options{BaseURL: "https://news.example.org/", Tickers: []Ticker{{Name: "english", Sources: []string{"wire"}, Lang: "en"}}})
	daemon := httptest.NewServer(s.Handler())
	defer daemon.Close()
	defer s.CloseLive()
	page := func(widget bool) string {
		w := ""
		if widget {
			w = `<script src="` + daemon.URL + `/ticker.js" async></script><tickerd-ticker id="en" ticker="english"></tickerd-ticker>`
		}
		return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>cpu</title></head><body style="margin:0">` + w +
			`<div style="height:5000px"></div><p id="end">End.</p></body></html>`
	}
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(page(r.URL.Path == "/widget")))
	}))
	defer site.Close()

	time.Sleep(3 * time.Second) // the browser's start-up work settles
	cases := []struct{ name, path, scroll string }{
		{"no widget", "/bare", "document.getElementById('end').scrollIntoView()"},
		{"widget off screen", "/widget", "document.getElementById('end').scrollIntoView()"},
		{"widget in view", "/widget", "window.scrollTo(0, 0)"},
	}
	// Twice round, so one busy moment of the machine shows as a
	// disagreement.
	for _, tc := range append(cases, cases...) {
		var dialogs atomic.Int32
		ctx, cancel := chromedp.NewContext(browser)
		tctx := tab(t, ctx, &dialogs)
		navigate(t, tctx, site.URL+tc.path)
		if tc.path == "/widget" {
			waitJS(t, tctx, "the headlines", headlinesJS("en")+".length > 0")
		}
		eval[any](t, tctx, tc.scroll)
		if _, err := chromedp.Call(tctx, performance.Enable, performance.EnableParams{}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second)
		// TaskDuration: the main thread's tasks; ProcessTime: the
		// renderer's CPU time, compositor thread included.
		metrics := func() (task, proc float64) {
			m, err := chromedp.Call(tctx, performance.GetMetrics, cdp.Empty{})
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range m.Metrics {
				switch x.Name {
				case "TaskDuration":
					task = x.Value
				case "ProcessTime":
					proc = x.Value
				}
			}
			return task, proc
		}
		t0, p0 := metrics()
		c0, w0 := chromiumCPU(profile), time.Now()
		time.Sleep(5 * time.Second)
		t1, p1 := metrics()
		c1, el := chromiumCPU(profile), time.Since(w0).Seconds()
		t.Logf("%-18s main thread tasks %5.2f%%, renderer process %5.2f%%, all Chromium processes %5.2f%% of a core",
			tc.name, (t1-t0)/el*100, (p1-p0)/el*100, (c1-c0)/el*100)
		cancel()
	}
}

// chromiumCPU returns the CPU seconds (user and system) used so far by the
// processes whose command line names profile: one Chromium and its helpers.
func chromiumCPU(profile string) float64 {
	total := 0.0
	procs, _ := filepath.Glob("/proc/[0-9]*")
	for _, p := range procs {
		cmd, err := os.ReadFile(p + "/cmdline")
		if err != nil || !bytes.Contains(cmd, []byte(profile)) && !childOf(p, profile) {
			continue
		}
		stat, err := os.ReadFile(p + "/stat")
		if err != nil {
			continue
		}
		// Fields after the command's closing parenthesis; utime and
		// stime are the 12th and 13th of them.
		f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		u, _ := strconv.ParseFloat(f[11], 64)
		s, _ := strconv.ParseFloat(f[12], 64)
		total += (u + s) / 100 // USER_HZ
	}
	return total
}

// childOf reports whether process dir p descends from a process whose
// command line names profile (Chromium's zygote children do not repeat it).
func childOf(p, profile string) bool {
	for range 6 {
		stat, err := os.ReadFile(p + "/stat")
		if err != nil {
			return false
		}
		f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		p = "/proc/" + f[1]
		if cmd, err := os.ReadFile(p + "/cmdline"); err == nil && bytes.Contains(cmd, []byte(profile)) {
			return true
		}
	}
	return false
}

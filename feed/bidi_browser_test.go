package feed

import (
	"bytes"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/text/encoding/charmap"

	"tickerd/internal/browsertest"
	"tickerd/match"
)

// seedArabicTitles reads the headlines of the demo's Arabic feed (the
// seed every new install shows), in windows-1256 as it ships.
func seedArabicTitles(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "demo", "arabic-1256.xml"))
	if err != nil {
		t.Fatal(err)
	}
	body, err := charmap.Windows1256.NewDecoder().Bytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, m := range regexp.MustCompile(`<title>([^<]*)</title>`).FindAllSubmatch(body, -1) {
		titles = append(titles, html.UnescapeString(string(m[1])))
	}
	if len(titles) < 5 {
		t.Fatalf("the seed feed has %d titles", len(titles))
	}
	return titles
}

// TestBidiMarksKeepDisplay renders the seed's Arabic headlines, and
// headlines that mix Arabic with Latin, numbers and neutrals held in
// place by RLM, LRM and ALM (or an isolate, or ZWNJ), in Chromium, raw and
// as match.SafeText stores them: the screenshots must be identical. The
// same headlines with the marks stripped must render differently, which
// shows the marks matter here and the comparison can fail.
func TestBidiMarksKeepDisplay(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	browser := browsertest.Start(t)
	titles := seedArabicTitles(t)
	titles = append(titles,
		"ارتفاع أسعار النفط بعد تمديد تخفيضات أوبك+\u200F (OPEC+)\u200F",
		"افتتاح معرض الكتاب الدولي بمشاركة \u061C-40 دولة",
		"قمة G20\u200F في الرياض: Saudi Arabia hosts leaders\u200F.",
		"دورة تدريبية في C++\u200F للمبتدئين",
		"قال: \u200Ehello world!\u200E وغادر",
		"وزير الصحة: \u2066WHO (2025)\u2069 ترحب بالحملة",
		"می\u200Cخواهم بدانم: ۱۲٪ رشد",
	)
	variants := map[string]func(string) string{
		"raw":  func(s string) string { return s },
		"safe": match.SafeText,
		"stripped": func(s string) string {
			return strings.NewReplacer("\u200E", "", "\u200F", "", "\u061C", "", "\u2066", "", "\u2069", "").Replace(s)
		},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := variants[r.URL.Query().Get("v")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		var b strings.Builder
		b.WriteString(`<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>bidi</title>
<style>body{margin:0;background:#fff;color:#000;font:20px/1.6 "Noto Naskh Arabic","Noto Sans",sans-serif}
#h{width:860px;padding:10px}p{margin:0;white-space:nowrap}</style></head><body><div id="h">`)
		for _, title := range titles {
			b.WriteString("<p>" + html.EscapeString(f(title)) + "</p>\n")
		}
		b.WriteString(`</div></body></html>`)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(b.String()))
	}))
	t.Cleanup(srv.Close)

	var dialogs atomic.Int32
	ctx := tab(t, browser, &dialogs)
	shots := map[string][]byte{}
	for _, v := range []string{"raw", "safe", "stripped"} {
		navigate(t, ctx, srv.URL+"/?v="+v)
		waitJS(t, ctx, "fonts loaded", `document.fonts.status === 'loaded'`)
		png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("#h")))
		if err != nil {
			t.Fatalf("screenshot %s: %v", v, err)
		}
		shots[v] = png
		path := filepath.Join(t.TempDir(), "bidi-"+v+".png")
		if err := os.WriteFile(path, png, 0o644); err == nil {
			t.Logf("screenshot of the %s headlines: %s", v, path)
		}
	}
	for _, title := range titles {
		if got := match.SafeText(title); got != title {
			t.Errorf("SafeText(%+q) = %+q, want a headline with legitimate marks unchanged", title, got)
		}
	}
	if !bytes.Equal(shots["raw"], shots["safe"]) {
		t.Error("the headlines render differently after SafeText (see the logged screenshots)")
	}
	if bytes.Equal(shots["raw"], shots["stripped"]) {
		t.Error("stripping the marks changes nothing on screen: the comparison cannot tell a sanitizer that drops them")
	}
}

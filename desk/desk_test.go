package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tickerd/store"
)

const testToken = "0123456789abcdef-desk"

func newTestDesk(t *testing.T) (*store.Store, *httptest.Server) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "tickerd.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Ingest(context.Background(), store.SourceState{Name: "a"}, []store.Item{
		{Source: "a", ID: "1", Title: "one", Published: time.Now().Add(-time.Minute)},
	}); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	New(st, &Options{AdminToken: testToken, Tickers: []Ticker{{Name: "main", Path: "/feed.json"}}}, nil).Register(mux)
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	return st, hs
}

func do(t *testing.T, c *http.Client, method, u, body string, hdr ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// loggedIn returns a client holding a console session.
func loggedIn(t *testing.T, hs *httptest.Server) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	code, body := do(t, c, "POST", hs.URL+"/api/login", `{"token":"`+testToken+`","name":"Lina"}`,
		"Content-Type", "application/json", "Origin", hs.URL)
	if code != 200 {
		t.Fatalf("login: %d %s", code, body)
	}
	u, _ := url.Parse(hs.URL)
	for _, ck := range jar.Cookies(u) {
		if ck.Name == cookieName {
			return c
		}
	}
	t.Fatal("login set no cookie")
	return nil
}

func TestWritesRefusedWithoutCredentials(t *testing.T) {
	st, hs := newTestDesk(t)
	hide := `{"kind":"hide","story":"a/1"}`
	session := loggedIn(t, hs)
	plain := &http.Client{}
	for _, tc := range []struct {
		name   string
		c      *http.Client
		path   string
		body   string
		hdr    []string
		status int
	}{
		{"no token", plain, "/api/actions", hide, []string{"Content-Type", "application/json"}, 401},
		{"wrong token", plain, "/api/actions", hide, []string{"Content-Type", "application/json", "Authorization", "Bearer wrong-token-wrong-token"}, 401},
		{"other scheme", plain, "/api/actions", hide, []string{"Content-Type", "application/json", "Authorization", "Basic " + testToken}, 401},
		{"token in query", plain, "/api/actions?token=" + testToken, hide, []string{"Content-Type", "application/json"}, 401},
		{"token in query with header", plain, "/api/actions?access_token=" + testToken, hide, []string{"Content-Type", "application/json", "Authorization", "Bearer " + testToken}, 401},
		{"cross-origin form post", session, "/api/actions", "kind=hide&story=a%2F1", []string{"Content-Type", "application/x-www-form-urlencoded", "Origin", "https://evil.example"}, 403},
		{"cross-origin json", session, "/api/actions", hide, []string{"Content-Type", "application/json", "Origin", "https://evil.example"}, 403},
		{"same-origin form post", session, "/api/actions", "kind=hide&story=a%2F1", []string{"Content-Type", "text/plain", "Origin", hs.URL}, 403},
		{"no origin", session, "/api/actions", hide, []string{"Content-Type", "application/json"}, 403},
		{"cross-site fetch", session, "/api/actions", hide, []string{"Content-Type", "application/json", "Sec-Fetch-Site", "cross-site"}, 403},
		{"cross-origin login", plain, "/api/login", `{"token":"` + testToken + `"}`, []string{"Content-Type", "application/json", "Origin", "https://evil.example"}, 403},
		{"wrong login", plain, "/api/login", `{"token":"nope"}`, []string{"Content-Type", "application/json", "Origin", hs.URL}, 401},
		{"login token in query", plain, "/api/login?token=" + testToken, `{}`, []string{"Content-Type", "application/json", "Origin", hs.URL}, 401},
		{"audit without token", plain, "/api/audit", "", nil, 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			method := "POST"
			if tc.body == "" {
				method = "GET"
			}
			code, body := do(t, tc.c, method, hs.URL+tc.path, tc.body, tc.hdr...)
			if code != tc.status {
				t.Errorf("%s %s = %d %s, want %d", method, tc.path, code, body, tc.status)
			}
			if strings.Contains(body, testToken) {
				t.Errorf("answer repeats the token: %s", body)
			}
			if h := code; h < 400 {
				return
			}
		})
	}
	if acts, _ := st.Actions(context.Background()); len(acts) != 0 {
		t.Errorf("refused requests stored actions: %+v", acts)
	}
	if audit, _ := st.Audit(context.Background(), 0, 0); len(audit) != 0 {
		t.Errorf("refused requests were audited: %+v", audit)
	}
	// No CORS on the API.
	req, _ := http.NewRequest("OPTIONS", hs.URL+"/api/actions", nil)
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Access-Control-Allow-Origin") != "" || resp.StatusCode < 400 {
		t.Errorf("preflight = %d with ACAO %q, want refused", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}
}

func TestActThroughAPI(t *testing.T) {
	st, hs := newTestDesk(t)
	bearer := []string{"Content-Type", "application/json", "Authorization", "Bearer " + testToken, "X-Tickerd-User", "cli"}
	code, body := do(t, http.DefaultClient, "POST", hs.URL+"/api/actions", `{"kind":"pin","story":"a/1","for":"1h","tickers":["main"]}`, bearer...)
	if code != 201 {
		t.Fatalf("pin: %d %s", code, body)
	}
	var a store.Action
	json.Unmarshal([]byte(body), &a)
	if a.ID != 1 || a.Who != "cli" || a.Until.IsZero() {
		t.Errorf("pin = %+v", a)
	}
	session := loggedIn(t, hs)
	code, body = do(t, session, "POST", hs.URL+"/api/actions", `{"kind":"correct","story":"a/1","title":"\u202eone <script>alert(1)</script>"}`,
		"Content-Type", "application/json", "Origin", hs.URL)
	if code != 201 {
		t.Fatalf("correct through the session: %d %s", code, body)
	}
	acts, _ := st.Actions(context.Background())
	if len(acts) != 2 || acts[1].Who != "Lina" {
		t.Fatalf("actions = %+v", acts)
	}
	// The override is closed where the title ends; the markup stays text.
	if got := acts[1].Title; got != "\u202eone <script>alert(1)</script>\u202c" {
		t.Errorf("stored title %q, want its override closed", got)
	}
	for _, tc := range []struct{ body, field string }{
		{`{"kind":"pin","story":"a/1","tickers":["nope"]}`, "tickers"},
		{`{"kind":"pin","story":"a/1","for":"soon"}`, "for"},
		{`{"kind":"hide","story":"a/1","colour":"red"}`, "colour"},
		{`{"kind":"hide","story":7}`, "story"},
		{`{"kind":"pin","story":"a/1","until":"tomorrow"}`, "until"},
		{`{"kind":"add"}`, "title"},
		{`{"kind":"hide","story":"a/404"}`, "story"},
	} {
		code, body := do(t, http.DefaultClient, "POST", hs.URL+"/api/actions", tc.body, bearer...)
		var e apiError
		json.Unmarshal([]byte(body), &e)
		if code/100 != 4 || e.Field != tc.field {
			t.Errorf("POST %s = %d %s, want 4xx naming %s", tc.body, code, body, tc.field)
		}
	}
	code, body = do(t, session, "GET", hs.URL+"/api/audit?after=1", "")
	if code != 200 || !strings.Contains(body, `"who":"Lina"`) || strings.Contains(body, `"who":"cli"`) {
		t.Errorf("audit after 1 = %d %s", code, body)
	}
	code, body = do(t, session, "GET", hs.URL+"/api/actions", "")
	if code != 200 || !strings.Contains(body, `"title":"one"`) {
		t.Errorf("actions = %d %s", code, body)
	}
}

func TestConsoleHeaders(t *testing.T) {
	_, hs := newTestDesk(t)
	for _, p := range []string{"/desk", "/desk/desk.js", "/desk/desk.css"} {
		resp, err := http.Get(hs.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		if resp.StatusCode != 200 || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("GET %s = %d, CSP %q", p, resp.StatusCode, csp)
		}
	}
	resp, _ := http.Get(hs.URL + "/desk/nothing.js")
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("unknown asset = %d", resp.StatusCode)
	}
}

func FuzzDecodeAction(f *testing.F) {
	for _, s := range []string{
		`{"kind":"hide","story":"a/1"}`,
		`{"kind":"pin","story":"a/1","for":"2s","tickers":["main"]}`,
		`{"kind":"add","title":"<img src=x onerror=alert(1)>\u202e","lang":"ar"}`,
		`{"kind":"undo","undo":1}`, `{"kind":"correct","story":"a/1","link":"javascript:x"}`, `[]`, `{"until":1}`,
	} {
		f.Add(s)
	}
	tickers := []Ticker{{Name: "main"}}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body string) {
		var in Request
		dec := json.NewDecoder(strings.NewReader(body))
		dec.DisallowUnknownFields()
		if _, err := decodeJSON(dec, &in); err != nil {
			return
		}
		a, err := ParseAction(in, tickers, now)
		if err != nil {
			if fe := (*store.FieldError)(nil); !asField(err, &fe) {
				t.Fatalf("ParseAction(%s) = %v, naming no field", body, err)
			}
			return
		}
		if a.Link != "" && !strings.HasPrefix(a.Link, "http") {
			t.Fatalf("accepted link %q", a.Link)
		}
	})
}

func asField(err error, fe **store.FieldError) bool { return errors.As(err, fe) && (*fe).Field != "" }

// noSplit is a store that cannot split stories.
type noSplit struct{ Store }

func TestSplitThroughTheDesk(t *testing.T) {
	ctx := context.Background()
	jaccard := func(a, b []string) float64 {
		in := 0
		for _, x := range a {
			if slices.Contains(b, x) {
				in++
			}
		}
		return float64(in) / float64(len(a)+len(b)-in)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "tickerd.db"), &store.Options{
		Dedupe: store.Dedupe{Window: 48 * time.Hour, Threshold: 0.7, Similarity: jaccard},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	story := func(src, id, title string) store.Item {
		words := strings.Fields(title)
		return store.Item{Source: src, ID: id, Title: title, Link: "https://" + src + ".example/" + id, Published: time.Now().Add(-time.Minute),
			Story: &store.Story{Title: title, Link: "https://" + src + ".example/" + id, Tokens: words, Keys: words}}
	}
	for _, it := range []store.Item{story("a", "1", "ceasefire takes effect in the north"), story("b", "x1", "ceasefire takes effect in the north"), story("b", "lone", "storm closes the road")} {
		if _, err := st.Ingest(ctx, store.SourceState{Name: it.Source}, []store.Item{it}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name  string
		st    Store
		split bool
	}{{"cannot", noSplit{st}, false}, {"can", st, true}} {
		t.Run(tc.name, func(t *testing.T) {
			mux := http.NewServeMux()
			New(tc.st, &Options{AdminToken: testToken, Tickers: []Ticker{{Name: "main"}}}, nil).Register(mux)
			hs := httptest.NewServer(mux)
			t.Cleanup(hs.Close)
			session := loggedIn(t, hs)
			json := []string{"Content-Type", "application/json", "Origin", hs.URL}
			if _, body := do(t, session, "GET", hs.URL+"/api/desk", ""); !strings.Contains(body, fmt.Sprintf(`"split":%v`, tc.split)) {
				t.Errorf("desk info %s, want split %v", body, tc.split)
			}
			if !tc.split {
				if code, body := do(t, session, "POST", hs.URL+"/api/desk/split", `{"item":"b/x1"}`, json...); code != 501 {
					t.Errorf("split on a store that cannot: %d %s, want 501", code, body)
				}
				return
			}
			if code, _ := do(t, http.DefaultClient, "POST", hs.URL+"/api/desk/split", `{"item":"b/x1"}`, "Content-Type", "application/json"); code != 401 {
				t.Errorf("split without credentials = %d", code)
			}
			if code, _ := do(t, session, "POST", hs.URL+"/api/desk/split", `{"item":"b/x1"}`, "Content-Type", "application/json", "Origin", "https://evil.example"); code != 403 {
				t.Errorf("cross-origin split = %d", code)
			}
			if items, _ := st.Recent(ctx, store.Query{}); len(items) != 2 {
				t.Fatalf("before the split the store holds %d stories, want 2", len(items))
			}
			code, body := do(t, session, "POST", hs.URL+"/api/desk/split", `{"item":"b/x1"}`, json...)
			if code != 200 || !strings.Contains(body, `"story":"b/x1"`) {
				t.Errorf("split = %d %s", code, body)
			}
			if items, _ := st.Recent(ctx, store.Query{}); len(items) != 3 {
				t.Errorf("after the split the store holds %d stories, want 3", len(items))
			}
			for _, c := range []struct {
				body string
				code int
			}{{`{"item":"b/lone"}`, 409}, {`{"item":"b/none"}`, 404}, {`{"item":"nothing"}`, 400}} {
				if code, body := do(t, session, "POST", hs.URL+"/api/desk/split", c.body, json...); code != c.code || !strings.Contains(body, `"field":"item"`) {
					t.Errorf("split %s = %d %s, want %d naming item", c.body, code, body, c.code)
				}
			}
		})
	}
}

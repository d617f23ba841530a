package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary bytes to Parse. Whatever the input, Parse
// returns either a config that holds its documented bounds or an Errors
// whose every entry names the file and says what is wrong, never both,
// never neither, and never a panic. Seeds: the repository's config.yaml,
// testdata/fuzz/FuzzParse, and one snippet per section below.
func FuzzParse(f *testing.F) {
	if data, err := os.ReadFile(filepath.Join("..", "config.yaml")); err == nil {
		f.Add(data)
	}
	for _, s := range []string{
		"sources:\n  - name: a\n    url: http://a.example/\n",
		"sources:\n  - {name: a, url: feeds/a.xml, tags: [x, y], lang: ar, schedule: '@every 10m'}\n" +
			"tickers:\n  - {name: t, sources: [a], tags: [x], include: [gaza, '!sport'], exclude_regex: '(?i)live', limit: 20, order: interleave, title_format: '[{source}] {title}'}\n",
		"listen: 127.0.0.1:0\ndata: /var/lib/tickerd/x.db\nbase_url: https://news.example.com/t\nschedule: '*/5 * * * *'\n" +
			"fetch: {concurrency: 4, per_host: 1, timeout: 20s, max_body: 5MiB, max_items: 50, max_backoff: 2h, block_private: true, user_agent: x}\n" +
			"retention: {max_age: 240h, max_items_per_source: 10}\ndedupe: {window: 24h, similarity: 0.9}\nadmin_token: 0123456789abcdef0123\n" +
			"sources: [{name: a, url: 'https://a.example/rss'}]\n",
		"a: &x [*x]\n",
		"sources: &s [{name: a, url: 'http://a/', tags: *s}]\n",
		"x: &a [a,a,a,a,a,a,a,a,a]\ny: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nsources: [{name: a, url: 'http://a/', tags: *b}]\n",
		"sources:\n  - name: a\n    name: a\n",
		"fetch: {max_body: 1.5e400GiB, timeout: -1s, concurrency: 99999999999999999999}\n",
		"\xef\xbb\xbfsources: [{name: \"\xff\", url: \"http://\xfe/\"}]\n",
		"sources:\n\t- tab\n",
		"{",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse(data, "f.yaml", "/etc/tickerd", nil)
		if (cfg == nil) == (err == nil) {
			t.Fatalf("Parse returned cfg=%v err=%v: want exactly one", cfg != nil, err)
		}
		if err != nil {
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("Parse error %T %v: want a non-empty Errors", err, err)
			}
			for _, e := range errs {
				// An error may name the file sources_opml points at
				// (always made absolute) instead of the config.
				if (e.File != "f.yaml" && !filepath.IsAbs(e.File)) || e.Msg == "" || e.Line < 0 {
					t.Errorf("error %+v: want the file, a line and a message", e)
				}
			}
			if !utf8.ValidString(err.Error()) {
				t.Errorf("error %q is not valid UTF-8", err)
			}
			return
		}
		checkBounds(t, cfg)
	})
}

// checkBounds fails t if cfg breaks a bound the README promises for a
// config Parse accepted.
func checkBounds(t *testing.T, cfg *Config) {
	t.Helper()
	fe := cfg.Fetch
	switch {
	case fe.Concurrency < 1 || fe.PerHost < 1 || fe.MaxItems < 1:
		t.Errorf("fetch %+v: concurrency, per_host and max_items must be at least 1", fe)
	case fe.Timeout < time.Second || fe.MaxBackoff < time.Minute || fe.MaxBody < 1024:
		t.Errorf("fetch %+v: timeout, max_backoff or max_body below its floor", fe)
	case strings.ContainsAny(fe.UserAgent, "\r\n"):
		t.Errorf("user_agent %q spans lines", fe.UserAgent)
	case cfg.Dedupe.Similarity < 0 || cfg.Dedupe.Similarity > 1:
		t.Errorf("similarity %g out of 0..1", cfg.Dedupe.Similarity)
	case cfg.Listen == "" || cfg.Data == "" || cfg.Schedule == "":
		t.Errorf("listen %q, data %q, schedule %q: none may be empty", cfg.Listen, cfg.Data, cfg.Schedule)
	}
	if _, err := parseHTTPURL(cfg.BaseURL); err != nil {
		t.Errorf("base_url %q accepted: %v", cfg.BaseURL, err)
	}
	if len(cfg.Sources) == 0 || len(cfg.Tickers) == 0 {
		t.Fatalf("%d sources, %d tickers: want at least one of each", len(cfg.Sources), len(cfg.Tickers))
	}
	sources := map[string]bool{}
	for _, s := range cfg.Sources {
		if !sourceNames.re.MatchString(s.Name) || sources[s.Name] {
			t.Errorf("source name %q accepted: malformed or repeated", s.Name)
		}
		sources[s.Name] = true
		if _, err := parseHTTPURL(s.URL); err != nil && !strings.HasPrefix(s.URL, "file://") {
			t.Errorf("source %s url %q accepted: %v", s.Name, s.URL, err)
		}
	}
	tickers := map[string]bool{}
	for _, tk := range cfg.Tickers {
		if !tickerNames.re.MatchString(tk.Name) || tickers[tk.Name] {
			t.Errorf("ticker name %q accepted: malformed or repeated", tk.Name)
		}
		tickers[tk.Name] = true
		if tk.Limit < 1 || tk.Limit > MaxTickerLimit || tk.MaxPerSource < 0 || tk.MaxAge < 0 {
			t.Errorf("ticker %s: limit %d, max_per_source %d, max_age %s out of bounds", tk.Name, tk.Limit, tk.MaxPerSource, tk.MaxAge)
		}
		for _, s := range tk.Sources {
			if !sources[s] {
				t.Errorf("ticker %s names unknown source %q", tk.Name, s)
			}
		}
		if tk.Order != "" && tk.Order != OrderNewest && tk.Order != OrderInterleave {
			t.Errorf("ticker %s order %q accepted", tk.Name, tk.Order)
		}
	}
}

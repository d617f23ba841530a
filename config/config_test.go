package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// checkSchedule stands in for fetcher.CheckSchedule: config only has to
// report what the hook says, at the right place.
func checkSchedule(spec string) error {
	if strings.Contains(spec, "bad") {
		return errors.New("not a schedule")
	}
	return nil
}

// checkKeyword stands in for match.ParseKeyword.
func checkKeyword(k string) error {
	if strings.Trim(k, "!") == "" {
		return errors.New("keyword has no letters or digits")
	}
	return nil
}

func parse(t *testing.T, text string) (*Config, error) {
	t.Helper()
	return Parse([]byte(text), "config.yaml", "/etc/tickerd", &LoadOptions{CheckSchedule: checkSchedule, CheckKeyword: checkKeyword})
}

func TestDefaults(t *testing.T) {
	cfg, err := parse(t, "sources:\n  - name: demo\n    url: demo/headlines.xml\n")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Listen != ":8080" || cfg.BaseURL != "http://localhost:8080" || cfg.Schedule != "@every 5m" {
		t.Errorf("top-level defaults = %q %q %q", cfg.Listen, cfg.BaseURL, cfg.Schedule)
	}
	if cfg.Data != "/etc/tickerd/data/tickerd.db" {
		t.Errorf("Data = %q, want it next to the config", cfg.Data)
	}
	want := Fetch{Concurrency: 16, PerHost: 2, Timeout: 30 * time.Second, MaxBody: 10 << 20, MaxItems: 200, MaxBackoff: 6 * time.Hour, IntervalMin: time.Minute, IntervalMax: 2 * time.Hour}
	if cfg.Fetch != want {
		t.Errorf("Fetch = %+v, want %+v", cfg.Fetch, want)
	}
	if cfg.Dedupe.Window != 48*time.Hour || cfg.Dedupe.Similarity != 0.8 {
		t.Errorf("Dedupe = %+v", cfg.Dedupe)
	}
	if cfg.Retention.MaxAge != 720*time.Hour || cfg.Retention.MaxItemsPerSource != 1000 {
		t.Errorf("Retention = %+v", cfg.Retention)
	}
	if want := (Events{MaxStreams: 5000, Heartbeat: 20 * time.Second, MaxPerClient: 100, MaxAge: 30 * time.Minute}); cfg.Events != want {
		t.Errorf("Events = %+v, want %+v", cfg.Events, want)
	}
	if got := cfg.Sources[0].URL; got != "file:///etc/tickerd/demo/headlines.xml" {
		t.Errorf("relative source URL = %q, want it resolved against the config folder", got)
	}
	if len(cfg.Tickers) != 1 || cfg.Tickers[0].Name != "main" || cfg.Tickers[0].Limit != 50 || cfg.SourceNames(&cfg.Tickers[0]) != nil {
		t.Errorf("default ticker = %+v", cfg.Tickers)
	}
}

func TestFullFile(t *testing.T) {
	cfg, err := parse(t, `
listen: "127.0.0.1:9000"
data: /var/lib/tickerd/t.db
base_url: "https://news.example.com/"
schedule: "CRON_TZ=Asia/Riyadh */10 * * * *"
fetch:
  concurrency: 4
  per_host: 1
  timeout: 10s
  max_body: 512KB
  max_items: 50
  max_backoff: 2h
  block_private: true
  user_agent: "mybot/1"
retention: {max_age: 24h, max_items_per_source: 10, every: 1m, drop_removed: true}
dedupe: {window: 12h, similarity: 0}
events: {max_streams: 20000, heartbeat: 45s, max_per_client: 8, max_age: 10m}
trusted_proxies: ["10.0.0.1", "192.168.0.0/16", "::1"]
sources:
  - name: wire-ar
    url: https://ar.example.com/rss?member=7
    private_params: [member]
    schedule: "@every 1m"
    tags: [ar, wires]
    lang: ar
  - name: wire-en
    url: http://en.example.com/atom
    tags: [wires]
  - name: local
    url: file:///srv/feed.xml
tickers:
  - name: main
    title: عاجل
    tags: [wires]
    exclude: [sport]
    include: [غزة, "security council"]
    include_regex: "(?i)^breaking"
    exclude_regex: "\\bvideo\\b"
    lang: ar
    max_age: 6h
    max_per_source: 3
    order: interleave
    title_format: "[{source_title}] {title}"
    limit: 20
  - name: arabic
    sources: [wire-ar]
`)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.BaseURL != "https://news.example.com" || cfg.Data != "/var/lib/tickerd/t.db" {
		t.Errorf("BaseURL, Data = %q, %q", cfg.BaseURL, cfg.Data)
	}
	if cfg.Fetch.MaxBody != 512000 || cfg.Fetch.Timeout != 10*time.Second || cfg.Fetch.UserAgent != "mybot/1" ||
		cfg.Fetch.MaxItems != 50 || cfg.Fetch.MaxBackoff != 2*time.Hour || !cfg.Fetch.BlockPrivate {
		t.Errorf("Fetch = %+v", cfg.Fetch)
	}
	if cfg.Dedupe.Similarity != 0 || cfg.Retention.MaxItemsPerSource != 10 || cfg.Retention.Every != time.Minute || !cfg.Retention.DropRemoved {
		t.Errorf("Dedupe, Retention = %+v, %+v", cfg.Dedupe, cfg.Retention)
	}
	if want := (Events{MaxStreams: 20000, Heartbeat: 45 * time.Second, MaxPerClient: 8, MaxAge: 10 * time.Minute}); cfg.Events != want {
		t.Errorf("Events = %+v, want %+v", cfg.Events, want)
	}
	if got := fmt.Sprint(cfg.TrustedProxies); got != "[10.0.0.1/32 192.168.0.0/16 ::1/128]" {
		t.Errorf("TrustedProxies = %s", got)
	}
	if got := fmt.Sprint(cfg.Sources[0].PrivateParams); got != "[member]" {
		t.Errorf("sources[0].PrivateParams = %s", got)
	}
	if got := fmt.Sprint(cfg.SourceNames(&cfg.Tickers[0])); got != "[wire-ar wire-en]" {
		t.Errorf("ticker main sources = %s", got)
	}
	if got := fmt.Sprint(cfg.SourceNames(&cfg.Tickers[1])); got != "[wire-ar]" {
		t.Errorf("ticker arabic sources = %s", got)
	}
	main := cfg.Tickers[0]
	if fmt.Sprint(main.Include) != "[غزة security council]" || main.IncludeRegex != "(?i)^breaking" || main.ExcludeRegex != `\bvideo\b` ||
		main.Lang != "ar" || main.MaxAge != 6*time.Hour || main.MaxPerSource != 3 || main.Order != OrderInterleave ||
		main.TitleFormat != "[{source_title}] {title}" || main.Limit != 20 {
		t.Errorf("ticker main = %+v", main)
	}
	if cfg.Tickers[1].Title != "arabic" || cfg.Tickers[1].Limit != 50 || cfg.Tickers[1].Order != OrderNewest || cfg.Tickers[1].MaxAge != 0 {
		t.Errorf("ticker defaults = %+v", cfg.Tickers[1])
	}
}

func TestErrors(t *testing.T) {
	const ok = "sources:\n  - name: a\n    url: http://a.example/\n"
	tests := []struct {
		name string
		text string
		want []string // each must appear in the error text
	}{
		{"unknown top key", "lisen: x\n" + ok, []string{"config.yaml:1: lisen: unknown key"}},
		{"unknown nested key", "fetch:\n  timout: 3s\n" + ok, []string{"config.yaml:2: fetch.timout: unknown key"}},
		{"bad duration", "fetch:\n  timeout: 30\n" + ok, []string{`config.yaml:2: fetch.timeout: "30" is not a duration`}},
		{"negative duration", "fetch:\n  timeout: -3s\n" + ok, []string{"fetch.timeout: -3s is too short"}},
		{"bad size", "fetch:\n  max_body: 10 parsecs\n" + ok, []string{`config.yaml:2: fetch.max_body: "10 parsecs" has an unknown unit`}},
		{"bad int", "fetch:\n  concurrency: many\n" + ok, []string{`fetch.concurrency: "many" is not a whole number`}},
		{"zero concurrency", "fetch:\n  concurrency: 0\n" + ok, []string{"fetch.concurrency: 0 is out of range"}},
		{"bad block_private", "fetch:\n  block_private: yes\n" + ok, []string{`config.yaml:2: fetch.block_private: "yes" is not true or false`}},
		{"zero max_items", "fetch:\n  max_items: 0\n" + ok, []string{"config.yaml:2: fetch.max_items: 0 is out of range"}},
		{"short max_backoff", "fetch:\n  max_backoff: 10s\n" + ok, []string{"config.yaml:2: fetch.max_backoff: 10s is too short (at least 1m0s)"}},
		{"similarity range", "dedupe:\n  similarity: 1.5\n" + ok, []string{"config.yaml:2: dedupe.similarity: 1.5 is out of range"}},
		{"zero max_streams", "events:\n  max_streams: 0\n" + ok, []string{"config.yaml:2: events.max_streams: 0 is out of range"}},
		{"long heartbeat", "events:\n  heartbeat: 10m\n" + ok, []string{"config.yaml:2: events.heartbeat: 10m0s is longer than 5m"}},
		{"short heartbeat", "events:\n  heartbeat: 10ms\n" + ok, []string{"config.yaml:2: events.heartbeat: 10ms is too short"}},
		{"unknown events key", "events:\n  max_clients: 10\n" + ok, []string{"config.yaml:2: events.max_clients: unknown key"}},
		{"interval bounds crossed", "fetch:\n  interval_min: 10m\n  interval_max: 5m\n" + ok, []string{"fetch.interval_max: 5m0s is shorter than interval_min 10m0s"}},
		{"source interval bounds crossed", "sources:\n  - name: a\n    url: http://a.example/\n    interval_min: 1h\n    interval_max: 1m\n",
			[]string{"sources[0].interval_max: 1m0s is shorter than interval_min 1h0m0s"}},
		{"callback not http", "websub:\n  callback_base: ftp://x.example/cb\n" + ok, []string{"config.yaml:2: websub.callback_base:", "must be an http or https URL"}},
		{"callback without path", "websub:\n  callback_base: https://x.example/\n" + ok, []string{"websub.callback_base:", "needs a path of its own"}},
		{"hub not a URL", "websub:\n  hub: myself\n" + ok, []string{"config.yaml:2: websub.hub:", `or "self"`}},
		{"unknown websub key", "websub:\n  secret: x\n" + ok, []string{"config.yaml:2: websub.secret: unknown key"}},
		{"short lease", "websub:\n  lease: 5m\n" + ok, []string{"websub.lease: 5m is too short"}},
		{"short stream max_age", "events:\n  max_age: 5s\n" + ok, []string{"config.yaml:2: events.max_age: 5s is too short"}},
		{"zero max_per_client", "events:\n  max_per_client: 0\n" + ok, []string{"config.yaml:2: events.max_per_client: 0 is out of range"}},
		{"bad trusted proxy", "trusted_proxies: [10.0.0.1, nginx]\n" + ok, []string{`config.yaml:1: trusted_proxies[1]: "nginx" is not an IP address or CIDR prefix`}},
		{"private_params not a list", "sources:\n  - name: a\n    url: http://a.example/\n    private_params: member\n", []string{"config.yaml:4: sources[0].private_params: want a list"}},
		{"duplicate source url", ok + "  - name: b\n    url: HTTP://A.example:80/\n", []string{`config.yaml:5: sources[1].url: duplicate source URL "HTTP://A.example:80/" (the same feed as the source on line 3)`}},
		{"duplicate source url, empty path", ok + "  - name: b\n    url: http://a.example\n", []string{`config.yaml:5: sources[1].url: duplicate source URL`, "line 3"}},
		{"duplicate file source", "sources:\n  - name: a\n    url: demo/h.xml\n  - name: b\n    url: ./demo/../demo/h.xml\n", []string{`config.yaml:5: sources[1].url: duplicate source URL`, "line 3"}},
		{"duplicate url hides password", "sources:\n  - name: a\n    url: http://u:secret1@a.example/f\n  - name: b\n    url: http://u:secret1@a.example/f#x\n", []string{`config.yaml:5: sources[1].url: duplicate source URL "http://u:xxxxx@a.example/f#x"`}},
		{"bad schedule", "schedule: bad\n" + ok, []string{`config.yaml:1: schedule: "bad": not a schedule`}},
		{"source schedule", "sources:\n  - name: a\n    url: http://a.example/\n    schedule: bad\n", []string{"config.yaml:4: sources[0].schedule"}},
		{"ftp url", "sources:\n  - name: a\n    url: ftp://a.example/f\n", []string{`config.yaml:3: sources[0].url: unsupported scheme "ftp"`}},
		{"no host", "sources:\n  - name: a\n    url: http:///feed\n", []string{"sources[0].url:", "has no host"}},
		{"missing url", "sources:\n  - name: a\n", []string{"config.yaml:2: sources[0].url: missing"}},
		{"missing name", "sources:\n  - url: http://a.example/\n", []string{"config.yaml:2: sources[0].name: missing"}},
		{"bad name", "sources:\n  - name: a b\n    url: http://a.example/\n", []string{`sources[0].name: "a b" is not a valid name`}},
		{"duplicate source", ok + "  - name: a\n    url: http://b.example/\n", []string{`config.yaml:4: sources[1].name: duplicate source name "a" (first used on line 2)`}},
		{"no sources", "listen: \":1\"\n", []string{"sources: no sources"}},
		{"sources not a list", "sources: yes\n", []string{"config.yaml:1: sources: want a list"}},
		{"bad lang", "sources:\n  - name: a\n    url: http://a.example/\n    lang: not a language\n", []string{"config.yaml:4: sources[0].lang"}},
		{"store not postgres", "store: mysql://db/x\n" + ok, []string{"config.yaml:1: store: want a postgres:// URL"}},
		{"store with password", "store: postgres://u:hunter2@db/x\n" + ok, []string{"config.yaml:1: store: the URL holds a password"}},
		{"store with password param", "store: postgres://u@db/x?password=hunter2\n" + ok, []string{"config.yaml:1: store: the URL holds a password"}},
		{"bad base_url", "base_url: localhost:8080\n" + ok, []string{"config.yaml:1: base_url:"}},
		{"duplicate key", "listen: a\nlisten: b\n" + ok, []string{"config.yaml:2: listen: duplicate key (first on line 1)"}},
		{"syntax", "sources: [\n", []string{"config.yaml:", "invalid YAML"}},
		{"empty", "", []string{"config.yaml: the file is empty"}},
		{"ticker unknown source", ok + "tickers:\n  - name: t\n    sources: [zz]\n", []string{`config.yaml:6: tickers[0].sources[0]: unknown source "zz"`}},
		{"ticker unknown source on its line", ok + "tickers:\n  - name: t\n    sources:\n      - a\n      - zz\n", []string{`config.yaml:8: tickers[0].sources[1]: unknown source "zz"`}},
		{"ticker bad include_regex", ok + "tickers:\n  - name: t\n    include_regex: \"(gaza\"\n", []string{`config.yaml:6: tickers[0].include_regex: "(gaza" does not compile: missing closing )`}},
		{"ticker bad exclude_regex", ok + "tickers:\n  - name: t\n    exclude_regex: \"a**\"\n", []string{`config.yaml:6: tickers[0].exclude_regex: "a**" does not compile`}},
		{"ticker backreference is not RE2", ok + "tickers:\n  - name: t\n    include_regex: '(a)\\1'\n", []string{`config.yaml:6: tickers[0].include_regex:`}},
		{"ticker empty keyword", ok + "tickers:\n  - name: t\n    include: [gaza, \"!!\"]\n", []string{`config.yaml:6: tickers[0].include[1]: "!!": keyword has no letters`}},
		{"ticker order", ok + "tickers:\n  - name: t\n    order: random\n", []string{`config.yaml:6: tickers[0].order: "random" is not an order`}},
		{"ticker max_age", ok + "tickers:\n  - name: t\n    max_age: 10s\n", []string{`config.yaml:6: tickers[0].max_age: 10s is too short`}},
		{"ticker max_per_source", ok + "tickers:\n  - name: t\n    max_per_source: 0\n", []string{`config.yaml:6: tickers[0].max_per_source: 0 is out of range`}},
		{"ticker lang", ok + "tickers:\n  - name: t\n    lang: arabic language\n", []string{`config.yaml:6: tickers[0].lang:`}},
		{"ticker title_format placeholder", ok + "tickers:\n  - name: t\n    title_format: \"{site}: {title}\"\n", []string{`config.yaml:6: tickers[0].title_format: unknown placeholder {site}`}},
		{"ticker title_format without title", ok + "tickers:\n  - name: t\n    title_format: \"[{source}]\"\n", []string{`config.yaml:6: tickers[0].title_format: "[{source}]" has no {title}`}},
		{"ticker unknown tag", ok + "tickers:\n  - name: t\n    tags: [zz]\n", []string{`config.yaml:6: tickers[0].tags[0]: no source has the tag "zz"`}},
		{"ticker duplicate", ok + "tickers:\n  - name: t\n  - name: t\n", []string{`config.yaml:6: tickers[1].name: duplicate ticker name "t"`}},
		{"ticker bad name", ok + "tickers:\n  - name: \"a/b\"\n", []string{`tickers[0].name: "a/b" is not a valid name`}},
		{"ticker name with dot", ok + "tickers:\n  - name: a.b\n", []string{`tickers[0].name: "a.b" is not a valid name`}},
		{"ticker limit", ok + "tickers:\n  - name: t\n    limit: 0\n", []string{"tickers[0].limit: 0 is out of range"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parse(t, tt.text)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded, want an error", tt.text)
			}
			if cfg != nil {
				t.Errorf("Parse returned a Config with its error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Parse(%q) error =\n%v\nwant it to contain %q", tt.text, err, w)
				}
			}
		})
	}
}

func TestEveryProblemAtOnce(t *testing.T) {
	_, err := parse(t, `listen: ""
fetch:
  timeout: soon
  max_body: huge
sources:
  - name: a
    url: gopher://x
  - name: a
    url: http://b.example/
    colour: red
`)
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("error %v is not Errors", err)
	}
	var lines []int
	for _, e := range errs {
		lines = append(lines, e.Line)
	}
	if got, want := fmt.Sprint(lines), "[1 3 4 7 8 10]"; got != want {
		t.Errorf("error lines = %s, want %s; errors:\n%v", got, want, err)
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"10MiB", 10 << 20, true},
		{"10MB", 10_000_000, true},
		{"512KiB", 512 << 10, true},
		{"1.5GiB", 3 << 29, true},
		{"4096", 4096, true},
		{"2 mib", 2 << 20, true},
		{"1", 0, false},
		{"-5MiB", 0, false},
		{"10XB", 0, false},
		{"", 0, false},
		{"99999999TB", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseSize(tt.in)
		if (err == nil) != tt.ok || got != tt.want && tt.ok {
			t.Errorf("ParseSize(%q) = %d, %v; want %d, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// TestRepoConfig keeps the shipped config.yaml valid.
func TestRepoConfig(t *testing.T) {
	cfg, err := Load(filepath.Join("..", "config.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range cfg.Sources {
		if strings.HasPrefix(s.URL, "file://") {
			if _, err := os.Stat(strings.TrimPrefix(s.URL, "file://")); err != nil {
				t.Errorf("demo source %s: %v", s.Name, err)
			}
		}
	}
}

func TestStoreKey(t *testing.T) {
	const ok = "sources:\n  - name: a\n    url: http://a.example/\n"
	cfg, err := parse(t, "store: postgres://tickerd@db.internal/tickerd?sslmode=require\n"+ok)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Store != "postgres://tickerd@db.internal/tickerd?sslmode=require" {
		t.Errorf("Store = %q", cfg.Store)
	}
	if _, err := parse(t, "store: postgres://u:hunter2@db/x\n"+ok); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error for a URL with a password = %v; want one that does not repeat it", err)
	}
}

func TestFreshnessKeys(t *testing.T) {
	cfg, err := parse(t, `
schedule: "@adaptive"
fetch:
  interval_min: 2m
  interval_max: 3h
websub:
  callback_base: "https://news.example.com/websub/"
  lease: 48h
  hub: self
  max_subscribers: 10
  push_rate: 5
sources:
  - {name: a, url: "http://a.example/", interval_min: 30s, interval_max: 10m}
`)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Fetch.IntervalMin != 2*time.Minute || cfg.Fetch.IntervalMax != 3*time.Hour {
		t.Errorf("fetch intervals = %s, %s", cfg.Fetch.IntervalMin, cfg.Fetch.IntervalMax)
	}
	if s := cfg.Sources[0]; s.IntervalMin != 30*time.Second || s.IntervalMax != 10*time.Minute {
		t.Errorf("source intervals = %s, %s", s.IntervalMin, s.IntervalMax)
	}
	want := WebSub{CallbackBase: "https://news.example.com/websub", Lease: 48 * time.Hour, Hub: "self", MaxSubscribers: 10, PushRate: 5}
	if cfg.WebSub != want {
		t.Errorf("WebSub = %+v, want %+v", cfg.WebSub, want)
	}
}

package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestSmoke runs every figure at a tiny size. It checks that the harness
// runs and prints its table, never how fast anything was: figures on a
// shared machine are noise, and at this size they mean nothing.
func TestSmoke(t *testing.T) {
	if _, err := exec.LookPath("wrk"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("wrk not found: install the Debian package wrk")
		}
		t.Log("wrk not found (Debian package wrk): figure 4 is skipped")
	}
	var out, errs bytes.Buffer
	args := []string{"-quick", "-feeds", "10", "-sources", "40", "-stored", "1500", "-clients", "5",
		"-duration", "1s", "-dir", t.TempDir()}
	if err := run(context.Background(), args, &out, &errs); err != nil {
		t.Fatalf("run(%q): %v\nstdout:\n%s\nstderr:\n%s", args, err, &out, &errs)
	}
	for _, fig := range []string{"2 ", "2e ", "2b ", "2c ", "2d ", "3a ", "3b ", "4a ", "4b ", "4c ", "5a ", "5b ", "5c ", "6 ", "7 ", "8a ", "8b ", "8c ", "8d ", "9a ", "9b ", "9c ", "9d "} {
		if !strings.Contains(out.String(), "\n"+fig) {
			t.Errorf("table has no row for figure %s:\n%s", fig, &out)
		}
	}
	t.Logf("\n%s", &out)
}

func TestFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"bad figure", []string{"-only", "10"}, `-only: "10" is not a figure`},
		{"zero sources", []string{"-sources", "0"}, "-sources 0: must be at least 1"},
		{"argument", []string{"extra"}, `unexpected argument "extra"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			err := run(context.Background(), tc.args, &out, &errs)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("run(%q) = %v, want an error containing %q", tc.args, err, tc.want)
			}
		})
	}
}

func TestParseWrk(t *testing.T) {
	out := []byte(`Running 1s test @ http://127.0.0.1:1/feed.rss
  2 threads and 64 connections
  Latency Distribution
     50%    2.73ms
     75%    3.10ms
     90%    4.00ms
     99%   86.16ms
  18175 requests in 1.00s, 180.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:  18175.42
Transfer/sec:    180.00MB
`)
	res, err := parseWrk(out)
	if err != nil {
		t.Fatal(err)
	}
	if res.rps != 18175.42 || res.p50 != "2.73ms" || res.p99 != "86.16ms" || res.errors != 10 {
		t.Errorf("parseWrk = %+v, want 18175.42 req/s, p50 2.73ms, p99 86.16ms, 10 errors", res)
	}
	if _, err := parseWrk([]byte("unable to connect")); err == nil {
		t.Error("parseWrk of output without Requests/sec: no error")
	}
}

// TestMain lets the test binary serve as the harness's corpus server
// process, as the tickerbench binary does.
func TestMain(m *testing.M) {
	if spec := os.Getenv(corpusEnv); spec != "" {
		os.Exit(serveCorpusMain(spec, os.Stdin, os.Stdout))
	}
	os.Exit(m.Run())
}

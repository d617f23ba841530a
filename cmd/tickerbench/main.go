// Command tickerbench measures tickerd against ceilings taken in the same
// run: it generates a corpus of news feeds (Arabic and English, RSS in
// UTF-8 and windows-1256, Atom, JSON Feed), serves it from a loopback HTTP
// server with ETags, drives tickerd's own packages (fetcher, store, feed)
// against it, and prints one row per figure: what was measured, the
// ceiling, their ratio, the target and whether it holds.
//
// Every figure is a ratio because the machines it runs on are shared and
// noisy: absolute times are not comparable from run to run, ratios taken
// seconds apart are.
//
// Usage:
//
//	go run ./cmd/tickerbench            # defaults: a few minutes on 2 cores
//	go run ./cmd/tickerbench -quick     # seconds; the CI smoke run
//	go run ./cmd/tickerbench -stored 100000 -only 5,6
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	tcfg "tickerd/config"
)

func main() {
	if spec := os.Getenv(corpusEnv); spec != "" {
		os.Exit(serveCorpusMain(spec, os.Stdin, os.Stdout))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "tickerbench:", err)
		}
		os.Exit(1)
	}
}

// config is the harness's sizes and switches.
type config struct {
	feeds    int           // feeds ingested for figure 2 (and the distinct bodies served)
	sources  int           // sources polled in figures 3 and 6
	items    int           // items per feed
	stored   int           // items stored for figures 5 and 6
	duration time.Duration // each wrk run
	clients  int           // SSE clients for figure 7
	conc     int           // fetches in flight (fetcher and bare client alike)
	dir      string        // where data files go
	only     []int         // figures to run; empty means all
	pg       string        // an empty PostgreSQL database for figure 9; "" starts a throwaway cluster
	corpus   string        // "vocab" (Zipf vocabulary) or "names"
	fig2CPU  time.Duration // CPU of figure 2's full path, for row 2d's ratio
	fig2Took time.Duration // wall time of figure 2's full path, for row 2e
	progress io.Writer
}

func (c *config) want(fig int) bool { return len(c.only) == 0 || slices.Contains(c.only, fig) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tickerbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	fs.IntVar(&c.feeds, "feeds", 1000, "feeds ingested in figure 2; also the number of distinct bodies served")
	fs.IntVar(&c.sources, "sources", 10000, "sources polled per cycle in figures 3 and 6")
	fs.IntVar(&c.items, "items", 50, "items per feed")
	fs.IntVar(&c.stored, "stored", 1000000, "items stored for figures 5 and 6 (lower it for quick runs)")
	fs.DurationVar(&c.duration, "duration", 5*time.Second, "length of each wrk run in figure 4")
	fs.IntVar(&c.clients, "clients", 1000, "SSE clients in figure 7")
	fs.IntVar(&c.conc, "concurrency", tcfg.DefaultConcurrency, "fetches in flight, for the fetcher and the bare client alike")
	fs.StringVar(&c.corpus, "corpus", "vocab", "headlines of the corpus: vocab (drawn from a Zipf-distributed news vocabulary) or names (unique generated names)")
	quick := fs.Bool("quick", false, "tiny sizes that finish in seconds (a smoke run; the figures mean little)")
	only := fs.String("only", "", "comma-separated figures to run, e.g. 2,3 (default all)")
	fs.StringVar(&c.pg, "pg", "", "an empty PostgreSQL database (postgres:// URL) for figure 9; default a throwaway cluster of the Debian server binaries")
	fs.StringVar(&c.dir, "dir", "", "folder for data files (default a temporary one, removed after)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	memProfile := fs.String("memprofile", "", "write a heap profile at the end to this file")
	verbose := fs.Bool("v", false, "report progress on stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *quick {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		for name, v := range map[string]string{"feeds": "20", "sources": "200", "stored": "5000",
			"duration": "1s", "clients": "20", "items": "20"} {
			if !set[name] {
				fs.Set(name, v)
			}
		}
	}
	for _, s := range strings.Split(*only, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 2 || n > 9 {
			return fmt.Errorf("-only: %q is not a figure from 2 to 9", s)
		}
		c.only = append(c.only, n)
	}
	for name, v := range map[string]int{"feeds": c.feeds, "sources": c.sources, "items": c.items,
		"stored": c.stored, "clients": c.clients, "concurrency": c.conc} {
		if v < 1 {
			return fmt.Errorf("-%s %d: must be at least 1", name, v)
		}
	}
	if c.corpus != "vocab" && c.corpus != "names" {
		return fmt.Errorf("-corpus %q: want vocab or names", c.corpus)
	}
	if c.duration <= 0 {
		return fmt.Errorf("-duration %s: must be positive", c.duration)
	}
	c.progress = io.Discard
	if *verbose {
		c.progress = stderr
	}
	if c.dir == "" {
		dir, err := os.MkdirTemp("", "tickerbench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		c.dir = dir
	}

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}

	rows, err := runAll(ctx, &c)
	printTable(stdout, rows, &c)
	if *memProfile != "" {
		f, ferr := os.Create(*memProfile)
		if ferr != nil {
			return ferr
		}
		defer f.Close()
		runtime.GC()
		if ferr := pprof.WriteHeapProfile(f); ferr != nil {
			return ferr
		}
	}
	return err
}

func (c *config) logf(format string, args ...any) {
	fmt.Fprintf(c.progress, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

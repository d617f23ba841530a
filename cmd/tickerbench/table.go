package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

// verdict is a row's outcome against its target.
type verdict int

const (
	verdictInfo verdict = iota // reported, no target
	verdictPass
	verdictFail
	verdictSkip // not measured; the note says why
)

func (v verdict) String() string {
	return [...]string{"info", "PASS", "FAIL", "skip"}[v]
}

// row is one line of the table.
type row struct {
	fig      string // "2", "3a", …
	name     string
	measured string
	ceiling  string
	ratio    float64 // measured relative to ceiling, as the target states it; 0 when none
	target   string
	verdict  verdict
	note     string
}

// check fills r's verdict from whether its target holds.
func (r row) check(ok bool) row {
	r.verdict = verdictFail
	if ok {
		r.verdict = verdictPass
	}
	return r
}

func printTable(w io.Writer, rows []row, c *config) {
	fmt.Fprintf(w, "tickerbench: %d feeds of %d items, %d sources, %d stored, wrk %s, %d SSE clients; %s, %d CPUs, GOMAXPROCS %d\n\n",
		c.feeds, c.items, c.sources, c.stored, c.duration, c.clients, runtime.Version(), runtime.NumCPU(), runtime.GOMAXPROCS(0))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "fig\tfigure\tmeasured\tceiling\tratio\ttarget\tresult")
	var notes []string
	for _, r := range rows {
		ratio := "-"
		if r.ratio != 0 {
			ratio = fmt.Sprintf("%.2f", r.ratio)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.fig, r.name, or(r.measured), or(r.ceiling), ratio, or(r.target), r.verdict)
		if r.note != "" {
			notes = append(notes, fmt.Sprintf("%s %s: %s", r.fig, r.name, r.note))
		}
	}
	tw.Flush()
	if len(notes) > 0 {
		fmt.Fprintln(w, "\nnotes:")
		for _, n := range notes {
			fmt.Fprintln(w, "  "+n)
		}
	}
}

func or(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func rate(n int, d time.Duration, unit string) string {
	return fmt.Sprintf("%.0f %s", float64(n)/d.Seconds(), unit)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func mib(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

// rss reports the process's resident set size from /proc, or 0 where
// there is none.
func rss() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kb uint64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb)
			return kb << 10
		}
	}
	return 0
}

// cpuTime reports the CPU time (user and system) the process has used. On
// a shared machine a phase's CPU time says what it costs more steadily
// than its wall time, which counts the other tenants too; fsync waits are
// not in it.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

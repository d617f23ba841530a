package fetcher

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/robfig/cron/v3"

	"tickerd/store"

	// CRON_TZ names must resolve on hosts without a zoneinfo database
	// (scratch and distroless containers); this embeds one (~450 KB).
	_ "time/tzdata"
)

const (
	// maxJitter bounds the spread of the first runs, jitterPerSource sets
	// it for small configs: a handful of sources starts within a second,
	// 1,000 sources spread over half a minute instead of one burst.
	maxJitter       = 30 * time.Second
	jitterPerSource = 100 * time.Millisecond
	// stopTimeout bounds how long Run waits, after ctx is done, for fetches
	// in flight: requests end at once with ctx, a parse in progress ends
	// by itself within moments.
	stopTimeout = 5 * time.Second
	// backoffSlack lets a scheduled run through when its backoff ends just
	// after the tick, so that a backoff equal to the interval skips no tick.
	backoffSlack = 5 * time.Second
)

// cronParser reads standard 5-field specs and descriptors (@hourly, @every
// 5m…). Time zone prefixes are cut off before it sees them.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// CheckSchedule reports whether spec is a schedule the fetcher accepts: a
// standard 5-field cron spec or a descriptor (@hourly, @daily, @every 5m…),
// in UTC unless prefixed with CRON_TZ=<zone> (or TZ=<zone>) and a space.
//
// It rejects what robfig/cron accepts wrongly: @every intervals under 1s,
// zero or negative, or not whole seconds (cron rounds them silently); a
// prefix with no schedule after it (cron panics); an empty or unknown zone;
// more than one zone; and specs that never fire, such as February 30.
func CheckSchedule(spec string) error {
	_, err := parseSchedule(spec)
	return err
}

// Interval reports the shortest gap between consecutive runs of spec over
// its next few runs, or zero when spec is not valid. It helps callers size
// caches to the polling rate.
func Interval(spec string) time.Duration {
	sched, err := parseSchedule(spec)
	if err != nil {
		return 0
	}
	if every, ok := sched.(cron.ConstantDelaySchedule); ok {
		return every.Delay
	}
	var shortest time.Duration
	t := sched.Next(time.Now())
	for range 16 {
		next := sched.Next(t)
		if next.IsZero() {
			break
		}
		if gap := next.Sub(t); shortest == 0 || gap < shortest {
			shortest = gap
		}
		t = next
	}
	return shortest
}

func parseSchedule(spec string) (sched cron.Schedule, err error) {
	defer func() {
		// The checks below catch the panics of robfig/cron v3.0.1 we know;
		// this catches the ones we don't.
		if r := recover(); r != nil {
			sched, err = nil, fmt.Errorf("schedule %q: not a valid cron spec (%v)", spec, r)
		}
	}()
	s := strings.TrimSpace(spec)
	if s == "" {
		return nil, errors.New("schedule is empty")
	}
	loc := time.UTC
	if prefix, zone, rest, ok := cutZone(s); ok {
		switch {
		case zone == "":
			return nil, fmt.Errorf("schedule %q: %s names no time zone", spec, prefix)
		case rest == "":
			return nil, fmt.Errorf("schedule %q: %s%s must be followed by a space and a schedule, as in %q",
				spec, prefix, zone, prefix+zone+" 0 * * * *")
		}
		if _, _, _, again := cutZone(rest); again {
			return nil, fmt.Errorf("schedule %q: more than one time zone", spec)
		}
		if loc, err = time.LoadLocation(zone); err != nil {
			return nil, fmt.Errorf("schedule %q: unknown time zone %q", spec, zone)
		}
		s = rest
	}
	if s == AdaptiveSchedule {
		if loc != time.UTC {
			return nil, fmt.Errorf("schedule %q: %s takes no time zone", spec, AdaptiveSchedule)
		}
		return adaptiveMarker{}, nil
	}
	if arg, ok := strings.CutPrefix(s, "@every"); ok && (arg == "" || unicode.IsSpace(rune(arg[0]))) {
		return parseEvery(spec, strings.TrimSpace(arg))
	}
	sched, err = cronParser.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("schedule %q: %w", spec, err)
	}
	if ss, ok := sched.(*cron.SpecSchedule); ok {
		// Without a prefix robfig/cron would use the host's zone.
		ss.Location = loc
	}
	if sched.Next(time.Now()).IsZero() {
		return nil, fmt.Errorf("schedule %q: never fires (no such date)", spec)
	}
	return sched, nil
}

// cutZone splits "CRON_TZ=zone rest" (or "TZ=zone rest").
func cutZone(s string) (prefix, zone, rest string, ok bool) {
	for _, p := range []string{"CRON_TZ=", "TZ="} {
		if strings.HasPrefix(s, p) {
			head, tail := s, ""
			if i := strings.IndexFunc(s, unicode.IsSpace); i >= 0 {
				head, tail = s[:i], s[i:]
			}
			return p, head[len(p):], strings.TrimSpace(tail), true
		}
	}
	return "", "", "", false
}

func parseEvery(spec, arg string) (cron.Schedule, error) {
	if arg == "" {
		return nil, fmt.Errorf("schedule %q: @every needs an interval, as in %q", spec, "@every 5m")
	}
	d, err := time.ParseDuration(arg)
	switch {
	case err != nil:
		return nil, fmt.Errorf("schedule %q: %q is not a duration (use units such as 30s, 5m, 1h30m)", spec, arg)
	case d <= 0:
		return nil, fmt.Errorf("schedule %q: interval %s must be positive", spec, arg)
	case d < time.Second:
		return nil, fmt.Errorf("schedule %q: interval %s is shorter than the minimum of 1s", spec, arg)
	case d%time.Second != 0:
		return nil, fmt.Errorf("schedule %q: interval %s is not a whole number of seconds", spec, arg)
	}
	return cron.Every(d), nil
}

// Run polls every source once, the first runs spread over a few seconds,
// then each on its schedule, until ctx is done. Scheduled fetches of a
// failing source back off (see the package documentation). When ctx is
// done, Run stops the schedule, lets fetches in flight end (ctx cancels
// their requests) and returns: nil once they have, an error if some are
// still running after a few seconds. Only one Run may be in progress at a
// time; Fetch and FetchAll may be called alongside it.
func (f *Fetcher) Run(ctx context.Context) error {
	if !f.running.CompareAndSwap(false, true) {
		return errors.New("fetcher: Run is already in progress")
	}
	defer f.running.Store(false)

	g := f.cur.Load()
	c := f.newCron(ctx, g)
	c.Start()
	f.log.Info("fetcher started", "sources", len(g.sources))

	var firsts sync.WaitGroup
	firsts.Go(func() {
		f.firstRuns(ctx, g.sources)
		if ctx.Err() == nil {
			f.polledOnce.Do(func() { close(f.polled) })
		}
	})
	// stopping holds the schedules replaced by reloads: each is done once
	// the jobs it had started have finished.
	var stopping []<-chan struct{}
	renew := time.NewTicker(renewEvery)
	defer renew.Stop()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-renew.C:
			f.renew(ctx)
		case <-f.reload:
			next := f.cur.Load()
			if next == g {
				continue
			}
			// Start the new schedule before stopping the old, so no tick
			// is lost; Stop lets the old one's running jobs finish.
			nc := f.newCron(ctx, next)
			nc.Start()
			// Forget the schedules whose jobs are done, so a daemon reloaded
			// every day does not keep one channel per reload.
			stopping = slices.DeleteFunc(stopping, isClosed)
			stopping = append(stopping, c.Stop().Done())
			fresh := freshSources(g, next)
			firsts.Go(func() { f.firstRuns(ctx, fresh) })
			c, g = nc, next
			f.log.Info("fetcher rescheduled", "sources", len(g.sources), "polled_now", len(fresh))
		}
	}
	stopping = append(stopping, c.Stop().Done())
	first := make(chan struct{})
	go func() {
		firsts.Wait()
		f.wg.Wait() // requests to hubs end with ctx
		close(first)
	}()
	timer := time.NewTimer(stopTimeout)
	defer timer.Stop()
	for _, done := range append(stopping, first) {
		select {
		case <-done:
		case <-timer.C:
			return fmt.Errorf("fetcher: fetches still running %s after stop", stopTimeout)
		}
	}
	f.log.Info("fetcher stopped")
	return nil
}

// freshSources lists the sources of next that prev did not poll: new
// names, and names whose URL changed. They are polled at once rather than
// at their next tick.
func freshSources(prev, next *generation) []*source {
	var out []*source
	for _, s := range next.sources {
		if old := prev.byName[s.Name]; old == nil || old.URL != s.URL {
			out = append(out, s)
		}
	}
	return out
}

// Polled returns a channel that is closed once a Run has finished its first
// poll of every source (each fetched, or postponed by backoff). It stays
// open if Run is stopped before that. Readiness checks wait on it.
func (f *Fetcher) Polled() <-chan struct{} { return f.polled }

// newCron returns the scheduler of Run, with a job per source of g that
// fetches with ctx.
func (f *Fetcher) newCron(ctx context.Context, g *generation) *cron.Cron {
	cl := cronLogger{f.log}
	// Skip outside Recover: the other order leaves the skip token taken
	// after a panic, and the job is skipped forever.
	c := cron.New(cron.WithLocation(time.UTC), cron.WithLogger(cl),
		cron.WithChain(cron.SkipIfStillRunning(cl), cron.Recover(cl)))
	for _, s := range g.sources {
		c.Schedule(s.sched, cron.FuncJob(func() { f.scheduled(ctx, s) }))
	}
	return c
}

// firstRuns starts each of sources once, at random offsets within a window
// that grows with their number, and waits for those fetches.
func (f *Fetcher) firstRuns(ctx context.Context, sources []*source) {
	if len(sources) == 0 {
		return
	}
	window := min(maxJitter, time.Duration(len(sources))*jitterPerSource)
	type start struct {
		at time.Duration
		s  *source
	}
	starts := make([]start, len(sources))
	for i, s := range sources {
		starts[i] = start{rand.N(window), s}
	}
	slices.SortFunc(starts, func(a, b start) int { return cmp.Compare(a.at, b.at) })

	var wg sync.WaitGroup
	defer wg.Wait()
	begin := time.Now()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for _, st := range starts {
		if wait := st.at - time.Since(begin); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-ctx.Done():
				return
			}
		}
		wg.Go(func() {
			// Not a cron job, so cron's Recover does not cover it.
			defer func() {
				if r := recover(); r != nil {
					f.log.Error("fetch panicked", "source", st.s.Name, "panic", r)
				}
			}()
			f.scheduled(ctx, st.s)
		})
	}
}

// scheduled is a fetch started by the schedule rather than asked for: it
// honours the source's backoff.
func (f *Fetcher) scheduled(ctx context.Context, s *source) {
	if ctx.Err() != nil {
		return
	}
	if cur := f.cur.Load().byName[s.Name]; cur != s {
		// A reload replaced s: a schedule about to stop, or a first run
		// planned before the reload, fetches the current version, if any.
		if cur == nil {
			return
		}
		s = cur
	}
	now := s.g.opts.Now()
	if wait := f.backoff(s, now); wait > backoffSlack {
		f.log.Debug("fetch postponed", "source", s.Name, "wait", wait.Round(time.Second))
		return
	}
	if s.adaptive && !f.due(s, now) {
		return
	}
	if claim := s.g.opts.Claim; claim != nil {
		every := period(s.sched, time.Now())
		if s.adaptive {
			// An adaptive source's schedule is only the tick that looks
			// at it; one fetch per interval is the planned interval.
			st, _ := f.store.State(s.Name)
			every = cmp.Or(st.Interval, s.bounds().lo)
		}
		release, ok := claim(ctx, s.Name, every)
		if !ok {
			f.log.Debug("fetch left to another replica", "source", s.Name)
			return
		}
		defer release()
	}
	f.fetch(ctx, s)
}

// period is the time between sched's runs after now.
func period(sched cron.Schedule, now time.Time) time.Duration {
	next := sched.Next(now)
	return sched.Next(next).Sub(next)
}

// backoff reports how long a scheduled fetch of s should still wait (see
// hold).
func (f *Fetcher) backoff(s *source, now time.Time) time.Duration {
	st, _ := f.store.State(s.Name)
	until, _ := f.hold(s, &st)
	return until.Sub(now)
}

// hold reports until when scheduled fetches of s must wait, given its state
// st, and why: after repeated failures (from the state, so it survives a
// restart), as long as a Retry-After asked of s, or of another source on
// its host with a 429 or 503. The zero time means no wait.
func (f *Fetcher) hold(s *source, st *store.SourceState) (until time.Time, reason string) {
	reason = store.NextSchedule
	if st.URL == s.URL && st.LastStatus == "error" {
		if d := failureBackoff(s.Name, st.Failures, s.g.opts.MaxBackoff); d > 0 {
			until, reason = st.LastAttempt.Add(d), store.NextBackoff
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if ra := f.retryAfter[s.Name]; ra.After(until) {
		until, reason = ra, store.NextRetryAfter
	}
	if hh := f.hostHold[s.host]; s.host != "" && hh.After(until) {
		until, reason = hh, store.NextHostRetryAfter
	}
	return until, reason
}

// planNext records in st when a scheduled fetch will next try s and why,
// counting the schedule's runs from "from" (the last attempt).
func (f *Fetcher) planNext(s *source, st *store.SourceState, from time.Time) {
	until, reason := f.hold(s, st)
	if s.adaptive {
		next := from.Add(cmp.Or(st.Interval, s.bounds().lo))
		if until.After(next) {
			next = until
		} else {
			reason = store.NextSchedule
		}
		st.NextAttempt, st.NextReason = next.UTC(), reason
		return
	}
	next, held := nextRun(s.sched, from, until)
	if !held {
		reason = store.NextSchedule
	}
	st.NextAttempt, st.NextReason = next.UTC(), reason
}

// nextRun reports the first run of sched after from that a hold until
// "until" lets through (scheduled lets a run through backoffSlack early),
// and whether the hold skipped any run.
func nextRun(sched cron.Schedule, from, until time.Time) (next time.Time, held bool) {
	next = sched.Next(from)
	gate := until.Add(-backoffSlack)
	// A bound, since a cron spec's gaps are irregular: at one run a second
	// it covers more than a day.
	for i := 0; i < 100_000 && !next.IsZero() && next.Before(gate); i++ {
		next, held = sched.Next(next), true
	}
	if next.Before(gate) {
		next = until
	}
	return next, held
}

// failureBackoff is the least time between scheduled attempts after n
// consecutive failures: none after the first (it may be a blip), then
// about 1m, 2m, 4m… up to limit. The jitter takes each wait from its
// upper half, by a hash of the source's name and n rather than at random,
// so that sources failing together spread apart yet a restart finds the
// same wait in the stored state.
func failureBackoff(name string, n int, limit time.Duration) time.Duration {
	if n < 2 {
		return 0
	}
	d := min(time.Minute<<min(n-2, 20), limit)
	h := fnv.New64a()
	h.Write([]byte(name))
	h.Write([]byte{0, byte(n), byte(n >> 8)})
	frac := float64(h.Sum64()>>11) / (1 << 53)
	return d/2 + time.Duration(frac*float64(d/2))
}

// cronLogger passes robfig/cron's logs to slog. Its Info lines (every
// wake-up and run) are noise in a daemon's log, so they go to Debug.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) {
	l.log.Debug("cron "+msg, kv...)
}

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron "+msg, append([]any{"err", err}, kv...)...)
}

// isClosed reports whether ch is closed, without waiting.
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

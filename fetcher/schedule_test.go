package fetcher

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"tickerd/store"
)

func TestCheckSchedule(t *testing.T) {
	tests := []struct {
		spec string
		want string // "" for valid, else a part of the error
	}{
		{"@every 5m", ""},
		{"@every 1s", ""},
		{"@every 1h30m", ""},
		{"  @every 5m  ", ""},
		{"@hourly", ""},
		{"@daily", ""},
		{"@midnight", ""},
		{"*/15 * * * *", ""},
		{"0 9-17 * * mon-fri", ""},
		{"CRON_TZ=Asia/Riyadh 0 * * * *", ""},
		{"TZ=America/New_York @daily", ""},
		{"CRON_TZ=UTC @every 10m", ""},
		{"0 0 29 2 *", ""}, // leap days exist

		{"", "schedule is empty"},
		{"   ", "schedule is empty"},
		{"@every 500ms", "shorter than the minimum of 1s"},
		{"@every 999ms", "shorter than the minimum of 1s"},
		{"@every 0s", "must be positive"},
		{"@every 0", "must be positive"},
		{"@every -5m", "must be positive"},
		{"@every 1.5s", "not a whole number of seconds"},
		{"@every", "@every needs an interval"},
		{"@every 5 minutes", "is not a duration"},
		{"@every 1d", "is not a duration"},
		{"@everyday", "unrecognized descriptor"},
		{"@fortnightly", "unrecognized descriptor"},
		{"CRON_TZ=UTC", "must be followed by a space and a schedule"},
		{"TZ=UTC", "must be followed by a space and a schedule"},
		{"CRON_TZ=UTC   ", "must be followed by a space and a schedule"},
		{"CRON_TZ= @hourly", "names no time zone"},
		{"CRON_TZ=Mars/Olympus_Mons 0 * * * *", `unknown time zone "Mars/Olympus_Mons"`},
		{"CRON_TZ=UTC CRON_TZ=Asia/Riyadh 0 * * * *", "more than one time zone"},
		{"* * * *", "expected exactly 5 fields"},
		{"0 0 * * * *", "expected exactly 5 fields"},
		{"61 * * * *", "above maximum"},
		{"0 0 30 2 *", "never fires"},
		{"every five minutes", "expected exactly 5 fields"},
		{"0 0 * * funday", "failed to parse"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			err := CheckSchedule(tt.spec)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("CheckSchedule(%q) = %v, want nil", tt.spec, err)
			case tt.want != "" && err == nil:
				t.Errorf("CheckSchedule(%q) = nil, want an error saying %q", tt.spec, tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Errorf("CheckSchedule(%q) = %q, want it to say %q", tt.spec, err, tt.want)
			}
		})
	}
}

// TestScheduleZone: a spec without a prefix runs in UTC whatever the
// host's zone; a prefix moves it.
func TestScheduleZone(t *testing.T) {
	from := time.Date(2025, 3, 4, 10, 30, 0, 0, time.UTC)
	tests := []struct {
		spec string
		want time.Time
	}{
		{"0 12 * * *", time.Date(2025, 3, 4, 12, 0, 0, 0, time.UTC)},
		{"CRON_TZ=Asia/Riyadh 0 14 * * *", time.Date(2025, 3, 4, 11, 0, 0, 0, time.UTC)}, // UTC+3
	}
	for _, tt := range tests {
		sched, err := parseSchedule(tt.spec)
		if err != nil {
			t.Fatal(err)
		}
		if got := sched.Next(from); !got.Equal(tt.want) {
			t.Errorf("%q: next after %v = %v, want %v", tt.spec, from, got, tt.want)
		}
	}
}

func TestInterval(t *testing.T) {
	tests := []struct {
		spec string
		want time.Duration
	}{
		{"@every 90s", 90 * time.Second},
		{"*/15 * * * *", 15 * time.Minute},
		{"@hourly", time.Hour},
		{"0 9,17 * * *", 8 * time.Hour},
		{"CRON_TZ=Asia/Riyadh @daily", 24 * time.Hour},
		{"@every 500ms", 0},
		{"nonsense", 0},
	}
	for _, tt := range tests {
		if got := Interval(tt.spec); got != tt.want {
			t.Errorf("Interval(%q) = %s, want %s", tt.spec, got, tt.want)
		}
	}
}

func TestFailureBackoff(t *testing.T) {
	const limit = 6 * time.Hour
	for n := range 40 {
		d := time.Duration(0)
		if n >= 2 {
			d = min(time.Minute<<min(n-2, 20), limit)
		}
		got := failureBackoff("src", n, limit)
		if got < d/2 || got > d {
			t.Errorf("failureBackoff(src, %d) = %s, want within [%s, %s]", n, got, d/2, d)
		}
		if again := failureBackoff("src", n, limit); again != got {
			t.Errorf("failureBackoff(src, %d) = %s, then %s: want the same wait after a restart", n, got, again)
		}
	}
	// Sources failing together spread apart.
	waits := map[time.Duration]bool{}
	for i := range 20 {
		waits[failureBackoff(fmt.Sprint("s", i), 5, limit)] = true
	}
	if len(waits) < 15 {
		t.Errorf("20 sources after 5 failures got only %d distinct waits", len(waits))
	}
	if got := failureBackoff("src", 1000, time.Hour); got > time.Hour || got < 30*time.Minute {
		t.Errorf("failureBackoff(src, 1000, 1h) = %s, want within [30m, 1h]", got)
	}
}

func fileSource(t *testing.T, name, file string) Source {
	t.Helper()
	abs, err := filepath.Abs(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	return Source{Name: name, URL: (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()}
}

// runInBackground starts f.Run and returns a function that cancels it and
// reports whether it returned without time passing.
func runInBackground(t *testing.T, f *Fetcher) (stop func() error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	return func() error {
		cancel()
		start := time.Now()
		synctest.Wait()
		select {
		case err := <-done:
			if d := time.Since(start); d != 0 {
				t.Errorf("Run took %s of (fake) time to stop, want none", d)
			}
			return err
		default:
			t.Fatal("Run did not return once ctx was done and its goroutines were idle")
			return nil
		}
	}
}

// TestRunPollsThenSchedules: every source is fetched once at start, then
// on its own schedule; cancelling ctx stops Run at once. In a synctest
// bubble, so the minutes pass in no time and the counts are exact.
func TestRunPollsThenSchedules(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ms := newMemStore()
		fast := fileSource(t, "fast", "rss2.xml")
		fast.Schedule = "@every 1m"
		f, _ := newTestFetcher(t, ms, &Options{
			Schedule: "@every 5m",
			Sources:  []Source{fast, fileSource(t, "slow", "atom.xml")},
		})
		stop := runInBackground(t, f)

		time.Sleep(maxJitter)
		synctest.Wait()
		if _, n := ms.snapshot(); n["fast"] != 1 || n["slow"] != 1 {
			t.Errorf("after the first runs: %v fetches, want one each", n)
		}
		time.Sleep(5 * time.Minute) // now 5m30s after start
		synctest.Wait()
		// fast: the first run, then at 1m … 5m; slow: the first run, then 5m.
		if _, n := ms.snapshot(); n["fast"] != 6 || n["slow"] != 2 {
			t.Errorf("after 5m30s: %v fetches, want fast 6, slow 2", n)
		}
		states, _ := ms.snapshot()
		if s := states["fast"]; s.LastStatus != "unchanged" || s.LastAttempt.Sub(s.LastSuccess) != 0 {
			t.Errorf("fast state = %+v", s)
		}
		if err := stop(); err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
		time.Sleep(time.Hour)
		synctest.Wait()
		if _, n := ms.snapshot(); n["fast"] != 6 {
			t.Errorf("fetches went on after Run returned: %v", n)
		}
	})
}

// TestRunJitter: the first runs of many sources spread over the jitter
// window instead of firing together.
func TestRunJitter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ms := newMemStore()
		var sources []Source
		for i := range 600 {
			sources = append(sources, Source{Name: fmt.Sprint("s", i), URL: fileSource(t, "", "missing.xml").URL})
		}
		f, _ := newTestFetcher(t, ms, &Options{Schedule: "@hourly", Sources: sources})
		start := time.Now()
		stop := runInBackground(t, f)
		time.Sleep(maxJitter)
		synctest.Wait()
		states, _ := ms.snapshot()
		perSecond := map[int64]int{}
		var first, last time.Duration = maxJitter, 0
		for _, s := range states {
			at := s.LastAttempt.Sub(start)
			first, last = min(first, at), max(last, at)
			perSecond[int64(at/time.Second)]++
		}
		if len(states) != len(sources) {
			t.Fatalf("%d sources fetched in the window, want %d", len(states), len(sources))
		}
		if last-first < maxJitter*3/4 || slices.Max(slices.Collect(mapValues(perSecond))) > 60 {
			t.Errorf("first runs from %s to %s, busiest second %d fetches: not spread", first, last,
				slices.Max(slices.Collect(mapValues(perSecond))))
		}
		stop()
	})
}

func mapValues(m map[int64]int) func(func(int) bool) {
	return func(yield func(int) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}

// TestRunBacksOff: scheduled fetches of a failing source thin out, about
// 1m, 2m, 4m… after the second failure; its state says when and why.
func TestRunBacksOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ms := newMemStore()
		src := fileSource(t, "broken", "missing.xml")
		f, _ := newTestFetcher(t, ms, &Options{Schedule: "@every 1m", Sources: []Source{src}})
		// The ticks a failing source gets, from the same waits.
		want, failures, last := 1, 1, time.Duration(0)
		for tick := time.Minute; tick <= 20*time.Minute; tick += time.Minute {
			if last+failureBackoff("broken", failures, DefaultMaxBackoff)-tick <= backoffSlack {
				want, failures, last = want+1, failures+1, tick
			}
		}
		start := time.Now()
		stop := runInBackground(t, f)
		time.Sleep(20*time.Minute + 30*time.Second)
		synctest.Wait()
		states, n := ms.snapshot()
		if n["broken"] != want || states["broken"].Failures != want || want > 8 {
			t.Errorf("%d attempts, %d failures in 20m; want %d and %d", n["broken"], states["broken"].Failures, want, want)
		}
		s := states["broken"]
		wantNext := start.Add(last + failureBackoff("broken", failures, DefaultMaxBackoff)).Add(-backoffSlack).Truncate(time.Minute)
		if s.NextReason != store.NextBackoff || s.NextAttempt.Sub(wantNext) < 0 || s.NextAttempt.Sub(wantNext) > time.Minute+time.Second {
			t.Errorf("next attempt %s (%s), want %s give or take a tick (backoff)", s.NextAttempt.Sub(start), s.NextReason, wantNext.Sub(start))
		}
		stop()
		// Fetch ignores backoff: someone asked.
		if r := f.Fetch(context.Background(), "broken"); r.Status != StatusFailed {
			t.Errorf("Fetch = %+v", r)
		}
		if _, n := ms.snapshot(); n["broken"] != want+1 {
			t.Errorf("Fetch during backoff did not fetch")
		}
	})
}

// TestNextAttemptOnSchedule: a healthy source's next attempt is its next
// scheduled run.
func TestNextAttemptOnSchedule(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ms := newMemStore()
		src := fileSource(t, "ok", "rss2.xml")
		src.Schedule = "CRON_TZ=Asia/Riyadh 30 * * * *"
		f, _ := newTestFetcher(t, ms, &Options{Sources: []Source{src}})
		f.Fetch(context.Background(), "ok")
		states, _ := ms.snapshot()
		s := states["ok"]
		want := time.Now().Truncate(time.Hour).Add(30 * time.Minute)
		if !want.After(time.Now()) {
			want = want.Add(time.Hour)
		}
		if s.NextReason != store.NextSchedule || !s.NextAttempt.Equal(want) {
			t.Errorf("next = %s (%s), want %s (schedule)", s.NextAttempt, s.NextReason, want)
		}
	})
}

// TestRunRecoversFromPanic: a job that panics is recovered and the source
// is fetched again on the next tick. With SkipIfStillRunning and Recover
// the other way round, the panic would leave the skip token taken and the
// source would never be fetched again.
func TestRunRecoversFromPanic(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ms := newMemStore()
		src := fileSource(t, "p", "rss2.xml")
		f, logs := newTestFetcher(t, ms, &Options{Schedule: "@every 1m", Sources: []Source{src}})
		ms.panics = 1                                      // the first State call, made by the first run's backoff check
		c := f.newCron(context.Background(), f.cur.Load()) // Run's scheduler, without the first runs
		c.Start()
		time.Sleep(3*time.Minute + time.Second)
		synctest.Wait()
		<-c.Stop().Done()
		if _, n := ms.snapshot(); n["p"] != 2 {
			t.Errorf("%d fetches in 3 ticks with the first panicking, want 2", n["p"])
		}
		if !strings.Contains(logs.String(), "cron panic") {
			t.Errorf("panic not logged")
		}
	})
}

// TestRunSurvivesPanicInFirstRun: the first runs are not cron jobs, so
// they need their own recover.
func TestRunSurvivesPanicInFirstRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ms := newMemStore()
		f, logs := newTestFetcher(t, ms, &Options{Schedule: "@every 1m", Sources: []Source{fileSource(t, "p", "rss2.xml")}})
		ms.panics = 1
		stop := runInBackground(t, f)
		time.Sleep(time.Minute + maxJitter)
		synctest.Wait()
		if _, n := ms.snapshot(); n["p"] != 1 {
			t.Errorf("%d fetches, want 1 (the first run panicked, the tick at 1m fetched)", n["p"])
		}
		if !strings.Contains(logs.String(), "fetch panicked") {
			t.Errorf("panic not logged")
		}
		stop()
	})
}

func TestRunOnlyOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f, _ := newTestFetcher(t, newMemStore(), nil)
		stop := runInBackground(t, f)
		synctest.Wait()
		if err := f.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "already in progress") {
			t.Errorf("second Run = %v, want an error", err)
		}
		stop()
		// Once stopped it may run again, and stop again.
		stop = runInBackground(t, f)
		if err := stop(); err != nil {
			t.Errorf("Run after Run = %v", err)
		}
	})
}

// TestRunStopsMidFetch: shutdown cancels a request in flight; Run returns
// well within its bound and the cancellation is not stored as a failure.
// Real time and a real server: a synctest bubble cannot hold network I/O.
func TestRunStopsMidFetch(t *testing.T) {
	bs := newBlockingServer(t, readTestdata(t, "rss2.xml"))
	st := openTestStore(t)
	f, _ := newTestFetcher(t, st, &Options{Sources: []Source{{Name: "hang", URL: bs.URL + "/feed"}}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	waitArrival(t, bs)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
	case <-time.After(stopTimeout + 5*time.Second):
		t.Fatal("Run did not return after ctx was done")
	}
	if s, ok := st.State("hang"); ok {
		t.Errorf("shutdown stored state %+v", s)
	}
}

func TestRunStopTimeout(t *testing.T) {
	// A fetch that ignores ctx cannot be written with the real client;
	// check the error path of Run's bounded wait with a store that blocks.
	synctest.Test(t, func(t *testing.T) {
		bs := &blockingStore{memStore: newMemStore(), release: make(chan struct{})}
		f, _ := newTestFetcher(t, bs, &Options{Sources: []Source{fileSource(t, "s", "rss2.xml")}})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- f.Run(ctx) }()
		time.Sleep(time.Second)
		synctest.Wait() // the first run is stuck in Ingest
		cancel()
		err := <-done
		if err == nil || !strings.Contains(err.Error(), "still running") {
			t.Errorf("Run = %v, want an error about fetches still running", err)
		}
		close(bs.release)
		synctest.Wait()
	})
}

type blockingStore struct {
	*memStore
	release chan struct{}
}

func (b *blockingStore) Ingest(ctx context.Context, st store.SourceState, items []store.Item) (store.IngestResult, error) {
	<-b.release
	return b.memStore.Ingest(ctx, st, items)
}

// TestRunClaims: with Claim set, a scheduled fetch runs only when Claim
// allows, with the source's schedule period, and releases after it;
// Fetch (asked for) does not ask.
func TestRunClaims(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ms := newMemStore()
		a := fileSource(t, "a", "rss2.xml")
		a.Schedule = "@every 1m"
		b := fileSource(t, "b", "atom.xml")
		b.Schedule = "@every 1m"
		var mu sync.Mutex
		asked := map[string]int{}
		released := map[string]int{}
		var periods []time.Duration
		f, _ := newTestFetcher(t, ms, &Options{
			Sources: []Source{a, b},
			Claim: func(_ context.Context, source string, interval time.Duration) (func(), bool) {
				mu.Lock()
				defer mu.Unlock()
				asked[source]++
				periods = append(periods, interval)
				if source == "b" {
					return nil, false // another replica's
				}
				return func() {
					mu.Lock()
					released[source]++
					mu.Unlock()
				}, true
			},
		})
		stop := runInBackground(t, f)
		time.Sleep(maxJitter + 2*time.Minute)
		synctest.Wait()
		if err := stop(); err != nil {
			t.Fatal(err)
		}
		_, n := ms.snapshot()
		mu.Lock()
		defer mu.Unlock()
		if n["a"] != 3 || n["b"] != 0 {
			t.Errorf("fetches = %v, want a 3 (claimed), b none (refused)", n)
		}
		if asked["a"] != 3 || asked["b"] != 3 || released["a"] != 3 {
			t.Errorf("asked %v, released %v; want 3 claims of each, 3 releases of a", asked, released)
		}
		for _, p := range periods {
			if p != time.Minute {
				t.Errorf("Claim got interval %v, want the schedule's 1m", p)
			}
		}
		if r := f.Fetch(context.Background(), "b"); r.Status == StatusSkipped || asked["b"] != 3 {
			t.Errorf("Fetch(b) = %v after %d claims; want a fetch without asking", r.Status, asked["b"])
		}
	})
}

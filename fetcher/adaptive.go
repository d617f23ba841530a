package fetcher

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"tickerd/store"
)

// AdaptiveSchedule is the schedule spec of a source polled at the pace it
// publishes (see the package documentation): the next fetch is planned
// after each one, between Options.IntervalMin and IntervalMax.
const AdaptiveSchedule = "@adaptive"

// Defaults of the adaptive bounds.
const (
	DefaultIntervalMin = time.Minute
	DefaultIntervalMax = 2 * time.Hour
)

const (
	// rateWindow is how far back item dates count towards a source's
	// publishing rate; rateFloor is the shortest span a rate is measured
	// over, so that one item a minute old does not read as 60/h (and at
	// most 15 times interval_min, so that bounds of seconds, as in
	// tickerbench's compressed runs, scale it down alike).
	rateWindow = 7 * 24 * time.Hour
	rateFloor  = 15 * time.Minute
	// dueSlack lets an adaptive source's tick through just before its
	// planned time rather than a whole tick after it.
	dueSlack = 500 * time.Millisecond
	// maxHint caps what a feed or a cache header can ask for, as
	// maxRetryAfter caps Retry-After.
	maxHint = 7 * 24 * time.Hour
)

// adaptiveMarker is what parseSchedule returns for AdaptiveSchedule;
// newSource replaces it with the source's tick.
type adaptiveMarker struct{}

func (adaptiveMarker) Next(t time.Time) time.Time { return t.Add(DefaultIntervalMin) }

// adaptiveTick is how often the schedule looks at an adaptive source whose
// shortest interval is lo: often enough to fetch within a few percent of
// the planned time, seldom enough to cost nothing.
func adaptiveTick(lo time.Duration) cron.Schedule {
	return cron.Every(min(max(lo/4, time.Second), 30*time.Second).Truncate(time.Second))
}

// bounds are the shortest and longest adaptive interval of a source.
type bounds struct{ lo, hi time.Duration }

func (s *source) bounds() bounds {
	b := bounds{lo: s.g.opts.IntervalMin, hi: s.g.opts.IntervalMax}
	if s.IntervalMin > 0 {
		b.lo = s.IntervalMin
	}
	if s.IntervalMax > 0 {
		b.hi = s.IntervalMax
	}
	b.hi = max(b.hi, b.lo)
	return b
}

// pollHints is what a response and its feed say about how long their
// content stays fresh. Zero means not said.
type pollHints struct {
	ttl    time.Duration // RSS <ttl>, minutes
	update time.Duration // sy:updatePeriod / sy:updateFrequency
	// updateText is the sy: pair as written, for the reason.
	updateText string
	maxAge     time.Duration // Cache-Control max-age
	expires    time.Duration // Expires, less the response's Date
}

// cacheHints are the cache headers' hints for s: none unless s is
// adaptive, as only an adaptive source's plan reads them (a 304 cycle of
// thousands of sources paid for parsing them).
func (s *source) cacheHints(h http.Header) (maxAge, expires time.Duration) {
	if !s.adaptive {
		return 0, 0
	}
	return cacheHints(h, s.g.opts.Now())
}

// cacheHints reads Cache-Control max-age and Expires (against Date, else
// now) from a response's header. no-cache, no-store and a max-age of 0
// say nothing about how often to poll, so they count as not said.
func cacheHints(h http.Header, now time.Time) (maxAge, expires time.Duration) {
	for part := range strings.SplitSeq(strings.Join(h.Values("Cache-Control"), ","), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		if !strings.EqualFold(strings.TrimSpace(k), "max-age") {
			continue
		}
		if secs, err := strconv.ParseInt(strings.Trim(strings.TrimSpace(v), `"`), 10, 64); err == nil && secs > 0 {
			maxAge = time.Duration(min(secs, int64(maxHint/time.Second))) * time.Second
		}
	}
	if maxAge > 0 {
		// RFC 9111: max-age wins over Expires.
		return maxAge, 0
	}
	if e := h.Get("Expires"); e != "" {
		if t, err := http.ParseTime(e); err == nil {
			date := now
			if d, err := http.ParseTime(h.Get("Date")); err == nil {
				date = d
			}
			expires = min(max(t.Sub(date), 0), maxHint)
		}
	}
	return maxAge, expires
}

// feedHints reads <ttl> and sy:updatePeriod/updateFrequency as the RSS
// translator left them in feed.Custom.
func feedHints(custom map[string]string) (ttl, update time.Duration, updateText string) {
	if v := strings.TrimSpace(custom[customTTL]); v != "" {
		if m, err := strconv.ParseInt(v, 10, 64); err == nil && m > 0 {
			// Capped before multiplying: a hostile <ttl> of 170000000
			// minutes overflows a Duration into the negative.
			ttl = time.Duration(min(m, int64(maxHint/time.Minute))) * time.Minute
		}
	}
	period := strings.ToLower(strings.TrimSpace(custom[customSyPeriod]))
	freq := strings.TrimSpace(custom[customSyFrequency])
	if period == "" && freq == "" {
		return ttl, 0, ""
	}
	per := map[string]time.Duration{"hourly": time.Hour, "daily": 24 * time.Hour, "weekly": 7 * 24 * time.Hour,
		"monthly": 30 * 24 * time.Hour, "yearly": 365 * 24 * time.Hour}
	p, ok := per[cmp.Or(period, "daily")] // the sy: module's default period
	if !ok {
		return ttl, 0, ""
	}
	n := int64(1)
	if freq != "" {
		v, err := strconv.ParseInt(freq, 10, 64)
		if err != nil || v < 1 {
			return ttl, 0, ""
		}
		n = v
	}
	update = min(p/time.Duration(n), maxHint)
	return ttl, update, fmt.Sprintf("sy:updatePeriod %s/%d", cmp.Or(period, "daily"), n)
}

// rateInterval is the interval that follows a source's publishing rate,
// from the dates of the items in its feed: as many fetches as items over
// the span from the oldest item of the last week to now (at least
// rateFloor). ok is false when no item has a date to go by.
func rateInterval(now time.Time, dates []time.Time, b bounds) (d time.Duration, reason string, ok bool) {
	var n int
	var oldest time.Time
	dated := false
	for _, t := range dates {
		if t.IsZero() {
			continue
		}
		dated = true
		if t.After(now) || now.Sub(t) > rateWindow {
			continue
		}
		n++
		if oldest.IsZero() || t.Before(oldest) {
			oldest = t
		}
	}
	if !dated {
		return 0, "", false
	}
	if n == 0 {
		return b.hi, "no item in 7 days", true
	}
	span := max(now.Sub(oldest), min(rateFloor, 15*b.lo))
	perHour := float64(n) / span.Hours()
	d = time.Duration(float64(time.Hour) / perHour)
	return d, "publishes " + formatRate(perHour), true
}

// formatRate writes a rate per hour as people say it: 12/h, 0.5/h, 3/day.
func formatRate(perHour float64) string {
	switch {
	case perHour >= 10:
		return fmt.Sprintf("%.0f/h", perHour)
	case perHour >= 1:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", perHour), ".0") + "/h"
	}
	perDay := perHour * 24
	if perDay >= 0.1 {
		return strings.TrimSuffix(fmt.Sprintf("%.1f", perDay), ".0") + "/day"
	}
	return fmt.Sprintf("%.1f/week", math.Max(perDay*7, 0.1))
}

// withHints is the interval base, with its reason, once the feed's and
// the server's freshness hints are honoured (the longest one that exceeds
// base wins: asking sooner would only fetch what the server said is
// unchanged) and the bounds applied.
func withHints(base time.Duration, reason string, h pollHints, b bounds) (time.Duration, string) {
	d := base
	for _, c := range []struct {
		d    time.Duration
		text string
	}{
		{h.ttl, fmt.Sprintf("ttl %d", int64(h.ttl/time.Minute))},
		{h.update, h.updateText},
		{h.maxAge, fmt.Sprintf("max-age %d", int64(h.maxAge/time.Second))},
		{h.expires, "expires in " + h.expires.Round(time.Second).String()},
	} {
		if c.d > d {
			d, reason = c.d, c.text
		}
	}
	switch {
	case d < b.lo:
		return b.lo, "interval_min (" + reason + ")"
	case d > b.hi:
		return b.hi, "interval_max (" + reason + ")"
	}
	return d.Round(time.Second), reason
}

// planAdaptive sets st's interval after a fetch of s. dates are the items'
// dates when a body was parsed; nil after a 304 or an identical body, when
// the rate measured last time stands, except for a feed without dates:
// its interval doubles each time nothing changed and halves when
// something did.
func (f *Fetcher) planAdaptive(s *source, st *store.SourceState, now time.Time, parsed bool, dates []time.Time, h pollHints) {
	b := s.bounds()
	base, reason := st.RateInterval, st.RateReason
	if base == 0 {
		base, reason = b.lo, "first fetch"
	}
	const undated = "no dates: "
	switch d, why, ok := rateInterval(now, dates, b); {
	case parsed && ok:
		base, reason = d, why
	case parsed:
		base, reason = base/2, undated+"changed"
	case base == st.RateInterval && (reason == st.RateReason) && strings.HasPrefix(reason, undated):
		base, reason = min(base*2, b.hi), undated+"unchanged"
	}
	if strings.HasPrefix(reason, undated) {
		base = min(max(base, b.lo), b.hi)
	}
	if !parsed && (strings.Contains(st.IntervalReason, "ttl ") || strings.Contains(st.IntervalReason, "sy:updatePeriod")) {
		// A 304 does not repeat the feed's own hints; the last ones stand.
		if h.ttl < st.Interval {
			h.ttl = st.Interval
		}
	}
	st.RateInterval, st.RateReason = base, reason
	st.Interval, st.IntervalReason = withHints(base, reason, h, b)
	if st.WebSub == store.WebSubActive && st.Interval < b.hi {
		// Push brings the news; polling is the safety net.
		st.Interval, st.IntervalReason = b.hi, "websub push; polled as a safety net"
	}
}

// publishedDates lists the dates items carry (zero where none).
func publishedDates(items []store.Item) []time.Time {
	out := make([]time.Time, len(items))
	for i := range items {
		out[i] = items[i].Published
	}
	return slices.Clip(out)
}

// due reports whether an adaptive source is due for a scheduled fetch at
// now, as its stored plan says. A source without a plan for its URL is.
func (f *Fetcher) due(s *source, now time.Time) bool {
	st, ok := f.store.State(s.Name)
	if !ok || st.URL != s.URL || st.NextAttempt.IsZero() {
		return true
	}
	return !now.Before(st.NextAttempt.Add(-dueSlack))
}

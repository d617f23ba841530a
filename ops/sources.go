package ops

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"tickerd/store"
)

// SourceStatus is one source as /api/sources and `tickerd sources` show
// it: the config's view joined with the store's. Validators are reported
// as present or not, never by value.
type SourceStatus struct {
	Name string `json:"name"`
	// URL is where the source is fetched: the configured URL, or where it
	// last redirected permanently, as store.RedactURL publishes it: no
	// user information, secret parameter values replaced by REDACTED.
	URL string `json:"url"`
	// ConfiguredURL is set when URL is a redirect target.
	ConfiguredURL string    `json:"configured_url,omitempty"`
	Tags          []string  `json:"tags"`
	Schedule      string    `json:"schedule"`
	LastAttempt   time.Time `json:"last_attempt,omitzero"`
	LastSuccess   time.Time `json:"last_success,omitzero"`
	LastStatus    string    `json:"last_status,omitempty"`
	LastError     string    `json:"last_error,omitempty"`
	Failures      int       `json:"consecutive_failures"`
	NextFetch     time.Time `json:"next_fetch,omitzero"`
	// NextReason is why NextFetch is then: schedule, backoff, retry-after
	// or host retry-after.
	NextReason string `json:"next_reason,omitempty"`
	Items      int    `json:"items_stored"`
	// Interval is how long an "@adaptive" source waits between fetches
	// now (a Go duration, "2m51s"), IntervalReason why: "publishes 21/h",
	// "ttl 30", "max-age 600", "interval_max (publishes 0.5/day)"…
	Interval       string `json:"interval,omitempty"`
	IntervalReason string `json:"interval_reason,omitempty"`
	// WebSub is the source's subscription to its hub: pending, active,
	// denied or error; Hub the hub, WebSubLease when the lease ends,
	// WebSubError the hub's refusal or failure.
	WebSub      string    `json:"websub,omitempty"`
	Hub         string    `json:"hub,omitempty"`
	WebSubLease time.Time `json:"websub_lease,omitzero"`
	WebSubError string    `json:"websub_error,omitempty"`
	// ETag and LastModified report whether the next fetch can be
	// conditional.
	ETag         bool `json:"etag"`
	LastModified bool `json:"last_modified"`
	// Alternate is the feed URL an HTML page at URL advertised.
	Alternate string `json:"alternate,omitempty"`
	// Degraded is set while the body in use was not well-formed XML and
	// was read after repair: its first fault, with line and column. The
	// source's items are kept; LastStatus is "degraded".
	Degraded string `json:"degraded,omitempty"`
}

// SourcesReport is the body of /api/sources.
type SourcesReport struct {
	Generated time.Time      `json:"generated"`
	Sources   []SourceStatus `json:"sources"`
}

// Statuses joins sources with what state reports of each, in the order
// of sources. A source the store has never seen has only its config.
func Statuses(sources []Source, state func(name string) (store.SourceState, bool)) []SourceStatus {
	out := make([]SourceStatus, 0, len(sources))
	for _, src := range sources {
		st, _ := state(src.Name)
		tags := src.Tags
		if tags == nil {
			tags = []string{} // JSON [], not null
		}
		s := SourceStatus{
			Name:         src.Name,
			URL:          store.RedactURL(src.URL, src.PrivateParams),
			Tags:         tags,
			Schedule:     src.Schedule,
			LastAttempt:  st.LastAttempt,
			LastSuccess:  st.LastSuccess,
			LastStatus:   st.LastStatus,
			LastError:    st.LastError,
			Failures:     st.Failures,
			NextFetch:    st.NextAttempt,
			NextReason:   st.NextReason,
			Items:        st.Items,
			ETag:         st.ETag != "",
			LastModified: st.LastModified != "",
			Alternate:    store.RedactURL(st.Alternate, src.PrivateParams),
			Degraded:     st.Degraded,
		}
		if stateOf(src, st) {
			if st.Interval > 0 && strings.HasPrefix(src.Schedule, "@adaptive") {
				s.Interval, s.IntervalReason = st.Interval.String(), st.IntervalReason
			}
			s.WebSub, s.Hub, s.WebSubLease, s.WebSubError = st.WebSub, store.RedactURL(st.Hub, nil), st.WebSubLease, st.WebSubError
		}
		if st.RedirectURL != "" && stateOf(src, st) {
			s.ConfiguredURL, s.URL = s.URL, store.RedactURL(st.RedirectURL, src.PrivateParams)
		}
		out = append(out, s)
	}
	return out
}

// stateOf reports whether st was recorded for src's current URL: a state
// recorded for another URL (the config changed since) says nothing of
// this one's redirects, title or site.
func stateOf(src Source, st store.SourceState) bool { return st.URL == "" || st.URL == src.URL }

// fetchedURL is the URL src is fetched from, st being its state: after a
// permanent redirect, the new one.
func fetchedURL(src Source, st store.SourceState) string {
	if st.RedirectURL != "" && stateOf(src, st) {
		return st.RedirectURL
	}
	return src.URL
}

func (o *Ops) serveSources(w http.ResponseWriter, _ *http.Request) {
	rep := SourcesReport{Generated: time.Now().UTC(), Sources: Statuses(o.sourceList(), o.st.State)}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		o.log.Error("encode sources", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.Write(append(b, '\n'))
}

// PrintSources writes statuses as an aligned table, one line per source,
// with times relative to now; long errors are cut to keep lines readable.
// LAST ERROR shows a degraded source's first XML fault when it has no
// error.
func PrintSources(w io.Writer, statuses []SourceStatus, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSTATUS\tFAILS\tITEMS\tLAST ATTEMPT\tLAST SUCCESS\tNEXT FETCH\tWHY\tINTERVAL\tPUSH\tVALIDATORS\tSCHEDULE\tTAGS\tURL\tLAST ERROR")
	for _, s := range statuses {
		var validators []string
		if s.ETag {
			validators = append(validators, "etag")
		}
		if s.LastModified {
			validators = append(validators, "last-modified")
		}
		url := s.URL
		if s.ConfiguredURL != "" {
			url += " (moved from " + s.ConfiguredURL + ")"
		}
		interval := dash(s.Interval)
		if s.IntervalReason != "" {
			interval += " (" + s.IntervalReason + ")"
		}
		push := dash(s.WebSub)
		if s.WebSubError != "" {
			push += ": " + shorten(s.WebSubError, 40)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			s.Name, dash(s.LastStatus), s.Failures, s.Items,
			ago(s.LastAttempt, now), ago(s.LastSuccess, now), ago(s.NextFetch, now), dash(s.NextReason), interval, push,
			dash(strings.Join(validators, ",")), s.Schedule, dash(strings.Join(s.Tags, ",")), url,
			dash(shorten(cmp.Or(s.LastError, s.Degraded), 80)))
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// ago says when t is from now: "3m ago", "in 2m", or "-" for never.
func ago(t, now time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := now.Sub(t)
	if d >= 0 {
		return roundDur(d) + " ago"
	}
	return "in " + roundDur(-d)
}

// roundDur writes d to two units at most: 45s, 1m30s, 12m, 3h20m, 5d.
func roundDur(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", d/time.Second)
	case d < 10*time.Minute && d%time.Minute != 0:
		return fmt.Sprintf("%dm%ds", d/time.Minute, d%time.Minute/time.Second)
	case d < time.Hour:
		return fmt.Sprintf("%dm", d/time.Minute)
	case d < 48*time.Hour:
		if m := d % time.Hour / time.Minute; m != 0 {
			return fmt.Sprintf("%dh%dm", d/time.Hour, m)
		}
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	return fmt.Sprintf("%dd", d/(24*time.Hour))
}

// shorten cuts s to n runes on one line.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

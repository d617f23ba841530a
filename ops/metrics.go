package ops

import (
	"net/http"
	"os"
	"runtime"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"tickerd/fetcher"
)

// fetchBuckets spans a local file read to a source at the default 30s
// timeout; past that a fetch has failed anyway.
var fetchBuckets = []float64{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

// metrics is every series tickerd exports, in a registry of its own (no
// global state), with the Go runtime's and the process's.
type metrics struct {
	reg *prometheus.Registry

	fetches       *prometheus.CounterVec   // source, result
	fetchDuration *prometheus.HistogramVec // source
	fetchBytes    *prometheus.CounterVec   // source
	items         *prometheus.CounterVec   // source, result
	requests      *prometheus.CounterVec   // ticker, format, status
	widgetClients prometheus.Gauge
	reloads       *prometheus.CounterVec // result
	lastReload    prometheus.Gauge
	pruned        *prometheus.CounterVec // reason
	websub        *prometheus.CounterVec // event
}

func newMetrics(o *Ops, version, revision string) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tickerd_fetches_total",
			Help: "Fetches by source and result (ok, unchanged, not_modified, skipped, http_error, timeout, too_large, not_a_feed, parse_error, network_error, store_error, canceled, error).",
		}, []string{"source", "result"}),
		fetchDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "tickerd_fetch_duration_seconds",
			Help:    "Time to fetch, parse and store one source, by source (skipped fetches excluded).",
			Buckets: fetchBuckets,
		}, []string{"source"}),
		fetchBytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tickerd_fetch_bytes_total",
			Help: "Body bytes received from sources, after decompression, by source.",
		}, []string{"source"}),
		items: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tickerd_fetched_items_total",
			Help: "Items fetched by source and what the store did with them (new, updated, duplicate).",
		}, []string{"source", "result"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tickerd_feed_requests_total",
			Help: "Feed requests answered, by ticker, format (rss, atom, json) and HTTP status.",
		}, []string{"ticker", "format", "status"}),
		widgetClients: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "tickerd_widget_connections",
			Help: "Live widget connections (server-sent event streams) open now.",
		}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tickerd_config_reloads_total",
			Help: "Config reloads (SIGHUP) by result: ok, or error when the new config was rejected and the old one kept running.",
		}, []string{"result"}),
		lastReload: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "tickerd_config_last_reload_success_timestamp_seconds",
			Help: "When the config in force was loaded (Unix time): at start or by the last successful reload.",
		}),
		pruned: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tickerd_retention_removed_items_total",
			Help: "Items removed by retention, by reason: max_age, max_items_per_source, or dropped (source removed from the config).",
		}, []string{"reason"}),
		websub: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tickerd_websub_events_total",
			Help: "WebSub subscriber events: subscribe_requested, subscribe_failed, verified, denied, verify_refused, push_accepted, push_bad_signature, push_failed, unsubscribe_requested, unsubscribe_failed, unsubscribed.",
		}, []string{"event"}),
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "tickerd_build_info",
		Help:        "Always 1; the labels name the running build.",
		ConstLabels: prometheus.Labels{"version": version, "revision": revision, "goversion": runtime.Version()},
	})
	build.Set(1)
	// Both results show from the start, so rate() and alerts on errors
	// see a zero before the first failure.
	m.reloads.WithLabelValues("ok")
	m.reloads.WithLabelValues("error")
	m.lastReload.SetToCurrentTime()
	for _, r := range pruneReasons {
		m.pruned.WithLabelValues(r)
	}
	m.reg.MustRegister(m.fetches, m.fetchDuration, m.fetchBytes, m.items, m.requests,
		m.widgetClients, m.reloads, m.lastReload, m.pruned, m.websub, build, &stateCollector{o},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		// A metric that fails to collect must not hide all the others.
		ErrorHandling: promhttp.ContinueOnError,
	})
}

// CountHubSubscribers exports n's count as tickerd_hub_subscribers: the
// subscriptions tickerd's own WebSub hub holds. Call it once, at start.
func (o *Ops) CountHubSubscribers(n func() int) {
	o.metrics.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "tickerd_hub_subscribers",
		Help: "Subscriptions tickerd's own WebSub hub holds (websub.hub: self).",
	}, func() float64 { return float64(n()) }))
}

// WebSubEvent counts one WebSub subscriber event; pass it as
// fetcher.WebSub.OnEvent.
func (o *Ops) WebSubEvent(event string) { o.metrics.websub.WithLabelValues(event).Inc() }

// ObserveFetch counts one fetch; pass it as fetcher.Options.OnResult.
func (o *Ops) ObserveFetch(r fetcher.Result) {
	m := o.metrics
	m.fetches.WithLabelValues(r.Source, string(r.Kind())).Inc()
	if r.Status == fetcher.StatusSkipped {
		return
	}
	m.fetchDuration.WithLabelValues(r.Source).Observe(r.Duration.Seconds())
	if r.Bytes > 0 {
		m.fetchBytes.WithLabelValues(r.Source).Add(float64(r.Bytes))
	}
	for _, c := range [...]struct {
		result string
		n      int
	}{{"new", r.New}, {"updated", r.Updated}, {"duplicate", r.Duplicate}} {
		if c.n > 0 {
			m.items.WithLabelValues(r.Source, c.result).Add(float64(c.n))
		}
	}
}

// ObserveRequest counts one feed request; pass it as
// feed.Options.OnRequest.
func (o *Ops) ObserveRequest(ticker, format string, status int) {
	o.metrics.requests.WithLabelValues(ticker, format, statusText(status)).Inc()
}

// statusText avoids formatting the few statuses feeds answer with.
func statusText(code int) string {
	switch code {
	case http.StatusOK:
		return "200"
	case http.StatusNotModified:
		return "304"
	case http.StatusServiceUnavailable:
		return "503"
	}
	return strconv.Itoa(code)
}

// AddWidgetClients moves the live widget connection gauge by delta: +1
// when a stream opens, -1 when it closes. The widget's server calls it.
func (o *Ops) AddWidgetClients(delta int) {
	o.metrics.widgetClients.Add(float64(delta))
}

// ReloadFailed counts a config reload that was rejected.
func (o *Ops) ReloadFailed() { o.metrics.reloads.WithLabelValues("error").Inc() }

// Reloaded counts a config reload that took effect, and notes when.
func (o *Ops) Reloaded() {
	o.metrics.reloads.WithLabelValues("ok").Inc()
	o.metrics.lastReload.SetToCurrentTime()
}

// Pruned counts items retention removed: byAge by max_age, byCount by
// max_items_per_source, dropped with their source.
func (o *Ops) Pruned(byAge, byCount, dropped int) {
	for i, n := range [...]int{byAge, byCount, dropped} {
		o.metrics.pruned.WithLabelValues(pruneReasons[i]).Add(float64(n))
	}
}

// pruneReasons label tickerd_retention_removed_items_total, in the order
// of Pruned's arguments.
var pruneReasons = [...]string{"max_age", "max_items_per_source", "dropped"}

// stateCollector reads gauges from the store at scrape time: the store
// already keeps source states in memory, so a scrape costs a map read per
// source and one stat of the data file.
type stateCollector struct{ o *Ops }

var (
	descFailures = prometheus.NewDesc("tickerd_source_consecutive_failures",
		"Consecutive failed fetches of the source; 0 after a success.", []string{"source"}, nil)
	descNext = prometheus.NewDesc("tickerd_source_next_fetch_timestamp_seconds",
		"When a scheduled fetch will next try the source (Unix time), and why then: schedule, backoff, retry-after or host retry-after.",
		[]string{"source", "reason"}, nil)
	descLastSuccess = prometheus.NewDesc("tickerd_source_last_success_timestamp_seconds",
		"When the source was last fetched without error (Unix time).", []string{"source"}, nil)
	descDegraded = prometheus.NewDesc("tickerd_source_degraded",
		"1 while the source's feed is not well-formed XML and is read after repair (see /api/sources for where it is broken), else 0.",
		[]string{"source"}, nil)
	descItems = prometheus.NewDesc("tickerd_items_stored",
		"Items stored from the source.", []string{"source"}, nil)
	descWebSub = prometheus.NewDesc("tickerd_source_websub",
		"1 for the source's WebSub subscription state (pending, active, denied or error; see /api/sources for the hub's words).",
		[]string{"source", "state"}, nil)
	descDBSize = prometheus.NewDesc("tickerd_database_size_bytes",
		"Size of the bbolt data file.", nil, nil)
	descStoreUp = prometheus.NewDesc("tickerd_store_up",
		"Whether the database server (PostgreSQL) answers: 1 yes, 0 no; the feeds served meanwhile are stale.", nil, nil)
)

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descFailures, descDegraded, descNext, descLastSuccess, descItems, descWebSub, descDBSize, descStoreUp} {
		ch <- d
	}
}

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	for _, src := range c.o.sourceList() {
		st, _ := c.o.st.State(src.Name)
		ch <- prometheus.MustNewConstMetric(descFailures, prometheus.GaugeValue, float64(st.Failures), src.Name)
		degraded := 0.0
		if st.Degraded != "" {
			degraded = 1
		}
		ch <- prometheus.MustNewConstMetric(descDegraded, prometheus.GaugeValue, degraded, src.Name)
		ch <- prometheus.MustNewConstMetric(descItems, prometheus.GaugeValue, float64(st.Items), src.Name)
		if st.WebSub != "" {
			ch <- prometheus.MustNewConstMetric(descWebSub, prometheus.GaugeValue, 1, src.Name, st.WebSub)
		}
		if !st.NextAttempt.IsZero() {
			ch <- prometheus.MustNewConstMetric(descNext, prometheus.GaugeValue, unixSeconds(st.NextAttempt), src.Name, st.NextReason)
		}
		if !st.LastSuccess.IsZero() {
			ch <- prometheus.MustNewConstMetric(descLastSuccess, prometheus.GaugeValue, unixSeconds(st.LastSuccess), src.Name)
		}
	}
	if _, ok := c.o.st.(Pinger); ok {
		// A database server, not a file: whether it answers is the
		// series an operator alerts on.
		up := 1.0
		if err := c.o.ping(); err != nil {
			up = 0
			c.o.log.Warn("store unreachable", "err", err)
		}
		ch <- prometheus.MustNewConstMetric(descStoreUp, prometheus.GaugeValue, up)
		return
	}
	fi, err := os.Stat(c.o.st.Path())
	if err != nil {
		ch <- prometheus.NewInvalidMetric(descDBSize, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(descDBSize, prometheus.GaugeValue, float64(fi.Size()))
}

func unixSeconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

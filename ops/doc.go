// Package ops serves what operators use to watch and keep a running
// tickerd: Prometheus metrics (/metrics), readiness (/readyz), the state of
// every source (/api/sources), the sources as an OPML subscription list
// (/opml) and a backup of the data file behind an admin token
// (/api/backup).
//
// It is a package of its own because these endpoints read across the
// others: the store's source states and file, the fetcher's results, the
// feed server's requests. feed serves readers and must not import the
// fetcher; ops may import both store and fetcher, and no package imports
// ops except cmd/tickerd, which hands it the hooks' other ends
// (fetcher.Options.OnResult, feed.Options.OnRequest) and mounts Register's
// routes beside feed's handler.
//
// It is the only package that imports the Prometheus client. Counters are
// fed by those hooks as things happen; gauges that describe state
// (failures, next fetch, items stored, file size) are read from the store
// at scrape time by a Collector, so there is nothing to keep in step.
// Label values are source and ticker names from the config and a few fixed
// words, never URLs or item ids, so the number of series is bounded by the
// config.
//
// # Caveats
//
//   - /metrics and /api/sources are not protected: they name sources, their
//     URLs (passwords removed) and their last errors. Expose them only where
//     operators reach them, as for any daemon's metrics port.
//   - Counters of a source removed by a config reload stay until restart,
//     so rates over a window keep working; its gauges go at once.
//   - /api/backup streams without a Content-Length (the size is only known
//     inside the read transaction); a backup that fails midway aborts the
//     connection, so a client never mistakes a truncated copy for a whole
//     one.
package ops

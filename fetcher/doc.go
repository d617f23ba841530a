// Package fetcher polls news feeds and writes their items into the store.
//
// A Fetcher owns one shared HTTP client and a robfig/cron schedule per
// source. Each fetch is a conditional GET (or a file read) whose body is
// capped after decompression, converted to UTF-8 (see below), parsed with
// gofeed and converted to store items: titles as plain text, summaries as
// sanitized HTML (bluemonday's UGC policy, which keeps dir and lang),
// links made absolute and limited to http and https. One
// fetched feed is one store write; a 304, or a 200 whose body is
// byte-identical to the last one parsed, costs no parse and no write.
//
// Fetches are bounded overall (Options.Concurrency) and per host name
// (Options.PerHost), in time (Options.Timeout, the whole request, so a
// body dripping a byte at a time is cut too) and bytes (Options.MaxBody,
// counted after decompression, so a gzip bomb stops at the cap). At most
// one largest body is parsed at a time (a byte budget of MaxBody shared
// by all fetches), since gofeed holds many times a feed's size while it
// parses. XML nested deeper than 512 elements is refused before parsing.
// Entities an internal DTD subset declares with a literal value are
// expanded before parsing (expandEntities: few, short, three levels deep,
// within MaxBody); deeper or self-referring ones (entity bombs) and
// external ones stay inert text. A source
// is never fetched twice at once: a fetch that finds its source busy
// returns StatusSkipped at once.
//
// Reload replaces the sources and options while Run goes on: added
// sources are polled at once, removed ones are no longer fetched (Reload
// waits for a fetch of one in flight), changed schedules and limits apply
// from now, and fetches in flight finish with what they started with.
//
// A fetch follows at most 5 redirects and names a loop when it meets
// one. When every redirect on the way was permanent (301 or 308), the
// source's state remembers the new URL (SourceState.RedirectURL) and later
// fetches go there, until the configured URL changes or the new one
// answers 404 or 410; the change is logged so the operator can update the
// config. Options.BlockPrivate refuses loopback, private, link-local and
// unspecified addresses in the dialer's Control hook, that is on the
// address actually connected, after DNS and on every redirect.
//
// An HTML page where a feed was expected fails with a *NotFeedError; when
// the page advertises a feed (<link rel="alternate" type=
// "application/rss+xml" and the like) the error, the log and
// SourceState.Alternate name its URL.
//
// Every failure (no connection, a status other than 2xx, an oversized,
// empty or unparseable body, a page that is not a feed, even a panic in
// gofeed) is logged at Warn with the source's name and stored as that
// source's LastError, LastStatus "error" and one more Failures. Other
// sources carry on. Failures caused by the caller's ctx ending (shutdown)
// are returned but not stored: they are no fault of the source.
//
// Scheduled fetches (Run) of a failing source back off: after the second
// consecutive failure the next attempt waits about 1m, then 2m, 4m… up to
// Options.MaxBackoff (6h), each wait jittered into its upper half, counted
// from the last attempt in the stored state; a success resets it. A
// Retry-After from the server (seconds or an HTTP date) holds the source
// as long as it asks, up to MaxBackoff; on a 429 or 503 it holds every
// source on the same host too, until then or until the host answers a
// fetch again. Every attempt records in the source's state when the next
// scheduled attempt will be and why (store.SourceState.NextAttempt and
// NextReason). Fetch and FetchAll ignore backoff.
//
// # Adaptive polling
//
// A source on AdaptiveSchedule ("@adaptive") plans its next fetch after
// each one (adaptive.go): the items dated within the last week, spread
// over the span from the oldest of them to now (at least 15 minutes, or
// 15 times IntervalMin if less), give an interval; the feed's <ttl> and
// sy:updatePeriod/updateFrequency and the response's Cache-Control
// max-age or Expires lengthen it; IntervalMin and IntervalMax bound it.
// SourceState.Interval and IntervalReason say what was chosen and why.
// Backoff and Retry-After hold the source as for cron schedules. The cron
// schedule of such a source is a tick (a quarter of IntervalMin, 1 s to
// 30 s) that fetches once the planned time has come. Options.Now is the
// clock of every plan, so tests inject one.
//
// # WebSub
//
// With Options.WebSub.CallbackBase set, a parsed feed's hub (HTTP Link
// header first, then the feed's links) is subscribed to in the background
// with a random secret per subscription; WebSubHandler answers the hub's
// verification of intent (only for the mode and topic asked) and takes
// its deliveries: signed with that secret (X-Hub-Signature, sha256 or
// sha1, checked in constant time) or dropped, then ingested through the
// same line as a fetched body (ingestPush), holding the source's lock.
// Subscriptions are mirrored into SourceState (merged into every state a
// fetch writes, so neither side overwrites the other), renewed from the
// last tenth of their lease (Run checks every minute), asked again an
// hour after a failure or denial, and ended when a Reload removes their
// source. An active subscription polls an adaptive source at IntervalMax.
//
// # The line
//
// One source's trip is a line of steps, each a function with its own
// errors: get (fetchSlot: conditional GET or file read, 304 and
// identical bodies stop here) → decode (decodeBody: charset, DTD
// entities) → parse (parseBody: gofeed within the parse budget; when that
// fails on what may be XML, repair with repairXML and parse again) →
// convert (convertFeed) → ingest (one store write) → plan (the next
// attempt). ingestBody is the line after get, where a pushed body
// enters too.
//
// # Broken XML
//
// A body gofeed cannot parse is repaired (repairXML: bare '&' and '<'
// escaped, references completed, forbidden characters dropped, attributes
// quoted, stray end tags dropped, open elements closed at the end) and
// parsed again, within MaxBody bytes and the fetch's Timeout. Its items
// are kept and the fetch reports the first fault (Result.Degraded, an
// *XMLError with line and column); the source's state is "degraded", not
// "error", until a body parses as it is. A body that parses costs nothing
// more: the repair runs only after a failed parse.
//
// # Charsets
//
// gofeed only reads the XML prolog's encoding. The fetcher converts every
// body to UTF-8 first: a BOM decides; bytes that are already valid UTF-8
// are kept whatever the labels say, and so are bytes that are mostly UTF-8
// (at least as many valid multi-byte sequences as invalid bytes), with
// the invalid bytes replaced by U+FFFD rather than rejecting the feed;
// otherwise the HTTP charset, then the prolog's label, then windows-1252
// decide (WHATWG label names). The prolog is then rewritten to say utf-8
// so gofeed does not decode twice.
//
// # Safe output and dates
//
// Titles, categories and authors are plain text. Summaries are sanitized
// HTML (bluemonday's UGC policy): no script, style, iframe, object, embed
// or form, no event handlers, URLs only http, https and mailto (no
// javascript: or data:, data: images included); relative URLs are
// resolved against the item's link and every link gets
// rel="nofollow noopener noreferrer". Item links that are not http(s)
// are dropped. A date before 1995, past year 9999, unparseable, or ending
// in a zone abbreviation gofeed does not know (it would read "AST" as UTC)
// is dropped, so the item is dated when first seen; dates in the future
// are kept, and the store orders those items by first sight too.
//
// # Item identity
//
// An item's ID is its GUID; else its resolved link; else "h:" and 128 bits
// of SHA-256 over its case-folded, NFC, whitespace-collapsed title and its
// published date. A fetch hands the store at most the newest
// Options.MaxItems items (200); of a longer feed, only the 4×MaxItems
// newest are converted at all.
//
// # Caveats
//
//   - Bytes that are valid UTF-8 are taken as UTF-8 even when a label says
//     otherwise. A legacy-encoded body that happens to be valid UTF-8
//     throughout would be misread; for Arabic text in windows-1256 or
//     ISO-8859-6 that does not happen in practice.
//   - An undeclared non-UTF-8 charset other than windows-1252 (an
//     unlabelled windows-1256 feed, say) comes out as mojibake: nothing in
//     the bytes says what it is, and the fetcher does not guess.
//   - gofeed only looks at the first 4 KiB to recognise a feed; a feed
//     whose root element comes later fails as "not a feed".
//   - A title is taken for markup, and all its tags stripped, when any tag
//     in it is an HTML element, has attributes or is a comment; otherwise
//     "<warning>" and the like stay as text. A title mixing both loses the
//     text-like tags too. An Atom title declared type="text" keeps every
//     angle bracket; RSS has no way to declare it.
//   - What gofeed drops and a second XML pass reads (rdf:about, Atom link
//     text, text title types, xhtml:body, base64 Atom text) is read only
//     when a short search says the feed carries it; that pass costs about
//     as much as a parse. gofeed applies xml:base to Atom and to RSS link
//     elements; that pass finds the one around an RSS description.
//   - Items without GUID or link that share a title and have no date are
//     one item.
//   - The per-host limit is by host name: the configured URL's, or the
//     one a source was permanently redirected to. A redirect followed
//     within one fetch is not counted against its target host, and the
//     hold a 429 or 503 puts on a host is keyed by the configured host.
//   - Peak memory is about the bodies in flight (up to Concurrency ×
//     MaxBody while they wait to be parsed) plus one parse of the largest
//     (gofeed: 10–25× a feed's size; most for many short items). An XML
//     feed of 1 MiB or more listing more than 4×MaxItems items is cut to
//     that many of its newest before gofeed parses it (trimItems), so
//     gofeed holds at most that many items; a body the cutting pass cannot
//     read with certainty, and every JSON Feed, is still parsed whole.
//     GOMEMLIMIT bounds the heap the garbage collector lets grow beyond
//     what is live.
//   - A source's Retry-After outlives a restart (through its stored
//     NextAttempt); the hold it puts on its host does not. The per-source
//     lock is per Fetcher: two Fetchers for the same sources would fetch
//     one source at the same time; reload with Reload instead, which keeps
//     the locks.
//   - Reload keeps the fetch slots and the HTTP client when the limits
//     they are built from did not change. When Concurrency, PerHost or
//     MaxBody change, fetches still in flight hold the old slots, so for
//     their remaining moments the new limits may be exceeded by them.
//   - WebSub: a source on a cron schedule keeps it while pushed (only an
//     adaptive one slows to IntervalMax); a source whose URL a reload changes
//     subscribes anew without ending the old subscription, which lapses
//     at its lease's end; a 304 keeps the last rate, so a source that
//     falls silent is slowed only by its next changed body or by hints.
//   - The package embeds the time zone database (time/tzdata, about
//     450 KB of binary) so that CRON_TZ names resolve on hosts without one.
//   - A 304 or an identical body updates the source's state in memory
//     (store.MarkState); it reaches the disk with the next write or at
//     Close, except when it clears an error, which is written at once.
package fetcher

// Package feed publishes tickers: selections of the newest stored
// headlines, rendered as RSS 2.0, Atom 1.0 and JSON Feed 1.1 with
// gorilla/feeds and served over HTTP from memory.
//
// # Serving
//
// Requests do not query the store or encode anything. Each ticker is
// rendered in every format, with a gzip copy, its ETags and its
// Content-Length, into an immutable set behind an atomic pointer. The
// store's change log says what changed: a request that finds the log
// ahead of what the server has read reads the new changes, moves on the
// generation of exactly the tickers whose sources and filters a change
// passes, and renders its own ticker again if it is one of them; the
// others wait for that rendering rather than take the old set, so a
// client that saw a change land never reads an older feed. Tickers no
// change touched keep their bodies, and when the log was trimmed past
// what the server read, every ticker renders again. A ticker with
// max_age also renders when its oldest item ages out. Query-parameter
// variants (limit, source, tag, q, since) are rendered on demand into an
// LRU keyed by their canonical query and follow the same generations.
// Responses carry ETag, Last-Modified, Cache-Control, Vary and
// Access-Control-Allow-Origin, and conditional requests get 304.
//
// # Widget
//
// widget.go serves web/ticker.js (embedded) at /ticker.js, the custom
// element <tickerd-ticker> that news sites put on their pages; the page at
// /embed/{ticker} for iframes, under a Content-Security-Policy without
// inline script; and an index at / with every ticker live. The script
// reads the ticker's live events, or polls its JSON Feed, from the origin
// that served it. It is tested in headless Chromium (browser_test.go).
//
// # Live updates
//
// GET /events/{ticker} streams the ticker's changes as Server-Sent Events
// whose ids are store change sequence numbers (see events.go). A hub
// encodes each change once for every stream; a client resuming from
// further back than it keeps reads the store's change log itself. Streams
// are bounded by Options.LiveClients, lift the server's read and write
// timeouts (each write gets its own deadline instead), and end at
// CloseLive.
//
// # WebSub
//
// With Options.Hub set, every feed announces that hub beside its self
// link (RSS atom:link, Atom link, JSON Feed hubs, and a Link header). Hub
// is tickerd's own hub (hub.go): it takes subscriptions to the feeds'
// self URLs, verifies each subscriber's intent with a challenge, and
// when the store changes renders the feeds that have subscribers and
// pushes each changed body, signed with the subscriber's secret
// (X-Hub-Signature: sha256), at most PushRate a second, retrying a failed
// delivery after 1, 2, 4… seconds. It keeps subscriptions in memory.
//
// # gorilla/feeds
//
// The library's exported RssFeed, RssItem, AtomFeed, AtomEntry, JSONFeed
// and JSONItem are filled in directly and extended by embedding, shadowing
// the fields that cannot say what readers need (see rss.go): its own Feed
// type would mint a random Atom id per render, hold one RSS category
// and a url-less RSS <source>, a text-only Atom <category> and <source>
// that fail the RFC 4287 schema, no self links, and JSON without "items"
// when there are none. Documents go through its XmlFeed interface and
// WriteXML.
//
// # Ids
//
// Feed and entry ids are tag: URIs (RFC 4151) from BaseURL's host, the
// ticker name, and a hash of the item's source and stored id: the same
// headline has the same id in every render, ticker and format. RSS guids
// and JSON Feed ids are the item's link when its feed's GUID was that link
// (isPermaLink="true"), and the tag: URI otherwise.
//
// The desk's actions (package desk, store.Action) are applied here, where
// tickers are built (desk.go): a hidden story is left out of the store
// query, corrections replace the title and link shown, pinned stories go
// first, desk headlines join in time order, and a breaking story carries
// the category Breaking and _tickerd.breaking. Every item of the JSON
// Feed names its story (_tickerd.story) and each of its tellings
// (_tickerd.also[].item) for the desk. A desk change renders every ticker
// again; live streams get a hidden story's removal, and for any other
// action a reset, as they do when a pin or breaking mark ends.
//
// # Caveats
//
//   - Ids depend on BaseURL's host: changing base_url makes readers show
//     every headline once more.
//   - Last-Modified has one-second resolution, so two changes within one
//     second share it; clients that send If-None-Match, as most do, are
//     not affected.
//   - When a rebuild fails the last good bodies are served, and the
//     rebuild is retried a second later, not on every request. Before the
//     first successful build, feed requests get 503 with Retry-After.
//   - CORS preflight (OPTIONS) on feed and event URLs gets 204 allowing
//     any origin and the conditional and Last-Event-ID headers.
//   - Live event streams (events.go) carry changes to items, not the
//     passing of time: an item that ages out of a ticker's max_age is not
//     announced as removed. The JSON Feed of such a ticker carries
//     "_tickerd": {"max_age": seconds}, and the widget ages headlines out
//     by it; other stream clients must do the same.
//   - RSS <author> carries the item's author as the source gave it, more
//     often a name than the e-mail address RSS 2.0 asks for.
//   - Links that are not absolute http(s) URLs are dropped, including the
//     file paths of local sources; an Atom entry without a link carries its
//     summary as content instead. RSS <source url> and JSON source_url
//     fall back to BaseURL. A source URL is published through
//     store.RedactURL: no user information, secret parameter values
//     REDACTED.
//   - Event streams are limited per client address and end at a maximum
//     age (admission.go); a client resumes with Last-Event-ID.
//   - atom:source has a title and links but no id: the store does not
//     record the source feed's own id, and inventing one would misstate it.
//   - Memory: each ticker holds three bodies, about 150 KB for 50 items,
//     and their gzip copies.
//   - A correction replaces what is shown, after the ticker's keyword
//     filters judged the story's own title: a story is selected by what
//     the wire said.
package feed

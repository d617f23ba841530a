package store

import (
	"slices"
	"time"
)

// FutureSlack is how far past the moment it was first seen an item's
// published date may lie before the date is distrusted. Feeds with broken
// clocks or typos in their dates would otherwise pin a headline to the top.
const FutureSlack = 5 * time.Minute

// Item is one stored headline. The fetcher fills every field except
// FirstSeen, which the store sets on first insert, and Updated, which the
// store also sets when an item changes in place without a feed-supplied date.
//
// Title is plain text and Summary is sanitized HTML by the time an Item
// reaches the store: the store trusts its callers on that.
type Item struct {
	Source     string    `json:"src"`            // source name from the config
	ID         string    `json:"id"`             // identity within the source: GUID, else link, else title+date hash
	GUID       string    `json:"guid,omitempty"` // the feed's own id, verbatim
	Link       string    `json:"link,omitempty"`
	Title      string    `json:"title"`
	Summary    string    `json:"sum,omitempty"`
	Author     string    `json:"auth,omitempty"`
	Categories []string  `json:"cat,omitempty"`
	Lang       string    `json:"lang,omitempty"`
	Published  time.Time `json:"pub,omitzero"` // as the feed states it; zero when missing or unparseable
	Updated    time.Time `json:"upd,omitzero"` // as the feed states it, or when the store saw a change
	FirstSeen  time.Time `json:"seen,omitzero"`

	// Story is what cross-source dedupe compares; the fetcher fills it
	// (package match) and nil leaves the item out of story matching. It is
	// not stored with the item: the story index holds what matching needs.
	Story *Story `json:"-"`
	// Reports lists the other items that told the same story, in the order
	// they arrived. The store maintains it.
	Reports []Report `json:"also,omitempty"`

	// Desk is what the desk's actions make the item show (see Edits),
	// set by whoever applies them, for the feeds' marks; never stored.
	Desk *Edit `json:"-"`
}

// Story holds an item's matching forms. None of it is ever shown.
type Story struct {
	Title  string   // normalized title
	Link   string   // canonical link
	Tokens []string // the title's word set, for similarity
	// Keys are index keys such that two titles similar enough to match
	// share at least one.
	Keys []string
	// Lookup, when set, are the keys a new headline is looked up under,
	// a superset of Keys: more keys to read costs a lookup little, more
	// keys to write costs every commit (see Dedupe.LookupKeys).
	Lookup []string
}

// LookupKeys are the keys st is looked up under: Lookup when set, else
// Keys. Both backends read the story index under them.
func (st *Story) LookupKeys() []string {
	if st.Lookup != nil {
		return st.Lookup
	}
	return st.Keys
}

// Report is another source's telling of a stored story: enough of that
// source's item to show it as its own on a ticker that selects the source
// (see Item.Telling). ID, GUID, Summary and Lang are empty in reports
// stored before tellings were shown (see Report.TellingID).
type Report struct {
	Source  string    `json:"src"`
	ID      string    `json:"id,omitempty"`
	GUID    string    `json:"guid,omitempty"`
	Link    string    `json:"link,omitempty"`
	Title   string    `json:"title,omitempty"`
	Summary string    `json:"sum,omitempty"`
	Lang    string    `json:"lang,omitempty"`
	Time    time.Time `json:"time"` // the telling's Item.Time
}

// Time reports the moment used to order the item: its published date when it
// has a plausible one, otherwise the time tickerd first saw it. A missing
// date, or one more than FutureSlack after FirstSeen, falls back to FirstSeen.
func (it *Item) Time() time.Time {
	if it.Published.IsZero() {
		return it.FirstSeen
	}
	if !it.FirstSeen.IsZero() && it.Published.After(it.FirstSeen.Add(FutureSlack)) {
		return it.FirstSeen
	}
	return it.Published
}

// firstSeen makes it a new item seen at now: what the store sets on an
// item it has not stored before, and what its dedupe lookups must see.
func (it *Item) firstSeen(now time.Time) {
	it.FirstSeen = now
	it.Reports = nil
}

// sameContent reports whether two versions of one item carry the same text,
// link and dates, ignoring what the store itself sets.
func sameContent(a, b *Item) bool {
	return a.Title == b.Title && a.Summary == b.Summary && a.Link == b.Link &&
		a.GUID == b.GUID && a.Author == b.Author && a.Lang == b.Lang &&
		a.Published.Equal(b.Published) && slices.Equal(a.Categories, b.Categories) &&
		(b.Updated.IsZero() || a.Updated.Equal(b.Updated))
}

// SourceState is what tickerd remembers about one source between fetches.
// The fetcher owns every field except Items, which the store maintains.
type SourceState struct {
	Name         string    `json:"name"`
	URL          string    `json:"url,omitempty"`   // the URL last fetched
	Title        string    `json:"title,omitempty"` // the feed's own title
	Link         string    `json:"link,omitempty"`  // the feed's web site
	Lang         string    `json:"lang,omitempty"`  // the feed's declared language
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"lm,omitempty"`
	BodyHash     string    `json:"hash,omitempty"` // of the last body parsed, to skip identical ones
	LastAttempt  time.Time `json:"attempt,omitzero"`
	LastSuccess  time.Time `json:"success,omitzero"`
	LastStatus   string    `json:"status,omitempty"` // ok, degraded, not_modified, unchanged or error
	LastError    string    `json:"err,omitempty"`
	Failures     int       `json:"fails,omitempty"` // consecutive
	Items        int       `json:"items,omitempty"` // stored items from this source

	// NextAttempt is when a scheduled fetch will next try the source, as
	// the fetcher planned it after its last attempt; NextReason says why
	// then (one of the Next* constants). For a source polled "@every"
	// interval it is an estimate to within the length of one fetch.
	NextAttempt time.Time `json:"next,omitzero"`
	NextReason  string    `json:"next_reason,omitempty"`
	// RedirectURL is where URL last redirected permanently (301 or 308,
	// every hop of the chain); fetches go there until URL changes or the
	// new address answers 404 or 410.
	RedirectURL string `json:"redirect,omitempty"`
	// Alternate is the feed URL that an HTML page served at URL, instead
	// of a feed, advertises (<link rel="alternate">): the URL to configure.
	Alternate string `json:"alternate,omitempty"`
	// Degraded is set while the last body parsed was not well-formed XML
	// and was read after repair: its first fault, with line and column.
	// LastStatus is then "degraded" rather than ok, unchanged or
	// not_modified.
	Degraded string `json:"degraded,omitempty"`

	// Interval is how long an adaptive source (schedule "@adaptive")
	// waits between fetches now, and IntervalReason why ("publishes
	// 12/h", "ttl 30", "max-age 600"…). RateInterval and RateReason are
	// the part that follows the publishing rate alone, before the feed's
	// and the server's hints: a 304 keeps them.
	Interval       time.Duration `json:"interval,omitempty"`
	IntervalReason string        `json:"interval_reason,omitempty"`
	RateInterval   time.Duration `json:"rate_interval,omitempty"`
	RateReason     string        `json:"rate_reason,omitempty"`

	// Hub and Topic are the WebSub hub and self URL the feed last
	// announced (links in the feed or the HTTP Link header).
	Hub   string `json:"hub,omitempty"`
	Topic string `json:"topic,omitempty"`
	// WebSub is the subscription's state (one of the WebSub* constants;
	// empty: none), WebSubLease when its lease ends, WebSubError the
	// hub's last refusal or failure. WebSubSecret signs the hub's
	// deliveries; it is never shown.
	WebSub       string    `json:"websub,omitempty"`
	WebSubLease  time.Time `json:"websub_lease,omitzero"`
	WebSubError  string    `json:"websub_err,omitempty"`
	WebSubSecret string    `json:"websub_secret,omitempty"`
}

// States of SourceState.WebSub.
const (
	WebSubPending = "pending" // asked the hub; waiting for its verification
	WebSubActive  = "active"  // verified; the hub pushes
	WebSubDenied  = "denied"  // the hub refused (hub.mode=denied)
	WebSubError   = "error"   // the hub could not be asked, or answered an error
)

// Reasons for SourceState.NextAttempt.
const (
	NextSchedule       = "schedule"         // the source's own schedule; nothing holds it back
	NextBackoff        = "backoff"          // consecutive failures (see Failures and LastError)
	NextRetryAfter     = "retry-after"      // the server answered 429 or 503 with Retry-After
	NextHostRetryAfter = "host retry-after" // another source on the same host was told to wait
)

// Query selects items for a ticker.
type Query struct {
	// Sources limits the result to these source names; nil means all.
	Sources []string
	// Limit is the most items to return; zero or less means 50.
	Limit int
	// Since leaves out items whose Time is before it; zero means no bound.
	// The read stops at the first older item, so it also bounds the work.
	Since time.Time
	// PerSource is the most items returned from one source; zero or less
	// means no cap. Items Match refuses do not count.
	PerSource int
	// Interleave orders the result round-robin instead of newest first:
	// the newest item of each source, sources ordered by their newest
	// item, then the second newest of each, and so on.
	Interleave bool
	// Match, when set, leaves out the items for which it returns false.
	// It runs inside the read transaction; it must be quick and must not
	// keep the item (Recent returns its own copies).
	Match func(*Item) bool
	// MaxScan bounds how many items Recent examines, so that a filter
	// that matches nothing costs a bounded read; zero or less means
	// 10,000. Only items Match is tried on count.
	MaxScan int
}

// IngestResult counts what one Ingest call did.
type IngestResult struct {
	New       int
	Updated   int
	Unchanged int
	// Duplicate counts new items that told a story already stored (from
	// any source, within the dedupe window): they were recorded as reports
	// on the stored item, not as items of their own.
	Duplicate int
}

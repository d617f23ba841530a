package store

import (
	"context"
	"io"
	"time"
)

// Backend is everything the daemon asks of a store: ingest with dedupe,
// reads for the tickers, source state, the change log the live stream
// follows, retention, backup and stats. *Store (bbolt, one file) is the
// embedded backend; others (PostgreSQL for several replicas) implement the
// same contract, which store/storetest checks for each of them.
//
// The fetcher, feed and ops packages keep their own narrower interfaces,
// each a subset of this one, so a package asks only for what it uses.
// Every method must be safe for concurrent use; Version, Seq and
// LastChange run on every request and must be cheap.
type Backend interface {
	// Ingest stores one fetched feed's items and the source's new state in
	// one write, merging items into stories as the dedupe rules say.
	Ingest(ctx context.Context, st SourceState, items []Item) (IngestResult, error)
	// Recent returns the newest items of q's sources, newest first.
	Recent(ctx context.Context, q Query) ([]Item, error)

	// State reports a source's last known state, and whether one is known.
	State(name string) (SourceState, bool)
	// States reports every source's known state.
	States() []SourceState
	// MarkState records a source's state in memory, to be written later.
	MarkState(st SourceState)
	// SaveState writes a source's state now.
	SaveState(ctx context.Context, st SourceState) error

	// Version changes whenever the stored items change.
	Version() uint64
	// Seq reports the sequence number of the last change to items.
	Seq() uint64
	// LastChange reports when Version last changed.
	LastChange() time.Time
	// Changed is closed at the next change, for waiters to re-read.
	Changed() <-chan struct{}
	// Changes returns the changes after seq after, oldest first, or an
	// error wrapping ErrChangesTrimmed when they are no longer all known.
	Changes(ctx context.Context, after uint64, limit int) ([]Change, error)

	// Prune removes what r says is too old or too many.
	Prune(ctx context.Context, r Retention) (PruneResult, error)
	// DropSources removes every item of the named sources.
	DropSources(ctx context.Context, names []string) (int, error)

	// Act stores an editorial action with its audit record and logs a
	// change (Change.Desk) for it, in one durable write; see desk.go for
	// each kind's fields and Action.Check for the rules. It resolves the
	// story a telling's reference names and returns the action as
	// stored (ID and At set). Errors: *FieldError for a bad field,
	// ErrNoStory, ErrNoAction (both wrapped).
	Act(ctx context.Context, a Action) (Action, error)
	// Actions returns the actions in force (not undone, undos left out),
	// oldest first, each with its story's current Item (nil when gone).
	// NewEdits turns them into what each story shows.
	Actions(ctx context.Context) ([]Action, error)
	// Audit returns up to limit audit entries after seq after, oldest
	// first.
	Audit(ctx context.Context, after uint64, limit int) ([]AuditEntry, error)

	// Backup writes a consistent copy of the data to w.
	Backup(ctx context.Context, w io.Writer) (int64, error)
	// Path names where the data lives, for logs and the size metric.
	Path() string
	// Stats reports counts for /metrics and the logs.
	Stats() Stats
	// Close writes what is pending and releases the data.
	Close() error
}

var _ Backend = (*Store)(nil)

// Splitter is a backend that can undo a merge: Split makes the telling of
// source with id a story of its own again, lastingly and logged as
// changes (see Store.Split). The bbolt store is one; callers (ops, the
// desk) check for it, and answer that the backend cannot split otherwise.
type Splitter interface {
	Split(ctx context.Context, source, id string) (Item, error)
}

var _ Splitter = (*Store)(nil)

package fetcher

import (
	"context"
	"errors"
	"net"
)

// Kind names the outcome of a fetch in a few words from a fixed set, for
// metrics and status pages: unlike error text it never holds a URL, so it
// is safe as a label.
type Kind string

// Kinds of Result; see Result.Kind.
const (
	KindOK          Kind = "ok"           // new or updated items
	KindUnchanged   Kind = "unchanged"    // parsed nothing new, or a byte-identical body
	KindNotModified Kind = "not_modified" // 304
	KindSkipped     Kind = "skipped"      // the source was being fetched already
	KindHTTPError   Kind = "http_error"   // a status other than 2xx (StatusError)
	KindTimeout     Kind = "timeout"      // Options.Timeout or a network timeout
	KindTooLarge    Kind = "too_large"    // body over Options.MaxBody
	KindNotAFeed    Kind = "not_a_feed"   // ErrNotFeed: an HTML page, say
	KindParseError  Kind = "parse_error"  // a feed that did not parse or convert
	KindNetwork     Kind = "network_error"
	KindBlocked     Kind = "blocked"     // ErrPrivateAddress: refused by Options.BlockPrivate
	KindStoreError  Kind = "store_error" // the store refused the write: not the source's fault
	KindCanceled    Kind = "canceled"    // the caller's ctx ended (shutdown)
	KindError       Kind = "error"       // anything else
)

// phaseError marks an error with the step of the fetch that failed, where
// the error itself does not say. Its text is the wrapped error's.
type phaseError struct {
	kind Kind
	err  error
}

func (e *phaseError) Error() string { return e.err.Error() }
func (e *phaseError) Unwrap() error { return e.err }

// Kind classifies r. Errors are matched from the most specific down: a
// parse error that was really an HTML page is not_a_feed, a timeout while
// reading the body is a timeout.
func (r Result) Kind() Kind {
	switch r.Status {
	case StatusNew, StatusUpdated:
		return KindOK
	case StatusUnchanged:
		return KindUnchanged
	case StatusNotModified:
		return KindNotModified
	case StatusSkipped:
		return KindSkipped
	}
	err := r.Err
	if err == nil {
		return KindError
	}
	var se *StatusError
	var ne net.Error
	var pe *phaseError
	switch {
	case errors.Is(err, ErrBodyTooLarge):
		return KindTooLarge
	case errors.Is(err, ErrNotFeed):
		return KindNotAFeed
	case errors.Is(err, ErrPrivateAddress):
		return KindBlocked
	case errors.As(err, &se):
		return KindHTTPError
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return KindTimeout
	case errors.Is(err, context.Canceled):
		return KindCanceled
	case errors.As(err, &pe):
		return pe.kind
	case errors.As(err, &ne):
		return KindNetwork
	}
	return KindError
}

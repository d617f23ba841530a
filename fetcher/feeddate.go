package fetcher

import (
	"errors"
	"strings"
	"time"
)

// feedDateLayouts are the date shapes feeds use in practice: RSS's RFC
// 822 (with or without the weekday, one- or two-digit days, two- or
// four-digit years, numeric or named zones, with or without seconds),
// RFC 3339 and ISO 8601 variants from Atom and JSON Feed, and the C
// library's shapes some generators print.
var feedDateLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 2006 15:04 MST",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"Mon, 2 Jan 06 15:04:05 MST",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04 MST",
	"Monday, 2-Jan-06 15:04:05 MST",
	time.RFC822Z,
	time.RFC822,
	time.RFC3339Nano, // also reads RFC 3339 without fractions
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	"2006-01-02",
	time.ANSIC,
	time.UnixDate,
	time.RubyDate,
}

var errNoFeedDate = errors.New("not a date in a shape feeds use")

// parseFeedDate reads an item's date for the trim pass (trim.go), which
// only has to rank a huge feed's items well enough to keep the few
// hundred newest as candidates; the kept items are dated afterwards from
// gofeed's own parse, as every other item is. gofeed's date parser is in
// an internal package, so this is ours. A zone abbreviation Go does not
// know reads as UTC: an error of hours at most, which can only move an
// item near the cut.
func parseFeedDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errNoFeedDate
	}
	for _, layout := range feedDateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errNoFeedDate
}

// parsedFeedDate is parseFeedDate in UTC, as gofeed hands dates over: nil
// when s is no date.
func parsedFeedDate(s string) *time.Time {
	t, err := parseFeedDate(s)
	if err != nil {
		return nil
	}
	t = t.UTC()
	return &t
}

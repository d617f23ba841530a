package feed

import (
	"bytes"
	"fmt"
)

// format is one of the published encodings.
type format int

const (
	formatRSS format = iota
	formatAtom
	formatJSON
	numFormats
)

// formats describes each format; it is never modified.
var formats = [numFormats]struct {
	ext         string
	contentType string
	render      func(*view, *bytes.Buffer) error
}{
	formatRSS:  {"rss", "application/rss+xml; charset=utf-8", renderRSS},
	formatAtom: {"atom", "application/atom+xml; charset=utf-8", renderAtom},
	formatJSON: {"json", "application/feed+json; charset=utf-8", renderJSON},
}

// formatOf returns the format whose extension is ext.
func formatOf(ext string) (format, bool) {
	for f := range numFormats {
		if formats[f].ext == ext {
			return f, true
		}
	}
	return 0, false
}

func (f format) String() string {
	if f >= 0 && f < numFormats {
		return formats[f].ext
	}
	return fmt.Sprintf("format(%d)", int(f))
}

package fetcher

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"tickerd/store"
)

// maxRetryAfter caps how long a Retry-After header can silence a source: a
// hostile or broken server could otherwise ask for years.
const maxRetryAfter = 6 * time.Hour

// acceptHeader names feed types first, so servers that negotiate send a
// feed rather than the HTML page at the same URL.
const acceptHeader = "application/rss+xml, application/atom+xml, application/feed+json, " +
	"application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"

// response is what a GET brought back.
type response struct {
	notModified  bool
	body         []byte
	contentType  string
	etag         string
	lastModified string
}

// get fetches s, conditionally when st holds validators for it.
func (f *Fetcher) get(ctx context.Context, s *source, st *store.SourceState) (response, error) {
	if s.path != "" {
		return f.readFile(ctx, s.path)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL, nil)
	if err != nil {
		return response{}, fmt.Errorf("GET %s: %w", s.redacted, err)
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	req.Header.Set("Accept", acceptHeader)
	conditional := false
	if st.ETag != "" {
		req.Header.Set("If-None-Match", st.ETag)
		conditional = true
	}
	if st.LastModified != "" {
		req.Header.Set("If-Modified-Since", st.LastModified)
		conditional = true
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return response{}, err // a *url.Error already names the method and URL
	}
	defer resp.Body.Close()

	switch code := resp.StatusCode; {
	case code == http.StatusNotModified && conditional:
		return response{notModified: true, etag: resp.Header.Get("ETag"), lastModified: resp.Header.Get("Last-Modified")}, nil
	case code < 200 || code > 299 || code == http.StatusPartialContent:
		// Read a little of the error page so the connection can be reused.
		_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
		se := &StatusError{Code: code, RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())}
		return response{}, fmt.Errorf("GET %s: %w", s.redacted, se)
	}
	// Content-Length says the compressed size, if anything, when the
	// transport decompresses; only an uncompressed length can fail early.
	if !resp.Uncompressed && resp.ContentLength > f.opts.MaxBody {
		return response{}, fmt.Errorf("GET %s: %w", s.redacted, &sizeError{f.opts.MaxBody})
	}
	body, err := readBody(resp.Body, f.opts.MaxBody)
	if err != nil {
		return response{}, fmt.Errorf("read body of %s: %w", s.redacted, err)
	}
	return response{
		body:         body,
		contentType:  resp.Header.Get("Content-Type"),
		etag:         resp.Header.Get("ETag"),
		lastModified: resp.Header.Get("Last-Modified"),
	}, nil
}

// readFile reads a file:// source under the same size limit as a body.
func (f *Fetcher) readFile(ctx context.Context, path string) (response, error) {
	if err := ctx.Err(); err != nil {
		return response{}, err
	}
	fh, err := os.Open(path)
	if err != nil {
		return response{}, err // an *os.PathError already names the file
	}
	defer fh.Close()
	if fi, err := fh.Stat(); err == nil {
		switch {
		case fi.IsDir():
			return response{}, fmt.Errorf("read %s: is a directory", path)
		case fi.Size() > f.opts.MaxBody:
			return response{}, fmt.Errorf("read %s: %w", path, &sizeError{f.opts.MaxBody})
		}
	}
	body, err := readBody(fh, f.opts.MaxBody)
	if err != nil {
		return response{}, fmt.Errorf("read %s: %w", path, err)
	}
	return response{body: body}, nil
}

// readBody reads all of r if it holds at most limit bytes. It reads one
// byte more than allowed to tell "exactly the limit" from "over it"
// without trusting any declared length.
func readBody(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(b)) > limit {
		return nil, &sizeError{limit}
	}
	if err != nil {
		return nil, err
	}
	return b, nil
}

// parseRetryAfter reads a Retry-After header: seconds, or an HTTP date.
// It returns zero for none or nonsense.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		d = time.Duration(min(secs, int64(maxRetryAfter/time.Second))) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), maxRetryAfter)
}

package fetcher

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
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

// maxRedirects is how many redirects one fetch follows, as Miniflux and
// most readers do; net/http's default of 10 is generous to a hostile chain.
const maxRedirects = 5

// response is what a GET brought back.
type response struct {
	notModified bool
	body        []byte
	contentType string
	// contentLocation is the Content-Location header: the document's own
	// URL when the server says it differs from the one asked for.
	contentLocation string
	etag            string
	lastModified    string
	// url is where the body came from after redirects; permanent reports
	// that there were redirects and every one was a 301 or 308.
	url       *url.URL
	permanent bool
	// maxAge and expires are the response's Cache-Control max-age and
	// Expires (see cacheHints); links its Link header.
	maxAge, expires time.Duration
	links           []string
}

// checkRedirect stops a chain of redirects at a loop or after maxRedirects.
func checkRedirect(req *http.Request, via []*http.Request) error {
	for _, v := range via {
		if v.URL.String() == req.URL.String() {
			return fmt.Errorf("redirect loop: %s", redirectChain(via, req))
		}
	}
	if len(via) > maxRedirects {
		return fmt.Errorf("more than %d redirects: %s", maxRedirects, redirectChain(via, req))
	}
	return nil
}

func redirectChain(via []*http.Request, req *http.Request) string {
	var b strings.Builder
	for _, v := range via {
		b.WriteString(store.RedactURL(v.URL.String(), nil))
		b.WriteString(" → ")
	}
	b.WriteString(store.RedactURL(req.URL.String(), nil))
	return b.String()
}

// redirects reports whether resp came through redirects and whether all of
// them were permanent. Each request after a redirect carries the response
// that caused it.
func redirects(resp *http.Response) (redirected, permanent bool) {
	permanent = true
	for r := resp.Request; r != nil && r.Response != nil; r = r.Response.Request {
		redirected = true
		if c := r.Response.StatusCode; c != http.StatusMovedPermanently && c != http.StatusPermanentRedirect {
			permanent = false
		}
	}
	return redirected, redirected && permanent
}

// get fetches target (s's URL, or where it permanently redirected to),
// conditionally when st holds validators for it.
func (f *Fetcher) get(ctx context.Context, s *source, target string, st *store.SourceState) (response, error) {
	if s.path != "" {
		if s.g.opts.BlockPrivate {
			return response{}, fmt.Errorf("read %s: %w: file sources are refused when private addresses are blocked", s.path, ErrPrivateAddress)
		}
		return f.readFile(ctx, s.path, s.g.opts.MaxBody)
	}
	redacted := s.redacted
	if target != s.URL {
		redacted = store.RedactURL(target, s.PrivateParams)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return response{}, fmt.Errorf("GET %s: %w", redacted, err)
	}
	req.Header.Set("User-Agent", s.g.opts.UserAgent)
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
	resp, err := s.g.client.Do(req)
	if err != nil {
		return response{}, err // a *url.Error already names the method and URL
	}
	defer resp.Body.Close()

	switch code := resp.StatusCode; {
	case code == http.StatusNotModified && conditional:
		r := response{notModified: true, etag: resp.Header.Get("ETag"), lastModified: resp.Header.Get("Last-Modified")}
		r.maxAge, r.expires = s.cacheHints(resp.Header)
		return r, nil
	case code < 200 || code > 299 || code == http.StatusPartialContent:
		// Read a little of the error page so the connection can be reused.
		_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
		se := &StatusError{Code: code, RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), s.g.opts.Now())}
		return response{}, fmt.Errorf("GET %s: %w", s.redactURL(resp.Request.URL), se)
	}
	// Content-Length says the compressed size, if anything, when the
	// transport decompresses; only an uncompressed length can fail early.
	if !resp.Uncompressed && resp.ContentLength > s.g.opts.MaxBody {
		return response{}, fmt.Errorf("GET %s: %w", s.redactURL(resp.Request.URL), &sizeError{limit: s.g.opts.MaxBody})
	}
	body, err := readBody(resp.Body, s.g.opts.MaxBody, resp.ContentLength)
	if se, ok := errors.AsType[*sizeError](err); ok {
		se.decompressed = resp.Uncompressed
	}
	if err != nil {
		return response{}, fmt.Errorf("read body of %s: %w", s.redactURL(resp.Request.URL), err)
	}
	_, permanent := redirects(resp)
	maxAge, expires := s.cacheHints(resp.Header)
	return response{
		maxAge:          maxAge,
		expires:         expires,
		links:           resp.Header.Values("Link"),
		body:            body,
		contentType:     resp.Header.Get("Content-Type"),
		contentLocation: resp.Header.Get("Content-Location"),
		etag:            resp.Header.Get("ETag"),
		lastModified:    resp.Header.Get("Last-Modified"),
		url:             resp.Request.URL,
		permanent:       permanent,
	}, nil
}

// redactURL is u as store.RedactURL publishes it, with s's private
// parameters hidden too.
func (s *source) redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	return store.RedactURL(u.String(), s.PrivateParams)
}

// urlSecrets lists the credentials u carries: its user name and password
// and the values of its secret query parameters, raw and unescaped.
func urlSecrets(u *url.URL, private []string) []string {
	var out []string
	add := func(v string) {
		// Very short values would cut innocent text out of errors.
		if len(v) >= 3 && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	if u.User != nil {
		add(u.User.Username())
		if p, ok := u.User.Password(); ok {
			add(p)
		}
	}
	for _, q := range []string{u.RawQuery, u.EscapedFragment()} {
		for p := range strings.SplitSeq(q, "&") {
			name, value, ok := strings.Cut(p, "=")
			if n, err := url.QueryUnescape(name); err == nil {
				name = n
			}
			if !ok || !store.SecretParam(name, private) {
				continue
			}
			add(value)
			if v, err := url.QueryUnescape(value); err == nil {
				add(v)
			}
		}
	}
	// Longest first, so a secret holding another is cut whole.
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// scrubErr returns err with s's credentials cut out of its text, for the
// log, the Result and the state /api/sources shows. errors.Is and As
// still see the error it wraps.
func (s *source) scrubErr(err error) error {
	text := err.Error()
	clean := text
	for _, v := range s.secrets {
		clean = strings.ReplaceAll(clean, v, store.Redacted)
	}
	if clean == text {
		return err
	}
	return &scrubbedError{msg: clean, err: err}
}

// scrubbedError is an error whose text had credentials cut out.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// readFile reads a file:// source under the same size limit as a body.
func (f *Fetcher) readFile(ctx context.Context, path string, maxBody int64) (response, error) {
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
		case fi.Size() > maxBody:
			return response{}, fmt.Errorf("read %s: %w", path, &sizeError{limit: maxBody})
		}
	}
	body, err := readBody(fh, maxBody, -1)
	if err != nil {
		return response{}, fmt.Errorf("read %s: %w", path, err)
	}
	return response{body: body}, nil
}

// readBody reads all of r if it holds at most limit bytes. It reads one
// byte more than allowed to tell "exactly the limit" from "over it"
// without trusting any declared length; a plausible declared length (size,
// -1 for none) only sizes the first read. It reads into chunks of growing
// size and joins them once at the end, so an oversized body costs about
// the limit in allocations, not the 2–3× of a doubling buffer.
func readBody(r io.Reader, limit, size int64) ([]byte, error) {
	r = io.LimitReader(r, limit+1)
	next := int64(32 << 10)
	if size > 0 && size <= limit {
		next = size + 1
	}
	var chunks [][]byte
	var total int64
	for {
		c := make([]byte, next)
		n, err := io.ReadFull(r, c)
		total += int64(n)
		if total > limit {
			return nil, &sizeError{limit: limit}
		}
		if n > 0 {
			chunks = append(chunks, c[:n])
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, err
		}
		next = min(next*2, 1<<20)
	}
	switch len(chunks) {
	case 0:
		return nil, nil
	case 1:
		return chunks[0], nil
	}
	return bytes.Join(chunks, nil), nil
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

package feed

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// rawStream opens an event stream with Accept-Encoding set by hand, so
// the client does not decompress it.
func rawStream(t *testing.T, url, encoding string) *http.Response {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", encoding)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d, want 200", url, resp.StatusCode)
	}
	return resp
}

// readEvent reads frames until one of event kind, returning its data.
func readEvent(t *testing.T, r *bufio.Reader, kind string) string {
	t.Helper()
	var event string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("reading to the next %s event: %v", kind, err)
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: ") && event == kind:
			return strings.TrimPrefix(line, "data: ")
		case line == "":
			event = ""
		}
	}
}

func TestEventsGzip(t *testing.T) {
	st := newFakeStore(fixtureItems(), fixtureStates()...)
	s, hs := newEventServer(t, st, fixtureOptions())

	// Plain: the first message as it was.
	plain := rawStream(t, hs.URL+"/events/main", "identity")
	if ce := plain.Header.Get("Content-Encoding"); ce != "" {
		t.Errorf("Accept-Encoding: identity: Content-Encoding %q, want none", ce)
	}
	pc := &countingReader{r: plain.Body}
	want := readEvent(t, bufio.NewReader(pc), "reset")

	resp := rawStream(t, hs.URL+"/events/main", "gzip, deflate, br")
	if ce := resp.Header.Get("Content-Encoding"); ce != "gzip" {
		t.Fatalf("Accept-Encoding: gzip: Content-Encoding %q, want gzip", ce)
	}
	if v := resp.Header.Get("Vary"); !strings.Contains(v, "Accept-Encoding") {
		t.Errorf("Vary = %q, want Accept-Encoding in it", v)
	}
	zc := &countingReader{r: resp.Body}
	zr, err := gzip.NewReader(zc)
	if err != nil {
		t.Fatalf("gzip header: %v", err)
	}
	br := bufio.NewReader(zr)
	// Each event is flushed whole: it can be read while the stream is open.
	if got := readEvent(t, br, "reset"); got != want {
		t.Errorf("gzipped reset data differs from the plain one:\n%s\n%s", got, want)
	}
	first := zc.n

	at := seen.Add(time.Hour)
	st.add(at, newsItem("wire", "z1", "Compressed on its own", at))
	var item struct{ Title string }
	if err := json.Unmarshal([]byte(readEvent(t, br, "added")), &item); err != nil || item.Title != "Compressed on its own" {
		t.Errorf("added event after the reset = %+v (%v), want the new headline", item, err)
	}

	// The server ends the stream as complete gzip: checksum and length.
	s.CloseLive()
	if _, err := io.Copy(io.Discard, br); err != nil {
		t.Errorf("stream ended by the server: %v, want a complete gzip stream", err)
	}

	// The figures the README and the issue quote.
	jr, err := http.NewRequest("GET", hs.URL+"/t/main.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	jr.Header.Set("Accept-Encoding", "gzip")
	jresp, err := http.DefaultClient.Do(jr)
	if err != nil {
		t.Fatal(err)
	}
	jz, _ := io.ReadAll(jresp.Body)
	jresp.Body.Close()
	slim, slimZ := slimReset(t, want)
	t.Logf("first message: %d bytes plain, %d gzipped on the stream; the ticker's JSON Feed gzipped: %d; messages cut to what the widget reads: %d plain, %d gzipped",
		pc.n, first, len(jz), slim, slimZ)
	if first >= pc.n/2 {
		t.Errorf("gzipped first message is %d bytes of %d plain: not compressed", first, pc.n)
	}
}

// TestEventsRetryJitter checks that streams cut off together are not told
// to come back together.
func TestEventsRetryJitter(t *testing.T) {
	st := newFakeStore(fixtureItems(), fixtureStates()...)
	_, hs := newEventServer(t, st, fixtureOptions())
	seen := map[int]bool{}
	for range 8 {
		resp := rawStream(t, hs.URL+"/events/main", "identity")
		line, err := bufio.NewReader(resp.Body).ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		ms, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "retry:")))
		if err != nil || ms < liveRetry/2 || ms >= liveRetry*3/2 {
			t.Errorf("first line %q: want retry: between %d and %d ms", line, liveRetry/2, liveRetry*3/2)
		}
		seen[ms] = true
		resp.Body.Close()
	}
	if len(seen) < 2 {
		t.Errorf("8 streams were all told retry: %v", seen)
	}
}

// slimReset measures the reset data cut to the fields the widget reads,
// the alternative to compression the issue asked to weigh.
func slimReset(t *testing.T, data string) (plain, gz int) {
	t.Helper()
	var feed struct {
		Language string `json:"language,omitempty"`
		Tickerd  any    `json:"_tickerd,omitempty"`
		Items    []struct {
			ID        string `json:"id"`
			URL       string `json:"url,omitempty"`
			Title     string `json:"title"`
			Published string `json:"date_published,omitempty"`
			Language  string `json:"language,omitempty"`
			Tickerd   struct {
				SourceTitle string `json:"source_title,omitempty"`
			} `json:"_tickerd"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(data), &feed); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(feed)
	if err != nil {
		t.Fatal(err)
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(b)
	zw.Close()
	return len(b), z.Len()
}

// BenchmarkSSEGzipSegment is what compression costs one stream for one
// event of a typical size (every stream compresses its own copy).
func BenchmarkSSEGzipSegment(b *testing.B) {
	frame := []byte(`id: 123456` + "\n" + `event: added` + "\n" + `data: {"id":"https://news.example.org/wire/abc","url":"https://wire.example.com/abc","title":"Ceasefire talks resume in Cairo as envoys meet for a second day","content_text":"Ceasefire talks resume in Cairo as envoys meet for a second day","date_published":"2026-12-06T05:00:00Z","language":"en","_tickerd":{"source":"wire","source_title":"Wire"}}` + "\n\n")
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	var z sseGzip
	for b.Loop() {
		z.segment([][]byte{frame})
	}
}

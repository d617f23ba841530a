package fetcher

import (
	"bytes"
	"compress/gzip"
	"context"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"tickerd/store"
)

func openTestStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "tickerd.db"), nil)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// logBuffer collects a test's log lines; the logger and the test share it.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newTestFetcher(t testing.TB, st Store, opts *Options) (*Fetcher, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	f, err := New(st, opts, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("fetcher log:\n%s", logs)
		}
	})
	return f, logs
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// route is what feedServer answers on one path.
type route struct {
	body         []byte
	contentType  string
	status       int    // 0 means 200
	etag         string // sent, and matched against If-None-Match
	lastModified string // sent, and matched against If-Modified-Since
	gzip         bool   // compress when the client accepts gzip
	retryAfter   string
}

// feedServer is a loopback HTTP server with routes the test can change,
// recording the headers of every request it gets.
type feedServer struct {
	*httptest.Server
	mu     sync.Mutex
	routes map[string]route
	reqs   map[string][]http.Header
}

func newFeedServer(t testing.TB) *feedServer {
	fs := &feedServer{routes: map[string]route{}, reqs: map[string][]http.Header{}}
	fs.Server = httptest.NewServer(fs)
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedServer) set(path string, rt route) string {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.routes[path] = rt
	return fs.URL + path
}

// requests returns the headers of the requests made to path so far.
func (fs *feedServer) requests(path string) []http.Header {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]http.Header(nil), fs.reqs[path]...)
}

func (fs *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fs.mu.Lock()
	rt, ok := fs.routes[r.URL.Path]
	fs.reqs[r.URL.Path] = append(fs.reqs[r.URL.Path], r.Header.Clone())
	fs.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	if rt.retryAfter != "" {
		h.Set("Retry-After", rt.retryAfter)
	}
	if rt.status != 0 && rt.status != http.StatusOK {
		w.WriteHeader(rt.status)
		w.Write(rt.body)
		return
	}
	if rt.etag != "" {
		h.Set("ETag", rt.etag)
	}
	if rt.lastModified != "" {
		h.Set("Last-Modified", rt.lastModified)
	}
	inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
	if (rt.etag != "" && inm == rt.etag) || (inm == "" && rt.lastModified != "" && ims == rt.lastModified) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if rt.contentType != "" {
		h.Set("Content-Type", rt.contentType)
	}
	if rt.gzip && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write(rt.body)
		zw.Close()
		return
	}
	w.Write(rt.body)
}

// memStore is an in-memory Store for tests where bbolt's disk writes
// would only slow things down (schedules with hundreds of sources) or
// where the test needs to see every call.
type memStore struct {
	mu       sync.Mutex
	states   map[string]store.SourceState
	attempts map[string]int // fetch outcomes recorded, per source
	panics   int            // State panics this many more times
}

func newMemStore() *memStore {
	return &memStore{states: map[string]store.SourceState{}, attempts: map[string]int{}}
}

func (m *memStore) record(st store.SourceState) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.states[st.Name] = st
	m.attempts[st.Name]++
}

func (m *memStore) Ingest(_ context.Context, st store.SourceState, items []store.Item) (store.IngestResult, error) {
	m.record(st)
	return store.IngestResult{New: len(items)}, nil
}

func (m *memStore) SaveState(_ context.Context, st store.SourceState) error {
	m.record(st)
	return nil
}

func (m *memStore) MarkState(st store.SourceState) { m.record(st) }

func (m *memStore) State(name string) (store.SourceState, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.panics > 0 {
		m.panics--
		panic("memStore: State panics, as the test asked")
	}
	st, ok := m.states[name]
	return st, ok
}

func (m *memStore) snapshot() (map[string]store.SourceState, map[string]int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.states), maps.Clone(m.attempts)
}

package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Server modes: how the corpus server answers.
const (
	// modeConditional honours If-None-Match with 304.
	modeConditional int32 = iota
	// modeIgnore sends the whole body every time and no validators, like
	// the many servers that ignore conditional GET.
	modeIgnore
	// modeChanging is modeConditional except that one source in
	// changeEvery gets a new generation of its feed on every request.
	modeChanging
)

const changeEvery = 10

// corpusServer serves /f/{n}: source n's feed from the corpus.
type corpusServer struct {
	c    *corpus
	mode atomic.Int32

	mu   sync.Mutex  // guards gens
	gens map[int]int // source → generation last served in modeChanging
}

func newCorpusServer(c *corpus) *corpusServer {
	return &corpusServer{c: c, gens: make(map[int]int)}
}

func (s *corpusServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/f/"))
	if err != nil || n < 0 {
		http.NotFound(w, r)
		return
	}
	f := s.c.feed(n)
	mode := s.mode.Load()
	if mode == modeChanging && n%changeEvery == 0 {
		s.mu.Lock()
		s.gens[n]++
		gen := s.gens[n]
		s.mu.Unlock()
		g := genFeed(n%len(s.c.feeds), gen, s.c.items, s.c.now, s.c.vocab)
		f = &g
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	if mode != modeIgnore {
		h.Set("ETag", f.etag)
		if r.Header.Get("If-None-Match") == f.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(f.body)))
	w.Write(f.body)
}

// corpusEnv, when set in the environment, makes the process a corpus
// server (see serveCorpusMain) instead of the harness. Its value is
// "feeds,items,unix-nanoseconds,vocab" (vocab 1 for the vocabulary corpus).
const corpusEnv = "TICKERBENCH_CORPUS"

// serveCorpusMain is a corpus server process: it serves the corpus its
// environment describes, prints its URL and the corpus digest on stdout,
// takes POST /mode?m=N to change mode, and exits when stdin closes, which
// happens when the harness exits, however it exits. Keeping the corpus
// (tens of MB) and its server out of the harness's process keeps them out
// of the memory figure and of the Go heap's collection goal.
func serveCorpusMain(spec string, stdin io.Reader, stdout io.Writer) int {
	var feeds, items, vocab int
	var nanos int64
	if _, err := fmt.Sscanf(spec, "%d,%d,%d,%d", &feeds, &items, &nanos, &vocab); err != nil || feeds < 1 || items < 1 {
		fmt.Fprintf(os.Stderr, "tickerbench corpus server: bad %s %q\n", corpusEnv, spec)
		return 2
	}
	corp := newCorpus(feeds, items, time.Unix(0, nanos), vocab == 1)
	cs := newCorpusServer(corp)
	mux := http.NewServeMux()
	mux.Handle("/f/", cs)
	mux.HandleFunc("POST /mode", func(w http.ResponseWriter, r *http.Request) {
		m, err := strconv.Atoi(r.URL.Query().Get("m"))
		if err != nil || m < int(modeConditional) || m > int(modeChanging) {
			http.Error(w, "bad mode", http.StatusBadRequest)
			return
		}
		cs.mode.Store(int32(m))
	})
	base, stop, err := serve(mux)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tickerbench corpus server:", err)
		return 1
	}
	defer stop()
	fmt.Fprintln(stdout, base, corp.digest())
	io.Copy(io.Discard, stdin)
	return 0
}

// remoteCorpus is a corpus server in a child process.
type remoteCorpus struct {
	base   string
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	client *http.Client
}

// startRemoteCorpus starts a corpus server process for corp: the harness's
// own executable, told by its environment to serve.
func startRemoteCorpus(corp *corpus) (*remoteCorpus, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe)
	vocab := 0
	if corp.vocab {
		vocab = 1
	}
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d,%d,%d,%d", corpusEnv, len(corp.feeds), corp.items, corp.now.UnixNano(), vocab))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start corpus server: %w", err)
	}
	r := &remoteCorpus{cmd: cmd, stdin: stdin, client: &http.Client{Timeout: 10 * time.Second}}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	base, digest, _ := strings.Cut(strings.TrimSpace(line), " ")
	if err != nil || digest != corp.digest() {
		r.stop()
		return nil, fmt.Errorf("corpus server: said %q (%v); want its URL and digest %s", line, err, corp.digest())
	}
	r.base = base
	return r, nil
}

func (r *remoteCorpus) setMode(m int32) error {
	resp, err := r.client.Post(fmt.Sprintf("%s/mode?m=%d", r.base, m), "text/plain", nil)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("corpus server: set mode %d: status %d", m, resp.StatusCode)
	}
	return nil
}

func (r *remoteCorpus) stop() {
	r.stdin.Close()
	r.cmd.Wait()
}

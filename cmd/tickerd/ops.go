package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"tickerd/config"
	"tickerd/ops"
	"tickerd/store"
	"tickerd/store/postgres"
)

// adminTokenEnv overrides the config's admin_token, so the secret can come
// from a service manager's credentials rather than sit in the file.
const adminTokenEnv = "TICKERD_ADMIN_TOKEN"

func applyAdminTokenEnv(cfg *config.Config) error {
	tok, ok := os.LookupEnv(adminTokenEnv)
	if !ok || tok == "" {
		return nil
	}
	if err := config.CheckAdminToken(tok); err != nil {
		return fmt.Errorf("%s: %w", adminTokenEnv, err)
	}
	cfg.AdminToken = config.Secret(tok)
	return nil
}

func opsSources(cfg *config.Config) []ops.Source {
	out := make([]ops.Source, 0, len(cfg.Sources))
	for _, s := range cfg.Sources {
		sched := s.Schedule
		if sched == "" {
			sched = cfg.Schedule
		}
		out = append(out, ops.Source{Name: s.Name, URL: s.URL, Schedule: sched, Tags: s.Tags, Title: s.Title, SiteURL: s.SiteURL, PrivateParams: s.PrivateParams})
	}
	return out
}

func opsOptions(cfg *config.Config) *ops.Options {
	return &ops.Options{
		Sources:    opsSources(cfg),
		AdminToken: string(cfg.AdminToken),
		Version:    releaseVersion(),
		Revision:   revision(),
	}
}

// handler serves the feeds and, beside them, the operator endpoints.
func (d *daemon) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.feed.Load().Handler().ServeHTTP(w, r)
	}))
	d.ops.Register(mux)
	d.desk.Register(mux)
	if cfg := d.cfg.Load(); cfg.WebSub.Hub == "self" && d.hub != nil {
		mux.Handle("/hub", d.hub)
	}
	if p := callbackPath(d.cfg.Load().WebSub.CallbackBase); p != "" {
		// Hubs reach the fetcher's callbacks here; a reload that changes
		// callback_base takes a restart to move them.
		mux.Handle(p+"/", http.StripPrefix(p, d.fetcher.WebSubHandler()))
	}
	return mux
}

// lockWait is how long the offline commands wait for the data file's
// lock before concluding that a daemon holds it.
const lockWait = 500 * time.Millisecond

// daemonURLs lists where a daemon using cfg may answer, best first: its
// listen address on this machine, then its public base_url.
func daemonURLs(cfg *config.Config) []string {
	var urls []string
	if host, port, err := net.SplitHostPort(cfg.Listen); err == nil {
		if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
			host = "127.0.0.1"
		}
		urls = append(urls, "http://"+net.JoinHostPort(host, port))
	}
	if cfg.BaseURL != "" && (len(urls) == 0 || cfg.BaseURL != urls[0]) {
		urls = append(urls, cfg.BaseURL)
	}
	return urls
}

// daemonGet asks the running daemon for path at each of daemonURLs in
// turn and returns the first response, which the caller closes. A
// response with any status counts: it came from something serving there.
func daemonGet(ctx context.Context, cfg *config.Config, path string, token string, client *http.Client) (*http.Response, string, error) {
	var errs []error
	for _, base := range daemonURLs(cfg) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		return resp, base, nil
	}
	return nil, "", fmt.Errorf("the data file is in use, but no daemon answered: %w", errors.Join(errs...))
}

// cmdSources prints every source's state. bbolt lets one process hold the
// file for writing and none read beside it, so with a daemon running it
// asks the daemon's API instead.
func cmdSources(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, _, err := setup("sources", args, stderr)
	if err != nil {
		return err
	}
	statuses, err := localStatuses(cfg)
	switch {
	case errors.Is(err, store.ErrInUse):
		var from string
		statuses, from, err = remoteStatuses(ctx, cfg)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "(from the daemon at %s)\n", from)
	case errors.Is(err, os.ErrNotExist):
		fmt.Fprintf(stderr, "(no data file at %s yet: nothing fetched; showing the config)\n", cfg.Data)
		statuses = ops.Statuses(opsSources(cfg), func(string) (store.SourceState, bool) { return store.SourceState{}, false })
	case err != nil:
		return err
	}
	return ops.PrintSources(stdout, statuses, time.Now())
}

func localStatuses(cfg *config.Config) ([]ops.SourceStatus, error) {
	if cfg.Store != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		st, err := postgres.Open(ctx, cfg.Store, nil)
		if err != nil {
			return nil, err
		}
		defer st.Close()
		return ops.Statuses(opsSources(cfg), st.State), nil
	}
	if _, err := os.Stat(cfg.Data); err != nil {
		return nil, err
	}
	st, err := store.Open(cfg.Data, &store.Options{ReadOnly: true, Timeout: lockWait})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return ops.Statuses(opsSources(cfg), st.State), nil
}

func remoteStatuses(ctx context.Context, cfg *config.Config) ([]ops.SourceStatus, string, error) {
	client := &http.Client{Timeout: 10 * time.Second}
	resp, from, err := daemonGet(ctx, cfg, "/api/sources", "", client)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("GET %s/api/sources: %s", from, resp.Status)
	}
	var rep ops.SourcesReport
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&rep); err != nil {
		return nil, "", fmt.Errorf("GET %s/api/sources: %w", from, err)
	}
	return rep.Sources, from, nil
}

// partialPrefix starts the name of the temporary file a backup to out is
// written to before it is renamed to out.
func partialPrefix(out string) string { return "." + filepath.Base(out) + ".partial-" }

// removeStalePartials removes the temporary files of backups to out that
// never finished (killed, even with SIGKILL): each can be as large as the
// data file. A backup in progress holds a lock on its temporary file, so
// only files no process holds are removed.
func removeStalePartials(out string) {
	dir, prefix := filepath.Dir(out), partialPrefix(out)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil {
			os.Remove(path)
		}
		f.Close()
	}
}

// cmdBackup writes a consistent copy of the data file to OUT: from the
// file itself when no daemon holds it, else through the daemon's
// /api/backup. OUT appears only once complete and verified to open.
func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, _, rest, err := setupN("backup", args, stderr, 1)
	if err != nil {
		return err
	}
	out := rest[0]
	if cfg.Store != "" {
		return fmt.Errorf("backup: the store is PostgreSQL (store: in %s): use pg_dump, or `tickerd migrate %s %s` for a bbolt copy", cfg.Path, postgres.Redact(cfg.Store), out)
	}
	removeStalePartials(out)
	tmp, err := os.CreateTemp(filepath.Dir(out), partialPrefix(out)+"*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// The lock tells a later backup to the same OUT that this partial
	// file is being written; the kernel drops it when the process dies,
	// however it dies.
	if err := syscall.Flock(int(tmp.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("backup: lock %s: %w", tmp.Name(), err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()

	var n int64
	var from string
	st, err := store.Open(cfg.Data, &store.Options{ReadOnly: true, Timeout: lockWait})
	switch {
	case err == nil:
		from = cfg.Data
		n, err = st.Backup(ctx, tmp)
		if cerr := st.Close(); err == nil {
			err = cerr
		}
	case errors.Is(err, store.ErrInUse):
		n, from, err = remoteBackup(ctx, cfg, tmp)
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// A backup that does not open is worse than none: it looks like one.
	check, err := store.Open(tmp.Name(), &store.Options{ReadOnly: true, Timeout: lockWait})
	if err != nil {
		return fmt.Errorf("backup: the copy does not open: %w", err)
	}
	check.Close()
	if err := os.Rename(tmp.Name(), out); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	ok = true
	fmt.Fprintf(stdout, "backup: %s (%s) from %s\n", out, sizeString(n), from)
	return nil
}

func remoteBackup(ctx context.Context, cfg *config.Config, w io.Writer) (int64, string, error) {
	if cfg.AdminToken == "" {
		return 0, "", fmt.Errorf("a daemon holds %s; backing up through its API needs the admin token: set admin_token in the config or %s", cfg.Data, adminTokenEnv)
	}
	// No overall timeout: a large file takes what it takes; the daemon
	// bounds the response on its side.
	resp, from, err := daemonGet(ctx, cfg, "/api/backup", string(cfg.AdminToken), &http.Client{})
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusUnauthorized:
		return 0, "", fmt.Errorf("the daemon at %s refused the admin token (is it the one the daemon was started with?)", from)
	default:
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		return 0, "", fmt.Errorf("GET %s/api/backup: %s: %s", from, resp.Status, strings.TrimSpace(string(msg)))
	}
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, "", fmt.Errorf("GET %s/api/backup: after %d bytes: %w", from, n, err)
	}
	return n, "the daemon at " + from, nil
}

// cmdCompact rewrites the data file without its free pages. It needs the
// file to itself.
func cmdCompact(args []string, stdout, stderr io.Writer) error {
	cfg, _, err := setup("compact", args, stderr)
	if err != nil {
		return err
	}
	res, err := store.Compact(cfg.Data, &store.Options{Timeout: lockWait})
	if errors.Is(err, store.ErrInUse) {
		return fmt.Errorf("cannot compact %s while a daemon holds it: stop tickerd, run compact, start it again (a backup can be taken while it runs: tickerd backup)", cfg.Data)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "compacted %s: %s -> %s\n", cfg.Data, sizeString(res.Before), sizeString(res.After))
	return nil
}

// sizeString writes n bytes for people: 512 B, 3.4 MiB.
func sizeString(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// callbackPath is the URL path of websub.callback_base, where the daemon
// serves WebSub callbacks; "" when subscribing is off.
func callbackPath(base string) string {
	u, err := url.Parse(base)
	if base == "" || err != nil {
		return ""
	}
	return strings.TrimRight(u.Path, "/")
}

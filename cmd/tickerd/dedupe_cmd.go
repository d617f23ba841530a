package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"tickerd/config"
	"tickerd/ops"
	"tickerd/store"
)

// cmdSplit makes one telling its own story again: SOURCE and ITEM-ID name
// it as /api/sources and the feeds do. On the data file when no daemon
// holds it, else through the daemon's POST /api/split with the admin
// token, so the running daemon's tickers and streams show it at once.
func cmdSplit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, logger, rest, err := setupN("split", args, stderr, 2)
	if err != nil {
		return err
	}
	source, id := rest[0], rest[1]
	matcher, err := newMatcher(cfg)
	if err != nil {
		return err
	}
	var it store.Item
	var from string
	if cfg.Store != "" {
		// PostgreSQL: the database is shared with any running replicas,
		// and a split takes the same write lock they do.
		b, pg, err := openStore(cfg, matcher, logger)
		if err != nil {
			return fmt.Errorf("split %s %q: %w", source, id, err)
		}
		it, err = pg.Split(ctx, source, id)
		if cerr := b.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("split %s %q: %w", source, id, err)
		}
		fmt.Fprintf(stdout, "split: %s %q now tells its story alone (%s), via %s\n", it.Source, it.ID, it.Title, pg.Path())
		return nil
	}
	st, err := store.Open(cfg.Data, storeOptions(cfg, matcher, logger, lockWait))
	switch {
	case err == nil:
		from = cfg.Data
		it, err = st.Split(ctx, source, id)
		if cerr := st.Close(); err == nil {
			err = cerr
		}
	case errors.Is(err, store.ErrInUse):
		it, from, err = remoteSplit(ctx, cfg, source, id)
	}
	if err != nil {
		return fmt.Errorf("split %s %q: %w", source, id, err)
	}
	fmt.Fprintf(stdout, "split: %s %q now tells its story alone (%s), via %s\n", it.Source, it.ID, it.Title, from)
	return nil
}

func remoteSplit(ctx context.Context, cfg *config.Config, source, id string) (store.Item, string, error) {
	if cfg.AdminToken == "" {
		return store.Item{}, "", fmt.Errorf("a daemon holds %s; splitting through its API needs the admin token: set admin_token in the config or %s", cfg.Data, adminTokenEnv)
	}
	body, _ := json.Marshal(ops.SplitRequest{Source: source, ID: id})
	resp, from, err := daemonDo(ctx, cfg, http.MethodPost, "/api/split", body, string(cfg.AdminToken), &http.Client{Timeout: 30 * time.Second}, nil)
	if err != nil {
		return store.Item{}, "", err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusUnauthorized:
		return store.Item{}, "", fmt.Errorf("the daemon at %s refused the admin token (is it the one the daemon was started with?)", from)
	case http.StatusNotFound:
		return store.Item{}, "", fmt.Errorf("%w (the daemon at %s says: %s)", store.ErrNotFound, from, strings.TrimSpace(string(msg)))
	case http.StatusConflict:
		return store.Item{}, "", fmt.Errorf("%w (the daemon at %s says so)", store.ErrNotMerged, from)
	default:
		return store.Item{}, "", fmt.Errorf("POST %s/api/split: %s: %s", from, resp.Status, strings.TrimSpace(string(msg)))
	}
	var r ops.SplitResponse
	if err := json.Unmarshal(msg, &r); err != nil {
		return store.Item{}, "", fmt.Errorf("POST %s/api/split: %w", from, err)
	}
	return store.Item{Source: r.Source, ID: r.ID, Title: r.Title}, "the daemon at " + from, nil
}

// daemonDo is daemonGet for any method, with a JSON body (nil: none)
// and header's fields besides.
func daemonDo(ctx context.Context, cfg *config.Config, method, path string, body []byte, token string, client *http.Client, header http.Header) (*http.Response, string, error) {
	var errs []error
	for _, base := range daemonURLs(cfg) {
		req, err := http.NewRequestWithContext(ctx, method, base+path, bytes.NewReader(body))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for k, v := range header {
			req.Header[k] = v
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
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

// cmdMatch prints why two headlines are, or are not, one story under the
// config's dedupe rules (its lexicon, outlets and threshold): both
// canonical forms, the score, the tokens that decided and the rule. It
// reads no data file, so it runs beside a daemon.
func cmdMatch(args []string, stdout, stderr io.Writer) error {
	cfg, _, rest, err := setupN("match", args, stderr, 2)
	if err != nil {
		return err
	}
	matcher, err := newMatcher(cfg)
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, matcher.Explain(rest[0], rest[1], cfg.Dedupe.Similarity))
	return nil
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tickerd/config"
	"tickerd/desk"
	"tickerd/store"
)

// The desk's verbs: hide, pin, unpin, breaking, correct, add, undo and
// audit. Like sources and backup they go through the running daemon's API
// (with the admin token) when a daemon holds the data file, and act on
// the file itself when none does.

const deskUsage = `desk commands (STORY is a story's reference, source/id: the "story"
of an item in a ticker's JSON Feed, or from the console):
  hide     STORY                      take the story off every ticker
  pin      [-for D|-until T] [-ticker NAME,...] STORY
                                      keep it first (on the named tickers, else all)
  unpin    STORY                      end its pin
  breaking [-for D|-until T] STORY    mark it breaking
  correct  [-title T] [-link URL] STORY
                                      show another title and/or link
  add      [-link URL] [-lang L] [-ticker NAME,...] TITLE
                                      publish a headline of the newsroom's own
  undo     ID | -of KIND STORY        withdraw an action (by id, or the newest of a kind on a story)
  audit    [-after SEQ] [-limit N]    print the audit log
`

func cmdDesk(ctx context.Context, verb string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tickerd "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, deskUsage) }
	cfgPath := fs.String("config", "config.yaml", "config file")
	fs.String("log-level", "info", "debug, info, warn or error")
	var forD, until, tickers, title, link, lang, of string
	var after uint64
	limit := 100
	switch verb {
	case "pin", "breaking":
		fs.StringVar(&forD, "for", "", "how long, e.g. 2h")
		fs.StringVar(&until, "until", "", "until this RFC 3339 time")
		if verb == "pin" {
			fs.StringVar(&tickers, "ticker", "", "comma-separated ticker names (default: all)")
		}
	case "correct":
		fs.StringVar(&title, "title", "", "the corrected title")
		fs.StringVar(&link, "link", "", "the corrected link")
	case "add":
		fs.StringVar(&link, "link", "", "the headline's link")
		fs.StringVar(&lang, "lang", "", "its language, e.g. ar")
		fs.StringVar(&tickers, "ticker", "", "comma-separated ticker names (default: all)")
	case "undo":
		fs.StringVar(&of, "of", "", "the kind of action to undo on STORY: hide, pin, breaking, correct or add")
	case "audit":
		fs.Uint64Var(&after, "after", 0, "only entries after this sequence number")
		fs.IntVar(&limit, "limit", 100, "at most this many entries")
	}
	if err := fs.Parse(args); err != nil {
		return exitError{err: err, quiet: true}
	}
	want := 1
	if verb == "audit" {
		want = 0
	}
	if fs.NArg() != want {
		fs.Usage()
		return fmt.Errorf("%s: want %d argument(s), got %d", verb, want, fs.NArg())
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitError{err: err, quiet: true}
	}
	if verb == "audit" {
		return deskAudit(ctx, cfg, after, limit, stdout, stderr)
	}
	arg := fs.Arg(0)
	req := desk.Request{Kind: verb, Story: arg, For: forD, Title: title, Link: link, Lang: lang, Of: of}
	if tickers != "" {
		req.Tickers = strings.Split(tickers, ",")
	}
	if until != "" {
		t, err := time.Parse(time.RFC3339, until)
		if err != nil {
			return fmt.Errorf("%s: -until %q: want an RFC 3339 time such as 2026-12-06T18:00:00Z", verb, until)
		}
		req.Until = t
	}
	switch verb {
	case "unpin":
		req.Kind, req.Of = store.ActUndo, store.ActPin
	case "add":
		req.Story, req.Title = "", arg
	case "undo":
		if of == "" {
			n, err := strconv.ParseUint(arg, 10, 64)
			if err != nil {
				return fmt.Errorf("undo: %q is not an action id (or give -of KIND STORY)", arg)
			}
			req.Story, req.Undo = "", n
		}
	}
	a, from, err := deskAct(ctx, cfg, req)
	if err != nil {
		return fmt.Errorf("%s: %w", verb, err)
	}
	fmt.Fprintf(stderr, "(%s)\n", from)
	fmt.Fprintf(stdout, "%s #%d on %s\n", a.Kind, a.ID, a.Story)
	return nil
}

// deskAct takes the action on the data file, or through the daemon that
// holds it.
func deskAct(ctx context.Context, cfg *config.Config, req desk.Request) (store.Action, string, error) {
	st, where, err := deskBackend(cfg, false)
	if err == nil {
		defer st.Close()
		a, err := desk.ParseAction(req, deskTickers(cfg), time.Now())
		if err != nil {
			return a, "", err
		}
		a.Who = "cli"
		a, err = st.Act(ctx, a)
		return a, where, err
	}
	if !errors.Is(err, store.ErrInUse) {
		return store.Action{}, "", err
	}
	body, err := json.Marshal(req)
	if err != nil {
		return store.Action{}, "", err
	}
	var a store.Action
	from, err := deskCall(ctx, cfg, http.MethodPost, "/api/actions", body, &a)
	return a, "through the daemon at " + from, err
}

// deskBackend opens the store the desk's verbs act on: the database
// (PostgreSQL takes every replica's and tool's writes at once), or the
// data file when no daemon holds it (an error wrapping store.ErrInUse
// when one does).
func deskBackend(cfg *config.Config, readOnly bool) (store.Backend, string, error) {
	// Opened as every command that writes the data file opens it: the
	// story index is keyed by the config's matching rules.
	matcher, err := newMatcher(cfg)
	if err != nil {
		return nil, "", err
	}
	logger := slog.New(slog.DiscardHandler)
	if cfg.Store != "" {
		st, _, err := openStore(cfg, matcher, logger)
		return st, "on the database", err
	}
	opts := storeOptions(cfg, matcher, logger, lockWait)
	opts.ReadOnly = readOnly
	st, err := store.Open(cfg.Data, opts)
	if err != nil {
		return nil, "", err
	}
	return st, "on " + cfg.Data, nil
}

// deskCall sends one request to the daemon's desk API with the admin
// token and decodes its JSON answer into out.
func deskCall(ctx context.Context, cfg *config.Config, method, path string, body []byte, out any) (string, error) {
	if cfg.AdminToken == "" {
		return "", fmt.Errorf("a daemon holds %s; the desk's API needs the admin token: set admin_token in the config or %s", cfg.Data, adminTokenEnv)
	}
	resp, base, err := daemonDo(ctx, cfg, method, path, body, string(cfg.AdminToken), &http.Client{Timeout: 10 * time.Second},
		http.Header{"X-Tickerd-User": {"cli"}})
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return base, fmt.Errorf("%s %s%s: %w", method, base, path, err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct{ Error string }
		if json.Unmarshal(data, &e) != nil || e.Error == "" {
			e.Error = strings.TrimSpace(string(data))
		}
		return base, fmt.Errorf("the daemon at %s answered %s: %s", base, resp.Status, e.Error)
	}
	return base, json.Unmarshal(data, out)
}

func deskAudit(ctx context.Context, cfg *config.Config, after uint64, limit int, stdout, stderr io.Writer) error {
	var entries []store.AuditEntry
	st, _, err := deskBackend(cfg, true)
	switch {
	case err == nil:
		entries, err = st.Audit(ctx, after, limit)
		st.Close()
		if err != nil {
			return err
		}
	case errors.Is(err, store.ErrInUse):
		var rep struct{ Entries []store.AuditEntry }
		from, err := deskCall(ctx, cfg, http.MethodGet, fmt.Sprintf("/api/audit?after=%d&limit=%d", after, limit), nil, &rep)
		if err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		fmt.Fprintf(stderr, "(from the daemon at %s)\n", from)
		entries = rep.Entries
	default:
		return fmt.Errorf("audit: %w", err)
	}
	for _, e := range entries {
		what := e.Action.Kind
		if e.Action.Undo != 0 {
			what += fmt.Sprintf(" #%d", e.Action.Undo)
		}
		fmt.Fprintf(stdout, "%d\t%s\t%s\t%s #%d\t%s\t%s -> %s\n", e.Seq, e.At.Format(time.RFC3339), e.Who, what, e.Action.ID,
			e.Story, shownString(e.Before), shownString(e.After))
	}
	return nil
}

// shownString writes what a story showed for the audit's lines.
func shownString(s store.Shown) string {
	var marks []string
	for _, m := range []struct {
		on   bool
		name string
	}{{s.Hidden, "hidden"}, {s.Pinned, "pinned"}, {s.Breaking, "breaking"}, {s.Added, "added"}} {
		if m.on {
			marks = append(marks, m.name)
		}
	}
	out := strconv.Quote(s.Title)
	if len(marks) > 0 {
		out += " [" + strings.Join(marks, ",") + "]"
	}
	return out
}

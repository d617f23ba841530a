// Package desk is the newsroom's editorial desk: an authenticated JSON API
// under /api/ for the actions editors take on stories (hide, pin,
// breaking, correct, add, undo; see store.Action) and their audit log, and
// the web console at /desk that drives it. It reads and writes through the
// store only: the feed package applies the actions where tickers are
// built, so every output agrees.
//
// Authentication: the admin token from the config, compared in constant
// time, either as "Authorization: Bearer TOKEN" (the CLI; a header no
// HTML form can set, so CSRF cannot use it) or exchanged at POST
// /api/login for a session cookie (the console: HttpOnly, SameSite=Strict,
// Secure behind TLS), which is taken only from requests whose Origin (or
// Sec-Fetch-Site) says they come from this site and carry a JSON body. A
// token in the query string is refused: URLs end up in logs and
// histories. The routes send no CORS headers, so no other origin reads
// their answers.
//
// # Caveats
//
// Sessions live in memory: a restart logs the console out. The desk's
// tickers are the ones configured when it was built (SetTickers updates
// them on reload).
package desk

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"tickerd/match"
	"tickerd/store"
)

// Store is what the desk asks of the store (see store.Backend).
type Store interface {
	Act(ctx context.Context, a store.Action) (store.Action, error)
	Actions(ctx context.Context) ([]store.Action, error)
	Audit(ctx context.Context, after uint64, limit int) ([]store.AuditEntry, error)
}

// Ticker is what the console shows of a configured ticker.
type Ticker struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	Lang  string `json:"lang,omitempty"`
	// Path is the ticker's JSON Feed, e.g. /feed.json or /t/name.json.
	Path string `json:"json"`
}

// Options configures a Desk.
type Options struct {
	// AdminToken guards every route; empty turns the desk's writes off.
	AdminToken string
	// BaseURL is where the site is reached; its origin is accepted as
	// the console's, beside the request's own Host.
	BaseURL string
	// Tickers are the configured tickers, the first the default.
	Tickers []Ticker
	// WidgetURL is the widget script's path, for the configurator.
	WidgetURL string
	// SessionTTL is how long a console login lasts; zero means 12h.
	SessionTTL time.Duration
	// Now replaces time.Now, for tests.
	Now func() time.Time
}

// Desk serves the API and the console. It is safe for concurrent use.
type Desk struct {
	st     Store
	log    *slog.Logger
	token  []byte
	origin string // BaseURL's scheme://host, or ""
	secure bool   // BaseURL is https: cookies are Secure
	ttl    time.Duration
	now    func() time.Time

	mu        sync.Mutex // guards tickers, widgetURL and sessions
	tickers   []Ticker
	widgetURL string
	sessions  map[string]session // by the hash of the cookie's value
}

type session struct {
	who     string
	expires time.Time
}

const (
	cookieName  = "tickerd_desk"
	maxBody     = 64 << 10
	maxSessions = 1000
)

//go:embed web
var webFS embed.FS

// New returns a desk over st.
func New(st Store, opts *Options, logger *slog.Logger) *Desk {
	var o Options
	if opts != nil {
		o = *opts
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	d := &Desk{
		st: st, log: logger.With("component", "desk"), token: []byte(o.AdminToken),
		ttl: o.SessionTTL, now: o.Now, tickers: o.Tickers, widgetURL: o.WidgetURL,
		sessions: make(map[string]session),
	}
	if d.ttl <= 0 {
		d.ttl = 12 * time.Hour
	}
	if d.now == nil {
		d.now = time.Now
	}
	if u, err := url.Parse(o.BaseURL); err == nil && u.Host != "" {
		d.origin = u.Scheme + "://" + u.Host
		d.secure = u.Scheme == "https"
	}
	return d
}

// SetTickers replaces the tickers and the widget's path after a reload.
func (d *Desk) SetTickers(tickers []Ticker, widgetURL string) {
	d.mu.Lock()
	d.tickers, d.widgetURL = tickers, widgetURL
	d.mu.Unlock()
}

// Register mounts the desk's routes:
//
//	GET  /desk, /desk/{file}  the console
//	POST /api/login           {"token", "name"} → session cookie
//	POST /api/logout
//	GET  /api/desk            the tickers and who is logged in
//	GET  /api/actions         the actions in force, with their stories
//	POST /api/actions         take an action (store.Action's fields)
//	GET  /api/audit           ?after=SEQ&limit=N
//	POST /api/desk/split      {"item": "source/id"}: split a telling off its story
func (d *Desk) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /desk", d.serveConsole)
	mux.HandleFunc("GET /desk/{file}", d.serveAsset)
	mux.HandleFunc("POST /api/login", d.serveLogin)
	mux.HandleFunc("POST /api/logout", d.guard(d.serveLogout))
	mux.HandleFunc("GET /api/desk", d.guard(d.serveInfo))
	mux.HandleFunc("GET /api/actions", d.guard(d.serveActions))
	mux.HandleFunc("POST /api/actions", d.guard(d.serveAct))
	mux.HandleFunc("GET /api/audit", d.guard(d.serveAudit))
	mux.HandleFunc("POST /api/desk/split", d.guard(d.serveSplit))
}

// apiError is every error answer's body.
type apiError struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

func fail(w http.ResponseWriter, status int, field, format string, args ...any) {
	writeJSON(w, status, apiError{Error: fmt.Sprintf(format, args...), Field: field})
}

// tokenParams are query parameters that would carry a credential.
var tokenParams = []string{"token", "access_token", "admin_token", "auth", "key"}

// guard lets a request through to h with who made it, or answers 401 or
// 403.
func (d *Desk) guard(h func(w http.ResponseWriter, r *http.Request, who string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		for _, p := range tokenParams {
			if q.Has(p) {
				d.log.Warn("desk request refused: credential in the query string", "remote", r.RemoteAddr, "param", p)
				fail(w, http.StatusUnauthorized, "", "the admin token goes in the Authorization header, never in the URL")
				return
			}
		}
		if len(d.token) == 0 {
			fail(w, http.StatusForbidden, "", "the desk is off: set admin_token in the config or TICKERD_ADMIN_TOKEN")
			return
		}
		if auth := r.Header.Get("Authorization"); auth != "" {
			if !d.tokenOK(bearer(auth)) {
				d.log.Warn("desk request refused: wrong admin token", "remote", r.RemoteAddr)
				w.Header().Set("WWW-Authenticate", `Bearer realm="tickerd"`)
				fail(w, http.StatusUnauthorized, "", "wrong admin token")
				return
			}
			who := strings.TrimSpace(r.Header.Get("X-Tickerd-User"))
			if who == "" || len(who) > store.MaxActionWho {
				who = "token"
			}
			h(w, r, match.SafeText(who))
			return
		}
		c, err := r.Cookie(cookieName)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="tickerd"`)
			fail(w, http.StatusUnauthorized, "", "log in first (POST /api/login) or send Authorization: Bearer TOKEN")
			return
		}
		s, ok := d.session(c.Value)
		if !ok {
			fail(w, http.StatusUnauthorized, "", "session expired: log in again")
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if why := d.crossSite(r); why != "" {
				d.log.Warn("desk request refused: cross-site", "remote", r.RemoteAddr, "why", why)
				fail(w, http.StatusForbidden, "", "cross-site request refused: %s", why)
				return
			}
		}
		h(w, r, s.who)
	}
}

// bearer returns the token of an Authorization header, "" for another
// scheme.
func bearer(h string) string {
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

// tokenOK compares tok with the admin token in constant time (hashes of
// equal length, so not even the length leaks).
func (d *Desk) tokenOK(tok string) bool {
	if len(d.token) == 0 || tok == "" {
		return false
	}
	a, b := sha256.Sum256([]byte(tok)), sha256.Sum256(d.token)
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// crossSite says why a cookie-authenticated write may come from another
// site, "" when it comes from this one: its Origin is this site's (or,
// without Origin, the browser says same-origin), and its body is JSON,
// which no HTML form can send.
func (d *Desk) crossSite(r *http.Request) string {
	origin := r.Header.Get("Origin")
	switch {
	case origin != "":
		if !d.sameOrigin(r, origin) {
			return "Origin " + origin + " is not this site"
		}
	case r.Header.Get("Sec-Fetch-Site") == "same-origin":
	default:
		return "no Origin header"
	}
	if ct := r.Header.Get("Content-Type"); r.ContentLength != 0 && !strings.HasPrefix(ct, "application/json") {
		return "body is not application/json"
	}
	return ""
}

func (d *Desk) sameOrigin(r *http.Request, origin string) bool {
	if d.origin != "" && strings.EqualFold(origin, d.origin) {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host) &&
		(u.Scheme == "http" && r.TLS == nil || u.Scheme == "https")
}

func sessionKey(v string) string {
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:])
}

func (d *Desk) session(v string) (session, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	k := sessionKey(v)
	s, ok := d.sessions[k]
	if ok && !d.now().Before(s.expires) {
		delete(d.sessions, k)
		ok = false
	}
	return s, ok
}

type loginRequest struct {
	Token string `json:"token"`
	Name  string `json:"name"`
}

func (d *Desk) serveLogin(w http.ResponseWriter, r *http.Request) {
	if len(d.token) == 0 {
		fail(w, http.StatusForbidden, "", "the desk is off: set admin_token in the config or TICKERD_ADMIN_TOKEN")
		return
	}
	if r.URL.RawQuery != "" {
		fail(w, http.StatusUnauthorized, "", "the admin token goes in the body, never in the URL")
		return
	}
	// A login from another site would log the browser in as the
	// attacker's session (login CSRF).
	if why := d.crossSite(r); why != "" {
		fail(w, http.StatusForbidden, "", "cross-site login refused: %s", why)
		return
	}
	var req loginRequest
	if field, err := decode(w, r, &req); err != nil {
		fail(w, http.StatusBadRequest, field, "%v", err)
		return
	}
	if !d.tokenOK(req.Token) {
		d.log.Warn("desk login refused: wrong admin token", "remote", r.RemoteAddr)
		fail(w, http.StatusUnauthorized, "token", "wrong admin token")
		return
	}
	who := match.SafeText(strings.TrimSpace(req.Name))
	if who == "" {
		who = "desk"
	}
	if len(who) > store.MaxActionWho {
		fail(w, http.StatusBadRequest, "name", "longer than %d bytes", store.MaxActionWho)
		return
	}
	var raw [32]byte
	rand.Read(raw[:])
	v := hex.EncodeToString(raw[:])
	now := d.now()
	d.mu.Lock()
	for k, s := range d.sessions {
		if !now.Before(s.expires) || len(d.sessions) >= maxSessions {
			delete(d.sessions, k)
		}
	}
	d.sessions[sessionKey(v)] = session{who: who, expires: now.Add(d.ttl)}
	d.mu.Unlock()
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: v, Path: "/", MaxAge: int(d.ttl / time.Second),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: d.secure || r.TLS != nil,
	})
	d.log.Info("desk login", "who", who, "remote", r.RemoteAddr)
	writeJSON(w, http.StatusOK, map[string]string{"who": who})
}

func (d *Desk) serveLogout(w http.ResponseWriter, r *http.Request, _ string) {
	if c, err := r.Cookie(cookieName); err == nil {
		d.mu.Lock()
		delete(d.sessions, sessionKey(c.Value))
		d.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	writeJSON(w, http.StatusOK, map[string]string{})
}

func (d *Desk) serveInfo(w http.ResponseWriter, _ *http.Request, who string) {
	d.mu.Lock()
	// The console's Split buttons work when the store can split
	// (store.Splitter); otherwise they stay off.
	_, split := d.st.(store.Splitter)
	info := map[string]any{"who": who, "tickers": d.tickers, "widget": d.widgetURL, "split": split}
	d.mu.Unlock()
	writeJSON(w, http.StatusOK, info)
}

// Request is an action as the API takes it (POST /api/actions): what a
// client may set.
type Request struct {
	Kind    string    `json:"kind"`
	Story   string    `json:"story,omitempty"`
	Tickers []string  `json:"tickers,omitempty"`
	Until   time.Time `json:"until,omitzero"`
	// For is Until as a duration from now ("2s", "1h"), for clients
	// without a clock to trust.
	For   string `json:"for,omitempty"`
	Title string `json:"title,omitempty"`
	Link  string `json:"link,omitempty"`
	Lang  string `json:"lang,omitempty"`
	Undo  uint64 `json:"undo,omitempty"`
	Of    string `json:"of,omitempty"`
}

// decode reads a JSON body into v, strictly: one object, known fields,
// at most maxBody bytes. On error it names the field when it can.
func decode(w http.ResponseWriter, r *http.Request, v any) (field string, err error) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return "", fmt.Errorf("Content-Type %q: want application/json", ct)
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	return decodeJSON(dec, v)
}

func decodeJSON(dec *json.Decoder, v any) (string, error) {
	err := dec.Decode(v)
	var te *json.UnmarshalTypeError
	var mbe *http.MaxBytesError
	switch {
	case err == nil:
		if dec.More() {
			return "", errors.New("body holds more than one JSON value")
		}
		return "", nil
	case errors.As(err, &te):
		return te.Field, fmt.Errorf("%s: want a JSON %s, not %s", te.Field, te.Type, te.Value)
	case errors.As(err, &mbe):
		return "", fmt.Errorf("body longer than %d bytes", maxBody)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return f, fmt.Errorf("%s: unknown field", f)
	case strings.Contains(err.Error(), "parsing time"):
		return "until", fmt.Errorf("until: want an RFC 3339 time: %v", err)
	}
	return "", fmt.Errorf("body is not JSON: %v", err)
}

// ParseAction turns an API action into a store action at time now,
// checking what the store cannot know (the tickers) and making its text
// safe to show (match.SafeText balances bidi controls, so a title cannot
// turn the text after it around). It reports the field at fault.
func ParseAction(in Request, tickers []Ticker, now time.Time) (store.Action, error) {
	a := store.Action{
		Kind: in.Kind, Story: in.Story, Tickers: in.Tickers, Until: in.Until,
		Title: match.SafeText(strings.TrimSpace(in.Title)), Link: strings.TrimSpace(in.Link),
		Lang: in.Lang, Undo: in.Undo, Of: in.Of,
	}
	if in.For != "" {
		if !in.Until.IsZero() {
			return a, &store.FieldError{Field: "for", Msg: "give until or for, not both"}
		}
		d, err := time.ParseDuration(in.For)
		if err != nil || d <= 0 || d > 10*365*24*time.Hour {
			return a, &store.FieldError{Field: "for", Msg: fmt.Sprintf("%q is not a positive duration such as 90s or 2h", in.For)}
		}
		a.Until = now.Add(d)
	}
	for _, t := range a.Tickers {
		known := false
		for _, k := range tickers {
			known = known || k.Name == t
		}
		if !known {
			return a, &store.FieldError{Field: "tickers", Msg: fmt.Sprintf("no ticker named %q", t)}
		}
	}
	return a, a.Check(now)
}

func (d *Desk) serveAct(w http.ResponseWriter, r *http.Request, who string) {
	var in Request
	if field, err := decode(w, r, &in); err != nil {
		fail(w, http.StatusBadRequest, field, "%v", err)
		return
	}
	d.mu.Lock()
	tickers := d.tickers
	d.mu.Unlock()
	a, err := ParseAction(in, tickers, d.now())
	if err == nil {
		a.Who = who
		a, err = d.st.Act(r.Context(), a)
	}
	var fe *store.FieldError
	switch {
	case errors.As(err, &fe):
		fail(w, http.StatusBadRequest, fe.Field, "%v", err)
		return
	case errors.Is(err, store.ErrNoStory), errors.Is(err, store.ErrNoAction):
		fail(w, http.StatusNotFound, "story", "%v", err)
		return
	case err != nil:
		d.log.Error("desk action failed", "kind", in.Kind, "err", err)
		fail(w, http.StatusInternalServerError, "", "action not stored: %v", err)
		return
	}
	d.log.Info("desk action", "id", a.ID, "kind", a.Kind, "story", a.Story, "who", who)
	writeJSON(w, http.StatusCreated, a)
}

// actionView is an action in force with what the console needs of its
// story.
type actionView struct {
	store.Action
	Item *itemView `json:"item,omitempty"`
}

type itemView struct {
	Source string    `json:"source"`
	Title  string    `json:"title"`
	Link   string    `json:"link,omitempty"`
	Lang   string    `json:"lang,omitempty"`
	Time   time.Time `json:"time,omitzero"`
	Also   []string  `json:"also,omitempty"`
}

func (d *Desk) serveActions(w http.ResponseWriter, r *http.Request, _ string) {
	acts, err := d.st.Actions(r.Context())
	if err != nil {
		d.log.Error("read desk actions", "err", err)
		fail(w, http.StatusInternalServerError, "", "read actions: %v", err)
		return
	}
	out := make([]actionView, len(acts))
	for i := range acts {
		out[i].Action = acts[i]
		if it := acts[i].Item; it != nil {
			v := &itemView{Source: it.Source, Title: match.SafeText(it.Title), Link: it.Link, Lang: it.Lang, Time: it.Time()}
			for _, r := range it.Reports {
				v.Also = append(v.Also, r.Source)
			}
			out[i].Item = v
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"actions": out, "now": d.now().UTC()})
}

func (d *Desk) serveAudit(w http.ResponseWriter, r *http.Request, _ string) {
	q := r.URL.Query()
	var after uint64
	limit := 100
	if v := q.Get("after"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			fail(w, http.StatusBadRequest, "after", "after %q: want an audit sequence number", v)
			return
		}
		after = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			fail(w, http.StatusBadRequest, "limit", "limit %q: want 1 to 1000", v)
			return
		}
		limit = n
	}
	entries, err := d.st.Audit(r.Context(), after, limit)
	if err != nil {
		d.log.Error("read audit", "err", err)
		fail(w, http.StatusInternalServerError, "", "read audit: %v", err)
		return
	}
	if entries == nil {
		entries = []store.AuditEntry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": entries})
}

// splitRequest is the body of POST /api/desk/split.
type splitRequest struct {
	// Item names the telling, as _tickerd.also[].item does.
	Item string `json:"item"`
}

// serveSplit splits a telling off its story: the same as the operators'
// POST /api/split (which takes the admin token only), for the console's
// session.
func (d *Desk) serveSplit(w http.ResponseWriter, r *http.Request, who string) {
	sp, ok := d.st.(store.Splitter)
	if !ok {
		fail(w, http.StatusNotImplemented, "", "this store cannot split stories")
		return
	}
	var req splitRequest
	if field, err := decode(w, r, &req); err != nil {
		fail(w, http.StatusBadRequest, field, "%v", err)
		return
	}
	source, id, ok := store.ParseStoryRef(req.Item)
	if !ok || len(req.Item) > store.MaxActionRef {
		fail(w, http.StatusBadRequest, "item", "%q is not a telling's reference (source/id)", req.Item)
		return
	}
	it, err := sp.Split(r.Context(), source, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		fail(w, http.StatusNotFound, "item", "split %s: %v", req.Item, err)
		return
	case errors.Is(err, store.ErrNotMerged):
		fail(w, http.StatusConflict, "item", "split %s: %v", req.Item, err)
		return
	case err != nil:
		d.log.Error("desk split failed", "item", req.Item, "who", who, "err", err)
		fail(w, http.StatusInternalServerError, "", "split %s: %v", req.Item, err)
		return
	}
	d.log.Info("desk split", "item", req.Item, "who", who)
	writeJSON(w, http.StatusOK, map[string]string{"story": store.StoryRef(it.Source, it.ID), "title": it.Title})
}

// consoleCSP allows this origin's scripts, styles, connections and the
// widget's frames, nothing inline, and no framing of the console.
const consoleCSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
	"img-src 'self' data:; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", consoleCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-cache")
}

func (d *Desk) serveConsole(w http.ResponseWriter, r *http.Request) {
	data, err := fs.ReadFile(webFS, "web/index.html")
	if err != nil {
		http.Error(w, "console missing", http.StatusInternalServerError)
		return
	}
	securityHeaders(w.Header())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(data)
}

var assetTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
}

func (d *Desk) serveAsset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	ext := name[strings.LastIndexByte(name, '.')+1:]
	typ, ok := assetTypes["."+ext]
	data, err := fs.ReadFile(webFS, "web/"+name)
	if !ok || err != nil || strings.Contains(name, "/") {
		http.NotFound(w, r)
		return
	}
	securityHeaders(w.Header())
	w.Header().Set("Content-Type", typ)
	w.Write(data)
}

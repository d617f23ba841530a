package ops

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"tickerd/match"
	"tickerd/store"
)

// Splitter is the part of a store that undoes a merge (store.Backend has
// it); a store without it answers /api/split with 501.
type Splitter interface {
	Split(ctx context.Context, source, id string) (store.Item, error)
}

// maxAPIBody bounds the body of a request to the dedupe endpoints: two
// headlines or an item's identity.
const maxAPIBody = 64 << 10

// SplitRequest is the body of POST /api/split.
type SplitRequest struct {
	Source string `json:"source"`
	ID     string `json:"id"`
}

// SplitResponse is the answer of POST /api/split: the item that now tells
// its story alone.
type SplitResponse struct {
	Source string `json:"source"`
	ID     string `json:"id"`
	Title  string `json:"title"`
}

// MatchRequest is the body of POST /api/match (GET takes a and b as query
// parameters).
type MatchRequest struct {
	A string `json:"a"`
	B string `json:"b"`
}

// admin answers for a request that needs the admin token, and reports
// whether the handler may go on.
func (o *Ops) admin(w http.ResponseWriter, r *http.Request, what string) bool {
	w.Header().Set("Cache-Control", "no-store")
	if len(o.token) == 0 {
		http.Error(w, what+" over HTTP is disabled: set admin_token in the config or TICKERD_ADMIN_TOKEN", http.StatusForbidden)
		return false
	}
	if !o.authorized(r) {
		o.log.Warn("admin request refused: missing or wrong admin token", "path", r.URL.Path, "remote", r.RemoteAddr)
		w.Header().Set("WWW-Authenticate", `Bearer realm="tickerd"`)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return false
	}
	return true
}

// decodeBody reads a JSON body of at most maxAPIBody bytes into v.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAPIBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		http.Error(w, "bad request body: "+err.Error(), http.StatusBadRequest)
		return false
	}
	if _, err := dec.Token(); err != io.EOF {
		http.Error(w, "bad request body: more than one JSON value", http.StatusBadRequest)
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// serveSplit is POST /api/split: {"source": …, "id": …}.
func (o *Ops) serveSplit(w http.ResponseWriter, r *http.Request) {
	if !o.admin(w, r, "splitting stories") {
		return
	}
	sp, ok := o.st.(Splitter)
	if !ok {
		http.Error(w, "this store cannot split stories", http.StatusNotImplemented)
		return
	}
	var req SplitRequest
	if !decodeBody(w, r, &req) {
		return
	}
	if req.Source == "" || req.ID == "" {
		http.Error(w, "bad request body: source and id are required", http.StatusBadRequest)
		return
	}
	it, err := sp.Split(r.Context(), req.Source, req.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	case errors.Is(err, store.ErrNotMerged):
		http.Error(w, err.Error(), http.StatusConflict)
		return
	case err != nil:
		o.log.Error("split failed", "source_id", req.Source, "item_id", req.ID, "err", err)
		http.Error(w, "split failed: "+err.Error(), http.StatusInternalServerError)
		return
	}
	o.log.Info("story split", "source_id", it.Source, "item_id", it.ID, "remote", r.RemoteAddr)
	writeJSON(w, SplitResponse{Source: it.Source, ID: it.ID, Title: it.Title})
}

// serveMatch is GET /api/match?a=…&b=… and POST /api/match {"a": …, "b": …}:
// why two headlines are, or are not, one story.
func (o *Ops) serveMatch(w http.ResponseWriter, r *http.Request) {
	if !o.admin(w, r, "explaining matches") {
		return
	}
	if o.explain == nil {
		http.Error(w, "no matcher configured", http.StatusNotImplemented)
		return
	}
	req := MatchRequest{A: r.URL.Query().Get("a"), B: r.URL.Query().Get("b")}
	if r.Method == http.MethodPost && !decodeBody(w, r, &req) {
		return
	}
	if req.A == "" || req.B == "" {
		http.Error(w, "two headlines are needed: a and b", http.StatusBadRequest)
		return
	}
	writeJSON(w, o.explain(req.A, req.B))
}

// explainFunc is Options.Explain.
type explainFunc = func(a, b string) match.Explanation

package ops

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// serveBackup streams a consistent copy of the data file to a client that
// presents the admin token as "Authorization: Bearer TOKEN".
func (o *Ops) serveBackup(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	if len(o.token) == 0 {
		http.Error(w, "backups over HTTP are disabled: set admin_token in the config or TICKERD_ADMIN_TOKEN", http.StatusForbidden)
		return
	}
	if !o.authorized(r) {
		// The answer is the same whatever was wrong, so it tells a
		// guesser nothing.
		o.log.Warn("backup refused: missing or wrong admin token", "remote", r.RemoteAddr)
		h.Set("WWW-Authenticate", `Bearer realm="tickerd"`)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	// The server's WriteTimeout suits feeds, not a whole database.
	rc := http.NewResponseController(w)
	if err := rc.SetWriteDeadline(time.Now().Add(o.backupTimeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		o.log.Warn("backup: set write deadline", "err", err)
	}
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="tickerd-%s.db"`, time.Now().UTC().Format("20060102T150405Z")))
	start := time.Now()
	n, err := o.st.Backup(r.Context(), w)
	if err != nil {
		o.log.Error("backup failed", "remote", r.RemoteAddr, "bytes", n, "err", err)
		// Headers and part of the file may be out: abort the connection
		// rather than end the body cleanly, so the client sees an error
		// instead of a truncated file that looks whole.
		panic(http.ErrAbortHandler)
	}
	o.log.Info("backup sent", "remote", r.RemoteAddr, "bytes", n, "duration", time.Since(start))
}

// authorized compares the bearer token with the admin token in constant
// time. Both are hashed first: ConstantTimeCompare returns early when the
// lengths differ, which would tell the token's length.
//
// The scheme name is case-insensitive (RFC 7235 §2.1): "bearer" and
// "BEARER" are Bearer; one or more spaces may follow it.
func (o *Ops) authorized(r *http.Request) bool {
	scheme, got, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	a, b := sha256.Sum256([]byte(strings.TrimSpace(got))), sha256.Sum256(o.token)
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

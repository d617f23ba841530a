package ops

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"tickerd/store"
)

// downStore is a database store whose server can be taken away.
type downStore struct {
	*store.Store
	mu   sync.Mutex
	down error
}

func (d *downStore) Ping(context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.down
}

// TestStoreDown: with the database away, /readyz stays 200 (feeds are
// served from memory) but names the error, and /metrics says
// tickerd_store_up 0; both recover with it.
func TestStoreDown(t *testing.T) {
	st := &downStore{Store: openTestStore(t)}
	o := New(st, nil, nil)
	o.SetReady()
	mux := http.NewServeMux()
	o.Register(mux)
	check := func(wantUp string, wantBody string) {
		t.Helper()
		rec := do(t, mux, "GET", "/readyz")
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), wantBody) {
			t.Errorf("/readyz = %d %q, want 200 with %q", rec.Code, rec.Body, wantBody)
		}
		m := do(t, mux, "GET", "/metrics").Body.String()
		if !strings.Contains(m, "\ntickerd_store_up "+wantUp+"\n") {
			t.Errorf("/metrics lacks tickerd_store_up %s", wantUp)
		}
		if strings.Contains(m, "tickerd_database_size_bytes") {
			t.Errorf("/metrics reports a file size for a database server")
		}
	}
	check("1", "ready\n")
	st.mu.Lock()
	st.down = errors.New("database postgres://db/t: connection refused")
	st.mu.Unlock()
	check("0", "ready, degraded: store: database postgres://db/t: connection refused")
	st.mu.Lock()
	st.down = nil
	st.mu.Unlock()
	check("1", "ready\n")
}

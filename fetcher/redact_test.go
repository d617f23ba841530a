package fetcher

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestRecordedErrorsHideCredentials: whatever error a fetch ends with (a
// refused connection, whose text net/http builds from the URL, a status,
// a redirect loop), the error recorded in the source's state and the log
// carry none of the URL's credentials.
func TestRecordedErrorsHideCredentials(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close() // nothing listens there now: the connection is refused
	loop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.String(), http.StatusFound)
	}))
	defer loop.Close()
	gone := httptest.NewServer(http.NotFoundHandler())
	defer gone.Close()
	creds := "user1:Passw0rd@"
	query := "?api_key=K3yValue&member=Memb3r&x=1"
	sources := []Source{
		{Name: "refused", URL: "http://" + creds + closed + "/f" + query, PrivateParams: []string{"member"}},
		{Name: "status", URL: strings.Replace(gone.URL, "http://", "http://"+creds, 1) + "/f" + query, PrivateParams: []string{"member"}},
		{Name: "loop", URL: strings.Replace(loop.URL, "http://", "http://"+creds, 1) + "/f" + query, PrivateParams: []string{"member"}},
	}
	st := openTestStore(t)
	f, logs := newTestFetcher(t, st, &Options{Sources: sources})
	f.FetchAll(context.Background())
	for _, src := range sources {
		s, _ := st.State(src.Name)
		if s.LastStatus != "error" || s.LastError == "" {
			t.Errorf("%s: state %+v, want an error", src.Name, s)
		}
		for _, secret := range []string{"user1", "Passw0rd", "K3yValue", "Memb3r"} {
			if strings.Contains(s.LastError, secret) {
				t.Errorf("%s: recorded error %q holds %q", src.Name, s.LastError, secret)
			}
		}
		if !strings.Contains(s.LastError, "api_key=REDACTED") {
			t.Errorf("%s: recorded error %q does not show the redacted URL", src.Name, s.LastError)
		}
	}
	for _, secret := range []string{"user1", "Passw0rd", "K3yValue", "Memb3r"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log holds %q:\n%s", secret, logs)
		}
	}
}

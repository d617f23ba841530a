package feed

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"
)

// clientFrom is an HTTP client whose connections come from the loopback
// address local (Linux routes all of 127/8 to lo), so a test can be
// several clients; each request gets its own connection.
func clientFrom(local string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}}
}

// TestEventsPerAddressCap: 200 idle streams opened from one address take
// their 100 slots and are refused the rest with 429, while a server with
// room for 150 streams in all still lets another address in. Without the
// per-address cap the first address would hold all 150.
func TestEventsPerAddressCap(t *testing.T) {
	st := newFakeStore(fixtureItems(), fixtureStates()...)
	opts := fixtureOptions()
	opts.LiveClients = 150
	s, hs := newEventServer(t, st, opts)
	port := hs.Listener.Addr().(*net.TCPAddr).Port
	url := "http://127.0.0.1:" + strconv.Itoa(port) + "/events/main"

	hog := clientFrom("127.0.0.2")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var open []*http.Response
	refused := 0
	for range 200 {
		req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
		resp, err := hog.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		switch resp.StatusCode {
		case http.StatusOK:
			// Idle: never read past the headers.
			open = append(open, resp)
		case http.StatusTooManyRequests:
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if refused == 0 && (!strings.Contains(string(body), "limit 100") || resp.Header.Get("Retry-After") == "") {
				t.Errorf("refused stream: %q, Retry-After %q; want the limit named and a Retry-After", body, resp.Header.Get("Retry-After"))
			}
			refused++
		default:
			resp.Body.Close()
			t.Fatalf("stream from the hog: %d", resp.StatusCode)
		}
	}
	defer func() {
		for _, r := range open {
			r.Body.Close()
		}
	}()
	if len(open) != 100 || refused != 100 {
		t.Errorf("200 streams from one address: %d open, %d refused; want 100 and 100", len(open), refused)
	}
	if n := s.LiveClients(); n != 100 {
		t.Errorf("LiveClients = %d, want 100", n)
	}
	// Another address still gets in, and is served.
	other := clientFrom("127.0.0.3")
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := other.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("another address beside 200 idle streams: %d, want 200", resp.StatusCode)
	}
	buf := make([]byte, 64<<10)
	n, _ := io.ReadAtLeast(resp.Body, buf, 32)
	if !strings.Contains(string(buf[:n]), "retry:") {
		t.Errorf("the other address's stream starts %q", buf[:n])
	}
	// The hog's slots come back when its streams close.
	for _, r := range open {
		r.Body.Close()
	}
	open = nil
	waitFor(t, "the hog's streams to be released", func() bool { return s.LiveClients() == 1 })
	s.admit.mu.Lock()
	left := len(s.admit.open)
	s.admit.mu.Unlock()
	if left != 1 {
		t.Errorf("%d client addresses counted with one stream open, want 1", left)
	}
}

// TestEventsMaxAge: a stream ends at its maximum age, and the client,
// reconnecting with the last id it saw, gets what changed meanwhile.
func TestEventsMaxAge(t *testing.T) {
	st := newFakeStore(fixtureItems(), fixtureStates()...)
	opts := fixtureOptions()
	opts.LiveMaxAge = 200 * time.Millisecond
	_, hs := newEventServer(t, st, opts)
	c := openStream(t, hs.URL+"/events/main")
	reset := c.next(t)
	if reset.event != "reset" {
		t.Fatalf("first event %q, want reset", reset.event)
	}
	if !c.ended() {
		t.Fatal("the stream did not end at its maximum age")
	}
	at := seen.Add(time.Hour)
	st.add(at, newsItem("wire", "late", "Arrived between two streams", at))
	again := openStream(t, hs.URL+"/events/main", "Last-Event-ID", reset.id)
	if ev := again.next(t); ev.event != "added" || !strings.Contains(ev.data, "Arrived between two streams") {
		t.Errorf("after reconnecting: %s %.60s, want added", ev.event, ev.data)
	}
}

func TestClientAddr(t *testing.T) {
	a := &streamAdmission{trusted: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}}
	tests := []struct {
		name, remote string
		xff          []string
		want         string
	}{
		{"peer", "192.0.2.7:5555", nil, "192.0.2.7"},
		{"untrusted peer's header ignored", "192.0.2.7:5555", []string{"198.51.100.1"}, "192.0.2.7"},
		{"trusted proxy", "10.1.2.3:80", []string{"198.51.100.1"}, "198.51.100.1"},
		{"nearest untrusted hop", "10.1.2.3:80", []string{"203.0.113.9, 198.51.100.1, 10.9.9.9"}, "198.51.100.1"},
		{"several headers", "10.1.2.3:80", []string{"203.0.113.9", "198.51.100.1"}, "198.51.100.1"},
		{"spoofed left hop cannot dodge", "10.1.2.3:80", []string{"1.2.3.4, 198.51.100.1"}, "198.51.100.1"},
		{"garbage stops the walk", "10.1.2.3:80", []string{"198.51.100.1, junk"}, "10.1.2.3"},
		{"trusted without header", "10.1.2.3:80", nil, "10.1.2.3"},
		{"ipv6 proxy", "[::1]:80", []string{"2001:db8::5"}, "2001:db8::5"},
		{"mapped", "[::ffff:192.0.2.7]:1", nil, "192.0.2.7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/events", nil)
			r.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := a.clientAddr(r); got.String() != tt.want {
				t.Errorf("clientAddr(%s, %q) = %s, want %s", tt.remote, tt.xff, got, tt.want)
			}
		})
	}
	// One IPv6 client's /64 is one key; IPv4 addresses are their own.
	if clientKey(netip.MustParseAddr("2001:db8::1")) != clientKey(netip.MustParseAddr("2001:db8::ffff:2")) {
		t.Error("two addresses of one IPv6 /64 counted apart")
	}
	if clientKey(netip.MustParseAddr("192.0.2.1")) == clientKey(netip.MustParseAddr("192.0.2.2")) {
		t.Error("two IPv4 addresses counted together")
	}
}

package feed

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Admission of event streams: besides the server-wide limit
// (Options.LiveClients), each client address holds at most
// Options.LiveClientsPerAddr streams, so a few hundred idle connections
// from one place cannot take every slot and lock every widget out; and
// every stream ends after Options.LiveMaxAge (give or take a tenth, so
// reconnections spread out), so a slot held by a client that vanished
// without closing its connection comes back. EventSource reconnects by
// itself and resumes with Last-Event-ID, missing nothing.

const (
	defaultLiveClientsPerAddr = 100
	defaultLiveMaxAge         = 30 * time.Minute
)

// streamAdmission counts the open streams of each client address.
type streamAdmission struct {
	perAddr int            // Options.LiveClientsPerAddr
	maxAge  time.Duration  // Options.LiveMaxAge
	trusted []netip.Prefix // Options.TrustedProxies

	mu     sync.Mutex // guards open
	open   map[netip.Prefix]int
	jitter func() float64 // in [0, 1); rand.Float64 but in tests
}

// init sets a's limits from o, its defaults filled.
func (a *streamAdmission) init(o *Options) {
	a.perAddr, a.maxAge = o.LiveClientsPerAddr, o.LiveMaxAge
	a.trusted = append([]netip.Prefix(nil), o.TrustedProxies...)
	a.open = make(map[netip.Prefix]int)
	a.jitter = rand.Float64
}

// clientKey is what one client's streams are counted under: its address,
// or for IPv6 its /64, which one host or home network usually has to
// itself (counting single IPv6 addresses would let a client take a slot
// per address of its prefix).
func clientKey(a netip.Addr) netip.Prefix {
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p
	}
	return netip.PrefixFrom(a, a.BitLen())
}

// clientAddr is the address a request is counted against: the TCP peer,
// unless the peer is a trusted proxy, in which case the nearest address
// in X-Forwarded-For (read from the right) that is not itself trusted.
// A header from anyone else is ignored, so it cannot dodge the limit; a
// trusted proxy that sends no usable address leaves its own.
func (a *streamAdmission) clientAddr(r *http.Request) netip.Addr {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	var addr netip.Addr
	if err == nil {
		addr = peer.Addr().Unmap()
	} else if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		addr, _ = netip.ParseAddr(host)
	}
	if !addr.IsValid() || !a.isTrusted(addr) {
		return addr
	}
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		list := strings.Split(hops[i], ",")
		for j := len(list) - 1; j >= 0; j-- {
			hop, err := netip.ParseAddr(strings.TrimSpace(list[j]))
			if err != nil {
				// Garbage where an address should be: what lies
				// further left cannot be trusted either.
				return addr
			}
			hop = hop.Unmap()
			addr = hop
			if !a.isTrusted(hop) {
				return hop
			}
		}
	}
	return addr
}

func (a *streamAdmission) isTrusted(addr netip.Addr) bool {
	for _, p := range a.trusted {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// acquire takes a stream slot for the client key k and reports whether
// the client had one left.
func (a *streamAdmission) acquire(k netip.Prefix) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.open[k] >= a.perAddr {
		return false
	}
	a.open[k]++
	return true
}

func (a *streamAdmission) release(k netip.Prefix) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.open[k]--; a.open[k] <= 0 {
		delete(a.open, k) // the map holds only clients with streams open
	}
}

// lifetime is how long one stream may stay open: LiveMaxAge less up to a
// tenth of it, so streams opened together do not all reconnect together.
func (a *streamAdmission) lifetime() time.Duration {
	return a.maxAge - time.Duration(a.jitter()*float64(a.maxAge)/10)
}

// admitStream takes a slot for a new stream: one of the client's own,
// then one of the server's. When there is none it answers the request
// (429 for a client at its own limit, 503 for a full server, both with
// Retry-After) and returns ok false; otherwise the caller must call
// release when the stream ends.
func (s *Server) admitStream(w http.ResponseWriter, r *http.Request) (release func(), ok bool) {
	k := clientKey(s.admit.clientAddr(r))
	if !s.admit.acquire(k) {
		w.Header().Set("Retry-After", "30")
		http.Error(w, fmt.Sprintf("too many live streams from your address (limit %d); try again later", s.admit.perAddr), http.StatusTooManyRequests)
		return nil, false
	}
	if !s.addLive() {
		s.admit.release(k)
		w.Header().Set("Retry-After", "10")
		http.Error(w, "too many live clients (limit "+strconv.Itoa(s.maxLive)+"); try again later", http.StatusServiceUnavailable)
		return nil, false
	}
	// Release in the reverse order of taking, so a count of live clients
	// never shows a stream gone whose address still holds its slot.
	return func() {
		s.admit.release(k)
		s.dropLive()
	}, true
}

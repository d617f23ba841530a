package fetcher

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// ErrPrivateAddress is matched (errors.Is) by the error of a fetch refused
// because Options.BlockPrivate is set and the source's address is
// loopback, private, link-local or unspecified (or the source is a file).
var ErrPrivateAddress = errors.New("private address refused")

type privateAddrError struct {
	addr netip.Addr
	kind string
}

func (e *privateAddrError) Error() string {
	return fmt.Sprintf("%v: %s is a %s address (fetch.block_private)", ErrPrivateAddress, e.addr, e.kind)
}

func (e *privateAddrError) Is(target error) bool { return target == ErrPrivateAddress }

// cgnat is the shared address space of carrier-grade NAT (RFC 6598): not
// the public internet either.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// privateKind names the kind of address a refuses under BlockPrivate, or
// returns "" for an address on the public internet.
func privateKind(a netip.Addr) string {
	a = a.Unmap()
	switch {
	case a.IsLoopback():
		return "loopback"
	case a.IsPrivate(), cgnat.Contains(a):
		return "private"
	case a.IsLinkLocalUnicast(), a.IsLinkLocalMulticast(), a.IsInterfaceLocalMulticast():
		return "link-local"
	case a.IsUnspecified(), a.Is4() && a.As4()[0] == 0:
		return "unspecified"
	}
	return ""
}

// controlConn is the net.Dialer Control hook of BlockPrivate. It runs on
// the address about to be connected, after name resolution, so no DNS
// answer (a rebinding one included) and no redirect can lead around it.
// kind is privateKind, replaceable by tests.
func controlConn(kind func(netip.Addr) string) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return fmt.Errorf("%w: cannot read address %q", ErrPrivateAddress, address)
		}
		a, err := netip.ParseAddr(host)
		if err != nil {
			return fmt.Errorf("%w: %q is not an IP address", ErrPrivateAddress, host)
		}
		if k := kind(a); k != "" {
			return &privateAddrError{addr: a.Unmap(), kind: k}
		}
		return nil
	}
}

// PublicClient returns an HTTP client that refuses, as fetch.block_private
// does for sources, to connect to loopback, private, link-local or
// unspecified addresses (checked on the address dialed, after name
// resolution and on every redirect), and ignores proxy settings, which
// would connect for it. tickerd's own WebSub hub uses it for the callback
// URLs strangers subscribe with: without it, a subscription to
// http://169.254.169.254/ or an intranet address would have the daemon
// request it (verification) and post feeds to it.
func PublicClient(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: min(timeout, 10*time.Second), KeepAlive: 30 * time.Second, Control: controlConn(privateKind)}
	return &http.Client{Timeout: timeout, Transport: &http.Transport{
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   min(timeout, 10*time.Second),
		ResponseHeaderTimeout: timeout,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   2,
	}}
}

package main

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them: the
// daemon runs in-process in most of them, and a fetch, schedule, server or
// widget stream it leaves behind on shutdown is a leak in a daemon.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

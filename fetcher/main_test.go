package fetcher

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them: a
// fetch, a schedule or a test server left running is a leak in a daemon.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

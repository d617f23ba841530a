package fetcher

import "context"

// byteBudget bounds how many bytes are being parsed at once over all
// fetches. gofeed holds many times a feed's size while it parses (about
// 14× for RSS, far more for Atom full of unknown elements), so sixteen
// fetches parsing large bodies together would multiply the daemon's peak
// memory by sixteen; under the budget, a body as large as the whole budget
// parses alone and small ones share it.
type byteBudget struct {
	tokens chan struct{} // one per unit free
	turn   chan struct{} // held while one acquirer gathers its units
	unit   int64
}

// budgetUnit is the granularity of a byteBudget: small bodies take one.
const budgetUnit = 64 << 10

func newByteBudget(total int64) *byteBudget {
	n := max(int(total/budgetUnit), 1)
	b := &byteBudget{tokens: make(chan struct{}, n), turn: make(chan struct{}, 1), unit: budgetUnit}
	for range n {
		b.tokens <- struct{}{}
	}
	return b
}

// acquire waits until size bytes (at most the whole budget) are free, or
// ctx is done. Acquirers take turns, so two large ones never hold half the
// budget each and wait for each other.
func (b *byteBudget) acquire(ctx context.Context, size int64) (release func(), err error) {
	n := min(max(int((size+b.unit-1)/b.unit), 1), cap(b.tokens))
	select {
	case b.turn <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-b.turn }()
	for got := 0; got < n; got++ {
		select {
		case <-b.tokens:
		case <-ctx.Done():
			b.put(got)
			return nil, ctx.Err()
		}
	}
	return func() { b.put(n) }, nil
}

func (b *byteBudget) put(n int) {
	for range n {
		b.tokens <- struct{}{}
	}
}

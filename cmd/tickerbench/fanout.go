package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"tickerd/feed"
	"tickerd/store"
)

// figFanout is figure 7: clients SSE clients on the default ticker's event
// stream; one new headline is committed and each client's delay from the
// commit to reading the headline is recorded.
func figFanout(ctx context.Context, c *config, st *store.Store) (row, error) {
	r := row{fig: "7", name: fmt.Sprintf("SSE fan-out to %d clients", c.clients), target: "report p50/p99"}
	// Every client is on loopback, one address: room for all of them
	// and the probe (the default, 100 an address, is for the internet).
	fs, err := feed.New(st, &feed.Options{LiveClientsPerAddr: c.clients + 1}, nil)
	if err != nil {
		return r, err
	}
	base, stop, err := serve(fs.Handler())
	if err != nil {
		return r, err
	}
	defer stop()
	url := base + "/events/main"

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: -1}}
	defer client.CloseIdleConnections()
	probe, err := sseConnect(ctx, client, url)
	if err != nil {
		return r, err
	}
	if probe == nil {
		r.verdict = verdictSkip
		r.note = "blocked on issue 4: GET /events/{ticker} is not in this build (404)"
		return r, nil
	}
	probe.Body.Close()

	marker := fmt.Sprintf("fanout marker %d", time.Now().UnixNano())
	received := make([]time.Time, c.clients)
	var connected, done sync.WaitGroup
	errs := make(chan error, c.clients)
	for i := range c.clients {
		connected.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			resp, err := sseConnect(ctx, client, url)
			connected.Done()
			if err != nil || resp == nil {
				errs <- fmt.Errorf("client %d: %v", i, err)
				return
			}
			defer resp.Body.Close()
			br := bufio.NewReader(resp.Body)
			for {
				line, err := br.ReadString('\n')
				if strings.Contains(line, marker) {
					received[i] = time.Now()
					return
				}
				if err != nil {
					return
				}
			}
		}()
	}
	connected.Wait()
	select {
	case err := <-errs:
		return r, err
	default:
	}
	// Headers are out before a server registers a stream's subscriber
	// in some designs; give every stream a moment to be listening.
	time.Sleep(200 * time.Millisecond)

	it := store.Item{Source: "fanout", ID: marker, Title: marker, Link: "https://fanout.example.com/1",
		Published: time.Now()}
	if _, err := st.Ingest(ctx, store.SourceState{Name: "fanout"}, []store.Item{it}); err != nil {
		return r, err
	}
	at := time.Now() // Ingest returned: the change is committed
	finished := make(chan struct{})
	go func() { done.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(10 * time.Second):
		cancel()
		<-finished
	}
	var delays []time.Duration
	for _, t := range received {
		if !t.IsZero() {
			delays = append(delays, max(t.Sub(at), 0))
		}
	}
	if len(delays) == 0 {
		r.verdict = verdictFail
		r.note = "no client saw the new headline's title within 10 s"
		return r, nil
	}
	slices.Sort(delays)
	p := func(q float64) time.Duration { return delays[min(len(delays)-1, int(q*float64(len(delays))))] }
	r.measured = fmt.Sprintf("p50 %s, p99 %s", ms(p(0.5)), ms(p(0.99)))
	r.note = fmt.Sprintf("%d of %d clients received it; max %s; delay from Ingest returning to the line with the title",
		len(delays), c.clients, ms(delays[len(delays)-1]))
	return r.check(len(delays) == c.clients), nil
}

// sseConnect opens an event stream; a nil response and nil error mean
// the route does not exist.
func sseConnect(ctx context.Context, client *http.Client, url string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "text/event-stream")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusNotFound {
		resp.Body.Close()
		return nil, nil
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("GET %s: status %d", url, resp.StatusCode)
	}
	return resp, nil
}

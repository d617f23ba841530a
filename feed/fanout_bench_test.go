package feed

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"tickerd/store"
)

// BenchmarkTickerCycle measures what one ingested headline costs the feed
// side when 50 tickers split 1,000 sources between them (20 each) and
// share one "flash" source: ingest one item, then every ticker is asked
// for once, as 50 pages embedding one ticker each would. "one" adds the
// item to a source of a single ticker, so one ticker renders again; "all"
// adds it to the flash source, so all 50 do. renders/op counts them.
// The ingest itself is left out of the time; store benchmarks cover it.
func BenchmarkTickerCycle(b *testing.B) {
	const tickers, perTicker, perSource = 50, 20, 3
	bolt := openTestStore(b)
	ctx := context.Background()
	var opts Options
	n := 0
	ingest := func(src string, count int) {
		b.Helper()
		items := make([]store.Item, count)
		for i := range items {
			n++
			items[i] = store.Item{
				Source: src, ID: fmt.Sprintf("%s-%d", src, n),
				Link:      fmt.Sprintf("https://%s.example.com/%d", src, n),
				Title:     fmt.Sprintf("Headline %d from %s on the talks", n, src),
				Summary:   "<p>Officials said the decision followed weeks of talks with regional partners.</p>",
				Published: seen.Add(time.Duration(n) * time.Second),
			}
		}
		if _, err := bolt.Ingest(ctx, store.SourceState{Name: src}, items); err != nil {
			b.Fatal(err)
		}
	}
	ingest("flash", perSource)
	for t := range tickers {
		tk := Ticker{Name: fmt.Sprintf("t%02d", t), Limit: 50, Sources: []string{"flash"}}
		for s := range perTicker {
			src := fmt.Sprintf("src%04d", t*perTicker+s)
			tk.Sources = append(tk.Sources, src)
			ingest(src, perSource)
		}
		opts.Tickers = append(opts.Tickers, tk)
	}
	for _, c := range []struct{ name, src string }{{"one", "src0007"}, {"all", "flash"}} {
		b.Run(c.name, func(b *testing.B) {
			s := newTestServer(b, bolt, &opts)
			h := s.Handler()
			cycle := func() {
				for _, tk := range opts.Tickers {
					if rec := serve(b, h, "GET", "/t/"+tk.Name+".rss"); rec.Code != http.StatusOK {
						b.Fatalf("GET /t/%s.rss: %d", tk.Name, rec.Code)
					}
				}
			}
			cycle()
			builds := s.builds.Load()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				b.StopTimer()
				ingest(c.src, 1)
				b.StartTimer()
				cycle()
			}
			b.ReportMetric(float64(s.builds.Load()-builds)/float64(b.N), "renders/op")
		})
	}
}

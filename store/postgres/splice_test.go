package postgres

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"tickerd/store"
)

// TestSpliceReport: appending a report to an item's stored JSON gives
// the bytes encoding the item with the report appended gives.
func TestSpliceReport(t *testing.T) {
	t0 := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	base := store.Item{Source: "wire", ID: "1", Title: `قال "الوزير"`, Summary: "<p>a\u2028b ]}</p>", Link: "https://e.example/1",
		Categories: []string{"x"}, Published: t0, FirstSeen: t0}
	r := store.Report{Source: "other", ID: "o-1", Title: "telling ]} \\", Summary: "s", Time: t0.Add(time.Minute)}
	for n := range 4 {
		it := base
		for i := range n {
			it.Reports = append(it.Reports, store.Report{Source: fmt.Sprint("s", i), Title: fmt.Sprint("t", i), Time: t0})
		}
		data, err := json.Marshal(&it)
		if err != nil {
			t.Fatal(err)
		}
		got, err := store.AppendReportJSON(data, n > 0, &r)
		if err != nil {
			t.Fatalf("%d reports: %v", n, err)
		}
		it.Reports = append(it.Reports, r)
		want, _ := json.Marshal(&it)
		if !bytes.Equal(got, want) {
			t.Errorf("%d reports:\n got %s\nwant %s", n, got, want)
		}
	}
	if _, err := store.AppendReportJSON([]byte(`[1,2]`), true, &r); err == nil {
		t.Error("AppendReportJSON of a JSON array: no error")
	}
}

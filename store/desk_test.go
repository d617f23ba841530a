package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// shown reads what the actions in force make each item of items show.
func shown(t *testing.T, s *Store, items []Item, now time.Time) []string {
	t.Helper()
	acts, err := s.Actions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ed := NewEdits(acts, now)
	var out []string
	for i := range items {
		it := items[i]
		e := ed.Of(&it)
		if e != nil && e.Hidden {
			continue
		}
		e.Apply(&it)
		mark := ""
		if e != nil && e.Breaking != nil {
			mark += "!"
		}
		if e.PinnedOn("main") {
			mark += "^"
		}
		out = append(out, it.Source+":"+it.Title+mark)
	}
	return out
}

func TestActHideHoldsThroughRepollAndNearDuplicate(t *testing.T) {
	ctx := context.Background()
	s, c := openDedupeStore(t)
	if _, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{
		storyItem("a", "1", "ceasefire takes effect in the north", "https://a.example/1", t0.Add(-time.Hour)),
		storyItem("a", "2", "central bank holds rates", "https://a.example/2", t0.Add(-2*time.Hour)),
	}); err != nil {
		t.Fatal(err)
	}
	v := s.Version()
	a, err := s.Act(ctx, Action{Kind: ActHide, Story: "a/1", Who: "ed"})
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != 1 || a.Story != "a/1" || !a.At.Equal(t0) {
		t.Errorf("Act = %+v", a)
	}
	if s.Version() == v {
		t.Error("Version did not change with an action")
	}
	ch, err := s.Changes(ctx, v, 0)
	if err != nil || len(ch) != 1 || ch[0].Desk != a.ID || ch[0].Item.ID != "1" {
		t.Fatalf("Changes after an action = %+v, %v; want one desk change about a/1", ch, err)
	}
	// The wire re-publishes it with a new title, and another source
	// tells it decorated: still hidden, on every ticker.
	c.advance(time.Minute)
	if _, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{
		storyItem("a", "1", "ceasefire takes effect in the north (updated)", "https://a.example/1", t0.Add(-time.Hour)),
	}); err != nil {
		t.Fatal(err)
	}
	res, err := s.Ingest(ctx, SourceState{Name: "b"}, []Item{
		storyItem("b", "x1", "BREAKING: ceasefire takes effect in the north", "https://b.example/x1", t0),
	})
	if err != nil || res.Duplicate != 1 {
		t.Fatalf("near-duplicate ingest = %+v, %v; want it merged", res, err)
	}
	all, _ := s.Recent(ctx, Query{Limit: 10})
	if got := strings.Join(shown(t, s, all, c.now()), ","); got != "a:central bank holds rates" {
		t.Errorf("all sources show %q", got)
	}
	onlyB, _ := s.Recent(ctx, Query{Sources: []string{"b"}})
	if len(onlyB) != 1 {
		t.Fatalf("b's ticker has %d items, want its telling", len(onlyB))
	}
	if got := shown(t, s, onlyB, c.now()); len(got) != 0 {
		t.Errorf("b's ticker shows %q, want nothing", got)
	}
	// Acting on the telling acts on the story.
	b, err := s.Act(ctx, Action{Kind: ActBreaking, Story: "b/x1", Who: "ed"})
	if err != nil || b.Story != "a/1" {
		t.Fatalf("breaking on a telling = %+v, %v; want story a/1", b, err)
	}
	// Undo by story and kind.
	if _, err := s.Act(ctx, Action{Kind: ActUndo, Story: "a/1", Of: ActHide, Who: "ed"}); err != nil {
		t.Fatal(err)
	}
	all, _ = s.Recent(ctx, Query{Limit: 10})
	if got := strings.Join(shown(t, s, all, c.now()), ","); got != "a:ceasefire takes effect in the north (updated)!,a:central bank holds rates" {
		t.Errorf("after undo: %q", got)
	}
	if _, err := s.Act(ctx, Action{Kind: ActUndo, Story: "a/1", Of: ActHide}); !errors.Is(err, ErrNoAction) {
		t.Errorf("second undo: %v, want ErrNoAction", err)
	}
}

func TestActPinExpiresCorrectAddUndo(t *testing.T) {
	ctx := context.Background()
	s, c, _ := openTestStore(t)
	if _, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{
		item("a", "1", "one", t0.Add(-time.Hour)), item("a", "2", "two", t0.Add(-2*time.Hour)),
	}); err != nil {
		t.Fatal(err)
	}
	pin, err := s.Act(ctx, Action{Kind: ActPin, Story: "a/2", Until: t0.Add(2 * time.Second), Tickers: []string{"main"}})
	if err != nil {
		t.Fatal(err)
	}
	acts, _ := s.Actions(ctx)
	ed := NewEdits(acts, c.now())
	if !ed.Story("a/2").PinnedOn("main") || ed.Story("a/2").PinnedOn("other") || !ed.Next.Equal(pin.Until) {
		t.Errorf("pin in force: %+v next %v", ed.Story("a/2"), ed.Next)
	}
	if ed := NewEdits(acts, t0.Add(2*time.Second)); ed.Story("a/2") != nil && ed.Story("a/2").Pin != nil || !ed.Next.IsZero() {
		t.Error("pin still in force at its expiry")
	}
	if _, err := s.Act(ctx, Action{Kind: ActCorrect, Story: "a/1", Title: "One, corrected"}); err != nil {
		t.Fatal(err)
	}
	add, err := s.Act(ctx, Action{Kind: ActAdd, Title: "Desk headline", Lang: "en", Who: "ed"})
	if err != nil {
		t.Fatal(err)
	}
	if add.Story != "newsroom/add-3" {
		t.Errorf("add story = %q", add.Story)
	}
	acts, _ = s.Actions(ctx)
	ed = NewEdits(acts, c.now())
	if len(ed.Added) != 1 || acts[2].Item == nil || acts[2].Item.Title != "Desk headline" {
		t.Fatalf("added: %+v", ed.Added)
	}
	// Actions on a desk headline work like any other.
	if _, err := s.Act(ctx, Action{Kind: ActBreaking, Story: add.Story}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Act(ctx, Action{Kind: ActUndo, Undo: add.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Act(ctx, Action{Kind: ActHide, Story: add.Story}); !errors.Is(err, ErrNoStory) {
		t.Errorf("hide of an undone add: %v, want ErrNoStory", err)
	}
	audit, err := s.Audit(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(audit) != 5 {
		t.Fatalf("audit has %d entries, want 5", len(audit))
	}
	corr := audit[1]
	if corr.Before.Title != "one" || corr.After.Title != "One, corrected" || corr.Story != "a/1" {
		t.Errorf("correct's audit = %+v", corr)
	}
	if !audit[0].After.Pinned || audit[0].Before.Pinned {
		t.Errorf("pin's audit = %+v", audit[0])
	}
	if undo := audit[4]; undo.Action.Undo != add.ID || !undo.Before.Added || undo.After.Added {
		t.Errorf("undo's audit = %+v", undo)
	}
	if page, _ := s.Audit(ctx, 3, 1); len(page) != 1 || page[0].Seq != 4 {
		t.Errorf("Audit(3, 1) = %+v", page)
	}
}

func TestActRefusesBadFields(t *testing.T) {
	ctx := context.Background()
	s, _, _ := openTestStore(t)
	if _, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{item("a", "1", "one", t0)}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		a     Action
		field string
	}{
		{"no kind", Action{Story: "a/1"}, "kind"},
		{"unknown kind", Action{Kind: "delete", Story: "a/1"}, "kind"},
		{"bad ref", Action{Kind: ActHide, Story: "nothing"}, "story"},
		{"past until", Action{Kind: ActPin, Story: "a/1", Until: t0.Add(-time.Second)}, "until"},
		{"bad ticker", Action{Kind: ActPin, Story: "a/1", Tickers: []string{"../x"}}, "tickers"},
		{"empty correct", Action{Kind: ActCorrect, Story: "a/1"}, "title"},
		{"script link", Action{Kind: ActCorrect, Story: "a/1", Link: "javascript:alert(1)"}, "link"},
		{"long title", Action{Kind: ActAdd, Title: strings.Repeat("x", MaxActionTitle+1)}, "title"},
		{"control char", Action{Kind: ActAdd, Title: "a\x00b"}, "title"},
		{"bad lang", Action{Kind: ActAdd, Title: "x", Lang: "<en>"}, "lang"},
		{"title on hide", Action{Kind: ActHide, Story: "a/1", Title: "x"}, "title"},
		{"undo of nothing", Action{Kind: ActUndo, Story: "a/1", Of: "sing"}, "of"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Act(ctx, tc.a)
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field {
				t.Errorf("Act(%+v) = %v, want an error about %s", tc.a, err, tc.field)
			}
		})
	}
	if _, err := s.Act(ctx, Action{Kind: ActHide, Story: "a/404"}); !errors.Is(err, ErrNoStory) {
		t.Errorf("hide of an unknown story: %v", err)
	}
	if acts, _ := s.Actions(ctx); len(acts) != 0 {
		t.Errorf("refused actions were stored: %+v", acts)
	}
	if audit, _ := s.Audit(ctx, 0, 0); len(audit) != 0 {
		t.Errorf("refused actions were audited: %+v", audit)
	}
}

func TestActionsSurviveReopenAndBackup(t *testing.T) {
	ctx := context.Background()
	s, _, path := openTestStore(t)
	if _, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{item("a", "1", "one", t0)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Act(ctx, Action{Kind: ActHide, Story: "a/1", Who: "ed"}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := s.Backup(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	s.Close()
	restored := filepath.Join(t.TempDir(), "restored.db")
	if err := os.WriteFile(restored, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, restored} {
		s2, err := Open(p, nil)
		if err != nil {
			t.Fatal(err)
		}
		acts, err := s2.Actions(ctx)
		audit, err2 := s2.Audit(ctx, 0, 0)
		s2.Close()
		if err != nil || err2 != nil || len(acts) != 1 || acts[0].Kind != ActHide || acts[0].Item == nil || len(audit) != 1 || audit[0].Who != "ed" {
			t.Errorf("%s: actions %+v (%v), audit %+v (%v)", p, acts, err, audit, err2)
		}
	}
}

func FuzzActionJSON(f *testing.F) {
	for _, s := range []string{
		`{"kind":"hide","story":"a/1"}`,
		`{"kind":"pin","story":"a/1","until":"2030-01-01T00:00:00Z","tickers":["main"]}`,
		`{"kind":"correct","story":"a/1","title":"x","link":"https://e.example/"}`,
		`{"kind":"add","title":"\u202eevil","lang":"ar"}`,
		`{"kind":"undo","undo":3}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var a Action
		if err := json.Unmarshal(data, &a); err != nil {
			return
		}
		if err := a.Check(t0); err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field == "" {
				t.Fatalf("Check(%s) = %v, not naming a field", data, err)
			}
			return
		}
		if a.Kind == "" || len(a.Title) > 4*MaxActionTitle || len(a.Link) > MaxActionLink {
			t.Fatalf("Check accepted %s", data)
		}
	})
}

// BenchmarkAct takes one action per iteration: a durable write (fsync)
// that reads every action stored so far to judge before and after.
func BenchmarkAct(b *testing.B) {
	s, _, _ := openTestStore(b)
	ctx := context.Background()
	if _, err := s.Ingest(ctx, SourceState{Name: "a"}, []Item{item("a", "1", "one", t0)}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.Act(ctx, Action{Kind: ActBreaking, Story: "a/1"}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEditsOrder: what a story shows depends on the order of its actions
// in force: the newest correction of each field, the newest pin.
func TestEditsOrder(t *testing.T) {
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	for _, tc := range []struct {
		name    string
		actions []Action
		want    string
	}{
		{"two corrections", []Action{
			{ID: 1, Kind: ActCorrect, Story: "a/1", Title: "first"},
			{ID: 2, Kind: ActCorrect, Story: "a/1", Title: "second"},
		}, "second|"},
		{"newest undone", []Action{
			{ID: 1, Kind: ActCorrect, Story: "a/1", Title: "first"},
			{ID: 2, Kind: ActCorrect, Story: "a/1", Title: "second", UndoneBy: 3},
		}, "first|"},
		{"title then link", []Action{
			{ID: 1, Kind: ActCorrect, Story: "a/1", Title: "first"},
			{ID: 2, Kind: ActCorrect, Story: "a/1", Link: "https://x.example/"},
		}, "first|https://x.example/"},
		{"pin replaced", []Action{
			{ID: 1, Kind: ActPin, Story: "a/1", Until: at(10)},
			{ID: 2, Kind: ActPin, Story: "a/1"},
		}, "|pin 2"},
		{"pin expired, older pin for ever", []Action{
			{ID: 1, Kind: ActPin, Story: "a/1"},
			{ID: 2, Kind: ActPin, Story: "a/1", Until: at(-1)},
		}, "|pin 1"},
		{"hidden and pinned", []Action{
			{ID: 1, Kind: ActPin, Story: "a/1"},
			{ID: 2, Kind: ActHide, Story: "a/1"},
		}, "|pin 1 hidden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := NewEdits(tc.actions, t0).Story("a/1")
			got := e.Title + "|" + e.Link
			if e.Pin != nil {
				got += fmt.Sprintf("pin %d", e.Pin.ID)
			}
			if e.Hidden {
				got += " hidden"
			}
			if got != tc.want {
				t.Errorf("NewEdits = %q, want %q", got, tc.want)
			}
		})
	}
}

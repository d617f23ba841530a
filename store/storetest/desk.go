package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"tickerd/store"
)

// testDeskActions: actions resolve a telling to its story, are numbered in
// order, log a desk change, are listed while in force with their story's
// item, are withdrawn by undo, and keep their audit (before and after)
// across a restart.
func testDeskActions(t *testing.T, open Opener) {
	ctx := context.Background()
	c := NewClock(T0)
	s, reopen := open(t, Config{Now: c.Now, Dedupe: DedupeOn})
	mustIngest(t, s, "a",
		StoryItem("a", "1", "ceasefire takes effect in the north", "https://a.example/1", T0.Add(-time.Hour)),
		StoryItem("a", "2", "central bank holds rates", "https://a.example/2", T0.Add(-2*time.Hour)),
	)
	if res := mustIngest(t, s, "b", StoryItem("b", "x1", "Ceasefire takes effect in the north today", "https://b.example/x1", T0)); res.Duplicate != 1 {
		t.Fatalf("near-duplicate not merged: %+v", res)
	}
	v := s.Seq()
	hide, err := s.Act(ctx, store.Action{Kind: store.ActHide, Story: "b/x1", Who: "ed"})
	if err != nil {
		t.Fatal(err)
	}
	if hide.ID != 1 || hide.Story != "a/1" || !hide.At.Equal(T0) {
		t.Errorf("hide through a telling = %+v, want id 1 on a/1 at T0", hide)
	}
	chs := mustChanges(t, s, v)
	if len(chs) != 1 || chs[0].Desk != hide.ID || chs[0].Item.Source != "a" || chs[0].Item.ID != "1" {
		t.Fatalf("changes after hide: %s, want one desk change about a/1", changeList(chs))
	}
	c.Advance(time.Second)
	pin, err := s.Act(ctx, store.Action{Kind: store.ActPin, Story: "a/2", Until: T0.Add(time.Hour), Who: "ed"})
	if err != nil || pin.ID != 2 {
		t.Fatalf("pin = %+v, %v", pin, err)
	}
	add, err := s.Act(ctx, store.Action{Kind: store.ActAdd, Title: "Newsroom: roads closed", Lang: "en", Who: "ed"})
	if err != nil || add.Story != store.StoryRef(store.NewsroomSource, store.AddedID(add.ID)) {
		t.Fatalf("add = %+v, %v", add, err)
	}
	if _, err := s.Act(ctx, store.Action{Kind: store.ActHide, Story: "a/nope", Who: "ed"}); !errors.Is(err, store.ErrNoStory) {
		t.Errorf("hide of a story not stored: %v, want ErrNoStory", err)
	}
	if _, err := s.Act(ctx, store.Action{Kind: store.ActUndo, Undo: 99, Who: "ed"}); !errors.Is(err, store.ErrNoAction) {
		t.Errorf("undo of no action: %v, want ErrNoAction", err)
	}
	undo, err := s.Act(ctx, store.Action{Kind: store.ActUndo, Of: store.ActHide, Story: "a/1", Who: "ed2"})
	if err != nil || undo.Undo != hide.ID {
		t.Fatalf("undo hide = %+v, %v", undo, err)
	}
	check := func(s store.Backend) {
		t.Helper()
		acts, err := s.Actions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, a := range acts {
			kinds = append(kinds, a.Kind)
			if a.Item == nil {
				t.Errorf("action %d (%s) has no item", a.ID, a.Kind)
			}
		}
		if len(acts) != 2 || acts[0].ID != pin.ID || acts[1].ID != add.ID || acts[0].Item.ID != "2" {
			t.Errorf("actions in force: %v, want the pin then the add", kinds)
		}
		audit, err := s.Audit(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(audit) != 4 {
			t.Fatalf("audit has %d entries, want 4", len(audit))
		}
		if a := audit[0]; a.Seq != 1 || a.Who != "ed" || a.Before.Hidden || !a.After.Hidden || a.Before.Title != "ceasefire takes effect in the north" {
			t.Errorf("audit of the hide: %+v", a)
		}
		if a := audit[3]; a.Who != "ed2" || !a.Before.Hidden || a.After.Hidden || a.Action.Undo != hide.ID {
			t.Errorf("audit of the undo: %+v", a)
		}
		if rest, err := s.Audit(ctx, 3, 10); err != nil || len(rest) != 1 || rest[0].Seq != 4 {
			t.Errorf("Audit after 3 = %+v, %v; want the 4th", rest, err)
		}
	}
	check(s)
	check(reopen(t))
}

package store

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The desk: editors act on stories (hide, pin, breaking, correct, add,
// undo). Each action is data kept with the stories, in the same file (the
// bbolt backend: buckets "desk" and "audit"), and is applied where
// tickers are built, not to the stored items: a story's item can be
// re-polled, updated or joined by near-duplicates and the action still
// holds, because it names the story, not a fetched item. This file holds
// what every backend shares: the types, the validation and the rules
// (Edits) that turn the actions in force into what a story shows.
//
// A backend keeps three methods (see Backend): Act stores an action and
// its audit record and logs a change (Change.Desk) so that tickers render
// again and live streams hear of it; Actions lists the actions in force;
// Audit reads the audit log.

// Action kinds.
const (
	// ActHide takes the story off every ticker until undone.
	ActHide = "hide"
	// ActPin puts the story first on Tickers (none: every ticker that
	// shows it) until Until, or until undone.
	ActPin = "pin"
	// ActBreaking marks the story as breaking until Until, or until undone.
	ActBreaking = "breaking"
	// ActCorrect shows Title and/or Link instead of the story's own (an
	// empty one keeps the story's); the story's own stay stored.
	ActCorrect = "correct"
	// ActAdd publishes a headline written at the desk (Title, Link,
	// Lang) on Tickers (none: every ticker), as an item of source
	// NewsroomSource whose id is AddedID(ID).
	ActAdd = "add"
	// ActUndo withdraws action Undo, or (Undo zero) the newest action of
	// kind Of in force on Story.
	ActUndo = "undo"
)

// NewsroomSource is the source name of the headlines the desk adds.
const NewsroomSource = "newsroom"

// Limits on an action's fields: an action is typed by a person, and
// every one is read whole on every change to the desk.
const (
	MaxActionTitle = 500
	MaxActionLink  = 2048
	MaxActionWho   = 100
	MaxActionRef   = 4096
	MaxTickers     = 64
)

// ErrNoStory is returned (wrapped) by Act when the story an action names
// is not stored, or when an undo names no action in force.
var ErrNoStory = errors.New("no such story")

// ErrNoAction is returned (wrapped) by Act when an undo names an action
// that does not exist or is no longer in force.
var ErrNoAction = errors.New("no such action in force")

// Action is one editorial action. The caller fills Kind, Story and the
// fields its kind uses, and Who; Act fills ID and At, resolves Story to
// the story's own reference (a telling's reference names its story) and
// returns the action as stored.
type Action struct {
	// ID numbers actions in the order they were taken, from 1.
	ID   uint64 `json:"id"`
	Kind string `json:"kind"`
	// Story is the story acted on, as StoryRef makes it (not for add).
	Story string `json:"story,omitempty"`
	// Tickers are ticker names: where a pin holds, where an added
	// headline is shown; empty means every ticker.
	Tickers []string `json:"tickers,omitempty"`
	// Until ends a pin or a breaking mark; zero means never.
	Until time.Time `json:"until,omitzero"`
	// Title, Link and Lang: the corrected title and link (correct), or
	// the headline (add). Plain text; the feeds escape it.
	Title string `json:"title,omitempty"`
	Link  string `json:"link,omitempty"`
	Lang  string `json:"lang,omitempty"`
	// Undo and Of say what an undo withdraws (see ActUndo).
	Undo uint64 `json:"undo,omitempty"`
	Of   string `json:"of,omitempty"`
	// Who took the action: the desk's user, or "cli".
	Who string    `json:"who,omitempty"`
	At  time.Time `json:"at,omitzero"`
	// UndoneBy is the undo that withdrew this action, zero while in force.
	UndoneBy uint64 `json:"undone_by,omitempty"`

	// Item is, in what Actions returns, the story's item as stored now
	// (its record, once retention removed the item but kept other
	// sources' tellings), or for an add the headline as an item; nil when
	// the story is no longer stored. Never stored with the action.
	Item *Item `json:"-"`
}

// AuditEntry records one action: when, who, what, on which story, and
// what the story showed before and after it.
type AuditEntry struct {
	Seq    uint64    `json:"seq"`
	At     time.Time `json:"at"`
	Who    string    `json:"who"`
	Action Action    `json:"action"`
	Story  string    `json:"story,omitempty"`
	Before Shown     `json:"before"`
	After  Shown     `json:"after"`
}

// Shown is what the desk makes a story show, for the audit: its title
// and link (the story's own unless corrected) and its marks.
type Shown struct {
	Title     string    `json:"title,omitempty"`
	Link      string    `json:"link,omitempty"`
	Hidden    bool      `json:"hidden,omitempty"`
	Pinned    bool      `json:"pinned,omitempty"`
	PinUntil  time.Time `json:"pin_until,omitzero"`
	Breaking  bool      `json:"breaking,omitempty"`
	BreakEnds time.Time `json:"breaking_until,omitzero"`
	Added     bool      `json:"added,omitempty"`
}

// StoryRef names the story an item leads: its source and id. Source
// names never hold a slash, so the first one ends the source.
func StoryRef(source, id string) string { return source + "/" + id }

// ParseStoryRef splits a StoryRef.
func ParseStoryRef(ref string) (source, id string, ok bool) {
	source, id, ok = strings.Cut(ref, "/")
	return source, id, ok && source != "" && id != ""
}

// AddedID is the item id of the headline added by action id.
func AddedID(id uint64) string { return "add-" + strconv.FormatUint(id, 10) }

// AddedAction reports which add action made the newsroom item id.
func AddedAction(source, id string) (uint64, bool) {
	if source != NewsroomSource {
		return 0, false
	}
	n, err := strconv.ParseUint(strings.TrimPrefix(id, "add-"), 10, 64)
	return n, err == nil && strings.HasPrefix(id, "add-") && n > 0
}

// AddedItem is the headline of add action a as an item.
func AddedItem(a *Action) Item {
	return Item{
		Source: NewsroomSource, ID: AddedID(a.ID), Title: a.Title, Link: a.Link,
		Lang: a.Lang, Published: a.At, FirstSeen: a.At,
	}
}

var (
	tickerName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$`)
	langTag    = regexp.MustCompile(`^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$`)
)

// FieldError is an action's problem with one of its fields.
type FieldError struct {
	Field string // the JSON name of the field
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Check reports the first problem with a as a *FieldError naming the
// field, judged at time now. Act calls it; a desk API calls it first for
// the better message.
func (a *Action) Check(now time.Time) error {
	text := func(field, s string, limit int) error {
		switch {
		case !utf8.ValidString(s):
			return fieldErr(field, "not UTF-8")
		case utf8.RuneCountInString(s) > limit:
			return fieldErr(field, "longer than %d characters", limit)
		}
		for _, r := range s {
			if unicode.IsControl(r) {
				return fieldErr(field, "holds control character %U", r)
			}
		}
		return nil
	}
	link := func(s string) error {
		if s == "" {
			return nil
		}
		if err := text("link", s, MaxActionLink); err != nil {
			return err
		}
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fieldErr("link", "%q is not an absolute http(s) URL", s)
		}
		return nil
	}
	if err := text("who", a.Who, MaxActionWho); err != nil {
		return err
	}
	story := func() error {
		if len(a.Story) > MaxActionRef {
			return fieldErr("story", "longer than %d bytes", MaxActionRef)
		}
		if _, _, ok := ParseStoryRef(a.Story); !ok {
			return fieldErr("story", "%q is not a story reference (source/id)", a.Story)
		}
		return nil
	}
	until := func() error {
		if !a.Until.IsZero() && !a.Until.After(now) {
			return fieldErr("until", "%s is not in the future", a.Until.Format(time.RFC3339))
		}
		return nil
	}
	if len(a.Tickers) > MaxTickers {
		return fieldErr("tickers", "more than %d", MaxTickers)
	}
	for _, t := range a.Tickers {
		if !tickerName.MatchString(t) {
			return fieldErr("tickers", "%q is not a ticker name", t)
		}
	}
	unused := func(fields ...string) error {
		for _, f := range fields {
			set := false
			switch f {
			case "tickers":
				set = len(a.Tickers) > 0
			case "until":
				set = !a.Until.IsZero()
			case "title":
				set = a.Title != ""
			case "link":
				set = a.Link != ""
			case "lang":
				set = a.Lang != ""
			case "undo":
				set = a.Undo != 0
			case "of":
				set = a.Of != ""
			}
			if set {
				return fieldErr(f, "not used by %s", a.Kind)
			}
		}
		return nil
	}
	switch a.Kind {
	case ActHide:
		return errors.Join(story(), unused("tickers", "until", "title", "link", "lang", "undo", "of"))
	case ActPin:
		return errors.Join(story(), until(), unused("title", "link", "lang", "undo", "of"))
	case ActBreaking:
		return errors.Join(story(), until(), unused("tickers", "title", "link", "lang", "undo", "of"))
	case ActCorrect:
		if a.Title == "" && a.Link == "" {
			return fieldErr("title", "a correction needs a title or a link")
		}
		if strings.TrimSpace(a.Title) == "" && a.Title != "" {
			return fieldErr("title", "blank")
		}
		return errors.Join(story(), text("title", a.Title, MaxActionTitle), link(a.Link), unused("tickers", "until", "lang", "undo", "of"))
	case ActAdd:
		if strings.TrimSpace(a.Title) == "" {
			return fieldErr("title", "a headline needs a title")
		}
		if a.Lang != "" && !langTag.MatchString(a.Lang) {
			return fieldErr("lang", "%q is not a language tag", a.Lang)
		}
		if a.Story != "" {
			return fieldErr("story", "not used by add")
		}
		return errors.Join(text("title", a.Title, MaxActionTitle), link(a.Link), unused("until", "undo", "of"))
	case ActUndo:
		if a.Undo == 0 {
			if err := story(); err != nil {
				return err
			}
			if !slices.Contains([]string{ActHide, ActPin, ActBreaking, ActCorrect, ActAdd}, a.Of) {
				return fieldErr("of", "%q: want hide, pin, breaking, correct or add (or give undo, an action id)", a.Of)
			}
		} else if a.Of != "" || a.Story != "" {
			return fieldErr("undo", "give an action id or story and of, not both")
		}
		return unused("tickers", "until", "title", "link", "lang")
	case "":
		return fieldErr("kind", "missing")
	}
	return fieldErr("kind", "%q: want hide, pin, breaking, correct, add or undo", a.Kind)
}

// Edit is what the actions in force make one story show.
type Edit struct {
	Hidden bool
	// Pin is the pin in force, nil when none.
	Pin *Action
	// Breaking is the breaking mark in force, nil when none.
	Breaking *Action
	// Title and Link replace the story's own when not empty (correct).
	Title, Link string
	// Corrected is the newest correction in force, nil when none.
	Corrected *Action
	// Added is the add action when the story is a desk headline.
	Added *Action
}

// PinnedOn reports whether the story is pinned on the named ticker.
func (e *Edit) PinnedOn(ticker string) bool {
	return e != nil && e.Pin != nil && (len(e.Pin.Tickers) == 0 || slices.Contains(e.Pin.Tickers, ticker))
}

// Apply shows the correction on it.
func (e *Edit) Apply(it *Item) {
	if e == nil {
		return
	}
	if e.Title != "" {
		it.Title = e.Title
	}
	if e.Link != "" {
		it.Link = e.Link
	}
}

// Shown is what e makes story it show.
func (e *Edit) Shown(it *Item) Shown {
	var sh Shown
	if it != nil {
		sh.Title, sh.Link = it.Title, it.Link
	}
	if e == nil {
		return sh
	}
	if e.Title != "" {
		sh.Title = e.Title
	}
	if e.Link != "" {
		sh.Link = e.Link
	}
	sh.Hidden, sh.Added = e.Hidden, e.Added != nil
	if e.Pin != nil {
		sh.Pinned, sh.PinUntil = true, e.Pin.Until
	}
	if e.Breaking != nil {
		sh.Breaking, sh.BreakEnds = true, e.Breaking.Until
	}
	return sh
}

// Edits is what the actions in force make every story show at one
// moment. Build it with NewEdits; the zero value and nil edit nothing.
type Edits struct {
	byStory map[string]*Edit
	// Added are the desk's headlines not undone, oldest first, each with
	// its add action.
	Added []*Action
	// Next is when the next pin or breaking mark ends, zero when none
	// will: what the edits show changes then.
	Next time.Time
	// Passed is when the last pin or breaking mark that has ended ended,
	// zero when none has: what the edits show changed then.
	Passed time.Time
	// pins are the pins in force, newest first.
	pins []*Action
}

// Pins returns the pins in force on the named ticker, newest first.
func (e *Edits) Pins(ticker string) []*Action {
	if e == nil {
		return nil
	}
	var out []*Action
	for _, a := range e.pins {
		if len(a.Tickers) == 0 || slices.Contains(a.Tickers, ticker) {
			out = append(out, a)
		}
	}
	return out
}

// NewEdits applies actions (in force, oldest first, as Actions returns
// them) at time now. Expired pins and breaking marks do nothing.
func NewEdits(actions []Action, now time.Time) *Edits {
	e := &Edits{byStory: make(map[string]*Edit)}
	get := func(ref string) *Edit {
		ed := e.byStory[ref]
		if ed == nil {
			ed = new(Edit)
			e.byStory[ref] = ed
		}
		return ed
	}
	live := func(a *Action) bool {
		if a.Until.IsZero() {
			return true
		}
		if !now.Before(a.Until) {
			if a.Until.After(e.Passed) {
				e.Passed = a.Until
			}
			return false
		}
		if e.Next.IsZero() || a.Until.Before(e.Next) {
			e.Next = a.Until
		}
		return true
	}
	for i := range actions {
		a := &actions[i]
		if a.UndoneBy != 0 {
			continue
		}

		switch a.Kind {
		case ActHide:
			get(a.Story).Hidden = true
		case ActPin:
			if live(a) {
				get(a.Story).Pin = a
			}
		case ActBreaking:
			if live(a) {
				get(a.Story).Breaking = a
			}
		case ActCorrect:
			ed := get(a.Story)
			if a.Title != "" {
				ed.Title = a.Title
			}
			if a.Link != "" {
				ed.Link = a.Link
			}
			ed.Corrected = a
		case ActAdd:
			get(StoryRef(NewsroomSource, AddedID(a.ID))).Added = a
			e.Added = append(e.Added, a)
		}
	}
	for i := len(actions) - 1; i >= 0; i-- {
		a := &actions[i]
		if ed := e.byStory[a.Story]; a.Kind == ActPin && ed != nil && ed.Pin == a {
			e.pins = append(e.pins, a)
		}
	}
	return e
}

// Story returns the edit of the story ref, or nil.
func (e *Edits) Story(ref string) *Edit {
	if e == nil {
		return nil
	}
	return e.byStory[ref]
}

// Of returns the edit of the story it shows, or nil: it is the story's
// item, or another source's telling of it (see Item.Telling), whose first
// report is the story's item.
func (e *Edits) Of(it *Item) *Edit {
	if e == nil || len(e.byStory) == 0 {
		return nil
	}
	if ed := e.byStory[StoryRef(it.Source, it.ID)]; ed != nil {
		return ed
	}
	if len(it.Reports) > 0 {
		r := &it.Reports[0]
		return e.byStory[StoryRef(r.Source, r.TellingID())]
	}
	return nil
}

// Empty reports whether the edits change nothing.
func (e *Edits) Empty() bool { return e == nil || len(e.byStory) == 0 }

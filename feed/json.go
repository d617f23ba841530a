package feed

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/gorilla/feeds"
)

const jsonFeedVersion = "https://jsonfeed.org/version/1.1"

// jsonFeed extends gorilla/feeds' JSONFeed: encoding/json lets an outer
// field shadow an embedded one with the same key.
type jsonFeed struct {
	feeds.JSONFeed
	// Items shadows JSONFeed.Items, which is omitempty: JSON Feed
	// requires "items", even when there are none.
	Items []*jsonItem `json:"items"`
	// Tickerd tells what a client needs to keep the list right between
	// changes; only set for a ticker with a max_age.
	Tickerd *jsonTicker `json:"_tickerd,omitempty"`
}

// jsonTicker is the feed-level extension.
type jsonTicker struct {
	// MaxAge is the ticker's max_age in seconds: an item leaves the ticker
	// once its date_published is that old. The live stream announces
	// changes to items, not the passing of time, so the widget ages
	// headlines out itself.
	MaxAge int64 `json:"max_age"`
}

type jsonItem struct {
	feeds.JSONItem
	// Language is a JSON Feed 1.1 item field JSONItem lacks.
	Language string `json:"language,omitempty"`
	// Tickerd names the item's source; JSON Feed has no field for it, and
	// extension keys start with an underscore.
	Tickerd jsonSource `json:"_tickerd"`
}

type jsonSource struct {
	Source            string `json:"source"`
	SourceTitle       string `json:"source_title"`
	SourceURL         string `json:"source_url"` // as RSS <source url>: the feed, else this server
	SourceHomePageURL string `json:"source_home_page_url,omitempty"`
	// Also lists the other sources that reported the same story; the
	// item is shown once, under the source that reported it first.
	Also []jsonReport `json:"also,omitempty"`
	// Story names the story for the desk's API (store.StoryRef).
	Story string `json:"story"`
	// Breaking and Pinned are the desk's marks; the widget styles a
	// breaking headline (part "breaking").
	Breaking bool `json:"breaking,omitempty"`
	Pinned   bool `json:"pinned,omitempty"`
}

type jsonReport struct {
	Source        string `json:"source"`
	SourceTitle   string `json:"source_title"`
	Title         string `json:"title,omitempty"`
	URL           string `json:"url,omitempty"`
	DatePublished string `json:"date_published,omitempty"`
	// Item names the telling for the desk (a store.StoryRef): what a
	// split of the story takes.
	Item string `json:"item,omitempty"`
}

// renderJSON writes v as JSON Feed 1.1.
func renderJSON(v *view, buf *bytes.Buffer) error {
	t := v.t
	f := &jsonFeed{
		JSONFeed: feeds.JSONFeed{
			Version:     jsonFeedVersion,
			Title:       t.Title,
			Language:    v.lang,
			HomePageUrl: t.Link,
			FeedUrl:     t.self[formatJSON],
			Description: t.Description,
		},
		Items: make([]*jsonItem, len(v.entries)),
	}
	if t.hub != "" {
		f.Hubs = []*feeds.JSONHub{{Type: "WebSub", Url: t.hub}}
	}
	for i := range v.entries {
		f.Items[i] = v.jsonItem(&v.entries[i])
	}
	if age := t.sel.maxAge; age > 0 {
		f.Tickerd = &jsonTicker{MaxAge: int64(age.Round(time.Second) / time.Second)}
	}
	enc := json.NewEncoder(buf)
	// Summaries are full of < and >; escaping them as \u003c is valid but
	// bloats and obscures the feed for no reader's benefit.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}

// jsonItem returns entry e as a JSON Feed item; live events carry the
// same object, so the widget reads one shape from both.
func (v *view) jsonItem(e *entry) *jsonItem {
	it := &jsonItem{
		JSONItem: feeds.JSONItem{
			Id:           e.guid,
			Url:          e.link,
			Title:        e.title,
			ModifiedDate: timePtr(e.updated),
			Tags:         e.categories,
		},
		Language: e.lang,
		Tickerd: jsonSource{
			Source:            e.src.name,
			SourceTitle:       e.src.title,
			SourceURL:         v.sourceURL(e.src),
			SourceHomePageURL: e.src.homeURL,
			Also:              jsonReports(e.reports),
			Story:             e.story,
			Breaking:          e.breaking,
			Pinned:            e.pinned,
		},
	}
	// JSON Feed requires content_html or content_text; summaries are
	// HTML, and the title stands in when there is none.
	if e.summary != "" {
		it.ContentHTML = e.summary
	} else {
		it.ContentText = e.title
	}
	if !e.published.IsZero() {
		it.PublishedDate = timePtr(e.published)
	}
	if e.author != "" {
		// Authors only: Author is deprecated in JSON Feed 1.1.
		it.Authors = []*feeds.JSONAuthor{{Name: e.author}}
	}
	return it
}

func timePtr(t time.Time) *time.Time { return &t }

func jsonReports(rs []report) []jsonReport {
	if len(rs) == 0 {
		return nil
	}
	out := make([]jsonReport, len(rs))
	for i, r := range rs {
		out[i] = jsonReport{Source: r.src.name, SourceTitle: r.src.title, Title: r.title, URL: r.link, Item: r.ref}
		if !r.time.IsZero() {
			out[i].DatePublished = r.time.Format(time.RFC3339)
		}
	}
	return out
}

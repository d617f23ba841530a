package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/fnv"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"tickerd/store"

	"github.com/jackc/pgx/v5"
)

// These follow the bbolt backend's key layout (store/store.go), so both
// order and identify items alike.

const day = 24 * time.Hour

// idHash is the 8-byte identity of an item within its source.
func idHash(source, id string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(source))
	h.Write([]byte{0})
	h.Write([]byte(id))
	return h.Sum64()
}

// itemKey orders items by time; times before 1970 clamp to zero.
func itemKey(t time.Time, h uint64) []byte {
	ns := t.UnixNano()
	if ns < 0 || t.IsZero() {
		ns = 0
	}
	k := make([]byte, 16)
	binary.BigEndian.PutUint64(k, uint64(ns))
	binary.BigEndian.PutUint64(k[8:], h)
	return k
}

func keyTime(key []byte) time.Time {
	return time.Unix(0, int64(binary.BigEndian.Uint64(key[:8])))
}

func dayOf(t time.Time) int32 {
	if t.Unix() < 0 {
		return 0
	}
	return int32(t.Unix() / int64(day/time.Second))
}

// tellingKey is the item key report r would have as an item of its own.
func tellingKey(r *store.Report) []byte {
	return itemKey(r.Time, idHash(r.Source, r.TellingID()))
}

func newReport(it *store.Item) store.Report {
	return store.Report{
		Source: it.Source, ID: it.ID, GUID: it.GUID, Link: it.Link, Title: it.Title,
		Summary: it.Summary, Lang: it.Lang, Time: it.Time(),
	}
}

func sameReport(a, b *store.Report) bool {
	return a.Source == b.Source && a.ID == b.ID && a.GUID == b.GUID && a.Link == b.Link &&
		a.Title == b.Title && a.Summary == b.Summary && a.Lang == b.Lang && a.Time.Equal(b.Time)
}

// sameContent reports whether two versions of one item carry the same
// text, link and dates, ignoring what the store itself sets.
func sameContent(a, b *store.Item) bool {
	return a.Title == b.Title && a.Summary == b.Summary && a.Link == b.Link &&
		a.GUID == b.GUID && a.Author == b.Author && a.Lang == b.Lang &&
		a.Published.Equal(b.Published) && slices.Equal(a.Categories, b.Categories) &&
		(b.Updated.IsZero() || a.Updated.Equal(b.Updated))
}

// validUTF8 replaces invalid bytes in it's text, so that the stored copy
// compares equal to the next fetch's.
func validUTF8(it *store.Item) {
	for _, p := range []*string{&it.ID, &it.GUID, &it.Link, &it.Title, &it.Summary, &it.Author, &it.Lang} {
		if !utf8.ValidString(*p) {
			*p = strings.ToValidUTF8(*p, "\uFFFD")
		}
	}
	cloned := false
	for i, c := range it.Categories {
		if !utf8.ValidString(c) {
			if !cloned {
				it.Categories, cloned = slices.Clone(it.Categories), true
			}
			it.Categories[i] = strings.ToValidUTF8(c, "\uFFFD")
		}
	}
}

// PostgreSQL text holds no NUL: tokens are joined by U+001F in the
// index and handed to Prefilter joined by NUL, as bbolt does.
const tokenSep = "\x1f"

func joinTokens(tokens []string) string { return strings.Join(tokens, tokenSep) }

// noNUL makes s storable as PostgreSQL text in an indexed column: NUL
// replaced, and a value longer than maxIndexText bytes (a hostile feed's
// 6 KB GUID, a headline that is one long word) cut and suffixed with a
// hash of the whole, so that two such values stay apart and no btree
// refuses the row (an index entry holds at most about 2.7 KB), which
// would fail every ingest of the feed. The result is its own noNUL.
func noNUL(s string) string {
	s = textNoNUL(s)
	if len(s) <= maxIndexText {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	cut := maxIndexText - 3 - 32
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…" + hex.EncodeToString(sum[:16])
}

// maxIndexText bounds the text values noNUL gives.
const maxIndexText = 1000

// textNoNUL makes s storable as PostgreSQL text.
func textNoNUL(s string) string { return strings.ReplaceAll(s, "\x00", "\uFFFD") }

// keyData is a row of (key, data), as items and told hold them.
type keyData struct{ key, data []byte }

// readKeyData runs sql, whose rows are (key, data), and reads them all
// before the transaction's next query.
func readKeyData(ctx context.Context, tx pgx.Tx, sql string, args ...any) ([]keyData, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (keyData, error) {
		var e keyData
		err := r.Scan(&e.key, &e.data)
		return e, err
	})
}

package postgres

import (
	"bytes"
	"slices"
	"strconv"
	"time"

	"tickerd/store"
)

// freshIndex holds the story index entries of the items a transaction
// stored new, so a lookup later in the same feed adds them to the
// candidates it read before the transaction wrote anything, instead of
// reading them all again: in a feed whose headlines share rare words
// with each other that read again cost a round trip per item, under the
// write lock. Entries written over or deleted (updates, splits) are not
// here: they mark the writer's touched set, and a lookup meeting those
// reads again.
type freshIndex struct {
	forms map[string][]byte     // "l\x00link\x00day" or "t\x00title\x00day" → key
	vals  map[string]bool       // "l\x00link", "t\x00title"
	sigs  map[string][]freshKey // signature → entries in the order written
}

type freshKey struct {
	day    int32
	key    []byte
	tokens []string
}

func formKey(kind, val string, day int32) string {
	return kind + "\x00" + val + "\x00" + strconv.Itoa(int(day))
}

func (f *freshIndex) add(key []byte, st *store.Story, day int32, similar bool) {
	if f.forms == nil {
		f.forms, f.vals, f.sigs = map[string][]byte{}, map[string]bool{}, map[string][]freshKey{}
	}
	for _, form := range [...]struct{ kind, val string }{{"l", st.Link}, {"t", st.Title}} {
		if form.val == "" {
			continue
		}
		v := noNUL(form.val)
		f.forms[formKey(form.kind, v, day)] = key
		f.vals[form.kind+"\x00"+v] = true
	}
	if !similar {
		return
	}
	for _, sig := range st.Keys {
		sig = noNUL(sig)
		f.sigs[sig] = append(f.sigs[sig], freshKey{day: day, key: key, tokens: st.Tokens})
	}
}

// meets reports whether st would find an entry added here.
func (f *freshIndex) meets(st *store.Story) bool {
	if len(f.forms) == 0 {
		return false
	}
	if st.Link != "" && f.vals["l\x00"+noNUL(st.Link)] || st.Title != "" && f.vals["t\x00"+noNUL(st.Title)] {
		return true
	}
	for _, sig := range st.LookupKeys() {
		if len(f.sigs[noNUL(sig)]) > 0 {
			return true
		}
	}
	return false
}

// merge returns pre, the candidates of it read before this transaction
// wrote, with the entries added since, in the order readCandidates
// would have read them; nil when that read would have been cut at
// maxCandidates, which only reading again gets right.
func (f *freshIndex) merge(s *Store, it *store.Item, pre *candidates, lo, hi time.Time) *candidates {
	dlo, dhi := dayOf(lo), dayOf(hi)
	out := &candidates{rows: pre.rows}
	for ord, form := range [...]struct{ kind, val string }{{"l", it.Story.Link}, {"t", it.Story.Title}} {
		if form.val == "" {
			continue
		}
		var got []cand
		for _, c := range pre.forms {
			if c.ord == int32(ord) {
				got = append(got, c)
			}
		}
		v := noNUL(form.val)
		for d := dlo; d <= dhi; d++ {
			key, ok := f.forms[formKey(form.kind, v, d)]
			if !ok {
				continue
			}
			// The entry written last for a (form, day) is the one
			// stored (ON CONFLICT DO UPDATE).
			got = slices.DeleteFunc(got, func(c cand) bool { return c.day == d })
			got = append(got, cand{key: key, usable: true, ord: int32(ord), day: d})
		}
		slices.SortStableFunc(got, func(a, b cand) int { return int(b.day) - int(a.day) })
		out.forms = append(out.forms, got...)
	}
	out.keys = pre.keys
	if !s.similarOn() || len(it.Story.Tokens) == 0 {
		return out
	}
	klo, khi := itemKey(lo, 0), itemKey(hi, ^uint64(0))
	seen := make(map[string]bool, len(pre.keys))
	for _, c := range pre.keys {
		seen[string(c.key)] = true
	}
	var added []cand
	for j, sig := range it.Story.LookupKeys() {
		n := 0
		for _, e := range f.sigs[noNUL(sig)] {
			if e.day < dlo || e.day > dhi || bytes.Compare(e.key, klo) < 0 || bytes.Compare(e.key, khi) > 0 {
				continue
			}
			n++
			if seen[string(e.key)] {
				continue
			}
			seen[string(e.key)] = true
			if score := s.dedupe.Similarity(it.Story.Tokens, e.tokens); score >= s.dedupe.Threshold {
				added = append(added, cand{key: e.key, score: score, usable: true, ord: int32(j), day: e.day})
			}
		}
		read := 0
		if j < len(pre.rows) {
			read = pre.rows[j]
		}
		if read+n > maxCandidates {
			return nil
		}
	}
	if len(added) == 0 {
		return out
	}
	out.keys = append(slices.Clone(pre.keys), added...)
	slices.SortStableFunc(out.keys, func(a, b cand) int {
		if a.ord != b.ord {
			return int(a.ord) - int(b.ord)
		}
		if a.day != b.day {
			return int(a.day) - int(b.day)
		}
		return bytes.Compare(a.key, b.key)
	})
	return out
}

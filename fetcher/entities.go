package fetcher

import (
	"bytes"
)

// entityWindow bounds where a DOCTYPE is looked for: it comes before the
// root element, after at most a prolog and a few comments.
const entityWindow = 4 << 10

// Limits on what an internal DTD subset may declare, so that a hostile
// one (entities defined by other entities, a "billion laughs") expands to
// little: few entities, short values, references within values expanded
// to a shallow depth, and the document at most limit bytes.
const (
	maxEntities     = 256
	maxEntityValue  = 4 << 10
	maxEntityNested = 3
)

// expandEntities replaces references to the general entities that body's
// internal DTD subset declares with their text, the way a validating
// reader would: encoding/xml reads no DTD, so gofeed would leave "&wire;"
// as it is. Only internal entities with a literal value are expanded;
// external ones (SYSTEM, PUBLIC) and parameter entities never are, nor
// are XML's five. When the result would exceed limit bytes, body is
// returned unchanged. A body without a DOCTYPE near its start, nearly
// every feed, costs one short search.
func expandEntities(body []byte, limit int) []byte {
	head := body[:min(len(body), entityWindow)]
	at := bytes.Index(head, []byte("<!DOCTYPE"))
	if at < 0 || !bytes.Contains(head, []byte("<!ENTITY")) {
		return body
	}
	end := declEnd(body[at:])
	if end < 0 {
		return body
	}
	end += at + 1
	ents := declaredEntities(body[at:end])
	if len(ents) == 0 {
		return body
	}
	for range maxEntityNested {
		changed := false
		for name, v := range ents {
			nv, ok := replaceEntities(v, ents, maxEntityValue)
			if !ok {
				delete(ents, name) // too long expanded: left unexpanded
				continue
			}
			if !bytes.Equal(nv, v) {
				ents[name], changed = nv, true
			}
		}
		if !changed {
			break
		}
	}
	// An entity whose value still refers to a declared one nests deeper
	// than the limit (or on itself): it is left unexpanded rather than
	// expanded halfway.
	declared := declaredEntities(body[at:end])
	for name, v := range ents {
		if nv, _ := replaceEntities(v, declared, maxEntityValue); !bytes.Equal(nv, v) {
			delete(ents, name)
		}
	}
	if len(ents) == 0 {
		return body
	}
	rest, ok := replaceEntities(body[end:], ents, limit-end)
	if !ok {
		return body
	}
	out := make([]byte, 0, end+len(rest))
	return append(append(out, body[:end]...), rest...)
}

// declaredEntities reads the <!ENTITY name "value"> declarations of a
// DOCTYPE; the first declaration of a name wins, as in XML.
func declaredEntities(doctype []byte) map[string][]byte {
	ents := map[string][]byte{}
	for rest := doctype; ; {
		i := bytes.Index(rest, []byte("<!ENTITY"))
		if i < 0 || len(ents) >= maxEntities {
			return ents
		}
		rest = rest[i+len("<!ENTITY"):]
		j := 0
		for j < len(rest) && isSpace(rest[j]) {
			j++
		}
		if j == 0 || j >= len(rest) || rest[j] == '%' {
			continue // a parameter entity, or no name
		}
		ne := nameEnd(rest, j)
		name := string(rest[j:ne])
		for ne < len(rest) && isSpace(rest[ne]) {
			ne++
		}
		if name == "" || ne >= len(rest) || (rest[ne] != '"' && rest[ne] != '\'') {
			continue // external (SYSTEM or PUBLIC): never read
		}
		q := bytes.IndexByte(rest[ne+1:], rest[ne])
		if q < 0 || q > maxEntityValue {
			continue
		}
		switch name {
		case "lt", "gt", "amp", "quot", "apos":
			continue
		}
		if _, seen := ents[name]; !seen {
			ents[name] = rest[ne+1 : ne+1+q]
		}
		rest = rest[ne+1+q:]
	}
}

// replaceEntities returns b with every &name; of a declared entity
// replaced by its value, and false when the result would exceed limit.
func replaceEntities(b []byte, ents map[string][]byte, limit int) ([]byte, bool) {
	var out []byte
	done := 0
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '&')
		if j < 0 {
			break
		}
		i += j + 1
		ne := nameEnd(b, i)
		if ne == i || ne >= len(b) || b[ne] != ';' {
			continue
		}
		v, ok := ents[string(b[i:ne])]
		if !ok {
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(b)+len(v))
		}
		out = append(out, b[done:i-1]...)
		out = append(out, v...)
		done = ne + 1
		i = ne + 1
		if len(out) > limit {
			return nil, false
		}
	}
	if out == nil {
		return b, true
	}
	out = append(out, b[done:]...)
	return out, len(out) <= limit
}

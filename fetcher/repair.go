package fetcher

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// XMLError is the first fault found in a feed body that was not
// well-formed XML, which the fetcher repaired to read: where it is and
// what it is. A fetch that repaired its body reports it as degraded
// (Result.Degraded, SourceState.Degraded) rather than failed.
type XMLError struct {
	Line, Column int // 1-based; Column 0 when unknown
	Msg          string
}

func (e *XMLError) Error() string {
	if e.Column > 0 {
		return fmt.Sprintf("XML repaired: line %d, column %d: %s", e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("XML repaired: line %d: %s", e.Line, e.Msg)
}

// firstXMLError locates the first fault in body as encoding/xml in its
// lenient mode (gofeed's) sees it: parseErr, gofeed's own error, names it
// when this pass finds none. Only a body that failed to parse pays for it.
func firstXMLError(body []byte, parseErr error) *XMLError {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	// The body is UTF-8 by now and its prolog says so; any other label
	// left would only stop the pass early.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for {
		_, err := d.Token()
		if err == nil {
			continue
		}
		if err == io.EOF {
			break
		}
		line, col := d.InputPos()
		msg := err.Error()
		if se, ok := errors.AsType[*xml.SyntaxError](err); ok {
			msg, line = se.Msg, se.Line
		}
		return &XMLError{Line: line, Column: col, Msg: msg}
	}
	e := &XMLError{Line: 1, Msg: parseErr.Error()}
	if se, ok := errors.AsType[*xml.SyntaxError](parseErr); ok {
		e.Line, e.Msg = se.Line, se.Msg
	}
	return e
}

// errRepairTooLarge is returned by repairXML when the repaired document
// would outgrow its limit (escaping every '&' of a hostile body five-folds
// it).
var errRepairTooLarge = errors.New("repaired body exceeds fetch.max_body")

// repairCheckEvery is how many input bytes repairXML reads between looks
// at its context.
const repairCheckEvery = 64 << 10

// repairXML rewrites a UTF-8 body that is not well-formed XML into one
// that is, keeping every bit of content it can, the way lenient readers
// (Python feedparser's loose parser, Miniflux's filtered decoder) recover:
//
//   - a '&' that starts no valid reference is escaped as &amp;;
//   - a numeric reference missing its ';' gets one; one naming a character
//     XML forbids is dropped;
//   - a '<' that starts no tag, comment, CDATA section, declaration or
//     processing instruction is escaped as &lt;, in text and in attribute
//     values; unquoted and valueless attributes are quoted;
//   - characters XML forbids (C0 controls other than tab, newline and
//     carriage return, U+FFFE, U+FFFF, invalid UTF-8) are dropped;
//   - an end tag closes the open elements down to its own; one that
//     matches no open element is dropped;
//   - at the end of input, an unfinished tag or declaration is dropped, an
//     open comment or CDATA section is closed, and every open element is
//     closed in order.
//
// It never fails on content: only when the output would exceed limit
// bytes, when elements nest deeper than maxDepth, or when ctx ends. Its
// cost is one linear pass; it runs only for a body that failed to parse.
func repairXML(ctx context.Context, body []byte, limit int) ([]byte, error) {
	r := repairer{in: body, out: make([]byte, 0, len(body)+len(body)/32+64)}
	next := repairCheckEvery
	for r.i < len(r.in) {
		if r.i >= next {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("repair XML: %w", err)
			}
			next = r.i + repairCheckEvery
		}
		switch c := r.in[r.i]; c {
		case '<':
			if err := r.markup(); err != nil {
				return nil, err
			}
		case '&':
			r.reference()
		case '>':
			// "]]>" outside CDATA is an error; '>' alone is not.
			if bytes.HasSuffix(r.out, []byte("]]")) {
				r.out = append(r.out, "&gt;"...)
			} else {
				r.out = append(r.out, '>')
			}
			r.i++
		default:
			r.char()
		}
		if len(r.out) > limit {
			return nil, errRepairTooLarge
		}
	}
	for k := len(r.stack) - 1; k >= 0; k-- {
		r.endTag(r.stack[k])
	}
	if len(r.out) > limit {
		return nil, errRepairTooLarge
	}
	return r.out, nil
}

type repairer struct {
	in    []byte
	i     int // next byte of in to read
	out   []byte
	stack [][]byte // names of open elements, outermost first
	// names remembers which non-ASCII names encoding/xml accepts.
	names map[string]bool
}

// char copies the character at r.i unless XML forbids it.
func (r *repairer) char() {
	c := r.in[r.i]
	if c < utf8.RuneSelf {
		if c >= 0x20 || c == '\t' || c == '\n' || c == '\r' {
			r.out = append(r.out, c)
		}
		r.i++
		return
	}
	ch, size := utf8.DecodeRune(r.in[r.i:])
	if xmlChar(ch) && !(ch == utf8.RuneError && size == 1) {
		r.out = append(r.out, r.in[r.i:r.i+size]...)
	}
	r.i += size
}

// xmlChar reports whether XML 1.0 allows ch in a document.
func xmlChar(ch rune) bool {
	return ch == '\t' || ch == '\n' || ch == '\r' ||
		ch >= 0x20 && ch <= 0xD7FF || ch >= 0xE000 && ch <= 0xFFFD || ch >= 0x10000 && ch <= utf8.MaxRune
}

// copyFiltered copies in[from:to] without the characters XML forbids.
func (r *repairer) copyFiltered(from, to int) {
	save := r.i
	r.i = from
	for r.i < to {
		r.char()
	}
	r.i = max(save, to)
}

// reference handles the '&' at r.i: a valid reference is copied, one
// missing its ';' completed, anything else escaped.
func (r *repairer) reference() {
	in, i := r.in, r.i
	if i+1 < len(in) && in[i+1] == '#' {
		j := i + 2
		base := 10
		if j < len(in) && (in[j] == 'x' || in[j] == 'X') {
			base = 16
			j++
		}
		k := j
		for k < len(in) && k-j < 8 && isDigit(in[k], base) {
			k++
		}
		if k == j {
			r.out = append(r.out, "&amp;"...)
			r.i++
			return
		}
		n, err := strconv.ParseUint(string(in[j:k]), base, 32)
		end := k
		if end < len(in) && in[end] == ';' {
			end++
		}
		r.i = end
		if err != nil || !xmlChar(rune(n)) {
			return // a reference to a character XML forbids: dropped
		}
		r.out = append(r.out, in[i:k]...)
		r.out = append(r.out, ';')
		return
	}
	k := nameEnd(in, i+1)
	if k > i+1 && k < len(in) && in[k] == ';' && r.validName(in[i+1:k]) {
		r.out = append(r.out, in[i:k+1]...)
		r.i = k + 1
		return
	}
	r.out = append(r.out, "&amp;"...)
	r.i++
}

func isDigit(c byte, base int) bool {
	switch {
	case c >= '0' && c <= '9':
		return true
	case base == 16:
		return c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
	}
	return false
}

// nameStart reports whether c can start an XML name; bytes of multi-byte
// UTF-8 characters are taken as name characters, as encoding/xml does for
// most of them.
func nameStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || c >= utf8.RuneSelf
}

func nameByte(c byte) bool {
	return nameStart(c) || c >= '0' && c <= '9' || c == '-' || c == '.'
}

// nameEnd returns the end of the XML name starting at in[i] (i itself when
// none starts there).
func nameEnd(in []byte, i int) int {
	if i >= len(in) || !nameStart(in[i]) {
		return i
	}
	j := i + 1
	for j < len(in) && nameByte(in[j]) {
		j++
	}
	return j
}

// maxNameChecks bounds how many distinct non-ASCII names one repair asks
// encoding/xml about (each costs a small decoder): past it such names are
// taken as text, so a body of a million invented names costs no more
// than a few thousand.
const maxNameChecks = 4096

// validName reports whether b, as nameEnd delimits it, is a name
// encoding/xml accepts: at most one colon, ASCII names valid by
// construction, and for the rare name with other characters
// encoding/xml's own tables deciding (remembered per name, at most
// maxNameChecks of them).
func (r *repairer) validName(b []byte) bool {
	if bytes.Count(b, []byte(":")) > 1 {
		return false // encoding/xml splits a name at its one colon
	}
	for _, c := range b {
		if c < utf8.RuneSelf {
			continue
		}
		if ok, seen := r.names[string(b)]; seen {
			return ok
		}
		if len(r.names) >= maxNameChecks {
			return false
		}
		d := xml.NewDecoder(bytes.NewReader(append(append([]byte("<"), b...), "/>"...)))
		_, err := d.Token()
		if r.names == nil {
			r.names = map[string]bool{}
		}
		r.names[string(b)] = err == nil
		return err == nil
	}
	return len(b) > 0
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// markup handles the '<' at r.i.
func (r *repairer) markup() error {
	in, i := r.in, r.i
	rest := in[i:]
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		r.comment()
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		r.closeConstruct(9, "]]>")
	case bytes.HasPrefix(rest, []byte("<!")) && len(rest) > 2 && (rest[2]|0x20 >= 'a' && rest[2]|0x20 <= 'z'):
		// A declaration (<!DOCTYPE, <!ENTITY) starts with a letter.
		end := declEnd(rest)
		if end < 0 {
			r.i = len(in) // an unfinished declaration is dropped
			return nil
		}
		r.copyFiltered(i, i+end+1)
	case bytes.HasPrefix(rest, []byte("<?")):
		target := rest[2:nameEnd(rest, 2)]
		if !r.validName(target) {
			r.out = append(r.out, "&lt;"...)
			r.i++
			return nil
		}
		end := bytes.Index(rest, []byte("?>"))
		if end < 0 {
			r.i = len(in) // an unfinished instruction is dropped
			return nil
		}
		first := len(r.out) == 0
		mark := len(r.out)
		r.copyFiltered(i, i+end+2)
		target = r.out[mark+2 : nameEnd(r.out, mark+2)] // as filtered
		if !r.validName(target) {
			// A dropped character joined the target to what followed it
			// ("<?A\x18::?>" would read "<?A::?>"): the instruction is
			// text, as a second repair would find it.
			r.out = append(r.out[:mark], "&lt;"...)
			r.i = i + 1
			return nil
		}
		if bytes.EqualFold(target, []byte("xml")) {
			// The body is UTF-8 by now (toUTF8 rewrote the declaration);
			// a declaration with another version, or anywhere but first,
			// is an error that says nothing the fetcher needs.
			exact := bytes.Equal(target, []byte("xml"))
			r.out = r.out[:mark]
			if first && exact {
				r.out = append(r.out, `<?xml version="1.0" encoding="utf-8"?>`...)
			}
		}
	case len(rest) > 1 && rest[1] == '/':
		r.closeTag()
	case len(rest) > 1 && nameStart(rest[1]):
		return r.startTag()
	default:
		r.out = append(r.out, "&lt;"...)
		r.i++
	}
	return nil
}

// comment copies the comment at r.i, with any "--" inside it (which XML
// forbids) broken up, closing it at the end of input.
func (r *repairer) comment() {
	body := r.in[r.i+4:]
	end := bytes.Index(body, []byte("-->"))
	closed := end >= 0
	if !closed {
		end = len(body)
	}
	r.out = append(r.out, "<!--"...)
	from := len(r.out)
	r.copyFiltered(r.i+4, r.i+4+end)
	text := r.out[from:]
	for bytes.Contains(text, []byte("--")) {
		text = bytes.ReplaceAll(text, []byte("--"), []byte("- -"))
	}
	if len(text) > 0 && text[len(text)-1] == '-' {
		text = append(text, ' ')
	}
	r.out = append(r.out[:from], text...)
	r.out = append(r.out, "-->"...)
	if closed {
		r.i += 3
	}
}

// closeConstruct copies a comment or CDATA section starting at r.i whose
// opening is skip bytes long, closing it with end at the end of input.
func (r *repairer) closeConstruct(skip int, end string) {
	j := bytes.Index(r.in[r.i+skip:], []byte(end))
	if j < 0 {
		r.copyFiltered(r.i, len(r.in))
		r.out = append(r.out, end...)
		return
	}
	r.copyFiltered(r.i, r.i+skip+j+len(end))
}

// declEnd returns the index of the '>' ending the declaration ("<!"
// and a name) at the head of b, or -1. It reads as encoding/xml reads a
// directive: quoted strings and comments do not count, other angle
// brackets nest (a DOCTYPE's internal subset holds declarations).
func declEnd(b []byte) int {
	var quote byte
	depth := 0
	for i := 2; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			if depth == 0 {
				return i
			}
			depth--
		case c == '<':
			if bytes.HasPrefix(b[i+1:], []byte("!--")) {
				j := bytes.Index(b[i+4:], []byte("-->"))
				if j < 0 {
					return -1
				}
				i += 4 + j + 2
				continue
			}
			depth++
		}
	}
	return -1
}

// closeTag handles the "</" at r.i.
func (r *repairer) closeTag() {
	in, i := r.in, r.i
	ne := nameEnd(in, i+2)
	if ne == i+2 || !r.validName(in[i+2:ne]) {
		r.out = append(r.out, "&lt;"...)
		r.i++
		return
	}
	name := in[i+2 : ne]
	// Looking no further than the next '<' keeps the pass linear on
	// "</a</a</a…".
	gt := bytes.IndexAny(in[ne:], "<>")
	if gt < 0 {
		r.i = len(in) // an end tag cut by the end of input is dropped
		return
	}
	if in[ne+gt] == '<' {
		// "</a" followed by another tag: not an end tag after all.
		r.out = append(r.out, "&lt;"...)
		r.i++
		return
	}
	r.i = ne + gt + 1
	for k := len(r.stack) - 1; k >= 0; k-- {
		if !bytes.Equal(r.stack[k], name) {
			continue
		}
		for m := len(r.stack) - 1; m >= k; m-- {
			r.endTag(r.stack[m])
		}
		r.stack = r.stack[:k]
		return
	}
	// It closes nothing open: dropped.
}

func (r *repairer) endTag(name []byte) {
	r.out = append(r.out, "</"...)
	r.out = append(r.out, name...)
	r.out = append(r.out, '>')
}

// startTag handles the "<name" at r.i, rewriting its attributes so that
// each is name="value" with its value escaped.
func (r *repairer) startTag() error {
	in, i := r.in, r.i
	ne := nameEnd(in, i+1)
	name := in[i+1 : ne]
	if !r.validName(name) {
		r.out = append(r.out, "&lt;"...)
		r.i++
		return nil
	}
	mark := len(r.out)
	r.out = append(r.out, in[i:ne]...)
	j := ne
	for {
		for j < len(in) && isSpace(in[j]) {
			j++
		}
		switch {
		case j >= len(in):
			// A tag cut by the end of input is dropped.
			r.out, r.i = r.out[:mark], len(in)
			return nil
		case in[j] == '>':
			r.out = append(r.out, '>')
			r.i = j + 1
			r.stack = append(r.stack, name)
			if len(r.stack) > maxDepth {
				return fmt.Errorf("repair XML: %w", errTooDeep)
			}
			return nil
		case in[j] == '/' && j+1 < len(in) && in[j+1] == '>':
			r.out = append(r.out, "/>"...)
			r.i = j + 2
			return nil
		case in[j] == '<':
			// "a <b c <d>": the first '<' was text.
			r.out = append(r.out[:mark], "&lt;"...)
			r.i = i + 1
			return nil
		}
		an := nameEnd(in, j)
		if an == j {
			j++ // a stray character among the attributes
			continue
		}
		attr := in[j:an]
		j = an
		if !r.validName(attr) {
			continue
		}
		for j < len(in) && isSpace(in[j]) {
			j++
		}
		r.out = append(r.out, ' ')
		r.out = append(r.out, attr...)
		r.out = append(r.out, `="`...)
		if j >= len(in) || in[j] != '=' {
			r.out = append(r.out, attr...) // <option selected>: HTML's rule
			r.out = append(r.out, '"')
			continue
		}
		j++
		for j < len(in) && isSpace(in[j]) {
			j++
		}
		var vs, ve, next int
		if j < len(in) && (in[j] == '"' || in[j] == '\'') {
			q := bytes.IndexByte(in[j+1:], in[j])
			if q < 0 {
				r.out, r.i = r.out[:mark], len(in)
				return nil
			}
			vs, ve, next = j+1, j+1+q, j+2+q
		} else {
			vs = j
			for j < len(in) && !isSpace(in[j]) && in[j] != '>' && in[j] != '<' &&
				!(in[j] == '/' && j+1 < len(in) && in[j+1] == '>') {
				j++
			}
			ve, next = j, j
		}
		r.attrValue(vs, ve)
		r.out = append(r.out, '"')
		j = next
	}
}

// attrValue writes in[from:to] as the content of a double-quoted
// attribute value.
func (r *repairer) attrValue(from, to int) {
	save := r.i
	r.i = from
	for r.i < to {
		switch c := r.in[r.i]; c {
		case '<':
			r.out = append(r.out, "&lt;"...)
			r.i++
		case '"':
			r.out = append(r.out, "&quot;"...)
			r.i++
		case '>':
			r.out = append(r.out, "&gt;"...)
			r.i++
		case '&':
			r.reference()
			if r.i > to { // a reference may not run past the value
				r.i = to
			}
		default:
			r.char()
		}
	}
	r.i = save
}

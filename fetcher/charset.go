package fetcher

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
	// "<?xml" in UTF-16 without a BOM, as XML 1.0 appendix F sniffs it.
	xmlUTF16LE = []byte("<\x00?\x00x\x00m\x00l\x00")
	xmlUTF16BE = []byte("\x00<\x00?\x00x\x00m\x00l")
)

// prologEncoding finds the encoding declaration of an XML prolog. The
// prolog is ASCII in every encoding a feed can be read in after the UTF-16
// cases are handled, so it can be matched on the raw bytes. [^?>] keeps the
// match inside the declaration, so an "encoding=" in the document body is
// never taken for it.
var prologEncoding = regexp.MustCompile(`^[ \t\r\n]*<\?xml[ \t\r\n][^?>]*?encoding[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)')`)

// prologWindow bounds how much of a body is searched for the prolog: it is
// at the very start when it exists at all.
const prologWindow = 1024

// toUTF8 returns body converted to UTF-8, with any byte order mark removed
// and the XML prolog's encoding label rewritten to utf-8, and the name of
// the charset it decoded from. contentType is the HTTP Content-Type header,
// or "" when there is none.
//
// The order follows what the bytes can prove before what labels claim:
// a BOM wins; bytes that are valid UTF-8 stay as they are whatever the
// labels say (servers and templates mislabel far more often than a legacy
// encoding produces valid UTF-8 by accident); then the HTTP charset, then
// the prolog's, then windows-1252, which decodes any byte and is what
// unlabelled legacy text on the web most often is. The prolog is rewritten
// because gofeed honours it and would decode the converted text a second
// time.
//
// toUTF8 never fails: bytes a charset cannot map become U+FFFD. The result
// may share memory with body.
func toUTF8(body []byte, contentType string) (out []byte, from string) {
	switch {
	case bytes.HasPrefix(body, bomUTF8):
		// The BOM is stronger evidence than any label; bytes that are
		// nevertheless invalid are damage, not another charset.
		out, from = bytes.ToValidUTF8(body[len(bomUTF8):], []byte("\uFFFD")), "utf-8"
	case bytes.HasPrefix(body, bomUTF16LE):
		out, from = decode(unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), body), "utf-16le"
	case bytes.HasPrefix(body, bomUTF16BE):
		out, from = decode(unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), body), "utf-16be"
	case bytes.HasPrefix(body, xmlUTF16LE):
		out, from = decode(unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), body), "utf-16le"
	case bytes.HasPrefix(body, xmlUTF16BE):
		out, from = decode(unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), body), "utf-16be"
	case utf8.Valid(body):
		out, from = body, "utf-8"
	case mostlyUTF8(body):
		// UTF-8 with a few damaged bytes: replacing them keeps the rest
		// of an otherwise good feed, where decoding it all as a legacy
		// charset would garble every non-ASCII letter.
		out, from = bytes.ToValidUTF8(body, []byte("\uFFFD")), "utf-8"
	default:
		out, from = decodeLabelled(body, contentType)
	}
	// A decoded BOM, or several, would otherwise sit before the prolog,
	// where the XML parser rejects it.
	for bytes.HasPrefix(out, bomUTF8) {
		out = out[len(bomUTF8):]
	}
	return rewriteProlog(out), from
}

// mostlyUTF8 reports whether body, which is not valid UTF-8, is UTF-8 with
// some damage rather than a legacy charset: it holds at least as many
// valid multi-byte sequences as invalid bytes. Legacy text makes valid
// sequences only by accident (a windows-1256 letter followed by one of the
// few letters or marks in 0x80–0xBF), far fewer than its invalid bytes.
func mostlyUTF8(body []byte) bool {
	multi, invalid := 0, 0
	for i := 0; i < len(body); {
		if body[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(body[i:])
		if r == utf8.RuneError && size == 1 {
			invalid++
		} else {
			multi++
		}
		i += size
	}
	return multi > 0 && invalid <= multi
}

// decodeLabelled decodes a body that is not valid UTF-8 using the first
// usable label: the HTTP charset, then the prolog's, then windows-1252.
func decodeLabelled(body []byte, contentType string) ([]byte, string) {
	labelledUTF8 := false
	for _, label := range []string{httpCharset(contentType), prologLabel(body)} {
		enc, name := lookupCharset(label)
		switch {
		case enc == nil:
			continue
		case name == "utf-8":
			// Proven wrong by the bytes; a later label may still be right.
			labelledUTF8 = true
			continue
		}
		return decode(enc, body), name
	}
	if labelledUTF8 {
		// Declared UTF-8 and nothing else declared: a few damaged bytes in
		// a UTF-8 feed, not a whole feed in windows-1252.
		return bytes.ToValidUTF8(body, []byte("\uFFFD")), "utf-8"
	}
	return decode(charmap.Windows1252, body), "windows-1252"
}

// lookupCharset resolves a charset label with the WHATWG index (so
// "iso-8859-1" means windows-1252, as browsers read it) and reports its
// canonical name. It returns nil for unknown labels and for the
// "replacement" encoding, which would turn the whole feed into one U+FFFD.
func lookupCharset(label string) (encoding.Encoding, string) {
	label = strings.TrimSpace(label)
	if label == "" {
		return nil, ""
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, ""
	}
	name, err := htmlindex.Name(enc)
	if err != nil || name == "replacement" {
		return nil, ""
	}
	return enc, name
}

// decode converts body from enc to UTF-8. Decoders map what they cannot
// decode to U+FFFD; the final check only guards against a decoder that
// passes bytes through.
func decode(enc encoding.Encoding, body []byte) []byte {
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		out = body
	}
	if !utf8.Valid(out) {
		out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
	}
	return out
}

// httpCharset returns the charset parameter of a Content-Type header.
func httpCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		return params["charset"]
	}
	// Malformed headers are common ("text/xml; charset=windows-1256;;");
	// the charset may still be readable.
	i := indexFoldASCII(contentType, "charset=")
	if i < 0 {
		return ""
	}
	v := contentType[i+len("charset="):]
	if j := strings.IndexAny(v, ";, "); j >= 0 {
		v = v[:j]
	}
	return strings.Trim(v, `"'`)
}

// indexFoldASCII is strings.Index ignoring ASCII case. strings.ToLower
// would not do: it changes the length of invalid UTF-8, and the index
// must be valid in the original.
func indexFoldASCII(s, substr string) int {
	for i := 0; i+len(substr) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(substr)], substr) {
			return i
		}
	}
	return -1
}

// prologLabel returns the encoding declared in body's XML prolog, if any.
func prologLabel(body []byte) string {
	start, end, ok := prologLabelSpan(body)
	if !ok {
		return ""
	}
	return string(body[start:end])
}

// prologLabelSpan reports where the prolog's encoding value lies in body.
func prologLabelSpan(body []byte) (start, end int, ok bool) {
	m := prologEncoding.FindSubmatchIndex(body[:min(len(body), prologWindow)])
	switch {
	case m == nil:
		return 0, 0, false
	case m[2] >= 0:
		return m[2], m[3], true
	default:
		return m[4], m[5], true
	}
}

// rewriteProlog makes the prolog of a UTF-8 body say utf-8. It copies
// rather than edits in place because body may be the caller's.
func rewriteProlog(body []byte) []byte {
	start, end, ok := prologLabelSpan(body)
	if !ok || strings.EqualFold(string(body[start:end]), "utf-8") {
		return body
	}
	out := make([]byte, 0, len(body)-(end-start)+len("utf-8"))
	out = append(out, body[:start]...)
	out = append(out, "utf-8"...)
	return append(out, body[end:]...)
}

// decodeBody is the decode step: the body as UTF-8 (toUTF8), with the
// general entities its internal DTD subset declares expanded
// (expandEntities, within limit bytes).
func decodeBody(body []byte, contentType string, limit int) ([]byte, string) {
	out, from := toUTF8(body, contentType)
	return expandEntities(out, limit), from
}

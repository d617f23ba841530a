package fetcher

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func encode(t testing.TB, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

func TestToUTF8(t *testing.T) {
	const ar = "عاجل: أمطار غزيرة؟ نعم، غداً"
	const fr = "Élection à Noël"
	w1256 := func(s string) []byte { return encode(t, charmap.Windows1256, s) }
	iso6 := func(s string) []byte { return encode(t, charmap.ISO8859_6, s) }
	prolog := func(label, rest string) string {
		return `<?xml version="1.0" encoding="` + label + `"?><t>` + rest + `</t>`
	}
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

	tests := []struct {
		name        string
		body        []byte
		contentType string
		want        string
		wantFrom    string
	}{
		{
			name: "utf-8 untouched",
			body: []byte(`<?xml version="1.0" encoding="utf-8"?><t>` + ar + `</t>`),
			want: `<?xml version="1.0" encoding="utf-8"?><t>` + ar + `</t>`, wantFrom: "utf-8",
		},
		{
			name: "no prolog, utf-8",
			body: []byte(`{"title":"` + ar + `"}`), contentType: "application/feed+json",
			want: `{"title":"` + ar + `"}`, wantFrom: "utf-8",
		},
		{
			name: "valid utf-8 wins over a windows-1256 prolog, which is rewritten",
			body: []byte(prolog("windows-1256", ar)),
			want: prolog("utf-8", ar), wantFrom: "utf-8",
		},
		{
			name: "valid utf-8 wins over an HTTP label",
			body: []byte(prolog("UTF-8", ar)), contentType: "text/xml; charset=iso-8859-6",
			want: prolog("UTF-8", ar), wantFrom: "utf-8",
		},
		{
			name: "utf-8 BOM stripped",
			body: cat(bomUTF8, []byte(prolog("utf-8", ar))),
			want: prolog("utf-8", ar), wantFrom: "utf-8",
		},
		{
			name: "utf-8 BOM with damaged bytes",
			body: cat(bomUTF8, []byte("<t>a"), []byte{0xff}, []byte("b</t>")),
			want: "<t>a\uFFFDb</t>", wantFrom: "utf-8",
		},
		{
			name: "windows-1256 in the prolog only",
			body: cat([]byte(`<?xml version="1.0" encoding="windows-1256"?><t>`), w1256(ar), []byte(`</t>`)),
			want: prolog("utf-8", ar), wantFrom: "windows-1256",
		},
		{
			name:        "windows-1256 in the HTTP header only",
			body:        cat([]byte(`<?xml version="1.0"?><t>`), w1256(ar), []byte(`</t>`)),
			contentType: `application/rss+xml; charset="windows-1256"`,
			want:        `<?xml version="1.0"?><t>` + ar + `</t>`, wantFrom: "windows-1256",
		},
		{
			name: "cp1256 alias in single quotes",
			body: cat([]byte(`<?xml version='1.0' encoding='cp1256'?><t>`), w1256(ar), []byte(`</t>`)),
			want: `<?xml version='1.0' encoding='utf-8'?><t>` + ar + `</t>`, wantFrom: "windows-1256",
		},
		{
			name: "iso-8859-6 in the prolog only",
			body: cat([]byte(`<?xml version="1.0" encoding="ISO-8859-6"?><t>`), iso6(ar), []byte(`</t>`)),
			want: prolog("utf-8", ar), wantFrom: "iso-8859-6",
		},
		{
			name: "iso-8859-6 in the HTTP header only",
			body: cat([]byte(`<t>`), iso6(ar), []byte(`</t>`)), contentType: "text/xml; charset=ISO-8859-6",
			want: `<t>` + ar + `</t>`, wantFrom: "iso-8859-6",
		},
		{
			name:        "HTTP header wins over the prolog",
			body:        cat([]byte(`<?xml version="1.0" encoding="iso-8859-6"?><t>`), w1256(ar), []byte(`</t>`)),
			contentType: "text/xml;charset=windows-1256",
			want:        prolog("utf-8", ar), wantFrom: "windows-1256",
		},
		{
			name:        "unknown HTTP label falls through to the prolog",
			body:        cat([]byte(`<?xml version="1.0" encoding="windows-1256"?><t>`), w1256(ar), []byte(`</t>`)),
			contentType: "text/xml; charset=x-no-such-charset",
			want:        prolog("utf-8", ar), wantFrom: "windows-1256",
		},
		{
			name:        "a wrong utf-8 HTTP label falls through to the prolog",
			body:        cat([]byte(`<?xml version="1.0" encoding="windows-1256"?><t>`), w1256(ar), []byte(`</t>`)),
			contentType: "text/xml; charset=utf-8",
			want:        prolog("utf-8", ar), wantFrom: "windows-1256",
		},
		{
			name: "malformed Content-Type still yields its charset",
			body: cat([]byte(`<t>`), w1256(ar), []byte(`</t>`)), contentType: "text/xml; charset=windows-1256;;",
			want: `<t>` + ar + `</t>`, wantFrom: "windows-1256",
		},
		{
			name: "no label: windows-1252",
			body: cat([]byte(`<t>`), encode(t, charmap.Windows1252, fr), []byte(`</t>`)),
			want: `<t>` + fr + `</t>`, wantFrom: "windows-1252",
		},
		{
			name: "iso-8859-1 label means windows-1252",
			body: cat([]byte(`<?xml version="1.0" encoding="iso-8859-1"?><t>`), encode(t, charmap.Windows1252, "€ "+fr), []byte(`</t>`)),
			want: prolog("utf-8", "€ "+fr), wantFrom: "windows-1252",
		},
		{
			name: "declared utf-8 with a damaged byte keeps the rest",
			body: cat([]byte(prolog("utf-8", "a")), []byte{0xC0}, []byte(ar)),
			want: prolog("utf-8", "a") + "\uFFFD" + ar, wantFrom: "utf-8",
		},
		{
			name: "replacement-encoding label is ignored",
			body: cat([]byte(`<t>`), encode(t, charmap.Windows1252, fr), []byte(`</t>`)), contentType: "text/xml; charset=iso-2022-kr",
			want: `<t>` + fr + `</t>`, wantFrom: "windows-1252",
		},
		{
			name: "utf-16le with BOM",
			body: encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), prolog("UTF-16", ar)),
			want: prolog("utf-8", ar), wantFrom: "utf-16le",
		},
		{
			name: "utf-16be with BOM",
			body: encode(t, unicode.UTF16(unicode.BigEndian, unicode.UseBOM), prolog("utf-16", ar)),
			want: prolog("utf-8", ar), wantFrom: "utf-16be",
		},
		{
			name: "utf-16le without BOM",
			body: encode(t, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), prolog("utf-16", ar)),
			want: prolog("utf-8", ar), wantFrom: "utf-16le",
		},
		{
			name: "encoding= in the body is not the prolog",
			body: []byte(`<?xml version="1.0"?><t>encoding="latin1"</t>`),
			want: `<?xml version="1.0"?><t>encoding="latin1"</t>`, wantFrom: "utf-8",
		},
		{name: "empty", body: nil, want: "", wantFrom: "utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, from := toUTF8(tt.body, tt.contentType)
			if string(got) != tt.want || from != tt.wantFrom {
				t.Errorf("toUTF8(%q, %q) = %q, %q; want %q, %q", tt.body, tt.contentType, got, from, tt.want, tt.wantFrom)
			}
		})
	}
}

// TestToUTF8DoesNotEditInput guards the aliasing: a valid UTF-8 body is
// returned as is, so rewriting its prolog must copy.
func TestToUTF8DoesNotEditInput(t *testing.T) {
	body := []byte(`<?xml version="1.0" encoding="windows-1256"?><t/>`)
	orig := string(body)
	got, _ := toUTF8(body, "")
	if string(body) != orig {
		t.Errorf("toUTF8 changed its input to %q", body)
	}
	if want := `<?xml version="1.0" encoding="utf-8"?><t/>`; string(got) != want {
		t.Errorf("toUTF8 = %q, want %q", got, want)
	}
}

func FuzzToUTF8(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		if fi, err := os.Stat(name); err != nil || fi.IsDir() {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "")
		f.Add(b, "text/xml; charset=windows-1256")
	}
	f.Add([]byte("\xff\xfe<\x00?\x00"), "")
	f.Add([]byte("<\x00?\x00x\x00m\x00l\x00 \x00"), "text/xml; charset=utf-16")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		orig := bytes.Clone(body)
		got, from := toUTF8(body, contentType)
		if !bytes.Equal(body, orig) {
			t.Fatalf("toUTF8 changed its input")
		}
		if !utf8.Valid(got) {
			t.Fatalf("toUTF8(%q, %q) = %q (from %s): not valid UTF-8", body, contentType, got, from)
		}
		if bytes.HasPrefix(got, bomUTF8) {
			t.Fatalf("toUTF8(%q) = %q: starts with a BOM", body, got)
		}
		if label := prologLabel(got); label != "" && !strings.EqualFold(label, "utf-8") {
			t.Fatalf("toUTF8(%q) = %q: prolog still says %q", body, got, label)
		}
		// Converting twice changes nothing: the output is what a body
		// that needs no conversion looks like.
		again, _ := toUTF8(got, "")
		if !bytes.Equal(again, got) {
			t.Fatalf("toUTF8 not idempotent on %q:\nonce  %q\ntwice %q", body, got, again)
		}
		// Valid UTF-8 without BOM or prolog label passes unchanged.
		_, _, labelled := prologLabelSpan(body)
		if utf8.Valid(body) && !bytes.HasPrefix(body, bomUTF8) && !labelled &&
			!bytes.HasPrefix(body, xmlUTF16LE) && !bytes.HasPrefix(body, xmlUTF16BE) && !bytes.Equal(got, body) {
			t.Fatalf("toUTF8(%q) = %q: changed valid UTF-8", body, got)
		}
	})
}

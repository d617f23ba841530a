package match

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSafeText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Markets open higher", "Markets open higher"},
		{"arabic with marks kept", "قال \u200Fترامب\u200F إن \u061C50% من GDP\u200E", "قال \u200Fترامب\u200F إن \u061C50% من GDP\u200E"},
		{"zwnj and zwj kept", "می\u200Cخواهم 👨\u200D👩\u200D👧", "می\u200Cخواهم 👨\u200D👩\u200D👧"},
		{"unclosed override closed", "evil \u202Eetouq", "evil \u202Eetouq\u202C"},
		{"unclosed isolate closed", "a \u2067عربي", "a \u2067عربي\u2069"},
		{"balanced kept", "a \u202Bb\u202C \u2068c\u2069", "a \u202Bb\u202C \u2068c\u2069"},
		{"stray closers dropped", "a\u202C b\u2069 c", "a b c"},
		{"pdf cannot close across an isolate", "\u202Ba\u2066b\u202Cc\u2069d", "\u202Ba\u2066bc\u2069d\u202C"},
		{"pdi closes embeddings inside", "\u2067a\u202Db\u2069c", "\u2067a\u202Db\u202C\u2069c"},
		{"nested order", "\u202A\u2066\u202E x", "\u202A\u2066\u202E x\u202C\u2069\u202C"},
		{"zero width dropped", "Ga\u200Bza\uFEFF \u2060now\u2063", "Gaza now"},
		{"line break ends embeddings", "\u202Ea\nb", "\u202Ea\u202C\nb"},
		{"subdivision flag kept", "🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F Wales", "🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F Wales"},
		{"smuggled tags dropped", "hi\U000E0041\U000E0042 there", "hi there"},
		{"too deep", strings.Repeat("\u202B", 20) + "x" + strings.Repeat("\u202C", 20), strings.Repeat("\u202B", 16) + "x" + strings.Repeat("\u202C", 16)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SafeText(tt.in)
			if got != tt.want {
				t.Errorf("SafeText(%+q) = %+q, want %+q", tt.in, got, tt.want)
			}
			if !BidiBalanced(got) {
				t.Errorf("BidiBalanced(%+q) = false", got)
			}
		})
	}
}

func FuzzSafeText(f *testing.F) {
	for _, s := range []string{
		"evil \u202Eetouq", "\u202Ba\u2066b\u202Cc\u2069d", "قال \u200Fترامب\u200F", "a\u202C b\u2069",
		"🏴\U000E0067\U000E0062\U000E007F", "\u202Ea\r\nb\u2029c", "x\u200B\uFEFF\u2060y", "\xff\u202E\xfe",
		strings.Repeat("\u2067\u202D", 30),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := SafeText(s)
		if !BidiBalanced(got) {
			t.Fatalf("SafeText(%+q) = %+q, not balanced", s, got)
		}
		if again := SafeText(got); again != got {
			t.Fatalf("SafeText not idempotent: %+q → %+q → %+q", s, got, again)
		}
		if BidiBalanced(s) && got != s {
			t.Fatalf("SafeText(%+q) = %+q changed a balanced text", s, got)
		}
		// Only controls and dropped characters change: the rest of the
		// text is kept, in order.
		if strip(got) != strip(strings.ToValidUTF8(s, "")) && utf8.ValidString(s) {
			t.Fatalf("SafeText(%+q) = %+q changed the text itself", s, got)
		}
	})
}

// strip keeps what SafeText never touches.
func strip(s string) string {
	return strings.Map(func(r rune) rune {
		if bidiSpecial(r) && r != '\n' && r != '\r' && r != '\u2028' && r != '\u2029' && r != '\u0085' {
			return -1
		}
		return r
	}, s)
}

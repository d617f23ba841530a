package store

import (
	"net/url"
	"strings"
	"testing"
)

func TestRedactURL(t *testing.T) {
	tests := []struct {
		name, in string
		private  []string
		want     string
	}{
		{"plain", "https://example.com/feed.xml", nil, "https://example.com/feed.xml"},
		{"userinfo", "http://user:PASS@example.com/feed", nil, "http://example.com/feed"},
		{"user only", "http://user@example.com/feed", nil, "http://example.com/feed"},
		{"listed params", "http://example.com/feed?api_key=K&lang=ar&token=T", nil, "http://example.com/feed?api_key=REDACTED&lang=ar&token=REDACTED"},
		{"case and dash", "http://example.com/f?API-KEY=K&Sig=S&AccessToken=x", nil, "http://example.com/f?API-KEY=REDACTED&Sig=REDACTED&AccessToken=x"},
		{"suffix", "http://example.com/f?client_secret=S&x-amz-signature=Z&sort_order=1", nil, "http://example.com/f?client_secret=REDACTED&x-amz-signature=REDACTED&sort_order=1"},
		{"private", "http://example.com/f?member=42&page=2", []string{"Member"}, "http://example.com/f?member=REDACTED&page=2"},
		{"escaped name", "http://example.com/f?api%5Fkey=K", nil, "http://example.com/f?api%5Fkey=REDACTED"},
		{"order and escapes kept", "http://example.com/f?z=1&q=a%20b&key=K&a=2", nil, "http://example.com/f?z=1&q=a%20b&key=REDACTED&a=2"},
		{"bare name", "http://example.com/f?token", nil, "http://example.com/f?token"},
		{"fragment", "http://example.com/f#access_token=T&x=1", nil, "http://example.com/f#access_token=REDACTED&x=1"},
		{"everything", "http://u:p@example.com:8080/a/b?password=P&secret=S&auth=A", nil, "http://example.com:8080/a/b?password=REDACTED&secret=REDACTED&auth=REDACTED"},
		{"unparsable", "http://exa mple.com/%zz", nil, ""},
		{"empty", "", nil, ""},
		{"empty host with userinfo", "//@//", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RedactURL(tt.in, tt.private); got != tt.want {
				t.Errorf("RedactURL(%q, %q) = %q, want %q", tt.in, tt.private, got, tt.want)
			}
		})
	}
}

func FuzzRedactURL(f *testing.F) {
	f.Add("http://user:PASS@example.com/feed?api_key=K&token=T", "member")
	f.Add("http://example.com/f?a=1&KEY=x#sig=y", "")
	f.Add("//@//", "")
	f.Fuzz(func(t *testing.T, raw, private string) {
		got := RedactURL(raw, []string{private})
		if strings.Contains(got, "@") && strings.Contains(raw, "@") {
			if u := parseOrNil(got); u != nil && u.User != nil {
				t.Fatalf("RedactURL(%q) = %q keeps user information", raw, got)
			}
		}
		if again := RedactURL(got, []string{private}); again != got {
			t.Fatalf("RedactURL not idempotent: %q → %q → %q", raw, got, again)
		}
	})
}

func parseOrNil(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		return nil
	}
	return u
}

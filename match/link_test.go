package match

import (
	"net/url"
	"strings"
	"testing"
)

func TestCanonicalLink(t *testing.T) {
	const base = "https://News.example.com/ar/world/index.html"
	tests := []struct {
		name, raw, base, want string
	}{
		{"already canonical", "https://example.com/a/b?x=1", "", "https://example.com/a/b?x=1"},
		{"trim", "  https://example.com/a \n", "", "https://example.com/a"},
		// Resolving.
		{"relative path", "story/42", base, "https://news.example.com/ar/world/story/42"},
		{"absolute path", "/ar/story/42", base, "https://news.example.com/ar/story/42"},
		{"parent path", "../story/42", base, "https://news.example.com/ar/story/42"},
		{"scheme relative", "//cdn.example.org/x", base, "https://cdn.example.org/x"},
		{"query only", "?id=7", base, "https://news.example.com/ar/world/index.html?id=7"},
		{"absolute ignores base", "http://other.example/x", base, "http://other.example/x"},
		{"xml:base with path", "42.html", "http://example.com/news/", "http://example.com/news/42.html"},
		// Scheme and host.
		{"lower-case scheme", "HTTPS://example.com/a", "", "https://example.com/a"},
		{"lower-case host", "https://WWW.Example.COM/a", "", "https://www.example.com/a"},
		{"keep path case", "https://example.com/News/Story-ABC", "", "https://example.com/News/Story-ABC"},
		{"keep userinfo", "https://user@example.com/a", "", "https://user@example.com/a"},
		// Ports.
		{"drop :80 on http", "http://example.com:80/a", "", "http://example.com/a"},
		{"drop :443 on https", "https://example.com:443/a", "", "https://example.com/a"},
		{"keep :443 on http", "http://example.com:443/a", "", "http://example.com:443/a"},
		{"keep :8080", "http://example.com:8080/a", "", "http://example.com:8080/a"},
		{"drop empty port", "http://example.com:/a", "", "http://example.com/a"},
		{"ipv6 default port", "http://[2001:DB8::1]:80/a", "", "http://[2001:db8::1]/a"},
		{"ipv6 other port", "http://[::1]:8080/a", "", "http://[::1]:8080/a"},
		// Path.
		{"empty path", "https://example.com", "", "https://example.com/"},
		{"dot segments", "https://example.com/a/./b/../c", "", "https://example.com/a/c"},
		{"trailing dot dot", "https://example.com/a/b/..", "", "https://example.com/a/"},
		{"dot dot above root", "https://example.com/../a", "", "https://example.com/a"},
		{"dot file kept", "https://example.com/.well-known/x", "", "https://example.com/.well-known/x"},
		{"double slash kept", "https://example.com/a//b", "", "https://example.com/a//b"},
		{"arabic path escaped", "https://example.com/ar/غزة", "", "https://example.com/ar/%D8%BA%D8%B2%D8%A9"},
		{"lower-case escapes", "https://example.com/ar/%d8%ba%d8%b2%d8%a9", "", "https://example.com/ar/%D8%BA%D8%B2%D8%A9"},
		{"unreserved escapes decoded", "https://example.com/%7Euser/%41", "", "https://example.com/~user/A"},
		{"escaped slash kept", "https://example.com/a%2fb", "", "https://example.com/a%2Fb"},
		{"space escaped", "https://example.com/a b", "", "https://example.com/a%20b"},
		// Fragment.
		{"drop fragment", "https://example.com/a#comments", "", "https://example.com/a"},
		{"drop empty fragment", "https://example.com/a#", "", "https://example.com/a"},
		{"keep hash-bang route", "https://example.com/#!/story/42", "", "https://example.com/#!/story/42"},
		{"keep hash route", "https://example.com/#/story/42", "", "https://example.com/#/story/42"},
		// Query.
		{"drop utm", "https://example.com/a?utm_source=rss&utm_medium=feed&utm_campaign=x", "", "https://example.com/a"},
		{"drop utm any case", "https://example.com/a?UTM_Source=rss&id=1", "", "https://example.com/a?id=1"},
		{"drop escaped tracking key", "https://example.com/a?utm%5Fsource=rss&id=1", "", "https://example.com/a?id=1"},
		{"drop fbclid", "https://example.com/a?fbclid=IwAR0&id=1", "", "https://example.com/a?id=1"},
		{"drop gclid", "https://example.com/a?gclid=x&id=1", "", "https://example.com/a?id=1"},
		{"drop dclid", "https://example.com/a?dclid=x&id=1", "", "https://example.com/a?id=1"},
		{"drop msclkid", "https://example.com/a?msclkid=x&id=1", "", "https://example.com/a?id=1"},
		{"drop mc_cid and mc_eid", "https://example.com/a?mc_cid=x&mc_eid=y&id=1", "", "https://example.com/a?id=1"},
		{"drop ref", "https://example.com/a?ref=rss&id=1", "", "https://example.com/a?id=1"},
		{"drop ref_src", "https://example.com/a?ref_src=twsrc&id=1", "", "https://example.com/a?id=1"},
		{"drop igshid", "https://example.com/a?igshid=x&id=1", "", "https://example.com/a?id=1"},
		{"drop _ga", "https://example.com/a?_ga=2.1&id=1", "", "https://example.com/a?id=1"},
		{"drop yclid", "https://example.com/a?yclid=x&id=1", "", "https://example.com/a?id=1"},
		{"drop spm", "https://example.com/a?spm=a2.b&id=1", "", "https://example.com/a?id=1"},
		{"drop xtor", "https://example.com/a?xtor=RSS-3208&id=1", "", "https://example.com/a?id=1"},
		{"keep lookalike keys", "https://example.com/a?reference=1&utm=2&refs=3", "", "https://example.com/a?reference=1&refs=3&utm=2"},
		{"sort by key", "https://example.com/a?b=2&a=1&c=3", "", "https://example.com/a?a=1&b=2&c=3"},
		{"sort is stable", "https://example.com/a?tag=z&id=1&tag=a", "", "https://example.com/a?id=1&tag=z&tag=a"},
		{"key without value", "https://example.com/a?b&a=1", "", "https://example.com/a?a=1&b"},
		{"drop empty pairs", "https://example.com/a?a=1&&b=2&", "", "https://example.com/a?a=1&b=2"},
		{"strip trailing ?", "https://example.com/a?", "", "https://example.com/a"},
		{"strip ? left by tracking", "https://example.com/a?utm_source=x", "", "https://example.com/a"},
		{"keep value escaping", "https://example.com/s?q=a+b&r=a%2Bb", "", "https://example.com/s?q=a+b&r=a%2Bb"},
		{"escape arabic query", "https://example.com/s?q=غزة", "", "https://example.com/s?q=%D8%BA%D8%B2%D8%A9"},
		{"stray percent", "https://example.com/s?q=100%", "", "https://example.com/s?q=100%25"},
		// Left alone.
		{"mailto", "mailto:desk@example.com", "", "mailto:desk@example.com"},
		{"javascript", " javascript:alert(1) ", base, "javascript:alert(1)"},
		{"ftp", "ftp://example.com/a?utm_source=x", "", "ftp://example.com/a?utm_source=x"},
		{"relative without base", "/story/42?utm_source=x", "", "/story/42?utm_source=x"},
		{"relative with unusable base", "story/42", "file:///feeds/a.xml", "story/42"},
		{"unparseable", "http://exa mple.com/%zz", "", "http://exa mple.com/%zz"},
		{"no host", "http:///a", "", "http:///a"},
		{"opaque", "http:example.com", "", "http:example.com"},
		{"empty", "", base, ""},
		{"fragment only", "#top", base, "#top"},
		{"hash-bang only", "#!/story/42", "https://example.com/", "https://example.com/#!/story/42"},
		{"bad base", "story/42", "http://[::1", "story/42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanonicalLink(tt.raw, tt.base); got != tt.want {
				t.Errorf("CanonicalLink(%q, %q) = %q, want %q", tt.raw, tt.base, got, tt.want)
			}
		})
	}
}

// TestTrackingParamsAreLowerCase guards the list: keys are matched after
// lower-casing, so an entry with a capital would never match.
func TestTrackingParamsAreLowerCase(t *testing.T) {
	for k := range trackingParams {
		if k != strings.ToLower(k) {
			t.Errorf("tracking parameter %q is not lower case", k)
		}
	}
	for _, p := range trackingPrefixes {
		if p != strings.ToLower(p) {
			t.Errorf("tracking prefix %q is not lower case", p)
		}
	}
}

func FuzzCanonicalLink(f *testing.F) {
	for _, s := range [][2]string{
		{"HTTP://Example.COM:80/a/./b/../c?utm_source=x&b=2&a=1#frag", ""},
		{"/ar/غزة?q=%d8%ba&ref=1", "https://news.example.com/ar/"},
		{"//cdn.example.org/x?", "http://a/b"},
		{"https://[fe80::1%25en0]:443/#!/x", ""},
		{"https://مثال.مصر/خبر", ""},
		{"../../a/%2e%2e/b", "http://a/b/c/d"},
		{"mailto:x@y", ""},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, raw, base string) {
		got := CanonicalLink(raw, base)
		if again := CanonicalLink(got, base); again != got {
			t.Fatalf("CanonicalLink(CanonicalLink(%q, %q)) = %q, want %q", raw, base, again, got)
		}
		if strings.HasPrefix(got, "http://") || strings.HasPrefix(got, "https://") {
			// A canonical link no longer depends on the base it came with,
			// and parses, unless it is the input given back unchanged.
			if again := CanonicalLink(got, ""); again != got {
				t.Fatalf("CanonicalLink(%q, \"\") = %q, want it unchanged (from %q, %q)", got, again, raw, base)
			}
			if _, err := url.Parse(got); err != nil && got != strings.TrimSpace(raw) {
				t.Fatalf("CanonicalLink(%q, %q) = %q, which does not parse: %v", raw, base, got, err)
			}
		}
	})
}

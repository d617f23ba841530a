package config

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestAdminToken(t *testing.T) {
	const src = "sources:\n  - name: a\n    url: http://a.example/\n"
	const tok = "0123456789abcdef0123"
	cfg, err := parse(t, src+"admin_token: "+tok+"\n")
	if err != nil {
		t.Fatal(err)
	}
	if string(cfg.AdminToken) != tok {
		t.Errorf("AdminToken = %q, want %q", string(cfg.AdminToken), tok)
	}
	// The secret prints nowhere.
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("config", "token", cfg.AdminToken)
	for _, out := range []string{fmt.Sprint(cfg.AdminToken), fmt.Sprintf("%+v", *cfg), fmt.Sprintf("%#v", *cfg), logs.String()} {
		if strings.Contains(out, tok) {
			t.Errorf("token printed: %s", out)
		}
	}
	if cfg, err := parse(t, src); err != nil || cfg.AdminToken != "" {
		t.Errorf("no admin_token: %v, %q; want empty", err, string(cfg.AdminToken))
	}

	_, err = parse(t, src+"admin_token: short-secret\n")
	if err == nil || !strings.Contains(err.Error(), "config.yaml:4: admin_token: is 12 bytes; use at least 16") {
		t.Errorf("short token: error %v", err)
	}
	if strings.Contains(fmt.Sprint(err), "short-secret") {
		t.Errorf("the error repeats the token: %v", err)
	}
}

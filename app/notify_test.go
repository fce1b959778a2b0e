package app

import (
	"strings"
	"testing"

	"github.com/airlock-dev/airlock/internal/store"
)

func TestNotification(t *testing.T) {
	write := store.Request{Kind: store.KindCall, Tier: "write", Server: "fs", Tool: "write_file", Summary: "Write file ~/a.txt"}
	tests := []struct {
		name             string
		fresh            []store.Request
		wantTitle, wantB string
	}{
		{"none", nil, "", ""},
		{"write call", []store.Request{write}, "Airlock: WRITE call waits for you", "Write file ~/a.txt"},
		{"destructive call", []store.Request{{Kind: store.KindCall, Tier: "destructive", Summary: "Run SQL on prod-db: DROP TABLE users"}},
			"Airlock: DESTRUCTIVE call waits for you", "Run SQL on prod-db: DROP TABLE users"},
		{"consent", []store.Request{{Kind: store.KindConsent, Tier: "read", Server: "github", Summary: "List issues"}},
			"Airlock: First read from github: allow?", "List issues"},
		{"changed", []store.Request{{Kind: store.KindChanged, Tier: "read", Server: "mem", Tool: "search", Summary: "Search"}},
			"Airlock: Tool definition changed: mem/search", "Search"},
		{"several: the newest, and a count", []store.Request{write, write, {Kind: store.KindCall, Tier: "write", Summary: "Create issue"}},
			"Airlock: WRITE call waits for you", "Create issue\n(and 2 more waiting)"},
		{"markup escaped", []store.Request{{Kind: store.KindConsent, Server: "<b>x</b>", Summary: `<a href="https://evil">click</a> & <img src=x>`}},
			"Airlock: First read from &lt;b&gt;x&lt;/b&gt;: allow?", `&lt;a href="https://evil"&gt;click&lt;/a&gt; &amp; &lt;img src=x&gt;`},
		{"hidden characters shown", []store.Request{{Kind: store.KindCall, Tier: "write", Summary: "Write file invoice\u202Efdp.exe\u200b\x1b[2J"}},
			"Airlock: WRITE call waits for you", "Write file invoice⟨U+202E⟩fdp.exe⟨U+200B⟩⟨U+001B⟩[2J"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			title, body := notification(tt.fresh)
			if title != tt.wantTitle || body != tt.wantB {
				t.Errorf("notification =\n %q\n %q\nwant\n %q\n %q", title, body, tt.wantTitle, tt.wantB)
			}
		})
	}
}

func TestNotificationLongSummarySaysItIsCut(t *testing.T) {
	long := strings.Repeat("é", notifySummaryRunes+50)
	_, body := notification([]store.Request{{Kind: store.KindCall, Tier: "write", Summary: long}})
	want := strings.Repeat("é", notifySummaryRunes) + "… (see all in Airlock)"
	if body != want {
		t.Errorf("body = %q, want %q", body, want)
	}
}

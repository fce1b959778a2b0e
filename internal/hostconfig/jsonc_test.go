package hostconfig

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/tailscale/hujson"
)

// A VS Code mcp.json as people write it: comments of both kinds, a
// commented-out server, trailing commas.
const commentedVSCode = `// User MCP servers (JSONC: VS Code reads comments)
{
	"servers": {
		// Web pages as markdown.
		"fetch": {
			"type": "stdio",
			"command": "uvx",
			"args": ["mcp-server-fetch"], // pinned below
		},
		/* Remote: stays. */
		"github": {
			"type": "http",
			"url": "https://api.githubcopilot.com/mcp/",
		},
		"memory": {
			"command": "npx",
			"args": [
				"-y",
				"@modelcontextprotocol/server-memory", // the official one
			],
		},
		// "old": { "command": "old-mcp" },
	},
	"inputs": [], // none yet
}
`

func TestCommentedConfigRoundTrip(t *testing.T) {
	o := setup(t, VSCode, 0o644)
	original := []byte(commentedVSCode)
	if err := os.WriteFile(o.Path, original, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Install(o)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Changed || len(r.Moved) != 2 || len(r.Kept) != 1 {
		t.Fatalf("install %+v", r)
	}
	after := string(readFile(t, o.Path))
	// Every comment outside the moved servers stays, where it was; the
	// moved servers' own comments went with them (into the backup).
	for _, c := range []string{"// User MCP servers", "/* Remote: stays. */", `// "old": { "command": "old-mcp" },`, "// none yet"} {
		if !strings.Contains(after, c) {
			t.Errorf("comment %q lost:\n%s", c, after)
		}
	}
	for _, c := range []string{"// Web pages", "// pinned below", "// the official one"} {
		if strings.Contains(after, c) {
			t.Errorf("comment %q of a moved server stayed:\n%s", c, after)
		}
	}
	want := strings.Replace(commentedVSCode[:strings.Index(commentedVSCode, "		/* Remote")], `		// Web pages as markdown.
		"fetch": {
			"type": "stdio",
			"command": "uvx",
			"args": ["mcp-server-fetch"], // pinned below
		},`, `		"airlock": {
			"type": "stdio",
			"command": "`+testBinary+`",
			"args": [
				"proxy"
			]
		},`, 1)
	if !strings.HasPrefix(after, want) {
		t.Errorf("the airlock entry is not written in the file's own layout:\n%s\nwant it to start\n%s", after, want)
	}
	if !strings.Contains(after, "\t\t},\n\t\t// \"old\"") || !strings.HasSuffix(after, "\t\"inputs\": [], // none yet\n}\n") {
		t.Errorf("trailing commas or the file's end changed:\n%s", after)
	}
	if _, err := hujson.Parse([]byte(after)); err != nil {
		t.Fatalf("install wrote what VS Code cannot read: %v", err)
	}
	if st := Status(o.Host, o.Path); !st.HookedUp || st.Err != nil || st.Kept != 1 {
		t.Errorf("status %+v", st)
	}
	if b := readFile(t, r.Backup); !bytes.Equal(b, original) {
		t.Error("backup is not the original bytes")
	}
	got := airlockServers(t, o.Home)
	if args := got["memory"]["args"].([]any); len(args) != 2 || args[1] != "@modelcontextprotocol/server-memory" {
		t.Errorf("airlock.json memory %v", got["memory"])
	}

	// Twice: nothing to do, nothing written.
	if r2, err := Install(o); err != nil || r2.Changed || len(backups(t, o.Path)) != 1 {
		t.Fatalf("second install %+v %v", r2, err)
	}
	// Uninstall gives back the original, comments and all, byte for byte.
	u, err := Uninstall(o)
	if err != nil || len(u.Restored) != 2 {
		t.Fatalf("uninstall %+v %v", u, err)
	}
	if restored := readFile(t, o.Path); !bytes.Equal(restored, original) {
		t.Errorf("uninstall gave\n%s\nwant\n%s", restored, original)
	}
}

// A server added after install, in a file the person keeps editing, comes
// back on uninstall with its comment, and the person's other edits stay.
func TestCommentedConfigEditedAfterInstall(t *testing.T) {
	o := setup(t, VSCode, 0o600)
	os.WriteFile(o.Path, []byte(commentedVSCode), 0o600)
	if _, err := Install(o); err != nil {
		t.Fatal(err)
	}
	hooked := string(readFile(t, o.Path))
	edited := strings.Replace(hooked, "\t\t/* Remote: stays. */", "\t\t// Time zones.\n\t\t\"time\": {\"command\": \"uvx\", \"args\": [\"mcp-server-time\"]},\n\t\t/* Remote: stays. */", 1)
	edited = strings.Replace(edited, "\t\"inputs\"", "\t// added later\n\t\"inputs\"", 1)
	os.WriteFile(o.Path, []byte(edited), 0o600)
	if r, err := Install(o); err != nil || len(r.Moved) != 1 || strings.Contains(string(r.After), "// Time zones.") {
		t.Fatalf("install of the added server: %v\n%s", err, r.After)
	}
	if _, err := Uninstall(o); err != nil {
		t.Fatal(err)
	}
	// "time" followed the airlock entry, which is gone: it comes back first.
	want := strings.Replace(strings.Replace(commentedVSCode, "\t\t// Web pages",
		"\t\t// Time zones.\n\t\t\"time\": {\"command\": \"uvx\", \"args\": [\"mcp-server-time\"]},\n\t\t// Web pages", 1),
		"\t\"inputs\"", "\t// added later\n\t\"inputs\"", 1)
	if got := string(readFile(t, o.Path)); got != want {
		t.Errorf("uninstall gave\n%s\nwant\n%s", got, want)
	}
}

// A workspace .vscode/mcp.json with comments and no "servers" yet gets one,
// after what is there; a comment above the airlock entry survives a new
// binary path.
func TestCommentedConfigWithoutServers(t *testing.T) {
	o := setup(t, VSCode, 0o600)
	orig := "{\n  // inputs first\n  \"inputs\": [],\n}\n"
	os.WriteFile(o.Path, []byte(orig), 0o600)
	if _, err := Install(o); err != nil {
		t.Fatal(err)
	}
	want := "{\n  // inputs first\n  \"inputs\": [],\n  \"servers\": {\n    \"airlock\": {\n      \"type\": \"stdio\",\n      \"command\": \"" + testBinary +
		"\",\n      \"args\": [\n        \"proxy\"\n      ]\n    }\n  },\n}\n"
	if got := string(readFile(t, o.Path)); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	os.WriteFile(o.Path, []byte(strings.Replace(want, "    \"airlock\"", "    // the proxy\n    \"airlock\"", 1)), 0o600)
	o.Binary = "/usr/local/bin/airlock"
	if _, err := Install(o); err != nil {
		t.Fatal(err)
	}
	if got := string(readFile(t, o.Path)); !strings.Contains(got, "    // the proxy\n    \"airlock\": {\n      \"type\": \"stdio\",\n      \"command\": \"/usr/local/bin/airlock\"") {
		t.Errorf("got\n%s", got)
	}
}

// A file on one line stays on one line.
func TestOneLineConfigStaysOneLine(t *testing.T) {
	o := setup(t, Cursor, 0o600)
	orig := `{"mcpServers": {"git": {"command": "uvx", "args": ["mcp-server-git"]}, "linear": {"url": "https://mcp.linear.app/sse"}}, "z": 1}`
	os.WriteFile(o.Path, []byte(orig), 0o600)
	if _, err := Install(o); err != nil {
		t.Fatal(err)
	}
	want := `{"mcpServers": {"airlock": {"command":"` + testBinary + `","args":["proxy"]}, "linear": {"url": "https://mcp.linear.app/sse"}}, "z": 1}`
	if got := string(readFile(t, o.Path)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if _, err := Uninstall(o); err != nil {
		t.Fatal(err)
	}
	if got := string(readFile(t, o.Path)); got != orig {
		t.Errorf("uninstall gave\n%s\nwant\n%s", got, orig)
	}
}

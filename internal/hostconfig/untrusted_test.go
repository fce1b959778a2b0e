package hostconfig

import (
	"os"
	"strings"
	"testing"
)

// A host config may come from anywhere (a cloned repository's
// .vscode/mcp.json): the names and values an install refuses are quoted in
// its error, never written as they are, so a terminal showing the error
// runs no escape sequence from the file (clear the screen, set the title).
func TestRefusedEntryErrorsEscapeControlCharacters(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{`{"mcpServers": {"a": {"command": "x", "env": {"K\u001b[2J": 1}}}}`, `"env" value of "K\x1b[2J" must be a string`},
		{`{"mcpServers": {"a": {"command": "x", "args": [{"k": "\u001b]0;title\u0007"}]}}}`, `"args" must be an array of strings, found {"k":"\u001b]0;title\u0007"}`},
	} {
		o := setup(t, ClaudeDesktop, 0o600)
		if err := os.WriteFile(o.Path, []byte(c.data), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Install(o)
		if err == nil {
			t.Fatalf("Install(%s) = nil error", c.data)
		}
		if strings.ContainsAny(err.Error(), "\x1b\x07") || !contains(err.Error(), c.want) {
			t.Errorf("Install(%s): err = %q, want it to hold %q and no control character", c.data, err, c.want)
		}
	}
}

package summary_test

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/airlock-dev/airlock/internal/summary"
)

func Example_of() {
	home := "/home/ada"
	for _, c := range []struct{ server, tool, args string }{
		{"filesystem", "delete_file", `{"path":"/home/ada/proj/notes.md"}`},
		{"prod-db", "query", `{"sql":"DROP TABLE users"}`},
		{"shell", "run_command", `{"command":"rm -rf build"}`},
		{"github", "create_issue", `{"owner":"acme","repo":"api","title":"Fix login bug"}`},
		{"filesystem", "write_file", `{"path":"/home/ada/notes/todo.md","content":"` + strings.Repeat("x", 1229) + `"}`},
		{"filesystem", "move_file", `{"source":"/home/ada/a.txt","destination":"/home/ada/b.txt"}`},
		{"acme", "frobnicate", `{"level":"high"}`},
		{"x", "delete_file", `{"path":"/tmp/\u202etxt.exe"}`},
	} {
		fmt.Println(summary.Of(c.server, c.tool, json.RawMessage(c.args), home))
	}
	// Output:
	// Delete file ~/proj/notes.md
	// Run SQL on prod-db: DROP TABLE users
	// Run shell: rm -rf build
	// Create issue in acme/api: Fix login bug
	// Write file ~/notes/todo.md (1.2 KB)
	// Move ~/a.txt to ~/b.txt
	// Call acme frobnicate: level=high
	// Delete file /tmp/⟨U+202E⟩txt.exe
}

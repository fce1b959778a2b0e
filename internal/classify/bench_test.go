package classify_test

import (
	"encoding/json"
	"testing"

	"github.com/airlock-dev/airlock/internal/classify"
)

// BenchmarkCallTypical classifies a call the proxy sees all day: a
// GitHub-style write with a path, a schema of eight arguments and
// annotations. Target: under 20 µs.
func BenchmarkCallTypical(b *testing.B) {
	tool := classify.Tool{
		Name:        "create_or_update_file",
		Title:       "Create or update file",
		Description: "Create or update a single file in a GitHub repository. If updating, you must provide the SHA of the file you want to update. Use this tool to create or update a file in a GitHub repository remotely; do not use it for local file operations.",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"owner":{"type":"string","description":"Repository owner (username or organization)"},"repo":{"type":"string","description":"Repository name"},"path":{"type":"string","description":"Path where to create/update the file"},"content":{"type":"string","description":"Content of the file"},"message":{"type":"string","description":"Commit message"},"branch":{"type":"string","description":"Branch to create/update the file in"},"sha":{"type":"string","description":"The blob SHA of the file being replaced."}},"required":["owner","repo","path","content","message","branch"]}`),
		Annotations: &classify.Annotations{ReadOnlyHint: no()},
	}
	args := json.RawMessage(`{"owner":"octo","repo":"hello","path":"docs/intro.md","content":"# Hello\n\nThis is the intro.\n","message":"docs: intro","branch":"main"}`)
	b.ReportAllocs()
	for b.Loop() {
		if r := classify.Call(tool, args); r.Tier != classify.Write {
			b.Fatal(r)
		}
	}
}

// BenchmarkCallSQL classifies a SQL runner, where the inspector runs twice
// (the runnable argument, then every argument).
func BenchmarkCallSQL(b *testing.B) {
	tool := classify.Tool{
		Name:        "query",
		Description: "Run a read-only SQL query",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"sql":{"type":"string"}}}`),
	}
	args := json.RawMessage(`{"sql":"SELECT u.id, u.email FROM users u JOIN orders o ON o.user_id = u.id WHERE o.total > 100 ORDER BY o.created_at DESC LIMIT 20"}`)
	b.ReportAllocs()
	for b.Loop() {
		classify.Call(tool, args)
	}
}

// BenchmarkDefinition is the cost of `airlock tools` per tool.
func BenchmarkDefinition(b *testing.B) {
	tool := classify.Tool{Name: "pull_request_read", Description: "Get details for a single pull request",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"method":{"type":"string","enum":["get","get_diff","get_status","get_files","get_review_comments","get_reviews","get_comments"]},"owner":{"type":"string"},"repo":{"type":"string"},"pullNumber":{"type":"number"}}}`)}
	b.ReportAllocs()
	for b.Loop() {
		classify.Definition(tool)
	}
}

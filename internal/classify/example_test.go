package classify_test

import (
	"encoding/json"
	"fmt"

	"github.com/airlock-dev/airlock/internal/classify"
)

func yes() *bool { b := true; return &b }

// A tool is judged by every word of its name, its description and its
// schema; annotations may raise the tier but a read-only claim on a delete
// tool is reported and ignored.
func ExampleDefinition() {
	tools := []classify.Tool{
		{Name: "get_file_contents", Description: "Get file or directory contents"},
		{Name: "issueCreate"},
		{Name: "branch_delete", Annotations: &classify.Annotations{ReadOnlyHint: yes()}},
		{Name: "service_details", Description: "Get detailed information for a specific service"},
		{Name: "get_messages", Description: "Returns new messages and permanently deletes them."},
		{Name: "inventory"},
	}
	for _, t := range tools {
		r := classify.Definition(t)
		fmt.Printf("%s: %s %q\n", t.Name, r.Tier, r.Reasons)
	}
	// Output:
	// get_file_contents: read ["name says read (get)"]
	// issueCreate: write ["name says create"]
	// branch_delete: destructive ["name says delete" "the name says it is destructive; the server's read-only hint was ignored"]
	// service_details: read ["name says read (details)" "description says read (get)"]
	// get_messages: destructive ["description says it deletes" "description says permanently" "name says read (get)"]
	// inventory: write ["no verb in the name or description: treated as write"]
}

// A call is its tool's definition refined by the arguments. A tool that
// only runs SQL is judged by the SQL it is given; a tool with an operation
// argument by the operation it sends.
func ExampleCall() {
	query := classify.Tool{
		Name:        "query",
		Description: "Run a read-only SQL query",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"sql":{"type":"string"}}}`),
	}
	fmt.Println(classify.Definition(query).Tier)
	fmt.Println(classify.Call(query, json.RawMessage(`{"sql":"SELECT id FROM users"}`)).Tier)
	fmt.Println(classify.Call(query, json.RawMessage(`{"sql":"DROP TABLE users"}`)).Tier)

	labels := classify.Tool{
		Name:        "label_write",
		Description: "Write operations on repository labels.",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"method":{"type":"string","enum":["create","update","delete"]}}}`),
	}
	fmt.Println(classify.Definition(labels).Tier)
	fmt.Println(classify.Call(labels, json.RawMessage(`{"method":"update"}`)).Tier)

	write := classify.Tool{
		Name:        "create_or_update_file",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"path":{"type":"string"},"content":{"type":"string"}}}`),
	}
	fmt.Println(classify.Call(write, json.RawMessage(`{"path":"docs/intro.md","content":"hi"}`)).Reasons)
	// Output:
	// destructive
	// read
	// destructive
	// destructive
	// write
	// [name says create name says update writes to docs/intro.md]
}

package classify_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/airlock-dev/airlock/internal/classify"
)

func no() *bool { b := false; return &b }

func schema(props string) json.RawMessage {
	return json.RawMessage(`{"type":"object","properties":{` + props + `}}`)
}

func TestNames(t *testing.T) {
	cases := []struct {
		name string
		want classify.Tier
	}{
		// Verbs first, last, in the middle, after a namespace.
		{"list_issues", classify.Read},
		{"branch_delete", classify.Destructive},
		{"issueCreate", classify.Write},
		{"fs_remove_item", classify.Destructive},
		{"repo.delete", classify.Destructive},
		{"github__delete_branch", classify.Destructive},
		{"kebab-case-delete-thing", classify.Destructive},
		{"HTTPGetStatus", classify.Read},
		// Inflections.
		{"deletes_rows", classify.Destructive},
		{"deleting_rows", classify.Destructive},
		{"copies_file", classify.Write},
		{"stopped_jobs_cleanup", classify.Destructive},
		// Nouns that look like verbs after the verb.
		{"list_commits", classify.Read},
		{"get_workflow_run", classify.Read},
		{"list_refunds", classify.Read},
		{"get_comments", classify.Read},
		{"get_settings", classify.Read},
		{"list_pull_requests", classify.Read},
		{"pull_request_read", classify.Read},
		{"comments_list", classify.Read},
		{"network_requests", classify.Write}, // no verb, no description: unknown
		// Second actions.
		{"get_or_create_user", classify.Write},
		{"search_and_replace", classify.Write},
		{"search_replace", classify.Write},
		{"git_push_force", classify.Destructive},
		{"drag_and_drop", classify.Write},
		// Bare nouns.
		{"git_status", classify.Read},
		{"git_log", classify.Read},
		{"jira_log_work", classify.Write},
		{"directory_tree", classify.Read},
		{"inventory", classify.Write},
		{"", classify.Write},
		// Verbs whose object decides.
		{"resolve_library_id", classify.Read},
		{"resolve_issue", classify.Write},
		{"open_nodes", classify.Read},
		{"open_pull_request", classify.Write},
		{"browser_mouse_move_xy", classify.Read},
		{"move_file", classify.Write},
		{"create_refund", classify.Destructive},
		{"create_payment_link", classify.Write},
		{"capture_payment_intent", classify.Destructive},
		{"snapshot_volume", classify.Write},
		{"browser_snapshot", classify.Read},
		{"create_deployment", classify.Destructive},
		{"list_deployments", classify.Read},
		{"check_and_fix", classify.Write},
		{"list_issues_mark_read", classify.Write},
		{"get_new_messages", classify.Read},
		// Code.
		{"run_workflow", classify.Destructive},
		{"browser_evaluate", classify.Destructive},
		{"exec_in_pod", classify.Destructive},
		{"install_package", classify.Destructive},
		{"deploy_preview", classify.Destructive},
		{"refund_payment", classify.Destructive},
	}
	for _, c := range cases {
		got := classify.Definition(classify.Tool{Name: c.name})
		if got.Tier != c.want {
			t.Errorf("%q: got %s, want %s; reasons %q", c.name, got.Tier, c.want, got.Reasons)
		}
		if len(got.Reasons) == 0 {
			t.Errorf("%q: no reasons", c.name)
		}
	}
}

// TestHostileNames: tricks in a name never make it read.
func TestHostileNames(t *testing.T) {
	cases := []struct {
		tool classify.Tool
		want classify.Tier
	}{
		{classify.Tool{Name: "fs_op", Title: "Delete file"}, classify.Destructive},
		{classify.Tool{Name: "get\u200bdelete"}, classify.Destructive}, // zero-width joiner between words
		{classify.Tool{Name: "g\u0435t_files"}, classify.Write},        // Cyrillic e: not the verb get
		{classify.Tool{Name: "GET_FILES_AND_PURGE"}, classify.Destructive},
		{classify.Tool{Name: "list", Description: "Lists files. Also removes stale ones."}, classify.Destructive},
		// A later sentence opening with a destructive verb counts, even in a
		// negation: the classifier errs high.
		{classify.Tool{Name: "list", Description: "Lists files.\nDeletes nothing."}, classify.Destructive},
		{classify.Tool{Name: strings.Repeat("get_", 5000) + "delete"}, classify.Destructive},
	}
	for _, c := range cases {
		got := classify.Definition(c.tool)
		if got.Tier != c.want {
			t.Errorf("%q %q: got %s, want %s; reasons %q", c.tool.Name[:min(40, len(c.tool.Name))], c.tool.Title, got.Tier, c.want, got.Reasons)
		}
	}
}

func TestDescriptions(t *testing.T) {
	cases := []struct {
		name, desc string
		want       classify.Tier
	}{
		{"records", "Returns the records of a table.", classify.Read},
		{"records", "Deletes every record older than a date.", classify.Destructive},
		{"records", "This tool allows you to delete records.", classify.Destructive},
		{"browser_take_screenshot", "Take a screenshot of the current page.", classify.Read},
		{"get_messages", "Returns messages and permanently deletes them.", classify.Destructive},
		{"write_file", "Create a new file or completely overwrite an existing file.", classify.Destructive},
		{"list_items", "List items. Set perPage to page through them.", classify.Read},
		{"browser_drag", "Perform drag and drop between two elements", classify.Write},
		{"thing", "", classify.Write},
	}
	for _, c := range cases {
		got := classify.Definition(classify.Tool{Name: c.name, Description: c.desc})
		if got.Tier != c.want {
			t.Errorf("%q %q: got %s, want %s; reasons %q", c.name, c.desc, got.Tier, c.want, got.Reasons)
		}
	}
}

func TestAnnotationsOnlyRaise(t *testing.T) {
	cases := []struct {
		name       string
		ann        *classify.Annotations
		want       classify.Tier
		wantReason string
	}{
		{"delete_file", &classify.Annotations{ReadOnlyHint: yes()}, classify.Destructive, "the name says it is destructive; the server's read-only hint was ignored"},
		{"delete_file", &classify.Annotations{DestructiveHint: no()}, classify.Destructive, "the name says it is destructive; the server's not-destructive hint was ignored"},
		{"get_forecast", &classify.Annotations{DestructiveHint: yes()}, classify.Destructive, "the server marks this tool destructive"},
		{"get_forecast", &classify.Annotations{ReadOnlyHint: no()}, classify.Write, "the server says this tool is not read-only"},
		// Absent is not false: no hint changes nothing.
		{"get_forecast", &classify.Annotations{}, classify.Read, "name says read (get)"},
		{"get_forecast", nil, classify.Read, "name says read (get)"},
		{"update_forecast", &classify.Annotations{ReadOnlyHint: yes(), DestructiveHint: no()}, classify.Write, "the name says it changes something; the server's read-only hint was ignored"},
	}
	for _, c := range cases {
		got := classify.Definition(classify.Tool{Name: c.name, Annotations: c.ann})
		if got.Tier != c.want || !slices.Contains(got.Reasons, c.wantReason) {
			t.Errorf("%s %+v: got %s %q, want %s with %q", c.name, c.ann, got.Tier, got.Reasons, c.want, c.wantReason)
		}
	}
}

func TestCallNeverBelowDefinitionWithoutArguments(t *testing.T) {
	// Without arguments a call is exactly its definition.
	for _, tool := range []classify.Tool{
		{Name: "query", InputSchema: schema(`"sql":{"type":"string"}`)},
		{Name: "label_write", InputSchema: schema(`"method":{"type":"string","enum":["create","delete"]}`)},
		{Name: "delete_file"},
		{Name: "inventory"},
	} {
		def := classify.Definition(tool)
		for _, args := range []string{``, `null`, `{}`} {
			got := classify.Call(tool, json.RawMessage(args))
			if got.Tier != def.Tier {
				t.Errorf("%s with %q: got %s, definition %s", tool.Name, args, got.Tier, def.Tier)
			}
		}
	}
}

func TestCallRefinement(t *testing.T) {
	runner := classify.Tool{Name: "execute_sql", Description: "Execute an SQL query on the MySQL server", InputSchema: schema(`"query":{"type":"string"}`)}
	saver := runner
	saver.InputSchema = schema(`"query":{"type":"string"},"output_path":{"type":"string"}`)
	labelled := runner
	labelled.Annotations = &classify.Annotations{DestructiveHint: yes()}
	container := classify.Tool{Name: "run_container", InputSchema: schema(`"image":{"type":"string"},"command":{"type":"string"}`)}
	dispatcher := classify.Tool{Name: "manage_webhook", InputSchema: schema(`"action":{"type":"string","enum":["list","create","delete"]}`)}
	deleter := classify.Tool{Name: "delete_webhook", InputSchema: schema(`"action":{"type":"string","enum":["list","delete"]}`)}
	writer := classify.Tool{Name: "write_file", InputSchema: schema(`"path":{"type":"string"},"content":{"type":"string"}`)}
	cases := []struct {
		what       string
		tool       classify.Tool
		args       string
		want       classify.Tier
		wantReason string
	}{
		{"runner lowered by its SQL", runner, `{"query":"SELECT 1"}`, classify.Read, ""},
		{"runner raised by its SQL", runner, `{"query":"DROP TABLE t"}`, classify.Destructive, ""},
		{"runner saving its output", saver, `{"query":"SELECT 1","output_path":"/tmp/out.csv"}`, classify.Write, "writes to /tmp/out.csv"},
		{"destructive annotation is a floor", labelled, `{"query":"SELECT 1"}`, classify.Destructive, "the server marks this tool destructive"},
		{"an image decides what runs", container, `{"image":"alpine","command":"ls"}`, classify.Destructive, "name says run: runs code"},
		{"operation sent", dispatcher, `{"action":"list"}`, classify.Read, "action list: read (list)"},
		{"operation sent", dispatcher, `{"action":"delete"}`, classify.Destructive, "action delete: delete"},
		{"unknown operation", dispatcher, `{"action":"frobnicate"}`, classify.Write, "action frobnicate: unknown, treated as write"},
		{"operation is not a word", dispatcher, `{"action":7}`, classify.Write, "action is not a word: treated as write"},
		{"a name that says delete keeps it", deleter, `{"action":"list"}`, classify.Destructive, "name says delete"},
		{"unreadable arguments", writer, `[1,2]`, classify.Write, "arguments are not a JSON object: treated as write"},
		{"path write", writer, `{"path":"/tmp/a","content":"x"}`, classify.Write, "writes to /tmp/a"},
	}
	for _, c := range cases {
		got := classify.Call(c.tool, json.RawMessage(c.args))
		if got.Tier != c.want || c.wantReason != "" && !slices.Contains(got.Reasons, c.wantReason) {
			t.Errorf("%s: %s %s: got %s %q, want %s with %q", c.what, c.tool.Name, c.args, got.Tier, got.Reasons, c.want, c.wantReason)
		}
	}
}

func TestParseTier(t *testing.T) {
	for _, tier := range []classify.Tier{classify.Read, classify.Write, classify.Destructive} {
		got, err := classify.ParseTier(" " + strings.ToUpper(tier.String()) + " ")
		if err != nil || got != tier {
			t.Errorf("ParseTier(%q) = %v, %v", tier, got, err)
		}
	}
	if _, err := classify.ParseTier("harmless"); err == nil {
		t.Error("ParseTier accepted an unknown tier")
	}
}

// FuzzCall checks that nothing a server or a model sends makes the
// classifier panic, return no reasons, or go below write without saying why.
func FuzzCall(f *testing.F) {
	f.Add("delete_file", "Deletes a file", `{"type":"object","properties":{"path":{"type":"string"}}}`, `{"path":"/a"}`)
	f.Add("query", "Run SQL", `{"properties":{"sql":{}}}`, `{"sql":"SELECT 1; DROP TABLE x"}`)
	f.Add("x", "", `{"properties":{"method":{"description":"Options: 'a', \"b\", 1. c"}}}`, `{"method":"c"}`)
	f.Fuzz(func(t *testing.T, name, desc, sch, args string) {
		tool := classify.Tool{Name: name, Description: desc, InputSchema: json.RawMessage(sch)}
		for _, r := range []classify.Result{classify.Definition(tool), classify.Call(tool, json.RawMessage(args))} {
			if len(r.Reasons) == 0 {
				t.Fatalf("no reasons for %q %q", name, args)
			}
			if r.Tier < classify.Read || r.Tier > classify.Destructive {
				t.Fatalf("tier out of range: %v", r.Tier)
			}
		}
	})
}

package summary

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

const home = "/home/ada"

// Calls as real servers name their tools and as models fill their arguments.
var calls = []struct {
	server, tool, args, want string
}{
	// @modelcontextprotocol/server-filesystem
	{"filesystem", "read_text_file", `{"path":"/home/ada/proj/README.md","head":20}`, "Read text file ~/proj/README.md"},
	{"filesystem", "read_multiple_files", `{"paths":["/home/ada/a.go","/home/ada/b.go","/etc/hosts","/tmp/x"]}`, "Read files ~/a.go, ~/b.go, /etc/hosts and 1 more"},
	{"filesystem", "write_file", `{"path":"/home/ada/notes/todo.md","content":"` + strings.Repeat("x", 1229) + `"}`, "Write file ~/notes/todo.md (1.2 KB)"},
	{"filesystem", "edit_file", `{"path":"/home/ada/src/main.go","edits":[{"oldText":"a","newText":"b"},{"oldText":"c","newText":"d"}],"dryRun":false}`, "Update file ~/src/main.go (2 edits)"},
	{"filesystem", "create_directory", `{"path":"/home/ada/proj/build"}`, "Create directory ~/proj/build"},
	{"filesystem", "list_directory", `{"path":"/home/ada"}`, "List directory ~"},
	{"filesystem", "list_directory_with_sizes", `{"path":"/home/ada/Downloads","sortBy":"size"}`, "List directory ~/Downloads"},
	{"filesystem", "directory_tree", `{"path":"/home/ada/proj"}`, "Read directory tree ~/proj"},
	{"filesystem", "move_file", `{"source":"/home/ada/a.txt","destination":"/home/ada/b.txt"}`, "Move ~/a.txt to ~/b.txt"},
	{"filesystem", "search_files", `{"path":"/home/ada/proj","pattern":"**/*.go"}`, "Search files in ~/proj: **/*.go"},
	{"filesystem", "get_file_info", `{"path":"/home/ada/.bashrc"}`, "Read file info ~/.bashrc"},
	{"filesystem", "list_allowed_directories", `{}`, "List allowed directories"},
	{"fs", "delete_file", `{"path":"/home/ada/proj/notes.md"}`, "Delete file ~/proj/notes.md"},
	// github/github-mcp-server
	{"github", "create_issue", `{"owner":"acme","repo":"api","title":"Fix login bug","body":"Steps..."}`, "Create issue in acme/api: Fix login bug"},
	{"github", "create_pull_request", `{"owner":"acme","repo":"api","title":"Add retries","head":"retries","base":"main","draft":true}`, "Create pull request in acme/api (draft): Add retries"},
	{"github", "merge_pull_request", `{"owner":"acme","repo":"api","pullNumber":42,"merge_method":"squash"}`, "Merge pull request #42 in acme/api"},
	{"github", "get_file_contents", `{"owner":"acme","repo":"api","path":"docs/README.md"}`, "Read file contents docs/README.md in acme/api"},
	{"github", "create_or_update_file", `{"owner":"acme","repo":"api","path":"a.txt","content":"hello","message":"Add a","branch":"main"}`, "Create or update file a.txt in acme/api (5 B): Add a"},
	{"github", "delete_file", `{"owner":"acme","repo":"api","path":"secrets.yml","message":"rm","branch":"main"}`, "Delete file secrets.yml in acme/api: rm"},
	{"github", "list_issues", `{"owner":"acme","repo":"api","state":"OPEN"}`, "List issues in acme/api"},
	{"github", "search_code", `{"query":"WithContext language:go org:github"}`, "Search code: WithContext language:go org:github"},
	{"github", "push_files", `{"owner":"acme","repo":"api","branch":"main","files":[{"path":"a","content":"b"}],"message":"sync"}`, "Push files a in acme/api: sync"},
	{"github", "push_files", `{"owner":"acme","repo":"api","branch":"main","files":[{"path":"a.go","content":"b"},{"path":"b.go","content":"c"}],"message":"sync"}`, "Push files a.go, b.go in acme/api: sync"},
	{"github", "fork_repository", `{"owner":"acme","repo":"api","organization":"ada-org"}`, "Fork repository in acme/api"},
	{"github", "add_issue_comment", `{"owner":"acme","repo":"api","issue_number":7,"body":"LGTM"}`, "Add issue comment #7 in acme/api: LGTM"},
	{"github", "issue_write", `{"method":"create","owner":"acme","repo":"api","title":"Crash on start"}`, "Create issue in acme/api: Crash on start"},
	{"github", "create_branch", `{"owner":"acme","repo":"api","branch":"feature-x","from_branch":"main"}`, "Create branch feature-x in acme/api"},
	{"github", "get_commit", `{"owner":"acme","repo":"api","sha":"3f2a9c1"}`, "Read commit 3f2a9c1 in acme/api"},
	{"github", "get_me", `{}`, "Read own profile"},
	{"github", "pull_request_read", `{"method":"get","owner":"acme","repo":"api","pullNumber":3}`, "Read pull request #3 in acme/api"},
	{"github", "pull_request_review_write", `{"method":"create","owner":"acme","repo":"api","pullNumber":3,"body":"LGTM"}`, "Create pull request review #3 in acme/api: LGTM"},
	{"github", "label_write", `{"method":"delete","owner":"acme","repo":"api","name":"bug"}`, "Delete label bug in acme/api"},
	{"github", "request_copilot_review", `{"owner":"acme","repo":"api","pullNumber":3}`, "Request copilot review #3 in acme/api"},
	{"github", "rerun_failed_jobs", `{"owner":"acme","repo":"api","run_id":99}`, "Rerun failed jobs 99 in acme/api"},
	{"github", "mark_all_notifications_read", `{}`, "Mark all notifications read"},
	{"gitlab", "push_files", `{"project_id":"acme/api","branch":"main","files":[{"file_path":"a.go","content":"x"}],"commit_message":"sync"}`, "Push files a.go in project acme/api: sync"},
	{"gitlab", "create_merge_request", `{"project_id":"acme/api","title":"Fix","source_branch":"fix","target_branch":"main"}`, "Create merge request in project acme/api: Fix"},
	{"gitlab", "merge_merge_request", `{"project_id":"acme/api","merge_request_iid":7}`, "Merge merge request 7 in project acme/api"},
	// mcp-server-git
	{"git", "git_status", `{"repo_path":"/home/ada/proj"}`, "Read status in ~/proj"},
	{"git", "git_commit", `{"repo_path":"/home/ada/proj","message":"Fix typo"}`, "Commit staged changes in ~/proj: Fix typo"},
	{"git", "git_add", `{"repo_path":"/home/ada/proj","files":["a.go","b.go"]}`, "Stage files a.go, b.go in ~/proj"},
	{"git", "git_checkout", `{"repo_path":"/home/ada/proj","branch_name":"main"}`, "Check out branch main in ~/proj"},
	{"git", "git_create_branch", `{"repo_path":"/home/ada/proj","branch_name":"fix","base_branch":"main"}`, "Create branch fix in ~/proj"},
	{"git", "git_show", `{"repo_path":"/home/ada/proj","revision":"HEAD~1"}`, "Read commit HEAD~1 in ~/proj"},
	{"git", "git_status", `{"repo_path":"/home/ada/proj"}`, "Read status in ~/proj"},
	{"git", "git_diff_unstaged", `{"repo_path":"/home/ada/proj","context_lines":3}`, "Read unstaged changes in ~/proj"},
	{"git", "git_diff_staged", `{"repo_path":"/home/ada/proj"}`, "Read staged changes in ~/proj"},
	{"git", "git_diff", `{"repo_path":"/home/ada/proj","target":"main"}`, "Read diff against main in ~/proj"},
	{"git", "git_reset", `{"repo_path":"/home/ada/proj"}`, "Unstage all changes in ~/proj"},
	{"git", "git_log", `{"repo_path":"/home/ada/proj","max_count":10}`, "Read commit log in ~/proj"},
	{"git", "git_init", `{"repo_path":"/home/ada/new"}`, "Create Git repository ~/new"},
	{"git", "git_branch", `{"repo_path":"/home/ada/proj","branch_type":"local"}`, "List local branches in ~/proj"},
	{"git", "git_branch", `{"repo_path":"/home/ada/proj","branch_type":"all","contains":"3f2a9c1"}`, "List local and remote branches in ~/proj: containing 3f2a9c1"},
	{"git", "git_add", `{"repo_path":"/home/ada/proj","files":["a","b","c","d","e"]}`, "Stage files a, b, c and 2 more in ~/proj"},
	// Another server's git_reset that takes a mode is not called an unstage.
	{"git", "git_reset", `{"path":"/home/ada/proj","mode":"hard","target":"HEAD~3"}`, "Reset ~/proj (mode hard)"},
	{"git", "git_init", `{"path":"/home/ada/new","bare":true}`, "Create ~/new"},
	{"git", "git_push", `{"repo_path":"/home/ada/proj","remote":"origin","branch":"main","force":true}`, "Push branch main in ~/proj to origin (force)"},
	// server-google-maps
	{"google-maps", "maps_geocode", `{"address":"10 Downing St, London"}`, "Find coordinates of 10 Downing St, London"},
	{"google-maps", "maps_reverse_geocode", `{"latitude":48.8584,"longitude":2.2945}`, "Find address at 48.8584, 2.2945"},
	{"google-maps", "maps_search_places", `{"query":"coffee","location":{"latitude":48.85,"longitude":2.35},"radius":500}`, "Search places: coffee"},
	{"google-maps", "maps_place_details", `{"place_id":"ChIJN1t_tDeuEmsRUsoyG83frY4"}`, "Read place details ChIJN1t_tDeuEmsRUsoyG83frY4"},
	{"google-maps", "maps_distance_matrix", `{"origins":["Paris","Lille"],"destinations":["Lyon"],"mode":"driving"}`, "Calculate distances from Paris, Lille to Lyon (driving)"},
	{"google-maps", "maps_elevation", `{"locations":[{"latitude":45.83,"longitude":6.86},{"latitude":48.85,"longitude":2.35}]}`, "Read elevation at (45.83, 6.86), (48.85, 2.35)"},
	{"google-maps", "maps_directions", `{"origin":"Paris","destination":"Lyon","mode":"transit"}`, "Find directions from Paris to Lyon (transit)"},
	// sequential-thinking and time
	{"sequential-thinking", "sequentialthinking", `{"thought":"Check the schema first","nextThoughtNeeded":true,"thoughtNumber":2,"totalThoughts":5}`, "Record thought 2 of 5: Check the schema first"},
	{"sequential-thinking", "sequentialthinking", `{"thought":"No, the index","nextThoughtNeeded":false,"thoughtNumber":3,"totalThoughts":5,"isRevision":true,"revisesThought":2}`, "Record thought 3 of 5 (revises thought 2): No, the index"},
	{"time", "get_current_time", `{"timezone":"Europe/Paris"}`, "Get current time in Europe/Paris"},
	{"time", "convert_time", `{"source_timezone":"UTC","time":"10:00","target_timezone":"Europe/Paris"}`, "Convert time 10:00 from UTC to Europe/Paris"},
	// redis and sentry
	{"redis", "set", `{"key":"session:42","value":"ok","expireSeconds":60}`, "Update key session:42: ok"},
	{"redis", "delete", `{"key":"session:42"}`, "Delete key session:42"},
	{"redis", "list", `{"pattern":"session:*"}`, "List entries on redis: session:*"},
	{"gdrive", "search", `{"query":"quarterly report"}`, "Search gdrive: quarterly report"},
	{"sentry", "search_issues", `{"organizationSlug":"acme","naturalLanguageQuery":"unresolved errors today"}`, "Search issues in organization acme: unresolved errors today"},
	{"sentry", "find_dsns", `{"organizationSlug":"acme","projectSlug":"web"}`, "Search dsns in acme/web"},
	// databases
	{"prod-db", "query", `{"sql":"DROP TABLE users"}`, "Run SQL on prod-db: DROP TABLE users"},
	{"prod-db", "execute_sql", `{"sql":"  SELECT *\n  FROM users\n  WHERE id = 1"}`, "Run SQL on prod-db: SELECT * FROM users WHERE id = 1"},
	{"prod-db", "query", `{"sql":"SELECT 1; DROP TABLE users;"}`, "Run SQL on prod-db (2 statements): SELECT 1"},
	{"prod-db", "query", `{"sql":"-- harmless report\nDELETE FROM orders"}`, "Run SQL on prod-db: DELETE FROM orders"},
	{"postgres", "query", `{"sql":"REASSIGN OWNED BY ada TO bob"}`, "Run SQL on postgres: REASSIGN OWNED BY ada TO bob"},
	{"postgres", "query", `{"sql":"frobnicate the users"}`, "Run SQL on postgres: frobnicate the users"},
	{"pg", "run_query", `{"query":"DISCARD ALL"}`, "Run SQL on pg: DISCARD ALL"},
	{"sqlite", "read_query", `{"query":"SELECT name FROM sqlite_master"}`, "Run SQL on sqlite: SELECT name FROM sqlite_master"},
	{"sqlite", "describe_table", `{"table_name":"users"}`, "Read table users"},
	{"sqlite", "list_tables", `{}`, "List tables"},
	// shells and terminals
	{"shell", "run_command", `{"command":"rm -rf build"}`, "Run shell: rm -rf build"},
	{"desktop-commander", "start_process", `{"command":"python3 -m http.server","timeout_ms":5000}`, "Run shell: python3 -m http.server"},
	{"terminal", "execute_command", `{"command":"echo hi\nrm -rf ~","cwd":"/home/ada/proj"}`, "Run shell in ~/proj: echo hi ⏎ rm -rf ~"},
	{"exec", "exec", `{"command":"git","args":["push","--force","origin","main"]}`, "Run shell: git push --force origin main"},
	{"editor", "str_replace_editor", `{"command":"view","path":"/home/ada/a.py"}`, "Read ~/a.py"},
	// kubernetes
	{"kubernetes", "kubectl_delete", `{"resourceType":"pod","name":"web-1","namespace":"prod"}`, "Delete pod web-1 in namespace prod"},
	{"kubernetes", "kubectl_generic", `{"command":"delete","resourceType":"deployment","name":"api","namespace":"prod"}`, "Delete deployment api in namespace prod"},
	{"docker", "run_container", `{"image":"alpine","command":"sh -c 'rm -rf /data'"}`, "Run in container alpine: sh -c 'rm -rf /data'"},
	{"shell", "run_command", `{"command":"ls"}`, "Run shell: ls"},
	{"kubernetes", "pods_list", `{"namespace":"default"}`, "List pods in namespace default"},
	{"kubernetes", "kubectl_scale", `{"resourceType":"deployment","name":"api","namespace":"prod","replicas":0}`, "Scale deployment api in namespace prod (replicas 0)"},
	// slack
	{"slack", "slack_post_message", `{"channel_id":"C024BE91L","text":"Deploy done"}`, "Send message to C024BE91L: Deploy done"},
	{"slack", "slack_get_channel_history", `{"channel_id":"C024BE91L","limit":10}`, "Read channel history in C024BE91L"},
	{"slack", "slack_list_channels", `{"limit":100}`, "List channels: limit=100"},
	// stripe
	{"stripe", "create_refund", `{"payment_intent":"pi_3MtwBw","amount":500}`, "Create refund pi_3MtwBw (amount 500)"},
	{"stripe", "create_customer", `{"name":"Jane Doe","email":"jane@example.com"}`, "Create customer Jane Doe"},
	// browsers
	{"playwright", "browser_navigate", `{"url":"https://example.com/login"}`, "Open https://example.com/login"},
	{"playwright", "browser_evaluate", `{"function":"() => document.cookie"}`, "Run JavaScript in browser: () => document.cookie"},
	{"playwright", "browser_click", `{"element":"Submit button","ref":"e12"}`, "Click Submit button"},
	{"playwright", "browser_type", `{"element":"Email field","ref":"e3","text":"ada@example.com"}`, "Type into Email field: ada@example.com"},
	{"playwright", "browser_take_screenshot", `{}`, "Take screenshot on playwright"},
	// memory
	{"memory", "create_entities", `{"entities":[{"name":"Ada","entityType":"person","observations":[]},{"name":"Acme","entityType":"org","observations":[]}]}`, "Create entities Ada, Acme"},
	{"memory", "delete_entities", `{"entityNames":["Ada"]}`, "Delete entities Ada"},
	{"memory", "create_relations", `{"relations":[{"from":"Ada","to":"Acme","relationType":"works_at"},{"from":"Bob","to":"Acme","relationType":"works_at"}]}`, "Create relations Ada works_at Acme, Bob works_at Acme"},
	{"memory", "delete_relations", `{"relations":[{"from":"Ada","to":"Acme","relationType":"works_at"}]}`, "Delete relations Ada works_at Acme"},
	{"memory", "add_observations", `{"observations":[{"entityName":"Ada","contents":["likes tea"]}]}`, "Add observations Ada"},
	{"memory", "delete_observations", `{"deletions":[{"entityName":"Ada","observations":["likes tea"]}]}`, "Delete observations Ada"},
	{"memory", "search_nodes", `{"query":"Ada"}`, "Search nodes: Ada"},
	{"memory", "read_graph", `{}`, "Read graph"},
	// everything
	{"everything", "echo", `{"message":"hello"}`, "Echo message: hello"},
	{"everything", "get-sum", `{"a":1,"b":2}`, "Read sum: a=1, b=2"},
	{"everything", "get-env", `{}`, "Read environment"},
	{"everything", "simulate-research-query", `{"topic":"MCP adoption","ambiguous":false}`, "Simulate research query: MCP adoption"},
	// http and fetch
	{"fetch", "fetch", `{"url":"https://example.com","max_length":5000}`, "Read https://example.com"},
	{"api", "http_request", `{"method":"DELETE","url":"https://api.example.com/users/7"}`, "Send DELETE request to https://api.example.com/users/7"},
	// nothing to go on
	{"weird", "frobnicate", `not json`, "Call weird frobnicate"},
	// A server's own name is left out only where it starts the tool name.
	{"time", "time_get_current_time", `{}`, "Read current time"},
	{"", "", ``, "Call an unnamed tool"},
	{"evil\x1b[2J", "drop\u202e_db", `{}`, "Call evil⟨U+001B⟩[2J drop⟨U+202E⟩_db"},
}

func TestOf(t *testing.T) {
	for _, c := range calls {
		t.Run(c.server+"/"+c.tool, func(t *testing.T) {
			got := Of(c.server, c.tool, json.RawMessage(c.args), home)
			if got != c.want {
				t.Errorf("Of(%q, %q, %s)\n got %q\nwant %q", c.server, c.tool, short(c.args), got, c.want)
			}
		})
	}
}

func short(s string) string {
	if len(s) > 120 {
		return s[:120] + "..."
	}
	return s
}

// Hostile input: the summary stays one bounded, visible line, and a cut is
// always marked.
func TestOfHostile(t *testing.T) {
	huge := strings.Repeat("A", 10<<20)
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	cases := []struct {
		name, server, tool, args string
		has                      []string
		hasNot                   []string
	}{
		{"10 MB path", "fs", "delete_file", `{"path":"/tmp/` + huge + `"}`, []string{"Delete file /tmp/AAA", "…"}, nil},
		{"10 MB file body", "fs", "write_file", `{"path":"/tmp/x","content":"` + huge + `"}`, []string{"Write file /tmp/x (10.0 MB)"}, []string{"…"}},
		{"10 MB command", "shell", "run_command", `{"command":"` + huge + `"}`, []string{"Run shell: AAA", "…"}, nil},
		{"10 MB SQL", "db", "query", `{"sql":"SELECT '` + huge + `'; DROP TABLE t"}`, []string{"Run SQL on db (1 statement in the first MB): SELECT 'AAA", "…"}, nil},
		{"deep nesting", "x", "delete_file", `{"junk":` + deep + `,"path":"/tmp/a"}`, []string{"Delete file /tmp/a"}, nil},
		{"ANSI escape", "x", "delete_file", `{"path":"/tmp/a\u001b[2K\u001b[1Gsafe.txt"}`, []string{"⟨U+001B⟩[2K"}, []string{"\x1b"}},
		{"bidi override", "x", "delete_file", `{"path":"/tmp/\u202Etxt.exe"}`, []string{"⟨U+202E⟩"}, []string{"\u202e"}},
		{"zero width", "x", "run_command", `{"command":"rm\u200b -rf /"}`, []string{"rm⟨U+200B⟩ -rf /"}, nil},
		{"tag characters", "x", "create_issue", `{"title":"hi\udb40\udc41\udb40\udc42"}`, []string{"⟨U+E0041⟩⟨U+E0042⟩"}, nil},
		{"C1 CSI", "x", "delete_file", "{\"path\":\"/tmp/\u009b31m\"}", []string{"⟨U+009B⟩"}, nil},
		{"newlines in title", "github", "create_issue", `{"owner":"a","repo":"b","title":"line1\n\n\tline2\r\nline3"}`, []string{": line1 line2 line3"}, []string{"\n"}},
		{"invalid UTF-8", "x", "delete_file", "{\"path\":\"/tmp/\xff\xfe\"}", []string{"/tmp/\ufffd\ufffd"}, nil},
		{"escaped quote in key value", "x", "delete_file", `{"path":"/tmp/a\"b"}`, []string{`/tmp/a"b`}, nil},
		{"duplicate keys, last wins", "x", "delete_file", `{"path":"/tmp/shown-first","path":"/tmp/really-deleted"}`, []string{"/tmp/really-deleted"}, nil},
		{"lone surrogate", "x", "delete_file", `{"path":"/tmp/\ud800x"}`, []string{"/tmp/\ufffdx"}, nil},
		{"hidden stacked SQL", "db", "query", `{"sql":"SELECT 1 /* ; */; DROP TABLE t"}`, []string{"(2 statements)"}, nil},
		{"MySQL backslash quote", "db", "query", `{"sql":"SELECT 'a\\'; DROP TABLE t; -- '"}`, []string{"(2 statements)"}, nil},
		{"many array items", "fs", "read_multiple_files", `{"paths":[` + strings.Repeat(`"/a",`, 5000) + `"/b"]}`, []string{"and 61 more"}, nil},
		{"unterminated", "fs", "delete_file", `{"path":"/tmp/a`, []string{"Delete file"}, nil},
		{"long staged file name", "git", "git_add", `{"repo_path":"/r","files":["` + strings.Repeat("f", itemRunes+9) + `","b"]}`, []string{"Stage files " + strings.Repeat("f", itemRunes) + "…, b in /r"}, nil},
		{"10 MB thought", "st", "sequentialthinking", `{"thought":"` + huge + `","thoughtNumber":1}`, []string{"Record thought 1: AAA", "…"}, nil},
		{"hidden time zone", "time", "get_current_time", `{"timezone":"UTC\u202e"}`, []string{"Get current time in UTC⟨U+202E⟩"}, nil},
		{"known name with hidden character", "git", "git\u200b_reset", `{"repo_path":"/r"}`, []string{"Call git git⟨U+200B⟩_reset"}, []string{"Unstage"}},
		{"escapes across the cut", "gh", "create_issue", `{"title":"` + strings.Repeat(`a\u200b`, 100) + `"}`, []string{"…"}, []string{"⟨U…", "⟨U+20…", "⟨…"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Of(c.server, c.tool, json.RawMessage(c.args), "")
			if n := utf8.RuneCountInString(got); n > MaxRunes {
				t.Errorf("summary has %d runes, more than %d", n, MaxRunes)
			}
			if strings.Count(got, "⟨") != strings.Count(got, "⟩") {
				t.Errorf("summary cuts an escape apart: %q", got)
			}
			if strings.ContainsAny(got, "\n\r\t\x1b") {
				t.Errorf("summary not one plain line: %q", got)
			}
			for _, h := range c.has {
				if !strings.Contains(got, h) {
					t.Errorf("summary %q lacks %q", short(got), h)
				}
			}
			for _, h := range c.hasNot {
				if strings.Contains(got, h) {
					t.Errorf("summary %q has %q", short(got), h)
				}
			}
		})
	}
}

// A summary longer than MaxRunes is cut, never silently: it ends with "…".
func TestOfCutIsMarked(t *testing.T) {
	for _, n := range []int{MaxRunes - 40, MaxRunes - 13, MaxRunes - 12, MaxRunes - 11, MaxRunes, MaxRunes + 1, 5000} {
		title := strings.Repeat("é", n)
		got := Of("gh", "create_issue", json.RawMessage(`{"title":"`+title+`"}`), "")
		full := "Create issue: " + title
		switch {
		case utf8.RuneCountInString(full) <= MaxRunes:
			if got != full {
				t.Errorf("n=%d: got %q, want the whole %q", n, got, full)
			}
		default:
			if !strings.HasSuffix(got, "…") || utf8.RuneCountInString(got) != MaxRunes {
				t.Errorf("n=%d: cut summary %q (%d runes) must be %d runes ending with …", n, got, utf8.RuneCountInString(got), MaxRunes)
			}
		}
	}
}

func TestTildePath(t *testing.T) {
	for _, c := range []struct{ p, home, want string }{
		{"/home/ada/x", "/home/ada", "~/x"},
		{"/home/ada", "/home/ada/", "~"},
		{"/home/adam/x", "/home/ada", "/home/adam/x"}, // a prefix is not a parent
		{"/home/ada/x", "", "/home/ada/x"},
		{`C:\Users\ada\x.txt`, `C:\Users\ada`, `~\x.txt`},
	} {
		if got := tildePath(c.p, c.home); got != c.want {
			t.Errorf("tildePath(%q, %q) = %q, want %q", c.p, c.home, got, c.want)
		}
	}
}

func BenchmarkOf(b *testing.B) {
	args := json.RawMessage(`{"owner":"acme","repo":"api","title":"Fix login bug","body":"Steps to reproduce: ...","labels":["bug"]}`)
	for b.Loop() {
		Of("github", "create_issue", args, home)
	}
}

func FuzzOf(f *testing.F) {
	for _, c := range calls {
		f.Add(c.server, c.tool, c.args)
	}
	f.Fuzz(func(t *testing.T, server, tool, args string) {
		got := Of(server, tool, json.RawMessage(args), home)
		if !utf8.ValidString(got) || utf8.RuneCountInString(got) > MaxRunes {
			t.Fatalf("summary not valid or too long: %q", got)
		}
		for _, r := range got {
			if Hidden(r) && r != 0x200d && r != 0xfe0e && r != 0xfe0f {
				t.Fatalf("summary %q keeps U+%04X", got, r)
			}
		}
	})
}

// A long name in a list of items is shortened with a visible "…", never cut
// silently, whether the list holds strings or objects with a name.
func TestOfItemNamesCutIsMarked(t *testing.T) {
	long := strings.Repeat("n", itemRunes+5)
	for _, args := range []string{
		`{"entities":[{"name":"` + long + `","entityType":"x"}]}`,
		`{"entityNames":["` + long + `"]}`,
	} {
		got := Of("mem", "create_entities", json.RawMessage(args), "")
		want := strings.Repeat("n", itemRunes) + "…"
		if !strings.Contains(got, want) {
			t.Errorf("%s: got %q, want the name cut to %d runes with a visible …", args, got, itemRunes)
		}
	}
	short := Of("mem", "create_entities", json.RawMessage(`{"entities":[{"name":"Alpha"}]}`), "")
	if strings.Contains(short, "…") {
		t.Errorf("a short name got a mark: %q", short)
	}
}

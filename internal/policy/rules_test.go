package policy

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestGlob(t *testing.T) {
	tests := []struct {
		p, s string
		want bool
	}{
		{"*", "", true},
		{"*", "anything/at/all", true},
		{"delete_*", "delete_branch", true},
		{"delete_*", "undelete_branch", false},
		{"*_file", "write_file", true},
		{"read_?", "read_x", true},
		{"read_?", "read_xy", false},
		{"/home/*/proj/*", "/home/me/proj/a/b.txt", true},
		{"a*b*c", "aXXbYYc", true},
		{"a*b*c", "aXXbYY", false},
		{"exact", "exact", true},
		{"exact", "Exact", false},
	}
	for _, tt := range tests {
		if got := Glob(tt.p, tt.s); got != tt.want {
			t.Errorf("Glob(%q, %q) = %v, want %v", tt.p, tt.s, got, tt.want)
		}
	}
}

func TestEvaluate(t *testing.T) {
	rules := []Rule{
		{ID: 1, Server: "github", Tool: "list_*", Action: Allow},
		{ID: 2, Server: "github", Tool: "*", Args: map[string]string{"repo": "prod-*"}, Action: Deny},
		{ID: 3, Server: "db", Tool: "query", Args: map[string]string{"options.readonly": "true"}, Action: Read},
		{ID: 4, Server: "*", Tool: "*", Args: map[string]string{"force": "true"}, Action: Destructive},
	}
	tests := []struct {
		server, tool, args string
		deny, allow, tier  int64
	}{
		{"github", "list_issues", `{"repo":"web"}`, 0, 1, 0},
		{"github", "list_issues", `{"repo":"prod-api"}`, 2, 1, 0}, // deny wins; both reported
		{"github", "create_issue", `{}`, 0, 0, 0},
		{"db", "query", `{"options":{"readonly":true}}`, 0, 0, 3},
		{"db", "query", `{"options":{"readonly":false}}`, 0, 0, 0},
		{"db", "query", `{"options":{"readonly":true},"force":true}`, 0, 0, 4}, // most severe tier rule
		{"db", "query", `[1,2]`, 0, 0, 0},
	}
	id := func(r *Rule) int64 {
		if r == nil {
			return 0
		}
		return r.ID
	}
	for _, tt := range tests {
		v := Evaluate(rules, tt.server, tt.tool, json.RawMessage(tt.args))
		if id(v.Deny) != tt.deny || id(v.Allow) != tt.allow || id(v.Tier) != tt.tier {
			t.Errorf("%s/%s %s: deny=%d allow=%d tier=%d, want %d %d %d", tt.server, tt.tool, tt.args,
				id(v.Deny), id(v.Allow), id(v.Tier), tt.deny, tt.allow, tt.tier)
		}
	}
}

func TestRuleValidate(t *testing.T) {
	bad := []Rule{
		{Server: "a", Tool: "b", Action: "maybe"},
		{Tool: "b", Action: Allow},
		{Server: "a", Action: Deny},
	}
	for _, r := range bad {
		if r.Validate() == nil {
			t.Errorf("Validate(%+v) = nil", r)
		}
	}
	if err := (Rule{Server: "*", Tool: "*", Action: Deny}).Validate(); err != nil {
		t.Error(err)
	}
}

func TestAllowForCapsTier(t *testing.T) {
	rules := []Rule{
		{ID: 1, Server: "db", Tool: "query", Action: Allow, UpTo: Write},
		{ID: 2, Server: "db", Tool: "*", Args: map[string]string{"sql": "DROP TABLE scratch_*"}, Action: Allow},
	}
	tests := []struct {
		args, tier string
		want       int64
	}{
		{`{"sql":"INSERT"}`, "read", 1},
		{`{"sql":"INSERT"}`, "write", 1},
		{`{"sql":"DROP TABLE users"}`, "destructive", 0}, // capped at write
		{`{"sql":"DROP TABLE scratch_1"}`, "destructive", 2},
		{`{"sql":"x"}`, "", 0}, // an unknown tier counts as the most severe
	}
	for _, tt := range tests {
		var got int64
		if r := Evaluate(rules, "db", "query", json.RawMessage(tt.args)).AllowFor(tt.tier); r != nil {
			got = r.ID
		}
		if got != tt.want {
			t.Errorf("%s as %q: allowed by rule %d, want %d", tt.args, tt.tier, got, tt.want)
		}
	}
	if (Rule{Server: "a", Tool: "b", Action: Deny, UpTo: Write}).Validate() == nil {
		t.Error("upTo on a deny rule validated")
	}
	if (Rule{Server: "a", Tool: "b", Action: Allow, UpTo: "everything"}).Validate() == nil {
		t.Error("unknown upTo validated")
	}
}

// Argument globs see through spellings: a deny rule on a folder catches
// "..", "//" and "./" forms of paths inside it and numbers written another
// way; an allow rule on a folder does not stretch to a path that only
// looks inside it.
func TestRuleArgsSeeThroughSpellings(t *testing.T) {
	rules := []Rule{
		{ID: 1, Server: "fs", Tool: "*", Args: map[string]string{"path": "/home/me/.ssh/*"}, Action: Deny},
		{ID: 2, Server: "fs", Tool: "*", Args: map[string]string{"path": "/tmp/*"}, Action: Allow},
		{ID: 3, Server: "db", Tool: "*", Args: map[string]string{"id": "9007199254740993"}, Action: Deny},
		{ID: 4, Server: "db", Tool: "*", Args: map[string]string{"limit": "10"}, Action: Allow},
	}
	tests := []struct {
		server, args string
		deny, allow  int64
	}{
		{"fs", `{"path":"/home/me/.ssh/id_rsa"}`, 1, 0},
		{"fs", `{"path":"/home/me/x/../.ssh/id_rsa"}`, 1, 0},
		{"fs", `{"path":"//home/me/.ssh/id_rsa"}`, 1, 0},
		{"fs", `{"path":"/home/me/./.ssh/id_rsa"}`, 1, 0},
		{"fs", `{"path":"/tmp/../home/me/.ssh/id_rsa"}`, 1, 0},
		{"fs", `{"path":"/tmp/../etc/passwd"}`, 0, 0},
		{"fs", `{"path":"/tmp/a/b"}`, 0, 2},
		{"db", `{"id":9007199254740993}`, 3, 0},
		{"db", `{"id":9007199254740992}`, 0, 0},
		{"db", `{"limit":10}`, 0, 4},
		{"db", `{"limit":1e1}`, 0, 0}, // another spelling: asks rather than allows
	}
	id := func(r *Rule) int64 {
		if r == nil {
			return 0
		}
		return r.ID
	}
	for _, tt := range tests {
		v := Evaluate(rules, tt.server, "t", json.RawMessage(tt.args))
		if id(v.Deny) != tt.deny || id(v.Allow) != tt.allow {
			t.Errorf("%s %s: deny=%d allow=%d, want %d %d", tt.server, tt.args, id(v.Deny), id(v.Allow), tt.deny, tt.allow)
		}
	}
}

func TestValidateFailsClosed(t *testing.T) {
	good := Rule{Server: "fs", Tool: "read_*", Args: map[string]string{"path": "/tmp/*", "opts.mode": "r?"}, Action: Allow}
	if err := good.Validate(); err != nil {
		t.Fatalf("valid rule refused: %v", err)
	}
	for _, c := range []struct {
		r    Rule
		want string
	}{
		{Rule{Server: "fs", Tool: "x", Action: "allw"}, `action "allw"`},
		{Rule{Server: "fs", Tool: "x", Action: Deny, UpTo: Write}, "allow rules only"},
		{Rule{Server: "fs", Tool: "x", Action: Allow, UpTo: "all"}, `upTo "all"`},
		{Rule{Tool: "x", Action: Allow}, `needs "server"`},
		{Rule{Server: "fs", Action: Allow}, `needs "tool"`},
		{Rule{Server: "fs", Tool: "read\u202e_*", Action: Allow}, "invisible character U+202E"},
		{Rule{Server: "f\x00s", Tool: "x", Action: Allow}, "invisible character U+0000"},
		{Rule{Server: "fs", Tool: "x\xff", Action: Allow}, "not valid UTF-8"},
		{Rule{Server: "fs", Tool: strings.Repeat("a", 1025), Action: Allow}, "longer than 1024"},
		{Rule{Server: "fs", Tool: "x", Args: map[string]string{"": "*"}, Action: Allow}, "argument key"},
		{Rule{Server: "fs", Tool: "x", Args: map[string]string{"a..b": "*"}, Action: Allow}, "argument key"},
		{Rule{Server: "fs", Tool: "x", Args: map[string]string{"path": "/tmp/\u200b*"}, Action: Allow}, "invisible character U+200B"},
	} {
		if err := c.r.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Validate(%+v) = %v, want %q", c.r, err, c.want)
		}
	}
}

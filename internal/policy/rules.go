// Package policy holds the rules of the checkpoint that are not about what a
// tool does: user rules, allowed roots, and rate limits.
package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Action is what a rule does to a matching call.
type Action string

const (
	Allow       Action = "allow"
	Deny        Action = "deny"
	Read        Action = "read" // pin the tier
	Write       Action = "write"
	Destructive Action = "destructive"
)

// Rule pins calls matching a server, a tool glob and optional argument globs
// to an action. Globs know "*" (any run, "/" included) and "?".
type Rule struct {
	ID     int64             `json:"id,omitempty"`
	Server string            `json:"server"`
	Tool   string            `json:"tool"`
	Args   map[string]string `json:"args,omitempty"` // key (dotted for nesting) -> glob on the value as text
	Action Action            `json:"action"`
	// UpTo caps an allow rule at a tier: "write" for a rule made from an
	// "always allow" answer to a write call, so it never runs the same
	// tool's destructive calls unasked. Empty allows every tier.
	UpTo   Action `json:"upTo,omitempty"`
	Source string `json:"source,omitempty"` // "config" or "user"
	Note   string `json:"note,omitempty"`
}

// Validate reports a rule that cannot be applied.
func (r Rule) Validate() error {
	switch r.Action {
	case Allow, Deny, Read, Write, Destructive:
	default:
		return fmt.Errorf(`rule action %q: want allow, deny, read, write or destructive`, r.Action)
	}
	switch r.UpTo {
	case "":
	case Read, Write, Destructive:
		if r.Action != Allow {
			return fmt.Errorf(`rule "upTo" applies to allow rules only, not %q`, r.Action)
		}
	default:
		return fmt.Errorf(`rule upTo %q: want read, write or destructive`, r.UpTo)
	}
	if r.Server == "" {
		return fmt.Errorf(`rule needs "server" ("*" for every server)`)
	}
	if r.Tool == "" {
		return fmt.Errorf(`rule needs "tool" (a glob, "*" for every tool)`)
	}
	for field, p := range map[string]string{"server": r.Server, "tool": r.Tool} {
		if err := checkPattern(p); err != nil {
			return fmt.Errorf("rule %s %q: %w", field, p, err)
		}
	}
	for key, p := range r.Args {
		if key == "" || strings.HasPrefix(key, ".") || strings.HasSuffix(key, ".") || strings.Contains(key, "..") {
			return fmt.Errorf(`rule argument key %q: want a name, or names joined by "." for nested values`, key)
		}
		if err := checkPattern(key); err != nil {
			return fmt.Errorf("rule argument key %q: %w", key, err)
		}
		if err := checkPattern(p); err != nil {
			return fmt.Errorf("rule argument %q pattern %q: %w", key, p, err)
		}
	}
	return nil
}

// maxPattern bounds a glob; a longer one is a paste gone wrong.
const maxPattern = 1024

// checkPattern refuses globs that cannot mean what a person typed: control,
// format (bidi, zero-width) characters and invalid UTF-8 look like nothing
// or like something else on screen, so the rule a person reads would not
// be the rule that runs.
func checkPattern(p string) error {
	if !utf8.ValidString(p) {
		return fmt.Errorf("not valid UTF-8")
	}
	if utf8.RuneCountInString(p) > maxPattern {
		return fmt.Errorf("longer than %d characters", maxPattern)
	}
	for _, r := range p {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return fmt.Errorf("contains the invisible character U+%04X", r)
		}
	}
	return nil
}

// String describes the rule for reasons and logs.
func (r Rule) String() string {
	s := fmt.Sprintf("%s %s/%s", r.Action, r.Server, r.Tool)
	if r.UpTo != "" {
		s = fmt.Sprintf("allow up to %s %s/%s", r.UpTo, r.Server, r.Tool)
	}
	if len(r.Args) > 0 {
		data, _ := json.Marshal(r.Args)
		s += " " + string(data)
	}
	if r.ID != 0 {
		s = fmt.Sprintf("rule #%d: %s", r.ID, s)
	}
	return s
}

// Matches reports whether the rule applies to a call. Argument globs are
// matched against the decoded arguments (numbers as json.Number); a missing
// key never matches.
//
// A value can be spelled several ways that mean the same to the server: a
// path with "..", "//" or "./", "~" for the home folder, a number as written
// or as a float. Rules that restrict (deny, destructive) match when any
// spelling matches; rules that relax (allow, read, write) only when every
// spelling does, so "/tmp/../etc/passwd" is not under an allow rule for
// "/tmp/*" and is under a deny rule for "/etc/*".
func (r Rule) Matches(server, tool string, args map[string]any) bool {
	if !Glob(r.Server, server) || !Glob(r.Tool, tool) {
		return false
	}
	strict := r.Action == Allow || r.Action == Read || r.Action == Write
	for key, pattern := range r.Args {
		forms, ok := lookup(args, key)
		if !ok || !matchForms(patternForms(pattern), forms, strict) {
			return false
		}
	}
	return true
}

func matchForms(patterns, forms []string, all bool) bool {
	one := func(f string) bool {
		for _, p := range patterns {
			if Glob(p, f) {
				return true
			}
		}
		return false
	}
	for _, f := range forms {
		if one(f) != all {
			return !all
		}
	}
	return all
}

// patternForms adds the home folder spelled out to a pattern that starts
// with "~", to compare with values whose "~" was expanded.
func patternForms(pattern string) []string {
	if pattern == "~" || strings.HasPrefix(pattern, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return []string{pattern, home + pattern[1:]}
		}
	}
	return []string{pattern}
}

// Verdict is what the rules say about one call.
type Verdict struct {
	Deny  *Rule // a deny rule matched: it wins over everything
	Allow *Rule // an allow rule matched (the first; see AllowFor)
	Tier  *Rule // a tier rule matched (the most severe one)

	allows []*Rule
}

// AllowFor returns the first matching allow rule that covers a call of
// tier ("read", "write" or "destructive"), or nil.
func (v Verdict) AllowFor(tier string) *Rule {
	for _, r := range v.allows {
		if r.UpTo == "" || severity(Action(tier)) <= severity(r.UpTo) {
			return r
		}
	}
	return nil
}

// Evaluate applies every rule to a call.
func Evaluate(rules []Rule, server, tool string, args json.RawMessage) Verdict {
	var decoded map[string]any
	dec := json.NewDecoder(bytes.NewReader(args))
	dec.UseNumber()          // big integers keep their digits
	_ = dec.Decode(&decoded) // non-object arguments match only rules without Args
	var v Verdict
	for i := range rules {
		r := &rules[i]
		if !r.Matches(server, tool, decoded) {
			continue
		}
		switch r.Action {
		case Deny:
			if v.Deny == nil {
				v.Deny = r
			}
		case Allow:
			if v.Allow == nil {
				v.Allow = r
			}
			v.allows = append(v.allows, r)
		default:
			if v.Tier == nil || severity(r.Action) > severity(v.Tier.Action) {
				v.Tier = r
			}
		}
	}
	return v
}

func severity(a Action) int {
	switch a {
	case Read:
		return 0
	case Write:
		return 1
	}
	return 2
}

// lookup finds a dotted key and renders its value as text: every spelling
// of it (see Matches), the value as written first.
func lookup(args map[string]any, key string) ([]string, bool) {
	var cur any = args
	for _, part := range strings.Split(key, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[part]; !ok {
			return nil, false
		}
	}
	switch x := cur.(type) {
	case string:
		// expand succeeds only for paths: absolute, "~" or file: URIs.
		if p, err := expand(x); err == nil {
			if clean := filepath.Clean(p); clean != x {
				return []string{x, clean}, true
			}
		}
		return []string{x}, true
	case json.Number:
		forms := []string{string(x)}
		if f, err := x.Float64(); err == nil {
			if s := strconv.FormatFloat(f, 'f', -1, 64); s != string(x) {
				forms = append(forms, s)
			}
		}
		return forms, true
	case bool:
		return []string{strconv.FormatBool(x)}, true
	case nil:
		return []string{"null"}, true
	default:
		data, _ := json.Marshal(x)
		return []string{string(data)}, true
	}
}

// Glob matches s against a pattern of literal text, "*" (any run) and "?"
// (one character). Iterative, linear-ish: hostile patterns cannot blow up.
func Glob(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	pi, ti := 0, 0
	star, mark := -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == t[ti]):
			pi++
			ti++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ti
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

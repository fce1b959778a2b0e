package hostconfig

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/tailscale/hujson"
)

// A host config is edited as its syntax tree (hujson's), so everything
// outside the edit stays as written: comments, blank lines, indentation,
// trailing commas. The object type decides what the servers object holds;
// splice then rebuilds only that object's members, reusing each unchanged
// member's own text (and the comments before it).

// maxDepth bounds the nesting of a file given to hujson, whose parser
// recurses without a limit; it is encoding/json's own limit.
const maxDepth = 10000

// parseText reads a host config's text into its tree and the same text as
// standard JSON (comments and trailing commas blanked, offsets kept).
// Comments and trailing commas pass only for a host that reads them.
func parseText(h Host, data []byte) (hujson.Value, []byte, error) {
	valid := json.Valid(data)
	if !valid {
		if err := checkDepth(data); err != nil {
			return hujson.Value{}, nil, fmt.Errorf("is not valid JSON (%v): not touching it", err)
		}
	}
	doc, perr := hujson.Parse(bytes.Clone(data)) // the tree aliases its input
	if !valid && (perr != nil || !h.Comments) {
		var v any
		err := json.Unmarshal(data, &v)
		what, hint := "JSON", "fix it or restore a backup"
		switch {
		case h.Comments:
			what, err = "JSON with comments", perr
		case perr == nil:
			hint = "it has comments or trailing commas, which " + h.Name + " does not read: remove them"
		}
		return hujson.Value{}, nil, fmt.Errorf("is not valid %s (%v): not touching it; %s", what, err, hint)
	}
	if perr != nil { // valid JSON that hujson refuses: not known to happen
		return hujson.Value{}, nil, fmt.Errorf("cannot be read (%v): not touching it", perr)
	}
	if valid {
		return doc, data, nil
	}
	std, _ := hujson.Parse(bytes.Clone(data)) // not Clone: it drops a trailing comma with no space before it
	std.Standardize()
	return doc, std.Pack(), nil
}

// checkDepth refuses text nested deeper than maxDepth, skipping strings
// and comments as hujson does.
func checkDepth(data []byte) error {
	depth := 0
	for i := 0; i < len(data); i++ {
		switch c := data[i]; {
		case c == '"':
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
		case c == '/' && i+1 < len(data) && data[i+1] == '/':
			for i < len(data) && data[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(data) && data[i+1] == '*':
			end := bytes.Index(data[i+2:], []byte("*/"))
			if end < 0 {
				return nil // unterminated: hujson says so without recursing
			}
			i += 2 + end + 1
		case c == '{' || c == '[':
			if depth++; depth > maxDepth {
				return fmt.Errorf("nested deeper than %d", maxDepth)
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return nil
}

// layout is how a fresh member is written: at indent, in unit steps, or on
// one line (flat) in a file written on one line.
type layout struct {
	indent, closing, unit string
	flat                  bool
}

// splice writes the edited root (whose key holds the servers) into the
// tree. spare holds members from an install backup that uninstall puts
// back: one whose value is the one restored comes back with its comments.
func splice(doc *hujson.Value, key string, root *object, spare map[string]hujson.ObjectMember, unit string, flat bool) error {
	top, ok := doc.Value.(*hujson.Object)
	if !ok {
		return errors.New("not an object")
	}
	servers, _, err := root.child(key)
	if err != nil || servers == nil {
		return fmt.Errorf("no %q object to write", key)
	}
	outer := memberIndent(top, unit)
	for i := len(top.Members) - 1; i >= 0; i-- {
		if top.Members[i].Name.Value.(hujson.Literal).String() != key {
			continue
		}
		// The last of duplicate keys is the one hosts (JSON.parse) read.
		inner, ok := top.Members[i].Value.Value.(*hujson.Object)
		if !ok {
			return fmt.Errorf("%q is not an object", key)
		}
		setMembers(inner, servers, spare, layout{memberIndent(inner, outer+unit), outer, unit, flat})
		return nil
	}
	setMembers(top, root, nil, layout{outer, "", unit, flat})
	return nil
}

// setMembers makes obj's members m's keys and values, in m's order. A
// member whose value is unchanged keeps its text; one whose value changed
// keeps its name's text (and the comments before it) with the new value
// written fresh; a new one is written fresh. Whether the last member has
// a trailing comma stays as it was.
func setMembers(obj *hujson.Object, m *object, spare map[string]hujson.ObjectMember, l layout) {
	trailing := len(obj.Members) > 0 && obj.Members[len(obj.Members)-1].Value.AfterExtra != nil
	if len(obj.Members) > 0 {
		l.flat = !bytes.Contains(obj.Members[0].Name.BeforeExtra, []byte("\n"))
	}
	old := map[string]hujson.ObjectMember{}
	for _, mem := range obj.Members {
		old[mem.Name.Value.(hujson.Literal).String()] = mem // the last duplicate wins
	}
	var out []hujson.ObjectMember
	for _, k := range m.keys {
		raw := m.vals[k]
		mem, had := old[k]
		switch back, ok := spare[k]; {
		case had && sameValue(mem.Value, raw):
		case !had && ok && sameValue(back.Value, raw):
			mem = back // each backup's tree is its own, used once
		case had:
			fresh := freshMember(k, raw, l, obj)
			mem.Value = hujson.Value{BeforeExtra: fresh.Value.BeforeExtra, Value: fresh.Value.Value, AfterExtra: mem.Value.AfterExtra}
		default:
			mem = freshMember(k, raw, l, obj)
		}
		mem.Value.AfterExtra = bytes.Clone(mem.Value.AfterExtra) // edited below
		out = append(out, mem)
	}
	if n := len(out); n > 0 {
		last := &out[n-1].Value
		switch {
		case trailing && last.AfterExtra == nil:
			last.AfterExtra = hujson.Extra{}
		case !trailing && last.AfterExtra != nil:
			obj.AfterExtra = append(last.AfterExtra, obj.AfterExtra...)
			last.AfterExtra = nil
		}
		if len(obj.Members) == 0 && !l.flat && !bytes.Contains(obj.AfterExtra, []byte("\n")) {
			// The closing brace of a formerly empty object goes on its own
			// line, after any comment that was inside it.
			obj.AfterExtra = hujson.Extra(strings.TrimRight(string(obj.AfterExtra), " \t") + "\n" + l.closing)
		}
	} else if obj.AfterExtra.IsStandard() {
		obj.AfterExtra = nil // an emptied object reads {}
	}
	obj.Members = out
}

// freshMember is key: raw written at l's indent, or on one line spaced as
// obj's first member is.
func freshMember(key string, raw json.RawMessage, l layout, obj *hujson.Object) hujson.ObjectMember {
	var b bytes.Buffer
	before, space := hujson.Extra("\n"+l.indent), hujson.Extra(" ")
	if l.flat {
		json.Compact(&b, raw)
		before, space = nil, nil
		if len(obj.Members) > 0 && obj.Members[0].Name.BeforeExtra.IsStandard() && obj.Members[0].Value.BeforeExtra.IsStandard() {
			before, space = obj.Members[0].Name.BeforeExtra, obj.Members[0].Value.BeforeExtra
		}
	} else {
		json.Indent(&b, raw, l.indent, l.unit)
	}
	v, err := hujson.Parse(b.Bytes())
	if err != nil { // raw came from a decoder or json.Marshal: always valid
		v = hujson.Value{Value: hujson.Literal("null")}
	}
	v.BeforeExtra = bytes.Clone(space)
	return hujson.ObjectMember{
		Name:  hujson.Value{BeforeExtra: bytes.Clone(before), Value: hujson.String(key)},
		Value: v,
	}
}

// sameValue reports whether a member's value is raw, as text: comments,
// space and trailing commas aside.
func sameValue(v hujson.Value, raw json.RawMessage) bool {
	c := v.Clone()
	c.Minimize()
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return false
	}
	return bytes.Equal(c.Pack(), b.Bytes())
}

// memberIndent is the indentation of obj's first member (the white space
// ending the space before its name), or fallback.
func memberIndent(obj *hujson.Object, fallback string) string {
	if len(obj.Members) == 0 {
		return fallback
	}
	before := string(obj.Members[0].Name.BeforeExtra)
	i := strings.LastIndexByte(before, '\n')
	if i < 0 || strings.Trim(before[i+1:], " \t") != "" {
		return fallback
	}
	return before[i+1:]
}

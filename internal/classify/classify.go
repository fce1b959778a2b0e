// Package classify decides how dangerous a tool call is: read, write or
// destructive, with reasons a person can read in two seconds.
//
// Signals, strongest first: argument inspectors (package inspect: SQL,
// shell, HTTP methods, operation arguments, browser code); the tool's name
// and title (every word, in any case style, not just the first); its
// description (the opening verb, verbs joined to it, and warnings such as
// "permanently" anywhere); its input schema (operation values, arguments
// that carry SQL, commands or code, output paths); the server's
// annotations. User rules live in the policy layer, above this package.
// Unknown means write.
//
// Definition is a tool's worst plausible use: what `airlock tools` shows and
// the tier a read consent covers. An argument that carries SQL makes a tool
// at least a write ("runs SQL"), one that carries commands or code makes it
// destructive. Call refines the definition with the call's arguments.
// Arguments normally only raise the tier. There are two exceptions, and
// both can lower the tier only to what the arguments themselves say:
//
//   - Runners: tools that exist only to run the thing in one argument
//     (query, execute_sql, run_command, browser_evaluate, pods_exec). Their
//     definition is the worst that argument could do, yet the argument is
//     exactly what will run and the inspector reads it: a SELECT is a read,
//     rm -rf is destructive. When the inspector recognises the runnable
//     argument, its verdict replaces what the name and description say; when
//     it recognises nothing, the definition stands. A tool qualifies only
//     when every word of its name is about running (run_container does not:
//     the image decides what runs), and saving the output to a path is still
//     a write.
//   - Dispatchers: tools whose operation argument picks the action
//     (issue_write with method "create" or "update", label_write with
//     "delete"). The definition takes the worst value the schema lists; a
//     call takes the value it sends, read with the same lexicon as names.
//     The name is set aside only when it says nothing but "do the operation"
//     (write, manage, run, trigger) and the value is one the schema lists;
//     a name that says delete still counts. An unknown value is a write.
//
// Neither exception goes below what the annotations claim as destructive:
// a server that says its tool destroys things is believed whatever the
// arguments look like. Annotations never lower anything (invariant 4): a
// read-only claim on a tool whose name says delete is reported and ignored.
// Lowering is safe because the inspector sees exactly the bytes the
// upstream will receive (the decision binds to the argument hash), and
// every other signal still raises: a read name with DROP TABLE in its SQL
// is destructive, and so is any argument the inspector finds destructive.
//
// Choices a reader might not guess: download and export read unless the
// schema has an output path; install, upgrade, build, apply and deploy are
// destructive (they run or replace code); cancel is destructive (a
// cancelled subscription cannot come back); a money object (create_refund,
// capture_payment) or a deployment object (create_deployment) makes a
// write verb destructive; a verb's object can also make it a read
// (resolve_library_id, open_nodes, mouse_move).
package classify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/airlock-dev/airlock/internal/inspect"
)

// Tier is how dangerous a call is.
type Tier = inspect.Tier

// The tiers, weakest first.
const (
	Read        = inspect.Read
	Write       = inspect.Write
	Destructive = inspect.Destructive
)

// ParseTier reads "read", "write" or "destructive".
func ParseTier(s string) (Tier, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "read":
		return Read, nil
	case "write":
		return Write, nil
	case "destructive":
		return Destructive, nil
	}
	return Write, fmt.Errorf("unknown tier %q (want read, write or destructive)", s)
}

// Annotations are the server's hints. nil means absent, and absent is not
// false: the spec gives absent hints defaults that a server never chose.
type Annotations struct {
	ReadOnlyHint    *bool `json:"readOnlyHint,omitempty"`
	DestructiveHint *bool `json:"destructiveHint,omitempty"`
	IdempotentHint  *bool `json:"idempotentHint,omitempty"`
	OpenWorldHint   *bool `json:"openWorldHint,omitempty"`
}

// Tool is a tool's definition as its server lists it.
type Tool struct {
	Name        string          `json:"name"`
	Title       string          `json:"title,omitempty"`
	Description string          `json:"description,omitempty"`
	InputSchema json.RawMessage `json:"inputSchema,omitempty"`
	Annotations *Annotations    `json:"annotations,omitempty"`
}

// Result is a tier and the reasons for it, strongest signal first.
type Result struct {
	Tier    Tier
	Reasons []string
}

type signal struct {
	tier   Tier
	reason string
}

// reading is everything the definition says, kept apart so Call can
// replace the parts that arguments refine.
type reading struct {
	name    nameReading
	schema  *schemaReading
	runner  bool     // exists only to run one argument (see runner.go)
	generic bool     // the name's verbs only say "do the operation" (manage, run, write)
	words   []signal // name, title and the description's opening verb
	phrases []signal // warnings anywhere in the description
	ops     []signal // worst operation values
	runs    []signal // runnable arguments
	saves   []signal // download/export with an output path
}

// Definition classifies a tool from its definition alone.
func Definition(t Tool) Result {
	r := read(t)
	sigs := make([]signal, 0, 8)
	sigs = append(sigs, r.words...)
	sigs = append(sigs, r.phrases...)
	sigs = append(sigs, r.runs...)
	sigs = append(sigs, r.ops...)
	sigs = append(sigs, r.saves...)
	return finish(sigs, t.Annotations, true)
}

// Call classifies one call: the definition refined by the arguments (see
// the package comment for when arguments may lower it).
func Call(t Tool, args json.RawMessage) Result {
	r := read(t)
	sigs := make([]signal, 0, 10)
	// Decode the arguments only when something here reads them by name;
	// the inspector walks them anyway.
	var argMap map[string]json.RawMessage
	argsOK := true
	trimmed := bytes.TrimSpace(args)
	present := len(trimmed) > 0 && !bytes.Equal(trimmed, []byte("null"))
	switch {
	case !present:
	case trimmed[0] != '{':
		argsOK = false
	case r.runner || len(r.schema.ops) > 0 || len(r.schema.paths) > 0:
		argsOK = json.Unmarshal(trimmed, &argMap) == nil
	}

	// Argument inspectors over everything: they only raise.
	full := inspect.Args(args)
	for _, reason := range full.Reasons {
		sigs = append(sigs, signal{full.Tier, reason})
	}
	if !argsOK {
		sigs = append(sigs, signal{Write, "arguments are not a JSON object: treated as write"})
	}

	// Runners: the inspector's reading of the runnable argument replaces
	// the name and description.
	refined := false
	if r.runner && argMap != nil {
		sub := map[string]json.RawMessage{}
		for _, ra := range r.schema.runnable {
			if v, ok := argMap[ra.key]; ok {
				sub[ra.key] = v
			}
		}
		if len(sub) > 0 {
			f := full // the runnable arguments are all there is
			if len(sub) < len(argMap) {
				raw, _ := json.Marshal(sub)
				f = inspect.Args(raw)
			}
			if len(f.Reasons) > 0 {
				refined = true
				for _, reason := range f.Reasons {
					sigs = append(sigs, signal{f.Tier, reason})
				}
				// What runs may only read, but saving its output is a write.
				for _, key := range r.schema.outputs {
					var p string
					if json.Unmarshal(argMap[key], &p) == nil && p != "" && normKey(key) != "filename" {
						sigs = append(sigs, signal{Write, "writes to " + p})
					}
				}
			}
		}
	}
	// Dispatchers: the operation actually sent replaces the worst listed
	// one, and replaces a name that only says "do it" (label_write,
	// actions_run_trigger) when the value is one the schema offers.
	opsDone := map[string]bool{}
	dispatched := false
	for _, op := range r.schema.ops {
		raw, ok := argMap[op.key]
		if !ok {
			continue
		}
		opsDone[op.key] = true
		var v string
		if json.Unmarshal(raw, &v) != nil || strings.TrimSpace(v) == "" {
			sigs = append(sigs, signal{Write, op.key + " is not a word: treated as write"})
			continue
		}
		s, known := opSignal(op.key, v)
		sigs = append(sigs, s)
		if known && r.generic && slices.ContainsFunc(op.values, func(o string) bool { return strings.EqualFold(o, v) }) {
			dispatched = true
		}
	}
	for i, s := range r.ops {
		if !opsDone[r.schema.ops[i].key] {
			sigs = append(sigs, s)
		}
	}
	if !refined {
		if !dispatched {
			sigs = append(sigs, r.words...)
		}
		sigs = append(sigs, r.phrases...)
		sigs = append(sigs, r.runs...)
	} else {
		for _, s := range r.phrases {
			if !strings.Contains(s.reason, " runs ") {
				sigs = append(sigs, s)
			}
		}
	}
	sigs = append(sigs, r.saves...)

	res := finish(sigs, t.Annotations, !refined)

	// Path writes: say where a writing call writes.
	if res.Tier >= Write && argMap != nil && !r.name.code {
		for _, key := range r.schema.paths {
			var p string
			if json.Unmarshal(argMap[key], &p) == nil && p != "" {
				if len(r.saves) > 0 || r.name.tier == Write {
					res.Reasons = appendReason(res.Reasons, "writes to "+p)
				}
				break
			}
		}
	}
	return res
}

// readings caches what definitions say: the proxy classifies the same few
// tools over and over, and only the arguments change between calls.
var readings = struct {
	sync.RWMutex
	m map[readingKey]*cachedReading
}{m: map[readingKey]*cachedReading{}}

type readingKey struct{ name, title, desc string }

type cachedReading struct {
	schema []byte
	r      *reading
}

const readingsMax = 4096

// read gathers what the definition says, from the cache when it can.
func read(t Tool) *reading {
	key := readingKey{t.Name, t.Title, t.Description}
	readings.RLock()
	c, ok := readings.m[key]
	readings.RUnlock()
	if ok && bytes.Equal(c.schema, t.InputSchema) {
		return c.r
	}
	r := readUncached(t)
	readings.Lock()
	if len(readings.m) >= readingsMax {
		clear(readings.m)
	}
	readings.m[key] = &cachedReading{schema: bytes.Clone(t.InputSchema), r: r}
	readings.Unlock()
	return r
}

func readUncached(t Tool) *reading {
	r := &reading{}
	ws := words(t.Name)
	r.name = readName(ws, "name")
	var title nameReading
	if t.Title != "" {
		title = readName(words(t.Title), "title")
	}
	desc := readDescription(t.Description)
	r.words = append(r.words, r.name.signals...)
	for _, sg := range title.signals {
		// "Delete file" as a title repeats the name: say it once.
		dup := false
		for _, n := range r.name.signals {
			dup = dup || strings.TrimPrefix(n.reason, "name ") == strings.TrimPrefix(sg.reason, "title ")
		}
		if !dup {
			r.words = append(r.words, sg)
		}
	}
	for i, sg := range desc.lead {
		// "create_branch: Create branch" says create once.
		if !slices.Contains(r.name.verbs, desc.verbs[i]) && !slices.Contains(title.verbs, desc.verbs[i]) {
			r.words = append(r.words, sg)
		}
	}
	r.phrases = desc.phrases
	if !r.name.found && !title.found && !desc.found {
		r.words = append(r.words, signal{Write, "no verb in the name or description: treated as write"})
	}
	r.generic = true
	for _, v := range r.name.verbs {
		r.generic = r.generic && genericVerbs[v]
	}

	sqlCtx := mentionsSQL(ws, t.Description)
	evalCtx := r.name.code || strings.Contains(strings.ToLower(t.Description), "javascript")
	r.schema = readSchema(t.InputSchema, sqlCtx, evalCtx)

	kinds := map[string]bool{}
	for _, ra := range r.schema.runnable {
		if kinds[ra.kind] {
			continue
		}
		kinds[ra.kind] = true
		tier := Destructive
		if ra.kind == "SQL" {
			tier = Write // SQL runs inside a database; the statement decides
		}
		r.runs = append(r.runs, signal{tier, "runs " + ra.kind + " from its " + ra.key + " argument; each call is judged on what it runs"})
	}
	r.runner = len(r.schema.runnable) > 0 && runnerName(ws)

	for _, op := range r.schema.ops {
		worst, worstValue := signal{Read, ""}, ""
		for _, v := range op.values {
			if s, _ := opSignal(op.key, v); s.tier > worst.tier || worst.reason == "" {
				worst, worstValue = s, v
			}
		}
		if worst.reason != "" {
			r.ops = append(r.ops, signal{worst.tier, "its " + op.key + " argument can be \"" + worstValue + "\""})
		}
	}

	if (r.name.saves || title.saves) && len(r.schema.outputs) > 0 {
		r.saves = append(r.saves, signal{Write, "saves a file (" + r.schema.outputs[0] + ")"})
	}
	return r
}

package scan

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/airlock-dev/airlock/internal/summary"
)

// Bounds on a schema walk: a schema larger or deeper than this is itself a
// finding, since what is not scanned could hide anything.
const (
	maxSchemaBytes   = 4 << 20
	maxSchemaDepth   = 64
	maxSchemaStrings = 10000
)

// schemaText are the schema keywords whose strings the model reads.
var schemaText = map[string]bool{"description": true, "title": true, "default": true, "examples": true,
	"example": true, "const": true, "enum": true, "$comment": true}

// Definition scans a tool definition: its name, title and description, and
// the descriptions, titles, defaults, examples, enum values and property
// names inside its input and output schemas.
func Definition(name, title, description string, inputSchema, outputSchema json.RawMessage) []Finding {
	var out []Finding
	out = append(out, scanText(name, "name", "")...)
	out = append(out, scanText(title, "title", name)...)
	out = append(out, scanText(description, "description", name)...)
	out = append(out, schema(inputSchema, "inputSchema", name)...)
	out = append(out, schema(outputSchema, "outputSchema", name)...)
	return dedupe(out)
}

func schema(raw json.RawMessage, where, self string) []Finding {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if len(raw) > maxSchemaBytes {
		return []Finding{{Kind: HiddenText, Where: where, Detail: "schema of " + sizeWords(len(raw)) + ", too large to scan"}}
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return []Finding{{Kind: HiddenText, Where: where, Detail: "schema is not valid JSON, not scanned"}}
	}
	w := walker{self: self}
	w.walk(v, where, 0, false)
	return w.out
}

type walker struct {
	self    string
	out     []Finding
	strings int
	deep    bool
}

// walk visits a schema value; text reports that strings here are read by
// the model (inside description, default, examples...).
func (w *walker) walk(v any, where string, depth int, text bool) {
	if depth > maxSchemaDepth {
		if !w.deep {
			w.deep = true
			w.out = append(w.out, Finding{Kind: HiddenText, Where: where, Detail: "schema nested deeper than " + strconv.Itoa(maxSchemaDepth) + " levels, not scanned below"})
		}
		return
	}
	switch v := v.(type) {
	case string:
		if text && w.budget() {
			w.out = append(w.out, scanText(v, where, w.self)...)
		}
	case []any:
		for i, item := range v {
			w.walk(item, where+"["+strconv.Itoa(i)+"]", depth+1, text)
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			path := where + "." + pathKey(k)
			if strings.HasSuffix(where, ".properties") && w.budget() {
				// Property names reach the model too; check their characters.
				for _, f := range chars(k) {
					f.Where = path
					w.out = append(w.out, f)
				}
			}
			w.walk(v[k], path, depth+1, text || schemaText[k] && !strings.HasSuffix(where, ".properties"))
		}
	}
}

func (w *walker) budget() bool {
	w.strings++
	if w.strings == maxSchemaStrings {
		w.out = append(w.out, Finding{Kind: HiddenText, Detail: "schema holds more than " + strconv.Itoa(maxSchemaStrings) + " strings, not scanned further"})
	}
	return w.strings < maxSchemaStrings
}

// pathKey writes a property name into a Where path, visibly.
func pathKey(k string) string {
	if len(k) > 64 {
		k = k[:64] + "…"
	}
	return summary.Visible(k)
}

func dedupe(fs []Finding) []Finding {
	seen := map[Finding]bool{}
	out := fs[:0]
	for _, f := range fs {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

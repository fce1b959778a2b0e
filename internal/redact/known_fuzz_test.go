package redact

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzKnownJSON checks Known.JSON's promises for any document and value:
// valid JSON stays valid, and no decoded string (key or value) still holds
// the value when the document carried it as a JSON encoder writes it.
func FuzzKnownJSON(f *testing.F) {
	f.Add(`{"a":"x"}`, "secret-1")
	f.Add(`["<b>&amp;","\u00e9"]`, `s"<&é`)
	f.Add(`{"n":12345678}`, "12345678")
	f.Fuzz(func(t *testing.T, doc, value string) {
		// A value made of the placeholder's own text ("REDACTED", "D]x")
		// can be spelled again by a placeholder and its neighbour: that is
		// not the original leaking, so such values are not checked.
		if len(value) < 4 || !json.Valid([]byte(doc)) || strings.ContainsAny(value, "[]") || strings.Contains(Placeholder, value) {
			return
		}
		var v any
		if json.Unmarshal([]byte(doc), &v) != nil {
			return
		}
		// Put the value inside the document the way a server echoing it
		// would: as a string next to whatever was there.
		raw, err := json.Marshal(map[string]any{"doc": v, "echo": "it was " + value + "!"})
		if err != nil {
			return
		}
		k := NewKnown()
		k.Add(value)
		out := k.JSON(raw)
		if !json.Valid(out) {
			t.Fatalf("JSON(%s) = %s: not valid", raw, out)
		}
		var got any
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatal(err)
		}
		var walk func(any)
		walk = func(x any) {
			switch x := x.(type) {
			case string:
				if strings.Contains(x, value) {
					t.Fatalf("value %q survives in %q (from %s)", value, x, raw)
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			case map[string]any:
				for key, e := range x {
					walk(key)
					walk(e)
				}
			}
		}
		walk(got)
	})
}

package redact

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// FuzzArguments checks the two promises Arguments makes for any input: the
// output is valid JSON, and a secret placed next to the input never survives.
// Seeds live in testdata/fuzz/FuzzArguments.
func FuzzArguments(f *testing.F) {
	f.Add([]byte(`{"path":"/tmp/x","password":"hunter2"}`))
	plantedPlain := "planted-" + "Pl4inS3cret"
	plantedToken := "ghp_" + "PLANTEDtoken0123456789abcdefABCDEF"
	f.Fuzz(func(t *testing.T, raw []byte) {
		out := Arguments(raw)
		if !json.Valid(out) || !utf8.Valid(out) {
			t.Fatalf("Arguments(%q) = %q: not valid UTF-8 JSON", raw, out)
		}
		if bytes.Contains(raw, []byte("planted")) || bytes.Contains(raw, []byte("PLANTED")) {
			return // the input itself carries the marker; nothing to conclude
		}
		nested := json.RawMessage("null")
		if json.Valid(raw) {
			nested = raw
		}
		doc, err := json.Marshal(map[string]any{
			"text":     string(raw),
			"password": plantedPlain,
			"note":     string(raw) + " " + plantedToken,
			"nested":   nested,
			"headers":  []map[string]string{{"name": "X-Api-Key", "value": plantedPlain}},
		})
		if err != nil {
			t.Fatal(err)
		}
		out = Arguments(doc)
		if !json.Valid(out) {
			t.Fatalf("output not valid JSON for %q: %q", doc, out)
		}
		for _, secret := range []string{plantedPlain, plantedToken, "PLANTED"} {
			if bytes.Contains(out, []byte(secret)) {
				t.Fatalf("planted %q survived in %s", secret, out)
			}
		}
	})
}

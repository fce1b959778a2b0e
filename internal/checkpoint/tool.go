package checkpoint

import (
	"encoding/json"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/airlock-dev/airlock/internal/argshash"
	"github.com/airlock-dev/airlock/internal/classify"
	"github.com/airlock-dev/airlock/internal/scan"
)

// Tool is what the checkpoint knows about one upstream tool, computed once
// each time the upstream lists it.
type Tool struct {
	Server     string
	Def        *mcp.Tool       // as the upstream defines it (untrusted)
	Definition string          // the JSON the hash covers, kept for diffs
	DefHash    string          // hash of name, title, description, schemas, annotations
	Class      classify.Result // the tier from the definition alone
	Findings   []string        // injection markers in the definition
}

// NewTool classifies and fingerprints an upstream tool definition.
func NewTool(server string, def *mcp.Tool) *Tool {
	t := &Tool{Server: server, Def: def}
	pinned := struct {
		Name         string               `json:"name"`
		Title        string               `json:"title,omitempty"`
		Description  string               `json:"description,omitempty"`
		InputSchema  any                  `json:"inputSchema,omitempty"`
		OutputSchema any                  `json:"outputSchema,omitempty"`
		Annotations  *mcp.ToolAnnotations `json:"annotations,omitempty"`
	}{def.Name, def.Title, def.Description, def.InputSchema, def.OutputSchema, def.Annotations}
	data, err := json.Marshal(pinned)
	if err != nil {
		data = []byte(`{"name":` + jsonString(def.Name) + `}`)
	}
	if canon, err := argshash.Canonical(data); err == nil {
		data = canon
	}
	t.Definition = string(data)
	t.DefHash, _ = argshash.Of(data)
	t.Class = classify.Definition(t.classifyTool())
	inSchema, _ := json.Marshal(def.InputSchema)
	var outSchema []byte
	if def.OutputSchema != nil {
		outSchema, _ = json.Marshal(def.OutputSchema)
	}
	for _, f := range scan.Definition(def.Name, def.Title, def.Description, inSchema, outSchema) {
		t.Findings = append(t.Findings, f.String())
	}
	return t
}

// classifyTool converts the go-sdk definition for the classifier. The
// go-sdk reads an absent readOnlyHint as false; false claims nothing, so
// that loses no signal.
func (t *Tool) classifyTool() classify.Tool {
	ct := classify.Tool{Name: t.Def.Name, Title: t.Def.Title, Description: t.Def.Description}
	ct.InputSchema, _ = json.Marshal(t.Def.InputSchema)
	if a := t.Def.Annotations; a != nil {
		ca := &classify.Annotations{DestructiveHint: a.DestructiveHint, OpenWorldHint: a.OpenWorldHint}
		if a.ReadOnlyHint {
			ca.ReadOnlyHint = ptr(true)
		}
		if a.IdempotentHint {
			ca.IdempotentHint = ptr(true)
		}
		ct.Annotations = ca
		if ct.Title == "" {
			ct.Title = a.Title
		}
	}
	return ct
}

// HostAnnotations are the hints the host sees: Airlock's tier, not the
// server's claims, so the host's own prompt matches what Airlock enforces.
func (t *Tool) HostAnnotations() *mcp.ToolAnnotations {
	out := &mcp.ToolAnnotations{}
	if a := t.Def.Annotations; a != nil {
		out.Title = a.Title
		out.IdempotentHint = a.IdempotentHint
		out.OpenWorldHint = a.OpenWorldHint
	}
	switch t.Class.Tier {
	case classify.Read:
		out.ReadOnlyHint = true
		out.DestructiveHint = ptr(false)
	case classify.Write:
		out.DestructiveHint = ptr(false)
	default:
		out.DestructiveHint = ptr(true)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

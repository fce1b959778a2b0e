package proxy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/yosida95/uritemplate/v3"

	"github.com/airlock-dev/airlock/internal/checkpoint"
)

// target is where an exposed name leads: an upstream and its own name.
type target struct {
	up   *upstream
	name string
	tool *checkpoint.Tool // tools only: what the checkpoint knows of it
}

type templateRoute struct {
	up   *upstream
	tmpl *uritemplate.Template
}

// routes are the lookup tables from what the host sees to the upstream that
// serves it, rebuilt from each upstream's catalog as it changes.
type routes struct {
	mu        sync.RWMutex
	tools     map[string]target        // exposed tool name
	prompts   map[string]target        // exposed prompt name
	resources map[string]*upstream     // resource URI
	templates map[string]templateRoute // URI template text
	// published definitions per upstream, to send only what changed
	published map[*upstream]map[string][]byte
}

func newRoutes() *routes {
	return &routes{
		tools:     map[string]target{},
		prompts:   map[string]target{},
		resources: map[string]*upstream{},
		templates: map[string]templateRoute{},
		published: map[*upstream]map[string][]byte{},
	}
}

func (r *routes) tool(name string) (target, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	t, ok := r.tools[name]
	return t, ok
}

func (r *routes) prompt(name string) (target, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	t, ok := r.prompts[name]
	return t, ok
}

// resourceOwner finds the upstream serving uri: an exact resource first,
// then the first template that matches.
func (r *routes) resourceOwner(uri string) (*upstream, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if u, ok := r.resources[uri]; ok {
		return u, true
	}
	if tr, ok := r.templates[uri]; ok { // completion refs name the template itself
		return tr.up, true
	}
	for _, key := range slices.Sorted(maps.Keys(r.templates)) {
		if tr := r.templates[key]; tr.tmpl.Match(uri) != nil {
			return tr.up, true
		}
	}
	return nil, false
}

// apply publishes u's catalog on the server: it removes what u no longer
// offers and (re)adds what is new or changed, so hosts get list_changed
// notifications only for real changes.
func (r *routes) apply(server *mcp.Server, u *upstream, cat catalog, p *Proxy) {
	r.mu.Lock()
	old := r.published[u]
	next := map[string][]byte{}
	var (
		addTools     []*mcp.Tool
		addPrompts   []*mcp.Prompt
		addResources []*mcp.Resource
		addTemplates []*mcp.ResourceTemplate
		observe      []*checkpoint.Tool
	)
	changed := func(key string, def any) bool {
		data, err := json.Marshal(def)
		if err != nil {
			return false
		}
		next[key] = data
		return !bytes.Equal(old[key], data)
	}

	for _, t := range cat.tools {
		name := exposedName(u.name, t.Name)
		if cur, ok := r.tools[name]; ok && cur.up != u {
			p.log.Warn("tool name taken by another server; skipped", "server", u.name, "tool", t.Name, "exposed", name)
			continue
		}
		if err := checkInputSchema(t.InputSchema); err != nil {
			p.log.Warn("tool has an unusable input schema; skipped", "server", u.name, "tool", t.Name, "err", err)
			continue
		}
		ct := checkpoint.NewTool(u.name, t)
		def := *t
		def.Name = name
		// Hosts see Airlock's tier, not the server's unverified claims.
		def.Annotations = ct.HostAnnotations()
		r.tools[name] = target{u, t.Name, ct}
		if changed("tool\x00"+name, &def) {
			addTools = append(addTools, &def)
			observe = append(observe, ct)
		}
	}
	for _, pr := range cat.prompts {
		name := exposedName(u.name, pr.Name)
		if cur, ok := r.prompts[name]; ok && cur.up != u {
			continue
		}
		def := *pr
		def.Name = name
		r.prompts[name] = target{up: u, name: pr.Name}
		if changed("prompt\x00"+name, &def) {
			addPrompts = append(addPrompts, &def)
		}
	}
	for _, res := range cat.resources {
		if cur, ok := r.resources[res.URI]; ok && cur != u {
			p.log.Warn("resource URI served by another server; skipped", "server", u.name, "uri", res.URI)
			continue
		}
		r.resources[res.URI] = u
		if changed("resource\x00"+res.URI, res) {
			addResources = append(addResources, res)
		}
	}
	for _, t := range cat.templates {
		if cur, ok := r.templates[t.URITemplate]; ok && cur.up != u {
			continue
		}
		tmpl, err := uritemplate.New(t.URITemplate)
		if err != nil {
			p.log.Warn("invalid resource template; skipped", "server", u.name, "template", t.URITemplate, "err", err)
			continue
		}
		r.templates[t.URITemplate] = templateRoute{u, tmpl}
		if changed("template\x00"+t.URITemplate, t) {
			addTemplates = append(addTemplates, t)
		}
	}

	var rmTools, rmPrompts, rmResources, rmTemplates []string
	for key := range old {
		if _, ok := next[key]; ok {
			continue
		}
		kind, name, _ := bytes.Cut([]byte(key), []byte{0})
		switch string(kind) {
		case "tool":
			rmTools = append(rmTools, string(name))
			delete(r.tools, string(name))
		case "prompt":
			rmPrompts = append(rmPrompts, string(name))
			delete(r.prompts, string(name))
		case "resource":
			rmResources = append(rmResources, string(name))
			delete(r.resources, string(name))
		case "template":
			rmTemplates = append(rmTemplates, string(name))
			delete(r.templates, string(name))
		}
	}
	r.published[u] = next
	r.mu.Unlock()

	if len(rmTools) > 0 {
		server.RemoveTools(rmTools...)
	}
	if len(rmPrompts) > 0 {
		server.RemovePrompts(rmPrompts...)
	}
	if len(rmResources) > 0 {
		server.RemoveResources(rmResources...)
	}
	if len(rmTemplates) > 0 {
		server.RemoveResourceTemplates(rmTemplates...)
	}
	// Pin new and changed definitions before they are offered: a changed one
	// then waits for a person on its first call.
	for _, ct := range observe {
		if err := p.opts.Checkpoint.Observe(context.Background(), ct); err != nil {
			p.log.Error("record tool definition", "server", ct.Server, "tool", ct.Def.Name, "err", err)
		}
	}
	for _, t := range addTools {
		safely(p, "add tool "+t.Name, func() { server.AddTool(t, p.callTool) })
	}
	for _, pr := range addPrompts {
		safely(p, "add prompt "+pr.Name, func() { server.AddPrompt(pr, p.getPrompt) })
	}
	for _, res := range addResources {
		safely(p, "add resource "+res.URI, func() { server.AddResource(res, p.readResource) })
	}
	for _, t := range addTemplates {
		safely(p, "add template "+t.URITemplate, func() { server.AddResourceTemplate(t, p.readResource) })
	}
}

// safely runs a go-sdk registration, which panics on definitions it cannot
// serve; one bad upstream definition must not take the proxy down.
func safely(p *Proxy, what string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			p.log.Warn("skipped an upstream definition", "what", what, "err", r)
		}
	}()
	f()
}

// checkInputSchema mirrors the go-sdk's rule that a tool's input schema is a
// JSON object with type "object".
func checkInputSchema(schema any) error {
	data, err := json.Marshal(schema)
	if err != nil {
		return err
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("input schema is not an object")
	}
	if m["type"] != "object" {
		return fmt.Errorf(`input schema type is %v, not "object"`, m["type"])
	}
	return nil
}

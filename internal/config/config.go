// Package config finds Airlock's home folder and reads airlock.json.
//
// The file uses the same "mcpServers" shape as Claude Desktop's config, so a
// user can paste existing entries in unchanged.
package config

import (
	"time"

	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/airlock-dev/airlock/internal/policy"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// FileName is the config file inside the home folder.
const FileName = "airlock.json"

// DBFileName is the SQLite database inside the home folder.
const DBFileName = "airlock.db"

// Server is one upstream MCP server, started as a child process over stdio.
type Server struct {
	Command string            `json:"command"`
	Args    []string          `json:"args,omitempty"`
	Env     map[string]string `json:"env,omitempty"`
	Cwd     string            `json:"cwd,omitempty"`

	// Roots confine the server's path-like arguments to these folders.
	Roots []string `json:"roots,omitempty"`
	// Rules apply to this server's tools only.
	Rules []policy.Rule `json:"rules,omitempty"`
	// RateLimit overrides the default limits.
	RateLimit *policy.Limits `json:"rateLimit,omitempty"`
}

// Defaults for the approval settings.
const (
	DefaultApprovalWait = 45 * time.Second // Claude Desktop abandons a call after about 60 s
	DefaultApprovalTTL  = 10 * time.Minute
	// DefaultRetentionDays is how long calls are kept before pruning.
	DefaultRetentionDays = 90
	// MaxRetentionDays bounds retention at ten years: a larger number is
	// more likely a typo than a wish.
	MaxRetentionDays = 3650
)

// Config is the parsed airlock.json.
type Config struct {
	MCPServers map[string]Server `json:"mcpServers"`

	// Rules apply to every server (each rule names its server or "*").
	Rules []policy.Rule `json:"rules,omitempty"`
	// ApprovalWait is how long a call waits for a person before the model is
	// told to retry; ApprovalTTL how long the request stays answerable.
	ApprovalWait policy.Duration `json:"approvalWait,omitempty"`
	ApprovalTTL  policy.Duration `json:"approvalTTL,omitempty"`
	// Retention is how many days calls are kept (whole days, 1 to
	// MaxRetentionDays); older calls and answered requests are pruned.
	Retention int `json:"retention,omitempty"`
	// Notifications turns the window's desktop notifications on or off
	// (on unless set to false); the window still comes forward.
	Notifications bool `json:"notifications"`

	// Path is the file the config was read from; empty when no file exists.
	Path string `json:"-"`
}

// AllRules returns the global rules followed by every server's own rules.
func (c *Config) AllRules() []policy.Rule {
	out := append([]policy.Rule(nil), c.Rules...)
	for _, name := range c.ServerNames() {
		out = append(out, c.MCPServers[name].Rules...)
	}
	return out
}

// ServerNames returns the configured server names in a stable order.
func (c *Config) ServerNames() []string {
	names := make([]string, 0, len(c.MCPServers))
	for n := range c.MCPServers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Home returns Airlock's home folder: $AIRLOCK_HOME, or the OS user config
// dir + "/airlock".
func Home() (string, error) {
	if h := os.Getenv("AIRLOCK_HOME"); h != "" {
		return filepath.Abs(h)
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find user config dir (set AIRLOCK_HOME to choose a folder): %w", err)
	}
	return filepath.Join(dir, "airlock"), nil
}

// EnsureHome creates the home folder, readable only by the user.
func EnsureHome(home string) error {
	if err := os.MkdirAll(home, 0o700); err != nil {
		return fmt.Errorf("create home folder %s: %w", home, err)
	}
	return nil
}

// DBPath is the database file inside home.
func DBPath(home string) string { return filepath.Join(home, DBFileName) }

// Load reads home/airlock.json. A missing file is an empty config, not an
// error: a fresh install proxies nothing until servers are added.
func Load(home string) (*Config, error) {
	path := filepath.Join(home, FileName)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Parse([]byte("{}")) // the defaults, like a file that sets nothing
	}
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	cfg, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	cfg.Path = path
	return cfg, nil
}

// serverName limits names to what can prefix an exposed tool name
// ("<server>__<tool>", at most 64 characters of [A-Za-z0-9_-]). A name may not
// contain "__" or end in "_", so the first "__" of an exposed name always ends
// the server part and no two servers' tools can collide.
var serverName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$`)

func validServerName(name string) bool {
	return serverName.MatchString(name) && !strings.Contains(name, "__") && !strings.HasSuffix(name, "_")
}

// Parse decodes and validates a config. Errors name the server and field.
func Parse(data []byte) (*Config, error) {
	var raw struct {
		MCPServers   map[string]json.RawMessage `json:"mcpServers"`
		Rules        json.RawMessage            `json:"rules"`
		ApprovalWait json.RawMessage            `json:"approvalWait"`
		ApprovalTTL  json.RawMessage            `json:"approvalTTL"`
		Retention    json.RawMessage            `json:"retention"`
		Notify       json.RawMessage            `json:"notifications"`
	}
	// One object and nothing else: "null" (which decodes as an object that
	// sets nothing) or a second document would drop every rule of a file
	// that a running proxy follows.
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] != '{' && t[0] != '[' {
		return nil, errors.New("invalid JSON: want a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("invalid JSON: more text after the object")
	}
	cfg := &Config{
		MCPServers:    map[string]Server{},
		ApprovalWait:  policy.Duration(DefaultApprovalWait),
		ApprovalTTL:   policy.Duration(DefaultApprovalTTL),
		Retention:     DefaultRetentionDays,
		Notifications: true,
	}
	for field, val := range map[string]struct {
		raw json.RawMessage
		dst *policy.Duration
	}{"approvalWait": {raw.ApprovalWait, &cfg.ApprovalWait}, "approvalTTL": {raw.ApprovalTTL, &cfg.ApprovalTTL}} {
		if len(val.raw) == 0 {
			continue
		}
		if err := json.Unmarshal(val.raw, val.dst); err != nil {
			return nil, fmt.Errorf("field %q: %w", field, err)
		}
		if *val.dst <= 0 {
			return nil, fmt.Errorf("field %q: must be positive", field)
		}
	}
	if time.Duration(cfg.ApprovalTTL) < time.Duration(cfg.ApprovalWait) {
		return nil, fmt.Errorf(`field "approvalTTL": %s is shorter than approvalWait %s`, time.Duration(cfg.ApprovalTTL), time.Duration(cfg.ApprovalWait))
	}
	if len(raw.Retention) > 0 {
		if err := json.Unmarshal(raw.Retention, &cfg.Retention); err != nil {
			return nil, fmt.Errorf(`field "retention": want a whole number of days: %w`, err)
		}
		if cfg.Retention < 1 || cfg.Retention > MaxRetentionDays {
			return nil, fmt.Errorf(`field "retention": %d days: want 1 to %d`, cfg.Retention, MaxRetentionDays)
		}
	}
	if len(raw.Notify) > 0 {
		if err := json.Unmarshal(raw.Notify, &cfg.Notifications); err != nil {
			return nil, fmt.Errorf(`field "notifications": want true or false: %w`, err)
		}
	}
	if len(raw.Rules) > 0 {
		rules, err := parseRules(raw.Rules, "")
		if err != nil {
			return nil, fmt.Errorf(`field "rules": %w`, err)
		}
		cfg.Rules = rules
	}
	for name, body := range raw.MCPServers {
		if !validServerName(name) {
			return nil, fmt.Errorf("server %q: name must be 1-32 letters, digits, '-' or single '_', starting with a letter or digit and not ending in '_'", name)
		}
		s, err := parseServer(name, body)
		if err != nil {
			return nil, fmt.Errorf("server %q: %w", name, err)
		}
		cfg.MCPServers[name] = s
	}
	return cfg, nil
}

func parseServer(name string, body json.RawMessage) (Server, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return Server{}, fmt.Errorf("must be an object: %w", err)
	}
	var s Server
	for key, val := range fields {
		var err error
		switch key {
		case "command":
			err = json.Unmarshal(val, &s.Command)
		case "args":
			err = json.Unmarshal(val, &s.Args)
		case "env":
			err = json.Unmarshal(val, &s.Env)
		case "cwd":
			err = json.Unmarshal(val, &s.Cwd)
		case "roots":
			if err = json.Unmarshal(val, &s.Roots); err == nil {
				for _, r := range s.Roots {
					if !filepath.IsAbs(r) && r != "~" && !strings.HasPrefix(r, "~/") {
						err = fmt.Errorf("root %q must be an absolute path", r)
						break
					}
				}
			}
		case "rules":
			s.Rules, err = parseRules(val, name)
		case "rateLimit":
			s.RateLimit = &policy.Limits{}
			err = json.Unmarshal(val, s.RateLimit)
		default:
			// Host configs carry extra fields (type, disabled, ...); they do
			// not change how the server is started, so they are ignored.
			continue
		}
		if err != nil {
			return Server{}, fmt.Errorf("field %q: %w", key, err)
		}
	}
	if s.Command == "" {
		return Server{}, errors.New(`field "command": required`)
	}
	if s.Cwd != "" && !filepath.IsAbs(s.Cwd) {
		return Server{}, fmt.Errorf(`field "cwd": must be an absolute path, got %q`, s.Cwd)
	}
	return s, nil
}

// parseRules decodes and validates rules. Inside a server's entry, server
// defaults to that server and may not name another.
func parseRules(data json.RawMessage, server string) ([]policy.Rule, error) {
	var rules []policy.Rule
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rules); err != nil {
		return nil, err
	}
	for i := range rules {
		r := &rules[i]
		if server != "" {
			if r.Server == "" {
				r.Server = server
			} else if r.Server != server {
				return nil, fmt.Errorf("rule %d: names server %q inside server %q", i+1, r.Server, server)
			}
		}
		if r.ID != 0 {
			// Ids name rules in the database; a config rule with one would
			// be counted and listed as that rule.
			return nil, fmt.Errorf(`rule %d: "id" belongs to rules made in the window; remove it`, i+1)
		}
		r.Source = "config"
		if err := r.Validate(); err != nil {
			return nil, fmt.Errorf("rule %d: %w", i+1, err)
		}
	}
	return rules, nil
}

// Package config finds Airlock's home folder and reads airlock.json.
//
// The file uses the same "mcpServers" shape as Claude Desktop's config, so a
// user can paste existing entries in unchanged.
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
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
}

// Config is the parsed airlock.json.
type Config struct {
	MCPServers map[string]Server `json:"mcpServers"`

	// Path is the file the config was read from; empty when no file exists.
	Path string `json:"-"`
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
		return &Config{MCPServers: map[string]Server{}}, nil
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
		MCPServers map[string]json.RawMessage `json:"mcpServers"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	cfg := &Config{MCPServers: map[string]Server{}}
	for name, body := range raw.MCPServers {
		if !validServerName(name) {
			return nil, fmt.Errorf("server %q: name must be 1-32 letters, digits, '-' or single '_', starting with a letter or digit and not ending in '_'", name)
		}
		s, err := parseServer(body)
		if err != nil {
			return nil, fmt.Errorf("server %q: %w", name, err)
		}
		cfg.MCPServers[name] = s
	}
	return cfg, nil
}

func parseServer(body json.RawMessage) (Server, error) {
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

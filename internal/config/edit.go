package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Fields is airlock.json as its top-level fields, each kept as written. An
// edit changes the fields it knows and leaves every other field, including
// ones a newer Airlock or the user added, exactly as it was.
type Fields map[string]json.RawMessage

// Edit changes home/airlock.json through fn. A missing file starts empty.
// The result must parse as a valid config, or nothing is written: an edit
// never leaves a config the proxy would refuse. The file is replaced
// atomically (0600), and edits from several processes (the window, the CLI)
// are serialised by an advisory lock beside it.
func Edit(home string, fn func(Fields) error) error {
	if err := EnsureHome(home); err != nil {
		return err
	}
	path := filepath.Join(home, FileName)
	unlock, err := LockFile(path + ".lock")
	if err != nil {
		return err
	}
	defer unlock()

	fields := Fields{}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("read config %s: %w", path, err)
	default:
		if len(bytes.TrimSpace(data)) > 0 {
			if err := json.Unmarshal(data, &fields); err != nil {
				return fmt.Errorf("config %s is not a JSON object: %w", path, err)
			}
		}
	}
	if fields == nil { // the file held "null"
		fields = Fields{}
	}
	if err := fn(fields); err != nil {
		return err
	}
	if _, ok := fields["mcpServers"]; !ok {
		fields["mcpServers"] = json.RawMessage("{}")
	}
	out, err := json.MarshalIndent(fields, "", "  ")
	if err != nil {
		return fmt.Errorf("encode config: %w", err)
	}
	out = append(out, '\n')
	if _, err := Parse(out); err != nil {
		return fmt.Errorf("refusing to write an invalid config: %w", err)
	}
	return WriteFileAtomic(path, out, 0o600)
}

// Set stores v as the field name.
func (f Fields) Set(name string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", name, err)
	}
	f[name] = b
	return nil
}

// WriteFileAtomic replaces path with data: a reader sees the old file or the
// new one, never a part. The data is synced before the rename.
func WriteFileAtomic(path string, data []byte, perm fs.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

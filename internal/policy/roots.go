package policy

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// Roots confine a server's path-like arguments to a set of folders.
//
// A path is inside a root when, after "~" expansion, URL decoding of
// file:// URIs, cleaning and following every symlink that exists, it is the
// root itself or below it. Comparison is by whole path elements, so
// "/allowed-evil" is not inside "/allowed".
type Roots struct {
	dirs []string // cleaned, symlinks resolved
}

// NewRoots resolves the configured root folders. A root that does not exist
// is an error: silently dropping it would change what is allowed.
func NewRoots(dirs []string) (*Roots, error) {
	r := &Roots{}
	for _, d := range dirs {
		p, err := expand(d)
		if err != nil {
			return nil, fmt.Errorf("root %q: %w", d, err)
		}
		real, err := filepath.EvalSymlinks(filepath.Clean(p))
		if err != nil {
			return nil, fmt.Errorf("root %q: %w", d, err)
		}
		r.dirs = append(r.dirs, real)
	}
	return r, nil
}

// Empty reports whether no roots are set (every path allowed).
func (r *Roots) Empty() bool { return r == nil || len(r.dirs) == 0 }

// Check returns an error naming the first path-like argument that resolves
// outside the roots.
func (r *Roots) Check(args json.RawMessage) error {
	if r.Empty() {
		return nil
	}
	for _, p := range PathArgs(args) {
		if err := r.Contains(p.Value); err != nil {
			return fmt.Errorf("argument %q: %w", p.Key, err)
		}
	}
	return nil
}

// Contains returns nil when path resolves inside one of the roots.
func (r *Roots) Contains(path string) error {
	if r.Empty() {
		return nil
	}
	p, err := expand(path)
	if err != nil {
		return err
	}
	real, err := resolve(p)
	if err != nil {
		return err
	}
	for _, root := range r.dirs {
		if within(real, root) {
			return nil
		}
	}
	return fmt.Errorf("path %q resolves to %q, outside the allowed folders %s", path, real, strings.Join(r.dirs, ", "))
}

func within(path, root string) bool {
	if path == root {
		return true
	}
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// expand turns "~", "~/x" and file:// URIs into absolute paths. Relative
// paths are refused: the upstream's working folder is not known here, so
// their meaning is not either.
func expand(p string) (string, error) {
	if strings.ContainsRune(p, 0) {
		return "", errors.New("path contains a NUL byte")
	}
	if hasFileScheme(p) {
		u, err := url.Parse(p)
		if err != nil {
			return "", fmt.Errorf("bad file URI: %w", err)
		}
		if u.Host != "" && u.Host != "localhost" {
			return "", fmt.Errorf("file URI names another host %q", u.Host)
		}
		p = u.Path
	}
	if p == "~" || strings.HasPrefix(p, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		p = home + p[1:] // no Join: it would clean ".." before symlinks are seen
	}
	if !filepath.IsAbs(p) {
		return "", fmt.Errorf("path %q is not absolute", p)
	}
	return p, nil
}

// resolve walks p one element at a time the way the kernel does: each
// existing element is resolved through its symlinks before the next ".." is
// applied, so "/root/link/../x" is judged where it really lands. Cleaning the
// path first would be wrong: it drops "link/.." before seeing the symlink.
// Once an element does not exist (a file about to be created), the rest
// cannot contain symlinks and is joined as written.
func resolve(p string) (string, error) {
	parts := strings.Split(filepath.ToSlash(p), "/")
	cur := string(filepath.Separator)
	for i, part := range parts {
		switch part {
		case "", ".":
			continue
		case "..":
			cur = filepath.Dir(cur)
			continue
		}
		next := filepath.Join(cur, part)
		real, err := filepath.EvalSymlinks(next)
		if err == nil {
			cur = real
			continue
		}
		if errors.Is(err, fs.ErrNotExist) {
			return filepath.Join(append([]string{cur}, parts[i:]...)...), nil
		}
		return "", fmt.Errorf("resolve %q: %w", p, err)
	}
	return cur, nil
}

// PathArg is one path-like argument value.
type PathArg struct {
	Key   string
	Value string
}

// pathKeys are argument names that carry file system paths in real servers
// (after normalizeKey); isPathKey adds the usual compounds.
var pathKeys = map[string]bool{
	"path": true, "paths": true, "pathname": true, "file": true, "files": true, "filename": true, "filenames": true,
	"file_name": true, "file_names": true, "dir_name": true, "folder_name": true, "filepath": true,
	"source": true, "sources": true, "src": true, "destination": true, "destinations": true, "dest": true,
	"target": true, "targets": true, "dir": true, "dirs": true, "directory": true, "directories": true,
	"folder": true, "folders": true, "cwd": true, "workdir": true, "root": true, "output": true,
	"from": true, "to": true, "uri": true, "uris": true, "location": true,
}

// pathSuffixes mark compound names: file_path, output_file, working_dir...
var pathSuffixes = []string{"_path", "_paths", "_file", "_files", "_dir", "_dirs", "_directory", "_directories",
	"_folder", "_folders", "_uri", "_uris"}

func isPathKey(k string) bool {
	if pathKeys[k] || strings.HasPrefix(k, "path_") {
		return true
	}
	for _, suffix := range pathSuffixes {
		if strings.HasSuffix(k, suffix) {
			return true
		}
	}
	return false
}

// PathArgs finds path-like values in the arguments: strings (or arrays of
// strings) under path-ish keys at any depth, plus any string that is a
// file: URI. There is no depth limit: a path nested deeper than a limit
// would escape the check (argshash already refuses absurd nesting).
func PathArgs(args json.RawMessage) []PathArg {
	var v any
	if len(args) == 0 || json.Unmarshal(args, &v) != nil {
		return nil
	}
	var out []PathArg
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				walk(k, val)
			}
		case []any:
			for _, val := range x {
				walk(key, val)
			}
		case string:
			if (isPathKey(normalizeKey(key)) || hasFileScheme(x)) && looksLikePath(x) {
				out = append(out, PathArg{Key: key, Value: x})
			}
		}
	}
	walk("", v)
	return out
}

// normalizeKey turns camelCase, PascalCase, SHOUTING and kebab-case into
// snake_case: "filePath", "FilePath", "FILE_PATH", "file-path" all become
// "file_path", and "URI" becomes "uri".
func normalizeKey(k string) string {
	rs := []rune(k)
	var b strings.Builder
	for i, r := range rs {
		switch {
		case r >= 'A' && r <= 'Z':
			if i > 0 {
				prev := rs[i-1]
				prevLower := prev >= 'a' && prev <= 'z' || prev >= '0' && prev <= '9'
				nextLower := i+1 < len(rs) && rs[i+1] >= 'a' && rs[i+1] <= 'z'
				prevUpper := prev >= 'A' && prev <= 'Z'
				if prevLower || prevUpper && nextLower {
					b.WriteByte('_')
				}
			}
			b.WriteRune(r + ('a' - 'A'))
		case r == '-':
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func hasFileScheme(s string) bool {
	return len(s) >= 5 && strings.EqualFold(s[:5], "file:")
}

// looksLikePath keeps URLs of other schemes (https://...) out: those are not
// file system paths. But a Node server given "x://../../etc" under a path key
// resolves it as a relative path, ".." and all, so a URL-looking value with
// a ".." segment is still checked (and refused, being relative).
func looksLikePath(s string) bool {
	if s == "" {
		return false
	}
	if hasFileScheme(s) {
		return true
	}
	if i := strings.Index(s, "://"); i > 0 {
		segs := "/" + strings.ReplaceAll(s, "\\", "/") + "/"
		return strings.Contains(segs, "/../")
	}
	return true
}

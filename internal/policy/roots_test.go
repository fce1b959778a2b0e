package policy

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// rootsFixture builds:
//
//	base/allowed/            the root
//	base/allowed/sub/f.txt
//	base/allowed/out -> base/secret     (symlink escaping the root)
//	base/allowed/in  -> base/allowed/sub
//	base/allowed-evil/       (shares the root's prefix)
//	base/secret/key
func rootsFixture(t testing.TB) (base string, r *Roots) {
	base = t.TempDir()
	for _, d := range []string{"allowed/sub", "allowed-evil", "secret"} {
		if err := os.MkdirAll(filepath.Join(base, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(base, "allowed/sub/f.txt"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(base, "secret/key"), []byte("k"), 0o644)
	os.Symlink(filepath.Join(base, "secret"), filepath.Join(base, "allowed/out"))
	os.Symlink(filepath.Join(base, "allowed/sub"), filepath.Join(base, "allowed/in"))
	r, err := NewRoots([]string{filepath.Join(base, "allowed")})
	if err != nil {
		t.Fatal(err)
	}
	return base, r
}

func TestRootsContains(t *testing.T) {
	base, r := rootsFixture(t)
	tests := []struct {
		path string
		ok   bool
	}{
		{"allowed", true},
		{"allowed/sub/f.txt", true},
		{"allowed/new-file.txt", true},    // does not exist yet: judged by its folder
		{"allowed/newdir/deeper/x", true}, // nested, not existing
		{"allowed/in/f.txt", true},        // symlink staying inside
		{"allowed/./sub/../sub/f.txt", true},
		{"allowed-evil/x", false},        // prefix trick
		{"allowed/../secret/key", false}, // dot-dot
		{"allowed/sub/../../secret/key", false},
		{"allowed/out/key", false}, // symlink escaping
		{"allowed/out", false},
		{"allowed/in/../../secret/key", false}, // ".." after a symlink: resolved like the kernel
		{"allowed/out/../allowed/sub", true},   // out -> secret, secret/.. = base, base/allowed/sub
		{"allowed/missing/../../secret/key", false},
		{"secret/key", false},
	}
	for _, tt := range tests {
		err := r.Contains(filepath.Join(base, "") + "/" + tt.path)
		if (err == nil) != tt.ok {
			t.Errorf("Contains(%s) err = %v, want ok=%v", tt.path, err, tt.ok)
		}
	}
	// Encoded and relative forms.
	for _, p := range []string{
		"file://" + base + "/allowed/sub/f.txt",
	} {
		if err := r.Contains(p); err != nil {
			t.Errorf("Contains(%s) = %v, want inside", p, err)
		}
	}
	for _, p := range []string{
		"file://" + base + "/allowed/%2e%2e/secret/key", // percent-encoded ".."
		"file://evil.example" + base + "/allowed/x",     // another host
		"relative/path",
		"../secret",
		base + "/allowed/\x00/../../secret",
	} {
		if err := r.Contains(p); err == nil {
			t.Errorf("Contains(%q) = nil, want refused", p)
		}
	}
}

func TestRootsCheckArgs(t *testing.T) {
	base, r := rootsFixture(t)
	ok := `{"path": "` + base + `/allowed/sub/f.txt", "content": "/etc/passwd is just text here"}`
	if err := r.Check(json.RawMessage(ok)); err != nil {
		t.Errorf("Check(ok) = %v", err)
	}
	bad := []string{
		`{"path": "` + base + `/secret/key"}`,
		`{"paths": ["` + base + `/allowed/sub/f.txt", "` + base + `/secret/key"]}`,
		`{"source": "` + base + `/allowed/sub/f.txt", "destination": "` + base + `/allowed-evil/f.txt"}`,
		`{"options": {"outputPath": "` + base + `/secret/out"}}`,
		`{"path": "` + base + `/allowed/\u002e\u002e/secret/key"}`,
		`{"uri": "file://` + base + `/secret/key"}`,
	}
	for _, b := range bad {
		err := r.Check(json.RawMessage(b))
		if err == nil {
			t.Errorf("Check(%s) = nil, want outside", b)
		} else if !strings.Contains(err.Error(), "outside") && !strings.Contains(err.Error(), "argument") {
			t.Errorf("Check(%s) error %q does not explain", b, err)
		}
	}
}

func FuzzRootsContains(f *testing.F) {
	base := f.TempDir()
	os.MkdirAll(filepath.Join(base, "allowed/sub"), 0o755)
	os.MkdirAll(filepath.Join(base, "secret"), 0o755)
	os.Symlink(filepath.Join(base, "secret"), filepath.Join(base, "allowed/out"))
	r, err := NewRoots([]string{filepath.Join(base, "allowed")})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"sub/x", "../secret", "out/x", "out/../sub", "./././x", "sub/../../allowed-evil", "%2e%2e/secret", "~", "a/b/../../.."} {
		f.Add(s)
	}
	allowedReal, _ := filepath.EvalSymlinks(filepath.Join(base, "allowed"))
	f.Fuzz(func(t *testing.T, rel string) {
		p := filepath.Join(base, "allowed") + "/" + rel
		if r.Contains(p) != nil {
			return
		}
		// Whatever it accepted must really be inside once the OS resolves it.
		real, err := resolve(p)
		if err != nil {
			t.Fatalf("accepted %q but cannot resolve: %v", p, err)
		}
		if !within(real, allowedReal) {
			t.Fatalf("accepted %q which resolves to %q outside %q", p, real, allowedReal)
		}
		if strings.Contains(real, "secret") && !strings.Contains(rel, "secret") {
			t.Fatalf("accepted %q reaching the secret folder: %q", p, real)
		}
	})
}

// Path-like arguments the checker must not miss: deep nesting, keys in any
// case style, other common names, URL-looking strings a Node server resolves
// as relative paths, and file URIs with an upper-case scheme.
func TestRootsCheckFindsHiddenPaths(t *testing.T) {
	base, r := rootsFixture(t)
	secret := base + "/secret/key"
	deep := `{"path":"` + secret + `"}`
	for i := 0; i < 40; i++ {
		deep = `{"a":` + deep + `}`
	}
	bad := []string{
		deep,
		`{"PATH": "` + secret + `"}`,
		`{"FILE_PATH": "` + secret + `"}`,
		`{"URI": "file://` + secret + `"}`,
		`{"fileName": "` + secret + `"}`,
		`{"filePaths": ["` + secret + `"]}`,
		`{"sources": ["` + secret + `"]}`,
		`{"destinations": ["` + secret + `"]}`,
		`{"workingDirectory": "` + base + `/secret"}`,
		`{"output_file": "` + secret + `"}`,
		`{"pathname": "` + secret + `"}`,
		`{"path": "FILE://` + secret + `"}`,
		`{"note": "File://` + secret + `"}`,
		// path.resolve(cwd, "x://../../..") walks out of cwd: not a URL to a
		// file system server.
		`{"path": "x://../../../../../../../../../../../../` + secret + `"}`,
		`{"path": "https://host/../../../../../../../../../../../` + secret + `"}`,
	}
	for _, b := range bad {
		if err := r.Check(json.RawMessage(b)); err == nil {
			t.Errorf("Check(%.120s) = nil, want refused", b)
		}
	}
	fine := []string{
		`{"url": "https://example.com/a/b"}`,
		`{"source": "https://github.com/org/repo.git"}`,
		`{"content": "` + secret + ` is only text", "path": "` + base + `/allowed/x"}`,
	}
	for _, b := range fine {
		if err := r.Check(json.RawMessage(b)); err != nil {
			t.Errorf("Check(%s) = %v, want nil", b, err)
		}
	}
}

func TestNormalizeKey(t *testing.T) {
	for in, want := range map[string]string{
		"path": "path", "filePath": "file_path", "FilePath": "file_path", "FILE_PATH": "file_path",
		"file-path": "file_path", "URI": "uri", "XMLFile": "xml_file", "repo_path": "repo_path", "outputDir2": "output_dir2",
	} {
		if got := normalizeKey(in); got != want {
			t.Errorf("normalizeKey(%q) = %q, want %q", in, got, want)
		}
	}
}

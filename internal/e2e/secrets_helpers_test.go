package e2e

// Helpers for the secrets tests: the airlock binary run with the D-Bus
// session it needs for the keychain (hosts give their servers a minimal
// environment, so childEnv leaves it out), and a search of everything
// Airlock wrote for a value.

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// busEnv is childEnv plus the session bus variables the keychain needs.
func busEnv(home string, extra ...string) []string {
	env := childEnv(home)
	for _, k := range []string{"DBUS_SESSION_BUS_ADDRESS", "XDG_DATA_HOME", "XDG_RUNTIME_DIR"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return append(env, extra...)
}

// airlockWith runs `airlock args...` with env and stdin, bounded by ctx, and
// returns stdout, stderr and the error.
func airlockWith(t *testing.T, ctx context.Context, env []string, stdin string, args ...string) (string, string, error) {
	t.Helper()
	cmd := exec.CommandContext(ctx, buildAirlock(t), args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.String(), errb.String(), err
}

// proxyWith starts `airlock proxy` with env and returns the session and the
// proxy's stderr as it is written.
func proxyWith(t *testing.T, ctx context.Context, env []string) (*mcp.ClientSession, *exec.Cmd, *lockedBuffer) {
	t.Helper()
	cmd := exec.Command(buildAirlock(t), "proxy")
	cmd.Env = env
	stderr := stderrLog(t, "airlock proxy")
	cmd.Stderr = stderr
	return connect(t, ctx, cmd, nil), cmd, stderr
}

// filesHolding returns the files under dir whose bytes contain value.
func filesHolding(t *testing.T, dir, value string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(data, []byte(value)) {
			found = append(found, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// callErr calls a tool and returns the result or the JSON-RPC error.
func callErr(t *testing.T, ctx context.Context, cs *mcp.ClientSession, name string, args map[string]any) (*mcp.CallToolResult, error) {
	t.Helper()
	return cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
}

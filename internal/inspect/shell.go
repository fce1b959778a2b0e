package inspect

import (
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// maxShell bounds the command line read; a longer one is not a command a
// person typed and gets the highest tier instead of a partial reading.
const maxShell = 256 << 10

// maxShellNesting bounds re-parsing of commands held in strings (sh -c,
// eval, ssh host CMD, watch): each level parses a substring of the input.
const maxShellNesting = 4

// Shell classifies a shell command line: every command it can run, through
// pipes, lists, subshells, substitutions, functions and the wrappers that run
// another command (sudo, env, xargs, sh -c ...).
func Shell(cmd string) Finding {
	var c collector
	a := shellAnalysis{c: &c, vars: map[string]string{}, budget: 16*len(cmd) + 1<<14}
	a.inspect(cmd, 0)
	return c.finding()
}

type shellAnalysis struct {
	c    *collector
	vars map[string]string // literal assignments seen so far: X=rm; $X -rf /

	// budget bounds the work of one call: wrappers, pipes and functions nest,
	// and a hostile line could make the walk quadratic. Past the budget the
	// line is too complex to read and is destructive.
	budget int
	over   bool
}

func (a *shellAnalysis) spend(n int) bool {
	a.budget -= n
	if a.budget < 0 && !a.over {
		a.over = true
		a.c.add(Destructive, "shell: too complex to inspect")
	}
	return !a.over
}

// word is one argument after quote removal; lit is false when part of it
// comes from an expansion whose value is unknown.
type word struct {
	s   string
	lit bool
	w   *syntax.Word // nil for words made from strings (xargs input, sh -c)
}

func (a *shellAnalysis) inspect(src string, nesting int) {
	if len(src) > maxShell {
		a.c.add(Destructive, "shell: command too long to inspect ("+strconv.Itoa(len(src))+" bytes)")
		return
	}
	if nesting > maxShellNesting {
		a.c.add(Write, "shell: nested too deeply to inspect")
		return
	}
	if strings.TrimSpace(src) == "" || !a.spend(len(src)) {
		return
	}
	f, err := parseShell(src)
	if err == nil {
		a.file(f, nesting)
		return
	}
	if !errors.Is(err, errParserPanic) {
		// Fail closed: bash runs the lines before a syntax error, and input
		// can be crafted to confuse one parser and not another. Read what
		// the recovering parser sees and scan the raw words as well.
		a.c.add(Write, "shell: could not parse")
		f, err = parseShell(src, syntax.RecoverErrors(16))
	}
	if errors.Is(err, errParserPanic) {
		// The parser itself broke on this line: nothing it says about it
		// can be trusted, so the line is as dangerous as a line can be.
		a.c.add(Destructive, "shell: the line breaks the shell parser")
	}
	if f != nil {
		a.file(f, nesting)
	}
	a.rawWords(src)
}

// errParserPanic is parseShell's error when the parser panicked.
var errParserPanic = errors.New("shell parser panicked")

// parseShell parses src as bash. The parser is a library that panics on
// some hostile lines (fuzzing found "A=$((0 A" in mvdan.cc/sh v3.14.1);
// a panic is turned into errParserPanic so one line cannot take the
// inspector, and with it the proxy, down.
func parseShell(src string, opts ...syntax.ParserOption) (f *syntax.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("%w: %v", errParserPanic, r)
		}
	}()
	return syntax.NewParser(append([]syntax.ParserOption{syntax.Variant(syntax.LangBash)}, opts...)...).Parse(strings.NewReader(src), "")
}

func (a *shellAnalysis) file(f *syntax.File, nesting int) {
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Stmt:
			a.redirects(n.Redirs)
			a.heredoc(n, nesting)
		case *syntax.CallExpr:
			a.callExpr(n, nesting)
		case *syntax.BinaryCmd:
			if n.Op == syntax.Pipe || n.Op == syntax.PipeAll {
				a.pipe(n, nesting)
			}
		case *syntax.FuncDecl:
			a.funcDecl(n)
		}
		return true
	})
}

func (a *shellAnalysis) callExpr(ce *syntax.CallExpr, nesting int) {
	if len(ce.Args) == 0 {
		for _, as := range ce.Assigns {
			if as.Name == nil {
				continue
			}
			if as.Value != nil {
				if w := a.word(as.Value); w.lit {
					a.vars[as.Name.Value] = w.s
					continue
				}
			}
			delete(a.vars, as.Name.Value)
		}
		return
	}
	argv := make([]word, len(ce.Args))
	for i, w := range ce.Args {
		argv[i] = a.word(w)
	}
	a.argv(argv, nesting)
}

// word resolves quoting; expansions make the word non-literal unless they
// name a variable assigned a literal earlier in the same command line.
func (a *shellAnalysis) word(w *syntax.Word) word {
	var b strings.Builder
	lit := a.parts(&b, w.Parts, false)
	return word{s: b.String(), lit: lit, w: w}
}

func (a *shellAnalysis) parts(b *strings.Builder, parts []syntax.WordPart, inDbl bool) bool {
	lit := true
	for _, p := range parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(unescape(p.Value, inDbl))
		case *syntax.SglQuoted:
			if p.Dollar {
				b.WriteString(ansiC(p.Value))
			} else {
				b.WriteString(p.Value)
			}
		case *syntax.DblQuoted:
			if !a.parts(b, p.Parts, true) {
				lit = false
			}
		case *syntax.ParamExp:
			v, ok := "", false
			if p.Param != nil && p.Exp == nil && p.Repl == nil && p.Slice == nil && p.Index == nil && !p.Excl && !p.Length {
				v, ok = a.vars[p.Param.Value]
			}
			if !ok {
				lit = false
			}
			b.WriteString(v)
		default:
			lit = false
		}
	}
	return lit
}

// unescape removes the backslashes the shell removes: before any byte when
// unquoted (\rm is rm), before $ ` " \ and newline inside double quotes.
func unescape(s string, inDbl bool) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			n := s[i+1]
			if !inDbl || strings.IndexByte("$`\"\\\n", n) >= 0 {
				if n != '\n' {
					b.WriteByte(n)
				}
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// ansiC decodes the escapes of $'...' that could spell a command name
// (\x72\x6d is rm).
func ansiC(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch c := s[i]; c {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'x', 'u', 'U':
			j := i + 1
			for j < len(s) && j < i+9 && strings.IndexByte("0123456789abcdefABCDEF", s[j]) >= 0 {
				j++
			}
			if n, err := strconv.ParseUint(s[i+1:j], 16, 32); err == nil {
				b.WriteRune(rune(n))
				i = j - 1
			}
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i
			for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' {
				j++
			}
			n, _ := strconv.ParseUint(s[i:j], 8, 32)
			b.WriteByte(byte(n))
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// cmdName reduces a command word to the name looked up in the tables:
// /bin/rm and RM.exe are rm (macOS and Windows file systems ignore case).
func cmdName(s string) string {
	s = strings.ToLower(path.Base(strings.ReplaceAll(s, `\`, "/")))
	return strings.TrimSuffix(s, ".exe")
}

var safeTargets = setOf("/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "-")

func (a *shellAnalysis) redirects(rs []*syntax.Redirect) {
	for _, r := range rs {
		if r.Word == nil {
			continue
		}
		t := a.word(r.Word)
		safe := t.lit && (safeTargets[t.s] || strings.HasPrefix(t.s, "/dev/fd/"))
		switch r.Op {
		case syntax.RdrOut, syntax.ClbOut, syntax.RdrAll, syntax.RdrAllClob:
			if !safe {
				a.c.add(Destructive, "shell: > overwrites "+target(t))
			}
		case syntax.DplOut:
			if _, err := strconv.Atoi(t.s); err != nil && !safe {
				a.c.add(Destructive, "shell: >& overwrites "+target(t))
			}
		case syntax.AppOut, syntax.AppAll, syntax.AppAllClob, syntax.RdrInOut:
			if !safe {
				a.c.add(Write, "shell: >> writes to "+target(t))
			}
		}
	}
}

func target(w word) string {
	if !w.lit {
		return "a file named by an expansion"
	}
	return snippet(w.s)
}

var shells = setOf("sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "csh", "tcsh")

// downloaders fetch from the network; interpreters run what they are given.
var downloaders = setOf("curl", "wget", "fetch", "http", "https", "xh", "aria2c", "invoke-webrequest", "iwr", "irm", "invoke-restmethod", "nc", "ncat", "socat", "ftp", "tftp", "scp", "rsync", "base64", "xxd", "openssl")
var interpreters = setOf("sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "csh", "tcsh", "python", "python2", "python3", "perl", "ruby", "node", "nodejs", "deno", "bun", "php", "lua", "pwsh", "powershell", "iex", "invoke-expression", "source", ".", "eval", "osascript", "tclsh", "busybox")

// pipe flags download-and-execute: anything fetched (or decoded) piped into
// a shell or interpreter runs code nobody has read.
func (a *shellAnalysis) pipe(b *syntax.BinaryCmd, nesting int) {
	if to := a.entryName(b.Y); shells[to] {
		if text, ok := a.echoed(b.X); ok {
			a.inspect(text, nesting+1)
		}
	}
	from := a.namesIn(b.X)
	if from == "" {
		return
	}
	if to := a.entryName(b.Y); interpreters[to] {
		a.c.add(Destructive, "shell: "+from+" piped to "+to)
	}
}

// namesIn returns the first downloader run anywhere in n.
func (a *shellAnalysis) namesIn(n syntax.Node) string {
	found := ""
	syntax.Walk(n, func(n syntax.Node) bool {
		if found != "" || !a.spend(1) {
			return false
		}
		if ce, ok := n.(*syntax.CallExpr); ok && len(ce.Args) > 0 {
			if name := cmdName(a.word(ce.Args[0]).s); downloaders[name] {
				found = name
			}
		}
		return true
	})
	return found
}

// entryName is the command that reads the pipe: the first simple command of
// the statement, past wrappers such as sudo and env.
func (a *shellAnalysis) entryName(st *syntax.Stmt) string {
	if st == nil || st.Cmd == nil {
		return ""
	}
	switch c := st.Cmd.(type) {
	case *syntax.CallExpr:
		argv := make([]word, len(c.Args))
		for i, w := range c.Args {
			argv[i] = a.word(w)
		}
		for len(argv) > 0 && a.spend(len(argv)) {
			inner, ok := unwrap(cmdName(argv[0].s), argv[1:])
			if !ok {
				return cmdName(argv[0].s)
			}
			argv = inner
		}
	case *syntax.BinaryCmd:
		return a.entryName(c.X)
	}
	return ""
}

// hasDownload reports whether a word embeds a download through $(...) or
// <(...): bash -c "$(curl ...)", sh <(wget -O- ...).
func (a *shellAnalysis) hasDownload(w word) bool {
	if w.w == nil {
		return false
	}
	return a.namesIn(w.w) != ""
}

// heredoc inspects text fed to a shell or a database client on its input:
// bash <<EOF ... EOF, psql <<< "DROP TABLE t".
func (a *shellAnalysis) heredoc(st *syntax.Stmt, nesting int) {
	var name string
	for _, r := range st.Redirs {
		var body *syntax.Word
		switch r.Op {
		case syntax.Hdoc, syntax.DashHdoc:
			body = r.Hdoc
		case syntax.WordHdoc:
			body = r.Word
		}
		if body == nil {
			continue
		}
		if name == "" {
			name = a.entryName(st)
		}
		w := a.word(body)
		switch {
		case shells[name]:
			a.stringCmd(w, nesting)
		case isSQLClient(name):
			if w.lit {
				a.c.addFinding(SQL(w.s))
			} else {
				a.c.add(Write, "shell: "+name+" runs SQL from an expansion")
			}
		}
	}
}

func isSQLClient(name string) bool {
	switch name {
	case "psql", "mysql", "mariadb", "sqlite3", "sqlite", "duckdb", "clickhouse-client", "cqlsh":
		return true
	}
	return false
}

// echoed returns the text an echo or printf with literal arguments writes,
// so echo "rm -rf /" | sh can be read like sh -c.
func (a *shellAnalysis) echoed(st *syntax.Stmt) (string, bool) {
	ce, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || len(ce.Args) < 2 {
		return "", false
	}
	name := cmdName(a.word(ce.Args[0]).s)
	if name != "echo" && name != "printf" {
		return "", false
	}
	var parts []string
	for _, w := range ce.Args[1:] {
		x := a.word(w)
		if !x.lit {
			return "", false
		}
		if strings.HasPrefix(x.s, "-") && len(parts) == 0 {
			continue
		}
		parts = append(parts, x.s)
	}
	return strings.Join(parts, " "), true
}

func (a *shellAnalysis) funcDecl(fd *syntax.FuncDecl) {
	if fd.Name == nil || fd.Body == nil {
		return
	}
	name := fd.Name.Value
	recursive := false
	syntax.Walk(fd.Body, func(n syntax.Node) bool {
		if !a.spend(1) {
			return false
		}
		if ce, ok := n.(*syntax.CallExpr); ok && len(ce.Args) > 0 && a.word(ce.Args[0]).s == name {
			recursive = true
		}
		return !recursive
	})
	if recursive {
		a.c.add(Destructive, "shell: function calls itself (fork bomb)")
	}
}

// rawWords backs up the parser on text it rejects: any word naming a
// destructive command counts, wherever it appears.
func (a *shellAnalysis) rawWords(src string) {
	src = strings.NewReplacer("'", "", "\"", "", "\\", "").Replace(src)
	fields := strings.FieldsFunc(src, func(r rune) bool {
		return strings.ContainsRune(" \t\r\n;|&()<>`${}", r)
	})
	for _, f := range fields {
		name := cmdName(f)
		if spec, ok := commands[name]; ok && spec.tier == Destructive {
			a.c.add(Destructive, "shell: could not parse; mentions "+snippet(name))
		}
	}
}

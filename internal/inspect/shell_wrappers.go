package inspect

import "strings"

// wrapperOpts lists, per wrapper, the options that take a value, and how
// many positional words come before the wrapped command (timeout's
// duration, chroot's new root, flock's lock file).
var wrapperOpts = map[string]struct {
	withArg map[string]bool
	skip    int
}{
	"sudo": {setOf("-u", "-g", "-h", "-p", "-r", "-t", "-C", "-U", "-D", "-T", "-R", "--user", "--group",
		"--host", "--prompt", "--role", "--type", "--close-from", "--other-user", "--chdir",
		"--command-timeout", "--chroot"), 0},
	"doas":         {setOf("-u", "-C"), 0},
	"pkexec":       {setOf("--user"), 0},
	"run0":         {setOf("-u", "--user", "-g", "--group", "-D", "--chdir", "--setenv", "--unit", "--property"), 0},
	"runuser":      {setOf("-u", "-g", "-G", "--user", "--group"), 0},
	"env":          {setOf("-u", "--unset", "-C", "--chdir", "-S", "--split-string"), 0},
	"nice":         {setOf("-n", "--adjustment"), 0},
	"timeout":      {setOf("-s", "--signal", "-k", "--kill-after"), 1},
	"gtimeout":     {setOf("-s", "--signal", "-k", "--kill-after"), 1},
	"time":         {setOf("-f", "--format", "-o", "--output"), 0},
	"exec":         {setOf("-a"), 0},
	"stdbuf":       {setOf("-i", "-o", "-e", "--input", "--output", "--error"), 0},
	"ionice":       {setOf("-c", "-n", "-p", "--class", "--classdata", "--pid"), 0},
	"chroot":       {setOf("--userspec", "--groups"), 1},
	"flock":        {setOf("-w", "-E", "--timeout", "--conflict-exit-code"), 1},
	"taskset":      {setOf(), 1},
	"chrt":         {setOf(), 1},
	"proxychains":  {setOf("-f"), 0},
	"proxychains4": {setOf("-f"), 0},
	"strace":       {setOf("-o", "-e", "-p", "-s", "-u", "-P", "-I", "-b", "-a", "-X"), 0},
	"ltrace":       {setOf("-o", "-e", "-p", "-s", "-u", "-n", "-a"), 0},
	"xargs": {setOf("-I", "-L", "-n", "-P", "-s", "-d", "-E", "-a", "--arg-file", "--delimiter",
		"--max-args", "--max-procs", "--max-chars", "--max-lines", "--replace", "--eof", "--process-slot-var"), 0},
	"parallel":    {setOf("-j", "--jobs", "-S", "--sshlogin", "-a", "--arg-file", "--delay", "--timeout", "-I", "-n", "-N", "--colsep"), 0},
	"firejail":    {setOf(), 0},
	"systemd-run": {setOf("-u", "--unit", "-p", "--property", "-E", "--setenv", "-M", "--machine", "--uid", "--gid", "--slice", "--description"), 0},
	"nsenter":     {setOf("-t", "--target", "-S", "--setuid", "-G", "--setgid", "-w", "--wd", "-r", "--root"), 0},
	"unshare":     {setOf("--map-user", "--map-group", "--propagation", "--setgroups", "-S", "-G", "-R", "-w"), 0},
	"script":      {setOf("-c", "--command", "-T", "-t", "-I", "-O", "-B", "-E"), 0},
}

// asRoot wrappers run the command with more privileges than the caller.
var asRoot = setOf("sudo", "doas", "pkexec", "run0", "runuser", "su")

// unwrap returns the command a wrapper runs, or false when argv[0] is not a
// wrapper. A wrapper with no command returns an empty, true result.
func unwrap(name string, args []word) ([]word, bool) {
	switch name {
	case "nohup", "builtin", "unbuffer", "caffeinate", "torsocks", "setsid":
		return args[skipOpts(args, nil):], true
	case "command":
		if hasFlag(args, 'v') || hasFlag(args, 'V') {
			return nil, true // command -v NAME only looks the name up
		}
		return args[skipOpts(args, nil):], true
	}
	opts, ok := wrapperOpts[name]
	if !ok {
		return nil, false
	}
	if name == "ionice" && hasFlag(args, 'p', "--pid") || name == "taskset" && hasFlag(args, 'p', "--pid") {
		return nil, true // acts on a running process
	}
	i := skipOpts(args, opts.withArg)
	if name == "env" || name == "sudo" || name == "doas" {
		for i < len(args) && strings.Contains(args[i].s, "=") && !strings.HasPrefix(args[i].s, "=") {
			i++ // NAME=value environment settings
		}
	}
	i += opts.skip
	if i > len(args) {
		return nil, true
	}
	return args[i:], true
}

func wrapperCmd(a *shellAnalysis, name string, args []word, nesting int) {
	if asRoot[name] {
		a.c.add(Write, "shell: "+name+" (as root)")
	}
	if name == "env" {
		for i, w := range args {
			if (w.s == "-S" || w.s == "--split-string") && i+1 < len(args) {
				a.stringCmd(args[i+1], nesting)
				return
			}
			if s, ok := strings.CutPrefix(w.s, "--split-string="); ok {
				a.stringCmd(word{s: s, lit: w.lit, w: w.w}, nesting)
				return
			}
		}
	}
	if name == "script" {
		for i, w := range args {
			if (w.s == "-c" || w.s == "--command") && i+1 < len(args) {
				a.stringCmd(args[i+1], nesting)
				return
			}
		}
	}
	inner, _ := unwrap(name, args)
	if len(inner) == 0 {
		switch {
		case asRoot[name]:
			a.c.add(Write, "shell: "+name+" opens a root shell")
		case name == "xargs":
			a.c.add(Read, "shell: xargs echo")
		default:
			a.c.add(Read, "shell: "+name)
		}
		return
	}
	a.argv(inner, nesting)
}

// stringCmd inspects a word holding a whole command line (sh -c WORD).
func (a *shellAnalysis) stringCmd(w word, nesting int) {
	switch {
	case w.lit:
		a.inspect(w.s, nesting+1)
	case a.hasDownload(w):
		a.c.add(Destructive, "shell: runs downloaded code")
	default:
		a.c.add(Write, "shell: runs a command from an expansion")
	}
}

var shellOpts = setOf("-o", "+o", "-O", "+O", "--rcfile", "--init-file")

func shellCmd(a *shellAnalysis, name string, args []word, nesting int) {
	if name == "busybox" {
		if len(args) > 0 {
			a.argv(args, nesting) // busybox rm -rf x runs the rm applet
		}
		return
	}
	cFlag := false
	for _, w := range args {
		if strings.HasPrefix(w.s, "-") && !strings.HasPrefix(w.s, "--") && strings.ContainsRune(w.s, 'c') {
			cFlag = true
		}
		if w.s == "--command" {
			cFlag = true
		}
	}
	pos := positional(args, shellOpts)
	switch {
	case cFlag && len(pos) > 0:
		a.stringCmd(pos[0], nesting)
	case len(pos) > 0 && (pos[0].s == "--version" || pos[0].s == "--help"):
		a.c.add(Read, "shell: "+name+" --version")
	case len(pos) > 0 && a.hasDownload(pos[0]):
		a.c.add(Destructive, "shell: "+name+" runs downloaded code")
	case len(pos) > 0:
		a.c.add(Write, "shell: "+name+" runs script "+target(pos[0]))
	case hasFlag(args, 0, "--version", "--help"):
		a.c.add(Read, "shell: "+name+" --version")
	default:
		a.c.add(Write, "shell: "+name+" runs commands from its input")
	}
}

// packageRunners fetch a package from a registry and run it: npx rimraf
// dist is rm -rf dist.
var packageRunners = setOf("npx", "bunx", "pnpx", "uvx", "pipx-run")

// codeDeletes are calls in one-line programs that delete or overwrite.
var codeDeletes = []string{"rmtree", "os.remove", "os.unlink", "os.rmdir", "rmSync", "unlinkSync",
	"rmdirSync", "FileUtils.rm", "File.delete", "unlink(", "rm -rf", "DROP TABLE", "truncate(", "os.kill", "process.kill"}

func interpreterCmd(a *shellAnalysis, name string, args []word, nesting int) {
	if packageRunners[name] {
		a.c.add(Write, "shell: "+name+" runs a package from the registry")
		if inner := args[skipOpts(args, setOf("-p", "--package", "--from", "--with", "-c", "--call")):]; len(inner) > 0 {
			a.argv(inner, nesting)
		}
		return
	}
	for _, w := range args {
		for _, d := range codeDeletes {
			if strings.Contains(w.s, d) {
				a.c.add(Destructive, "shell: "+name+" code calls "+strings.TrimSuffix(d, "("))
				return
			}
		}
	}
	for _, w := range args {
		if a.hasDownload(w) {
			a.c.add(Destructive, "shell: "+name+" runs downloaded code")
			return
		}
	}
	if len(args) == 1 && (args[0].s == "--version" || args[0].s == "-V" || args[0].s == "-v" || args[0].s == "--help") {
		a.c.add(Read, "shell: "+name+" "+args[0].s)
		return
	}
	a.c.add(Write, "shell: runs "+name+" code")
}

func evalCmd(a *shellAnalysis, name string, args []word, nesting int) {
	if len(args) == 0 {
		return
	}
	if name == "source" || name == "." {
		if a.hasDownload(args[0]) {
			a.c.add(Destructive, "shell: "+name+" runs downloaded code")
			return
		}
		a.c.add(Write, "shell: "+name+" runs script "+target(args[0]))
		return
	}
	s, lit := joinWords(args)
	a.stringCmd(word{s: s, lit: lit, w: args[0].w}, nesting)
	if !lit {
		for _, w := range args {
			if a.hasDownload(w) {
				a.c.add(Destructive, "shell: "+name+" runs downloaded code")
			}
		}
	}
}

var sshOpts = setOf("-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m", "-O", "-o",
	"-p", "-Q", "-R", "-S", "-W", "-w", "-B")

// sshCmd covers commands that run another command line elsewhere: ssh HOST
// CMD, su -c CMD, watch CMD.
func sshCmd(a *shellAnalysis, name string, args []word, nesting int) {
	switch name {
	case "su":
		a.c.add(Write, "shell: su (as another user)")
		for i, w := range args {
			if (w.s == "-c" || w.s == "--command") && i+1 < len(args) {
				a.stringCmd(args[i+1], nesting)
			}
		}
		return
	}
	withArg := sshOpts
	if name == "watch" {
		withArg = setOf("-n", "--interval", "-q", "--equexit")
	}
	pos := args[skipOpts(args, withArg):]
	if name == "ssh" {
		if len(pos) == 0 {
			a.c.add(Write, "shell: ssh")
			return
		}
		pos = pos[1:] // the host
		if len(pos) == 0 {
			a.c.add(Write, "shell: ssh session")
			return
		}
		a.c.add(Write, "shell: ssh runs a remote command")
	}
	if len(pos) == 0 {
		return
	}
	s, lit := joinWords(pos)
	a.stringCmd(word{s: s, lit: lit, w: pos[0].w}, nesting)
}

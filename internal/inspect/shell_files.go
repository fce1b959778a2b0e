package inspect

import "strings"

func rmCmd(a *shellAnalysis, name string, args []word, nesting int) {
	r := hasFlag(args, 'r', "--recursive") || hasFlag(args, 'R')
	f := hasFlag(args, 'f', "--force")
	switch {
	case r && f:
		a.c.add(Destructive, "shell: rm -rf")
	case r:
		a.c.add(Destructive, "shell: rm -r")
	case f:
		a.c.add(Destructive, "shell: rm -f")
	default:
		a.c.add(Destructive, "shell: rm")
	}
}

// findCmd is a read unless an action deletes, runs a command or writes a file.
func findCmd(a *shellAnalysis, name string, args []word, nesting int) {
	acted := false
	for i := 0; i < len(args); i++ {
		switch args[i].s {
		case "-delete":
			a.c.add(Destructive, "shell: find -delete")
			acted = true
		case "-exec", "-execdir", "-ok", "-okdir":
			j := i + 1
			for j < len(args) && args[j].s != ";" && args[j].s != "+" {
				j++
			}
			a.argv(args[i+1:j], nesting)
			acted = true
			i = j
		case "-fprint", "-fprint0", "-fprintf", "-fls":
			a.c.add(Write, "shell: find "+args[i].s+" writes a file")
			acted = true
		}
	}
	if !acted {
		a.c.add(Read, "shell: find")
	}
}

func permCmd(a *shellAnalysis, name string, args []word, nesting int) {
	if hasFlag(args, 'R', "--recursive") {
		a.c.add(Destructive, "shell: "+name+" -R")
		return
	}
	a.c.add(Write, "shell: "+name)
}

func killCmd(a *shellAnalysis, name string, args []word, nesting int) {
	for _, w := range args {
		if w.s == "-l" || w.s == "-L" || w.s == "-0" || w.s == "--list" {
			a.c.add(Read, "shell: kill "+w.s)
			return
		}
	}
	a.c.add(Destructive, "shell: kill")
}

func teeCmd(a *shellAnalysis, name string, args []word, nesting int) {
	files := positional(args, nil)
	var real []word
	for _, f := range files {
		if !f.lit || !safeTargets[f.s] {
			real = append(real, f)
		}
	}
	switch {
	case len(real) == 0:
		a.c.add(Read, "shell: tee")
	case hasFlag(args, 'a', "--append"):
		a.c.add(Write, "shell: tee -a appends to "+target(real[0]))
	default:
		a.c.add(Destructive, "shell: tee overwrites "+target(real[0]))
	}
}

func sedCmd(a *shellAnalysis, name string, args []word, nesting int) {
	for _, w := range args {
		if w.s == "-i" || strings.HasPrefix(w.s, "-i") && !strings.HasPrefix(w.s, "--") ||
			w.s == "-I" || strings.HasPrefix(w.s, "--in-place") ||
			len(w.s) > 1 && w.s[0] == '-' && w.s[1] != '-' && strings.ContainsRune(w.s[1:], 'i') {
			a.c.add(Write, "shell: sed -i edits files in place")
			return
		}
	}
	var scripts []word
	for i, w := range args {
		switch {
		case (w.s == "-e" || w.s == "--expression") && i+1 < len(args):
			scripts = append(scripts, args[i+1])
		case strings.HasPrefix(w.s, "--expression="):
			scripts = append(scripts, word{s: strings.TrimPrefix(w.s, "--expression="), lit: w.lit})
		case w.s == "-f" || w.s == "--file" || strings.HasPrefix(w.s, "--file="):
			a.c.add(Write, "shell: sed runs a script file")
			return
		}
	}
	if len(scripts) == 0 {
		if pos := positional(args, setOf("-e", "-f", "-l", "--line-length")); len(pos) > 0 {
			scripts = pos[:1]
		}
	}
	for _, s := range scripts {
		if !s.lit || sedActs(s.s) {
			a.c.add(Write, "shell: sed script writes files or runs commands")
			return
		}
	}
	a.c.add(Read, "shell: sed")
}

// sedActs spots the sed commands that write files (w, W, s///w) or run
// shell commands (e, s///e). It errs towards yes.
func sedActs(script string) bool {
	for _, cmd := range strings.FieldsFunc(script, func(r rune) bool { return r == ';' || r == '\n' || r == '{' || r == '}' }) {
		cmd = strings.TrimLeft(cmd, " \t0123456789,$!~+")
		if strings.HasPrefix(cmd, "/") || strings.HasPrefix(cmd, `\`) {
			// A regex address: skip to its end.
			if end := strings.IndexByte(cmd[1:], '/'); end >= 0 {
				cmd = strings.TrimLeft(cmd[end+2:], " \t,0123456789$!")
			}
		}
		if cmd == "" {
			continue
		}
		switch cmd[0] {
		case 'w', 'W', 'e':
			return true
		case 's', 'y':
			if len(cmd) < 2 {
				continue
			}
			delim := cmd[1]
			parts, i := 0, 2
			for i < len(cmd) && parts < 2 {
				if cmd[i] == '\\' {
					i += 2
					continue
				}
				if cmd[i] == delim {
					parts++
				}
				i++
			}
			if i <= len(cmd) && strings.ContainsAny(cmd[min(i, len(cmd)):], "weW") {
				return true
			}
		}
	}
	return false
}

func awkCmd(a *shellAnalysis, name string, args []word, nesting int) {
	for i, w := range args {
		if w.s == "-f" || strings.HasPrefix(w.s, "--file") {
			a.c.add(Write, "shell: "+name+" runs a program file")
			return
		}
		if (w.s == "-i" || w.s == "--include") && i+1 < len(args) && args[i+1].s == "inplace" {
			a.c.add(Write, "shell: "+name+" edits files in place")
			return
		}
	}
	pos := positional(args, setOf("-F", "-v", "--field-separator", "--assign", "-i", "--include"))
	if len(pos) == 0 || !pos[0].lit || awkActs(pos[0].s) {
		a.c.add(Write, "shell: "+name+" program writes files or runs commands")
		return
	}
	a.c.add(Read, "shell: "+name)
}

// awkActs spots system(), pipes to or from commands, and print > file.
func awkActs(prog string) bool {
	if strings.Contains(prog, "system") || strings.Contains(prog, "|") {
		return true
	}
	for i := strings.Index(prog, "print"); i >= 0; {
		rest := prog[i:]
		end := strings.IndexAny(rest, ";}\n")
		if end < 0 {
			end = len(rest)
		}
		if strings.Contains(rest[:end], ">") {
			return true
		}
		next := strings.Index(prog[i+5:], "print")
		if next < 0 {
			break
		}
		i += 5 + next
	}
	return false
}

func sortCmd(a *shellAnalysis, name string, args []word, nesting int) {
	if name == "sort" && (hasFlag(args, 0, "--output") || hasShort(args, "-o")) {
		a.c.add(Write, "shell: sort -o writes a file")
		return
	}
	if name == "uniq" && len(positional(args, setOf("-f", "-s", "-w"))) > 1 {
		a.c.add(Destructive, "shell: uniq overwrites its output file")
		return
	}
	a.c.add(Read, "shell: "+name)
}

// hasShort finds a short option that takes a value (-o FILE, -oFILE).
func hasShort(args []word, opt string) bool {
	for _, w := range args {
		if w.s == "--" {
			return false
		}
		if strings.HasPrefix(w.s, opt) {
			return true
		}
	}
	return false
}

func rsyncCmd(a *shellAnalysis, name string, args []word, nesting int) {
	if name == "rclone" {
		if v := verbScan(args, 1); v != "" {
			switch {
			case destructiveWords[v] || v == "sync" || v == "move":
				a.c.add(Destructive, "shell: rclone "+v)
			case readWords[v]:
				a.c.add(Read, "shell: rclone "+v)
			default:
				a.c.add(Write, "shell: rclone "+v)
			}
			return
		}
		for _, w := range positional(args, nil)[:min(1, len(positional(args, nil)))] {
			if w.s == "sync" || w.s == "move" || w.s == "purge" || w.s == "delete" || w.s == "deletefile" || w.s == "rmdir" || w.s == "rmdirs" || w.s == "cleanup" {
				a.c.add(Destructive, "shell: rclone "+w.s)
				return
			}
		}
		a.c.add(Write, "shell: rclone")
		return
	}
	for _, w := range args {
		if strings.HasPrefix(w.s, "--delete") || w.s == "--remove-source-files" {
			a.c.add(Destructive, "shell: rsync "+snippet(w.s))
			return
		}
	}
	a.c.add(Write, "shell: rsync")
}

func crontabCmd(a *shellAnalysis, name string, args []word, nesting int) {
	switch {
	case hasFlag(args, 'r'):
		a.c.add(Destructive, "shell: crontab -r removes every job")
	case hasFlag(args, 'l'):
		a.c.add(Read, "shell: crontab -l")
	case hasFlag(args, 'e'):
		a.c.add(Write, "shell: crontab -e")
	default:
		a.c.add(Destructive, "shell: crontab replaces every job")
	}
}

func firewallCmd(a *shellAnalysis, name string, args []word, nesting int) {
	if name == "iptables" || name == "ip6tables" {
		for _, w := range args {
			switch w.s {
			case "-F", "--flush", "-X", "--delete-chain", "-D", "--delete", "-Z", "--zero", "-P", "--policy":
				a.c.add(Destructive, "shell: "+name+" "+w.s)
				return
			}
		}
		if hasFlag(args, 'L', "--list") || hasFlag(args, 'S', "--list-rules") {
			a.c.add(Read, "shell: "+name+" -L")
			return
		}
		a.c.add(Write, "shell: "+name)
		return
	}
	v := verbScan(args, 2)
	switch {
	case destructiveWords[v] || v == "" && hasWord(args, "flush", "disable", "reset", "--panic-on", "-F", "-d"):
		a.c.add(Destructive, "shell: "+name+" changes firewall rules")
	case hasWord(args, "flush", "disable", "reset", "--panic-on", "-F", "-d"):
		a.c.add(Destructive, "shell: "+name+" changes firewall rules")
	case readWords[v] || hasWord(args, "--list-all", "-s"):
		a.c.add(Read, "shell: "+name+" "+v)
	default:
		a.c.add(Write, "shell: "+name)
	}
}

func initCmd(a *shellAnalysis, name string, args []word, nesting int) {
	if len(args) > 0 && (args[0].s == "0" || args[0].s == "6" || args[0].s == "1" || args[0].s == "s") {
		a.c.add(Destructive, "shell: init "+args[0].s)
		return
	}
	a.c.add(Write, "shell: init")
}

func hasWord(args []word, ws ...string) bool {
	for _, w := range args {
		for _, x := range ws {
			if w.s == x {
				return true
			}
		}
	}
	return false
}

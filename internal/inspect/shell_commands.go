package inspect

import "strings"

// cmdSpec says what running a command does. A spec with run decides from
// the arguments; tier is then its most dangerous outcome, used when the
// command line cannot be parsed.
type cmdSpec struct {
	tier   Tier
	reason string
	run    func(a *shellAnalysis, name string, args []word, nesting int)
}

var commands = map[string]cmdSpec{}

func register(t Tier, names ...string) {
	for _, n := range names {
		commands[n] = cmdSpec{tier: t}
	}
}

func handle(t Tier, run func(a *shellAnalysis, name string, args []word, nesting int), names ...string) {
	for _, n := range names {
		commands[n] = cmdSpec{tier: t, run: run}
	}
}

func init() {
	register(Read, "ls", "ll", "dir", "cat", "bat", "head", "tail", "grep", "egrep", "fgrep", "rg", "ag",
		"ack", "fd", "wc", "echo", "printf", "pwd", "which", "whereis", "type", "whoami", "id",
		"hostname", "uname", "date", "cal", "printenv", "ps", "pgrep", "pidof", "top", "htop", "df",
		"du", "stat", "file", "tree", "less", "more", "cut", "tr", "nl", "od", "xxd", "hexdump",
		"strings", "md5sum", "sha1sum", "sha256sum", "sha512sum", "shasum", "cksum", "b2sum",
		"base64", "diff", "cmp", "comm", "jq", "yq", "column", "fold", "fmt", "paste", "join", "rev",
		"tac", "true", "false", "test", "[", "basename", "dirname", "realpath", "readlink", "seq",
		"sleep", "expr", "bc", "lsof", "netstat", "ss", "free", "uptime", "w", "who", "last",
		"lsblk", "blkid", "history", "dig", "nslookup", "host", "ping", "traceroute", "man", "help",
		"cd", "pushd", "popd", "set", "unset", "export", "alias", "shift", "read", "wait", "getopts",
		"hash", "ulimit", "umask", ":", "locale", "tput", "clear", "nproc", "arch", "lscpu",
		"lsusb", "lspci", "vmstat", "iostat", "dmesg", "journalctl", "env-list", "groups", "users",
		"zcat", "zgrep", "bzcat", "xzcat", "gunzip-c", "tldr", "look", "numfmt", "sum", "factor",
		"shuf", "tsort", "expand", "unexpand", "pr", "csplit-dry", "sha224sum", "sha384sum", "md5",
		"nm", "objdump", "readelf", "ldd", "size", "getent", "logname", "tty", "mesg-status",
		"compgen", "complete", "jobs", "fg", "bg", "disown", "times", "trap", "let", "local",
		"declare", "typeset", "readonly", "return", "exit", "break", "continue", "echo-n", "yes",
		"sw_vers", "system_profiler", "ipconfig", "ifconfig-show", "route-show", "arp", "lsattr",
		"getfacl", "namei", "whatis", "apropos", "info", "pinky", "finger", "mdfind", "mdls",
		"pbpaste", "fzf", "delta", "difft", "exa", "eza", "lsd", "dust", "duf", "btop", "procs",
		"hyperfine-list", "tokei", "cloc", "scc", "hexyl", "glow", "mdcat")
	register(Write, "mkdir", "touch", "cp", "mv", "ln", "install", "mktemp", "chattr", "setfacl",
		"vi", "vim", "nvim", "nano", "emacs", "code", "open", "xdg-open", "start", "make", "cmake",
		"ninja", "gcc", "cc", "clang", "g++", "javac", "rustc", "tar", "zip", "unzip", "gzip",
		"gunzip", "bzip2", "xz", "unxz", "7z", "patch", "mail", "sendmail", "mutt", "scp", "sftp",
		"ftp", "nc", "ncat", "netcat", "socat", "telnet", "passwd", "usermod", "useradd",
		"groupadd", "visudo", "ifconfig", "route", "ip", "mount", "umount", "swapon", "swapoff",
		"hostnamectl", "timedatectl", "localectl", "at", "batch", "pbcopy", "xclip", "xsel",
		"notify-send", "say", "osascript", "split", "csplit", "wall", "write", "logger",
		"ssh-keygen", "ssh-add", "gpg", "openssl", "certbot", "ffmpeg", "convert", "magick",
		"pandoc", "screen", "tmux", "nohup-bg", "renice", "sysctl", "modprobe", "insmod",
		"update-alternatives", "ldconfig", "defaults", "launchctl-load", "brew-services", "rename",
		"sponge", "wget2", "aria2c", "yt-dlp", "git-lfs", "direnv", "source-env", "history-clear")
	register(Destructive, "rmdir", "unlink", "shred", "wipe", "srm", "wipefs", "mkfs", "mke2fs",
		"mkswap", "fdisk", "sfdisk", "cfdisk", "parted", "gdisk", "sgdisk", "truncate", "pkill",
		"killall", "skill", "xkill", "shutdown", "reboot", "halt", "poweroff", "userdel",
		"groupdel", "deluser", "delgroup", "rmmod", "blkdiscard", "hdparm", "dd", "losetup",
		"cryptsetup", "zpool", "zfs", "lvremove", "vgremove", "pvremove", "mdadm", "diskutil",
		"format", "del", "erase", "rd", "fsck", "e2fsck", "debugfs", "kexec", "telinit",
		"pm2-delete", "srm-secure", "rimraf", "trash", "trash-put", "gio-trash")
	commands["rm"] = cmdSpec{tier: Destructive, run: rmCmd}
	for _, n := range []string{"mkfs.ext4", "mkfs.ext3", "mkfs.xfs", "mkfs.vfat", "mkfs.fat", "mkfs.btrfs", "mkfs.ntfs", "mkfs.exfat", "mkdosfs", "newfs"} {
		commands[n] = cmdSpec{tier: Destructive}
	}
	handle(Write, wrapperCmd, "sudo", "doas", "pkexec", "run0", "env", "nice", "nohup", "timeout",
		"gtimeout", "time", "command", "builtin", "exec", "stdbuf", "ionice", "setsid", "chroot",
		"flock", "taskset", "chrt", "unbuffer", "caffeinate", "torsocks", "proxychains",
		"proxychains4", "strace", "ltrace", "xargs", "parallel", "firejail", "systemd-run", "nsenter",
		"unshare", "script", "runuser")
	handle(Write, shellCmd, "sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish", "csh", "tcsh", "busybox")
	handle(Write, interpreterCmd, "python", "python2", "python3", "perl", "ruby", "node", "nodejs",
		"deno", "bun", "php", "lua", "pwsh", "powershell", "tclsh", "rscript", "julia", "go-run",
		"npx", "bunx", "pnpx", "uvx", "pipx-run", "java", "dotnet", "groovy", "scala", "swift", "irb")
	handle(Write, evalCmd, "eval", "source", ".", "iex", "invoke-expression")
	handle(Write, sshCmd, "ssh", "su", "watch")
	handle(Destructive, findCmd, "find")
	handle(Destructive, permCmd, "chmod", "chown", "chgrp")
	handle(Destructive, killCmd, "kill")
	handle(Destructive, teeCmd, "tee")
	handle(Write, sedCmd, "sed", "gsed")
	handle(Write, awkCmd, "awk", "gawk", "mawk", "nawk")
	handle(Write, sortCmd, "sort", "uniq")
	handle(Destructive, rsyncCmd, "rsync", "rclone")
	handle(Write, curlCmd, "curl")
	handle(Write, wgetCmd, "wget")
	handle(Write, httpieCmd, "http", "https", "xh")
	handle(Destructive, crontabCmd, "crontab")
	handle(Destructive, firewallCmd, "iptables", "ip6tables", "nft", "ufw", "firewall-cmd", "pfctl")
	handle(Destructive, initCmd, "init")
	registerTools()
}

// argv classifies one simple command.
func (a *shellAnalysis) argv(argv []word, nesting int) {
	if len(argv) == 0 || !a.spend(len(argv)) {
		return
	}
	if !argv[0].lit {
		if a.hasDownload(argv[0]) {
			a.c.add(Destructive, "shell: runs downloaded code")
			return
		}
		a.c.add(Write, "shell: command name from an expansion")
		return
	}
	name := cmdName(argv[0].s)
	if name == "" {
		return
	}
	if name != "[" && name != "[[" && strings.ContainsAny(argv[0].s, "*?[{") {
		// /bin/r? and {rm,-rf,x} run whatever matches: an evasion, not a habit.
		a.c.add(Destructive, "shell: command name is a pattern ("+snippet(name)+")")
		return
	}
	spec, ok := commands[name]
	switch {
	case !ok && strings.HasPrefix(name, "mkfs"):
		a.c.add(Destructive, "shell: "+snippet(name))
	case !ok:
		a.unknown(name, argv[1:])
	case spec.run != nil:
		spec.run(a, name, argv[1:], nesting)
	default:
		reason := spec.reason
		if reason == "" {
			reason = "shell: " + name
		}
		a.c.add(spec.tier, reason)
	}
}

// destructiveWords in a subcommand of an unknown tool (terraform destroy,
// gh repo delete, mytool purge-cache) make the call destructive.
var destructiveWords = setOf("delete", "destroy", "drop", "purge", "remove", "rm", "rmi", "terminate",
	"kill", "prune", "wipe", "erase", "truncate", "nuke", "rb", "deregister", "unregister", "revoke")

var readWords = setOf("list", "ls", "get", "describe", "show", "view", "status", "info", "version",
	"help", "whoami", "logs", "log", "search", "diff", "inspect", "cat", "read", "check", "validate",
	"plan", "output", "history", "top", "explain", "query", "find", "lookup", "print", "current")

// unknown commands are writes unless a subcommand names destruction; asking
// only for a version or help is a read.
func (a *shellAnalysis) unknown(name string, args []word) {
	if v := verbScan(args, 4); v != "" && destructiveWords[v] {
		a.c.add(Destructive, "shell: "+snippet(name)+" "+v)
		return
	}
	onlyHelp := len(args) > 0
	for _, w := range args {
		switch w.s {
		case "--version", "-v", "-V", "--help", "-h", "version", "help":
		default:
			onlyHelp = false
		}
	}
	if onlyHelp {
		a.c.add(Read, "shell: "+snippet(name)+" "+snippet(args[0].s))
		return
	}
	a.c.add(Write, "shell: runs "+snippet(name))
}

// verbScan returns the most dangerous verb among the first n positional
// arguments (words split on - _ :), a destructive one first, else the first
// read verb, else "".
func verbScan(args []word, n int) string {
	first := ""
	seen := 0
	for _, w := range args {
		if seen == n {
			break
		}
		if strings.HasPrefix(w.s, "-") {
			if strings.HasPrefix(w.s, "--delete") || strings.HasPrefix(w.s, "--purge") || w.s == "--force-delete" {
				return "delete"
			}
			continue
		}
		seen++
		for _, part := range strings.FieldsFunc(strings.ToLower(w.s), func(r rune) bool { return r == '-' || r == '_' || r == ':' || r == '.' }) {
			if destructiveWords[part] {
				return part
			}
			if first == "" && readWords[part] {
				first = part
			}
		}
	}
	return first
}

// skipOpts returns the index of the first positional argument; withArg
// lists the options that take a value as the next word.
func skipOpts(args []word, withArg map[string]bool) int {
	i := 0
	for i < len(args) {
		s := args[i].s
		switch {
		case s == "--":
			return i + 1
		case !strings.HasPrefix(s, "-") || s == "-":
			return i
		case strings.HasPrefix(s, "--"):
			if !strings.Contains(s, "=") && withArg[s] {
				i++
			}
		case len(s) == 2 && withArg[s]:
			i++
		}
		i++
	}
	// An option that takes a value may be the last word ("ssh -B"): the
	// index is then past the end, and callers slice args with it.
	return min(i, len(args))
}

// hasFlag reports whether a short flag letter (in any combined form such as
// -rf) or one of the long forms is present.
func hasFlag(args []word, short byte, long ...string) bool {
	for _, w := range args {
		s := w.s
		if s == "--" {
			return false
		}
		if strings.HasPrefix(s, "--") {
			for _, l := range long {
				if s == l || strings.HasPrefix(s, l+"=") {
					return true
				}
			}
			continue
		}
		if short != 0 && len(s) > 1 && s[0] == '-' && strings.IndexByte(s[1:], short) >= 0 {
			return true
		}
	}
	return false
}

func positional(args []word, withArg map[string]bool) []word {
	var out []word
	for i := 0; i < len(args); i++ {
		s := args[i].s
		if s == "--" {
			return append(out, args[i+1:]...)
		}
		if strings.HasPrefix(s, "-") && s != "-" {
			if (len(s) == 2 || (strings.HasPrefix(s, "--") && !strings.Contains(s, "="))) && withArg[s] {
				i++
			}
			continue
		}
		out = append(out, args[i])
	}
	return out
}

func joinWords(ws []word) (string, bool) {
	parts := make([]string, len(ws))
	lit := true
	for i, w := range ws {
		parts[i] = w.s
		lit = lit && w.lit
	}
	return strings.Join(parts, " "), lit
}

package inspect

import "strings"

func registerTools() {
	handle(Destructive, gitCmd, "git")
	handle(Destructive, kubectlCmd, "kubectl", "oc", "k3s-kubectl", "microk8s.kubectl")
	handle(Destructive, helmCmd, "helm")
	handle(Destructive, dockerCmd, "docker", "podman", "nerdctl", "docker-compose", "podman-compose")
	handle(Destructive, serviceCmd, "systemctl", "service", "launchctl", "rc-service", "sv")
	handle(Destructive, sqlClientCmd, "psql", "mysql", "mariadb", "sqlite3", "sqlite", "duckdb", "clickhouse-client", "cqlsh")
	handle(Destructive, redisCmd, "redis-cli", "valkey-cli")
	handle(Destructive, cliCmd, "terraform", "tofu", "pulumi", "aws", "gcloud", "gsutil", "az", "doctl",
		"gh", "glab", "heroku", "fly", "flyctl", "vercel", "netlify", "stripe", "firebase", "wrangler",
		"supabase", "railway", "kind", "minikube", "eksctl", "ansible", "ansible-playbook", "vault",
		"consul", "nomad", "mc", "s3cmd", "az-cli", "oci", "ibmcloud", "linode-cli", "hcloud", "scw")
	handle(Write, packageCmd, "npm", "yarn", "pnpm", "pip", "pip3", "uv", "poetry", "pipx", "cargo",
		"go", "gem", "bundle", "brew", "apt", "apt-get", "dnf", "yum", "pacman", "apk", "snap",
		"flatpak", "port", "choco", "winget", "scoop", "composer", "conda", "mamba", "nix", "nix-env",
		"rustup", "deno-task", "mvn", "gradle", "dotnet-tool", "zypper", "emerge", "dpkg", "rpm")
}

// subcommand returns the first positional word, lower-cased, and the words after it.
func subcommand(args []word, withArg map[string]bool) (string, []word) {
	i := skipOpts(args, withArg)
	if i >= len(args) {
		return "", nil
	}
	return strings.ToLower(args[i].s), args[i+1:]
}

var kubectlOpts = setOf("-n", "--namespace", "--context", "--kubeconfig", "-s", "--server", "--cluster",
	"--user", "--token", "--as", "--as-group", "-l", "--selector", "-o", "--output", "-c", "--container")

func kubectlCmd(a *shellAnalysis, name string, args []word, nesting int) {
	sub, rest := subcommand(args, kubectlOpts)
	r := "shell: " + name + " " + snippet(sub)
	switch sub {
	case "get", "describe", "logs", "top", "explain", "api-resources", "api-versions", "version",
		"cluster-info", "diff", "events", "auth", "wait", "completion", "plugin", "":
		a.c.add(Read, r)
	case "config":
		if v, _ := subcommand(rest, nil); strings.HasPrefix(v, "get-") || v == "view" || v == "current-context" {
			a.c.add(Read, r)
			return
		}
		a.c.add(Write, r)
	case "delete", "drain", "uncordon-all":
		a.c.add(Destructive, r)
	case "replace":
		if hasFlag(rest, 0, "--force") {
			a.c.add(Destructive, r+" --force")
			return
		}
		a.c.add(Write, r)
	case "apply":
		if hasFlag(rest, 0, "--prune", "--force") {
			a.c.add(Destructive, r+" --prune")
			return
		}
		a.c.add(Write, r)
	case "rollout":
		if v, _ := subcommand(rest, kubectlOpts); v == "status" || v == "history" {
			a.c.add(Read, r+" "+v)
			return
		}
		a.c.add(Write, r)
	case "exec":
		a.c.add(Write, r)
		for i, w := range rest {
			if w.s == "--" {
				a.argv(rest[i+1:], nesting)
				break
			}
		}
	default:
		a.c.add(Write, r)
	}
}

func helmCmd(a *shellAnalysis, name string, args []word, nesting int) {
	sub, rest := subcommand(args, kubectlOpts)
	switch sub {
	case "list", "ls", "status", "get", "history", "show", "template", "search", "version", "env",
		"lint", "verify", "help", "":
		a.c.add(Read, "shell: helm "+snippet(sub))
	case "uninstall", "delete", "del", "rollback":
		a.c.add(Destructive, "shell: helm "+sub)
	case "repo", "plugin":
		if v, _ := subcommand(rest, nil); v == "list" || v == "ls" {
			a.c.add(Read, "shell: helm "+sub+" list")
			return
		}
		a.c.add(Write, "shell: helm "+sub)
	default:
		a.c.add(Write, "shell: helm "+snippet(sub))
	}
}

var dockerOpts = setOf("-H", "--host", "--context", "-c", "--config", "-l", "--log-level", "-f", "--file", "-p", "--project-name", "--env-file", "--profile")

var dockerRead = setOf("ps", "images", "inspect", "logs", "version", "info", "stats", "top", "history",
	"port", "diff", "search", "events", "ls", "config", "df", "help", "")

var dockerDestructive = setOf("rm", "rmi", "kill", "stop", "prune", "down", "remove", "delete")

func dockerCmd(a *shellAnalysis, name string, args []word, nesting int) {
	sub, rest := subcommand(args, dockerOpts)
	r := "shell: " + name + " " + snippet(sub)
	// docker compose X, docker container rm, docker system prune ...
	switch sub {
	case "compose", "container", "image", "volume", "network", "system", "builder", "buildx", "context", "plugin", "secret", "node", "service", "stack":
		v, _ := subcommand(rest, dockerOpts)
		r += " " + snippet(v)
		switch {
		case dockerDestructive[v]:
			a.c.add(Destructive, r)
		case dockerRead[v] || v == "list":
			a.c.add(Read, r)
		default:
			a.c.add(Write, r)
		}
		return
	}
	switch {
	case dockerDestructive[sub]:
		a.c.add(Destructive, r)
	case dockerRead[sub]:
		a.c.add(Read, r)
	case sub == "exec":
		a.c.add(Write, r)
		if i := skipOpts(rest, setOf("-e", "--env", "-u", "--user", "-w", "--workdir", "--env-file")); i+1 < len(rest) {
			a.argv(rest[i+1:], nesting)
		}
	case sub == "run" || sub == "create":
		// The command runs in a container, but mounted host folders are
		// real: docker run -v /:/host alpine rm -rf /host.
		a.c.add(Write, r)
		if i := skipOpts(rest, dockerRunOpts); i+1 < len(rest) {
			a.argv(rest[i+1:], nesting)
		}
	default:
		a.c.add(Write, r)
	}
}

var dockerRunOpts = setOf("-v", "--volume", "-e", "--env", "-p", "--publish", "--name", "-w", "--workdir",
	"--entrypoint", "-u", "--user", "--network", "--net", "-m", "--memory", "--cpus", "--mount", "-l",
	"--label", "--env-file", "--platform", "--restart", "-h", "--hostname", "--add-host", "--device",
	"--cap-add", "--cap-drop", "--security-opt", "--pull", "--ulimit", "--tmpfs", "--log-driver",
	"--log-opt", "--shm-size", "--gpus", "--ipc", "--pid", "--dns", "--expose", "--link", "--volumes-from")

func serviceCmd(a *shellAnalysis, name string, args []word, nesting int) {
	pos := positional(args, setOf("-H", "--host", "-M", "--machine", "-p", "--property", "-t", "--type", "-n", "--lines", "-o", "--output", "-s", "--signal"))
	verb := ""
	switch {
	case name == "service" && len(pos) > 1:
		verb = strings.ToLower(pos[1].s)
	case name == "sv" && len(pos) > 0, name == "rc-service" && len(pos) > 1:
		verb = strings.ToLower(pos[len(pos)-1].s)
	case len(pos) > 0:
		verb = strings.ToLower(pos[0].s)
	}
	r := "shell: " + name + " " + snippet(verb)
	switch verb {
	case "status", "show", "list-units", "list-unit-files", "list-timers", "list-sockets", "list-dependencies",
		"is-active", "is-enabled", "is-failed", "cat", "help", "get-default", "list", "print", "blame",
		"list-jobs", "show-environment", "--version", "":
		a.c.add(Read, r)
	case "stop", "disable", "mask", "kill", "isolate", "poweroff", "reboot", "halt", "emergency",
		"rescue", "kexec", "unload", "remove", "bootout", "down", "exit", "soft-reboot", "hibernate", "suspend":
		a.c.add(Destructive, r)
	default:
		a.c.add(Write, r)
	}
}

// sqlClientCmd inspects the SQL a database client is given on its command
// line; with none it reads SQL from its input, which is a write.
func sqlClientCmd(a *shellAnalysis, name string, args []word, nesting int) {
	var sqls []word
	for i, w := range args {
		s := w.s
		next := func() {
			if i+1 < len(args) {
				sqls = append(sqls, args[i+1])
			}
		}
		switch {
		case s == "-c" || s == "--command" || s == "-e" || s == "--execute" || s == "-cmd" || s == "-q" || s == "--query":
			next()
		case strings.HasPrefix(s, "--command=") || strings.HasPrefix(s, "--execute=") || strings.HasPrefix(s, "--query="):
			sqls = append(sqls, word{s: s[strings.IndexByte(s, '=')+1:], lit: w.lit})
		case name == "mysql" && strings.HasPrefix(s, "-e") && len(s) > 2:
			sqls = append(sqls, word{s: s[2:], lit: w.lit})
		case s == "-f" || s == "--file" || s == "-init" || strings.HasPrefix(s, "--file="):
			a.c.add(Write, "shell: "+name+" runs a SQL file")
		}
	}
	if name == "sqlite3" || name == "sqlite" || name == "duckdb" {
		pos := positional(args, setOf("-cmd", "-separator", "-newline", "-nullvalue", "-c", "-s", "-init"))
		if len(pos) > 1 {
			sqls = append(sqls, pos[1:]...)
		}
	}
	if len(sqls) == 0 {
		if hasFlag(args, 0, "--version", "--help", "--list") || hasWord(args, "-l", "-V", "-version") {
			a.c.add(Read, "shell: "+name+" --version")
			return
		}
		a.c.add(Write, "shell: "+name+" runs SQL from its input")
		return
	}
	for _, s := range sqls {
		if !s.lit {
			a.c.add(Write, "shell: "+name+" runs SQL from an expansion")
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(s.s), ".") {
			a.dotCommand(name, strings.TrimSpace(s.s))
			continue
		}
		a.c.addFinding(SQL(s.s))
	}
}

// dotCommand classifies sqlite3's own commands (.tables, .shell ...).
func (a *shellAnalysis) dotCommand(name, s string) {
	cmd := strings.Fields(s)[0]
	switch cmd {
	case ".shell", ".system":
		a.c.add(Destructive, "shell: "+name+" "+cmd+" runs a shell command")
	case ".restore", ".load":
		a.c.add(Destructive, "shell: "+name+" "+cmd)
	case ".tables", ".schema", ".indexes", ".indices", ".dump", ".mode", ".headers", ".databases",
		".show", ".help", ".fullschema", ".dbinfo", ".width", ".timer", ".quit", ".exit", ".stats":
		a.c.add(Read, "shell: "+name+" "+cmd)
	default:
		a.c.add(Write, "shell: "+name+" "+snippet(cmd))
	}
}

var redisRead = setOf("get", "mget", "keys", "scan", "exists", "ttl", "pttl", "type", "hget", "hgetall",
	"hkeys", "hvals", "hlen", "hexists", "hmget", "hscan", "lrange", "llen", "lindex", "smembers", "scard",
	"sismember", "sscan", "zrange", "zrangebyscore", "zrevrange", "zcard", "zscore", "zrank", "zscan",
	"strlen", "info", "ping", "dbsize", "time", "xrange", "xrevrange", "xlen", "xread", "pfcount",
	"getrange", "echo", "randomkey", "object", "memory", "slowlog", "latency", "role", "lastsave", "command")
var redisDestructive = setOf("flushall", "flushdb", "del", "unlink", "shutdown", "debug", "swapdb",
	"hdel", "srem", "zrem", "lrem", "ltrim", "lpop", "rpop", "spop", "zpopmin", "zpopmax", "xdel",
	"xtrim", "getdel", "zremrangebyscore", "zremrangebyrank", "script", "function", "failover",
	"replicaof", "slaveof", "cluster", "module", "acl")

func redisCmd(a *shellAnalysis, name string, args []word, nesting int) {
	pos := positional(args, setOf("-h", "-p", "-a", "-n", "-u", "-r", "-i", "-s", "--user", "--pass", "--tls-cert", "--cacert"))
	if len(pos) == 0 {
		a.c.add(Write, "shell: "+name+" runs commands from its input")
		return
	}
	cmd := strings.ToLower(pos[0].s)
	r := "shell: " + name + " " + snippet(cmd)
	switch {
	case redisDestructive[cmd]:
		a.c.add(Destructive, r)
	case redisRead[cmd]:
		a.c.add(Read, r)
	default:
		a.c.add(Write, r)
	}
}

// cliCmd covers verb-driven cloud and infrastructure tools: a destructive
// verb anywhere in the first words decides; only read verbs make a read.
func cliCmd(a *shellAnalysis, name string, args []word, nesting int) {
	if name == "gh" || name == "glab" {
		if sub, rest := subcommand(args, nil); sub == "api" {
			a.ghAPI(name, rest)
			return
		}
	}
	v := verbScan(args, 3)
	r := "shell: " + name + " " + snippet(v)
	switch {
	case destructiveWords[v]:
		a.c.add(Destructive, r)
	case (name == "terraform" || name == "tofu" || name == "pulumi") && (v == "" || hasWord(args, "apply", "up", "import", "refresh", "taint")):
		// Applying a plan can destroy whatever the plan replaces.
		a.c.add(Destructive, "shell: "+name+" apply")
	case readWords[v]:
		a.c.add(Read, r)
	default:
		a.c.add(Write, "shell: "+name+" "+snippet(firstPositional(args)))
	}
}

func (a *shellAnalysis) ghAPI(name string, args []word) {
	for i, w := range args {
		if (w.s == "-X" || w.s == "--method") && i+1 < len(args) {
			a.httpMethod(name+" api", args[i+1].s)
			return
		}
		if strings.HasPrefix(w.s, "--method=") {
			a.httpMethod(name+" api", strings.TrimPrefix(w.s, "--method="))
			return
		}
	}
	for _, w := range args {
		switch w.s {
		case "-f", "-F", "--field", "--raw-field", "--input":
			a.c.add(Write, "shell: "+name+" api POST")
			return
		}
	}
	a.c.add(Read, "shell: "+name+" api GET")
}

func firstPositional(args []word) string {
	if p := positional(args, nil); len(p) > 0 {
		return p[0].s
	}
	return ""
}

var packageRead = setOf("list", "ls", "show", "info", "search", "view", "outdated", "freeze", "audit",
	"why", "explain", "config", "help", "version", "--version", "-v", "-V", "env", "doctor", "check",
	"query", "policy", "depends", "rdepends", "tree", "licenses", "vet", "fmt-check", "owner", "root", "bin", "prefix", "")

func packageCmd(a *shellAnalysis, name string, args []word, nesting int) {
	sub, _ := subcommand(args, setOf("-C", "--prefix", "--cwd", "-p", "--project", "-r", "--registry"))
	r := "shell: " + name + " " + snippet(sub)
	switch {
	case packageRead[sub]:
		a.c.add(Read, r)
	case sub == "purge" || sub == "autoremove" || sub == "autopurge" || (name == "go" && sub == "clean"):
		a.c.add(Destructive, r)
	default:
		// install, run, test, build, uninstall: changes the environment or
		// runs project scripts; uninstalled packages can be reinstalled.
		a.c.add(Write, r)
	}
}

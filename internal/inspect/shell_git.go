package inspect

import "strings"

var gitGlobalOpts = setOf("-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env", "--exec-path", "--super-prefix")

var gitRead = setOf("status", "log", "diff", "show", "blame", "grep", "ls-files", "ls-tree", "ls-remote",
	"rev-parse", "describe", "shortlog", "cat-file", "whatchanged", "count-objects", "var",
	"check-ignore", "check-attr", "name-rev", "merge-base", "rev-list", "for-each-ref", "show-ref",
	"show-branch", "version", "help", "annotate", "cherry", "range-diff", "difftool", "verify-commit",
	"verify-tag", "fsck", "instaweb-status", "bugreport", "diff-tree", "diff-files", "diff-index")

// gitCmd classifies git by subcommand; history rewrites that lose work,
// force pushes and deletions are destructive.
func gitCmd(a *shellAnalysis, name string, args []word, nesting int) {
	i := skipOpts(args, gitGlobalOpts)
	if i >= len(args) {
		a.c.add(Read, "shell: git")
		return
	}
	sub, rest := args[i].s, args[i+1:]
	d := func(why string) { a.c.add(Destructive, "shell: git "+why) }
	w := func(why string) { a.c.add(Write, "shell: git "+why) }
	pos := positional(rest, setOf("-m", "-b", "-B", "-c", "-C", "-u", "--set-upstream-to", "-t", "--track"))
	switch sub {
	case "push":
		for _, x := range rest {
			switch {
			case x.s == "--force" || x.s == "-f" || strings.HasPrefix(x.s, "--force-with-lease") ||
				x.s == "--force-if-includes" || x.s == "--mirror" || x.s == "--prune" ||
				len(x.s) > 1 && x.s[0] == '-' && x.s[1] != '-' && strings.ContainsRune(x.s, 'f'):
				d("push --force")
				return
			case x.s == "--delete" || x.s == "-d":
				d("push --delete")
				return
			case strings.HasPrefix(x.s, "+"):
				d("push " + snippet(x.s) + " (force refspec)")
				return
			case strings.HasPrefix(x.s, ":") && len(x.s) > 1:
				d("push " + snippet(x.s) + " (deletes a remote branch)")
				return
			case !x.lit:
				d("push with arguments from an expansion")
				return
			}
		}
		w("push")
	case "reset":
		if hasFlag(rest, 0, "--hard", "--merge", "--keep") {
			d("reset --hard")
			return
		}
		w("reset")
	case "clean":
		if hasFlag(rest, 'n', "--dry-run") {
			a.c.add(Read, "shell: git clean --dry-run")
			return
		}
		d("clean")
	case "checkout":
		for _, x := range rest {
			if x.s == "--" || x.s == "." || x.s == "-f" || x.s == "--force" || x.s == "-p" || x.s == "--patch" || strings.HasPrefix(x.s, "--ours") || strings.HasPrefix(x.s, "--theirs") {
				d("checkout " + x.s + " (discards local changes)")
				return
			}
		}
		w("checkout")
	case "restore":
		if hasFlag(rest, 'S', "--staged") && !hasFlag(rest, 'W', "--worktree") {
			w("restore --staged")
			return
		}
		d("restore (discards local changes)")
	case "switch":
		if hasFlag(rest, 0, "--discard-changes", "--force") || hasFlag(rest, 'f') || hasWord(rest, "-C") {
			d("switch --discard-changes")
			return
		}
		w("switch")
	case "branch":
		switch {
		case hasWord(rest, "-D") || (hasFlag(rest, 'd', "--delete") && hasFlag(rest, 'f', "--force")):
			d("branch -D")
		case hasFlag(rest, 'd', "--delete"):
			w("branch -d")
		case hasWord(rest, "-M", "-C") || hasFlag(rest, 0, "--force") || hasWord(rest, "-f"):
			d("branch --force (overwrites a branch)")
		case hasFlag(rest, 'm', "--move") || hasFlag(rest, 'c', "--copy") || hasFlag(rest, 'u', "--set-upstream-to", "--unset-upstream", "--edit-description"):
			w("branch")
		case len(pos) > 0 && !hasFlag(rest, 'l', "--list", "--contains", "--merged", "--no-merged", "--points-at"):
			w("branch (creates a branch)")
		default:
			a.c.add(Read, "shell: git branch")
		}
	case "tag":
		switch {
		case hasFlag(rest, 'd', "--delete"):
			d("tag -d")
		case hasFlag(rest, 'f', "--force"):
			d("tag --force")
		case len(pos) == 0 || hasFlag(rest, 'l', "--list", "--contains", "--points-at"):
			a.c.add(Read, "shell: git tag")
		default:
			w("tag")
		}
	case "stash":
		v := ""
		if len(pos) > 0 {
			v = pos[0].s
		}
		switch v {
		case "list", "show":
			a.c.add(Read, "shell: git stash "+v)
		case "drop", "clear":
			d("stash " + v)
		default:
			w("stash")
		}
	case "reflog":
		if len(pos) > 0 && (pos[0].s == "expire" || pos[0].s == "delete") {
			d("reflog " + pos[0].s)
			return
		}
		a.c.add(Read, "shell: git reflog")
	case "remote", "config", "worktree", "submodule", "notes", "lfs", "sparse-checkout":
		if len(pos) == 0 || hasFlag(rest, 'l', "--list", "--get", "--get-all", "--get-regexp", "--show-origin") ||
			hasWord(pos[:1], "list", "show", "get-url", "status", "ls-files", "get", "-v") {
			a.c.add(Read, "shell: git "+sub)
			return
		}
		if hasWord(pos[:1], "remove", "rm", "prune", "deinit", "--unset", "--unset-all", "--remove-section") || hasFlag(rest, 0, "--unset", "--unset-all", "--remove-section") {
			d(sub + " " + snippet(pos[0].s))
			return
		}
		w(sub)
	case "gc", "prune":
		if sub == "prune" || hasFlag(rest, 0, "--prune") {
			d(sub + " (drops unreachable commits)")
			return
		}
		w("gc")
	case "filter-branch", "filter-repo", "update-ref", "replace":
		d(sub + " (rewrites history)")
	case "rm":
		// Committed files come back from history; -f drops uncommitted work.
		if hasFlag(rest, 'f', "--force") {
			d("rm -f")
			return
		}
		w("rm")
	default:
		if gitRead[sub] {
			a.c.add(Read, "shell: git "+sub)
			return
		}
		w(snippet(sub))
	}
}

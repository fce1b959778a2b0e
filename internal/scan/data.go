package scan

import (
	"strings"
)

// Data going out: files that hold secrets named next to words that move
// data, and URLs built to carry data in their query.

// sensitivePaths are files whose contents no tool description has a reason
// to ask for: keys, credentials, host configs with tokens.
// Config files a server may legitimately mention (~/.ssh/config,
// ~/.kube/config) are left out.
var sensitivePaths = []string{"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "mcp.json",
	"claude_desktop_config", ".cursor/", ".aws/credentials", ".netrc", ".git-credentials", ".npmrc",
	".pypirc", ".docker/config.json", "/etc/shadow", ".bash_history", ".zsh_history", "wallet.dat",
	".gnupg", ".env"}

// flowWords move data somewhere; with a secret file they make an
// exfiltration hint.
var flowWords = map[string]bool{"pass": true, "include": true, "send": true, "content": true,
	"contents": true, "read": true, "attach": true, "upload": true, "append": true, "concatenate": true,
	"concantate": true, "sidenote": true, "parameter": true, "argument": true, "cat": true,
	"copy": true, "post": true, "forward": true, "embed": true, "insert": true, "provide": true}

// dataHits are the exfiltration hints that are not word patterns.
func dataHits(s string, toks []token) []hit {
	var hits []hit
	low := asciiLower(s)
	for _, p := range sensitivePaths {
		i := strings.Index(low, p)
		for i >= 0 && p == ".env" && !envFile(low, i) {
			j := strings.Index(low[i+1:], p)
			if j < 0 {
				i = -1
				break
			}
			i += 1 + j
		}
		if i < 0 {
			continue
		}
		kind := hitSensitiveMention
		for _, t := range toks {
			if flowWords[t.w] {
				kind = hitSensitivePath
				break
			}
		}
		from, to := i, i+len(p)
		for from > 0 && !pathEnd(s[from-1]) {
			from--
		}
		for to < len(s) && !pathEnd(s[to]) {
			to++
		}
		hits = append(hits, hit{pattern: kind, from: from, to: to})
		break
	}
	for _, t := range toks {
		if t.w == "<url>" && carriesData(t.raw) {
			hits = append(hits, hit{pattern: hitDataURL, from: t.start, to: t.end})
			break
		}
	}
	return hits
}

// pathEnd bytes end the path named in a sentence.
func pathEnd(c byte) bool {
	return c <= ' ' || strings.IndexByte("`'\"()<>,;", c) >= 0
}

// envFile: ".env" as a file name (".env", ".env.local"), not part of a word
// like ".environment".
func envFile(low string, i int) bool {
	if i > 0 && (isWordByte(low[i-1]) && low[i-1] != '/') {
		return false
	}
	end := i + 4
	return end == len(low) || !isWordByte(low[end])
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
}

// carriesData: a URL whose query or path has a placeholder for data to be
// filled in ({contents}, <history>, $TOKEN, [DATA]).
func carriesData(u string) bool {
	q := strings.IndexAny(u, "?#")
	if q < 0 && len(u) > 8 {
		if k := strings.Index(u[8:], "/"); k >= 0 {
			q = 8 + k // the path can carry data too
		}
	}
	if q < 0 {
		return false
	}
	rest := strings.ToLower(u[q:])
	for _, m := range []string{"{", "}", "<", ">", "$", "[", "%7b", "%3c", "%24", "%5b"} {
		if strings.Contains(rest, m) {
			return true
		}
	}
	return false
}

package scan

import (
	"strings"
)

// Data going out: files that hold secrets named next to words that move
// data, and URLs built to carry data in their query.

// secretFiles are files whose contents no tool description has a reason to
// ask for: keys, credentials, host configs with tokens, shell history. Each
// is found as a word and what must come right before it ("mcp." before
// "json"). Config files a server may legitimately mention (~/.ssh/config,
// ~/.kube/config) are left out.
var secretFiles = map[string]string{
	"id_rsa": "", "id_dsa": "", "id_ecdsa": "", "id_ed25519": "", "json": "mcp.",
	"claude_desktop_config": "", "cursor": ".", "credentials": ".aws/", "netrc": ".",
	"git-credentials": ".", "npmrc": ".", "pypirc": ".", "shadow": "/etc/", "bash_history": ".",
	"zsh_history": ".", "dat": "wallet.", "gnupg": ".", "env": ".",
}

// flowWords move data somewhere; with a secret file they make an
// exfiltration hint.
var flowWords = map[string]bool{"pass": true, "include": true, "send": true, "content": true,
	"contents": true, "read": true, "attach": true, "upload": true, "append": true, "concatenate": true,
	"concantate": true, "sidenote": true, "parameter": true, "argument": true, "cat": true,
	"copy": true, "post": true, "forward": true, "embed": true, "insert": true, "provide": true}

// dataHits are the exfiltration hints that are not word patterns.
func dataHits(s, low string, toks []token) []hit {
	var hits []hit
	secret, flow, url := -1, false, -1
	for i, t := range toks {
		if before, ok := secretFiles[t.w]; ok && secret < 0 && strings.HasSuffix(low[:t.start], before) {
			secret = i
		}
		if flowWords[t.w] {
			flow = true
		}
		if t.w == "<url>" && url < 0 && carriesData(t.raw) {
			url = i
		}
	}
	if secret >= 0 {
		kind := hitSensitiveMention
		if flow {
			kind = hitSensitivePath
		}
		from, to := toks[secret].start, toks[secret].end
		for from > 0 && !pathEnd(s[from-1]) {
			from--
		}
		for to < len(s) && !pathEnd(s[to]) {
			to++
		}
		hits = append(hits, hit{pattern: kind, from: from, to: to})
	}
	if url >= 0 {
		hits = append(hits, hit{pattern: hitDataURL, from: toks[url].start, to: toks[url].end})
	}
	return hits
}

// pathEnd bytes end the path named in a sentence.
func pathEnd(c byte) bool {
	return c <= ' ' || strings.IndexByte("`'\"()<>,;", c) >= 0
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

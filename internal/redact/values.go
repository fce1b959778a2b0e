package redact

import (
	"encoding/base64"
	"math"
	"regexp"
	"strings"
)

// The patterns are RE2 (linear time), so a hostile multi-megabyte string
// cannot make them backtrack.
var (
	// A private key block, or what is left of one when the text was cut.
	pemBlock = regexp.MustCompile(`(?s)-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\z)`)

	// scheme://user:password@host keeps the user and host.
	urlPassword = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*://[^\s:/?#@]+:)([^\s/?#@]+)@`)

	// Header lines whose whole value is a credential. An unquoted value ends
	// at the line's end or at a quote: in a shell command the header is one
	// quoted argument (curl -H 'Authorization: ...' URL), and what follows
	// it (where the request goes) must stay visible to the person approving.
	headerLine = regexp.MustCompile(`(?i)\b((?:proxy-)?authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token)(\s*:\s*)("(?:[^"\\\n]|\\.)*"|[^\r\n'"]+)`)

	bearer = regexp.MustCompile(`(?i)\b(bearer\s+)([A-Za-z0-9._~+/-]{8,}=*)`)
	basic  = regexp.MustCompile(`(?i)\b(basic\s+)([A-Za-z0-9+/]{8,}={0,2})`)

	// Well-known token formats, each with a fixed prefix.
	vendorToken = regexp.MustCompile(`\b(?:` + strings.Join([]string{
		`gh[pousr]_[A-Za-z0-9]{30,}`,                              // GitHub classic
		`github_pat_[A-Za-z0-9_]{20,}`,                            // GitHub fine-grained
		`sk-[A-Za-z0-9_-]{20,}`,                                   // OpenAI, Anthropic (sk-ant-), DeepSeek...
		`(?:AKIA|ASIA)[A-Z0-9]{16}`,                               // AWS access key id
		`xox[abposr]-[A-Za-z0-9-]{10,}`,                           // Slack
		`xapp-[A-Za-z0-9-]{10,}`,                                  // Slack app-level
		`[rs]k_(?:live|test)_[A-Za-z0-9]{10,}`,                    // Stripe
		`whsec_[A-Za-z0-9+/=]{16,}`,                               // Stripe webhook
		`AIza[0-9A-Za-z_-]{35}`,                                   // Google API key
		`glpat-[A-Za-z0-9_-]{20,}`,                                // GitLab
		`npm_[A-Za-z0-9]{36}`,                                     // npm
		`hf_[A-Za-z0-9]{30,}`,                                     // Hugging Face
		`eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*`, // JWT
	}, "|") + `)`)

	// Secret-bearing webhook URLs keep their host.
	webhookPath = regexp.MustCompile(`(hooks\.slack\.com/services/|discord(?:app)?\.com/api/webhooks/)[A-Za-z0-9/_-]+`)

	// key=value, key: value and "key":"value" in free text; the key decides.
	assignment = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_.-]*)(["']?\s*[:=]\s*)("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s"',;&{}()\[\]]+)`)

	// --password hunter2 on a command line.
	flagValue = regexp.MustCompile(`(--?[A-Za-z][A-Za-z0-9_-]*)(\s+)([^\s-][^\s]*)`)
)

// String hides secrets in free text (error messages, string arguments):
// private key blocks, credentials in URLs and headers, bearer and basic
// tokens, known token formats, secret-named assignments and long random
// strings. Everything else is kept as is.
func String(s string) string {
	if len(s) < 8 {
		return s // too short to hold any of the shapes below
	}
	// Go's regexp runs at tens of MB/s, so each pattern runs only when a
	// cheap substring test says it could match: a large file body written
	// through a tool is then scanned in milliseconds.
	lower := strings.ToLower(s)
	if strings.Contains(s, "PRIVATE KEY") {
		s = pemBlock.ReplaceAllLiteralString(s, Placeholder)
	}
	if strings.Contains(s, "://") && strings.Contains(s, "@") {
		s = urlPassword.ReplaceAllString(s, "${1}"+Placeholder+"@")
	}
	if containsAny(lower, "authorization", "cookie", "api-key", "auth-token") {
		s = headerLine.ReplaceAllString(s, "${1}${2}"+Placeholder)
	}
	if strings.Contains(lower, "bearer") {
		s = bearer.ReplaceAllStringFunc(s, func(m string) string {
			sub := bearer.FindStringSubmatch(m)
			// "Bearer authentication" is prose; tokens are long or carry digits.
			if len(sub[2]) >= 20 || strings.ContainsAny(sub[2], "0123456789") {
				return sub[1] + Placeholder
			}
			return m
		})
	}
	if strings.Contains(lower, "basic") {
		s = basic.ReplaceAllStringFunc(s, func(m string) string {
			sub := basic.FindStringSubmatch(m)
			if isBasicCredential(sub[2]) {
				return sub[1] + Placeholder
			}
			return m
		})
	}
	if containsAny(lower, vendorPrefixes...) {
		s = vendorToken.ReplaceAllLiteralString(s, Placeholder)
	}
	if containsAny(lower, "hooks.slack.com", "/api/webhooks/") {
		s = webhookPath.ReplaceAllString(s, "${1}"+Placeholder)
	}
	if containsAny(lower, keyFragments...) {
		if strings.ContainsAny(s, ":=") {
			s = assignment.ReplaceAllStringFunc(s, func(m string) string {
				sub := assignment.FindStringSubmatch(m)
				if !IsSecretKey(sub[1]) || sub[3] == `""` || sub[3] == `''` || sub[3] == Placeholder {
					return m
				}
				return sub[1] + sub[2] + quoteLike(sub[3], Placeholder)
			})
		}
		if strings.Contains(s, "-") {
			s = flagValue.ReplaceAllStringFunc(s, func(m string) string {
				sub := flagValue.FindStringSubmatch(m)
				if !IsSecretKey(strings.TrimLeft(sub[1], "-")) {
					return m
				}
				return sub[1] + sub[2] + quoteLike(sub[3], Placeholder)
			})
		}
	}
	return replaceRandomRuns(s)
}

// vendorPrefixes are the lower-cased prefixes of vendorToken's formats.
var vendorPrefixes = []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "sk-", "akia", "asia",
	"xox", "xapp-", "k_live_", "k_test_", "whsec_", "aiza", "glpat-", "npm_", "hf_", "eyj"}

// keyFragments occur in every key IsSecretKey accepts.
var keyFragments = []string{"pass", "pwd", "secret", "token", "key", "auth", "cookie", "cred", "bearer", "jwt", "otp"}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// replaceRandomRuns replaces each maximal run of base64-ish characters that
// looksRandom. A hand-written scan: the equivalent regexp is slow on
// megabyte strings.
func replaceRandomRuns(s string) string {
	var b strings.Builder
	last := 0 // s[:last] is already in b (or unchanged when b is empty)
	for i := 0; i < len(s); {
		if !isRunByte(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isRunByte(s[j]) {
			j++
		}
		if j-i >= 32 && looksRandom(s[i:j]) {
			b.WriteString(s[last:i])
			b.WriteString(Placeholder)
			last = j
		}
		i = j
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isRunByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
		c == '+' || c == '/' || c == '=' || c == '_' || c == '-'
}

// quoteLike wraps repl in the quote that value was written with.
func quoteLike(value, repl string) string {
	if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0] {
		return value[:1] + repl + value[:1]
	}
	return repl
}

// isBasicCredential reports whether s is base64 of "user:password".
func isBasicCredential(s string) bool {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return strings.Contains(string(b), ":")
		}
	}
	return false
}

// looksRandom tells a key or token (random letters and digits) from the long
// runs ordinary arguments have: identifiers, paths, hashes and UUIDs. Hex is
// kept on purpose: commit ids and checksums are common, meaningful arguments.
func looksRandom(s string) bool {
	s = strings.TrimRight(s, "=")
	if len(s) < 32 || isHexOrUUID(s) || isPathLike(s) {
		return false
	}
	var upper, lower, digit bool
	changes := 0
	prev := -1
	counts := map[rune]int{}
	for _, r := range s {
		c := 3
		switch {
		case r >= 'A' && r <= 'Z':
			c, upper = 0, true
		case r >= 'a' && r <= 'z':
			c, lower = 1, true
		case r >= '0' && r <= '9':
			c, digit = 2, true
		}
		if prev >= 0 && c != prev {
			changes++
		}
		prev = c
		counts[r]++
	}
	if !upper || !lower || !digit {
		return false
	}
	// Random base64 switches between upper, lower and digits at about 0.65
	// of positions and identifiers like getUserSettings2024 at under 0.45;
	// runs that switch less but use many distinct symbols (AWS secret keys
	// with long capital stretches) are still random.
	rate := float64(changes) / float64(len(s))
	return rate >= 0.45 || (rate >= 0.35 && entropy(counts, len(s)) >= 4.5)
}

func entropy(counts map[rune]int, n int) float64 {
	e := 0.0
	for _, c := range counts {
		p := float64(c) / float64(n)
		e -= p * math.Log2(p)
	}
	return e
}

func isHexOrUUID(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F' || r == '-') {
			return false
		}
	}
	return true
}

// isPathLike reports whether most '/'-separated parts are plain words.
func isPathLike(s string) bool {
	if !strings.Contains(s, "/") {
		return false
	}
	parts := strings.Split(s, "/")
	words := 0
	for _, p := range parts {
		if p == "" || strings.Trim(p, "abcdefghijklmnopqrstuvwxyz_-") == "" {
			words++
		}
	}
	return words*2 > len(parts)
}

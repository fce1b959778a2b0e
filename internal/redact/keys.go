package redact

import (
	"strings"
	"unicode"
)

// secretWords name a secret wherever they appear as a word of a key.
var secretWords = set("password", "passwd", "passphrase", "pwd", "secret", "secrets", "token",
	"cookie", "cookies", "credential", "credentials", "creds", "authorization", "auth", "bearer",
	"apikey", "apikeys", "jwt", "otp", "totp", "privatekey", "accesskey", "secretkey", "clientsecret")

// keyQualifiers make "key" a secret: api_key, private_key, ... but not a bare
// "key", which usually names a map entry or a cache key.
var keyQualifiers = set("api", "access", "private", "secret", "signing", "encryption", "decryption",
	"master", "ssh", "client", "app", "license", "auth", "session", "gpg", "pgp", "hmac", "shared")

// tokenQualifiers make plural "tokens" a secret; alone it usually means
// pieces of text or a count.
var tokenQualifiers = set("access", "refresh", "auth", "api", "bearer", "id", "session", "oauth", "csrf", "xsrf")

// safeHeads end a key that describes a secret without holding one:
// token_count, secret_name, password_file, auth_type, api_key_id.
var safeHeads = set("count", "counts", "limit", "limits", "length", "len", "size", "total", "budget",
	"usage", "used", "type", "types", "kind", "name", "names", "id", "ids", "arn", "path", "paths",
	"file", "filename", "dir", "url", "uri", "endpoint", "env", "var", "field", "enabled", "required",
	"expiry", "expires", "expiration", "ttl", "at", "index", "format", "provider", "method", "mode",
	"scheme", "scope", "scopes", "location", "hint", "policy", "strategy", "rotation", "present", "set")

// pagingWords before "token" mean a pagination cursor, not a credential.
var pagingWords = set("page", "next", "continuation", "pagination", "sync", "cursor")

// quantityWords anywhere mean the key counts something: max_tokens, num_tokens.
var quantityWords = set("max", "min", "num", "total", "count")

// compoundSecrets catch keys written as one word: dbpassword, mysecret, xapikey.
var compoundSecrets = []string{"password", "passwd", "secret", "apikey", "accesstoken", "authtoken",
	"privatekey", "sessiontoken", "refreshtoken", "csrftoken", "xsrftoken"}

// IsSecretKey reports whether an object key (snake_case, camelCase,
// kebab-case or Header-Case, any letter case) names a secret value.
func IsSecretKey(key string) bool {
	words := splitWords(key)
	if len(words) == 0 {
		return false
	}
	if safeHeads[words[len(words)-1]] {
		return false
	}
	for i, w := range words {
		if quantityWords[w] {
			return false
		}
		switch {
		case w == "token" && i > 0 && pagingWords[words[i-1]]:
			continue
		case secretWords[w]:
			return true
		case (w == "key" || w == "keys") && i > 0 && keyQualifiers[words[i-1]]:
			return true
		case w == "tokens" && i > 0 && tokenQualifiers[words[i-1]]:
			return true
		}
	}
	joined := strings.Join(words, "")
	for _, c := range compoundSecrets {
		if strings.Contains(joined, c) {
			return true
		}
	}
	return false
}

// splitWords splits a key into lower-case words at separators and camelCase
// boundaries: "X-APIKey" -> [x api key], "max_tokens" -> [max tokens].
// Digits stay with their word ("oauth2").
func splitWords(key string) []string {
	var words []string
	rs := []rune(key)
	start := -1
	flush := func(end int) {
		if start >= 0 {
			words = append(words, strings.ToLower(string(rs[start:end])))
			start = -1
		}
	}
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
			continue
		}
		prev := rs[i-1]
		lowerToUpper := unicode.IsUpper(r) && (unicode.IsLower(prev) || unicode.IsDigit(prev))
		acronymEnd := unicode.IsUpper(r) && unicode.IsUpper(prev) && i+1 < len(rs) && unicode.IsLower(rs[i+1])
		if lowerToUpper || acronymEnd {
			flush(i)
			start = i
		}
	}
	flush(len(rs))
	return words
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

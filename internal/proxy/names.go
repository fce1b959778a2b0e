package proxy

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// maxNameLen is the longest tool name hosts accept (Claude Desktop and the
// Anthropic API both use ^[a-zA-Z0-9_-]{1,64}$).
const maxNameLen = 64

// exposedName is the name a host sees for an upstream's tool or prompt:
// "<server>__<name>". Server names never contain "__" nor end in "_" (the
// config refuses them), so the first "__" always ends the server part and two
// different (server, name) pairs cannot produce the same plain form.
//
// A name that does not fit the host's rules (too long, or characters outside
// [A-Za-z0-9_-]) gets a stable shortened form: the readable prefix, "-", and
// 8 hex digits of a hash of the exact pair. Routing never parses these names;
// it looks them up in the catalog.
func exposedName(server, name string) string {
	plain := server + "__" + name
	clean := sanitize(plain)
	if clean == plain && len(plain) <= maxNameLen {
		return plain
	}
	sum := sha256.Sum256([]byte(server + "\x00" + name))
	suffix := "-" + hex.EncodeToString(sum[:4])
	if len(clean) > maxNameLen-len(suffix) {
		clean = clean[:maxNameLen-len(suffix)]
	}
	return clean + suffix
}

// sanitize replaces every byte outside [A-Za-z0-9_-] with "_".
func sanitize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' {
			b.WriteByte(c)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

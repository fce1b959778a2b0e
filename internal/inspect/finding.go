// Package inspect reads the arguments of a tool call (SQL text, shell command
// lines, HTTP methods, operation verbs, browser JavaScript) and says how
// dangerous running them would be. Every function is pure: no I/O, no global
// state, bounded work on hostile input.
//
// The inspectors err towards the higher tier: when text cannot be understood
// it is at least a write, and when dialects or shells disagree about what
// text means, the most dangerous reading wins.
package inspect

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Tier orders how much harm running a call can do.
type Tier int

// Tiers are ordered: a higher tier is more dangerous.
const (
	Read Tier = iota
	Write
	Destructive
)

func (t Tier) String() string {
	switch t {
	case Read:
		return "read"
	case Write:
		return "write"
	case Destructive:
		return "destructive"
	}
	return "unknown"
}

// Finding is an inspector's verdict: the tier and the plain-language reasons
// a person reads in a prompt. Reasons for the highest tier come first.
type Finding struct {
	Tier    Tier
	Reasons []string
}

// maxReasons keeps prompts readable; the last slot says how many were left out
// so nothing is dropped silently.
const maxReasons = 12

// collector accumulates reasons per tier, deduplicated, so the final list puts
// the reasons that justify the verdict first.
type collector struct {
	tier    Tier
	reasons [3][]string
	seen    map[string]bool // built once there are many reasons; a scan is cheaper before
	count   int
}

func (c *collector) add(t Tier, reason string) {
	if t < Read || t > Destructive {
		t = Destructive
	}
	if t > c.tier {
		c.tier = t
	}
	if reason == "" {
		return
	}
	if c.has(reason) {
		return
	}
	if c.seen != nil {
		c.seen[reason] = true
	} else if c.count >= 16 {
		c.seen = make(map[string]bool, 64)
		for _, rs := range c.reasons {
			for _, r := range rs {
				c.seen[r] = true
			}
		}
		c.seen[reason] = true
	}
	c.count++
	c.reasons[t] = append(c.reasons[t], reason)
}

func (c *collector) has(reason string) bool {
	if c.seen != nil {
		return c.seen[reason]
	}
	for _, rs := range c.reasons {
		for _, r := range rs {
			if r == reason {
				return true
			}
		}
	}
	return false
}

// addFinding merges another finding whose reasons all carry its tier, except
// that reasons already known at a higher tier keep their place.
func (c *collector) addFinding(f Finding) {
	if f.Tier > c.tier {
		c.tier = f.Tier
	}
	for _, r := range f.Reasons {
		c.add(f.Tier, r)
	}
}

// floor raises the tier without a reason of its own.
func (c *collector) floor(t Tier) {
	if t > c.tier {
		c.tier = t
	}
}

func (c *collector) finding() Finding {
	if c.count == 0 {
		return Finding{Tier: c.tier}
	}
	out := make([]string, 0, min(c.count, maxReasons))
	for t := Destructive; t >= Read; t-- {
		for _, r := range c.reasons[t] {
			if len(out) == maxReasons-1 && c.count > maxReasons {
				out = append(out, "and "+strconv.Itoa(c.count-len(out))+" more reasons")
				return Finding{Tier: c.tier, Reasons: out}
			}
			out = append(out, r)
		}
	}
	return Finding{Tier: c.tier, Reasons: out}
}

// snippet makes untrusted text safe to embed in a reason: printable ASCII
// only, short, and marked when cut.
func snippet(s string) string {
	const limit = 40
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if n == limit {
			b.WriteString("…")
			break
		}
		if r < 0x20 || r > 0x7e {
			r = '?'
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

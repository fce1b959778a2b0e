package classify

import (
	"strings"
	"unicode"
)

// descPhrases are warnings that count anywhere in a description: a server
// that says its tool cannot be undone is believed when it raises the tier.
var descPhrases = []struct {
	phrase string
	tier   Tier
	reason string
}{
	// Phrases whose reason says "runs" describe a runner; a runner refined
	// by its arguments drops them (see Call).
	{"permanently", Destructive, "description says permanently"},
	{"irreversib", Destructive, "description says irreversible"},
	{"cannot be undone", Destructive, "description says it cannot be undone"},
	{"can't be undone", Destructive, "description says it cannot be undone"},
	{"overwrite", Destructive, "description says it overwrites"},
	{"force push", Destructive, "description says force push"},
	{"force-push", Destructive, "description says force push"},
	{"arbitrary code", Destructive, "description says it runs code"},
	{"arbitrary command", Destructive, "description says it runs commands"},
	{"shell command", Destructive, "description says it runs commands"},
	{"terminal command", Destructive, "description says it runs commands"},
	{"execute a command", Destructive, "description says it runs commands"},
	{"execute commands", Destructive, "description says it runs commands"},
	{"run a command", Destructive, "description says it runs commands"},
	{"run commands", Destructive, "description says it runs commands"},
	{"execute javascript", Destructive, "description says it runs code"},
	{"execute python", Destructive, "description says it runs code"},
	{"run code", Destructive, "description says it runs code"},
	{"to a running process", Destructive, "description says it runs input in a process"},
	{"execute code", Destructive, "description says it runs code"},
}

// descReading is what a description says: the action its first sentence
// opens with (and any action joined to it by "and"/"or"), plus warnings
// found anywhere.
type descReading struct {
	found   bool // the first sentence opens with a known verb
	tier    Tier
	lead    []signal // the opening verb and verbs joined to it
	verbs   []string // base form of each lead signal's verb
	phrases []signal // warnings found anywhere
}

func readDescription(d string) descReading {
	var r descReading
	if d == "" {
		return r
	}
	first := d
	if i := strings.IndexAny(first, "\n"); i >= 0 {
		first = first[:i]
	}
	if i := strings.Index(first, ". "); i >= 0 {
		first = first[:i]
	}
	ws := joinCompounds(sentenceWords(first, 40))
	// Skip the opening filler: "This tool allows you to delete ..."; a
	// light verb ("Perform click", "Take a screenshot") hands over to the
	// verb that follows within a few words.
	i := 0
	for i < len(ws) && i < 6 && lightVerbs[ws[i]] {
		i++
	}
	if i < len(ws) {
		if b, v, ok := lookup(ws[i]); ok {
			// "Open specific nodes", "Move mouse to": the object follows.
			v, _ = objectRule(b, v, ws[i:min(len(ws), i+6)])
			r.lead = r.add(r.lead, v.tier, descReason(b, v))
			r.verbs = append(r.verbs, b)
			r.found = true
		}
	}
	// Joined actions: "Create a new file or completely overwrite ...".
	for j := i + 1; j < len(ws); j++ {
		if !conjunctions[ws[j-1]] {
			continue
		}
		k := j
		if k+1 < len(ws) && strings.HasSuffix(ws[k], "ly") {
			k++ // "or completely overwrite"
		}
		if b, v, ok := lookup(ws[k]); ok && !nounVerbs[b] {
			r.lead = r.add(r.lead, v.tier, descReason(b, v))
			r.verbs = append(r.verbs, b)
		}
	}
	// Later sentences count when they open with a destructive verb:
	// "Lists files. Also removes stale ones."
	rest := d[len(first):]
	for len(rest) > 0 {
		end := strings.IndexAny(rest, ".\n")
		sentence := rest
		if end >= 0 {
			sentence, rest = rest[:end], rest[end+1:]
		} else {
			rest = ""
		}
		sw := sentenceWords(sentence, 8)
		k := 0
		for k < len(sw) && k < 4 && (lightVerbs[sw[k]] || laterFiller[sw[k]]) {
			k++
		}
		if k < len(sw) {
			if b, v, ok := lookup(sw[k]); ok && v.tier == Destructive && !v.code {
				r.lead = r.add(r.lead, v.tier, descReason(b, v))
				r.verbs = append(r.verbs, b)
			}
		}
	}
	low := strings.ToLower(d)
	for _, p := range descPhrases {
		if strings.Contains(low, p.phrase) {
			r.phrases = r.add(r.phrases, p.tier, p.reason)
		}
	}
	return r
}

func (r *descReading) add(to []signal, t Tier, reason string) []signal {
	if t > r.tier {
		r.tier = t
	}
	return append(to, signal{t, reason})
}

func descReason(base string, v verb) string {
	switch {
	case v.tier == Read && base == "read":
		return "description says read"
	case v.tier == Read:
		return "description says read (" + base + ")"
	}
	return "description says it " + thirdPerson(base)
}

// sentenceWords splits prose into lower-case words, at most max of them.
func sentenceWords(s string, max int) []string {
	out := make([]string, 0, 16)
	start := -1
	for i, r := range s {
		letter := unicode.IsLetter(r) || r == '\''
		if letter && start < 0 {
			start = i
		}
		if !letter && start >= 0 {
			out = append(out, strings.ToLower(strings.Trim(s[start:i], "'")))
			start = -1
			if len(out) == max {
				return out
			}
		}
	}
	if start >= 0 {
		out = append(out, strings.ToLower(strings.Trim(s[start:], "'")))
	}
	return out
}

// laterFiller opens later sentences without saying anything: "Also removes".
var laterFiller = map[string]bool{
	"also": true, "then": true, "and": true, "it": true, "additionally": true,
	"finally": true, "afterwards": true, "optionally": true,
}

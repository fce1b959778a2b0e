package classify

import "strings"

// finish takes the highest signal, then lets the annotations raise it
// (never lower it). floor says whether readOnlyHint: false may raise a
// read to a write; for a runner refined by its arguments it may not, since
// the hint describes the tool's worst use, not this call.
func finish(sigs []signal, a *Annotations, floor bool) Result {
	var res Result
	for _, s := range sigs {
		if s.tier > res.Tier {
			res.Tier = s.tier
		}
	}
	// Strongest reasons first, each once. Below the verdict only the name
	// and the arguments are worth a person's two seconds.
	for _, tier := range []Tier{Destructive, Write, Read} {
		for _, s := range sigs {
			if s.tier != tier {
				continue
			}
			if tier < res.Tier && (strings.HasPrefix(s.reason, "description ") || strings.HasPrefix(s.reason, "title ")) {
				continue
			}
			res.Reasons = appendReason(res.Reasons, s.reason)
		}
	}
	if a == nil {
		return res
	}
	source := "the name says"
	for _, s := range sigs {
		if s.tier == res.Tier {
			source = sourceOf(s.reason)
			break
		}
	}
	if a.DestructiveHint != nil && *a.DestructiveHint && res.Tier < Destructive {
		res.Tier = Destructive
		res.Reasons = append([]string{"the server marks this tool destructive"}, res.Reasons...)
	} else if a.DestructiveHint != nil && !*a.DestructiveHint && res.Tier == Destructive {
		res.Reasons = append(res.Reasons, source+" "+tierPhrase(res.Tier)+"; the server's not-destructive hint was ignored")
	}
	if a.ReadOnlyHint != nil {
		switch {
		case *a.ReadOnlyHint && res.Tier > Read:
			res.Reasons = append(res.Reasons, source+" "+tierPhrase(res.Tier)+"; the server's read-only hint was ignored")
		case !*a.ReadOnlyHint && res.Tier == Read && floor:
			res.Tier = Write
			res.Reasons = append([]string{"the server says this tool is not read-only"}, res.Reasons...)
		}
	}
	return res
}

// tierPhrase says what a tier means, for a person who has not learnt the
// tiers' names.
func tierPhrase(t Tier) string {
	if t == Destructive {
		return "it is destructive"
	}
	return "it changes something"
}

// sourceOf names where a reason came from, for mismatch messages.
func sourceOf(reason string) string {
	switch {
	case strings.HasPrefix(reason, "name "), strings.HasPrefix(reason, "no verb"):
		return "the name says"
	case strings.HasPrefix(reason, "title "):
		return "the title says"
	case strings.HasPrefix(reason, "description "):
		return "the description says"
	case strings.HasPrefix(reason, "runs "), strings.Contains(reason, " can be "):
		return "the schema says"
	}
	return "the arguments say"
}

func appendReason(rs []string, r string) []string {
	for _, x := range rs {
		if x == r {
			return rs
		}
	}
	return append(rs, r)
}

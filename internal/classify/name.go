package classify

// nameReading is what the words of a name (or title, or operation value)
// say.
type nameReading struct {
	found   bool // some word said something
	tier    Tier
	primary string // the action word, base form
	code    bool   // the action runs code (run, exec, eval)
	saves   bool   // download/export: writes a file when given a path
	signals []signal
	verbs   []string // base forms of the words that said something
}

// readName reads a list of words. who names the source in reasons
// ("name", "title", "method").
func readName(ws []string, who string) nameReading {
	var r nameReading
	primary := -1
	var pv verb
	var pbase string
	for i, w := range ws {
		if b, v, ok := lookup(w); ok {
			if nounVerbs[b] && w == b+"s" {
				// requests, comments, runs: a plural is a noun.
				continue
			}
			primary, pv, pbase = i, v, b
			break
		}
	}
	if primary >= 0 && nounVerbs[pbase] && !pv.code {
		// comment_list, runs_get, API-post-search: the CRUD word that
		// follows is the action.
		for j := primary + 1; j < len(ws); j++ {
			if b, v, ok := lookup(ws[j]); ok && crudWords[b] {
				primary, pv, pbase = j, v, b
				break
			}
		}
		if primary == len(ws)-1 && readNouns[ws[primary]] && pv.tier != Read {
			// git_log, pods_log: a noun that names something to read.
			r.found, r.tier, r.primary = true, Read, pbase
			r.say(signal{Read, who + " says read (" + ws[primary] + ")"}, ws[primary])
			primary = -2
		}
	}
	objReason := ""
	if primary >= 0 {
		pv, objReason = objectRule(pbase, pv, ws)
	}
	if primary >= 0 {
		r.found, r.tier, r.primary, r.code, r.saves = true, pv.tier, pbase, pv.code, pv.saves
		sg := verbSignal(who, pbase, pv)
		if objReason != "" {
			sg.reason = who + " says " + pbase + ": " + objReason
		}
		r.say(sg, pbase)
	}
	// Second actions: after a conjunction (get_or_create) any verb counts;
	// elsewhere only words that are never the object of a read.
	for i, w := range ws {
		if i == primary {
			continue
		}
		var b string
		var v verb
		var ok bool
		if i > 0 && conjunctions[ws[i-1]] {
			b, v, ok = lookup(w)
		} else if v, ok = lexicon[w]; ok && v.anywhere {
			b = w
		} else {
			ok = false
		}
		if !ok || b == r.primary {
			continue
		}
		r.found = true
		if v.tier > r.tier {
			r.tier = v.tier
		}
		r.code = r.code || v.code
		r.say(verbSignal(who, b, v), b)
	}
	if !r.found && len(ws) > 0 && readNouns[ws[len(ws)-1]] {
		r.found, r.tier = true, Read
		r.say(signal{Read, who + " says read (" + ws[len(ws)-1] + ")"}, ws[len(ws)-1])
	}
	return r
}

func (r *nameReading) say(s signal, base string) {
	r.signals = append(r.signals, s)
	r.verbs = append(r.verbs, base)
}

func verbSignal(who, base string, v verb) signal {
	switch {
	case v.code:
		return signal{v.tier, who + " says " + base + ": runs code"}
	case v.tier == Read && base == "read":
		return signal{Read, who + " says read"}
	case v.tier == Read:
		return signal{Read, who + " says read (" + base + ")"}
	}
	return signal{v.tier, who + " says " + base}
}

// objectRule applies objectRules to the action word of a name.
func objectRule(base string, v verb, ws []string) (verb, string) {
	for _, rule := range objectRules {
		if !rule.verbs[base] {
			continue
		}
		hit := len(ws) > 0 && rule.heads[ws[len(ws)-1]]
		for _, w := range ws {
			hit = hit || rule.words[w]
		}
		if hit {
			return verb{tier: rule.tier}, rule.reason
		}
	}
	return v, ""
}

package classify

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// words splits a tool name into lower-case words at every separator
// (snake_case, kebab-case, dots, slashes, `__` namespaces) and at camelCase
// and acronym boundaries (issueCreate, HTTPRequest), then joins compounds
// such as "pull request".
func words(name string) []string {
	out := make([]string, 0, 6)
	start := -1
	var prev rune
	flush := func(end int) {
		if start >= 0 && end > start {
			out = append(out, strings.ToLower(name[start:end]))
		}
		start = -1
	}
	for i, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush(i)
			prev = r
			continue
		}
		if start < 0 {
			start = i
			prev = r
			continue
		}
		switch {
		case unicode.IsLower(prev) && unicode.IsUpper(r):
			// issueCreate: a new word starts at the upper-case letter.
			flush(i)
			start = i
		case unicode.IsUpper(prev) && unicode.IsUpper(r):
			// HTTPRequest: the last capital of a run starts the next word.
			next, _ := utf8.DecodeRuneInString(name[i+utf8.RuneLen(r):])
			if i+utf8.RuneLen(r) < len(name) && unicode.IsLower(next) {
				flush(i)
				start = i
			}
		}
		prev = r
	}
	flush(len(name))
	return joinCompounds(out)
}

func joinCompounds(ws []string) []string {
	out := ws[:0]
	for i := 0; i < len(ws); i++ {
		if i+2 < len(ws) && ws[i] == "drag" && ws[i+1] == "and" && ws[i+2] == "drop" {
			out = append(out, "drag")
			i += 2
			continue
		}
		if i+1 < len(ws) {
			if c, ok := compounds[[2]string{ws[i], ws[i+1]}]; ok {
				out = append(out, c)
				i++
				continue
			}
		}
		out = append(out, ws[i])
	}
	return out
}

// lookup finds a word in the lexicon, also in its inflected forms
// (deletes, deleted, deleting, copies, stopped). It returns the base form.
func lookup(w string) (string, verb, bool) {
	if v, ok := lexicon[w]; ok {
		return w, v, true
	}
	try := func(base string) (string, verb, bool) {
		if v, ok := lexicon[base]; ok && len(base) > 1 {
			return base, v, true
		}
		return "", verb{}, false
	}
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return try(w[:n-3] + "y")
	case n > 4 && strings.HasSuffix(w, "ing"):
		stem := w[:n-3]
		if b, v, ok := try(stem); ok {
			return b, v, ok
		}
		if b, v, ok := try(stem + "e"); ok {
			return b, v, ok
		}
		return try(undouble(stem))
	case n > 3 && strings.HasSuffix(w, "ed"):
		if b, v, ok := try(w[:n-1]); ok {
			return b, v, ok
		}
		if b, v, ok := try(w[:n-2]); ok {
			return b, v, ok
		}
		return try(undouble(w[:n-2]))
	case n > 3 && strings.HasSuffix(w, "es"):
		if b, v, ok := try(w[:n-1]); ok {
			return b, v, ok
		}
		return try(w[:n-2])
	case n > 2 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && w != "news":
		return try(w[:n-1])
	}
	return "", verb{}, false
}

// undouble turns "stopp" into "stop" (stopped, running).
func undouble(s string) string {
	if n := len(s); n >= 2 && s[n-1] == s[n-2] {
		return s[:n-1]
	}
	return s
}

// thirdPerson writes "it deletes", "it pushes", "it copies" for reasons.
func thirdPerson(v string) string {
	switch {
	case strings.HasSuffix(v, "s"), strings.HasSuffix(v, "sh"), strings.HasSuffix(v, "ch"),
		strings.HasSuffix(v, "x"), strings.HasSuffix(v, "z"), strings.HasSuffix(v, "o"):
		return v + "es"
	case len(v) > 1 && strings.HasSuffix(v, "y") && !strings.ContainsRune("aeiou", rune(v[len(v)-2])):
		return v[:len(v)-1] + "ies"
	}
	return v + "s"
}

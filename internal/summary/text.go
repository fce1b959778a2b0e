package summary

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxRunes bounds a summary: one line a person reads in two seconds. A longer
// summary is shortened and ends with "…"; the full arguments stay with the
// call, so nothing is lost, only left out of the headline.
const MaxRunes = 200

// valueRunes bounds each value before it is placed in the summary. A value cut
// here is longer than the whole summary may be, so the summary is always cut
// after it too and ends with "…".
const valueRunes = MaxRunes + 1

// oneLine collapses every run of whitespace (newlines, tabs, Unicode spaces)
// into one space and trims the ends, keeping at most max runes.
func oneLine(s string, max int) (string, bool) {
	return collapse(s, max, " ")
}

// codeLine is oneLine for shell and scripts, where a line break separates
// commands: "echo hi\nrm -rf /" must not read as one echo.
func codeLine(s string, max int) (string, bool) {
	return collapse(s, max, " ⏎ ")
}

func collapse(s string, max int, newline string) (string, bool) {
	var b strings.Builder
	n := 0
	space, nl := false, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			if r == '\n' || r == '\r' || r == 0x2028 || r == 0x2029 || r == 0x85 {
				nl = true
			}
			continue
		}
		if space && n > 0 {
			sep := " "
			if nl {
				sep = newline
			}
			b.WriteString(sep)
			n += utf8.RuneCountInString(sep)
		}
		space, nl = false, false
		if n >= max {
			return b.String(), true
		}
		b.WriteRune(r)
		n++
	}
	return b.String(), false
}

// render makes the assembled summary safe and short: hidden characters are
// written out (see Visible) and a summary over MaxRunes is cut at a character
// or escape boundary and ends with "…".
func render(raw string) string {
	var b strings.Builder
	n := 0
	mark := -1 // length of b when n first reached MaxRunes-1
	put := func(unit string) bool {
		if n+utf8.RuneCountInString(unit) > MaxRunes-1 && mark < 0 {
			mark = b.Len()
		}
		b.WriteString(unit)
		n += utf8.RuneCountInString(unit)
		return n <= MaxRunes
	}
	prev := rune(-1)
	for i := 0; i < len(raw); {
		unit, r, size := shown(raw, i, prev)
		prev = r
		i += size
		if !put(unit) {
			s := strings.TrimRight(b.String()[:mark], " ")
			return s + "…"
		}
	}
	return b.String()
}

// tildePath shows a path under home as ~/...; other paths stay as written.
func tildePath(p, home string) string {
	home = strings.TrimRight(home, `/\`)
	if home == "" {
		return p
	}
	if p == home {
		return "~"
	}
	for _, sep := range []string{"/", `\`} {
		if strings.HasPrefix(p, home+sep) {
			return "~" + sep + p[len(home)+1:]
		}
	}
	return p
}

// byteSize writes a size the way file managers do: 512 B, 1.2 KB, 3.4 MB.
func byteSize(n int) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	case n < 1024*1024*1024:
		return fmt.Sprintf("%.1f MB", float64(n)/(1024*1024))
	default:
		return fmt.Sprintf("%.1f GB", float64(n)/(1024*1024*1024))
	}
}

// plural writes "1 edit", "3 edits".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

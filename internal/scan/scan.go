// Package scan looks for injection markers in tool definitions. Servers write
// tool descriptions and hosts feed them to the model verbatim, so a hostile
// server can hide instructions there ("tool poisoning", "line jumping"):
// text aimed at the model, hidden from the person, steering other tools or
// sending data out. The findings are shown with the consent request; they
// inform a person, they decide nothing.
//
// The scan favours few false alarms on ordinary descriptions: strong markers
// (an <IMPORTANT> tag, "ignore previous instructions", "do not tell the
// user") count alone, weak ones ("you must", "this is very important") only
// together.
package scan

import (
	"strconv"
	"strings"

	"github.com/airlock-dev/airlock/internal/summary"
)

// Finding is one marker: what kind, the text that showed it, and where.
type Finding struct {
	// Kind is one of the Kind constants.
	Kind string
	// Detail is the evidence in plain words, quoted text made visible.
	Detail string
	// Where names the field: "description", "title", "name",
	// "inputSchema.properties.x.description".
	Where string
}

// Kinds of finding.
const (
	Instruction   = "instruction"    // text that addresses the model
	HiddenText    = "hidden-text"    // comments, padding, encoded blobs
	ANSIEscape    = "ansi-escape"    // terminal escape sequences
	Control       = "control"        // other control characters
	Bidi          = "bidi"           // characters that reorder display
	Invisible     = "invisible"      // zero-width, tag and similar characters
	Exfiltration  = "exfiltration"   // sending data out
	ToolShadowing = "tool-shadowing" // changing how other tools are used
)

var kindWords = map[string]string{
	Instruction:   "instruction aimed at the model",
	HiddenText:    "hidden text",
	ANSIEscape:    "terminal escape sequence",
	Control:       "control character",
	Bidi:          "bidirectional text control",
	Invisible:     "invisible characters",
	Exfiltration:  "asks to send data out",
	ToolShadowing: "tries to change how other tools are used",
}

// String is one line in plain words, e.g.
// `description: instruction aimed at the model ("ignore previous instructions")`.
func (f Finding) String() string {
	what, ok := kindWords[f.Kind]
	if !ok {
		what = f.Kind
	}
	s := what
	if f.Where != "" {
		s = f.Where + ": " + s
	}
	if f.Detail != "" {
		s += " (" + f.Detail + ")"
	}
	return summary.Visible(s)
}

// Bounds on the work for one text: a description larger than maxText is
// scanned in part (and that is a finding), and one text yields at most
// maxFindings.
const (
	maxText     = 256 << 10
	maxFindings = 16
	excerptLen  = 80
)

// Text scans one piece of text.
func Text(s string) []Finding {
	return scanText(s, "", "")
}

func scanText(s, where, self string) []Finding {
	var out []Finding
	if len(s) > maxText {
		out = append(out, Finding{Kind: HiddenText, Where: where,
			Detail: "text of " + sizeWords(len(s)) + ", only the first " + sizeWords(maxText) + " scanned"})
		cut := maxText
		for cut > 0 && !utf8Start(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	out = append(out, chars(s)...)
	out = append(out, markup(s)...)
	out = append(out, phrases(s, self)...)
	for i := range out {
		out[i].Where = where
	}
	if len(out) > maxFindings {
		out = out[:maxFindings]
	}
	return out
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

func sizeWords(n int) string {
	switch {
	case n >= 1<<20:
		return strconv.Itoa(n>>20) + " MB"
	case n >= 1<<10:
		return strconv.Itoa(n>>10) + " KB"
	}
	return strconv.Itoa(n) + " bytes"
}

// quote shows a piece of untrusted text as evidence: one line, bounded,
// hidden characters written out.
func quote(s string) string {
	var b strings.Builder
	n, space := 0, false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
		}
		if n == excerptLen-1 {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
		n++
	}
	return `"` + summary.Visible(b.String()) + `"`
}

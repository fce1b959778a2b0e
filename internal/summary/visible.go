package summary

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Visible returns s with every character a person could not see, or that a
// terminal would act on, written out as ⟨U+XXXX⟩: control characters (C0
// including tab and newline, DEL, C1, so ESC can never start a terminal
// command), bidi controls that reorder what is shown, and zero-width or
// otherwise invisible characters that can hide or smuggle text. Bytes that are
// not UTF-8 become ⟨0xNN⟩. Everything else is kept as it is: Visible makes
// text safe to show as text, it does not make it safe for HTML.
//
// Callers that want line breaks split lines before calling Visible.
func Visible(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	prev := rune(-1)
	for i := 0; i < len(s); {
		text, r, size := shown(s, i, prev)
		b.WriteString(text)
		prev = r
		i += size
	}
	return b.String()
}

// shown returns how the character at s[i:] is shown, the character, and its
// size in bytes; prev is the character before it.
func shown(s string, i int, prev rune) (text string, r rune, size int) {
	r, size = utf8.DecodeRuneInString(s[i:])
	switch {
	case r == utf8.RuneError && size == 1:
		return fmt.Sprintf("⟨0x%02X⟩", s[i]), r, size
	case Hidden(r) && !allowedInContext(prev, r, s[i+size:]):
		return fmt.Sprintf("⟨U+%04X⟩", r), r, size
	}
	return s[i : i+size], r, size
}

// needsEscape is the fast path: most text has nothing to escape.
func needsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// Hidden reports whether r is a character Visible writes out: controls,
// bidi controls, and zero-width, invisible or tag characters.
func Hidden(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return true
	case r < 0xa0:
		return false
	case Bidi(r), Invisible(r):
		return true
	case r == 0x2028 || r == 0x2029: // line and paragraph separators
		return true
	case r == 0xfffe || r == 0xffff:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// Bidi reports the controls that reorder displayed text (the "Trojan Source"
// characters): embeddings, overrides, isolates and directional marks.
func Bidi(r rune) bool {
	switch {
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200e || r == 0x200f || r == 0x061c:
		return true
	}
	return false
}

// Invisible reports characters that take no visible space or look like
// nothing: zero-width spaces and joiners, word joiner and invisible operators,
// BOM, soft hyphen, fillers, tag characters (which can spell out a hidden
// ASCII message) and variation selectors (which can carry hidden bytes).
func Invisible(r rune) bool {
	switch {
	case r >= 0x200b && r <= 0x200d, r >= 0x2060 && r <= 0x2064:
		return true
	case r == 0xfeff || r == 0x00ad || r == 0x180e || r == 0x034f:
		return true
	case r == 0x115f || r == 0x1160 || r == 0x3164 || r == 0xffa0 || r == 0x17b4 || r == 0x17b5:
		return true
	case r >= 0xe0000 && r <= 0xe007f: // tags
		return true
	case r >= 0xfe00 && r <= 0xfe0f, r >= 0xe0100 && r <= 0xe01ef: // variation selectors
		return true
	case r >= 0xfff9 && r <= 0xfffb: // interlinear annotation
		return true
	}
	return false
}

// allowedInContext keeps the two invisible characters that ordinary emoji
// need: a zero-width joiner between two pictographs (👩‍💻) and the text or
// emoji presentation selector right after a symbol (❤️). Anywhere else they
// are shown, since runs of them can carry hidden data.
func allowedInContext(prev, r rune, rest string) bool {
	switch r {
	case 0x200d:
		next, _ := utf8.DecodeRuneInString(rest)
		return pictograph(prev) && pictograph(next)
	case 0xfe0e, 0xfe0f:
		return prev >= 0x2000 && !Hidden(prev) && (unicode.Is(unicode.So, prev) || pictograph(prev) || prev == 0x20e3)
	}
	return false
}

func pictograph(r rune) bool {
	return r >= 0x1f000 && r <= 0x1faff || r >= 0x2600 && r <= 0x27bf
}

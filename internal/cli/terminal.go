package cli

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// terminalText is text from files or servers made safe to print on a
// terminal: line breaks and tabs stay, other control and format characters
// (escape sequences, bidi overrides) and invalid UTF-8 are shown escaped
// (\x1b, \u202e). Backslashes stay as they are, unlike visible, so a JSON
// text reads as written; use visible where one value must be unambiguous.
func terminalText(s string) string {
	clean := true
	for _, r := range s {
		if !printable(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return escapeText(s, printable, false)
}

func printable(r rune) bool {
	return r == '\n' || r == '\t' || r != utf8.RuneError && unicode.IsGraphic(r) && !unicode.Is(unicode.Cf, r)
}

// visible escapes what a terminal would act on or hide: control characters
// (ESC starts terminal commands), bidi overrides, zero-width and other
// format characters, and invalid UTF-8. Tabs and newlines are escaped too,
// as they would break the table, and so are backslashes, so a literal
// "\u202e" cannot pass for an escaped one.
func visible(s string) string {
	return escapeText(s, func(r rune) bool { return unicode.IsGraphic(r) && !unicode.Is(unicode.Cf, r) }, true)
}

// escapeText writes s with every rune keep refuses, and invalid UTF-8, as
// \xNN or \uNNNN; with backslash, a backslash is doubled.
func escapeText(s string, keep func(rune) bool, backslash bool) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case backslash && r == '\\':
			b.WriteString(`\\`)
		case keep(r):
			b.WriteString(s[i : i+size])
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}

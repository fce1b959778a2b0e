package scan

import (
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/airlock-dev/airlock/internal/summary"
)

// Thresholds for text pushed out of sight.
const (
	minSpaceRun  = 40  // spaces in a row: pushes text off the side of a prompt
	minBlankRun  = 12  // line breaks in a row: pushes text below it
	minBlobRun   = 200 // base64 characters in a row
	maxBlobProbe = 4096
)

// chars finds characters that hide or disguise text: terminal escapes, other
// controls, bidi controls, invisible characters (with the message that tag
// characters spell out), long runs of white space, and base64 blobs.
func chars(s string) []Finding {
	var (
		out                  []Finding
		esc, ctl, bidi, invs int
		escAt, ctlAt         = -1, -1
		bidiFirst, invFirst  rune
		tags                 strings.Builder
		spaces, maxSpaces    int
		blanks, maxBlanks    int
		blob, blobAt         int
		blobs                []string
	)
	prev := rune(-1)
	for i := 0; i < len(s); {
		// Printable ASCII, most of any description, only extends or ends
		// runs of spaces and of base64.
		switch asciiClass[s[i]] {
		case classBase64:
			blanks, spaces = 0, 0
			if blob == 0 {
				blobAt = i
			}
			blob++
			prev = rune(s[i])
			i++
			continue
		case classOther, classSpace:
			if asciiClass[s[i]] == classSpace {
				spaces++
				maxSpaces = max(maxSpaces, spaces)
			} else {
				blanks, spaces = 0, 0
			}
			if blob >= minBlobRun && len(blobs) < 3 {
				blobs = append(blobs, s[blobAt:i])
			}
			blob = 0
			prev = rune(s[i])
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x1b || r == 0x9b:
			if esc == 0 {
				escAt = i
			}
			esc++
		case r == '\r' && strings.HasPrefix(s[i+1:], "\n"):
		case r == '\t' || r == '\n':
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
			if ctl == 0 {
				ctlAt = i
			}
			ctl++
		case summary.Bidi(r):
			if bidi == 0 {
				bidiFirst = r
			}
			bidi++
		case summary.Invisible(r) || (r >= 0xa0 && summary.Hidden(r)):
			if allowedEmoji(prev, r, s[i+size:]) {
				break
			}
			if invs == 0 {
				invFirst = r
			}
			invs++
			if r >= 0xe0020 && r <= 0xe007e && tags.Len() < 400 {
				tags.WriteByte(byte(r - 0xe0000))
			}
		}

		// White space runs.
		switch {
		case r == '\n':
			blanks++
			spaces = 0
		case r == ' ' || r == '\t' || r == '\r' || (r > 0x7f && unicode.IsSpace(r)):
			spaces++
		default:
			blanks, spaces = 0, 0
		}
		maxSpaces = max(maxSpaces, spaces)
		maxBlanks = max(maxBlanks, blanks)

		// Base64 runs.
		if base64Char(r) {
			if blob == 0 {
				blobAt = i
			}
			blob++
		} else {
			if blob >= minBlobRun && len(blobs) < 3 {
				blobs = append(blobs, s[blobAt:i])
			}
			blob = 0
		}
		prev = r
		i += size
	}
	if blob >= minBlobRun && len(blobs) < 3 {
		blobs = append(blobs, s[blobAt:])
	}

	if esc > 0 {
		out = append(out, Finding{Kind: ANSIEscape, Detail: fmt.Sprintf("%s %s", count(esc, "escape"), quote(around(s, escAt, 16)))})
	}
	if ctl > 0 {
		out = append(out, Finding{Kind: Control, Detail: fmt.Sprintf("%s %s", count(ctl, "control character"), quote(around(s, ctlAt, 24)))})
	}
	if bidi > 0 {
		out = append(out, Finding{Kind: Bidi, Detail: fmt.Sprintf("%s, first U+%04X", count(bidi, "character"), bidiFirst)})
	}
	if invs > 0 {
		d := fmt.Sprintf("%s, first U+%04X", count(invs, "character"), invFirst)
		if tags.Len() > 0 {
			d += ", spelling " + quote(tags.String())
		}
		out = append(out, Finding{Kind: Invisible, Detail: d})
		if tags.Len() > 0 {
			// Tag characters are an invisible copy of ASCII: read what they say.
			out = append(out, phrases(tags.String(), "")...)
		}
	}
	if maxSpaces >= minSpaceRun {
		out = append(out, Finding{Kind: HiddenText, Detail: fmt.Sprintf("%d spaces in a row push text out of view", maxSpaces)})
	}
	if maxBlanks >= minBlankRun {
		out = append(out, Finding{Kind: HiddenText, Detail: fmt.Sprintf("%d line breaks in a row push text out of view", maxBlanks)})
	}
	for _, b := range blobs {
		if looksEncoded(b) {
			out = append(out, blobFinding(b)...)
		}
	}
	return out
}

func count(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// around returns up to n bytes of s from i, on rune boundaries.
func around(s string, i, n int) string {
	end := min(len(s), i+n)
	for end < len(s) && !utf8Start(s[end]) {
		end++
	}
	return s[i:end]
}

// allowedEmoji keeps the joiner in 👩‍💻 and the selector in ❤️, which
// ordinary text uses; summary.Visible makes the same exception.
func allowedEmoji(prev, r rune, rest string) bool {
	switch r {
	case 0x200d:
		next, _ := utf8.DecodeRuneInString(rest)
		return pictograph(prev) && pictograph(next)
	case 0xfe0f, 0xfe0e:
		return pictograph(prev) || unicode.Is(unicode.So, prev)
	}
	return false
}

func pictograph(r rune) bool {
	return r >= 0x1f000 && r <= 0x1faff || r >= 0x2600 && r <= 0x27bf
}

// asciiClass sorts bytes for the fast path of chars; classSlow covers
// controls, line breaks and everything outside ASCII.
var asciiClass [256]uint8

const (
	classSlow = iota
	classBase64
	classOther
	classSpace
)

func init() {
	for c := 0x21; c < 0x7f; c++ {
		asciiClass[c] = classOther
		if base64Char(rune(c)) {
			asciiClass[c] = classBase64
		}
	}
	asciiClass[' '] = classSpace
}

func base64Char(r rune) bool {
	return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' ||
		r == '+' || r == '/' || r == '=' || r == '-' || r == '_'
}

// blobFinding reports a base64 blob, and what it says when it decodes to
// text: an encoded instruction is still an instruction.
func blobFinding(b string) []Finding {
	f := Finding{Kind: HiddenText, Detail: fmt.Sprintf("base64-like blob of %d characters", len(b))}
	probe := strings.TrimRight(b[:min(len(b), maxBlobProbe)], "=")
	probe = probe[:len(probe)/4*4]
	var decoded []byte
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		if d, err := enc.DecodeString(probe); err == nil {
			decoded = d
			break
		}
	}
	if decoded == nil || !mostlyText(decoded) {
		return []Finding{f}
	}
	f.Detail += " that decodes to " + quote(string(decoded[:min(len(decoded), 200)]))
	return append([]Finding{f}, phrases(string(decoded), "")...)
}

// looksEncoded tells base64 from a long path or slug: encoded bytes mix
// upper case, lower case and digits.
func looksEncoded(b string) bool {
	var upper, lower, digit int
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c >= 'A' && c <= 'Z':
			upper++
		case c >= 'a' && c <= 'z':
			lower++
		case c >= '0' && c <= '9':
			digit++
		}
	}
	return upper*20 >= len(b) && lower*20 >= len(b) && digit > 0
}

func mostlyText(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	printable := 0
	for _, c := range b {
		if c >= 0x20 && c < 0x7f || c == '\n' || c == '\t' {
			printable++
		}
	}
	return printable*10 >= len(b)*9
}

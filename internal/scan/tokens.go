package scan

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/airlock-dev/airlock/internal/summary"
)

// token is one word of a text, lower case, with its byte span.
type token struct {
	w          string
	start, end int
	ident      bool // looks like a tool name: send_email, sendEmail
	raw        string
}

// tokenize splits text into words. Apostrophes fold away ("don't" is
// "dont") and invisible characters inside a word are skipped, so
// "ig\u200bnore" still reads "ignore". URLs and e-mail addresses are one
// token each.
func tokenize(s, low string) []token {
	toks := make([]token, 0, len(s)/5)
	for i := 0; i < len(s); {
		if c := s[i]; c == 'h' || c == 'H' {
			if end := urlEnd(s, i); end > i {
				toks = append(toks, token{w: "<url>", start: i, end: end, raw: s[i:end]})
				i = end
				continue
			}
		}
		if c := s[i]; c < utf8.RuneSelf && !asciiWord(c) {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !wordRune(r) {
			i += size
			continue
		}
		start := i
		end := i
		for end < len(s) {
			if c := s[end]; c < utf8.RuneSelf && asciiWord(c) {
				end++
				continue
			}
			r, size := utf8.DecodeRuneInString(s[end:])
			if wordRune(r) || skippable(r) {
				end += size
				continue
			}
			// Joiners inside a word: mcp.json, a-b, ada@example.com.
			if (r == '.' || r == '@' || r == '-' || r == '+') && end+1 < len(s) {
				if next, _ := utf8.DecodeRuneInString(s[end+1:]); wordRune(next) {
					end += size
					continue
				}
			}
			break
		}
		toks = appendWords(toks, s[start:end], low[start:end], start)
		i = end
	}
	return toks
}

func wordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord(byte(r))
	}
	return r == '’' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

func asciiWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '\''
}

// skippable characters hide inside a word without breaking it.
func skippable(r rune) bool {
	return r >= 0xad && (summary.Invisible(r) || summary.Bidi(r))
}

// appendWords adds the words of one run: an e-mail address whole, anything
// else split at dots, at signs and pluses (hyphens stay: side-note).
func appendWords(toks []token, run, low string, at int) []token {
	if strings.IndexByte(run, '@') > 0 && isEmail(run) {
		return append(toks, token{w: "<email>", start: at, end: at + len(run), raw: run})
	}
	start := 0
	for i := 0; i <= len(run); i++ {
		if i < len(run) && run[i] != '.' && run[i] != '@' && run[i] != '+' {
			continue
		}
		if i > start {
			toks = append(toks, word(run[start:i], low[start:i], at+start))
		}
		start = i + 1
	}
	return toks
}

func word(raw, low string, at int) token {
	if plain, underscore := plainASCII(raw); plain {
		ident := (underscore || camel(raw)) && strings.Trim(raw, "_") != ""
		return token{w: low, start: at, end: at + len(raw), ident: ident, raw: raw}
	}
	var b strings.Builder
	ident := false
	prevLower := false
	for _, r := range raw {
		switch {
		case r == '\'' || r == '’' || skippable(r):
			continue
		case r == '_':
			ident = true
		case unicode.IsUpper(r) && prevLower:
			ident = true // camelCase
		}
		prevLower = unicode.IsLower(r)
		b.WriteRune(unicode.ToLower(r))
	}
	w := b.String()
	return token{w: w, start: at, end: at + len(raw), ident: ident && strings.Trim(w, "_") != "", raw: raw}
}

// plainASCII: letters, digits, '_' and '-' only, so the lower-case copy of
// the text holds the word as is.
func plainASCII(s string) (plain, underscore bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-':
		case c == '_':
			underscore = true
		default:
			return false, false
		}
	}
	return true, underscore
}

// camel: a lower-case letter followed by an upper-case one (sendEmail).
func camel(s string) bool {
	for i := 1; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' && s[i-1] >= 'a' && s[i-1] <= 'z' {
			return true
		}
	}
	return false
}

func isEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	return at > 0 && strings.Contains(s[at+1:], ".") && !strings.HasSuffix(s, ".")
}

// urlEnd returns the end of an http(s) URL starting at s[i], or i.
func urlEnd(s string, i int) int {
	if i > 0 && wordRune(rune(s[i-1])) {
		return i
	}
	rest := s[i:]
	var n int
	switch {
	case len(rest) >= 8 && strings.EqualFold(rest[:8], "https://"):
		n = 8
	case len(rest) >= 7 && strings.EqualFold(rest[:7], "http://"):
		n = 7
	default:
		return i
	}
	j := i + n
	for j < len(s) && j-i < 2048 {
		c := s[j]
		if c <= ' ' || c == '"' || c == '\'' || c == '`' || c == ')' || c == 0x7f {
			break
		}
		j++
	}
	for j > i+n && strings.IndexByte(".,;:!?>", s[j-1]) >= 0 {
		j--
	}
	if j == i+n {
		return i
	}
	return j
}

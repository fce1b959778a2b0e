package inspect

import "strings"

// dialect holds the lexical rules that differ between SQL engines. The same
// text can split into different statements under different rules (a
// backslash ends a string in PostgreSQL but escapes the quote in MySQL), so
// SQL is lexed under each dialect and the most dangerous reading wins.
type dialect struct {
	name           string
	backslashEsc   bool // '\'' and "\"" escape the quote (MySQL, BigQuery)
	dblQuoteString bool // "..." is a string rather than an identifier (only matters for escapes)
	hashComment    bool // # starts a line comment (MySQL, BigQuery)
	nestedComments bool // /* /* */ */ nests (PostgreSQL, SQL Server)
	dollarQuote    bool // $tag$...$tag$ (PostgreSQL, Snowflake)
	brackets       bool // [identifier] (SQL Server, SQLite)
	execComments   bool // /*! code */ runs as code (MySQL)
	tripleQuotes   bool // '''...''' and """...""" (BigQuery)
	psqlMeta       bool // \command to end of line (psql)
	eStrings       bool // E'..' strings take backslash escapes (PostgreSQL)
}

var dialects = []dialect{
	{name: "postgres", nestedComments: true, dollarQuote: true, psqlMeta: true, eStrings: true},
	{name: "mysql", backslashEsc: true, dblQuoteString: true, hashComment: true, execComments: true},
	{name: "sqlite", brackets: true},
	{name: "sqlserver", brackets: true, nestedComments: true},
	{name: "bigquery", backslashEsc: true, dblQuoteString: true, hashComment: true, tripleQuotes: true},
	{name: "snowflake", backslashEsc: true, dollarQuote: true},
}

// readings returns the dialects whose lexing of s can differ from the
// first (PostgreSQL): only the bytes that dialect treats differently can make
// a difference, and ordinary queries have none of them, so they take one pass.
func readings(s string) []dialect {
	backslash := strings.IndexByte(s, '\\') >= 0
	hash := strings.IndexByte(s, '#') >= 0
	bracket := strings.IndexByte(s, '[') >= 0
	comment := strings.Contains(s, "/*")
	triple := strings.Contains(s, "'''") || strings.Contains(s, `"""`)
	dollar := false
	for i := strings.IndexByte(s, '$'); i >= 0 && i < len(s); {
		if dollarTagEnd(s, i) > 0 {
			dollar = true
			break
		}
		j := strings.IndexByte(s[i+1:], '$')
		if j < 0 {
			break
		}
		i += j + 1
	}
	out := dialects[:1:1]
	for _, d := range dialects[1:] {
		differs := backslash || comment && d.nestedComments != dialects[0].nestedComments ||
			comment && d.execComments || hash && d.hashComment || bracket && d.brackets ||
			dollar && !d.dollarQuote || triple && d.tripleQuotes
		if differs {
			out = append(out, d)
		}
	}
	return out
}

type tokKind uint8

const (
	tWord   tokKind = iota // unquoted identifier or keyword, upper-cased in up
	tIdent                 // quoted identifier: never a keyword
	tString                // string literal, unquoted body in text
	tNumber
	tParam // $1, ?, :name, @var
	tPunct // one byte of punctuation; ';' separates statements
	tMeta  // psql backslash command, text holds the line
)

type token struct {
	kind tokKind
	up   string // upper-cased word, or the punctuation byte
	text string // string body, or the original text
}

func (t token) is(word string) bool { return t.kind == tWord && t.up == word }
func (t token) punct(p string) bool { return t.kind == tPunct && t.up == p }
func isIdentStart(c byte) bool      { return c == '_' || c >= 0x80 || (c|0x20 >= 'a' && c|0x20 <= 'z') }
func isIdentByte(c byte) bool       { return isIdentStart(c) || (c >= '0' && c <= '9') || c == '$' }
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}
func hasPrefixFold(s, p string) bool { return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) }

// lexSQL splits text into tokens under one dialect. It never fails: an
// unterminated string or comment runs to the end of the text, which is what
// an engine would reject anyway, so nothing after it can run.
func lexSQL(s string, d dialect) []token {
	toks := make([]token, 0, len(s)/4+4)
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case isSpace(c):
			i++
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			i = skipLine(s, i)
		case c == '#' && d.hashComment:
			i = skipLine(s, i)
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			if d.execComments && i+2 < len(s) && s[i+2] == '!' {
				// MySQL runs the body of /*! ... */ (after an optional
				// version number): lex it as code by dropping the markers.
				j := i + 3
				for j < len(s) && s[j] >= '0' && s[j] <= '9' {
					j++
				}
				i = j
				continue
			}
			i = skipBlockComment(s, i, d.nestedComments)
		case c == '*' && d.execComments && i+1 < len(s) && s[i+1] == '/':
			i += 2 // end of an executable comment
		case c == '\'':
			if d.tripleQuotes && strings.HasPrefix(s[i:], "'''") {
				body, next := scanTriple(s, i, "'''")
				toks = append(toks, token{kind: tString, text: body})
				i = next
				continue
			}
			body, next := scanQuoted(s, i, '\'', d.backslashEsc)
			toks = append(toks, token{kind: tString, text: body})
			i = next
		case c == '"':
			if d.tripleQuotes && strings.HasPrefix(s[i:], `"""`) {
				body, next := scanTriple(s, i, `"""`)
				toks = append(toks, token{kind: tString, text: body})
				i = next
				continue
			}
			body, next := scanQuoted(s, i, '"', d.backslashEsc && d.dblQuoteString)
			kind := tIdent
			if d.dblQuoteString {
				kind = tString
			}
			toks = append(toks, token{kind: kind, text: body})
			i = next
		case c == '`':
			body, next := scanQuoted(s, i, '`', false)
			toks = append(toks, token{kind: tIdent, text: body})
			i = next
		case c == '[' && d.brackets:
			j := strings.IndexByte(s[i+1:], ']')
			if j < 0 {
				toks = append(toks, token{kind: tIdent, text: s[i+1:]})
				i = len(s)
				continue
			}
			toks = append(toks, token{kind: tIdent, text: s[i+1 : i+1+j]})
			i += j + 2
		case c == '$' && d.dollarQuote && dollarTagEnd(s, i) > 0:
			end := dollarTagEnd(s, i)
			tag := s[i:end]
			k := strings.Index(s[end:], tag)
			if k < 0 {
				toks = append(toks, token{kind: tString, text: s[end:]})
				i = len(s)
				continue
			}
			toks = append(toks, token{kind: tString, text: s[end : end+k]})
			i = end + k + len(tag)
		case c == '\\' && d.psqlMeta:
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				j = len(s) - i
			}
			toks = append(toks, token{kind: tMeta, text: s[i : i+j]})
			i += j
		case isIdentStart(c):
			j := i + 1
			for j < len(s) && isIdentByte(s[j]) {
				j++
			}
			// E'..' takes backslash escapes in PostgreSQL only; elsewhere E is
			// a name and the string follows the dialect's own rules.
			if d.eStrings && j-i == 1 && (s[i] == 'E' || s[i] == 'e') && j < len(s) && s[j] == '\'' {
				body, next := scanQuoted(s, j, '\'', true)
				toks = append(toks, token{kind: tString, text: body})
				i = next
				continue
			}
			w := s[i:j]
			toks = append(toks, token{kind: tWord, up: upper(w), text: w})
			i = j
		case c >= '0' && c <= '9':
			j := i + 1
			for j < len(s) && (isIdentByte(s[j]) || s[j] == '.') {
				j++
			}
			toks = append(toks, token{kind: tNumber, text: s[i:j]})
			i = j
		case c == '$' || c == '@' || c == '?' || (c == ':' && i+1 < len(s) && isIdentStart(s[i+1])):
			j := i + 1
			for j < len(s) && (isIdentByte(s[j]) || s[j] == '@') {
				j++
			}
			toks = append(toks, token{kind: tParam, text: s[i:j]})
			i = j
		default:
			toks = append(toks, token{kind: tPunct, up: s[i : i+1], text: s[i : i+1]})
			i++
		}
	}
	return toks
}

func skipLine(s string, i int) int {
	j := strings.IndexByte(s[i:], '\n')
	if j < 0 {
		return len(s)
	}
	return i + j + 1
}

func skipBlockComment(s string, i int, nested bool) int {
	depth := 0
	for i < len(s) {
		switch {
		case strings.HasPrefix(s[i:], "/*"):
			if depth == 0 || nested {
				depth++
			}
			i += 2
		case strings.HasPrefix(s[i:], "*/"):
			depth--
			i += 2
			if depth == 0 {
				return i
			}
		default:
			i++
		}
	}
	return len(s)
}

// scanQuoted reads a quoted run starting at s[i] == q; a doubled quote is an
// escaped quote, and with backslash a backslash escapes the next byte.
func scanQuoted(s string, i int, q byte, backslash bool) (string, int) {
	var b strings.Builder
	j := i + 1
	start := j
	plain := true
	for j < len(s) {
		c := s[j]
		switch {
		case backslash && c == '\\' && j+1 < len(s):
			if plain {
				b.WriteString(s[start:j])
				plain = false
			}
			b.WriteByte(s[j+1])
			j += 2
			continue
		case c == q:
			if j+1 < len(s) && s[j+1] == q {
				if plain {
					b.WriteString(s[start:j])
					plain = false
				}
				b.WriteByte(q)
				j += 2
				continue
			}
			if plain {
				return s[start:j], j + 1
			}
			return b.String(), j + 1
		}
		if !plain {
			b.WriteByte(c)
		}
		j++
	}
	if plain {
		return s[start:], len(s)
	}
	return b.String(), len(s)
}

func scanTriple(s string, i int, q string) (string, int) {
	k := strings.Index(s[i+3:], q)
	if k < 0 {
		return s[i+3:], len(s)
	}
	return s[i+3 : i+3+k], i + 3 + k + 3
}

// dollarTagEnd returns the index after a $tag$ opener at s[i], or 0. A tag is
// empty or an identifier that does not start with a digit ($1 is a parameter).
func dollarTagEnd(s string, i int) int {
	j := i + 1
	if j < len(s) && s[j] == '$' {
		return j + 1
	}
	if j >= len(s) || !isIdentStart(s[j]) {
		return 0
	}
	for j < len(s) && s[j] != '$' {
		if !isIdentByte(s[j]) || s[j] == '$' {
			return 0
		}
		j++
	}
	if j >= len(s) {
		return 0
	}
	return j + 1
}

// upper is strings.ToUpper for keywords: long words are never keywords, so
// they skip the copy; that keeps huge identifier soups cheap.
func upper(w string) string {
	if len(w) > 40 {
		return w
	}
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 'a' && c <= 'z' {
			return strings.ToUpper(w)
		}
	}
	return w
}

package inspect

import (
	"strconv"
	"strings"
)

// maxCode bounds the script read; longer code is treated as unknown code.
const maxCode = 1 << 20

// jsReadCalls are functions and methods that only look at the page or
// compute values. Any other call is unknown code and makes a write.
var jsReadCalls = setOf("querySelector", "querySelectorAll", "getElementById", "getElementsByClassName",
	"getElementsByTagName", "getElementsByName", "getAttribute", "getAttributeNames", "hasAttribute",
	"getBoundingClientRect", "getClientRects", "getComputedStyle", "closest", "matches", "contains",
	"item", "map", "filter", "forEach", "reduce", "find", "findIndex", "findLast", "some", "every",
	"slice", "join", "concat", "includes", "indexOf", "lastIndexOf", "flat", "flatMap", "at", "keys",
	"values", "entries", "from", "isArray", "of", "trim", "trimStart", "trimEnd", "toLowerCase",
	"toUpperCase", "startsWith", "endsWith", "split", "replace", "replaceAll", "match", "matchAll",
	"test", "exec", "substring", "substr", "charAt", "charCodeAt", "padStart", "padEnd", "repeat",
	"normalize", "localeCompare", "toString", "toFixed", "toJSON", "toISOString", "toLocaleString",
	"toLocaleDateString", "getTime", "now", "parse", "stringify", "Number", "String", "Boolean",
	"parseInt", "parseFloat", "isNaN", "isFinite", "Array", "Object", "Date", "Math", "max", "min",
	"round", "floor", "ceil", "abs", "sqrt", "pow", "random", "log", "info", "warn", "error", "debug",
	"table", "getItem", "key", "json", "text", "blob", "arrayBuffer", "then", "catch", "finally",
	"resolve", "all", "allSettled", "race", "Promise", "sort", "reverse", "Set", "Map", "has", "get",
	"evaluate", "snapshotItem", "iterateNext", "getSelection", "checkValidity", "getPropertyValue",
	"encodeURIComponent", "decodeURIComponent", "encodeURI", "decodeURI", "URL", "URLSearchParams",
	"$", "$$", "$x", "assign", "freeze", "create", "getOwnPropertyNames", "fromEntries", "isInteger",
	"push", "unshift", "fill", "sum", "getRootNode", "scrollIntoView", "scrollTo", "scrollBy",
	"focus", "blur", "fetch", "open", "requestAnimationFrame", "Error", "RegExp", "JSON", "trunc",
	"sign", "log10", "every", "toPrecision", "indexedDBRead", "getContext", "measureText", "elementFromPoint",
	"elementsFromPoint", "getEntriesByType", "getEntries", "console")

// jsNotCalls precede '(' without calling anything.
var jsNotCalls = setOf("if", "for", "while", "switch", "catch", "return", "typeof", "await", "function",
	"new", "in", "of", "do", "else", "void", "yield", "case", "instanceof", "async")

// jsWrites are member writes worth naming.
var jsWriteProps = setOf("innerHTML", "outerHTML", "textContent", "innerText", "value", "src", "href",
	"cookie", "location", "checked", "selected", "action", "hash", "search", "pathname", "title")

// Code classifies browser-evaluate JavaScript: reads of the page are reads;
// clicks, submits, storage and cookie writes, navigation, DOM changes and
// non-GET requests are writes (DELETE requests and wiping storage are
// destructive); anything not recognised is a write.
func Code(js string) Finding {
	var c collector
	if len(js) > maxCode {
		c.add(Destructive, "code: too long to inspect ("+strconv.Itoa(len(js))+" bytes)")
		return c.finding()
	}
	toks := lexJS(js)
	for i, t := range toks {
		prev := func(n int) jsTok {
			if i-n >= 0 {
				return toks[i-n]
			}
			return jsTok{}
		}
		next := func(n int) jsTok {
			if i+n < len(toks) {
				return toks[i+n]
			}
			return jsTok{}
		}
		switch {
		case t.kind == 'i' && next(1).is("("):
			if prev(1).is("function") || jsNotCalls[t.s] {
				continue
			}
			a := jsCall{toks: toks, at: i, c: &c}
			a.classify()
		case t.is("=") && prev(1).kind == 'i':
			// An assignment to a property or to a global the page owns.
			p := prev(1).s
			member := prev(2).is(".")
			switch {
			case p == "cookie" && member:
				c.add(Write, "code: sets document.cookie")
			case p == "location" || (member && (p == "href" && prev(3).s == "location")):
				c.add(Write, "code: navigates the page")
			case member && jsWriteProps[p]:
				c.add(Write, "code: sets ."+p)
			case member:
				c.add(Write, "code: changes ."+snippet(p))
			}
		case t.is("=") && prev(1).is("]"):
			c.add(Write, "code: changes an object")
		case t.is("delete") && next(1).kind == 'i':
			c.add(Write, "code: deletes a property")
		}
	}
	if c.tier == Read && len(toks) > 0 {
		c.add(Read, "code: reads the page")
	}
	return c.finding()
}

type jsCall struct {
	toks []jsTok
	at   int
	c    *collector
}

// args returns the tokens between the call's parentheses.
func (j jsCall) args() []jsTok {
	depth := 0
	start := j.at + 2
	for k := j.at + 1; k < len(j.toks); k++ {
		switch {
		case j.toks[k].is("(") || j.toks[k].is("{") || j.toks[k].is("["):
			depth++
		case j.toks[k].is(")") || j.toks[k].is("}") || j.toks[k].is("]"):
			depth--
			if depth == 0 {
				return j.toks[start:k]
			}
		}
	}
	return j.toks[min(start, len(j.toks)):]
}

func (j jsCall) classify() {
	name := j.toks[j.at].s
	recv := ""
	if j.at >= 2 && j.toks[j.at-1].is(".") {
		recv = j.toks[j.at-2].s
	}
	switch {
	case name == "fetch":
		j.method("fetch", "method")
		return
	case name == "open" && recv != "" && recv != "window" && recv != "document":
		// XMLHttpRequest.open(method, url)
		if args := j.args(); len(args) > 0 && args[0].kind == 's' {
			f := HTTPMethod(args[0].s)
			j.c.add(f.Tier, "code: request "+strings.TrimPrefix(f.Reasons[0], "HTTP "))
			return
		}
		j.c.add(Write, "code: request with a computed method")
		return
	case name == "open":
		j.c.add(Write, "code: opens a window")
		return
	case (name == "post" || name == "put" || name == "patch") && recv != "":
		j.c.add(Write, "code: "+recv+"."+name+"()")
		return
	case name == "delete" && (recv == "axios" || recv == "$" || recv == "jQuery" || recv == "ky" || recv == "http" || recv == "api"):
		j.c.add(Destructive, "code: "+recv+".delete()")
		return
	case name == "ajax":
		j.method("ajax", "type")
		return
	case name == "clear" && (recv == "localStorage" || recv == "sessionStorage"):
		j.c.add(Destructive, "code: clears "+recv)
		return
	case name == "deleteDatabase" || (name == "delete" && recv == "caches"):
		j.c.add(Destructive, "code: deletes stored site data")
		return
	case name == "click" || name == "submit" || name == "requestSubmit" || name == "dispatchEvent":
		j.c.add(Write, "code: "+name+"()")
		return
	case name == "eval" || name == "Function" || name == "setTimeout" || name == "setInterval" || name == "import":
		j.c.add(Write, "code: "+name+"() runs code")
		return
	case name == "setItem" || name == "removeItem":
		j.c.add(Write, "code: "+name+"() changes storage")
		return
	case name == "reload" || name == "assign" && recv == "location" || name == "replace" && recv == "location" ||
		name == "pushState" || name == "replaceState" || name == "back" || name == "forward" || name == "go":
		j.c.add(Write, "code: navigates the page")
		return
	case name == "sendBeacon" || name == "postMessage" || name == "send" || name == "WebSocket":
		j.c.add(Write, "code: sends data ("+name+")")
		return
	case name == "write" || name == "writeln" || name == "writeText":
		j.c.add(Write, "code: "+name+"()")
		return
	case jsReadCalls[name]:
		return
	}
	j.c.add(Write, "code: calls "+snippet(name)+"()")
}

// method finds "key: 'VERB'" among the call's arguments; absent means GET.
func (j jsCall) method(fn, key string) {
	args := j.args()
	for k := 0; k+2 < len(args); k++ {
		if (args[k].s == key || args[k].kind == 's' && args[k].s == key) && args[k+1].is(":") {
			if args[k+2].kind == 's' {
				f := HTTPMethod(args[k+2].s)
				j.c.add(f.Tier, "code: "+fn+" "+strings.TrimPrefix(f.Reasons[0], "HTTP "))
				return
			}
			j.c.add(Write, "code: "+fn+" with a computed method")
			return
		}
	}
	j.c.add(Read, "code: "+fn+" GET")
}

type jsTok struct {
	kind byte // 'i' identifier, 's' string, 'p' punctuation, 'n' number
	s    string
}

func (t jsTok) is(s string) bool { return t.kind != 's' && t.s == s }

// lexJS splits JavaScript into identifiers, strings and punctuation. It
// skips comments; regex literals lex as punctuation, which only errs
// towards seeing more calls.
func lexJS(s string) []jsTok {
	var toks []jsTok
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case isSpace(c):
			i++
		case strings.HasPrefix(s[i:], "//"):
			i = skipLine(s, i)
		case strings.HasPrefix(s[i:], "/*"):
			if j := strings.Index(s[i+2:], "*/"); j >= 0 {
				i += j + 4
			} else {
				i = len(s)
			}
		case c == '\'' || c == '"' || c == '`':
			body, next := scanQuoted(s, i, c, true)
			toks = append(toks, jsTok{'s', body})
			if c == '`' && strings.Contains(body, "${") {
				// Template substitutions run code: lex them too.
				toks = append(toks, lexJS(body)...)
			}
			i = next
		case isIdentStart(c) || c == '$':
			j := i + 1
			for j < len(s) && (isIdentByte(s[j]) || s[j] == '$') {
				j++
			}
			toks = append(toks, jsTok{'i', s[i:j]})
			i = j
		case c >= '0' && c <= '9':
			j := i + 1
			for j < len(s) && (isIdentByte(s[j]) || s[j] == '.') {
				j++
			}
			toks = append(toks, jsTok{'n', s[i:j]})
			i = j
		case c == '=' || c == '!' || c == '<' || c == '>':
			// Keep comparison and arrow operators whole so "=" means assignment.
			j := i + 1
			for j < len(s) && j < i+3 && (s[j] == '=' || s[j] == '>') {
				j++
			}
			toks = append(toks, jsTok{'p', s[i:j]})
			i = j
		case (c == '+' || c == '-' || c == '*' || c == '/' || c == '|' || c == '&' || c == '?' || c == '%') && i+1 < len(s) && s[i+1] == '=':
			toks = append(toks, jsTok{'p', "="}) // compound assignment
			i += 2
		default:
			toks = append(toks, jsTok{'p', s[i : i+1]})
			i++
		}
	}
	return toks
}

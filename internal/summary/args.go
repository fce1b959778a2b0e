package summary

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// The arguments come from the model and may be hostile: megabytes of text,
// nesting deeper than encoding/json accepts, duplicate keys. The summary
// needs a handful of top-level values, so it reads the JSON with a small
// scanner that never recurses on the input, decodes strings only up to what
// it can show, and visits a bounded number of fields and array items.
const (
	maxFields   = 256 // top-level keys looked at
	maxItems    = 64  // array items looked at
	maxKeyBytes = 128 // longer keys are not ones the summary knows
)

// object is the top level of a JSON object: normalized key to raw value.
type object struct {
	fields []field
}

type field struct {
	key  string // lower case, without '_', '-', '.' or spaces
	name string // as written (bounded)
	raw  []byte // the raw JSON value
}

// parseObject reads the top level of a JSON object. It reports false when data
// is not an object; a malformed tail keeps the fields read before it.
func parseObject(data []byte) (object, bool) {
	var o object
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return o, false
	}
	i++
	for len(o.fields) < maxFields {
		i = skipSpace(data, i)
		if i >= len(data) || data[i] == '}' {
			break
		}
		if data[i] == ',' {
			i++
			continue
		}
		if data[i] != '"' {
			break
		}
		end, ok := skipString(data, i)
		if !ok {
			break
		}
		name, _, _ := decodeString(data[i:end], maxKeyBytes)
		i = skipSpace(data, end)
		if i >= len(data) || data[i] != ':' {
			break
		}
		i = skipSpace(data, i+1)
		vend, ok := skipValue(data, i)
		if !ok {
			break
		}
		o.fields = append(o.fields, field{key: normalizeKey(name), name: name, raw: data[i:vend]})
		i = vend
	}
	return o, true
}

// normalizeKey folds file_path, filePath, file-path and FilePath together.
func normalizeKey(k string) string {
	var b strings.Builder
	for _, r := range k {
		switch {
		case r == '_' || r == '-' || r == '.' || r == ' ':
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// raw returns the value of the first key present, the last duplicate winning
// as it does for the servers' own JSON parsers.
func (o object) raw(keys ...string) (field, bool) {
	for _, k := range keys {
		for j := len(o.fields) - 1; j >= 0; j-- {
			if o.fields[j].key == k {
				return o.fields[j], true
			}
		}
	}
	return field{}, false
}

// has reports whether any of keys is present.
func (o object) has(keys ...string) bool {
	_, ok := o.raw(keys...)
	return ok
}

// text returns a scalar value as text, bounded to max runes: strings decoded,
// numbers and booleans as written. cut reports that the value was longer.
func (o object) text(max int, keys ...string) (s string, cut bool, ok bool) {
	f, found := o.raw(keys...)
	if !found {
		return "", false, false
	}
	return scalarText(f.raw, max)
}

func scalarText(raw []byte, max int) (s string, cut bool, ok bool) {
	if len(raw) == 0 {
		return "", false, false
	}
	switch raw[0] {
	case '"':
		s, _, cut := decodeString(raw, max)
		return s, cut, true
	case '{', '[', 'n':
		return "", false, false
	default:
		if len(raw) > max {
			return string(raw[:max]), true, true
		}
		return string(raw), false, true
	}
}

// strings returns up to n string items of an array value, and the number of
// items in the array (counted up to maxItems).
func (o object) strings(n, max int, keys ...string) (items []string, count int) {
	f, ok := o.raw(keys...)
	if !ok {
		return nil, 0
	}
	eachItem(f.raw, func(raw []byte) {
		count++
		if len(items) < n {
			if s, _, ok := scalarText(raw, max); ok {
				items = append(items, s)
			}
		}
	})
	return items, count
}

// eachItem calls fn for each item of a JSON array, up to maxItems.
func eachItem(raw []byte, fn func([]byte)) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '[' {
		return
	}
	i++
	for n := 0; n < maxItems; {
		i = skipSpace(raw, i)
		if i >= len(raw) || raw[i] == ']' {
			return
		}
		if raw[i] == ',' {
			i++
			continue
		}
		end, ok := skipValue(raw, i)
		if !ok {
			return
		}
		fn(raw[i:end])
		n++
		i = end
	}
}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the index just past the string starting at data[i].
func skipString(data []byte, i int) (int, bool) {
	j := i + 1
	for {
		k := bytes.IndexByte(data[j:], '"')
		if k < 0 {
			return len(data), false
		}
		j += k
		// A quote preceded by an odd run of backslashes is escaped.
		bs := 0
		for p := j - 1; p > i && data[p] == '\\'; p-- {
			bs++
		}
		j++
		if bs%2 == 0 {
			return j, true
		}
	}
}

// skipValue returns the index just past the value starting at data[i]. Nested
// arrays and objects are skipped with a counter, not recursion, so depth
// costs nothing.
func skipValue(data []byte, i int) (int, bool) {
	if i >= len(data) {
		return i, false
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for i < len(data) {
			switch data[i] {
			case '"':
				end, ok := skipString(data, i)
				if !ok {
					return end, false
				}
				i = end
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1, true
				}
			}
			i++
		}
		return i, false
	default:
		j := i
		for j < len(data) {
			switch data[j] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return j, j > i
			}
			j++
		}
		return j, j > i
	}
}

// decodeString decodes a JSON string literal (with its quotes), keeping at
// most max runes of it. size is the byte length of the whole decoded value,
// counted without building it, so a 10 MB file body costs one pass and no
// copy.
func decodeString(raw []byte, max int) (s string, size int, cut bool) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", 0, false
	}
	body := raw[1:]
	if body[len(body)-1] == '"' {
		body = body[:len(body)-1]
	}
	var b strings.Builder
	runes := 0
	keep := func(r rune) {
		if n := utf8.RuneLen(r); n > 0 {
			size += n
		} else {
			size += 3 // written as U+FFFD
		}
		if runes < max {
			b.WriteRune(r)
			runes++
		} else {
			cut = true
		}
	}
	for i := 0; i < len(body); {
		c := body[i]
		if c != '\\' {
			if c < utf8.RuneSelf {
				keep(rune(c))
				i++
				continue
			}
			r, n := utf8.DecodeRune(body[i:])
			keep(r)
			i += n
			continue
		}
		if i+1 >= len(body) {
			break
		}
		switch body[i+1] {
		case 'n':
			keep('\n')
		case 't':
			keep('\t')
		case 'r':
			keep('\r')
		case 'b':
			keep('\b')
		case 'f':
			keep('\f')
		case 'u':
			r, n := decodeUnicodeEscape(body[i:])
			keep(r)
			i += n
			continue
		default:
			keep(rune(body[i+1]))
		}
		i += 2
	}
	return b.String(), size, cut
}

// decodeUnicodeEscape decodes \uXXXX (and a following low surrogate) at the
// start of b, returning the rune and the bytes used.
func decodeUnicodeEscape(b []byte) (rune, int) {
	hi, ok := hex4(b)
	if !ok {
		return utf8.RuneError, 2
	}
	if hi >= 0xD800 && hi < 0xDC00 {
		if len(b) >= 12 {
			if lo, ok := hex4(b[6:]); ok && lo >= 0xDC00 && lo < 0xE000 {
				return (hi-0xD800)<<10 + (lo - 0xDC00) + 0x10000, 12
			}
		}
		return utf8.RuneError, 6
	}
	if hi >= 0xDC00 && hi < 0xE000 {
		return utf8.RuneError, 6
	}
	return hi, 6
}

// hex4 reads the four hex digits of a \uXXXX escape at the start of b.
func hex4(b []byte) (rune, bool) {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return 0, false
	}
	var r rune
	for _, c := range b[2:6] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}

// Package redact removes secrets from tool-call arguments and error texts
// before they are stored or shown. It errs toward hiding: a redacted value
// that was harmless costs a little context, a stored token costs a breach.
package redact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Placeholder replaces every hidden value.
const Placeholder = "[REDACTED]"

// MaxDepth bounds nesting; deeper values are replaced by tooDeep. Real
// arguments are shallow, and the bound keeps the walk's recursion small.
const MaxDepth = 64

const tooDeep = "[nested too deep]"

// nameKeys and valueKeys describe {"name": "Authorization", "value": "..."}
// pairs, the usual shape of headers and environment variables in arguments.
var (
	nameKeys  = set("name", "key", "header", "param", "parameter", "variable", "var")
	valueKeys = set("value", "val")
)

// Arguments returns a copy of JSON arguments with secret-like values
// replaced by "[REDACTED]": values under secret-like keys (at any depth) and
// token-shaped strings anywhere. Object key order is kept. The result is
// always valid JSON: empty input becomes {}, and invalid input becomes a JSON
// string that describes it without repeating it.
func Arguments(raw json.RawMessage) json.RawMessage {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 {
		return json.RawMessage("{}")
	}
	n, err := parseDocument(trimmed)
	if err != nil {
		var b bytes.Buffer
		writeString(&b, fmt.Sprintf("[unparseable arguments: %d bytes]", len(raw)))
		return b.Bytes()
	}
	n.redact()
	var b bytes.Buffer
	b.Grow(len(trimmed))
	n.write(&b)
	return b.Bytes()
}

// parseDocument parses one whole JSON text into a node tree, numbers kept
// as written.
func parseDocument(data []byte) (node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return node{}, err
	}
	n, err := parse(dec, tok, 0)
	if err != nil {
		return node{}, err
	}
	if _, end := dec.Token(); end != io.EOF {
		return node{}, fmt.Errorf("data after the value")
	}
	return n, nil
}

type kind uint8

const (
	kObject kind = iota
	kArray
	kString
	kNumber  // text is the number as written
	kLiteral // text is true, false or null
)

type node struct {
	kind    kind
	text    string
	members []member
	items   []node
}

type member struct {
	key string
	val node
}

// parse builds a node from tok and the tokens that follow it.
func parse(dec *json.Decoder, tok json.Token, depth int) (node, error) {
	switch t := tok.(type) {
	case json.Delim:
		if depth >= MaxDepth {
			if err := skip(dec); err != nil {
				return node{}, err
			}
			return node{kind: kString, text: tooDeep}, nil
		}
		n := node{kind: kArray}
		if t == '{' {
			n.kind = kObject
		}
		for {
			tok, err := dec.Token()
			if err != nil {
				return node{}, err
			}
			if tok == json.Delim(']') || tok == json.Delim('}') {
				return n, nil
			}
			if n.kind == kArray {
				item, err := parse(dec, tok, depth+1)
				if err != nil {
					return node{}, err
				}
				n.items = append(n.items, item)
				continue
			}
			key, _ := tok.(string) // the decoder yields only string keys in objects
			vtok, err := dec.Token()
			if err != nil {
				return node{}, err
			}
			val, err := parse(dec, vtok, depth+1)
			if err != nil {
				return node{}, err
			}
			n.members = append(n.members, member{key, val})
		}
	case string:
		return node{kind: kString, text: t}, nil
	case json.Number:
		return node{kind: kNumber, text: string(t)}, nil
	case bool:
		return node{kind: kLiteral, text: fmt.Sprint(t)}, nil
	default:
		return node{kind: kLiteral, text: "null"}, nil
	}
}

// skip consumes the rest of a container whose opening delimiter was just
// read, without recursion.
func skip(dec *json.Decoder) error {
	for open := 1; open > 0; {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('['), json.Delim('{'):
			open++
		case json.Delim(']'), json.Delim('}'):
			open--
		}
	}
	return nil
}

func (n *node) redact() {
	switch n.kind {
	case kString:
		n.text = String(n.text)
	case kArray:
		for i := range n.items {
			n.items[i].redact()
		}
	case kObject:
		namedSecret := false
		for _, m := range n.members {
			if nameKeys[strings.ToLower(m.key)] && m.val.kind == kString && IsSecretKey(m.val.text) {
				namedSecret = true
			}
		}
		for i := range n.members {
			m := &n.members[i]
			if IsSecretKey(m.key) || (namedSecret && valueKeys[strings.ToLower(m.key)]) {
				m.val.hide()
			} else {
				m.val.redact()
			}
			m.key = String(m.key)
		}
	}
}

// hide replaces a value held under a secret key. Booleans and null say
// whether a secret is set, not what it is, so they stay, as do empty values.
func (n *node) hide() {
	switch {
	case n.kind == kLiteral,
		n.kind == kString && n.text == "",
		n.kind == kObject && len(n.members) == 0,
		n.kind == kArray && len(n.items) == 0:
		return
	}
	*n = node{kind: kString, text: Placeholder}
}

func (n *node) write(b *bytes.Buffer) {
	switch n.kind {
	case kString:
		writeString(b, n.text)
	case kNumber, kLiteral:
		b.WriteString(n.text)
	case kArray:
		b.WriteByte('[')
		for i := range n.items {
			if i > 0 {
				b.WriteByte(',')
			}
			n.items[i].write(b)
		}
		b.WriteByte(']')
	case kObject:
		b.WriteByte('{')
		for i := range n.members {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, n.members[i].key)
			b.WriteByte(':')
			n.members[i].val.write(b)
		}
		b.WriteByte('}')
	}
}

// writeString writes s as a JSON string. Unlike encoding/json it leaves <, >
// and & alone (the output is stored and shown as text, never as HTML).
// Invalid UTF-8 becomes U+FFFD.
func writeString(b *bytes.Buffer, s string) {
	const hexDigits = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteByte(byte(r))
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029':
			b.WriteString(`\u`)
			for shift := 12; shift >= 0; shift -= 4 {
				b.WriteByte(hexDigits[(r>>shift)&0xf])
			}
		case r == utf8.RuneError && size == 1:
			b.WriteString("\ufffd")
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
}

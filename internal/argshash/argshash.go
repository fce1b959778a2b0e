// Package argshash fingerprints tool-call arguments, so an approval can be
// bound to exactly the arguments that were approved.
package argshash

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"unicode/utf8"
)

// MaxDepth bounds nesting. Real arguments are shallow; a deeper value is an
// attack on the parser, not a tool call.
const MaxDepth = 256

// Of returns the hex SHA-256 of the canonical form of a JSON value: object
// keys sorted by their UTF-8 bytes, no insignificant whitespace, strings
// re-escaped one way, numbers kept exactly as written. Empty, whitespace-only
// and null arguments all mean "no arguments" and hash as {}.
//
// Invalid JSON, trailing data, nesting deeper than MaxDepth and duplicate
// object keys are errors: a value that parsers may read two ways has no
// single meaning to approve.
func Of(raw json.RawMessage) (string, error) {
	canon, err := Canonical(raw)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(canon)
	return hex.EncodeToString(sum[:]), nil
}

// Canonical returns the bytes Of hashes.
func Canonical(raw json.RawMessage) ([]byte, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || string(trimmed) == "null" {
		return []byte("{}"), nil
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	c := canonicalizer{dec: dec}
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("arguments: invalid JSON: %w", err)
	}
	if err := c.value(tok, 0); err != nil {
		return nil, fmt.Errorf("arguments: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("arguments: invalid JSON: data after the value")
	}
	return c.out.Bytes(), nil
}

type canonicalizer struct {
	dec *json.Decoder
	out bytes.Buffer
}

func (c *canonicalizer) value(tok json.Token, depth int) error {
	switch t := tok.(type) {
	case json.Delim:
		if depth >= MaxDepth {
			return fmt.Errorf("nested deeper than %d levels", MaxDepth)
		}
		if t == '[' {
			return c.array(depth)
		}
		return c.object(depth)
	case string:
		writeString(&c.out, t)
	case json.Number:
		c.out.WriteString(string(t))
	case bool:
		if t {
			c.out.WriteString("true")
		} else {
			c.out.WriteString("false")
		}
	case nil:
		c.out.WriteString("null")
	}
	return nil
}

func (c *canonicalizer) array(depth int) error {
	c.out.WriteByte('[')
	for i := 0; ; i++ {
		tok, err := c.dec.Token()
		if err != nil {
			return fmt.Errorf("invalid JSON: %w", err)
		}
		if tok == json.Delim(']') {
			break
		}
		if i > 0 {
			c.out.WriteByte(',')
		}
		if err := c.value(tok, depth+1); err != nil {
			return err
		}
	}
	c.out.WriteByte(']')
	return nil
}

func (c *canonicalizer) object(depth int) error {
	type member struct {
		key string
		val []byte
	}
	var members []member
	seen := map[string]bool{}
	for {
		tok, err := c.dec.Token()
		if err != nil {
			return fmt.Errorf("invalid JSON: %w", err)
		}
		if tok == json.Delim('}') {
			break
		}
		key := tok.(string) // the decoder only yields string keys here
		if seen[key] {
			return fmt.Errorf("duplicate key %q", key)
		}
		seen[key] = true
		val, err := c.dec.Token()
		if err != nil {
			return fmt.Errorf("invalid JSON: %w", err)
		}
		// Encode the member on its own so members can be sorted.
		sub := canonicalizer{dec: c.dec}
		if err := sub.value(val, depth+1); err != nil {
			return err
		}
		members = append(members, member{key, sub.out.Bytes()})
	}
	sort.Slice(members, func(i, j int) bool { return members[i].key < members[j].key })
	c.out.WriteByte('{')
	for i, m := range members {
		if i > 0 {
			c.out.WriteByte(',')
		}
		writeString(&c.out, m.key)
		c.out.WriteByte(':')
		c.out.Write(m.val)
	}
	c.out.WriteByte('}')
	return nil
}

// writeString writes s as a JSON string, escaping only what JSON requires.
// The decoder already turned invalid UTF-8 into U+FFFD.
func writeString(b *bytes.Buffer, s string) {
	const hexDigits = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteByte(byte(r))
		case r < 0x20:
			switch r {
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			default:
				b.WriteString(`\u00`)
				b.WriteByte(hexDigits[r>>4])
				b.WriteByte(hexDigits[r&0xf])
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

package hostconfig

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// object is a JSON object that keeps its keys in the order written, the
// model of what a host config holds; splice (text.go) writes it back into
// the file's own text, so an edited host config differs from the original
// only where it was edited. Values stay as their raw JSON text.
type object struct {
	keys []string
	vals map[string]json.RawMessage
}

func newObject() *object { return &object{vals: map[string]json.RawMessage{}} }

// parseObject reads a JSON object. A duplicate key keeps its first place and
// its last value, as JavaScript's JSON.parse does.
func parseObject(data []byte) (*object, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("is %s, not an object", jsonKind(data))
	}
	o := newObject()
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return nil, err
		}
		o.set(key, val)
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, errors.New("has data after the object")
	}
	return o, nil
}

// jsonKind names the type of a JSON value for messages.
func jsonKind(raw []byte) string {
	s := bytes.TrimSpace(raw)
	if len(s) == 0 {
		return "empty"
	}
	switch s[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

func (o *object) get(key string) (json.RawMessage, bool) {
	v, ok := o.vals[key]
	return v, ok
}

// set replaces key's value in place, or appends key.
func (o *object) set(key string, val json.RawMessage) {
	if _, ok := o.vals[key]; !ok {
		o.keys = append(o.keys, key)
	}
	o.vals[key] = val
}

// insertAt puts a new key at position i (clamped); an existing key is only
// given its new value.
func (o *object) insertAt(i int, key string, val json.RawMessage) {
	if _, ok := o.vals[key]; ok {
		o.vals[key] = val
		return
	}
	i = max(0, min(i, len(o.keys)))
	o.keys = append(o.keys[:i], append([]string{key}, o.keys[i:]...)...)
	o.vals[key] = val
}

func (o *object) index(key string) int {
	for i, k := range o.keys {
		if k == key {
			return i
		}
	}
	return -1
}

func (o *object) remove(key string) {
	if i := o.index(key); i >= 0 {
		o.keys = append(o.keys[:i], o.keys[i+1:]...)
		delete(o.vals, key)
	}
}

// child parses key's value as an object; ok is false when key is absent.
func (o *object) child(key string) (c *object, ok bool, err error) {
	raw, ok := o.get(key)
	if !ok {
		return nil, false, nil
	}
	c, err = parseObject(raw)
	if err != nil {
		return nil, true, fmt.Errorf("%q %w", key, err)
	}
	return c, true, nil
}

// setChild stores c as key's value.
func (o *object) setChild(key string, c *object) { o.set(key, c.compact()) }

// compact is the object as JSON without insignificant space.
func (o *object) compact() json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		if err := json.Compact(&b, o.vals[k]); err != nil {
			b.Write(o.vals[k]) // values come from a decoder: always valid
		}
	}
	b.WriteByte('}')
	return b.Bytes()
}

// detectIndent finds the indentation a file uses, so a rewrite looks like
// the original: the leading white space of the first indented line.
func detectIndent(data []byte) string {
	for _, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimLeft(line, " \t")
		if trimmed != "" && len(trimmed) < len(line) {
			return line[:len(line)-len(trimmed)]
		}
	}
	return "  "
}

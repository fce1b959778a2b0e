package redact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync"
	"unicode/utf16"
)

// Known hides values Airlock itself knows to be secret: the keychain values
// it injected into upstream servers. Unlike String, which guesses from
// shapes, it finds these values exactly, however they are formatted around
// them. A nil *Known hides nothing. Values are only ever added; it is safe
// for concurrent use.
type Known struct {
	mu       sync.RWMutex
	values   []string // longest first, so a value containing another wins
	needles  []string // values and their percent-encodings, longest first
	forms    [][]byte // each needle as JSON encoders write it inside a string
	anchors  [][]byte // each value's longest run of letters and digits ("" if short)
	longest  int      // the longest form's length, for Writer
	replacer *strings.Replacer
}

// minLinePart is the shortest line of a multi-line value hidden on its own:
// shorter ones (a PEM block's last few characters) say little, and hiding
// them everywhere would garble ordinary text.
const minLinePart = 8

// NewKnown returns an empty set.
func NewKnown() *Known { return &Known{} }

// Add makes values hidden from now on. Empty values are ignored. A value of
// several lines (a private key) is also hidden line by line: logs are
// written a line at a time, so the whole value never meets a log writer in
// one piece.
func (k *Known) Add(values ...string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, v := range values {
		parts := []string{v}
		if strings.Contains(v, "\n") {
			for _, line := range strings.Split(v, "\n") {
				if line = strings.TrimRight(line, "\r"); len(line) >= minLinePart {
					parts = append(parts, line)
				}
			}
		}
		for _, p := range parts {
			if p != "" && !slices.Contains(k.values, p) {
				k.values = append(k.values, p)
			}
		}
	}
	slices.SortStableFunc(k.values, func(a, b string) int { return len(b) - len(a) })
	k.needles, k.forms, k.anchors = k.needles[:0], k.forms[:0], k.anchors[:0]
	for _, v := range k.values {
		for _, n := range urlForms(v) {
			if !slices.Contains(k.needles, n) {
				k.needles = append(k.needles, n)
				k.forms = append(k.forms, jsonForms(n)...)
			}
		}
		k.anchors = append(k.anchors, anchor(v))
	}
	slices.SortStableFunc(k.needles, func(a, b string) int { return len(b) - len(a) })
	// Text is searched for every form, not only the value as is: logs and
	// error texts carry JSON as text (an upstream logging its config).
	var olds []string
	for _, f := range k.forms {
		if !slices.Contains(olds, string(f)) {
			olds = append(olds, string(f))
		}
	}
	if len(olds) == 0 { // nothing to hide yet: Add() or Add("")
		return
	}
	slices.SortStableFunc(olds, func(a, b string) int { return len(b) - len(a) })
	k.longest = len(olds[0])
	pairs := make([]string, 0, 2*len(olds))
	for _, o := range olds {
		pairs = append(pairs, o, Placeholder)
	}
	k.replacer = strings.NewReplacer(pairs...)
}

// urlForms is v and v percent-encoded as a query parameter and as a path
// segment. A credential holding '/', '+' or '=' (AWS secret keys, base64
// tokens) sent in a URL is written that way, and the URL turns up in logs
// and in errors: Go's url.Error quotes it (Get "https://...?key=a%2Fb": ...).
func urlForms(v string) []string {
	forms := []string{v}
	for _, f := range []string{url.QueryEscape(v), url.PathEscape(v)} {
		if !slices.Contains(forms, f) {
			forms = append(forms, f)
		}
	}
	return forms
}

// jsonForms is v as it appears inside a JSON string written by common
// encoders: as is, escaped minimally (JavaScript, Go without HTML escaping),
// with <, > and & escaped (Go's default), ASCII-only (Python's default),
// and each of those with "/" escaped (PHP's default).
func jsonForms(v string) [][]byte {
	forms := [][]byte{[]byte(v)}
	add := func(b []byte) {
		b = bytes.TrimSuffix(bytes.TrimPrefix(bytes.TrimSpace(b), []byte(`"`)), []byte(`"`))
		for _, f := range forms {
			if bytes.Equal(f, b) {
				return
			}
		}
		forms = append(forms, b)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	add(buf.Bytes())
	html, _ := json.Marshal(v)
	add(html)
	var ascii strings.Builder
	for _, r := range string(html) {
		if r < 0x80 {
			ascii.WriteRune(r)
		} else {
			for _, u := range utf16.Encode([]rune{r}) {
				fmt.Fprintf(&ascii, `\u%04x`, u)
			}
		}
	}
	add([]byte(ascii.String()))
	// JSON lets "/" be written "\/": PHP's json_encode does so by default
	// and some encoders do it after "<" only. Tokens (base64, AWS secret
	// keys) often hold "/".
	for _, f := range forms {
		if bytes.Contains(f, []byte("/")) {
			add(bytes.ReplaceAll(f, []byte("/"), []byte(`\/`)))
			add(bytes.ReplaceAll(f, []byte("</"), []byte(`<\/`)))
		}
	}
	return forms
}

// minAnchor is the shortest run of letters and digits worth looking for on
// its own; a value without one is looked for in every escaped text.
const minAnchor = 4

// anchor is v's longest run of ASCII letters and digits: JSON encoders
// never escape those, so a text holding v however its other characters
// were escaped holds its anchor. "" when the run is shorter than minAnchor.
func anchor(v string) []byte {
	var best, run []byte
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			run = append(run, c)
			if len(run) > len(best) {
				best = run
			}
			continue
		}
		run = nil
	}
	if len(best) < minAnchor {
		return []byte{}
	}
	return best
}

func (k *Known) snapshot() ([]string, *strings.Replacer) {
	if k == nil {
		return nil, nil
	}
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.needles, k.replacer
}

func (k *Known) longestForm() int {
	if k == nil {
		return 0
	}
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.longest
}

// inJSON reports whether raw may hold a known value in one of its usual
// encodings.
func (k *Known) inJSON(raw []byte) bool {
	k.mu.RLock()
	defer k.mu.RUnlock()
	for _, f := range k.forms {
		if bytes.Contains(raw, f) {
			return true
		}
	}
	// Any character may be escaped as \uXXXX (.NET's default encoder does
	// it to "+", "'" and more) and "/" as "\/": a text with such escapes
	// is decoded when it holds a value's anchor.
	if bytes.Contains(raw, []byte(`\u`)) || bytes.Contains(raw, []byte(`\/`)) {
		for _, a := range k.anchors {
			if bytes.Contains(raw, a) {
				return true
			}
		}
	}
	return false
}

// String replaces every known value in s.
func (k *Known) String(s string) string {
	_, r := k.snapshot()
	if r == nil {
		return s
	}
	return r.Replace(s)
}

// Strings returns ss with known values replaced in each element. ss itself
// is never written (it may be shared): a changed list is a new slice.
func (k *Known) Strings(ss []string) []string {
	var out []string
	for i, s := range ss {
		r := k.String(s)
		if r != s && out == nil {
			out = append(make([]string, 0, len(ss)), ss...)
		}
		if out != nil {
			out[i] = r
		}
	}
	if out == nil {
		return ss
	}
	return out
}

// JSON replaces known values inside a JSON text: in string values, object
// keys, and a number that is a known value. A text that holds a value as
// JSON encoders usually write it (see jsonForms) is decoded and the values
// replaced in the decoded strings; any other text comes back unchanged (the
// same slice) without being decoded; so does a text with \u or \/ escapes
// that holds a value's anchor, since any character may be written that way.
// A server that encodes its own secret some other way on purpose (base64,
// split across strings) is out of reach: it holds the value and could send
// it anywhere. Text that is not JSON is
// treated as plain text.
func (k *Known) JSON(raw json.RawMessage) json.RawMessage {
	needles, r := k.snapshot()
	if r == nil || len(raw) == 0 {
		return raw
	}
	if !k.inJSON(raw) {
		return raw
	}
	n, err := parseDocument(raw)
	if err != nil {
		return json.RawMessage(r.Replace(string(raw)))
	}
	// A part nested past MaxDepth was cut from the tree unread: it may be
	// where the value is, so a cut tree is written out even when nothing
	// above the cut changed.
	if !n.hideKnown(needles, r) && !n.cut() {
		return raw
	}
	var b bytes.Buffer
	b.Grow(len(raw))
	n.write(&b)
	return b.Bytes()
}

// cut reports whether parsing replaced a part of n nested too deep.
func (n *node) cut() bool {
	switch n.kind {
	case kString:
		return n.text == tooDeep
	case kArray:
		for i := range n.items {
			if n.items[i].cut() {
				return true
			}
		}
	case kObject:
		for i := range n.members {
			if n.members[i].val.cut() {
				return true
			}
		}
	}
	return false
}

func containsAnyValue(raw []byte, values []string) bool {
	for _, v := range values {
		if bytes.Contains(raw, []byte(v)) {
			return true
		}
	}
	return false
}

// hideKnown replaces known values (needles: each value and its
// percent-encodings) in n and reports whether it changed any.
func (n *node) hideKnown(values []string, r *strings.Replacer) bool {
	changed := false
	replace := func(s *string) {
		if containsAnyValue([]byte(*s), values) {
			*s = r.Replace(*s)
			changed = true
		}
	}
	switch n.kind {
	case kString:
		replace(&n.text)
	case kNumber:
		if slices.Contains(values, n.text) {
			*n = node{kind: kString, text: Placeholder}
			changed = true
		}
	case kArray:
		for i := range n.items {
			changed = n.items[i].hideKnown(values, r) || changed
		}
	case kObject:
		for i := range n.members {
			replace(&n.members[i].key)
			changed = n.members[i].val.hideKnown(values, r) || changed
		}
	}
	return changed
}

// Writer returns a writer that copies to w with known values replaced. A
// value split across two writes is still caught: the end of a write that
// does not finish a line is held back (at most the longest value's length)
// until the next write completes it. Log writers write whole lines, so in
// practice nothing waits.
func (k *Known) Writer(w io.Writer) io.Writer {
	return &knownWriter{k: k, w: w}
}

type knownWriter struct {
	k    *Known
	w    io.Writer
	mu   sync.Mutex
	held []byte
}

func (kw *knownWriter) Write(p []byte) (int, error) {
	_, r := kw.k.snapshot()
	longest := kw.k.longestForm()
	kw.mu.Lock()
	defer kw.mu.Unlock()
	if r == nil && len(kw.held) == 0 {
		return kw.w.Write(p)
	}
	buf := append(kw.held, p...)
	kw.held = nil
	out := buf
	if r != nil {
		out = []byte(r.Replace(string(buf)))
	}
	if len(out) > 0 && out[len(out)-1] != '\n' && longest > 0 {
		keep := min(longest-1, len(out))
		if keep > 0 {
			kw.held = append([]byte(nil), out[len(out)-keep:]...)
			out = out[:len(out)-keep]
		}
	}
	if len(out) > 0 {
		if _, err := kw.w.Write(out); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

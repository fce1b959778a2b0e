package redact

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

func TestKnownString(t *testing.T) {
	var nilKnown *Known
	if got := nilKnown.String("abc"); got != "abc" {
		t.Fatalf("nil Known changed text: %q", got)
	}
	k := NewKnown()
	k.Add("hunter2", "hunter2-long", "")
	for in, want := range map[string]string{
		"pw=hunter2 ok":       "pw=[REDACTED] ok",
		"hunter2-long, then":  "[REDACTED], then",
		"xhunter2xhunter2":    "x[REDACTED]x[REDACTED]",
		"nothing secret here": "nothing secret here",
	} {
		if got := k.String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKnownJSON(t *testing.T) {
	k := NewKnown()
	k.Add(`s3cr"et/<v>`, "12345678", "pässwört-1")
	for _, tc := range []struct{ in, want string }{
		{`{"a":"x s3cr\"et/<v> y"}`, `{"a":"x [REDACTED] y"}`},
		// As Go writes it by default, and as Python does (ASCII only).
		{`{"a":"s3cr\"et/\u003cv\u003e"}`, `{"a":"[REDACTED]"}`},
		{`{"a":"new: p\u00e4ssw\u00f6rt-1\n"}`, `{"a":"new: [REDACTED]\n"}`},
		{`{"s3cr\"et/<v>":1,"n":12345678,"m":123}`, `{"[REDACTED]":1,"n":"[REDACTED]","m":123}`},
		{`["line\nbreak", {"z":[true,null]}]`, `["line\nbreak", {"z":[true,null]}]`},
		{`not json s3cr"et/<v>`, `not json [REDACTED]`},
		// As PHP's json_encode writes it by default ("/" escaped), and
		// as encoders that escape only "</" do (org.json).
		{`{"a":"s3cr\"et\/<v>"}`, `{"a":"[REDACTED]"}`},
		{`{"a":"s3cr\"et\/\u003cv\u003e"}`, `{"a":"[REDACTED]"}`},
	} {
		got := string(k.JSON(json.RawMessage(tc.in)))
		if got != tc.want {
			t.Errorf("JSON(%s) = %s, want %s", tc.in, got, tc.want)
		}
		if strings.HasPrefix(tc.in, "{") && !json.Valid([]byte(got)) {
			t.Errorf("JSON(%s) = %s is not valid JSON", tc.in, got)
		}
	}
	aws := NewKnown()
	aws.Add("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "a</b>c/d")
	for in, want := range map[string]string{
		`{"key":"wJalrXUtnFEMI\/K7MDENG\/bPxRfiCYEXAMPLEKEY"}`: `{"key":"[REDACTED]"}`,
		`{"v":"a<\/b>c/d"}`: `{"v":"[REDACTED]"}`,
	} {
		if got := string(aws.JSON(json.RawMessage(in))); got != want {
			t.Errorf("JSON(%s) = %s, want %s", in, got, want)
		}
	}
	// Any character may be written as \uXXXX: .NET's default encoder
	// (System.Text.Json, the C# MCP SDK) writes "+" and "'" that way.
	dotnet := NewKnown()
	dotnet.Add("Zm9vYmFy+c2VjcmV0/dG9rZW4=", "it's-a-pass")
	for in, want := range map[string]string{
		`{"t":"Zm9vYmFy\u002Bc2VjcmV0/dG9rZW4="}`:       `{"t":"[REDACTED]"}`,
		`{"t":"Zm9vYmFy\u002Bc2VjcmV0\/dG9rZW4\u003D"}`: `{"t":"[REDACTED]"}`,
		`{"p":"it\u0027s-a-pass"}`:                      `{"p":"[REDACTED]"}`,
	} {
		if got := string(dotnet.JSON(json.RawMessage(in))); got != want {
			t.Errorf("JSON(%s) = %s, want %s", in, got, want)
		}
	}
	if got := NewKnown().JSON(json.RawMessage(`{"a":1}`)); string(got) != `{"a":1}` {
		t.Errorf("empty Known changed JSON: %s", got)
	}
}

// A value split across writes is caught; whole lines pass at once.
func TestKnownWriter(t *testing.T) {
	k := NewKnown()
	var out bytes.Buffer
	w := k.Writer(&out)
	w.Write([]byte("before any secret is known: hunter2\n"))
	k.Add("hunter2")
	w.Write([]byte("line one hunter2\n"))
	if got := out.String(); got != "before any secret is known: hunter2\nline one [REDACTED]\n" {
		t.Fatalf("whole lines: %q", got)
	}
	out.Reset()
	for _, part := range []string{"split: hun", "te", "r2 and more", "\n"} {
		w.Write([]byte(part))
	}
	if got := out.String(); got != "split: [REDACTED] and more\n" {
		t.Fatalf("split value: %q", got)
	}
}

// What hiding injected values costs each message from an upstream that got
// secrets: 4 KiB results without the value (a byte scan, with or without
// escapes) and one that echoes it (decoded, replaced, written again).
func BenchmarkKnownJSON(b *testing.B) {
	k := NewKnown()
	k.Add("kc-an-injected-token-value")
	line := strings.Repeat("some ordinary tool output ", 3)
	escaped, _ := json.Marshal(map[string]any{"content": []map[string]string{{"type": "text", "text": strings.Repeat(line+"\n", 50)}}})
	echoed, _ := json.Marshal(map[string]any{"content": []map[string]string{{"type": "text", "text": strings.Repeat(line+"\n", 50) + "kc-an-injected-token-value"}}})
	plain, _ := json.Marshal(map[string]any{"content": []map[string]string{{"type": "text", "text": strings.Repeat(line, 50)}}})
	for _, c := range []struct {
		name string
		raw  json.RawMessage
	}{{"escapes", escaped}, {"plain", plain}, {"echoed", echoed}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.raw)))
			for b.Loop() {
				k.JSON(c.raw)
			}
		})
	}
}

func TestKnownStringsCopies(t *testing.T) {
	k := NewKnown()
	k.Add("hunter2")
	in := []string{"a", "pw hunter2", "b"}
	out := k.Strings(in)
	if in[1] != "pw hunter2" || out[1] != "pw [REDACTED]" || out[0] != "a" || out[2] != "b" {
		t.Fatalf("in %q, out %q", in, out)
	}
	same := []string{"x"}
	if got := k.Strings(same); &got[0] != &same[0] {
		t.Error("an unchanged list was copied")
	}
}

// A multi-line value written to a log a line at a time is hidden line by
// line.
func TestKnownWriterMultiLineValue(t *testing.T) {
	k := NewKnown()
	key := "-----BEGIN KEY-----\nMIIEabcdefghijklmnop\nqrstuvwxyz012345\nAB==\n-----END KEY-----"
	k.Add(key)
	var out bytes.Buffer
	w := k.Writer(&out)
	for _, line := range strings.SplitAfter("[srv] key is "+key+"\n", "\n") {
		w.Write([]byte(line))
	}
	for _, part := range []string{"MIIEabcdefghijklmnop", "qrstuvwxyz012345"} {
		if strings.Contains(out.String(), part) {
			t.Errorf("line %q of the value was logged:\n%s", part, out.String())
		}
	}
	if got := k.String("x " + key + " y"); got != "x [REDACTED] y" {
		t.Errorf("whole value: %q", got)
	}
}

// Logs and error texts often carry a JSON document as text (an upstream
// logging its config to stderr, an error quoting a response): a value
// written there as a JSON encoder escapes it is hidden too.
func TestKnownHidesEscapedFormsInText(t *testing.T) {
	k := NewKnown()
	k.Add("tok/en+value<123456>")
	for _, in := range []string{
		`config: {"token":"tok\/en+value<123456>"}`,          // PHP
		`config: {"token":"tok/en+value\u003c123456\u003e"}`, // Go's default
	} {
		if got := k.String(in); strings.Contains(got, "en+value") {
			t.Errorf("String(%s) = %s", in, got)
		}
		var out bytes.Buffer
		w := k.Writer(&out)
		w.Write([]byte(in[:20]))
		w.Write([]byte(in[20:] + "\n"))
		if strings.Contains(out.String(), "en+value") {
			t.Errorf("Writer passed %s", out.String())
		}
	}
}

// A proxy whose servers take no secrets adds nothing: that must leave every
// path working and change no text (it once panicked on the empty set).
func TestKnownAddNothing(t *testing.T) {
	k := NewKnown()
	k.Add()
	k.Add("", "")
	if got := k.String("plain text"); got != "plain text" {
		t.Fatalf("String changed text: %q", got)
	}
	if got := string(k.JSON([]byte(`{"a":"b"}`))); got != `{"a":"b"}` {
		t.Fatalf("JSON changed text: %q", got)
	}
	k.Add("s3cr3t-value")
	if got := k.String("x s3cr3t-value y"); got != "x "+Placeholder+" y" {
		t.Fatalf("after a real value: %q", got)
	}
}

// A credential with '/', '+' or '=' (AWS secret keys, base64 tokens) sent
// as a query parameter is percent-encoded in the URL, and a failed request's
// error quotes that URL (Go's url.Error: Get "https://...?key=a%2Fb": dial
// tcp ...). The encoded form is hidden wherever the value itself would be.
func TestKnownHidesURLEncodedForms(t *testing.T) {
	const value = "wJalrXUt/K7MDENG+bPxRfi=="
	k := NewKnown()
	k.Add(value)
	for _, in := range []string{
		url.QueryEscape(value),
		url.PathEscape(value),
	} {
		text := `Get "https://api.example.com/v1?key=` + in + `": dial tcp: no such host`
		if got := k.String(text); strings.Contains(got, "K7MDENG") {
			t.Errorf("String(%s) = %s", text, got)
		}
		var out bytes.Buffer
		w := k.Writer(&out)
		w.Write([]byte(text[:40]))
		w.Write([]byte(text[40:] + "\n"))
		if strings.Contains(out.String(), "K7MDENG") {
			t.Errorf("Writer passed %s", out.String())
		}
		doc, _ := json.Marshal(map[string]any{"content": []any{map[string]string{"type": "text", "text": text}}})
		if got := string(k.JSON(doc)); strings.Contains(got, "K7MDENG") || !json.Valid([]byte(got)) {
			t.Errorf("JSON(%s) = %s", doc, got)
		}
	}
}

// A value nested deeper than MaxDepth is past what the walk decodes: the
// text holding it must not come back as it was (the walk found nothing to
// replace above that depth), but with the deep part cut.
func TestKnownJSONHidesValueNestedTooDeep(t *testing.T) {
	k := NewKnown()
	k.Add("ghp_s3cr3tValue123")
	deep := strings.Repeat(`{"a":`, MaxDepth+5) + `"it is ghp_s3cr3tValue123"` + strings.Repeat(`}`, MaxDepth+5)
	for _, doc := range []string{
		`{"content":[{"type":"text","text":"ok"}],"structuredContent":` + deep + `}`,
		`{"content":[{"type":"text","text":"ghp_s3cr3tValue123"}],"structuredContent":` + deep + `}`,
		`{"structuredContent":` + strings.Replace(deep, "ghp_", `\u0067hp_`, 1) + `}`,
	} {
		got := k.JSON([]byte(doc))
		if strings.Contains(string(got), "s3cr3tValue123") || !json.Valid(got) {
			t.Errorf("JSON(%.60s...) = %s", doc, got)
		}
	}
}

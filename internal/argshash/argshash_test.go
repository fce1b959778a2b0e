package argshash

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestCanonical(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", ``, `{}`},
		{"whitespace", " \n\t", `{}`},
		{"null", `null`, `{}`},
		{"empty object", `{ }`, `{}`},
		{"keys sorted at every depth", `{"b":1,"a":{"z":[3,{"y":1,"x":2}],"c":null}}`, `{"a":{"c":null,"z":[3,{"x":2,"y":1}]},"b":1}`},
		{"numbers kept as written", `{"a":1.0,"b":1e3,"c":-0,"d":12345678901234567890123}`, `{"a":1.0,"b":1e3,"c":-0,"d":12345678901234567890123}`},
		{"escapes normalised", `{"k":"\u0041\/\u00e9\n\u001f"}`, "{\"k\":\"A/\u00e9\\n\\u001f\"}"},
		{"html not escaped", `{"k":"<a&b>"}`, `{"k":"<a&b>"}`},
		{"invalid utf-8 becomes U+FFFD", "{\"k\":\"a\xffb\"}", "{\"k\":\"a\ufffdb\"}"},
		{"keys sort by bytes", `{"é":1,"z":2,"Z":3}`, `{"Z":3,"z":2,"é":1}`},
		{"top-level array", `[1, "a", true, false, null]`, `[1,"a",true,false,null]`},
		{"booleans", `{"t":true,"f":false}`, `{"f":false,"t":true}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Canonical(json.RawMessage(tt.in))
			if err != nil {
				t.Fatalf("Canonical(%q): %v", tt.in, err)
			}
			if string(got) != tt.want {
				t.Errorf("Canonical(%q) = %s, want %s", tt.in, got, tt.want)
			}
			if !json.Valid(got) {
				t.Errorf("canonical form %s is not valid JSON", got)
			}
		})
	}
}

func TestOfEqualMeaningsHashEqual(t *testing.T) {
	a, err := Of(json.RawMessage(`{"path": "/tmp/x", "mode": "r"}`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Of(json.RawMessage("{\n  \"mode\":\"r\",\"path\":\"\\/tmp\\/x\"\n}"))
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Errorf("same arguments hash differently: %s vs %s", a, b)
	}
	c, err := Of(json.RawMessage(`{"path": "/tmp/y", "mode": "r"}`))
	if err != nil {
		t.Fatal(err)
	}
	if a == c {
		t.Error("different arguments hash the same")
	}
	empty, err := Of(nil)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("{}"))
	if want := hex.EncodeToString(sum[:]); empty != want {
		t.Errorf("Of(nil) = %s, want sha256({}) = %s", empty, want)
	}
	if len(a) != 64 {
		t.Errorf("hash %q is not 64 hex digits", a)
	}
}

func TestOfRejects(t *testing.T) {
	tests := []struct {
		name, in string
	}{
		{"truncated", `{"a":`},
		{"trailing data", `{"a":1} {"b":2}`},
		{"trailing garbage", `{"a":1}x`},
		{"bare word", `hello`},
		{"duplicate key", `{"a":1,"a":2}`},
		{"nested duplicate key", `{"x":{"a":1,"a":1}}`},
		{"too deep", strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1)},
		{"hostile depth", strings.Repeat(`{"a":`, 100000)},
		{"single quotes", `{'a':1}`},
		{"nan", `{"a":NaN}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if h, err := Of(json.RawMessage(tt.in)); err == nil {
				t.Errorf("Of accepted %.40q: %s", tt.in, h)
			}
		})
	}
}

func TestOfAcceptsDepthLimitAndHugeStrings(t *testing.T) {
	deep := strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth)
	if _, err := Of(json.RawMessage(deep)); err != nil {
		t.Errorf("nesting of exactly MaxDepth rejected: %v", err)
	}
	huge := `{"s":"` + strings.Repeat("x", 8<<20) + `"}`
	if _, err := Of(json.RawMessage(huge)); err != nil {
		t.Errorf("8 MiB string rejected: %v", err)
	}
}

func ExampleOf() {
	h1, _ := Of(json.RawMessage(`{"b": 2, "a": 1}`))
	h2, _ := Of(json.RawMessage(`{"a":1,"b":2}`))
	canon, _ := Canonical(json.RawMessage(`{"b": 2, "a": 1}`))
	fmt.Println(h1 == h2, string(canon))
	// Output: true {"a":1,"b":2}
}

package summary

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestVisible(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain text, ünïcödé, 日本語", "plain text, ünïcödé, 日本語"},
		{"\x1b[31mred\x1b[0m", "⟨U+001B⟩[31mred⟨U+001B⟩[0m"},
		{"a\tb\nc\r", "a⟨U+0009⟩b⟨U+000A⟩c⟨U+000D⟩"},
		{"\x00\x07\x7f", "⟨U+0000⟩⟨U+0007⟩⟨U+007F⟩"},
		{"\u0085\u009b", "⟨U+0085⟩⟨U+009B⟩"},
		{"abc\u202edcb", "abc⟨U+202E⟩dcb"},
		{"\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c", "⟨U+202A⟩⟨U+202B⟩⟨U+202C⟩⟨U+202D⟩⟨U+2066⟩⟨U+2067⟩⟨U+2068⟩⟨U+2069⟩⟨U+200E⟩⟨U+200F⟩⟨U+061C⟩"},
		{"zero\u200bwidth\u200c\u200d\u2060\ufeff\u00ad", "zero⟨U+200B⟩width⟨U+200C⟩⟨U+200D⟩⟨U+2060⟩⟨U+FEFF⟩⟨U+00AD⟩"},
		{"tag\U000E0049\U000E007F", "tag⟨U+E0049⟩⟨U+E007F⟩"},
		{"sep\u2028\u2029", "sep⟨U+2028⟩⟨U+2029⟩"},
		{"vs\ufe01\U000E0100", "vs⟨U+FE01⟩⟨U+E0100⟩"},
		{"filler\u3164\u115f", "filler⟨U+3164⟩⟨U+115F⟩"},
		{"bad\xff\xc0", "bad⟨0xFF⟩⟨0xC0⟩"},
		// Emoji keep the joiners and selectors they need.
		{"👩\u200d💻 ❤\ufe0f", "👩\u200d💻 ❤\ufe0f"},
		// ...but not where nothing needs them.
		{"a\u200db \ufe0f", "a⟨U+200D⟩b ⟨U+FE0F⟩"},
		{"<script>alert(1)</script>", "<script>alert(1)</script>"}, // text stays text; HTML is the renderer's job
	} {
		if got := Visible(c.in); got != c.want {
			t.Errorf("Visible(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestVisibleLeavesNothingHidden(t *testing.T) {
	var b strings.Builder
	for r := rune(0); r < 0x110000; r++ {
		if r >= 0xd800 && r < 0xe000 {
			continue
		}
		b.WriteRune(r)
	}
	out := Visible(b.String())
	if !utf8.ValidString(out) {
		t.Fatal("output is not UTF-8")
	}
	for _, r := range out {
		if Hidden(r) && r != 0x200d && r != 0xfe0e && r != 0xfe0f {
			t.Fatalf("U+%04X left as is", r)
		}
	}
}

func FuzzVisible(f *testing.F) {
	for _, s := range []string{"", "a\x1b[0m", "\u202e", "👩\u200d💻", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Visible(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Visible(%q) is not UTF-8", s)
		}
		if strings.ContainsAny(out, "\x1b\n\r\u202e\u2066\u200b") {
			t.Fatalf("Visible(%q) = %q keeps a hidden character", s, out)
		}
	})
}

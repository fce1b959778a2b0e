package scan

import (
	"strings"
)

// Markup that addresses the model or hides text from the person: tags that
// mimic system prompts and chat templates, HTML comments, and styles that
// make text invisible when rendered.

// roleTags are tag names that no ordinary description needs but poisoned
// ones use to look like system instructions: <IMPORTANT>, <system>.
var roleTags = map[string]bool{
	"important": true, "system": true, "instructions": true, "instruction": true, "secret": true,
	"hidden": true, "admin": true, "sys": true, "systemprompt": true, "system_prompt": true,
	"system-prompt": true, "critical": true, "override": true, "im_start": true, "im_end": true,
	"assistant": true, "user_instructions": true,
}

// templateMarkers are chat-template tokens; in a description they can only
// be there to impersonate the conversation.
var templateMarkers = []string{"[inst]", "[/inst]", "<<sys>>", "<</sys>>", "[system]", "<|system|>",
	"<|user|>", "<|assistant|>", "<|endoftext|>", "<|im_start|>", "<|im_end|>", "### system:", "### instruction:"}

var hidingStyles = []string{"display:none", "display: none", "visibility:hidden", "visibility: hidden",
	"font-size:0", "font-size: 0", "opacity:0;", "opacity: 0;", "color:transparent", "color: transparent"}

func markup(s string) []Finding {
	angle := strings.IndexByte(s, '<') >= 0
	if !angle && strings.IndexByte(s, '[') < 0 && !strings.Contains(s, "###") {
		return nil
	}
	var out []Finding
	low := asciiLower(s)
	if m, i := templateMarker(low); i >= 0 {
		out = append(out, Finding{Kind: Instruction, Detail: "chat template marker " + quote(s[i:i+len(m)])})
	}
	if !angle {
		return out
	}
	if i := strings.Index(low, "<!--"); i >= 0 {
		end := strings.Index(low[i:], "-->")
		if end < 0 {
			end = len(low) - i
		} else {
			end += 3
		}
		out = append(out, Finding{Kind: HiddenText, Detail: "HTML comment " + quote(around(s, i, min(end, 120)))})
	}
	if tag, ok := roleTag(low); ok {
		out = append(out, Finding{Kind: Instruction, Detail: "tag " + quote(tag)})
	}
	for _, st := range hidingStyles {
		if strings.Contains(low, st) {
			out = append(out, Finding{Kind: HiddenText, Detail: "style that hides text " + quote(st)})
			break
		}
	}
	return out
}

// templateMarker finds the first chat-template marker, looking only where
// one could start.
func templateMarker(low string) (string, int) {
	for i := 0; i < len(low); {
		j := strings.IndexAny(low[i:], "[<#")
		if j < 0 {
			break
		}
		i += j
		for _, m := range templateMarkers {
			if m[0] == low[i] && strings.HasPrefix(low[i:], m) {
				return m, i
			}
		}
		i++
	}
	return "", -1
}

// roleTag finds the first <tag>, </tag> or <tag attr...> whose name is in
// roleTags, and returns it as written.
func roleTag(low string) (string, bool) {
	for i := 0; i < len(low); {
		j := strings.IndexByte(low[i:], '<')
		if j < 0 {
			return "", false
		}
		start := i + j
		k := start + 1
		if k < len(low) && (low[k] == '/' || low[k] == '|') {
			k++
		}
		nameStart := k
		for k < len(low) && (low[k] >= 'a' && low[k] <= 'z' || low[k] == '_' || low[k] == '-') {
			k++
		}
		name := low[nameStart:k]
		if roleTags[name] && k < len(low) && (low[k] == '>' || low[k] == ' ' || low[k] == '|') {
			end := strings.IndexByte(low[k:], '>')
			if end < 0 || end > 40 {
				end = 0
			}
			return low[start : k+end+1], true
		}
		i = start + 1
	}
	return "", false
}

// asciiLower folds ASCII letters only, so byte offsets in the result are
// offsets in s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

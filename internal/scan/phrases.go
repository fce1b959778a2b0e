package scan

import (
	"slices"
	"strings"
)

// Phrases aimed at the model. Each pattern is a few words in order, with at
// most ~N other words between two of them; "x*" matches words starting with
// x, <ident> a name like send_email (another tool), <email> and <url> what
// they say. A strong pattern (weight 2) is a finding alone; weak ones
// (weight 1) only add up, so "you must" in an ordinary description is not a
// finding while "you must ... this is very important" is.
var patternSource = []struct {
	kind   string
	weight int
	words  string
}{
	// Instructions that take over the model.
	{Instruction, 2, "ignore|disregard|forget|bypass ~3 previous|prior|above|earlier|preceding|all|any|other|original|your|system ~2 instruction*|prompt*|rule*|direction*|guideline*|guardrail*|polic*|constraint*|restriction*|context|safety"},
	{Instruction, 2, "do not ~2 tell*|mention*|inform*|notify*|alert*|reveal*|disclose*|report ~5 user|users|human|humans|operator"},
	{Instruction, 2, "dont ~2 tell*|mention*|inform*|notify*|alert*|reveal*|disclose*|report ~5 user|users|human|humans|operator"},
	{Instruction, 2, "never ~2 tell*|mention*|inform*|notify*|alert*|reveal*|disclose*|report ~5 user|users|human|humans|operator"},
	{Instruction, 2, "without ~2 tell*|inform*|notify*|alert*|ask*|show* ~3 user|users|human|humans"},
	{Instruction, 2, "without ~2 user|users|human ~1 know*|notic*|consent*|permission|approval|awareness"},
	{Instruction, 2, "hide ~4 from ~2 user|users|human|humans"},
	{Instruction, 2, "keep ~3 secret|hidden|private|confidential ~2 from ~2 user|users|human|humans"},
	{Instruction, 2, "user|users|human ~3 not|dont|doesnt|never ~1 need ~1 to ~0 know|see|be"},
	{Instruction, 2, "secretly|covertly|surreptitiously"},
	{Instruction, 2, "always ~1 call|use|run|invoke|execute ~2 this ~1 tool|function ~3 first|before"},
	{Instruction, 2, "call|use|run|invoke|execute ~1 this ~1 tool|function|server ~2 first"},
	{Instruction, 2, "before ~2 any|every|all ~1 other ~2 tool*|function*|action*|step*|call*|request*"},
	{Instruction, 1, "user|users ~3 not|dont|doesnt|never|cannot|shouldnt|mustnt|wont ~2 know|see|notice|aware|told|informed"},
	{Instruction, 1, "silently ~2 send|forward|include|pass|call|read|upload|copy|add|append"},
	{Instruction, 1, "must ~1 be ~1 called|used|invoked|run ~1 first|before"},
	{Instruction, 1, "new|updated|real|actual|true|hidden|secret ~1 instruction|instructions|directive|directives|orders"},
	{Instruction, 1, "you must"},
	{Instruction, 1, "you are now"},
	{Instruction, 1, "from now on"},
	{Instruction, 1, "this is ~1 very|extremely|really|super|critically|vitally|absolutely ~1 important|crucial|critical"},
	{Instruction, 1, "very very"},
	{Instruction, 1, "before ~1 using|calling|invoking|running|executing|use ~1 this ~1 tool|function"},
	{Instruction, 1, "otherwise ~5 not ~0 work|function"},
	{Instruction, 1, "system|application|app|tool|server ~1 will|would ~1 crash"},
	{Instruction, 1, "data ~1 will|would ~1 be ~1 lost"},
	{Instruction, 1, "sidenote|side-note"},
	{Instruction, 1, "side note"},
	{Instruction, 1, "implementation detail"},
	{Instruction, 1, "system prompt|message|instructions"},
	{Instruction, 1, "not scary"},

	// Changing how other tools behave.
	{ToolShadowing, 2, "use|call|invoke|prefer|choose|pick ~2 this ~1 tool|function|one|server ~3 instead|rather"},
	{ToolShadowing, 2, "side effect ~2 on ~3 <ident>|tool|tools|other"},
	{ToolShadowing, 2, "whenever ~2 you ~1 use|call|invoke|run ~2 any|a|another|other ~1 tool*|function*|server*"},
	{ToolShadowing, 2, "every|each ~0 time ~2 you ~1 use|call|invoke|run ~2 any|a|another|other ~1 tool*|function*|server*"},
	{ToolShadowing, 1, "instead of ~3 <ident>"},
	{ToolShadowing, 1, "also present|installed|connected|available"},
	{ToolShadowing, 1, "when|whenever|once ~6 <ident> ~2 is|are|gets|get ~1 invoked|called|used|executed|run"},
	{ToolShadowing, 1, "change|set|replace|override|redirect|switch ~3 recipient*|destination|address|phone|endpoint"},
	{ToolShadowing, 1, "send|forward|redirect|route|bcc|cc|copy ~2 all|every|each ~3 email*|message*|mail|request*|call*|traffic"},
	{ToolShadowing, 1, "proxy number|address|email|recipient"},
	{ToolShadowing, 1, "all|any|every ~1 other ~1 tool*|server*|function* ~4 must|should|need"},
	{ToolShadowing, 1, "to <email>"},

	// Sending data out.
	{Exfiltration, 2, "send|post|upload|forward|transmit|leak|exfiltrate|report|submit|share ~6 conversation*|history|chat*|messages|credential*|secret*|token*|password*|key|keys|env|environment|cookie*|session* ~6 to ~2 <url>|<email>"},
	{Exfiltration, 1, "send|post|upload|forward|transmit|exfiltrate ~8 <url>"},
	{Exfiltration, 1, "include|pass|put|add|append|insert|embed|attach|concatenate|concantate|provide ~4 content|contents|output|result|results|history|conversation|messages|data|keys|credentials|secrets|tokens|env ~5 as|in|into|inside ~4 parameter*|argument*|field*|sidenote|note|notes|url|query|request|body|metadata|comment"},
	{Exfiltration, 1, "full|entire|complete|whole ~1 list|history|contents|conversation|chat ~3 of ~3 message*|chat*|conversation*|email*"},
}

type pattern struct {
	kind   string
	weight int
	steps  []step
}

type step struct {
	gap   int // other words allowed before this one
	words []string
}

var (
	patterns    []pattern
	byFirstWord = map[string][]int{}
)

func init() {
	for _, src := range patternSource {
		p := pattern{kind: src.kind, weight: src.weight}
		gap := 0
		for _, f := range strings.Fields(src.words) {
			if strings.HasPrefix(f, "~") {
				gap = int(f[1] - '0')
				continue
			}
			p.steps = append(p.steps, step{gap: gap, words: strings.Split(f, "|")})
			gap = 0
		}
		patterns = append(patterns, p)
		for _, w := range p.steps[0].words {
			if strings.ContainsAny(w, "*<") {
				panic("scan: a pattern must start with plain words: " + src.words)
			}
			byFirstWord[w] = append(byFirstWord[w], len(patterns)-1)
		}
	}
}

type hit struct {
	pattern int
	from    int // byte offsets in the text
	to      int
}

// phrases scores the patterns over the words of s and reports each kind that
// reaches weight 2, with the phrases that showed it. self is the tool's own
// name, which its description may mention freely.
func phrases(s, self string) []Finding {
	low := asciiLower(s)
	toks := tokenize(s, low)
	self = strings.ToLower(self)
	var hits []hit
	seen := make([]bool, len(patterns))
	for i, t := range toks {
		for _, pi := range byFirstWord[t.w] {
			if seen[pi] {
				continue
			}
			if end, ok := matchFrom(toks, i, patterns[pi].steps, self); ok {
				seen[pi] = true
				hits = append(hits, hit{pattern: pi, from: t.start, to: toks[end].end})
			}
		}
	}
	hits = append(hits, dataHits(s, low, toks)...)

	score := map[string]int{}
	for _, h := range hits {
		score[kindOf(h)] += weightOf(h)
	}
	var out []Finding
	total := 0
	for _, kind := range []string{Instruction, ToolShadowing, Exfiltration} {
		total += score[kind]
		if score[kind] >= 2 {
			out = append(out, Finding{Kind: kind, Detail: evidence(s, hits, kind)})
		}
	}
	if len(out) == 0 && total >= 3 {
		out = append(out, Finding{Kind: Instruction, Detail: evidence(s, hits, "")})
	}
	return out
}

// matchFrom matches steps with steps[0] at toks[i]; it returns the index of
// the last word matched.
func matchFrom(toks []token, i int, steps []step, self string) (int, bool) {
	if !wordMatches(toks[i], steps[0].words, self) {
		return 0, false
	}
	if len(steps) == 1 {
		return i, true
	}
	next := steps[1]
	for j := i + 1; j <= i+1+next.gap && j < len(toks); j++ {
		if end, ok := matchFrom(toks, j, steps[1:], self); ok {
			return end, true
		}
	}
	return 0, false
}

func wordMatches(t token, words []string, self string) bool {
	for _, w := range words {
		switch {
		case w == "<ident>":
			if t.ident && t.w != self {
				return true
			}
		case w == "<email>" || w == "<url>":
			if t.w == w {
				return true
			}
		case strings.HasSuffix(w, "*"):
			if strings.HasPrefix(t.w, w[:len(w)-1]) {
				return true
			}
		case t.w == w:
			return true
		}
	}
	return false
}

// Hits that are not word patterns carry their own kind and weight.
const (
	hitSensitivePath = -1 - iota
	hitSensitiveMention
	hitDataURL
)

func kindOf(h hit) string {
	if h.pattern < 0 {
		return Exfiltration
	}
	return patterns[h.pattern].kind
}

func weightOf(h hit) int {
	switch h.pattern {
	case hitSensitiveMention:
		return 1
	case hitSensitivePath, hitDataURL:
		return 2
	}
	return patterns[h.pattern].weight
}

// evidence quotes the phrases behind a finding, strongest first, at most
// three.
func evidence(s string, hits []hit, kind string) string {
	var parts []string
	for _, want := range []int{2, 1} {
		for _, h := range hits {
			if (kind == "" || kindOf(h) == kind) && weightOf(h) == want && len(parts) < 3 {
				q := quote(s[h.from:min(h.to, h.from+200)])
				if !slices.Contains(parts, q) {
					parts = append(parts, q)
				}
			}
		}
	}
	return strings.Join(parts, ", ")
}

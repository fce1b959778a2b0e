package checkpoint

import (
	"bytes"
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// checkArgs refuses arguments that do not have one meaning. The hash that
// binds an approval, the rules and the inspectors all read the arguments as
// Go decodes them, while the upstream parses the raw bytes the proxy
// forwards. Go turns invalid UTF-8 and unpaired surrogate escapes into
// U+FFFD; a JavaScript server keeps a lone surrogate as is. Two different
// calls would then share one hash, so one approval could run the other.
// Tool arguments are a JSON object (or absent): anything else is refused,
// since rules with argument patterns could not look into it.
func checkArgs(raw []byte) error {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || string(trimmed) == "null" {
		return nil
	}
	if trimmed[0] != '{' {
		return errors.New("tool arguments must be a JSON object")
	}
	if !utf8.Valid(trimmed) {
		return errors.New("tool arguments are not valid UTF-8")
	}
	// A backslash only occurs inside strings in valid JSON (which the
	// arguments are: they were hashed), so escapes can be read in place.
	for i := 0; i < len(trimmed); i++ {
		if trimmed[i] != '\\' {
			continue
		}
		i++
		if i >= len(trimmed) || trimmed[i] != 'u' {
			continue
		}
		r := hex4(trimmed, i+1)
		i += 4
		switch {
		case utf16.IsSurrogate(r) && r < 0xdc00: // high: a low escape must follow
			if i+6 < len(trimmed) && trimmed[i+1] == '\\' && trimmed[i+2] == 'u' {
				if lo := hex4(trimmed, i+3); lo >= 0xdc00 && lo <= 0xdfff {
					i += 6
					continue
				}
			}
			return errors.New("tool arguments contain an unpaired UTF-16 surrogate escape")
		case utf16.IsSurrogate(r):
			return errors.New("tool arguments contain an unpaired UTF-16 surrogate escape")
		}
	}
	return nil
}

// hex4 reads the four hex digits at b[i:], or -1.
func hex4(b []byte, i int) rune {
	if i+4 > len(b) {
		return -1
	}
	v, err := strconv.ParseUint(string(b[i:i+4]), 16, 32)
	if err != nil {
		return -1
	}
	return rune(v)
}

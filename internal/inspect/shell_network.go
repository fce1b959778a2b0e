package inspect

import "strings"

// curlCmd: the tier of the HTTP method, at least a write when a file is saved.
func curlCmd(a *shellAnalysis, name string, args []word, nesting int) {
	method := ""
	data, saves, head := false, false, false
	for i, w := range args {
		s := w.s
		next := func() string {
			if i+1 < len(args) {
				return args[i+1].s
			}
			return ""
		}
		switch {
		case s == "-X" || s == "--request":
			method = next()
		case strings.HasPrefix(s, "--request="):
			method = strings.TrimPrefix(s, "--request=")
		case strings.HasPrefix(s, "-X") && len(s) > 2 && !strings.HasPrefix(s, "--"):
			method = s[2:]
		case s == "-d" || strings.HasPrefix(s, "--data") || s == "-F" || strings.HasPrefix(s, "--form") ||
			s == "--json" || s == "-T" || s == "--upload-file" || (strings.HasPrefix(s, "-d") && !strings.HasPrefix(s, "--")):
			data = true
		case s == "-o" || strings.HasPrefix(s, "--output") || s == "-O" || s == "--remote-name" ||
			s == "--remote-name-all" || s == "-K" || s == "--config" || s == "-c" || s == "--cookie-jar" ||
			(len(s) > 1 && s[0] == '-' && s[1] != '-' && strings.ContainsAny(s[1:], "oO")):
			if s == "-o" && (next() == "/dev/null" || next() == "-") {
				continue
			}
			saves = true
		case s == "-I" || s == "--head":
			head = true
		}
	}
	switch {
	case method != "":
		a.httpMethod(name, method)
	case data:
		a.c.add(Write, "shell: "+name+" sends data (POST)")
	case head:
		a.c.add(Read, "shell: "+name+" HEAD")
	default:
		a.c.add(Read, "shell: "+name+" GET")
	}
	if saves {
		a.c.add(Write, "shell: "+name+" saves a file")
	}
}

func (a *shellAnalysis) httpMethod(name, method string) {
	f := HTTPMethod(method)
	for _, r := range f.Reasons {
		a.c.add(f.Tier, "shell: "+name+" "+strings.TrimPrefix(r, "HTTP "))
	}
	a.c.floor(f.Tier)
}

// wgetCmd saves a file unless told to write to standard output.
func wgetCmd(a *shellAnalysis, name string, args []word, nesting int) {
	stdout, spider, data := false, false, false
	method := ""
	for i, w := range args {
		s := w.s
		switch {
		case s == "-O" || s == "--output-document":
			stdout = i+1 < len(args) && (args[i+1].s == "-" || args[i+1].s == "/dev/stdout" || args[i+1].s == "/dev/null")
		case strings.HasPrefix(s, "--output-document="):
			v := strings.TrimPrefix(s, "--output-document=")
			stdout = v == "-" || v == "/dev/stdout" || v == "/dev/null"
		case len(s) > 2 && s[0] == '-' && s[1] != '-' && strings.Contains(s, "O"):
			v := s[strings.IndexByte(s, 'O')+1:]
			if v == "" && i+1 < len(args) {
				v = args[i+1].s
			}
			stdout = v == "-" || v == "/dev/stdout" || v == "/dev/null"
		case s == "--spider":
			spider = true
		case strings.HasPrefix(s, "--post-") || strings.HasPrefix(s, "--body-"):
			data = true
		case strings.HasPrefix(s, "--method="):
			method = strings.TrimPrefix(s, "--method=")
		case s == "--method" && i+1 < len(args):
			method = args[i+1].s
		}
	}
	switch {
	case method != "":
		a.httpMethod(name, method)
	case data:
		a.c.add(Write, "shell: "+name+" sends data (POST)")
	}
	switch {
	case spider || stdout:
		a.c.add(Read, "shell: "+name+" to standard output")
	default:
		a.c.add(Write, "shell: "+name+" saves a file")
	}
}

// httpieCmd: http [METHOD] URL [items]; request items imply a POST.
func httpieCmd(a *shellAnalysis, name string, args []word, nesting int) {
	pos := positional(args, setOf("-a", "--auth", "-A", "--auth-type", "-o", "--output", "--session", "--verify", "--cert", "--cert-key", "--proxy"))
	if len(pos) > 1 {
		if m := pos[0].s; m != "" && strings.ToUpper(m) == m && strings.IndexFunc(m, func(r rune) bool { return r < 'A' || r > 'Z' }) < 0 {
			a.httpMethod(name, m)
			return
		}
		for _, item := range pos[1:] {
			if strings.Contains(item.s, "=") || strings.Contains(item.s, "@") {
				a.c.add(Write, "shell: "+name+" sends data (POST)")
				return
			}
		}
	}
	a.c.add(Read, "shell: "+name+" GET")
}

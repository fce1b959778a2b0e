package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/store"
	"github.com/airlock-dev/airlock/internal/textdiff"
)

// The terminal approver: `airlock pending`, `approve`, `deny`, `resume`.
// It answers the same queue in SQLite as the desktop app, for every proxy
// sharing the home folder.

func openHomeStore() (*store.Store, error) {
	home, err := config.Home()
	if err != nil {
		return nil, err
	}
	if err := config.EnsureHome(home); err != nil {
		return nil, err
	}
	return store.Open(config.DBPath(home))
}

func parseFlags(env Env, fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}

func runPending(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "pending")
	asJSON := fs.Bool("json", false, "print one JSON object per line")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	st, err := openHomeStore()
	if err != nil {
		return err
	}
	defer st.Close()
	// Close what nobody answered in time first, so the calls held on those
	// requests are recorded as denied even when no proxy runs any more.
	if err := st.ExpireRequests(ctx); err != nil {
		return err
	}
	reqs, err := st.Pending(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return writePendingJSON(env.Stdout, reqs)
	}
	if len(reqs) == 0 {
		fmt.Fprintln(env.Stdout, "nothing is waiting for approval")
		return nil
	}
	for _, r := range reqs {
		writeRequest(env.Stdout, r)
	}
	return nil
}

// writePendingJSON prints one JSON object per line. encoding/json leaves C1
// controls, bidi overrides and invisible format characters raw, and people
// read this output in terminals: those are escaped too, which JSON readers
// decode back to the same text.
func writePendingJSON(w io.Writer, reqs []store.Request) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, r := range reqs {
		buf.Reset()
		if err := enc.Encode(pendingJSON(r)); err != nil {
			return err
		}
		if _, err := w.Write(escapeInvisible(buf.Bytes())); err != nil {
			return err
		}
	}
	return nil
}

// escapeInvisible rewrites control and format characters in JSON text as
// \u escapes. Outside strings JSON has only ASCII punctuation and spaces,
// so every such character is inside a string, where an escape means the
// same.
func escapeInvisible(data []byte) []byte {
	var out []byte
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r < 0x80 || !unicode.IsControl(r) && !unicode.Is(unicode.Cf, r) {
			out = append(out, data[i:i+size]...)
		} else if r > 0xffff {
			hi, lo := utf16.EncodeRune(r)
			out = fmt.Appendf(out, `\u%04x\u%04x`, hi, lo)
		} else {
			out = fmt.Appendf(out, `\u%04x`, r)
		}
		i += size
	}
	return out
}

type pendingLine struct {
	ID        int64           `json:"id"`
	Created   string          `json:"created"`
	Expires   string          `json:"expires"`
	Kind      string          `json:"kind"`
	Tier      string          `json:"tier"`
	Server    string          `json:"server"`
	Tool      string          `json:"tool"`
	Summary   string          `json:"summary"`
	Reasons   []string        `json:"reasons"`
	Findings  []string        `json:"findings"`
	Arguments json.RawMessage `json:"arguments"`
	Client    string          `json:"client"`
	Session   string          `json:"session"`
	Diff      string          `json:"diff,omitempty"`
}

func pendingJSON(r store.Request) pendingLine {
	args := json.RawMessage(r.Arguments)
	if !json.Valid(args) {
		args, _ = json.Marshal(r.Arguments)
	}
	l := pendingLine{ID: r.ID, Created: r.Created.Format(time.RFC3339Nano), Expires: r.Expires.Format(time.RFC3339Nano),
		Kind: r.Kind, Tier: r.Tier, Server: r.Server, Tool: r.Tool, Summary: r.Summary, Reasons: r.Reasons,
		Findings: r.Findings, Arguments: args, Client: r.Client, Session: r.Session}
	if r.Kind == store.KindChanged {
		l.Diff = definitionDiff(r.Previous, r.Definition)
	}
	if l.Reasons == nil {
		l.Reasons = []string{}
	}
	if l.Findings == nil {
		l.Findings = []string{}
	}
	return l
}

// writeRequest prints one request for a person: the summary first.
func writeRequest(w io.Writer, r store.Request) {
	ask := map[string]string{
		store.KindCall:    "call",
		store.KindConsent: "first read: consent",
		store.KindChanged: "tool definition CHANGED",
	}[r.Kind]
	fmt.Fprintf(w, "#%d  %s  [%s, %s]  %s/%s  (expires in %s)\n", r.ID, visible(r.Summary), strings.ToUpper(r.Tier), ask,
		visible(r.Server), visible(r.Tool), time.Until(r.Expires).Round(time.Second))
	for _, reason := range r.Reasons {
		fmt.Fprintf(w, "    why: %s\n", visible(reason))
	}
	for _, f := range r.Findings {
		fmt.Fprintf(w, "    WARNING in definition: %s\n", visible(f))
	}
	fmt.Fprintf(w, "    arguments: %s\n", visible(r.Arguments))
	if r.Kind == store.KindChanged {
		fmt.Fprintln(w, "    definition diff (- approved, + now):")
		for _, line := range strings.Split(strings.TrimRight(definitionDiff(r.Previous, r.Definition), "\n"), "\n") {
			fmt.Fprintf(w, "      %s\n", visible(line))
		}
	}
	switch {
	case r.Kind == store.KindConsent:
		fmt.Fprintf(w, "    answer: airlock approve %d [--scope once|tool|server]  |  airlock deny %d [--always]\n\n", r.ID, r.ID)
	case r.Tier == "destructive" || r.Kind == store.KindChanged:
		fmt.Fprintf(w, "    answer: airlock approve %d  |  airlock deny %d [--always]\n\n", r.ID, r.ID)
	default:
		fmt.Fprintf(w, "    answer: airlock approve %d [--scope once|session|always]  |  airlock deny %d [--always]\n\n", r.ID, r.ID)
	}
}

// definitionDiff compares two definitions pretty-printed one field a line.
func definitionDiff(before, after string) string {
	return textdiff.Lines(indent(before), indent(after))
}

func indent(s string) string {
	var buf bytes.Buffer
	if json.Indent(&buf, []byte(s), "", "  ") != nil {
		return s
	}
	return buf.String()
}

func requestID(env Env, fs *flag.FlagSet) (int64, error) {
	if fs.NArg() != 1 {
		fmt.Fprintf(env.Stderr, "%s: want exactly one request id (see airlock pending)\n", fs.Name())
		return 0, errUsage
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(fs.Arg(0), "#"), 10, 64)
	if err != nil || id <= 0 {
		fmt.Fprintf(env.Stderr, "%s: %q is not a request id\n", fs.Name(), fs.Arg(0))
		return 0, errUsage
	}
	return id, nil
}

func runApprove(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "approve")
	scope := fs.String("scope", "", "once, session or always for calls; once, tool or server for a first-read consent (default: once, or tool for consents)")
	if err := parseFlags(env, fs, reorder(args)); err != nil {
		return err
	}
	id, err := requestID(env, fs)
	if err != nil {
		return err
	}
	st, err := openHomeStore()
	if err != nil {
		return err
	}
	defer st.Close()
	if *scope == "" {
		*scope = store.ScopeOnce
		if r, err := st.GetRequest(ctx, id); err == nil && r.Kind == store.KindConsent {
			*scope = store.ScopeTool
		}
	}
	r, err := st.Answer(ctx, id, true, *scope, "cli")
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "approved #%d (%s): %s\n", r.ID, r.Scope, visible(r.Summary))
	return nil
}

func runDeny(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "deny")
	always := fs.Bool("always", false, "also add a rule that denies this tool from now on")
	if err := parseFlags(env, fs, reorder(args)); err != nil {
		return err
	}
	id, err := requestID(env, fs)
	if err != nil {
		return err
	}
	st, err := openHomeStore()
	if err != nil {
		return err
	}
	defer st.Close()
	scope := store.ScopeOnce
	if *always {
		scope = store.ScopeAlways
	}
	r, err := st.Answer(ctx, id, false, scope, "cli")
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "denied #%d (%s): %s\n", r.ID, r.Scope, visible(r.Summary))
	return nil
}

func runResume(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "resume")
	if err := parseFlags(env, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(env.Stderr, "airlock resume: want the server name")
		return errUsage
	}
	st, err := openHomeStore()
	if err != nil {
		return err
	}
	defer st.Close()
	was, err := st.ResumeServer(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	if !was {
		fmt.Fprintf(env.Stdout, "%s was not paused\n", visible(fs.Arg(0)))
		return nil
	}
	fmt.Fprintf(env.Stdout, "resumed %s\n", visible(fs.Arg(0)))
	return nil
}

// reorder moves flags before positional arguments, so `approve 12 --scope
// session` works like `approve --scope session 12`.
func reorder(args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") && a != "-" {
			flags = append(flags, a)
			if !strings.Contains(a, "=") && a != "--always" && a != "-always" && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		rest = append(rest, a)
	}
	return append(flags, rest...)
}

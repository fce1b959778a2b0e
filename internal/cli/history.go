package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/airlock-dev/airlock/internal/config"
	"github.com/airlock-dev/airlock/internal/store"
)

// argsWidth is how many characters of the arguments the table shows.
const argsWidth = 60

func runHistory(ctx context.Context, env Env, args []string) error {
	flags := newFlags(env, "history")
	server := flags.String("server", "", "only calls to this upstream server")
	tool := flags.String("tool", "", "only calls of this tool (the upstream's own name)")
	since := flags.String("since", "", "only calls since a duration ago (1h, 30m) or an RFC 3339 time")
	until := flags.String("until", "", "only calls before a duration ago or an RFC 3339 time")
	tier := flags.String("tier", "", "only calls of this tier (read, write, destructive)")
	decision := flags.String("decision", "", "only calls with this decision (allow, deny, pending)")
	outcome := flags.String("outcome", "", "only calls with this outcome (ok, denied, tool_error, ...)")
	search := flags.String("search", "", "only calls whose arguments, summary, server or tool contain this text")
	limit := flags.Int("limit", store.DefaultLimit, "at most this many calls, newest first (with --export: only if given)")
	asJSON := flags.Bool("json", false, "print one JSON object per line")
	export := flags.String("export", "", "write the filtered calls to --out as csv or json (all of them unless --limit is given)")
	out := flags.String("out", "", "the file --export writes (created, never overwritten)")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage // the flag package has printed the problem and the usage
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "airlock history: unexpected argument %q\n", flags.Arg(0))
		return errUsage
	}
	if *limit <= 0 {
		fmt.Fprintln(env.Stderr, "airlock history: --limit must be positive")
		return errUsage
	}
	filter := store.Filter{Server: *server, Tool: *tool, Tier: *tier, Decision: *decision, Outcome: *outcome,
		Search: *search, Limit: *limit}
	for _, tf := range []struct {
		name, val string
		dst       *time.Time
	}{{"since", *since, &filter.Since}, {"until", *until, &filter.Until}} {
		if tf.val == "" {
			continue
		}
		t, err := parseSince(tf.val, time.Now())
		if err != nil {
			fmt.Fprintf(env.Stderr, "airlock history: --%s: %v\n", tf.name, err)
			return errUsage
		}
		*tf.dst = t
	}
	if *export != "" || *out != "" {
		if err := checkExportFlags(*export, *out); err != nil {
			fmt.Fprintf(env.Stderr, "airlock history: %v\n", err)
			return errUsage
		}
		if !flagGiven(flags, "limit") {
			filter.Limit = 0 // the whole filtered view
		}
	}

	home, err := config.Home()
	if err != nil {
		return err
	}
	st, err := openRecorded(env, home)
	if err != nil || st == nil {
		return err
	}
	defer st.Close()

	if *export != "" {
		if err := exportHistory(ctx, st, filter, *export, *out); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "exported the calls as %s to %s\n", *export, *out)
		return nil
	}
	calls, err := st.Calls(ctx, filter)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeHistoryJSON(env.Stdout, calls)
	}
	if len(calls) == 0 {
		fmt.Fprintln(env.Stdout, "no calls match")
		return nil
	}
	if err := writeHistoryTable(env.Stdout, calls); err != nil {
		return err
	}
	if len(calls) == *limit {
		fmt.Fprintf(env.Stderr, "(showing the %d most recent; --limit shows more)\n", len(calls))
	}
	return nil
}

// openRecorded opens home's database, or says there is nothing recorded
// and returns nil: looking at history must not create a database as a side
// effect.
func openRecorded(env Env, home string) (*store.Store, error) {
	path := config.DBPath(home)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintln(env.Stdout, "no calls recorded yet")
		return nil, nil
	}
	return store.Open(path)
}

// parseSince reads "1h30m" (that long before now) or an RFC 3339 time.
func parseSince(s string, now time.Time) (time.Time, error) {
	if d, err := time.ParseDuration(s); err == nil {
		if d < 0 {
			return time.Time{}, fmt.Errorf("duration %q is negative", s)
		}
		return now.Add(-d), nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is neither a duration (1h, 30m) nor an RFC 3339 time (2026-01-02T15:04:05Z)", s)
}

func writeHistoryTable(w io.Writer, calls []store.Call) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tSERVER\tTOOL\tTIER\tDECISION\tOUTCOME\tDURATION\tARGUMENTS")
	for _, c := range calls {
		outcome, duration := c.Outcome, formatDuration(c.Duration)
		if outcome == "" {
			outcome, duration = "running", "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			c.Time.Local().Format("2006-01-02 15:04:05"),
			cell(c.Server), cell(c.Tool), cell(c.Tier), cell(c.Decision), cell(outcome), duration,
			truncate(visible(c.Arguments), argsWidth))
	}
	return tw.Flush()
}

// cell shows untrusted text safely, and "-" for nothing.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return visible(s)
}

func formatDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return d.Round(time.Microsecond).String()
	case d < time.Second:
		return d.Round(100 * time.Microsecond).String()
	default:
		return d.Round(time.Millisecond).String()
	}
}

// truncate cuts s to n runes, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)
	return string(runes[:n-1]) + "…"
}

type historyLine struct {
	ID         int64           `json:"id"`
	Time       string          `json:"time"`
	Server     string          `json:"server"`
	Tool       string          `json:"tool"`
	Tier       string          `json:"tier"`
	Decision   string          `json:"decision"`
	Outcome    string          `json:"outcome"`
	DurationMS float64         `json:"duration_ms"`
	Arguments  json.RawMessage `json:"arguments"`
	Client     string          `json:"client"`
	Session    string          `json:"session"`
	DecidedBy  string          `json:"decided_by"`
	Reasons    []string        `json:"reasons"`
	Summary    string          `json:"summary"`
	RequestID  int64           `json:"request_id,omitempty"`
	Rule       string          `json:"rule,omitempty"` // the rule that decided (or set the tier)
	Error      string          `json:"error"`
}

func writeHistoryJSON(w io.Writer, calls []store.Call) error {
	// Like pending --json: invisible and control characters are escaped,
	// since this output is read in terminals too.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, c := range calls {
		buf.Reset()
		args := json.RawMessage(c.Arguments)
		if !json.Valid(args) {
			// Rows are written redacted and valid; anything else is shown as
			// text rather than breaking the line.
			quoted, _ := json.Marshal(c.Arguments)
			args = quoted
		}
		ms := math.Round(float64(c.Duration)/float64(time.Microsecond)) / 1000
		line := historyLine{
			ID: c.ID, Time: c.Time.UTC().Format(time.RFC3339Nano), Server: c.Server, Tool: c.Tool,
			Tier: c.Tier, Decision: c.Decision, Outcome: c.Outcome, DurationMS: ms, Arguments: args,
			Client: c.Client, Session: c.Session, DecidedBy: c.DecidedBy, Error: c.Error,
			Reasons: c.Reasons, Summary: c.Summary, RequestID: c.RequestID, Rule: c.Rule,
		}
		if line.Reasons == nil {
			line.Reasons = []string{}
		}
		if err := enc.Encode(line); err != nil {
			return fmt.Errorf("write history: %w", err)
		}
		if _, err := w.Write(escapeInvisible(buf.Bytes())); err != nil {
			return fmt.Errorf("write history: %w", err)
		}
	}
	return nil
}

package store

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Export formats.
const (
	FormatCSV  = "csv"
	FormatJSON = "json"
)

// exportColumns names the CSV header and the JSON fields, in order.
var exportColumns = []string{"id", "time", "client", "session", "server", "tool", "tier", "decision",
	"decided_by", "reasons", "summary", "arguments", "outcome", "error", "duration_ms", "request_id"}

// exportedCall is one call in a JSON export.
type exportedCall struct {
	ID         int64    `json:"id"`
	Time       string   `json:"time"`
	Client     string   `json:"client"`
	Session    string   `json:"session"`
	Server     string   `json:"server"`
	Tool       string   `json:"tool"`
	Tier       string   `json:"tier"`
	Decision   string   `json:"decision"`
	DecidedBy  string   `json:"decided_by"`
	Reasons    []string `json:"reasons"`
	Summary    string   `json:"summary"`
	Arguments  string   `json:"arguments"` // redacted JSON text, kept as text: it may not be valid JSON
	Outcome    string   `json:"outcome"`
	Error      string   `json:"error"`
	DurationMs float64  `json:"duration_ms"`
	RequestID  int64    `json:"request_id"`
}

// ExportCalls writes every call f selects (f.Limit and f.BeforeID apply if
// set), newest first, as CSV with a header row or as a JSON array with one
// call per line. Rows are streamed: a year of history never sits in memory.
func (s *Store) ExportCalls(ctx context.Context, f Filter, w io.Writer, format string) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var err error
	switch format {
	case FormatCSV:
		err = s.exportCSV(ctx, f, bw)
	case FormatJSON:
		err = s.exportJSON(ctx, f, bw)
	default:
		return fmt.Errorf("export calls: unknown format %q (want csv or json)", format)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return fmt.Errorf("export calls as %s: %w", format, err)
	}
	return nil
}

func (s *Store) exportCSV(ctx context.Context, f Filter, w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(exportColumns); err != nil {
		return err
	}
	record := make([]string, len(exportColumns))
	err := s.eachCall(ctx, f, f.Limit, func(c Call) error {
		e := exported(c)
		reasons, err := json.Marshal(e.Reasons)
		if err != nil {
			return err
		}
		record = append(record[:0], strconv.FormatInt(e.ID, 10), e.Time, e.Client, e.Session, e.Server,
			e.Tool, e.Tier, e.Decision, e.DecidedBy, string(reasons), e.Summary, e.Arguments, e.Outcome,
			e.Error, strconv.FormatFloat(e.DurationMs, 'f', -1, 64), strconv.FormatInt(e.RequestID, 10))
		for i := range record {
			record[i] = cellText(record[i])
		}
		return cw.Write(record)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func (s *Store) exportJSON(ctx context.Context, f Filter, w io.Writer) error {
	if _, err := io.WriteString(w, "["); err != nil {
		return err
	}
	enc := json.NewEncoder(w) // escapes <, > and & too: safe to open in a browser
	first := true
	err := s.eachCall(ctx, f, f.Limit, func(c Call) error {
		sep := ",\n"
		if first {
			sep, first = "\n", false
		}
		if _, err := io.WriteString(w, sep); err != nil {
			return err
		}
		return enc.Encode(exported(c)) // Encode ends with a newline; JSON allows it before the comma
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, "]\n")
	return err
}

func exported(c Call) exportedCall {
	reasons := c.Reasons
	if reasons == nil {
		reasons = []string{}
	}
	return exportedCall{
		ID: c.ID, Time: c.Time.Format(time.RFC3339Nano), Client: c.Client, Session: c.Session,
		Server: c.Server, Tool: c.Tool, Tier: c.Tier, Decision: c.Decision, DecidedBy: c.DecidedBy,
		Reasons: reasons, Summary: c.Summary, Arguments: c.Arguments, Outcome: c.Outcome, Error: c.Error,
		DurationMs: float64(c.Duration.Microseconds()) / 1000, RequestID: c.RequestID,
	}
}

// cellText keeps a spreadsheet from running a cell as a formula: text from
// tools and models that starts with = + - @ (or a tab or carriage return,
// which some spreadsheets skip before reading a formula) gets a leading
// apostrophe, which spreadsheets read as "this is text".
func cellText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
